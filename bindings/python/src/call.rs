//! [`NativeCall`]: one call of the client, made (its arguments checked) but not run yet — what
//! every `NativeClient` and `NativeFollower` method returns, with two drivers: `Client` runs it
//! on the calling thread with [`NativeCall::wait`], `AsyncClient` starts it on the runtime
//! with `AsyncCalls.start` (its outcome comes back through the event loop's inbox).

use std::{future::Future, pin::Pin, sync::Mutex};

use omega_webhooks_client::Error;
use pyo3::{exceptions::PyRuntimeError, prelude::*, IntoPyObjectExt};

use crate::{
    delivery::{self, ReplayResult},
    event_list::Events,
    models::Event,
    runtime::block_on,
};

/// What a finished call produced, converted to Python by [`Payload::into_py`].
pub(crate) enum Payload {
    /// `list_events`, `failed_deliveries`.
    Events(Events),
    /// `get_event`, a follower's next event (boxed: an event is ten times a list handle).
    Event(Box<Event>),
    /// `get_events`: one result per id, and whether errors are returned rather than raised.
    Results(Vec<Result<omega_webhooks_client::Event, Error>>, bool),
    /// `replay`.
    Replayed(ReplayResult),
    /// A receiver's verification: the delivery with the API's copy, or the answer.
    Received(crate::receiver::Received),
    /// A receiver's dedupe claim, or the answer.
    Claimed(crate::receiver::Claimed),
    /// `delivery_stats` (boxed: the largest payload), as a dict of its normalized JSON.
    Stats(Box<omega_webhooks_client::DeliveryStats>),
    /// `None` (a claim marked done or released).
    Nothing,
}

impl Payload {
    /// The Python value of the outcome (for `get_events` without `return_exceptions`, the
    /// first failed item's exception).
    pub(crate) fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Payload::Events(events) => events.into_py_any(py),
            Payload::Event(event) => (*event).into_py_any(py),
            Payload::Replayed(result) => result.into_py_any(py),
            Payload::Results(results, return_exceptions) => {
                delivery::results(py, results, return_exceptions)
            }
            Payload::Received(received) => crate::receiver::received_to_py(py, received),
            Payload::Claimed(claimed) => crate::receiver::claimed_to_py(py, claimed),
            Payload::Stats(stats) => Ok(crate::json::to_py(py, &*stats)?.unbind()),
            Payload::Nothing => Ok(py.None()),
        }
    }
}

/// The future of a call.
pub(crate) type CallFuture = Pin<Box<dyn Future<Output = Result<Payload, Error>> + Send>>;

/// A call that has not run yet; it runs once, through either driver.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeCall(Mutex<Option<CallFuture>>);

impl NativeCall {
    /// A call of `future`.
    pub(crate) fn new(
        future: impl Future<Output = Result<Payload, Error>> + Send + 'static,
    ) -> NativeCall {
        NativeCall(Mutex::new(Some(Box::pin(future))))
    }

    /// The call's future, taken out (a second run is a `RuntimeError`: a bug of the wrapper).
    pub(crate) fn take(&self) -> PyResult<CallFuture> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .ok_or_else(|| {
                PyRuntimeError::new_err("omega-webhooks internal error: a call ran twice")
            })
    }
}

#[pymethods]
impl NativeCall {
    /// Runs the call on this thread with the GIL released (see `runtime::block_on`: Ctrl-C
    /// cancels it) and returns its value.
    fn wait(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        block_on(py, self.take()?)?.into_py(py)
    }
}
