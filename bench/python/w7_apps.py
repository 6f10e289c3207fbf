"""W7's Python receivers, served by uvicorn: ``ours`` (``Receiver.asgi``) and ``peer`` (a FastAPI
route that validates the body with the pydantic model of the same shape, as a user would write
it). Both run a no-op handler and answer 200 with a line of text.

With ``W7_DEDUPE`` set to a ``dedupe=`` string, ours is ``Receiver(dedupe=W7_DEDUPE)`` and the
peer keeps the ids it has seen in the same store the way a user would write it: a ``set``, a
``sqlite3`` table (``INSERT OR IGNORE``), or redis-py's ``SET NX EX``; a second delivery answers
``duplicate``."""

from __future__ import annotations

import os
import sqlite3
from typing import Any, Optional

from fastapi import FastAPI, Request, Response
from pydantic import ValidationError

import omega_webhooks
from peers import EVENT

DEDUPE: Optional[str] = os.environ.get("W7_DEDUPE")
receiver = omega_webhooks.Receiver(dedupe=DEDUPE)


@receiver.on_any
async def handle(event: omega_webhooks.Event) -> None:
    return None


ours = receiver.asgi


class Seen:
    """The peer's "have I handled this id?" in the store DEDUPE names."""

    def __init__(self, spec: Optional[str]) -> None:
        self.memory: Optional[set[str]] = set() if spec == "memory" else None
        self.sqlite: Optional[sqlite3.Connection] = None
        self.redis: Any = None
        if spec and spec.startswith("sqlite://"):
            self.sqlite = sqlite3.connect(spec[len("sqlite://") :], isolation_level=None, check_same_thread=False)
            self.sqlite.execute("PRAGMA journal_mode=WAL")
            self.sqlite.execute("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)")
        elif spec and spec.startswith("redis://"):
            import redis.asyncio

            self.redis = redis.asyncio.Redis.from_url(spec)

    async def first_time(self, event_id: str) -> bool:
        if self.memory is not None:
            if event_id in self.memory:
                return False
            self.memory.add(event_id)
            return True
        if self.sqlite is not None:
            return self.sqlite.execute("INSERT OR IGNORE INTO seen (id) VALUES (?)", (event_id,)).rowcount == 1
        if self.redis is not None:
            return bool(await self.redis.set(f"seen:{event_id}", 1, nx=True, ex=7 * 86400))
        return True


seen = Seen(DEDUPE)
peer = FastAPI()


@peer.post("/")
async def webhook(request: Request) -> Response:
    try:
        event = EVENT.validate_json(await request.body())
    except ValidationError as error:
        return Response(str(error).splitlines()[0], status_code=400, media_type="text/plain")
    if not await seen.first_time(event.id):
        return Response(f"duplicate {event.id}: already handled", media_type="text/plain")
    return Response(f"handled {event.type} {event.id}", media_type="text/plain")
