//! Client behaviour beyond the shared conformance cases: load and connection reuse, the total
//! deadline, the User-Agent, the JSON-text calls, and property tests of ids and response
//! bodies.

mod common;

use std::{
    collections::HashSet,
    sync::{Mutex, OnceLock},
    time::Duration,
};

use common::Mock;
use futures_util::{stream, StreamExt};
use omega_webhooks_client::{validate_id, ErrorKind};
use omega_webhooks_mock::GENERATED_ENDPOINT;
use proptest::prelude::*;
use serde_json::json;
use tokio::time::Instant;

#[tokio::test]
async fn the_json_calls_write_what_the_models_serialize_to() {
    let mock = Mock::start(300).await;
    let client = mock.client().build().expect("client");
    let events = client.list_events(GENERATED_ENDPOINT).await.expect("list");
    let text = client
        .list_events_json(GENERATED_ENDPOINT)
        .await
        .expect("list as JSON");
    assert_eq!(text, serde_json::to_string(&events).expect("json"));
    for listed in events.iter().step_by(30) {
        let event = client
            .get_event(GENERATED_ENDPOINT, &listed.id)
            .await
            .expect("get");
        assert!(event.data.is_some(), "the details carry the video");
        let text = client
            .get_event_json(GENERATED_ENDPOINT, &listed.id)
            .await
            .expect("get as JSON");
        assert_eq!(text, serde_json::to_string(&event).expect("json"));
    }
    let missing = client
        .get_event_json(GENERATED_ENDPOINT, "6336cd2b5790c27875f70000")
        .await;
    assert_eq!(missing.expect_err("unknown id").kind(), ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_calls_at_concurrency_64_reuse_connections() {
    const CALLS: usize = 2_000;
    const CONCURRENCY: usize = 64;
    let mock = Mock::start(CALLS).await;
    let client = mock.client().build().expect("client");
    let ids = Mock::listed_ids(&client, GENERATED_ENDPOINT).await;
    assert_eq!(ids.len(), CALLS);
    let results: Vec<_> = stream::iter(ids.iter().cloned())
        .map(|id| {
            let client = client.clone();
            async move { (client.get_event(GENERATED_ENDPOINT, &id).await, id) }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (result, id) in &results {
        let event = result.as_ref().unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(&event.id, id);
        assert!(
            event.data.as_ref().and_then(|d| d.video.as_ref()).is_some(),
            "{id} has its video"
        );
    }
    let requests = mock.requests().await;
    assert_eq!(requests.len(), CALLS + 1);
    let connections: HashSet<u64> = requests.iter().map(|r| r.connection).collect();
    println!(
        "{CALLS} calls at concurrency {CONCURRENCY}: {} TCP connections",
        connections.len()
    );
    // Without reuse this would be ~2,000; with it, the concurrency plus the few connections a
    // loaded machine opens when a request is issued just before another one's connection
    // returns to the pool (64–72 seen here).
    assert!(
        connections.len() <= 2 * CONCURRENCY,
        "{} TCP connections for {CALLS} calls at concurrency {CONCURRENCY}: the pool is not reused",
        connections.len()
    );
}

#[tokio::test]
async fn the_total_deadline_bounds_a_hanging_call() {
    let mock = Mock::start(0).await;
    mock.script(&json!([{ "action": "hang" }])).await;
    let client = mock
        .client()
        .timeout(Duration::from_secs(20))
        .total_timeout(Duration::from_millis(400))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .list_events("6336cd2b5790c27875f70d96")
        .await
        .expect_err("times out");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn no_retry_is_started_that_would_end_past_the_deadline() {
    let mock = Mock::start(0).await;
    mock.script(&json!([{ "status": 503 }, { "status": 503 }]))
        .await;
    let client = mock
        .client()
        .retry_delays(Duration::from_secs(5), Duration::from_secs(8))
        .total_timeout(Duration::from_secs(1))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .list_events("6336cd2b5790c27875f70d96")
        .await
        .expect_err("gives up");
    assert_eq!(error.kind(), ErrorKind::InternalServer);
    assert_eq!(error.attempts(), 1);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn user_agent_and_headers() {
    let mock = Mock::start(0).await;
    let client = mock.client().build().expect("client");
    client
        .list_events("6336cd2b5790c27875f70d96")
        .await
        .expect("list");
    let request = mock.requests().await.remove(0);
    let ua = &request.headers["user-agent"];
    assert!(
        ua.starts_with(&format!(
            "omega-webhooks/{} (rust; ",
            env!("CARGO_PKG_VERSION")
        )),
        "{ua}"
    );
    let custom = mock
        .client()
        .runtime("python", "3.11.7")
        .build()
        .expect("client");
    mock.reset().await;
    custom
        .list_events("6336cd2b5790c27875f70d96")
        .await
        .expect("list");
    let ua = mock.requests().await.remove(0).headers["user-agent"].clone();
    assert_eq!(
        ua,
        format!(
            "omega-webhooks/{} (python; 3.11.7)",
            env!("CARGO_PKG_VERSION")
        )
    );
}

/// One mock and runtime for the property tests (proptest cases are synchronous).
fn shared() -> &'static (tokio::runtime::Runtime, Mock) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, Mock)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let mock = runtime.block_on(Mock::start(0));
        (runtime, mock)
    })
}

/// Property tests share one mock, so they must not interleave.
static PROPERTY_LOCK: Mutex<()> = Mutex::new(());

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any id is either refused before I/O, or requested at exactly the contract's path.
    #[test]
    fn ids_are_refused_or_requested_verbatim(id in prop_oneof![
        "[A-Za-z0-9._~-]{1,40}",
        any::<String>(),
        "[a-z./%?#\\\\ \r\n-]{0,8}",
    ]) {
        let _lock = PROPERTY_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let (runtime, mock) = shared();
        runtime.block_on(async {
            mock.reset().await;
            let client = mock.client().max_retries(0).build().expect("client");
            let result = client.get_event("6336cd2b5790c27875f70d96", &id).await;
            let requests = mock.requests().await;
            if validate_id("event id", &id).is_err() {
                prop_assert!(result.is_err_and(|e| e.kind() == ErrorKind::Configuration));
                prop_assert_eq!(requests.len(), 0);
            } else {
                prop_assert_eq!(requests.len(), 1);
                prop_assert_eq!(&requests[0].path, &format!("/client/webhooks/6336cd2b5790c27875f70d96/events/{id}"));
                prop_assert_eq!(&requests[0].query, &None);
            }
            Ok(())
        })?;
    }

    /// Any 200 body is a result or a typed error, never a panic.
    #[test]
    fn arbitrary_bodies_never_panic(body in prop_oneof![
        any::<String>(),
        Just("[{\"id\":1}]".to_owned()),
        Just("[".repeat(500)),
        Just("{}".to_owned()),
        "\\[\\{\"id\":\"[a-z]{0,3}\",\"coid\":\"c\",\"api_version\":\"v1\",\"created\":[0-9]{1,3},\"type\":\"[a-z.]{0,12}\",\"endpoint_id\":\"e\"\\}\\]",
    ]) {
        let _lock = PROPERTY_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let (runtime, mock) = shared();
        runtime.block_on(async {
            mock.reset().await;
            let answer = json!({ "status": 200, "body": body });
            mock.script(&json!([answer, answer])).await;
            let client = mock.client().max_retries(0).build().expect("client");
            let models = client.list_events("6336cd2b5790c27875f70d96").await;
            // The JSON text of the same body: the models' JSON, or the same error.
            let text = client.list_events_json("6336cd2b5790c27875f70d96").await;
            match (models, text) {
                (Ok(events), Ok(text)) => {
                    prop_assert_eq!(serde_json::to_string(&events).expect("json"), text);
                }
                (Err(e), Err(again)) => {
                    prop_assert_eq!(e.kind(), ErrorKind::ResponseValidation, "{}", e);
                    prop_assert_eq!(e.to_string(), again.to_string());
                }
                (models, text) => prop_assert!(false, "{:?} but {:?}", models.err(), text.err()),
            }
            Ok(())
        })?;
    }
}
