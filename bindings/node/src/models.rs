//! Models to JavaScript: the normalized JSON text, parsed by the JS entry point.

use napi::bindgen_prelude::{Buffer, Either, Latin1String};
use napi_derive::napi;
use serde::Serialize;

use crate::errors::to_js_error;

/// Normalized JSON text on its way to JavaScript. ASCII text (the usual case) becomes a
/// one-byte string in one copy (`napi_create_string_latin1`: Latin-1 and ASCII agree on
/// ASCII), where UTF-8 text must be decoded; other text is decoded as a `String` is.
pub type JsonText = Either<Latin1String, String>;

/// `text` as [`JsonText`].
pub(crate) fn json_text(text: String) -> JsonText {
    if text.is_ascii() {
        Either::A(text.into())
    } else {
        Either::B(text)
    }
}

/// The normalized JSON of a model. Infallible for these types: a failure would be a bug of the
/// SDK, reported as a plain `Error` (outside the taxonomy, like a panic), never unwrapped.
pub(crate) fn to_json<T: Serialize>(value: &T) -> napi::Result<JsonText> {
    serde_json::to_string(value).map(json_text).map_err(|e| {
        napi::Error::from_reason(format!(
            "omega-webhooks internal error: cannot serialize: {e}"
        ))
    })
}

/// The normalized JSON of a list; the list itself is freed on a blocking thread, off the way
/// to JavaScript (freeing 10,000 events takes about a millisecond). Call on the runtime.
pub(crate) fn list_to_json<T: Serialize + Send + 'static>(list: Vec<T>) -> napi::Result<JsonText> {
    let text = to_json(&list);
    tokio::task::spawn_blocking(move || drop(list));
    text
}

/// Parses an incoming webhook body and returns its normalized JSON; throws a
/// `WebhookPayloadError` (through the JS entry point) with the JSON path of the problem.
#[napi(ts_return_type = "string")]
pub fn parse_event(body: Either<String, Buffer>) -> napi::Result<JsonText> {
    let bytes: &[u8] = match &body {
        Either::A(text) => text.as_bytes(),
        Either::B(buffer) => buffer,
    };
    omega_webhooks_client::normalize_event(bytes)
        .map(json_text)
        .map_err(to_js_error)
}
