//! Following an endpoint: new events oldest first, unacked ones again, and a state file that
//! makes a restarted follower emit exactly what arrived meanwhile.

mod common;

use std::time::Duration;

use common::Mock;
use futures_util::StreamExt;
use omega_webhooks_client::{ErrorKind, FollowOptions};
use omega_webhooks_mock::GENERATED_ENDPOINT;

fn state_path(name: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("omega-follow-{name}-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn ids(events: &[omega_webhooks_client::Event]) -> Vec<String> {
    events.iter().map(|e| e.id.clone()).collect()
}

#[tokio::test]
async fn new_events_once_each_across_a_restart() {
    let mock = Mock::start(5).await;
    let client = mock.client().build().expect("client");
    let state = state_path("restart");
    let options = FollowOptions {
        interval: Duration::from_millis(10),
        since: None,
        state: Some(state.clone()),
    };
    let mut follower = client
        .follower(GENERATED_ENDPOINT, options.clone())
        .expect("follower");
    assert!(
        follower.poll().await.expect("baseline").is_empty(),
        "what exists is not new"
    );
    let first = mock.append_event().await;
    let second = mock.append_event().await;
    let polled = follower.poll().await.expect("poll");
    assert_eq!(
        ids(&polled),
        [first.clone(), second.clone()],
        "oldest first"
    );
    follower.ack(&first).expect("ack");
    // `second` was not acked (say its forward failed): it comes again.
    assert_eq!(
        ids(&follower.poll().await.expect("poll")),
        std::slice::from_ref(&second)
    );
    follower.ack(&second).expect("ack");
    drop(follower);

    let meanwhile = [mock.append_event().await, mock.append_event().await];
    let mut restarted = client
        .follower(GENERATED_ENDPOINT, options)
        .expect("from state");
    assert_eq!(
        ids(&restarted.poll().await.expect("poll")),
        meanwhile,
        "none lost, none twice"
    );
    for id in &meanwhile {
        restarted.ack(id).expect("ack");
    }
    assert!(restarted.poll().await.expect("poll").is_empty());

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
async fn since_backfills_and_the_stream_acks_as_it_goes() {
    let mock = Mock::start(10).await;
    let client = mock.client().build().expect("client");
    let options = FollowOptions {
        interval: Duration::from_millis(20),
        since: Some(1_700_000_000 + 37 * 7),
        state: None,
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
