//! [`Follower`]: the new events of an endpoint, polled, oldest first, none lost or repeated —
//! across restarts too, with a state file; and, with a timeout, the engine of
//! `wait_for_event` ([`FollowOptions::waiting`]).

use std::{
    collections::{BTreeSet, VecDeque},
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use futures_util::Stream;
use omega_webhooks_types::{Delivery, Event, EventType};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::{backoff::exponential, filter::unix_seconds, Client, Error, ErrorKind};

/// Default time between two polls of a follower.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);
/// Default time `wait_for_event` waits for a matching event.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest wait between polls after failures, unless the interval itself is longer.
const MAX_POLL_BACKOFF: Duration = Duration::from_secs(60);

/// Called when a poll fails with a transient error, with the error and the wait before the
/// next poll (the CLI prints it; the bindings log it).
type PollFailure = Box<dyn FnMut(&Error, Duration) + Send>;

/// How to follow an endpoint.
#[derive(Debug, Clone)]
pub struct FollowOptions {
    /// Time between two polls of the list ([`DEFAULT_POLL_INTERVAL`]).
    pub interval: Duration,
    /// Also emit, on the first poll, the unseen events created at or after this time (Unix
    /// seconds): a backfill. Without it (and without a state file), the first poll only
    /// records what is already there.
    pub since: Option<i64>,
    /// Where the ids already emitted are kept (JSON, replaced atomically on every change).
    pub state: Option<PathBuf>,
    /// Emit only events of these types (the others count as seen); empty emits every type.
    pub types: Vec<EventType>,
    /// Emit only events whose delivery succeeded, in full: each new event's details are read,
    /// and the others count as seen.
    pub delivered: bool,
    /// [`Follower::next`] fails with [`Error::Timeout`] once this much time has passed since
    /// the follower was made (`wait_for_event`'s deadline); `None` follows for ever.
    pub timeout: Option<Duration>,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            interval: DEFAULT_POLL_INTERVAL,
            since: None,
            state: None,
            types: Vec::new(),
            delivered: false,
            timeout: None,
        }
    }
}

impl FollowOptions {
    /// The options of `wait_for_event`: the first new event within `timeout`, counting those
    /// created at or after `since` — by default the current second, so that an event that
    /// arrives between the caller's trigger and the first poll is not missed.
    pub fn waiting(since: Option<i64>, timeout: Duration) -> FollowOptions {
        FollowOptions {
            since: Some(since.unwrap_or_else(|| unix_seconds(SystemTime::now()))),
            timeout: Some(timeout),
            ..FollowOptions::default()
        }
    }
}

/// The state file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    endpoint_id: String,
    seen: BTreeSet<String>,
}

/// Polls an endpoint's list and hands out the events not seen before, one per
/// [`Follower::next`], oldest first. An event counts as seen once its consumer asks for the
/// next one; a consumer that could not handle it (a receiver that refused it) calls
/// [`Follower::release`] first, and gets it again after the next poll.
pub struct Follower {
    client: Client,
    endpoint_id: String,
    options: FollowOptions,
    state: State,
    /// Whether the first poll (which sets the baseline) has happened.
    started: bool,
    /// Polled events not handed out yet by [`Follower::next`].
    pending: VecDeque<Event>,
    /// The event [`Follower::next`] handed out last, acked by the next call.
    handed_out: Option<String>,
    /// Polls that failed in a row (for the backoff).
    failures: u32,
    /// Polls made (the first is not waited for; the timeout's error counts them).
    polls: u32,
    /// When [`FollowOptions::timeout`] runs out.
    deadline: Option<Instant>,
    /// Told about each transient poll failure.
    on_poll_failure: Option<PollFailure>,
}

impl std::fmt::Debug for Follower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Follower")
            .field("endpoint_id", &self.endpoint_id)
            .field("options", &self.options)
            .field("pending", &self.pending.len())
            .field("polls", &self.polls)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A [`Follower`] of `endpoint_id`; a zero interval or timeout, or a state file that cannot
    /// be read or that belongs to another endpoint, is a [`Error::Configuration`].
    pub fn follower(&self, endpoint_id: &str, options: FollowOptions) -> Result<Follower, Error> {
        crate::validate_id("endpoint id", endpoint_id)?;
        // A zero interval would poll the API in a tight loop; a zero timeout could never wait.
        for (what, duration) in [
            ("interval", Some(options.interval)),
            ("timeout", options.timeout),
        ] {
            if duration.is_some_and(|d| d.is_zero()) {
                return Err(Error::configuration(format!(
                    "{what} must be a positive number of seconds, not 0"
                )));
            }
        }
        let mut started = false;
        let state = match options.state.as_deref().map(load).transpose()? {
            Some(Some(state)) if state.endpoint_id != endpoint_id => {
                return Err(Error::configuration(format!(
                    "the state file belongs to endpoint {}, not {endpoint_id}",
                    state.endpoint_id
                )))
            }
            Some(Some(state)) => {
                started = true;
                state
            }
            _ => State {
                endpoint_id: endpoint_id.to_owned(),
                seen: BTreeSet::new(),
            },
        };
        Ok(Follower {
            client: self.clone(),
            endpoint_id: endpoint_id.to_owned(),
            deadline: options.timeout.map(|t| Instant::now() + t),
            options,
            state,
            started,
            pending: VecDeque::new(),
            handed_out: None,
            failures: 0,
            polls: 0,
            on_poll_failure: None,
        })
    }
}

impl Follower {
    /// The time between polls.
    pub fn interval(&self) -> Duration {
        self.options.interval
    }

    /// Calls `report` with each transient error a poll fails with (which [`Follower::next`]
    /// waits out) and the wait before the next poll; without it, such errors are logged
    /// (`tracing`, warning).
    pub fn on_poll_failure(&mut self, report: impl FnMut(&Error, Duration) + Send + 'static) {
        self.on_poll_failure = Some(Box::new(report));
    }

    /// Gives back the event [`Follower::next`] handed out last, unhandled: it is not marked
    /// seen, and comes again after the next poll (the events polled with it come first).
    pub fn release(&mut self) {
        self.handed_out = None;
    }

    /// One poll: the events not seen (nor acked) before, oldest first. The first poll of a
    /// follower with no state records what exists and returns only the `since` backfill.
    /// Events of other types than [`FollowOptions::types`] count as seen.
    async fn poll(&mut self) -> Result<Vec<Event>, Error> {
        self.polls += 1;
        let events = self.client.list_events(&self.endpoint_id).await?;
        let (mut new, skipped): (Vec<Event>, Vec<Event>) = events
            .into_iter()
            .filter(|e| !self.state.seen.contains(&e.id))
            .partition(|e| self.wanted(e));
        let mut seen: Vec<String> = skipped.into_iter().map(|e| e.id).collect();
        let first = !self.started;
        if first {
            self.started = true;
            let since = self.options.since;
            let (backfill, existing): (Vec<Event>, Vec<Event>) = new
                .into_iter()
                .partition(|e| since.is_some_and(|since| e.created >= since));
            seen.extend(existing.into_iter().map(|e| e.id));
            new = backfill;
        }
        // The baseline is saved even when empty: a restart then knows it started.
        if first || !seen.is_empty() {
            self.state.seen.extend(seen);
            self.save()?;
        }
        new.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        Ok(new)
    }

    /// Whether `event` has one of the wanted types.
    fn wanted(&self, event: &Event) -> bool {
        self.options.types.is_empty() || self.options.types.contains(&event.event_type)
    }

    /// The next new event, waiting for one: polls every interval (backing off after transient
    /// errors, which are retried for ever — the timeout bounds them), oldest first, and, with
    /// [`FollowOptions::delivered`], only events whose delivery succeeded, in full.
    ///
    /// The event handed out by the previous call is acked first (unless
    /// [`released`](Follower::release)): an event counts as handled once its consumer asks for
    /// the next one, so a consumer that stops in the middle of one gets it again after a
    /// restart. Cancel-safe: dropping the future (a cancelled task, an
    /// aborted signal) loses no event and leaves the state file as it was after the last ack.
    /// A non-transient error (401, 404, a state file that cannot be written) is returned, as is
    /// an error reading an event's details; calling again tries again. With
    /// [`FollowOptions::timeout`], the deadline is an [`Error::Timeout`].
    pub async fn next(&mut self) -> Result<Event, Error> {
        let Some(deadline) = self.deadline else {
            return self.next_event().await;
        };
        match tokio::time::timeout_at(deadline, self.next_event()).await {
            Ok(result) => result,
            Err(_elapsed) => Err(Error::Timeout {
                message: format!(
                    "no matching event within {:?} (the list was polled {} time{})",
                    self.options.timeout.unwrap_or_default(),
                    self.polls,
                    if self.polls == 1 { "" } else { "s" }
                ),
                attempts: self.polls,
                source: None,
            }),
        }
    }

    async fn next_event(&mut self) -> Result<Event, Error> {
        if let Some(id) = self.handed_out.clone() {
            self.ack(&id)?;
            self.handed_out = None;
        }
        loop {
            if let Some(event) = self.pending.front() {
                let event = if self.options.delivered {
                    let full = self.client.get_event(&self.endpoint_id, &event.id).await?;
                    if full.delivery() != Delivery::Delivered {
                        self.ack(&full.id)?;
                        self.pending.pop_front();
                        continue;
                    }
                    full
                } else {
                    event.clone()
                };
                self.pending.pop_front();
                self.handed_out = Some(event.id.clone());
                return Ok(event);
            }
            if self.polls > 0 {
                tokio::time::sleep(self.backoff(self.failures)).await;
            }
            match self.poll().await {
                Ok(events) => {
                    self.failures = 0;
                    self.pending = events.into();
                }
                Err(e) if is_transient(&e) => {
                    self.failures += 1;
                    let wait = self.backoff(self.failures);
                    match &mut self.on_poll_failure {
                        Some(report) => report(&e, wait),
                        None => tracing::warn!(error = %e, ?wait, "poll failed; polling again"),
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Records `event_id` as handled (and saves the state file): it is not emitted again.
    fn ack(&mut self, event_id: &str) -> Result<(), Error> {
        if self.state.seen.insert(event_id.to_owned()) {
            self.save()?;
        }
        Ok(())
    }

    /// The follower as a stream of [`Follower::next`]'s events (each acked when the next is
    /// asked for); the first non-transient error ends the stream after it is yielded.
    pub fn into_stream(self) -> impl Stream<Item = Result<Event, Error>> {
        futures_util::stream::unfold(Some(self), |follower| async move {
            let mut follower = follower?;
            match follower.next().await {
                Ok(event) => Some((Ok(event), Some(follower))),
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    /// The wait before the next poll after `failures` failed polls in a row: the client's
    /// backoff from the interval (no failure: the interval itself) up to a minute, or up to the
    /// interval when that is longer ([`crate::backoff`]).
    fn backoff(&self, failures: u32) -> Duration {
        let interval = self.options.interval;
        exponential(interval, MAX_POLL_BACKOFF.max(interval), failures)
    }

    /// Writes the state file, if there is one: a temporary file beside it, then a rename.
    fn save(&self) -> Result<(), Error> {
        let Some(path) = &self.options.state else {
            return Ok(());
        };
        let text = serde_json::to_vec_pretty(&self.state).map_err(|e| {
            Error::configuration_caused(format!("cannot encode the follow state: {e}"), e)
        })?;
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| {
                Error::configuration_caused(
                    format!("cannot write the state file {}: {e}", path.display()),
                    e,
                )
            })
    }
}

/// Whether a poll error is worth waiting out (connection, timeout, 408/409/429, 5xx, a body
/// that is not the documented shape) rather than the end of following (401, 403, 404, a bad
/// option).
fn is_transient(error: &Error) -> bool {
    error.is_retryable() || error.kind() == ErrorKind::ResponseValidation
}

/// The state in `path`, or `None` when the file does not exist yet.
fn load(path: &Path) -> Result<Option<State>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::configuration_caused(
                format!("the state file {} is not valid: {e}", path.display()),
                e,
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::configuration_caused(
            format!("cannot read the state file {}: {e}", path.display()),
            e,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_back_off_from_the_interval_up_to_a_minute_or_the_interval() {
        let client = Client::new("k").expect("client");
        let follower = |secs| {
            let options = FollowOptions {
                interval: Duration::from_secs(secs),
                ..FollowOptions::default()
            };
            client.follower("ep", options).expect("follower")
        };
        let every_5s = follower(5);
        assert_eq!(
            [0, 1, 2, 3, 4, 9].map(|n| every_5s.backoff(n)),
            [5, 10, 20, 40, 60, 60].map(Duration::from_secs)
        );
        let every_90s = follower(90);
        assert_eq!(
            [0, 1, 5].map(|n| every_90s.backoff(n)),
            [90, 90, 90].map(Duration::from_secs)
        );
    }
}
