//! The accept loop: one hyper HTTP/1 connection per socket, serving the axum router, with
//! the connection-level faults (`reset`) that a plain `axum::serve` cannot express.

use std::{
    future::Future,
    io,
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};

use axum::{body::Body, extract::Request};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::{
    routes,
    state::{ConnectionId, MockState, ResetConnection},
    MockConfig,
};

/// A running mock server. It stops when dropped (or on [`MockServer::shutdown`]).
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    stop: CancellationToken,
}

impl MockServer {
    /// Binds `config.addr` and serves on the current tokio runtime until the handle is dropped.
    pub async fn start(config: MockConfig) -> io::Result<MockServer> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let stop = CancellationToken::new();
        let state = Arc::new(MockState::new(&config));
        tokio::spawn(accept_loop(listener, state, stop.clone()));
        Ok(MockServer { addr, stop })
    }

    /// Serves until `shutdown` completes (e.g. on SIGINT), calling `ready` once it accepts
    /// connections. What the `omega-webhooks mock` command runs.
    pub async fn run_until(
        config: MockConfig,
        ready: impl FnOnce(&MockServer),
        shutdown: impl Future<Output = ()>,
    ) -> io::Result<()> {
        let server = MockServer::start(config).await?;
        ready(&server);
        shutdown.await;
        Ok(())
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL of the server, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting and closes every open connection.
    pub fn shutdown(&self) {
        self.stop.cancel();
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<MockState>, stop: CancellationToken) {
    let app = routes::router(state.clone());
    let connections = AtomicU64::new(0);
    loop {
        let (socket, _) = tokio::select! {
            () = stop.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // e.g. out of file descriptors: wait instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = socket.set_nodelay(true);
        let id = ConnectionId(connections.fetch_add(1, Ordering::Relaxed) + 1);
        let app = app.clone();
        let stop = stop.clone();
        let state = state.clone();
        state.connection_opened(id);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let app = app.clone();
                async move {
                    let mut req = req.map(Body::new);
                    req.extensions_mut().insert(id);
                    let response = match app.oneshot(req).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    };
                    if response.extensions().get::<ResetConnection>().is_some() {
                        return Err(io::Error::other("scripted reset"));
                    }
                    Ok::<_, io::Error>(response)
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(socket), service);
            tokio::select! {
                () = stop.cancelled() => {}
                _ = connection => {}
            }
            state.connection_closed(id);
        });
    }
}
