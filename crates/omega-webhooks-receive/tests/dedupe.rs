//! The dedupe stores against the real thing: a `redis-server` started on a free loopback port
//! (`make test` installs it when missing), SQLite files in a temporary directory, and the
//! memory store — the same claims, answers and recoveries for each.

use std::{
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use omega_webhooks_receive::{Answer, Claim, EventHead, Outcome, Receiver};
use tempfile::TempDir;

/// A `redis-server` of this test, stopped when dropped.
struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// A server on a free port, `args` added (e.g. a password).
    fn start(args: &[&str]) -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        RedisServer::start_on(port, args)
    }

    fn start_on(port: u16, args: &[&str]) -> RedisServer {
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .args(args)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server on PATH (make test installs it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        RedisServer { child, port }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn head(id: &str) -> EventHead {
    EventHead {
        event_id: id.to_owned(),
        event_type: "video.deleted".to_owned(),
        endpoint_id: "ep1".to_owned(),
        replay: false,
    }
}

fn receiver(spec: &str, lease: Duration) -> Receiver {
    Receiver::builder()
        .dedupe(spec)
        .lease(lease)
        .build()
        .expect("receiver")
}

/// A fresh directory, removed with everything in it when dropped.
fn temp_dir(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("omega-dedupe-{name}-"))
        .tempdir()
        .expect("temp dir")
}

fn sqlite_spec(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("seen.db").display())
}

/// The outcome of a claim: `Ok` (claimed) or the answer's outcome.
async fn claim_outcome(receiver: &Receiver, id: &str) -> Result<(), (Outcome, String)> {
    match receiver.claim(&head(id)).await {
        Ok(claim) => {
            claim.done().await;
            Ok(())
        }
        Err(Answer { outcome, body, .. }) => Err((outcome, body)),
    }
}

/// Claim, done, release and lease end, for one store.
async fn claims_are_once(spec: &str) {
    let lease = Duration::from_millis(300);
    let one = receiver(spec, lease);
    let other = receiver(spec, lease); // another worker of the same store
    let claim = one.claim(&head("e1")).await.expect("claimed");
    let busy = other.claim(&head("e1")).await.expect_err("in progress");
    assert_eq!(
        (busy.outcome, busy.status, busy.body.as_str()),
        (
            Outcome::InProgress,
            409,
            "in progress e1: handled by another worker"
        )
    );
    claim.release().await;
    let claim = other
        .claim(&head("e1"))
        .await
        .expect("claimed after release");
    claim.done().await;
    let duplicate = one.claim(&head("e1")).await.expect_err("duplicate");
    assert_eq!(
        (duplicate.status, duplicate.body.as_str()),
        (200, "duplicate e1: already handled")
    );
    // A worker that never comes back: its claim ends with the lease, then the event is
    // handled once.
    let forgotten = one.claim(&head("e2")).await.expect("claimed");
    std::mem::forget(forgotten);
    assert_eq!(
        claim_outcome(&other, "e2").await.expect_err("held").0,
        Outcome::InProgress
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match claim_outcome(&other, "e2").await {
            Ok(()) => break,
            Err((Outcome::InProgress, _)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(
        claim_outcome(&one, "e2").await.expect_err("done").0,
        Outcome::Duplicate
    );
    // Ids are per endpoint.
    let mut elsewhere = head("e1");
    elsewhere.endpoint_id = "ep2".to_owned();
    assert!(one.claim(&elsewhere).await.is_ok());
}

/// 8 workers, 50 events each claimed by all of them at once: each event claimed once.
async fn races_claim_once(spec: &str) {
    let receivers: Vec<Arc<Receiver>> = (0..8)
        .map(|_| Arc::new(receiver(spec, Duration::from_secs(30))))
        .collect();
    let mut tasks = Vec::new();
    for event in 0..50 {
        for receiver in &receivers {
            let receiver = Arc::clone(receiver);
            tasks.push(tokio::spawn(async move {
                let id = format!("race{event}");
                (id.clone(), claim_outcome(&receiver, &id).await)
            }));
        }
    }
    let mut claimed = std::collections::BTreeMap::<String, usize>::new();
    for task in tasks {
        let (id, outcome) = task.await.expect("task");
        match outcome {
            Ok(()) => *claimed.entry(id).or_default() += 1,
            Err((Outcome::Duplicate | Outcome::InProgress, _)) => {}
            Err(other) => panic!("{id}: {other:?}"),
        }
    }
    assert_eq!(claimed.len(), 50);
    assert!(claimed.values().all(|&n| n == 1), "{claimed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_claims_each_event_once() {
    // One store shared by the workers of a process: one receiver, cloned.
    let shared = receiver("memory", Duration::from_millis(300));
    let claim = shared.claim(&head("m1")).await.expect("claimed");
    assert_eq!(
        shared
            .clone()
            .claim(&head("m1"))
            .await
            .expect_err("busy")
            .status,
        409
    );
    claim.done().await;
    assert_eq!(
        shared.claim(&head("m1")).await.expect_err("dup").outcome,
        Outcome::Duplicate
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_claims_each_event_once_across_connections() {
    claims_are_once(&sqlite_spec(temp_dir("sqlite").path())).await;
    races_claim_once(&sqlite_spec(temp_dir("sqlite-race").path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_claims_each_event_once() {
    let server = RedisServer::start(&[]);
    claims_are_once(&server.url()).await;
    races_claim_once(&format!("redis://127.0.0.1:{}/1", server.port)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_is_store_unavailable_and_the_receiver_recovers() {
    let mut server = RedisServer::start(&[]);
    let port = server.port;
    let receiver = receiver(&server.url(), Duration::from_secs(30));
    assert!(claim_outcome(&receiver, "o1").await.is_ok());
    server.stop();
    let down = receiver.claim(&head("o2")).await.expect_err("down");
    assert_eq!(
        (down.outcome, down.status, down.body.as_str()),
        (Outcome::StoreUnavailable, 503, "dedupe store unavailable")
    );
    let _server = RedisServer::start_on(port, &[]);
    assert!(claim_outcome(&receiver, "o2").await.is_ok());
    assert_eq!(
        claim_outcome(&receiver, "o2").await.expect_err("dup").0,
        Outcome::Duplicate
    );
}

#[tokio::test]
async fn a_redis_password_is_never_shown() {
    let server = RedisServer::start(&["--requirepass", "s3cret-pass"]);
    let wrong = format!("redis://:wrong-pass-123@127.0.0.1:{}/0", server.port);
    let receiver = receiver(&wrong, Duration::from_secs(1));
    let answer = receiver.claim(&head("p1")).await.expect_err("refused");
    assert_eq!(answer.outcome, Outcome::StoreUnavailable);
    assert!(!answer.body.contains("wrong-pass"));
    let right = format!("redis://:s3cret-pass@127.0.0.1:{}/0", server.port);
    assert!(
        claim_outcome(&self::receiver(&right, Duration::from_secs(1)), "p1")
            .await
            .is_ok()
    );
    let bad = Receiver::builder()
        .dedupe("redis://:s3cret-pass@127.0.0.1:notaport/0")
        .build()
        .expect_err("not a URL")
        .to_string();
    assert!(!bad.contains("s3cret"), "{bad}");
}

#[tokio::test]
async fn sqlite_locked_past_its_timeout_is_store_unavailable() {
    let dir = temp_dir("locked");
    let spec = sqlite_spec(dir.path());
    let receiver = receiver(&spec, Duration::from_secs(30));
    // Another process's long write transaction, as a connection of this one.
    let blocker = exclusive_lock(&dir.path().join("seen.db"));
    let started = Instant::now();
    let locked = receiver.claim(&head("l1")).await.expect_err("locked");
    assert_eq!(locked.outcome, Outcome::StoreUnavailable);
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "waited for the lock first"
    );
    drop(blocker);
    assert!(claim_outcome(&receiver, "l1").await.is_ok());
}

/// A process holding a write lock, killed when dropped.
struct Locker(Child);

impl Drop for Locker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Holds a write lock on the database at `path` until dropped (the `sqlite3` session a user
/// left open in a shell): another process's `EXCLUSIVE` transaction.
fn exclusive_lock(path: &Path) -> Locker {
    let script = format!(
        "import sqlite3,sys,time\nc=sqlite3.connect({:?},isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\nprint('locked',flush=True)\ntime.sleep(60)\n",
        path.display().to_string()
    );
    let mut child = Command::new("python3")
        .args(["-c", &script])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().expect("stdout")),
        &mut line,
    )
    .expect("locked");
    assert_eq!(line.trim(), "locked");
    Locker(child)
}

#[test]
fn an_unwritable_sqlite_path_fails_at_construction() {
    let error = Receiver::builder()
        .dedupe("sqlite:///proc/omega/seen.db")
        .build()
        .expect_err("unwritable")
        .to_string();
    assert!(
        error.contains("cannot open the dedupe store sqlite:///proc/omega/seen.db"),
        "{error}"
    );
    let lease_alone = Receiver::builder()
        .lease(Duration::from_secs(1))
        .build()
        .expect_err("lease without dedupe")
        .to_string();
    assert!(lease_alone.contains("set dedupe too"), "{lease_alone}");
}

/// A handler's error, as a Rust user's handler returns it.
#[derive(Debug)]
struct Timeout;

impl std::fmt::Display for Timeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("took too long\nsecond line")
    }
}

#[tokio::test]
async fn process_claims_runs_and_settles() {
    let receiver = Receiver::builder()
        .dedupe("memory")
        .expose_errors(true)
        .build()
        .expect("receiver");
    let mut runs = 0;
    let mut answers = Vec::new();
    for _ in 0..3 {
        let answer = receiver
            .process(&head("p1"), || {
                runs += 1;
                let result = if runs == 1 { Err(Timeout) } else { Ok(()) };
                async move { result }
            })
            .await;
        answers.push((answer.status, answer.body));
    }
    assert_eq!(runs, 2, "failed, handled again, then a duplicate");
    assert_eq!(
        answers,
        [
            (
                500,
                "handler failed: Timeout (event p1): took too long".to_owned()
            ),
            (200, "handled video.deleted p1".to_owned()),
            (200, "duplicate p1: already handled".to_owned()),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn workers_open_a_sqlite_file_while_others_claim() {
    // gunicorn or Node workers starting together: some build their receiver while the first
    // ones already claim events.
    for round in 0..10 {
        let dir = temp_dir(&format!("open-{round}"));
        let spec = sqlite_spec(dir.path());
        let first = Arc::new(receiver(&spec, Duration::from_secs(30)));
        let claiming: Vec<_> = (0..4)
            .map(|worker| {
                let first = Arc::clone(&first);
                tokio::spawn(async move {
                    for event in 0..50 {
                        let id = format!("open{round}-{worker}-{event}");
                        assert!(claim_outcome(&first, &id).await.is_ok(), "{id}");
                    }
                })
            })
            .collect();
        // Workers that start, claim and stop (each closing its connection) meanwhile.
        let opening: Vec<_> = (0..8)
            .map(|worker| {
                let spec = spec.clone();
                std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    for start in 0..5 {
                        let receiver = Receiver::builder().dedupe(spec.as_str()).build()?;
                        let id = format!("start{round}-{worker}-{start}");
                        let claimed = runtime.block_on(claim_outcome(&receiver, &id));
                        assert!(claimed.is_ok(), "{id}: {claimed:?}");
                    }
                    Ok::<(), omega_webhooks_client::Error>(())
                })
            })
            .collect();
        for worker in opening {
            let opened = worker.join().expect("thread");
            assert!(opened.is_ok(), "round {round}: {:?}", opened.err());
        }
        for task in claiming {
            task.await.expect("claims");
        }
    }
}

/// A claim kept as its token (as the Node binding keeps it across a handler's run) and made a
/// claim again settles the same event; another token settles nothing.
async fn claims_kept_as_tokens_settle(spec: &str) {
    let receiver = receiver(spec, Duration::from_secs(60));
    let token = |claim: Claim| claim.token().expect("holds its event").to_owned();
    let first = token(receiver.claim(&head("t1")).await.expect("claimed"));
    let other = token(receiver.claim(&head("t2")).await.expect("claimed"));
    // Another claim's token settles nothing: t1 stays in progress.
    receiver.claim_of("ep1", "t1", other.clone()).done().await;
    assert_eq!(
        claim_outcome(&receiver, "t1").await.expect_err("busy").0,
        Outcome::InProgress
    );
    receiver.claim_of("ep1", "t1", first).done().await;
    assert_eq!(
        claim_outcome(&receiver, "t1").await.expect_err("dup").0,
        Outcome::Duplicate
    );
    receiver.claim_of("ep1", "t2", other).release().await;
    assert_eq!(claim_outcome(&receiver, "t2").await, Ok(()));
    // Without dedupe, a token names a claim that holds nothing.
    let plain = Receiver::builder().build().expect("receiver");
    assert_eq!(plain.claim_of("ep1", "t1", "x".into()).token(), None);
}

#[tokio::test]
async fn memory_claims_kept_as_tokens_settle() {
    claims_kept_as_tokens_settle("memory").await;
}

#[tokio::test]
async fn sqlite_claims_kept_as_tokens_settle() {
    claims_kept_as_tokens_settle(&sqlite_spec(temp_dir("tokens").path())).await;
}
