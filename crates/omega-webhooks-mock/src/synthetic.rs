//! [`synthetic_body`]: what `omega-webhooks trigger` POSTs and the test helpers of the Python
//! and Node packages return — a realistic event of a type, with values overridden by path.

use serde_json::Value;

use crate::synthetic_event;

/// Why a synthetic body could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticError(pub String);

impl std::fmt::Display for SyntheticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SyntheticError {}

/// The body Omega would POST for a realistic event of `event_type` (known or not), created at
/// `created`, its other values drawn from `seed`, with no answer yet (`response` null), and
/// each `(path, value)` of `overrides` set: a dotted path of object keys (`data.video.title`),
/// created where missing. The result must still be an event: an override of the wrong type
/// (`created` as text) is an error naming the decoder's path.
pub fn synthetic_body(
    event_type: &str,
    created: i64,
    seed: u64,
    overrides: &[(String, Value)],
) -> Result<Vec<u8>, SyntheticError> {
    let mut event = synthetic_event(event_type, created, seed);
    event["response"] = Value::Null;
    for (path, value) in overrides {
        set(&mut event, path, value.clone())?;
    }
    let body = serde_json::to_vec(&event)
        .map_err(|e| SyntheticError(format!("cannot serialize the event: {e}")))?;
    omega_webhooks_types::parse_event(&body)
        .map_err(|e| SyntheticError(format!("the event is no longer valid: {e}")))?;
    Ok(body)
}

/// Sets `value` at `path` (dotted object keys).
fn set(event: &mut Value, path: &str, value: Value) -> Result<(), SyntheticError> {
    let mut target = event;
    for key in path.split('.') {
        let object = target
            .as_object_mut()
            .ok_or_else(|| SyntheticError(format!("{path}: `{key}` is not inside an object")))?;
        target = object.entry(key).or_insert(Value::Null);
    }
    *target = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_set_paths_and_must_keep_an_event() {
        let title = [("data.video.title".to_owned(), Value::from("Demo"))];
        let body = synthetic_body("video.uploaded", 1_700_000_000, 7, &title).expect("body");
        let event: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(event["data"]["video"]["title"], "Demo");
        assert!(event["response"].is_null());
        assert_eq!(
            synthetic_body("video.uploaded", 1_700_000_000, 7, &title).ok(),
            Some(body)
        );
        let wrong = [("created".to_owned(), Value::from("yesterday"))];
        let error = synthetic_body("video.uploaded", 1, 7, &wrong).expect_err("refused");
        assert!(
            error.0.starts_with("the event is no longer valid"),
            "{error}"
        );
        let inside = [("id.x".to_owned(), Value::from(1))];
        assert!(synthetic_body("video.uploaded", 1, 7, &inside).is_err());
    }
}
