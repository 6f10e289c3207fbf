//! `follow()` and `waitForEvent()` for JavaScript: a [`NativeFollower`] over the Rust
//! [`Follower`], handing out one event (as JSON text) per `next()` promise.
//!
//! The engine is [`Follower::next`]: cancel-safe, and acking an event when the next one is
//! asked for, so the JS loop around it only shapes arguments and calls `where`.

use std::sync::Arc;

use napi::{bindgen_prelude::PromiseRaw, Env};
use napi_derive::napi;
use omega_webhooks_client::{positive_seconds, Error, FollowOptions, Follower};
use tokio::sync::Mutex;

use crate::{
    client::NativeClient,
    delivery::NativeFilter,
    errors::to_js_error,
    runtime::{spawn, CancelToken},
    types::{to_json, JsonText},
};

/// Options of `follow` and `waitForEvent`, as the JS entry point passes them (times as the
/// text `NativeFilter` parses, durations in milliseconds).
#[napi(object)]
#[derive(Default)]
pub struct NativeFollowOptions {
    /// Only these event types.
    pub types: Option<Vec<String>>,
    /// Also hand out the events created at or after this time (RFC 3339 or an age).
    pub since: Option<String>,
    /// Time between polls, in milliseconds.
    pub interval_ms: f64,
    /// The state file (`follow` only).
    pub state: Option<String>,
    /// Give up after this long, in milliseconds (`waitForEvent` only).
    pub timeout_ms: Option<f64>,
    /// Only events whose delivery succeeded, in full (`waitForEvent` only).
    pub delivered: Option<bool>,
}

impl NativeFollowOptions {
    /// The Rust options: a follower, or with `timeout_ms` a waiter
    /// ([`FollowOptions::waiting`], whose `since` defaults to now).
    fn into_options(self) -> Result<FollowOptions, Error> {
        let filter = NativeFilter {
            types: self.types,
            since: self.since,
            until: None,
        }
        .into_filter()?;
        let base = match self.timeout_ms {
            Some(ms) => {
                FollowOptions::waiting(filter.since, positive_seconds("timeout", ms / 1000.0)?)
            }
            None => FollowOptions {
                since: filter.since,
                state: self.state.map(Into::into),
                ..FollowOptions::default()
            },
        };
        Ok(FollowOptions {
            interval: positive_seconds("interval", self.interval_ms / 1000.0)?,
            types: filter.types,
            delivered: self.delivered.unwrap_or(false),
            ..base
        })
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
    /// A follower of the endpoint's new events: `follow`, or `waitForEvent` when the options
    /// have `timeoutMs`. A bad option or state file throws a `ConfigurationError`.
    #[napi]
    pub fn follower(
        &self,
        endpoint_id: String,
        options: NativeFollowOptions,
    ) -> napi::Result<NativeFollower> {
        let options = options.into_options().map_err(to_js_error)?;
        let follower = self
            .client()
            .follower(&endpoint_id, options)
            .map_err(to_js_error)?;
        Ok(NativeFollower(Arc::new(Mutex::new(follower))))
    }
}
