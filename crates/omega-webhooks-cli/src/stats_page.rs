//! `events report`: the delivery health of a window as one self-contained HTML page — inline
//! CSS and SVG, no script, nothing fetched when it is viewed — readable in light and dark
//! themes, from a phone's width to a desktop's.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use omega_webhooks_client::{
    types::{Bucket, Counts},
    DeliveryStats,
};

use crate::render::{bucket_label, percent, unix_time};

/// The charts' drawing size (SVG user units; the page scales them to its width).
const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// Labels along a chart's time axis.
const X_LABELS: usize = 6;

/// The page's style: system fonts, colours from the browser's theme.
const STYLE: &str = r#"
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e;
  --line: #d1d9e0; --card: #f6f8fa; --ok: #1a7f37; --bad: #cf222e; --none: #9a6700; --rate: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --card: #151b23;
    --ok: #3fb950; --bad: #f85149; --none: #d29922; --rate: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.1rem; margin: 28px 0 8px; }
.meta { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 8px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.card b { display: block; font-size: 1.4rem; font-variant-numeric: tabular-nums; }
.card span { color: var(--muted); font-size: 0.85rem; }
.chart { overflow-x: auto; }
svg { width: 100%; min-width: 640px; height: auto; display: block; }
svg text { fill: var(--muted); font-size: 12px; }
.axis { stroke: var(--line); stroke-width: 1; }
.ok { fill: var(--ok); } .bad { fill: var(--bad); } .none { fill: var(--none); }
.rate { fill: none; stroke: var(--rate); stroke-width: 2; } .dot { fill: var(--rate); }
.legend { display: flex; flex-wrap: wrap; gap: 16px; color: var(--muted); font-size: 0.85rem; margin: 4px 0 0; padding: 0; list-style: none; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--card); font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; white-space: nowrap; } td.t { white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
.cause { overflow-wrap: anywhere; min-width: 16ch; }
.ids code { display: block; white-space: nowrap; }
.empty { color: var(--muted); }
footer { color: var(--muted); font-size: 0.85rem; margin: 32px 0 8px; }
"#;

/// The page for `stats`, stamped with the time it was made.
pub(crate) fn render(stats: &DeliveryStats, made: DateTime<Utc>) -> String {
    let mut page = String::with_capacity(16 * 1024 + 600 * stats.buckets.len());
    let endpoint = escape(&stats.endpoint_id);
    let by = stats.by.as_str();
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <title>Delivery health of {endpoint}</title><style>{STYLE}</style></head>\n<body><main>\
         <h1>Delivery health</h1><p class=\"meta\">Endpoint <code>{endpoint}</code> · {window} · \
         buckets of one {by} (UTC) · made <time id=\"made\">{made}</time></p>",
        window = escape(&window(stats)),
        made = made.format("%Y-%m-%dT%H:%M:%SZ"),
    );
    cards(&mut page, &stats.totals);
    let _ = write!(page, "<h2>Outcomes per {by}</h2>");
    if stats.buckets.is_empty() {
        page.push_str("<p class=\"empty\">No events in this window.</p>");
    } else {
        outcome_chart(&mut page, stats);
        page.push_str(
            "<ul class=\"legend\"><li><i class=\"ok\" style=\"background:var(--ok)\"></i>delivered (2xx)</li>\
             <li><i style=\"background:var(--bad)\"></i>failed (any other status)</li>\
             <li><i style=\"background:var(--none)\"></i>no answer</li></ul>",
        );
        let _ = write!(page, "<h2>Failure rate per {by}</h2>");
        rate_chart(&mut page, stats);
    }
    page.push_str("<h2>Per event type</h2>");
    counts_table(
        &mut page,
        "types",
        "Type",
        stats.types.iter().map(|t| {
            (
                format!("<code>{}</code>", escape(t.event_type.as_str())),
                &t.counts,
            )
        }),
    );
    page.push_str("<h2>Failure groups</h2>");
    groups_table(&mut page, stats);
    let _ = write!(page, "<h2>Per {by}, in numbers</h2>");
    counts_table(
        &mut page,
        "buckets",
        if by == "day" {
            "Day (UTC)"
        } else {
            "Hour (UTC)"
        },
        stats
            .buckets
            .iter()
            .map(|b| (bucket_label(b.start, stats.by), &b.counts)),
    );
    if stats.unreadable > 0 {
        let _ = write!(
            page,
            "<p class=\"empty\">{} listed events could not be read and are not counted.</p>",
            stats.unreadable
        );
    }
    let _ = writeln!(
        page,
        "<footer>Made by omega-webhooks {} from the Omega Stream API: a delivery <em>failed</em> \
         when the receiver answered anything but 2xx, and has <em>no answer</em> when Omega \
         recorded none; the failure rate counts both.</footer></main></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    page
}

/// The window in words: `from … to …`, types if filtered.
fn window(stats: &DeliveryStats) -> String {
    let since = stats
        .since
        .map_or_else(|| "the first event".to_owned(), unix_time);
    let until = stats
        .until
        .map_or_else(|| "the last event".to_owned(), unix_time);
    let mut text = format!("events from {since} to {until}");
    if !stats.filter_types.is_empty() {
        let types: Vec<&str> = stats.filter_types.iter().map(|t| t.as_str()).collect();
        let _ = write!(text, " of type {}", types.join(", "));
    }
    text
}

/// The totals as cards.
fn cards(page: &mut String, totals: &Counts) {
    page.push_str("<section class=\"cards\" id=\"totals\">");
    let cards = [
        ("events", totals.events.to_string(), "events"),
        ("delivered", totals.delivered.to_string(), "delivered"),
        ("failed", totals.failed.to_string(), "failed"),
        ("unknown", totals.unknown.to_string(), "no answer"),
        ("failure_rate", percent(totals.failure_rate), "failure rate"),
    ];
    for (key, value, label) in cards {
        let _ = write!(
            page,
            "<div class=\"card\"><b data-stat=\"{key}\">{value}</b><span>{label}</span></div>"
        );
    }
    page.push_str("</section>");
}

/// Where the buckets sit on the time axis: the first start, and the number of bucket slots
/// from the first to the last (empty buckets leave gaps).
fn slots(stats: &DeliveryStats) -> (i64, f64) {
    let width = stats.by.seconds();
    let first = stats.buckets.first().map_or(0, |b| b.start);
    let last = stats.buckets.last().map_or(0, |b| b.start);
    (first, ((last - first) / width + 1) as f64)
}

/// The x of the left edge of the slot of `bucket`, and a slot's width.
fn slot_x(stats: &DeliveryStats, bucket: &Bucket) -> (f64, f64) {
    let (first, count) = slots(stats);
    let slot = (WIDTH - LEFT - RIGHT) / count;
    let index = ((bucket.start - first) / stats.by.seconds()) as f64;
    (LEFT + index * slot, slot)
}

/// Axis lines, y labels from `labels` (value, text), and the time labels.
fn axes(page: &mut String, stats: &DeliveryStats, labels: &[(f64, String)]) {
    let base = HEIGHT - BOTTOM;
    for (y, text) in labels {
        let _ = write!(
            page,
            "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{text}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
    let step = stats.buckets.len().div_ceil(X_LABELS).max(1);
    for bucket in stats.buckets.iter().step_by(step) {
        let (x, slot) = slot_x(stats, bucket);
        let _ = write!(
            page,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + slot / 2.0,
            base + 18.0,
            bucket_label(bucket.start, stats.by)
        );
    }
}

/// Stacked bars per bucket: delivered, failed, no answer.
fn outcome_chart(page: &mut String, stats: &DeliveryStats) {
    let most = stats
        .buckets
        .iter()
        .map(|b| b.counts.events)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let base = HEIGHT - BOTTOM;
    let scale = (base - TOP) / most;
    let _ = write!(
        page,
        "<div class=\"chart\"><svg id=\"outcomes\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-label=\"Deliveries per bucket: delivered, failed and without answer\">"
    );
    let ticks = [0.0, most / 2.0, most].map(|v| (base - v * scale, format!("{v:.0}")));
    axes(page, stats, &ticks);
    for bucket in &stats.buckets {
        let (x, slot) = slot_x(stats, bucket);
        let c = &bucket.counts;
        let _ = write!(
            page,
            "<g><title>{}: {} events, {} delivered, {} failed, {} without answer</title>",
            bucket_label(bucket.start, stats.by),
            c.events,
            c.delivered,
            c.failed,
            c.unknown
        );
        let mut top = base;
        for (class, n) in [("ok", c.delivered), ("bad", c.failed), ("none", c.unknown)] {
            let h = n as f64 * scale;
            top -= h;
            if n > 0 {
                let _ = write!(
                    page,
                    "<rect class=\"{class}\" x=\"{:.2}\" y=\"{top:.2}\" width=\"{:.2}\" height=\"{h:.2}\"/>",
                    x + slot * 0.1,
                    slot * 0.8
                );
            }
        }
        page.push_str("</g>");
    }
    page.push_str("</svg></div>");
}

/// The failure rate per bucket as a line from 0 to 100 %.
fn rate_chart(page: &mut String, stats: &DeliveryStats) {
    let base = HEIGHT - BOTTOM;
    let scale = base - TOP;
    let _ = write!(
        page,
        "<div class=\"chart\"><svg id=\"rate\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-label=\"Failure rate per bucket, from 0 to 100 percent\">"
    );
    let ticks = [0.0, 0.5, 1.0].map(|r| (base - r * scale, percent(r)));
    axes(page, stats, &ticks);
    let points: Vec<(f64, f64, &Bucket)> = stats
        .buckets
        .iter()
        .map(|b| {
            let (x, slot) = slot_x(stats, b);
            (x + slot / 2.0, base - b.counts.failure_rate * scale, b)
        })
        .collect();
    let line: Vec<String> = points
        .iter()
        .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        page,
        "<polyline class=\"rate\" points=\"{}\"/>",
        line.join(" ")
    );
    if points.len() <= 200 {
        for (x, y, bucket) in &points {
            let _ = write!(
                page,
                "<circle class=\"dot\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"><title>{}: {}</title></circle>",
                bucket_label(bucket.start, stats.by),
                percent(bucket.counts.failure_rate)
            );
        }
    }
    page.push_str("</svg></div>");
}

/// A table of counts, one row per `(label HTML, counts)`.
fn counts_table<'a>(
    page: &mut String,
    id: &str,
    first: &str,
    rows: impl Iterator<Item = (String, &'a Counts)>,
) {
    let _ = write!(
        page,
        "<div class=\"scroll\"><table id=\"{id}\"><thead><tr><th>{first}</th>\
         <th class=\"n\">Events</th><th class=\"n\">Delivered</th><th class=\"n\">Failed</th>\
         <th class=\"n\">No answer</th><th class=\"n\">Failure rate</th></tr></thead><tbody>"
    );
    for (label, c) in rows {
        let _ = write!(
            page,
            "<tr><td>{label}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            c.events,
            c.delivered,
            c.failed,
            c.unknown,
            percent(c.failure_rate)
        );
    }
    page.push_str("</tbody></table></div>");
}

/// The failure groups, largest first, with their example events.
fn groups_table(page: &mut String, stats: &DeliveryStats) {
    if stats.groups.is_empty() {
        page.push_str("<p class=\"empty\">No failed deliveries.</p>");
        return;
    }
    page.push_str(
        "<div class=\"scroll\"><table id=\"groups\"><thead><tr><th>Status</th>\
         <th class=\"n\">Count</th><th>Cause</th><th>First seen</th><th>Last seen</th>\
         <th>Types</th><th>Examples</th></tr></thead><tbody>",
    );
    for group in &stats.groups {
        let status = group
            .status_code
            .map_or_else(|| "none".to_owned(), |s| s.to_string());
        let types: Vec<String> = group
            .types
            .iter()
            .map(|t| format!("<code>{}</code>", escape(t.as_str())))
            .collect();
        let examples: Vec<String> = group
            .examples
            .iter()
            .map(|id| format!("<code>{}</code>", escape(id)))
            .collect();
        let _ = write!(
            page,
            "<tr><td>{status}</td><td class=\"n\">{}</td><td class=\"cause\">{}</td>\
             <td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td><td class=\"ids\">{}</td></tr>",
            group.count,
            escape(&group.cause),
            unix_time(group.first_seen),
            unix_time(group.last_seen),
            types.join(" "),
            examples.join("")
        );
    }
    page.push_str("</tbody></table></div>");
}

/// `text` safe in HTML text and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
