//! Rust [`Error`]s as JavaScript errors the JS entry point turns into the taxonomy's classes.

use omega_webhooks_client::{Error, ErrorKind};
use serde_json::json;

/// Prefix of the message of an error the JS entry point must convert.
pub(crate) const MARKER: &str = "OMEGA_WEBHOOKS_ERROR:";

/// A napi error whose message is [`MARKER`] followed by the error's details as JSON:
/// `class`, `text` (one line), `message`, `status`, `body`, `requestId`, `headers`,
/// `retryAfter` (seconds), `path`, `attempts`.
pub(crate) fn to_js_error(error: Error) -> napi::Error {
    let status = error.status_error();
    let details = json!({
        "class": error.kind().class_name(),
        "text": error.to_string(),
        "message": status.map_or_else(|| error.to_string(), |s| s.message.clone()),
        "status": error.status(),
        "body": status.map(|s| s.body.clone()),
        "requestId": error.request_id(),
        "headers": status.map(|s| {
            s.headers.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str()))).collect::<serde_json::Map<_, _>>()
        }),
        "retryAfter": error.retry_after().map(|d| d.as_secs_f64()),
        "path": error.path(),
        "attempts": error.attempts(),
    });
    napi::Error::from_reason(format!("{MARKER}{details}"))
}

/// `[[class name, parent class name]]` for every error kind, parents first: lets the Node tests
/// check that `errors.js` mirrors the Rust taxonomy.
#[napi_derive::napi]
pub fn error_classes() -> Vec<Vec<&'static str>> {
    ErrorKind::ALL
        .iter()
        .map(|k| vec![k.class_name(), k.parent_class_name()])
        .collect()
}
