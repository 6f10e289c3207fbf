//! The HTTP routes: the two API calls (also under `/company`) and the `/__mock` admin API.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, Request, State},
    http::{header, HeaderMap, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::json;
use tower_http::{
    compression::{predicate::SizeAbove, CompressionLayer},
    CompressionLevel,
};

use crate::{
    admin_api::{RecordedRequest, ScriptStep},
    script,
    state::{lock, ConnectionRecord, MockState, ReceivedDelivery},
    throttle,
};

/// The whole application.
pub(crate) fn router(state: Arc<MockState>) -> Router {
    let calls = Router::new()
        .route("/client/webhooks/{id}", get(list_events))
        .route("/client/webhooks/{id}/events/{eid}", get(get_event))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_key));
    // Compression sits inside the script middleware, which decides what the client may get
    // (see `script::accepted_encoding`); the fastest level. Lists come compressed already
    // (`precompressed`), which this layer leaves alone.
    let api = Router::new()
        .merge(calls.clone())
        .nest("/company", calls)
        .fallback(not_found)
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(SizeAbove::new(0)),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            script::middleware,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            throttle::middleware,
        ));
    Router::new()
        .route("/__mock/script", post(set_script))
        .route("/__mock/requests", get(requests))
        .route("/__mock/reset", post(reset))
        .route("/__mock/connections", get(connections))
        .route("/__mock/received", get(received))
        .route("/__mock/events", post(append_event))
        .route("/__mock/receiver", post(set_receiver_script))
        .route("/__receiver", post(receive))
        .route("/__receiver/{*rest}", post(receive))
        .merge(api)
        .with_state(state)
}

async fn list_events(
    State(state): State<Arc<MockState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match state.data().list(&id) {
        Some(body) => body.answer(&headers),
        None => message(StatusCode::NOT_FOUND, "webhook endpoint not found"),
    }
}

async fn get_event(
    State(state): State<Arc<MockState>>,
    Path((id, eid)): Path<(String, String)>,
) -> Response {
    if !state.data().has_endpoint(&id) {
        return message(StatusCode::NOT_FOUND, "webhook endpoint not found");
    }
    match state.data().details(&id, &eid) {
        Some(body) => json_body(body),
        None => message(StatusCode::NOT_FOUND, "webhook event not found"),
    }
}

async fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "not found")
}

/// Both calls answer 401 unless the request carries `Authorization: Bearer <key>`.
async fn require_key(State(state): State<Arc<MockState>>, req: Request, next: Next) -> Response {
    let expected = format!("Bearer {}", state.api_key);
    match req.headers().get(header::AUTHORIZATION) {
        Some(value) if value.as_bytes() == expected.as_bytes() => next.run(req).await,
        Some(_) => message(StatusCode::UNAUTHORIZED, "invalid api key"),
        None => message(StatusCode::UNAUTHORIZED, "missing api key"),
    }
}

fn json_body(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn message(status: StatusCode, text: &str) -> Response {
    (status, Json(json!({ "message": text }))).into_response()
}

async fn set_script(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Vec<ScriptStep>>(&body) {
        Ok(steps) => {
            let count = steps.len();
            lock(&state.script).extend(steps);
            Json(json!({ "queued": count })).into_response()
        }
        Err(e) => message(StatusCode::BAD_REQUEST, &format!("invalid script: {e}")),
    }
}

async fn requests(State(state): State<Arc<MockState>>) -> Json<Vec<RecordedRequest>> {
    Json(lock(&state.log).clone())
}

async fn connections(State(state): State<Arc<MockState>>) -> Json<Vec<ConnectionRecord>> {
    Json(lock(&state.connections).clone())
}

/// The capture receiver: records the POST and answers the next scripted status (else 200).
async fn receive(State(state): State<Arc<MockState>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let headers = script::header_map(req.headers());
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let status = lock(&state.receiver_script).pop_front().unwrap_or(200);
    lock(&state.received).push(ReceivedDelivery {
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        status,
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        if status.is_success() {
            "ok\n"
        } else {
            "receiver failure\n"
        },
    )
        .into_response()
}

/// Appends the next generated event to the generated endpoint (as if Omega delivered one).
async fn append_event(State(state): State<Arc<MockState>>) -> Json<serde_json::Value> {
    Json(json!({ "id": state.append_event() }))
}

async fn received(State(state): State<Arc<MockState>>) -> Json<Vec<ReceivedDelivery>> {
    Json(lock(&state.received).clone())
}

async fn set_receiver_script(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Vec<u16>>(&body) {
        Ok(statuses) => {
            let count = statuses.len();
            lock(&state.receiver_script).extend(statuses);
            Json(json!({ "queued": count })).into_response()
        }
        Err(e) => message(
            StatusCode::BAD_REQUEST,
            &format!("invalid receiver script: {e}"),
        ),
    }
}

async fn reset(State(state): State<Arc<MockState>>) -> StatusCode {
    lock(&state.script).clear();
    lock(&state.log).clear();
    lock(&state.received).clear();
    lock(&state.receiver_script).clear();
    StatusCode::NO_CONTENT
}
