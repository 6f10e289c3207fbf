//! Deterministic generated events: the same seed and index always give the same event.
//!
//! The generator is SplitMix64, written out here on purpose: generated data must stay
//! byte-for-byte stable across releases, and general-purpose RNG crates reserve the right to
//! change their output between versions.

use chrono::DateTime;
use omega_webhooks_types::{EventType, VideoStatus};
use serde_json::{json, Value};

/// The endpoint that holds the generated events (`--events N`).
pub const GENERATED_ENDPOINT: &str = "650000000000000000000001";

/// The documented event types, in the types crate's order; event `i` has the `i % 10`th.
fn event_type(index: usize) -> &'static EventType {
    &EventType::KNOWN[index % EventType::KNOWN.len()]
}

/// The status of a generated event's video, after its type.
fn video_status(event_type: &EventType) -> VideoStatus {
    match event_type {
        EventType::VideoUploaded => VideoStatus::Uploaded,
        EventType::VideoReadyForProcessing => VideoStatus::ReadyToUpload,
        EventType::VideoInProgress => VideoStatus::InProgress,
        EventType::VideoProcessFailed => VideoStatus::ProcessFailed,
        _ => VideoStatus::ProcessCompleted,
    }
}

/// Title words for generated videos.
const WORDS: [&str; 12] = [
    "Sintel",
    "Tears",
    "of",
    "Steel",
    "Big",
    "Buck",
    "Bunny",
    "Elephants",
    "Dream",
    "Cosmos",
    "Laundromat",
    "Spring",
];

/// Unix time of the first generated event (2023-11-14T22:13:20Z).
pub const FIRST_CREATED: i64 = 1_700_000_000;

/// Seconds between two generated events: event `i` was created at
/// `FIRST_CREATED + EVENT_SPACING * i`, so a week holds 2,016 of them.
pub const EVENT_SPACING: i64 = 300;

/// The receiver outage of the generated endpoint, as Unix seconds `[start, end)`: three days
/// after the first event, five hours in which every delivery met a proxy's 503 page (what a
/// delivery report should make plain).
pub const OUTAGE: (i64, i64) = (
    FIRST_CREATED + 3 * 86_400 + 2 * 3_600,
    FIRST_CREATED + 3 * 86_400 + 7 * 3_600,
);

/// The page a proxy answers while the receiver behind it is down.
const OUTAGE_PAGE: &str = "<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>";

/// Unix time of generated event `index`.
fn created_at(index: usize) -> i64 {
    FIRST_CREATED.saturating_add(EVENT_SPACING.saturating_mul(index as i64))
}

/// SplitMix64 (Steele, Lea, Flood 2014).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            out.push_str(&format!("{:016x}", self.next()));
        }
        out.truncate(len);
        out
    }
}

/// Id of generated event `index`: 24 hex characters, `65` followed by the index.
pub(crate) fn event_id(index: usize) -> String {
    format!("65{index:022x}")
}

/// The index encoded in a generated event id, if it is one below `count`.
pub(crate) fn event_index(id: &str, count: usize) -> Option<usize> {
    let digits = id.strip_prefix("65")?;
    if digits.len() != 22
        || !digits
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return None;
    }
    usize::from_str_radix(digits, 16)
        .ok()
        .filter(|&i| i < count)
}

/// Generated event `index` with `data` and `response` filled in (the details call's shape).
pub(crate) fn event_details(seed: u64, index: usize) -> Value {
    let mut rng = SplitMix64(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let kind = event_type(index);
    let event_type = kind.as_str();
    let created = created_at(index);
    let status = video_status(kind);
    let uuid = format!(
        "{}-{}-4{}-a{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(3),
        rng.hex(3),
        rng.hex(12)
    );
    let title = (0..2 + rng.below(3))
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ");
    let completed = status == VideoStatus::ProcessCompleted;
    let prefix = format!(
        "s3://processed-enterprise-media/{}/video/{uuid}",
        rng.hex(8)
    );
    let mut meta = json!({ "downloaded_from": format!("https://media.example.test/{uuid}.mp4") });
    if status == VideoStatus::ProcessFailed {
        meta["failure"] = json!("unsupported codec: the input file has no video stream");
    }
    let outcome = rng.below(20);
    json!({
        "id": event_id(index),
        "created_at": iso(created),
        "coid": "omega-cop-KoNef9DB5i",
        "api_version": "v1",
        "created": created,
        "type": event_type,
        "data": { "video": {
            "id": format!("66{}", rng.hex(22)),
            "created_at": iso(created - 600),
            "updated_at": iso(created - 5),
            "deleted_at": if *kind == EventType::VideoDeleted { json!(iso(created)) } else { Value::Null },
            "title": title,
            "uuid": uuid,
            "coid": "omega-cop-KoNef9DB5i",
            "status": status.as_str(),
            "entity_tag": if completed { json!(format!("{}-{}", rng.hex(32), 1 + rng.below(64))) } else { Value::Null },
            "playback": if completed {
                json!({ "hls": format!("{prefix}/playlist.m3u8"), "dash": null })
            } else { Value::Null },
            "input": { "width": 1280 + 640 * rng.below(2), "height": 720 + 360 * rng.below(2) },
            "duration": if completed { json!(30 + rng.below(7200)) } else { Value::Null },
            "size": 1_000_000 + rng.below(8_000_000_000),
            "ready_to_stream": completed,
            "thumbnail": if completed { json!(format!("{prefix}/thumbnail.png")) } else { Value::Null },
            "thumbnail_timestamp_pct": null,
            "storage": { "bucket": "processed-enterprise-media", "raw_bucket": "raw-enterprise-media", "meta": null },
            "meta": meta
        }},
        "endpoint_id": GENERATED_ENDPOINT,
        "response": delivery(outcome, event_type, index, created)
    })
}

/// The receiver's answer to generated delivery `outcome` (0..20) of event `index`: mostly
/// 200, and deterministically some 500 (a proxy's page, or this SDK's receiver naming the
/// handler's error), 502, 404, 410 and 301 answers, and some with no answer at all; a 503 page
/// for every delivery during the [`OUTAGE`].
fn delivery(outcome: u64, event_type: &str, index: usize, created: i64) -> Value {
    let handler_failed;
    let (code, status, body) = match outcome {
        _ if (OUTAGE.0..OUTAGE.1).contains(&created) => {
            (503, "503 Service Unavailable", OUTAGE_PAGE)
        }
        0 => (
            500,
            "500 Internal Server Error",
            "<html>upstream error</html>",
        ),
        1 => {
            handler_failed = format!("handler failed: TimeoutError (event {})", event_id(index));
            (500, "500 Internal Server Error", handler_failed.as_str())
        }
        2 => (502, "502 Bad Gateway", "<html>Bad Gateway</html>"),
        3 => (404, "404 Not Found", "no route for /hooks/omega\n"),
        4 => (410, "410 Gone", "endpoint retired\n"),
        5 => (301, "301 Moved Permanently", ""),
        6 => return Value::Null,
        _ => (200, "200 OK", "webhook received\n"),
    };
    let verdict = if code == 200 { "succeeded" } else { "failed" };
    json!({
        "status_code": code,
        "status": status,
        "body": body,
        "message": format!("webhook event with type {event_type} {verdict}")
    })
}

/// A realistic event of `event_type` (known or not) in the details call's shape, created at
/// `created` (Unix seconds), its other values drawn from `seed`: what `trigger` sends.
pub fn synthetic_event(event_type: &str, created: i64, seed: u64) -> Value {
    let kind = EventType::from_wire(event_type);
    let index = EventType::KNOWN
        .iter()
        .position(|known| *known == kind)
        .unwrap_or(5);
    let mut event = event_details(seed, index);
    let shift = created - event["created"].as_i64().unwrap_or(created);
    event["type"] = json!(event_type);
    event["created"] = json!(created);
    event["created_at"] = json!(iso(created));
    event["id"] = json!(format!("67{}", SplitMix64(seed ^ created as u64).hex(22)));
    let video = &mut event["data"]["video"];
    for key in ["created_at", "updated_at"] {
        let at = DateTime::parse_from_rfc3339(video[key].as_str().unwrap_or_default())
            .map_or(created, |t| t.timestamp() + shift);
        video[key] = json!(iso(at));
    }
    if !video["deleted_at"].is_null() {
        video["deleted_at"] = json!(iso(created));
    }
    event
}

/// Generated event `index` as the list call shows it: `data` and `response` null, zero time.
pub(crate) fn event_summary(index: usize) -> Value {
    json!({
        "id": event_id(index),
        "created_at": "0001-01-01T00:00:00Z",
        "coid": "omega-cop-KoNef9DB5i",
        "api_version": "v1",
        "created": created_at(index),
        "type": event_type(index).as_str(),
        "data": null,
        "endpoint_id": GENERATED_ENDPOINT,
        "response": null
    })
}

/// RFC 3339 with millisecond precision, as the provider writes it.
fn iso(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_others() {
        assert_eq!(event_id(0).len(), 24);
        assert_eq!(event_index(&event_id(9_999), 10_000), Some(9_999));
        assert_eq!(event_index(&event_id(10_000), 10_000), None);
        assert_eq!(event_index("65000000000000000000000G", 10), None);
        assert_eq!(event_index("6336cd2b5790c27875f70d96", 10), None);
    }

    #[test]
    fn same_seed_same_event_and_types_cycle() {
        assert_eq!(event_details(7, 3), event_details(7, 3));
        assert_ne!(event_details(7, 3), event_details(8, 3));
        let types: std::collections::BTreeSet<String> = (0..10)
            .map(|i| {
                event_summary(i)["type"]
                    .as_str()
                    .expect("a string")
                    .to_owned()
            })
            .collect();
        assert_eq!(types.len(), 10, "ten distinct types: {types:?}");
        assert_eq!(event_summary(10)["type"], event_summary(0)["type"]);
        assert_eq!(
            event_details(0, 4)["data"]["video"]["status"],
            "process-failed"
        );
    }
}
