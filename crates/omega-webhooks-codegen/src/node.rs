//! `bindings/node/literals.d.ts`: the literal unions of the known event types and video
//! statuses, from the Rust enums.

use std::fmt::Write;

use omega_webhooks_types::{EventType, VideoStatus};

use crate::GENERATED_NOTICE;

/// The literal unions.
pub(crate) const LITERALS_PATH: &str = "bindings/node/literals.d.ts";

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
