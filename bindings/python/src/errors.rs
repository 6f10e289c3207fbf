//! Rust [`Error`]s as instances of the exception classes of `omega_webhooks._errors`.

use omega_webhooks_client::{Error, ErrorKind};
use pyo3::{prelude::*, sync::PyOnceLock, types::PyDict};

/// `omega_webhooks._errors`, imported once.
static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception for `error`, with `status`, `body`, `request_id`, `headers`, `retry_after`,
/// `path` and `attempts` set where they apply.
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
    Ok(PyErr::from_value(
        class.call((error.to_string(),), Some(&kwargs))?,
    ))
}

/// `[(class name, parent class name)]` for every error kind, parents first: lets the Python
/// tests check that `omega_webhooks._errors` mirrors the Rust taxonomy.
#[pyfunction]
pub(crate) fn error_classes() -> Vec<(&'static str, &'static str)> {
    ErrorKind::ALL
        .iter()
        .map(|k| (k.class_name(), k.parent_class_name()))
        .collect()
}
