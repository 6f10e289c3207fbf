//! The mock server over real HTTP: data, auth, prefixes, the admin API and each scripted fault.

use std::time::{Duration, Instant};

use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY, GENERATED_ENDPOINT};
use serde_json::{json, Value};

const LIST: &str = "/client/webhooks/6336cd2b5790c27875f70d96";

async fn start(events: usize) -> (MockServer, reqwest::Client) {
    let server = MockServer::start(MockConfig {
        events,
        ..MockConfig::default()
    })
    .await
    .expect("starts");
    (server, reqwest::Client::new())
}

async fn get(http: &reqwest::Client, url: String, key: Option<&str>) -> (u16, Value) {
    let mut request = http.get(url);
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    let response = request.send().await.expect("answer");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A client that decodes no `Content-Encoding`: it sees the bytes on the wire.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_zstd()
        .build()
        .expect("raw client")
}

async fn admin(
    http: &reqwest::Client,
    server: &MockServer,
    path: &str,
    body: Option<Value>,
) -> Value {
    let url = format!("{}{path}", server.url());
    let request = match body {
        Some(body) => http.post(url).body(body.to_string()),
        None => http.get(url),
    };
    let bytes = request
        .send()
        .await
        .expect("admin answer")
        .bytes()
        .await
        .expect("body");
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

#[tokio::test]
async fn serves_builtin_data_with_auth_and_404s() {
    let (server, http) = start(0).await;
    let (status, list) = get(
        &http,
        format!("{}{LIST}", server.url()),
        Some(DEFAULT_API_KEY),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        list[0]["ocid"], "omega-cop-KoNef9DB5i",
        "the list example is served verbatim"
    );
    let (status, _) = get(
        &http,
        format!("{}/company{LIST}", server.url()),
        Some(DEFAULT_API_KEY),
    )
    .await;
    assert_eq!(status, 200, "also under /company");
    let (status, body) = get(&http, format!("{}{LIST}", server.url()), None).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("missing api key"))
    );
    let (status, body) = get(&http, format!("{}{LIST}", server.url()), Some("wrong")).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("invalid api key"))
    );
    for event in ["63377e715790c27875f70dbd", "633772fa5790c27875f70dbb"] {
        let (status, body) = get(
            &http,
            format!("{}{LIST}/events/{event}", server.url()),
            Some(DEFAULT_API_KEY),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["id"], event);
        assert!(body["data"]["video"].is_object());
        assert!(body["response"].is_object() || body["response"].is_null());
    }
    let (status, body) = get(
        &http,
        format!("{}{LIST}/events/nope", server.url()),
        Some(DEFAULT_API_KEY),
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (404, Some("webhook event not found"))
    );
    let (status, _) = get(
        &http,
        format!("{}/client/webhooks/unknown", server.url()),
        Some(DEFAULT_API_KEY),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(
        &http,
        format!("{}/client/webhooks/{GENERATED_ENDPOINT}", server.url()),
        Some(DEFAULT_API_KEY),
    )
    .await;
    assert_eq!(status, 404, "no generated endpoint without --events");
}

#[tokio::test]
async fn generated_events_are_deterministic_and_complete() {
    let (a, http) = start(30).await;
    let (b, _) = start(30).await;
    let (_, list) = get(
        &http,
        format!("{}/client/webhooks/{GENERATED_ENDPOINT}", a.url()),
        Some(DEFAULT_API_KEY),
    )
    .await;
    let (_, same) = get(
        &http,
        format!("{}/client/webhooks/{GENERATED_ENDPOINT}", b.url()),
        Some(DEFAULT_API_KEY),
    )
    .await;
    assert_eq!(list, same);
    let list = list.as_array().expect("array").clone();
    assert_eq!(list.len(), 30);
    let types: std::collections::HashSet<_> = list
        .iter()
        .map(|e| e["type"].as_str().expect("type").to_owned())
        .collect();
    assert_eq!(types.len(), 10, "all ten event types");
    for summary in &list {
        let id = summary["id"].as_str().expect("id");
        let url = format!(
            "{}/client/webhooks/{GENERATED_ENDPOINT}/events/{id}",
            a.url()
        );
        let (status, full) = get(&http, url, Some(DEFAULT_API_KEY)).await;
        assert_eq!(status, 200);
        omega_webhooks_types::parse_event(full.to_string().as_bytes()).expect("a valid event");
        assert_eq!(full["type"], summary["type"]);
    }
}

#[tokio::test]
async fn script_steps_apply_in_order_and_the_log_records_raw_paths() {
    let (server, http) = start(0).await;
    let queued = admin(
        &http,
        &server,
        "/__mock/script",
        Some(json!([
            { "status": 503, "headers": { "retry-after": "2" } },
            { "status": 200, "body": "plain text" },
            { "headers": { "x-extra": "1" } }
        ])),
    )
    .await;
    assert_eq!(queued["queued"], 3);
    let url = format!("{}/client/webhooks/a%2Fb?x=1", server.url());
    let first = http.get(&url).send().await.expect("answer");
    assert_eq!(first.status().as_u16(), 503);
    assert_eq!(first.headers()["retry-after"], "2");
    let second = http.get(&url).send().await.expect("answer");
    assert_eq!(second.text().await.expect("text"), "plain text");
    let third = http
        .get(format!("{}{LIST}", server.url()))
        .bearer_auth(DEFAULT_API_KEY)
        .send()
        .await
        .expect("answer");
    assert_eq!(
        (
            third.status().as_u16(),
            third.headers()["x-extra"].to_str().ok()
        ),
        (200, Some("1"))
    );
    let log = admin(&http, &server, "/__mock/requests", None).await;
    assert_eq!(log[0]["path"], "/client/webhooks/a%2Fb");
    assert_eq!(log[0]["query"], "x=1");
    assert_eq!(
        log[2]["headers"]["authorization"],
        format!("Bearer {DEFAULT_API_KEY}")
    );
    admin(&http, &server, "/__mock/reset", Some(json!([]))).await;
    assert_eq!(
        admin(&http, &server, "/__mock/requests", None).await,
        json!([])
    );
    let refused = http
        .post(format!("{}/__mock/script", server.url()))
        .body("{\"not\": \"a list\"}")
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status().as_u16(), 400);
}

#[tokio::test]
async fn connection_faults_and_hang_ups_are_visible() {
    let (server, http) = start(0).await;
    admin(
        &http,
        &server,
        "/__mock/script",
        Some(json!([{ "action": "reset" }, { "action": "truncate" }, { "action": "hang" }])),
    )
    .await;
    let url = format!("{}{LIST}", server.url());
    let reset = http.get(&url).bearer_auth(DEFAULT_API_KEY).send().await;
    assert!(
        reset.is_err(),
        "reset closes the connection without an answer"
    );
    let truncated = http
        .get(&url)
        .bearer_auth(DEFAULT_API_KEY)
        .send()
        .await
        .expect("head arrives");
    assert!(truncated.bytes().await.is_err(), "the body is cut short");
    let started = Instant::now();
    let hang = http
        .get(&url)
        .bearer_auth(DEFAULT_API_KEY)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(hang.is_err() && started.elapsed() < Duration::from_secs(2));
    // The client hung up on the hanging request: the mock notices its connection closing.
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let connections = admin(&http, &server, "/__mock/connections", None).await;
        let log = admin(&http, &server, "/__mock/requests", None).await;
        let hung = log[2]["connection"].clone();
        let closed = connections
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["id"] == hung && c["closed"] == true);
        if closed {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the hung-up connection was never seen closed: {connections}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn compress_offers_its_encodings_to_clients_that_accept_them() {
    let server = MockServer::start(MockConfig {
        compress: vec!["gzip".to_owned()],
        ..MockConfig::default()
    })
    .await
    .expect("starts");
    let raw = raw_client();
    let encoding_for = |accepted: &'static str| {
        let request = raw
            .get(format!("{}{LIST}", server.url()))
            .header("authorization", format!("Bearer {DEFAULT_API_KEY}"))
            .header("accept-encoding", accepted);
        async move {
            let response = request.send().await.expect("answer");
            response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap_or_default().to_owned())
        }
    };
    assert_eq!(
        encoding_for("zstd, br;q=0.9, gzip").await.as_deref(),
        Some("gzip")
    );
    assert_eq!(encoding_for("br, zstd").await, None, "not offered: plain");
    assert_eq!(encoding_for("identity").await, None);
}

#[tokio::test]
async fn compressed_lists_are_kept_until_the_list_changes() {
    let server = MockServer::start(MockConfig {
        events: 3,
        compress: vec!["gzip".to_owned(), "br".to_owned(), "zstd".to_owned()],
        ..MockConfig::default()
    })
    .await
    .expect("starts");
    let url = format!("{}/client/webhooks/{GENERATED_ENDPOINT}", server.url());
    let raw = raw_client();
    let wire = |encoding: &'static str| {
        let request = raw
            .get(&url)
            .bearer_auth(DEFAULT_API_KEY)
            .header("accept-encoding", encoding);
        async move {
            let response = request.send().await.expect("answer");
            assert_eq!(response.headers()["content-encoding"], encoding);
            response.bytes().await.expect("body")
        }
    };
    // Decodes whatever the mock sends (reqwest with gzip, br and zstd).
    let decoding = reqwest::Client::new();
    let count = || async {
        let (status, list) = get(&decoding, url.clone(), Some(DEFAULT_API_KEY)).await;
        assert_eq!(status, 200);
        list.as_array().expect("a list").len()
    };
    for encoding in ["gzip", "br", "zstd"] {
        assert_eq!(
            wire(encoding).await,
            wire(encoding).await,
            "{encoding} kept"
        );
    }
    let before = wire("gzip").await;
    assert_eq!(count().await, 3);
    admin(&raw, &server, "/__mock/events", Some(json!({}))).await;
    assert_eq!(count().await, 4, "the new event is in the compressed list");
    assert_ne!(wire("gzip").await, before);
}

#[tokio::test]
async fn rate_sends_the_body_in_pieces_no_faster_than_it_says() {
    let (fast, http) = start(2_000).await;
    let url =
        |server: &MockServer| format!("{}/client/webhooks/{GENERATED_ENDPOINT}", server.url());
    let key = format!("Bearer {DEFAULT_API_KEY}");
    let (status, whole) = get(&http, url(&fast), Some(DEFAULT_API_KEY)).await;
    assert_eq!(status, 200);
    let rate = 4_000_000;
    let slow = MockServer::start(MockConfig {
        events: 2_000,
        rate: Some(rate),
        ..MockConfig::default()
    })
    .await
    .expect("starts");
    let started = Instant::now();
    let mut response = http
        .get(url(&slow))
        .header("authorization", &key)
        .send()
        .await
        .expect("answer");
    let (mut body, mut chunks) = (Vec::new(), 0);
    while let Some(chunk) = response.chunk().await.expect("chunk") {
        body.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(
        serde_json::from_slice::<Value>(&body).ok(),
        Some(whole),
        "the same list"
    );
    assert!(chunks > 1, "in pieces");
    // The last 64 KiB piece leaves when the rate has covered the bytes before it.
    let least = Duration::from_secs_f64((body.len() - 64 * 1024) as f64 / rate as f64);
    assert!(
        started.elapsed() >= least,
        "{:?} < {least:?}",
        started.elapsed()
    );
}
