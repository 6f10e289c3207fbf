//! One module per subcommand; `run` dispatches.

mod events;
mod follow;
mod mock;
mod parse;
mod receive;
mod replay;
mod schema;
mod stats;
mod trigger;

use omega_webhooks_client::ClientOptions;

use crate::{
    cli::{Cli, Command},
    command_error::CommandError,
};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> Result<(), CommandError> {
    let Cli {
        api_key,
        base_url,
        timeout,
        max_retries,
        mock,
        command,
    } = cli;
    // The API client's options, for the commands that call the API.
    let options = ClientOptions {
        api_key: api_key.clone(),
        base_url,
        timeout_secs: timeout,
        max_retries: max_retries.map(i64::from),
        ..ClientOptions::default()
    };
    match command {
        Command::Parse { file } => parse::run(file.as_deref()),
        Command::Schema { name } => schema::run(name.as_deref()),
        Command::Mock(args) => runtime()?.block_on(mock::run(args, api_key)),
        Command::Trigger(args) => runtime()?.block_on(trigger::run(args)),
        Command::Receive(args) => runtime()?.block_on(receive::run(args, options, mock)),
        Command::Events(command) => runtime()?.block_on(events::run(options, mock, command)),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CommandError::usage(format!("cannot start the async runtime: {e}")))
}
