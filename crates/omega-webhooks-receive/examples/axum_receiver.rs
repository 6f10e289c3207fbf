//! The README's axum recipe (section "Receiving webhooks"), served on 127.0.0.1:8080:
//! `cargo run -p omega-webhooks-receive --features axum --example axum_receiver`, then
//! `omega-webhooks trigger video.uploaded --to http://127.0.0.1:8080/hooks/omega`.
//! `tests/readme.rs` checks that this file starts with the README's block, and serves it.

use axum::{extract::State, routing::post, Router};
use omega_webhooks_receive::{Answer, OmegaDelivery, Receiver};

async fn omega_webhook(
    State(receiver): State<Receiver>,
    OmegaDelivery(delivery): OmegaDelivery,
) -> Answer {
    let video = delivery
        .event
        .data
        .as_ref()
        .and_then(|data| data.video.as_ref());
    println!(
        "{} {:?}",
        delivery.event.event_type,
        video.map(|v| &v.title)
    );
    receiver.handled(&delivery) // or receiver.failed(&delivery, "MyError", &error.to_string())
}

/// The app: Omega POSTs to /hooks/omega.
pub fn app() -> Router {
    let receiver = Receiver::builder().build().expect("default options"); // .verify(client)
    Router::new()
        .route("/hooks/omega", post(omega_webhook))
        .with_state(receiver)
}

#[allow(dead_code, reason = "the test includes this file for `app` alone")]
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    axum::serve(listener, app()).await
}
