//! State that must not cross `fork()` — the tokio runtime, a client's connection pool, an async
//! call's socket — is kept in a [`PerProcess`] and rebuilt lazily in each new process.
//!
//! Tokio does not survive `fork()`: the child has none of the parent's threads, and its copy
//! of the I/O driver shares the kernel's epoll instance and sockets with the parent. So a child
//! must never poll, wake or even drop anything built in its parent — dropping a socket there
//! would deregister it from the parent's epoll. A [`PerProcess`] value remembers the pid that
//! built it; in another process it is forgotten (leaked, never dropped) and built anew.
//!
//! Its lock is only taken with the GIL held, and `os.fork()` holds the GIL, so no other
//! thread of the parent can hold it at the moment of the fork.

pub(crate) use omega_webhooks_client::types::PerProcess;
