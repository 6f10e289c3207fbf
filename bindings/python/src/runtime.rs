//! Running the Rust client's futures from Python: blocking with the GIL released (sync client)
//! or as awaitables on the shared tokio runtime (async client).

use std::{future::Future, time::Duration};

use omega_webhooks_client::Error;
use pyo3::prelude::*;

use crate::errors::to_py_err;

/// How often a blocking call wakes up to let Python handle signals (Ctrl-C).
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

/// Runs `future` to completion on the shared runtime with the GIL released, so other Python
/// threads keep running; Ctrl-C cancels the request and raises `KeyboardInterrupt`.
pub(crate) fn block_on<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    let runtime = pyo3_async_runtimes::tokio::get_runtime();
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

/// An awaitable that runs `future` on the shared runtime; cancelling the awaiting task drops
/// the future, which closes its connection.
pub(crate) fn awaitable<'py, T, F>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    pyo3_async_runtimes::tokio::future_into_py(py, async move { future.await.map_err(to_py_err) })
}

/// A panic inside the client surfaces as an exception, never a crash.
fn panicked(e: tokio::task::JoinError) -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err(format!("omega-webhooks internal error: {e}"))
}
