//! `events stats` and `events report` end to end on the embedded mock's week of deliveries:
//! the table, `--json` (valid against its published schema's shape), `--check-rate` exit codes,
//! usage errors, and a page that loads nothing.

mod common;

use common::{cli, code_and_stderr, root};
use serde_json::Value;

const GENERATED: &str = "650000000000000000000001";

/// The standard output of `omega-webhooks --mock events ARGS`, which must succeed.
fn events(args: &[&str]) -> String {
    let out = cli()
        .args(["--mock", "events"])
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `events stats GENERATED ARGS --json`, parsed.
fn stats_json(args: &[&str]) -> Value {
    let stats = [&["stats", GENERATED][..], args, &["--json"]].concat();
    serde_json::from_str(&events(&stats)).expect("one JSON object")
}

#[test]
fn the_table_shows_days_types_and_the_outage() {
    let text = events(&["stats", GENERATED]);
    for expected in [
        "DAY (UTC)",
        "2023-11-18",
        "video.process_failed",
        "FIRST SEEN",
        "503",
        "# Service Temporarily Unavailable",
        "handler failed: TimeoutError (event #)",
        "2016 events:",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    let text = events(&[
        "stats",
        GENERATED,
        "--by",
        "hour",
        "--since",
        "2023-11-18T00:00:00Z",
        "--until",
        "2023-11-18T05:59:59Z",
    ]);
    assert!(
        text.contains("HOUR (UTC)") && text.contains("2023-11-18 03:00"),
        "{text}"
    );
}

#[test]
fn json_is_the_whole_structure_and_adds_up() {
    let stats = stats_json(&[]);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/delivery-stats.schema.json"))
            .expect("schema"),
    )
    .expect("JSON");
    let required = schema["required"].as_array().expect("required");
    for key in required {
        assert!(
            stats.get(key.as_str().expect("name")).is_some(),
            "{key} missing"
        );
    }
    let totals = &stats["totals"];
    assert_eq!(totals["events"], 2016);
    let buckets = stats["buckets"].as_array().expect("buckets");
    let events: u64 = buckets
        .iter()
        .map(|b| b["events"].as_u64().expect("n"))
        .sum();
    assert_eq!(events, 2016);
    let grouped: u64 = stats["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["count"].as_u64().expect("n"))
        .sum();
    assert_eq!(
        grouped,
        totals["failed"].as_u64().expect("n") + totals["unknown"].as_u64().expect("n")
    );
    assert_eq!(stats["by"], "day");
    assert_eq!(stats["since"], Value::Null);

    let filtered = stats_json(&["--type", "video.deleted", "--by", "hour"]);
    assert_eq!(
        filtered["filter_types"],
        serde_json::json!(["video.deleted"])
    );
    assert_eq!(filtered["types"].as_array().expect("types").len(), 1);
    assert_eq!(filtered["by"], "hour");
}

#[test]
fn check_rate_sets_the_exit_code() {
    let rate = stats_json(&[])["totals"]["failure_rate"]
        .as_f64()
        .expect("rate");
    assert!(rate > 0.3 && rate < 0.4, "{rate}");
    let (code, stderr) = code_and_stderr(cli().args([
        "--mock",
        "events",
        "stats",
        GENERATED,
        "--check-rate",
        "0.05",
    ]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("FailureRateExceeded") && stderr.contains("is above 5.0%"),
        "{stderr}"
    );
    let (code, stderr) = code_and_stderr(cli().args([
        "--mock",
        "events",
        "stats",
        GENERATED,
        "--check-rate",
        "0.5",
        "--json",
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _) = code_and_stderr(cli().args([
        "--mock",
        "events",
        "stats",
        GENERATED,
        "--type",
        "video.uploaded",
        "--until",
        "2023-11-14T22:13:20Z",
        "--check-rate",
        "0",
    ]));
    assert_eq!(
        code,
        Some(0),
        "event 0 was delivered: a rate of 0 is not above 0"
    );
}

#[test]
fn bad_width_rate_or_window_is_a_usage_error() {
    for args in [
        &["--by", "week"][..],
        &["--check-rate", "1.5"],
        &["--check-rate", "-0.1"],
        &["--check-rate", "five"],
        &["--check-rate", "NaN"],
        &["--concurrency", "0"],
        &["--since", "yesterday"],
    ] {
        let (code, stderr) = code_and_stderr(
            cli()
                .args(["--mock", "events", "stats", GENERATED])
                .args(args),
        );
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
    }
    let (code, stderr) =
        code_and_stderr(cli().args(["--mock", "events", "stats", GENERATED, "--by", "week"]));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("use hour or day"), "{stderr}");
    let (code, _) = code_and_stderr(cli().args(["--mock", "events", "report", GENERATED]));
    assert_eq!(code, Some(2), "report needs --html");
}

#[test]
fn report_writes_one_page_that_loads_nothing() {
    let dir = std::env::temp_dir().join(format!("omega-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("report.html");
    let html = path.to_str().expect("a UTF-8 temporary path");
    assert!(events(&["report", GENERATED, "--html", html]).starts_with("wrote "));
    let page = std::fs::read_to_string(&path).expect("page");
    assert!(page.starts_with("<!doctype html>") && page.trim_end().ends_with("</html>"));
    for absent in ["src=", "href=", "url(", "@import", "<script", "<link"] {
        assert!(
            !page.contains(absent),
            "the page must load nothing: {absent}"
        );
    }
    for present in [
        "<svg id=\"outcomes\"",
        "<svg id=\"rate\"",
        "id=\"groups\"",
        "prefers-color-scheme: dark",
        "Service Temporarily Unavailable",
    ] {
        assert!(page.contains(present), "{present} missing");
    }
    let (code, stderr) = code_and_stderr(
        cli()
            .args(["--mock", "events", "report", GENERATED, "--html"])
            .arg(dir.join("missing-dir/report.html")),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}
