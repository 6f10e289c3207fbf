//! The test helpers of `omega_webhooks.testing`: `synthetic_body` (the generator and overrides
//! of `omega-webhooks trigger`) and `NativeMockServer` (the Rust mock server, in this process).

use std::sync::Arc;

use omega_webhooks_client::Error;
use omega_webhooks_mock::{
    MockConfig, MockServer, DEFAULT_API_KEY, EMBEDDED_EVENTS, GENERATED_ENDPOINT,
};
use pyo3::{prelude::*, types::PyBytes};

use crate::{errors::to_py_err, fork::PerProcess, runtime::runtime};

/// The body of a realistic event of `event_type` (see `omega_webhooks_mock::test_body`):
/// `overrides` are `(dotted path, JSON text)`; one that leaves no valid event is a
/// `ConfigurationError`.
#[pyfunction]
#[pyo3(signature = (event_type, overrides, *, seed=None))]
pub(crate) fn synthetic_body<'py>(
    py: Python<'py>,
    event_type: &str,
    overrides: Vec<(String, String)>,
    seed: Option<u64>,
) -> PyResult<Bound<'py, PyBytes>> {
    let body = omega_webhooks_mock::test_body(event_type, seed, &overrides)
        .map_err(|e| to_py_err(Error::configuration_caused(e.to_string(), e)))?;
    Ok(PyBytes::new(py, &body))
}

/// The mock Omega server on a free loopback port of this process, serving the built-in data
/// and `events` generated events, until `close()`. It belongs to the process that started it.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeMockServer {
    server: PerProcess<Arc<MockServer>>,
    base_url: String,
}

#[pymethods]
impl NativeMockServer {
    #[new]
    #[pyo3(signature = (*, events=None, seed=0))]
    fn new(py: Python<'_>, events: Option<usize>, seed: u64) -> PyResult<Self> {
        let runtime = runtime()?;
        let config = MockConfig {
            events: events.unwrap_or(EMBEDDED_EVENTS),
            seed,
            ..MockConfig::default()
        };
        let server = py
            .detach(|| runtime.block_on(MockServer::start(config)))
            .map_err(|e| {
                to_py_err(Error::configuration_caused(
                    format!("cannot start the mock server: {e}"),
                    e,
                ))
            })?;
        Ok(NativeMockServer {
            base_url: server.url(),
            server: PerProcess::with(Arc::new(server)),
        })
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The key the mock accepts.
    #[getter]
    fn api_key(&self) -> &'static str {
        DEFAULT_API_KEY
    }

    /// The endpoint of the generated events.
    #[getter]
    fn endpoint_id(&self) -> &'static str {
        GENERATED_ENDPOINT
    }

    /// Stops the server and closes its connections (a no-op in a forked child).
    fn close(&self) {
        if let Some(server) = self.server.current() {
            server.shutdown();
        }
    }
}
