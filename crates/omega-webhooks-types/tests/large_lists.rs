//! Lists large enough to be decoded in parts on several threads, or while they arrive
//! (`ListDecoder`, fed chunks of several sizes): the same events, the same normalized text and
//! the same errors as decoding them whole (`parse`, which never splits).

use std::{fs, path::Path};

use omega_webhooks_types::{normalize_events, parse, parse_events, Event, ListDecoder};
use serde_json::Value;

/// Every event fixture, compact (as the API sends lists).
fn fixture_events() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/events/wire");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .expect("fixtures")
        .map(|entry| entry.expect("entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let value: Value =
                serde_json::from_slice(&fs::read(path).expect("read")).expect("JSON");
            value.to_string()
        })
        .collect()
}

/// Events whose text holds `},{` inside a string and inside an unknown field's list of
/// objects: places a cut can fall that are not between two events.
fn tricky_events() -> Vec<String> {
    let base = r#"{"id":"650000000000000000000009","coid":"c","api_version":"v1","created":1700000000,"type":"video.ready","endpoint_id":"650000000000000000000001""#;
    vec![
        format!(r#"{base},"note":"a }},{{ b"}}"#),
        format!(r#"{base},"note":"}},{{\"}},{{"}}"#),
        format!(r#"{base},"later":[{{"a":1}},{{"b":[{{"c":2}},{{}}]}}]}}"#),
        format!(
            r#"{base},"data":{{"video":{{"id":"v","created_at":"2023-11-14T22:13:20Z","updated_at":"2023-11-14T22:13:20Z","title":"x}},{{y","uuid":"u","coid":"c","status":"ready","ready_to_stream":true}}}}}}"#
        ),
    ]
}

/// A list of `events` repeated until it is at least `bytes` long.
fn list_of(events: &[String], bytes: usize) -> String {
    let mut list = String::from("[");
    while list.len() < bytes {
        for event in events {
            if list.len() > 1 {
                list.push(',');
            }
            list.push_str(event);
        }
    }
    list.push(']');
    list
}

/// The result of `decoder` fed `body` in chunks of `chunk` bytes (the body so far each time).
fn arriving<T: Send + Sync>(
    mut decoder: ListDecoder<T>,
    body: &[u8],
    chunk: usize,
) -> Result<T, omega_webhooks_types::ParseError> {
    let mut end = 0;
    while end < body.len() {
        end = (end + chunk).min(body.len());
        decoder.advance(&body[..end]);
    }
    decoder.finish(body)
}

/// Both calls, and both decoders fed the list as it would arrive, give what decoding the list
/// whole gives.
fn assert_as_whole(list: &str) {
    let whole = parse::<Vec<Event>>(list.as_bytes());
    let models = parse_events(list.as_bytes());
    assert_eq!(models, whole);
    let normalized = normalize_events(list.as_bytes());
    // Chunks smaller and larger than a run, one not dividing the other, and the whole body.
    for chunk in [1_000, 16 * 1024 + 7, 300_001, list.len()] {
        let bytes = list.as_bytes();
        assert_eq!(
            arriving(ListDecoder::events(), bytes, chunk),
            whole,
            "chunks of {chunk}"
        );
        assert_eq!(
            arriving(ListDecoder::normalized_events(), bytes, chunk),
            normalized,
            "chunks of {chunk}"
        );
    }
    match whole {
        Ok(events) => {
            assert_eq!(
                normalized.expect("valid"),
                serde_json::to_string(&events).expect("json")
            );
        }
        Err(error) => assert_eq!(normalized.expect_err("invalid"), error),
    }
}

#[test]
fn large_lists_decode_as_they_do_whole() {
    let events = fixture_events();
    assert!(events.len() > 10);
    let list = list_of(&events, 3 << 20);
    assert_as_whole(&list);
    let count = parse_events(list.as_bytes()).expect("valid").len();
    assert_eq!(count % events.len(), 0);
    assert!(count > events.len() * 100, "{count} events");
}

#[test]
fn cuts_inside_strings_or_nested_lists_change_nothing() {
    let mut events = fixture_events();
    events.extend(tricky_events());
    assert_as_whole(&list_of(&events, 3 << 20));
    // Nothing but tricky events: most cuts fall inside one.
    assert_as_whole(&list_of(&tricky_events(), 2 << 20));
    // Pretty-printed: no place to cut.
    let pretty: Vec<Event> = parse_events(list_of(&events, 1 << 20).as_bytes()).expect("valid");
    assert_as_whole(&serde_json::to_string_pretty(&pretty).expect("json"));
}

#[test]
fn errors_keep_their_index_in_the_whole_list() {
    let events = fixture_events();
    let list = list_of(&events, 3 << 20);
    let count = parse_events(list.as_bytes()).expect("valid").len();
    for at in [0, count / 3, count - 1] {
        let mut items: Vec<Value> = serde_json::from_str(&list).expect("JSON");
        items[at]["created"] = Value::from("yesterday");
        let broken = Value::from(items).to_string();
        let error = parse_events(broken.as_bytes()).expect_err("refused");
        assert_eq!(error.path(), format!("[{at}].created"));
        assert_as_whole(&broken);
    }
    // Cut short, or followed by something else.
    assert_as_whole(&list[..list.len() - 1]);
    assert_as_whole(&format!("{list}]"));
}
