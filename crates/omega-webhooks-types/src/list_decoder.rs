//! [`ListDecoder`]: a list body decoded while it arrives, so that the decode ends shortly after
//! the last byte instead of starting then.
//!
//! The complete elements received so far are decoded as one run whenever enough new bytes
//! have come: the run ends before the last `},{` seen, by the rules of `parallel_decode.rs`
//! (a run that decodes ends where an element ends, so the next run starts at one). What is
//! left when the body is whole is decoded as the last run. When a run does not decode (a cut
//! inside a string, a body that is no list, an invalid event), or nothing was decoded on the
//! way, [`ListDecoder::finish`] decodes the whole body as [`crate::parse_events`] (or
//! [`crate::normalize_events`]) would, which also gives a refused body its error: the result
//! is always theirs.

use crate::{parallel_decode, Event, ParseError};

/// The fewest new bytes worth a run: a run's own costs (a list, an allocation) stay small
/// against its decode (~0.1 ms), and a chunk of a fast transfer is not decoded piecemeal.
const MIN_RUN_BYTES: usize = 64 * 1024;

/// How one kind of list body is decoded: each run's value (`{...},{...}`, no brackets), the
/// runs' values joined as the list's, and the whole body when it is not decoded in runs.
pub(crate) struct ListCodec<T> {
    /// One run's value; `None` when the run is not a sequence of valid elements.
    pub(crate) run: fn(&str) -> Option<T>,
    /// The runs' values, in order, as the whole list's.
    pub(crate) join: fn(Vec<T>) -> T,
    /// The whole body's value or its error, without runs.
    pub(crate) whole: fn(&[u8]) -> Result<T, ParseError>,
}

impl<T: Send + Sync> ListCodec<T> {
    /// The body's value: in runs on several threads when it is large enough, else whole.
    pub(crate) fn decode(&self, body: &[u8]) -> Result<T, ParseError> {
        match parallel_decode::in_runs(body, self.run) {
            Some(runs) => Ok((self.join)(runs)),
            None => (self.whole)(body),
        }
    }
}

/// Decodes a list body while it arrives: call [`ListDecoder::advance`] with the body so far
/// after each chunk, then [`ListDecoder::finish`] with the whole body. The result (value or
/// error) is that of [`crate::parse_events`] ([`ListDecoder::events`]) or
/// [`crate::normalize_events`] ([`ListDecoder::normalized_events`]) on the whole body.
///
/// ```
/// use omega_webhooks_types::ListDecoder;
///
/// let body = br#"[{"id":"e1","ocid":"c","api_version":"v1","created":1,"type":"video.uploaded","endpoint_id":"ep","data":null,"response":null}]"#;
/// let mut decoder = ListDecoder::events();
/// for end in [40, 90, body.len()] {
///     decoder.advance(&body[..end]); // the body so far, as each chunk arrives
/// }
/// let events = decoder.finish(body).unwrap();
/// assert_eq!(events[0].id, "e1");
/// ```
pub struct ListDecoder<T: 'static> {
    codec: &'static ListCodec<T>,
    /// Where the next element to decode starts; 0 until the list's `[` has arrived.
    next: usize,
    /// Where the search for the next `},{` resumes (the bytes before were searched).
    searched: usize,
    /// The values of the runs decoded so far, in order.
    runs: Vec<T>,
    /// Set when the body is not decoded in runs: `finish` decodes it whole.
    whole: bool,
}

impl ListDecoder<Vec<Event>> {
    /// A decoder of the list call's body into events, as [`crate::parse_events`].
    pub fn events() -> Self {
        Self::new(&crate::parse::EVENTS)
    }
}

impl ListDecoder<String> {
    /// A decoder of the list call's body into its normalized JSON, as
    /// [`crate::normalize_events`].
    pub fn normalized_events() -> Self {
        Self::new(&crate::normalize::NORMALIZED_EVENTS)
    }
}

impl<T: Send + Sync> ListDecoder<T> {
    fn new(codec: &'static ListCodec<T>) -> Self {
        ListDecoder {
            codec,
            next: 0,
            searched: 0,
            runs: Vec::new(),
            whole: false,
        }
    }

    /// Decodes the complete elements of `body` (the body so far: each call's extends the
    /// previous one's) not decoded yet, once at least 64 KiB of them are waiting.
    pub fn advance(&mut self, body: &[u8]) {
        if self.whole || body.len() < self.next + MIN_RUN_BYTES {
            return;
        }
        if self.next == 0 {
            match body.iter().position(|b| !b" \t\r\n".contains(b)) {
                Some(at) if body[at] == b'[' => self.next = at + 1,
                _ => return self.whole = true,
            }
            self.searched = self.next;
        }
        let from = self.searched.max(self.next);
        self.searched = body.len().saturating_sub(2).max(from);
        let Some(at) = body[from..].windows(3).rposition(|w| w == b"},{") else {
            return;
        };
        // The run ends before the comma; the next starts at the `{`.
        let cut = from + at + 2;
        match self.decode_run(&body[self.next..cut - 1]) {
            Some(value) => {
                self.runs.push(value);
                self.next = cut;
            }
            None => self.whole = true,
        }
    }

    /// The list's value (or error) from the whole `body`: the runs decoded on the way and the
    /// rest, or the whole body decoded now.
    pub fn finish(mut self, body: &[u8]) -> Result<T, ParseError> {
        if self.whole || self.runs.is_empty() {
            return self.codec.decode(body);
        }
        let rest = std::str::from_utf8(&body[self.next..])
            .ok()
            .and_then(|rest| {
                let rest = rest.trim_end_matches([' ', '\t', '\r', '\n']);
                rest.strip_suffix(']')
            });
        // The rest (what came after the last run): on several threads when it is large.
        let values = rest.and_then(|rest| {
            parallel_decode::elements_in_runs(rest, self.codec.run)
                .or_else(|| (self.codec.run)(rest).map(|value| vec![value]))
        });
        match values {
            Some(values) => {
                self.runs.extend(values);
                Ok((self.codec.join)(self.runs))
            }
            None => self.codec.decode(body),
        }
    }

    /// One run's value; `None` when it is not UTF-8 or not elements.
    fn decode_run(&self, run: &[u8]) -> Option<T> {
        std::str::from_utf8(run).ok().and_then(self.codec.run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact list of `count` events.
    fn list(count: usize) -> String {
        let events: Vec<String> = (0..count)
            .map(|i| format!(r#"{{"id":"e{i}","ocid":"c","api_version":"v1","created":{i},"type":"video.uploaded","endpoint_id":"ep","data":null,"response":null}}"#))
            .collect();
        format!("[{}]", events.join(","))
    }

    #[test]
    fn complete_elements_are_decoded_before_the_body_is_whole() {
        let body = list(5_000);
        let bytes = body.as_bytes();
        let mut decoder = ListDecoder::events();
        for end in (1..=bytes.len()).step_by(10_000) {
            decoder.advance(&bytes[..end]);
        }
        let decoded: usize = decoder.runs.iter().map(Vec::len).sum();
        assert!(
            decoder.runs.len() > 3 && decoded > 4_000,
            "{decoded} events on the way"
        );
        assert!(!decoder.whole);
        let events = decoder.finish(bytes).expect("a list");
        assert_eq!(events.len(), 5_000);
        assert!(events
            .iter()
            .enumerate()
            .all(|(i, e)| e.id == format!("e{i}")));
    }

    #[test]
    fn a_body_that_is_no_list_is_decoded_whole() {
        let body = format!("{{\"list\":{}}}", list(2_000));
        let mut decoder = ListDecoder::events();
        decoder.advance(body.as_bytes());
        assert!(decoder.whole);
        let error = decoder.finish(body.as_bytes()).expect_err("no list");
        assert_eq!(Err(error), crate::parse_events(body.as_bytes()));
    }
}
