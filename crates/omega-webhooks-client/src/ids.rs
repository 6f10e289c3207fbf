//! Validation of endpoint and event ids, before any I/O.

use crate::Error;

/// Longest id accepted.
pub const MAX_ID_LEN: usize = 256;

/// Checks that `id` is 1–256 characters of `A–Z a–z 0–9 - . _ ~` and not `.` or `..`, so that
/// it can stand in a URL path segment as it is: the request path is then always exactly
/// `<base path>/client/webhooks/<id>[/events/<eid>]`.
pub fn validate_id(what: &str, id: &str) -> Result<(), Error> {
    let problem = if id.is_empty() {
        Some("is empty".to_owned())
    } else if id.len() > MAX_ID_LEN {
        Some(format!("is {} bytes long (at most {MAX_ID_LEN})", id.len()))
    } else if id == "." || id == ".." {
        Some("may not be `.` or `..`".to_owned())
    } else {
        id.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')))
            .map(|c| format!("contains {c:?}; allowed are A-Z a-z 0-9 - . _ ~"))
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(Error::configuration(format!("invalid {what}: {problem}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_provider_ids_and_unreserved_characters() {
        for ok in [
            "6336cd2b5790c27875f70d96",
            "a",
            "a.b-c_d~e",
            "...",
            &"x".repeat(256),
        ] {
            assert!(validate_id("id", ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a?b",
            "a#b",
            "a%2Fb",
            "a b",
            "a\r\nb",
            "é",
            &"x".repeat(257),
        ] {
            let error = validate_id("endpoint id", bad).expect_err(bad);
            assert!(
                error.to_string().starts_with("invalid endpoint id"),
                "{error}"
            );
        }
    }
}
