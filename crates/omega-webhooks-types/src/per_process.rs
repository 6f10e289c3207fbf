//! [`PerProcess`]: state kept per process, forgotten in a forked child.

use std::{
    fmt,
    sync::{Mutex, MutexGuard, PoisonError, TryLockError},
};

/// State that must not cross `fork()` — a thread pool, a runtime, a connection — kept with the
/// pid of the process that built it, and built anew in each new process.
///
/// A child of `fork()` has none of its parent's threads, and its copies of the parent's
/// sockets, epoll instance and file locks are shared with the parent. So a child must never use
/// or even drop such a value built in its parent (dropping a socket there would deregister it
/// from the parent's epoll, closing a SQLite connection could drop the parent's locks): in
/// another process the value is forgotten (leaked, never dropped) and built again. The decode's
/// helper threads, the dedupe stores' connections and the Python binding's runtime and clients
/// all keep their state this way.
pub struct PerProcess<T> {
    slot: Mutex<Option<(u32, T)>>,
}

impl<T> fmt::Debug for PerProcess<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PerProcess").finish_non_exhaustive()
    }
}

impl<T> Default for PerProcess<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> PerProcess<T> {
    /// Empty: the first [`PerProcess::get_or_try_init`] builds the value.
    pub const fn new() -> Self {
        PerProcess {
            slot: Mutex::new(None),
        }
    }

    /// `value`, belonging to this process.
    pub fn with(value: T) -> Self {
        PerProcess {
            slot: Mutex::new(Some((std::process::id(), value))),
        }
    }

    /// Makes `value` this process's value (one built elsewhere, e.g. by an `async` connect).
    pub fn set(&self, value: T) {
        replace(&mut self.lock(), Some(value));
    }

    /// Forgets this process's value (the next use builds another).
    pub fn clear(&self) {
        replace(&mut self.lock(), None);
    }

    fn lock(&self) -> MutexGuard<'_, Option<(u32, T)>> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Clone> PerProcess<T> {
    /// This process's value, built by `init` on first use here (`init` runs with the slot
    /// held, so a value is built once per process).
    pub fn get_or_try_init<E>(&self, init: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        get_or_init(&mut self.lock(), init)
    }

    /// Like [`PerProcess::get_or_try_init`], but `None` at once when another thread holds the
    /// slot. A fork while a thread of the parent holds it leaves the child's copy held for
    /// ever: a caller that can do without the value (the decode's helpers) never waits on it.
    pub fn try_get_or_init(&self, init: impl FnOnce() -> Option<T>) -> Option<T> {
        let mut slot = match self.slot.try_lock() {
            Ok(slot) => slot,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return None,
        };
        get_or_init(&mut slot, || init().ok_or(())).ok()
    }

    /// This process's value, if it has been built here.
    pub fn current(&self) -> Option<T> {
        owned(&self.lock()).cloned()
    }
}

/// The value in `slot` if this process built it.
fn owned<T>(slot: &Option<(u32, T)>) -> Option<&T> {
    match slot {
        Some((owner, value)) if *owner == std::process::id() => Some(value),
        _ => None,
    }
}

/// The value in `slot` if this process built it, else the one `init` builds, kept there.
fn get_or_init<T: Clone, E>(
    slot: &mut Option<(u32, T)>,
    init: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    if let Some(value) = owned(slot) {
        return Ok(value.clone());
    }
    let value = init()?;
    replace(slot, Some(value.clone()));
    Ok(value)
}

/// Puts `value` in `slot` for this process; the value it replaces is dropped if this process
/// built it, forgotten if another did.
fn replace<T>(slot: &mut Option<(u32, T)>, value: Option<T>) {
    let old = std::mem::replace(slot, value.map(|value| (std::process::id(), value)));
    forget_if_inherited(old);
}

/// Drops `old` if this process built it; forgets it (never drops it) if another did.
fn forget_if_inherited<T>(old: Option<(u32, T)>) {
    if let Some((owner, value)) = old {
        if owner != std::process::id() {
            std::mem::forget(value);
        }
    }
}

impl<T> Drop for PerProcess<T> {
    /// A value from the parent of a fork is forgotten: dropping it could touch the parent's
    /// threads or sockets.
    fn drop(&mut self) {
        let slot = self.slot.get_mut().unwrap_or_else(PoisonError::into_inner);
        forget_if_inherited(slot.take());
    }
}

#[cfg(test)]
mod tests {
    use super::PerProcess;

    #[test]
    fn built_once_then_kept() {
        let kept = PerProcess::new();
        assert_eq!(kept.current(), None);
        assert_eq!(kept.get_or_try_init(|| Ok::<_, ()>(1)), Ok(1));
        assert_eq!(kept.get_or_try_init(|| Err("not called")), Ok(1));
        assert_eq!(kept.try_get_or_init(|| None), Some(1));
        assert_eq!(kept.current(), Some(1));
    }

    #[test]
    fn a_failed_build_keeps_nothing() {
        let kept: PerProcess<u8> = PerProcess::new();
        assert_eq!(kept.get_or_try_init(|| Err("refused")), Err("refused"));
        assert_eq!(kept.try_get_or_init(|| None), None);
        assert_eq!(kept.current(), None);
    }

    #[test]
    fn set_and_clear() {
        let kept = PerProcess::with(1);
        kept.set(2);
        assert_eq!(kept.current(), Some(2));
        kept.clear();
        assert_eq!(kept.current(), None);
        assert_eq!(kept.get_or_try_init(|| Ok::<_, ()>(3)), Ok(3));
    }

    #[test]
    fn a_held_slot_is_not_waited_for() {
        let kept = PerProcess::with(1);
        let _held = kept.lock();
        assert_eq!(kept.try_get_or_init(|| Some(2)), None);
    }
}
