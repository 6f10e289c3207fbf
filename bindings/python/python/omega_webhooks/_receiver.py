"""``Receiver``: the webhook receiver Omega POSTs to — typed handlers by event type, and ASGI and
WSGI apps. Reading, verifying and answering a delivery are the Rust core's (``_native``); this
module calls your handlers and speaks to the web frameworks."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import (
    Any,
    Awaitable,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

from ._client import AsyncClient, Client, _run
from ._errors import ConfigurationError
from ._native import Answer, Event, NativeDelivery, NativeReceiver

__all__ = ["Answer", "Receiver"]

#: The logger every delivery is logged to, once, with its outcome (never its body).
logger = logging.getLogger("omega_webhooks")

#: A handler: a function of the event, plain or ``async``; what it returns is ignored.
Handler = Callable[[Event], Any]
H = TypeVar("H", bound=Handler)

_Body = Union[bytes, bytearray, memoryview, str]
_Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]], None]


def _pairs(headers: _Headers) -> List[Tuple[str, str]]:
    """Headers as (name, value) pairs, from a mapping (``dict``, Starlette's or Werkzeug's
    ``Headers``, Django's ``request.headers``) or pairs."""
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, Mapping) or hasattr(headers, "items") else headers
    return [(str(name), str(value)) for name, value in items]


def _failure(error: BaseException) -> Tuple[str, str]:
    """The class name and message of a handler's exception."""
    return type(error).__name__, str(error)


class Receiver:
    """Receives the webhooks Omega POSTs: reads each delivery (size cap, content type, decode with
    the error's path), verifies it with the API when ``verify`` is a client, calls the handler of
    its type, and gives the ``Answer`` to send back — one short line that Omega records and
    ``omega-webhooks events failures`` reads back.

    ``verify`` (a ``Client`` or ``AsyncClient``) fetches each event from the API first: handlers
    get the API's copy, an event the API does not know is answered 403 and none runs.
    ``endpoints`` accepts deliveries for those endpoints only. ``expose_errors`` adds the first
    line of a failed handler's message to its 500 answer (by default only the class).

    ``dedupe`` handles each event once, across the workers sharing the store: ``"memory"`` (this
    process), ``"sqlite:///path/to/seen.db"`` (the processes of one machine) or
    ``"redis://host:port/db"`` (several machines). Before a handler runs its event is claimed for
    ``lease`` seconds (default 60); after it returns the event is remembered for ``remember``
    seconds (default 7 days) and later deliveries answer ``duplicate``; a handler that fails
    releases it. See ``docs/receiving.md``.
    """

    def __init__(
        self,
        *,
        max_body_bytes: Optional[int] = None,
        expose_errors: bool = False,
        verify: Optional[Union[Client, AsyncClient]] = None,
        endpoints: Optional[Iterable[str]] = None,
        dedupe: Optional[str] = None,
        lease: Optional[float] = None,
        remember: Optional[float] = None,
    ) -> None:
        self._native = NativeReceiver(
            max_body_bytes=max_body_bytes,
            expose_errors=expose_errors,
            verify=None if verify is None else verify._native,
            endpoints=None if endpoints is None else [endpoints] if isinstance(endpoints, str) else list(endpoints),
            dedupe=dedupe,
            lease=lease,
            remember=remember,
        )
        self._dedupes = self._native.dedupes
        self._handlers: Dict[str, Handler] = {}
        self._any: Optional[Handler] = None

    def on(self, *types: str) -> Callable[[H], H]:
        """Decorator: the handler of these event types (known or not)."""
        if not types:
            raise ConfigurationError("on() needs at least one event type")

        def register(handler: H) -> H:
            for kind in types:
                self._handlers[str(kind)] = handler
            return handler

        return register

    def on_any(self, handler: H) -> H:
        """Decorator: the handler of every event without a handler of its own."""
        self._any = handler
        return handler

    def handle(self, body: _Body, headers: _Headers = None) -> Answer:
        """Receives one delivery and runs its handler on this thread (an ``async def`` handler
        is a ``ConfigurationError`` here: use ``handle_async``)."""
        received = self._native.read(body, _pairs(headers))
        if isinstance(received, NativeDelivery) and self._native.verifies:
            received = self._native.verify(received).wait()
        if not isinstance(received, NativeDelivery):
            return self._logged(received)
        handler = self._handler(received.event)
        if handler is None:
            return self._logged(self._native.unhandled(received))
        if inspect.iscoroutinefunction(handler):
            raise ConfigurationError(
                f"the handler of {received.event.type} is async: call `await receiver.handle_async(...)`"
            )
        claim = (self._native.claim_now(received) or self._native.claim(received).wait()) if self._dedupes else None
        if isinstance(claim, Answer):
            return self._logged(claim)
        try:
            handler(received.event)
        except BaseException as error:
            if claim is not None and not claim.release_now():
                claim.release().wait()
            if not isinstance(error, Exception):
                raise
            return self._logged(self._native.failed(received, *_failure(error)))
        if claim is not None and not claim.done_now():
            claim.done().wait()
        return self._logged(self._native.handled(received))

    async def handle_async(self, body: _Body, headers: _Headers = None) -> Answer:
        """Receives one delivery: awaits an ``async`` handler, runs a plain one in a worker
        thread (so it does not block the event loop)."""
        received = self._native.read(body, _pairs(headers))
        if isinstance(received, NativeDelivery) and self._native.verifies:
            received = await _run(self._native.verify(received))
        if not isinstance(received, NativeDelivery):
            return self._logged(received)
        handler = self._handler(received.event)
        if handler is None:
            return self._logged(self._native.unhandled(received))
        claim = (self._native.claim_now(received) or await _run(self._native.claim(received))) if self._dedupes else None
        if isinstance(claim, Answer):
            return self._logged(claim)
        try:
            if inspect.iscoroutinefunction(handler):
                await handler(received.event)
            else:
                result = await asyncio.to_thread(handler, received.event)
                if inspect.isawaitable(result):
                    await result
        except BaseException as error:
            # Cancelled (the client went away) or failed: the next delivery is handled.
            if claim is not None and not claim.release_now():
                await asyncio.shield(_run(claim.release()))
            if not isinstance(error, Exception):
                raise
            return self._logged(self._native.failed(received, *_failure(error)))
        if claim is not None and not claim.done_now():
            await _run(claim.done())
        return self._logged(self._native.handled(received))

    def _handler(self, event: Event) -> Optional[Handler]:
        return self._handlers.get(str(event.type), self._any)

    @staticmethod
    def _logged(answer: Answer) -> Answer:
        level = logging.WARNING if answer.status >= 500 else logging.INFO
        logger.log(level, "%s", answer.log_line)
        return answer

    # -- ASGI ---------------------------------------------------------------------------------

    @property
    def asgi(self) -> "ReceiverASGI":
        """An ASGI 3 app: mount it (FastAPI/Starlette ``app.mount("/hooks/omega", receiver.asgi)``)
        or serve it alone (``uvicorn module:receiver.asgi``)."""
        return ReceiverASGI(self)

    # -- WSGI ---------------------------------------------------------------------------------

    def wsgi(self, environ: Dict[str, Any], start_response: Callable[..., Any]) -> List[bytes]:
        """A WSGI app (Flask's ``app.wsgi_app`` dispatcher, Django, gunicorn, any WSGI server);
        handlers run on the server's thread."""
        if environ.get("REQUEST_METHOD") != "POST":
            answer = self._logged(self._native.method_not_allowed())
        else:
            body = self._wsgi_body(environ)
            if body is None:
                answer = self._logged(self._native.too_large())
            else:
                answer = self.handle(body, _environ_headers(environ))
        start_response(f"{answer.status} {answer.reason}", list(answer.headers.items()))
        return [answer.body.encode()]

    def _wsgi_body(self, environ: Dict[str, Any]) -> Optional[bytes]:
        """The request body, or ``None`` when it exceeds the cap."""
        cap = self._native.max_body_bytes
        stream = environ.get("wsgi.input")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > cap:
            return None
        if stream is None:
            return b""
        body = stream.read(length) if length else stream.read(cap + 1)
        return None if len(body) > cap else bytes(body)


def _environ_headers(environ: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The request headers of a WSGI environ."""
    headers = [(key[5:].replace("_", "-").lower(), str(value)) for key, value in environ.items() if key.startswith("HTTP_")]
    if environ.get("CONTENT_TYPE"):
        headers.append(("content-type", str(environ["CONTENT_TYPE"])))
    return headers


class ReceiverASGI:
    """``Receiver.asgi``: the receiver as an ASGI 3 application (POST only; lifespan events are
    acknowledged)."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver

    async def __call__(
        self,
        scope: Dict[str, Any],
        receive: Callable[[], Awaitable[Dict[str, Any]]],
        send: Callable[[Dict[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        if scope["method"] != "POST":
            answer = self.receiver._logged(self.receiver._native.method_not_allowed())
        else:
            body = await self._asgi_body(receive)
            if body is None:
                answer = self.receiver._logged(self.receiver._native.too_large())
            else:
                headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])]
                answer = await self.receiver.handle_async(body, headers)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [(k.encode(), v.encode()) for k, v in answer.headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": answer.body.encode()})

    async def _asgi_body(self, receive: Callable[[], Awaitable[Dict[str, Any]]]) -> Optional[bytes]:
        """The request body, or ``None`` once it exceeds the cap (the rest is not read)."""
        chunks: List[bytes] = []
        size = 0
        cap = self.receiver._native.max_body_bytes
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)
