//! The `memory` store: the event ids of this process, the newest [`super::MEMORY_CAPACITY`].

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

use super::Held;

/// What the store holds of one event.
#[derive(Debug)]
struct Entry {
    /// The claim's owner, or `None` once done.
    token: Option<String>,
    /// When the claim or the memory of it ends.
    until: Instant,
}

/// The ids, and the order they came in (each id once: an entry is only removed when it is the
/// oldest and the store is full; a release ends its entry instead).
#[derive(Debug)]
struct Seen {
    entries: HashMap<String, Entry>,
    order: VecDeque<String>,
}

/// The store (its lock is held for a map operation, never across I/O or an await).
#[derive(Debug)]
pub(super) struct MemoryStore {
    seen: Mutex<Seen>,
    capacity: usize,
}

impl MemoryStore {
    /// An empty store of at most `capacity` ids, its memory reserved at once (the pages are
    /// only taken as ids come): a map that grows copies every entry into new memory while the
    /// lock is held — 30-80 ms at 57,000-100,000 ids on this project's 2-vCPU VM, where a page
    /// fault is slow — and a full map of removed and added ids grows once more unless it has
    /// room for twice the ids (its removals then mostly leave empty slots, not tombstones).
    pub(super) fn new(capacity: usize) -> MemoryStore {
        MemoryStore {
            seen: Mutex::new(Seen {
                entries: HashMap::with_capacity(capacity.saturating_mul(2)),
                order: VecDeque::with_capacity(capacity),
            }),
            capacity,
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        // A panic while holding it left a map, not a broken invariant.
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn claim(&self, key: &str, token: &str, lease: Duration) -> Held {
        let now = Instant::now();
        let mut seen = self.seen();
        if let Some(entry) = seen.entries.get_mut(key) {
            if entry.until > now {
                return if entry.token.is_none() {
                    Held::Done
                } else {
                    Held::Taken
                };
            }
            *entry = Entry {
                token: Some(token.to_owned()),
                until: now + lease,
            };
            return Held::Claimed;
        }
        if seen.entries.len() >= self.capacity {
            if let Some(oldest) = seen.order.pop_front() {
                seen.entries.remove(&oldest);
            }
        }
        let entry = Entry {
            token: Some(token.to_owned()),
            until: now + lease,
        };
        seen.entries.insert(key.to_owned(), entry);
        seen.order.push_back(key.to_owned());
        Held::Claimed
    }

    pub(super) fn done(&self, key: &str, token: &str, remember: Duration) {
        let now = Instant::now();
        let mut seen = self.seen();
        if let Some(entry) = seen.entries.get_mut(key) {
            if entry.token.as_deref() == Some(token) || entry.until <= now {
                *entry = Entry {
                    token: None,
                    until: now + remember,
                };
            }
        }
    }

    pub(super) fn release(&self, key: &str, token: &str) {
        let mut seen = self.seen();
        if let Some(entry) = seen.entries.get_mut(key) {
            if entry.token.as_deref() == Some(token) {
                entry.until = Instant::now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_once_until_released_or_expired_and_keeps_the_newest() {
        let store = MemoryStore::new(2);
        let minute = Duration::from_secs(60);
        assert_eq!(store.claim("a", "t1", minute), Held::Claimed);
        assert_eq!(store.claim("a", "t2", minute), Held::Taken);
        store.release("a", "t2"); // not the owner: nothing happens
        assert_eq!(store.claim("a", "t2", minute), Held::Taken);
        store.release("a", "t1");
        assert_eq!(store.claim("a", "t2", minute), Held::Claimed);
        store.done("a", "t2", minute);
        assert_eq!(store.claim("a", "t3", minute), Held::Done);
        assert_eq!(
            store.claim("b", "t", Duration::from_nanos(1)),
            Held::Claimed
        );
        std::thread::sleep(Duration::from_millis(1));
        assert_eq!(store.claim("b", "u", minute), Held::Claimed);
        // Full: the oldest id ("a") goes.
        assert_eq!(store.claim("c", "t", minute), Held::Claimed);
        assert_eq!(store.claim("a", "t4", minute), Held::Claimed);
        assert_eq!(store.seen().entries.len(), 2);
    }
}
