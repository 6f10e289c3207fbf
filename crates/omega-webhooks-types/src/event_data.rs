//! [`EventData`]: the `data` of an event, in any of the three shapes the provider documents.

use std::{borrow::Cow, fmt};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{
    de::{self, MapAccess},
    ser::SerializeMap,
    Deserialize, Deserializer, Serialize, Serializer,
};
use serde_json::Value;

use crate::{Extra, Video};

/// The data of an event: the video it is about.
///
/// The provider documents three shapes, and all are accepted:
///
/// 1. `{"video": {…}}` — what the details call sends;
/// 2. `{}` — an empty object;
/// 3. the video object itself, not wrapped — normalized here to shape 1.
///
/// An object with neither a `video` nor an `id` key is kept as it is, in [`EventData::extra`].
/// Serialization writes shape 1 (or `{}`), followed by any extra fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventData {
    /// The video the event is about; `None` when the data object is empty. Boxed: a video is
    /// large, and most events (every one in a list) carry none.
    pub video: Option<Box<Video>>,
    /// Fields this version of the SDK does not know, kept and written back out.
    pub extra: Extra,
}

impl Serialize for EventData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map =
            s.serialize_map(Some(usize::from(self.video.is_some()) + self.extra.len()))?;
        if let Some(video) = &self.video {
            map.serialize_entry("video", video)?;
        }
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for EventData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EventDataVisitor)
    }
}

/// Reads the `video` key straight into a [`Video`] (so errors keep their exact path) and
/// everything else into a map; a map that turns out to be a bare video is converted afterwards.
struct EventDataVisitor;

impl<'de> de::Visitor<'de> for EventDataVisitor {
    type Value = EventData;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event data object: {\"video\": {...}}, {} or a video object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventData, A::Error> {
        let mut data = EventData::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "video" {
                if data.video.is_some() {
                    return Err(de::Error::duplicate_field("video"));
                }
                data.video = Some(map.next_value()?);
            } else {
                data.extra.insert(key, map.next_value()?);
            }
        }
        if data.video.is_none() && data.extra.contains_key("id") {
            let bare = Value::Object(std::mem::take(&mut data.extra));
            let video: Video = serde_path_to_error::deserialize(bare).map_err(|e| {
                de::Error::custom(format_args!(
                    "bare video object: at `{}`: {}",
                    e.path(),
                    e.inner()
                ))
            })?;
            data.video = Some(Box::new(video));
        }
        Ok(data)
    }
}

/// The normalized `data`: an object with an optional `video`, other fields kept. Every wire
/// shape satisfies it too (a bare video is an object without `video`).
pub(crate) fn object_schema(video: Value) -> Schema {
    schemars::json_schema!({
        "title": "EventData",
        "description": "The data of an event: the video it is about, as {\"video\": {...}}, or {} when there is none. Fields the SDK does not know are kept.",
        "type": "object",
        "properties": { "video": video },
        "additionalProperties": true
    })
}

impl JsonSchema for EventData {
    fn schema_name() -> Cow<'static, str> {
        "EventData".into()
    }

    /// The normalized object when generating for serialization; the three accepted shapes
    /// when generating for deserialization (the wire).
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let video = generator.subschema_for::<Video>();
        if generator.contract().is_serialize() {
            return object_schema(video.to_value());
        }
        schemars::json_schema!({
            "title": "EventData",
            "description": "The data of an event: the video it is about. Accepted shapes: {\"video\": {...}} (what the details call sends), {} (an empty object), or a bare video object (normalized to {\"video\": {...}}). An object with neither a `video` nor an `id` key is kept as it is.",
            "type": "object",
            "anyOf": [
                {
                    "description": "Wrapped: {\"video\": {...}}, the normalized shape.",
                    "required": ["video"],
                    "properties": { "video": video }
                },
                {
                    "description": "A bare video object.",
                    "allOf": [video]
                },
                {
                    "description": "Any other object, e.g. {}: no `video` and no `id` key.",
                    "not": {
                        "anyOf": [
                            { "properties": { "video": {} }, "required": ["video"] },
                            { "properties": { "id": {} }, "required": ["id"] }
                        ]
                    }
                }
            ]
        })
    }
}
