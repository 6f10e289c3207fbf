//! The Node bindings (`omega-webhooks` on npm). They only convert: every rule (validation,
//! retries, decoding, normalization) lives in the Rust crates. Results cross into JavaScript
//! as normalized JSON text that the JS entry point hands to `JSON.parse` (measured faster than
//! building objects through N-API; see docs/benchmarks.md).
//!
//! The public API is `bindings/node/index.js` (CommonJS) / `index.mjs` (ESM) around this
//! addon.

#![deny(missing_docs)]

pub mod client;
pub mod delivery;
pub mod errors;
pub mod follower;
pub mod list_pieces;
pub mod models;
pub mod receiver;
pub mod runtime;
pub mod testing;

/// Rust's allocations in this addon (JavaScript values keep V8's allocator) go to mimalloc,
/// which keeps freed memory for reuse: glibc's malloc hands the megabytes of a large list back
/// to the OS and faults them in again on the next call (measured: ~500 page faults per
/// 10,000-event list, a third of its time on a VM; docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
