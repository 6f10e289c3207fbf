//! `events follow`: new events as they arrive, until Ctrl-C or SIGTERM.

use omega_webhooks_client::{Client, Event, FollowOptions, Follower, Replayer};

use crate::{failure::Failure, render};

/// How to follow, from the command line.
pub(crate) struct FollowRequest {
    pub(crate) endpoint_id: String,
    pub(crate) options: FollowOptions,
    pub(crate) forward_to: Option<String>,
    pub(crate) allow_insecure_http: bool,
    pub(crate) json: bool,
}

pub(crate) async fn run(client: &Client, request: FollowRequest) -> Result<(), Failure> {
    let forward = request
        .forward_to
        .as_deref()
        .map(|url| client.replayer(url, request.allow_insecure_http))
        .transpose()?;
    let mut follower = client.follower(&request.endpoint_id, request.options)?;
    let stop = super::mock::shutdown_signal();
    tokio::pin!(stop);
    let mut failures = 0;
    let mut first = true;
    loop {
        if !first {
            tokio::select! {
                () = &mut stop => return Ok(()),
                () = tokio::time::sleep(follower.backoff(failures)) => {}
            }
        }
        first = false;
        let events = tokio::select! {
            () = &mut stop => return Ok(()),
            polled = follower.poll() => polled,
        };
        match events {
            Ok(events) => {
                failures = 0;
                for event in events {
                    if handle(
                        client,
                        &request.endpoint_id,
                        &event,
                        forward.as_ref(),
                        request.json,
                    )
                    .await?
                    {
                        follower.ack(&event.id)?;
                    }
                }
            }
            Err(error) if Follower::is_transient(&error) => {
                failures += 1;
                anstream::eprintln!(
                    "warning: {}: {error}; polling again in {:?}",
                    error.kind(),
                    follower.backoff(failures)
                );
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// Prints `event` (and forwards its details); whether it was handled (and may be acked).
async fn handle(
    client: &Client,
    endpoint_id: &str,
    event: &Event,
    forward: Option<&Replayer>,
    json: bool,
) -> Result<bool, Failure> {
    if let Some(replayer) = forward {
        let outcome = match client.get_event(endpoint_id, &event.id).await {
            Ok(details) => replayer.send(&details).await,
            Err(error) => Err(error),
        };
        match outcome {
            Ok(answer) if answer.is_success() => {}
            Ok(answer) => {
                anstream::eprintln!(
                    "warning: {} answered {} to {}; retrying on the next poll",
                    replayer.url(),
                    answer.status,
                    event.id
                );
                return Ok(false);
            }
            Err(error) => {
                anstream::eprintln!(
                    "warning: {}: forwarding {}: {error}; retrying on the next poll",
                    error.kind(),
                    event.id
                );
                return Ok(false);
            }
        }
    }
    if json {
        render::jsonl(std::slice::from_ref(event))?;
    } else {
        anstream::println!(
            "{}  {}  {}",
            event.id,
            event.event_type,
            render::unix_time(event.created)
        );
    }
    Ok(true)
}
