//! Proxies from the environment are honoured by the core (so every language agrees). Its own
//! test binary: it sets process environment variables.

mod common;

use common::Mock;

#[tokio::test]
async fn http_proxy_from_the_environment_is_used() {
    let proxy = Mock::start(0).await;
    // Safety of set_var: this binary has this one test, and sets the variables before any
    // other thread reads the environment.
    std::env::set_var("HTTP_PROXY", proxy.url());
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let client = proxy
        .client()
        .base_url("http://omega-origin.invalid/company")
        .allow_insecure_http(true)
        .max_retries(0)
        .build()
        .expect("client");
    let events = client
        .list_events("6336cd2b5790c27875f70d96")
        .await
        .expect("served via the proxy");
    assert_eq!(events.len(), 2);
    let requests = proxy.requests().await;
    assert_eq!(requests.len(), 1, "the request went to the proxy");
    assert_eq!(
        requests[0].path,
        "/company/client/webhooks/6336cd2b5790c27875f70d96"
    );
    assert_eq!(
        requests[0].headers.get("host").map(String::as_str),
        Some("omega-origin.invalid")
    );
}
