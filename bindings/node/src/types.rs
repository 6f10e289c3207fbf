//! Models to JavaScript: the normalized JSON text, parsed by the JS entry point.

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;
use serde::Serialize;

use crate::errors::to_js_error;

/// The normalized JSON of a model (infallible for these types; an error is reported, not
/// unwrapped).
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, omega_webhooks_client::Error> {
    serde_json::to_string(value)
        .map_err(|e| omega_webhooks_client::Error::Configuration(format!("cannot serialize: {e}")))
}

/// Parses an incoming webhook body and returns its normalized JSON; throws a
/// `WebhookPayloadError` (through the JS entry point) with the JSON path of the problem.
#[napi]
pub fn parse_event(body: Either<String, Buffer>) -> napi::Result<String> {
    let bytes: &[u8] = match &body {
        Either::A(text) => text.as_bytes(),
        Either::B(buffer) => buffer,
    };
    omega_webhooks_client::parse_event(bytes)
        .and_then(|event| to_json(&event))
        .map_err(to_js_error)
}
