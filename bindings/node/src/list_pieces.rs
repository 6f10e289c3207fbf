//! `NativeListPieces`: the pieces of a list call handed to JavaScript while the body arrives
//! (`NativeClient::list_events_in_pieces`), so that the JS thread parses each run of events
//! during the transfer instead of the whole list after it.

use std::sync::{Arc, Mutex};

use napi::{bindgen_prelude::PromiseRaw, Env};
use napi_derive::napi;
use omega_webhooks_client::{Finished, ListPiece};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::{
    models::{json_text, JsonText},
    runtime::spawn,
};

/// The pieces one list call sends, taken by JS with `next()`.
#[napi]
pub struct NativeListPieces {
    /// The sending end, until the call that fills these pieces takes it (its only owner then:
    /// when the call ends, `next()` gives `null`).
    sender: Mutex<Option<UnboundedSender<ListPiece>>>,
    /// The receiving end, shared by the `next()` calls' futures (never a reference into this
    /// object, which JS may free while one runs).
    receiver: Arc<tokio::sync::Mutex<UnboundedReceiver<ListPiece>>>,
}

#[napi]
impl NativeListPieces {
    /// Pieces for one call.
    #[napi(constructor)]
    pub fn new() -> Self {
        NativeListPieces::default()
    }

    /// The next piece: a normalized JSON list; `""` when an attempt started (the pieces before
    /// it are void); `null` once the call has ended. Called after the call was made: when it
    /// failed before it started (a bad argument, a signal aborted already), there are none.
    #[napi(ts_return_type = "Promise<string | null>")]
    pub fn next<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, Option<JsonText>>> {
        drop(self.take_sender());
        let receiver = self.receiver.clone();
        let piece = async move {
            Ok(receiver.lock().await.recv().await.map(|piece| match piece {
                ListPiece::Attempt => json_text(String::new()),
                ListPiece::Events(json) => json_text(json),
            }))
        };
        spawn(env, piece, None)
    }
}

impl Default for NativeListPieces {
    fn default() -> Self {
        let (sender, receiver) = unbounded_channel();
        NativeListPieces {
            sender: Mutex::new(Some(sender)),
            receiver: Arc::new(tokio::sync::Mutex::new(receiver)),
        }
    }
}

impl NativeListPieces {
    /// The sending end, for the one call that fills these pieces (`None` once taken).
    pub(crate) fn take_sender(&self) -> Option<UnboundedSender<ListPiece>> {
        self.sender.lock().ok()?.take()
    }
}

/// How a list call in pieces ended: the events after the last piece, or the whole list.
#[napi(object, object_from_js = false)]
pub struct NativeListRest {
    /// Whether `json` is the whole list (the pieces are then void).
    pub whole: bool,
    /// A normalized JSON list.
    pub json: JsonText,
}

impl NativeListRest {
    /// The rest of a call.
    pub(crate) fn of(finished: Finished<String>) -> Self {
        let whole = matches!(finished, Finished::Whole(_));
        NativeListRest {
            whole,
            json: json_text(finished.into_inner()),
        }
    }
}
