//! `events stats` on a terminal: the buckets with their counts and failure rate, the event
//! types, then the largest failure groups.

use omega_webhooks_client::{types::Counts, DeliveryStats};

use crate::render::{self, bucket_label, percent, unix_time};

/// Failure groups shown; `--json` has them all.
const TOP_GROUPS: usize = 10;

/// Width of the failure-rate bar, in characters (a full bar is 100 %).
const BAR: usize = 20;

/// The stats as three tables and a one-line total.
pub(crate) fn print(stats: &DeliveryStats) {
    let buckets: Vec<[String; 6]> = stats
        .buckets
        .iter()
        .map(|b| counted(bucket_label(b.start, stats.by), &b.counts, true))
        .collect();
    let by = match stats.by {
        omega_webhooks_client::BucketWidth::Day => "DAY (UTC)",
        omega_webhooks_client::BucketWidth::Hour => "HOUR (UTC)",
    };
    let titles = |first| {
        [
            first,
            "EVENTS",
            "DELIVERED",
            "FAILED",
            "NO ANSWER",
            "FAILURE RATE",
        ]
    };
    render::table(titles(by), &buckets);
    anstream::println!();
    let types: Vec<[String; 6]> = stats
        .types
        .iter()
        .map(|t| counted(t.event_type.to_string(), &t.counts, false))
        .collect();
    render::table(titles("TYPE"), &types);
    anstream::println!();
    let groups: Vec<[String; 5]> = stats
        .groups
        .iter()
        .take(TOP_GROUPS)
        .map(|g| {
            [
                g.status_code
                    .map_or_else(|| "-".to_owned(), |s| s.to_string()),
                g.count.to_string(),
                unix_time(g.first_seen),
                unix_time(g.last_seen),
                g.cause.clone(),
            ]
        })
        .collect();
    if groups.is_empty() {
        anstream::println!("no failed deliveries");
    } else {
        render::table(
            ["STATUS", "COUNT", "FIRST SEEN", "LAST SEEN", "CAUSE"],
            &groups,
        );
        if stats.groups.len() > TOP_GROUPS {
            anstream::println!(
                "… and {} more (--json lists them all)",
                render::count(stats.groups.len() - TOP_GROUPS, "group", "groups")
            );
        }
    }
    let totals = &stats.totals;
    anstream::println!(
        "{}: {} delivered, {} failed, {} without answer; failure rate {}",
        render::count(totals.events as usize, "event", "events"),
        totals.delivered,
        totals.failed,
        totals.unknown,
        percent(totals.failure_rate)
    );
}

/// A row of counts under `label`, with a bar after the rate when `bar`.
fn counted(label: String, counts: &Counts, bar: bool) -> [String; 6] {
    let mut rate = format!("{:>6}", percent(counts.failure_rate));
    let filled = (counts.failure_rate * BAR as f64).round() as usize;
    if bar && filled > 0 {
        rate.push_str("  ");
        rate.push_str(&"█".repeat(filled.min(BAR)));
    }
    [
        label,
        counts.events.to_string(),
        counts.delivered.to_string(),
        counts.failed.to_string(),
        counts.unknown.to_string(),
        rate,
    ]
}
