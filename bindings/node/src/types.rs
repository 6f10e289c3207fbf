//! Models to JavaScript: the normalized JSON text, parsed by the JS entry point.

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;
use serde::Serialize;

use crate::errors::to_js_error;

/// The normalized JSON of a model. Infallible for these types: a failure would be a bug of the
/// SDK, reported as a plain `Error` (outside the taxonomy, like a panic), never unwrapped.
pub(crate) fn to_json<T: Serialize>(value: &T) -> napi::Result<String> {
    serde_json::to_string(value).map_err(|e| {
        napi::Error::from_reason(format!(
            "omega-webhooks internal error: cannot serialize: {e}"
        ))
    })
}

/// Parses an incoming webhook body and returns its normalized JSON; throws a
/// `WebhookPayloadError` (through the JS entry point) with the JSON path of the problem.
#[napi]
pub fn parse_event(body: Either<String, Buffer>) -> napi::Result<String> {
    let bytes: &[u8] = match &body {
        Either::A(text) => text.as_bytes(),
        Either::B(buffer) => buffer,
    };
    let event = omega_webhooks_client::parse_event(bytes).map_err(to_js_error)?;
    to_json(&event)
}
