//! `make bench`, Rust side. Prints one JSON row per (workload, peer) on stdout:
//! W1 (list 10,000 events; and the peer against itself, the noise floor), W1-slow (the same
//! list sent at 100 MB/s, beside the transfer alone), W2 (1,000 gets at concurrency 32), W3
//! (decode the 10,000-event list from memory).
//! Each workload interleaves ours and the peers: warm-up, then `ROUNDS` timed rounds; the
//! median and the worst round's speedup are reported.

mod plain;

/// The allocator of the CLI and the Node addon, here for ours and the peers alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::{
    future::Future,
    time::{Duration, Instant},
};

use futures_util::{stream, StreamExt};
use omega_webhooks_client::{types::Event, Client};
use serde_json::json;

/// Timed rounds per workload (after `WARMUP` untimed ones).
const ROUNDS: usize = 7;
const WARMUP: usize = 2;
const ENDPOINT: &str = "650000000000000000000001";
const KEY: &str = "omega-mock-key";
const GETS: usize = 1_000;
const CONCURRENCY: usize = 32;
/// The per-request timeout of the W2 peer that has one: our client's default.
const PEER_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() {
    let usage = "usage: omega-webhooks-bench MOCK_URL SLOW_MOCK_URL";
    let base = std::env::args().nth(1).expect(usage);
    let slow_base = std::env::args().nth(2).expect(usage);
    let ours = Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .build()
        .expect("client");
    let http = reqwest::Client::new();
    let list_url = format!("{base}/client/webhooks/{ENDPOINT}");

    // W1: list, typed.
    let hand_written = || async {
        let body = get(&http, &list_url).await;
        serde_json::from_slice::<Vec<Event>>(&body)
            .expect("decodes")
            .len()
    };
    let value = || async {
        let body = get(&http, &list_url).await;
        serde_json::from_slice::<serde_json::Value>(&body)
            .expect("decodes")
            .as_array()
            .map_or(0, Vec::len)
    };
    let list = || async { ours.list_events(ENDPOINT).await.expect("lists").len() };
    let [o, a, b] = interleave3(list, hand_written, value).await;
    row(
        "W1",
        "omega_webhooks_client::Client::list_events",
        &o,
        "reqwest + serde (hand-written)",
        &a,
    );
    row(
        "W1",
        "omega_webhooks_client::Client::list_events",
        &o,
        "reqwest + serde_json::Value",
        &b,
    );

    // W1's noise floor: the hand-written peer against itself, rounds interleaved the same way.
    // Its worst round shows how far one call of the same code can be from the next here, which
    // an every-round target has to clear on top of the speedup.
    let [first, again, _] = interleave3(hand_written, hand_written, value).await;
    row(
        "W1",
        "reqwest + serde (hand-written)",
        &again,
        "the same, timed again (noise floor)",
        &first,
    );

    // W1-slow: the same list sent at 100 MB/s (`mock --rate 100`): decoded while it arrives,
    // ours should end close to the transfer alone (the body read, not decoded).
    let slow = Client::builder()
        .api_key(KEY)
        .base_url(&slow_base)
        .build()
        .expect("client");
    let slow_url = format!("{slow_base}/client/webhooks/{ENDPOINT}");
    let slow_list = || async { slow.list_events(ENDPOINT).await.expect("lists").len() };
    let slow_peer = || async {
        let body = get(&http, &slow_url).await;
        serde_json::from_slice::<Vec<Event>>(&body)
            .expect("decodes")
            .len()
    };
    let transfer = || async { get(&http, &slow_url).await.len() };
    let [o, p, t] = interleave3(slow_list, slow_peer, transfer).await;
    row_with(
        "W1-slow",
        "omega_webhooks_client::Client::list_events",
        &o,
        "reqwest + serde (hand-written)",
        &p,
        json!({ "transfer_ms": round(median(t)) }),
    );

    // W2: 1,000 gets at concurrency 32.
    let ids: Vec<String> = ours
        .list_events(ENDPOINT)
        .await
        .expect("list")
        .into_iter()
        .take(GETS)
        .map(|e| e.id)
        .collect();
    let ours_gets = || async {
        stream::iter(&ids)
            .map(|id| ours.get_event(ENDPOINT, id))
            .buffer_unordered(CONCURRENCY)
            .filter(|r| std::future::ready(r.is_ok()))
            .count()
            .await
    };
    let peer_gets = || async {
        stream::iter(&ids)
            .map(|id| {
                let url = format!("{list_url}/events/{id}");
                let http = &http;
                async move { serde_json::from_slice::<Event>(&get(http, &url).await).is_ok() }
            })
            .buffer_unordered(CONCURRENCY)
            .filter(|ok| std::future::ready(*ok))
            .count()
            .await
    };
    // The same with a deadline per request, as every call of ours has (`timeout`): reqwest
    // arms a timer per request, which is most of the difference between ours and the above.
    let peer_gets_with_timeout = || async {
        stream::iter(&ids)
            .map(|id| {
                let url = format!("{list_url}/events/{id}");
                let http = &http;
                async move {
                    let body = get_within(http, &url, Some(PEER_TIMEOUT)).await;
                    serde_json::from_slice::<Event>(&body).is_ok()
                }
            })
            .buffer_unordered(CONCURRENCY)
            .filter(|ok| std::future::ready(*ok))
            .count()
            .await
    };
    let [o, p, t] = interleave3(ours_gets, peer_gets, peer_gets_with_timeout).await;
    row(
        "W2",
        "omega_webhooks_client::Client::get_event",
        &o,
        "reqwest + serde (hand-written)",
        &p,
    );
    row(
        "W2",
        "omega_webhooks_client::Client::get_event",
        &o,
        "reqwest + serde, 30 s timeout per request (hand-written)",
        &t,
    );

    // W3: decode only, from memory. `parse_events` cuts a list this large into runs decoded on
    // every core (`parallel_decode.rs`); `parse` decodes it whole on one thread, like the peer, which is
    // the decoder's own speed and the row the target is for.
    let body = get(&http, &list_url).await;
    let body = &body;
    let ours_decode = || async move {
        omega_webhooks_client::types::parse_events(body)
            .expect("decodes")
            .len()
    };
    let ours_whole = || async move {
        omega_webhooks_client::types::parse::<Vec<Event>>(body)
            .expect("decodes")
            .len()
    };
    let plain_decode = || async move {
        serde_json::from_slice::<Vec<plain::Event>>(body)
            .expect("decodes")
            .len()
    };
    let [o, w, p] = interleave3(ours_decode, ours_whole, plain_decode).await;
    row(
        "W3",
        "omega_webhooks_types::parse::<Vec<Event>> (one thread)",
        &w,
        "serde_json into plain derived structs",
        &p,
    );
    row(
        "W3",
        "omega_webhooks_types::parse_events (in runs, on every core)",
        &o,
        "serde_json into plain derived structs (one thread)",
        &p,
    );
}

async fn get(http: &reqwest::Client, url: &str) -> bytes::Bytes {
    get_within(http, url, None).await
}

/// GETs `url` as a hand-written client would, with a per-request timeout or none.
async fn get_within(http: &reqwest::Client, url: &str, timeout: Option<Duration>) -> bytes::Bytes {
    let request = http.get(url);
    let request = match timeout {
        Some(timeout) => request.timeout(timeout),
        None => request,
    };
    let response = request
        .bearer_auth(KEY)
        .header("content-type", "application/json")
        .send()
        .await
        .expect("answer");
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.expect("body")
}

/// Each contender's milliseconds per timed round, rounds interleaved (the order alternates).
async fn interleave3<A, B, C, FA, FB, FC, T, U, V>(a: A, b: B, c: C) -> [Vec<f64>; 3]
where
    A: Fn() -> FA,
    B: Fn() -> FB,
    C: Fn() -> FC,
    FA: Future<Output = T>,
    FB: Future<Output = U>,
    FC: Future<Output = V>,
{
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for round in 0..WARMUP + ROUNDS {
        let t = if round % 2 == 0 {
            [time(&a).await, time(&b).await, time(&c).await]
        } else {
            let tc = time(&c).await;
            let tb = time(&b).await;
            [time(&a).await, tb, tc]
        };
        if round >= WARMUP {
            for (all, one) in times.iter_mut().zip(t) {
                all.push(one);
            }
        }
    }
    times
}

async fn time<F: Fn() -> Fut, Fut: Future<Output = T>, T>(f: &F) -> f64 {
    let started = Instant::now();
    std::hint::black_box(f().await);
    started.elapsed().as_secs_f64() * 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// One result: the medians, their speedup, and the worst round's (rounds paired in order).
fn row(workload: &str, ours: &str, ours_ms: &[f64], peer: &str, peer_ms: &[f64]) {
    row_with(workload, ours, ours_ms, peer, peer_ms, json!({}));
}

/// [`row`] with `extra` fields.
fn row_with(
    workload: &str,
    ours: &str,
    ours_ms: &[f64],
    peer: &str,
    peer_ms: &[f64],
    extra: serde_json::Value,
) {
    let (o, p) = (median(ours_ms.to_vec()), median(peer_ms.to_vec()));
    let worst = ours_ms
        .iter()
        .zip(peer_ms)
        .map(|(o, p)| p / o)
        .fold(f64::INFINITY, f64::min);
    let mut row = json!({
        "workload": workload, "language": "rust", "ours": ours, "ours_ms": round(o),
        "peer": peer, "peer_ms": round(p), "speedup": round(p / o),
        "worst_round_speedup": round(worst),
    });
    if let (Some(row), serde_json::Value::Object(extra)) = (row.as_object_mut(), extra) {
        row.extend(extra);
    }
    println!("{row}");
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
