//! `NativeReceiver`: the Rust [`Receiver`] behind the JS `Receiver` — reading a delivery,
//! verifying it, and every answer (as JSON text: `status`, `body`, `outcome`, `headers`,
//! `logLine`). Calling the handlers, and the `fetch`/`node:http` adapters, are the JS side's.

use std::sync::{Arc, Mutex, MutexGuard};

use napi::{
    bindgen_prelude::{Buffer, Either, PromiseRaw},
    Env,
};
use napi_derive::napi;
use omega_webhooks_client::count_out_of_range;
use omega_webhooks_receive::{Answer, Delivery, Receiver};
use serde_json::json;

use crate::{
    client::NativeClient,
    errors::to_js_error,
    models::{to_json, JsonText},
    runtime::{spawn, CancelToken},
};

/// Receiver options, as the JS `Receiver` passes them.
#[napi(object)]
#[derive(Default)]
pub struct NativeReceiverOptions {
    /// The largest body accepted, in bytes (default 1 MiB).
    pub max_body_bytes: Option<f64>,
    /// Whether a failed handler's answer includes the first line of its message.
    pub expose_errors: Option<bool>,
    /// Accept deliveries for these endpoints only.
    pub endpoints: Option<Vec<String>>,
}

/// A delivery that passed the receiver's checks; verification replaces its event with the
/// API's copy.
#[napi]
pub struct NativeDelivery(Arc<Mutex<Delivery>>);

impl NativeDelivery {
    fn lock(&self) -> MutexGuard<'_, Delivery> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[napi]
impl NativeDelivery {
    /// The event as normalized JSON text.
    #[napi(ts_return_type = "string")]
    pub fn event_json(&self) -> napi::Result<JsonText> {
        to_json(&self.lock().event)
    }

    /// Whether this SDK replayed it.
    #[napi(getter)]
    pub fn replay(&self) -> bool {
        self.lock().replay
    }
}

/// `answer` as the JSON text the JS side reads.
fn answer_json(answer: &Answer, replay: bool) -> napi::Result<JsonText> {
    let mut headers = serde_json::Map::new();
    for (name, value) in answer.headers() {
        headers.insert(name.to_owned(), value.into());
    }
    if answer.status == 405 {
        headers.insert("allow".to_owned(), "POST".into());
    }
    to_json(&json!({
        "status": answer.status,
        "body": answer.body,
        "outcome": answer.outcome,
        "headers": headers,
        "logLine": answer.log_line(replay),
    }))
}

/// The receiver's rules, its options checked once.
#[napi]
pub struct NativeReceiver {
    receiver: Receiver,
}

#[napi]
impl NativeReceiver {
    /// Checks the options (`ConfigurationError`); `verify` is a client to verify deliveries
    /// with.
    #[napi(constructor)]
    pub fn new(
        options: Option<NativeReceiverOptions>,
        verify: Option<&NativeClient>,
    ) -> napi::Result<Self> {
        let options = options.unwrap_or_default();
        let mut builder = Receiver::builder().expose_errors(options.expose_errors.unwrap_or(false));
        if let Some(bytes) = options.max_body_bytes {
            let valid = bytes.fract() == 0.0 && bytes >= 1.0 && bytes <= usize::MAX as f64;
            if !valid {
                let error = count_out_of_range("maxBodyBytes", 1, usize::MAX as u64, bytes);
                return Err(to_js_error(error));
            }
            builder = builder.max_body_bytes(bytes as usize);
        }
        if let Some(endpoints) = options.endpoints {
            builder = builder.endpoints(endpoints);
        }
        if let Some(client) = verify {
            builder = builder.verify(client.client());
        }
        let receiver = builder.build().map_err(to_js_error)?;
        Ok(NativeReceiver { receiver })
    }

    /// The body cap, in bytes.
    #[napi(getter)]
    pub fn max_body_bytes(&self) -> f64 {
        self.receiver.max_body_bytes() as f64
    }

    /// Whether deliveries are verified with the API.
    #[napi(getter)]
    pub fn verifies(&self) -> bool {
        self.receiver.verifies()
    }

    /// Reads a delivery (no I/O): a `NativeDelivery`, or the answer (JSON text) that ends it.
    #[napi(ts_return_type = "NativeDelivery | string")]
    pub fn read(
        &self,
        body: Either<String, Buffer>,
        headers: Vec<Vec<String>>,
    ) -> napi::Result<Either<NativeDelivery, JsonText>> {
        let bytes: &[u8] = match &body {
            Either::A(text) => text.as_bytes(),
            Either::B(buffer) => buffer,
        };
        let pairs = headers
            .into_iter()
            .filter_map(|pair| <[String; 2]>::try_from(pair).ok())
            .map(|[name, value]| (name, value));
        match self.receiver.read(pairs, bytes) {
            Ok(delivery) => Ok(Either::A(NativeDelivery(Arc::new(Mutex::new(delivery))))),
            Err(answer) => answer_json(&answer, false).map(Either::B),
        }
    }

    /// Verifies `delivery` with the API: `null` (its event is now the API's copy), or the
    /// answer (403, 503) as JSON text.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn verify<'env>(
        &self,
        env: &'env Env,
        delivery: &NativeDelivery,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let receiver = self.receiver.clone();
        let shared = Arc::clone(&delivery.0);
        let call = async move {
            let current = shared
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            let replay = current.replay;
            match receiver.verified(current).await {
                Ok(copy) => {
                    *shared
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner()) = copy;
                    to_json(&serde_json::Value::Null)
                }
                Err(answer) => answer_json(&answer, replay),
            }
        };
        spawn(env, call, cancel)
    }

    /// The answer after a handler returned.
    #[napi(ts_return_type = "string")]
    pub fn handled(&self, delivery: &NativeDelivery) -> napi::Result<JsonText> {
        let delivery = delivery.lock();
        answer_json(&self.receiver.handled(&delivery), delivery.replay)
    }

    /// The answer when no handler takes the event's type.
    #[napi(ts_return_type = "string")]
    pub fn unhandled(&self, delivery: &NativeDelivery) -> napi::Result<JsonText> {
        let delivery = delivery.lock();
        answer_json(&self.receiver.unhandled(&delivery), delivery.replay)
    }

    /// The answer after a handler threw (or rejected with) an error of class `className`.
    #[napi(ts_return_type = "string")]
    pub fn failed(
        &self,
        delivery: &NativeDelivery,
        class_name: String,
        message: String,
    ) -> napi::Result<JsonText> {
        let delivery = delivery.lock();
        let answer = self.receiver.failed(&delivery, &class_name, &message);
        answer_json(&answer, delivery.replay)
    }

    /// The adapters' answer to another method than POST.
    #[napi(ts_return_type = "string")]
    pub fn method_not_allowed(&self) -> napi::Result<JsonText> {
        self.refused(Answer::method_not_allowed())
    }

    /// The adapters' answer to a body over the cap (found while streaming it).
    #[napi(ts_return_type = "string")]
    pub fn too_large(&self) -> napi::Result<JsonText> {
        self.refused(Answer::too_large(self.receiver.max_body_bytes()))
    }

    /// The adapters' answer when a body parser (`express.json()`) consumed the body first.
    #[napi(ts_return_type = "string")]
    pub fn body_consumed(&self) -> napi::Result<JsonText> {
        self.refused(Answer::body_consumed())
    }
}

impl NativeReceiver {
    /// An adapter's own answer, logged.
    fn refused(&self, answer: Answer) -> napi::Result<JsonText> {
        answer_json(&self.receiver.logged(answer, false), false)
    }
}
