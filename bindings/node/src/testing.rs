//! The test helpers of `require('omega-webhooks').testing`: `syntheticBody` (the generator and
//! overrides of `omega-webhooks trigger`) and `NativeMockServer` (the Rust mock server in this
//! process).

use napi::{
    bindgen_prelude::{Buffer, PromiseRaw},
    Env,
};
use napi_derive::napi;
use omega_webhooks_client::Error;
use omega_webhooks_mock::{
    MockConfig, MockServer, DEFAULT_API_KEY, EMBEDDED_EVENTS, GENERATED_ENDPOINT,
};

use crate::{errors::to_js_error, runtime::spawn};

/// The body of a realistic event of `eventType` (see `omega_webhooks_mock::test_body`);
/// `overrides` are `[dotted path, JSON text]` pairs. One that leaves no valid event is a
/// `ConfigurationError`.
#[napi]
pub fn synthetic_body(
    event_type: String,
    overrides: Vec<Vec<String>>,
    seed: Option<i64>,
) -> napi::Result<Buffer> {
    let overrides: Vec<(String, String)> = overrides
        .into_iter()
        .filter_map(|pair| <[String; 2]>::try_from(pair).ok())
        .map(|[path, json]| (path, json))
        .collect();
    omega_webhooks_mock::test_body(&event_type, seed.map(i64::unsigned_abs), &overrides)
        .map(Buffer::from)
        .map_err(|e| to_js_error(Error::configuration_caused(e.to_string(), e)))
}

/// The mock Omega server on a free loopback port, until `close()`.
#[napi]
pub struct NativeMockServer {
    server: MockServer,
}

#[napi]
impl NativeMockServer {
    /// The base URL (`http://127.0.0.1:PORT`).
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.server.url()
    }

    /// The key the mock accepts.
    #[napi(getter)]
    pub fn api_key(&self) -> &'static str {
        DEFAULT_API_KEY
    }

    /// The endpoint of the generated events.
    #[napi(getter)]
    pub fn endpoint_id(&self) -> &'static str {
        GENERATED_ENDPOINT
    }

    /// Stops the server and closes its connections.
    #[napi]
    pub fn close(&self) {
        self.server.shutdown();
    }
}

/// Starts a mock server with `events` generated events (and the built-in data).
#[napi(ts_return_type = "Promise<NativeMockServer>")]
pub fn start_mock_server<'env>(
    env: &'env Env,
    events: Option<u32>,
    seed: Option<i64>,
) -> napi::Result<PromiseRaw<'env, NativeMockServer>> {
    let config = MockConfig {
        events: events.map_or(EMBEDDED_EVENTS, |n| n as usize),
        seed: seed.map_or(0, |s| s.unsigned_abs()),
        ..MockConfig::default()
    };
    let start = async move {
        let server = MockServer::start(config).await.map_err(|e| {
            to_js_error(Error::configuration_caused(
                format!("cannot start the mock server: {e}"),
                e,
            ))
        })?;
        Ok(NativeMockServer { server })
    };
    spawn(env, start, None)
}
