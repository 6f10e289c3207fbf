//! `NativeFollower`: the Rust [`Follower`] behind `follow()` and `wait_for_event()`, handing
//! out one event per [`NativeCall`] (run blocking or on an event loop).
//!
//! The engine is [`Follower::next`]: cancel-safe, and acking an event when the next one is
//! asked for, so the Python loop around it only shapes arguments and calls `where`.

use std::{path::PathBuf, sync::Arc};

use omega_webhooks_client::{Client, Error, FollowArgs, FollowOptions, Follower};
use pyo3::{prelude::*, types::PyString};
use tokio::sync::Mutex;

use crate::{
    args,
    call::{NativeCall, Payload},
    delivery,
    errors::to_py_err,
    fork::PerProcess,
    models::Event,
};

/// One follower, used by one call at a time. It belongs to the process that made it: its
/// connections are that process's, so a forked child gets a `ConfigurationError`.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeFollower(PerProcess<Arc<Mutex<Follower>>>);

impl NativeFollower {
    /// The follower, unless this is a forked child of its process.
    fn follower(&self) -> PyResult<Arc<Mutex<Follower>>> {
        self.0.get_or_try_init(|| {
            Err(to_py_err(Error::configuration(
                "this follower was made before fork(): make a new one in this process",
            )))
        })
    }
}

#[pymethods]
impl NativeFollower {
    /// The call that waits for the next event (see `Follower::next`: cancelling it, or Ctrl-C
    /// in a blocking wait, loses nothing).
    fn next(&self) -> PyResult<NativeCall> {
        let follower = self.follower()?;
        Ok(NativeCall::new(async move {
            let event = follower.lock().await.next().await?;
            Ok(Payload::Event(Box::new(Event(event))))
        }))
    }
}

/// The options of `follow()` and `wait_for_event()` as the client crate takes them from every
/// front end (`None`: its defaults).
pub(crate) fn follow_args(
    types: Option<Vec<Bound<'_, PyString>>>,
    since: Option<&Bound<'_, PyAny>>,
    interval: Option<&Bound<'_, PyAny>>,
    state: Option<PathBuf>,
    delivered: bool,
) -> PyResult<FollowArgs> {
    Ok(FollowArgs {
        types: delivery::types(types)?,
        since: delivery::when(since, "since")?,
        interval_secs: args::seconds(interval)?,
        state,
        delivered,
    })
}

impl NativeFollower {
    /// A follower of `endpoint_id` on `client` (this process's).
    pub(crate) fn new(
        client: &Client,
        endpoint_id: &Bound<'_, PyString>,
        options: FollowOptions,
    ) -> PyResult<NativeFollower> {
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let follower = client.follower(&endpoint_id, options).map_err(to_py_err)?;
        Ok(NativeFollower(PerProcess::with(Arc::new(Mutex::new(
            follower,
        )))))
    }
}
