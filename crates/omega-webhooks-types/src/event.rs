//! [`Event`]: one webhook event, and [`EventResponse`]: the customer endpoint's answer to it.

use schemars::JsonSchema;
use serde::Serialize;

use crate::{
    extra_fields::deserialize_with_extra,
    safe_int::{Signed, U16},
    EventData, EventType, Extra, Timestamp,
};

/// A webhook event that Omega Stream delivered (or tried to deliver) to an endpoint.
///
/// The list call sends `data` and `response` as null and `created_at` as the zero time; the
/// details call fills them in.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Event {
    /// Event document id.
    pub id: String,
    /// When the event was created (RFC 3339). The list call sends the zero time
    /// `0001-01-01T00:00:00Z`; some payloads omit the field.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// The company's Omega id (`omega-cop-…`). The list call spells it `ocid`; both are read,
    /// and written as `coid` (the wire schema accepts either, exactly one).
    pub coid: String,
    /// Omega API version used to render the event, e.g. `v1`.
    pub api_version: String,
    /// When the event was created, in Unix seconds.
    #[schemars(range(min = -crate::MAX_SAFE_INTEGER, max = crate::MAX_SAFE_INTEGER))]
    pub created: i64,
    /// What happened, e.g. `video.process_succeeded`.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Id of the webhook endpoint the event was delivered to.
    pub endpoint_id: String,
    /// The video the event is about; null in the list call.
    #[serde(default)]
    pub data: Option<EventData>,
    /// The customer endpoint's answer to the webhook POST; null in the list call. The delivery
    /// succeeded when its `status_code` is 2xx, failed for any other status (a 3xx included),
    /// and is unknown without an answer.
    // Boxed, like the video: lists carry many events and no answers.
    #[serde(default)]
    pub response: Option<Box<EventResponse>>,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_with_extra! {
    Event {
        id: required "id",
        created_at: optional "created_at",
        coid: required "coid" | "ocid",
        api_version: required "api_version",
        created: required "created" via Signed,
        event_type: required "type",
        endpoint_id: required "endpoint_id",
        data: optional "data",
        response: optional "response",
    }
}

/// How the delivery of an event went, from its `response` (see [`Event::delivery`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// The receiver answered 2xx.
    Delivered,
    /// The receiver answered any other status (3xx, 4xx, 5xx).
    Failed,
    /// No answer is recorded: `response` is null (always so in the list call).
    Unknown,
}

impl Delivery {
    /// The outcome for the receiver's status code, if there is an answer.
    pub fn of(status_code: Option<u16>) -> Delivery {
        match status_code {
            Some(code) if (200..300).contains(&code) => Delivery::Delivered,
            Some(_) => Delivery::Failed,
            None => Delivery::Unknown,
        }
    }
}

impl Event {
    /// How the delivery went: [`Delivery::Delivered`] for a 2xx answer, [`Delivery::Failed`]
    /// for any other status, [`Delivery::Unknown`] without an answer (e.g. in the list call).
    pub fn delivery(&self) -> Delivery {
        Delivery::of(self.response.as_ref().map(|answer| answer.status_code))
    }
}

/// The customer endpoint's answer to the webhook POST request.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EventResponse {
    /// HTTP status code the endpoint answered with.
    #[schemars(range(min = 0, max = 65535))]
    pub status_code: u16,
    /// Status line, e.g. `200 OK`.
    pub status: String,
    /// Response body the endpoint sent.
    pub body: String,
    /// Omega's summary of the delivery, e.g. `webhook event with type video.process_succeeded
    /// succeeded`.
    pub message: String,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_with_extra! {
    EventResponse {
        status_code: required "status_code" via U16,
        status: required "status",
        body: required "body",
        message: required "message",
    }
}
