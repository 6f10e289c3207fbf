//! `events list`, `events get`, `events failures` and `events wait`; `replay` and `follow`
//! are dispatched to their modules.

use std::time::SystemTime;

use omega_webhooks_client::{
    parse_when, Client, ClientOptions, Error, Event, EventFilter, EventType, FollowOptions,
};
use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY};

use super::{
    follow::{self, FollowRequest},
    replay::{self, ReplayRequest},
};
use crate::{
    cli::{EventsCommand, FilterArgs, OutputArgs},
    failure::Failure,
    render, report,
};

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
        EventsCommand::List {
            endpoint_id,
            filter,
            limit,
            output,
        } => {
            let filter = event_filter(&filter)?;
            let mut events = filter.apply(client.list_events(&endpoint_id).await?);
            events.truncate(limit.unwrap_or(usize::MAX));
            print_events(&events, &output, render::event_table)
        }
        EventsCommand::Replay {
            endpoint_id,
            event_ids,
            to,
            failed,
            filter,
            concurrency,
            dry_run,
            allow_insecure_http,
        } => {
            let request = ReplayRequest {
                endpoint_id,
                event_ids,
                to,
                failed,
                filter: event_filter(&filter)?,
                concurrency: concurrency.into(),
                dry_run,
                allow_insecure_http,
            };
            replay::run(&client, request).await
        }
        EventsCommand::Follow {
            endpoint_id,
            interval,
            since,
            state,
            types,
            forward_to,
            allow_insecure_http,
            output,
        } => {
            let since = since
                .as_deref()
                .map(|t| parse_when(t, SystemTime::now()))
                .transpose()?;
            let request = FollowRequest {
                endpoint_id,
                options: FollowOptions {
                    interval,
                    since,
                    state,
                    types: event_types(&types),
                    ..FollowOptions::default()
                },
                forward_to,
                allow_insecure_http,
                json: output.json || output.jsonl,
            };
            follow::run(&client, request).await
        }
        EventsCommand::Wait {
            endpoint_id,
            types,
            since,
            within,
            interval,
            delivered,
            json,
        } => {
            let since = since
                .as_deref()
                .map(|t| parse_when(t, SystemTime::now()))
                .transpose()?;
            let options = FollowOptions {
                interval,
                types: event_types(&types),
                delivered,
                ..FollowOptions::waiting(since, within)
            };
            let event = client.follower(&endpoint_id, options)?.next().await?;
            print_event(&event, json)
        }
        EventsCommand::Get {
            endpoint_id,
            event_id,
            json,
        } => {
            let event = client.get_event(&endpoint_id, &event_id).await?;
            print_event(&event, json)
        }
        EventsCommand::Failures {
            endpoint_id,
            filter,
            concurrency,
            output,
            check,
        } => {
            let filter = event_filter(&filter)?;
            let progress = report::Progress::new("fetching details");
            let found = client
                .failed_deliveries(&endpoint_id, &filter, concurrency.into(), |done, total| {
                    progress.set(done, total)
                })
                .await;
            progress.finish();
            let found = found?;
            print_events(&found.failed, &output, |events| {
                report::failures(events, found.checked)
            })?;
            report::unreadable(&found.errors)?;
            if check && !found.failed.is_empty() {
                return Err(Failure::found(
                    "FailedDeliveries",
                    format!(
                        "{} of {} deliveries failed or have no answer",
                        found.failed.len(),
                        found.checked
                    ),
                ));
            }
            Ok(())
        }
    }
}

/// The filter the flags describe.
fn event_filter(args: &FilterArgs) -> Result<EventFilter, Error> {
    let now = SystemTime::now();
    let when = |text: &Option<String>| text.as_deref().map(|t| parse_when(t, now)).transpose();
    Ok(EventFilter {
        types: event_types(&args.types),
        since: when(&args.since)?,
        until: when(&args.until)?,
    })
}

/// The `--type` values as event types (unknown ones kept as given).
fn event_types(types: &[String]) -> Vec<EventType> {
    types.iter().map(|t| EventType::from_wire(t)).collect()
}

/// One event as `--json`, or its summary.
fn print_event(event: &Event, json: bool) -> Result<(), Failure> {
    if json {
        render::json(event)
    } else {
        render::event_summary(event);
        Ok(())
    }
}

/// `events` as `--json`, `--jsonl`, or the table `table` prints.
fn print_events(
    events: &[Event],
    output: &OutputArgs,
    table: impl FnOnce(&[Event]),
) -> Result<(), Failure> {
    if output.json {
        render::json(&events)
    } else if output.jsonl {
        render::jsonl(events)
    } else {
        table(events);
        Ok(())
    }
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
