//! [`MockState`]: what the handlers, the script middleware and the accept loop share — the
//! key, the data, the script, the request log and the connection records.

use std::{
    collections::VecDeque,
    sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard},
};

use crate::{
    admin_api::{RecordedRequest, ScriptStep},
    data::MockData,
    MockConfig,
};

/// Everything the handlers share.
pub(crate) struct MockState {
    pub(crate) api_key: String,
    /// The encodings API answers are compressed with for clients that accept one.
    pub(crate) compress: Vec<String>,
    /// Bytes per second the API's answers are sent at (`None`: unthrottled).
    pub(crate) rate: Option<u64>,
    /// The events served; `POST /__mock/events` appends to the generated endpoint.
    pub(crate) data: RwLock<MockData>,
    pub(crate) script: Mutex<VecDeque<ScriptStep>>,
    pub(crate) log: Mutex<Vec<RecordedRequest>>,
    pub(crate) connections: Mutex<Vec<ConnectionRecord>>,
    /// What the capture receiver (`POST /__receiver`) got.
    pub(crate) received: Mutex<Vec<ReceivedDelivery>>,
    /// Statuses the receiver answers with next (then 200).
    pub(crate) receiver_script: Mutex<VecDeque<u16>>,
}

/// A POST the capture receiver got: what a webhook receiver would see.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReceivedDelivery {
    /// The path, e.g. `/__receiver/hooks`.
    pub path: String,
    /// Request headers, names lowercased; repeated headers joined with `, `.
    pub headers: std::collections::BTreeMap<String, String>,
    /// The body as text (lossy UTF-8).
    pub body: String,
    /// The status the receiver answered with.
    pub status: u16,
}

/// A TCP connection the mock accepted, and whether it has been closed since.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct ConnectionRecord {
    id: u64,
    closed: bool,
}

/// Sequence number of the TCP connection a request arrived on (a request extension).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionId(pub(crate) u64);

/// Marks a response whose connection must be closed without sending it (a response
/// extension the accept loop obeys).
#[derive(Clone, Copy)]
pub(crate) struct ResetConnection;

impl MockState {
    pub(crate) fn new(config: &MockConfig) -> Self {
        MockState {
            api_key: config.api_key.clone(),
            compress: config.compress.clone(),
            rate: config.rate,
            data: RwLock::new(MockData::new(config.events, config.seed)),
            script: Mutex::new(VecDeque::new()),
            log: Mutex::new(Vec::new()),
            connections: Mutex::new(Vec::new()),
            received: Mutex::new(Vec::new()),
            receiver_script: Mutex::new(VecDeque::new()),
        }
    }

    pub(crate) fn connection_opened(&self, id: ConnectionId) {
        lock(&self.connections).push(ConnectionRecord {
            id: id.0,
            closed: false,
        });
    }

    pub(crate) fn connection_closed(&self, id: ConnectionId) {
        if let Some(record) = lock(&self.connections).iter_mut().find(|c| c.id == id.0) {
            record.closed = true;
        }
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        lock(&self.log).push(request);
    }

    pub(crate) fn next_step(&self) -> Option<ScriptStep> {
        lock(&self.script).pop_front()
    }

    /// The served data, for reading.
    pub(crate) fn data(&self) -> RwLockReadGuard<'_, MockData> {
        self.data.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends the next generated event to the generated endpoint; returns its id.
    pub(crate) fn append_event(&self) -> String {
        self.data
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .append_generated()
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
