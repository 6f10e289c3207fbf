"""Delivery operations from Python: filters, get_events, replay and Event.delivered, sync and
async, against the mock (which also plays the receiver)."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

import omega_webhooks as ow
from support import MOCK_KEY, Mock

GENERATED = "650000000000000000000001"
FIRST = 1_700_000_000  # created of generated event 0; event i is 300 s (EVENT_SPACING) later


def received(mock: Mock) -> list:
    with urllib.request.urlopen(mock.url + "/__mock/received", timeout=10) as answer:
        return json.loads(answer.read())


def test_list_filters_by_type_and_window(mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    deleted = client.list_events(GENERATED, types=["video.deleted"])
    assert deleted and all(e.type == "video.deleted" for e in deleted)
    assert client.list_events(GENERATED, types="video.deleted") == deleted, "a lone string is one type"
    since = datetime.fromtimestamp(FIRST + 300 * 5, tz=timezone.utc)
    until = datetime.fromtimestamp(FIRST + 300 * 9, tz=timezone.utc)
    window = client.list_events(GENERATED, since=since, until=until)
    assert [e.created for e in window] == [FIRST + 300 * i for i in range(5, 10)]
    assert client.list_events(GENERATED, since=timedelta(days=1)) == [], "the generated events are from 2023"
    with pytest.raises(ow.ConfigurationError, match="naive"):
        client.list_events(GENERATED, since=datetime(2023, 11, 14))
    with pytest.raises(TypeError):
        client.list_events(GENERATED, since="yesterday")  # type: ignore[arg-type]

    async def main() -> list:
        return await ow.AsyncClient(MOCK_KEY, base_url=mock.url).list_events(GENERATED, since=since, until=until)

    assert asyncio.run(main()) == window


def test_get_events_in_order_raising_or_returning_errors(mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    ids = [e.id for e in client.list_events(GENERATED)]
    events = client.get_events(GENERATED, ids, concurrency=4)
    assert [e.id for e in events] == ids
    delivered = {e.delivered for e in events}
    assert delivered == {True, False, None}, "the mock mixes delivered, failed and unanswered"
    assert all(e.delivered is None for e in client.list_events(GENERATED)), "the list has no answers"
    mixed = ids[:3] + ["650000000000000000ffffff"] + ids[3:5]
    with pytest.raises(ow.NotFoundError):
        client.get_events(GENERATED, mixed)
    results = client.get_events(GENERATED, mixed, return_exceptions=True)
    assert isinstance(results[3], ow.NotFoundError) and [r.id for r in results[:3]] == ids[:3]

    async def main() -> list:
        return await ow.AsyncClient(MOCK_KEY, base_url=mock.url).get_events(GENERATED, mixed, return_exceptions=True)

    assert [type(r) for r in asyncio.run(main())] == [type(r) for r in results]


@pytest.mark.parametrize("concurrency", [0, 257, -1])
def test_concurrency_out_of_range_is_a_configuration_error(mock: Mock, concurrency: int) -> None:
    """The same class and message as the CLI's and Node's (the client crate's Concurrency)."""
    message = f"^concurrency must be between 1 and 256, not {concurrency}$"
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    with pytest.raises(ow.ConfigurationError, match=message):
        client.get_events(GENERATED, ["650000000000000000000000"], concurrency=concurrency)
    with pytest.raises(ow.ConfigurationError, match=message):
        client.failed_deliveries(GENERATED, concurrency=concurrency)

    async def main() -> None:
        await ow.AsyncClient(MOCK_KEY, base_url=mock.url).failed_deliveries(GENERATED, concurrency=concurrency)

    with pytest.raises(ow.ConfigurationError, match=message):
        asyncio.run(main())
    assert mock.requests() == [], "refused before any I/O"


def test_cancelling_get_events_mid_batch(mock: Mock) -> None:
    client = ow.AsyncClient(MOCK_KEY, base_url=mock.url, timeout=30)
    ids = [f"65{i:022x}" for i in range(20)]
    mock.script([{"delay_ms": 3000}] * 20)

    async def main() -> float:
        task = asyncio.ensure_future(client.get_events(GENERATED, ids, concurrency=4))
        await asyncio.sleep(0.3)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        elapsed = time.monotonic() - started
        assert asyncio.all_tasks() == {asyncio.current_task()}, "no task left behind"
        return elapsed

    assert asyncio.run(main()) < 1.0, "cancelling returns at once"
    # The delayed requests' connections are closed by the cancel (not left to finish).
    used = {r["connection"] for r in mock.requests()}
    assert len(used) >= 4, f"four calls at once, got {len(used)} connections"
    deadline = time.monotonic() + 5
    while any(c["id"] in used and not c["closed"] for c in mock._admin("GET", "/__mock/connections")):
        assert time.monotonic() < deadline, "a cancelled request's connection stayed open"
        time.sleep(0.02)
    mock.reset()
    assert len(ow.Client(MOCK_KEY, base_url=mock.url).get_events(GENERATED, ids[:2])) == 2


def test_replay_reaches_the_receiver_without_the_key(mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    event = client.get_event(GENERATED, "650000000000000000000003")
    result = client.replay(event, mock.url + "/__receiver/hooks")
    assert result.ok and result.status == 200 and result.event_id == event.id and result.elapsed >= 0
    mock._admin("POST", "/__mock/receiver", [500])

    async def main() -> ow.ReplayResult:
        return await ow.AsyncClient(MOCK_KEY, base_url=mock.url).replay(event, mock.url + "/__receiver/hooks")

    refused = asyncio.run(main())
    assert not refused.ok and refused.status == 500 and "ReplayResult(" in repr(refused)
    deliveries = received(mock)
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert "authorization" not in delivery["headers"] and MOCK_KEY not in json.dumps(delivery)
        assert delivery["headers"]["omega-webhooks-replay"] == event.id
        sent = ow.parse_event(delivery["body"])
        assert sent.id == event.id and sent.response is None
    with pytest.raises(ow.ConfigurationError, match="plain http"):
        client.replay(event, "http://example.com/hooks")
    assert client.replay(event, mock.url + "/__receiver", allow_insecure_http=True).ok
    with pytest.raises(ow.APIConnectionError):
        client.replay(event, "http://127.0.0.1:9/hooks")


def test_failed_deliveries_sync_and_async(mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    ids = [e.id for e in client.list_events(GENERATED)]
    expected = [e.id for e in client.get_events(GENERATED, ids) if not e.delivered]
    failed = client.failed_deliveries(GENERATED, concurrency=3)
    assert [e.id for e in failed] == expected and expected
    assert all(e.delivered is not True for e in failed)
    deleted = client.failed_deliveries(GENERATED, types=["video.deleted"])
    assert all(e.type == "video.deleted" for e in deleted)

    async def main() -> list:
        return await ow.AsyncClient(MOCK_KEY, base_url=mock.url).failed_deliveries(GENERATED)

    assert [e.id for e in asyncio.run(main())] == expected


def test_listed_events_are_outside_the_cyclic_gc(mock: Mock) -> None:
    """Lists of events add nothing for the cyclic GC to visit (a model holds no Python object),
    and the events still behave, survive collections and are freed with their list."""
    client = ow.Client(MOCK_KEY, base_url=mock.url)

    async def main() -> tuple:
        async_client = ow.AsyncClient(MOCK_KEY, base_url=mock.url)
        return await async_client.list_events(GENERATED), await async_client.failed_deliveries(GENERATED)

    lists = [client.list_events(GENERATED), client.failed_deliveries(GENERATED), *asyncio.run(main())]
    for events in lists:
        assert events and gc.is_tracked(events), "the list itself is an ordinary list"
        assert not any(gc.is_tracked(e) for e in events)
    gc.collect()
    listed = lists[0]
    assert listed == client.list_events(GENERATED) and listed[0].id == "650000000000000000000000"
    assert json.loads(listed[0].to_json())["coid"] == listed[0].coid
    assert sys.getrefcount(listed[0]) == 3, "held by the list and by the call's argument only"
    single = client.get_event(GENERATED, listed[0].id)
    assert single.id == listed[0].id
