//! Delivery health over a window: [`StatsBuilder`] folds events one at a time into a
//! [`DeliveryStats`] (memory bounded by the buckets, types and groups, not the events), and
//! [`Client::delivery_stats`] feeds it every listed event's details as they arrive.

mod cause;

use std::collections::{BTreeMap, BTreeSet};

use futures_util::StreamExt;
use omega_webhooks_types::{
    Bucket, BucketWidth, Counts, Delivery, DeliveryStats, Event, EventType, FailureGroup,
    TypeCounts,
};

use crate::{Client, Concurrency, Error, EventFilter};

/// The most failure groups kept; further causes of a status join its `(other causes)` group.
pub const MAX_GROUPS: usize = 1_000;

/// Example event ids kept per group.
const EXAMPLES: usize = 3;

/// Errors of unreadable events kept for the caller (the rest are only counted).
const KEPT_ERRORS: usize = 100;

/// The cause of a delivery without an answer.
const NO_ANSWER: &str = "no answer";

/// The cause that groups what [`MAX_GROUPS`] leaves out.
const OTHER_CAUSES: &str = "(other causes)";

/// Delivery counts being added up.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    delivered: u64,
    failed: u64,
    unknown: u64,
}

impl Tally {
    fn add(&mut self, delivery: Delivery) {
        match delivery {
            Delivery::Delivered => self.delivered += 1,
            Delivery::Failed => self.failed += 1,
            Delivery::Unknown => self.unknown += 1,
        }
    }

    fn counts(self) -> Counts {
        let events = self.delivered + self.failed + self.unknown;
        let failure_rate = if events == 0 {
            0.0
        } else {
            (self.failed + self.unknown) as f64 / events as f64
        };
        Counts {
            events,
            delivered: self.delivered,
            failed: self.failed,
            unknown: self.unknown,
            failure_rate,
        }
    }
}

/// A failure group being built.
#[derive(Debug)]
struct GroupTally {
    count: u64,
    first_seen: i64,
    last_seen: i64,
    types: BTreeSet<String>,
    /// The newest events, as (created, id), newest first.
    examples: Vec<(i64, String)>,
}

impl GroupTally {
    fn new(created: i64) -> Self {
        GroupTally {
            count: 0,
            first_seen: created,
            last_seen: created,
            types: BTreeSet::new(),
            examples: Vec::with_capacity(EXAMPLES + 1),
        }
    }

    fn add(&mut self, event: &Event) {
        self.count += 1;
        self.first_seen = self.first_seen.min(event.created);
        self.last_seen = self.last_seen.max(event.created);
        if !self.types.contains(event.event_type.as_str()) {
            self.types.insert(event.event_type.as_str().to_owned());
        }
        // Newest first, whatever order the details arrive in: (created, id) decides.
        let example = (event.created, event.id.clone());
        let at = self.examples.partition_point(|kept| kept > &example);
        if at < EXAMPLES {
            self.examples.insert(at, example);
            self.examples.truncate(EXAMPLES);
        }
    }
}

/// Folds events into a [`DeliveryStats`], in any order, one at a time: the same events give
/// the same stats.
#[derive(Debug)]
pub struct StatsBuilder {
    by: BucketWidth,
    totals: Tally,
    buckets: BTreeMap<i64, Tally>,
    types: BTreeMap<String, Tally>,
    groups: BTreeMap<(Option<u16>, String), GroupTally>,
}

impl StatsBuilder {
    /// An empty builder with buckets `by` wide.
    pub fn new(by: BucketWidth) -> Self {
        StatsBuilder {
            by,
            totals: Tally::default(),
            buckets: BTreeMap::new(),
            types: BTreeMap::new(),
            groups: BTreeMap::new(),
        }
    }

    /// Counts `event` (in full: its `response` decides the outcome).
    pub fn add(&mut self, event: &Event) {
        let delivery = event.delivery();
        self.totals.add(delivery);
        let bucket = self.by.start_of(event.created);
        self.buckets.entry(bucket).or_default().add(delivery);
        match self.types.get_mut(event.event_type.as_str()) {
            Some(tally) => tally.add(delivery),
            None => {
                let mut tally = Tally::default();
                tally.add(delivery);
                self.types
                    .insert(event.event_type.as_str().to_owned(), tally);
            }
        }
        if delivery != Delivery::Delivered {
            self.group_of(event).add(event);
        }
    }

    /// The group `event` (not delivered) belongs to.
    fn group_of(&mut self, event: &Event) -> &mut GroupTally {
        let (status, cause) = match &event.response {
            Some(answer) => (Some(answer.status_code), cause::cause(&answer.body)),
            None => (None, NO_ANSWER.to_owned()),
        };
        let full = self.groups.len() >= MAX_GROUPS;
        let key = if full && !self.groups.contains_key(&(status, cause.clone())) {
            (status, OTHER_CAUSES.to_owned())
        } else {
            (status, cause)
        };
        self.groups
            .entry(key)
            .or_insert_with(|| GroupTally::new(event.created))
    }

    /// The stats of the events added, for `endpoint_id` over `filter`'s window, with
    /// `unreadable` events that could not be counted.
    pub fn finish(self, endpoint_id: &str, filter: &EventFilter, unreadable: u64) -> DeliveryStats {
        let buckets = self
            .buckets
            .into_iter()
            .map(|(start, tally)| Bucket {
                start,
                counts: tally.counts(),
            })
            .collect();
        let types = self
            .types
            .into_iter()
            .map(|(name, tally)| TypeCounts {
                event_type: EventType::from_wire(&name),
                counts: tally.counts(),
            })
            .collect();
        let mut groups: Vec<FailureGroup> = self
            .groups
            .into_iter()
            .map(|((status_code, cause), group)| FailureGroup {
                status_code,
                cause,
                count: group.count,
                first_seen: group.first_seen,
                last_seen: group.last_seen,
                types: group
                    .types
                    .iter()
                    .map(|t| EventType::from_wire(t))
                    .collect(),
                examples: group.examples.into_iter().map(|(_, id)| id).collect(),
            })
            .collect();
        // Largest first; the map's (status, cause) order breaks ties.
        groups.sort_by_key(|group| std::cmp::Reverse(group.count));
        let mut filter_types: Vec<EventType> = filter.types.clone();
        filter_types.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        filter_types.dedup();
        DeliveryStats {
            endpoint_id: endpoint_id.to_owned(),
            since: filter.since,
            until: filter.until,
            filter_types,
            by: self.by,
            totals: self.totals.counts(),
            buckets,
            types,
            groups,
            unreadable,
        }
    }
}

/// [`DeliveryStats`] and the events whose details could not be read.
#[derive(Debug)]
pub struct StatsReport {
    /// The stats of the events that were read.
    pub stats: DeliveryStats,
    /// The unreadable events (the first 100 in list order), with their error
    /// (`stats.unreadable` counts them all).
    pub errors: Vec<(String, Error)>,
}

impl StatsReport {
    /// The stats, or the first error among the unreadable events: what the Python and Node
    /// `delivery_stats` return, where stats that leave events out would mislead.
    pub fn into_stats(self) -> Result<DeliveryStats, Error> {
        match self.errors.into_iter().next() {
            Some((_, error)) => Err(error),
            None => Ok(self.stats),
        }
    }
}

impl Client {
    /// The delivery health of `endpoint_id` over `filter`: the list, then every listed event's
    /// details (`concurrency` at a time, rate limits waited out as in
    /// [`Client::event_details`]), each folded into the stats as it arrives and then dropped.
    /// `progress` is called after each detail with (done, total).
    pub async fn delivery_stats(
        &self,
        endpoint_id: &str,
        filter: &EventFilter,
        by: BucketWidth,
        concurrency: Concurrency,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<StatsReport, Error> {
        let ids = self.listed_ids(endpoint_id, filter).await?;
        let mut builder = StatsBuilder::new(by);
        let mut errors = Vec::new();
        let mut unreadable = 0;
        let mut finished = std::pin::pin!(self.event_details(endpoint_id, &ids, concurrency));
        let mut done = 0;
        while let Some((index, result)) = finished.next().await {
            match result {
                Ok(event) => builder.add(&event),
                Err(error) => {
                    unreadable += 1;
                    errors.push((index, ids[index].clone(), error));
                    if errors.len() > KEPT_ERRORS {
                        errors.sort_by_key(|(index, _, _)| *index);
                        errors.truncate(KEPT_ERRORS);
                    }
                }
            }
            done += 1;
            progress(done, ids.len());
        }
        errors.sort_by_key(|(index, _, _)| *index);
        Ok(StatsReport {
            stats: builder.finish(endpoint_id, filter, unreadable),
            errors: errors.into_iter().map(|(_, id, e)| (id, e)).collect(),
        })
    }
}
