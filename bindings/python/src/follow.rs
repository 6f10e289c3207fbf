//! `NativeFollower`: the Rust [`Follower`] behind `follow()` and `wait_for_event()`, handing
//! out one event per call — blocking (`next`) or through an event loop's inbox (`start_next`).
//!
//! The engine is [`Follower::next`]: cancel-safe, and acking an event when the next one is
//! asked for, so the Python loop around it only shapes arguments and calls `where`.

use std::{path::PathBuf, sync::Arc};

use omega_webhooks_client::{positive_seconds, Client, Error, FollowOptions, Follower};
use pyo3::{prelude::*, types::PyString};
use tokio::sync::Mutex;

use crate::{
    delivery,
    dispatch::{AsyncCalls, Payload},
    errors::to_py_err,
    fork::PerProcess,
    runtime::block_on,
    types::Event,
};

/// One follower, used by one call at a time. It belongs to the process that made it: its
/// connections are that process's, so a forked child gets a `ConfigurationError`.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeFollower(PerProcess<Arc<Mutex<Follower>>>);

impl NativeFollower {
    /// The follower, unless this is a forked child of its process.
    fn follower(&self) -> PyResult<Arc<Mutex<Follower>>> {
        self.0.get_or_try_init(|| {
            Err(to_py_err(Error::Configuration(
                "this follower was made before fork(): make a new one in this process".to_owned(),
            )))
        })
    }
}

#[pymethods]
impl NativeFollower {
    /// The next event, blocking with the GIL released; Ctrl-C cancels the wait (losing
    /// nothing).
    fn next(&self, py: Python<'_>) -> PyResult<Event> {
        let follower = self.follower()?;
        block_on(
            py,
            async move { follower.lock().await.next().await.map(Event) },
        )
    }

    /// Starts waiting for the next event; the outcome arrives through `calls`.
    fn start_next(&self, calls: &Bound<'_, AsyncCalls>) -> PyResult<u64> {
        let follower = self.follower()?;
        calls.get().start(async move {
            let event = follower.lock().await.next().await?;
            Ok(Payload::Event(Box::new(Event(event))))
        })
    }
}

/// Seconds as a `Duration` (see `positive_seconds`).
fn seconds(value: &Bound<'_, PyAny>, what: &str) -> PyResult<std::time::Duration> {
    let secs = crate::args::seconds(Some(value))?.unwrap_or_default();
    positive_seconds(what, secs).map_err(to_py_err)
}

/// The options of `follow()`.
pub(crate) fn follow_options(
    interval: &Bound<'_, PyAny>,
    since: Option<&Bound<'_, PyAny>>,
    state: Option<PathBuf>,
    types: Option<Vec<Bound<'_, PyString>>>,
) -> PyResult<FollowOptions> {
    let filter = delivery::filter(types, since, None)?;
    Ok(FollowOptions {
        interval: seconds(interval, "interval")?,
        since: filter.since,
        state,
        types: filter.types,
        ..FollowOptions::default()
    })
}

/// The options of `wait_for_event()`: a follower that ends with `APITimeoutError` after
/// `timeout`.
pub(crate) fn wait_options(
    types: Vec<Bound<'_, PyString>>,
    timeout: &Bound<'_, PyAny>,
    interval: &Bound<'_, PyAny>,
    since: Option<&Bound<'_, PyAny>>,
    delivered: bool,
) -> PyResult<FollowOptions> {
    let filter = delivery::filter(Some(types), since, None)?;
    Ok(FollowOptions {
        interval: seconds(interval, "interval")?,
        types: filter.types,
        delivered,
        ..FollowOptions::waiting(filter.since, seconds(timeout, "timeout")?)
    })
}

impl NativeFollower {
    /// A follower of `endpoint_id` on `client` (this process's).
    pub(crate) fn new(
        client: &Client,
        endpoint_id: &Bound<'_, PyString>,
        options: FollowOptions,
    ) -> PyResult<NativeFollower> {
        let endpoint_id = crate::args::text(endpoint_id, "the endpoint id")?;
        let follower = client.follower(&endpoint_id, options).map_err(to_py_err)?;
        Ok(NativeFollower(PerProcess::with(Arc::new(Mutex::new(
            follower,
        )))))
    }
}
