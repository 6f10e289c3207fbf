//! [`Timestamp`]: an RFC 3339 date-time that is written back exactly as it was received.

use std::{borrow::Cow, fmt, str::FromStr};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// An RFC 3339 date-time as sent by the API, e.g. `2022-09-15T10:08:22.972Z`.
///
/// The value is parsed (so an invalid date is an error at the field that holds it) and the
/// original text is kept, so serialization writes back exactly what was received: the list
/// call's zero time `0001-01-01T00:00:00Z` and any number of fractional digits included.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// The text as received; the list call's zero time is not copied.
    raw: Cow<'static, str>,
    parsed: DateTime<FixedOffset>,
}

/// A string that is not an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid RFC 3339 date-time {raw:?}: {reason}")]
pub struct TimestampError {
    raw: String,
    reason: String,
}

impl Timestamp {
    /// Parses an RFC 3339 date-time, keeping the text as given. The year, as written, must be
    /// 1 to 9999: the range every language's date type holds (Python's `datetime` included).
    pub fn parse(raw: &str) -> Result<Self, TimestampError> {
        let parsed = Timestamp::check(raw)?;
        let raw = if raw == ZERO_TIME {
            Cow::Borrowed(ZERO_TIME)
        } else {
            Cow::Owned(raw.to_owned())
        };
        Ok(Timestamp { raw, parsed })
    }

    /// The date-time `raw` denotes, if [`Timestamp::parse`] takes it (without keeping the text).
    pub(crate) fn check(raw: &str) -> Result<DateTime<FixedOffset>, TimestampError> {
        // The list call's zero time, in every item of a list: built rather than parsed.
        if raw == ZERO_TIME {
            if let Some(zero) = DateTime::from_timestamp(ZERO_TIME_UNIX_SECONDS, 0) {
                return Ok(zero.fixed_offset());
            }
        }
        if let Some(parsed) = utc(raw) {
            return Ok(parsed);
        }
        let error = |reason: String| TimestampError {
            raw: raw.to_owned(),
            reason,
        };
        let parsed = DateTime::parse_from_rfc3339(raw).map_err(|e| error(e.to_string()))?;
        if !(1..=9999).contains(&parsed.year()) {
            return Err(error(format!(
                "the year {} is outside 1 to 9999",
                parsed.year()
            )));
        }
        Ok(parsed)
    }

    /// The text exactly as received.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The instant, with the offset it was written in.
    pub fn to_datetime(&self) -> DateTime<FixedOffset> {
        self.parsed
    }

    /// Whether this is the zero time `0001-01-01T00:00:00Z` that the list call sends in place
    /// of a real creation time.
    pub fn is_zero(&self) -> bool {
        self.parsed.timestamp() == ZERO_TIME_UNIX_SECONDS
            && self.parsed.timestamp_subsec_nanos() == 0
    }
}

/// The form the API writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (1 to 9 fractional digits, the
/// year from 0001, the second at most 59), read in one pass. `None` for anything else, which
/// goes to chrono's RFC 3339 parser: this only takes what that parser takes, as it would read
/// it (a test compares them).
fn utc(raw: &str) -> Option<DateTime<FixedOffset>> {
    let b = raw.as_bytes();
    let (main, rest) = b.split_at_checked(19)?;
    let digits = |range: std::ops::Range<usize>| decimal(&main[range]);
    if [main[4], main[7], main[10], main[13], main[16]] != *b"--T::" {
        return None;
    }
    let nanos = match rest {
        [b'Z'] => 0,
        [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => {
            decimal(fraction)? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let (year, second) = (digits(0..4)?, digits(17..19)?);
    if year == 0 || second > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, digits(5..7)?, digits(8..10)?)?;
    let time = date.and_hms_nano_opt(digits(11..13)?, digits(14..16)?, second, nanos)?;
    Some(time.and_utc().fixed_offset())
}

/// The number `digits` (at most 9 ASCII digits) spell; `None` if one is not a digit.
fn decimal(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// The one RFC 3339 year the SDK refuses (RFC 3339 years have four digits, so every other one
/// is from 0001 to 9999), for a `not` beside `format: date-time`: not a `pattern` of the
/// timestamp itself, from which schema-driven fakers (json-schema-faker, so Prism) build a
/// string that is no date-time.
const YEAR_0: &str = "^0000-";

/// The zero time as the list call writes it.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// `0001-01-01T00:00:00Z` in Unix seconds.
const ZERO_TIME_UNIX_SECONDS: i64 = -62_135_596_800;

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.raw)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            // Typed, so that a null (`Option<Timestamp>`) is no year 0000; inside an `anyOf`,
            // so that json-schema-faker does not take the `not`'s type for the value's and
            // generate a number.
            "not": {
                "anyOf": [{
                    "description": "The year 0000: RFC 3339 allows it, the SDK (and most languages' date types) do not; years are 0001 to 9999.",
                    "type": "string",
                    "pattern": YEAR_0
                }]
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_and_parses_zero_time() {
        let ts = Timestamp::parse("0001-01-01T00:00:00Z").expect("zero time parses");
        assert!(ts.is_zero());
        assert_eq!(ts.as_str(), "0001-01-01T00:00:00Z");
        let parsed = DateTime::parse_from_rfc3339(ZERO_TIME).expect("chrono parses it");
        assert_eq!(
            ts.to_datetime(),
            parsed,
            "the built zero time is the parsed one"
        );
        assert_eq!(ts.to_datetime().offset(), parsed.offset());
        let frac = Timestamp::parse("2022-09-15T21:07:22.823797Z").expect("fraction parses");
        assert!(!frac.is_zero());
        assert_eq!(frac.to_string(), "2022-09-15T21:07:22.823797Z");
        assert_eq!(frac.to_datetime().timestamp_subsec_micros(), 823_797);
        for edge in ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59"] {
            assert!(Timestamp::parse(edge).is_ok(), "{edge}");
        }
    }

    #[test]
    fn the_one_pass_reader_takes_what_chrono_takes_and_reads_it_as_chrono_does() {
        let mut taken = 0;
        for date in [
            "2023-11-14",
            "2024-02-29",
            "2023-02-29",
            "2023-04-31",
            "2023-13-01",
            "2023-00-10",
            "0000-01-01",
            "0001-01-01",
            "9999-12-31",
            "2023-1a-14",
        ] {
            for time in [
                "T22:17:39",
                "T00:00:00",
                "T23:59:59",
                "T24:00:00",
                "T12:60:00",
                "T12:00:60",
                "t12:00:00",
                " 12:00:00",
                "T1:00:000",
            ] {
                for end in [
                    "Z",
                    ".9Z",
                    ".972Z",
                    ".823797Z",
                    ".123456789Z",
                    ".1234567891Z",
                    ".Z",
                    "z",
                    "+00:00",
                    "-01:30",
                    ".5",
                    "",
                    "Z ",
                ] {
                    let raw = format!("{date}{time}{end}");
                    let chrono = DateTime::parse_from_rfc3339(&raw).ok();
                    match utc(&raw) {
                        Some(fast) => {
                            taken += 1;
                            assert_eq!(Some(fast), chrono, "{raw}");
                            assert_eq!(fast.offset(), chrono.expect("taken").offset(), "{raw}");
                        }
                        None => assert!(
                            chrono.is_none()
                                || !raw.ends_with('Z')
                                || raw.contains(['t', ' '])
                                || raw.contains(":60")
                                || raw.contains(".1234567891")
                                || raw.starts_with("0000"),
                            "{raw} is one the one-pass reader should take"
                        ),
                    }
                }
            }
        }
        // Four real dates, three real times, five endings in the API's form.
        assert_eq!(taken, 4 * 3 * 5, "what the one-pass reader took");
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "",
            "yesterday",
            "2022-13-01T00:00:00Z",
            "2022-09-15T10:08:22",
            "0000-01-01T00:00:00Z",
            "0000-12-31T23:59:59-01:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }
}
