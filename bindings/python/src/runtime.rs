//! The tokio runtime of the Python bindings, and blocking on it from a Python thread.
//!
//! Rust threads never call into Python: blocking calls wait on the calling thread (with the
//! GIL released), and async calls report back through [`crate::dispatch`]. A Rust thread that
//! touched Python could be caught by interpreter shutdown mid-call, which crashes the process.

use std::{any::Any, future::Future, panic::AssertUnwindSafe, sync::OnceLock, time::Duration};

use futures_util::FutureExt;

use omega_webhooks_client::Error;
use pyo3::prelude::*;
use tokio::runtime::Runtime;

use crate::errors::to_py_err;

/// How often a blocking call wakes up to let Python handle signals (Ctrl-C).
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

/// The runtime every client of this process shares (created on first use).
pub(crate) fn runtime() -> PyResult<&'static Runtime> {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    if let Some(runtime) = RUNTIME.get() {
        return Ok(runtime);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .thread_name("omega-webhooks")
        .enable_all()
        .build()
        .map_err(|e| {
            pyo3::exceptions::PyRuntimeError::new_err(format!(
                "cannot start the async runtime: {e}"
            ))
        })?;
    Ok(RUNTIME.get_or_init(|| runtime))
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
    let mut future = Box::pin(AssertUnwindSafe(future).catch_unwind());
    loop {
        let finished = py.detach(|| {
            runtime
                .block_on(async { tokio::time::timeout(SIGNAL_CHECK_INTERVAL, &mut future).await })
        });
        match finished {
            Ok(Ok(result)) => return result.map_err(to_py_err),
            Ok(Err(panic)) => return Err(panicked(panic)),
            Err(_still_running) => py.check_signals()?,
        }
    }
}

/// A panic inside the client surfaces as an exception, never a crash.
fn panicked(panic: Box<dyn Any + Send>) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    pyo3::exceptions::PyRuntimeError::new_err(format!("omega-webhooks internal error: {what}"))
}
