//! When to retry, and how long to wait: exponential backoff with jitter, or the delay the API
//! asks for.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::backoff::{exponential, with_jitter};

/// The longest `Retry-After` honoured; a longer one ends the call at once with the error.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Retries and backoff of one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt.
    pub(crate) max_retries: u32,
    /// Backoff before the first retry.
    pub(crate) initial_delay: Duration,
    /// Cap of the backoff.
    pub(crate) max_delay: Duration,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Give up with the error.
    GiveUp,
}

impl RetryPolicy {
    /// The decision after attempt number `attempt` (1-based) failed with a retryable error;
    /// `asked` is the delay the response asked for, if any.
    pub(crate) fn decide(
        &self,
        attempt: u32,
        retryable: bool,
        asked: Option<Duration>,
    ) -> Decision {
        if !retryable || attempt > self.max_retries {
            return Decision::GiveUp;
        }
        match asked {
            Some(delay) if delay > MAX_RETRY_AFTER => Decision::GiveUp,
            Some(delay) => Decision::RetryAfter(delay),
            None => Decision::RetryAfter(self.backoff(attempt - 1)),
        }
    }

    /// The client's backoff ([`crate::backoff`]) from `initial_delay` up to `max_delay`, with
    /// jitter.
    pub(crate) fn backoff(&self, retry_index: u32) -> Duration {
        with_jitter(exponential(self.initial_delay, self.max_delay, retry_index))
    }
}

/// The delay a response asks for: `retry-after-ms` (milliseconds), else `Retry-After`
/// (seconds, or an HTTP date).
///
/// A value that is not a finite, non-negative number (`-1`, `inf`, `soon`) counts as absent,
/// so an invalid `retry-after-ms` falls back to `Retry-After`. A number too large for a
/// [`Duration`] is [`Duration::MAX`]: longer than [`MAX_RETRY_AFTER`], so the call stops.
pub(crate) fn asked_delay(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = header("retry-after-ms").and_then(non_negative_number) {
        return Some(saturating_secs(ms / 1000.0));
    }
    let value = header("retry-after")?;
    if let Some(secs) = non_negative_number(value) {
        return Some(saturating_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A finite number of zero or more (Rust's float parser alone would also take `inf`, `NaN`).
fn non_negative_number(text: &str) -> Option<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
}

/// `secs` (finite, non-negative) as a duration, [`Duration::MAX`] when it does not fit.
fn saturating_secs(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 2,
        initial_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(8),
    };

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        for (n, full) in [
            (0, 500),
            (1, 1000),
            (2, 2000),
            (4, 8000),
            (10, 8000),
            (40, 8000),
        ] {
            let d = POLICY.backoff(n).as_millis();
            assert!(
                d <= full && d >= full * 3 / 4,
                "retry {n}: {d} ms not in [{}, {full}]",
                full * 3 / 4
            );
        }
    }

    #[test]
    fn decisions() {
        assert_eq!(POLICY.decide(1, false, None), Decision::GiveUp);
        assert_eq!(POLICY.decide(3, true, None), Decision::GiveUp);
        assert_eq!(
            POLICY.decide(1, true, Some(Duration::from_secs(1))),
            Decision::RetryAfter(Duration::from_secs(1))
        );
        assert_eq!(
            POLICY.decide(1, true, Some(Duration::from_secs(3600))),
            Decision::GiveUp
        );
        assert!(matches!(
            POLICY.decide(2, true, None),
            Decision::RetryAfter(_)
        ));
    }

    #[test]
    fn reads_retry_after_in_all_forms() {
        let mut h = HeaderMap::new();
        assert_eq!(asked_delay(&h), None);
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(asked_delay(&h), Some(Duration::from_secs(3)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(asked_delay(&h), Some(Duration::from_millis(250)));
        let mut h = HeaderMap::new();
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        h.insert("retry-after", HeaderValue::from_str(&later).expect("ascii"));
        let d = asked_delay(&h).expect("date parsed");
        assert!(
            d <= Duration::from_secs(30) && d >= Duration::from_secs(28),
            "{d:?}"
        );
        h.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(asked_delay(&h), Some(Duration::ZERO));
        h.insert("retry-after", HeaderValue::from_static("-5"));
        assert_eq!(asked_delay(&h), None);
    }

    #[test]
    fn huge_delays_saturate_and_invalid_ms_falls_back() {
        for (name, value) in [
            ("retry-after", "99999999999999999999"),
            ("retry-after", "1e20"),
            ("retry-after-ms", "1e30"),
        ] {
            let mut h = HeaderMap::new();
            h.insert(name, HeaderValue::from_static(value));
            let asked = asked_delay(&h);
            assert_eq!(asked, Some(Duration::MAX), "{name}: {value}");
            assert_eq!(POLICY.decide(1, true, asked), Decision::GiveUp, "{value}");
        }
        for bad in ["-1", "inf", "NaN", "soon", "-inf"] {
            let mut h = HeaderMap::new();
            h.insert("retry-after", HeaderValue::from_static("3600"));
            h.insert("retry-after-ms", HeaderValue::from_static(bad));
            assert_eq!(asked_delay(&h), Some(Duration::from_secs(3600)), "{bad}");
        }
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("inf"));
        assert_eq!(asked_delay(&h), None);
    }
}
