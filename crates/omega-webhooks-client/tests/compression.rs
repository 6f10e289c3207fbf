//! Compressed transfers: the client asks for gzip, br and zstd and decodes each; the size cap
//! applies to the decoded bytes, so a decompression bomb ends in an error with memory bounded.

mod common;

use common::Mock;
use omega_webhooks_client::{ErrorKind, DEFAULT_MAX_RESPONSE_BYTES};
use omega_webhooks_mock::GENERATED_ENDPOINT;
use serde_json::json;

#[tokio::test]
async fn every_encoding_is_asked_for_and_decoded() {
    let mock = Mock::start(50).await;
    let client = mock.client().build().expect("client");
    let plain = client.list_events(GENERATED_ENDPOINT).await.expect("plain");
    // What goes over the wire, undecoded, for each encoding the mock is told to use.
    let raw = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_zstd()
        .build()
        .expect("raw client");
    for encoding in ["gzip", "br", "zstd"] {
        mock.script(&json!([{ "encoding": encoding }])).await;
        let wire = raw
            .get(format!(
                "{}/client/webhooks/{GENERATED_ENDPOINT}",
                mock.url()
            ))
            .bearer_auth(omega_webhooks_mock::DEFAULT_API_KEY)
            .send()
            .await
            .expect("raw answer");
        assert_eq!(wire.headers()["content-encoding"], encoding);
        let compressed = wire.bytes().await.expect("body").len();
        mock.script(&json!([{ "encoding": encoding }])).await;
        let decoded = client
            .list_events(GENERATED_ENDPOINT)
            .await
            .expect(encoding);
        assert_eq!(decoded, plain, "{encoding} decodes to the same events");
        assert!(
            compressed * 3 < serde_json::to_vec(&plain).expect("json").len(),
            "{encoding} compressed"
        );
    }
    let requests = mock.requests().await;
    let asked = &requests.last().expect("a request").headers["accept-encoding"];
    for encoding in ["gzip", "br", "zstd"] {
        assert!(asked.contains(encoding), "accept-encoding: {asked}");
    }
}

/// The peak resident memory of this process so far, in MiB (`VmHWM`).
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    line.split_whitespace()
        .nth(1)
        .and_then(|kb| kb.parse::<u64>().ok())
        .expect("kB")
        / 1024
}

#[tokio::test]
async fn a_decompression_bomb_stops_at_the_decoded_size_cap() {
    let mock = Mock::start(0).await;
    let client = mock.client().max_retries(0).build().expect("client");
    // 1 GiB of zeros in about 1 MiB of gzip.
    mock.script(&json!([{ "bomb_mib": 1024 }])).await;
    let error = client
        .list_events(GENERATED_ENDPOINT)
        .await
        .expect_err("the bomb is refused");
    assert_eq!(error.kind(), ErrorKind::ResponseValidation, "{error}");
    assert!(
        error.to_string().contains(&format!(
            "larger than the {DEFAULT_MAX_RESPONSE_BYTES}-byte cap"
        )),
        "{error}"
    );
    let peak = peak_rss_mib();
    assert!(
        peak < 512,
        "peak RSS {peak} MiB: the decoded bytes past the cap were not kept"
    );
}
