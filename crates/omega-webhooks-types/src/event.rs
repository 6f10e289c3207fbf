//! [`Event`]: one webhook event, and [`EventResponse`]: the customer endpoint's answer to it.

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{EventData, EventType, Extra, Timestamp};

/// A webhook event that Omega Stream delivered (or tried to deliver) to an endpoint.
///
/// The list call sends `data` and `response` as null and `created_at` as the zero time; the
/// details call fills them in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = accept_ocid)]
pub struct Event {
    /// Event document id.
    pub id: String,
    /// When the event was created (RFC 3339). The list call sends the zero time
    /// `0001-01-01T00:00:00Z`; some payloads omit the field.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// The company's Omega id (`omega-cop-…`). The list call spells it `ocid`; both are read.
    #[serde(alias = "ocid")]
    pub coid: String,
    /// Omega API version used to render the event, e.g. `v1`.
    pub api_version: String,
    /// When the event was created, in Unix seconds.
    #[serde(deserialize_with = "crate::safe_int::signed")]
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
    /// The customer endpoint's answer to the webhook POST; null in the list call. Boxed, like
    /// the video: lists carry many events and no answers.
    #[serde(default)]
    pub response: Option<Box<EventResponse>>,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The customer endpoint's answer to the webhook POST request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventResponse {
    /// HTTP status code the endpoint answered with.
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

/// Describes the wire honestly: schemars does not see `#[serde(alias)]`, so the schema of
/// [`Event`] gains `ocid` as the list call's spelling of `coid`, and exactly one of the two is
/// required.
fn accept_ocid(schema: &mut Schema) {
    if let Some(required) = schema.get_mut("required").and_then(|r| r.as_array_mut()) {
        required.retain(|name| name != "coid");
    }
    let coid = schema.pointer("/properties/coid").cloned();
    if let (Some(mut ocid), Some(props)) = (
        coid,
        schema.get_mut("properties").and_then(|p| p.as_object_mut()),
    ) {
        ocid["description"] = json!("Spelling of `coid` used by the list call; read as `coid`.");
        props.insert("ocid".to_owned(), ocid);
    }
    // Each branch names its property (as `true`: the real schema is in `properties`), which
    // keeps strict validators (ajv's strictRequired) happy.
    schema.insert(
        "oneOf".to_owned(),
        json!([
            { "properties": { "coid": true }, "required": ["coid"] },
            { "properties": { "ocid": true }, "required": ["ocid"] }
        ]),
    );
}
