//! `omega-webhooks receive`, tried as a new user would: `trigger` and `events replay` sent to
//! it, a body it refuses, `--forward-to` an app that answers 500, and Ctrl-C.

mod common;

use common::{cli, post, MockProcess};
use serde_json::Value;

const GENERATED: &str = "650000000000000000000001";

fn receive(args: &[&str]) -> MockProcess {
    let mut all = vec!["--addr", "127.0.0.1:0"];
    all.extend_from_slice(args);
    MockProcess::serve("receive", &all)
}

/// The next `--jsonl` line of the receiver.
fn next_json(receiver: &mut MockProcess) -> Value {
    let line = receiver.next_line();
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
}

#[test]
fn triggered_replayed_and_refused_deliveries_get_their_answers() {
    let mut receiver = receive(&["--jsonl"]);
    assert!(receiver.url.ends_with("/hooks/omega"), "{}", receiver.url);

    let sent = cli()
        .args([
            "trigger",
            "video.process_failed",
            "--seed",
            "7",
            "--to",
            &receiver.url,
        ])
        .output()
        .expect("runs");
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let line = next_json(&mut receiver);
    let id = line["event"]["id"]
        .as_str()
        .expect("the normalized event")
        .to_owned();
    assert_eq!(line["outcome"], "handled");
    assert_eq!(line["status"], 200);
    assert_eq!(line["answer"], format!("handled video.process_failed {id}"));
    assert_eq!(line["event"]["type"], "video.process_failed");
    assert!(String::from_utf8_lossy(&sent.stdout).contains("200"));

    let mock = MockProcess::start(&["--events", "3"]);
    let replayed = cli()
        .args(["--api-key", "omega-mock-key", "--base-url", &mock.url])
        .args([
            "events",
            "replay",
            GENERATED,
            "650000000000000000000002",
            "--to",
            &receiver.url,
        ])
        .output()
        .expect("runs");
    assert!(
        replayed.status.success(),
        "{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    let line = next_json(&mut receiver);
    assert_eq!(line["outcome"], "handled");
    assert_eq!(line["replay"], true);
    assert_eq!(line["event"]["id"], "650000000000000000000002");

    // A body that is not an event: 400 with the decoder's path, and a line with no event.
    let path = receiver
        .url
        .trim_start_matches("http://")
        .split_once('/')
        .map(|(_, p)| format!("/{p}"));
    let addr = receiver
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("addr")
        .to_owned();
    let answer = raw_post(&addr, &path.expect("path"), r#"{"id": 5}"#);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(
        answer.ends_with("WebhookPayloadError: id: invalid type: integer `5`, expected a string"),
        "{answer}"
    );
    let line = next_json(&mut receiver);
    assert_eq!(
        (line["outcome"].as_str(), line["event"].is_null()),
        (Some("invalid"), true)
    );

    // Ctrl-C stops it with exit code 0.
    let status = receiver.interrupt();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn forward_to_an_app_that_answers_500() {
    let mock = MockProcess::start(&[]);
    post(&mock.url, "/__mock/receiver", "[500]");
    let app = format!("{}/__receiver/app", mock.url);
    let mut receiver = receive(&["--forward-to", &app]);
    let sent = cli()
        .args(["trigger", "video.uploaded", "--to", &receiver.url])
        .output()
        .expect("runs");
    assert_eq!(sent.status.code(), Some(1), "Omega gets the app's 500");
    assert!(String::from_utf8_lossy(&sent.stderr).contains("answered 500"));
    let line = receiver.next_line();
    assert!(
        line.contains("video.uploaded") && line.contains("failed 500"),
        "{line}"
    );
    // The app got the original bytes, and answers 200 from now on.
    let received: Value =
        serde_json::from_str(&common::admin(&mock.url, "GET", "/__mock/received", ""))
            .expect("json");
    let body: Value =
        serde_json::from_str(received[0]["body"].as_str().expect("body")).expect("json");
    assert_eq!(body["type"], "video.uploaded");
    let again = cli()
        .args(["trigger", "video.uploaded", "--to", &receiver.url])
        .output()
        .expect("runs");
    assert!(again.status.success());
    assert!(receiver.next_line().contains("handled 200"));
    assert_eq!(receiver.interrupt().code(), Some(0));
    assert!(
        receiver.stderr().contains("answered 500"),
        "the CLI says so"
    );
}

/// A raw HTTP/1.1 POST with a JSON content type: the whole answer.
fn raw_post(addr: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}
