//! Integer fields, decoded within their range. Every typed integer is bounded (the JSON
//! Schemas carry the same bounds), 64-bit fields to ±(2^53 − 1): the integers that every JSON
//! reader, JavaScript's numbers included, holds exactly — so the Rust, Python and Node models
//! always agree. An integral number written as a float (`1.0`, `1e3`) is the integer it
//! denotes, as JSON Schema's `"type": "integer"` says. Unknown fields keep any number.

use std::fmt;

use serde::{de, Deserialize, Deserializer};

/// The largest integer a 64-bit field accepts: 2^53 − 1 (JavaScript's
/// `Number.MAX_SAFE_INTEGER`); the smallest signed one is its negation.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Accepts an integer (or an integral float) from `min` to `max`.
struct Bounded {
    min: i64,
    max: i64,
}

impl Bounded {
    fn check<E: de::Error>(&self, value: i128, unexpected: de::Unexpected<'_>) -> Result<i64, E> {
        if value < i128::from(self.min) || value > i128::from(self.max) {
            return Err(E::invalid_value(unexpected, self));
        }
        i64::try_from(value).map_err(|_| E::invalid_value(unexpected, self))
    }
}

impl de::Visitor<'_> for Bounded {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = |n: i64| match n {
            MAX_SAFE_INTEGER => "2^53 - 1".to_owned(),
            n if n == -MAX_SAFE_INTEGER => "-(2^53 - 1)".to_owned(),
            n => n.to_string(),
        };
        write!(
            f,
            "an integer between {} and {}",
            bound(self.min),
            bound(self.max)
        )
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        self.check(v.into(), de::Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        self.check(v.into(), de::Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // Integral and small enough for i128 (the range check follows); else not an integer.
        if v.fract() != 0.0 || !v.is_finite() || v.abs() >= 1e30 {
            return Err(E::invalid_type(de::Unexpected::Float(v), &self));
        }
        self.check(v as i128, de::Unexpected::Float(v))
    }
}

/// A signed 64-bit field (`created`).
fn signed<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(Bounded {
        min: -MAX_SAFE_INTEGER,
        max: MAX_SAFE_INTEGER,
    })
}

/// An unsigned 64-bit field (`source.size`).
fn unsigned<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let value = d.deserialize_any(Bounded {
        min: 0,
        max: MAX_SAFE_INTEGER,
    })?;
    Ok(value.unsigned_abs())
}

/// A nullable unsigned 64-bit field (`duration`, `size`).
fn optional_unsigned<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_option(NullOrUnsigned)
}

struct NullOrUnsigned;

impl<'de> de::Visitor<'de> for NullOrUnsigned {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or an integer between 0 and 2^53 - 1")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
        unsigned(d).map(Some)
    }
}

/// An unsigned field narrower than 64 bits: `T` is `u16` (`response.status_code`) or `u32`
/// (`input.width`, `input.height`), and its whole range is accepted.
fn narrow<'de, D, T>(d: D, max: T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Into<i64> + TryFrom<i64>,
{
    let value = d.deserialize_any(Bounded {
        min: 0,
        max: max.into(),
    })?;
    T::try_from(value).map_err(|_| de::Error::custom("out of range"))
}

/// A `u32` field (`input.width`, `input.height`).
fn u32_field<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(d, u32::MAX)
}

/// A `u16` field (`response.status_code`).
fn u16_field<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    narrow(d, u16::MAX)
}

/// A field type whose `Deserialize` is one of the checks above (for the models' `via`).
macro_rules! checked {
    ($(#[doc = $doc:literal])* $name:ident($inner:ty) = $check:ident) => {
        $(#[doc = $doc])*
        pub(crate) struct $name(pub(crate) $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $check(d).map($name)
            }
        }
    };
}

checked! {
    /// A signed 64-bit field (`created`).
    Signed(i64) = signed
}
checked! {
    /// An unsigned 64-bit field (`source.size`).
    Unsigned(u64) = unsigned
}
checked! {
    /// A nullable unsigned 64-bit field (`duration`, `size`).
    OptionalUnsigned(Option<u64>) = optional_unsigned
}
checked! {
    /// A `u32` field (`input.width`, `input.height`).
    U32(u32) = u32_field
}
checked! {
    /// A `u16` field (`response.status_code`).
    U16(u16) = u16_field
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created(json: &str) -> Result<i64, serde_json::Error> {
        signed(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn bounds_are_inclusive_and_integral_floats_count() {
        assert_eq!(created("9007199254740991").ok(), Some(MAX_SAFE_INTEGER));
        assert_eq!(created("-9007199254740991").ok(), Some(-MAX_SAFE_INTEGER));
        assert_eq!(created("1.0").ok(), Some(1));
        assert_eq!(created("1e3").ok(), Some(1000));
        for bad in [
            "9007199254740992",
            "-9007199254740992",
            "9223372036854775807",
            "1e300",
        ] {
            let e = created(bad).expect_err(bad).to_string();
            assert!(e.contains("2^53 - 1"), "{bad}: {e}");
        }
        for bad in ["1.5", "\"1\"", "true"] {
            assert!(created(bad).is_err(), "{bad}");
        }
        let mut de = serde_json::Deserializer::from_str("18446744073709551615");
        assert!(unsigned(&mut de).is_err());
        let mut de = serde_json::Deserializer::from_str("null");
        assert_eq!(optional_unsigned(&mut de).ok(), Some(None));
        let mut de = serde_json::Deserializer::from_str("65536");
        let e = u16_field(&mut de).expect_err("over u16").to_string();
        assert!(e.contains("between 0 and 65535"), "{e}");
        let mut de = serde_json::Deserializer::from_str("-1");
        assert!(u32_field(&mut de).is_err());
    }
}
