//! The README's axum recipe runs as written: `examples/axum_receiver.rs` starts with the
//! README's block, and its `app()` is served on loopback and sent the documented payloads and a
//! synthetic one.

#[path = "../examples/axum_receiver.rs"]
mod axum_receiver;

use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn the_example_is_the_readmes_block() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let section = readme
        .split("\n## Receiving webhooks\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the receiving section");
    let block = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a rust block");
    let example = std::fs::read_to_string(
        root().join("crates/omega-webhooks-receive/examples/axum_receiver.rs"),
    )
    .expect("example");
    assert!(
        example.contains(block),
        "examples/axum_receiver.rs must hold the README's block as written"
    );
}

#[tokio::test]
async fn the_recipe_answers_deliveries() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let url = format!(
        "http://{}/hooks/omega",
        listener.local_addr().expect("addr")
    );
    let server = tokio::spawn(async move { axum::serve(listener, axum_receiver::app()).await });
    let http = reqwest::Client::new();
    let mut bodies: Vec<Vec<u8>> = std::fs::read_dir(root().join("fixtures/events/wire"))
        .expect("fixtures")
        .map(|entry| std::fs::read(entry.expect("entry").path()).expect("fixture"))
        .collect();
    bodies
        .push(omega_webhooks_mock::test_body("video.process_failed", Some(7), &[]).expect("body"));
    for body in bodies {
        let event = omega_webhooks_types::parse_event(&body).expect("an event");
        let response = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.text().await.expect("text"),
            format!("handled {} {}", event.event_type, event.id)
        );
    }
    server.abort();
}
