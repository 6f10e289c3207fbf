//! [`Receiver`]: the rules of receiving a delivery — the size cap, the content type, decoding
//! with the error's JSON path, the accepted endpoints and, with a client, verification against
//! the API — and the [`Answer`] for each outcome. Calling the user's handlers is the host
//! language's part (the Python and Node receivers, or a Rust handler).

use std::{collections::BTreeSet, future::Future, time::Duration};

use omega_webhooks_client::{validate_id, Client, Error, ErrorKind, REPLAY_HEADER};
use omega_webhooks_types::{Event, ParseError};

use crate::{
    dedupe::{Claim, Dedupe, Held, StoreError},
    Answer, Delivered, EventHead,
};

/// The default cap of a delivery's body: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// A delivery that passed the receiver's checks: the event its handlers get (with
/// verification, the API's copy), and whether it was replayed by this SDK.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The event.
    pub event: Event,
    /// Whether the request carried [`REPLAY_HEADER`] (`events replay`, `follow --forward-to`).
    pub replay: bool,
}

/// A delivery read by [`Receiver::read_normalized`]: the event's normalized JSON, and its head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The event's normalized JSON (what `serde_json` writes for the model).
    pub json: String,
    /// Its id, type and endpoint, and whether it was replayed: what its answers take.
    pub head: EventHead,
}

/// How to receive; see [`Receiver::builder`].
#[derive(Debug, Clone)]
pub struct Receiver {
    max_body_bytes: usize,
    expose_errors: bool,
    verify: Option<Client>,
    endpoints: Option<BTreeSet<String>>,
    dedupe: Option<Dedupe>,
}

/// Options of a [`Receiver`].
#[derive(Debug, Clone, Default)]
pub struct ReceiverBuilder {
    max_body_bytes: Option<usize>,
    expose_errors: bool,
    verify: Option<Client>,
    endpoints: Option<Vec<String>>,
    dedupe: Option<String>,
    lease: Option<Duration>,
    remember: Option<Duration>,
}

impl ReceiverBuilder {
    /// The largest body accepted (default [`DEFAULT_MAX_BODY_BYTES`]); larger is
    /// [`crate::Outcome::TooLarge`].
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// Whether a failed handler's answer includes the first line of its error's message
    /// (default: only its class).
    pub fn expose_errors(mut self, expose: bool) -> Self {
        self.expose_errors = expose;
        self
    }

    /// Verify each delivery with the API through `client`: handlers get the API's copy of the
    /// event; one the API does not know is [`crate::Outcome::Forged`], an API failure
    /// [`crate::Outcome::Unverified`].
    pub fn verify(mut self, client: Client) -> Self {
        self.verify = Some(client);
        self
    }

    /// Accept deliveries for these endpoints only (others are [`crate::Outcome::Forged`]).
    pub fn endpoints(mut self, endpoints: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.endpoints = Some(endpoints.into_iter().map(Into::into).collect());
        self
    }

    /// Handle each event once: the dedupe store (`memory`, `sqlite:///path/to/seen.db`,
    /// `redis://host:port/db`; see [`Dedupe::open`]).
    pub fn dedupe(mut self, spec: impl Into<String>) -> Self {
        self.dedupe = Some(spec.into());
        self
    }

    /// How long a dedupe claim holds (default [`crate::DEFAULT_LEASE`]): a worker killed inside
    /// a handler blocks its event this long.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = Some(lease);
        self
    }

    /// How long a handled event is remembered (default [`crate::DEFAULT_REMEMBER`]).
    pub fn remember(mut self, remember: Duration) -> Self {
        self.remember = Some(remember);
        self
    }

    /// The receiver; a zero cap, an endpoint id that is not an id or a dedupe store that cannot
    /// be opened is an [`Error::Configuration`].
    pub fn build(self) -> Result<Receiver, Error> {
        let max_body_bytes = self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES);
        if max_body_bytes == 0 {
            return Err(omega_webhooks_client::count_out_of_range(
                "max_body_bytes",
                1,
                usize::MAX as u64,
                0,
            ));
        }
        let endpoints = self
            .endpoints
            .map(|ids| {
                ids.into_iter()
                    .map(|id| validate_id("endpoint id", &id).map(|()| id))
                    .collect::<Result<BTreeSet<_>, _>>()
            })
            .transpose()?;
        let dedupe = match self.dedupe {
            Some(spec) => Some(Dedupe::open(&spec, self.lease, self.remember)?),
            None if self.lease.is_some() || self.remember.is_some() => {
                return Err(Error::configuration(
                    "lease and remember are dedupe options: set dedupe too",
                ))
            }
            None => None,
        };
        Ok(Receiver {
            max_body_bytes,
            expose_errors: self.expose_errors,
            verify: self.verify,
            endpoints,
            dedupe,
        })
    }
}

impl Receiver {
    /// Options, starting from the defaults.
    pub fn builder() -> ReceiverBuilder {
        ReceiverBuilder::default()
    }

    /// The largest body accepted, in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// Whether deliveries are verified with the API (then [`Receiver::handle`] does I/O).
    pub fn verifies(&self) -> bool {
        self.verify.is_some()
    }

    /// Reads a delivery: its size, content type and body, and its endpoint. `headers` are the
    /// request's (names in any case). No I/O; see [`Receiver::handle`] for verification.
    pub fn read<K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
    ) -> Result<Delivery, Answer>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let replay = self.admit(headers, body)?;
        let event = omega_webhooks_types::parse_event(body)
            .map_err(|e| self.logged(Answer::invalid(&e), replay))?;
        let delivery = Delivery { event, replay };
        self.accepted(&delivery)?;
        Ok(delivery)
    }

    /// [`Receiver::read`] for a binding that hands events on as JSON text (Node): the same
    /// checks and answers, with the event as its normalized JSON, written without building the
    /// model, and the fields the answers need.
    pub fn read_normalized<K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
    ) -> Result<Normalized, Answer>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let replay = self.admit(headers, body)?;
        let json = omega_webhooks_types::normalize_event(body)
            .map_err(|e| self.logged(Answer::invalid(&e), replay))?;
        let mut head: EventHead = serde_json::from_str(&json).map_err(|e| {
            let reason = format!("the normalized event has no id, type or endpoint: {e}");
            self.logged(Answer::invalid(&ParseError::whole_body(reason)), replay)
        })?;
        head.replay = replay;
        self.accepted(&head)?;
        Ok(Normalized { json, head })
    }

    /// The size and content type of a delivery, and whether it is a replay; or the answer.
    fn admit<K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
    ) -> Result<bool, Answer>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut replay = false;
        let mut content_type = None;
        for (name, value) in headers {
            let name = name.as_ref();
            if name.eq_ignore_ascii_case(REPLAY_HEADER) {
                replay = true;
            } else if name.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.as_ref().to_owned());
            }
        }
        let refused = if body.len() > self.max_body_bytes {
            Some(Answer::too_large(self.max_body_bytes))
        } else {
            content_type
                .filter(|ct| !is_json_content_type(ct))
                .map(|ct| {
                    Answer::invalid(&ParseError::whole_body(format!(
                        "Content-Type {ct:?} is not application/json"
                    )))
                })
        };
        match refused {
            Some(answer) => Err(self.logged(answer, replay)),
            None => Ok(replay),
        }
    }

    /// Whether the receiver accepts deliveries for `event`'s endpoint (or the answer).
    fn accepted(&self, event: &impl Delivered) -> Result<(), Answer> {
        if !self.accepts_endpoint(event.endpoint_id()) {
            return Err(self.logged(Answer::other_endpoint(event), event.replay()));
        }
        Ok(())
    }

    /// Whether the receiver accepts deliveries for `endpoint_id` (every endpoint without
    /// [`ReceiverBuilder::endpoints`]).
    pub fn accepts_endpoint(&self, endpoint_id: &str) -> bool {
        match &self.endpoints {
            Some(accepted) => accepted.contains(endpoint_id),
            None => true,
        }
    }

    /// Receives a delivery: [`Receiver::read`], then, with a verifying client, the API's copy of
    /// the event (its `response` as the API has it at this moment). The delivery to hand to your
    /// handler — then answer with [`Receiver::handled`] or [`Receiver::failed`] — or the answer
    /// to give at once.
    pub async fn handle<K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
    ) -> Result<Delivery, Answer>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let delivery = self.read(headers, body)?;
        self.verified(delivery).await
    }

    /// `delivery` with the API's copy of its event, when the receiver verifies (else as it
    /// is).
    pub async fn verified(&self, delivery: Delivery) -> Result<Delivery, Answer> {
        match &self.verify {
            Some(client) => self.verified_with(client, delivery).await,
            None => Ok(delivery),
        }
    }

    /// `delivery` with the API's copy of its event, fetched through `client` (the Python
    /// receiver's, which belongs to one process at a time): one the API does not know is
    /// forged, an API failure unverified.
    pub async fn verified_with(
        &self,
        client: &Client,
        delivery: Delivery,
    ) -> Result<Delivery, Answer> {
        let Delivery { event, replay } = delivery;
        match client.get_event(&event.endpoint_id, &event.id).await {
            Ok(copy) => Ok(Delivery {
                event: copy,
                replay,
            }),
            // Omega's ids are ids: one that is not could never have been delivered.
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Configuration) => {
                Err(self.logged(Answer::forged(&event), replay))
            }
            Err(e) => {
                tracing::warn!(event = %event.id, error = %e, "cannot verify a delivery");
                Err(self.logged(Answer::unverified(&event, e.kind().class_name()), replay))
            }
        }
    }

    /// Whether each event is handled once (then [`Receiver::claim`] does I/O).
    pub fn dedupes(&self) -> bool {
        self.dedupe.is_some()
    }

    /// Claims `delivery`'s event before its handler runs: the claim (mark it
    /// [`Claim::done`] after the handler returned, or [`Claim::release`] it after it failed),
    /// or the answer to give at once — a duplicate (200), an event another worker is handling
    /// (409) or a store that cannot be asked (503). Without dedupe, a claim that holds nothing.
    pub async fn claim(&self, delivery: &impl Delivered) -> Result<Claim, Answer> {
        let Some(dedupe) = &self.dedupe else {
            return Ok(Claim::none());
        };
        let claimed = dedupe
            .claim(delivery.endpoint_id(), delivery.event_id())
            .await;
        self.claim_answer(delivery, claimed)
    }

    /// [`Receiver::claim`] at once when the store needs no I/O (memory, or no dedupe): the
    /// bindings then skip a trip through the runtime. `None` when it must be awaited.
    pub fn claim_now(&self, delivery: &impl Delivered) -> Option<Result<Claim, Answer>> {
        let Some(dedupe) = &self.dedupe else {
            return Some(Ok(Claim::none()));
        };
        let claimed = dedupe.claim_now(delivery.endpoint_id(), delivery.event_id())?;
        Some(self.claim_answer(delivery, Ok(claimed)))
    }

    /// The claim `token` ([`Claim::token`]) holds on the event `event_id` of `endpoint_id`:
    /// a claim a binding kept as its token, made a claim again to be settled. Without dedupe,
    /// a claim that holds nothing.
    pub fn claim_of(&self, endpoint_id: &str, event_id: &str, token: String) -> Claim {
        match &self.dedupe {
            Some(dedupe) => dedupe.claim_of(endpoint_id, event_id, token),
            None => Claim::none(),
        }
    }

    /// The claim, or the answer for what the store holds (or for a store that cannot be asked).
    fn claim_answer(
        &self,
        delivery: &impl Delivered,
        claimed: Result<Result<Claim, Held>, StoreError>,
    ) -> Result<Claim, Answer> {
        let answer = match claimed {
            Ok(Ok(claim)) => return Ok(claim),
            Ok(Err(Held::Done)) => Answer::duplicate(delivery),
            Ok(Err(_)) => Answer::in_progress(delivery),
            Err(e) => {
                tracing::warn!(target: "omega_webhooks::receive", event = %delivery.event_id(), "dedupe store unavailable: {e}");
                Answer::store_unavailable()
            }
        };
        Err(self.logged(answer, delivery.replay()))
    }

    /// Handles `delivery` once: [`Receiver::claim`], then `handler`, then the claim marked
    /// done (and [`Receiver::handled`]) or released (and [`Receiver::failed`], with the error's
    /// type name as its class).
    pub async fn process<D, F, Fut, E>(&self, delivery: &D, handler: F) -> Answer
    where
        D: Delivered,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: std::fmt::Display,
    {
        let claim = match self.claim(delivery).await {
            Ok(claim) => claim,
            Err(answer) => return answer,
        };
        match handler().await {
            Ok(()) => {
                claim.done().await;
                self.handled(delivery)
            }
            Err(error) => {
                claim.release().await;
                let class = std::any::type_name::<E>();
                let class = class.split('<').next().unwrap_or(class);
                let class = class.rsplit("::").next().unwrap_or(class);
                self.failed(delivery, class, &error.to_string())
            }
        }
    }

    /// The answer after a handler of `delivery` returned.
    pub fn handled(&self, delivery: &impl Delivered) -> Answer {
        self.logged(Answer::handled(delivery), delivery.replay())
    }

    /// The answer when no handler takes `delivery`'s type.
    pub fn unhandled(&self, delivery: &impl Delivered) -> Answer {
        self.logged(Answer::unhandled(delivery), delivery.replay())
    }

    /// The answer after a handler of `delivery` failed with an error of class `class` (the
    /// message is shown only when the receiver exposes errors).
    pub fn failed(&self, delivery: &impl Delivered, class: &str, message: &str) -> Answer {
        let shown = self.expose_errors.then_some(message);
        let answer = Answer::failed(delivery, class, shown);
        self.logged(answer, delivery.replay())
    }

    /// `answer`, logged once (`tracing`, info; a failure at warn): outcome, status and text,
    /// never the body. For answers made outside [`Receiver::read`] and the others (an
    /// adapter's 405, or its own cap while streaming a body).
    pub fn logged(&self, answer: Answer, replay: bool) -> Answer {
        let line = answer.log_line(replay);
        if answer.status >= 500 {
            tracing::warn!(target: "omega_webhooks::receive", "{line}");
        } else {
            tracing::info!(target: "omega_webhooks::receive", "{line}");
        }
        answer
    }
}

/// Whether a `Content-Type` is JSON: `application/json` or `*/*+json`, any parameters (a
/// delivery with another content type is [`crate::Outcome::Invalid`]).
pub fn is_json_content_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || (media.contains('/') && media.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Outcome;

    #[test]
    fn reads_json_bodies_under_the_cap() {
        let receiver = Receiver::builder()
            .max_body_bytes(300)
            .build()
            .expect("receiver");
        let body = br#"{"id":"e1","coid":"c","api_version":"v1","created":1,"type":"video.deleted","endpoint_id":"ep"}"#;
        let ok = receiver
            .read([("Content-Type", "application/json; charset=utf-8")], body)
            .expect("read");
        assert!(!ok.replay);
        let replayed = receiver
            .read([("Omega-Webhooks-Replay", "e1")], body)
            .expect("read");
        assert!(replayed.replay);
        let text = receiver.read([("content-type", "text/plain")], body);
        assert_eq!(text.expect_err("refused").outcome, Outcome::Invalid);
        let big = receiver
            .read([("", "")], &[b' '; 301])
            .expect_err("refused");
        assert_eq!(
            (big.status, big.body.as_str()),
            (413, "body larger than 300 bytes")
        );
        let empty = receiver.read([("", "")], b"").expect_err("refused");
        assert!(
            empty.body.starts_with("WebhookPayloadError: $: "),
            "{}",
            empty.body
        );
        assert!(Receiver::builder().max_body_bytes(0).build().is_err());
        let only = Receiver::builder()
            .endpoints(["other"])
            .build()
            .expect("receiver");
        assert_eq!(
            only.read([("", "")], body).expect_err("refused").body,
            "event e1 is for endpoint ep, not accepted here"
        );
        assert!(Receiver::builder().endpoints(["a/b"]).build().is_err());
        assert!(
            is_json_content_type("application/cloudevents+json") && !is_json_content_type("+json")
        );
    }
}
