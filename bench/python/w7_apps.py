"""W7's Python receivers, served by uvicorn: ``ours`` (``Receiver.asgi``) and ``peer`` (a FastAPI
route that validates the body with the pydantic model of the same shape, as a user would write
it). Both run a no-op handler and answer 200 with a line of text."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from pydantic import ValidationError

import omega_webhooks
from peers import EVENT

receiver = omega_webhooks.Receiver()


@receiver.on_any
async def handle(event: omega_webhooks.Event) -> None:
    return None


ours = receiver.asgi

peer = FastAPI()


@peer.post("/")
async def webhook(request: Request) -> Response:
    try:
        event = EVENT.validate_json(await request.body())
    except ValidationError as error:
        return Response(str(error).splitlines()[0], status_code=400, media_type="text/plain")
    return Response(f"handled {event.type} {event.id}", media_type="text/plain")
