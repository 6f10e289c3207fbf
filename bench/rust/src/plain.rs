//! The W3 peer: the same shapes as plain `#[derive(Deserialize)]` structs — no unknown-field
//! preservation, no bare-video normalization, timestamps left as strings. What a user would
//! write by hand; the cost difference to `omega_webhooks_types` is the price of fidelity.

#![allow(
    dead_code,
    reason = "fields are decoded, not read: decoding is what is measured"
)]

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Event {
    id: String,
    created_at: Option<String>,
    #[serde(alias = "ocid")]
    coid: String,
    api_version: String,
    created: i64,
    #[serde(rename = "type")]
    event_type: String,
    endpoint_id: String,
    data: Option<Data>,
    response: Option<Response>,
}

#[derive(Deserialize)]
struct Data {
    video: Option<Video>,
}

#[derive(Deserialize)]
struct Response {
    status_code: u16,
    status: String,
    body: String,
    message: String,
}

#[derive(Deserialize)]
struct Video {
    id: String,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
    title: String,
    uuid: String,
    coid: String,
    status: String,
    privacy: Option<String>,
    entity_tag: Option<String>,
    playback: Option<Playback>,
    playback_v2: Option<Playback>,
    input: Option<Input>,
    duration: Option<u64>,
    size: Option<u64>,
    ready_to_stream: bool,
    thumbnail: Option<String>,
    thumbnail_timestamp_pct: Option<f64>,
    storage: Option<Storage>,
    #[serde(default)]
    meta: BTreeMap<String, String>,
    collection_id: Option<String>,
}

#[derive(Deserialize)]
struct Playback {
    hls: Option<String>,
    dash: Option<String>,
}

#[derive(Deserialize)]
struct Input {
    width: u32,
    height: u32,
}

#[derive(Deserialize)]
struct Storage {
    bucket: String,
    raw_bucket: String,
    meta: Option<BTreeMap<String, String>>,
}
