//! `events replay`: POST events to a receiver the user controls.

use futures_util::{stream, StreamExt};
use omega_webhooks_client::{Client, Concurrency, Delivery, Error, Event, EventFilter, Replayer};

use crate::{command_error::CommandError, report};

/// What to replay, and how.
pub(crate) struct ReplayRequest {
    pub(crate) endpoint_id: String,
    pub(crate) event_ids: Vec<String>,
    pub(crate) to: String,
    pub(crate) failed: bool,
    pub(crate) filter: EventFilter,
    pub(crate) concurrency: Concurrency,
    pub(crate) dry_run: bool,
    pub(crate) allow_insecure_http: bool,
}

pub(crate) async fn run(client: &Client, request: ReplayRequest) -> Result<(), CommandError> {
    let replayer = client.replayer(&request.to, request.allow_insecure_http)?;
    let (events, unreadable) = events(client, &request).await?;
    if request.dry_run {
        for event in &events {
            let bytes = Replayer::body(event)?.len();
            anstream::println!(
                "would POST {}  {}  ({bytes} bytes) to {}",
                event.id,
                event.event_type,
                replayer.url()
            );
        }
        return report::unreadable(&unreadable);
    }
    let mut results: Vec<_> = stream::iter(events.iter().enumerate())
        .map(|(i, event)| {
            let replayer = &replayer;
            async move { (i, replayer.send(event).await) }
        })
        .buffer_unordered(request.concurrency.get())
        .collect()
        .await;
    results.sort_by_key(|(i, _)| *i);
    let mut failures = 0;
    for ((_, result), event) in results.into_iter().zip(&events) {
        match result {
            Ok(answer) => {
                if !answer.is_success() {
                    failures += 1;
                }
                report::replayed(event, &answer);
            }
            Err(error) => {
                failures += 1;
                anstream::println!(
                    "{}  {}  {}: {error}",
                    event.id,
                    event.event_type,
                    error.kind()
                );
            }
        }
    }
    report::unreadable(&unreadable)?;
    if failures > 0 {
        return Err(CommandError::found(
            "ReplayFailed",
            format!(
                "{failures} of {} replays were not accepted by {}",
                events.len(),
                replayer.url()
            ),
        ));
    }
    Ok(())
}

/// The events to replay (with their details), and those whose details could not be read.
async fn events(
    client: &Client,
    request: &ReplayRequest,
) -> Result<(Vec<Event>, Vec<(String, Error)>), CommandError> {
    let endpoint = &request.endpoint_id;
    if request.failed && request.event_ids.is_empty() {
        let found = client
            .failed_deliveries(endpoint, &request.filter, request.concurrency, |_, _| {})
            .await?;
        return Ok((found.failed, found.errors));
    }
    let ids: Vec<String> = if request.event_ids.is_empty() {
        let listed = client.list_filtered(endpoint, &request.filter).await?;
        listed.into_iter().map(|e| e.id).collect()
    } else {
        request.event_ids.clone()
    };
    let mut events = Vec::new();
    let mut unreadable = Vec::new();
    for (id, result) in ids
        .iter()
        .zip(client.get_events(endpoint, &ids, request.concurrency).await)
    {
        match result {
            Ok(event) if request.failed && event.delivery() == Delivery::Delivered => {}
            Ok(event) => events.push(event),
            Err(error) => unreadable.push((id.clone(), error)),
        }
    }
    Ok((events, unreadable))
}
