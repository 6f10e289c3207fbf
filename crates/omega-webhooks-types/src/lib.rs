//! Typed models of the Omega Stream webhook events API.
//!
//! This crate holds the data model shared by every part of `omega-webhooks`: the Rust client,
//! the mock server, the CLI, the Python and Node bindings, and (through the generated JSON
//! Schemas) every other language. It does no I/O.
//!
//! The models accept every payload shape the provider has documented and normalize it:
//!
//! - `ocid` (the list call's spelling) is read as [`Event::coid`];
//! - event `data` may be `{"video": …}`, `{}` or a bare video object; the bare video is
//!   normalized to `{"video": …}` (see [`EventData`]);
//! - timestamps are typed ([`Timestamp`]) and written back exactly as received, the zero time
//!   `0001-01-01T00:00:00Z` and fractional seconds included;
//! - unknown event types and video statuses keep their raw string ([`EventType::Unknown`],
//!   [`VideoStatus::Unknown`]);
//! - every object keeps the fields it does not know in an `extra` map and writes them back out.
//!
//! Serializing a model gives the *normalized JSON*: the same document every binding exposes.
//!
//! ```
//! let body = br#"{"id":"e1","ocid":"omega-cop-1","api_version":"v1","created":1,
//!                "type":"video.uploaded","endpoint_id":"ep","data":null,"response":null,
//!                "created_at":"0001-01-01T00:00:00Z"}"#;
//! let event = omega_webhooks_types::parse_event(body).unwrap();
//! assert_eq!(event.coid, "omega-cop-1");
//! assert_eq!(event.event_type, omega_webhooks_types::EventType::VideoUploaded);
//! ```
#![deny(missing_docs)]

mod decode_pool;
mod delivery_stats;
mod event;
mod event_data;
mod event_type;
mod extra_fields;
mod list_decoder;
mod normalize;
mod open_enum;
mod parallel_decode;
mod parse;
mod per_process;
mod safe_int;
mod schema;
mod timestamp;
mod video;
mod video_status;

pub use delivery_stats::{Bucket, BucketWidth, Counts, DeliveryStats, FailureGroup, TypeCounts};
pub use event::{Delivery, Event, EventResponse};
pub use event_data::EventData;
pub use event_type::EventType;
pub use extra_fields::WireField;
pub use list_decoder::{Finished, ListDecoder};
pub use normalize::{normalize_event, normalize_events};
pub use parse::{parse, parse_event, parse_events, parse_events_into, ParseError};
pub use per_process::PerProcess;
pub use safe_int::MAX_SAFE_INTEGER;
pub use schema::SchemaView;
pub use timestamp::{Timestamp, TimestampError};
pub use video::{Playback, Storage, StorageSource, Video, VideoInput};
pub use video_status::VideoStatus;

/// Fields of an object that the model does not know, kept sorted by name (serde_json's map),
/// and written back out on serialization.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
