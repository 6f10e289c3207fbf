//! The data the mock serves: the API docs' examples (from `fixtures/`) and generated events.

use std::collections::HashMap;

use bytes::Bytes;
use serde_json::{json, Value};

use crate::{
    generate::{self, GENERATED_ENDPOINT},
    precompressed::ListBody,
};

/// The endpoints that always exist: the two of the API documentation's examples.
pub const BUILTIN_ENDPOINTS: [&str; 2] = ["6336cd2b5790c27875f70d96", "6307b4d6570090479813a762"];

/// The list example of the API docs, as it arrives on the wire (`ocid` spelling included): the
/// crate's copy of `fixtures/lists/wire/list-example.json`, kept equal by codegen `--check`.
const LIST_EXAMPLE: &str = include_str!("../data/list-example.json");
/// The details example of the API docs (the copy of `fixtures/events/wire/details-example.json`).
const DETAILS_EXAMPLE: &str = include_str!("../data/details-example.json");

/// Response bodies by endpoint and event.
pub(crate) struct MockData {
    lists: HashMap<String, ListBody>,
    details: HashMap<(String, String), Bytes>,
    generated: usize,
    seed: u64,
}

impl MockData {
    /// The built-in data plus `generated` events made from `seed`.
    pub(crate) fn new(generated: usize, seed: u64) -> Self {
        let mut data = MockData {
            lists: HashMap::new(),
            details: HashMap::new(),
            generated,
            seed,
        };
        let list: Vec<Value> =
            serde_json::from_str(LIST_EXAMPLE).expect("built-in fixture is JSON");
        let details: Value =
            serde_json::from_str(DETAILS_EXAMPLE).expect("built-in fixture is JSON");

        // Endpoint 1: the list example verbatim; each of its events in full, built from the
        // details example with the listed event's own id, type and times.
        data.lists.insert(
            BUILTIN_ENDPOINTS[0].to_owned(),
            ListBody::new(Bytes::from_static(LIST_EXAMPLE.as_bytes())),
        );
        for summary in &list {
            let mut full = details.clone();
            for key in ["id", "api_version", "created", "type", "endpoint_id"] {
                full[key] = summary[key].clone();
            }
            full["coid"] = summary["ocid"].clone();
            full["created_at"] = json!(chrono::DateTime::from_timestamp(
                summary["created"].as_i64().unwrap_or_default(),
                0
            )
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));
            data.insert_details(&full);
        }

        // Endpoint 2: the details example, and a list holding its summary.
        let mut summary = details.clone();
        summary["data"] = Value::Null;
        summary["response"] = Value::Null;
        summary["created_at"] = json!("0001-01-01T00:00:00Z");
        data.lists.insert(
            BUILTIN_ENDPOINTS[1].to_owned(),
            ListBody::new(to_bytes(&json!([summary]))),
        );
        data.details.insert(
            (
                BUILTIN_ENDPOINTS[1].to_owned(),
                details["id"].as_str().unwrap_or_default().to_owned(),
            ),
            Bytes::from_static(DETAILS_EXAMPLE.as_bytes()),
        );

        if generated > 0 {
            data.list_generated();
        }
        data
    }

    /// The generated endpoint's list body, for the current count.
    fn list_generated(&mut self) {
        let list: Vec<Value> = (0..self.generated).map(generate::event_summary).collect();
        self.lists.insert(
            GENERATED_ENDPOINT.to_owned(),
            ListBody::new(to_bytes(&list)),
        );
    }

    /// Adds the next generated event (the endpoint appears with the first); returns its id.
    pub(crate) fn append_generated(&mut self) -> String {
        self.generated += 1;
        self.list_generated();
        generate::event_id(self.generated - 1)
    }

    fn insert_details(&mut self, event: &Value) {
        let key = |k: &str| event[k].as_str().unwrap_or_default().to_owned();
        self.details
            .insert((key("endpoint_id"), key("id")), to_bytes(event));
    }

    /// The list body of an endpoint.
    pub(crate) fn list(&self, endpoint_id: &str) -> Option<&ListBody> {
        self.lists.get(endpoint_id)
    }

    /// The details body of an event; generated ones are made on demand.
    pub(crate) fn details(&self, endpoint_id: &str, event_id: &str) -> Option<Bytes> {
        if endpoint_id == GENERATED_ENDPOINT {
            let index = generate::event_index(event_id, self.generated)?;
            return Some(to_bytes(&generate::event_details(self.seed, index)));
        }
        self.details
            .get(&(endpoint_id.to_owned(), event_id.to_owned()))
            .cloned()
    }

    /// Whether the endpoint exists.
    pub(crate) fn has_endpoint(&self, endpoint_id: &str) -> bool {
        self.lists.contains_key(endpoint_id)
    }
}

fn to_bytes(value: &impl serde::Serialize) -> Bytes {
    Bytes::from(serde_json::to_vec(value).expect("JSON values serialize"))
}
