//! Models to Python values through their normalized JSON (the same JSON every language sees).

use pyo3::prelude::*;
use serde::Serialize;

/// The normalized JSON text of a model.
pub(crate) fn to_string<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// The normalized JSON of a model as Python dicts, lists, strings, numbers, bools and None,
/// built directly (pythonize) rather than through JSON text.
pub(crate) fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}
