//! The HTTP routes: the two API calls (also under `/company`) and the `/__mock` admin API.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex, MutexGuard},
};

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::json;

use crate::{
    data::MockData,
    script::{self, RecordedRequest, ScriptStep},
    MockConfig,
};

/// Everything the handlers share.
pub(crate) struct MockState {
    api_key: String,
    data: MockData,
    script: Mutex<VecDeque<ScriptStep>>,
    log: Mutex<Vec<RecordedRequest>>,
    connections: Mutex<Vec<ConnectionRecord>>,
}

/// A TCP connection the mock accepted, and whether it has been closed since.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct ConnectionRecord {
    id: u64,
    closed: bool,
}

impl MockState {
    pub(crate) fn new(config: &MockConfig) -> Self {
        MockState {
            api_key: config.api_key.clone(),
            data: MockData::new(config.events, config.seed),
            script: Mutex::new(VecDeque::new()),
            log: Mutex::new(Vec::new()),
            connections: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn connection_opened(&self, id: u64) {
        lock(&self.connections).push(ConnectionRecord { id, closed: false });
    }

    pub(crate) fn connection_closed(&self, id: u64) {
        if let Some(record) = lock(&self.connections).iter_mut().find(|c| c.id == id) {
            record.closed = true;
        }
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        lock(&self.log).push(request);
    }

    pub(crate) fn next_step(&self) -> Option<ScriptStep> {
        lock(&self.script).pop_front()
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The whole application.
pub(crate) fn router(state: Arc<MockState>) -> Router {
    let calls = Router::new()
        .route("/client/webhooks/{id}", get(list_events))
        .route("/client/webhooks/{id}/events/{eid}", get(get_event));
    let api = Router::new()
        .merge(calls.clone())
        .nest("/company", calls)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            script::middleware,
        ));
    Router::new()
        .route("/__mock/script", post(set_script))
        .route("/__mock/requests", get(requests))
        .route("/__mock/reset", post(reset))
        .route("/__mock/connections", get(connections))
        .merge(api)
        .with_state(state)
}

async fn list_events(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(denied) = unauthorized(&state, &headers) {
        return denied;
    }
    match state.data.list(&id) {
        Some(body) => json_body(body),
        None => message(StatusCode::NOT_FOUND, "webhook endpoint not found"),
    }
}

async fn get_event(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    Path((id, eid)): Path<(String, String)>,
) -> Response {
    if let Some(denied) = unauthorized(&state, &headers) {
        return denied;
    }
    if !state.data.has_endpoint(&id) {
        return message(StatusCode::NOT_FOUND, "webhook endpoint not found");
    }
    match state.data.details(&id, &eid) {
        Some(body) => json_body(body),
        None => message(StatusCode::NOT_FOUND, "webhook event not found"),
    }
}

async fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "not found")
}

/// The 401 answer, unless the request carries `Authorization: Bearer <key>`.
fn unauthorized(state: &MockState, headers: &HeaderMap) -> Option<Response> {
    let expected = format!("Bearer {}", state.api_key);
    match headers.get(header::AUTHORIZATION) {
        Some(value) if value.as_bytes() == expected.as_bytes() => None,
        Some(_) => Some(message(StatusCode::UNAUTHORIZED, "invalid api key")),
        None => Some(message(StatusCode::UNAUTHORIZED, "missing api key")),
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

async fn reset(State(state): State<Arc<MockState>>) -> StatusCode {
    lock(&state.script).clear();
    lock(&state.log).clear();
    StatusCode::NO_CONTENT
}
