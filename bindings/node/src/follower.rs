//! `follow()` and `waitForEvent()` for JavaScript: a [`NativeFollower`] over the Rust
//! [`Follower`], handing out one event (as JSON text) per `next()` promise.
//!
//! The engine is [`Follower::next`]: cancel-safe, and acking an event when the next one is
//! asked for, so the JS loop around it only shapes arguments and calls `where`.

use std::{sync::Arc, time::SystemTime};

use napi::{bindgen_prelude::PromiseRaw, Env};
use napi_derive::napi;
use omega_webhooks_client::{Error, FollowArgs, FollowOptions, Follower, When};
use tokio::sync::Mutex;

use crate::{
    client::NativeClient,
    errors::to_js_error,
    models::{to_json, JsonText},
    runtime::{spawn, CancelToken},
};

/// Options of `follow` and `waitForEvent`, as the JS entry point passes them (times as the
/// text `parse_when` reads, durations in milliseconds, `undefined` for the default).
#[napi(object)]
#[derive(Default)]
pub struct NativeFollowOptions {
    /// Only these event types.
    pub types: Option<Vec<String>>,
    /// Also hand out the events created at or after this time (RFC 3339 or an age).
    pub since: Option<String>,
    /// Time between polls, in milliseconds.
    pub interval_ms: Option<f64>,
    /// The state file (`follow` only).
    pub state: Option<String>,
    /// Give up after this long, in milliseconds (`waitForEvent` only).
    pub timeout_ms: Option<f64>,
    /// Only events whose delivery succeeded, in full (`waitForEvent` only).
    pub delivered: Option<bool>,
}

impl NativeFollowOptions {
    /// The options as the client crate takes them from every front end, and the timeout in
    /// seconds.
    fn into_args(self) -> (FollowArgs, Option<f64>) {
        let args = FollowArgs {
            types: self.types.unwrap_or_default(),
            since: self.since.map(When::Text),
            interval_secs: self.interval_ms.map(|ms| ms / 1000.0),
            state: self.state.map(Into::into),
            delivered: self.delivered.unwrap_or(false),
        };
        (args, self.timeout_ms.map(|ms| ms / 1000.0))
    }
}

/// One follower, used by one `next()` at a time.
#[napi]
pub struct NativeFollower(Arc<Mutex<Follower>>);

#[napi]
impl NativeFollower {
    /// The next event as normalized JSON text (see `Follower::next`); cancelling loses nothing.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn next<'env>(
        &self,
        env: &'env Env,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let follower = Arc::clone(&self.0);
        let call = async move {
            let event = follower.lock().await.next().await.map_err(to_js_error)?;
            to_json(&event)
        };
        spawn(env, call, cancel)
    }
}

#[napi]
impl NativeClient {
    /// A follower of the endpoint's new events (`follow`). A bad option or state file throws a
    /// `ConfigurationError`.
    #[napi]
    pub fn follower(
        &self,
        endpoint_id: String,
        options: NativeFollowOptions,
    ) -> napi::Result<NativeFollower> {
        let (args, _) = options.into_args();
        self.follower_with(&endpoint_id, args.following(SystemTime::now()))
    }

    /// A follower that ends with an `APITimeoutError` (`waitForEvent`).
    #[napi]
    pub fn waiter(
        &self,
        endpoint_id: String,
        options: NativeFollowOptions,
    ) -> napi::Result<NativeFollower> {
        let (args, timeout) = options.into_args();
        self.follower_with(&endpoint_id, args.waiting(timeout, SystemTime::now()))
    }
}

impl NativeClient {
    /// A [`NativeFollower`] with `options` (or their error).
    fn follower_with(
        &self,
        endpoint_id: &str,
        options: Result<FollowOptions, Error>,
    ) -> napi::Result<NativeFollower> {
        let follower = options
            .and_then(|options| self.client().follower(endpoint_id, options))
            .map_err(to_js_error)?;
        Ok(NativeFollower(Arc::new(Mutex::new(follower))))
    }
}

/// Milliseconds between polls when `intervalMs` is not given (the client crate's default).
#[napi]
pub const DEFAULT_POLL_INTERVAL_MS: u32 =
    omega_webhooks_client::DEFAULT_POLL_INTERVAL.as_millis() as u32;

/// Milliseconds `waitForEvent` waits when `timeoutMs` is not given (the client crate's default).
#[napi]
pub const DEFAULT_WAIT_TIMEOUT_MS: u32 =
    omega_webhooks_client::DEFAULT_WAIT_TIMEOUT.as_millis() as u32;
