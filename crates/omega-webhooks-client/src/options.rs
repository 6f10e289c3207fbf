//! [`ClientOptions`]: client options as the CLI and the language bindings receive them
//! (seconds as floats, counts as signed integers), validated into a [`ClientBuilder`] in one
//! place so that every front end refuses the same inputs with the same messages.

use std::time::Duration;

use crate::{
    config::{duration_too_long, MAX_DURATION},
    ClientBuilder, Error,
};

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
        return Err(Error::Configuration(format!(
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
    Error::Configuration(format!(
        "{what} must be between {min} and {max}, not {shown}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(options: ClientOptions) -> String {
        match options.into_builder().and_then(|b| b.api_key("k").build()) {
            Err(Error::Configuration(message)) => message,
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
