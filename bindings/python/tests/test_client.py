"""Client behaviour in Python: concurrency, cancellation, the GIL, secrets, options, lifecycle."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List

import pytest

import omega_webhooks as ow
from omega_webhooks import _native
from support import MOCK_KEY, Mock

GENERATED = "650000000000000000000001"
SECRET = "sk_live_py_d0n0tl3ak"


def client(mock: Mock, **kwargs: object) -> ow.Client:
    return ow.Client(MOCK_KEY, base_url=mock.url, retry_initial_delay=0.01, **kwargs)  # type: ignore[arg-type]


def test_200_concurrent_async_gets(shared_mock: Mock) -> None:
    async def run() -> List[ow.Event]:
        async with ow.AsyncClient(MOCK_KEY, base_url=shared_mock.url) as c:
            ids = [e.id for e in await c.list_events(GENERATED)][:200]
            events = await asyncio.gather(*(c.get_event(GENERATED, i) for i in ids))
            assert [e.id for e in events] == ids
            return events

    events = asyncio.run(run())
    assert len(events) == 200
    assert all(e.data is not None and e.data.video is not None for e in events)


def test_8_threads_of_sync_calls(shared_mock: Mock) -> None:
    with client(shared_mock) as c:
        ids = [e.id for e in c.list_events(GENERATED)][:160]

        def fetch(event_id: str) -> str:
            return c.get_event(GENERATED, event_id).id

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(fetch, ids)) == ids


def test_a_cancelled_task_stops_its_request(mock: Mock) -> None:
    mock.script([{"action": "hang"}])

    async def run() -> None:
        async with ow.AsyncClient(MOCK_KEY, base_url=mock.url, timeout=60) as c:
            task = asyncio.ensure_future(c.list_events("6336cd2b5790c27875f70d96"))
            await asyncio.sleep(0.3)
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.monotonic() - started < 1.0
            # The connection is gone: the next request is served at once on a new one.
            assert len(await c.list_events("6336cd2b5790c27875f70d96")) == 2

    asyncio.run(run())
    requests = mock.requests()
    assert len(requests) == 2
    assert requests[0]["connection"] != requests[1]["connection"]


def test_the_gil_is_released_while_a_request_waits(mock: Mock) -> None:
    mock.script([{"delay_ms": 1000}])
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        with client(mock) as c:
            before = ticks
            started = time.monotonic()
            c.list_events("6336cd2b5790c27875f70d96")
            assert time.monotonic() - started >= 0.9
            during = ticks - before
    finally:
        stop.set()
        counter.join()
    # A held GIL would stop the counter for the whole second (a handful of ticks at most).
    assert during > 100, f"the counter ticked only {during} times during a 1 s request"


def test_the_key_never_appears_in_repr_or_errors(mock: Mock) -> None:
    texts = []
    for c in (ow.Client(SECRET, base_url=mock.url, max_retries=0), ow.AsyncClient(SECRET, base_url=mock.url)):
        texts += [repr(c), str(c), repr(c.__dict__)]
    sync = ow.Client(SECRET, base_url=mock.url, max_retries=0)
    errors: List[BaseException] = []
    for call in (
        lambda: sync.list_events("6336cd2b5790c27875f70d96"),
        lambda: sync.get_event("6336cd2b5790c27875f70d96", "a/b"),
        lambda: ow.Client(SECRET + "\n"),
        lambda: ow.Client(SECRET, base_url="http://example.com"),
    ):
        with pytest.raises(ow.OmegaError) as raised:
            call()
        errors.append(raised.value)
    assert isinstance(errors[0], ow.AuthenticationError)
    for error in errors:
        texts += [repr(error), str(error), repr(vars(error))]
    for text in texts:
        assert SECRET not in text and "d0n0tl3ak" not in text, text


def test_a_connection_failure_keeps_its_cause() -> None:
    client = ow.Client("k", base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(ow.APIConnectionError) as raised:
        client.list_events("6336cd2b5790c27875f70d96")
    assert isinstance(raised.value.__cause__, ConnectionRefusedError), repr(raised.value.__cause__)
    assert type(raised.value).__bases__ == (ow.OmegaError,)
    assert issubclass(ow.APITimeoutError, ow.APIConnectionError)


def test_environment_and_options(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMEGA_API_KEY", MOCK_KEY)
    monkeypatch.setenv("OMEGA_BASE_URL", mock.url + "/company/")
    with ow.Client() as c:
        assert c.base_url == mock.url + "/company"
        assert len(c.list_events("6336cd2b5790c27875f70d96")) == 2
    assert mock.requests()[0]["headers"]["user-agent"].startswith("omega-webhooks/")
    assert "(python; 3." in mock.requests()[0]["headers"]["user-agent"]
    monkeypatch.delenv("OMEGA_API_KEY")
    with pytest.raises(ow.ConfigurationError, match="OMEGA_API_KEY"):
        ow.Client()
    for bad in ({"timeout": -1.0}, {"timeout": float("nan")}, {"max_retries": -1}, {"max_response_bytes": 0}):
        with pytest.raises(ow.ConfigurationError):
            ow.Client("k", **bad)  # type: ignore[arg-type]
    assert ow.Client("k", base_url="http://example.com", allow_insecure_http=True).base_url == "http://example.com"


def test_closed_clients_refuse_calls(mock: Mock) -> None:
    c = client(mock)
    with c:
        assert not c.closed
    assert c.closed
    with pytest.raises(ow.ConfigurationError, match="closed"):
        c.list_events("6336cd2b5790c27875f70d96")
    assert mock.requests() == []


def test_status_error_attributes(mock: Mock) -> None:
    mock.script([{"status": 429, "headers": {"retry-after": "3600", "x-request-id": "req_9"}, "body": {"message": "slow down"}}])
    with client(mock) as c, pytest.raises(ow.RateLimitError) as raised:
        c.list_events("6336cd2b5790c27875f70d96")
    e = raised.value
    assert (e.status, e.message, e.request_id, e.retry_after, e.attempts) == (429, "slow down", "req_9", 3600.0, 1)
    assert e.headers["x-request-id"] == "req_9" and "slow down" in (e.body or "")
    assert isinstance(e, ow.APIStatusError)
    assert "RateLimitError" in repr(e) and "status=429" in repr(e)


def test_a_sync_call_in_a_thread_does_not_block_async_work(mock: Mock) -> None:
    mock.script([{"delay_ms": 500}])

    async def run() -> None:
        with client(mock) as c:
            started = time.monotonic()
            slow = asyncio.get_running_loop().run_in_executor(None, c.list_events, "6336cd2b5790c27875f70d96")
            ticks = 0
            while not slow.done():
                await asyncio.sleep(0.01)
                ticks += 1
            await slow
            assert ticks > 20 and time.monotonic() - started >= 0.45

    asyncio.run(run())


def test_ctrl_c_interrupts_a_blocking_call(mock: Mock) -> None:
    import signal

    mock.script([{"action": "hang"}])
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    with client(mock, timeout=30) as c:
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            c.list_events("6336cd2b5790c27875f70d96")
        assert time.monotonic() - started < 2


def test_the_interpreter_exits_cleanly_after_async_calls(shared_mock: Mock) -> None:
    # Outcomes reach asyncio through a socket, never by a Rust thread calling into Python: a
    # thread caught inside Python by interpreter shutdown would crash the process (it did, in
    # about 1 run in 20, when results were delivered with call_soon_threadsafe).
    import subprocess
    import sys

    script = (
        "import asyncio, omega_webhooks as ow\n"
        "async def main():\n"
        f"    async with ow.AsyncClient({MOCK_KEY!r}, base_url={shared_mock.url!r}) as c:\n"
        f"        ids = [e.id for e in await c.list_events({GENERATED!r})][:20]\n"
        f"        await asyncio.gather(*(c.get_event({GENERATED!r}, i) for i in ids))\n"
        "asyncio.run(main())\n"
    )
    for _ in range(25):
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (result.returncode, result.stderr)
