//! `schemas/openapi.json`: OpenAPI 3.1 for the two calls, with the models as components.

use omega_webhooks_types::{Event, SchemaView};
use serde_json::{json, Value};

use crate::GENERATED_NOTICE;

/// The production base URL (every path is relative to it).
const SERVER_URL: &str = "https://api.omegastream.net/company";

/// The provider's documented bodies of the two calls, the operations' examples (what a mock
/// server such as Prism's static mode answers with).
pub(crate) struct Examples {
    /// The list call's documented body.
    pub(crate) list: Value,
    /// The details call's documented body.
    pub(crate) details: Value,
}

/// The OpenAPI document, describing the SDK at `version` (the workspace's).
pub(crate) fn document(version: &str, examples: Examples) -> Value {
    let mut components = model_schemas();
    let listed = components.get("Event").map(listed_event);
    components.insert("ListedEvent".to_owned(), listed.unwrap_or_default());
    components.insert(
        "EventList".to_owned(),
        json!({
            "description": "The events delivered to one webhook endpoint; `data` and `response` are null in this list.",
            "type": "array",
            "items": { "$ref": "#/components/schemas/ListedEvent" }
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
                    "responses": responses("#/components/schemas/EventList", "The endpoint's events.", examples.list)
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
                    "responses": responses("#/components/schemas/Event", "The event, with `data` and `response` filled in.", examples.details)
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

/// `Event` as the list call sends it: `ocid` in place of `coid`. A list item with `coid`
/// still validates (unknown fields are allowed), untyped.
fn listed_event(event: &Value) -> Value {
    let mut listed = event.clone();
    if let Some(properties) = listed.get_mut("properties").and_then(Value::as_object_mut) {
        if let Some(mut coid) = properties.remove("coid") {
            coid["description"] =
                json!("The company's id (`coid` in the details call, `ocid` in the list).");
            properties.insert("ocid".to_owned(), coid);
        }
    }
    listed["description"] = json!("An event as the list call sends it: the company's id as `ocid`, `data` and `response` null, `created_at` the zero time.");
    listed
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

/// The responses of a call whose 200 body is `ok_schema`, with `ok_example` (the provider's
/// documented body) as its example; the errors' examples have the documented error shape.
fn responses(ok_schema: &str, ok_description: &str, ok_example: Value) -> Value {
    let body = |schema: &str, summary: &str, value: Value| {
        json!({
            "application/json": {
                "schema": { "$ref": schema },
                "examples": { "documented": { "summary": summary, "value": value } }
            }
        })
    };
    let error = |description: &str, message: &str| {
        json!({
            "description": description,
            "content": body(
                "#/components/schemas/ErrorBody",
                "An error body in the shape the provider documents.",
                json!({ "message": message }),
            )
        })
    };
    json!({
        "200": {
            "description": ok_description,
            "content": body(ok_schema, "The provider's documented example.", ok_example)
        },
        "401": error("Missing or wrong API key.", "invalid api key"),
        "403": error("The key may not read this endpoint.", "forbidden"),
        "404": error("No such endpoint or event.", "webhook event not found"),
        "429": error("Too many requests; retry after the `Retry-After` header's delay.", "too many requests"),
        "500": error("Server error; safe to retry.", "internal server error"),
        "default": error("Any other error.", "webhook endpoint deleted")
    })
}
