//! [`Replayer`]: POSTs events to a receiver the user controls, as Omega would have delivered
//! them — never with the API key.

use std::time::Duration;

use omega_webhooks_types::Event;
use reqwest::{header, redirect, Url};
use tokio::time::Instant;

use crate::{
    builder::{validate_url, UrlRole},
    error::MAX_ERROR_BODY,
    Client, Error,
};

/// The header that marks a replayed delivery, with the event id as its value.
pub const REPLAY_HEADER: &str = "omega-webhooks-replay";

/// What the receiver answered to one replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayResult {
    /// The replayed event's id.
    pub event_id: String,
    /// The receiver's HTTP status.
    pub status: u16,
    /// The receiver's body, cut to 8 KiB.
    pub body: String,
    /// How long the POST took.
    pub elapsed: Duration,
}

impl ReplayResult {
    /// Whether the receiver answered 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Sends events to one receiver URL. Built by [`Client::replayer`]: it shares the client's
/// `User-Agent`, timeout and plain-http rule, but has an HTTP client of its own with no
/// `Authorization` header, so the API key cannot reach the receiver; redirects are not
/// followed.
#[derive(Debug, Clone)]
pub struct Replayer {
    http: reqwest::Client,
    url: Url,
}

impl Client {
    /// A [`Replayer`] for `url`: plain http only to loopback unless `allow_insecure_http` (or
    /// the client's own option) says otherwise; a bad URL is a [`Error::Configuration`].
    pub fn replayer(&self, url: &str, allow_insecure_http: bool) -> Result<Replayer, Error> {
        let settings = self.settings();
        let allow = allow_insecure_http || settings.allow_insecure_http;
        Replayer::with(url, allow, settings.timeout, &settings.user_agent)
    }
}

impl Replayer {
    /// A replayer that needs no API client (e.g. to send synthetic events): the SDK's
    /// default timeout and a Rust `User-Agent`.
    pub fn new(url: &str, allow_insecure_http: bool) -> Result<Replayer, Error> {
        let user_agent = crate::builder::user_agent("rust", env!("OMEGA_RUSTC_VERSION"));
        Replayer::with(
            url,
            allow_insecure_http,
            crate::DEFAULT_TIMEOUT,
            &user_agent,
        )
    }

    fn with(
        url: &str,
        allow_insecure_http: bool,
        timeout: Duration,
        user_agent: &str,
    ) -> Result<Replayer, Error> {
        let url = validate_url(url, UrlRole::Receiver, allow_insecure_http)?;
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(timeout)
            .redirect(redirect::Policy::none())
            .build()
            .map_err(|e| {
                Error::configuration_caused(format!("cannot build the HTTP client: {e}"), e)
            })?;
        Ok(Replayer { http, url })
    }

    /// The receiver's URL.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// The body Omega would have POSTed for `event`: its normalized JSON, without the
    /// receiver's earlier answer (`response` is null).
    pub fn body(event: &Event) -> Result<Vec<u8>, Error> {
        let mut sent = event.clone();
        sent.response = None;
        serde_json::to_vec(&sent).map_err(|e| {
            Error::configuration_caused(format!("cannot serialize event {}: {e}", event.id), e)
        })
    }

    /// POSTs `event` (see [`Replayer::body`]) with `Content-Type: application/json` and
    /// [`REPLAY_HEADER`]. Any answer is a [`ReplayResult`] (check
    /// [`ReplayResult::is_success`]); no answer is an `APIConnectionError`/`APITimeoutError`.
    pub async fn send(&self, event: &Event) -> Result<ReplayResult, Error> {
        let body = Replayer::body(event)?;
        self.forward(&event.id, body, Some("application/json"), true)
            .await
    }

    /// POSTs `body` as it is — the bytes a delivery of `event_id` arrived with — with its
    /// `content_type`, and [`REPLAY_HEADER`] when `replay` (`omega-webhooks receive
    /// --forward-to`); the answer as [`Replayer::send`]'s.
    pub async fn forward(
        &self,
        event_id: &str,
        body: impl Into<reqwest::Body>,
        content_type: Option<&str>,
        replay: bool,
    ) -> Result<ReplayResult, Error> {
        let started = Instant::now();
        let unreachable = |e: reqwest::Error| {
            let message = format!("the receiver {} did not answer: {e}", self.url);
            if e.is_timeout() {
                Error::Timeout {
                    message,
                    attempts: 1,
                    source: Some(Box::new(e)),
                }
            } else {
                Error::Connection {
                    message,
                    attempts: 1,
                    source: Some(Box::new(e)),
                }
            }
        };
        let mut request = self.http.post(self.url.clone()).body(body);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        if replay {
            request = request.header(REPLAY_HEADER, event_id);
        }
        let response = request.send().await.map_err(unreachable)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(unreachable)?;
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_ERROR_BODY)]).into_owned();
        Ok(ReplayResult {
            event_id: event_id.to_owned(),
            status,
            body: text,
            elapsed: started.elapsed(),
        })
    }
}
