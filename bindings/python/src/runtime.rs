//! The tokio runtime of the Python bindings (one per process, rebuilt after `fork()`), blocking
//! on it from a Python thread, and [`Failure`]: what a call can end with besides a result.
//!
//! Rust threads never call into Python: blocking calls wait on the calling thread (with the
//! GIL released), and async calls report back through [`crate::async_calls`]. A Rust thread that
//! touched Python could be caught by interpreter shutdown mid-call, which crashes the process.

use std::{any::Any, future::Future, panic::AssertUnwindSafe, time::Duration};

use futures_util::FutureExt;

use omega_webhooks_client::Error;
use pyo3::prelude::*;
use tokio::runtime::Runtime;

use crate::{errors::to_py_err, fork::PerProcess};

/// How often a blocking call wakes up to let Python handle signals (Ctrl-C).
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

/// This process's runtime, shared by every client (created on first use, and again on first
/// use in a forked child: the parent's is never touched there). Call with the GIL held.
pub(crate) fn runtime() -> PyResult<&'static Runtime> {
    static RUNTIME: PerProcess<&'static Runtime> = PerProcess::new();
    RUNTIME.get_or_try_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .thread_name("omega-webhooks")
            .enable_all()
            .build()
            // Leaked: it lives as long as the process, like a static.
            .map(|runtime| &*Box::leak(Box::new(runtime)))
            .map_err(|e| {
                pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "cannot start the async runtime: {e}"
                ))
            })
    })
}

/// How a call failed: the API's error, or a panic inside the SDK (a bug, reported as
/// `RuntimeError`, never a crash).
pub(crate) enum Failure {
    /// An error of the taxonomy.
    Api(Error),
    /// A panic, with its message.
    Panic(Box<dyn Any + Send>),
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> PyErr {
        match failure {
            Failure::Api(error) => to_py_err(error),
            Failure::Panic(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "omega-webhooks internal error: {what}"
                ))
            }
        }
    }
}

/// `future` with a panic caught as [`Failure::Panic`].
pub(crate) async fn guarded<T, F>(future: F) -> Result<T, Failure>
where
    F: Future<Output = Result<T, Error>>,
{
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(result) => result.map_err(Failure::Api),
        Err(panic) => Err(Failure::Panic(panic)),
    }
}

/// Runs `future` to completion with the GIL released, so other Python threads keep running;
/// Ctrl-C cancels the request and raises `KeyboardInterrupt`.
///
/// The future runs on the calling thread (connections are still driven by the runtime's
/// workers): decoding then allocates where the Python objects are made, which keeps the peak
/// memory of large lists down.
pub(crate) fn block_on<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    let runtime = runtime()?;
    let mut future = Box::pin(guarded(future));
    loop {
        let finished = py.detach(|| {
            runtime
                .block_on(async { tokio::time::timeout(SIGNAL_CHECK_INTERVAL, &mut future).await })
        });
        match finished {
            Ok(result) => return result.map_err(PyErr::from),
            Err(_still_running) => py.check_signals()?,
        }
    }
}
