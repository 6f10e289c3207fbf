//! [`Follower`]: the new events of an endpoint, polled, oldest first, none lost or repeated —
//! across restarts too, with a state file.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    time::Duration,
};

use futures_util::Stream;
use omega_webhooks_types::Event;
use serde::{Deserialize, Serialize};

use crate::{Client, Error, ErrorKind};

/// How to follow an endpoint.
#[derive(Debug, Clone)]
pub struct FollowOptions {
    /// Time between two polls of the list (default 5 s).
    pub interval: Duration,
    /// Also emit, on the first poll, the unseen events created at or after this time (Unix
    /// seconds): a backfill. Without it (and without a state file), the first poll only
    /// records what is already there.
    pub since: Option<i64>,
    /// Where the ids already emitted are kept (JSON, replaced atomically on every change).
    pub state: Option<PathBuf>,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            interval: Duration::from_secs(5),
            since: None,
            state: None,
        }
    }
}

/// The state file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    endpoint_id: String,
    seen: BTreeSet<String>,
}

/// Polls an endpoint's list and hands out the events not seen before. Emitted events count as
/// seen only once [`Follower::ack`]ed, so a consumer that fails to handle one (a receiver that
/// refused it) gets it again on the next poll.
#[derive(Debug)]
pub struct Follower {
    client: Client,
    endpoint_id: String,
    options: FollowOptions,
    state: State,
    /// Whether the first poll (which sets the baseline) has happened.
    started: bool,
}

impl Client {
    /// A [`Follower`] of `endpoint_id`; a state file that cannot be read, or that belongs to
    /// another endpoint, is a [`Error::Configuration`].
    pub fn follower(&self, endpoint_id: &str, options: FollowOptions) -> Result<Follower, Error> {
        crate::validate_id("endpoint id", endpoint_id)?;
        let mut started = false;
        let state = match options.state.as_deref().map(load).transpose()? {
            Some(Some(state)) if state.endpoint_id != endpoint_id => {
                return Err(Error::Configuration(format!(
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
            options,
            state,
            started,
        })
    }
}

impl Follower {
    /// The time between polls.
    pub fn interval(&self) -> Duration {
        self.options.interval
    }

    /// One poll: the events not seen (nor acked) before, oldest first. The first poll of a
    /// follower with no state records what exists and returns only the `since` backfill.
    pub async fn poll(&mut self) -> Result<Vec<Event>, Error> {
        let events = self.client.list_events(&self.endpoint_id).await?;
        let mut new: Vec<Event> = events
            .into_iter()
            .filter(|e| !self.state.seen.contains(&e.id))
            .collect();
        if !self.started {
            self.started = true;
            let since = self.options.since;
            let (backfill, existing): (Vec<Event>, Vec<Event>) = new
                .into_iter()
                .partition(|e| since.is_some_and(|since| e.created >= since));
            self.state.seen.extend(existing.into_iter().map(|e| e.id));
            self.save()?;
            new = backfill;
        }
        new.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        Ok(new)
    }

    /// Records `event_id` as handled (and saves the state file): it is not emitted again.
    pub fn ack(&mut self, event_id: &str) -> Result<(), Error> {
        if self.state.seen.insert(event_id.to_owned()) {
            self.save()?;
        }
        Ok(())
    }

    /// Whether a poll error is worth waiting out (connection, timeout, 408/409/429, 5xx) rather
    /// than the end of following (401, 403, 404, a bad option).
    pub fn is_transient(error: &Error) -> bool {
        error.is_retryable() || error.kind() == ErrorKind::ResponseValidation
    }

    /// The follower as a stream of new events, each acked as it is handed out; transient
    /// errors are waited out (with backoff), any other ends the stream after yielding it.
    pub fn into_stream(self) -> impl Stream<Item = Result<Event, Error>> {
        struct Run {
            follower: Follower,
            pending: std::vec::IntoIter<Event>,
            failures: u32,
            polled: bool,
            done: bool,
        }
        let run = Run {
            follower: self,
            pending: Vec::new().into_iter(),
            failures: 0,
            polled: false,
            done: false,
        };
        futures_util::stream::unfold(run, |mut run| async move {
            if run.done {
                return None;
            }
            loop {
                if let Some(event) = run.pending.next() {
                    let acked = run.follower.ack(&event.id);
                    run.done = acked.is_err();
                    return Some((acked.map(|()| event), run));
                }
                if run.polled {
                    tokio::time::sleep(run.follower.backoff(run.failures)).await;
                }
                run.polled = true;
                match run.follower.poll().await {
                    Ok(events) => {
                        run.failures = 0;
                        run.pending = events.into_iter();
                    }
                    Err(e) if Follower::is_transient(&e) => {
                        tracing::warn!(error = %e, "poll failed; retrying");
                        run.failures += 1;
                    }
                    Err(e) => {
                        run.done = true;
                        return Some((Err(e), run));
                    }
                }
            }
        })
    }

    /// The wait before the next poll: the interval, or longer after failures (doubling, at
    /// most a minute).
    pub fn backoff(&self, failures: u32) -> Duration {
        let base = self.options.interval;
        if failures == 0 {
            return base;
        }
        base.saturating_mul(1 << failures.min(6))
            .min(Duration::from_secs(60).max(base))
    }

    /// Writes the state file, if there is one: a temporary file beside it, then a rename.
    fn save(&self) -> Result<(), Error> {
        let Some(path) = &self.options.state else {
            return Ok(());
        };
        let text = serde_json::to_vec_pretty(&self.state)
            .map_err(|e| Error::Configuration(format!("cannot encode the follow state: {e}")))?;
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| {
                Error::Configuration(format!(
                    "cannot write the state file {}: {e}",
                    path.display()
                ))
            })
    }
}

/// The state in `path`, or `None` when the file does not exist yet.
fn load(path: &Path) -> Result<Option<State>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::Configuration(format!(
                "the state file {} is not valid: {e}",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Configuration(format!(
            "cannot read the state file {}: {e}",
            path.display()
        ))),
    }
}
