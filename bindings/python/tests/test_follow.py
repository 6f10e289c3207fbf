"""follow() and wait_for_event() from Python, sync and async, against the mock: new events once
each across restarts, cancellation (Ctrl-C, task.cancel) that loses nothing and closes the
connection, and waits that find an event or time out."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, List

import pytest

import omega_webhooks as ow
from support import MOCK_KEY, Mock

GENERATED = "650000000000000000000001"
FIRST = 1_700_000_000  # created of generated event 0; event i is 300 s (EVENT_SPACING) later
FAST = 0.05  # poll interval of these tests, in seconds


def at(index: int) -> datetime:
    """The creation time of generated event `index`."""
    return datetime.fromtimestamp(FIRST + 300 * index, tz=timezone.utc)


def event_id(index: int) -> str:
    return f"65{index:022x}"


def append(mock: Mock) -> str:
    """A new event on the generated endpoint, as if Omega had just delivered it."""
    answer: Any = mock._admin("POST", "/__mock/events")
    return str(answer["id"])


def seen(state: Path) -> List[str]:
    """The ids the state file records (it must be valid JSON at every moment)."""
    return list(json.loads(state.read_text())["seen"])


def wait_for_requests(mock: Mock, count: int) -> None:
    """Returns once the mock has received `count` API requests."""
    deadline = time.monotonic() + 10
    while len(mock.requests()) < count:
        assert time.monotonic() < deadline, "the request never came"
        time.sleep(0.01)


def test_follow_yields_new_events_once_each_across_a_restart(mock: Mock, tmp_path: Path) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    state = tmp_path / "follow.json"
    events = client.follow(GENERATED, interval=FAST, since=at(17), state=state)
    assert [next(events).id for _ in range(3)] == [event_id(17), event_id(18), event_id(19)]
    new = [append(mock), append(mock)]
    assert next(events).id == new[0]
    # new[0] is handed out but not handled (the loop did not ask for more): a restart gets it again.
    assert new[0] not in seen(state)
    events.close()

    later = append(mock)  # while nothing follows
    restarted = client.follow(GENERATED, interval=FAST, state=state)
    assert [next(restarted).id for _ in range(3)] == [new[0], new[1], later]
    assert later not in seen(state) and new[1] in seen(state)
    with pytest.raises(ow.ConfigurationError, match="belongs to endpoint"):
        client.follow("6336cd2b5790c27875f70d96", state=state)
    with pytest.raises(ow.ConfigurationError, match="interval"):
        client.follow(GENERATED, interval=0)

    # A state file that does not parse, or cannot be written: the error keeps its cause.
    broken = tmp_path / "broken.json"
    broken.write_text('{"endpoint_id": 7')
    with pytest.raises(ow.ConfigurationError, match="is not valid") as invalid:
        client.follow(GENERATED, state=broken)
    assert isinstance(invalid.value.__cause__, ValueError)
    with pytest.raises(ow.ConfigurationError, match="cannot read the state file") as unreadable:
        client.follow(GENERATED, state=broken / "state.json")
    assert isinstance(unreadable.value.__cause__, NotADirectoryError)
    (tmp_path / "blocked.tmp").mkdir()  # where the state file is written before its rename
    with pytest.raises(ow.ConfigurationError, match="cannot write the state file") as unwritable:
        next(client.follow(GENERATED, interval=FAST, state=tmp_path / "blocked.json"))
    assert isinstance(unwritable.value.__cause__, IsADirectoryError)


def test_follow_filters_types_and_ends_on_an_unknown_endpoint(mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    listed = [e for e in client.list_events(GENERATED, since=at(0)) if e.type == "video.deleted"]
    events = client.follow(GENERATED, interval=FAST, since=at(0), types="video.deleted")
    assert [next(events).id for _ in listed] == [e.id for e in listed]
    with pytest.raises(ow.NotFoundError):
        next(client.follow("650000000000000000000999", interval=FAST))


def test_ctrl_c_stops_a_sync_follow_and_keeps_the_state(mock: Mock, tmp_path: Path) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    state = tmp_path / "follow.json"
    events = client.follow(GENERATED, interval=FAST, state=state)
    def interrupt(delay: float) -> None:
        deadline = time.monotonic() + 10
        while not state.exists() and time.monotonic() < deadline:  # the baseline poll is done
            time.sleep(0.01)
        time.sleep(delay)
        os.kill(os.getpid(), signal.SIGINT)

    for attempt in range(5):  # repeated: a signal may land in any phase of the wait
        timer = threading.Thread(target=interrupt, args=(0.02 + 0.03 * attempt,))
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            next(events)
        timer.join()
        assert time.monotonic() - started < 2
        assert len(seen(state)) == 20, "the baseline, intact"
        events = client.follow(GENERATED, interval=FAST, state=state)
    arrived = append(mock)
    assert next(events).id == arrived, "nothing lost to the interruptions"


def test_cancelling_an_async_follow_closes_its_request(mock: Mock, tmp_path: Path) -> None:
    client = ow.AsyncClient(MOCK_KEY, base_url=mock.url, timeout=30)
    state = tmp_path / "follow.json"

    async def main() -> None:
        events = client.follow(GENERATED, interval=FAST, since=at(19), state=state)
        assert (await events.__anext__()).id == event_id(19)
        before = len(mock.requests())
        mock.script([{"delay_ms": 10_000}])  # the next poll hangs
        task = asyncio.ensure_future(events.__anext__())
        await asyncio.get_running_loop().run_in_executor(None, wait_for_requests, mock, before + 1)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 1.0
        assert asyncio.all_tasks() == {asyncio.current_task()}, "no task left behind"
        hanging = mock.requests()[-1]["connection"]
        deadline = time.monotonic() + 5
        while not any(c["id"] == hanging and c["closed"] for c in mock._admin("GET", "/__mock/connections")):
            assert time.monotonic() < deadline, "the hanging poll's connection stayed open"
            await asyncio.sleep(0.02)
        assert event_id(19) in seen(state), "handed out, then acked by the next __anext__"

        mock.reset()
        arrived = append(mock)
        resumed = client.follow(GENERATED, interval=FAST, state=state)
        assert (await resumed.__anext__()).id == arrived

    asyncio.run(main())


def test_wait_for_event_finds_a_backfilled_or_a_new_event(mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    deleted = client.list_events(GENERATED, types=["video.deleted"])
    found = client.wait_for_event(GENERATED, type="video.deleted", since=at(0), timeout=5, interval=FAST)
    assert found.id == deleted[0].id

    threads = []

    def second_one(event: ow.Event) -> bool:
        threads.append(threading.get_ident())
        return event.id == deleted[1].id

    found = client.wait_for_event(GENERATED, type="video.deleted", since=at(0), where=second_one, interval=FAST)
    assert found.id == deleted[1].id and set(threads) == {threading.get_ident()}, "where runs on this thread"

    with ThreadPoolExecutor(1) as pool:
        before = len(mock.requests())
        every_type = [t.value for t in ow.EventType]
        waiting = pool.submit(client.wait_for_event, GENERATED, type=every_type, interval=FAST)
        wait_for_requests(mock, before + 1)  # its first poll: what exists is not new
        new = append(mock)
        assert waiting.result(timeout=10).id == new


def test_wait_for_event_times_out_and_propagates_where_errors(shared_mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=shared_mock.url)
    started = time.monotonic()
    with pytest.raises(ow.APITimeoutError, match="no matching event within"):
        client.wait_for_event(GENERATED, type="video.deleted", timeout=0.3, interval=FAST)
    assert 0.3 <= time.monotonic() - started < 3

    def broken(event: ow.Event) -> bool:
        raise LookupError(event.id)

    with pytest.raises(LookupError):
        client.wait_for_event(GENERATED, type="video.deleted", since=at(0), where=broken, interval=FAST)
    with pytest.raises(ow.ConfigurationError, match="timeout"):
        client.wait_for_event(GENERATED, type="video.deleted", timeout=-1)

    delivered = client.wait_for_event(GENERATED, type="video.process_succeeded", since=at(0), delivered=True, interval=FAST)
    assert delivered.delivered is True and delivered.response is not None


def test_async_wait_for_event(shared_mock: Mock) -> None:
    client = ow.AsyncClient(MOCK_KEY, base_url=shared_mock.url)
    expected = ow.Client(MOCK_KEY, base_url=shared_mock.url).list_events(GENERATED, types=["video.deleted"])

    async def main() -> None:
        async def third(event: ow.Event) -> bool:
            await asyncio.sleep(0)
            return event.id == expected[2].id

        found = await client.wait_for_event(GENERATED, type="video.deleted", since=at(0), where=third, interval=FAST)
        assert found.id == expected[2].id
        with pytest.raises(ow.APITimeoutError):
            await client.wait_for_event(GENERATED, type="video.deleted", timeout=0.2, interval=FAST)

        def broken(event: ow.Event) -> bool:
            raise LookupError(event.id)

        with pytest.raises(LookupError):
            await client.wait_for_event(GENERATED, type="video.deleted", since=at(0), where=broken, interval=FAST)

    asyncio.run(main())


def test_a_follower_refuses_to_cross_fork(shared_mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=shared_mock.url)
    events = client.follow(GENERATED, interval=FAST, since=at(0))
    assert next(events).id == event_id(0)
    for fork in range(10):  # repeated: a crash or hang that happens 1 run in 5 is one
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a clear error, then a new follower works; killed if it hangs
            try:
                signal.alarm(20)
                try:
                    next(events)
                    outcome = "no error"
                except ow.ConfigurationError as error:
                    fresh = client.follow(GENERATED, interval=FAST, since=at(0))
                    outcome = f"{type(error).__name__}: {error} / {next(fresh).id}"
                os.write(write, outcome.encode())
            finally:
                os._exit(0)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        outcome = os.read(read, 4096).decode()
        os.close(read)
        assert os.waitstatus_to_exitcode(status) == 0, f"fork {fork}: child ended with {status}"
        assert outcome.startswith("ConfigurationError: this follower was made before fork()"), outcome
        assert outcome.endswith(event_id(0))
        assert next(events).id == event_id(fork + 1), "the parent's follower goes on"
