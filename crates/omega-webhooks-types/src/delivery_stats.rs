//! [`DeliveryStats`]: the delivery health of an endpoint over a window — counts per time bucket
//! and per event type, and the failed deliveries grouped by cause. The client crate computes
//! it (`Client::delivery_stats`); this is its shape, the same JSON in every language
//! (`events stats --json`, Python's `to_dict()`, Node's object).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::EventType;

/// The width of a time bucket, in UTC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BucketWidth {
    /// One bucket per hour.
    Hour,
    /// One bucket per day (midnight to midnight, UTC).
    #[default]
    Day,
}

impl BucketWidth {
    /// The bucket's length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            BucketWidth::Hour => 3_600,
            BucketWidth::Day => 86_400,
        }
    }

    /// The start (Unix seconds) of the bucket holding `at`.
    pub fn start_of(self, at: i64) -> i64 {
        at.div_euclid(self.seconds()) * self.seconds()
    }

    /// `"hour"` or `"day"`.
    pub fn as_str(self) -> &'static str {
        match self {
            BucketWidth::Hour => "hour",
            BucketWidth::Day => "day",
        }
    }
}

impl std::str::FromStr for BucketWidth {
    type Err = String;

    /// `hour` or `day`; anything else is an error naming both.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "hour" => Ok(BucketWidth::Hour),
            "day" => Ok(BucketWidth::Day),
            other => Err(format!("{other:?} is not a bucket width: use hour or day")),
        }
    }
}

/// How the deliveries of a set of events went.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    /// Events counted.
    pub events: u64,
    /// Deliveries the receiver answered 2xx.
    pub delivered: u64,
    /// Deliveries the receiver answered with any other status.
    pub failed: u64,
    /// Deliveries with no recorded answer.
    pub unknown: u64,
    /// `(failed + unknown) / events`, 0 when there are no events: the share of deliveries that
    /// did not reach the receiver's handler (what `events failures` lists).
    pub failure_rate: f64,
}

/// The deliveries of the events created in one time bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Bucket {
    /// The bucket's start, Unix seconds (UTC); it lasts the stats' `by`.
    pub start: i64,
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
}

/// The deliveries of the events of one type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TypeCounts {
    /// The event type (known or not).
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
}

/// Failed or unanswered deliveries with the same receiver status and the same cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FailureGroup {
    /// The receiver's HTTP status; null for deliveries with no answer.
    #[schemars(range(min = 0, max = 65535))]
    pub status_code: Option<u16>,
    /// The cause: the first line of the receiver's body (an HTML page's title) with ids,
    /// numbers and hex runs masked as `#`; `no answer` when there was none.
    pub cause: String,
    /// Deliveries in the group.
    pub count: u64,
    /// Creation time of its oldest event, Unix seconds.
    pub first_seen: i64,
    /// Creation time of its newest event, Unix seconds.
    pub last_seen: i64,
    /// The event types involved, sorted.
    pub types: Vec<EventType>,
    /// Up to 3 of its events, the newest first.
    pub examples: Vec<String>,
}

/// The delivery health of an endpoint over a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeliveryStats {
    /// The webhook endpoint.
    pub endpoint_id: String,
    /// The window's start (events created at or after), Unix seconds; null: from the first.
    pub since: Option<i64>,
    /// The window's end (events created at or before), Unix seconds; null: to the last.
    pub until: Option<i64>,
    /// The event types looked at; empty: every type.
    pub filter_types: Vec<EventType>,
    /// The width of the buckets.
    pub by: BucketWidth,
    /// All the events of the window.
    pub totals: Counts,
    /// The buckets that hold events, oldest first.
    pub buckets: Vec<Bucket>,
    /// Counts per event type, sorted by type.
    pub types: Vec<TypeCounts>,
    /// The failure groups, the largest first (then by status and cause).
    pub groups: Vec<FailureGroup>,
    /// Events listed but whose details could not be read (not in the counts).
    pub unreadable: u64,
}
