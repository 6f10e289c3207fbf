//! One HTTP attempt: the reqwest client (headers, redirects, connect timeout, proxies from the
//! environment), the body cap, and the mapping of failures to [`Error`].

use std::{error::Error as _, time::Duration};

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
    http: reqwest::Client,
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
            Error::Configuration("the API key is not a valid header value".to_owned())
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
                Error::Configuration(format!("cannot build the HTTP client: {}", chain(&e)))
            })?;
        Ok(Transport {
            http,
            max_response_bytes,
        })
    }

    /// One GET with `timeout`: a 2xx body, or the error.
    pub(crate) async fn get(&self, url: Url, timeout: Duration) -> Result<Success, Error> {
        let response = self
            .http
            .get(url)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| from_reqwest(&e, timeout))?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            let request_id = request_id(response.headers());
            let body = read_body(response, self.max_response_bytes, true, timeout).await?;
            return Ok(Success {
                status,
                request_id,
                body,
            });
        }
        // Only an error keeps the headers (reading the body consumes the response).
        let headers = response.headers().clone();
        let body = read_body(response, MAX_ERROR_BODY, false, timeout).await?;
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

/// Reads the body up to `limit` bytes. Past the limit: an error when `strict` (a 2xx body
/// must be whole), else the body is cut (an error body is only shown, truncated).
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    strict: bool,
    timeout: Duration,
) -> Result<Bytes, Error> {
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
        return Err(too_large());
    }
    let mut body = BytesMut::with_capacity(announced.unwrap_or(0).min(limit));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| from_reqwest(&e, timeout))?
    {
        if body.len() + chunk.len() > limit {
            if strict {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk[..limit - body.len()]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Maps a reqwest failure: a timeout, or a connection problem with its causes spelled out.
fn from_reqwest(e: &reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            message: format!("the request timed out after {timeout:?}"),
            attempts: 0,
        }
    } else {
        Error::Connection {
            message: chain(e),
            attempts: 0,
        }
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
