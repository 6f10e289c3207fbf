//! Property tests: no input makes the parsers panic.

use omega_webhooks_types::{parse_event, parse_events};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Arbitrary JSON values, nested a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("video"),
            Just("id"),
            Just("0001-01-01T00:00:00Z"),
            Just("video.uploaded"),
            Just("process-failed"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Field names that hit the models' known fields often, and others sometimes.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "created_at",
            "coid",
            "ocid",
            "api_version",
            "created",
            "type",
            "endpoint_id",
            "data",
            "response",
            "video",
            "status",
            "size",
            "playback",
            "input",
            "storage",
            "meta",
            "source",
            "width",
            "status_code",
            "ready_to_stream",
            "updated_at",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ]
}

/// A valid details-call event, with one field replaced by an arbitrary value.
fn mutated_event() -> impl Strategy<Value = Value> {
    (field_name(), json_value(), any::<bool>()).prop_map(|(field, value, in_video)| {
        let mut event = json!({
            "id": "e", "created_at": "2022-10-01T00:00:00Z", "coid": "c", "api_version": "v1",
            "created": 1, "type": "video.process_succeeded", "endpoint_id": "ep",
            "data": {"video": {
                "id": "v", "created_at": "2022-09-15T10:08:22.972Z",
                "updated_at": "2022-09-15T10:14:07.324Z", "title": "t", "uuid": "u", "coid": "c",
                "status": "process-completed", "ready_to_stream": true, "meta": {}
            }},
            "response": {"status_code": 200, "status": "200 OK", "body": "", "message": "m"}
        });
        let target = if in_video {
            &mut event["data"]["video"]
        } else {
            &mut event
        };
        target[field] = value;
        event
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_event(&bytes);
        let _ = parse_events(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        let bytes = serde_json::to_vec(&value).expect("serializes");
        let _ = parse_event(&bytes);
        let _ = parse_events(&bytes);
        let list = serde_json::to_vec(&Value::Array(vec![value])).expect("serializes");
        let _ = parse_events(&list);
    }

    #[test]
    fn mutated_events_parse_or_fail_cleanly_and_round_trip(event in mutated_event()) {
        let bytes = serde_json::to_vec(&event).expect("serializes");
        if let Ok(parsed) = parse_event(&bytes) {
            let again = parse_event(&serde_json::to_vec(&parsed).expect("ser")).expect("re-parse");
            prop_assert_eq!(again, parsed);
        }
    }
}
