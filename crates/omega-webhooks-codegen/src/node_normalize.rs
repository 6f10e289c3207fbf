//! `bindings/node/normalize.js`: Node's fast path to the normalized event (`JSON.parse`, then
//! one reader per model), written from the Rust models: each model's `WIRE_FIELDS` (the
//! fields, their order, aliases and which are required) and its wire schema (each field's
//! type, range, nullability and default). The part that is the same for every model is
//! `normalize_runtime.js`. Whatever the readers do not take exactly as the Rust decoder would,
//! they leave to the addon.

use std::fmt::Write;

use omega_webhooks_types::{
    Event, EventData, EventResponse, Playback, SchemaView, Storage, StorageSource, Video,
    VideoInput, WireField,
};
use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::GENERATED_NOTICE;

/// The fast path.
pub(crate) const NORMALIZE_PATH: &str = "bindings/node/normalize.js";

/// The helpers every reader calls, and the entry point `normalizeEvent`.
const RUNTIME: &str = include_str!("normalize_runtime.js");

/// What a field holds, as a reader checks it.
enum Kind {
    Str,
    Timestamp,
    Int {
        min: i64,
        max: i64,
    },
    Float,
    Bool,
    /// A map of strings (`meta`).
    Strings,
    /// Another model, read by its own reader.
    Model(String),
    /// An event's `data` (wrapped video or `{}`), read by the runtime's `eventData`.
    Data,
}

/// `normalize.js`.
pub(crate) fn normalize_js() -> Result<String, String> {
    let schema = SchemaView::Wire
        .settings()
        .into_generator()
        .into_root_schema_for::<Event>()
        .to_value();
    let empty = Map::new();
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut out = format!("// {GENERATED_NOTICE}\n{RUNTIME}");
    reader(
        &mut out,
        &Event::schema_name(),
        &schema,
        Event::WIRE_FIELDS,
        defs,
    )?;
    for (name, fields) in [
        (EventResponse::schema_name(), EventResponse::WIRE_FIELDS),
        (Video::schema_name(), Video::WIRE_FIELDS),
        (Playback::schema_name(), Playback::WIRE_FIELDS),
        (VideoInput::schema_name(), VideoInput::WIRE_FIELDS),
        (Storage::schema_name(), Storage::WIRE_FIELDS),
        (StorageSource::schema_name(), StorageSource::WIRE_FIELDS),
    ] {
        let def = defs
            .get(name.as_ref())
            .ok_or_else(|| format!("normalize.js: no schema for {name}"))?;
        reader(&mut out, &name, def, fields, defs)?;
    }
    out.push_str("\nmodule.exports = { normalizeEvent };\n");
    Ok(out)
}

/// `read<Name>(wire)`: the model's fields in its order, checked, then its unknown fields.
fn reader(
    out: &mut String,
    name: &str,
    schema: &Value,
    fields: &[WireField],
    defs: &Map<String, Value>,
) -> Result<(), String> {
    let known: Vec<String> = fields
        .iter()
        .flat_map(|field| std::iter::once(field.name).chain(field.aliases.iter().copied()))
        .map(js_string)
        .collect();
    let _ = write!(
        out,
        "\n/** The wire keys of {name}. */\nconst {NAME}_KEYS = new Set([{}]);\n\n\
         /** {name}, normalized. */\nfunction read{name}(wire) {{\n  object(wire);\n  \
         let seen = 0;\n  let v;\n  const model = {{\n",
        known.join(", "),
        NAME = name.to_uppercase(),
    );
    for field in fields {
        let property = schema
            .pointer(&format!("/properties/{}", field.name))
            .ok_or_else(|| format!("normalize.js: {name}.{} is not in the schema", field.name))?;
        let (kind, nullable) = kind(property, defs)
            .map_err(|why| format!("normalize.js: {name}.{}: {why}", field.name))?;
        let read = match nullable {
            true => format!("v === null ? null : {}", call(&kind)),
            false => call(&kind),
        };
        let absent = match (field.required, property.get("default")) {
            (true, _) => "giveUp()".to_owned(),
            (false, Some(default)) => default.to_string(),
            (false, None) => "null".to_owned(),
        };
        let wire = match field.aliases {
            [] => format!("wire[{}]", js_string(field.name)),
            aliases => format!(
                "one(wire[{}], {})",
                js_string(field.name),
                aliases
                    .iter()
                    .map(|alias| format!("wire[{}]", js_string(alias)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let _ = writeln!(
            out,
            "    {}: (v = {wire}) === undefined ? {absent} : (seen++, {read}),",
            js_string(field.name)
        );
    }
    let _ = writeln!(
        out,
        "  }};\n  return rest(wire, model, seen, {}_KEYS);\n}}",
        name.to_uppercase()
    );
    Ok(())
}

/// The reader's call for a value `v` of `kind`.
fn call(kind: &Kind) -> String {
    match kind {
        Kind::Str => "str(v)".to_owned(),
        Kind::Timestamp => "timestamp(v)".to_owned(),
        Kind::Int { min, max } => format!("int(v, {min}, {max})"),
        Kind::Float => "float(v)".to_owned(),
        Kind::Bool => "bool(v)".to_owned(),
        Kind::Strings => "strings(v)".to_owned(),
        Kind::Model(name) => format!("read{name}(v)"),
        Kind::Data => "eventData(v)".to_owned(),
    }
}

/// What a property of the wire schema holds, and whether it may be null. Anything this does
/// not know is an error, so a new kind of field cannot be read wrongly.
fn kind(property: &Value, defs: &Map<String, Value>) -> Result<(Kind, bool), String> {
    if let Some(branches) = property.get("anyOf").and_then(Value::as_array) {
        let null = serde_json::json!({ "type": "null" });
        let nullable = branches.contains(&null);
        return match branches.iter().filter(|b| **b != null).collect::<Vec<_>>()[..] {
            [only] => kind(only, defs).map(|(kind, inner)| (kind, nullable || inner)),
            _ => Err(format!("anyOf of several kinds: {property}")),
        };
    }
    if let Some(reference) = property.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        if name == EventData::schema_name() {
            return Ok((Kind::Data, false));
        }
        let def = defs.get(name).ok_or_else(|| format!("no $defs/{name}"))?;
        if def.get("properties").is_some() {
            return Ok((Kind::Model(name.to_owned()), false));
        }
        // An open enum: a known value or any other string.
        let strings = def.get("oneOf").and_then(Value::as_array).is_some_and(|b| {
            b.iter()
                .all(|branch| branch.get("type") == Some(&Value::from("string")))
        });
        return match strings {
            true => Ok((Kind::Str, false)),
            false => Err(format!("$defs/{name} is neither a model nor an open enum")),
        };
    }
    let types: Vec<&str> = match property.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => return Err(format!("no type: {property}")),
    };
    let nullable = types.contains(&"null");
    let bound = |key: &str| {
        property
            .get(key)
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("an integer without {key}"))
    };
    let kind = match types.iter().find(|t| **t != "null").copied() {
        Some("string") if property.get("format") == Some(&Value::from("date-time")) => {
            Kind::Timestamp
        }
        Some("string") => Kind::Str,
        Some("integer") => Kind::Int {
            min: bound("minimum")?,
            max: bound("maximum")?,
        },
        Some("number") => Kind::Float,
        Some("boolean") => Kind::Bool,
        Some("object")
            if property.get("additionalProperties")
                == Some(&serde_json::json!({ "type": "string" })) =>
        {
            Kind::Strings
        }
        _ => return Err(format!("unknown kind: {property}")),
    };
    Ok((kind, nullable))
}

/// `text` as a JavaScript string literal (JSON's is one).
fn js_string(text: &str) -> String {
    Value::from(text).to_string()
}
