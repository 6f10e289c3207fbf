//! [`PerProcess`]: state that must not cross `fork()` — the tokio runtime, a client's
//! connection pool, an async call's socket — rebuilt lazily in each new process.
//!
//! Tokio does not survive `fork()`: the child has none of the parent's threads, and its copy
//! of the I/O driver shares the kernel's epoll instance and sockets with the parent. So a child
//! must never poll, wake or even drop anything built in its parent — dropping a socket there
//! would deregister it from the parent's epoll. A [`PerProcess`] value remembers the pid that
//! built it; in another process it is forgotten (leaked, never dropped) and built anew.
//!
//! The lock is only taken with the GIL held, and `os.fork()` holds the GIL, so no other
//! thread of the parent can hold it at the moment of the fork.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A value and the process that built it.
pub(crate) struct PerProcess<T> {
    slot: Mutex<Option<(u32, T)>>,
}

impl<T: Clone> PerProcess<T> {
    /// Empty: the first [`PerProcess::get_or_try_init`] builds the value.
    pub(crate) const fn new() -> Self {
        PerProcess {
            slot: Mutex::new(None),
        }
    }

    /// Empty unless `value` is given: then it belongs to this process.
    pub(crate) fn with(value: T) -> Self {
        PerProcess {
            slot: Mutex::new(Some((std::process::id(), value))),
        }
    }

    /// This process's value, built by `init` on first use here (a value built by the parent
    /// of a fork is forgotten, never dropped).
    pub(crate) fn get_or_try_init<E>(&self, init: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let pid = std::process::id();
        let mut slot = self.lock();
        if let Some((owner, value)) = &*slot {
            if *owner == pid {
                return Ok(value.clone());
            }
        }
        let value = init()?;
        if let Some(stale) = slot.replace((pid, value.clone())) {
            std::mem::forget(stale);
        }
        Ok(value)
    }

    /// This process's value, if it has been built here.
    pub(crate) fn current(&self) -> Option<T> {
        let pid = std::process::id();
        match &*self.lock() {
            Some((owner, value)) if *owner == pid => Some(value.clone()),
            _ => None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<(u32, T)>> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Drop for PerProcess<T> {
    /// A value from the parent of a fork is forgotten: dropping it could touch the parent's
    /// runtime or sockets.
    fn drop(&mut self) {
        let slot = self.slot.get_mut().unwrap_or_else(PoisonError::into_inner);
        if let Some((owner, value)) = slot.take() {
            if owner != std::process::id() {
                std::mem::forget(value);
            }
        }
    }
}
