//! [`BodyDecoder`]: how a 2xx body becomes a call's value — whole once it has arrived (one
//! event), or while it arrives (a list: `ListDecoder` decodes the elements received so far
//! between chunks, so the call ends shortly after the last byte; `InPieces` hands each run on
//! as it is decoded).

use omega_webhooks_types::{Finished, ListDecoder, ParseError};

/// Decodes one attempt's 2xx body (a fresh decoder per attempt).
pub(crate) trait BodyDecoder: Send {
    /// The call's value.
    type Output;

    /// Sees the body so far after each chunk (each call's body extends the previous one's).
    fn advance(&mut self, _body: &[u8]) {}

    /// The value (or the error) of the whole body.
    fn finish(self, body: &[u8]) -> Result<Self::Output, ParseError>;
}

/// A body decoded whole by a function, once it has arrived.
pub(crate) struct Whole<T>(pub(crate) fn(&[u8]) -> Result<T, ParseError>);

impl<T> BodyDecoder for Whole<T> {
    type Output = T;

    fn finish(self, body: &[u8]) -> Result<T, ParseError> {
        (self.0)(body)
    }
}

impl<T: Send + Sync> BodyDecoder for ListDecoder<T> {
    type Output = T;

    fn advance(&mut self, body: &[u8]) {
        ListDecoder::advance(self, body);
    }

    fn finish(self, body: &[u8]) -> Result<T, ParseError> {
        ListDecoder::finish(self, body)
    }
}

/// A piece of a list call's normalized JSON, handed on as the body arrives
/// ([`crate::Client::list_events_json_in_pieces`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListPiece {
    /// An attempt started (the first, or a retry): the pieces before it are void.
    Attempt,
    /// The next events, as a normalized JSON list `[...]`.
    Events(String),
}

/// A list body decoded while it arrives, each run handed to `sink` as soon as it is decoded.
pub(crate) struct InPieces<'a> {
    pub(crate) list: ListDecoder<String>,
    pub(crate) sink: &'a (dyn Fn(ListPiece) + Send + Sync),
}

impl BodyDecoder for InPieces<'_> {
    type Output = Finished<String>;

    fn advance(&mut self, body: &[u8]) {
        self.list.advance(body);
        for run in self.list.take_runs() {
            (self.sink)(ListPiece::Events(run));
        }
    }

    fn finish(self, body: &[u8]) -> Result<Finished<String>, ParseError> {
        self.list.finish_rest(body)
    }
}
