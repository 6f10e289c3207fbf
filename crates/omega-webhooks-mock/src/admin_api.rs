//! The JSON of the mock's admin endpoints: [`ScriptStep`]s posted to `/__mock/script`, and the
//! [`RecordedRequest`]s `/__mock/requests` answers with. Data only: the script middleware
//! (`script.rs`) and the shared state (`state.rs`) both use it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One scripted answer, consumed by the next API request. Every key is optional: a step with
/// only `delay_ms` delays the real answer; a step with only `headers` adds them to it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptStep {
    /// Answer with this status instead of the real answer.
    pub status: Option<u16>,
    /// Headers to add to the answer.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Body of a scripted status: a string is sent as is, anything else as JSON. Defaults to
    /// `{"message": "scripted <status>"}`.
    pub body: Option<Value>,
    /// Wait this long before answering.
    #[serde(default)]
    pub delay_ms: u64,
    /// A connection-level fault instead of (or on top of) the answer.
    pub action: Option<ScriptAction>,
    /// Compress the real answer with this `Content-Encoding` (`gzip`, `br` or `zstd`), whatever
    /// the client accepts.
    pub encoding: Option<String>,
    /// Answer 200 with `Content-Encoding: gzip` and a body that decodes to this many MiB of
    /// zero bytes: a decompression bomb (about 1 MiB on the wire per GiB).
    pub bomb_mib: Option<u64>,
}

/// A connection-level fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptAction {
    /// Close the connection without answering.
    Reset,
    /// Announce the full `Content-Length`, send half the body, then close the connection.
    Truncate,
    /// Never answer (until the client gives up, or five minutes pass).
    Hang,
}

/// An API request as the mock received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// The path exactly as received, percent-encoding included.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// Request headers, names lowercased; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// Sequence number of the TCP connection the request came on (counts from 1).
    pub connection: u64,
}
