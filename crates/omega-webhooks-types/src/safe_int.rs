//! Integer fields bounded to ±(2^53 − 1): the integers that every JSON reader, JavaScript's
//! numbers included, holds exactly. A larger value is a decode error at its path, so the Rust,
//! Python and Node models (and the JSON Schemas, which carry the same bounds) always agree.
//! Unknown fields are not typed and keep any number.

use serde::{de, Deserialize, Deserializer};

/// The largest integer a typed field accepts: 2^53 − 1 (JavaScript's
/// `Number.MAX_SAFE_INTEGER`); the smallest is its negation.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// What the error message says is expected.
const EXPECTED: &str = "an integer between -(2^53 - 1) and 2^53 - 1";

/// A signed field (`created`).
pub(crate) fn signed<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let value = i64::deserialize(d)?;
    if value.unsigned_abs() > MAX_SAFE_INTEGER.unsigned_abs() {
        return Err(de::Error::invalid_value(
            de::Unexpected::Signed(value),
            &EXPECTED,
        ));
    }
    Ok(value)
}

/// An unsigned field (`size`, `source.size`).
pub(crate) fn unsigned<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let value = u64::deserialize(d)?;
    if value > MAX_SAFE_INTEGER.unsigned_abs() {
        return Err(de::Error::invalid_value(
            de::Unexpected::Unsigned(value),
            &EXPECTED,
        ));
    }
    Ok(value)
}

/// A nullable unsigned field (`duration`, `size`).
pub(crate) fn optional_unsigned<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    struct Bounded(#[serde(deserialize_with = "unsigned")] u64);
    Ok(Option::<Bounded>::deserialize(d)?.map(|Bounded(value)| value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created(json: &str) -> Result<i64, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        signed(&mut de)
    }

    #[test]
    fn bounds_are_inclusive() {
        assert_eq!(created("9007199254740991").ok(), Some(MAX_SAFE_INTEGER));
        assert_eq!(created("-9007199254740991").ok(), Some(-MAX_SAFE_INTEGER));
        for bad in [
            "9007199254740992",
            "-9007199254740992",
            "9223372036854775807",
        ] {
            let e = created(bad).expect_err(bad).to_string();
            assert!(e.contains("2^53 - 1"), "{e}");
        }
        let mut de = serde_json::Deserializer::from_str("18446744073709551615");
        assert!(unsigned(&mut de).is_err());
        let mut de = serde_json::Deserializer::from_str("null");
        assert_eq!(optional_unsigned(&mut de).ok(), Some(None));
    }
}
