//! [`Client`]: the two calls, with the retry loop and the total deadline.

use std::{fmt, sync::Arc, time::Duration};

use omega_webhooks_types::{normalize_event, parse_event, Event, Finished, ListDecoder};
use tokio::time::Instant;
use url::Url;

use crate::{
    body_decoder::{BodyDecoder, InPieces, ListPiece, Whole},
    builder::Settings,
    ids::validate_id,
    retry::Decision,
    transport::{Success, Transport},
    ClientBuilder, Error,
};

/// An async client of the Omega Stream webhook events API.
///
/// Cheap to clone: clones share one connection pool and configuration. `Debug` never shows the
/// API key.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    base_url: Url,
    settings: Settings,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_key", &"<redacted>")
            .field("timeout", &self.inner.settings.timeout)
            .field("max_retries", &self.inner.settings.retry.max_retries)
            .finish()
    }
}

impl Client {
    /// A builder with nothing set (see [`ClientBuilder::from_env`] for the environment).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with this API key and every other option at its default.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from `OMEGA_API_KEY` (required) and `OMEGA_BASE_URL` (optional).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    pub(crate) fn from_parts(transport: Transport, base_url: Url, settings: Settings) -> Client {
        Client {
            inner: Arc::new(Inner {
                transport,
                base_url,
                settings,
            }),
        }
    }

    /// Closes the client (and its clones): idle pooled connections close now, calls in flight
    /// finish, and later calls fail with [`Error::Configuration`] ("the client is closed").
    pub fn close(&self) {
        self.inner.transport.close();
    }

    /// Whether [`Client::close`] was called (on this client or a clone).
    pub fn is_closed(&self) -> bool {
        self.inner.transport.is_closed()
    }

    /// The validated settings (for the delivery operations built on this client).
    pub(crate) fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The base URL requests go to (without trailing slash).
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str().trim_end_matches('/')
    }

    /// Lists the events delivered to a webhook endpoint (`GET /client/webhooks/{id}`).
    ///
    /// The API sends `data` and `response` as null in this list; use [`Client::get_event`]
    /// for an event's details.
    pub async fn list_events(&self, endpoint_id: &str) -> Result<Vec<Event>, Error> {
        self.list_with(endpoint_id, ListDecoder::events).await
    }

    /// [`Client::list_events`] as normalized JSON text (the text `serde_json` writes for its
    /// events), written without building the models: for callers that pass JSON on.
    pub async fn list_events_json(&self, endpoint_id: &str) -> Result<String, Error> {
        self.list_with(endpoint_id, ListDecoder::normalized_events)
            .await
    }

    /// [`Client::list_events_json`] handed on while the body arrives: each run of events is
    /// given to `sink` as a normalized JSON list as soon as it is decoded (after a
    /// [`ListPiece::Attempt`] for each attempt: a retry voids the pieces before it), so that the
    /// caller can work on them during the transfer (Node parses them). The result is the rest:
    /// the events after the last piece, or the whole list (the pieces then void) when the body
    /// could not be decoded in runs.
    pub async fn list_events_json_in_pieces(
        &self,
        endpoint_id: &str,
        sink: &(dyn Fn(ListPiece) + Send + Sync),
    ) -> Result<Finished<String>, Error> {
        self.list_with(endpoint_id, || {
            sink(ListPiece::Attempt);
            InPieces {
                list: ListDecoder::normalized_events(),
                sink,
            }
        })
        .await
    }

    /// One event in full (`GET /client/webhooks/{id}/events/{eid}`).
    pub async fn get_event(&self, endpoint_id: &str, event_id: &str) -> Result<Event, Error> {
        self.get_with(endpoint_id, event_id, parse_event).await
    }

    /// [`Client::get_event`] as normalized JSON text, written without building the model.
    pub async fn get_event_json(&self, endpoint_id: &str, event_id: &str) -> Result<String, Error> {
        self.get_with(endpoint_id, event_id, normalize_event).await
    }

    /// The list call, its body decoded by a decoder from `new_decoder` (one per attempt).
    pub(crate) async fn list_with<D: BodyDecoder>(
        &self,
        endpoint_id: &str,
        new_decoder: impl Fn() -> D,
    ) -> Result<D::Output, Error> {
        validate_id("endpoint id", endpoint_id)?;
        self.fetch(&format!("/client/webhooks/{endpoint_id}"), new_decoder)
            .await
    }

    /// The details call, its body decoded by `decode`.
    async fn get_with<T>(
        &self,
        endpoint_id: &str,
        event_id: &str,
        decode: fn(&[u8]) -> Result<T, omega_webhooks_types::ParseError>,
    ) -> Result<T, Error> {
        validate_id("endpoint id", endpoint_id)?;
        validate_id("event id", event_id)?;
        self.fetch(
            &format!("/client/webhooks/{endpoint_id}/events/{event_id}"),
            || Whole(decode),
        )
        .await
    }

    /// GETs `path` (under the base URL) with retries, its 2xx body decoded by a decoder from
    /// `new_decoder` (a fresh one per attempt) while it arrives.
    async fn fetch<D: BodyDecoder>(
        &self,
        path: &str,
        new_decoder: impl Fn() -> D,
    ) -> Result<D::Output, Error> {
        let (success, decoder, attempts) = self.get_with_retries(path, new_decoder).await?;
        decoder
            .finish(&success.body)
            .map_err(|e| success.invalid(e).with_attempts(attempts))
    }

    /// The retry loop: every attempt bounded by `timeout` and by what is left of the call's
    /// total deadline; a retryable failure waits (backoff or `Retry-After`) and tries again.
    async fn get_with_retries<D: BodyDecoder>(
        &self,
        path: &str,
        new_decoder: impl Fn() -> D,
    ) -> Result<(Success, D, u32), Error> {
        let Inner {
            transport,
            base_url,
            settings,
        } = &*self.inner;
        let http = transport.http()?;
        let mut url = base_url.clone();
        url.set_path(&format!("{}{path}", base_url.path().trim_end_matches('/')));
        // `None`: a deadline too far away for the clock, i.e. none (options are capped at a
        // year, so only a huge retry count gets here). Clock arithmetic never overflows.
        let deadline = Instant::now().checked_add(settings.total_timeout);
        let remaining = || {
            deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(Instant::now())
            })
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let attempt_started = Instant::now();
            let mut decoder = new_decoder();
            let result = transport
                .get(
                    &http,
                    url.clone(),
                    settings.timeout.min(remaining()),
                    &mut |body| decoder.advance(body),
                )
                .await;
            let elapsed_ms = attempt_started.elapsed().as_millis() as u64;
            let error = match result {
                Ok(success) => {
                    tracing::debug!(
                        method = "GET",
                        path,
                        attempt,
                        status = success.status,
                        elapsed_ms,
                        "attempt succeeded"
                    );
                    return Ok((success, decoder, attempt));
                }
                Err(error) => error.with_attempts(attempt),
            };
            tracing::debug!(method = "GET", path, attempt, status = error.status(), elapsed_ms, error = %error, "attempt failed");
            let delay =
                match settings
                    .retry
                    .decide(attempt, error.is_retryable(), error.retry_after())
                {
                    Decision::GiveUp => return Err(error),
                    Decision::RetryAfter(delay) => delay,
                };
            if delay >= remaining() {
                tracing::debug!(
                    path,
                    attempt,
                    "no time left before the total deadline; giving up"
                );
                return Err(error);
            }
            tokio::time::sleep(delay).await;
        }
    }
}
