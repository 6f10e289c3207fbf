//! `events list` and `events get`.

use omega_webhooks_client::{duration_from_secs, Client, ClientBuilder};
use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY};

use crate::{cli::EventsCommand, failure::Failure, render};

/// Generated events the in-process mock of `--mock` serves on endpoint
/// `650000000000000000000001`.
const EMBEDDED_MOCK_EVENTS: usize = 25;

/// The global options that configure the client.
pub(crate) struct ClientOptions {
    pub(crate) api_key: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<f64>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) mock: bool,
}

pub(crate) async fn run(options: ClientOptions, command: EventsCommand) -> Result<(), Failure> {
    // With --mock the server lives as long as this function.
    let (client, _mock) = client(options).await?;
    match command {
        EventsCommand::List { endpoint_id, json } => {
            let events = client.list_events(&endpoint_id).await?;
            if json {
                render::json(&events);
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
                render::json(&event);
            } else {
                render::event_summary(&event);
            }
        }
    }
    Ok(())
}

/// The client the options describe; environment first, flags over it, or the embedded mock.
async fn client(options: ClientOptions) -> Result<(Client, Option<MockServer>), Failure> {
    let mut builder = ClientBuilder::from_env().runtime("cli", env!("CARGO_PKG_VERSION"));
    let mut mock = None;
    if options.mock {
        let api_key = options
            .api_key
            .unwrap_or_else(|| DEFAULT_API_KEY.to_owned());
        let config = MockConfig {
            api_key: api_key.clone(),
            events: EMBEDDED_MOCK_EVENTS,
            ..MockConfig::default()
        };
        let server = MockServer::start(config)
            .await
            .map_err(|e| Failure::usage(format!("cannot start the embedded mock server: {e}")))?;
        builder = builder.api_key(api_key).base_url(server.url());
        mock = Some(server);
    } else {
        if let Some(key) = options.api_key {
            builder = builder.api_key(key);
        }
        if let Some(url) = options.base_url {
            builder = builder.base_url(url);
        }
    }
    if let Some(secs) = options.timeout {
        builder = builder.timeout(duration_from_secs("--timeout", secs)?);
    }
    if let Some(retries) = options.max_retries {
        builder = builder.max_retries(retries);
    }
    Ok((builder.build()?, mock))
}
