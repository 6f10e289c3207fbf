//! The `sqlite:///path` store: the processes of one machine share one file (WAL, so readers
//! never wait for the writer). Each claim is one `IMMEDIATE` transaction; a file locked past
//! [`BUSY_TIMEOUT`] is a store that cannot be asked.

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use omega_webhooks_client::Error;
use omega_webhooks_types::PerProcess;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{Held, StoreError};

/// How long a claim waits for another process's transaction before the store is unavailable.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Expired rows are deleted every this many claims (per process).
const PURGE_EVERY: u64 = 1024;

/// The table, and the index that finds expired rows.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS omega_webhooks_seen (
    key TEXT PRIMARY KEY NOT NULL,
    token TEXT,
    until_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS omega_webhooks_seen_until ON omega_webhooks_seen (until_ms);
";

/// One connection of this process (a connection never crosses `fork()`: a child opens its
/// own), shared by its threads.
type Shared = Arc<Mutex<Connection>>;

/// The connection of this process (a parent's is never closed in its child: that could drop
/// the parent's locks or its WAL files).
type Slot = Arc<PerProcess<Shared>>;

/// The store.
#[derive(Debug)]
pub(super) struct SqliteStore {
    path: Arc<Path>,
    connection: Slot,
    claims: AtomicU64,
}

impl SqliteStore {
    /// The store at `path`: the file and its table created now, when missing.
    pub(super) fn open(path: PathBuf) -> Result<SqliteStore, Error> {
        let connection = connect(&path).map_err(|e| {
            Error::configuration(format!(
                "cannot open the dedupe store sqlite://{}: {e}",
                path.display()
            ))
        })?;
        // Kept: the first delivery of this process uses it.
        Ok(SqliteStore {
            path: path.into(),
            connection: Arc::new(PerProcess::with(Arc::new(Mutex::new(connection)))),
            claims: AtomicU64::new(0),
        })
    }

    pub(super) async fn claim(
        &self,
        key: &str,
        token: &str,
        lease: Duration,
    ) -> Result<Held, StoreError> {
        let purge = self.claims.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1;
        let (key, token) = (key.to_owned(), token.to_owned());
        self.run(move |connection| {
            let now = now_ms();
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let held: Option<Option<String>> = tx
                .query_row(
                    "SELECT token FROM omega_webhooks_seen WHERE key = ?1 AND until_ms > ?2",
                    params![key, now],
                    |row| row.get(0),
                )
                .optional()?;
            let outcome = match held {
                Some(None) => Held::Done,
                Some(Some(_)) => Held::Taken,
                None => {
                    tx.execute(
                        "INSERT OR REPLACE INTO omega_webhooks_seen (key, token, until_ms) VALUES (?1, ?2, ?3)",
                        params![key, token, now.saturating_add(millis(lease))],
                    )?;
                    if purge {
                        tx.execute(
                            "DELETE FROM omega_webhooks_seen WHERE until_ms <= ?1",
                            params![now],
                        )?;
                    }
                    Held::Claimed
                }
            };
            tx.commit()?;
            Ok(outcome)
        })
        .await
    }

    pub(super) async fn done(
        &self,
        key: &str,
        token: &str,
        remember: Duration,
    ) -> Result<(), StoreError> {
        let (key, token) = (key.to_owned(), token.to_owned());
        self.run(move |connection| {
            let now = now_ms();
            // Ours, or nobody's any more (the lease ended while the handler ran).
            connection.execute(
                "INSERT INTO omega_webhooks_seen (key, token, until_ms) VALUES (?1, NULL, ?3)
                 ON CONFLICT (key) DO UPDATE SET token = NULL, until_ms = excluded.until_ms
                 WHERE token = ?2 OR until_ms <= ?4",
                params![key, token, now.saturating_add(millis(remember)), now],
            )?;
            Ok(())
        })
        .await
    }

    pub(super) async fn release(&self, key: &str, token: &str) -> Result<(), StoreError> {
        let (key, token) = (key.to_owned(), token.to_owned());
        self.run(move |connection| {
            connection.execute(
                "DELETE FROM omega_webhooks_seen WHERE key = ?1 AND token = ?2",
                params![key, token],
            )?;
            Ok(())
        })
        .await
    }

    /// Runs `op` on this process's connection (opened first when it has none), on a blocking
    /// thread.
    async fn run<T: Send + 'static>(
        &self,
        op: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (slot, path) = (Arc::clone(&self.connection), Arc::clone(&self.path));
        let ran = tokio::task::spawn_blocking(move || {
            let connection = process_connection(&slot, &path)?;
            let mut connection = connection.lock().unwrap_or_else(|p| p.into_inner());
            op(&mut connection)
        })
        .await;
        let unavailable = |e: &dyn std::fmt::Display| {
            StoreError(format!("sqlite://{}: {e}", self.path.display()))
        };
        match ran {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(unavailable(&e)),
            Err(e) => Err(unavailable(&e)),
        }
    }
}

/// This process's connection in `slot`, opened on first use in each process.
fn process_connection(slot: &Slot, path: &Path) -> rusqlite::Result<Shared> {
    slot.get_or_try_init(|| Ok(Arc::new(Mutex::new(connect(path)?))))
}

/// A connection to the file at `path` (created with its table when missing). Opening can be
/// refused as busy at once, without SQLite's busy handler (switching the file to WAL, or its
/// recovery, while other processes open or close it): retried until [`BUSY_TIMEOUT`].
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match try_connect(path) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            connected => return connected,
        }
    }
}

fn try_connect(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.execute_batch(SCHEMA)?;
    Ok(connection)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// Wall-clock milliseconds: the processes sharing the file share the clock.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, millis)
}
