//! Lists decoded while they arrive (`ListDecoder` in the client): sent slowly in pieces
//! (`MockConfig::rate`), plain or gzip, a list gives the same events, the same normalized JSON
//! and the same error paths as sent at full speed — also when handed on in pieces
//! (`list_events_json_in_pieces`), across a retry.

mod common;

use common::Mock;
use std::sync::Mutex;

use omega_webhooks_client::{Error, ErrorKind, Finished, ListPiece};
use omega_webhooks_mock::{MockConfig, DEFAULT_API_KEY, GENERATED_ENDPOINT};
use serde_json::{json, Value};

const EVENTS: usize = 8_000;

/// A mock sending at 40 MB/s (a 2 MB list in ~50 ms, in 64 KiB pieces).
async fn slow_mock(compress: &[&str]) -> Mock {
    Mock::start_with(MockConfig {
        events: EVENTS,
        rate: Some(40_000_000),
        compress: compress.iter().map(|e| (*e).to_owned()).collect(),
        ..MockConfig::default()
    })
    .await
}

#[tokio::test]
async fn a_list_sent_slowly_decodes_as_one_sent_at_once() {
    let fast = Mock::start(EVENTS).await;
    let fast = fast.client().build().expect("client");
    let events = fast.list_events(GENERATED_ENDPOINT).await.expect("fast");
    let json = fast
        .list_events_json(GENERATED_ENDPOINT)
        .await
        .expect("fast json");
    assert_eq!(events.len(), EVENTS);
    for compress in [&[][..], &["gzip"][..]] {
        let mock = slow_mock(compress).await;
        let slow = mock.client().build().expect("client");
        let slow_events = slow.list_events(GENERATED_ENDPOINT).await.expect("slow");
        assert!(slow_events == events, "{compress:?}: other events");
        let slow_json = slow.list_events_json(GENERATED_ENDPOINT).await;
        assert_eq!(slow_json.expect("slow json"), json, "{compress:?}");
    }
}

#[tokio::test]
async fn an_invalid_event_deep_in_a_slow_list_keeps_its_index() {
    let fast = Mock::start(EVENTS).await;
    let raw = reqwest::Client::new()
        .get(format!(
            "{}/client/webhooks/{GENERATED_ENDPOINT}",
            fast.url()
        ))
        .bearer_auth(DEFAULT_API_KEY)
        .send()
        .await
        .expect("answer")
        .bytes()
        .await
        .expect("body");
    let mut list: Value = serde_json::from_slice(&raw).expect("a list");
    let at = EVENTS * 3 / 4;
    list[at]["created"] = json!("yesterday");
    let mock = slow_mock(&[]).await;
    let client = mock.client().build().expect("client");
    for json_text in [false, true] {
        mock.script(&json!([{ "status": 200, "body": list }])).await;
        let error: Error = if json_text {
            client.list_events_json(GENERATED_ENDPOINT).await.map(drop)
        } else {
            client.list_events(GENERATED_ENDPOINT).await.map(drop)
        }
        .expect_err("refused");
        assert_eq!(error.kind(), ErrorKind::ResponseValidation, "{error}");
        assert!(
            error.to_string().contains(&format!("[{at}].created")),
            "{error}"
        );
    }
}

/// The events of a list call in pieces, put together as the Node binding does: the pieces
/// after the last attempt started, then the rest.
fn put_together(pieces: &[ListPiece], rest: Finished<String>) -> Vec<Value> {
    let list = |json: &str| serde_json::from_str::<Vec<Value>>(json).expect("a JSON list");
    let Finished::Rest(rest) = rest else {
        panic!("decoded whole");
    };
    let last = pieces
        .iter()
        .rposition(|piece| *piece == ListPiece::Attempt)
        .expect("an attempt");
    let mut events: Vec<Value> = pieces[last + 1..]
        .iter()
        .flat_map(|piece| match piece {
            ListPiece::Events(json) => list(json),
            ListPiece::Attempt => unreachable!("after the last attempt"),
        })
        .collect();
    events.extend(list(&rest));
    events
}

#[tokio::test]
async fn a_list_in_pieces_is_the_list_also_across_a_retry() {
    let fast = Mock::start(EVENTS).await;
    let json = fast
        .client()
        .build()
        .expect("client")
        .list_events_json(GENERATED_ENDPOINT)
        .await
        .expect("fast json");
    let whole: Vec<Value> = serde_json::from_str(&json).expect("a list");
    let mock = slow_mock(&[]).await;
    let client = mock.client().build().expect("client");
    for truncated in [false, true] {
        // A truncated first answer: half the list (in pieces), then the connection fails.
        let steps = if truncated {
            json!([{ "action": "truncate" }])
        } else {
            json!([])
        };
        mock.script(&steps).await;
        let pieces = Mutex::new(Vec::new());
        let sink = |piece| pieces.lock().expect("pieces").push(piece);
        let rest = client
            .list_events_json_in_pieces(GENERATED_ENDPOINT, &sink)
            .await
            .expect("a list");
        let pieces = pieces.into_inner().expect("pieces");
        let attempts: Vec<usize> = (0..pieces.len())
            .filter(|&i| pieces[i] == ListPiece::Attempt)
            .collect();
        assert_eq!(attempts.len(), if truncated { 2 } else { 1 }, "{truncated}");
        assert_eq!(attempts[0], 0, "an attempt comes first");
        let runs = |from: usize, to: usize| {
            pieces[from..to]
                .iter()
                .filter(|p| **p != ListPiece::Attempt)
                .count()
        };
        assert!(
            runs(attempts[attempts.len() - 1], pieces.len()) > 3,
            "pieces of the last attempt"
        );
        if truncated {
            assert!(runs(0, attempts[1]) > 0, "pieces of the truncated attempt");
        }
        assert!(
            put_together(&pieces, rest) == whole,
            "{truncated}: other events"
        );
    }
}
