//! [`AsyncCalls`]: the async driver of a [`NativeCall`] — how async calls report back to an
//! asyncio event loop (its inbox) without a Rust thread ever touching Python.
//!
//! A call runs as a tokio task; when it finishes, the task stores the outcome in a queue and
//! writes one byte to a socket. The `AsyncClient` wrapper keeps one `AsyncCalls` per event loop
//! (and process) and watches its socket (`loop.add_reader`, or `loop.sock_recv` on the portable
//! path), so the callback runs on the thread of the loop that awaits the call and collects the
//! outcomes with [`AsyncCalls::take`] — converting them to Python objects there.

use std::{
    collections::HashMap,
    io::{ErrorKind, Read, Write},
    net::{Ipv4Addr, TcpListener, TcpStream},
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

/// The socket pair that rings an event loop: a Unix socket pair, watched with
/// `loop.add_reader`; or, on the portable path (every platform: Windows, whose default event
/// loop has no `add_reader`, and Linux when forced for tests), a loopback TCP pair that the
/// wrapper reads with `loop.sock_recv`. Either way the tasks only write a byte to it.
enum Ring {
    #[cfg(unix)]
    Unix(UnixStream, UnixStream),
    Tcp(TcpStream, TcpStream),
}

impl Ring {
    /// A Unix pair, or a TCP pair when `portable` or when Unix sockets are missing.
    fn new(portable: bool) -> std::io::Result<Ring> {
        #[cfg(unix)]
        if !portable {
            let (reader, writer) = UnixStream::pair()?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            return Ok(Ring::Unix(reader, writer));
        }
        let _ = portable;
        let (reader, writer) = tcp_pair()?;
        reader.set_nonblocking(true)?;
        writer.set_nonblocking(true)?;
        Ok(Ring::Tcp(reader, writer))
    }

    /// Rings once. A full socket buffer already means "readable": nothing to do then.
    fn ring(&self) {
        let _ = match self {
            #[cfg(unix)]
            Ring::Unix(_, writer) => (&*writer).write(&[1]),
            Ring::Tcp(_, writer) => (&*writer).write(&[1]),
        };
    }

    /// Reads what is waiting on the reading end, without blocking.
    fn drain(&self) -> std::io::Result<()> {
        let mut buffer = [0u8; 256];
        loop {
            let read = match self {
                #[cfg(unix)]
                Ring::Unix(reader, _) => (&*reader).read(&mut buffer),
                Ring::Tcp(reader, _) => (&*reader).read(&mut buffer),
            };
            match read {
                Ok(0) => return Ok(()),
                Ok(_) => continue,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The reading end's file descriptor (a socket handle on Windows).
    fn fileno(&self) -> i64 {
        match self {
            #[cfg(unix)]
            Ring::Unix(reader, _) => reader.as_raw_fd().into(),
            #[cfg(unix)]
            Ring::Tcp(reader, _) => reader.as_raw_fd().into(),
            #[cfg(windows)]
            Ring::Tcp(reader, _) => i64::try_from(reader.as_raw_socket()).unwrap_or(-1),
        }
    }
}

/// A connected loopback TCP pair; the accepted end is checked to be our own connection (another
/// local process cannot slip in between listening and accepting).
fn tcp_pair() -> std::io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let writer = TcpStream::connect(listener.local_addr()?)?;
    writer.set_nodelay(true)?;
    let ours = writer.local_addr()?;
    for _ in 0..16 {
        let (reader, peer) = listener.accept()?;
        if peer == ours {
            return Ok((reader, writer));
        }
    }
    Err(std::io::Error::other(
        "the loopback socket pair was not ours",
    ))
}

#[cfg(windows)]
use std::os::windows::io::AsRawSocket;
#[cfg(unix)]
use std::os::{fd::AsRawFd, unix::net::UnixStream};

/// The state shared with the tasks.
struct Shared {
    /// The process that made the sockets (see [`AsyncCalls::forked`]).
    pid: u32,
    ring: Ring,
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
                shared.ring.ring();
            })
        };
        running.insert(id, task.abort_handle());
        Ok(id)
    }

    /// Calls that ring through a Unix socket pair, or (`portable`, and always where Unix sockets
    /// are missing) a loopback TCP pair.
    #[new]
    #[pyo3(signature = (*, portable=false))]
    fn new(portable: bool) -> PyResult<Self> {
        let ring = Ring::new(portable).map_err(|e| {
            crate::errors::to_py_err(omega_webhooks_client::Error::configuration(format!(
                "cannot make the socket pair of the async calls: {e}"
            )))
        })?;
        Ok(AsyncCalls(Arc::new(Shared {
            pid: std::process::id(),
            ring,
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

    /// Whether the calls ring through the portable TCP pair (read it with `loop.sock_recv`)
    /// rather than a Unix pair (watch it with `loop.add_reader`).
    #[getter]
    fn portable(&self) -> bool {
        matches!(self.0.ring, Ring::Tcp(..))
    }

    /// The file descriptor (a socket handle on Windows) of the reading end.
    fn fileno(&self) -> i64 {
        self.0.ring.fileno()
    }

    /// The finished calls as `(id, ok, value)`: the result when `ok`, else the exception.
    fn take(&self, py: Python<'_>) -> PyResult<Vec<(u64, bool, Py<PyAny>)>> {
        self.0.ring.drain()?;
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
