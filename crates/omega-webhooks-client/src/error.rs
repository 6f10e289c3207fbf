//! [`Error`]: the one error taxonomy shared by the Rust, Python and Node SDKs.
//!
//! [`ErrorKind`] is its single source: `omega-webhooks-codegen` writes the Python and Node
//! error classes, their type declarations and the tree in [`Error`]'s documentation from
//! [`ErrorKind::ALL`], [`ErrorKind::parent_class_name`] and [`ErrorKind::description`].
//!
//! No message or `Debug` output contains the API key: the key is never part of a URL, and
//! only response headers are kept.

use std::{fmt, time::Duration};

use omega_webhooks_types::ParseError;

/// How many bytes of an error response body are kept in [`StatusError::body`].
pub const MAX_ERROR_BODY: usize = 8 * 1024;

/// The underlying error of a connection failure or timeout (e.g. reqwest's, whose own source
/// is the `std::io::Error`).
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong, one variant per branch of the taxonomy (the class of each is
/// [`Error::kind`]):
///
#[doc = include_str!("taxonomy.md")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad or missing API key, bad base URL, bad id or option, or a file of the SDK's own (a
    /// follow state file) that cannot be read or written.
    #[error("{message}")]
    Configuration {
        /// What is wrong, on one line.
        message: String,
        /// The underlying error, if any (the `std::io::Error` of a state file that cannot be
        /// written, the `serde_json::Error` of one that does not parse).
        #[source]
        source: Option<Cause>,
    },
    /// The request did not get an answer: DNS, connect, reset, TLS, or a body cut short.
    #[error("{message}")]
    Connection {
        /// What failed, with its causes.
        message: String,
        /// Attempts made, retries included.
        attempts: u32,
        /// The underlying error (see [`std::error::Error::source`]).
        #[source]
        source: Option<Cause>,
    },
    /// An attempt, or the whole call's deadline, timed out.
    #[error("{message}")]
    Timeout {
        /// What timed out.
        message: String,
        /// Attempts made, retries included.
        attempts: u32,
        /// The underlying error (see [`std::error::Error::source`]).
        #[source]
        source: Option<Cause>,
    },
    /// The API answered with a non-2xx status.
    #[error("{0}")]
    Status(Box<StatusError>),
    /// The API answered 2xx with a body that is not the documented shape (or too large).
    #[error("unexpected response body{}: {reason}", at_path(path))]
    ResponseValidation {
        /// JSON path of the problem (empty for the whole body).
        path: String,
        /// Why the body was refused.
        reason: String,
        /// The (2xx) status of the response.
        status: u16,
        /// The response's request id, if the API sent one.
        request_id: Option<String>,
        /// Attempts made, retries included.
        attempts: u32,
    },
    /// A webhook body given to [`crate::parse_event`] is not an event.
    #[error("not a webhook event: {0}")]
    WebhookPayload(#[from] ParseError),
}

/// `` at `path` `` for a non-empty path (see [`Error::ResponseValidation`]).
fn at_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
}

/// The details of a non-2xx answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusError {
    /// HTTP status code.
    pub status: u16,
    /// The API's message: the body's `message` (or `error`) string, else its first line, else
    /// the status's reason phrase.
    pub message: String,
    /// The response body as text, truncated to [`MAX_ERROR_BODY`] bytes.
    pub body: String,
    /// The `x-request-id` (or `request-id`) response header.
    pub request_id: Option<String>,
    /// The response headers, names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The delay the API asked for (`retry-after-ms` or `Retry-After`), if any.
    pub retry_after: Option<Duration>,
    /// Attempts made, retries included.
    pub attempts: u32,
}

/// The class of an [`Error`]: the name every language uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ConfigurationError`.
    Configuration,
    /// `APIConnectionError`.
    Connection,
    /// `APITimeoutError` (a kind of `APIConnectionError`).
    Timeout,
    /// `BadRequestError` (400).
    BadRequest,
    /// `AuthenticationError` (401).
    Authentication,
    /// `PermissionDeniedError` (403).
    PermissionDenied,
    /// `NotFoundError` (404).
    NotFound,
    /// `ConflictError` (409).
    Conflict,
    /// `UnprocessableEntityError` (422).
    UnprocessableEntity,
    /// `RateLimitError` (429).
    RateLimit,
    /// `InternalServerError` (>= 500).
    InternalServer,
    /// `APIStatusError`: a non-2xx status without a class of its own (3xx, 418, ...).
    Status,
    /// `APIResponseValidationError`.
    ResponseValidation,
    /// `WebhookPayloadError`.
    WebhookPayload,
}

impl ErrorKind {
    /// Every kind, parents before children.
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::Configuration,
        ErrorKind::Connection,
        ErrorKind::Timeout,
        ErrorKind::Status,
        ErrorKind::BadRequest,
        ErrorKind::Authentication,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::UnprocessableEntity,
        ErrorKind::RateLimit,
        ErrorKind::InternalServer,
        ErrorKind::ResponseValidation,
        ErrorKind::WebhookPayload,
    ];

    /// The class for a non-2xx status.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            422 => ErrorKind::UnprocessableEntity,
            429 => ErrorKind::RateLimit,
            500.. => ErrorKind::InternalServer,
            _ => ErrorKind::Status,
        }
    }

    /// The class name, the same in Rust, Python and Node (e.g. `RateLimitError`).
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Configuration => "ConfigurationError",
            ErrorKind::Connection => "APIConnectionError",
            ErrorKind::Timeout => "APITimeoutError",
            ErrorKind::BadRequest => "BadRequestError",
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::PermissionDenied => "PermissionDeniedError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::Conflict => "ConflictError",
            ErrorKind::UnprocessableEntity => "UnprocessableEntityError",
            ErrorKind::RateLimit => "RateLimitError",
            ErrorKind::InternalServer => "InternalServerError",
            ErrorKind::Status => "APIStatusError",
            ErrorKind::ResponseValidation => "APIResponseValidationError",
            ErrorKind::WebhookPayload => "WebhookPayloadError",
        }
    }

    /// What the class means, in one sentence (the docs of every language's class).
    pub fn description(self) -> &'static str {
        match self {
            ErrorKind::Configuration => {
                "Bad or missing API key, bad base URL, bad id or option, or a closed client (raised before any I/O); or a file of the SDK (a follow state file) it cannot read or write."
            }
            ErrorKind::Connection => {
                "The request got no answer: DNS, connect, reset, TLS, or a body cut short."
            }
            ErrorKind::Timeout => "An attempt, or the whole call's deadline, timed out.",
            ErrorKind::Status => {
                "The API answered with a non-2xx status; this class for those without their own (3xx, 418, ...)."
            }
            ErrorKind::BadRequest => "400: the API refused the request.",
            ErrorKind::Authentication => "401: missing or wrong API key.",
            ErrorKind::PermissionDenied => "403: the key may not read this endpoint.",
            ErrorKind::NotFound => "404: no such endpoint or event.",
            ErrorKind::Conflict => "409: a conflict (retried).",
            ErrorKind::UnprocessableEntity => "422: the API could not process the request.",
            ErrorKind::RateLimit => {
                "429: too many requests; carries the delay the API asked for, if any."
            }
            ErrorKind::InternalServer => "500 and above: the API failed (retried).",
            ErrorKind::ResponseValidation => {
                "A 2xx body that is not the documented shape (or over the size cap): JSON path and reason."
            }
            ErrorKind::WebhookPayload => {
                "A webhook body that is not an event (parse_event): JSON path and reason."
            }
        }
    }

    /// The parent class name (`OmegaError` at the top).
    pub fn parent_class_name(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "APIConnectionError",
            ErrorKind::Status
            | ErrorKind::Configuration
            | ErrorKind::Connection
            | ErrorKind::ResponseValidation
            | ErrorKind::WebhookPayload => "OmegaError",
            _ => "APIStatusError",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Configuration { .. } => ErrorKind::Configuration,
            Error::Connection { .. } => ErrorKind::Connection,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Status(status) => ErrorKind::from_status(status.status),
            Error::ResponseValidation { .. } => ErrorKind::ResponseValidation,
            Error::WebhookPayload(_) => ErrorKind::WebhookPayload,
        }
    }

    /// The HTTP status, for status and response-validation errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status(s) => Some(s.status),
            Error::ResponseValidation { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request id the API sent with the failed response, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Status(s) => s.request_id.as_deref(),
            Error::ResponseValidation { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The details of a non-2xx answer.
    pub fn status_error(&self) -> Option<&StatusError> {
        match self {
            Error::Status(s) => Some(s),
            _ => None,
        }
    }

    /// The delay the API asked for before retrying (set on 429s, and on any status that
    /// carried `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.status_error().and_then(|s| s.retry_after)
    }

    /// The JSON path of a response-validation or webhook-payload error.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::ResponseValidation { path, .. } => Some(path),
            Error::WebhookPayload(e) => Some(e.path()),
            _ => None,
        }
    }

    /// How many attempts were made (0 for errors raised before any I/O).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Connection { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::ResponseValidation { attempts, .. } => *attempts,
            Error::Status(s) => s.attempts,
            Error::Configuration { .. } | Error::WebhookPayload(_) => 0,
        }
    }

    /// Whether a retry could succeed: connection errors, timeouts, 408, 409, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } => true,
            Error::Status(s) => matches!(s.status, 408 | 409 | 429 | 500..),
            _ => false,
        }
    }

    /// Records how many attempts the call made.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Connection { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::ResponseValidation { attempts, .. } => *attempts = n,
            Error::Status(s) => s.attempts = n,
            Error::Configuration { .. } | Error::WebhookPayload(_) => {}
        }
        self
    }
}

impl Error {
    /// The innermost error under a connection failure, a timeout or a configuration error
    /// (e.g. the `std::io::Error` "connection refused", or "permission denied" of a state
    /// file): what the bindings expose as the error's cause.
    pub fn root_cause(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let (Error::Connection { source, .. }
        | Error::Timeout { source, .. }
        | Error::Configuration { source, .. }) = self
        else {
            return None;
        };
        let mut cause: &(dyn std::error::Error + 'static) = source.as_deref()?;
        while let Some(deeper) = cause.source() {
            cause = deeper;
        }
        Some(cause)
    }
}

impl Error {
    /// A [`Error::Configuration`] without an underlying error.
    pub fn configuration(message: impl Into<String>) -> Error {
        Error::Configuration {
            message: message.into(),
            source: None,
        }
    }

    /// A [`Error::Configuration`] caused by `source` (an I/O or decoding error of a file the
    /// SDK reads or writes), which stays reachable through [`std::error::Error::source`].
    pub fn configuration_caused(message: impl Into<String>, source: impl Into<Cause>) -> Error {
        Error::Configuration {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for StatusError {
    /// `500 Internal Server Error: <message> (request id <id>)`, on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, reason_phrase(self.status))?;
        if !self.message.is_empty() && self.message != reason_phrase(self.status) {
            write!(f, ": {}", self.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// The reason phrase of a status (`Internal Server Error`), or `""` for unknown codes.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

impl StatusError {
    /// Builds the details of a non-2xx answer from its parts; `body` is the full body read.
    pub(crate) fn new(
        status: u16,
        headers: Vec<(String, String)>,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> StatusError {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let request_id = header("x-request-id").or_else(|| header("request-id"));
        let text = String::from_utf8_lossy(&body[..body.len().min(MAX_ERROR_BODY)]).into_owned();
        StatusError {
            status,
            message: api_message(body, &text).unwrap_or_else(|| reason_phrase(status).to_owned()),
            body: text,
            request_id,
            headers,
            retry_after,
            attempts: 0,
        }
    }
}

/// The message of an error body: `message` or `error` of a JSON object (or `error.message`),
/// else the first line of a text body; at most 500 characters, on one line.
fn api_message(body: &[u8], text: &str) -> Option<String> {
    let from_json = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            ["message", "error"].iter().find_map(|key| match &v[key] {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => {
                    o.get("message").and_then(|m| m.as_str()).map(str::to_owned)
                }
                _ => None,
            })
        });
    let message = from_json.or_else(|| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_owned)
    })?;
    let one_line: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(one_line.chars().take(500).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_status() {
        let cases = [
            (400, "BadRequestError"),
            (401, "AuthenticationError"),
            (403, "PermissionDeniedError"),
            (404, "NotFoundError"),
            (409, "ConflictError"),
            (422, "UnprocessableEntityError"),
            (429, "RateLimitError"),
            (500, "InternalServerError"),
            (503, "InternalServerError"),
            (418, "APIStatusError"),
            (302, "APIStatusError"),
        ];
        for (status, class) in cases {
            assert_eq!(
                ErrorKind::from_status(status).class_name(),
                class,
                "{status}"
            );
        }
        assert_eq!(ErrorKind::Timeout.parent_class_name(), "APIConnectionError");
        assert_eq!(ErrorKind::RateLimit.parent_class_name(), "APIStatusError");
    }

    #[test]
    fn message_comes_from_json_or_text_and_display_is_one_line() {
        let headers = vec![("x-request-id".to_owned(), "req_1".to_owned())];
        let e = StatusError::new(500, headers, br#"{"message": "boom\nagain"}"#, None);
        assert_eq!(e.message, "boom again");
        assert_eq!(
            Error::Status(Box::new(e)).to_string(),
            "500 Internal Server Error: boom again (request id req_1)"
        );
        let html = StatusError::new(502, vec![], b"\n<html>Bad gateway</html>\n", None);
        assert_eq!(html.message, "<html>Bad gateway</html>");
        let empty = StatusError::new(503, vec![], b"", None);
        assert_eq!(
            Error::Status(Box::new(empty)).to_string(),
            "503 Service Unavailable"
        );
        let nested = StatusError::new(400, vec![], br#"{"error": {"message": "bad id"}}"#, None);
        assert_eq!(nested.message, "bad id");
    }
}
