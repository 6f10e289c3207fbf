"""Host safety: fork, several event loops, close(), and collection of unclosed clients.

Paths that could crash the interpreter run in child processes, bounded in time, and repeat
enough times (20 per case) that a crash one run in five cannot pass.
"""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

import omega_webhooks as ow

from support import MOCK_KEY, Mock

SCRIPTS = Path(__file__).parent / "scripts"
ENDPOINT = "6336cd2b5790c27875f70d96"
GENERATED = "650000000000000000000001"
RUNS = 20


def run_fork_matrix(*args: str) -> None:
    """Runs scripts/fork_matrix.py with `args` in a child process; it must print ``ok``."""
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "fork_matrix.py"), *args],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", (
        f"exit {result.returncode}\nstdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}"
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("method", ["os", "mp"])
def test_fork_after_a_call(shared_mock: Mock, method: str, when: str, mode: str) -> None:
    """os.fork / multiprocessing 'fork' × client made before / after the fork × sync / async."""
    run_fork_matrix(method, when, mode, str(RUNS), shared_mock.url)


@pytest.fixture(scope="module")
def large_mock() -> Iterator[Mock]:
    """A mock whose generated list (6,000 events, ~1.4 MB) is decoded in runs on threads."""
    mock = Mock("--events", "6000")
    yield mock
    mock.stop()


@pytest.mark.parametrize("when", ["before", "during"])
@pytest.mark.parametrize("method", ["os", "mp"])
def test_fork_around_large_lists_decoded_on_threads(large_mock: Mock, method: str, when: str) -> None:
    """The same with a list large enough to be decoded in runs on the kept helper threads
    (rebuilt in the child): forks after such calls, and forks while another thread of the
    parent is in one."""
    run_fork_matrix(method, when, "sync", str(RUNS), large_mock.url, GENERATED, "6000")


def test_one_async_client_on_several_threads_each_with_its_own_loop(shared_mock: Mock) -> None:
    client = ow.AsyncClient(MOCK_KEY, base_url=shared_mock.url)
    results: dict = {}

    def worker(name: str) -> None:
        async def calls() -> list:
            return await asyncio.gather(*(client.list_events(ENDPOINT) for _ in range(25)))

        for round_ in range(4):  # successive asyncio.run()s: a new loop each time
            results[(name, round_)] = [len(events) for events in asyncio.run(calls())]

    threads = [threading.Thread(target=worker, args=(f"t{i}",), daemon=True) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive(), "a thread hangs: its outcomes went to another loop"
    assert len(results) == 12
    assert all(counts == [2] * 25 for counts in results.values()), results


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def settles_to(baseline: int, what: str) -> None:
    """fds come back to `baseline` within 10 s (connections close on the runtime's threads)."""
    deadline = time.monotonic() + 10
    while open_fds() > baseline and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.05)
    assert open_fds() <= baseline, f"{what}: {open_fds() - baseline} fds still open"


def warm_baseline(mock: Mock) -> int:
    """The fd count once the runtime exists and no client is open."""
    with ow.Client(MOCK_KEY, base_url=mock.url) as warm:
        warm.list_events(ENDPOINT)
    time.sleep(0.2)
    gc.collect()
    return open_fds()


def test_close_closes_the_pool_after_2000_calls_with_resets(mock: Mock) -> None:
    baseline = warm_baseline(mock)
    # One attempt in ten has its connection reset (and is retried on a new connection).
    mock.script([{"action": "reset"} if i % 10 == 0 else {} for i in range(2000)])
    # Generous retries: the subject here is the pool after close(); one call of a loaded CI
    # run once failed all of 6 attempts (see the note of the session that added this test).
    client = ow.Client(MOCK_KEY, base_url=mock.url, retry_initial_delay=0.001, max_retries=10)
    ids = [e.id for e in client.list_events(GENERATED)]
    failures: list = []

    def calls(offset: int) -> None:
        for i in range(500):
            try:
                client.get_event(GENERATED, ids[(offset + i) % len(ids)])
            except ow.OmegaError as e:
                failures.append(e)

    threads = [threading.Thread(target=calls, args=(n * 500,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == [], [(e.attempts, str(e)) for e in failures]
    assert len(mock.requests()) > 2000, "the resets were retried"
    assert open_fds() > baseline, "the pool should hold connections before close()"
    client.close()
    settles_to(baseline, "after close()")
    with pytest.raises(ow.ConfigurationError, match="the client is closed"):
        client.list_events(ENDPOINT)


def test_async_close_and_calls_after_it(shared_mock: Mock) -> None:
    async def main() -> None:
        async with ow.AsyncClient(MOCK_KEY, base_url=shared_mock.url) as client:
            assert len(await client.list_events(ENDPOINT)) == 2
        assert client.closed
        with pytest.raises(ow.ConfigurationError, match="the client is closed"):
            await client.list_events(ENDPOINT)

    asyncio.run(main())


def test_unclosed_async_clients_are_collected_while_their_loop_lives(shared_mock: Mock) -> None:
    baseline = warm_baseline(shared_mock)

    async def main() -> None:
        await ow.AsyncClient(MOCK_KEY, base_url=shared_mock.url).list_events(ENDPOINT)  # the loop's inbox
        inbox_fds = open_fds()
        for _ in range(200):
            client = ow.AsyncClient(MOCK_KEY, base_url=shared_mock.url)
            assert len(await client.list_events(ENDPOINT)) == 2
            del client
        settles_to(inbox_fds, "200 unclosed AsyncClients")

    asyncio.run(main())
    settles_to(baseline, "after the loop closed")


def run_child(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


BAD_OPTIONS: list[tuple[str, Callable[[], object]]] = [
    ("timeout=4e18", lambda: ow.Client("k", timeout=4e18)),
    ("async timeout=4e18", lambda: ow.AsyncClient("k", timeout=4e18)),
    ("timeout=10**400", lambda: ow.Client("k", timeout=10**400)),
    ("connect_timeout=1e22", lambda: ow.Client("k", connect_timeout=1e22)),
    ("max_retries=2**70", lambda: ow.Client("k", max_retries=2**70)),
    ("max_response_bytes=2**70", lambda: ow.Client("k", max_response_bytes=2**70)),
    ("key of spaces", lambda: ow.Client("   ")),
    ("key with a newline", lambda: ow.Client("abc\n")),
    ("key with a space", lambda: ow.Client(" abc")),
    ("surrogate key", lambda: ow.Client("ab\ud800c")),
    ("surrogate base URL", lambda: ow.Client("k", base_url="http://127.0.0.1:1/\udfff")),
]


@pytest.mark.parametrize("case", BAD_OPTIONS, ids=[c[0] for c in BAD_OPTIONS])
def test_bad_options_are_configuration_errors(case: tuple) -> None:
    with pytest.raises(ow.ConfigurationError):
        case[1]()


def test_messages_never_print_url_credentials() -> None:
    with pytest.raises(ow.ConfigurationError) as caught:
        ow.Client("k", base_url="https://u:SEKRET@host.test/c")
    text = f"{caught.value} {caught.value!r}"
    assert "SEKRET" not in text and "***@host.test" in text, text


def test_surrogates_in_ids_and_bodies_are_the_sdks_errors(shared_mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=shared_mock.url)
    with pytest.raises(ow.ConfigurationError, match="lone surrogate"):
        client.list_events("ab\ud800")
    with pytest.raises(ow.ConfigurationError, match="lone surrogate"):
        client.get_event(ENDPOINT, "\udc00")
    with pytest.raises(ow.ConfigurationError, match="lone surrogate"):
        asyncio.run(ow.AsyncClient(MOCK_KEY, base_url=shared_mock.url).get_event("\ud800", "x"))
    with pytest.raises(ow.WebhookPayloadError, match="lone surrogate"):
        ow.parse_event('{"id": "\ud800"}')


def test_timestamps_outside_years_1_to_9999_are_refused_at_their_path() -> None:
    event = (Path(__file__).parents[3] / "fixtures/events/wire/details-example.json").read_text()
    with pytest.raises(ow.WebhookPayloadError) as caught:
        ow.parse_event(event.replace('"2022-10-01T00:00:00Z"', '"0000-01-01T00:00:00Z"'))
    assert caught.value.path == "created_at"
    for edge in ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59"]:
        parsed = ow.parse_event(event.replace('"2022-10-01T00:00:00Z"', f'"{edge}"'))
        assert parsed.created_at is not None and parsed.created_at.isoformat()


def test_a_call_in_flight_at_interpreter_exit_does_not_crash() -> None:
    """25 interpreters exit with a sync-in-thread and an async call in flight."""
    code = """
import asyncio, threading, omega_webhooks as ow
c = ow.Client('k', base_url='http://127.0.0.1:9', connect_timeout=30, max_retries=5)
threading.Thread(target=lambda: c.list_events('x'), daemon=True).start()
async def main():
    a = ow.AsyncClient('k', base_url='http://127.0.0.1:9', max_retries=5)
    t = asyncio.ensure_future(a.list_events('x'))
    await asyncio.sleep(0.01)
asyncio.run(main())
print('ok')
"""
    for run in range(25):
        result = run_child(code)
        assert result.returncode == 0 and result.stdout.strip() == "ok", (run, result.returncode, result.stderr[-1000:])
