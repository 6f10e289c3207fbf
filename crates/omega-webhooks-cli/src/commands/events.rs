//! `events list`, `events get`, `events failures` and `events wait`; `replay`, `follow`,
//! `stats` and `report` are dispatched to their modules.

use std::time::SystemTime;

use omega_webhooks_client::{
    Client, ClientOptions, Concurrency, Error, Event, EventFilter, FollowArgs, When,
};
use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY};

use super::{
    follow::{self, FollowRequest},
    replay::{self, ReplayRequest},
    stats::{self, StatsOutput, StatsRequest},
};
use crate::{
    cli::{ConcurrencyArgs, EventsCommand, FilterArgs, OutputArgs, StatsWindow},
    command_error::CommandError,
    render, report,
};

pub(crate) async fn run(
    options: ClientOptions,
    mock: bool,
    command: EventsCommand,
) -> Result<(), CommandError> {
    // With --mock the server lives as long as this function.
    let (client, _mock) = client(options, mock).await?;
    match command {
        EventsCommand::List {
            endpoint_id,
            filter,
            limit,
            output,
        } => {
            let filter = event_filter(filter)?;
            let mut events = client.list_filtered(&endpoint_id, &filter).await?;
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
                filter: event_filter(filter)?,
                concurrency: concurrency_of(&concurrency)?,
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
            let args = FollowArgs {
                types,
                since: since.map(When::Text),
                interval_secs: Some(interval.as_secs_f64()),
                state,
                delivered: false,
            };
            let request = FollowRequest {
                endpoint_id,
                options: args.following(SystemTime::now())?,
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
            let args = FollowArgs {
                types,
                since: since.map(When::Text),
                interval_secs: Some(interval.as_secs_f64()),
                state: None,
                delivered,
            };
            let options = args.waiting(Some(within.as_secs_f64()), SystemTime::now())?;
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
        EventsCommand::Stats {
            window,
            json,
            check_rate,
        } => {
            let request = stats_request(window)?;
            stats::stats(&client, request, StatsOutput { json, check_rate }).await
        }
        EventsCommand::Report { window, html } => {
            stats::report(&client, stats_request(window)?, html).await
        }
        EventsCommand::Failures {
            endpoint_id,
            filter,
            concurrency,
            output,
            check,
        } => {
            let filter = event_filter(filter)?;
            let concurrency = concurrency_of(&concurrency)?;
            let progress = report::Progress::new("fetching details");
            let found = client
                .failed_deliveries(&endpoint_id, &filter, concurrency, |done, total| {
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
                return Err(CommandError::found(
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
fn event_filter(args: FilterArgs) -> Result<EventFilter, Error> {
    let FilterArgs {
        types,
        since,
        until,
    } = args;
    let (since, until) = (since.map(When::Text), until.map(When::Text));
    EventFilter::new(types, since, until, SystemTime::now())
}

/// What `events stats` and `events report` compute, from their flags.
fn stats_request(window: StatsWindow) -> Result<StatsRequest, Error> {
    Ok(StatsRequest {
        endpoint_id: window.endpoint_id,
        filter: event_filter(window.filter)?,
        by: window.by,
        concurrency: concurrency_of(&window.concurrency)?,
    })
}

/// The `--concurrency` flag, validated (0 is a `ConfigurationError`, as in Python and Node).
fn concurrency_of(args: &ConcurrencyArgs) -> Result<Concurrency, Error> {
    Concurrency::new(args.requests)
}

/// One event as `--json`, or its summary.
fn print_event(event: &Event, json: bool) -> Result<(), CommandError> {
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
) -> Result<(), CommandError> {
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
pub(crate) async fn client(
    mut options: ClientOptions,
    mock: bool,
) -> Result<(Client, Option<MockServer>), CommandError> {
    let mut server = None;
    if mock {
        let api_key = options
            .api_key
            .clone()
            .unwrap_or_else(|| DEFAULT_API_KEY.to_owned());
        let config = MockConfig {
            api_key: api_key.clone(),
            events: omega_webhooks_mock::EMBEDDED_EVENTS,
            ..MockConfig::default()
        };
        let started = MockServer::start(config).await.map_err(|e| {
            CommandError::usage(format!("cannot start the embedded mock server: {e}"))
        })?;
        options.api_key = Some(api_key);
        options.base_url = Some(started.url());
        server = Some(started);
    }
    let client = options.into_builder()?.build()?;
    Ok((client, server))
}
