//! Delivery operations against the mock: many details at once, failed deliveries, replay.

mod common;

use std::collections::HashSet;

use common::Mock;
use omega_webhooks_client::{
    Concurrency, Delivery, ErrorKind, EventFilter, EventType, REPLAY_HEADER,
};
use omega_webhooks_mock::{ReceivedDelivery, DEFAULT_API_KEY, GENERATED_ENDPOINT};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_events_keeps_input_order_and_one_404_loses_nothing() {
    let mock = Mock::start(30).await;
    let client = mock.client().build().expect("client");
    let mut ids = Mock::listed_ids(&client, GENERATED_ENDPOINT).await;
    ids.insert(7, "650000000000000000ffffff".to_owned());
    let results = client
        .get_events(GENERATED_ENDPOINT, &ids, Concurrency::DEFAULT)
        .await;
    assert_eq!(results.len(), ids.len());
    for (id, result) in ids.iter().zip(&results) {
        match result {
            Ok(event) => assert_eq!(&event.id, id),
            Err(e) => {
                assert_eq!(id, "650000000000000000ffffff");
                assert_eq!(e.kind(), ErrorKind::NotFound);
            }
        }
    }
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_of_2000_events_are_exactly_the_failed_ones_even_in_a_429_storm() {
    let mock = Mock::start(2_000).await;
    let client = mock.client().max_retries(1).build().expect("client");
    let ids = Mock::listed_ids(&client, GENERATED_ENDPOINT).await;
    let expected: HashSet<String> = client
        .get_events(GENERATED_ENDPOINT, &ids, Concurrency::new(16).expect("16"))
        .await
        .into_iter()
        .map(|r| r.expect("details"))
        .filter(|e| e.delivery() != Delivery::Delivered)
        .map(|e| e.id)
        .collect();
    assert!(
        expected.len() > 300 && expected.len() < 1_000,
        "{}",
        expected.len()
    );

    // A storm once the list is read: 60 answers of 429 in a row, far more than the calls' own
    // retries absorb.
    let storm: Vec<_> = std::iter::once(json!({}))
        .chain((0..60).map(|_| json!({ "status": 429, "headers": { "retry-after-ms": "20" } })))
        .collect();
    mock.reset().await;
    mock.script(&json!(storm)).await;
    let mut ticks = 0;
    let report = client
        .failed_deliveries(
            GENERATED_ENDPOINT,
            &EventFilter::default(),
            Concurrency::DEFAULT,
            |done, total| {
                ticks += 1;
                assert!(done <= total && total == 2_000);
            },
        )
        .await
        .expect("failures");
    assert_eq!(ticks, 2_000);
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    assert_eq!(report.checked, 2_000);
    let found: HashSet<String> = report.failed.iter().map(|e| e.id.clone()).collect();
    assert_eq!(found, expected);
    assert!(report
        .failed
        .iter()
        .any(|e| e.delivery() == Delivery::Unknown));
    assert!(mock.requests().await.len() > 2_060, "the storm was retried");

    let filter = EventFilter {
        types: vec![EventType::VideoDeleted],
        ..EventFilter::default()
    };
    let deleted = client
        .failed_deliveries(GENERATED_ENDPOINT, &filter, Concurrency::DEFAULT, |_, _| {})
        .await
        .expect("filtered");
    assert_eq!(deleted.checked, 200);
    assert!(deleted
        .failed
        .iter()
        .all(|e| e.event_type == EventType::VideoDeleted));
}

#[tokio::test]
async fn replay_posts_the_event_without_the_api_key() {
    let mock = Mock::start(5).await;
    let client = mock.client().build().expect("client");
    let event = client
        .get_event(GENERATED_ENDPOINT, "650000000000000000000002")
        .await
        .expect("event");
    let replayer = client
        .replayer(&format!("{}/__receiver/hooks?x=1", mock.url()), false)
        .expect("loopback receiver");
    let answer = replayer.send(&event).await.expect("answered");
    assert!(answer.is_success() && answer.body == "ok\n", "{answer:?}");
    let received: Vec<ReceivedDelivery> = mock.admin_get("received").await;
    let [delivery] = received.as_slice() else {
        panic!("{received:?}")
    };
    assert_eq!(delivery.path, "/__receiver/hooks");
    assert_eq!(delivery.headers[REPLAY_HEADER], event.id);
    assert_eq!(delivery.headers["content-type"], "application/json");
    assert!(delivery.headers["user-agent"].starts_with("omega-webhooks/"));
    assert!(!delivery.headers.contains_key("authorization"));
    assert!(!format!("{delivery:?}").contains(DEFAULT_API_KEY));
    let sent = omega_webhooks_client::parse_event(delivery.body.as_bytes()).expect("an event");
    assert_eq!(sent.id, event.id);
    assert!(sent.response.is_none() && sent.data == event.data);

    assert!(client.replayer("http://example.com/hooks", false).is_err());
    assert!(client.replayer("http://example.com/hooks", true).is_ok());
    let unreachable = client
        .replayer("http://127.0.0.1:9/hooks", false)
        .expect("url")
        .send(&event)
        .await
        .expect_err("nothing listens");
    assert_eq!(unreachable.kind(), ErrorKind::Connection);
}
