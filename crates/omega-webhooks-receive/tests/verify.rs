//! Verification against the mock API: handlers get the API's copy, an event the API does not
//! know is forged (403), and an API that cannot be reached leaves the delivery unverified (503).

use omega_webhooks_client::Client;
use omega_webhooks_mock::{MockConfig, MockServer, DEFAULT_API_KEY};
use omega_webhooks_receive::{Outcome, Receiver};
use serde_json::Value;

fn documented_body() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/events/wire/details-example.json"
    );
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("json")
}

fn verifying(base_url: &str) -> Receiver {
    let client = Client::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .build()
        .expect("client");
    Receiver::builder()
        .verify(client)
        .build()
        .expect("receiver")
}

#[tokio::test]
async fn handlers_get_the_apis_copy_and_forgeries_are_refused() {
    let mock = MockServer::start(MockConfig::default())
        .await
        .expect("mock");
    let receiver = verifying(&mock.url());
    let mut body = documented_body();
    let title = body["data"]["video"]["title"].clone();
    body["data"]["video"]["title"] = Value::from("changed by whoever posted this");
    let delivery = receiver
        .handle(
            [("content-type", "application/json")],
            body.to_string().as_bytes(),
        )
        .await
        .expect("verified");
    let video = delivery.event.data.and_then(|d| d.video).expect("video");
    assert_eq!(
        Value::from(video.title),
        title,
        "the API's copy, not the posted one"
    );

    body["id"] = Value::from("630fac88bd5bb64cf8b24b00");
    let forged = receiver
        .handle(
            [("content-type", "application/json")],
            body.to_string().as_bytes(),
        )
        .await
        .expect_err("unknown to the API");
    assert_eq!(forged.outcome, Outcome::Forged);
    assert_eq!(
        (forged.status, forged.body.as_str()),
        (
            403,
            "unknown event 630fac88bd5bb64cf8b24b00: not delivered by Omega"
        )
    );

    let url = mock.url();
    mock.shutdown();
    drop(mock);
    let down = verifying(&url)
        .handle(
            [("content-type", "application/json")],
            documented_body().to_string().as_bytes(),
        )
        .await
        .expect_err("the API is down");
    assert_eq!(
        (down.status, down.body.as_str()),
        (
            503,
            "cannot verify 630fac88bd5bb64cf8b24b99: APIConnectionError"
        )
    );
}
