//! Arguments that Python allows but Rust cannot hold as given — a `str` with a lone surrogate,
//! an `int` beyond 64 bits, a float beyond `f64` — turned into the SDK's own errors at the call
//! that takes them (never a `UnicodeEncodeError` or `OverflowError`).

use omega_webhooks_client::{count_out_of_range, Error};
use pyo3::{exceptions::PyOverflowError, prelude::*, types::PyString};

use crate::errors::to_py_err;

/// A `str` argument as Rust text; a lone surrogate is a `ConfigurationError` naming `what`.
pub(crate) fn text(value: &Bound<'_, PyString>, what: &str) -> PyResult<String> {
    value.to_cow().map(|text| text.into_owned()).map_err(|_| {
        to_py_err(Error::configuration(format!(
            "{what} is not valid text: it holds a lone surrogate"
        )))
    })
}

/// An optional `str` argument (see [`text`]).
pub(crate) fn optional_text(
    value: Option<&Bound<'_, PyString>>,
    what: &str,
) -> PyResult<Option<String>> {
    value.map(|v| text(v, what)).transpose()
}

/// An optional count in `min..=max`; an `int` too large for 64 bits is a `ConfigurationError`
/// (the range itself is checked by `ClientOptions`).
pub(crate) fn count(
    value: Option<&Bound<'_, PyAny>>,
    what: &str,
    min: u64,
    max: u64,
) -> PyResult<Option<i64>> {
    let Some(value) = value else { return Ok(None) };
    match value.extract::<i64>() {
        Ok(n) => Ok(Some(n)),
        Err(e) if e.is_instance_of::<PyOverflowError>(value.py()) => {
            Err(to_py_err(count_out_of_range(what, min, max, value.str()?)))
        }
        Err(e) => Err(e),
    }
}

/// Optional seconds; an `int` too large for a float counts as the largest float of its sign,
/// which `ClientOptions` then refuses with its own message.
pub(crate) fn seconds(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<f64>> {
    let Some(value) = value else { return Ok(None) };
    match value.extract::<f64>() {
        Ok(secs) => Ok(Some(secs)),
        Err(e) if e.is_instance_of::<PyOverflowError>(value.py()) => {
            Ok(Some(if value.gt(0)? { f64::MAX } else { f64::MIN }))
        }
        Err(e) => Err(e),
    }
}
