//! [`EventFilter`]: which events of an endpoint a delivery operation looks at, applied to the
//! list on the client side (the API has no filters) by [`Client::list_filtered`]; [`When`] and
//! [`parse_when`] for its times, as front ends give them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use omega_webhooks_types::{Event, EventType};

use crate::{Client, Error};

/// A point in time as a front end gives it: what `since`/`until` accept in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// Unix seconds (Python's aware `datetime`).
    At(i64),
    /// An age before now (Python's `timedelta`).
    Ago(Duration),
    /// An RFC 3339 date-time or an age such as `30m` (the CLI's flags, Node's options): see
    /// [`parse_when`].
    Text(String),
}

impl When {
    /// Unix seconds, with ages counted back from `now`.
    pub fn resolve(&self, now: SystemTime) -> Result<i64, Error> {
        match self {
            When::At(secs) => Ok(*secs),
            When::Ago(age) => Ok(unix_seconds(now.checked_sub(*age).unwrap_or(UNIX_EPOCH))),
            When::Text(text) => parse_when(text, now),
        }
    }
}

impl From<String> for When {
    fn from(text: String) -> Self {
        When::Text(text)
    }
}

/// Event types and a time window on `created` (Unix seconds, both ends inclusive). The
/// default matches every event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Keep only these types (known or not); empty keeps every type.
    pub types: Vec<EventType>,
    /// Keep events created at or after this time.
    pub since: Option<i64>,
    /// Keep events created at or before this time.
    pub until: Option<i64>,
}

impl EventFilter {
    /// The filter of a delivery operation's `types`, `since` and `until` (ages counted back
    /// from `now`): how every front end builds one. Types are kept as given when unknown; a
    /// time that does not parse is a [`Error::Configuration`].
    pub fn new<T: AsRef<str>>(
        types: impl IntoIterator<Item = T>,
        since: Option<When>,
        until: Option<When>,
        now: SystemTime,
    ) -> Result<EventFilter, Error> {
        let resolve = |when: Option<When>| when.map(|w| w.resolve(now)).transpose();
        Ok(EventFilter {
            types: types
                .into_iter()
                .map(|t| EventType::from_wire(t.as_ref()))
                .collect(),
            since: resolve(since)?,
            until: resolve(until)?,
        })
    }

    /// Whether `event` passes the filter.
    pub fn matches(&self, event: &Event) -> bool {
        self.admits(&event.event_type, event.created)
    }

    /// Whether an event of `event_type` created at `created` passes the filter.
    pub fn admits(&self, event_type: &EventType, created: i64) -> bool {
        (self.types.is_empty() || self.types.contains(event_type))
            && self.since.is_none_or(|since| created >= since)
            && self.until.is_none_or(|until| created <= until)
    }

    /// The events that pass, in their order.
    pub fn apply(&self, events: Vec<Event>) -> Vec<Event> {
        events.into_iter().filter(|e| self.matches(e)).collect()
    }
}

impl Client {
    /// The events of `endpoint_id` that pass `filter`, in list order (the list call, filtered
    /// here: the API has no filters).
    pub async fn list_filtered(
        &self,
        endpoint_id: &str,
        filter: &EventFilter,
    ) -> Result<Vec<Event>, Error> {
        Ok(filter.apply(self.list_events(endpoint_id).await?))
    }
}

/// A point in time as Unix seconds, from an RFC 3339 date-time (`2026-11-29T08:00:00Z`) or an
/// age before `now` (`30m`, `24h`, `7d`, `1h30m`); anything else is a
/// [`Error::Configuration`].
pub fn parse_when(text: &str, now: SystemTime) -> Result<i64, Error> {
    let text = text.trim();
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(at.timestamp());
    }
    let age = humantime::parse_duration(text).map_err(|e| {
        Error::configuration_caused(
            format!(
                "{text:?} is neither an RFC 3339 date-time nor an age such as 30m, 24h or 7d ({e})"
            ),
            e,
        )
    })?;
    When::Ago(age).resolve(now)
}

/// `at` as Unix seconds (negative before 1970, saturating at the ends of `i64`).
pub fn unix_seconds(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_parse_as_dates_or_ages() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(parse_when("1970-01-01T00:00:10Z", now).ok(), Some(10));
        assert_eq!(parse_when("30m", now).ok(), Some(1_000_000 - 1800));
        assert_eq!(parse_when("7d", now).ok(), Some(1_000_000 - 7 * 86_400));
        assert_eq!(parse_when(" 1h 30m ", now).ok(), Some(1_000_000 - 5400));
        for bad in ["yesterday", "", "-5m", "2026-13-01T00:00:00Z"] {
            assert!(
                matches!(parse_when(bad, now), Err(Error::Configuration { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn filters_by_type_and_window() {
        let events: Vec<Event> = (0..4)
            .map(|i| {
                let kind = if i % 2 == 0 { "video.uploaded" } else { "video.deleted" };
                omega_webhooks_types::parse_event(
                    format!(
                        r#"{{"id":"e{i}","coid":"c","api_version":"v1","created":{i},"type":"{kind}","endpoint_id":"ep"}}"#
                    )
                    .as_bytes(),
                )
                .expect("event")
            })
            .collect();
        let filter = EventFilter {
            types: vec![EventType::VideoUploaded],
            since: Some(1),
            until: Some(3),
        };
        let kept: Vec<_> = filter
            .apply(events.clone())
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(kept, ["e2"]);
        assert_eq!(EventFilter::default().apply(events).len(), 4);
    }

    #[test]
    fn filters_are_built_from_every_form_of_time() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let built = EventFilter::new(
            ["video.uploaded", "video.new_kind"],
            Some(When::Ago(Duration::from_secs(100))),
            Some("1970-01-01T00:16:00Z".to_owned().into()),
            now,
        )
        .expect("filter");
        assert_eq!(
            built,
            EventFilter {
                types: vec![
                    EventType::VideoUploaded,
                    EventType::from_wire("video.new_kind")
                ],
                since: Some(900),
                until: Some(960),
            }
        );
        assert_eq!(When::At(5).resolve(now).ok(), Some(5));
        let bad = EventFilter::new([""; 0], Some(When::Text("soon".into())), None, now);
        assert!(matches!(bad, Err(Error::Configuration { .. })));
    }
}
