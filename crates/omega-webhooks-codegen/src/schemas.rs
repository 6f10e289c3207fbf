//! The JSON Schemas (draft 2020-12) in `schemas/`, derived from the Rust models with schemars:
//! the wire view (`<name>.schema.json`, what Omega may send) and the normalized view
//! (`<name>.normalized.schema.json`, what the SDK emits; the one for code generators). See
//! `SchemaView` in the types crate.

use omega_webhooks_types::{DeliveryStats, Event, EventType, SchemaView, Video};
use schemars::JsonSchema;
use serde_json::{json, Value};

use crate::GENERATED_NOTICE;

/// Prefix of every schema's `$id`; the file stem follows.
const ID_PREFIX: &str = "urn:omega-webhooks:schemas:";

/// Description of the list schemas (`Vec<Event>` has no doc comment of its own).
const LIST_DESCRIPTION: &str = "The body of the list call: the events delivered to one webhook endpoint, with `data` and `response` null.";

/// Every root schema, as `(file stem, schema)`.
pub(crate) fn all() -> Vec<(&'static str, Value)> {
    use SchemaView::{Normalized, Wire};
    vec![
        ("event", root::<Event>(Wire, "event", "Event", None)),
        (
            "event-list",
            root::<Vec<Event>>(Wire, "event-list", "EventList", Some(LIST_DESCRIPTION)),
        ),
        (
            "event-type",
            root::<EventType>(Wire, "event-type", "EventType", None),
        ),
        ("video", root::<Video>(Wire, "video", "Video", None)),
        (
            "event.normalized",
            root::<Event>(Normalized, "event.normalized", "Event", None),
        ),
        (
            "event-list.normalized",
            root::<Vec<Event>>(
                Normalized,
                "event-list.normalized",
                "EventList",
                Some(LIST_DESCRIPTION),
            ),
        ),
        (
            "video.normalized",
            root::<Video>(Normalized, "video.normalized", "Video", None),
        ),
        (
            "delivery-stats",
            root::<DeliveryStats>(Normalized, "delivery-stats", "DeliveryStats", None),
        ),
    ]
}

/// A self-contained root schema for `T` in `view`, with its `$id`, title and the marker;
/// `description` replaces the one from `T`'s doc comment (needed where `T` has none).
fn root<T: JsonSchema>(
    view: SchemaView,
    stem: &str,
    title: &str,
    description: Option<&str>,
) -> Value {
    let mut schema = view.settings().into_generator().into_root_schema_for::<T>();
    schema.insert("$id".to_owned(), json!(format!("{ID_PREFIX}{stem}")));
    schema.insert("$comment".to_owned(), json!(GENERATED_NOTICE));
    schema.insert("title".to_owned(), json!(title));
    if let Some(description) = description {
        schema.insert("description".to_owned(), json!(description));
    }
    schema.to_value()
}
