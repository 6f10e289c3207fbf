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
        "failed or unanswered of 2016 checked",
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

/// `events follow` in the background, its stdout collected, stopped with `signal`.
struct Following {
    child: std::process::Child,
}

impl Following {
    fn start(mock: &MockProcess, state: &std::path::Path) -> Following {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("omega-webhooks"))
            .args([
                "--api-key",
                "omega-mock-key",
                "--base-url",
                &mock.url,
                "events",
                "follow",
                GENERATED,
            ])
            .args(["--interval", "50ms", "--jsonl", "--state"])
            .arg(state)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("follow starts");
        Following { child }
    }

    /// Sends `signal`; the exit code and the ids printed.
    fn stop(self, signal: &str) -> (Option<i32>, Vec<String>) {
        std::process::Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill");
        let out = self.child.wait_with_output().expect("exits");
        let ids = jsonl(&out.stdout)
            .iter()
            .map(|e| e["id"].as_str().expect("id").to_owned())
            .collect();
        (out.status.code(), ids)
    }
}

/// Waits until the state file lists `id` (so the follower has printed it).
fn wait_for_state(state: &std::path::Path, id: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_to_string(state)
        .unwrap_or_default()
        .contains(id)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "{id} never reached the state file"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn follow_with_state_prints_every_event_once_across_restarts() {
    let mock = MockProcess::start(&["--events", "3"]);
    let state = std::env::temp_dir().join(format!("omega-cli-follow-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&state);
    let append = || {
        let answer: Value =
            serde_json::from_str(&admin(&mock.url, "POST", "/__mock/events", "")).expect("JSON");
        answer["id"].as_str().expect("id").to_owned()
    };

    let first = Following::start(&mock, &state);
    wait_for_state(&state, "650000000000000000000002");
    let a = append();
    let b = append();
    wait_for_state(&state, &b);
    let (code, printed_first) = first.stop("-INT");
    assert_eq!(code, Some(0), "Ctrl-C exits 0");

    let c = append(); // while nothing follows
    let second = Following::start(&mock, &state);
    wait_for_state(&state, &c);
    let d = append();
    wait_for_state(&state, &d);
    let (code, printed_second) = second.stop("-TERM");
    assert_eq!(code, Some(0), "SIGTERM exits 0");

    assert_eq!(printed_first, [a, b]);
    assert_eq!(printed_second, [c, d]);
    let _ = std::fs::remove_file(state);
}

#[test]
fn trigger_prints_or_sends_a_valid_event_of_any_type() {
    for kind in [
        "video.uploaded",
        "video.process_failed",
        "video.deleted",
        "video.brand_new",
    ] {
        let out = cli()
            .args(["trigger", kind, "--print", "--seed", "7"])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let event = omega_webhooks_client::parse_event(&out.stdout).expect("a valid event");
        assert_eq!(event.event_type.as_str(), kind);
        assert!(event.response.is_none() && event.data.is_some_and(|d| d.video.is_some()));
    }
    let out = cli()
        .args([
            "trigger",
            "video.uploaded",
            "--print",
            "--set",
            "data.video.title=Demo",
            "--set",
            "data.video.size=42",
            "--video-status",
            "uploaded",
        ])
        .output()
        .expect("runs");
    let event: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(event["data"]["video"]["title"], "Demo");
    assert_eq!(event["data"]["video"]["size"], 42);
    let (code, stderr) = code_and_stderr(cli().args([
        "trigger",
        "video.uploaded",
        "--print",
        "--set",
        "created=\"soon\"",
    ]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("at `created`"), "{stderr}");
    let (code, _) = code_and_stderr(cli().args(["trigger", "video.uploaded"]));
    assert_eq!(code, Some(2), "--to or --print is required");

    let mock = MockProcess::start(&[]);
    let out = cli()
        .args([
            "trigger",
            "video.process_succeeded",
            "--to",
            &format!("{}/__receiver", mock.url),
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received: Vec<Value> =
        serde_json::from_str(&admin(&mock.url, "GET", "/__mock/received", "")).expect("JSON");
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["headers"]["content-type"], "application/json");
}

#[test]
fn follow_forwards_new_events_and_retries_a_refused_one() {
    let mock = MockProcess::start(&["--events", "2"]);
    let state = std::env::temp_dir().join(format!("omega-cli-forward-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&state);
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("omega-webhooks"))
        .args([
            "--api-key",
            "omega-mock-key",
            "--base-url",
            &mock.url,
            "events",
            "follow",
            GENERATED,
        ])
        .args([
            "--interval",
            "50ms",
            "--jsonl",
            "--forward-to",
            &format!("{}/__receiver", mock.url),
            "--state",
        ])
        .arg(&state)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("follow starts");
    let following = Following { child };
    wait_for_state(&state, "650000000000000000000001");
    admin(&mock.url, "POST", "/__mock/receiver", "[503]");
    let answer: Value =
        serde_json::from_str(&admin(&mock.url, "POST", "/__mock/events", "")).expect("JSON");
    let id = answer["id"].as_str().expect("id").to_owned();
    wait_for_state(&state, &id);
    let (code, printed) = following.stop("-INT");
    assert_eq!(code, Some(0));
    assert_eq!(
        printed,
        std::slice::from_ref(&id),
        "printed once, after the receiver took it"
    );
    let received: Vec<Value> =
        serde_json::from_str(&admin(&mock.url, "GET", "/__mock/received", "")).expect("JSON");
    let statuses: Vec<u64> = received
        .iter()
        .map(|r| r["status"].as_u64().expect("status"))
        .collect();
    assert_eq!(
        statuses,
        [503, 200],
        "refused, then forwarded again on the next poll"
    );
    assert!(received
        .iter()
        .all(|r| r["headers"]["omega-webhooks-replay"] == id.as_str()));
    let _ = std::fs::remove_file(state);
}

#[test]
fn window_and_concurrency_flags() {
    let out = cli()
        .args([
            "--mock",
            "events",
            "list",
            GENERATED,
            "--since",
            "2023-11-14T22:20:00Z",
            "--until",
            "2023-11-14T22:40:00Z",
            "--json",
        ])
        .output()
        .expect("runs");
    let events: Vec<Value> = serde_json::from_slice(&out.stdout).expect("array");
    let created: Vec<i64> = events
        .iter()
        .map(|e| e["created"].as_i64().expect("created"))
        .collect();
    assert!(
        !created.is_empty()
            && created
                .iter()
                .all(|c| (1_700_000_400..=1_700_001_600).contains(c)),
        "{created:?}"
    );

    let one = cli()
        .args([
            "--mock",
            "events",
            "failures",
            GENERATED,
            "--concurrency",
            "1",
            "--json",
        ])
        .output()
        .expect("runs");
    let many = cli()
        .args([
            "--mock",
            "events",
            "failures",
            GENERATED,
            "--concurrency",
            "32",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(
        one.status.success() && one.stdout == many.stdout,
        "the same report at any concurrency"
    );
    // The same class and message as Python's and Node's (bindings' delivery tests).
    for (command, value) in [("failures", "0"), ("replay", "0"), ("failures", "257")] {
        let mut args = vec![
            "--mock",
            "events",
            command,
            GENERATED,
            "--concurrency",
            value,
        ];
        if command == "replay" {
            args.extend(["--to", "http://127.0.0.1:9/hooks"]);
        }
        let (code, stderr) = code_and_stderr(cli().args(&args));
        assert_eq!(code, Some(2), "{command} {value}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "error: ConfigurationError: concurrency must be between 1 and 256, not {value}"
            ),
            "{command} {value}"
        );
    }

    let mock = MockProcess::start(&["--events", "3"]);
    let out = cli()
        .args([
            "--api-key",
            "omega-mock-key",
            "--base-url",
            &mock.url,
            "events",
            "replay",
            GENERATED,
        ])
        .args([
            "--concurrency",
            "2",
            "--allow-insecure-http",
            "--to",
            &format!("{}/__receiver", mock.url),
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn wait_prints_the_first_matching_event_or_times_out() {
    let wait = |extra: &[&str]| {
        let mut cmd = cli();
        cmd.args(["--mock", "events", "wait", GENERATED, "--interval", "50ms"])
            .args(extra);
        cmd
    };
    let out = wait(&[
        "--type",
        "video.deleted",
        "--since",
        "2000-01-01T00:00:00Z",
        "--json",
    ])
    .output()
    .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let event: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let listed = cli()
        .args([
            "--mock",
            "events",
            "list",
            GENERATED,
            "--type",
            "video.deleted",
            "--json",
        ])
        .output()
        .expect("runs");
    let listed: Vec<Value> = serde_json::from_slice(&listed.stdout).expect("array");
    assert_eq!(event["id"], listed[0]["id"], "the oldest event of the type");

    let out = wait(&[
        "--type",
        "video.process_succeeded",
        "--since",
        "2000-01-01T00:00:00Z",
        "--within",
        "10s",
        "--delivered",
        "--json",
    ])
    .output()
    .expect("runs");
    let event: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let status = event["response"]["status_code"]
        .as_u64()
        .expect("in full, with its answer");
    assert!((200..300).contains(&status), "{event}");

    // Nothing new arrives on the embedded mock: the deadline is an APITimeoutError, exit 1.
    let started = std::time::Instant::now();
    let (code, stderr) =
        code_and_stderr(&mut wait(&["--type", "video.deleted", "--within", "300ms"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: APITimeoutError: no matching event within 300ms"),
        "{stderr}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));

    // A zero interval would poll in a tight loop: refused before any request, like the bindings.
    let (code, stderr) = code_and_stderr(cli().args([
        "--mock",
        "events",
        "wait",
        GENERATED,
        "--type",
        "video.deleted",
        "--interval",
        "0s",
    ]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("ConfigurationError: interval must be a positive number"),
        "{stderr}"
    );
}
