//! `NativeClient`: the Rust client behind `omega_webhooks.Client` and `AsyncClient`. Each call
//! checks its arguments and returns a [`NativeCall`], which the wrapper runs blocking or on an
//! event loop.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
    time::SystemTime,
};

use omega_webhooks_client::{bucket_width, Client, ClientBuilder, ClientOptions};
use pyo3::{prelude::*, types::PyString};

use crate::{
    args,
    call::{NativeCall, Payload},
    delivery::{self, ReplayResult},
    errors::to_py_err,
    event_list::Events,
    follower::{self, NativeFollower},
    fork::PerProcess,
    models::Event,
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
    pub(crate) fn client(&self) -> PyResult<Client> {
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

    /// The endpoint's events that pass the filter (see `Client.list_events`).
    #[pyo3(signature = (endpoint_id, *, types=None, since=None, until=None))]
    fn list_events(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        types: Option<Vec<Bound<'_, PyString>>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativeCall> {
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let filter = delivery::filter(types, since, until)?;
        let client = self.client()?;
        Ok(NativeCall::new(async move {
            let events = client.list_filtered(&endpoint_id, &filter).await?;
            Ok(Payload::Events(Events::from(events)))
        }))
    }

    /// One event in full.
    fn get_event(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        event_id: &Bound<'_, PyString>,
    ) -> PyResult<NativeCall> {
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let event_id = args::text(event_id, "the event id")?;
        let client = self.client()?;
        Ok(NativeCall::new(async move {
            let event = client.get_event(&endpoint_id, &event_id).await?;
            Ok(Payload::Event(Box::new(Event(event))))
        }))
    }

    /// Many events in full, `concurrency` at a time, in input order (see `delivery::results`).
    #[pyo3(signature = (endpoint_id, event_ids, *, concurrency=None, return_exceptions=false))]
    fn get_events(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        event_ids: Vec<Bound<'_, PyString>>,
        concurrency: Option<&Bound<'_, PyAny>>,
        return_exceptions: bool,
    ) -> PyResult<NativeCall> {
        let concurrency = delivery::concurrency(concurrency)?;
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let ids: Vec<String> = event_ids
            .iter()
            .map(|id| args::text(id, "an event id"))
            .collect::<PyResult<_>>()?;
        let client = self.client()?;
        Ok(NativeCall::new(async move {
            let results = client.get_events(&endpoint_id, &ids, concurrency).await;
            Ok(Payload::Results(results, return_exceptions))
        }))
    }

    /// The events that pass the filter and whose delivery failed or has no answer; the first
    /// event whose details could not be read raises its error.
    #[pyo3(signature = (endpoint_id, *, types=None, since=None, until=None, concurrency=None))]
    fn failed_deliveries(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        types: Option<Vec<Bound<'_, PyString>>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        concurrency: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativeCall> {
        let concurrency = delivery::concurrency(concurrency)?;
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let filter = delivery::filter(types, since, until)?;
        let client = self.client()?;
        Ok(NativeCall::new(async move {
            let report = client
                .failed_deliveries(&endpoint_id, &filter, concurrency, |_, _| {})
                .await?;
            Ok(Payload::Events(Events::from(report.into_failed()?)))
        }))
    }

    /// The delivery health of the events that pass the filter (see `Client.delivery_stats`);
    /// the first event whose details could not be read raises its error.
    #[pyo3(signature = (endpoint_id, *, types=None, since=None, until=None, by=None, concurrency=None))]
    fn delivery_stats(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        types: Option<Vec<Bound<'_, PyString>>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        by: Option<&Bound<'_, PyString>>,
        concurrency: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativeCall> {
        let concurrency = delivery::concurrency(concurrency)?;
        let endpoint_id = args::text(endpoint_id, "the endpoint id")?;
        let filter = delivery::filter(types, since, until)?;
        let by = by.map(|b| args::text(b, "by")).transpose()?;
        let by = bucket_width(by.as_deref()).map_err(to_py_err)?;
        let client = self.client()?;
        Ok(NativeCall::new(async move {
            let report = client
                .delivery_stats(&endpoint_id, &filter, by, concurrency, |_, _| {})
                .await?;
            Ok(Payload::Stats(Box::new(report.into_stats()?)))
        }))
    }

    /// POSTs `event` to the receiver `url` (never with the API key).
    #[pyo3(signature = (event, url, *, allow_insecure_http=false))]
    fn replay(
        &self,
        event: &Bound<'_, Event>,
        url: &Bound<'_, PyString>,
        allow_insecure_http: bool,
    ) -> PyResult<NativeCall> {
        let url = args::text(url, "the receiver URL")?;
        let replayer = self
            .client()?
            .replayer(&url, allow_insecure_http)
            .map_err(to_py_err)?;
        let event = event.get().0.clone();
        Ok(NativeCall::new(async move {
            let answer = replayer.send(&event).await?;
            Ok(Payload::Replayed(ReplayResult::from(answer)))
        }))
    }

    /// A follower of the endpoint's new events (see `Client.follow`).
    #[pyo3(signature = (endpoint_id, *, interval=None, since=None, state=None, types=None))]
    fn follow(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        interval: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        state: Option<PathBuf>,
        types: Option<Vec<Bound<'_, PyString>>>,
    ) -> PyResult<NativeFollower> {
        let args = follower::follow_args(types, since, interval, state, false)?;
        let options = args.following(SystemTime::now()).map_err(to_py_err)?;
        NativeFollower::new(&self.client()?, endpoint_id, options)
    }

    /// A follower for `wait_for_event` (see `Client.wait_for_event`).
    #[pyo3(signature = (endpoint_id, *, types, timeout=None, interval=None, since=None, delivered=false))]
    fn waiter(
        &self,
        endpoint_id: &Bound<'_, PyString>,
        types: Vec<Bound<'_, PyString>>,
        timeout: Option<&Bound<'_, PyAny>>,
        interval: Option<&Bound<'_, PyAny>>,
        since: Option<&Bound<'_, PyAny>>,
        delivered: bool,
    ) -> PyResult<NativeFollower> {
        let args = follower::follow_args(Some(types), since, interval, None, delivered)?;
        let options = args
            .waiting(args::seconds(timeout)?, SystemTime::now())
            .map_err(to_py_err)?;
        NativeFollower::new(&self.client()?, endpoint_id, options)
    }
}
