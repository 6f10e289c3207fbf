//! `omega_webhooks._native`: the Python bindings. They only convert: every rule (validation,
//! retries, decoding, normalization) lives in the Rust crates.
//!
//! The public API is the `omega_webhooks` package around this module (`Client`,
//! `AsyncClient`, `parse_event`, the models and the exception classes).

mod args;
mod async_calls;
mod call;
mod client;
mod delivery;
mod errors;
mod event_list;
mod follower;
mod fork;
mod json;
mod models;
mod receiver;
mod runtime;
mod testing;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<async_calls::AsyncCalls>()?;
    m.add_class::<delivery::ReplayResult>()?;
    m.add_class::<follower::NativeFollower>()?;
    m.add_class::<call::NativeCall>()?;
    m.add_class::<receiver::NativeReceiver>()?;
    m.add_class::<receiver::NativeDelivery>()?;
    m.add_class::<receiver::NativeClaim>()?;
    m.add_class::<receiver::Answer>()?;
    m.add_class::<testing::NativeMockServer>()?;
    m.add_function(wrap_pyfunction!(testing::synthetic_body, m)?)?;
    m.add(
        "DEFAULT_CONCURRENCY",
        omega_webhooks_client::Concurrency::DEFAULT.get(),
    )?;
    m.add(
        "DEFAULT_POLL_INTERVAL",
        omega_webhooks_client::DEFAULT_POLL_INTERVAL.as_secs_f64(),
    )?;
    m.add(
        "DEFAULT_WAIT_TIMEOUT",
        omega_webhooks_client::DEFAULT_WAIT_TIMEOUT.as_secs_f64(),
    )?;
    m.add_function(wrap_pyfunction!(models::parse_event, m)?)?;
    models::register(m)?;
    Ok(())
}
