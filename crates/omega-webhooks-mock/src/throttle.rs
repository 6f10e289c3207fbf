//! [`MockConfig::rate`](crate::MockConfig::rate): the API's answers sent at a set rate, as
//! over a slow network — the body in 64 KiB pieces, each when the rate allows it (what
//! `make bench`'s W1-slow measures: decoding a list while it arrives).

use std::{sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use bytes::BytesMut;
use futures_util::{stream, StreamExt};
use tokio::time::Instant;

use crate::state::MockState;

/// The size of each piece of a throttled body.
const PIECE: usize = 64 * 1024;

/// Sends the answer's body at `state.rate` bytes per second (headers at once); unthrottled
/// without a rate.
pub(crate) async fn middleware(
    State(state): State<Arc<MockState>>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let Some(rate) = state.rate else {
        return response;
    };
    let (parts, body) = response.into_parts();
    // The body as it comes, up to a failure (a scripted `truncate`), which is passed on after
    // the bytes before it.
    let mut frames = body.into_data_stream();
    let mut bytes = BytesMut::new();
    let mut failure = None;
    while let Some(frame) = frames.next().await {
        match frame {
            Ok(data) => bytes.extend_from_slice(&data),
            Err(e) => {
                failure = Some(std::io::Error::other(e));
                break;
            }
        }
    }
    let bytes = bytes.freeze();
    let started = Instant::now();
    let pieces = stream::unfold(0, move |sent| {
        let bytes = bytes.clone();
        async move {
            if sent >= bytes.len() {
                return None;
            }
            let end = (sent + PIECE).min(bytes.len());
            // Piece n leaves when the rate has covered the bytes before it.
            let due = Duration::from_secs_f64(sent as f64 / rate as f64);
            tokio::time::sleep_until(started + due).await;
            Some((Ok::<_, std::io::Error>(bytes.slice(sent..end)), end))
        }
    });
    let failed = stream::iter(failure.map(Err));
    Response::from_parts(parts, Body::from_stream(pieces.chain(failed)))
}
