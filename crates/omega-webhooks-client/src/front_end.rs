//! Options as the CLI and the language bindings receive them (seconds as floats, counts as
//! signed integers, `None` for "the default"), validated in one place so that every front end
//! refuses the same inputs with the same messages and has the same defaults:
//! [`ClientOptions`] (into a [`ClientBuilder`]), [`Concurrency`] (of the batch operations) and
//! [`FollowArgs`] (of `follow` and `wait_for_event`, into [`FollowOptions`]), and
//! [`bucket_width`] (of `delivery_stats`).

use std::{
    path::PathBuf,
    time::{Duration, SystemTime},
};

use crate::{
    builder::{duration_too_long, MAX_DURATION},
    BucketWidth, ClientBuilder, Error, EventFilter, FollowOptions, When,
};

/// `by` of `delivery_stats` as the bindings receive it (`None`: day): `"hour"` or `"day"`,
/// anything else an [`Error::Configuration`].
pub fn bucket_width(by: Option<&str>) -> Result<BucketWidth, Error> {
    by.map_or(Ok(BucketWidth::Day), |text| {
        text.parse().map_err(Error::configuration)
    })
}

/// How many requests a batch operation (`get_events`, `failed_deliveries`, replays) runs at
/// once: from 1 to [`Concurrency::MAX`], [`Concurrency::DEFAULT`] when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concurrency(usize);

impl Concurrency {
    /// The default: 8 requests at once.
    pub const DEFAULT: Concurrency = Concurrency(8);
    /// The most requests at once a front end accepts.
    pub const MAX: usize = 256;

    /// `n` requests at once; 0, a negative number or more than [`Concurrency::MAX`] is an
    /// [`Error::Configuration`].
    pub fn new(n: i64) -> Result<Concurrency, Error> {
        usize::try_from(n)
            .ok()
            .filter(|n| (1..=Concurrency::MAX).contains(n))
            .map(Concurrency)
            .ok_or_else(|| count_out_of_range("concurrency", 1, Concurrency::MAX as u64, n))
    }

    /// [`Concurrency::new`], or the default for `None`.
    pub fn or_default(n: Option<i64>) -> Result<Concurrency, Error> {
        n.map_or(Ok(Concurrency::DEFAULT), Concurrency::new)
    }

    /// The number of requests.
    pub const fn get(self) -> usize {
        self.0
    }
}

impl Default for Concurrency {
    fn default() -> Self {
        Concurrency::DEFAULT
    }
}

/// The options of `follow` and `wait_for_event` as front ends receive them; `None` means the
/// default ([`FollowOptions::default`], and for waiting [`crate::DEFAULT_WAIT_TIMEOUT`]).
#[derive(Debug, Clone, Default)]
pub struct FollowArgs {
    /// Only events of these types (known or not); empty: every type.
    pub types: Vec<String>,
    /// Also hand out the events created at or after this time.
    pub since: Option<When>,
    /// Seconds between two polls.
    pub interval_secs: Option<f64>,
    /// The state file (following only).
    pub state: Option<PathBuf>,
    /// Only events whose delivery succeeded, in full.
    pub delivered: bool,
}

impl FollowArgs {
    /// The options of a follower that runs for ever.
    pub fn following(self, now: SystemTime) -> Result<FollowOptions, Error> {
        let (filter, interval) = self.parts(now)?;
        Ok(FollowOptions {
            interval,
            since: filter.since,
            state: self.state,
            types: filter.types,
            delivered: self.delivered,
            timeout: None,
        })
    }

    /// The options of `wait_for_event`: the first matching event within `timeout_secs`
    /// (counting events created since `since`, by default the current second; see
    /// [`FollowOptions::waiting`]). A state file is not used for waiting.
    pub fn waiting(
        self,
        timeout_secs: Option<f64>,
        now: SystemTime,
    ) -> Result<FollowOptions, Error> {
        let (filter, interval) = self.parts(now)?;
        let timeout = timeout_secs
            .map(|secs| positive_seconds("timeout", secs))
            .transpose()?
            .unwrap_or(crate::DEFAULT_WAIT_TIMEOUT);
        Ok(FollowOptions {
            interval,
            types: filter.types,
            delivered: self.delivered,
            ..FollowOptions::waiting(filter.since, timeout)
        })
    }

    /// The filter (types and `since`) and the interval.
    fn parts(&self, now: SystemTime) -> Result<(EventFilter, Duration), Error> {
        let filter = EventFilter::new(&self.types, self.since.clone(), None, now)?;
        let interval = self
            .interval_secs
            .map(|secs| positive_seconds("interval", secs))
            .transpose()?
            .unwrap_or(crate::DEFAULT_POLL_INTERVAL);
        Ok((filter, interval))
    }
}

/// Options from a front end. `None` means "the default" (for the key and base URL: the
/// environment first).
#[derive(Debug, Default, Clone)]
pub struct ClientOptions {
    /// API key; `OMEGA_API_KEY` when `None`.
    pub api_key: Option<String>,
    /// Base URL; `OMEGA_BASE_URL`, else the production URL, when `None`.
    pub base_url: Option<String>,
    /// Timeout of one attempt, in seconds.
    pub timeout_secs: Option<f64>,
    /// Timeout of connecting, in seconds.
    pub connect_timeout_secs: Option<f64>,
    /// Deadline of a whole call including retries, in seconds.
    pub total_timeout_secs: Option<f64>,
    /// Retries after the first attempt (0 or more).
    pub max_retries: Option<i64>,
    /// Backoff before the first retry, in seconds (it doubles, up to 8 s).
    pub retry_initial_delay_secs: Option<f64>,
    /// Cap of a response body, in bytes.
    pub max_response_bytes: Option<i64>,
    /// Allow the key over plain `http://` to hosts other than loopback.
    pub allow_insecure_http: bool,
}

/// Cap of the backoff when only the initial delay is given.
const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(8);

impl ClientOptions {
    /// Validates the options over [`ClientBuilder::from_env`]. Bindings then name their
    /// language in the `User-Agent` with [`ClientBuilder::runtime`].
    pub fn into_builder(self) -> Result<ClientBuilder, Error> {
        let mut builder = ClientBuilder::from_env();
        if let Some(key) = self.api_key {
            builder = builder.api_key(key);
        }
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(secs) = self.timeout_secs {
            builder = builder.timeout(positive_seconds("timeout", secs)?);
        }
        if let Some(secs) = self.connect_timeout_secs {
            builder = builder.connect_timeout(positive_seconds("connect_timeout", secs)?);
        }
        if let Some(secs) = self.total_timeout_secs {
            builder = builder.total_timeout(positive_seconds("total_timeout", secs)?);
        }
        if let Some(retries) = self.max_retries {
            let retries = u32::try_from(retries)
                .map_err(|_| count_out_of_range("max_retries", 0, u32::MAX.into(), retries))?;
            builder = builder.max_retries(retries);
        }
        if let Some(secs) = self.retry_initial_delay_secs {
            let initial = positive_seconds("retry_initial_delay", secs)?;
            builder = builder.retry_delays(initial, DEFAULT_RETRY_MAX_DELAY.max(initial));
        }
        if let Some(bytes) = self.max_response_bytes {
            let bytes = usize::try_from(bytes)
                .ok()
                .filter(|&b| b > 0)
                .ok_or_else(|| {
                    count_out_of_range("max_response_bytes", 1, usize::MAX as u64, bytes)
                })?;
            builder = builder.max_response_bytes(bytes);
        }
        Ok(builder.allow_insecure_http(self.allow_insecure_http))
    }
}

/// `secs` as a [`Duration`]: a positive, finite number of seconds, at most [`MAX_DURATION`];
/// anything else is an [`Error::Configuration`] naming `what`.
pub fn positive_seconds(what: &str, secs: f64) -> Result<Duration, Error> {
    if !(secs.is_finite() && secs > 0.0) {
        return Err(Error::configuration(format!(
            "{what} must be a positive number of seconds, not {secs}"
        )));
    }
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero() && *d <= MAX_DURATION)
        .ok_or_else(|| {
            // Short scientific notation for huge values (f64::MAX has 309 digits).
            let shown = if secs >= 1e15 {
                format!("{secs:e}")
            } else {
                secs.to_string()
            };
            duration_too_long(what, shown)
        })
}

/// The error for a count option outside `min..=max`; `shown` is the value as given
/// (bindings use it for integers too large for an `i64`).
pub fn count_out_of_range(what: &str, min: u64, max: u64, shown: impl std::fmt::Display) -> Error {
    Error::configuration(format!(
        "{what} must be between {min} and {max}, not {shown}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(options: ClientOptions) -> String {
        match options.into_builder().and_then(|b| b.api_key("k").build()) {
            Err(Error::Configuration { message, .. }) => message,
            other => panic!("expected a ConfigurationError, got {other:?}"),
        }
    }

    #[test]
    fn bad_numbers_are_configuration_errors() {
        assert!(refused(ClientOptions {
            timeout_secs: Some(-1.0),
            ..Default::default()
        })
        .starts_with("timeout must be"));
        assert!(refused(ClientOptions {
            timeout_secs: Some(f64::NAN),
            ..Default::default()
        })
        .contains("NaN"));
        assert!(refused(ClientOptions {
            timeout_secs: Some(0.0),
            ..Default::default()
        })
        .contains("positive"));
        assert!(refused(ClientOptions {
            max_retries: Some(-1),
            ..Default::default()
        })
        .starts_with("max_retries"));
        assert!(refused(ClientOptions {
            max_response_bytes: Some(0),
            ..Default::default()
        })
        .starts_with("max_response_bytes"));
        for huge in [4e18, 1e22, 3.2e7] {
            assert!(refused(ClientOptions {
                timeout_secs: Some(huge),
                ..Default::default()
            })
            .contains("at most 31536000 seconds (one year)"));
        }
        assert!(refused(ClientOptions {
            total_timeout_secs: Some(f64::INFINITY),
            ..Default::default()
        })
        .contains("positive number"));
    }

    #[test]
    fn concurrency_is_one_to_the_maximum_or_the_default() {
        assert_eq!(
            Concurrency::or_default(None).map(Concurrency::get).ok(),
            Some(8)
        );
        assert_eq!(Concurrency::new(1).map(Concurrency::get).ok(), Some(1));
        assert_eq!(Concurrency::new(256).map(Concurrency::get).ok(), Some(256));
        for bad in [0, -1, 257, i64::MIN, i64::MAX] {
            match Concurrency::new(bad) {
                Err(Error::Configuration { message, .. }) => assert_eq!(
                    message,
                    format!("concurrency must be between 1 and 256, not {bad}")
                ),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn follow_args_take_the_defaults_and_refuse_zero() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_000);
        let follow = FollowArgs::default().following(now).expect("defaults");
        assert_eq!(follow.interval, crate::DEFAULT_POLL_INTERVAL);
        assert_eq!(follow.timeout, None);
        let wait = FollowArgs::default().waiting(None, now).expect("defaults");
        assert_eq!(wait.timeout, Some(crate::DEFAULT_WAIT_TIMEOUT));
        let zero = FollowArgs {
            interval_secs: Some(0.0),
            ..FollowArgs::default()
        };
        assert!(matches!(
            zero.following(now),
            Err(Error::Configuration { .. })
        ));
        assert!(matches!(
            FollowArgs::default().waiting(Some(-1.0), now),
            Err(Error::Configuration { .. })
        ));
    }

    #[test]
    fn good_options_build() {
        let options = ClientOptions {
            api_key: Some("k".into()),
            base_url: Some("http://127.0.0.1:9/x/".into()),
            timeout_secs: Some(0.5),
            max_retries: Some(0),
            retry_initial_delay_secs: Some(0.01),
            max_response_bytes: Some(1024),
            ..Default::default()
        };
        let client = options
            .into_builder()
            .and_then(ClientBuilder::build)
            .expect("builds");
        assert_eq!(client.base_url(), "http://127.0.0.1:9/x");
    }
}
