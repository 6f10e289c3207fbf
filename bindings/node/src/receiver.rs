//! `NativeReceiver`: the Rust [`Receiver`] behind the JS `Receiver` — reading a delivery,
//! verifying it, and every answer (as JSON text: `status`, `body`, `outcome`, `headers`,
//! `logLine`). Calling the handlers, and the `fetch`/`node:http` adapters, are the JS side's.

use std::{collections::HashMap, time::Duration};

use napi::{
    bindgen_prelude::{Buffer, Either, PromiseRaw},
    Env,
};
use napi_derive::napi;
use omega_webhooks_client::{count_out_of_range, REPLAY_HEADER};
use omega_webhooks_receive::{
    Answer, Claim, ClaimCell, Delivered, EventHead, Outcome, Receiver, TypeIdText, HANDLED_TEXT,
    MAX_ANSWER_BYTES, UNHANDLED_TEXT,
};

use crate::{
    client::NativeClient,
    errors::to_js_error,
    models::{json_text, JsonText},
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
    /// Handle each event once: `memory`, `sqlite:///path`, `redis://host:port/db`.
    pub dedupe: Option<String>,
    /// How long a dedupe claim holds, in milliseconds.
    pub lease_ms: Option<f64>,
    /// How long a handled event is remembered, in milliseconds.
    pub remember_ms: Option<f64>,
}

/// `ms` milliseconds as a duration: a positive, finite number (else a `ConfigurationError`
/// naming `what`).
fn milliseconds(what: &str, ms: f64) -> napi::Result<Duration> {
    Duration::try_from_secs_f64(ms / 1000.0)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            to_js_error(omega_webhooks_client::Error::configuration(format!(
                "{what} must be a positive number of milliseconds, not {ms}"
            )))
        })
}

/// A worker's claim on an event (dedupe): `done()` after its handler returned, `release()`
/// after it failed.
#[napi]
pub struct NativeClaim(ClaimCell);

#[napi]
impl NativeClaim {
    /// Marks the event handled.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn done<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let claim = self.0.take();
        spawn(
            env,
            async move {
                claim.done().await;
                Ok(())
            },
            None,
        )
    }

    /// Gives the event up, so that its next delivery is handled.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn release<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let claim = self.0.take();
        spawn(
            env,
            async move {
                claim.release().await;
                Ok(())
            },
            None,
        )
    }

    /// `done` at once when the store needs no I/O (memory): `true`; else `false` (call
    /// `done()`).
    #[napi]
    pub fn done_now(&self) -> bool {
        self.0.settle_now(true)
    }

    /// `release` at once when the store needs no I/O: `true`; else `false`.
    #[napi]
    pub fn release_now(&self) -> bool {
        self.0.settle_now(false)
    }
}

/// A delivery to hand to a handler, as one JSON text (one crossing, one string: an object with
/// fields costs a call into N-API per field, microseconds on a busy receiver):
/// `[event, replay, handled, unhandled]` — the normalized event, whether this SDK replayed it,
/// and the bodies of its `handled` and `unhandled` answers.
fn read_json(event_json: &str, delivery: &impl Delivered) -> napi::Result<JsonText> {
    let body = |answer: Answer| serde_json::to_string(&answer.body);
    let texts = body(Answer::handled(delivery)).and_then(|handled| {
        body(Answer::unhandled(delivery)).map(|unhandled| (handled, unhandled))
    });
    let (handled, unhandled) = texts.map_err(|e| {
        napi::Error::from_reason(format!(
            "omega-webhooks internal error: cannot serialize: {e}"
        ))
    })?;
    Ok(json_text(format!(
        "[{event_json},{},{handled},{unhandled}]",
        delivery.replay()
    )))
}

/// An answer as the JS side reads it.
#[napi(object)]
pub struct NativeAnswer {
    /// The HTTP status.
    pub status: u32,
    /// One line of text.
    pub body: String,
    /// What became of the delivery.
    pub outcome: String,
    /// The line to log.
    pub log_line: String,
}

impl NativeAnswer {
    fn of(answer: &Answer, replay: bool) -> NativeAnswer {
        NativeAnswer {
            status: answer.status.into(),
            body: answer.body.clone(),
            outcome: answer.outcome.name().to_owned(),
            log_line: answer.log_line(replay),
        }
    }
}

/// The status of each outcome (the JS side keeps them).
#[napi]
pub fn outcome_statuses() -> HashMap<&'static str, u32> {
    Outcome::ALL
        .into_iter()
        .map(|outcome| (outcome.name(), u32::from(outcome.status())))
        .collect()
}

/// The log line of an answer (made only when `OMEGA_LOG` asks for one).
#[napi]
pub fn log_line(outcome: String, body: String, replay: bool) -> String {
    let outcome = Outcome::ALL
        .into_iter()
        .find(|o| o.name() == outcome)
        .unwrap_or(Outcome::Failed);
    Answer::of(outcome, body).log_line(replay)
}

/// The headers of an answer with `status` (the JS side keeps them per status).
#[napi]
pub fn answer_headers(status: u32) -> HashMap<&'static str, &'static str> {
    let status = u16::try_from(status).unwrap_or(500);
    Answer::headers_of(status).into_iter().collect()
}

/// What the JS receiver needs to read the usual delivery without a crossing (its fast path);
/// every rule and text stays the Rust core's, and anything else is read by `read`.
#[napi(object)]
pub struct NativeFastPath {
    /// `handled TYPE ID`: the text before the type, and between the type and the id.
    pub handled: Vec<String>,
    /// `no handler for TYPE ID`, likewise.
    pub unhandled: Vec<String>,
    /// The longest answer body, in bytes (a text is kept as it is only when it is printable
    /// ASCII this long or shorter).
    pub max_answer_bytes: u32,
    /// The header that marks a replay by this SDK (lowercase).
    pub replay_header: String,
}

/// The texts and names of the JS receiver's fast path.
#[napi]
pub fn fast_path() -> NativeFastPath {
    let parts = |text: TypeIdText| vec![text.before_type.to_owned(), text.between.to_owned()];
    NativeFastPath {
        handled: parts(HANDLED_TEXT),
        unhandled: parts(UNHANDLED_TEXT),
        max_answer_bytes: MAX_ANSWER_BYTES as u32,
        replay_header: REPLAY_HEADER.to_owned(),
    }
}

/// Whether a delivery's `Content-Type` is JSON (the JS side keeps the verdicts it asked for).
#[napi]
pub fn is_json_content_type(content_type: String) -> bool {
    omega_webhooks_receive::is_json_content_type(&content_type)
}

/// The fields of an event the answers name, from the JS side's event object.
#[napi(object)]
pub struct NativeEventHead {
    /// `event.id`.
    pub id: String,
    /// `event.type`.
    pub r#type: String,
    /// `event.endpoint_id`.
    pub endpoint_id: String,
    /// Whether the delivery was a replay.
    pub replay: bool,
}

impl NativeEventHead {
    fn into_head(self) -> EventHead {
        EventHead {
            event_id: self.id,
            event_type: self.r#type,
            endpoint_id: self.endpoint_id,
            replay: self.replay,
        }
    }
}

/// The request headers as the JS side sends them: one `name: value` line each, in one string
/// (one crossing; an array of pairs costs a call into N-API per name and value).
fn pairs(headers: &str) -> impl Iterator<Item = (&str, &str)> {
    headers.lines().filter_map(|line| line.split_once(": "))
}

/// A claim, or the answer instead, for JS.
fn claimed_js(claimed: Result<Claim, Answer>, replay: bool) -> Either<NativeClaim, NativeAnswer> {
    match claimed {
        Ok(claim) => Either::A(NativeClaim(ClaimCell::new(claim))),
        Err(answer) => Either::B(NativeAnswer::of(&answer, replay)),
    }
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
        if let Some(spec) = options.dedupe {
            builder = builder.dedupe(spec);
        }
        if let Some(ms) = options.lease_ms {
            builder = builder.lease(milliseconds("leaseMs", ms)?);
        }
        if let Some(ms) = options.remember_ms {
            builder = builder.remember(milliseconds("rememberMs", ms)?);
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

    /// Whether deliveries for `endpoint_id` are accepted (`endpoints`).
    #[napi]
    pub fn accepts_endpoint(&self, endpoint_id: String) -> bool {
        self.receiver.accepts_endpoint(&endpoint_id)
    }

    /// Whether each event is handled once.
    #[napi(getter)]
    pub fn dedupes(&self) -> bool {
        self.receiver.dedupes()
    }

    /// Claims an event before its handler runs: the claim, or the answer (duplicate 200, in
    /// progress 409, store unavailable 503).
    #[napi(ts_return_type = "Promise<NativeClaim | NativeAnswer>")]
    pub fn claim<'env>(
        &self,
        env: &'env Env,
        event: NativeEventHead,
    ) -> napi::Result<PromiseRaw<'env, Either<NativeClaim, NativeAnswer>>> {
        let receiver = self.receiver.clone();
        let head = event.into_head();
        spawn(
            env,
            async move { Ok(claimed_js(receiver.claim(&head).await, head.replay)) },
            None,
        )
    }

    /// `claim` at once when the store needs no I/O (memory): the claim's token (settle it with
    /// `settleNow`), or the answer; `null` when `claim` must be called. Text, not a claim
    /// object: an object per delivery costs microseconds, and its finalizer more at the GC.
    #[napi(ts_return_type = "string | NativeAnswer | null")]
    pub fn claim_now(
        &self,
        id: String,
        event_type: String,
        endpoint_id: String,
        replay: bool,
    ) -> Option<Either<String, NativeAnswer>> {
        let head = EventHead {
            event_id: id,
            event_type,
            endpoint_id,
            replay,
        };
        let claimed = self.receiver.claim_now(&head)?;
        Some(match claimed {
            Ok(claim) => Either::A(claim.token().unwrap_or_default().to_owned()),
            Err(answer) => Either::B(NativeAnswer::of(&answer, replay)),
        })
    }

    /// Marks done (`done`) or releases the claim `claimNow` gave as `token` on the event `id`
    /// of `endpointId`: `true`, settled at once (the stores `claimNow` claims in need no I/O).
    #[napi]
    pub fn settle_now(&self, endpoint_id: String, id: String, token: String, done: bool) -> bool {
        ClaimCell::new(self.receiver.claim_of(&endpoint_id, &id, token)).settle_now(done)
    }

    /// Reads a delivery (no I/O): `[event, replay, handled, unhandled]` as JSON text (see
    /// `read_json`), or the answer that ends the delivery.
    #[napi(ts_return_type = "string | NativeAnswer")]
    pub fn read(
        &self,
        body: Either<String, Buffer>,
        headers: String,
    ) -> napi::Result<Either<JsonText, NativeAnswer>> {
        let bytes: &[u8] = match &body {
            Either::A(text) => text.as_bytes(),
            Either::B(buffer) => buffer,
        };
        Ok(
            match self.receiver.read_normalized(pairs(&headers), bytes) {
                Ok(normalized) => Either::A(read_json(&normalized.json, &normalized.head)?),
                Err(answer) => Either::B(NativeAnswer::of(&answer, false)),
            },
        )
    }

    /// Reads and verifies a delivery with the API: the API's copy of the event as normalized
    /// JSON text, or the answer (403, 503 and `read`'s).
    #[napi(ts_return_type = "Promise<string | NativeAnswer>")]
    pub fn handle<'env>(
        &self,
        env: &'env Env,
        body: Buffer,
        headers: String,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, Either<JsonText, NativeAnswer>>> {
        let receiver = self.receiver.clone();
        let body = body.to_vec();
        let call = async move {
            Ok(match receiver.handle(pairs(&headers), &body).await {
                Ok(delivery) => {
                    let event = serde_json::to_string(&delivery.event).map_err(|e| {
                        napi::Error::from_reason(format!(
                            "omega-webhooks internal error: cannot serialize: {e}"
                        ))
                    })?;
                    Either::A(read_json(&event, &delivery)?)
                }
                Err(answer) => Either::B(NativeAnswer::of(&answer, false)),
            })
        };
        spawn(env, call, cancel)
    }

    /// The answer after a handler of the event threw (or rejected with) an error of class
    /// `className`.
    #[napi]
    pub fn failed(
        &self,
        event: NativeEventHead,
        class_name: String,
        message: String,
    ) -> NativeAnswer {
        let head = event.into_head();
        NativeAnswer::of(
            &self.receiver.failed(&head, &class_name, &message),
            head.replay,
        )
    }

    /// The adapters' answer to another method than POST.
    #[napi]
    pub fn method_not_allowed(&self) -> NativeAnswer {
        self.refused(Answer::method_not_allowed())
    }

    /// The adapters' answer to a body over the cap (found while streaming it).
    #[napi]
    pub fn too_large(&self) -> NativeAnswer {
        self.refused(Answer::too_large(self.receiver.max_body_bytes()))
    }

    /// The adapters' answer when a body parser (`express.json()`) consumed the body first.
    #[napi]
    pub fn body_consumed(&self) -> NativeAnswer {
        self.refused(Answer::body_consumed())
    }
}

impl NativeReceiver {
    /// An adapter's own answer, logged.
    fn refused(&self, answer: Answer) -> NativeAnswer {
        NativeAnswer::of(&self.receiver.logged(answer, false), false)
    }
}
