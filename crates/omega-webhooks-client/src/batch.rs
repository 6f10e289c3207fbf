//! Many events' details at once, and the failed deliveries among an endpoint's events.

use std::{future::Future, sync::Arc, time::Duration};

use futures_util::{stream, Stream, StreamExt};
use omega_webhooks_types::{parse_events_into, Delivery, Event, EventType, ParseError};
use tokio::{sync::Mutex, time::Instant};

use crate::{
    backoff::exponential, body_decoder::Whole, Client, Concurrency, Error, ErrorKind, EventFilter,
    MAX_RETRY_AFTER,
};

/// An event of a list as a batch needs it: id, type, creation time.
type Listed = (String, EventType, i64);

/// The list call's body decoded as [`Listed`] events.
fn listed_heads(body: &[u8]) -> Result<Vec<Listed>, ParseError> {
    parse_events_into(body, |event| (event.id, event.event_type, event.created))
}

/// The first pause of a batch after a rate limit that named no delay (it then doubles).
const RATE_LIMIT_PAUSE: Duration = Duration::from_millis(500);

/// How many times one item waits out a rate limit (after the client's own retries) before its
/// `RateLimitError` is its result.
const RATE_LIMIT_ROUNDS: u32 = 5;

/// The failed (or unknown) deliveries of an endpoint, and the events whose details could not
/// be read.
#[derive(Debug, Default)]
pub struct DeliveryReport {
    /// Events whose receiver answered non-2xx, or that have no answer, in list order.
    pub failed: Vec<Event>,
    /// Events listed but whose details failed, with the error.
    pub errors: Vec<(String, Error)>,
    /// How many listed events passed the filter (and were looked at).
    pub checked: usize,
}

impl DeliveryReport {
    /// The failed events, or the first error among the events whose details could not be read
    /// (in list order): what the Python and Node `failed_deliveries` return, where a partial
    /// answer would hide the unread events.
    pub fn into_failed(self) -> Result<Vec<Event>, Error> {
        match self.errors.into_iter().next() {
            Some((_, error)) => Err(error),
            None => Ok(self.failed),
        }
    }
}

impl Client {
    /// The details of `event_ids`, at most `concurrency` at a time, as they finish:
    /// `(index in event_ids, result)`. Each call retries as usual; when one still ends in a
    /// `RateLimitError`, every call of the batch pauses for the delay the API asked for (or a
    /// backoff) and the item is tried again, so a 429 storm slows the batch down instead of
    /// failing it.
    pub fn event_details<'a>(
        &'a self,
        endpoint_id: &'a str,
        event_ids: &'a [String],
        concurrency: Concurrency,
    ) -> impl Stream<Item = (usize, Result<Event, Error>)> + 'a {
        let paused_until = Arc::new(Mutex::new(None::<Instant>));
        stream::iter(event_ids.iter().enumerate())
            .map(move |(index, id)| {
                let paused_until = Arc::clone(&paused_until);
                async move {
                    let get = || self.get_event(endpoint_id, id);
                    (index, self.patiently(&paused_until, id, get).await)
                }
            })
            .buffer_unordered(concurrency.get())
    }

    /// The details of `event_ids` in their order, each its own result (one 404 loses nothing
    /// else); see [`Client::event_details`].
    pub async fn get_events(
        &self,
        endpoint_id: &str,
        event_ids: &[String],
        concurrency: Concurrency,
    ) -> Vec<Result<Event, Error>> {
        self.ordered_details(endpoint_id, event_ids, concurrency, |_, _| {})
            .await
    }

    /// The events of `endpoint_id` that pass `filter` and whose delivery failed or is unknown:
    /// the list, then every listed event's details (`concurrency` at a time), both waiting out
    /// rate limits as [`Client::event_details`] does. `progress` is
    /// called after each detail with (done, total).
    pub async fn failed_deliveries(
        &self,
        endpoint_id: &str,
        filter: &EventFilter,
        concurrency: Concurrency,
        progress: impl FnMut(usize, usize),
    ) -> Result<DeliveryReport, Error> {
        let ids = self.listed_ids(endpoint_id, filter).await?;
        let details = self
            .ordered_details(endpoint_id, &ids, concurrency, progress)
            .await;
        let mut report = DeliveryReport {
            checked: ids.len(),
            ..DeliveryReport::default()
        };
        for (id, result) in ids.into_iter().zip(details) {
            match result {
                Ok(event) if event.delivery() != Delivery::Delivered => report.failed.push(event),
                Ok(_) => {}
                Err(error) => report.errors.push((id, error)),
            }
        }
        Ok(report)
    }

    /// The ids of the events of `endpoint_id` that pass `filter`, in list order, waiting out
    /// rate limits as [`Client::event_details`] does. Only each event's id, type and time are
    /// kept from the list, so that a large endpoint costs its ids, not its events.
    pub(crate) async fn listed_ids(
        &self,
        endpoint_id: &str,
        filter: &EventFilter,
    ) -> Result<Vec<String>, Error> {
        let gate = Mutex::new(None);
        let list = || self.list_with(endpoint_id, || Whole(listed_heads));
        let listed = self.patiently(&gate, endpoint_id, list).await?;
        Ok(listed
            .into_iter()
            .filter(|(_, event_type, created)| filter.admits(event_type, *created))
            .map(|(id, _, _)| id)
            .collect())
    }

    /// [`Client::event_details`] collected in input order, calling `progress(done, total)`.
    async fn ordered_details(
        &self,
        endpoint_id: &str,
        event_ids: &[String],
        concurrency: Concurrency,
        mut progress: impl FnMut(usize, usize),
    ) -> Vec<Result<Event, Error>> {
        let mut results: Vec<Option<Result<Event, Error>>> = std::iter::repeat_with(|| None)
            .take(event_ids.len())
            .collect();
        let mut finished = std::pin::pin!(self.event_details(endpoint_id, event_ids, concurrency));
        let mut done = 0;
        while let Some((index, result)) = finished.next().await {
            results[index] = Some(result);
            done += 1;
            progress(done, event_ids.len());
        }
        results.into_iter().flatten().collect()
    }

    /// `call`, waiting out the batch's rate limit first, and setting it when the call still
    /// ends in a `RateLimitError` (then trying again, up to [`RATE_LIMIT_ROUNDS`] times).
    async fn patiently<T, F, Fut>(
        &self,
        paused_until: &Mutex<Option<Instant>>,
        what: &str,
        call: F,
    ) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let mut round = 0;
        loop {
            let pause = *paused_until.lock().await;
            if let Some(until) = pause {
                tokio::time::sleep_until(until).await;
            }
            let result = call().await;
            let Err(error) = &result else { return result };
            if error.kind() != ErrorKind::RateLimit || round >= RATE_LIMIT_ROUNDS {
                return result;
            }
            let wait = match error.retry_after() {
                Some(asked) if asked > MAX_RETRY_AFTER => return result,
                Some(asked) => asked,
                None => exponential(RATE_LIMIT_PAUSE, MAX_RETRY_AFTER, round),
            };
            round += 1;
            tracing::debug!(what, round, ?wait, "rate limited; the batch pauses");
            let until = Instant::now()
                .checked_add(wait)
                .unwrap_or_else(Instant::now);
            let mut paused = paused_until.lock().await;
            if paused.is_none_or(|current| current < until) {
                *paused = Some(until);
            }
        }
    }
}
