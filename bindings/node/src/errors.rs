//! Rust [`Error`]s as JavaScript errors the JS entry point turns into the taxonomy's classes.

use omega_webhooks_client::Error;
use serde_json::json;

/// Prefix of the message of an error the JS entry point must convert.
pub(crate) const MARKER: &str = "OMEGA_WEBHOOKS_ERROR:";

/// A napi error whose message is [`MARKER`] followed by the error's details as JSON:
/// `class`, `text` (the one-line message), `apiMessage`, `status`, `body`, `requestId`,
/// `headers`, `retryAfter` (seconds), `path`, `attempts`, `cause` (the innermost cause's text).
pub(crate) fn to_js_error(error: Error) -> napi::Error {
    napi::Error::from_reason(format!("{MARKER}{}", details(&error)))
}

/// The details of `error` that the JS entry point builds its error from (see [`to_js_error`]).
pub(crate) fn details(error: &Error) -> serde_json::Value {
    let status = error.status_error();
    json!({
        "class": error.kind().class_name(),
        "text": error.to_string(),
        "apiMessage": status.map(|s| s.message.clone()),
        "status": error.status(),
        "body": status.map(|s| s.body.clone()),
        "requestId": error.request_id(),
        "headers": status.map(|s| {
            s.headers.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str()))).collect::<serde_json::Map<_, _>>()
        }),
        "retryAfter": error.retry_after().map(|d| d.as_secs_f64()),
        "path": error.path(),
        "attempts": error.attempts(),
        "cause": error.root_cause().map(ToString::to_string),
    })
}
