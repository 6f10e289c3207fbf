//! `NativeClient`: the Rust client behind `omega_webhooks.Client` and `AsyncClient`.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
};

use omega_webhooks_client::{Client, ClientBuilder, ClientOptions, Replayer};
use pyo3::{prelude::*, types::PyString};

use crate::{
    args,
    delivery::{self, ReplayResult},
    dispatch::{AsyncCalls, Payload},
    errors::to_py_err,
    events::Events,
    follow::{self, NativeFollower},
    fork::PerProcess,
    runtime::block_on,
    types::Event,
};

/// One configured client, shared by the sync and async wrappers. Its connection pool belongs
/// to one process: a forked child builds its own from the same options on first use.
#[pyclass(module = "omega_webhooks._native", frozen)]
pub(crate) struct NativeClient {
    builder: ClientBuilder,
    client: PerProcess<Client>,
    base_url: String,
    closed: AtomicBool,
}

impl NativeClient {
    /// This process's client (closed, so that calls fail, once `close()` was called).
    fn client(&self) -> PyResult<Client> {
        self.client.get_or_try_init(|| {
            let client = self.builder.clone().build().map_err(to_py_err)?;
            if self.closed.load(Ordering::Acquire) {
                client.close();
            }
            Ok(client)
        })
    }
}

#[pymethods]
impl NativeClient {
    /// Validates the options (see `ClientOptions`); raises `ConfigurationError`. Every option
    /// is keyword-only; `None` means the default.
    #[new]
    #[pyo3(signature = (*, api_key=None, base_url=None, timeout=None, max_retries=None, allow_insecure_http=false, connect_timeout=None, total_timeout=None, retry_initial_delay=None, max_response_bytes=None))]
    #[allow(
        clippy::too_many_arguments,
        reason = "mirrors the Python keyword arguments"
    )]
    fn new(
        py: Python<'_>,
        api_key: Option<&Bound<'_, PyString>>,
        base_url: Option<&Bound<'_, PyString>>,
        timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        allow_insecure_http: bool,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        total_timeout: Option<&Bound<'_, PyAny>>,
        retry_initial_delay: Option<&Bound<'_, PyAny>>,
        max_response_bytes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = ClientOptions {
            api_key: args::optional_text(api_key, "the API key")?,
            base_url: args::optional_text(base_url, "the base URL")?,
            timeout_secs: args::seconds(timeout)?,
            connect_timeout_secs: args::seconds(connect_timeout)?,
            total_timeout_secs: args::seconds(total_timeout)?,
            max_retries: args::count(max_retries, "max_retries", 0, u32::MAX.into())?,
            retry_initial_delay_secs: args::seconds(retry_initial_delay)?,
            max_response_bytes: args::count(
                max_response_bytes,
                "max_response_bytes",
                1,
                usize::MAX as u64,
            )?,
            allow_insecure_http,
        };
        let version = py.version_info();
        let version = format!("{}.{}.{}", version.major, version.minor, version.patch);
        let builder = options
            .into_builder()
            .map(|builder| builder.runtime("python", version))
            .map_err(to_py_err)?;
        let client = builder.clone().build().map_err(to_py_err)?;
        Ok(NativeClient {
            builder,
            base_url: client.base_url().to_owned(),
            client: PerProcess::with(client),
            closed: AtomicBool::new(false),
        })
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Closes the pooled connections now; later calls raise `ConfigurationError`. Calls in
    /// flight finish.
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        if let Some(client) = self.client.current() {
            client.close();
        }
    }

    /// Blocking list, filtered on the client side, with the GIL released while the request
    /// and decoding run.
    #[pyo3(signature = (endpoint_id, *, types=None, since=None, until=None))]
    fn list_events(
        &self,
        py: Python<'_>,
        endpoint_id: &Bound<'_, PyString>,
        types: Option<Vec<Bound<'_, PyString>>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Events> {
        let (endpoint_id, filter) = filtered(endpoint_id, types, since, until)?;
        let client = self.client()?;
        block_on(py, async move {
            client
                .list_events(&endpoint_id)
                .await
                .map(|events| Events::from(filter.apply(events)))
        })
    }

    /// Blocking get, with the GIL released while the request and decoding run.
    fn get_event(
        &self,
        py: Python<'_>,
        endpoint_id: &Bound<'_, PyString>,
        event_id: &Bound<'_, PyString>,
    ) -> PyResult<Event> {
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let event_id = args::text(event_id, "the event id")?;
        let client = self.client()?;
        block_on(py, async move {
            client.get_event(&endpoint_id, &event_id).await.map(Event)
        })
    }

    /// Many events in full, `concurrency` at a time, in input order (see `delivery::results`).
    #[pyo3(signature = (endpoint_id, event_ids, *, concurrency=8, return_exceptions=false))]
    fn get_events(
        &self,
        py: Python<'_>,
        endpoint_id: &Bound<'_, PyString>,
        event_ids: Vec<Bound<'_, PyString>>,
        concurrency: usize,
        return_exceptions: bool,
    ) -> PyResult<Py<PyAny>> {
        let (endpoint_id, ids) = ids(endpoint_id, &event_ids, concurrency)?;
        let client = self.client()?;
        let results = block_on(py, async move {
            Ok(client.get_events(&endpoint_id, &ids, concurrency).await)
        })?;
        delivery::results(py, results, return_exceptions)
    }

    /// The events that pass the filter and whose delivery failed or has no answer; the first
    /// event whose details could not be read raises its error.
    #[pyo3(signature = (endpoint_id, *, types=None, since=None, until=None, concurrency=8))]
    fn failed_deliveries(
        &self,
        py: Python<'_>,
        endpoint_id: &Bound<'_, PyString>,
        types: Option<Vec<Bound<'_, PyString>>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        concurrency: usize,
    ) -> PyResult<Events> {
        check_concurrency(concurrency)?;
        let (endpoint_id, filter) = filtered(endpoint_id, types, since, until)?;
        let client = self.client()?;
        block_on(py, async move {
            failed(&client, &endpoint_id, &filter, concurrency).await
        })
    }

    /// Starts `failed_deliveries` on this process's runtime; the outcome arrives through `calls`.
    #[pyo3(signature = (calls, endpoint_id, *, types=None, since=None, until=None, concurrency=8))]
    fn start_failed_deliveries(
        &self,
        calls: &Bound<'_, AsyncCalls>,
        endpoint_id: &Bound<'_, PyString>,
        types: Option<Vec<Bound<'_, PyString>>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        concurrency: usize,
    ) -> PyResult<u64> {
        check_concurrency(concurrency)?;
        let (endpoint_id, filter) = filtered(endpoint_id, types, since, until)?;
        let client = self.client()?;
        calls.get().start(async move {
            failed(&client, &endpoint_id, &filter, concurrency)
                .await
                .map(Payload::Events)
        })
    }

    /// POSTs `event` to the receiver `url` (never with the API key).
    #[pyo3(signature = (event, url, *, allow_insecure_http=false))]
    fn replay(
        &self,
        py: Python<'_>,
        event: &Bound<'_, Event>,
        url: &Bound<'_, PyString>,
        allow_insecure_http: bool,
    ) -> PyResult<ReplayResult> {
        let replayer = self.replayer(url, allow_insecure_http)?;
        let event = event.get().0.clone();
        block_on(py, async move { replayer.send(&event).await }).map(ReplayResult::from)
    }

    /// A follower of the endpoint's new events (see `Client.follow`).
    #[pyo3(signature = (endpoint_id, *, interval, since=None, state=None, types=None))]
    fn follow(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        interval: &Bound<'_, PyAny>,
        since: Option<&Bound<'_, PyAny>>,
        state: Option<PathBuf>,
        types: Option<Vec<Bound<'_, PyString>>>,
    ) -> PyResult<NativeFollower> {
        let options = follow::follow_options(interval, since, state, types)?;
        NativeFollower::new(&self.client()?, endpoint_id, options)
    }

    /// A follower for `wait_for_event` (see `Client.wait_for_event`).
    #[pyo3(signature = (endpoint_id, *, types, timeout, interval, since=None, delivered=false))]
    fn waiter(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        types: Vec<Bound<'_, PyString>>,
        timeout: &Bound<'_, PyAny>,
        interval: &Bound<'_, PyAny>,
        since: Option<&Bound<'_, PyAny>>,
        delivered: bool,
    ) -> PyResult<NativeFollower> {
        let options = follow::wait_options(types, timeout, interval, since, delivered)?;
        NativeFollower::new(&self.client()?, endpoint_id, options)
    }

    /// Starts a filtered list on this process's runtime; the outcome arrives through `calls`.
    #[pyo3(signature = (calls, endpoint_id, *, types=None, since=None, until=None))]
    fn start_list_events(
        &self,
        calls: &Bound<'_, AsyncCalls>,
        endpoint_id: &Bound<'_, PyString>,
        types: Option<Vec<Bound<'_, PyString>>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        let (endpoint_id, filter) = filtered(endpoint_id, types, since, until)?;
        let client = self.client()?;
        calls.get().start(async move {
            client
                .list_events(&endpoint_id)
                .await
                .map(|e| Payload::Events(Events::from(filter.apply(e))))
        })
    }

    /// Starts a get on this process's runtime; the outcome arrives through `calls`.
    fn start_get_event(
        &self,
        calls: &Bound<'_, AsyncCalls>,
        endpoint_id: &Bound<'_, PyString>,
        event_id: &Bound<'_, PyString>,
    ) -> PyResult<u64> {
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let event_id = args::text(event_id, "the event id")?;
        let client = self.client()?;
        calls.get().start(async move {
            client
                .get_event(&endpoint_id, &event_id)
                .await
                .map(|e| Payload::Event(Box::new(Event(e))))
        })
    }

    /// Starts `get_events` on this process's runtime; the outcome arrives through `calls`.
    #[pyo3(signature = (calls, endpoint_id, event_ids, *, concurrency=8, return_exceptions=false))]
    fn start_get_events(
        &self,
        calls: &Bound<'_, AsyncCalls>,
        endpoint_id: &Bound<'_, PyString>,
        event_ids: Vec<Bound<'_, PyString>>,
        concurrency: usize,
        return_exceptions: bool,
    ) -> PyResult<u64> {
        let (endpoint_id, ids) = ids(endpoint_id, &event_ids, concurrency)?;
        let client = self.client()?;
        calls.get().start(async move {
            let results = client.get_events(&endpoint_id, &ids, concurrency).await;
            Ok(Payload::Results(results, return_exceptions))
        })
    }

    /// Starts `replay` on this process's runtime; the outcome arrives through `calls`.
    #[pyo3(signature = (calls, event, url, *, allow_insecure_http=false))]
    fn start_replay(
        &self,
        calls: &Bound<'_, AsyncCalls>,
        event: &Bound<'_, Event>,
        url: &Bound<'_, PyString>,
        allow_insecure_http: bool,
    ) -> PyResult<u64> {
        let replayer = self.replayer(url, allow_insecure_http)?;
        let event = event.get().0.clone();
        calls.get().start(async move {
            replayer
                .send(&event)
                .await
                .map(|r| Payload::Replayed(ReplayResult::from(r)))
        })
    }
}

impl NativeClient {
    /// A replayer for `url` (a `ConfigurationError` for a bad or insecure URL).
    fn replayer(&self, url: &Bound<'_, PyString>, allow_insecure_http: bool) -> PyResult<Replayer> {
        let url = args::text(url, "the receiver URL")?;
        self.client()?
            .replayer(&url, allow_insecure_http)
            .map_err(to_py_err)
    }
}

/// `failed_deliveries`: the failed events, or the first error among unreadable details.
async fn failed(
    client: &Client,
    endpoint_id: &str,
    filter: &omega_webhooks_client::EventFilter,
    concurrency: usize,
) -> Result<Events, omega_webhooks_client::Error> {
    let report = client
        .failed_deliveries(endpoint_id, filter, concurrency, |_, _| {})
        .await?;
    report.into_failed().map(Events::from)
}

/// A concurrency of at least 1 (0 is a `ConfigurationError`).
fn check_concurrency(concurrency: usize) -> PyResult<()> {
    if concurrency == 0 {
        return Err(to_py_err(omega_webhooks_client::count_out_of_range(
            "concurrency",
            1,
            usize::MAX as u64,
            0,
        )));
    }
    Ok(())
}

/// The endpoint and the filter of a filtered call, as Rust values.
fn filtered(
    endpoint_id: &Bound<'_, PyString>,
    types: Option<Vec<Bound<'_, PyString>>>,
    since: Option<&Bound<'_, PyAny>>,
    until: Option<&Bound<'_, PyAny>>,
) -> PyResult<(String, omega_webhooks_client::EventFilter)> {
    let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
    Ok((endpoint_id, delivery::filter(types, since, until)?))
}

/// The endpoint id and event ids as Rust text; a concurrency of 0 is a `ConfigurationError`.
fn ids(
    endpoint_id: &Bound<'_, PyString>,
    event_ids: &[Bound<'_, PyString>],
    concurrency: usize,
) -> PyResult<(String, Vec<String>)> {
    check_concurrency(concurrency)?;
    let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
    let ids = event_ids
        .iter()
        .map(|id| args::text(id, "an event id"))
        .collect::<PyResult<_>>()?;
    Ok((endpoint_id, ids))
}
