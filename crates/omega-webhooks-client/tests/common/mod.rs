//! Helpers shared by the client's integration tests: a mock server and its admin API.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};

use omega_webhooks_mock::{MockConfig, MockServer, RecordedRequest};
use serde_json::Value;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A mock server with `events` generated events, and a plain HTTP client for its admin API.
pub struct Mock {
    pub server: MockServer,
    admin: reqwest::Client,
}

impl Mock {
    pub async fn start(events: usize) -> Mock {
        Mock::start_with(MockConfig {
            events,
            ..MockConfig::default()
        })
        .await
    }

    /// A mock server started with `config`.
    pub async fn start_with(config: MockConfig) -> Mock {
        let server = MockServer::start(config).await.expect("mock starts");
        Mock {
            server,
            admin: reqwest::Client::new(),
        }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Queues script steps (`POST /__mock/script`).
    pub async fn script(&self, steps: &Value) {
        let response = self
            .admin
            .post(format!("{}/__mock/script", self.url()))
            .body(steps.to_string())
            .send()
            .await
            .expect("script posted");
        assert!(
            response.status().is_success(),
            "script refused: {}",
            response.text().await.unwrap_or_default()
        );
    }

    /// `GET /__mock/<what>`, decoded.
    pub async fn admin_get<T: serde::de::DeserializeOwned>(&self, what: &str) -> T {
        let body = self
            .admin
            .get(format!("{}/__mock/{what}", self.url()))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .unwrap_or_else(|e| panic!("GET /__mock/{what}: {e}"))
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("GET /__mock/{what} body: {e}"));
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("/__mock/{what}: {e}"))
    }

    /// The recorded API requests (`GET /__mock/requests`).
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        self.admin_get("requests").await
    }

    /// How many accepted TCP connections are still open (`GET /__mock/connections`), this
    /// admin client's own included.
    pub async fn open_connections(&self) -> usize {
        let records: Vec<Value> = self.admin_get("connections").await;
        records.iter().filter(|r| r["closed"] == false).count()
    }

    /// Appends the next generated event (`POST /__mock/events`); returns its id.
    pub async fn append_event(&self) -> String {
        let body = self
            .admin
            .post(format!("{}/__mock/events", self.url()))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("event appended")
            .bytes()
            .await
            .expect("body");
        let answer: Value = serde_json::from_slice(&body).expect("JSON");
        answer["id"].as_str().expect("id").to_owned()
    }

    /// Clears the script and the log (`POST /__mock/reset`).
    pub async fn reset(&self) {
        self.admin
            .post(format!("{}/__mock/reset", self.url()))
            .send()
            .await
            .expect("reset");
    }

    /// The ids of an endpoint's events, as `client` lists them.
    pub async fn listed_ids(
        client: &omega_webhooks_client::Client,
        endpoint_id: &str,
    ) -> Vec<String> {
        client
            .list_events(endpoint_id)
            .await
            .expect("list")
            .into_iter()
            .map(|e| e.id)
            .collect()
    }

    /// A client of this mock with fast retries.
    pub fn client(&self) -> omega_webhooks_client::ClientBuilder {
        omega_webhooks_client::Client::builder()
            .api_key(omega_webhooks_mock::DEFAULT_API_KEY)
            .base_url(self.url())
            .retry_delays(
                std::time::Duration::from_millis(10),
                std::time::Duration::from_millis(50),
            )
    }
}
