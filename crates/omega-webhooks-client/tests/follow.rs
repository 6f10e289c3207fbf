//! Following an endpoint: new events oldest first, unacked ones again, and a state file that
//! makes a restarted follower emit exactly what arrived meanwhile.

mod common;

use std::time::Duration;

use common::Mock;
use futures_util::StreamExt;
use omega_webhooks_client::{Concurrency, ErrorKind, FollowOptions, Follower};
use omega_webhooks_mock::GENERATED_ENDPOINT;

fn state_path(name: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("omega-follow-{name}-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// The id of the follower's next event.
async fn next_id(follower: &mut Follower) -> String {
    follower.next().await.expect("an event").id
}

/// Whether the follower has no new event within a few polls (the wait is then cancelled,
/// which loses nothing).
async fn nothing_new(follower: &mut Follower) -> bool {
    tokio::time::timeout(Duration::from_millis(200), follower.next())
        .await
        .is_err()
}

#[tokio::test]
async fn new_events_once_each_across_a_restart() {
    let mock = Mock::start(5).await;
    let client = mock.client().build().expect("client");
    let state = state_path("restart");
    let options = FollowOptions {
        interval: Duration::from_millis(10),
        state: Some(state.clone()),
        ..FollowOptions::default()
    };
    let mut follower = client
        .follower(GENERATED_ENDPOINT, options.clone())
        .expect("follower");
    assert!(nothing_new(&mut follower).await, "what exists is not new");
    let first = mock.append_event().await;
    let second = mock.append_event().await;
    let handed_out = [next_id(&mut follower).await, next_id(&mut follower).await];
    assert_eq!(handed_out, [first.clone(), second.clone()], "oldest first");
    // `second` was released (say its forward failed): it comes again, `first` does not.
    follower.release();
    assert_eq!(next_id(&mut follower).await, second);
    // Asking for the next event acks `second`; none is there (the wait is cancelled).
    assert!(nothing_new(&mut follower).await);
    drop(follower);

    let meanwhile = [mock.append_event().await, mock.append_event().await];
    let mut restarted = client
        .follower(GENERATED_ENDPOINT, options)
        .expect("from state");
    let handed_out = [next_id(&mut restarted).await, next_id(&mut restarted).await];
    assert_eq!(handed_out, meanwhile, "none lost, none twice");
    assert!(nothing_new(&mut restarted).await);

    let other = client.follower(
        "6336cd2b5790c27875f70d96",
        FollowOptions {
            state: Some(state.clone()),
            ..FollowOptions::default()
        },
    );
    assert_eq!(
        other.expect_err("another endpoint's state").kind(),
        ErrorKind::Configuration
    );
    let _ = std::fs::remove_file(state);
}

#[tokio::test]
async fn since_backfills_and_the_stream_hands_out_new_events() {
    let mock = Mock::start(10).await;
    let client = mock.client().build().expect("client");
    let options = FollowOptions {
        interval: Duration::from_millis(20),
        since: Some(omega_webhooks_mock::FIRST_CREATED + omega_webhooks_mock::EVENT_SPACING * 7),
        ..FollowOptions::default()
    };
    let stream = client
        .follower(GENERATED_ENDPOINT, options)
        .expect("follower")
        .into_stream();
    let mut stream = std::pin::pin!(stream);
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(stream.next().await.expect("an item").expect("an event").id);
    }
    assert_eq!(
        seen,
        [
            "650000000000000000000007",
            "650000000000000000000008",
            "650000000000000000000009"
        ]
    );
    let appended = mock.append_event().await;
    let next = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("in time");
    assert_eq!(next.expect("an item").expect("an event").id, appended);
}

#[tokio::test]
async fn an_unknown_endpoint_ends_the_stream_with_its_error() {
    let mock = Mock::start(0).await;
    let client = mock.client().build().expect("client");
    let stream = client
        .follower("650000000000000000000999", FollowOptions::default())
        .expect("follower")
        .into_stream();
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().expect_err("404").kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn next_acks_an_event_when_the_next_is_asked_for_and_is_cancel_safe() {
    let mock = Mock::start(3).await;
    let client = mock.client().build().expect("client");
    let state = state_path("next");
    let options = FollowOptions {
        interval: Duration::from_millis(20),
        state: Some(state.clone()),
        ..FollowOptions::default()
    };
    let mut follower = client
        .follower(GENERATED_ENDPOINT, options.clone())
        .expect("follower");
    // Cancelled while waiting for the first new event: nothing is lost.
    let waited = tokio::time::timeout(Duration::from_millis(100), follower.next()).await;
    assert!(waited.is_err(), "no new event yet");
    let first = mock.append_event().await;
    let second = mock.append_event().await;
    assert_eq!(follower.next().await.expect("first").id, first);
    // `first` is handed out but not acked: a follower that stops now gets it again.
    drop(follower);
    let mut restarted = client
        .follower(GENERATED_ENDPOINT, options.clone())
        .expect("restarted");
    assert_eq!(restarted.next().await.expect("again").id, first);
    assert_eq!(restarted.next().await.expect("second").id, second);
    // Asking for a third acks `second`; cancel that wait midway.
    let waited = tokio::time::timeout(Duration::from_millis(100), restarted.next()).await;
    assert!(waited.is_err(), "no third event");
    drop(restarted);
    let text = std::fs::read_to_string(&state).expect("state file");
    let saved: serde_json::Value = serde_json::from_str(&text).expect("valid JSON after cancel");
    let seen = saved["seen"].as_array().expect("seen ids");
    assert_eq!(
        seen.len(),
        5,
        "3 at the baseline, then first and second: {text}"
    );
    let _ = std::fs::remove_file(state);
}

#[tokio::test]
async fn types_and_delivered_pick_which_events_are_handed_out() {
    let mock = Mock::start(40).await;
    let client = mock.client().build().expect("client");
    let all = client.list_events(GENERATED_ENDPOINT).await.expect("list");
    let wanted = all[5].event_type.clone();
    let since = all[5].created;
    let expected: Vec<String> = all
        .iter()
        .filter(|e| e.created >= since && e.event_type == wanted)
        .map(|e| e.id.clone())
        .collect();
    let mut follower = client
        .follower(
            GENERATED_ENDPOINT,
            FollowOptions {
                interval: Duration::from_millis(10),
                since: Some(since),
                types: vec![wanted.clone()],
                timeout: Some(Duration::from_secs(2)),
                ..FollowOptions::default()
            },
        )
        .expect("follower");
    for id in &expected {
        let event = follower.next().await.expect("an event of the type");
        assert_eq!((&event.id, &event.event_type), (id, &wanted));
    }

    let details = client
        .get_events(
            GENERATED_ENDPOINT,
            &all.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
            Concurrency::DEFAULT,
        )
        .await;
    let first_delivered = details
        .iter()
        .map(|d| d.as_ref().expect("details"))
        .find(|d| d.created >= since && d.delivery() == omega_webhooks_client::Delivery::Delivered)
        .expect("a delivered event");
    let mut delivered = client
        .follower(
            GENERATED_ENDPOINT,
            FollowOptions {
                since: Some(since),
                delivered: true,
                ..FollowOptions::default()
            },
        )
        .expect("follower");
    let event = delivered.next().await.expect("delivered event");
    assert_eq!(event.id, first_delivered.id);
    assert!(event.response.is_some(), "handed out in full");
}

#[tokio::test]
async fn waiting_times_out_with_a_timeout_error() {
    let mock = Mock::start(3).await;
    let client = mock.client().build().expect("client");
    let mut options = FollowOptions::waiting(None, Duration::from_millis(300));
    options.interval = Duration::from_millis(20);
    let mut waiter = client
        .follower(GENERATED_ENDPOINT, options)
        .expect("waiter");
    let started = std::time::Instant::now();
    let error = waiter.next().await.expect_err("nothing new");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.to_string().contains("no matching event"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(3));

    // An event appended while waiting (after its first poll) is found.
    let before = mock.requests().await.len();
    let mut options = FollowOptions::waiting(None, Duration::from_secs(5));
    options.interval = Duration::from_millis(20);
    let mut waiter = client
        .follower(GENERATED_ENDPOINT, options)
        .expect("waiter");
    let found = tokio::spawn(async move { waiter.next().await });
    while mock.requests().await.len() == before {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let appended = mock.append_event().await;
    let event = found.await.expect("joined").expect("found");
    assert_eq!(event.id, appended);
}
