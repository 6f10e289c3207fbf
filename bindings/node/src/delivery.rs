//! The delivery operations for JavaScript: filters, many details at once, delivery stats,
//! replay, and the delivery outcome. Results cross as JSON text, like the models.

use std::time::SystemTime;

use napi::{bindgen_prelude::PromiseRaw, Env};
use napi_derive::napi;
use omega_webhooks_client::{
    bucket_width, Concurrency, Delivery, DeliveryReport, Error, EventFilter, StatsReport, When,
};
use serde_json::json;

use crate::{
    client::NativeClient,
    errors::{details, to_js_error},
    models::{list_to_json, to_json, JsonText},
    runtime::{spawn, CancelToken},
};

/// `listEvents` filters, as the JS entry point passes them: times as RFC 3339 text or an age
/// such as `90s` (it converts `Date`s and numbers).
#[napi(object)]
#[derive(Default)]
pub struct NativeFilter {
    /// Only these event types.
    pub types: Option<Vec<String>>,
    /// Created at or after.
    pub since: Option<String>,
    /// Created at or before.
    pub until: Option<String>,
}

impl NativeFilter {
    /// The filter; a time that does not parse is a `ConfigurationError`.
    pub(crate) fn into_filter(self) -> Result<EventFilter, Error> {
        EventFilter::new(
            self.types.unwrap_or_default(),
            self.since.map(When::Text),
            self.until.map(When::Text),
            SystemTime::now(),
        )
    }
}

/// `concurrency` as given (`undefined`: the default); out of range is a `ConfigurationError`.
fn concurrency_of(given: Option<i64>) -> napi::Result<Concurrency> {
    Concurrency::or_default(given).map_err(to_js_error)
}

/// Whether a delivery succeeded, from the receiver's status code: true (2xx), false (any
/// other), null (no answer).
#[napi]
pub fn delivered(status_code: Option<u32>) -> Option<bool> {
    let code = status_code.map(|c| u16::try_from(c).unwrap_or(u16::MAX));
    match Delivery::of(code) {
        Delivery::Delivered => Some(true),
        Delivery::Failed => Some(false),
        Delivery::Unknown => None,
    }
}

#[napi]
impl NativeClient {
    /// The endpoint's events that pass `filter`, as normalized JSON text (an array).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn list_filtered<'env>(
        &self,
        env: &'env Env,
        endpoint_id: String,
        filter: NativeFilter,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let filter = filter.into_filter().map_err(to_js_error)?;
        let client = self.client();
        let call = async move {
            let events = client
                .list_filtered(&endpoint_id, &filter)
                .await
                .map_err(to_js_error)?;
            list_to_json(events)
        };
        spawn(env, call, cancel)
    }

    /// Many events in full, `concurrency` at a time, as JSON text: an array of
    /// `{"status": "fulfilled", "value": event}` or `{"status": "rejected", "reason": details}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn get_events<'env>(
        &self,
        env: &'env Env,
        endpoint_id: String,
        event_ids: Vec<String>,
        concurrency: Option<i64>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let concurrency = concurrency_of(concurrency)?;
        let client = self.client();
        let call = async move {
            let results = client
                .get_events(&endpoint_id, &event_ids, concurrency)
                .await;
            let settled: Vec<serde_json::Value> = results
                .into_iter()
                .map(|result| match result {
                    Ok(event) => json!({ "status": "fulfilled", "value": event }),
                    Err(error) => json!({ "status": "rejected", "reason": details(&error) }),
                })
                .collect();
            list_to_json(settled)
        };
        spawn(env, call, cancel)
    }

    /// The events that pass `filter` and whose delivery failed or has no answer, as JSON text
    /// (an array); the first event whose details could not be read rejects with its error.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn failed_deliveries<'env>(
        &self,
        env: &'env Env,
        endpoint_id: String,
        filter: NativeFilter,
        concurrency: Option<i64>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let concurrency = concurrency_of(concurrency)?;
        let filter = filter.into_filter().map_err(to_js_error)?;
        let client = self.client();
        let call = async move {
            let failed = client
                .failed_deliveries(&endpoint_id, &filter, concurrency, |_, _| {})
                .await
                .and_then(DeliveryReport::into_failed)
                .map_err(to_js_error)?;
            list_to_json(failed)
        };
        spawn(env, call, cancel)
    }

    /// The delivery health of the events that pass `filter`, as JSON text (the CLI's `events
    /// stats --json`); `by` is `"hour"` or `"day"` (default); the first event whose details
    /// could not be read rejects with its error.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn delivery_stats<'env>(
        &self,
        env: &'env Env,
        endpoint_id: String,
        filter: NativeFilter,
        by: Option<String>,
        concurrency: Option<i64>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let concurrency = concurrency_of(concurrency)?;
        let filter = filter.into_filter().map_err(to_js_error)?;
        let by = bucket_width(by.as_deref()).map_err(to_js_error)?;
        let client = self.client();
        let call = async move {
            let stats = client
                .delivery_stats(&endpoint_id, &filter, by, concurrency, |_, _| {})
                .await
                .and_then(StatsReport::into_stats)
                .map_err(to_js_error)?;
            to_json(&stats)
        };
        spawn(env, call, cancel)
    }

    /// POSTs the event (its normalized JSON text) to `url`; the receiver's answer as JSON
    /// text: `eventId`, `status`, `body`, `elapsedMs`, `ok`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn replay<'env>(
        &self,
        env: &'env Env,
        event_json: String,
        url: String,
        allow_insecure_http: bool,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, JsonText>> {
        let event =
            omega_webhooks_client::parse_event(event_json.as_bytes()).map_err(to_js_error)?;
        let replayer = self
            .client()
            .replayer(&url, allow_insecure_http)
            .map_err(to_js_error)?;
        let call = async move {
            let answer = replayer.send(&event).await.map_err(to_js_error)?;
            to_json(&json!({
                "eventId": answer.event_id,
                "status": answer.status,
                "body": answer.body,
                "elapsedMs": answer.elapsed.as_secs_f64() * 1000.0,
                "ok": answer.is_success(),
            }))
        };
        spawn(env, call, cancel)
    }
}

/// Details fetched at once when `concurrency` is not given (the client crate's default).
#[napi]
pub const DEFAULT_CONCURRENCY: u32 = Concurrency::DEFAULT.get() as u32;
