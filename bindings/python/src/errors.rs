//! Rust [`Error`]s as instances of the exception classes of `omega_webhooks._errors`.

use std::io::ErrorKind as IoKind;

use omega_webhooks_client::{Error, ErrorKind};
use pyo3::{exceptions, prelude::*, sync::PyOnceLock, types::PyDict};

/// `omega_webhooks._errors`, imported once.
static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception for `error`, with `status`, `body`, `request_id`, `headers`, `retry_after`,
/// `path` and `attempts` set where they apply, and `__cause__` for connection failures,
/// timeouts and configuration errors that have one (as `raise ... from err` would).
pub(crate) fn to_py_err(error: Error) -> PyErr {
    Python::attach(|py| instantiate(py, &error).unwrap_or_else(|failed| failed))
}

fn instantiate(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let module = ERRORS.get_or_try_init(py, || -> PyResult<_> {
        Ok(py.import("omega_webhooks._errors")?.unbind())
    })?;
    let class = module.bind(py).getattr(error.kind().class_name())?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("status", error.status())?;
    kwargs.set_item("request_id", error.request_id())?;
    kwargs.set_item("path", error.path())?;
    kwargs.set_item("attempts", error.attempts())?;
    kwargs.set_item("retry_after", error.retry_after().map(|d| d.as_secs_f64()))?;
    if let Some(status) = error.status_error() {
        kwargs.set_item("body", &status.body)?;
        let headers = PyDict::new(py);
        for (name, value) in &status.headers {
            headers.set_item(name, value)?;
        }
        kwargs.set_item("headers", headers)?;
        kwargs.set_item("message", &status.message)?;
    }
    let exception = PyErr::from_value(class.call((error.to_string(),), Some(&kwargs))?);
    if let Some(cause) = error.root_cause() {
        exception.set_cause(py, Some(python_cause(cause, error.kind())));
    }
    Ok(exception)
}

/// The innermost cause as the Python exception that names it: `ConnectionRefusedError`,
/// `FileNotFoundError`, ... for an I/O error; else `TimeoutError` for a timeout, `ValueError`
/// under a configuration error (a state file that does not parse), `OSError` for the rest,
/// with its text.
fn python_cause(cause: &(dyn std::error::Error + 'static), kind: ErrorKind) -> PyErr {
    let text = cause.to_string();
    let Some(io) = cause.downcast_ref::<std::io::Error>() else {
        return match kind {
            ErrorKind::Timeout => exceptions::PyTimeoutError::new_err(text),
            ErrorKind::Configuration => exceptions::PyValueError::new_err(text),
            _ => exceptions::PyOSError::new_err(text),
        };
    };
    match io.kind() {
        IoKind::ConnectionRefused => exceptions::PyConnectionRefusedError::new_err(text),
        IoKind::ConnectionReset => exceptions::PyConnectionResetError::new_err(text),
        IoKind::ConnectionAborted => exceptions::PyConnectionAbortedError::new_err(text),
        IoKind::BrokenPipe => exceptions::PyBrokenPipeError::new_err(text),
        IoKind::TimedOut => exceptions::PyTimeoutError::new_err(text),
        IoKind::NotFound => exceptions::PyFileNotFoundError::new_err(text),
        IoKind::PermissionDenied => exceptions::PyPermissionError::new_err(text),
        IoKind::NotADirectory => exceptions::PyNotADirectoryError::new_err(text),
        IoKind::IsADirectory => exceptions::PyIsADirectoryError::new_err(text),
        _ => exceptions::PyOSError::new_err(text),
    }
}
