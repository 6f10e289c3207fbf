//! Node files that mirror Rust definitions: the literal unions of the known event types and
//! video statuses (`literals.d.ts`), and the ESM entry point, whose export names must be
//! static (`index.mjs`).

use std::fmt::Write;

use omega_webhooks_types::{EventType, VideoStatus};

use crate::{errors, GENERATED_NOTICE};

/// The literal unions.
pub(crate) const LITERALS_PATH: &str = "bindings/node/literals.d.ts";
/// The ESM entry point.
pub(crate) const ESM_PATH: &str = "bindings/node/index.mjs";

/// What `index.js` exports besides the error classes.
const API: &[&str] = &["Client", "parseEvent"];

/// `literals.d.ts`.
pub(crate) fn literals() -> String {
    let mut out = format!("// {GENERATED_NOTICE}\n");
    union(
        &mut out,
        "KnownEventType",
        "The documented event types; any other string is a type added by the provider later.",
        EventType::KNOWN.iter().map(EventType::as_str),
    );
    union(
        &mut out,
        "KnownVideoStatus",
        "The documented video statuses.",
        VideoStatus::KNOWN.iter().map(VideoStatus::as_str),
    );
    out
}

fn union<'a>(out: &mut String, name: &str, doc: &str, values: impl Iterator<Item = &'a str>) {
    let _ = write!(out, "\n/** {doc} */\nexport type {name} =");
    for value in values {
        let _ = write!(out, "\n  | '{value}'");
    }
    out.push_str(";\n");
}

/// `index.mjs`.
pub(crate) fn esm() -> String {
    let mut out = format!(
        "// {GENERATED_NOTICE}\n// omega-webhooks for Node, ESM entry point: the CommonJS module's exports.\nimport cjs from './index.js';\n\nexport const {{\n"
    );
    for name in API.iter().copied().chain(errors::class_names()) {
        let _ = writeln!(out, "  {name},");
    }
    out.push_str("} = cjs;\nexport default cjs;\n");
    out
}
