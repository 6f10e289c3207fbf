//! `events follow`: new events as they arrive, until Ctrl-C or SIGTERM — the client's
//! [`Follower`](omega_webhooks_client::Follower), printing each event and, with
//! `--forward-to`, replaying it first (an event the receiver refuses is released, and comes
//! again after the next poll).

use omega_webhooks_client::{Client, Event, FollowOptions, Replayer};

use crate::{command_error::CommandError, render};

/// How to follow, from the command line.
pub(crate) struct FollowRequest {
    pub(crate) endpoint_id: String,
    pub(crate) options: FollowOptions,
    pub(crate) forward_to: Option<String>,
    pub(crate) allow_insecure_http: bool,
    pub(crate) json: bool,
}

pub(crate) async fn run(client: &Client, request: FollowRequest) -> Result<(), CommandError> {
    let forward = request
        .forward_to
        .as_deref()
        .map(|url| client.replayer(url, request.allow_insecure_http))
        .transpose()?;
    let mut follower = client.follower(&request.endpoint_id, request.options)?;
    follower.on_poll_failure(|error, wait| {
        anstream::eprintln!(
            "warning: {}: {error}; polling again in {wait:?}",
            error.kind()
        );
    });
    let stop = super::mock::shutdown_signal();
    tokio::pin!(stop);
    loop {
        // Cancel-safe: stopping while waiting loses nothing, and the state file is as the last
        // handled event left it.
        let event = tokio::select! {
            () = &mut stop => return Ok(()),
            next = follower.next() => next?,
        };
        let forwarded = match &forward {
            Some(replayer) => forward_to(client, &request.endpoint_id, &event, replayer).await,
            None => true,
        };
        if !forwarded {
            follower.release();
            continue;
        }
        if request.json {
            render::jsonl(std::slice::from_ref(&event))?;
        } else {
            anstream::println!(
                "{}  {}  {}",
                event.id,
                event.event_type,
                render::unix_time(event.created)
            );
        }
    }
}

/// Replays `event`'s details to the receiver; whether it accepted them (a warning says why
/// not).
async fn forward_to(
    client: &Client,
    endpoint_id: &str,
    event: &Event,
    replayer: &Replayer,
) -> bool {
    let outcome = match client.get_event(endpoint_id, &event.id).await {
        Ok(details) => replayer.send(&details).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(answer) if answer.is_success() => true,
        Ok(answer) => {
            anstream::eprintln!(
                "warning: {} answered {} to {}; retrying on the next poll",
                replayer.url(),
                answer.status,
                event.id
            );
            false
        }
        Err(error) => {
            anstream::eprintln!(
                "warning: {}: forwarding {}: {error}; retrying on the next poll",
                error.kind(),
                event.id
            );
            false
        }
    }
}
