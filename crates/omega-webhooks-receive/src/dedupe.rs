//! Each event handled once: [`Dedupe`], the receiver's store of the event ids it has seen, and
//! [`Claim`], the lease a worker holds on an event while its handler runs.
//!
//! The rules are the same for every store: before a handler runs, the event is **claimed** with
//! a lease; after it returns, the event is marked **done** and remembered; if it fails, the
//! claim is **released** so that a later delivery (Omega's retry, a replay) is handled. An event
//! done is a [`crate::Outcome::Duplicate`], one claimed by another worker
//! [`crate::Outcome::InProgress`], and a store that cannot be asked
//! [`crate::Outcome::StoreUnavailable`] — never a handler run without dedupe. A worker killed
//! while it holds a claim holds it until the lease ends.
//!
//! Stores: `memory` (this process, the newest [`MEMORY_CAPACITY`] ids), `sqlite:///path` (the
//! processes of one machine) and `redis://host:port/db` (several machines; `rediss://` with
//! TLS). Each claim is atomic: one transaction in SQLite, `SET NX PX` with an owner token in
//! Redis (and a compare-and-delete release).

mod memory;
mod redis_store;
mod sqlite;

use std::{
    fmt,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use omega_webhooks_client::{without_credentials, Error};

/// How long a claim holds by default: a worker killed inside a handler blocks its event this
/// long.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

/// How long a handled event is remembered by default: 7 days.
pub const DEFAULT_REMEMBER: Duration = Duration::from_secs(7 * 24 * 3600);

/// How many event ids the `memory` store keeps (the oldest go first).
pub const MEMORY_CAPACITY: usize = 100_000;

/// The longest lease or memory accepted: 365 days.
const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// The dedupe stores a receiver accepts, as a message names them.
const ACCEPTED: &str = r#"use "memory", "sqlite:///path/to/seen.db", "redis://host:port/db" or "rediss://host:port/db""#;

/// Where a store keeps an event: what it holds of it right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// Nobody held it: it is this worker's now.
    Claimed,
    /// It was handled.
    Done,
    /// Another worker holds a claim on it.
    Taken,
}

/// A store that cannot be asked (its reason never holds a password).
#[derive(Debug, Clone)]
pub(crate) struct StoreError(String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The stores.
#[derive(Debug)]
enum Store {
    Memory(memory::MemoryStore),
    Sqlite(sqlite::SqliteStore),
    Redis(Box<redis_store::RedisStore>),
}

/// A receiver's dedupe store and its timings; cheap to clone (clones share the store).
#[derive(Debug, Clone)]
pub struct Dedupe {
    store: Arc<Store>,
    lease: Duration,
    remember: Duration,
}

impl Dedupe {
    /// The store named by `spec` (see the module's doc), with `lease` and `remember` (the
    /// defaults when `None`). A SQLite file is created (and its table) now, so that a path
    /// that cannot be written is an error here; a Redis server is first asked at the first
    /// delivery (until it answers, deliveries are answered 503). Anything else is an
    /// [`Error::Configuration`] naming the accepted forms (never a password).
    pub fn open(
        spec: &str,
        lease: Option<Duration>,
        remember: Option<Duration>,
    ) -> Result<Dedupe, Error> {
        let lease = checked("lease", lease.unwrap_or(DEFAULT_LEASE))?;
        let remember = checked("remember", remember.unwrap_or(DEFAULT_REMEMBER))?;
        let spec = spec.trim();
        let store = if spec == "memory" {
            Store::Memory(memory::MemoryStore::new(MEMORY_CAPACITY))
        } else if let Some(path) = spec.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(unknown(spec, "no path after sqlite://"));
            }
            Store::Sqlite(sqlite::SqliteStore::open(PathBuf::from(path))?)
        } else if spec.starts_with("redis://") || spec.starts_with("rediss://") {
            Store::Redis(Box::new(redis_store::RedisStore::open(spec)?))
        } else {
            return Err(unknown(spec, "not a store"));
        };
        Ok(Dedupe {
            store: Arc::new(store),
            lease,
            remember,
        })
    }

    /// How long a claim holds.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    /// How long a handled event is remembered.
    pub fn remember(&self) -> Duration {
        self.remember
    }

    /// Claims the event `event_id` of `endpoint_id` for this worker: the claim, or what the
    /// store holds of it instead.
    pub(crate) async fn claim(
        &self,
        endpoint_id: &str,
        event_id: &str,
    ) -> Result<Result<Claim, Held>, StoreError> {
        let (key, token) = key_and_token(endpoint_id, event_id);
        let held = match &*self.store {
            Store::Memory(store) => store.claim(&key, &token, self.lease),
            Store::Sqlite(store) => store.claim(&key, &token, self.lease).await?,
            Store::Redis(store) => store.claim(&key, &token, self.lease).await?,
        };
        Ok(self.claimed(held, key, token))
    }

    /// [`Dedupe::claim`] at once, when the store needs no I/O (memory); else `None`.
    pub(crate) fn claim_now(
        &self,
        endpoint_id: &str,
        event_id: &str,
    ) -> Option<Result<Claim, Held>> {
        let Store::Memory(store) = &*self.store else {
            return None;
        };
        let (key, token) = key_and_token(endpoint_id, event_id);
        let held = store.claim(&key, &token, self.lease);
        Some(self.claimed(held, key, token))
    }

    /// The claim `token` holds on the event `event_id` of `endpoint_id` (see
    /// [`Claim::token`]).
    pub(crate) fn claim_of(&self, endpoint_id: &str, event_id: &str, token: String) -> Claim {
        Claim {
            held: Some((self.clone(), key(endpoint_id, event_id), token)),
        }
    }

    fn claimed(&self, held: Held, key: String, token: String) -> Result<Claim, Held> {
        match held {
            Held::Claimed => Ok(Claim {
                held: Some((self.clone(), key, token)),
            }),
            other => Err(other),
        }
    }
}

/// The store's key of an event, and a new owner token (this process's, and random).
fn key_and_token(endpoint_id: &str, event_id: &str) -> (String, String) {
    let token = format!("{:x}-{:016x}", std::process::id(), fastrand::u64(..));
    (key(endpoint_id, event_id), token)
}

/// The store's key of an event.
fn key(endpoint_id: &str, event_id: &str) -> String {
    format!("{endpoint_id}/{event_id}")
}

/// `duration`, when it is positive and at most a year.
fn checked(what: &str, duration: Duration) -> Result<Duration, Error> {
    if duration.is_zero() || duration > MAX_DURATION {
        return Err(Error::configuration(format!(
            "the dedupe {what} must be more than 0 and at most 365 days, not {duration:?}"
        )));
    }
    Ok(duration)
}

/// The error for a `dedupe` that names no store.
fn unknown(spec: &str, why: &str) -> Error {
    Error::configuration(format!(
        "dedupe {:?} is {why}: {ACCEPTED}",
        without_credentials(spec)
    ))
}

/// A worker's claim on an event: mark it [`Claim::done`] after its handler returned, or
/// [`Claim::release`] it after its handler failed. Without dedupe, a claim that holds nothing.
#[derive(Debug, Default)]
#[must_use = "a claim holds its event until done or released (or its lease ends)"]
pub struct Claim {
    held: Option<(Dedupe, String, String)>,
}

impl Claim {
    /// The claim of a receiver without dedupe: done and release do nothing.
    pub fn none() -> Claim {
        Claim::default()
    }

    /// The token the claim holds its event with (`None` for a claim that holds nothing): for a
    /// binding that keeps a claim as text across a handler's run (a claim object per delivery
    /// costs more there than the claim), and makes it a claim again with
    /// [`crate::Receiver::claim_of`] to settle it.
    pub fn token(&self) -> Option<&str> {
        self.held.as_ref().map(|(_, _, token)| token.as_str())
    }

    /// Marks the event handled: later deliveries of it are duplicates for the store's
    /// `remember`. A store that cannot be asked is logged (the lease then ends by itself).
    pub async fn done(self) {
        let Err(claim) = self.done_now() else {
            return;
        };
        claim.settle(true).await;
    }

    /// Gives the event up (its handler failed): the next delivery of it is handled. A store
    /// that cannot be asked is logged (the lease then ends by itself).
    pub async fn release(self) {
        let Err(claim) = self.release_now() else {
            return;
        };
        claim.settle(false).await;
    }

    /// [`Claim::done`] at once when the store needs no I/O (memory, or no dedupe); else the
    /// claim back, to `done().await`.
    pub fn done_now(self) -> Result<(), Claim> {
        self.settle_now(true)
    }

    /// [`Claim::release`] at once when the store needs no I/O; else the claim back.
    pub fn release_now(self) -> Result<(), Claim> {
        self.settle_now(false)
    }

    fn settle_now(self, done: bool) -> Result<(), Claim> {
        let Some((dedupe, key, token)) = &self.held else {
            return Ok(());
        };
        let Store::Memory(store) = &*dedupe.store else {
            return Err(self);
        };
        if done {
            store.done(key, token, dedupe.remember);
        } else {
            store.release(key, token);
        }
        Ok(())
    }

    /// Done (or released) in a store that does I/O.
    async fn settle(self, done: bool) {
        let Some((dedupe, key, token)) = self.held else {
            return;
        };
        let settled = match (&*dedupe.store, done) {
            (Store::Sqlite(store), true) => store.done(&key, &token, dedupe.remember).await,
            (Store::Sqlite(store), false) => store.release(&key, &token).await,
            (Store::Redis(store), true) => store.done(&key, &token, dedupe.remember).await,
            (Store::Redis(store), false) => store.release(&key, &token).await,
            // Settled at once by `settle_now`.
            (Store::Memory(_), _) => Ok(()),
        };
        if let Err(e) = settled {
            let what = if done {
                "mark an event done"
            } else {
                "release an event"
            };
            tracing::warn!(target: "omega_webhooks::receive", event = %key, "cannot {what}: {e}");
        }
    }
}

/// A [`Claim`] held by a host language's object (the Python and Node claim handles), settled
/// at most once: at once when its store needs no I/O, else taken out to settle with I/O.
#[derive(Debug, Default)]
pub struct ClaimCell(Mutex<Option<Claim>>);

impl ClaimCell {
    /// A cell holding `claim`.
    pub fn new(claim: Claim) -> ClaimCell {
        ClaimCell(Mutex::new(Some(claim)))
    }

    /// Marks the claim done (`done`) or releases it, at once when its store needs no I/O:
    /// `true` when settled (or settled before), `false` when it must be [`ClaimCell::take`]n
    /// and settled with I/O.
    pub fn settle_now(&self, done: bool) -> bool {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let Some(claim) = slot.take() else {
            return true;
        };
        let settled = if done {
            claim.done_now()
        } else {
            claim.release_now()
        };
        match settled {
            Ok(()) => true,
            Err(claim) => {
                *slot = Some(claim);
                false
            }
        }
    }

    /// The claim, to settle with I/O (once settled or taken, one that holds nothing).
    pub fn take(&self) -> Claim {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_name_a_store_or_the_accepted_forms() {
        for bad in [
            "",
            "mem",
            "sqlite://",
            "postgres://u:hunter2@db/x",
            "file:///x",
        ] {
            let message = Dedupe::open(bad, None, None)
                .expect_err("refused")
                .to_string();
            assert!(message.contains("\"memory\""), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
        }
        let bad_url = Dedupe::open("redis://u:hunter2@[::1", None, None)
            .expect_err("refused")
            .to_string();
        assert!(!bad_url.contains("hunter2"), "{bad_url}");
        assert!(Dedupe::open("redis://127.0.0.1:1/0", None, None).is_ok());
        assert!(Dedupe::open("rediss://:pw@localhost:6380/1", None, None).is_ok());
        assert!(Dedupe::open("memory", Some(Duration::ZERO), None).is_err());
        let memory = Dedupe::open("memory", None, None).expect("memory");
        assert_eq!(
            (memory.lease(), memory.remember()),
            (DEFAULT_LEASE, DEFAULT_REMEMBER)
        );
    }
}
