//! `events list` and `events get`.

use omega_webhooks_client::{Client, ClientOptions};
use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY};

use crate::{cli::EventsCommand, failure::Failure, render};

/// Generated events the in-process mock of `--mock` serves on endpoint
/// `650000000000000000000001`.
const EMBEDDED_MOCK_EVENTS: usize = 25;

pub(crate) async fn run(
    options: ClientOptions,
    mock: bool,
    command: EventsCommand,
) -> Result<(), Failure> {
    // With --mock the server lives as long as this function.
    let (client, _mock) = client(options, mock).await?;
    match command {
        EventsCommand::List { endpoint_id, json } => {
            let events = client.list_events(&endpoint_id).await?;
            if json {
                render::json(&events)?;
            } else {
                render::event_table(&events);
            }
        }
        EventsCommand::Get {
            endpoint_id,
            event_id,
            json,
        } => {
            let event = client.get_event(&endpoint_id, &event_id).await?;
            if json {
                render::json(&event)?;
            } else {
                render::event_summary(&event);
            }
        }
    }
    Ok(())
}

/// The client the options describe (environment first, flags over it), or one talking to a
/// mock server started in this process (`--mock`).
async fn client(
    mut options: ClientOptions,
    mock: bool,
) -> Result<(Client, Option<MockServer>), Failure> {
    let mut server = None;
    if mock {
        let api_key = options
            .api_key
            .clone()
            .unwrap_or_else(|| DEFAULT_API_KEY.to_owned());
        let config = MockConfig {
            api_key: api_key.clone(),
            events: EMBEDDED_MOCK_EVENTS,
            ..MockConfig::default()
        };
        let started = MockServer::start(config)
            .await
            .map_err(|e| Failure::usage(format!("cannot start the embedded mock server: {e}")))?;
        options.api_key = Some(api_key);
        options.base_url = Some(started.url());
        server = Some(started);
    }
    let client = options.into_builder()?.build()?;
    Ok((client, server))
}
