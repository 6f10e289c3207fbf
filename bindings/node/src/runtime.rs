//! Running the Rust client's futures for JavaScript: on napi's tokio runtime, cancellable
//! from an `AbortSignal` through a [`CancelToken`], with panics turned into errors.

use std::future::Future;

use napi_derive::napi;
use omega_webhooks_client::Error;
use tokio_util::sync::CancellationToken;

use crate::errors::to_js_error;

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

/// Runs `future` as its own task (so a panic becomes an error, never a crash), giving up when
/// `cancel` fires.
pub(crate) async fn run<T, F>(future: F, cancel: Option<&CancelToken>) -> napi::Result<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    let task = tokio::spawn(future);
    let abort = task.abort_handle();
    let joined = match cancel {
        Some(token) => {
            let token = token.0.clone();
            tokio::select! {
                joined = task => joined,
                () = token.cancelled() => {
                    abort.abort();
                    return Err(napi::Error::from_reason("the call was aborted"));
                }
            }
        }
        None => task.await,
    };
    match joined {
        Ok(result) => result.map_err(to_js_error),
        Err(e) => Err(napi::Error::from_reason(format!(
            "omega-webhooks internal error: {e}"
        ))),
    }
}
