//! The command line, as clap parses it.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};
use omega_webhooks_client::{
    BucketWidth, Concurrency, DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT,
};

/// Read the webhook events Omega Stream delivered to your endpoints.
#[derive(Debug, Parser)]
#[command(
    name = "omega-webhooks",
    version,
    about,
    after_help = "\
Examples:
  omega-webhooks --mock events list 6336cd2b5790c27875f70d96     try it offline
  OMEGA_API_KEY=... omega-webhooks events get ENDPOINT_ID EVENT_ID --json
  omega-webhooks parse webhook-body.json
  omega-webhooks mock --events 1000

Environment: OMEGA_API_KEY and OMEGA_BASE_URL stand in for --api-key and --base-url;
OMEGA_LOG=debug logs each HTTP attempt to stderr; NO_COLOR turns colour off.
Exit codes: 0 success, 1 API/network/decode failure, 2 usage or configuration error."
)]
pub(crate) struct Cli {
    /// API key (default: $OMEGA_API_KEY). With `mock`, the key the mock accepts.
    #[arg(long, global = true, value_name = "KEY")]
    pub(crate) api_key: Option<String>,
    /// Base URL of the API.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help = "Base URL of the API (default: $OMEGA_BASE_URL, else https://api.omegastream.net/company)"
    )]
    pub(crate) base_url: Option<String>,
    /// Timeout of each attempt, in seconds [default: 30].
    #[arg(long, global = true, value_name = "SECONDS")]
    pub(crate) timeout: Option<f64>,
    /// Retries after a failed attempt (connection errors, timeouts, 408, 409, 429, 5xx) [default: 2].
    #[arg(long, global = true, value_name = "N")]
    pub(crate) max_retries: Option<u32>,
    /// Start the mock server in this process and talk to it (no account or network needed).
    #[arg(long, global = true)]
    pub(crate) mock: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List or inspect the events delivered to a webhook endpoint.
    #[command(subcommand)]
    Events(EventsCommand),
    /// Validate an incoming webhook body and print its normalized JSON.
    #[command(
        after_help = "Examples:\n  omega-webhooks parse body.json\n  curl -s ... | omega-webhooks parse -"
    )]
    Parse {
        /// File holding the body; `-` or nothing reads standard input.
        #[arg(value_name = "FILE|-")]
        file: Option<PathBuf>,
    },
    /// List the JSON Schemas, or print one (exactly the file in schemas/).
    #[command(
        after_help = "Examples:\n  omega-webhooks schema\n  omega-webhooks schema event > event.schema.json"
    )]
    Schema {
        /// `event`, `event-list`, `video`, `event-type` (the wire view), `event.normalized`,
        /// `event-list.normalized`, `video.normalized` (what the SDK emits), `delivery-stats`
        /// (`events stats --json`) or `openapi`.
        name: Option<String>,
    },
    /// Send (or print) a realistic synthetic event of TYPE, to test a webhook handler.
    #[command(
        after_help = "Examples:\n  omega-webhooks trigger video.process_failed --to http://localhost:3000/hooks\n  omega-webhooks trigger video.uploaded --print --set data.video.title=Demo --set created=1700000000"
    )]
    Trigger(TriggerArgs),
    /// Run the mock Omega server until interrupted (SIGINT or SIGTERM).
    #[command(
        after_help = "Prints `listening on http://HOST:PORT` once it accepts connections.\n\nExamples:\n  omega-webhooks mock\n  omega-webhooks mock --addr 127.0.0.1:8080 --events 10000 --seed 7"
    )]
    Mock(MockArgs),
    /// Receive webhooks locally: validate each delivery, print one line per delivery, and
    /// answer as the SDK's receivers do (or with your app's answer, with --forward-to). Ctrl-C
    /// stops it with exit code 0.
    #[command(
        after_help = "Prints `listening on http://ADDR/PATH` once it accepts deliveries.\n\nExamples:\n  omega-webhooks receive --addr 127.0.0.1:8080\n  omega-webhooks receive --forward-to http://localhost:3000/hooks --jsonl\n  omega-webhooks trigger video.uploaded --to http://127.0.0.1:8080/hooks/omega"
    )]
    Receive(ReceiveArgs),
}

/// Options of `receive`.
#[derive(Debug, Args)]
pub(crate) struct ReceiveArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) addr: SocketAddr,
    /// The path deliveries are POSTed to.
    #[arg(long, value_name = "PATH", default_value = "/hooks/omega")]
    pub(crate) path: String,
    /// Pass each valid delivery's original bytes on to your app and answer with its answer.
    #[arg(long, value_name = "URL")]
    pub(crate) forward_to: Option<String>,
    /// Allow a plain-http --forward-to that is not on loopback.
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,
    /// Fetch each delivered event from the API (with --api-key) before accepting it: unknown
    /// events are answered 403.
    #[arg(long)]
    pub(crate) verify: bool,
    /// Accept deliveries for this endpoint only (repeatable).
    #[arg(long = "endpoint", value_name = "ENDPOINT_ID")]
    pub(crate) endpoints: Vec<String>,
    /// The largest body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = omega_webhooks_receive::DEFAULT_MAX_BODY_BYTES)]
    pub(crate) max_body_bytes: usize,
    /// Handle each event once: "memory", "sqlite:///path/to/seen.db" or
    /// "redis://host:port/db"; a delivery of an event already handled answers `duplicate`.
    #[arg(long, value_name = "SPEC")]
    pub(crate) dedupe: Option<String>,
    /// How long a dedupe claim holds while a delivery is handled, in seconds [default: 60].
    #[arg(long, value_name = "SECONDS", requires = "dedupe")]
    pub(crate) lease: Option<f64>,
    /// Print one JSON object per delivery: outcome, status, answer, replay, and the
    /// normalized event (null when the body was refused).
    #[arg(long)]
    pub(crate) jsonl: bool,
}

/// `events` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum EventsCommand {
    /// List an endpoint's events: id, type, creation time, delivery status.
    #[command(
        after_help = "Example:\n  omega-webhooks --mock events list 6336cd2b5790c27875f70d96"
    )]
    List {
        /// Webhook endpoint id, e.g. 6336cd2b5790c27875f70d96.
        endpoint_id: String,
        #[command(flatten)]
        filter: FilterArgs,
        /// Print at most N events (the first N of the list, after filtering).
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Deliveries that failed (the receiver answered non-2xx) or have no answer, with a summary
    /// by status and type; `--check` exits 1 when there is any (for cron and CI).
    #[command(
        after_help = "Examples:\n  omega-webhooks --mock events failures 650000000000000000000001\n  omega-webhooks events failures ENDPOINT_ID --since 24h --check --jsonl"
    )]
    Failures {
        /// Webhook endpoint id.
        endpoint_id: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        concurrency: ConcurrencyArgs,
        #[command(flatten)]
        output: OutputArgs,
        /// Exit 1 when any delivery failed (0 when none did).
        #[arg(long)]
        check: bool,
    },
    /// Delivery health over a window: per time bucket and per event type, how many deliveries
    /// succeeded, failed or have no answer, and the failures grouped by status and cause.
    #[command(
        after_help = "Examples:\n  omega-webhooks --mock events stats 650000000000000000000001\n  omega-webhooks events stats ENDPOINT_ID --since 7d --by hour --json\n  omega-webhooks events stats ENDPOINT_ID --since 24h --check-rate 0.05   # exit 1 above 5 %"
    )]
    Stats {
        #[command(flatten)]
        window: StatsWindow,
        /// Print the stats as one JSON object (schemas/delivery-stats.schema.json).
        #[arg(long)]
        json: bool,
        /// Exit 1 when the window's failure rate ((failed + unanswered) / events) is above
        /// RATE, a number from 0 to 1.
        #[arg(long, value_name = "RATE", value_parser = rate)]
        check_rate: Option<f64>,
    },
    /// Write the delivery health of a window as one self-contained HTML page: outcomes and
    /// failure rate over time, per event type, and the failure groups.
    #[command(
        after_help = "Examples:\n  omega-webhooks --mock events report 650000000000000000000001 --html report.html\n  omega-webhooks events report ENDPOINT_ID --since 7d --by hour --html report.html"
    )]
    Report {
        #[command(flatten)]
        window: StatsWindow,
        /// The file to write (replaced if it exists).
        #[arg(long, value_name = "FILE")]
        html: PathBuf,
    },
    /// POST events to a receiver you control, as Omega would have delivered them (normalized
    /// JSON, `Omega-Webhooks-Replay: <event id>`, never the API key). Exits 1 if any receiver
    /// answer is not 2xx or the receiver is unreachable.
    #[command(
        after_help = "Examples:\n  omega-webhooks events replay ENDPOINT_ID --failed --since 24h --to http://localhost:3000/hooks\n  omega-webhooks events replay ENDPOINT_ID EVENT_ID --to http://localhost:3000/hooks --dry-run"
    )]
    Replay {
        /// Webhook endpoint id.
        endpoint_id: String,
        /// Events to replay; none: the endpoint's events that pass the filters.
        #[arg(value_name = "EVENT_ID")]
        event_ids: Vec<String>,
        /// The receiver's URL (plain http only to loopback unless --allow-insecure-http).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Only events whose delivery failed or has no answer.
        #[arg(long)]
        failed: bool,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        concurrency: ConcurrencyArgs,
        /// Show what would be sent; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Allow a plain-http receiver that is not on loopback.
        #[arg(long)]
        allow_insecure_http: bool,
    },
    /// Print new events as they arrive (polling the list), oldest first; with --state, none
    /// is lost or repeated across restarts. Ctrl-C (or SIGTERM) stops it with exit code 0.
    #[command(
        after_help = "Examples:\n  omega-webhooks events follow ENDPOINT_ID --state follow.json --jsonl\n  omega-webhooks events follow ENDPOINT_ID --since 1h --forward-to http://localhost:3000/hooks"
    )]
    Follow {
        /// Webhook endpoint id.
        endpoint_id: String,
        /// Time between polls, e.g. 5s, 1m.
        #[arg(long, value_name = "DURATION", default_value_t = DEFAULT_POLL_INTERVAL.into())]
        interval: humantime::Duration,
        /// Also print, first, the events created since WHEN (RFC 3339 or an age: 30m, 24h, 7d).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// File that keeps the ids already printed (created if missing).
        #[arg(long, value_name = "FILE")]
        state: Option<std::path::PathBuf>,
        /// Only events of this type (repeatable); the others are skipped.
        #[arg(long = "type", value_name = "TYPE")]
        types: Vec<String>,
        /// Replay each new event to this receiver; one it refuses is retried on the next poll.
        #[arg(long, value_name = "URL")]
        forward_to: Option<String>,
        /// Allow a plain-http receiver that is not on loopback.
        #[arg(long)]
        allow_insecure_http: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Wait for the first new event of a type (for CI jobs): prints it and exits 0, or exits 1
    /// with `APITimeoutError` when none arrives in time.
    #[command(
        after_help = "Examples:\n  omega-webhooks events wait ENDPOINT_ID --type video.process_succeeded --within 5m --json\n  omega-webhooks events wait ENDPOINT_ID --type video.process_succeeded --delivered --since 10m"
    )]
    Wait {
        /// Webhook endpoint id.
        endpoint_id: String,
        /// The event type to wait for (repeatable: any of them).
        #[arg(long = "type", value_name = "TYPE", required = true)]
        types: Vec<String>,
        /// Count events created since WHEN (RFC 3339 or an age: 30m, 24h, 7d); default: now.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Give up after this long, e.g. 60s, 10m (`--timeout` is each request's).
        #[arg(long, value_name = "DURATION", default_value_t = DEFAULT_WAIT_TIMEOUT.into())]
        within: humantime::Duration,
        /// Time between polls, e.g. 5s, 500ms.
        #[arg(long, value_name = "DURATION", default_value_t = DEFAULT_POLL_INTERVAL.into())]
        interval: humantime::Duration,
        /// Only an event whose delivery succeeded (its details are read, and printed in full).
        #[arg(long)]
        delivered: bool,
        /// Print the normalized JSON object instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Show one event in full: type, times, the endpoint's answer, the video.
    #[command(
        after_help = "Example:\n  omega-webhooks --mock events get 6336cd2b5790c27875f70d96 63377e715790c27875f70dbd"
    )]
    Get {
        /// Webhook endpoint id.
        endpoint_id: String,
        /// Event id.
        event_id: String,
        /// Print the normalized JSON object instead of a summary.
        #[arg(long)]
        json: bool,
    },
}

/// Which events of the list a command looks at.
#[derive(Debug, Args)]
pub(crate) struct FilterArgs {
    /// Only events of this type (repeatable), e.g. `video.process_failed`.
    #[arg(long = "type", value_name = "TYPE")]
    pub(crate) types: Vec<String>,
    /// Only events created since WHEN: RFC 3339 (`2026-11-29T08:00:00Z`) or an age (`30m`,
    /// `24h`, `7d`).
    #[arg(long, value_name = "WHEN")]
    pub(crate) since: Option<String>,
    /// Only events created until WHEN (same forms as --since).
    #[arg(long, value_name = "WHEN")]
    pub(crate) until: Option<String>,
}

/// What `events stats` and `events report` add up: an endpoint's events over a window, in
/// buckets of `--by`.
#[derive(Debug, Args)]
pub(crate) struct StatsWindow {
    /// Webhook endpoint id.
    pub(crate) endpoint_id: String,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// Width of the time buckets, UTC: hour or day.
    #[arg(long, value_name = "WIDTH", default_value = "day", value_parser = bucket_width)]
    pub(crate) by: BucketWidth,
    #[command(flatten)]
    pub(crate) concurrency: ConcurrencyArgs,
}

/// `--by`: `hour` or `day`.
fn bucket_width(text: &str) -> Result<BucketWidth, String> {
    text.parse()
}

/// `--check-rate`: a number from 0 to 1.
fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!(
            "{text:?} is not a rate: use a number from 0 to 1, e.g. 0.05"
        )),
    }
}

/// How many requests a batch command runs at once (validated by the client crate's
/// `Concurrency`, so that 0 is a `ConfigurationError` here as in Python and Node).
#[derive(Debug, Args)]
pub(crate) struct ConcurrencyArgs {
    /// Requests at once (1 to 256).
    #[arg(long = "concurrency", value_name = "N", default_value_t = default_concurrency(), allow_negative_numbers = true)]
    pub(crate) requests: i64,
}

/// `Concurrency::DEFAULT` as the flag's value.
fn default_concurrency() -> i64 {
    i64::try_from(Concurrency::DEFAULT.get()).unwrap_or(i64::MAX)
}

/// How a command prints events: a table, or JSON for scripts.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Print the normalized JSON array.
    #[arg(long, conflicts_with = "jsonl")]
    pub(crate) json: bool,
    /// Print one normalized JSON event per line.
    #[arg(long)]
    pub(crate) jsonl: bool,
}

/// Options of `trigger`.
#[derive(Debug, Args)]
pub(crate) struct TriggerArgs {
    /// The event type, e.g. `video.process_succeeded` (any string: new types are fine).
    pub(crate) event_type: String,
    /// POST the event to this receiver (plain http only to loopback unless
    /// --allow-insecure-http).
    #[arg(
        long,
        value_name = "URL",
        required_unless_present = "print",
        conflicts_with = "print"
    )]
    pub(crate) to: Option<String>,
    /// Print the event's JSON instead of sending it.
    #[arg(long)]
    pub(crate) print: bool,
    /// Set a field: a dotted path and a JSON value (or plain text), e.g.
    /// `data.video.title=Demo`, `data.video.size=42` (repeatable). The result must still be an
    /// event.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub(crate) set: Vec<String>,
    /// The video's status, e.g. `process-failed`.
    #[arg(long, value_name = "STATUS")]
    pub(crate) video_status: Option<String>,
    /// Seed of the generated values (ids, title, sizes); default: from the clock.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Allow a plain-http receiver that is not on loopback.
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,
}

/// Options of `mock`.
#[derive(Debug, Args)]
pub(crate) struct MockArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub(crate) addr: SocketAddr,
    /// Generated events to serve on endpoint 650000000000000000000001.
    #[arg(long, default_value_t = 0)]
    pub(crate) events: usize,
    /// Seed of the generated events.
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    /// Compress answers for clients that accept it, with these encodings (default: all of
    /// gzip, br, zstd).
    #[arg(long, value_name = "ENCODINGS", num_args = 0..=1, default_missing_value = "gzip,br,zstd", value_delimiter = ',', value_parser = ["gzip", "br", "zstd"])]
    pub(crate) compress: Vec<String>,
    /// Send the API's answers at this many megabytes per second, as over a slow network.
    #[arg(long, value_name = "MB_PER_S", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub(crate) rate: Option<u64>,
}
