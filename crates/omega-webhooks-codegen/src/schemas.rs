//! The JSON Schemas (draft 2020-12) in `schemas/`, derived from the Rust models with schemars.

use omega_webhooks_types::{Event, EventType, Video};
use schemars::{generate::SchemaSettings, JsonSchema};
use serde_json::{json, Value};

use crate::GENERATED_NOTICE;

/// Prefix of every schema's `$id`; the file name without `.schema.json` follows.
const ID_PREFIX: &str = "urn:omega-webhooks:schemas:";

/// Every root schema, as `(file stem, schema)`.
pub(crate) fn all() -> Vec<(&'static str, Value)> {
    vec![
        (
            "event",
            root::<Event>("event", "Event", None),
        ),
        (
            "event-list",
            root::<Vec<Event>>(
                "event-list",
                "EventList",
                Some("The body of the list call: the events delivered to one webhook endpoint, with `data` and `response` null."),
            ),
        ),
        (
            "event-type",
            root::<EventType>("event-type", "EventType", None),
        ),
        ("video", root::<Video>("video", "Video", None)),
    ]
}

/// A self-contained root schema for `T` with its `$id`, title and the marker; `description`
/// replaces the one from `T`'s doc comment (needed where `T` has none, like `Vec<Event>`).
fn root<T: JsonSchema>(stem: &str, title: &str, description: Option<&str>) -> Value {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("$id".to_owned(), json!(format!("{ID_PREFIX}{stem}")));
    schema.insert("$comment".to_owned(), json!(GENERATED_NOTICE));
    schema.insert("title".to_owned(), json!(title));
    if let Some(description) = description {
        schema.insert("description".to_owned(), json!(description));
    }
    schema.to_value()
}
