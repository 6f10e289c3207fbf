//! What a host relies on: `close()` closes the pool at once, no option or header can overflow
//! the clock or slip past the retry rules, and timeouts say which timeout fired.

mod common;

use std::time::Duration;

use common::Mock;
use futures_util::future::join_all;
use omega_webhooks_client::{Error, ErrorKind, MAX_DURATION};
use omega_webhooks_mock::GENERATED_ENDPOINT;
use serde_json::json;
use tokio::time::Instant;

const ENDPOINT: &str = "6336cd2b5790c27875f70d96";

/// Polls `condition` every 20 ms for up to 5 s.
async fn eventually(mut condition: impl AsyncFnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if condition().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_closes_pooled_connections_now_and_refuses_later_calls() {
    let mock = Mock::start(50).await;
    let client = mock.client().build().expect("client");
    let clone = client.clone();
    let calls = (0..16).map(|_| client.list_events(GENERATED_ENDPOINT));
    for result in join_all(calls).await {
        result.expect("list");
    }
    let pooled = mock.open_connections().await;
    assert!(
        pooled >= 3,
        "16 concurrent calls left {pooled} open connections"
    );

    clone.close();
    assert!(client.is_closed() && clone.is_closed());
    // The admin client's own connection is the only one left.
    assert!(
        eventually(async || mock.open_connections().await <= 1).await,
        "{} connections still open after close()",
        mock.open_connections().await
    );
    for result in [
        client.list_events(ENDPOINT).await.map(|_| ()),
        clone
            .get_event(ENDPOINT, "63377e715790c27875f70dbd")
            .await
            .map(|_| ()),
    ] {
        let error = result.expect_err("closed");
        assert_eq!(error.kind(), ErrorKind::Configuration);
        assert_eq!(error.to_string(), "the client is closed");
    }
}

#[tokio::test]
async fn a_retry_after_too_large_for_a_duration_ends_the_call() {
    let mock = Mock::start(0).await;
    let client = mock.client().build().expect("client");
    for headers in [
        json!({ "retry-after": "99999999999999999999" }),
        json!({ "retry-after": "1e20" }),
        json!({ "retry-after-ms": "1e30" }),
        json!({ "retry-after-ms": "-1", "retry-after": "3600" }),
        json!({ "retry-after-ms": "inf", "retry-after": "3600" }),
    ] {
        mock.reset().await;
        mock.script(&json!([{ "status": 503, "headers": headers }, { "status": 503 }]))
            .await;
        let started = Instant::now();
        let error = client.list_events(ENDPOINT).await.expect_err("503");
        assert_eq!(error.kind(), ErrorKind::InternalServer, "{headers}");
        assert_eq!(error.attempts(), 1, "{headers}: must not retry");
        assert!(error.retry_after().expect("kept") > Duration::from_secs(60));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(mock.requests().await.len(), 1, "{headers}");
    }
}

#[tokio::test]
async fn the_longest_options_still_make_calls() {
    let mock = Mock::start(0).await;
    let client = mock
        .client()
        .timeout(MAX_DURATION)
        .connect_timeout(MAX_DURATION)
        .max_retries(u32::MAX)
        .build()
        .expect("a year is allowed");
    assert_eq!(client.list_events(ENDPOINT).await.expect("list").len(), 2);
    let error = mock
        .client()
        .timeout(MAX_DURATION + Duration::from_nanos(1))
        .build()
        .expect_err("over a year");
    assert!(matches!(error, Error::Configuration { .. }), "{error}");
}

#[tokio::test]
async fn a_connect_timeout_names_the_connect_timeout() {
    // A listener whose accept queue is full: the kernel drops further SYNs, so connecting
    // hangs until the connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let addr = socket.local_addr().expect("addr");
    let _listener = socket.listen(0).expect("listen");
    let mut fillers = Vec::new();
    loop {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(stream) => fillers.push(stream.expect("queued")),
            Err(_full) => break,
        }
        assert!(fillers.len() < 64, "the accept queue never filled");
    }
    let client = omega_webhooks_client::Client::builder()
        .api_key("k")
        .base_url(format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client.list_events(ENDPOINT).await.expect_err("times out");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.to_string(), "connecting timed out after 300ms");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
