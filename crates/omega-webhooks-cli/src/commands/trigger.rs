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
    let mut overrides = Vec::new();
    if let Some(status) = &args.video_status {
        overrides.push(("data.video.status".to_owned(), Value::from(status.as_str())));
    }
    for assignment in &args.set {
        overrides.push(assignment_of(assignment)?);
    }
    let body = omega_webhooks_mock::synthetic_body(&args.event_type, created, seed, &overrides)
        .map_err(|e| CommandError::usage(format!("--set: {e}")))?;
    let event = parse_event(&body)?;
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

/// `PATH=VALUE` as a path and a value: JSON, or else plain text.
fn assignment_of(assignment: &str) -> Result<(String, Value), CommandError> {
    let (path, raw) = assignment
        .split_once('=')
        .ok_or_else(|| CommandError::usage(format!("--set {assignment:?}: expected PATH=VALUE")))?;
    let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::from(raw));
    Ok((path.to_owned(), value))
}
