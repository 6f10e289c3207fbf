//! A mock of the Omega Stream webhook events API, for tests in every language and for the
//! offline demo.
//!
//! It serves both calls (`GET /client/webhooks/{id}` and
//! `GET /client/webhooks/{id}/events/{eid}`, also under `/company`), checks the bearer key,
//! and answers from built-in data (the examples of the API docs) plus, on request, any number
//! of deterministic generated events. Tests script faults over plain HTTP:
//!
//! - `POST /__mock/script`: a JSON array of [`ScriptStep`]s, consumed in order by the next API
//!   requests (status, headers, body, delay, or a `reset`/`truncate`/`hang` action);
//! - `GET /__mock/requests`: the API requests received ([`RecordedRequest`]);
//! - `POST /__mock/reset`: clears the script and the log;
//! - `GET /__mock/connections`: every TCP connection accepted, as `{"id": n, "closed": bool}`
//!   (ids match [`RecordedRequest::connection`]), so tests can see a client hang up.
//!
//! With [`MockConfig::compress`] (`omega-webhooks mock --compress [gzip,br,zstd]`) the API
//! answers are compressed for clients that accept one of those encodings (a list once per list
//! and encoding, then kept, as a server's cache of compressed answers would); a script step
//! can also force an `encoding`, or send a `bomb_mib` decompression bomb.
//!
//! `POST /__mock/events` appends the next generated event to the generated endpoint (and
//! answers `{"id": …}`), as if Omega had just delivered one: what `events follow` waits for.
//!
//! It also plays a webhook receiver, to test replays: `POST /__receiver` (or any path under
//! it) records the request ([`ReceivedDelivery`], listed by `GET /__mock/received`) and
//! answers 200, or the statuses queued with `POST /__mock/receiver` (a JSON array such as
//! `[500, 200]`), in order.
//!
//! The generated endpoint's events, one every five minutes from November 2023
//! ([`FIRST_CREATED`], [`EVENT_SPACING`]), have a deterministic mix of delivery outcomes: mostly
//! 200, some 500, 502, 404, 410 and 301 answers, some with no answer (`response` null), and a
//! five-hour receiver [`OUTAGE`] three days in, answered by a proxy's 503 page.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use omega_webhooks_mock::{MockConfig, MockServer};
//! let server = MockServer::start(MockConfig { events: 100, ..MockConfig::default() }).await?;
//! println!("listening on {}", server.url());
//! // ... point a client at server.url(); the server stops when `server` is dropped.
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod admin_api;
mod data;
mod generate;
mod precompressed;
mod routes;
mod script;
mod server;
mod state;
mod synthetic;
mod throttle;

use std::net::SocketAddr;

pub use admin_api::{RecordedRequest, ScriptAction, ScriptStep};
pub use data::BUILTIN_ENDPOINTS;
pub use generate::{synthetic_event, EVENT_SPACING, FIRST_CREATED, GENERATED_ENDPOINT, OUTAGE};
pub use server::MockServer;
pub use state::ReceivedDelivery;
pub use synthetic::{synthetic_body, test_body, SyntheticError};

/// Generated events of an in-process mock that is not told a number: the CLI's `--mock` and
/// the test helpers of the Python and Node packages (`MockServer`, `startMock`). A week of
/// them, so that `events stats` and `events report` have days and an outage to show.
pub const EMBEDDED_EVENTS: usize = 2_016;

/// The API key the mock accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "omega-mock-key";

/// How to start a [`MockServer`].
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Address to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The bearer key every API request must carry.
    pub api_key: String,
    /// Number of generated events on endpoint [`GENERATED_ENDPOINT`] (0 for none).
    pub events: usize,
    /// Seed of the generated events: the same seed and count give the same bytes.
    pub seed: u64,
    /// The encodings (`gzip`, `br`, `zstd`) the API's answers are compressed with for clients
    /// that accept one (`Accept-Encoding`); empty, only script steps with an `encoding` are.
    pub compress: Vec<String>,
    /// Send the API's answers at this many bytes per second, as over a slow network (the
    /// headers at once, the body in 64 KiB pieces); `None`, as fast as loopback allows.
    pub rate: Option<u64>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: DEFAULT_API_KEY.to_owned(),
            events: 0,
            seed: 0,
            compress: Vec::new(),
            rate: None,
        }
    }
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
