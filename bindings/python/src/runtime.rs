//! The tokio runtime of the Python bindings, and blocking on it from a Python thread.
//!
//! Rust threads never call into Python: blocking calls wait on the calling thread (with the
//! GIL released), and async calls report back through [`crate::dispatch`]. A Rust thread that
//! touched Python could be caught by interpreter shutdown mid-call, which crashes the process.

use std::{future::Future, sync::OnceLock, time::Duration};

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

/// Runs `future` to completion on the shared runtime with the GIL released, so other Python
/// threads keep running; Ctrl-C cancels the request and raises `KeyboardInterrupt`.
pub(crate) fn block_on<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    let runtime = runtime()?;
    let mut task = runtime.spawn(future);
    loop {
        let finished = py.detach(|| {
            runtime.block_on(async { tokio::time::timeout(SIGNAL_CHECK_INTERVAL, &mut task).await })
        });
        match finished {
            Ok(joined) => return joined.map_err(panicked)?.map_err(to_py_err),
            Err(_still_running) => {
                if let Err(interrupt) = py.check_signals() {
                    task.abort();
                    return Err(interrupt);
                }
            }
        }
    }
}

/// A panic inside the client surfaces as an exception, never a crash.
pub(crate) fn panicked(e: tokio::task::JoinError) -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err(format!("omega-webhooks internal error: {e}"))
}
