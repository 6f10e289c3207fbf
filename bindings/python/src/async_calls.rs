//! [`AsyncCalls`]: the async driver of a [`NativeCall`] — how async calls report back to an
//! asyncio event loop (its inbox) without a Rust thread ever touching Python.
//!
//! A call runs as a tokio task; when it finishes, the task stores the outcome in a queue and
//! writes one byte to a socket. The `AsyncClient` wrapper keeps one `AsyncCalls` per event loop
//! (and process) and watches its socket with `loop.add_reader`, so the callback runs on the
//! thread of the loop that awaits the call and collects the outcomes with
//! [`AsyncCalls::take`] — converting them to Python objects there.

use std::{
    collections::HashMap,
    io::{ErrorKind, Read, Write},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, MutexGuard,
    },
};

use pyo3::prelude::*;
use tokio::task::AbortHandle;

use crate::{
    call::{NativeCall, Payload},
    runtime::{guarded, runtime, Failure},
};

/// The socket pair that rings an event loop (`loop.add_reader` watches the reading end): a Unix
/// socket pair. Elsewhere (Windows, whose default event loop has no `add_reader`) the async
/// client is refused with a `ConfigurationError` when it makes its first call; `Client` works.
#[cfg(unix)]
use std::os::{fd::AsRawFd, unix::net::UnixStream};

#[cfg(unix)]
fn socket_pair() -> std::io::Result<(UnixStream, UnixStream)> {
    UnixStream::pair()
}

#[cfg(not(unix))]
type UnixStream = std::net::TcpStream;

#[cfg(not(unix))]
fn socket_pair() -> std::io::Result<(UnixStream, UnixStream)> {
    Err(std::io::Error::new(
        ErrorKind::Unsupported,
        "AsyncClient needs a Unix event loop (loop.add_reader on a socket pair); use Client here",
    ))
}

/// The state shared with the tasks.
struct Shared {
    /// The process that made the sockets (see [`AsyncCalls::forked`]).
    pid: u32,
    reader: UnixStream,
    writer: UnixStream,
    finished: Mutex<Vec<(u64, Result<Payload, Failure>)>>,
    running: Mutex<HashMap<u64, AbortHandle>>,
    next_id: AtomicU64,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The async calls of one `AsyncClient`, and the socket that says some have finished.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct AsyncCalls(Arc<Shared>);

#[pymethods]
impl AsyncCalls {
    /// Starts `call` on the shared runtime; returns the call's id (its outcome comes back
    /// through [`AsyncCalls::take`]).
    fn start(&self, call: &NativeCall) -> PyResult<u64> {
        let future = call.take()?;
        let shared = Arc::clone(&self.0);
        let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
        // Held while spawning, so the task cannot finish (and unregister) before it is registered.
        let mut running = lock(&shared.running);
        let task = {
            let shared = Arc::clone(&shared);
            runtime()?.spawn(async move {
                let outcome = guarded(future).await;
                lock(&shared.running).remove(&id);
                lock(&shared.finished).push((id, outcome));
                // A full socket buffer already means "readable": nothing to do then.
                let _ = (&shared.writer).write(&[1]);
            })
        };
        running.insert(id, task.abort_handle());
        Ok(id)
    }

    #[new]
    fn new() -> PyResult<Self> {
        let (reader, writer) = socket_pair().map_err(|e| {
            crate::errors::to_py_err(omega_webhooks_client::Error::configuration(e.to_string()))
        })?;
        reader.set_nonblocking(true)?;
        writer.set_nonblocking(true)?;
        Ok(AsyncCalls(Arc::new(Shared {
            pid: std::process::id(),
            reader,
            writer,
            finished: Mutex::new(Vec::new()),
            running: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        })))
    }

    /// Whether these calls belong to the parent of a `fork()`: then they are never used here
    /// (their sockets are shared with the parent), and the wrapper makes new ones.
    #[getter]
    fn forked(&self) -> bool {
        self.0.pid != std::process::id()
    }

    /// The file descriptor to watch for readability (`loop.add_reader`).
    fn fileno(&self) -> i64 {
        #[cfg(unix)]
        return self.0.reader.as_raw_fd().into();
        // Never made elsewhere: `new` fails there.
        #[cfg(not(unix))]
        return -1;
    }

    /// The finished calls as `(id, ok, value)`: the result when `ok`, else the exception.
    fn take(&self, py: Python<'_>) -> PyResult<Vec<(u64, bool, Py<PyAny>)>> {
        let mut buffer = [0u8; 256];
        loop {
            match (&self.0.reader).read(&mut buffer) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
        let finished = std::mem::take(&mut *lock(&self.0.finished));
        let outcomes = finished.into_iter().map(|(id, outcome)| {
            match outcome.map_err(PyErr::from).and_then(|p| p.into_py(py)) {
                Ok(value) => (id, true, value),
                Err(error) => (id, false, error.into_value(py).into_any()),
            }
        });
        Ok(outcomes.collect())
    }

    /// Cancels a running call: its request is dropped and its connection closed.
    fn cancel(&self, id: u64) {
        if let Some(task) = lock(&self.0.running).remove(&id) {
            task.abort();
        }
    }
}

impl Drop for AsyncCalls {
    /// In a forked child, the shared state (and the parent's tasks it points to) is leaked
    /// rather than dropped: dropping it could release the parent's tasks and sockets.
    fn drop(&mut self) {
        if self.0.pid != std::process::id() {
            std::mem::forget(Arc::clone(&self.0));
        }
    }
}
