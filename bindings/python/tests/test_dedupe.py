"""Each event handled once (``Receiver(dedupe=…)``), against the real things: receiver worker
processes (Python under uvicorn, Node under node:http) sharing a SQLite file or a real
``redis-server`` on a free loopback port, deliveries of one event sent to several workers at
once, a worker SIGKILLed inside its handler, Redis stopped and started mid-run, and ``events
follow --forward-to`` SIGKILLed while events arrive. The side effect counted is the workers'
log: one line per handler run.
"""

from __future__ import annotations

import asyncio
import collections
import http.client
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Counter, Iterator, List, Optional, Tuple

import pytest

import omega_webhooks as ow
from omega_webhooks.testing import event_body
from support import ROOT, MOCK_KEY, Mock, cli_binary, free_port

GENERATED = "650000000000000000000001"
PY_WORKER = Path(__file__).parent / "scripts" / "dedupe_worker.py"
NODE_WORKER = ROOT / "bindings" / "node" / "tests" / "scripts" / "dedupe-worker.mjs"


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Polls ``condition`` (bounded: a hang is a failure naming ``what``)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class RedisServer:
    """A ``redis-server`` on a free loopback port (``make test`` installs it when missing),
    appending every write to a file in ``directory`` so that a restart keeps what it held."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._accepts, "redis-server to start")

    def _accepts(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    yield server
    server.stop()


class Worker:
    """A receiver worker process (see scripts/dedupe_worker.py and dedupe-worker.mjs)."""

    def __init__(self, language: str, spec: str, lease: float, log: Path, *, slow: bool = False) -> None:
        if language == "python":
            command = [sys.executable, str(PY_WORKER), spec, str(lease), str(log)] + (["--slow"] if slow else [])
        else:
            command = ["node", str(NODE_WORKER), spec, str(lease), str(log)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), f"unexpected ready line {line!r}"
        self.port = int(line.rsplit(":", 1)[1].strip("/"))

    def post(self, body: bytes, timeout: float = 20.0) -> Tuple[int, str]:
        return post(self.port, body, timeout)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def post(port: int, body: bytes, timeout: float = 20.0) -> Tuple[int, str]:
    """POSTs a delivery to the receiver on ``port``: its status and answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/", body, {"content-type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def workers() -> Iterator[List[Worker]]:
    """The workers a test starts (each stopped afterwards)."""
    started: List[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def body_of(event_id: str) -> bytes:
    return event_body("video.deleted", set={"id": event_id}, seed=1)


def runs(log: Path) -> Counter[str]:
    """How many times a handler ran, per event id."""
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return collections.Counter(text.split())


@pytest.mark.parametrize(
    "store, languages",
    [
        ("sqlite", ["python"] * 4),
        ("sqlite", ["node"] * 4),
        ("redis", ["python", "node", "python", "node"]),
    ],
    ids=["sqlite-4-python", "sqlite-4-node", "redis-python-and-node"],
)
def test_four_workers_handle_each_event_once(
    store: str, languages: List[str], tmp_path: Path, workers: List[Worker], request: pytest.FixtureRequest
) -> None:
    spec = f"sqlite://{tmp_path / 'seen.db'}" if store == "sqlite" else request.getfixturevalue("redis_server").url
    log = tmp_path / "runs.log"
    workers.extend(Worker(language, spec, 60, log) for language in languages)
    ids = [f"evt{store}{index:04d}" for index in range(200)]
    jobs = [(worker, event_id) for event_id in ids for worker in workers]
    random.Random(7).shuffle(jobs)
    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda job: (job[1], job[0].post(body_of(job[1]))), jobs))
    by_event: dict[str, List[Tuple[int, str]]] = collections.defaultdict(list)
    for event_id, answer in answers:
        by_event[event_id].append(answer)
    assert runs(log) == collections.Counter({event_id: 1 for event_id in ids}), "each handler ran once"
    for event_id in ids:
        handled = [a for a in by_event[event_id] if a == (200, f"handled video.deleted {event_id}")]
        others = [a for a in by_event[event_id] if a not in handled]
        assert len(handled) == 1, by_event[event_id]
        assert all(
            a in ((200, f"duplicate {event_id}: already handled"), (409, f"in progress {event_id}: handled by another worker"))
            for a in others
        ), others


def test_a_worker_killed_inside_its_handler_holds_the_event_until_its_lease_ends(
    tmp_path: Path, workers: List[Worker]
) -> None:
    spec, log = f"sqlite://{tmp_path / 'seen.db'}", tmp_path / "runs.log"
    started = Path(str(log) + ".started")
    healthy = Worker("python", spec, 2, log)
    workers.append(healthy)
    for attempt in range(10):
        event_id = f"killed{attempt}"
        slow = Worker("python", spec, 2, log, slow=True)
        workers.append(slow)
        # Its delivery never gets an answer: the worker dies inside the handler.
        threading.Thread(target=lambda: _ignore_errors(slow.post, body_of(event_id), 30), daemon=True).start()
        wait_until(lambda: event_id in runs(started), f"the handler of {event_id} to start")
        slow.kill()
        assert healthy.post(body_of(event_id)) == (409, f"in progress {event_id}: handled by another worker")
        deadline = time.monotonic() + 10
        while (answer := healthy.post(body_of(event_id)))[0] == 409:
            assert time.monotonic() < deadline, "the lease never ended"
            time.sleep(0.1)
        assert answer == (200, f"handled video.deleted {event_id}")
        assert healthy.post(body_of(event_id)) == (200, f"duplicate {event_id}: already handled")
    assert runs(log) == collections.Counter({f"killed{n}": 1 for n in range(10)})


def _ignore_errors(call: Callable[..., object], *args: object) -> None:
    try:
        call(*args)
    except OSError:
        pass  # the connection of a killed worker


def test_redis_down_answers_503_and_the_workers_recover_without_a_restart(
    tmp_path: Path, workers: List[Worker], redis_server: RedisServer
) -> None:
    log = tmp_path / "runs.log"
    workers.extend(Worker(language, redis_server.url, 60, log) for language in ("python", "node"))
    before, during = [f"before{n}" for n in range(10)], [f"during{n}" for n in range(10)]
    for index, event_id in enumerate(before):
        assert workers[index % 2].post(body_of(event_id))[0] == 200
    redis_server.stop()
    for index, event_id in enumerate(during + before[:4]):
        answer = workers[index % 2].post(body_of(event_id))
        assert answer == (503, "dedupe store unavailable"), answer
    assert runs(log) == collections.Counter(before), "no handler ran without dedupe"
    redis_server.start()
    for worker in workers:
        for event_id in before + during:
            status, text = worker.post(body_of(event_id))
            assert status == 200 and (text.startswith("handled") or text.startswith("duplicate")), text
    assert runs(log) == collections.Counter({event_id: 1 for event_id in before + during})


def test_follow_forward_to_a_deduping_receiver_sigkilled_ten_times(tmp_path: Path, workers: List[Worker]) -> None:
    mock = Mock("--events", "2")
    log, state = tmp_path / "runs.log", tmp_path / "follow-state.json"
    receiver = Worker("python", f"sqlite://{tmp_path / 'seen.db'}", 60, log)
    workers.append(receiver)
    follow = [cli_binary(), "--api-key", MOCK_KEY, "--base-url", mock.url, "events", "follow", GENERATED,
              "--interval", "20ms", "--forward-to", f"http://127.0.0.1:{receiver.port}/", "--state", str(state)]
    appended: List[str] = []
    rng = random.Random(11)
    try:
        # The first follower records where following starts (events before it are not sent).
        follower = subprocess.Popen(follow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(state.exists, "the follower's state file")
        follower.send_signal(signal.SIGKILL)
        follower.wait(timeout=10)
        for _ in range(10):
            follower = subprocess.Popen(follow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(3):
                appended.append(mock._admin("POST", "/__mock/events")["id"])
                time.sleep(rng.uniform(0, 0.1))
            time.sleep(rng.uniform(0, 0.2))
            follower.send_signal(signal.SIGKILL)
            follower.wait(timeout=10)
        follower = subprocess.Popen(follow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: set(runs(log)) >= set(appended), "every event to be handled", timeout=30)
        finally:
            follower.terminate()
            follower.wait(timeout=10)
        assert runs(log) == collections.Counter(appended), "each event handled exactly once"
    finally:
        mock.stop()


def test_in_one_process_claims_hold_while_a_handler_runs(tmp_path: Path) -> None:
    receiver = ow.Receiver(dedupe="memory")
    ran: List[str] = []

    async def scenario() -> Tuple[ow.Answer, ow.Answer, ow.Answer]:
        gate = asyncio.Event()

        @receiver.on("video.deleted")
        async def slow(event: ow.Event) -> None:
            ran.append(event.id)
            await gate.wait()

        first = asyncio.ensure_future(receiver.handle_async(body_of("m1")))
        while not ran:
            await asyncio.sleep(0)
        second = await receiver.handle_async(body_of("m1"))
        gate.set()
        return await first, second, await receiver.handle_async(body_of("m1"))

    first, second, third = asyncio.run(scenario())
    assert (first.outcome, second.outcome, third.outcome) == ("handled", "in_progress", "duplicate")
    assert (second.status, second.body) == (409, "in progress m1: handled by another worker")
    assert second.event is not None and second.event.id == "m1" and ran == ["m1"]

    failing = ow.Receiver(dedupe=f"sqlite://{tmp_path / 'seen.db'}", lease=30, remember=3600)
    attempts: List[str] = []

    @failing.on_any
    def flaky(event: ow.Event) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise TimeoutError("took too long")

    outcomes = [failing.handle(body_of("f1")).outcome for _ in range(3)]
    assert outcomes == ["failed", "handled", "duplicate"] and attempts == ["f1", "f1"]


def test_bad_dedupe_options_as_a_new_user_writes_them(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for spec in ["memroy", "sqlite://", "postgres://app:hunter2@db/seen", "redis:/localhost"]:
        with pytest.raises(ow.ConfigurationError) as error:
            ow.Receiver(dedupe=spec)
        assert '"memory", "sqlite:///path/to/seen.db", "redis://host:port/db"' in str(error.value)
        assert "hunter2" not in str(error.value)
    unwritable = tmp_path / "read-only"
    unwritable.mkdir(mode=0o500)
    path = "/proc/omega/seen.db" if os.geteuid() == 0 else str(unwritable / "seen.db")
    with pytest.raises(ow.ConfigurationError, match=f"cannot open the dedupe store sqlite://{path}"):
        ow.Receiver(dedupe=f"sqlite://{path}")
    with pytest.raises(ow.ConfigurationError, match="set dedupe too"):
        ow.Receiver(lease=5)
    with pytest.raises(ow.ConfigurationError, match="lease must be a positive number of seconds"):
        ow.Receiver(dedupe="memory", lease=0)
    with pytest.raises(ow.ConfigurationError, match="remember must be at most 31536000 seconds"):
        ow.Receiver(dedupe="memory", remember=400 * 86400)
    # A password in the Redis URL: nowhere in errors, answers or logs (Redis is not there).
    secret = ow.Receiver(dedupe=f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    secret.on_any(lambda event: None)
    with caplog.at_level(logging.DEBUG):
        answer = secret.handle(body_of("s1"))
    assert (answer.status, answer.body, answer.outcome) == (503, "dedupe store unavailable", "store_unavailable")
    assert "hunter2" not in caplog.text + repr(answer) + repr(secret.__dict__)
    assert "store_unavailable 503 dedupe store unavailable" in caplog.text


def start_cli_receiver(*args: str) -> Tuple[subprocess.Popen[str], int]:
    """``omega-webhooks receive`` on a free port (with ``OMEGA_LOG=debug``), and that port."""
    receive = subprocess.Popen(
        [cli_binary(), "receive", "--addr", "127.0.0.1:0", "--path", "/", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "OMEGA_LOG": "debug"},
    )
    assert receive.stdout is not None
    url = receive.stdout.readline().strip().removeprefix("listening on ")
    return receive, int(url.rsplit(":", 1)[1].strip("/"))


def stop_cli_receiver(receive: subprocess.Popen[str]) -> Tuple[str, str]:
    """Ctrl-C: the receiver exits 0; its stdout and stderr."""
    receive.send_signal(signal.SIGINT)
    out, err = receive.communicate(timeout=10)
    assert receive.returncode == 0, err
    return out, err


def test_the_cli_receiver_prints_duplicates_and_never_a_password(tmp_path: Path) -> None:
    receive, port = start_cli_receiver("--dedupe", f"sqlite://{tmp_path / 'seen.db'}", "--lease", "5")
    try:
        assert post(port, body_of("c1")) == (200, "handled video.deleted c1")
        assert post(port, body_of("c1")) == (200, "duplicate c1: already handled")
    finally:
        out, _ = stop_cli_receiver(receive)
    lines = out.splitlines()
    assert "c1  handled 200" in lines[0] and "c1  duplicate 200  duplicate c1: already handled" in lines[1], lines
    closed = free_port()
    receive, port = start_cli_receiver("--dedupe", f"redis://:hunter2@127.0.0.1:{closed}/0")
    try:
        assert post(port, body_of("c2")) == (503, "dedupe store unavailable")
    finally:
        out, err = stop_cli_receiver(receive)
    assert "store_unavailable 503" in out and f"redis://***@127.0.0.1:{closed}/0" in err, err
    assert "hunter2" not in out + err
