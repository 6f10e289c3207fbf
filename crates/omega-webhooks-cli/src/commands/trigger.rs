//! `trigger TYPE`: a realistic synthetic event (the mock's generator), with overrides, sent to
//! a receiver or printed.

use std::time::{SystemTime, UNIX_EPOCH};

use omega_webhooks_client::{parse_event, Replayer};
use serde_json::Value;

use crate::{cli::TriggerArgs, command_error::CommandError, render, report};

pub(crate) async fn run(args: TriggerArgs) -> Result<(), CommandError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let created = i64::try_from(now).unwrap_or(i64::MAX);
    let seed = args.seed.unwrap_or(now);
    let mut event = omega_webhooks_mock::synthetic_event(&args.event_type, created, seed);
    // What Omega POSTs carries no answer yet.
    event["response"] = Value::Null;
    if let Some(status) = &args.video_status {
        event["data"]["video"]["status"] = Value::from(status.as_str());
    }
    for assignment in &args.set {
        set(&mut event, assignment)?;
    }
    let body = serde_json::to_vec(&event)
        .map_err(|e| CommandError::internal(format!("cannot serialize the event: {e}")))?;
    let event = parse_event(&body)
        .map_err(|e| CommandError::usage(format!("the event is no longer valid: {e}")))?;
    let Some(url) = &args.to else {
        return render::json(&event);
    };
    let replayer = Replayer::new(url, args.allow_insecure_http)?;
    let answer = replayer.send(&event).await?;
    report::replayed(&event, &answer);
    if !answer.is_success() {
        return Err(CommandError::found(
            "ReplayFailed",
            format!("{} answered {}", replayer.url(), answer.status),
        ));
    }
    Ok(())
}

/// Applies `path=value`: a dotted path of object keys, a JSON value or else plain text.
fn set(event: &mut Value, assignment: &str) -> Result<(), CommandError> {
    let (path, raw) = assignment
        .split_once('=')
        .ok_or_else(|| CommandError::usage(format!("--set {assignment:?}: expected PATH=VALUE")))?;
    let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::from(raw));
    let mut target = event;
    for key in path.split('.') {
        let object = target.as_object_mut().ok_or_else(|| {
            CommandError::usage(format!("--set {path}: `{key}` is not inside an object"))
        })?;
        target = object.entry(key).or_insert(Value::Null);
    }
    *target = value;
    Ok(())
}
