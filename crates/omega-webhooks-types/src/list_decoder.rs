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
    /// The values of the runs decoded so far and not taken, in order.
    runs: Vec<T>,
    /// Whether [`ListDecoder::take_runs`] took any.
    taken: bool,
    /// Set when the body is not decoded in runs: `finish` decodes it whole.
    whole: bool,
}

/// How a list decoded while it arrived ended ([`ListDecoder::finish_rest`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Finished<T> {
    /// The value of the elements after the runs taken on the way (of the whole list when none
    /// was taken).
    Rest(T),
    /// The whole list's value, decoded from the whole body: the runs taken on the way are void.
    Whole(T),
}

impl<T> Finished<T> {
    /// The value, rest or whole.
    pub fn into_inner(self) -> T {
        match self {
            Finished::Rest(value) | Finished::Whole(value) => value,
        }
    }
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
            taken: false,
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

    /// The values of the runs decoded since the last call, in order, for a caller that hands
    /// the list on while it arrives; [`ListDecoder::finish_rest`] then gives the rest.
    pub fn take_runs(&mut self) -> Vec<T> {
        self.taken |= !self.runs.is_empty();
        std::mem::take(&mut self.runs)
    }

    /// The list's value (or error) from the whole `body`: the runs decoded on the way and the
    /// rest, or the whole body decoded now. For a decoder whose runs were never taken.
    pub fn finish(self, body: &[u8]) -> Result<T, ParseError> {
        self.finish_rest(body).map(Finished::into_inner)
    }

    /// The value (or error) of what [`ListDecoder::take_runs`] has not given, from the whole
    /// `body`: the runs not taken and the rest — or, when the body could not be decoded in
    /// runs, the whole list, decoded now (the runs taken are then void).
    pub fn finish_rest(mut self, body: &[u8]) -> Result<Finished<T>, ParseError> {
        if self.whole || (self.runs.is_empty() && !self.taken) {
            return self.codec.decode(body).map(Finished::Whole);
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
                Ok(Finished::Rest((self.codec.join)(self.runs)))
            }
            None => self.codec.decode(body).map(Finished::Whole),
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
    fn runs_taken_on_the_way_and_the_rest_are_the_whole_list() {
        let body = list(5_000);
        let bytes = body.as_bytes();
        let whole = crate::normalize_events(bytes).expect("a list");
        let mut decoder = ListDecoder::normalized_events();
        let mut pieces = Vec::new();
        for end in (1..=bytes.len()).step_by(10_000) {
            decoder.advance(&bytes[..end]);
            pieces.extend(decoder.take_runs());
        }
        assert!(pieces.len() > 3, "{} pieces on the way", pieces.len());
        match decoder.finish_rest(bytes).expect("a list") {
            Finished::Rest(rest) => pieces.push(rest),
            Finished::Whole(_) => panic!("decoded whole"),
        }
        let joined: Vec<serde_json::Value> = pieces
            .iter()
            .flat_map(|piece| {
                serde_json::from_str::<Vec<serde_json::Value>>(piece).expect("a list")
            })
            .collect();
        assert_eq!(
            joined,
            serde_json::from_str::<Vec<serde_json::Value>>(&whole).expect("a list")
        );
    }

    #[test]
    fn an_invalid_element_after_runs_were_taken_voids_them() {
        let body = list(5_000).replacen(r#""created":4900"#, r#""created":"x""#, 1);
        let bytes = body.as_bytes();
        let mut decoder = ListDecoder::normalized_events();
        let mut taken = 0;
        for end in (1..=bytes.len()).step_by(10_000) {
            decoder.advance(&bytes[..end]);
            taken += decoder.take_runs().len();
        }
        assert!(taken > 0);
        let error = decoder.finish_rest(bytes).expect_err("an invalid element");
        assert_eq!(Err(error), crate::normalize_events(bytes));
    }

    #[test]
    fn a_cut_inside_a_string_after_runs_were_taken_gives_the_whole_list() {
        let body = list(5_000).replace(r#""response":null}"#, r#""response":null,"note":"},{"}"#);
        let bytes = body.as_bytes();
        let mut decoder = ListDecoder::normalized_events();
        decoder.advance(&bytes[..100_000]);
        assert!(!decoder.take_runs().is_empty());
        // The body so far ends inside a note, just after its `},{`: the run cut there fails.
        let inside = 200_000 + body[200_000..].find(r#""},{"}"#).expect("a note") + 4;
        decoder.advance(&bytes[..inside]);
        assert!(decoder.take_runs().is_empty());
        let whole = decoder.finish_rest(bytes).expect("a list");
        assert_eq!(
            whole,
            Finished::Whole(crate::normalize_events(bytes).expect("a list"))
        );
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
