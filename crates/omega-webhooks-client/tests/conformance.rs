//! Runs every case of `fixtures/conformance/` against the real mock server over loopback.
//!
//! The same case files are run by the Python and Node suites; see `fixtures/conformance/README.md`
//! for the format. A malformed case file fails the run; no case is skipped.

mod common;

use std::{collections::BTreeMap, fs, time::Duration};

use common::{repo_root, Mock};
use omega_webhooks_client::{Client, Concurrency, Delivery, Error, Event, EventFilter, When};
use serde::Deserialize;
use serde_json::Value;
use tokio::time::Instant;

/// Generated events the runner's mock serves (cases rely on it).
const MOCK_EVENTS: usize = 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    call: Call,
    endpoint_id: String,
    event_id: Option<String>,
    event_ids: Option<Vec<String>>,
    #[serde(default)]
    filter: Filter,
    #[serde(default)]
    options: Options,
    #[serde(default)]
    script: Vec<Value>,
    #[serde(default)]
    second_mock: bool,
    by: Option<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Call {
    ListEvents,
    GetEvent,
    GetEvents,
    FailedDeliveries,
    DeliveryStats,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Filter {
    #[serde(default)]
    types: Vec<String>,
    since: Option<String>,
    until: Option<String>,
}

impl Filter {
    fn to_filter(&self) -> Result<EventFilter, Error> {
        EventFilter::new(
            &self.types,
            self.since.clone().map(When::from),
            self.until.clone().map(When::from),
            std::time::SystemTime::now(),
        )
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout_ms: Option<u64>,
    max_retries: Option<u32>,
    retry_initial_delay_ms: Option<u64>,
    max_response_bytes: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    result: Option<String>,
    result_subset: Option<Value>,
    result_len: Option<usize>,
    result_ids: Option<Vec<String>>,
    outcomes: Option<Vec<String>>,
    error: Option<ExpectError>,
    requests: usize,
    mock2_requests: Option<usize>,
    request: Option<ExpectRequest>,
    min_elapsed_ms: Option<u64>,
    max_elapsed_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectError {
    class: String,
    status: Option<u16>,
    message: Option<String>,
    message_contains: Option<String>,
    body_contains: Option<String>,
    request_id: Option<String>,
    retry_after_s: Option<u64>,
    path: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectRequest {
    path: Option<String>,
    #[serde(default)]
    query: Option<Value>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    header_prefixes: BTreeMap<String, String>,
}

fn load_cases() -> Vec<(String, Case)> {
    let dir = repo_root().join("fixtures/conformance");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("conformance dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let case = serde_json::from_slice(&fs::read(&path).expect("readable"))
                .unwrap_or_else(|e| panic!("malformed case {name}: {e}"));
            (name, case)
        })
        .collect()
}

/// Replaces `{mock}`/`{mock2}` in strings and loads `body_fixture` files into `body`.
fn prepare_step(step: &Value, mock: &str, mock2: &str) -> Value {
    match step {
        Value::String(s) => Value::String(s.replace("{mock2}", mock2).replace("{mock}", mock)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| prepare_step(v, mock, mock2)).collect())
        }
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                if key == "body_fixture" {
                    let path = repo_root().join(value.as_str().expect("body_fixture is a path"));
                    let text = fs::read_to_string(&path).expect("body fixture exists");
                    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
                    out.insert("body".to_owned(), body);
                } else {
                    out.insert(key.clone(), prepare_step(value, mock, mock2));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn build_client(case: &Case, mock: &Mock) -> Result<Client, Error> {
    let o = &case.options;
    let mut builder = mock.client();
    if let Some(key) = &o.api_key {
        builder = builder.api_key(key);
    }
    if let Some(url) = &o.base_url {
        builder = builder.base_url(url.replace("{mock}", &mock.url()));
    }
    if let Some(ms) = o.timeout_ms {
        builder = builder.timeout(Duration::from_millis(ms));
    }
    if let Some(n) = o.max_retries {
        builder = builder.max_retries(n);
    }
    if let Some(ms) = o.retry_initial_delay_ms {
        builder = builder.retry_delays(Duration::from_millis(ms), Duration::from_secs(8));
    }
    if let Some(n) = o.max_response_bytes {
        builder = builder.max_response_bytes(n);
    }
    builder.build()
}

async fn run(name: &str, case: &Case) {
    let mock = Mock::start(MOCK_EVENTS).await;
    let mock2 = if case.second_mock {
        Some(Mock::start(0).await)
    } else {
        None
    };
    let mock2_url = mock2.as_ref().map(Mock::url).unwrap_or_default();
    if !case.script.is_empty() {
        let steps: Vec<Value> = case
            .script
            .iter()
            .map(|s| prepare_step(s, &mock.url(), &mock2_url))
            .collect();
        mock.script(&Value::Array(steps)).await;
    }

    let started = Instant::now();
    let outcome = match build_client(case, &mock) {
        Err(e) => Err(e),
        Ok(client) => call(&client, case).await,
    };
    let elapsed = started.elapsed();
    let ctx = format!("case {name} ({})", case.description);
    let expect = &case.expect;

    match (&outcome, &expect.error) {
        (Ok((value, outcomes)), None) => {
            if let Some(path) = &expect.result {
                let want: Value = serde_json::from_slice(
                    &fs::read(repo_root().join(path)).expect("result fixture"),
                )
                .expect("result fixture is JSON");
                assert_eq!(value, &want, "{ctx}: result");
            }
            if let Some(subset) = &expect.result_subset {
                assert_subset(value, subset, &ctx);
            }
            if let Some(len) = expect.result_len {
                assert_eq!(
                    value.as_array().map(Vec::len),
                    Some(len),
                    "{ctx}: result length"
                );
            }
            if let Some(ids) = &expect.result_ids {
                let got: Vec<&str> = value
                    .as_array()
                    .map(|items| items.iter().filter_map(|e| e["id"].as_str()).collect())
                    .unwrap_or_default();
                assert_eq!(&got, ids, "{ctx}: result ids");
            }
            if let Some(want) = &expect.outcomes {
                assert_eq!(outcomes, want, "{ctx}: outcomes");
            }
            assert!(
                expect.result.is_some()
                    || expect.result_subset.is_some()
                    || expect.result_len.is_some()
                    || expect.result_ids.is_some()
                    || expect.outcomes.is_some(),
                "{ctx}: a success case must say what the result is"
            );
        }
        (Err(error), Some(want)) => check_error(error, want, &ctx),
        (Ok((value, _)), Some(want)) => {
            panic!("{ctx}: expected {} but got a result: {value}", want.class)
        }
        (Err(error), None) => panic!("{ctx}: unexpected {}: {error}", error.kind()),
    }

    let requests = mock.requests().await;
    assert_eq!(
        requests.len(),
        expect.requests,
        "{ctx}: requests recorded by the mock: {requests:#?}"
    );
    if let Some(want) = &expect.request {
        for request in &requests {
            if let Some(path) = &want.path {
                assert_eq!(&request.path, path, "{ctx}: request path");
            }
            if let Some(query) = &want.query {
                assert_eq!(
                    request.query.as_deref(),
                    query.as_str(),
                    "{ctx}: request query"
                );
            }
            for (name, value) in &want.headers {
                assert_eq!(
                    request.headers.get(name),
                    Some(value),
                    "{ctx}: header {name}"
                );
            }
            for (name, prefix) in &want.header_prefixes {
                let got = request
                    .headers
                    .get(name)
                    .map(String::as_str)
                    .unwrap_or_default();
                assert!(
                    got.starts_with(prefix.as_str()),
                    "{ctx}: header {name} = {got:?}"
                );
            }
        }
    }
    if let (Some(want), Some(mock2)) = (expect.mock2_requests, &mock2) {
        assert_eq!(
            mock2.requests().await.len(),
            want,
            "{ctx}: requests seen by the second mock"
        );
    }
    if let Some(min) = expect.min_elapsed_ms {
        assert!(
            elapsed >= Duration::from_millis(min),
            "{ctx}: took {elapsed:?}, expected at least {min} ms"
        );
    }
    if let Some(max) = expect.max_elapsed_ms {
        assert!(
            elapsed <= Duration::from_millis(max),
            "{ctx}: took {elapsed:?}, expected at most {max} ms"
        );
    }
}

/// Makes the case's call: its result as normalized JSON, and the outcome of each item (see the
/// README: a delivery outcome, or the class of a `get_events` item's error).
async fn call(client: &Client, case: &Case) -> Result<(Value, Vec<String>), Error> {
    let filter = case.filter.to_filter()?;
    let listed = |events: Vec<Event>| {
        let outcomes = events.iter().map(outcome).collect();
        (to_json(&events), outcomes)
    };
    match case.call {
        Call::ListEvents => Ok(listed(
            client.list_filtered(&case.endpoint_id, &filter).await?,
        )),
        Call::GetEvent => {
            let id = case
                .event_id
                .as_deref()
                .expect("get_event case has event_id");
            let event = client.get_event(&case.endpoint_id, id).await?;
            Ok((to_json(&event), Vec::new()))
        }
        Call::GetEvents => {
            let ids = case
                .event_ids
                .as_deref()
                .expect("get_events case has event_ids");
            let results = client
                .get_events(&case.endpoint_id, ids, Concurrency::DEFAULT)
                .await;
            let outcomes = results
                .iter()
                .map(|r| match r {
                    Ok(event) => outcome(event),
                    Err(error) => error.kind().class_name().to_owned(),
                })
                .collect();
            let values: Vec<Value> = results
                .iter()
                .map(|r| r.as_ref().map_or(Value::Null, to_json))
                .collect();
            Ok((Value::Array(values), outcomes))
        }
        Call::FailedDeliveries => {
            let report = client
                .failed_deliveries(&case.endpoint_id, &filter, Concurrency::DEFAULT, |_, _| {})
                .await?;
            Ok(listed(report.into_failed()?))
        }
        Call::DeliveryStats => {
            let by = omega_webhooks_client::bucket_width(case.by.as_deref())?;
            let report = client
                .delivery_stats(
                    &case.endpoint_id,
                    &filter,
                    by,
                    Concurrency::DEFAULT,
                    |_, _| {},
                )
                .await?;
            Ok((to_json(&report.into_stats()?), Vec::new()))
        }
    }
}

/// An event's delivery outcome, as the cases name it.
fn outcome(event: &Event) -> String {
    match event.delivery() {
        Delivery::Delivered => "delivered",
        Delivery::Failed => "failed",
        Delivery::Unknown => "unknown",
    }
    .to_owned()
}

fn check_error(error: &Error, want: &ExpectError, ctx: &str) {
    assert_eq!(
        error.kind().class_name(),
        want.class,
        "{ctx}: error class ({error})"
    );
    if let Some(status) = want.status {
        assert_eq!(error.status(), Some(status), "{ctx}: status");
    }
    let status_error = error.status_error();
    if let Some(message) = &want.message {
        let got = status_error.map(|s| s.message.as_str());
        assert_eq!(got, Some(message.as_str()), "{ctx}: message");
    }
    if let Some(fragment) = &want.message_contains {
        assert!(
            error.to_string().contains(fragment.as_str()),
            "{ctx}: {error:?} should mention {fragment:?}"
        );
    }
    if let Some(fragment) = &want.body_contains {
        let body = status_error.map(|s| s.body.as_str()).unwrap_or_default();
        assert!(body.contains(fragment.as_str()), "{ctx}: body {body:?}");
    }
    if let Some(id) = &want.request_id {
        assert_eq!(error.request_id(), Some(id.as_str()), "{ctx}: request id");
    }
    if let Some(secs) = want.retry_after_s {
        assert_eq!(
            error.retry_after(),
            Some(Duration::from_secs(secs)),
            "{ctx}: retry_after"
        );
    }
    if let Some(path) = &want.path {
        assert_eq!(error.path(), Some(path.as_str()), "{ctx}: path");
    }
}

/// Every key of `subset` is in `value` with an equal value (recursively for objects).
fn assert_subset(value: &Value, subset: &Value, ctx: &str) {
    match subset {
        Value::Object(map) => {
            for (key, want) in map {
                assert_subset(&value[key], want, &format!("{ctx}.{key}"));
            }
        }
        want => assert_eq!(value, want, "{ctx}"),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("models serialize")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_conformance_case_passes() {
    let cases = load_cases();
    assert!(
        cases.len() >= 40,
        "expected the full conformance suite, found {} cases",
        cases.len()
    );
    let mut ran = 0;
    for (name, case) in &cases {
        run(name, case).await;
        ran += 1;
    }
    assert_eq!(ran, cases.len(), "every case runs; none is skipped");
    println!("conformance: {ran} cases passed");
}
