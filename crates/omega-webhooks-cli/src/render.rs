//! Human-readable output: the events table, the event summary, and pretty JSON. Colour only on
//! a terminal and never with `NO_COLOR` (anstream decides).

use anstyle::{AnsiColor, Style};
use omega_webhooks_client::{types::Video, BucketWidth, Event};
use serde::Serialize;

use crate::command_error::CommandError;

const HEADER: Style = Style::new().bold();
const LABEL: Style = AnsiColor::Cyan.on_default();
const FAILED: Style = AnsiColor::Red.on_default();

/// Pretty JSON of the normalized models, as Python's `to_json()` and Node's objects carry it.
/// Serializing them cannot fail; if it ever did, the command fails (never a silent exit 0).
pub(crate) fn json<T: Serialize>(value: &T) -> Result<(), CommandError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CommandError::internal(format!("cannot serialize the result: {e}")))?;
    anstream::println!("{text}");
    Ok(())
}

/// One normalized JSON event per line (`--jsonl`), for scripts that read line by line.
pub(crate) fn jsonl(events: &[Event]) -> Result<(), CommandError> {
    for event in events {
        let line = serde_json::to_string(event)
            .map_err(|e| CommandError::internal(format!("cannot serialize the result: {e}")))?;
        anstream::println!("{line}");
    }
    Ok(())
}

/// `events list`: one row per event.
pub(crate) fn event_table(events: &[Event]) {
    let rows: Vec<[String; 4]> = events
        .iter()
        .map(|e| {
            let delivery = e
                .response
                .as_ref()
                .map_or_else(|| "-".to_owned(), |r| r.status.clone());
            [
                e.id.clone(),
                e.event_type.to_string(),
                unix_time(e.created),
                delivery,
            ]
        })
        .collect();
    if rows.is_empty() {
        anstream::println!("no events");
        return;
    }
    table(["ID", "TYPE", "CREATED", "DELIVERY"], &rows);
    anstream::println!("{}", count(rows.len(), "event", "events"));
}

/// Rows under bold titles, columns as wide as their widest cell (the last one unpadded).
pub(crate) fn table<const N: usize>(titles: [&str; N], rows: &[[String; N]]) {
    let mut widths = titles.map(|t| t.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; N]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == N {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        text
    };
    anstream::println!("{HEADER}{}{HEADER:#}", line(titles));
    for row in rows {
        anstream::println!("{}", line(row.each_ref().map(String::as_str)));
    }
}

/// `3 events`, `1 event`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `events get`: a readable summary of one event.
pub(crate) fn event_summary(event: &Event) {
    field("Event", &event.id);
    field("Type", event.event_type.as_str());
    field("Endpoint", &event.endpoint_id);
    field("Company", &event.coid);
    let created = unix_time(event.created);
    field("Created", &created);
    // `created_at` is the zero time in lists, and usually says the same as `created`.
    if let Some(at) = event
        .created_at
        .as_ref()
        .filter(|t| !t.is_zero() && t.as_str() != created)
    {
        field("Created at", at.as_str());
    }
    field("API", &event.api_version);
    match &event.response {
        Some(r) => {
            let style = if (200..300).contains(&r.status_code) {
                Style::new()
            } else {
                FAILED
            };
            field(
                "Delivery",
                &format!("{style}{}{style:#} — {}", r.status, r.message),
            );
            field("  body", r.body.trim_end());
        }
        None => field("Delivery", "-"),
    }
    match event.data.as_ref().and_then(|d| d.video.as_ref()) {
        Some(video) => video_summary(video),
        None => field("Video", "-"),
    }
    for (key, value) in &event.extra {
        field(key, &value.to_string());
    }
}

fn video_summary(video: &Video) {
    field("Video", &format!("{} ({})", video.title, video.id));
    let ready = if video.ready_to_stream {
        "ready to stream"
    } else {
        "not ready to stream"
    };
    field("  status", &format!("{} ({ready})", video.status));
    if let Some(failure) = video.meta.get("failure") {
        field("  failure", &format!("{FAILED}{failure}{FAILED:#}"));
    }
    if let Some(seconds) = video.duration {
        field("  duration", &format!("{seconds} s"));
    }
    if let Some(bytes) = video.size {
        field(
            "  size",
            &format!(
                "{bytes} bytes ({:.1} MiB)",
                bytes as f64 / (1024.0 * 1024.0)
            ),
        );
    }
    if let Some(playback) = &video.playback {
        for (name, url) in [("hls", &playback.hls), ("dash", &playback.dash)] {
            if let Some(url) = url {
                field(&format!("  {name}"), url);
            }
        }
    }
    if let Some(thumbnail) = &video.thumbnail {
        field("  thumbnail", thumbnail);
    }
}

fn field(label: &str, value: &str) {
    anstream::println!("{LABEL}{label:<12}{LABEL:#}{value}");
}

/// Unix seconds as an ISO 8601 UTC time.
pub(crate) fn unix_time(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map_or_else(
        || seconds.to_string(),
        |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

/// A bucket's start as its label: `2023-11-14` (day) or `2023-11-14 13:00` (hour), UTC.
pub(crate) fn bucket_label(start: i64, by: BucketWidth) -> String {
    let format = match by {
        BucketWidth::Day => "%Y-%m-%d",
        BucketWidth::Hour => "%Y-%m-%d %H:%M",
    };
    chrono::DateTime::from_timestamp(start, 0)
        .map_or_else(|| start.to_string(), |t| t.format(format).to_string())
}

/// A rate from 0 to 1 as a percentage with one decimal: `35.2%`.
pub(crate) fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}
