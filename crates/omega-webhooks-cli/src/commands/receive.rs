//! `receive`: a local receiver on loopback (or any address) — each delivery read by the SDK's
//! [`Receiver`], one line printed per delivery, and the answer of the receivers (or, with
//! `--forward-to`, your app's answer to the original bytes). Until SIGINT or SIGTERM.

use std::{io::Write, sync::Arc, time::SystemTime};

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::any,
    Router,
};
use omega_webhooks_client::{positive_seconds, unix_seconds, ClientOptions, Replayer};
use omega_webhooks_receive::{receive_request, Answer, Delivery, Receiver};
use serde_json::json;

use crate::{cli::ReceiveArgs, command_error::CommandError, render};

/// What every delivery is handled with.
struct Receiving {
    receiver: Receiver,
    forward: Option<Replayer>,
    jsonl: bool,
}

pub(crate) async fn run(
    args: ReceiveArgs,
    options: ClientOptions,
    mock: bool,
) -> Result<(), CommandError> {
    // With --mock, the in-process mock lives as long as this function.
    let mut builder = Receiver::builder().max_body_bytes(args.max_body_bytes);
    let mut _mock = None;
    if args.verify {
        let (client, server) = super::events::client(options, mock).await?;
        builder = builder.verify(client);
        _mock = server;
    }
    if !args.endpoints.is_empty() {
        builder = builder.endpoints(args.endpoints);
    }
    if let Some(spec) = args.dedupe {
        builder = builder.dedupe(spec);
    }
    if let Some(lease) = args.lease {
        builder = builder.lease(positive_seconds("--lease", lease)?);
    }
    let forward = args
        .forward_to
        .as_deref()
        .map(|url| Replayer::new(url, args.allow_insecure_http))
        .transpose()?;
    let path = if args.path.starts_with('/') {
        args.path
    } else {
        format!("/{}", args.path)
    };
    let state = Arc::new(Receiving {
        receiver: builder.build()?,
        forward,
        jsonl: args.jsonl,
    });
    let app = Router::new().route(&path, any(deliver)).with_state(state);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| CommandError::usage(format!("cannot listen on {}: {e}", args.addr)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CommandError::usage(format!("cannot listen on {}: {e}", args.addr)))?;
    {
        let mut out = std::io::stdout().lock();
        // The one line tests and scripts wait for; flushed at once even when piped.
        let _ = writeln!(out, "listening on http://{addr}{path}");
        let _ = out.flush();
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(super::mock::shutdown_signal())
        .await
        .map_err(|e| CommandError::internal(format!("the receiver stopped: {e}")))
}

/// One delivery: read it, answer it (or pass it on), print its line.
async fn deliver(State(receiving): State<Arc<Receiving>>, request: Request) -> Response {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (delivery, body) = match receive_request(&receiving.receiver, request).await {
        Ok(received) => received,
        Err(answer) => {
            receiving.print(None, &answer);
            return answer.into_response();
        }
    };
    // With --dedupe, each event once: a duplicate, or one in progress, ends here.
    let claim = match receiving.receiver.claim(&delivery).await {
        Ok(claim) => claim,
        Err(answer) => {
            receiving.print(Some(&delivery), &answer);
            return answer.into_response();
        }
    };
    let Some(forward) = &receiving.forward else {
        claim.done().await;
        let answer = receiving.receiver.handled(&delivery);
        receiving.print(Some(&delivery), &answer);
        return answer.into_response();
    };
    let event_id = &delivery.event.id;
    match forward
        .forward(event_id, body, content_type.as_deref(), delivery.replay)
        .await
    {
        Ok(app) => {
            let status = StatusCode::from_u16(app.status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut answer = if app.is_success() {
                claim.done().await;
                receiving.receiver.handled(&delivery)
            } else {
                claim.release().await;
                anstream::eprintln!(
                    "warning: {} answered {} to {event_id}; Omega gets the same answer",
                    forward.url(),
                    app.status
                );
                receiving
                    .receiver
                    .failed(&delivery, &format!("HTTP {}", app.status), "")
            };
            // The line shows the status Omega gets: the app's.
            answer.status = app.status;
            receiving.print(Some(&delivery), &answer);
            (status, app.body).into_response()
        }
        Err(error) => {
            claim.release().await;
            anstream::eprintln!("warning: {}: forwarding {event_id}: {error}", error.kind());
            let answer = receiving
                .receiver
                .failed(&delivery, error.kind().class_name(), "");
            receiving.print(Some(&delivery), &answer);
            (StatusCode::BAD_GATEWAY, answer.body).into_response()
        }
    }
}

impl Receiving {
    /// The delivery's line: time, type, id, outcome (and status and answer); or, with
    /// `--jsonl`, the outcome with the normalized event.
    fn print(&self, delivery: Option<&Delivery>, answer: &Answer) {
        let now = render::unix_time(unix_seconds(SystemTime::now()));
        let mut out = std::io::stdout().lock();
        let _ = if self.jsonl {
            let line = json!({
                "time": now,
                "outcome": answer.outcome,
                "status": answer.status,
                "answer": answer.body,
                "replay": delivery.is_some_and(|d| d.replay),
                "event": delivery.map(|d| &d.event),
            });
            writeln!(out, "{line}")
        } else {
            let (kind, id) = delivery.map_or(("-".to_owned(), "-"), |d| {
                (d.event.event_type.to_string(), d.event.id.as_str())
            });
            let replay = if delivery.is_some_and(|d| d.replay) {
                " (replay)"
            } else {
                ""
            };
            writeln!(
                out,
                "{now}  {kind}  {id}  {} {}{replay}  {}",
                answer.outcome, answer.status, answer.body
            )
        };
        let _ = out.flush();
    }
}
