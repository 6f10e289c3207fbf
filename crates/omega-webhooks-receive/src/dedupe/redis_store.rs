//! The `redis://` store: receivers on several machines share one Redis. A claim is `SET key
//! token NX PX lease`; done and release are scripts that act only for the claim's owner. The
//! connection is opened at first use in each process and opened again after an error, so the
//! receiver recovers by itself when Redis is back.

use std::time::Duration;

use omega_webhooks_client::{without_credentials, Error};
use omega_webhooks_types::PerProcess;
use redis::{aio::MultiplexedConnection, AsyncConnectionConfig, Script};

use super::{Held, StoreError};

/// How long connecting, and each command, may take before the store is unavailable.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The value of an event handled (tokens are never this).
const DONE: &str = "done";

/// Marks the event done when the claim is the caller's, or nobody's any more.
const DONE_SCRIPT: &str = r"
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] or not held then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0";

/// Deletes the claim when it is the caller's.
const RELEASE_SCRIPT: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0";

/// The store.
pub(super) struct RedisStore {
    client: redis::Client,
    /// The URL without its password, for messages.
    shown: String,
    /// This process's connection (a connection never crosses `fork()`).
    connection: PerProcess<MultiplexedConnection>,
    done: Script,
    release: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// The store at `url` (checked now; connected at first use).
    pub(super) fn open(url: &str) -> Result<RedisStore, Error> {
        let shown = without_credentials(url);
        let client = redis::Client::open(url).map_err(|e| {
            Error::configuration(format!(
                "dedupe {shown:?} is not a Redis URL ({:?}): use \"redis://host:port/db\" or \"rediss://host:port/db\"",
                e.kind()
            ))
        })?;
        Ok(RedisStore {
            client,
            shown,
            connection: PerProcess::new(),
            done: Script::new(DONE_SCRIPT),
            release: Script::new(RELEASE_SCRIPT),
        })
    }

    pub(super) async fn claim(
        &self,
        key: &str,
        token: &str,
        lease: Duration,
    ) -> Result<Held, StoreError> {
        let key = redis_key(key);
        let mut connection = self.connection().await?;
        // A claim that ends between SET and GET is claimed again; three times is plenty.
        for _ in 0..3 {
            let set: Option<String> = redis::cmd("SET")
                .arg(&key)
                .arg(token)
                .arg("NX")
                .arg("PX")
                .arg(millis(lease))
                .query_async(&mut connection)
                .await
                .map_err(|e| self.failed(&e))?;
            if set.is_some() {
                return Ok(Held::Claimed);
            }
            let held: Option<String> = redis::cmd("GET")
                .arg(&key)
                .query_async(&mut connection)
                .await
                .map_err(|e| self.failed(&e))?;
            match held.as_deref() {
                Some(DONE) => return Ok(Held::Done),
                Some(_) => return Ok(Held::Taken),
                None => continue,
            }
        }
        Ok(Held::Taken)
    }

    pub(super) async fn done(
        &self,
        key: &str,
        token: &str,
        remember: Duration,
    ) -> Result<(), StoreError> {
        let mut connection = self.connection().await?;
        let _: i64 = self
            .done
            .key(redis_key(key))
            .arg(token)
            .arg(millis(remember))
            .invoke_async(&mut connection)
            .await
            .map_err(|e| self.failed(&e))?;
        Ok(())
    }

    pub(super) async fn release(&self, key: &str, token: &str) -> Result<(), StoreError> {
        let mut connection = self.connection().await?;
        let _: i64 = self
            .release
            .key(redis_key(key))
            .arg(token)
            .invoke_async(&mut connection)
            .await
            .map_err(|e| self.failed(&e))?;
        Ok(())
    }

    /// This process's connection, opened when there is none.
    async fn connection(&self) -> Result<MultiplexedConnection, StoreError> {
        if let Some(connection) = self.connection.current() {
            return Ok(connection);
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT));
        let connection = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(|e| self.failed(&e))?;
        self.connection.set(connection.clone());
        Ok(connection)
    }

    /// The error of a command: the connection is dropped (the next delivery connects again).
    fn failed(&self, error: &redis::RedisError) -> StoreError {
        self.connection.clear();
        StoreError(format!("{}: {error}", self.shown))
    }
}

/// The Redis key of an event.
fn redis_key(key: &str) -> String {
    format!("omega-webhooks:seen:{key}")
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
