//! The shared fixtures (`fixtures/`): every valid one parses to its normalized twin and
//! round-trips; every invalid one fails at its expected path.

use std::{
    fs,
    path::{Path, PathBuf},
};

use omega_webhooks_types::{
    normalize_event, normalize_events, parse_event, parse_events, parse_events_into, Event,
};
use serde::Deserialize;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// `(name, wire bytes, normalized JSON)` for every fixture under `fixtures/<kind>/wire`.
fn valid(kind: &str) -> Vec<(String, Vec<u8>, Value)> {
    let wire_dir = fixtures().join(kind).join("wire");
    let mut cases: Vec<_> = fs::read_dir(&wire_dir)
        .expect("fixtures dir exists")
        .map(|entry| entry.expect("readable dir entry").path())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no fixtures in {}", wire_dir.display());
    cases
        .into_iter()
        .map(|wire| {
            let name = wire
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let normalized = fixtures().join(kind).join("normalized").join(&name);
            let normalized =
                fs::read(&normalized).unwrap_or_else(|_| panic!("{name} has no normalized twin"));
            let normalized = serde_json::from_slice(&normalized).expect("normalized is JSON");
            (name, fs::read(&wire).expect("readable fixture"), normalized)
        })
        .collect()
}

#[test]
fn every_event_fixture_parses_to_its_normalized_form_and_round_trips() {
    for (name, wire, normalized) in valid("events") {
        let event = parse_event(&wire).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = serde_json::to_value(&event).expect("serializes");
        similar_asserts::assert_eq!(out, normalized, "{name}: normalized JSON");
        similar_asserts::assert_eq!(
            normalize_event(&wire).unwrap_or_else(|e| panic!("{name}: {e}")),
            serde_json::to_string(&event).expect("serializes"),
            "{name}: normalize_event writes the models' JSON"
        );

        let bytes = serde_json::to_vec(&event).expect("serializes");
        let again = parse_event(&bytes).unwrap_or_else(|e| panic!("{name} re-parse: {e}"));
        assert_eq!(
            again, event,
            "{name}: parse -> serialize -> parse is identity"
        );

        let from_normalized = parse_event(&serde_json::to_vec(&normalized).expect("json"))
            .unwrap_or_else(|e| panic!("{name} normalized: {e}"));
        assert_eq!(
            from_normalized, event,
            "{name}: the normalized form parses to the same event"
        );
    }
}

#[test]
fn every_list_fixture_parses_to_its_normalized_form_and_round_trips() {
    for (name, wire, normalized) in valid("lists") {
        let events = parse_events(&wire).unwrap_or_else(|e| panic!("{name}: {e}"));
        similar_asserts::assert_eq!(
            serde_json::to_value(&events).expect("ser"),
            normalized,
            "{name}"
        );
        similar_asserts::assert_eq!(
            normalize_events(&wire).unwrap_or_else(|e| panic!("{name}: {e}")),
            serde_json::to_string(&events).expect("ser"),
            "{name}: normalize_events writes the models' JSON"
        );
        let again = parse_events(&serde_json::to_vec(&events).expect("ser")).expect("re-parse");
        assert_eq!(again, events, "{name}: round trip");
        let ids = parse_events_into(&wire, |e| e.id).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want: Vec<String> = events.into_iter().map(|e| e.id).collect();
        assert_eq!(ids, want, "{name}: parse_events_into keeps what it is told");
    }
}

#[test]
fn quirks_are_normalized_and_unknowns_kept() {
    let load = |name: &str| -> Event {
        let bytes = fs::read(fixtures().join("events/wire").join(name)).expect("fixture");
        parse_event(&bytes).expect("parses")
    };
    let ocid = load("ocid.json");
    assert_eq!(ocid.coid, "omega-cop-KoNef9DB5i");
    assert!(ocid.created_at.as_ref().is_some_and(|t| t.is_zero()));
    assert!(ocid.data.is_none() && ocid.response.is_none());

    let bare = load("data-bare-video.json");
    let wrapped = load("details-example.json");
    assert_eq!(
        bare.data, wrapped.data,
        "a bare video is normalized to {{\"video\": ...}}"
    );

    let empty = load("data-empty.json");
    assert_eq!(empty.data.as_ref().map(|d| d.video.is_none()), Some(true));

    let unknown = load("unknown-event-type.json");
    assert_eq!(unknown.event_type.as_str(), "video.transcribed");
    assert!(!unknown.event_type.is_known());

    let big = load("size-over-2-32.json");
    assert_eq!(
        big.data.and_then(|d| d.video).and_then(|v| v.size),
        Some(5_368_709_120)
    );

    let failed = load("failed-video.json");
    let video = failed.data.and_then(|d| d.video).expect("video");
    assert_eq!(
        video.status,
        omega_webhooks_types::VideoStatus::ProcessFailed
    );
    assert!(video
        .meta
        .get("failure")
        .is_some_and(|f| f.contains("codec")));

    let extra = load("unknown-fields.json");
    assert_eq!(extra.extra["delivery_attempts"], 3);
    let data = extra.data.expect("data");
    assert_eq!(data.extra["trace"]["span"], "abc");
    let video = data.video.expect("video");
    assert_eq!(video.extra["chapters"][0]["title"], "Intro");
    assert_eq!(video.input.expect("input").extra["codec"], "h264");
    let storage = video.storage.expect("storage");
    assert_eq!(storage.extra["region"], "eu-west-1");
    assert_eq!(storage.source.expect("source").extra["etag"], "abc123");
    assert!(video.playback.expect("playback").extra.contains_key("vtt"));
    assert_eq!(
        extra.response.expect("response").extra["headers"]["content-type"],
        "text/plain"
    );

    let missing = load("missing-created-at.json");
    assert!(missing.created_at.is_none());
}

/// One entry of `fixtures/invalid/cases.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InvalidCase {
    file: String,
    parse: String,
    path: String,
    reason_contains: String,
    #[allow(dead_code, reason = "read by the schema checks, not here")]
    schema: String,
}

#[test]
fn every_invalid_fixture_fails_at_its_path() {
    let dir = fixtures().join("invalid");
    let cases: Vec<InvalidCase> =
        serde_json::from_slice(&fs::read(dir.join("cases.json")).expect("cases.json"))
            .expect("cases.json is well-formed");
    let mut on_disk: Vec<String> = fs::read_dir(&dir)
        .expect("invalid dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "cases.json")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = cases.iter().map(|c| c.file.clone()).collect();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "cases.json must list every invalid fixture exactly once"
    );

    for case in &cases {
        let bytes = fs::read(dir.join(&case.file)).expect("fixture");
        let (error, normalized) = match case.parse.as_str() {
            "event" => (parse_event(&bytes).map(drop), normalize_event(&bytes)),
            "list" => {
                let kept = parse_events_into(&bytes, drop).map(drop);
                assert_eq!(kept, parse_events(&bytes).map(drop), "{}: kept", case.file);
                (kept, normalize_events(&bytes))
            }
            other => panic!("{}: unknown parse kind {other:?}", case.file),
        };
        let error = error.expect_err(&case.file);
        assert_eq!(
            normalized.expect_err(&case.file),
            error,
            "{}: normalizing fails as parsing does",
            case.file
        );
        assert_eq!(error.path(), case.path, "{}: path ({error})", case.file);
        assert!(
            error.reason().contains(&case.reason_contains),
            "{}: reason {:?} should contain {:?}",
            case.file,
            error.reason(),
            case.reason_contains
        );
    }
}
