//! Scripted faults and the request log: the middleware in front of every API route.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{json, Value};

use crate::{
    admin_api::{RecordedRequest, ScriptAction, ScriptStep},
    state::{ConnectionId, MockState, ResetConnection},
};

/// How long a `truncate` step waits after the first half, so that it reaches the client.
const TRUNCATE_FLUSH: Duration = Duration::from_millis(50);

/// How long a `hang` step holds a request before giving up and answering normally.
const HANG_LIMIT: Duration = Duration::from_secs(300);

/// Records the request, then applies the next script step, if any.
pub(crate) async fn middleware(
    State(state): State<Arc<MockState>>,
    req: Request,
    next: Next,
) -> Response {
    state.record(record(&req));
    let step = state.next_step();
    let req = accepted_encoding(req, &state.compress, step.as_ref());
    let Some(step) = step else {
        return next.run(req).await;
    };
    if let Some(mib) = step.bomb_mib {
        return bomb(mib);
    }
    if step.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(step.delay_ms)).await;
    }
    match step.action {
        Some(ScriptAction::Reset) => {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(ResetConnection);
            return response;
        }
        Some(ScriptAction::Hang) => tokio::time::sleep(HANG_LIMIT).await,
        Some(ScriptAction::Truncate) | None => {}
    }
    let mut response = match step.status {
        Some(status) => scripted(status, step.body),
        None => next.run(req).await,
    };
    for (name, value) in &step.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    if step.action == Some(ScriptAction::Truncate) {
        response = truncate(response).await;
    }
    response
}

/// The request as the compression layer inside this middleware sees it: the step's `encoding`
/// when it forces one, else the encodings both the client accepts and the mock offers
/// (`--compress`), else none (an uncompressed answer).
fn accepted_encoding(mut req: Request, offered: &[String], step: Option<&ScriptStep>) -> Request {
    let accepted = match step.and_then(|s| s.encoding.clone()) {
        Some(forced) => forced,
        None => req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .split(',')
            .filter(|coding| {
                let name = coding.split(';').next().unwrap_or_default().trim();
                offered.iter().any(|o| o.eq_ignore_ascii_case(name))
            })
            .collect::<Vec<_>>()
            .join(","),
    };
    match HeaderValue::from_str(&accepted) {
        Ok(value) if !accepted.is_empty() => {
            req.headers_mut().insert(header::ACCEPT_ENCODING, value);
        }
        _ => {
            req.headers_mut().remove(header::ACCEPT_ENCODING);
        }
    }
    req
}

/// A 200 whose gzip body decodes to `mib` MiB of zeros, compressed once per size and kept.
fn bomb(mib: u64) -> Response {
    static BOMBS: std::sync::Mutex<BTreeMap<u64, Bytes>> = std::sync::Mutex::new(BTreeMap::new());
    let mut bombs = BOMBS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let body = bombs
        .entry(mib)
        .or_insert_with(|| {
            use std::io::Write;
            let zeros = vec![0u8; 1 << 20];
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            for _ in 0..mib {
                // Writing to a Vec cannot fail.
                let _ = encoder.write_all(&zeros);
            }
            Bytes::from(encoder.finish().unwrap_or_default())
        })
        .clone();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CONTENT_ENCODING, "gzip"),
        ],
        body,
    )
        .into_response()
}

/// Headers by lowercased name; repeated headers joined with `, `.
pub(crate) fn header_map(map: &axum::http::HeaderMap) -> BTreeMap<String, String> {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in map {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    headers
}

fn record(req: &Request) -> RecordedRequest {
    RecordedRequest {
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
        query: req.uri().query().map(str::to_owned),
        headers: header_map(req.headers()),
        connection: req.extensions().get::<ConnectionId>().map_or(0, |c| c.0),
    }
}

/// A scripted answer with `status` and `body` (default: a JSON `message`).
fn scripted(status: u16, body: Option<Value>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (content_type, bytes) = match body {
        Some(Value::String(text)) => ("text/plain; charset=utf-8", Bytes::from(text)),
        Some(value) => ("application/json", Bytes::from(value.to_string())),
        None => (
            "application/json",
            Bytes::from(json!({ "message": format!("scripted {}", status.as_u16()) }).to_string()),
        ),
    };
    (status, [(header::CONTENT_TYPE, content_type)], bytes).into_response()
}

/// Sends the head with the full `Content-Length` and half the bytes, waits for them to leave,
/// then fails the body (hyper then closes the connection).
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(bytes.len().max(2)),
    );
    let half = bytes.slice(..bytes.len() / 2);
    let first = futures_util::stream::once(async move { Ok::<_, std::io::Error>(half) });
    let cut = futures_util::stream::once(async {
        tokio::time::sleep(TRUNCATE_FLUSH).await;
        Err(std::io::Error::other("scripted truncate"))
    });
    Response::from_parts(parts, Body::from_stream(first.chain(cut)))
}
