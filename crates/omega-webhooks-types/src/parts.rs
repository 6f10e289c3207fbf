//! Large lists decoded in parts, on as many threads as the machine has cores (scoped: every
//! thread ends before the call returns, so nothing outlives it — a host may `fork()` after
//! any call).
//!
//! The elements of a list of compact JSON (what the API sends) are cut into runs before an
//! element that follows `},{`; each run (`{...},{...}`, no brackets) is decoded on its own. A
//! run decodes exactly when every cut falls between two elements: the first run starts where
//! the list's first element does, and a run that decodes ends where an element ends (a cut
//! inside a string leaves that string open, a cut inside a nested value leaves its element
//! open), so the next run starts at an element too. When any run does not decode, the caller
//! decodes the list whole, which also gives the error its place in the whole body.

use std::{num::NonZeroUsize, sync::OnceLock, thread};

use serde::de::DeserializeOwned;

/// The smallest run worth a thread of its own (starting one costs tens of microseconds; a run
/// this size takes about a millisecond to decode).
const MIN_RUN_BYTES: usize = 512 * 1024;

/// The most threads one list is decoded on.
const MAX_RUNS: usize = 8;

/// `decode` of each run of the elements of the list `body`, in order; `None` when `body` is
/// too small to cut (checked first: a small list costs nothing here), is not UTF-8 or not a
/// bracketed list, has no place to cut, or a run does not decode.
pub(crate) fn in_runs<T: Send>(
    body: &[u8],
    decode: impl Fn(&str) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let count = (body.len() / MIN_RUN_BYTES).min(cores());
    if count < 2 {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let elements = trim_json(text).strip_prefix('[')?.strip_suffix(']')?;
    let runs = runs(elements, count);
    if runs.len() < 2 {
        return None;
    }
    let decode = &decode;
    thread::scope(|scope| {
        let others: Vec<_> = runs[1..]
            .iter()
            .map(|&run| {
                thread::Builder::new()
                    .name("omega-webhooks-decode".to_owned())
                    .spawn_scoped(scope, move || decode(run))
                    .map_err(|_| run)
            })
            .collect();
        let mut decoded = vec![decode(runs[0])?];
        for other in others {
            // A thread that could not start: its run is decoded here.
            let run = match other {
                Ok(handle) => handle.join().ok()?,
                Err(run) => decode(run),
            };
            decoded.push(run?);
        }
        Some(decoded)
    })
}

/// The values of a run (`{...},{...}`, JSON whitespace around each), read without copying
/// the run; `None` when it is anything else.
pub(crate) fn elements<T: DeserializeOwned>(run: &str) -> Option<Vec<T>> {
    let mut values = Vec::new();
    let mut rest = run;
    loop {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        values.push(stream.next()?.ok()?);
        rest = trim_json(&rest[stream.byte_offset()..]);
        if rest.is_empty() {
            return Some(values);
        }
        rest = rest.strip_prefix(',')?;
    }
}

/// `elements` cut before the `{` of a `},{` at or after each of `count - 1` even steps
/// through it (fewer runs when two steps find the same one, or none is left).
fn runs(elements: &str, count: usize) -> Vec<&str> {
    let mut runs = Vec::with_capacity(count);
    let mut start = 0;
    for step in 1..count {
        let from = (elements.len() * step / count).max(start);
        let Some(at) = elements.as_bytes()[from..]
            .windows(3)
            .position(|w| w == b"},{")
        else {
            break;
        };
        let cut = from + at + 2;
        // The run ends before the comma.
        runs.push(&elements[start..cut - 1]);
        start = cut;
    }
    runs.push(&elements[start..]);
    runs
}

/// `text` without JSON whitespace at either end.
fn trim_json(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// The cores this process may use, as far as std can tell (1 when it cannot), at most
/// [`MAX_RUNS`]; asked once (it reads cgroup limits).
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| {
        thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(MAX_RUNS)
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    #[test]
    fn runs_are_cut_at_every_brace_comma_brace_even_inside_strings_or_nested_lists() {
        let list = r#"{"a":1},{"b":"},{"},{"c":[{"d":2},{"e":3}]}"#;
        let runs = runs(list, 8);
        assert_eq!(
            runs,
            [
                r#"{"a":1}"#,
                r#"{"b":"}"#,
                r#"{"}"#,
                r#"{"c":[{"d":2}"#,
                r#"{"e":3}]}"#
            ]
        );
        // The cuts inside a string or a nested list make runs that do not decode, which is
        // what sends such a list to the whole decode.
        assert_eq!(elements::<Value>(runs[0]).map(|v| v.len()), Some(1));
        assert!(runs[1..].iter().all(|run| elements::<Value>(run).is_none()));
    }

    #[test]
    fn a_run_is_values_separated_by_commas() {
        assert_eq!(elements::<u8>(" 1 ,2,\n3 ").expect("three"), [1, 2, 3]);
        for bad in ["", "1,", ",1", "1 2", "1,,2", "[1],2"] {
            assert_eq!(elements::<u8>(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_large_list_is_decoded_in_runs_on_a_machine_with_cores() {
        let item = r#"{"id":"650000000000000000000000","n":1},"#;
        let count = 4 * MIN_RUN_BYTES / item.len();
        let text = format!("\n[{}{{}}] ", item.repeat(count));
        let runs = in_runs(text.as_bytes(), |run| {
            elements::<Value>(run).map(|v| v.len())
        });
        if cores() < 2 {
            assert_eq!(runs, None);
            return;
        }
        let runs = runs.expect("in runs");
        assert_eq!(runs.len(), cores().min(4));
        assert_eq!(runs.iter().sum::<usize>(), count + 1);
    }

    #[test]
    fn lists_without_a_place_to_cut_are_not_cut() {
        assert_eq!(runs(r#"{"a": 1}, {"b": 2}"#, 4).len(), 1);
        let pretty = format!("[{}]", "{\"a\": 1}, ".repeat(MIN_RUN_BYTES) + "{}");
        assert_eq!(in_runs(pretty.as_bytes(), |_| Some(())), None);
        assert_eq!(
            in_runs("1".repeat(4 * MIN_RUN_BYTES).as_bytes(), |_| Some(())),
            None
        );
    }
}
