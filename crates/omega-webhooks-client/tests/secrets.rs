//! The API key never appears in logs (at TRACE, HTTP libraries included), `Debug` output or
//! error messages. Its own test binary: it installs the global `tracing` subscriber, which
//! must see every callsite from the start.

mod common;

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use common::Mock;
use omega_webhooks_client::Client;
use serde_json::json;

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_key_never_appears_in_logs_debug_or_errors() {
    const KEY: &str = "sk_live_d0n0tl3akm3";
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("the only subscriber of this binary");

    let mock = Mock::start(0).await;
    mock.script(&json!([{ "status": 503 }, { "action": "reset" }]))
        .await;
    let client = mock.client().api_key(KEY).build().expect("client");
    let mut texts = vec![format!("{client:?}")];
    for error in [
        client
            .list_events("6336cd2b5790c27875f70d96")
            .await
            .expect_err("401 after retries"),
        client
            .get_event("6336cd2b5790c27875f70d96", "a/b")
            .await
            .expect_err("bad id"),
        Client::builder()
            .api_key(format!("{KEY}\n"))
            .build()
            .expect_err("bad key"),
        Client::builder()
            .api_key(KEY)
            .base_url("http://example.com")
            .build()
            .expect_err("http"),
    ] {
        texts.push(format!("{error} {error:?}"));
    }
    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("attempt failed"),
        "attempts are logged: {logs}"
    );
    texts.push(logs);
    for text in texts {
        assert!(
            !text.contains(KEY) && !text.contains("d0n0tl3ak"),
            "the key leaked: {text}"
        );
    }
}
