//! Large lists decoded in parts, on as many threads as the machine has cores: the caller's and
//! the helpers kept by `decode_pool.rs`. Every run is decoded before the call returns, and no
//! helper holds anything of the list after it.
//!
//! The elements of a list of compact JSON (what the API sends) are cut into runs before an
//! element that follows `},{`; each run (`{...},{...}`, no brackets) is decoded on its own. A
//! run decodes exactly when every cut falls between two elements: the first run starts where
//! the list's first element does, and a run that decodes ends where an element ends (a cut
//! inside a string leaves that string open, a cut inside a nested value leaves its element
//! open), so the next run starts at an element too. When any run does not decode, the caller
//! decodes the list whole, which also gives the error its place in the whole body.
//!
//! There are more runs than threads, and each thread takes the next run left: a thread that
//! starts late (an idle core of a virtual machine can take milliseconds to wake) takes fewer
//! runs instead of making the others wait for its share, so a list never takes much longer
//! than on one thread.

use std::{
    num::NonZeroUsize,
    panic::{self, AssertUnwindSafe},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        OnceLock,
    },
    thread,
};

use serde::de::DeserializeOwned;

use crate::decode_pool;

/// The smallest share of a list worth a thread of its own (starting one costs tens of
/// microseconds; this much takes about a millisecond to decode).
const MIN_THREAD_BYTES: usize = 512 * 1024;

/// The size of a run, about (larger for lists past [`RUNS_PER_THREAD`]): small enough that a
/// late thread still finds runs left, large enough that each one's own costs (a list of its
/// own, an allocation or two) do not count.
const RUN_BYTES: usize = 256 * 1024;

/// The most runs per thread. More only add lists to join, and memory: with glibc's malloc,
/// the 94 runs of a 100,000-event list left the threads' arenas holding ~20 MiB more at the
/// peak (Python, W4's list: 112 MiB against 90 with 8 runs).
const RUNS_PER_THREAD: usize = 4;

/// The most threads one list is decoded on.
const MAX_THREADS: usize = 8;

/// `decode` of each run of the elements of the list `body`, in order; `None` when `body` is
/// too small to cut (checked first: a small list costs nothing here), is not UTF-8 or not a
/// bracketed list, has no place to cut, or a run does not decode.
pub(crate) fn in_runs<T: Send + Sync>(
    body: &[u8],
    decode: impl Fn(&str) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    if threads_for(body.len()) < 2 {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let elements = trim_json(text).strip_prefix('[')?.strip_suffix(']')?;
    elements_in_runs(elements, decode)
}

/// The threads worth decoding `len` bytes on.
fn threads_for(len: usize) -> usize {
    (len / MIN_THREAD_BYTES).min(cores())
}

/// `decode` of each run of `elements` (a list's elements, without its brackets), in order, on
/// several threads; `None` when they are too few to cut, have no place to cut, or a run does
/// not decode, and when the helpers are working for another list (`decode_pool.rs`).
pub(crate) fn elements_in_runs<T: Send + Sync>(
    elements: &str,
    decode: impl Fn(&str) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let threads = threads_for(elements.len());
    if threads < 2 {
        return None;
    }
    let helpers = decode_pool::lend()?;
    let runs = runs(
        elements,
        (elements.len() / RUN_BYTES).min(threads * RUNS_PER_THREAD),
    );
    if runs.len() < 2 {
        return None;
    }
    let queue = Queue::new(&runs);
    let (shared, decode) = (&queue, &decode);
    helpers.pool().in_place_scope(|scope| {
        for _ in 1..threads.min(runs.len()) {
            // A helper that panicked (none should) leaves the run it took undecoded, which
            // `into_decoded` reports as `None`: the whole decode. Caught here, its panic goes
            // no further.
            scope.spawn(move |_| {
                let _ = panic::catch_unwind(AssertUnwindSafe(|| shared.work(decode)));
            });
        }
        shared.work(decode);
    });
    queue.into_decoded()
}

/// The runs of one list, taken one at a time by every thread that decodes it.
struct Queue<'a, T> {
    runs: &'a [&'a str],
    /// The index of the next run to take.
    next: AtomicUsize,
    /// Set when a run does not decode: the list is decoded whole, the other runs are left.
    failed: AtomicBool,
    decoded: Vec<OnceLock<T>>,
}

impl<'a, T> Queue<'a, T> {
    /// The queue of `runs`, none taken yet.
    fn new(runs: &'a [&'a str]) -> Self {
        Queue {
            runs,
            next: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            decoded: runs.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// Decodes the next run left, until none is or one fails.
    fn work(&self, decode: &impl Fn(&str) -> Option<T>) {
        while !self.failed.load(Ordering::Relaxed) {
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(run) = self.runs.get(index) else {
                return;
            };
            match decode(run) {
                Some(value) => {
                    // Each index is taken once: the cell is empty.
                    let _ = self.decoded[index].set(value);
                }
                None => self.failed.store(true, Ordering::Relaxed),
            }
        }
    }

    /// Every run's value, in order, once the work is over; `None` when one is missing.
    fn into_decoded(self) -> Option<Vec<T>> {
        if self.failed.into_inner() {
            return None;
        }
        self.decoded.into_iter().map(OnceLock::into_inner).collect()
    }
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
/// [`MAX_THREADS`]; asked once (it reads cgroup limits).
pub(crate) fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| {
        thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(MAX_THREADS)
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

    /// The only test of this crate's unit tests that decodes a list large enough for the
    /// helpers (tests run in parallel: another would find them lent).
    #[test]
    fn a_large_list_is_decoded_in_runs_on_a_machine_with_cores() {
        let item = r#"{"id":"650000000000000000000000","n":1},"#;
        let count = 4 * MIN_THREAD_BYTES / item.len();
        let text = format!("\n[{}{{}}] ", item.repeat(count));
        let lengths = |text: &str| {
            in_runs(text.as_bytes(), |run| {
                elements::<Value>(run).map(|v| v.len())
            })
        };
        if cores() < 2 {
            assert_eq!(lengths(&text), None);
            return;
        }
        for _ in 0..5 {
            let runs = lengths(&text).expect("in runs");
            let threads = (text.len() / MIN_THREAD_BYTES).min(cores());
            let expected = (text.len() / RUN_BYTES).min(threads * RUNS_PER_THREAD);
            assert!(expected > threads, "more runs than threads");
            assert_eq!(runs.len(), expected);
            assert_eq!(runs.iter().sum::<usize>(), count + 1);
        }
        // The helpers are kept between lists: a thread for each core but the caller's.
        #[cfg(target_os = "linux")]
        {
            let names = std::fs::read_dir("/proc/self/task")
                .expect("threads")
                .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok());
            let helpers = names
                .filter(|name| name.trim_end() == decode_pool::THREAD_NAME)
                .count();
            assert_eq!(helpers, cores() - 1);
        }
        // While another list has the helpers, this one is decoded whole on its own thread.
        let lent = decode_pool::lend().expect("the helpers are free");
        assert_eq!(lengths(&text), None);
        drop(lent);
        assert!(lengths(&text).is_some());
    }

    #[test]
    fn one_thread_alone_takes_every_run_in_order_and_stops_at_a_failure() {
        let runs = ["1,2", "3", "4,5,6"];
        let queue = Queue::new(&runs);
        queue.work(&|run: &str| elements::<u8>(run));
        assert_eq!(
            queue.into_decoded(),
            Some(vec![vec![1, 2], vec![3], vec![4, 5, 6]])
        );
        let runs = ["1", "x", "2"];
        let queue = Queue::new(&runs);
        queue.work(&|run: &str| elements::<u8>(run));
        assert_eq!(
            queue.next.load(Ordering::Relaxed),
            2,
            "stopped at the failure"
        );
        assert_eq!(queue.into_decoded(), None);
    }

    #[test]
    fn lists_without_a_place_to_cut_are_not_cut() {
        assert_eq!(runs(r#"{"a": 1}, {"b": 2}"#, 4).len(), 1);
        let pretty = format!("[{}]", "{\"a\": 1}, ".repeat(MIN_THREAD_BYTES) + "{}");
        assert_eq!(in_runs(pretty.as_bytes(), |_| Some(())), None);
        assert_eq!(
            in_runs("1".repeat(4 * MIN_THREAD_BYTES).as_bytes(), |_| Some(())),
            None
        );
    }
}
