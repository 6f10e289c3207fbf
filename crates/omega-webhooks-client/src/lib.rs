//! Async client of the Omega Stream webhook events API.
//!
//! Two calls — [`Client::list_events`] and [`Client::get_event`] — with the behaviour of the
//! most trusted API SDKs: retries with backoff and `Retry-After`, per-attempt and total
//! timeouts, ids and keys validated before any I/O, the key never sent over plain HTTP to
//! another host nor to another origin on redirect, compressed transfers (gzip, br, zstd) with
//! the body cap counted on the decoded bytes, and one error
//! taxonomy ([`Error`], [`ErrorKind`]) shared with the Python and Node packages.
//!
//! ```no_run
//! use omega_webhooks_client::{Client, Error, ErrorKind};
//!
//! # async fn demo() -> Result<(), Error> {
//! let client = Client::from_env()?; // OMEGA_API_KEY, optional OMEGA_BASE_URL
//! for event in client.list_events("6336cd2b5790c27875f70d96").await? {
//!     println!("{} {} {}", event.id, event.event_type, event.created);
//! }
//! match client.get_event("6336cd2b5790c27875f70d96", "63377e715790c27875f70dbd").await {
//!     Ok(event) => println!("{:?}", event.data.and_then(|d| d.video).map(|v| v.title)),
//!     Err(e) if e.kind() == ErrorKind::NotFound => println!("no such event"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod backoff;
mod batch;
mod body_decoder;
mod builder;
mod client;
mod error;
mod filter;
mod follower;
mod front_end;
mod ids;
mod replay;
mod retry;
mod stats;
mod transport;

pub use batch::DeliveryReport;
pub use body_decoder::ListPiece;
pub use builder::{
    without_credentials, ClientBuilder, API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    MAX_DURATION,
};
pub use client::Client;
pub use error::{Cause, Error, ErrorKind, StatusError, MAX_ERROR_BODY};
pub use filter::{parse_when, unix_seconds, EventFilter, When};
pub use follower::{FollowOptions, Follower, DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT};
pub use front_end::{
    bucket_width, count_out_of_range, positive_seconds, ClientOptions, Concurrency, FollowArgs,
};
pub use ids::{validate_id, MAX_ID_LEN};
pub use omega_webhooks_types as types;
pub use omega_webhooks_types::{
    BucketWidth, Delivery, DeliveryStats, Event, EventData, EventResponse, EventType, Finished,
    Video, VideoStatus,
};
pub use replay::{ReplayResult, Replayer, REPLAY_HEADER};
pub use retry::MAX_RETRY_AFTER;
pub use stats::{StatsBuilder, StatsReport, MAX_GROUPS};
pub use transport::MAX_REDIRECTS;

/// Parses an incoming webhook body (the POST Omega sends to your endpoint) into an [`Event`].
///
/// The same as [`omega_webhooks_types::parse_event`], with the failure as
/// [`Error::WebhookPayload`] so that it fits the SDK's one error type.
pub fn parse_event(body: &[u8]) -> Result<Event, Error> {
    Ok(omega_webhooks_types::parse_event(body)?)
}

/// [`parse_event`] as normalized JSON text (what `serde_json` writes for the event), written
/// without building the model; the same errors.
pub fn normalize_event(body: &[u8]) -> Result<String, Error> {
    Ok(omega_webhooks_types::normalize_event(body)?)
}
