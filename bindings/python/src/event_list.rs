//! [`Events`]: lists of events for Python, kept out of the cyclic garbage collector.
//!
//! Every `#[pyclass]` object is tracked by Python's cyclic GC, and a list of 10,000 events
//! adds 10,000 tracked objects: each call then set off a dozen young collections and, every few
//! calls, a full one that visits every tracked object of the process — a call's slowest rounds
//! took twice its median (docs/benchmarks.md). A model holds no Python object, so it can never
//! be part of a reference cycle: the collector has nothing to find in it.

use pyo3::{prelude::*, types::PyList, PyClass};

use crate::models::Event;

/// Events on their way to Python: a `list` of `Event`s that the cyclic GC does not track.
pub(crate) struct Events(pub(crate) Vec<Event>);

impl<'py> IntoPyObject<'py> for Events {
    type Target = PyList;
    type Output = Bound<'py, PyList>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .0
            .into_iter()
            .map(|event| Bound::new(py, event).map(untracked))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }
}

impl From<Vec<omega_webhooks_client::Event>> for Events {
    fn from(events: Vec<omega_webhooks_client::Event>) -> Self {
        Events(events.into_iter().map(Event).collect())
    }
}

/// `object`, no longer tracked by the cyclic GC (for models, which hold no Python object).
#[allow(
    unsafe_code,
    reason = "pyo3 has no safe call for PyObject_GC_UnTrack (stable ABI)"
)]
fn untracked<T: PyClass>(object: Bound<'_, T>) -> Bound<'_, T> {
    // SAFETY: the `Bound` proves the GIL is held and `object` alive; every `#[pyclass]` type
    // has `Py_TPFLAGS_HAVE_GC`, which `PyObject_GC_UnTrack` requires. An untracked object is
    // only never visited by the collector; its `tp_dealloc` untracks it again, a no-op then.
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(object.as_ptr().cast()) };
    object
}
