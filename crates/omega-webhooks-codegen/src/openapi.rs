//! `schemas/openapi.json`: OpenAPI 3.1 for the two calls, with the models as components.

use omega_webhooks_types::{Event, SchemaView};
use serde_json::{json, Value};

use crate::GENERATED_NOTICE;

/// The production base URL (every path is relative to it).
const SERVER_URL: &str = "https://api.omegastream.net/company";

/// The OpenAPI document, describing the SDK at `version` (the workspace's).
pub(crate) fn document(version: &str) -> Value {
    let mut components = model_schemas();
    components.insert(
        "EventList".to_owned(),
        json!({
            "description": "The events delivered to one webhook endpoint; `data` and `response` are null in this list.",
            "type": "array",
            "items": { "$ref": "#/components/schemas/Event" }
        }),
    );
    components.insert(
        "ErrorBody".to_owned(),
        json!({
            "description": "An error answer. Not documented by the provider: usually a JSON object with a `message` (or `error`) string, sometimes plain text or HTML.",
            "type": "object",
            "properties": {
                "message": { "type": "string" },
                "error": { "type": "string" }
            }
        }),
    );
    json!({
        "openapi": "3.1.0",
        "x-generated": GENERATED_NOTICE,
        "info": {
            "title": "Omega Stream webhook events API",
            "version": version,
            "description": "The two calls that read the webhook events Omega Stream delivered to a customer's endpoints, as implemented by the omega-webhooks SDK. Every request carries `Authorization: Bearer <api_key>`; the provider also asks for `Content-Type: application/json`, even on GET (the SDK sends it; it is not modelled as a parameter, which OpenAPI ignores for that header).",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" },
            "contact": { "name": "omega-webhooks maintainers (placeholder: the project publishes no contact yet)" }
        },
        "tags": [{ "name": "events", "description": "Webhook events delivered to an endpoint." }],
        "servers": [{ "url": SERVER_URL }],
        "security": [{ "bearerAuth": [] }],
        "paths": {
            "/client/webhooks/{id}": {
                "get": {
                    "operationId": "listEvents",
                    "summary": "List the events delivered to a webhook endpoint",
                    "description": "`data` and `response` are null in this list to keep it small; `created_at` is the zero time. Use getEvent for the full event.",
                    "tags": ["events"],
                    "parameters": [{ "$ref": "#/components/parameters/EndpointId" }],
                    "responses": responses("#/components/schemas/EventList", "The endpoint's events.")
                }
            },
            "/client/webhooks/{id}/events/{eid}": {
                "get": {
                    "operationId": "getEvent",
                    "summary": "View one event's details",
                    "description": "The full event: `data` holds the video and `response` the endpoint's answer to the webhook POST.",
                    "tags": ["events"],
                    "parameters": [
                        { "$ref": "#/components/parameters/EndpointId" },
                        {
                            "name": "eid",
                            "in": "path",
                            "required": true,
                            "description": "Event id.",
                            "schema": { "$ref": "#/components/schemas/Id" },
                            "example": "63377e715790c27875f70dbd"
                        }
                    ],
                    "responses": responses("#/components/schemas/Event", "The event, with `data` and `response` filled in.")
                }
            }
        },
        "components": {
            "schemas": Value::Object(with_id_schema(components)),
            "parameters": {
                "EndpointId": {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "Webhook endpoint document id, e.g. `6336cd2b5790c27875f70d96`.",
                    "schema": { "$ref": "#/components/schemas/Id" },
                    "example": "6336cd2b5790c27875f70d96"
                }
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "`Authorization: Bearer <api_key>`."
                }
            }
        }
    })
}

/// The model schemas in the API view (one plain object per model, every wire body valid),
/// with references pointing into `#/components/schemas`.
fn model_schemas() -> serde_json::Map<String, Value> {
    let mut generator = SchemaView::Api
        .settings()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    generator.subschema_for::<Event>();
    generator.take_definitions(true)
}

/// Adds the `Id` schema: what the SDK accepts as an endpoint or event id.
fn with_id_schema(mut schemas: serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {
    schemas.insert(
        "Id".to_owned(),
        json!({
            "description": "A document id: 1 to 256 of `A-Z a-z 0-9 - . _ ~`, not `.` or `..`. The provider's ids are 24 lowercase hex characters.",
            "type": "string",
            "pattern": "^[A-Za-z0-9._~-]{1,256}$",
            "not": { "enum": [".", ".."] }
        }),
    );
    schemas
}

/// The responses of a call whose 200 body is `ok_schema`.
fn responses(ok_schema: &str, ok_description: &str) -> Value {
    let error = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } }
        })
    };
    json!({
        "200": {
            "description": ok_description,
            "content": { "application/json": { "schema": { "$ref": ok_schema } } }
        },
        "401": error("Missing or wrong API key."),
        "403": error("The key may not read this endpoint."),
        "404": error("No such endpoint or event."),
        "429": error("Too many requests; retry after the `Retry-After` header's delay."),
        "500": error("Server error; safe to retry."),
        "default": error("Any other error.")
    })
}
