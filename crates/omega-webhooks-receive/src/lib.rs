//! The receiving side of Omega Stream webhooks: the rules of reading the POST Omega sends to
//! your endpoint, verifying it with the API, and answering — once, for the Rust, Python and
//! Node receivers alike.
//!
//! Omega records your endpoint's answer on every event, and `omega-webhooks events failures`
//! reads it back, so the answers here are short, structured lines (`handler failed:
//! TimeoutError (event 6501…)`) that triage can group, never a stack trace or a key.
//!
//! ```no_run
//! use omega_webhooks_receive::{Receiver, Answer};
//!
//! # async fn demo(headers: Vec<(String, String)>, body: Vec<u8>) -> Answer {
//! let receiver = Receiver::builder().build().expect("default options");
//! let delivery = match receiver.handle(headers, &body).await {
//!     Ok(delivery) => delivery,
//!     Err(answer) => return answer, // 400, 413, 403, 503: answer Omega with it
//! };
//! println!("{} {}", delivery.event.event_type, delivery.event.id);
//! receiver.handled(&delivery)
//! # }
//! ```
//!
//! With the `axum` feature, [`Answer`] is an axum response and [`OmegaDelivery`] an extractor.
#![deny(missing_docs)]

mod answer;
#[cfg(feature = "axum")]
mod axum_integration;
mod dedupe;
mod delivered;
mod receiver;

pub use answer::{
    Answer, Outcome, TypeIdText, CONTENT_TYPE, HANDLED_TEXT, MAX_ANSWER_BYTES, UNHANDLED_TEXT,
};
#[cfg(feature = "axum")]
pub use axum_integration::{receive_request, OmegaDelivery};
pub use dedupe::{Claim, ClaimCell, Dedupe, DEFAULT_LEASE, DEFAULT_REMEMBER, MEMORY_CAPACITY};
pub use delivered::{Delivered, EventHead};
pub use receiver::{
    is_json_content_type, Delivery, Normalized, Receiver, ReceiverBuilder, DEFAULT_MAX_BODY_BYTES,
};
