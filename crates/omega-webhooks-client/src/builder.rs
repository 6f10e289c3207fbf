//! [`ClientBuilder`]: every option of a client, validated once in `build()`.

use std::{fmt, net::IpAddr, time::Duration};

use url::{Host, Url};

use crate::{retry::RetryPolicy, transport::Transport, Client, Error};

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.omegastream.net/company";
/// Environment variable read for the API key.
pub const API_KEY_ENV: &str = "OMEGA_API_KEY";
/// Environment variable read for the base URL.
pub const BASE_URL_ENV: &str = "OMEGA_BASE_URL";
/// Default timeout of one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout of establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default cap of a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// The longest duration any option takes (one year): longer is a [`Error::Configuration`],
/// so that no deadline computed from an option can overflow the clock.
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 60 * 60);
/// Extra time the default total deadline allows beyond the attempts' own timeouts, for
/// backoff.
const DEADLINE_SLACK: Duration = Duration::from_secs(30);

/// Options of a [`Client`]. Start with [`Client::builder`] (nothing set) or
/// [`ClientBuilder::from_env`] (key and base URL from the environment).
///
/// ```
/// use std::time::Duration;
/// let client = omega_webhooks_client::Client::builder()
///     .api_key("0123abcd")
///     .timeout(Duration::from_secs(10))
///     .max_retries(3)
///     .build()?;
/// # Ok::<(), omega_webhooks_client::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    total_timeout: Option<Duration>,
    max_retries: u32,
    retry_initial_delay: Duration,
    retry_max_delay: Duration,
    max_response_bytes: usize,
    allow_insecure_http: bool,
    runtime: (String, String),
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            total_timeout: None,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_initial_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(8),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            runtime: ("rust".to_owned(), env!("OMEGA_RUSTC_VERSION").to_owned()),
        }
    }
}

impl ClientBuilder {
    /// A builder with the API key and base URL taken from `OMEGA_API_KEY` and
    /// `OMEGA_BASE_URL` when they are set (and not empty).
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        ClientBuilder {
            api_key: var(API_KEY_ENV),
            base_url: var(BASE_URL_ENV),
            ..Self::default()
        }
    }

    /// The API key (required). Refused if it holds control characters or non-ASCII.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL; default [`DEFAULT_BASE_URL`]. A trailing slash and a path prefix are fine.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Timeout of one attempt, from connecting to the last byte of the body; default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout of establishing a connection; default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Deadline of a whole call, retries and backoff included. Default: the attempts' own
    /// timeouts (`timeout × (max_retries + 1)`) plus 30 s.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt; default 2. Both calls are GETs, so always safe.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Backoff before the first retry (default 500 ms) and its cap (default 8 s); each retry
    /// doubles it, less up to 25% jitter.
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.retry_initial_delay = initial;
        self.retry_max_delay = max;
        self
    }

    /// Cap of a response body; default 64 MiB. A larger body is an error, not a large
    /// allocation.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Allows sending the key over plain `http://` to a host other than loopback. Off by
    /// default; loopback (`127.0.0.0/8`, `::1`, `localhost`) is always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The language and runtime named in the `User-Agent` (bindings set theirs, e.g.
    /// `("python", "3.11.7")`).
    pub fn runtime(mut self, language: impl Into<String>, version: impl Into<String>) -> Self {
        self.runtime = (language.into(), version.into());
        self
    }

    /// Validates every option and builds the client. Fails with
    /// [`Error::Configuration`] before any I/O.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = validate_api_key(self.api_key.as_deref())?;
        let base_url = validate_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.allow_insecure_http,
        )?;
        for (what, value) in [
            ("timeout", Some(self.timeout)),
            ("connect_timeout", Some(self.connect_timeout)),
            ("total_timeout", self.total_timeout),
            ("retry_initial_delay", Some(self.retry_initial_delay)),
            ("retry_max_delay", Some(self.retry_max_delay)),
        ] {
            if let Some(value) = value {
                check_duration(what, value)?;
            }
        }
        if self.max_response_bytes == 0 {
            return Err(Error::configuration(
                "max_response_bytes must be greater than zero".to_owned(),
            ));
        }
        let total_timeout = self.total_timeout.unwrap_or_else(|| {
            self.timeout
                .saturating_mul(self.max_retries.saturating_add(1))
                .saturating_add(DEADLINE_SLACK)
        });
        let (language, version) = &self.runtime;
        let user_agent = user_agent(language, version);
        let transport = Transport::new(
            &api_key,
            &user_agent,
            self.connect_timeout,
            self.max_response_bytes,
        )?;
        Ok(Client::from_parts(
            transport,
            base_url,
            Settings {
                timeout: self.timeout,
                total_timeout,
                user_agent,
                allow_insecure_http: self.allow_insecure_http,
                retry: RetryPolicy {
                    max_retries: self.max_retries,
                    initial_delay: self.retry_initial_delay,
                    max_delay: self.retry_max_delay,
                },
            },
        ))
    }
}

/// `omega-webhooks/<version> (<language>; <runtime version>)`.
pub(crate) fn user_agent(language: &str, version: &str) -> String {
    format!(
        "omega-webhooks/{} ({language}; {version})",
        env!("CARGO_PKG_VERSION")
    )
}

/// A duration option must be more than zero and at most [`MAX_DURATION`].
fn check_duration(what: &str, value: Duration) -> Result<(), Error> {
    if value.is_zero() {
        return Err(Error::configuration(format!(
            "{what} must be greater than zero"
        )));
    }
    if value > MAX_DURATION {
        return Err(duration_too_long(what, format_args!("{value:?}")));
    }
    Ok(())
}

/// The error for a duration option over [`MAX_DURATION`]; `shown` is the value as given.
pub(crate) fn duration_too_long(what: &str, shown: impl fmt::Display) -> Error {
    Error::configuration(format!(
        "{what} must be at most {} seconds (one year), not {shown}",
        MAX_DURATION.as_secs()
    ))
}

/// The validated settings of a client that outlive `build()`.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    pub(crate) total_timeout: Duration,
    /// `omega-webhooks/<version> (<language>; <runtime>)`.
    pub(crate) user_agent: String,
    /// Plain `http://` allowed to hosts other than loopback (for the API and for replays).
    pub(crate) allow_insecure_http: bool,
    pub(crate) retry: RetryPolicy,
}

fn validate_api_key(key: Option<&str>) -> Result<String, Error> {
    let key = key.ok_or_else(|| {
        Error::configuration(format!("no API key: pass one, or set {API_KEY_ENV}"))
    })?;
    if key.trim().is_empty() {
        return Err(Error::configuration(
            "the API key is empty or only whitespace".to_owned(),
        ));
    }
    if key.trim() != key {
        return Err(Error::configuration(
            "the API key has whitespace around it (copied with a newline or a space?)".to_owned(),
        ));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(Error::configuration(
            "the API key holds control or non-ASCII characters".to_owned(),
        ));
    }
    Ok(key.to_owned())
}

/// Parses the base URL and applies the plain-http rule; the result has no trailing slash.
fn validate_base_url(raw: &str, allow_insecure_http: bool) -> Result<Url, Error> {
    let mut url = validate_url(raw, UrlRole::Api, allow_insecure_http)?;
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

/// What a URL is for: the rules differ only in their words and in the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlRole {
    /// The API's base URL: no query; the API key travels to it.
    Api,
    /// A receiver that replays are POSTed to (a query is fine; the key never goes there).
    Receiver,
}

/// Parses `raw` and applies the rules of `role`: http or https, a host, no credentials, plain
/// http only to loopback unless `allow_insecure_http`.
pub(crate) fn validate_url(
    raw: &str,
    role: UrlRole,
    allow_insecure_http: bool,
) -> Result<Url, Error> {
    let (what, payload) = match role {
        UrlRole::Api => ("base URL", "the API key"),
        UrlRole::Receiver => ("receiver URL", "events"),
    };
    let bad = |why: &str| {
        Error::configuration(format!(
            "invalid {what} {:?}: {why}",
            without_credentials(raw)
        ))
    };
    let url = Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    let Some(host) = url.host() else {
        return Err(bad("no host"));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "credentials in the URL are not allowed; pass the API key instead",
        ));
    }
    if url.fragment().is_some() || (role == UrlRole::Api && url.query().is_some()) {
        return Err(bad("a query or fragment is not allowed"));
    }
    if url.scheme() == "http" && !is_loopback(&host) && !allow_insecure_http {
        return Err(Error::configuration(format!(
            "refusing to send {payload} over plain http to {host}: use https, or opt in with allow_insecure_http"
        )));
    }
    Ok(url)
}

/// `raw` with any `user:password@` of its authority replaced by `***@`, so that messages
/// never print a password (works on text that does not even parse as a URL).
pub fn without_credentials(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://").map(|i| i + 3) else {
        return raw.to_owned();
    };
    let authority_len = raw[scheme_end..]
        .find(['/', '?', '#'])
        .unwrap_or(raw.len() - scheme_end);
    let authority = &raw[scheme_end..scheme_end + authority_len];
    match authority.rfind('@') {
        Some(at) => format!("{}***{}", &raw[..scheme_end], &raw[scheme_end + at..]),
        None => raw.to_owned(),
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => {
            name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.")
        }
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_join_with_or_without_slash_and_prefix() {
        for (raw, want) in [
            (
                "https://api.omegastream.net/company",
                "https://api.omegastream.net/company",
            ),
            (
                "https://api.omegastream.net/company/",
                "https://api.omegastream.net/company",
            ),
            ("https://h.test", "https://h.test/"),
            ("https://h.test/", "https://h.test/"),
            ("http://127.0.0.1:8080/a/b/", "http://127.0.0.1:8080/a/b"),
            ("http://localhost:1", "http://localhost:1/"),
            ("http://[::1]:1/x", "http://[::1]:1/x"),
        ] {
            assert_eq!(validate_base_url(raw, false).expect(raw).as_str(), want);
        }
    }

    #[test]
    fn plain_http_to_other_hosts_needs_the_opt_in() {
        for raw in [
            "http://example.com",
            "http://10.0.0.1",
            "http://localhost.example.com",
        ] {
            let e = validate_base_url(raw, false).expect_err(raw);
            assert!(e.to_string().contains("plain http"), "{e}");
            assert!(validate_base_url(raw, true).is_ok());
        }
        for raw in [
            "ftp://h",
            "https://user:pw@h",
            "https://h/?q=1",
            "not a url",
            "https://h/#x",
        ] {
            assert!(validate_base_url(raw, true).is_err(), "{raw}");
        }
    }

    #[test]
    fn credentials_never_reach_a_message() {
        for raw in [
            "https://u:SEKRET@host/c",
            "https://SEKRET@host",
            "https://u:SEKRET@host:notaport/c",
            "http://u:SEKRET@example.com:99999",
            "ftp://u:SEKRET@h/x?y#z",
        ] {
            let e = validate_base_url(raw, false).expect_err(raw);
            let text = format!("{e} {e:?}");
            assert!(!text.contains("SEKRET"), "{text}");
            assert!(text.contains("***@"), "{text}");
        }
        assert_eq!(without_credentials("no url"), "no url");
        assert_eq!(without_credentials("https://h/a@b"), "https://h/a@b");
    }

    #[test]
    fn durations_are_bounded() {
        let build = |b: ClientBuilder| b.api_key("k").build().map(|_| ());
        for builder in [
            ClientBuilder::default().timeout(Duration::from_secs(4_000_000_000_000_000_000)),
            ClientBuilder::default().connect_timeout(Duration::MAX),
            ClientBuilder::default().total_timeout(MAX_DURATION + Duration::from_secs(1)),
            ClientBuilder::default().retry_delays(Duration::from_secs(1), Duration::MAX),
        ] {
            let e = build(builder).expect_err("refused");
            assert!(e.to_string().contains("at most 31536000 seconds"), "{e}");
        }
        assert!(build(
            ClientBuilder::default()
                .timeout(MAX_DURATION)
                .max_retries(u32::MAX)
        )
        .is_ok());
        assert!(build(ClientBuilder::default().total_timeout(Duration::ZERO)).is_err());
    }

    #[test]
    fn api_keys() {
        assert!(validate_api_key(Some("abc123")).is_ok());
        assert!(validate_api_key(Some("two words")).is_ok());
        for bad in [
            None,
            Some(""),
            Some("   "),
            Some(" abc"),
            Some("abc "),
            Some("abc\n"),
            Some("a\nb"),
            Some("a\0"),
            Some("clé"),
            Some("a\tb"),
        ] {
            assert!(validate_api_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_redacts_the_key() {
        let text = format!("{:?}", ClientBuilder::default().api_key("sekrit-key"));
        assert!(!text.contains("sekrit"), "{text}");
    }
}
