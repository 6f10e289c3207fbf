//! Models to Python values through their normalized JSON (the same JSON every language sees).

use pyo3::{prelude::*, sync::PyOnceLock};
use serde::Serialize;

/// `json.loads`, looked up once.
static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The normalized JSON text of a model.
pub(crate) fn to_string<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// The normalized JSON of a model as Python dicts, lists, strings, numbers, bools and None.
pub(crate) fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let loads = LOADS.get_or_try_init(py, || -> PyResult<_> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((to_string(value)?,))
}
