//! `NativeClient`: the Rust client behind the JS `Client`.

use napi::{bindgen_prelude::PromiseRaw, Env};
use napi_derive::napi;
use omega_webhooks_client::{Client, ClientBuilder, ClientOptions, Error};

use crate::{
    errors::to_js_error,
    list_pieces::{NativeListPieces, NativeListRest},
    models::{json_text, JsonText},
    runtime::{spawn, CancelToken},
};

/// Client options as the JS `Client` receives them (times in milliseconds).
#[napi(object)]
#[derive(Default)]
pub struct NativeOptions {
    /// API key; `OMEGA_API_KEY` when omitted.
    pub api_key: Option<String>,
    /// Base URL; `OMEGA_BASE_URL`, else the production URL, when omitted.
    pub base_url: Option<String>,
    /// Timeout of one attempt, in milliseconds (default 30,000).
    pub timeout_ms: Option<f64>,
    /// Timeout of connecting, in milliseconds (default 10,000).
    pub connect_timeout_ms: Option<f64>,
    /// Deadline of a whole call including retries, in milliseconds.
    pub total_timeout_ms: Option<f64>,
    /// Retries after the first attempt (default 2).
    pub max_retries: Option<i64>,
    /// Backoff before the first retry, in milliseconds (default 500).
    pub retry_initial_delay_ms: Option<f64>,
    /// Cap of a response body, in bytes (default 64 MiB).
    pub max_response_bytes: Option<i64>,
    /// Allow the key over plain `http://` to hosts other than loopback.
    pub allow_insecure_http: Option<bool>,
    /// Node's version, for the `User-Agent`.
    pub runtime_version: Option<String>,
}

/// One configured client and its connection pool.
#[napi]
pub struct NativeClient {
    client: Client,
}

#[napi]
impl NativeClient {
    /// Validates the options (see `ClientOptions`); throws a `ConfigurationError`.
    #[napi(constructor)]
    pub fn new(options: Option<NativeOptions>) -> napi::Result<Self> {
        let o = options.unwrap_or_default();
        let secs = |ms: Option<f64>| ms.map(|ms| ms / 1000.0);
        let version = o.runtime_version.unwrap_or_else(|| "unknown".to_owned());
        let options = ClientOptions {
            api_key: o.api_key,
            base_url: o.base_url,
            timeout_secs: secs(o.timeout_ms),
            connect_timeout_secs: secs(o.connect_timeout_ms),
            total_timeout_secs: secs(o.total_timeout_ms),
            max_retries: o.max_retries,
            retry_initial_delay_secs: secs(o.retry_initial_delay_ms),
            max_response_bytes: o.max_response_bytes,
            allow_insecure_http: o.allow_insecure_http.unwrap_or(false),
        };
        let client = options
            .into_builder()
            .map(|builder| builder.runtime("node", version))
            .and_then(ClientBuilder::build)
            .map_err(to_js_error)?;
        Ok(NativeClient { client })
    }

    /// The base URL requests go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// Closes the pooled connections now; later calls reject with a `ConfigurationError`.
    #[napi]
    pub fn close(&self) {
        self.client.close();
    }

    /// Whether `close()` was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.client.is_closed()
    }

    /// The endpoint's events while the body arrives: each run of them goes to `pieces` as it
    /// is decoded, and the promise resolves with the rest.
    #[napi(ts_return_type = "Promise<NativeListRest>")]
    pub fn list_events_in_pieces<'env>(
        &self,
        env: &'env Env,
        endpoint_id: String,
        pieces: &NativeListPieces,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, NativeListRest>> {
        let sender = pieces.take_sender().ok_or_else(|| {
            to_js_error(Error::configuration(
                "these pieces were filled by another call",
            ))
        })?;
        let client = self.client.clone();
        let call = async move {
            // A receiver that is gone (JS stopped taking pieces) wants none.
            let sink = move |piece| drop(sender.send(piece));
            client
                .list_events_json_in_pieces(&endpoint_id, &sink)
                .await
                .map(NativeListRest::of)
                .map_err(to_js_error)
        };
        spawn(env, call, cancel)
    }

    /// One event as normalized JSON text.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn get_event<'env>(
        &self,
        env: &'env Env,
        endpoint_id: String,
        event_id: String,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let client = self.client.clone();
        let call = async move {
            client
                .get_event_json(&endpoint_id, &event_id)
                .await
                .map(json_text)
                .map_err(to_js_error)
        };
        spawn(env, call, cancel)
    }
}

impl NativeClient {
    /// A handle on the client (cheap: clones share the pool).
    pub(crate) fn client(&self) -> Client {
        self.client.clone()
    }
}
