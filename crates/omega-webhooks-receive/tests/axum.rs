//! The axum integration, served on loopback: a handler with the `OmegaDelivery` extractor gets
//! the typed event; the receiver answers everything else itself.

use axum::{extract::State, routing::any, Router};
use omega_webhooks_receive::{Answer, OmegaDelivery, Receiver};

async fn hook(State(receiver): State<Receiver>, OmegaDelivery(delivery): OmegaDelivery) -> Answer {
    let video = delivery.event.data.as_ref().and_then(|d| d.video.as_ref());
    match video.map(|v| v.title.as_str()) {
        Some("fail") => receiver.failed(&delivery, "ValueError", "the title says so"),
        _ => receiver.handled(&delivery),
    }
}

#[tokio::test]
async fn the_extractor_answers_per_the_table() {
    let receiver = Receiver::builder()
        .max_body_bytes(4096)
        .build()
        .expect("receiver");
    let app = Router::new()
        .route("/hooks/omega", any(hook))
        .with_state(receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let url = format!(
        "http://{}/hooks/omega",
        listener.local_addr().expect("addr")
    );
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let http = reqwest::Client::new();
    let post = |body: String| {
        http.post(&url)
            .header("content-type", "application/json")
            .body(body)
    };
    let answer = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        (status, response.text().await.expect("text"))
    };
    let documented = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/events/wire/details-example.json"
    ))
    .expect("fixture");
    let sent = post(documented.clone()).send().await.expect("sent");
    assert_eq!(
        answer(sent).await,
        (
            200,
            "handled video.process_succeeded 630fac88bd5bb64cf8b24b99".to_owned()
        )
    );
    let failing = documented.replace("\"title\": \"Sintel\"", "\"title\": \"fail\"");
    assert_ne!(failing, documented, "the fixture's title is Sintel");
    assert_eq!(
        answer(post(failing).send().await.expect("sent")).await,
        (
            500,
            "handler failed: ValueError (event 630fac88bd5bb64cf8b24b99)".to_owned()
        )
    );
    let get = http.get(&url).send().await.expect("sent");
    assert_eq!(get.headers()["allow"], "POST");
    assert_eq!(answer(get).await, (405, "use POST".to_owned()));
    assert_eq!(
        answer(post(" ".repeat(5000)).send().await.expect("sent")).await,
        (413, "body larger than 4096 bytes".to_owned())
    );
    assert_eq!(
        answer(post("{".to_owned()).send().await.expect("sent")).await,
        (
            400,
            "WebhookPayloadError: $: EOF while parsing an object".to_owned()
        )
    );
    server.abort();
}
