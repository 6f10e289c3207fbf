//! `NativeReceiver`: the Rust [`Receiver`] behind `omega_webhooks.Receiver` — reading a
//! delivery, verifying it, and every [`Answer`] — with `NativeDelivery` and `Answer` for
//! Python. Calling the handlers, and the ASGI/WSGI adapters, are the Python side's.

use std::collections::HashMap;

use omega_webhooks_client::positive_seconds;
use omega_webhooks_receive::{Answer as RustAnswer, Claim, ClaimCell, Delivery, Receiver};
use pyo3::{prelude::*, types::PyString};

use crate::{
    args,
    call::{NativeCall, Payload},
    client::NativeClient,
    errors::to_py_err,
    models::{readable_body, Event},
};

/// A receiver's answer: what to send back to Omega.
#[pyclass(module = "omega_webhooks", frozen)]
pub(crate) struct Answer {
    answer: RustAnswer,
    event: Option<Py<Event>>,
    replay: bool,
}

#[pymethods]
impl Answer {
    /// The HTTP status.
    #[getter]
    fn status(&self) -> u16 {
        self.answer.status
    }

    /// The status's reason phrase (`Content Too Large`), for a WSGI status line.
    #[getter]
    fn reason(&self) -> &'static str {
        self.answer.reason()
    }

    /// One line of plain text (at most 200 bytes).
    #[getter]
    fn body(&self) -> &str {
        &self.answer.body
    }

    /// The headers to send (`content-type`, and `allow` for 405).
    #[getter]
    fn headers(&self) -> HashMap<&'static str, &'static str> {
        self.answer.headers().into_iter().collect()
    }

    /// What became of the delivery: `handled`, `unhandled`, `invalid`, `too_large`, `failed`,
    /// `forged`, `unverified`, `method_not_allowed`, and with dedupe `duplicate`, `in_progress`,
    /// `store_unavailable`.
    #[getter]
    fn outcome(&self) -> &'static str {
        self.answer.outcome.name()
    }

    /// The event, when the body was one (the API's copy, with verification).
    #[getter]
    fn event(&self, py: Python<'_>) -> Option<Py<Event>> {
        self.event.as_ref().map(|e| e.clone_ref(py))
    }

    /// The line the receiver logs for this answer.
    #[getter]
    fn log_line(&self) -> String {
        self.answer.log_line(self.replay)
    }

    fn __repr__(&self) -> String {
        format!(
            "Answer(status={}, outcome={:?}, body={:?})",
            self.answer.status,
            self.answer.outcome.name(),
            self.answer.body
        )
    }
}

/// A delivery that passed the receiver's checks (see `NativeReceiver.read`).
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeDelivery {
    delivery: Delivery,
    event: Py<Event>,
}

#[pymethods]
impl NativeDelivery {
    /// The event the handlers get.
    #[getter]
    fn event(&self, py: Python<'_>) -> Py<Event> {
        self.event.clone_ref(py)
    }

    /// Whether this SDK replayed it.
    #[getter]
    fn replay(&self) -> bool {
        self.delivery.replay
    }
}

impl NativeDelivery {
    fn new(py: Python<'_>, delivery: Delivery) -> PyResult<NativeDelivery> {
        let event = Py::new(py, Event(delivery.event.clone()))?;
        Ok(NativeDelivery { delivery, event })
    }
}

/// A delivery read (or verified), or the answer that ends it.
pub(crate) type Received = Result<Delivery, RustAnswer>;

/// [`Received`] for Python: a `NativeDelivery`, or an `Answer`.
pub(crate) fn received_to_py(py: Python<'_>, received: Received) -> PyResult<Py<PyAny>> {
    Ok(match received {
        Ok(delivery) => Py::new(py, NativeDelivery::new(py, delivery)?)?.into_any(),
        Err(answer) => Py::new(
            py,
            Answer {
                answer,
                event: None,
                replay: false,
            },
        )?
        .into_any(),
    })
}

/// A claim read by `NativeReceiver.claim`: the claim, or the answer (duplicate, in progress,
/// store unavailable) with the delivery's event.
pub(crate) type Claimed = (Result<Claim, RustAnswer>, Py<Event>, bool);

/// [`Claimed`] for Python: a `NativeClaim`, or an `Answer`.
pub(crate) fn claimed_to_py(py: Python<'_>, claimed: Claimed) -> PyResult<Py<PyAny>> {
    let (claimed, event, replay) = claimed;
    Ok(match claimed {
        Ok(claim) => Py::new(py, NativeClaim(ClaimCell::new(claim)))?.into_any(),
        Err(answer) => Py::new(
            py,
            Answer {
                answer,
                event: Some(event),
                replay,
            },
        )?
        .into_any(),
    })
}

/// A worker's claim on an event (dedupe): `done()` after its handler returned, `release()`
/// after it failed; each a call (`NativeCall`) whose value is `None`.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeClaim(ClaimCell);

#[pymethods]
impl NativeClaim {
    /// Marks the event handled.
    fn done(&self) -> NativeCall {
        let claim = self.0.take();
        NativeCall::new(async move {
            claim.done().await;
            Ok(Payload::Nothing)
        })
    }

    /// Gives the event up, so that its next delivery is handled.
    fn release(&self) -> NativeCall {
        let claim = self.0.take();
        NativeCall::new(async move {
            claim.release().await;
            Ok(Payload::Nothing)
        })
    }

    /// `done` at once when the store needs no I/O (memory): `True`; else `False` (call
    /// `done()`).
    fn done_now(&self) -> bool {
        self.0.settle_now(true)
    }

    /// `release` at once when the store needs no I/O: `True`; else `False`.
    fn release_now(&self) -> bool {
        self.0.settle_now(false)
    }
}

/// The receiver's rules (its options checked once).
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeReceiver {
    receiver: Receiver,
    verify: Option<Py<NativeClient>>,
}

#[pymethods]
impl NativeReceiver {
    /// Checks the options: a `max_body_bytes` below 1, an endpoint id that is not an id or a
    /// dedupe store that cannot be opened is a `ConfigurationError`.
    #[new]
    #[pyo3(signature = (*, max_body_bytes=None, expose_errors=false, verify=None, endpoints=None, dedupe=None, lease=None, remember=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        max_body_bytes: Option<&Bound<'_, PyAny>>,
        expose_errors: bool,
        verify: Option<Py<NativeClient>>,
        endpoints: Option<Vec<Bound<'_, PyString>>>,
        dedupe: Option<Bound<'_, PyString>>,
        lease: Option<&Bound<'_, PyAny>>,
        remember: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut builder = Receiver::builder().expose_errors(expose_errors);
        if let Some(spec) = dedupe {
            builder = builder.dedupe(args::text(&spec, "dedupe")?);
        }
        if let Some(secs) = args::seconds(lease)? {
            builder = builder.lease(positive_seconds("lease", secs).map_err(to_py_err)?);
        }
        if let Some(secs) = args::seconds(remember)? {
            builder = builder.remember(positive_seconds("remember", secs).map_err(to_py_err)?);
        }
        if let Some(bytes) = args::count(max_body_bytes, "max_body_bytes", 1, usize::MAX as u64)? {
            let bytes = usize::try_from(bytes).map_err(|_| {
                to_py_err(omega_webhooks_client::count_out_of_range(
                    "max_body_bytes",
                    1,
                    usize::MAX as u64,
                    bytes,
                ))
            })?;
            builder = builder.max_body_bytes(bytes);
        }
        if let Some(endpoints) = endpoints {
            let ids = endpoints
                .iter()
                .map(|id| args::text(id, "an endpoint id"))
                .collect::<PyResult<Vec<_>>>()?;
            builder = builder.endpoints(ids);
        }
        let receiver = builder.build().map_err(to_py_err)?;
        Ok(NativeReceiver { receiver, verify })
    }

    /// The body cap, in bytes.
    #[getter]
    fn max_body_bytes(&self) -> usize {
        self.receiver.max_body_bytes()
    }

    /// Whether deliveries are verified with the API.
    #[getter]
    fn verifies(&self) -> bool {
        self.verify.is_some()
    }

    /// Whether each event is handled once.
    #[getter]
    fn dedupes(&self) -> bool {
        self.receiver.dedupes()
    }

    /// The call that claims `delivery`'s event before its handler runs: its value is a
    /// `NativeClaim`, or the `Answer` (duplicate 200, in progress 409, store unavailable 503).
    fn claim(&self, py: Python<'_>, delivery: &NativeDelivery) -> NativeCall {
        let receiver = self.receiver.clone();
        let head = delivery.delivery.clone();
        let event = delivery.event.clone_ref(py);
        NativeCall::new(async move {
            let claimed = receiver.claim(&head).await;
            Ok(Payload::Claimed((claimed, event, head.replay)))
        })
    }

    /// `claim` at once when the store needs no I/O (memory): a `NativeClaim` or an `Answer`;
    /// `None` when `claim` must be called.
    fn claim_now(&self, py: Python<'_>, delivery: &NativeDelivery) -> PyResult<Option<Py<PyAny>>> {
        let Some(claimed) = self.receiver.claim_now(&delivery.delivery) else {
            return Ok(None);
        };
        let claimed = (
            claimed,
            delivery.event.clone_ref(py),
            delivery.delivery.replay,
        );
        claimed_to_py(py, claimed).map(Some)
    }

    /// Reads a delivery (no I/O): a `NativeDelivery`, or the `Answer` that ends it.
    fn read(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        headers: Vec<(String, String)>,
    ) -> PyResult<Py<PyAny>> {
        let received = match readable_body(body)? {
            Ok(bytes) => self.receiver.read(headers, &bytes),
            Err(not_text) => Err(self.receiver.logged(RustAnswer::invalid(&not_text), false)),
        };
        received_to_py(py, received)
    }

    /// The call that verifies `delivery` with the API (see `Receiver::verified_with`): its
    /// value is a `NativeDelivery` with the API's copy, or the `Answer` (403, 503).
    fn verify(&self, py: Python<'_>, delivery: &NativeDelivery) -> PyResult<NativeCall> {
        let Some(client) = &self.verify else {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "omega-webhooks internal error: this receiver does not verify",
            ));
        };
        let client = client.bind(py).get().client()?;
        let receiver = self.receiver.clone();
        let delivery = delivery.delivery.clone();
        Ok(NativeCall::new(async move {
            Ok(Payload::Received(
                receiver.verified_with(&client, delivery).await,
            ))
        }))
    }

    /// The answer after a handler returned.
    fn handled(&self, py: Python<'_>, delivery: &NativeDelivery) -> Answer {
        self.answer(py, delivery, self.receiver.handled(&delivery.delivery))
    }

    /// The answer when no handler takes the event's type.
    fn unhandled(&self, py: Python<'_>, delivery: &NativeDelivery) -> Answer {
        self.answer(py, delivery, self.receiver.unhandled(&delivery.delivery))
    }

    /// The answer after a handler raised an exception of class `class` with `message`.
    fn failed(
        &self,
        py: Python<'_>,
        delivery: &NativeDelivery,
        class: &str,
        message: &str,
    ) -> Answer {
        let answer = self.receiver.failed(&delivery.delivery, class, message);
        self.answer(py, delivery, answer)
    }

    /// The adapters' answer to another method than POST.
    fn method_not_allowed(&self) -> Answer {
        let answer = self
            .receiver
            .logged(RustAnswer::method_not_allowed(), false);
        Answer {
            answer,
            event: None,
            replay: false,
        }
    }

    /// The adapters' answer to a body over the cap (found while streaming it).
    fn too_large(&self) -> Answer {
        let answer = RustAnswer::too_large(self.receiver.max_body_bytes());
        Answer {
            answer: self.receiver.logged(answer, false),
            event: None,
            replay: false,
        }
    }
}

impl NativeReceiver {
    fn answer(&self, py: Python<'_>, delivery: &NativeDelivery, answer: RustAnswer) -> Answer {
        Answer {
            answer,
            event: Some(delivery.event.clone_ref(py)),
            replay: delivery.delivery.replay,
        }
    }
}
