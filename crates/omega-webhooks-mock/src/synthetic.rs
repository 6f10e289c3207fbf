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

/// [`synthetic_body`] for the test helpers of the Python and Node packages (`event_body`,
/// `eventBody`), whose `overrides` are `(path, JSON text)`: with a `seed`, the same bytes every
/// time (the event is created at a time the seed picks, in November 2023 or later); without
/// one, created now and seeded by the clock, as `omega-webhooks trigger` does.
pub fn test_body(
    event_type: &str,
    seed: Option<u64>,
    overrides: &[(String, String)],
) -> Result<Vec<u8>, SyntheticError> {
    let overrides = overrides
        .iter()
        .map(|(path, json)| {
            serde_json::from_str(json)
                .map(|value| (path.clone(), value))
                .map_err(|e| SyntheticError(format!("{path}: not JSON: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (created, seed) = match seed {
        Some(seed) => (SEEDED_EPOCH + (seed % SEEDED_SPAN) as i64, seed),
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            (i64::try_from(now).unwrap_or(i64::MAX), now)
        }
    };
    synthetic_body(event_type, created, seed, &overrides)
}

/// The first creation time of a seeded test body (2023-11-14, as the generated events).
const SEEDED_EPOCH: i64 = 1_700_000_000;
/// The range of seeded creation times (about three years).
const SEEDED_SPAN: u64 = 100_000_000;

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
        let seeded = test_body("video.deleted", Some(3), &[]).expect("body");
        assert_eq!(test_body("video.deleted", Some(3), &[]).ok(), Some(seeded));
        assert_ne!(
            test_body("video.deleted", Some(4), &[]).ok(),
            test_body("video.deleted", Some(3), &[]).ok()
        );
        let inside = [("id.x".to_owned(), Value::from(1))];
        assert!(synthetic_body("video.uploaded", 1, 7, &inside).is_err());
    }
}
