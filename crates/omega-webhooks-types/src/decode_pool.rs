//! The helper threads of the list decode (`parallel_decode.rs`): one small pool per process,
//! started by the first large list and kept, so a call wakes a thread that is already there
//! instead of starting one.
//!
//! A thread started per call cost more than its start: each was a new stack and a new
//! allocator heap, so a new process's first dozen large lists took longer on two threads than
//! on one (2.4 MB, 10,000 events: 4.7-7.4 ms against 3.9-4.3 ms on one thread, ~130 more page
//! faults a call), and a warm one still 0.2 ms more than with kept helpers (2.95 against
//! 2.73 ms).
//!
//! The helpers work for one list at a time: a list decoded while they are lent to another is
//! decoded on its caller's thread alone, so it never waits behind the other list's runs.
//!
//! `fork()`: a child has none of its parent's threads, so the helpers built by the parent are
//! forgotten there (never dropped, never used: [`PerProcess`]) and the child builds its own on
//! its first large list. Their slot is only ever tried (and held for a moment): a fork that
//! happens while another thread of the parent holds it leaves the child's copy held for ever,
//! and a list that finds it held is decoded on its caller's thread alone.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

use rayon_core::{ThreadPool, ThreadPoolBuilder};

use crate::{parallel_decode::cores, PerProcess};

/// The helpers' thread name (at most 15 bytes: Linux shows no more of it).
pub(crate) const THREAD_NAME: &str = "omega-decode";

/// A process's helper threads, and whether a list has them.
struct Helpers {
    pool: ThreadPool,
    lent: AtomicBool,
}

/// This process's helpers.
static HELPERS: PerProcess<Arc<Helpers>> = PerProcess::new();

/// The helpers, lent to one list until dropped.
pub(crate) struct Lent(Arc<Helpers>);

impl Lent {
    /// The threads to run the list's jobs on.
    pub(crate) fn pool(&self) -> &ThreadPool {
        &self.0.pool
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        self.0.lent.store(false, Ordering::Release);
    }
}

/// This process's helpers — a thread for each core but the caller's, built on first use —
/// when no other list has them; `None` when they are lent, the slot is busy, or the threads
/// cannot be started: the caller then decodes alone.
pub(crate) fn lend() -> Option<Lent> {
    let helpers = this_process()?;
    helpers
        .lent
        .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
        .ok()?;
    Some(Lent(helpers))
}

/// This process's helpers, built here if they were not (or by the parent of a fork).
fn this_process() -> Option<Arc<Helpers>> {
    HELPERS.try_get_or_init(|| {
        let pool = ThreadPoolBuilder::new()
            .num_threads(cores().saturating_sub(1).max(1))
            .thread_name(|_| THREAD_NAME.to_owned())
            .build()
            .ok()?;
        Some(Arc::new(Helpers {
            pool,
            lent: AtomicBool::new(false),
        }))
    })
}
