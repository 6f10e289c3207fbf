//! Running the Rust client's futures for JavaScript: on napi's tokio runtime, cancellable from
//! an `AbortSignal` through a [`CancelToken`], cancelled as a whole when their JavaScript
//! environment (the main thread or a worker) is torn down, with panics turned into errors.
//!
//! A spawned future owns everything it touches: it holds clones (a client handle, cancellation
//! tokens), never a reference into a JavaScript object, because a worker that is terminated
//! frees its objects while the future may still run on a tokio thread.

use std::future::Future;

use napi::{bindgen_prelude::PromiseRaw, Env};
use napi_derive::napi;
use tokio_util::sync::CancellationToken;

/// Cancels one call: the JS entry point calls `cancel()` when the caller's `AbortSignal`
/// fires, which drops the request (and closes its connection).
#[napi]
#[derive(Default)]
pub struct CancelToken(CancellationToken);

#[napi]
impl CancelToken {
    /// A token that has not been cancelled.
    #[napi(constructor)]
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Cancels the call holding this token.
    #[napi]
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

/// The calls of one JavaScript environment, cancelled when the environment is torn down
/// (a worker terminated or exiting): kept as the environment's instance data.
struct EnvCalls(CancellationToken);

/// A new token for a call of `env`: cancelled with the environment.
fn env_call_token(env: &Env) -> napi::Result<CancellationToken> {
    if let Some(calls) = env.get_instance_data::<EnvCalls>()? {
        return Ok(calls.0.child_token());
    }
    let token = CancellationToken::new();
    env.set_instance_data(EnvCalls(token.clone()), (), |torn_down| {
        torn_down.value.0.cancel();
    })?;
    Ok(token.child_token())
}

/// Spawns `future` and returns its promise. The call ends early when `cancel` fires (the
/// caller's `AbortSignal`) or when `env` is torn down; a panic becomes an error, never a crash.
pub(crate) fn spawn<'env, T, F>(
    env: &'env Env,
    future: F,
    cancel: Option<&CancelToken>,
) -> napi::Result<PromiseRaw<'env, T>>
where
    T: napi::bindgen_prelude::ToNapiValue + Send + 'static,
    F: Future<Output = napi::Result<T>> + Send + 'static,
{
    let ended = env_call_token(env)?;
    // Owned by the future: a clone of the caller's token, never a reference to its JS object.
    let aborted = cancel.map(|token| token.0.clone()).unwrap_or_default();
    env.spawn_future(async move {
        let task = tokio::spawn(future);
        let abort = task.abort_handle();
        let joined = tokio::select! {
            joined = task => joined,
            () = aborted.cancelled() => {
                abort.abort();
                return Err(napi::Error::from_reason("the call was aborted"));
            }
            () = ended.cancelled() => {
                abort.abort();
                return Err(napi::Error::from_reason("the JavaScript environment was torn down"));
            }
        };
        match joined {
            Ok(result) => result,
            Err(e) => Err(napi::Error::from_reason(format!(
                "omega-webhooks internal error: {e}"
            ))),
        }
    })
}
