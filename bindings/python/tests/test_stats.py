"""Delivery stats from Python: typed views of the Rust engine's result, equal to the CLI's
`events stats --json` for the same window (sync and async), and bad options refused before
any request."""

from __future__ import annotations

import asyncio
import json
import subprocess
from datetime import datetime, timezone

import pytest

import omega_webhooks as ow
from support import MOCK_KEY, Mock, cli_binary

GENERATED = "650000000000000000000001"
OUTAGE_DAY = datetime(2023, 11, 18, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def week() -> Mock:
    """A mock with a week of generated deliveries (the outage on 2023-11-18)."""
    mock = Mock("--events", "2016")
    yield mock
    mock.stop()


def cli_stats(mock: Mock, *args: str) -> dict:
    out = subprocess.run(
        [cli_binary(), "--base-url", mock.url, "--api-key", MOCK_KEY, "events", "stats", GENERATED, *args, "--json"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    result: dict = json.loads(out.stdout)
    return result


def test_stats_are_typed_and_equal_the_cli_json(week: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=week.url)
    stats = client.delivery_stats(GENERATED)
    assert isinstance(stats, ow.DeliveryStats)
    assert stats.to_dict() == cli_stats(week)
    assert stats.by == "day" and stats.since is None and stats.unreadable == 0
    assert stats.totals.events == 2016 == sum(b.counts.events for b in stats.buckets)
    assert stats.totals.failed + stats.totals.unknown == sum(g.count for g in stats.groups)
    assert [t.type for t in stats.types] == sorted(t.type for t in stats.types)
    outage = next(g for g in stats.groups if g.status_code == 503)
    assert isinstance(outage, ow.FailureGroup) and outage.cause == "# Service Temporarily Unavailable"
    assert len(outage.examples) == 3 and isinstance(outage.types, tuple)
    worst = max(stats.buckets, key=lambda b: b.counts.failure_rate)
    assert datetime.fromtimestamp(worst.start, timezone.utc) == OUTAGE_DAY, "the outage's day is the worst"
    assert "failure_rate=" in repr(stats)
    copy = stats.to_dict()
    copy["totals"]["events"] = 0
    assert stats.to_dict()["totals"]["events"] == 2016, "to_dict() is a copy"


def test_filters_and_hours_are_the_cli_ones_sync_and_async(week: Mock) -> None:
    since = OUTAGE_DAY
    until = datetime(2023, 11, 18, 5, 59, 59, tzinfo=timezone.utc)
    kwargs = dict(since=since, until=until, types=["video.deleted", "video.uploaded"], by="hour")
    want = cli_stats(
        week, "--since", "2023-11-18T00:00:00Z", "--until", "2023-11-18T05:59:59Z",
        "--type", "video.deleted", "--type", "video.uploaded", "--by", "hour",
    )
    stats = ow.Client(MOCK_KEY, base_url=week.url).delivery_stats(GENERATED, **kwargs)  # type: ignore[arg-type]
    assert stats.to_dict() == want
    assert len(stats.buckets) == 6 and stats.filter_types == ("video.deleted", "video.uploaded")

    async def main() -> ow.DeliveryStats:
        async with ow.AsyncClient(MOCK_KEY, base_url=week.url) as client:
            return await client.delivery_stats(GENERATED, **kwargs)  # type: ignore[arg-type]

    assert asyncio.run(main()).to_dict() == want


def test_bad_options_are_refused_before_any_request(mock: Mock) -> None:
    client = ow.Client(MOCK_KEY, base_url=mock.url)
    with pytest.raises(ow.ConfigurationError, match="use hour or day"):
        client.delivery_stats(GENERATED, by="week")  # type: ignore[arg-type]
    with pytest.raises(ow.ConfigurationError):
        client.delivery_stats(GENERATED, concurrency=0)
    with pytest.raises(ow.ConfigurationError, match="naive"):
        client.delivery_stats(GENERATED, since=datetime(2023, 11, 14))
    assert mock.requests() == []


def test_an_unreadable_event_raises_its_error(mock: Mock) -> None:
    mock.script([{}, {"status": 404}])
    with pytest.raises(ow.NotFoundError):
        ow.Client(MOCK_KEY, base_url=mock.url, max_retries=0).delivery_stats(GENERATED)
