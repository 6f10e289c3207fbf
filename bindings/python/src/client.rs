//! `NativeClient`: the Rust client behind `omega_webhooks.Client` and `AsyncClient`.

use std::sync::atomic::{AtomicBool, Ordering};

use omega_webhooks_client::{Client, ClientBuilder, ClientOptions, Error};
use pyo3::prelude::*;

use crate::{
    dispatch::{AsyncCalls, Payload},
    errors::to_py_err,
    runtime::block_on,
    types::Event,
};

/// One configured client (and its connection pool), shared by the sync and async wrappers.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeClient {
    client: Client,
    closed: AtomicBool,
}

impl NativeClient {
    /// The client, unless `close()` was called.
    fn open(&self) -> PyResult<Client> {
        if self.closed.load(Ordering::Acquire) {
            return Err(to_py_err(Error::Configuration(
                "the client is closed".to_owned(),
            )));
        }
        Ok(self.client.clone())
    }
}

/// Wraps decoded events for Python.
fn wrap(events: Vec<omega_webhooks_client::Event>) -> Vec<Event> {
    events.into_iter().map(Event).collect()
}

#[pymethods]
impl NativeClient {
    /// Validates the options (see `ClientOptions`); raises `ConfigurationError`.
    #[new]
    #[pyo3(signature = (api_key, base_url, timeout, max_retries, allow_insecure_http, connect_timeout, total_timeout, retry_initial_delay, max_response_bytes))]
    #[allow(
        clippy::too_many_arguments,
        reason = "mirrors the Python keyword arguments"
    )]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        allow_insecure_http: bool,
        connect_timeout: Option<f64>,
        total_timeout: Option<f64>,
        retry_initial_delay: Option<f64>,
        max_response_bytes: Option<i64>,
    ) -> PyResult<Self> {
        let options = ClientOptions {
            api_key,
            base_url,
            timeout_secs: timeout,
            connect_timeout_secs: connect_timeout,
            total_timeout_secs: total_timeout,
            max_retries,
            retry_initial_delay_secs: retry_initial_delay,
            max_response_bytes,
            allow_insecure_http,
        };
        let version = py.version_info();
        let version = format!("{}.{}.{}", version.major, version.minor, version.patch);
        let client = options
            .into_builder()
            .map(|builder| builder.runtime("python", version))
            .and_then(ClientBuilder::build)
            .map_err(to_py_err)?;
        Ok(NativeClient {
            client,
            closed: AtomicBool::new(false),
        })
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> &str {
        self.client.base_url()
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Refuses further calls; the connection pool closes when the last call finishes.
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    /// Blocking list, with the GIL released while the request and decoding run.
    fn list_events(&self, py: Python<'_>, endpoint_id: String) -> PyResult<Vec<Event>> {
        let client = self.open()?;
        block_on(py, async move {
            client.list_events(&endpoint_id).await.map(wrap)
        })
    }

    /// Blocking get, with the GIL released while the request and decoding run.
    fn get_event(&self, py: Python<'_>, endpoint_id: String, event_id: String) -> PyResult<Event> {
        let client = self.open()?;
        block_on(py, async move {
            client.get_event(&endpoint_id, &event_id).await.map(Event)
        })
    }

    /// Starts a list on the shared runtime; the outcome arrives through `calls`.
    fn start_list_events(
        &self,
        calls: &Bound<'_, AsyncCalls>,
        endpoint_id: String,
    ) -> PyResult<u64> {
        let client = self.open()?;
        calls.get().start(async move {
            client
                .list_events(&endpoint_id)
                .await
                .map(|e| Payload::Events(wrap(e)))
        })
    }

    /// Starts a get on the shared runtime; the outcome arrives through `calls`.
    fn start_get_event(
        &self,
        calls: &Bound<'_, AsyncCalls>,
        endpoint_id: String,
        event_id: String,
    ) -> PyResult<u64> {
        let client = self.open()?;
        calls.get().start(async move {
            client
                .get_event(&endpoint_id, &event_id)
                .await
                .map(|e| Payload::Event(Box::new(Event(e))))
        })
    }
}
