//! The delivery operations' Python types and arguments: `ReplayResult`, filters and
//! concurrency from keyword arguments, and per-item results of `get_events`.

use std::time::SystemTime;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta};
use omega_webhooks_client::{Concurrency, Error, EventFilter, ReplayResult as Replayed, When};
use pyo3::{prelude::*, types::PyString, IntoPyObjectExt};

use crate::{args, errors::to_py_err, models::Event};

/// What a receiver answered to one replay.
#[pyclass(module = "omega_webhooks._native", frozen, get_all)]
pub(crate) struct ReplayResult {
    /// The replayed event's id.
    event_id: String,
    /// The receiver's HTTP status.
    status: u16,
    /// The receiver's body (cut to 8 KiB).
    body: String,
    /// Seconds the POST took.
    elapsed: f64,
    /// Whether the receiver answered 2xx.
    ok: bool,
}

#[pymethods]
impl ReplayResult {
    fn __repr__(&self) -> String {
        format!(
            "ReplayResult(event_id={:?}, status={}, ok={}, elapsed={:.3})",
            self.event_id,
            self.status,
            if self.ok { "True" } else { "False" },
            self.elapsed
        )
    }
}

impl From<Replayed> for ReplayResult {
    fn from(r: Replayed) -> Self {
        ReplayResult {
            ok: r.is_success(),
            event_id: r.event_id,
            status: r.status,
            body: r.body,
            elapsed: r.elapsed.as_secs_f64(),
        }
    }
}

/// `since`/`until` as a [`When`]: an aware `datetime`, or a `timedelta` (an age before now); a
/// naive `datetime` is a `ConfigurationError` (its time zone would be a guess), and so is a
/// negative `timedelta`.
pub(crate) fn when(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<When>> {
    let Some(value) = value else { return Ok(None) };
    if let Ok(at) = value.extract::<DateTime<FixedOffset>>() {
        return Ok(Some(When::At(at.timestamp())));
    }
    if let Ok(age) = value.extract::<TimeDelta>() {
        let age = age.to_std().map_err(|_| {
            to_py_err(Error::configuration(format!(
                "{what} is a negative timedelta: pass an age before now (a positive one) or an aware datetime"
            )))
        })?;
        return Ok(Some(When::Ago(age)));
    }
    if value.extract::<NaiveDateTime>().is_ok() {
        return Err(to_py_err(Error::configuration(format!(
            "{what} is a naive datetime: pass an aware one (with tzinfo) or a timedelta"
        ))));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "{what} must be a datetime or a timedelta"
    )))
}

/// `types=` as Rust text.
pub(crate) fn types(types: Option<Vec<Bound<'_, PyString>>>) -> PyResult<Vec<String>> {
    types
        .unwrap_or_default()
        .iter()
        .map(|t| args::text(t, "an event type"))
        .collect()
}

/// The filter of `list_events(..., types=, since=, until=)` (see [`EventFilter::new`]).
pub(crate) fn filter(
    types: Option<Vec<Bound<'_, PyString>>>,
    since: Option<&Bound<'_, PyAny>>,
    until: Option<&Bound<'_, PyAny>>,
) -> PyResult<EventFilter> {
    let (types, since, until) = (
        self::types(types)?,
        when(since, "since")?,
        when(until, "until")?,
    );
    EventFilter::new(types, since, until, SystemTime::now()).map_err(to_py_err)
}

/// `concurrency=` (`None`: the default); out of range is a `ConfigurationError`.
pub(crate) fn concurrency(value: Option<&Bound<'_, PyAny>>) -> PyResult<Concurrency> {
    let given = args::count(value, "concurrency", 1, Concurrency::MAX as u64)?;
    Concurrency::or_default(given).map_err(to_py_err)
}

/// `get_events`' results for Python: the events, raising the first error in input order; or,
/// with `return_exceptions`, each item an `Event` or the exception (as `asyncio.gather`).
pub(crate) fn results(
    py: Python<'_>,
    results: Vec<Result<omega_webhooks_client::Event, Error>>,
    return_exceptions: bool,
) -> PyResult<Py<PyAny>> {
    let mut items = Vec::with_capacity(results.len());
    for result in results {
        items.push(match result {
            Ok(event) => Event(event).into_py_any(py)?,
            Err(error) if return_exceptions => to_py_err(error).into_value(py).into_any(),
            Err(error) => return Err(to_py_err(error)),
        });
    }
    items.into_py_any(py)
}
