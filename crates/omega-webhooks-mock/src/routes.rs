//! The HTTP routes: the two API calls (also under `/company`) and the `/__mock` admin API.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, Request, State},
    http::{header, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::json;

use crate::{
    script::{self, RecordedRequest, ScriptStep},
    state::{lock, ConnectionRecord, MockState},
};

/// The whole application.
pub(crate) fn router(state: Arc<MockState>) -> Router {
    let calls = Router::new()
        .route("/client/webhooks/{id}", get(list_events))
        .route("/client/webhooks/{id}/events/{eid}", get(get_event))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_key));
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

async fn list_events(State(state): State<Arc<MockState>>, Path(id): Path<String>) -> Response {
    match state.data.list(&id) {
        Some(body) => json_body(body),
        None => message(StatusCode::NOT_FOUND, "webhook endpoint not found"),
    }
}

async fn get_event(
    State(state): State<Arc<MockState>>,
    Path((id, eid)): Path<(String, String)>,
) -> Response {
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

async fn reset(State(state): State<Arc<MockState>>) -> StatusCode {
    lock(&state.script).clear();
    lock(&state.log).clear();
    StatusCode::NO_CONTENT
}
