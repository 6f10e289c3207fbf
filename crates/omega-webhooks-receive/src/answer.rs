//! [`Answer`]: what a receiver answers Omega for each [`Outcome`] of a delivery — one line of
//! plain text, at most [`MAX_ANSWER_BYTES`], which Omega records and `events failures` reads
//! back, so a failed delivery says what failed.
//!
//! The texts are this module's alone: the Rust, Python and Node receivers answer byte for byte
//! the same (the conformance cases in `fixtures/receive/` check it).

use omega_webhooks_types::ParseError;

use crate::Delivered;
use serde::Serialize;

/// The longest answer body, in bytes.
pub const MAX_ANSWER_BYTES: usize = 200;

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// A handler ran and returned: 200.
    Handled,
    /// No handler for the event's type (and no catch-all): 200, so Omega does not retry.
    Unhandled,
    /// The body is not an event: 400, with the decoder's JSON path.
    Invalid,
    /// The body is over the receiver's cap: 413.
    TooLarge,
    /// A handler raised, threw or rejected: 500.
    Failed,
    /// With verification, the API does not know this event, or it is for an endpoint the
    /// receiver does not accept: 403.
    Forged,
    /// With verification, the API could not be asked: 503 (Omega retries later).
    Unverified,
    /// A framework adapter got another method than POST: 405.
    MethodNotAllowed,
    /// A framework already parsed the body (Express's `express.json()` in front of the route),
    /// so the bytes Omega sent are gone: 500, saying how to mount the route.
    BodyConsumed,
    /// With dedupe, the event was handled already: 200, and no handler runs.
    Duplicate,
    /// With dedupe, another worker holds a claim on the event right now: 409 (Omega retries
    /// later; if that worker dies, its lease ends and the retry is handled).
    InProgress,
    /// With dedupe, the store could not be asked: 503, and no handler runs.
    StoreUnavailable,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 12] = [
        Outcome::Handled,
        Outcome::Unhandled,
        Outcome::Invalid,
        Outcome::TooLarge,
        Outcome::Failed,
        Outcome::Forged,
        Outcome::Unverified,
        Outcome::MethodNotAllowed,
        Outcome::BodyConsumed,
        Outcome::Duplicate,
        Outcome::InProgress,
        Outcome::StoreUnavailable,
    ];

    /// The outcome's name in every language (`handled`, `too_large`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Outcome::Handled => "handled",
            Outcome::Unhandled => "unhandled",
            Outcome::Invalid => "invalid",
            Outcome::TooLarge => "too_large",
            Outcome::Failed => "failed",
            Outcome::Forged => "forged",
            Outcome::Unverified => "unverified",
            Outcome::MethodNotAllowed => "method_not_allowed",
            Outcome::BodyConsumed => "body_consumed",
            Outcome::Duplicate => "duplicate",
            Outcome::InProgress => "in_progress",
            Outcome::StoreUnavailable => "store_unavailable",
        }
    }

    /// The HTTP status answered for it.
    pub const fn status(self) -> u16 {
        match self {
            Outcome::Handled | Outcome::Unhandled | Outcome::Duplicate => 200,
            Outcome::Invalid => 400,
            Outcome::Forged => 403,
            Outcome::MethodNotAllowed => 405,
            Outcome::InProgress => 409,
            Outcome::TooLarge => 413,
            Outcome::Failed | Outcome::BodyConsumed => 500,
            Outcome::Unverified | Outcome::StoreUnavailable => 503,
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A receiver's answer: status, one line of text, and the outcome it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// What became of the delivery.
    pub outcome: Outcome,
    /// The HTTP status ([`Outcome::status`]).
    pub status: u16,
    /// One line of plain text, at most [`MAX_ANSWER_BYTES`] bytes.
    pub body: String,
}

/// The text of an answer that names the event's type and id: `before_type`, the type,
/// `between`, the id. Public so that a binding building these texts itself (Node's receiver, on
/// its fast path) takes them from here; such a text is the answer's body as it is when it is
/// printable ASCII of at most [`MAX_ANSWER_BYTES`] bytes (`one_line` changes nothing then).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TypeIdText {
    /// The text before the event's type.
    pub before_type: &'static str,
    /// The text between its type and its id.
    pub between: &'static str,
}

impl TypeIdText {
    /// The text for `event` (before it is made one line and short).
    fn fill(&self, event: &(impl Delivered + ?Sized)) -> String {
        let TypeIdText {
            before_type,
            between,
        } = self;
        format!(
            "{before_type}{}{between}{}",
            event.event_type(),
            event.event_id()
        )
    }
}

/// The body of a [`Outcome::Handled`] answer: `handled TYPE ID`.
pub const HANDLED_TEXT: TypeIdText = TypeIdText {
    before_type: "handled ",
    between: " ",
};

/// The body of an [`Outcome::Unhandled`] answer: `no handler for TYPE ID`.
pub const UNHANDLED_TEXT: TypeIdText = TypeIdText {
    before_type: "no handler for ",
    between: " ",
};

/// The answer's `Content-Type`.
pub const CONTENT_TYPE: &str = "text/plain; charset=utf-8";

impl Answer {
    /// An answer of `outcome` with `body` (made one line and short): for a binding that
    /// carries the body alone across and needs the answer again (its log line).
    pub fn of(outcome: Outcome, body: String) -> Answer {
        Answer::new(outcome, body)
    }

    fn new(outcome: Outcome, body: String) -> Answer {
        Answer {
            outcome,
            status: outcome.status(),
            body: one_line(&body),
        }
    }

    /// The reason phrase of the status (`OK`, `Content Too Large`, ...), for a status line.
    pub fn reason(&self) -> &'static str {
        match self.status {
            200 => "OK",
            400 => "Bad Request",
            403 => "Forbidden",
            405 => "Method Not Allowed",
            409 => "Conflict",
            413 => "Content Too Large",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            _ => "",
        }
    }

    /// The headers to send with the answer.
    pub fn headers(&self) -> Vec<(&'static str, &'static str)> {
        Answer::headers_of(self.status)
    }

    /// The headers of an answer with `status`: the content type, and `Allow: POST` with a 405.
    pub fn headers_of(status: u16) -> Vec<(&'static str, &'static str)> {
        let mut headers = vec![("content-type", CONTENT_TYPE)];
        if status == 405 {
            headers.push(("allow", "POST"));
        }
        headers
    }

    /// `handled TYPE ID` ([`HANDLED_TEXT`]).
    pub fn handled(event: &(impl Delivered + ?Sized)) -> Answer {
        Answer::new(Outcome::Handled, HANDLED_TEXT.fill(event))
    }

    /// `no handler for TYPE ID` ([`UNHANDLED_TEXT`]).
    pub fn unhandled(event: &(impl Delivered + ?Sized)) -> Answer {
        Answer::new(Outcome::Unhandled, UNHANDLED_TEXT.fill(event))
    }

    /// `WebhookPayloadError: PATH: REASON`, the path `$` for the body as a whole (or a place
    /// the decoder could not name).
    pub fn invalid(error: &ParseError) -> Answer {
        let path = match error.path() {
            "" | "?" => "$",
            path => path,
        };
        Answer::new(
            Outcome::Invalid,
            format!("WebhookPayloadError: {path}: {}", error.reason()),
        )
    }

    /// `body larger than LIMIT bytes`.
    pub fn too_large(limit: usize) -> Answer {
        Answer::new(Outcome::TooLarge, format!("body larger than {limit} bytes"))
    }

    /// `handler failed: CLASS (event ID)`, and `: MESSAGE` (its first line) when the receiver
    /// exposes errors.
    pub fn failed(event: &(impl Delivered + ?Sized), class: &str, message: Option<&str>) -> Answer {
        let mut body = format!("handler failed: {class} (event {})", event.event_id());
        if let Some(first) = message.and_then(|m| m.lines().map(str::trim).find(|l| !l.is_empty()))
        {
            body.push_str(": ");
            body.push_str(first);
        }
        Answer::new(Outcome::Failed, body)
    }

    /// `unknown event ID: not delivered by Omega` (the API does not know it).
    pub fn forged(event: &(impl Delivered + ?Sized)) -> Answer {
        Answer::new(
            Outcome::Forged,
            format!("unknown event {}: not delivered by Omega", event.event_id()),
        )
    }

    /// `event ID is for endpoint EP, not accepted here` (outside the receiver's `endpoints`).
    pub fn other_endpoint(event: &(impl Delivered + ?Sized)) -> Answer {
        Answer::new(
            Outcome::Forged,
            format!(
                "event {} is for endpoint {}, not accepted here",
                event.event_id(),
                event.endpoint_id()
            ),
        )
    }

    /// `cannot verify ID: CLASS` (the API could not be asked).
    pub fn unverified(event: &(impl Delivered + ?Sized), class: &str) -> Answer {
        Answer::new(
            Outcome::Unverified,
            format!("cannot verify {}: {class}", event.event_id()),
        )
    }

    /// `duplicate ID: already handled` (dedupe).
    pub fn duplicate(event: &(impl Delivered + ?Sized)) -> Answer {
        Answer::new(
            Outcome::Duplicate,
            format!("duplicate {}: already handled", event.event_id()),
        )
    }

    /// `in progress ID: handled by another worker` (dedupe).
    pub fn in_progress(event: &(impl Delivered + ?Sized)) -> Answer {
        Answer::new(
            Outcome::InProgress,
            format!(
                "in progress {}: handled by another worker",
                event.event_id()
            ),
        )
    }

    /// `dedupe store unavailable`.
    pub fn store_unavailable() -> Answer {
        Answer::new(
            Outcome::StoreUnavailable,
            "dedupe store unavailable".to_owned(),
        )
    }

    /// `use POST`.
    pub fn method_not_allowed() -> Answer {
        Answer::new(Outcome::MethodNotAllowed, "use POST".to_owned())
    }

    /// What to answer when a body parser consumed the body before the receiver.
    pub fn body_consumed() -> Answer {
        Answer::new(
            Outcome::BodyConsumed,
            "the body was already parsed: mount the receiver before express.json(), or use express.raw({ type: 'application/json' })".to_owned(),
        )
    }

    /// The log line of a delivery that got this answer: outcome, status, body, and whether it
    /// was a replay (never the delivery's body).
    pub fn log_line(&self, replay: bool) -> String {
        let replayed = if replay { " (replay)" } else { "" };
        format!("{} {} {}{replayed}", self.outcome, self.status, self.body)
    }
}

/// `text` on one line (control characters as spaces), cut at a character boundary to at most
/// [`MAX_ANSWER_BYTES`] bytes, ending in `…` when cut.
fn one_line(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if line.len() <= MAX_ANSWER_BYTES {
        return line;
    }
    const ELLIPSIS: &str = "…";
    let mut end = MAX_ANSWER_BYTES - ELLIPSIS.len();
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{ELLIPSIS}", &line[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str) -> omega_webhooks_types::Event {
        omega_webhooks_types::parse_event(
            format!(
                r#"{{"id":"{id}","coid":"c","api_version":"v1","created":1,"type":"video.deleted","endpoint_id":"ep"}}"#
            )
            .as_bytes(),
        )
        .expect("event")
    }

    #[test]
    fn texts_are_one_line_and_short() {
        let e = event("6501");
        assert_eq!(Answer::handled(&e).body, "handled video.deleted 6501");
        assert_eq!(
            Answer::unhandled(&e).body,
            "no handler for video.deleted 6501"
        );
        assert_eq!(
            Answer::failed(&e, "TimeoutError", Some("\n  took too long\nsecond line")).body,
            "handler failed: TimeoutError (event 6501): took too long"
        );
        assert_eq!(
            Answer::failed(&e, "TimeoutError", None).body,
            "handler failed: TimeoutError (event 6501)"
        );
        let long = Answer::failed(&e, "E", Some(&"é".repeat(300)));
        assert!(long.body.len() <= MAX_ANSWER_BYTES && long.body.ends_with('…'));
        let tab = Answer::failed(&event("a\\tb"), "E", None);
        assert_eq!(tab.body, "handler failed: E (event a b)");
        for outcome in Outcome::ALL {
            assert!((200..600).contains(&outcome.status()), "{outcome}");
        }
        assert_eq!(
            Answer::too_large(1_048_576).log_line(true),
            "too_large 413 body larger than 1048576 bytes (replay)"
        );
    }

    /// What `TypeIdText` promises the bindings: printable ASCII of at most `MAX_ANSWER_BYTES`
    /// bytes is an answer's body as it is; one byte more, or any other character, may not be.
    #[test]
    fn plain_texts_are_kept_as_they_are() {
        let printable: String = (0x20u8..=0x7e).map(char::from).collect();
        for len in [0, 1, 95, MAX_ANSWER_BYTES] {
            let text: String = printable.chars().cycle().take(len).collect();
            assert_eq!(one_line(&text), text);
        }
        let over = "x".repeat(MAX_ANSWER_BYTES + 1);
        assert_ne!(one_line(&over), over);
        for control in ["\u{7f}", "\u{85}", "\t"] {
            assert_eq!(one_line(&format!("a{control}b")), "a b");
        }
        let e = event("6501");
        let expected = format!(
            "{}video.deleted{}6501",
            HANDLED_TEXT.before_type, HANDLED_TEXT.between
        );
        assert_eq!(Answer::handled(&e).body, expected);
    }
}
