"""A typed program using every public name; `mypy --strict` must accept it (test_typing.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Dict, List, Optional, Tuple

import omega_webhooks
from omega_webhooks import testing
from omega_webhooks import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    ConfigurationError,
    ConflictError,
    Event,
    EventData,
    EventResponse,
    EventType,
    InternalServerError,
    NotFoundError,
    OmegaError,
    PermissionDeniedError,
    Playback,
    RateLimitError,
    Storage,
    StorageSource,
    UnprocessableEntityError,
    Video,
    VideoInput,
    VideoStatus,
    WebhookPayloadError,
    parse_event,
)


def describe(event: Event) -> str:
    created: Optional[datetime] = event.created_at
    data: Optional[EventData] = event.data
    response: Optional[EventResponse] = event.response
    parts: List[str] = [event.id, event.type, event.coid, event.api_version, event.endpoint_id, str(event.created), str(created)]
    if response is not None:
        parts += [str(response.status_code), response.status, response.body, response.message]
    video: Optional[Video] = data.video if data is not None else None
    if video is not None:
        parts += [video.id, video.title, video.uuid, video.coid, video.status, str(video.ready_to_stream)]
        updated: datetime = video.updated_at
        parts.append(updated.isoformat())
        playback: Optional[Playback] = video.playback
        if playback is not None and playback.hls is not None:
            parts.append(playback.hls)
        size: Optional[int] = video.size
        meta: Dict[str, str] = video.meta
        parts += [str(size), str(meta.get("failure")), str(video.duration), str(video.thumbnail_timestamp_pct)]
        dims: Optional[VideoInput] = video.input
        if dims is not None:
            parts.append(f"{dims.width}x{dims.height}")
        storage: Optional[Storage] = video.storage
        if storage is not None:
            source: Optional[StorageSource] = storage.source
            parts += [storage.bucket, storage.raw_bucket, str(source.size if source else None)]
    if event.type == EventType.VIDEO_PROCESS_FAILED or (video and video.status == VideoStatus.PROCESS_FAILED):
        parts.append("failed")
    extra: Dict[str, object] = event.extra
    parts.append(str(len(extra)))
    parts.append(event.to_json())
    parts.append(str(event.to_dict()["id"]))
    return " ".join(parts)


def sync_main(api_key: str, base_url: str) -> None:
    with Client(api_key, base_url=base_url, timeout=5.0, max_retries=1) as client:
        for event in client.list_events("6336cd2b5790c27875f70d96"):
            print(describe(client.get_event(event.endpoint_id, event.id)))
    try:
        parse_event(b"{}")
    except WebhookPayloadError as e:
        where: Optional[str] = e.path
        print(where)
    except (ConfigurationError, APITimeoutError, APIConnectionError, APIResponseValidationError):
        raise
    except RateLimitError as e:
        wait: Optional[float] = e.retry_after
        code: int = e.status  # a status error always has its status and body
        text: str = e.body
        print(wait, code, text)
    except (BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError,
            UnprocessableEntityError, InternalServerError) as e:
        print(e.status, e.message, e.request_id, e.headers, e.body)
    except APIStatusError as e:
        status: int = e.status
        print(status)
    except OmegaError as e:
        attempts: int = e.attempts
        print(attempts)


async def async_main(api_key: str, base_url: str) -> List[Event]:
    async with AsyncClient(api_key, base_url=base_url) as client:
        events: List[Event] = await client.list_events("6336cd2b5790c27875f70d96")
        details = await asyncio.gather(*(client.get_event(e.endpoint_id, e.id) for e in events))
        return list(details)


VERSION: str = omega_webhooks.__version__


def delivery_operations(client: Client, event: Event) -> int:
    """The delivery operations, typed."""
    from datetime import timedelta

    from omega_webhooks import ReplayResult

    recent: List[Event] = client.list_events("ep", types=["video.process_failed"], since=timedelta(hours=24))
    details = client.get_events("ep", [e.id for e in recent], concurrency=4, return_exceptions=True)
    answer: ReplayResult = client.replay(event, "http://127.0.0.1:3000/hooks")
    delivered: Optional[bool] = event.delivered
    return len(details) + answer.status + (1 if delivered else 0)


def follow_and_wait(client: Client, state: str) -> Optional[Event]:
    """follow() and wait_for_event(), typed."""
    from pathlib import Path

    for new in client.follow("ep", interval=2.5, state=Path(state), types=["video.deleted"]):
        return new
    return client.wait_for_event("ep", type="video.process_succeeded", timeout=30, where=lambda e: e.delivered is True)


async def follow_and_wait_async(client: AsyncClient) -> Event:
    """The async follow() and wait_for_event(), typed; `where` may be a coroutine function."""

    async def ready(event: Event) -> bool:
        return event.data is not None

    async for new in client.follow("ep", since=datetime.now().astimezone()):
        return new
    return await client.wait_for_event("ep", type=["video.ready_to_watch"], where=ready, delivered=True)


def receive(body: bytes, headers: Dict[str, str]) -> Tuple[int, str, Dict[str, str], str]:
    """The receiver, typed: handlers by type, the answer, the adapters and the test helpers."""
    receiver = omega_webhooks.Receiver(max_body_bytes=1 << 20, expose_errors=False, endpoints=["ep"])

    @receiver.on("video.process_failed", omega_webhooks.EventType.VIDEO_DELETED)
    def failed(event: Event) -> None:
        print(event.id)

    @receiver.on_any
    async def anything(event: Event) -> None:
        print(event.type)

    answer: omega_webhooks.Answer = receiver.handle(body, headers)
    asgi_app = receiver.asgi
    wsgi_app = receiver.wsgi
    sample: bytes = testing.event_body("video.uploaded", set={"data.video.title": "Demo"}, seed=7)
    with testing.MockServer(events=3) as server:
        omega_webhooks.Receiver(verify=omega_webhooks.Client(server.api_key, base_url=server.base_url))
    once = omega_webhooks.Receiver(dedupe="memory", lease=30.0, remember=3600)
    assert callable(asgi_app) and callable(wsgi_app) and sample and once.asgi
    return answer.status, answer.body, answer.headers, answer.outcome


async def delivery_health(client: Client, aclient: AsyncClient) -> float:
    """delivery_stats(), typed, sync and async."""
    from datetime import timedelta

    stats: omega_webhooks.DeliveryStats = client.delivery_stats("ep", since=timedelta(days=7), by="hour", concurrency=4)
    totals: omega_webhooks.Counts = stats.totals
    buckets: Tuple[omega_webhooks.Bucket, ...] = stats.buckets
    per_type: Tuple[omega_webhooks.TypeCounts, ...] = stats.types
    groups: Tuple[omega_webhooks.FailureGroup, ...] = stats.groups
    status: Optional[int] = groups[0].status_code if groups else None
    again = await aclient.delivery_stats("ep", types=["video.deleted"])
    as_json: Dict[str, object] = again.to_dict()
    return totals.failure_rate + len(buckets) + len(per_type) + (status or 0) + len(as_json)
