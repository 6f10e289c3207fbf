//! The `omega-webhooks` binary, end to end: every command and option, exit codes, JSON equal to
//! the normalized fixtures, the mock's ready line, and no output ever holding the API key.

mod common;

use std::{
    fs,
    time::{Duration, Instant},
};

use common::{cli, code_and_stderr, read_json, root, stdout_json, MockProcess};
use predicates::prelude::*;
use serde_json::Value;

const SECRET: &str = "sk_test_cli_n3v3r_pr1nt3d";

#[test]
fn help_explains_itself_with_examples() {
    cli()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    for sub in [
        &["events", "list"][..],
        &["events", "get"],
        &["parse"],
        &["schema"],
        &["mock"],
    ] {
        cli()
            .args(sub)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
    cli()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    cli().assert().code(2);
    cli().args(["events", "list"]).assert().code(2);
    cli()
        .args(["--max-retries", "many", "--mock", "events", "list", "x"])
        .assert()
        .code(2);
    cli().args(["nonsense"]).assert().code(2);
}

#[test]
fn embedded_mock_list_table_and_json() {
    let out = cli()
        .args(["--mock", "events", "list", "6336cd2b5790c27875f70d96"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for expected in [
        "ID",
        "TYPE",
        "CREATED",
        "63377e715790c27875f70dbd",
        "video.uploaded",
        "2022-09-30T23:40:31Z",
        "2 events",
    ] {
        assert!(text.contains(expected), "table lacks {expected:?}:\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");

    let out = cli()
        .args([
            "--mock",
            "events",
            "list",
            "6336cd2b5790c27875f70d96",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(
        stdout_json(&out),
        read_json("fixtures/lists/normalized/list-example.json")
    );
}

#[test]
fn embedded_mock_get_summary_and_json() {
    let args = [
        "--mock",
        "events",
        "get",
        "6307b4d6570090479813a762",
        "630fac88bd5bb64cf8b24b99",
    ];
    let out = cli().args(args).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for expected in [
        "video.process_succeeded",
        "200 OK",
        "webhook received",
        "Sintel",
        "process-completed",
        "888 s",
        "190612452 bytes",
        "playlist.m3u8",
    ] {
        assert!(
            text.contains(expected),
            "summary lacks {expected:?}:\n{text}"
        );
    }
    let out = cli().args(args).arg("--json").output().expect("runs");
    assert_eq!(
        stdout_json(&out),
        read_json("fixtures/events/normalized/details-example.json")
    );
}

#[test]
fn api_errors_exit_1_with_one_line_naming_the_class() {
    cli()
        .args([
            "--mock",
            "events",
            "get",
            "6336cd2b5790c27875f70d96",
            "000000000000000000000000",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr("error: NotFoundError: 404 Not Found: webhook event not found\n");
}

#[test]
fn configuration_errors_exit_2() {
    cli()
        .args(["events", "list", "6336cd2b5790c27875f70d96"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: ConfigurationError: no API key",
        ));
    cli()
        .args(["--mock", "events", "list", "a/b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid endpoint id"));
    for timeout in ["--timeout=-1", "--timeout=0", "--timeout=NaN"] {
        cli()
            .args(["--mock", timeout, "events", "list", "x"])
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with(
                "error: ConfigurationError: timeout must be a positive number",
            ));
    }
    cli()
        .args([
            "--api-key",
            "k",
            "--base-url",
            "http://example.com",
            "events",
            "list",
            "x",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plain http"));
}

#[test]
fn mock_rate_serves_the_same_list_and_refuses_zero() {
    let mut mock = MockProcess::start(&["--events", "3000", "--rate", "20"]);
    let list = |url: &str| {
        let out = cli()
            .args(["--base-url", url, "--api-key", "omega-mock-key"])
            .args(["events", "list", "650000000000000000000001", "--json"])
            .output()
            .expect("runs");
        stdout_json(&out)
    };
    let mut fast = MockProcess::start(&["--events", "3000"]);
    assert_eq!(list(&mock.url), list(&fast.url));
    assert!(mock.terminate().success() && fast.terminate().success());
    cli()
        .args(["mock", "--rate", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--rate"));
}

#[test]
fn mock_command_serves_the_ready_line_options_and_stops_on_sigterm() {
    let mut mock = MockProcess::start(&["--events", "7", "--seed", "3", "--api-key", SECRET]);
    // Flags and the environment both configure the client.
    let out = cli()
        .args([
            "--base-url",
            &mock.url,
            "--api-key",
            SECRET,
            "events",
            "list",
            "650000000000000000000001",
            "--json",
        ])
        .output()
        .expect("runs");
    let events = stdout_json(&out);
    assert_eq!(events.as_array().map(Vec::len), Some(7));
    let first = events[0]["id"].as_str().expect("id").to_owned();
    let out = cli()
        .env("OMEGA_BASE_URL", format!("{}/company/", mock.url))
        .env("OMEGA_API_KEY", SECRET)
        .args([
            "events",
            "get",
            "650000000000000000000001",
            &first,
            "--json",
        ])
        .output()
        .expect("runs");
    assert_eq!(stdout_json(&out)["id"], first.as_str());

    // --timeout and --max-retries reach the client.
    mock.script(r#"[{"action": "hang"}]"#);
    let started = Instant::now();
    cli()
        .args([
            "--base-url",
            &mock.url,
            "--api-key",
            SECRET,
            "--timeout",
            "0.3",
            "--max-retries",
            "0",
        ])
        .args(["events", "list", "6336cd2b5790c27875f70d96"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error: APITimeoutError: "));
    assert!(started.elapsed() < Duration::from_secs(10));

    assert!(
        mock.terminate().success(),
        "the mock exits cleanly on SIGTERM"
    );
}

#[test]
fn the_key_never_appears_in_any_output() {
    let mock = MockProcess::start(&[]);
    let runs = [
        cli()
            .args([
                "--base-url",
                &mock.url,
                "--api-key",
                SECRET,
                "events",
                "list",
                "6336cd2b5790c27875f70d96",
            ])
            .output(),
        cli()
            .env("OMEGA_API_KEY", SECRET)
            .args([
                "--base-url",
                &mock.url,
                "events",
                "get",
                "6336cd2b5790c27875f70d96",
                "x y",
            ])
            .output(),
        cli()
            .args(["--api-key", &format!("{SECRET}\n"), "events", "list", "x"])
            .output(),
        cli().env("OMEGA_API_KEY", SECRET).args(["--help"]).output(),
        cli()
            .env("OMEGA_API_KEY", SECRET)
            .env("OMEGA_LOG", "trace")
            .args([
                "--base-url",
                &mock.url,
                "events",
                "list",
                "6336cd2b5790c27875f70d96",
            ])
            .output(),
    ];
    for run in runs {
        let out = run.expect("runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !text.contains(SECRET) && !text.contains("n3v3r"),
            "the key leaked:\n{text}"
        );
    }
}

#[test]
fn parse_every_fixture() {
    for kind in ["events"] {
        let dir = root().join("fixtures").join(kind).join("wire");
        for entry in fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let out = cli().arg("parse").arg(&path).output().expect("runs");
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                stdout_json(&out),
                read_json(&format!("fixtures/{kind}/normalized/{name}")),
                "{name}"
            );
        }
    }
    // Standard input, with `-` and with no argument.
    let body = fs::read(root().join("fixtures/events/wire/ocid.json")).expect("fixture");
    for args in [&["parse", "-"][..], &["parse"]] {
        let out = cli()
            .args(args)
            .write_stdin(body.clone())
            .output()
            .expect("runs");
        assert_eq!(
            stdout_json(&out),
            read_json("fixtures/events/normalized/ocid.json")
        );
    }
    cli()
        .args(["parse", "/nonexistent/body.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn parse_refuses_every_invalid_fixture_with_its_path() {
    let cases: Vec<Value> =
        serde_json::from_value(read_json("fixtures/invalid/cases.json")).expect("cases");
    // `parse` reads one event; the list cases (bodies of the list call) are for parse_events.
    for case in cases.iter().filter(|c| c["parse"] == "event") {
        let file = case["file"].as_str().expect("file");
        let assert = cli()
            .arg("parse")
            .arg(root().join("fixtures/invalid").join(file))
            .assert()
            .code(1)
            .stdout("");
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.starts_with("error: WebhookPayloadError: "),
            "{file}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{file}: one line");
        let path = case["path"].as_str().expect("path");
        if !path.is_empty() {
            assert!(stderr.contains(&format!("at `{path}`")), "{file}: {stderr}");
        }
    }
}

#[test]
fn schema_lists_and_prints_the_generated_files() {
    let out = cli().arg("schema").assert().success();
    let listing = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let files: Vec<String> = fs::read_dir(root().join("schemas"))
        .expect("schemas/")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|file| file.ends_with(".json"))
        .collect();
    assert!(files.len() >= 8, "{files:?}");
    for file in &files {
        let name = file
            .strip_suffix(".schema.json")
            .unwrap_or_else(|| file.trim_end_matches(".json"));
        assert!(listing.contains(&format!("schemas/{file}")), "{listing}");
        let want = fs::read_to_string(root().join("schemas").join(file)).expect("schema file");
        cli().args(["schema", name]).assert().success().stdout(want);
    }
    cli()
        .args(["schema", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("event-list"));
}

#[test]
fn hostile_options_are_configuration_errors_not_panics() {
    for timeout in ["4e18", "1e22", "inf", "31536001"] {
        let (code, stderr) = code_and_stderr(cli().args([
            "--timeout",
            timeout,
            "--mock",
            "events",
            "list",
            "6336cd2b5790c27875f70d96",
        ]));
        assert_eq!(code, Some(2), "--timeout {timeout}: {stderr}");
        assert!(
            stderr.starts_with("error: ConfigurationError: timeout must be"),
            "{timeout}: {stderr}"
        );
    }
    let (code, stderr) = code_and_stderr(cli().args([
        "--api-key",
        "k",
        "--base-url",
        "https://u:SEKRET@host.test/c",
        "events",
        "list",
        "x",
    ]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        !stderr.contains("SEKRET") && stderr.contains("***@host.test"),
        "{stderr}"
    );
    for key in ["   ", " k", "k\t"] {
        let (code, stderr) =
            code_and_stderr(cli().args(["--api-key", key, "--mock", "events", "list", "x"]));
        assert_eq!(code, Some(2), "{key:?}: {stderr}");
        assert!(stderr.contains("whitespace"), "{key:?}: {stderr}");
    }
}

#[test]
fn parse_refuses_a_body_over_the_cap() {
    let (code, stderr) = code_and_stderr(cli().args(["parse", "/dev/zero"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: WebhookPayloadError: ") && stderr.contains("67108864-byte cap"),
        "{stderr}"
    );
}

#[test]
fn logs_carry_no_colour_off_a_terminal() {
    let out = cli()
        .env_remove("NO_COLOR")
        .env("OMEGA_LOG", "debug")
        .args(["--mock", "events", "list", "6336cd2b5790c27875f70d96"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("attempt succeeded"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "colour codes in a pipe: {stderr:?}"
    );
}
