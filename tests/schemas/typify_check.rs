//! The `main.rs` of the crate that `tests/schemas/test_generators.py` builds around the module
//! `cargo typify` generates from `schemas/event.normalized.schema.json` (`event_types.rs`, with
//! the dependencies schemas/README.md names). It deserializes each JSON file named on the
//! command line into the generated `Event` and prints one line per file: its name, whether its
//! type is a documented value, and the video's title (`-` without a video). Exits 1 at the
//! first file that does not deserialize.

mod event_types;

use event_types::{Event, EventType};
use std::{fs, process::ExitCode};

fn main() -> ExitCode {
    for path in std::env::args().skip(1) {
        let event = fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Event>(&text).map_err(|e| e.to_string()));
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let kind = match event.type_ {
            EventType::Variant0(_) => "documented",
            EventType::Variant1(_) => "other",
        };
        let title = event.data.and_then(|data| data.video).map(|video| video.title);
        println!("{path}\t{kind}\t{}", title.as_deref().unwrap_or("-"));
    }
    ExitCode::SUCCESS
}
