"""``Client`` and ``AsyncClient``: small wrappers over the Rust client in ``_native``."""

from __future__ import annotations

import asyncio
import inspect
import os
import socket
import sys
import weakref
from datetime import datetime, timedelta
from types import TracebackType
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Literal,
    Optional,
    Sequence,
    Type,
    Union,
)

from ._native import AsyncCalls, Event, NativeCall, NativeClient, NativeFollower, ReplayResult
from ._stats import DeliveryStats

#: A point in time for ``since``/``until``: an aware ``datetime``, or a ``timedelta`` (an age
#: before now). A naive ``datetime`` is a ``ConfigurationError``.
When = Union[datetime, timedelta]


#: A state file's path for ``follow``.
StrPath = Union[str, "os.PathLike[str]"]


def _types(types: Optional[Iterable[str]]) -> Optional[List[str]]:
    """``types`` as a list (a lone string is one type, not its letters)."""
    if types is None:
        return None
    return [types] if isinstance(types, str) else list(types)


def _events(follower: NativeFollower) -> Iterator[Event]:
    """The follower's events, one per ``next()`` (each acked when the next is asked for)."""
    while True:
        event: Event = follower.next().wait()
        yield event


class _BaseClient:
    """Options shared by both clients; see ``Client``."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
        connect_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        retry_initial_delay: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> None:
        self._native = NativeClient(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            connect_timeout=connect_timeout,
            total_timeout=total_timeout,
            retry_initial_delay=retry_initial_delay,
            max_response_bytes=max_response_bytes,
        )

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._native.base_url

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._native.closed

    def close(self) -> None:
        """Closes the pooled connections now; later calls raise ``ConfigurationError``."""
        self._native.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


class Client(_BaseClient):
    """Blocking client of the Omega Stream webhook events API.

    ``api_key`` and ``base_url`` default to ``OMEGA_API_KEY`` and ``OMEGA_BASE_URL``. Times
    are seconds. Calls release the GIL while the request runs, retry connection errors,
    timeouts, 408, 409, 429 and 5xx (``max_retries`` times, with backoff and ``Retry-After``),
    and raise the ``OmegaError`` subclasses of ``omega_webhooks``. Safe to share between threads.
    """

    def list_events(
        self,
        endpoint_id: str,
        *,
        types: Optional[Iterable[str]] = None,
        since: Optional[When] = None,
        until: Optional[When] = None,
    ) -> List[Event]:
        """The events delivered to a webhook endpoint (``data`` and ``response`` are None),
        optionally only those of ``types`` created between ``since`` and ``until``."""
        result: List[Event] = self._native.list_events(endpoint_id, types=_types(types), since=since, until=until).wait()
        return result

    def get_event(self, endpoint_id: str, event_id: str) -> Event:
        """One event in full."""
        result: Event = self._native.get_event(endpoint_id, event_id).wait()
        return result

    def get_events(
        self,
        endpoint_id: str,
        event_ids: Sequence[str],
        *,
        concurrency: Optional[int] = None,
        return_exceptions: bool = False,
    ) -> List[Any]:
        """Many events in full, ``concurrency`` at a time (1 to 256; ``None``:
        ``DEFAULT_CONCURRENCY``), in the order of ``event_ids``.

        Raises the first error in that order; with ``return_exceptions=True`` (as
        ``asyncio.gather``) each item is the ``Event`` or its exception instead.
        """
        result: List[Any] = self._native.get_events(
            endpoint_id, list(event_ids), concurrency=concurrency, return_exceptions=return_exceptions
        ).wait()
        return result

    def failed_deliveries(
        self,
        endpoint_id: str,
        *,
        types: Optional[Iterable[str]] = None,
        since: Optional[When] = None,
        until: Optional[When] = None,
        concurrency: Optional[int] = None,
    ) -> List[Event]:
        """The events (in full) whose delivery failed (a non-2xx answer) or has no answer, among
        those that pass the filters; an event whose details cannot be read raises its error."""
        result: List[Event] = self._native.failed_deliveries(
            endpoint_id, types=_types(types), since=since, until=until, concurrency=concurrency
        ).wait()
        return result

    def delivery_stats(
        self,
        endpoint_id: str,
        *,
        since: Optional[When] = None,
        until: Optional[When] = None,
        types: Optional[Iterable[str]] = None,
        by: Literal["day", "hour"] = "day",
        concurrency: Optional[int] = None,
    ) -> DeliveryStats:
        """The delivery health of the events that pass the filters: counts per time bucket
        (``by``, UTC) and per event type, and the failed or unanswered deliveries grouped by
        receiver status and cause. Reads every event's details, ``concurrency`` at a time; an
        event whose details cannot be read raises its error."""
        result: Dict[str, Any] = self._native.delivery_stats(
            endpoint_id, types=_types(types), since=since, until=until, by=by, concurrency=concurrency
        ).wait()
        return DeliveryStats._from_dict(result)

    def follow(
        self,
        endpoint_id: str,
        *,
        interval: Optional[float] = None,
        since: Optional[When] = None,
        state: Optional[StrPath] = None,
        types: Optional[Iterable[str]] = None,
    ) -> Iterator[Event]:
        """New events as they arrive, oldest first: an endless iterator that polls the list every
        ``interval`` seconds (``None``: ``DEFAULT_POLL_INTERVAL``; transient errors are waited
        out with backoff).

        ``since`` also yields, first, the events created since then. With ``state`` (a JSON
        file, created if missing) nothing is lost or repeated across restarts: an event counts
        as handled when the loop asks for the next one, so one whose handling raised comes again.
        Ctrl-C stops the wait and leaves the state file consistent. Errors of the options (a bad
        state file) raise here; 401/403/404 raise from the loop.
        """
        follower = self._native.follow(endpoint_id, interval=interval, since=since, state=state, types=_types(types))
        return _events(follower)

    def wait_for_event(
        self,
        endpoint_id: str,
        *,
        type: Union[str, Iterable[str]],
        since: Optional[When] = None,
        timeout: Optional[float] = None,
        where: Optional[Callable[[Event], bool]] = None,
        delivered: bool = False,
        interval: Optional[float] = None,
    ) -> Event:
        """The first new event of ``type`` (a type or several), or ``APITimeoutError`` after
        ``timeout`` seconds (``None``: ``DEFAULT_WAIT_TIMEOUT``).

        It counts events created since ``since`` (default: the current second, so an event that
        lands between your trigger and the first poll is found). ``where`` is called (on this
        thread) with each candidate and picks it by returning true; its exceptions propagate.
        ``delivered=True`` only considers events whose delivery succeeded, returned in full.
        """
        follower = self._native.waiter(
            endpoint_id, types=_types(type) or [], timeout=timeout, interval=interval, since=since, delivered=delivered
        )
        while True:
            event: Event = follower.next().wait()
            if where is None or where(event):
                return event

    def replay(self, event: Event, url: str, *, allow_insecure_http: bool = False) -> ReplayResult:
        """POSTs ``event`` to a receiver you control, as Omega would have delivered it (never with
        the API key); any answer is a ``ReplayResult`` (see ``.ok``)."""
        result: ReplayResult = self._native.replay(event, url, allow_insecure_http=allow_insecure_http).wait()
        return result

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()


#: Set to ``1`` to make ``AsyncClient`` use its portable path (a loopback TCP socket pair read
#: with ``loop.sock_recv``) where a Unix socket pair and ``loop.add_reader`` would do: the path
#: Windows takes, and how the tests run the async suite on it here.
PORTABLE_ASYNC_ENV = "OMEGA_WEBHOOKS_PORTABLE_ASYNC"


class _Inbox:
    """Where the async calls awaited on one event loop report back (one per loop and process).

    The Rust side writes a byte to the socket of ``calls`` when a call finishes; the loop runs
    ``_deliver`` on its own thread, which hands each outcome to its future: called by
    ``loop.add_reader`` on Unix, or by the protocol of a transport over the socket on the
    portable path (Windows' event loops have no ``add_reader``; every loop has transports).
    The inbox holds no client, so a client that is no longer used is collected even while its
    loop lives.
    """

    def __init__(self, calls: AsyncCalls) -> None:
        self.calls = calls
        self.pending: Dict[int, "asyncio.Future[Any]"] = {}
        self.listening = True

    @classmethod
    async def open(cls, loop: asyncio.AbstractEventLoop) -> "_Inbox":
        """The inbox of ``loop``, listening."""
        portable = sys.platform == "win32" or os.environ.get(PORTABLE_ASYNC_ENV) == "1"
        inbox = cls(AsyncCalls(portable=portable))
        if inbox.calls.portable:
            # A duplicate of the reading end, so that closing the transport leaves Rust's open.
            ring = socket.fromfd(inbox.calls.fileno(), socket.AF_INET, socket.SOCK_STREAM)
            ring.setblocking(False)
            await loop.connect_accepted_socket(lambda: _Ring(inbox), ring)
        else:
            loop.add_reader(inbox.calls.fileno(), inbox._deliver)
        return inbox

    def _deliver(self) -> None:
        for call, ok, value in self.calls.take():
            future = self.pending.pop(call, None)
            if future is None or future.done():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)


class _Ring(asyncio.Protocol):
    """The portable path: each ring of the socket delivers the finished calls."""

    def __init__(self, inbox: _Inbox) -> None:
        self.inbox = inbox

    def data_received(self, data: bytes) -> None:
        self.inbox._deliver()

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self.inbox.listening = False


# Keyed weakly: an inbox lives as long as its loop (its socket is watched by that loop only).
_INBOXES: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Inbox]" = weakref.WeakKeyDictionary()


async def _inbox(loop: asyncio.AbstractEventLoop) -> _Inbox:
    """The running loop's inbox; a new one in a forked child (the parent's shares its socket)."""
    inbox = _INBOXES.get(loop)
    if inbox is None or inbox.calls.forked or not inbox.listening:
        inbox = _INBOXES[loop] = await _Inbox.open(loop)
    return inbox


async def _run(native_call: NativeCall) -> Any:
    """Starts ``native_call`` on the SDK's runtime and awaits its outcome on this loop (the
    async driver; ``Client`` runs the same calls with ``.wait()``)."""
    loop = asyncio.get_running_loop()
    inbox = await _inbox(loop)
    future = loop.create_future()
    call = inbox.calls.start(native_call)
    inbox.pending[call] = future
    try:
        return await future
    except asyncio.CancelledError:
        inbox.calls.cancel(call)
        raise
    finally:
        inbox.pending.pop(call, None)


class AsyncClient(_BaseClient):
    """Asyncio client: the same options and behaviour as ``Client``, with coroutine methods.

    Requests run on the SDK's Rust runtime; cancelling the awaiting task cancels the request.
    One client may be used from several event loops (e.g. threads each running their own):
    every call reports back to the loop that awaits it, through a socket that loop watches
    (``loop.add_reader`` on Unix; on Windows, or with ``OMEGA_WEBHOOKS_PORTABLE_ASYNC=1``, a
    loopback socket read with ``loop.sock_recv``, which every event loop has) — never by a
    Rust thread calling into Python.
    """

    async def list_events(
        self,
        endpoint_id: str,
        *,
        types: Optional[Iterable[str]] = None,
        since: Optional[When] = None,
        until: Optional[When] = None,
    ) -> List[Event]:
        """The events delivered to a webhook endpoint, optionally filtered; see ``Client``."""
        result: List[Event] = await _run(
            self._native.list_events(endpoint_id, types=_types(types), since=since, until=until)
        )
        return result

    async def get_event(self, endpoint_id: str, event_id: str) -> Event:
        """One event in full."""
        result: Event = await _run(self._native.get_event(endpoint_id, event_id))
        return result

    async def get_events(
        self,
        endpoint_id: str,
        event_ids: Sequence[str],
        *,
        concurrency: Optional[int] = None,
        return_exceptions: bool = False,
    ) -> List[Any]:
        """Many events in full; see ``Client.get_events``. Cancelling the task cancels the batch."""
        result: List[Any] = await _run(
            self._native.get_events(
                endpoint_id, list(event_ids), concurrency=concurrency, return_exceptions=return_exceptions
            )
        )
        return result

    async def failed_deliveries(
        self,
        endpoint_id: str,
        *,
        types: Optional[Iterable[str]] = None,
        since: Optional[When] = None,
        until: Optional[When] = None,
        concurrency: Optional[int] = None,
    ) -> List[Event]:
        """The failed or unanswered deliveries; see ``Client.failed_deliveries``."""
        result: List[Event] = await _run(
            self._native.failed_deliveries(
                endpoint_id, types=_types(types), since=since, until=until, concurrency=concurrency
            )
        )
        return result

    async def delivery_stats(
        self,
        endpoint_id: str,
        *,
        since: Optional[When] = None,
        until: Optional[When] = None,
        types: Optional[Iterable[str]] = None,
        by: Literal["day", "hour"] = "day",
        concurrency: Optional[int] = None,
    ) -> DeliveryStats:
        """The delivery health of a window; see ``Client.delivery_stats``. Cancelling the task
        cancels the batch."""
        result: Dict[str, Any] = await _run(
            self._native.delivery_stats(
                endpoint_id, types=_types(types), since=since, until=until, by=by, concurrency=concurrency
            )
        )
        return DeliveryStats._from_dict(result)

    def follow(
        self,
        endpoint_id: str,
        *,
        interval: Optional[float] = None,
        since: Optional[When] = None,
        state: Optional[StrPath] = None,
        types: Optional[Iterable[str]] = None,
    ) -> AsyncIterator[Event]:
        """New events as they arrive: an endless async iterator; see ``Client.follow``.
        Cancelling the task that awaits it loses nothing and leaves the state file consistent."""
        follower = self._native.follow(endpoint_id, interval=interval, since=since, state=state, types=_types(types))
        return self._events(follower)

    async def wait_for_event(
        self,
        endpoint_id: str,
        *,
        type: Union[str, Iterable[str]],
        since: Optional[When] = None,
        timeout: Optional[float] = None,
        where: Optional[Callable[[Event], Union[bool, Awaitable[bool]]]] = None,
        delivered: bool = False,
        interval: Optional[float] = None,
    ) -> Event:
        """The first new event of ``type``; see ``Client.wait_for_event``. ``where`` runs on this
        loop and may be a coroutine function."""
        follower = self._native.waiter(
            endpoint_id, types=_types(type) or [], timeout=timeout, interval=interval, since=since, delivered=delivered
        )
        while True:
            event: Event = await _run(follower.next())
            if where is None:
                return event
            chosen = where(event)
            if inspect.isawaitable(chosen):
                chosen = await chosen
            if chosen:
                return event

    async def _events(self, follower: NativeFollower) -> AsyncIterator[Event]:
        """The follower's events, one per ``__anext__``."""
        while True:
            event: Event = await _run(follower.next())
            yield event

    async def replay(self, event: Event, url: str, *, allow_insecure_http: bool = False) -> ReplayResult:
        """POSTs ``event`` to a receiver you control; see ``Client.replay``."""
        result: ReplayResult = await _run(
            self._native.replay(event, url, allow_insecure_http=allow_insecure_http)
        )
        return result

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()
