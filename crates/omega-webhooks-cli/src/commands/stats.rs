//! `events stats` and `events report`: the delivery health of a window, as a table, JSON, or
//! one HTML page.

use std::path::PathBuf;

use omega_webhooks_client::{BucketWidth, Client, Concurrency, DeliveryStats, EventFilter};

use crate::{command_error::CommandError, render, report, stats_page, stats_table};

/// What `events stats` and `events report` compute.
pub(crate) struct StatsRequest {
    pub(crate) endpoint_id: String,
    pub(crate) filter: EventFilter,
    pub(crate) by: BucketWidth,
    pub(crate) concurrency: Concurrency,
}

/// How `events stats` prints, and when it fails.
pub(crate) struct StatsOutput {
    pub(crate) json: bool,
    pub(crate) check_rate: Option<f64>,
}

/// `events stats`: the table (or `--json`), then the unreadable events; `--check-rate` exits 1
/// when the window's failure rate is above it.
pub(crate) async fn stats(
    client: &Client,
    request: StatsRequest,
    output: StatsOutput,
) -> Result<(), CommandError> {
    let (stats, errors) = compute(client, &request).await?;
    if output.json {
        render::json(&stats)?;
    } else {
        stats_table::print(&stats);
    }
    report::unreadable(&errors)?;
    match output.check_rate {
        Some(limit) if stats.totals.failure_rate > limit => Err(CommandError::found(
            "FailureRateExceeded",
            format!(
                "failure rate {} is above {} ({} of {} deliveries failed or have no answer)",
                render::percent(stats.totals.failure_rate),
                render::percent(limit),
                stats.totals.failed + stats.totals.unknown,
                stats.totals.events
            ),
        )),
        _ => Ok(()),
    }
}

/// `events report`: writes the page to `html` and says where.
pub(crate) async fn report(
    client: &Client,
    request: StatsRequest,
    html: PathBuf,
) -> Result<(), CommandError> {
    let (stats, errors) = compute(client, &request).await?;
    let page = stats_page::render(&stats, std::time::SystemTime::now().into());
    std::fs::write(&html, page)
        .map_err(|e| CommandError::usage(format!("cannot write {}: {e}", html.display())))?;
    anstream::println!(
        "wrote {} ({} of {})",
        html.display(),
        render::count(stats.totals.events as usize, "event", "events"),
        request.endpoint_id
    );
    report::unreadable(&errors)
}

/// The stats, with a progress bar while the details load.
async fn compute(
    client: &Client,
    request: &StatsRequest,
) -> Result<(DeliveryStats, Vec<(String, omega_webhooks_client::Error)>), CommandError> {
    let progress = report::Progress::new("fetching details");
    let computed = client
        .delivery_stats(
            &request.endpoint_id,
            &request.filter,
            request.by,
            request.concurrency,
            |done, total| progress.set(done, total),
        )
        .await;
    progress.finish();
    let computed = computed?;
    Ok((computed.stats, computed.errors))
}
