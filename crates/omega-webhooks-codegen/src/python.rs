//! `bindings/python/python/omega_webhooks/_enums.py`: the documented event types and video
//! statuses as Python string enums, from the Rust enums.

use std::fmt::Write;

use omega_webhooks_types::{EventType, VideoStatus};

use crate::GENERATED_NOTICE;

/// Path of the generated module.
pub(crate) const ENUMS_PATH: &str = "bindings/python/python/omega_webhooks/_enums.py";

/// The module's source.
pub(crate) fn enums() -> String {
    let mut out = format!(
        "# {GENERATED_NOTICE}\n\"\"\"The documented event types and video statuses as string enums.\n\n\
         Attributes of the models are plain ``str`` (a value the SDK does not know yet stays a\n\
         string); these enums compare equal to the matching strings.\n\"\"\"\n\nimport enum\n"
    );
    let event_types: Vec<&str> = EventType::KNOWN.iter().map(EventType::as_str).collect();
    let statuses: Vec<&str> = VideoStatus::KNOWN.iter().map(VideoStatus::as_str).collect();
    class(
        &mut out,
        "EventType",
        "The type of a webhook event, e.g. ``video.process_succeeded``.",
        &event_types,
    );
    class(
        &mut out,
        "VideoStatus",
        "The processing status of a video, e.g. ``process-completed``.",
        &statuses,
    );
    out
}

fn class(out: &mut String, name: &str, doc: &str, values: &[&str]) {
    let _ = write!(
        out,
        "\n\nclass {name}(str, enum.Enum):\n    \"\"\"{doc}\"\"\"\n\n"
    );
    for value in values {
        let member = value.replace(['.', '-'], "_").to_uppercase();
        let _ = writeln!(out, "    {member} = {value:?}");
    }
    // An explicit `__new__` keeps the runtime signature equal to the one type checkers infer
    // (stubtest flags the inherited `str.__new__` of a str-mixin enum).
    let _ = write!(
        out,
        "\n    def __new__(cls, value: str) -> \"{name}\":\n        member = str.__new__(cls, value)\n        member._value_ = value\n        return member\n\n    def __str__(self) -> str:\n        return str(self.value)\n"
    );
}
