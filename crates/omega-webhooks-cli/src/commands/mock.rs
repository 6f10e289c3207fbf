//! `mock`: the mock Omega server, until SIGINT or SIGTERM.

use std::io::Write;

use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY};

use crate::{cli::MockArgs, command_error::CommandError};

pub(crate) async fn run(args: MockArgs, api_key: Option<String>) -> Result<(), CommandError> {
    let config = MockConfig {
        addr: args.addr,
        api_key: api_key.unwrap_or_else(|| DEFAULT_API_KEY.to_owned()),
        events: args.events,
        seed: args.seed,
        compress: args.compress,
        rate: args.rate.map(|mb| mb * 1_000_000),
    };
    let ready = |server: &MockServer| {
        let mut out = std::io::stdout().lock();
        // The one line tests and scripts wait for; flushed at once even when piped.
        let _ = writeln!(out, "listening on {}", server.url());
        let _ = out.flush();
    };
    MockServer::run_until(config, ready, shutdown_signal())
        .await
        .map_err(|e| CommandError::usage(format!("cannot listen on {}: {e}", args.addr)))
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
