//! One HTTP attempt: the reqwest client (headers, redirects, connect timeout, proxies from the
//! environment), the body cap, and the mapping of failures to [`Error`].

use std::{
    error::Error as _,
    sync::{Mutex, PoisonError},
    time::{Duration, Instant},
};

use bytes::{Bytes, BytesMut};
use reqwest::{
    header::{self, HeaderMap, HeaderValue},
    redirect, Url,
};

use crate::{
    error::{StatusError, MAX_ERROR_BODY},
    retry, Error,
};

/// Most redirects followed within one attempt.
pub const MAX_REDIRECTS: usize = 5;

/// A 2xx answer.
pub(crate) struct Success {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Bytes,
}

impl Success {
    /// The error for a 2xx body that does not decode.
    pub(crate) fn invalid(&self, e: omega_webhooks_types::ParseError) -> Error {
        Error::ResponseValidation {
            path: e.path().to_owned(),
            reason: e.reason().to_owned(),
            status: self.status,
            request_id: self.request_id.clone(),
            attempts: 0,
        }
    }
}

/// The HTTP client of one [`crate::Client`] and its clones (one connection pool).
pub(crate) struct Transport {
    /// `None` once closed: dropping the last handle on the pool closes its idle connections.
    http: Mutex<Option<reqwest::Client>>,
    connect_timeout: Duration,
    max_response_bytes: usize,
}

impl Transport {
    pub(crate) fn new(
        api_key: &str,
        user_agent: &str,
        connect_timeout: Duration,
        max_response_bytes: usize,
    ) -> Result<Self, Error> {
        let mut auth = HeaderValue::try_from(format!("Bearer {api_key}")).map_err(|_| {
            Error::configuration("the API key is not a valid header value".to_owned())
        })?;
        auth.set_sensitive(true);
        let json = HeaderValue::from_static("application/json");
        let headers = HeaderMap::from_iter([
            (header::AUTHORIZATION, auth),
            (header::CONTENT_TYPE, json.clone()),
            (header::ACCEPT, json),
        ]);
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .default_headers(headers)
            .connect_timeout(connect_timeout)
            .redirect(same_origin_redirects())
            .tcp_nodelay(true)
            .build()
            .map_err(|e| {
                Error::configuration(format!("cannot build the HTTP client: {}", chain(&e)))
            })?;
        Ok(Transport {
            http: Mutex::new(Some(http)),
            connect_timeout,
            max_response_bytes,
        })
    }

    /// The HTTP client for one call (a handle on the pool, kept for the call's attempts), or
    /// a [`Error::Configuration`] once [`Transport::close`] was called.
    pub(crate) fn http(&self) -> Result<reqwest::Client, Error> {
        self.http
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| Error::configuration("the client is closed".to_owned()))
    }

    /// Refuses further calls and drops the pool's handle: idle connections close now, those
    /// of calls in flight when their call ends.
    pub(crate) fn close(&self) {
        let http = self
            .http
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(http);
    }

    /// Whether [`Transport::close`] was called.
    pub(crate) fn is_closed(&self) -> bool {
        self.http
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }

    /// One GET with `timeout` through `http`: a 2xx body (shown to `arriving`, the body so
    /// far, after each chunk while it arrives below [`DECODE_WHILE_ARRIVING_BELOW`]), or the
    /// error.
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        url: Url,
        timeout: Duration,
        arriving: Arriving<'_>,
    ) -> Result<Success, Error> {
        let from_reqwest = |e: reqwest::Error| from_reqwest(e, timeout, self.connect_timeout);
        let response = http
            .get(url)
            .timeout(timeout)
            .send()
            .await
            .map_err(from_reqwest)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            let request_id = request_id(response.headers());
            let body = read_body(response, self.max_response_bytes, Some(arriving))
                .await
                .map_err(from_reqwest)??;
            return Ok(Success {
                status,
                request_id,
                body,
            });
        }
        // Only an error keeps the headers (reading the body consumes the response).
        let headers = response.headers().clone();
        let body = read_body(response, MAX_ERROR_BODY, None)
            .await
            .map_err(from_reqwest)??;
        let pairs = headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Err(Error::Status(Box::new(StatusError::new(
            status,
            pairs,
            &body,
            retry::asked_delay(&headers),
        ))))
    }
}

/// Follows redirects only within the origin of the first request, at most
/// [`MAX_REDIRECTS`]; otherwise the 3xx answer is returned as it is (an `APIStatusError`), so
/// the key never reaches another origin.
fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin =
            attempt.previous().first().map(Url::origin) == Some(attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Bytes per second below which a 2xx body is shown to its decoder while it arrives. Faster,
/// the decoder (one thread) could not keep up and would take the cores the transfer uses: the
/// body is decoded once whole, on every core. Measured with `make bench`'s list (2.4 MB): on
/// loopback (~1.2 GB/s) decoding while it arrived was ~0.6 ms slower than after; at 100 MB/s
/// it ends the call with the transfer instead of ~4 ms later.
const DECODE_WHILE_ARRIVING_BELOW: f64 = 400e6;

/// Shown the body so far after each chunk of a 2xx answer arriving slowly (a decoder working
/// while it arrives).
pub(crate) type Arriving<'a> = &'a mut (dyn FnMut(&[u8]) + Send);

/// Reads the body up to `limit` bytes. A 2xx body must be whole (past the limit: an error)
/// and is shown to `arriving` after each chunk; without `arriving`, an error body past the
/// limit is cut (it is only shown, truncated). A failure to read is the outer error.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    mut arriving: Option<Arriving<'_>>,
) -> Result<Result<Bytes, Error>, reqwest::Error> {
    let strict = arriving.is_some();
    let status = response.status().as_u16();
    let too_large = || Error::ResponseValidation {
        path: String::new(),
        reason: format!(
            "the response body is larger than the {limit}-byte cap (max_response_bytes)"
        ),
        status,
        request_id: None,
        attempts: 0,
    };
    let announced = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok());
    if strict && announced.is_some_and(|n| n > limit) {
        return Ok(Err(too_large()));
    }
    let mut body = BytesMut::with_capacity(announced.unwrap_or(0).min(limit));
    // When the first chunk came, and the body's length then: the rate since.
    let mut first_chunk: Option<(Instant, usize)> = None;
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            if strict {
                return Ok(Err(too_large()));
            }
            body.extend_from_slice(&chunk[..limit - body.len()]);
            break;
        }
        body.extend_from_slice(&chunk);
        if let Some(arriving) = arriving.as_mut() {
            let (since, first) = *first_chunk.get_or_insert((Instant::now(), body.len()));
            let after_first = (body.len() - first) as f64;
            if after_first > 0.0
                && after_first < DECODE_WHILE_ARRIVING_BELOW * since.elapsed().as_secs_f64()
            {
                arriving(&body);
            }
        }
    }
    Ok(Ok(body.freeze()))
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Maps a reqwest failure of an attempt bounded by `timeout`: a timeout (of connecting, or of
/// the attempt), or a connection problem with its causes spelled out; either keeps `e` as its
/// source.
fn from_reqwest(e: reqwest::Error, timeout: Duration, connect_timeout: Duration) -> Error {
    if !e.is_timeout() {
        return Error::Connection {
            message: chain(&e),
            attempts: 0,
            source: Some(Box::new(e)),
        };
    }
    let message = if e.is_connect() {
        format!("connecting timed out after {connect_timeout:?}")
    } else {
        format!("the request timed out after {timeout:?}")
    };
    Error::Timeout {
        message,
        attempts: 0,
        source: Some(Box::new(e)),
    }
}

/// An error and its sources on one line: `error sending request ...: connection refused`.
fn chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
