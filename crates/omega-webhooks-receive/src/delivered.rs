//! [`Delivered`]: what the receiver's answers and checks read of a delivered event — its id,
//! type and endpoint, and whether this SDK replayed it — whether the event is a model
//! ([`Delivery`], [`Event`]) or the normalized JSON of a fast path ([`EventHead`]).

use omega_webhooks_types::Event;
use serde::Deserialize;

use crate::Delivery;

/// A delivered event, as the answers name it.
pub trait Delivered {
    /// The event's id.
    fn event_id(&self) -> &str;
    /// The event's type, as sent.
    fn event_type(&self) -> &str;
    /// The endpoint it was delivered to.
    fn endpoint_id(&self) -> &str;
    /// Whether this SDK replayed it (`Omega-Webhooks-Replay`).
    fn replay(&self) -> bool {
        false
    }
}

impl Delivered for Event {
    fn event_id(&self) -> &str {
        &self.id
    }
    fn event_type(&self) -> &str {
        self.event_type.as_str()
    }
    fn endpoint_id(&self) -> &str {
        &self.endpoint_id
    }
}

impl Delivered for Delivery {
    fn event_id(&self) -> &str {
        &self.event.id
    }
    fn event_type(&self) -> &str {
        self.event.event_type.as_str()
    }
    fn endpoint_id(&self) -> &str {
        &self.event.endpoint_id
    }
    fn replay(&self) -> bool {
        self.replay
    }
}

/// The fields of a delivered event the answers need, without the model: what
/// [`crate::Receiver::read_normalized`] reads back from the normalized JSON, and what a binding
/// that keeps events as JSON (Node) passes to [`crate::Receiver::handled`] and the others.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EventHead {
    /// The event's id.
    #[serde(rename = "id")]
    pub event_id: String,
    /// The event's type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The endpoint it was delivered to.
    pub endpoint_id: String,
    /// Whether this SDK replayed it.
    #[serde(skip)]
    pub replay: bool,
}

impl Delivered for EventHead {
    fn event_id(&self) -> &str {
        &self.event_id
    }
    fn event_type(&self) -> &str {
        &self.event_type
    }
    fn endpoint_id(&self) -> &str {
        &self.endpoint_id
    }
    fn replay(&self) -> bool {
        self.replay
    }
}
