//! Delivery stats: the counts add up to the events read one by one, the mock's outage is one
//! group, a 429 storm only slows the batch, grouping masks ids and numbers but keeps causes
//! apart, and the order the details arrive in changes nothing.

mod common;

use common::Mock;
use omega_webhooks_client::{
    parse_event, types::Counts, BucketWidth, Concurrency, Delivery, DeliveryStats, Event,
    EventFilter, StatsBuilder,
};
use omega_webhooks_mock::{GENERATED_ENDPOINT, OUTAGE};
use serde_json::json;

/// `counts` as (delivered, failed, unknown), checking the rest adds up.
fn parts(counts: &Counts) -> (u64, u64, u64) {
    assert_eq!(
        counts.events,
        counts.delivered + counts.failed + counts.unknown
    );
    let rate = (counts.failed + counts.unknown) as f64 / counts.events.max(1) as f64;
    assert!((counts.failure_rate - rate).abs() < 1e-12);
    (counts.delivered, counts.failed, counts.unknown)
}

/// The sum of the parts of `counts`.
fn sum<'a>(counts: impl Iterator<Item = &'a Counts>) -> (u64, u64, u64) {
    counts
        .map(parts)
        .fold((0, 0, 0), |(d, f, u), (d2, f2, u2)| {
            (d + d2, f + f2, u + u2)
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_of_deliveries_adds_up_and_the_outage_is_one_group_even_in_a_429_storm() {
    let mock = Mock::start(2_016).await;
    let client = mock.client().max_retries(1).build().expect("client");
    let ids = Mock::listed_ids(&client, GENERATED_ENDPOINT).await;
    let events: Vec<Event> = client
        .get_events(GENERATED_ENDPOINT, &ids, Concurrency::new(16).expect("16"))
        .await
        .into_iter()
        .map(|r| r.expect("details"))
        .collect();

    let storm: Vec<_> = std::iter::once(json!({}))
        .chain((0..40).map(|_| json!({ "status": 429, "headers": { "retry-after-ms": "20" } })))
        .collect();
    mock.script(&json!(storm)).await;
    let mut ticks = 0;
    let report = client
        .delivery_stats(
            GENERATED_ENDPOINT,
            &EventFilter::default(),
            BucketWidth::Day,
            Concurrency::DEFAULT,
            |done, total| {
                ticks += 1;
                assert!(done <= total && total == 2_016);
            },
        )
        .await
        .expect("stats");
    assert_eq!(ticks, 2_016);
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    let stats = report.stats;

    let delivered = |d: Delivery| events.iter().filter(|e| e.delivery() == d).count() as u64;
    let want = (
        delivered(Delivery::Delivered),
        delivered(Delivery::Failed),
        delivered(Delivery::Unknown),
    );
    assert_eq!(parts(&stats.totals), want);
    assert_eq!(stats.totals.events, 2_016);
    assert_eq!(sum(stats.buckets.iter().map(|b| &b.counts)), want);
    assert_eq!(sum(stats.types.iter().map(|t| &t.counts)), want);
    assert_eq!(
        stats.buckets.len(),
        8,
        "a week from a Tuesday evening spans 8 UTC days"
    );
    assert!(stats.buckets.windows(2).all(|w| w[0].start < w[1].start));
    assert!(stats.buckets.iter().all(|b| b.start % 86_400 == 0));
    assert_eq!(stats.types.len(), 10);
    let grouped: u64 = stats.groups.iter().map(|g| g.count).sum();
    assert_eq!(
        grouped,
        want.1 + want.2,
        "every failed or unanswered delivery is in one group"
    );

    let in_outage = events
        .iter()
        .filter(|e| (OUTAGE.0..OUTAGE.1).contains(&e.created))
        .count() as u64;
    let outage: Vec<_> = stats
        .groups
        .iter()
        .filter(|g| g.status_code == Some(503))
        .collect();
    assert_eq!(outage.len(), 1, "{outage:?}");
    let outage = outage[0];
    assert_eq!(outage.cause, "# Service Temporarily Unavailable");
    assert_eq!(outage.count, in_outage);
    assert!(outage.first_seen >= OUTAGE.0 && outage.last_seen < OUTAGE.1);
    assert_eq!(outage.types.len(), 10);
    assert_eq!(outage.examples.len(), 3);
    let newest = events
        .iter()
        .filter(|e| (OUTAGE.0..OUTAGE.1).contains(&e.created))
        .max_by_key(|e| e.created)
        .expect("outage events");
    assert_eq!(
        outage.examples[0], newest.id,
        "examples are the newest first"
    );
    let handler = stats
        .groups
        .iter()
        .find(|g| g.cause == "handler failed: TimeoutError (event #)")
        .expect("the SDK receiver's answers group by their error class");
    assert!(handler.count > 50 && handler.status_code == Some(500));
    assert!(
        mock.requests().await.len() > 2_016 + 40,
        "the storm was retried"
    );

    let hourly = client
        .delivery_stats(
            GENERATED_ENDPOINT,
            &EventFilter {
                since: Some(OUTAGE.0),
                until: Some(OUTAGE.1 - 1),
                ..EventFilter::default()
            },
            BucketWidth::Hour,
            Concurrency::DEFAULT,
            |_, _| {},
        )
        .await
        .expect("hourly")
        .into_stats()
        .expect("all read");
    assert_eq!(
        hourly.buckets.len(),
        6,
        "five hours of outage, from 00:13 to 05:13"
    );
    assert!(hourly
        .buckets
        .iter()
        .all(|b| b.counts.failed == b.counts.events && b.counts.failure_rate == 1.0));
    assert_eq!(hourly.groups.len(), 1);
}

#[tokio::test]
async fn an_unreadable_event_is_counted_and_kept_with_its_error() {
    let mock = Mock::start(10).await;
    let client = mock.client().max_retries(0).build().expect("client");
    mock.script(&json!([{}, { "status": 404 }])).await;
    let report = client
        .delivery_stats(
            GENERATED_ENDPOINT,
            &EventFilter::default(),
            BucketWidth::Day,
            Concurrency::new(1).expect("1"),
            |_, _| {},
        )
        .await
        .expect("stats");
    assert_eq!(report.stats.unreadable, 1);
    assert_eq!(report.stats.totals.events, 9);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].0, "650000000000000000000000");
    assert!(report.into_stats().is_err());
}

/// An event created at `created` whose receiver answered `status` with `body` (no answer for
/// `None`).
fn answered(id: &str, kind: &str, created: i64, answer: Option<(u16, &str)>) -> Event {
    let response = answer.map_or(json!(null), |(status, body)| {
        json!({ "status_code": status, "status": status.to_string(), "body": body, "message": "" })
    });
    let event = json!({
        "id": id, "coid": "c", "api_version": "v1", "created": created, "type": kind,
        "endpoint_id": "ep", "data": {}, "response": response,
    });
    parse_event(event.to_string().as_bytes()).expect("event")
}

fn stats_of(events: &[Event]) -> DeliveryStats {
    let mut builder = StatsBuilder::new(BucketWidth::Hour);
    for event in events {
        builder.add(event);
    }
    builder.finish("ep", &EventFilter::default(), 0)
}

#[test]
fn bodies_that_differ_in_ids_and_numbers_group_and_other_causes_stay_apart() {
    let events = vec![
        answered(
            "a1",
            "video.uploaded",
            10,
            Some((
                500,
                "handler failed: TimeoutError (event 6501aa00ff00ff00ff00ff01)",
            )),
        ),
        answered(
            "a2",
            "video.deleted",
            20,
            Some((
                500,
                "handler failed: TimeoutError (event 6501aa00ff00ff00ff00ff02)",
            )),
        ),
        answered(
            "a3",
            "video.uploaded",
            30,
            Some((500, "handler failed: TimeoutError (event 77)")),
        ),
        answered(
            "a4",
            "video.uploaded",
            40,
            Some((
                500,
                "handler failed: ValueError (event 6501aa00ff00ff00ff00ff03)",
            )),
        ),
        answered(
            "b1",
            "video.uploaded",
            50,
            Some((
                500,
                "order 1234 of user 6f0e2d1c-aaaa-4bbb-8ccc-0123456789ab: db timeout after 30s",
            )),
        ),
        answered(
            "b2",
            "video.uploaded",
            60,
            Some((
                500,
                "order 98 of user 00000000-1111-4222-8333-444444444444: db timeout after 5s",
            )),
        ),
        answered(
            "c1",
            "video.uploaded",
            70,
            Some((
                502,
                "<html><head><title>502 Bad Gateway</title></head><body>req 81f2</body></html>",
            )),
        ),
        answered(
            "c2",
            "video.uploaded",
            80,
            Some((
                502,
                "<html>\n<head><title>502 Bad Gateway</title></head><body>req 19ab</body></html>",
            )),
        ),
        answered(
            "c3",
            "video.uploaded",
            90,
            Some((
                503,
                "<html><head><title>502 Bad Gateway</title></head></html>",
            )),
        ),
        answered("d1", "video.uploaded", 100, None),
        answered("d2", "video.uploaded", 110, None),
        answered("e1", "video.uploaded", 120, Some((200, "ok"))),
        answered("e2", "video.uploaded", 130, Some((204, ""))),
        answered(
            "f1",
            "video.uploaded",
            3_700,
            Some((500, "handler failed: TimeoutError (event 1)")),
        ),
        answered(
            "f2",
            "video.uploaded",
            3_710,
            Some((500, "handler failed: TimeoutError (event 2)")),
        ),
    ];
    let stats = stats_of(&events);
    let groups: Vec<(Option<u16>, &str, u64)> = stats
        .groups
        .iter()
        .map(|g| (g.status_code, g.cause.as_str(), g.count))
        .collect();
    assert_eq!(
        groups,
        [
            (Some(500), "handler failed: TimeoutError (event #)", 5),
            (None, "no answer", 2),
            (Some(500), "order # of user #: db timeout after #", 2),
            (Some(502), "# Bad Gateway", 2),
            (Some(500), "handler failed: ValueError (event #)", 1),
            (Some(503), "# Bad Gateway", 1),
        ],
        "the largest first, then by status and cause"
    );
    let timeouts = &stats.groups[0];
    assert_eq!((timeouts.first_seen, timeouts.last_seen), (10, 3_710));
    assert_eq!(timeouts.examples, ["f2", "f1", "a3"], "the newest three");
    let types: Vec<&str> = timeouts.types.iter().map(|t| t.as_str()).collect();
    assert_eq!(types, ["video.deleted", "video.uploaded"]);
    assert_eq!(parts(&stats.totals), (2, 11, 2));
    assert_eq!(stats.buckets.len(), 2);
    assert_eq!(parts(&stats.buckets[1].counts), (0, 2, 0));

    let mut reversed = events.clone();
    reversed.reverse();
    assert_eq!(
        stats_of(&reversed),
        stats,
        "the order of arrival changes nothing"
    );
    let mut rotated = events;
    rotated.rotate_left(7);
    assert_eq!(stats_of(&rotated), stats);
}

#[test]
fn an_empty_window_has_no_buckets_and_a_zero_rate() {
    let stats = stats_of(&[]);
    assert_eq!(stats.totals, Counts::default());
    assert!(stats.buckets.is_empty() && stats.groups.is_empty() && stats.types.is_empty());
}
