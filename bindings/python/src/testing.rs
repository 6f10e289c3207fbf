//! The test helpers of `omega_webhooks.testing`: `synthetic_body` (the generator and overrides
//! of `omega-webhooks trigger`) and `NativeMockServer` (the Rust mock server, in this process).

use std::{
    sync::Arc,
    time::{SystemTime, UNIX_EPOCH},
};

use omega_webhooks_client::Error;
use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY, GENERATED_ENDPOINT};
use pyo3::{prelude::*, types::PyBytes};

use crate::{errors::to_py_err, fork::PerProcess, runtime::runtime};

/// The body of a realistic event of `event_type`: `overrides` are `(dotted path, JSON text)`;
/// one that leaves no valid event is a `ConfigurationError`. Without `seed`, the current
/// second seeds it (as `trigger` does); `created` defaults to now.
#[pyfunction]
#[pyo3(signature = (event_type, overrides, *, seed=None, created=None))]
pub(crate) fn synthetic_body<'py>(
    py: Python<'py>,
    event_type: &str,
    overrides: Vec<(String, String)>,
    seed: Option<u64>,
    created: Option<i64>,
) -> PyResult<Bound<'py, PyBytes>> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let overrides = overrides
        .into_iter()
        .map(|(path, json)| {
            serde_json::from_str(&json)
                .map(|value| (path.clone(), value))
                .map_err(|e| Error::configuration_caused(format!("set[{path:?}]: {e}"), e))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(to_py_err)?;
    let created = created.unwrap_or_else(|| i64::try_from(now).unwrap_or(i64::MAX));
    let body =
        omega_webhooks_mock::synthetic_body(event_type, created, seed.unwrap_or(now), &overrides)
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
    #[pyo3(signature = (*, events=25, seed=0))]
    fn new(py: Python<'_>, events: usize, seed: u64) -> PyResult<Self> {
        let runtime = runtime()?;
        let config = MockConfig {
            events,
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
