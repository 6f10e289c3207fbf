//! The delivery-operation commands end to end: `events list` filters, `events failures`,
//! `events replay` (against the mock's capture receiver).

mod common;

use common::{admin, cli, code_and_stderr, MockProcess};
use serde_json::Value;

const GENERATED: &str = "650000000000000000000001";

/// Each stdout line as JSON (fails the test on a line that is not).
fn jsonl(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn list_filters_limits_and_writes_jsonl() {
    let out = cli()
        .args([
            "--mock",
            "events",
            "list",
            GENERATED,
            "--type",
            "video.deleted",
            "--jsonl",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let events = jsonl(&out.stdout);
    assert!(!events.is_empty() && events.iter().all(|e| e["type"] == "video.deleted"));

    let out = cli()
        .args([
            "--mock",
            "events",
            "list",
            GENERATED,
            "--since",
            "2023-11-14T22:20:00Z",
            "--limit",
            "3",
            "--json",
        ])
        .output()
        .expect("runs");
    let events: Vec<Value> = serde_json::from_slice(&out.stdout).expect("array");
    assert_eq!(events.len(), 3);
    assert!(events
        .iter()
        .all(|e| e["created"].as_i64() >= Some(1_700_000_400)));

    let (code, stderr) = code_and_stderr(cli().args([
        "--mock",
        "events",
        "list",
        GENERATED,
        "--since",
        "yesterday",
    ]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("ConfigurationError") && stderr.contains("30m, 24h or 7d"),
        "{stderr}"
    );
    let (code, _) =
        code_and_stderr(cli().args(["--mock", "events", "list", GENERATED, "--json", "--jsonl"]));
    assert_eq!(code, Some(2), "--json and --jsonl conflict");
}

#[test]
fn failures_list_the_failed_deliveries_and_check_sets_the_exit_code() {
    let out = cli()
        .args(["--mock", "events", "failures", GENERATED])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "RECEIVER",
        "500 Internal Server Error",
        "no answer",
        "failed or unanswered of 25 checked",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }

    let out = cli()
        .args([
            "--mock", "events", "failures", GENERATED, "--jsonl", "--check",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "--check with failures exits 1");
    let failed = jsonl(&out.stdout);
    assert!(!failed.is_empty());
    for event in &failed {
        let status = event["response"]["status_code"].as_u64();
        assert!(status.is_none_or(|s| !(200..300).contains(&s)), "{event}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: FailedDeliveries: "));

    let (code, stderr) = code_and_stderr(cli().args([
        "--mock",
        "events",
        "failures",
        "6336cd2b5790c27875f70d96",
        "--check",
    ]));
    assert_eq!(code, Some(0), "no failures: exit 0 ({stderr})");
}

#[test]
fn replay_posts_to_the_receiver_without_the_key_and_fails_on_a_refusal() {
    let mock = MockProcess::start(&["--events", "20", "--api-key", "sk_replay_s3cret"]);
    let receiver = format!("{}/__receiver/hooks", mock.url);
    let run = |extra: &[&str]| {
        let mut cmd = cli();
        cmd.args([
            "--api-key",
            "sk_replay_s3cret",
            "--base-url",
            &mock.url,
            "events",
            "replay",
            GENERATED,
        ]);
        cmd.args(extra);
        cmd.output().expect("runs")
    };
    let received = || -> Vec<Value> {
        serde_json::from_str(&admin(&mock.url, "GET", "/__mock/received", "")).expect("JSON")
    };

    let out = run(&["--to", &receiver, "--dry-run"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 20);
    assert!(received().is_empty(), "--dry-run sends nothing");

    let out = run(&["--failed", "--to", &receiver]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    let got = received();
    assert!(
        lines > 0 && got.len() == lines,
        "{lines} lines, {} received",
        got.len()
    );
    for delivery in &got {
        assert!(delivery["headers"].get("authorization").is_none());
        assert!(!delivery.to_string().contains("sk_replay_s3cret"));
        assert!(delivery["headers"]["omega-webhooks-replay"].is_string());
    }

    admin(&mock.url, "POST", "/__mock/receiver", "[503]");
    let out = run(&["650000000000000000000003", "--to", &receiver]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("650000000000000000000003  video.completed_processing  503"));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: ReplayFailed: "));

    let out = run(&["--to", "http://example.com/hooks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("plain http"));
}
