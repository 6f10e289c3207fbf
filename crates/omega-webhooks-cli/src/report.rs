//! `events failures` on a terminal: the failed deliveries, a summary by receiver status and
//! event type, the events that could not be read, and a progress bar while details load.

use std::collections::BTreeMap;

use indicatif::{ProgressBar, ProgressStyle};
use omega_webhooks_client::{Error, Event, ReplayResult};

use crate::{command_error::CommandError, render};

/// The failed deliveries (`checked` events were looked at): a table, then the summary.
pub(crate) fn failures(events: &[Event], checked: usize) {
    let rows: Vec<[String; 5]> = events
        .iter()
        .map(|e| {
            let (status, body) = e.response.as_ref().map_or_else(
                || ("no answer".to_owned(), String::new()),
                |r| {
                    let first = r.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                    (r.status.clone(), first.chars().take(60).collect())
                },
            );
            [
                e.id.clone(),
                e.event_type.to_string(),
                render::unix_time(e.created),
                status,
                body,
            ]
        })
        .collect();
    if rows.is_empty() {
        anstream::println!("no failed deliveries among {checked} checked");
        return;
    }
    render::table(["ID", "TYPE", "CREATED", "RECEIVER", "BODY"], &rows);
    anstream::println!(
        "{} failed or unanswered of {} checked",
        render::count(events.len(), "delivery", "deliveries"),
        checked
    );
    let mut groups: BTreeMap<(String, String), usize> = BTreeMap::new();
    for event in events {
        let status = event
            .response
            .as_ref()
            .map_or_else(|| "no answer".to_owned(), |r| r.status_code.to_string());
        *groups
            .entry((status, event.event_type.to_string()))
            .or_default() += 1;
    }
    for ((status, kind), n) in groups {
        anstream::println!("  {n:>5}  {status:<10} {kind}");
    }
}

/// One stderr line per event whose details failed; an error (exit 1) if there is any.
pub(crate) fn unreadable(errors: &[(String, Error)]) -> Result<(), CommandError> {
    for (id, error) in errors {
        anstream::eprintln!("error: {}: event {id}: {error}", error.kind());
    }
    match errors.first() {
        None => Ok(()),
        Some(_) => Err(CommandError::found(
            "UnreadableEvents",
            format!(
                "the details of {} could not be read",
                render::count(errors.len(), "event", "events")
            ),
        )),
    }
}

/// One line for a replayed event: id, type, the receiver's status and the time it took.
pub(crate) fn replayed(event: &Event, answer: &ReplayResult) {
    anstream::println!(
        "{}  {}  {}  {} ms",
        event.id,
        event.event_type,
        answer.status,
        answer.elapsed.as_millis()
    );
}

/// A progress bar on stderr, drawn only on a terminal.
pub(crate) struct Progress(ProgressBar);

impl Progress {
    /// A bar labelled `what`, with no length yet.
    pub(crate) fn new(what: &'static str) -> Progress {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(what);
        Progress(bar)
    }

    /// `done` of `total`.
    pub(crate) fn set(&self, done: usize, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(done as u64);
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}
