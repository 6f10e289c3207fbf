//! `omega_webhooks._native`: the Python bindings. They only convert: every rule (validation,
//! retries, decoding, normalization) lives in the Rust crates.
//!
//! The public API is the `omega_webhooks` package around this module (`Client`,
//! `AsyncClient`, `parse_event`, the models and the exception classes).

mod args;
mod client;
mod delivery;
mod dispatch;
mod errors;
mod events;
mod follow;
mod fork;
mod json;
mod runtime;
mod types;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<dispatch::AsyncCalls>()?;
    m.add_class::<delivery::ReplayResult>()?;
    m.add_class::<follow::NativeFollower>()?;
    m.add_function(wrap_pyfunction!(types::parse_event, m)?)?;
    types::register(m)?;
    Ok(())
}
