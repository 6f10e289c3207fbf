//! [`parse_event`] and [`parse_events`]: bytes to models, with the JSON path of any problem.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::{list_decoder::ListCodec, Event};

/// A body that is not an event (or not a list of events): where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    path: String,
    reason: String,
    line: usize,
    column: usize,
}

impl ParseError {
    /// The JSON path of the problem, e.g. `[3].created` or `data.video.size`; empty when the
    /// problem is the document itself (not JSON, or not the right kind of value).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why the value at [`ParseError::path`] was refused.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Line (1-based) in the input where the problem was found.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Column (1-based) in the input where the problem was found.
    pub fn column(&self) -> usize {
        self.column
    }

    /// An error about the body as a whole (empty path, no position), found before decoding:
    /// a body over a size cap, text that cannot be UTF-8.
    pub fn whole_body(reason: impl Into<String>) -> ParseError {
        ParseError {
            path: String::new(),
            reason: reason.into(),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "at `{}`: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses one event, e.g. the body of an incoming webhook POST or of the details call.
///
/// Accepts every documented shape (see the crate docs) and returns the normalized model.
/// Never panics: any input that is not an event is a [`ParseError`].
pub fn parse_event(bytes: &[u8]) -> Result<Event, ParseError> {
    parse(bytes)
}

/// Parses a JSON array of events, e.g. the body of the list call.
///
/// Never panics: any input that is not an array of events is a [`ParseError`] whose path
/// starts with the index of the offending event, e.g. `[3].created`. A large list (from
/// 1 MiB) is decoded in runs on several threads (`parallel_decode.rs`).
pub fn parse_events(bytes: &[u8]) -> Result<Vec<Event>, ParseError> {
    EVENTS.decode(bytes)
}

/// A list body as events: in runs of elements, or whole (with the error path).
pub(crate) static EVENTS: ListCodec<Vec<Event>> = ListCodec {
    run: crate::parallel_decode::elements::<Event>,
    join: join_events,
    whole: parse::<Vec<Event>>,
};

/// The first run's events, with the others moved in after them.
fn join_events(runs: Vec<Vec<Event>>) -> Vec<Event> {
    let mut runs = runs.into_iter();
    let mut events = runs.next().unwrap_or_default();
    let rest: Vec<_> = runs.collect();
    events.reserve_exact(rest.iter().map(Vec::len).sum());
    for mut run in rest {
        events.append(&mut run);
    }
    events
}

/// [`parse_events`] keeping only `keep(event)` of each event, decoded one at a time: the
/// list's memory is that of the kept values, not of the events (e.g. the ids of 100,000
/// events). The same rules and errors: a list it refuses is decoded again by [`parse_events`]
/// for the error.
pub fn parse_events_into<T>(
    bytes: &[u8],
    keep: impl FnMut(Event) -> T,
) -> Result<Vec<T>, ParseError> {
    /// Each element of the array decoded as an [`Event`] and passed to `keep`.
    struct Kept<F>(F);

    impl<'de, T, F: FnMut(Event) -> T> serde::de::Visitor<'de> for Kept<F> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of events")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            mut self,
            mut seq: A,
        ) -> Result<Vec<T>, A::Error> {
            let mut kept = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(event) = seq.next_element::<Event>()? {
                kept.push((self.0)(event));
            }
            Ok(kept)
        }
    }

    let streamed = std::str::from_utf8(bytes).ok().and_then(|text| {
        let mut de = serde_json::Deserializer::from_str(text);
        let kept = serde::Deserializer::deserialize_seq(&mut de, Kept(keep)).ok()?;
        de.end().ok().map(|()| kept)
    });
    match streamed {
        Some(kept) => Ok(kept),
        None => Err(parse_events(bytes)
            .err()
            .unwrap_or_else(|| ParseError::whole_body("the list did not decode as events"))),
    }
}

/// Parses any model of this crate (e.g. a [`crate::Video`]) from JSON, with the same error
/// paths as [`parse_event`].
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    // Fast path: plain serde_json. Tracking the path costs about as much as the decoding
    // itself, so it is only paid again, to explain the error, when the input is invalid.
    // UTF-8 is checked once for the whole body (std's check runs at memory speed on ASCII)
    // rather than string by string as `from_slice` does; text that is not UTF-8 takes the
    // slice path, whose error names the string.
    let plain = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    };
    plain.map_err(|plain| locate::<T>(bytes).unwrap_or_else(|| from_serde(String::new(), plain)))
}

/// Decodes invalid `bytes` again, tracking the path, to say where the problem is.
#[cold]
fn locate<T: DeserializeOwned>(bytes: &[u8]) -> Option<ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let path = e.path().to_string();
            Some(from_serde(path, e.into_inner()))
        }
        Ok(_) => de.end().err().map(|e| from_serde(String::new(), e)),
    }
}

/// Builds a [`ParseError`]; a missing field is reported at the field's own path
/// (`[0].id`, not `[0]`), which is where a reader looks for it.
fn from_serde(path: String, error: serde_json::Error) -> ParseError {
    let path = if path == "." { String::new() } else { path };
    let mut reason = error.to_string();
    // serde_json appends " at line L column C"; the position is kept in its own fields.
    if let Some(cut) = reason.rfind(" at line ") {
        reason.truncate(cut);
    }
    let path = match missing_field(&reason) {
        Some(field) if path.is_empty() => field.to_owned(),
        Some(field) => format!("{path}.{field}"),
        None => path,
    };
    ParseError {
        path,
        reason,
        line: error.line(),
        column: error.column(),
    }
}

/// The field named by serde's "missing field `x`" message.
fn missing_field(reason: &str) -> Option<&str> {
    reason.strip_prefix("missing field `")?.strip_suffix('`')
}
