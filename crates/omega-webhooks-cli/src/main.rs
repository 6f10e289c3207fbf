//! `omega-webhooks`: list and inspect Omega Stream webhook events, parse webhook bodies, print
//! the JSON Schemas, and run the mock server.

mod cli;
mod command_error;
mod commands;
mod render;
mod report;
mod stats_page;
mod stats_table;

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;

/// Rust's allocations in this program go to mimalloc, which keeps freed memory for reuse: glibc's
/// malloc hands the megabytes of a large list back to the OS and faults them in again on the
/// next call (measured: ~500 page faults per 10,000-event list, a third of its time on a VM;
/// docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}

/// Logs to stderr, filtered by `OMEGA_LOG` (e.g. `debug`); silent by default. Colour only
/// on a terminal, and never with `NO_COLOR` set.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OMEGA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .init();
}
