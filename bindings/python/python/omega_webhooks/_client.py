"""``Client`` and ``AsyncClient``: small wrappers over the Rust client in ``_native``."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, Callable, Dict, List, Optional, Type

from ._native import AsyncCalls, Event, NativeClient


class _BaseClient:
    """Options shared by both clients; see ``Client``."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        allow_insecure_http: bool = False,
        connect_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        retry_initial_delay: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> None:
        self._native = NativeClient(
            api_key,
            base_url,
            timeout,
            max_retries,
            allow_insecure_http,
            connect_timeout,
            total_timeout,
            retry_initial_delay,
            max_response_bytes,
        )
        # Used by AsyncClient only: its calls in flight and the loop watching for outcomes.
        self._calls: Optional[AsyncCalls] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._pending: Dict[int, "asyncio.Future[Any]"] = {}

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._native.base_url

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._native.closed

    def close(self) -> None:
        """Refuses further calls and releases the connection pool once idle."""
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

    def list_events(self, endpoint_id: str) -> List[Event]:
        """The events delivered to a webhook endpoint (``data`` and ``response`` are None)."""
        return self._native.list_events(endpoint_id)

    def get_event(self, endpoint_id: str, event_id: str) -> Event:
        """One event in full."""
        return self._native.get_event(endpoint_id, event_id)

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()


class AsyncClient(_BaseClient):
    """Asyncio client: the same options and behaviour as ``Client``, with coroutine methods.

    Requests run on the SDK's Rust runtime; cancelling the awaiting task cancels the request.
    Outcomes come back through a socket the event loop watches (``loop.add_reader``, so a
    selector event loop such as the default one on Unix), never by a Rust thread calling
    into Python.
    """

    async def list_events(self, endpoint_id: str) -> List[Event]:
        """The events delivered to a webhook endpoint (``data`` and ``response`` are None)."""
        result: List[Event] = await self._run(lambda calls: self._native.start_list_events(calls, endpoint_id))
        return result

    async def get_event(self, endpoint_id: str, event_id: str) -> Event:
        """One event in full."""
        result: Event = await self._run(lambda calls: self._native.start_get_event(calls, endpoint_id, event_id))
        return result

    async def _run(self, start: Callable[[AsyncCalls], int]) -> Any:
        loop = asyncio.get_running_loop()
        calls = self._watch(loop)
        future = loop.create_future()
        call = start(calls)
        self._pending[call] = future
        try:
            return await future
        except asyncio.CancelledError:
            calls.cancel(call)
            raise
        finally:
            self._pending.pop(call, None)

    def _watch(self, loop: asyncio.AbstractEventLoop) -> AsyncCalls:
        """The calls' doorbell, watched by the running loop (re-registered if the loop changed)."""
        if self._calls is None:
            self._calls = AsyncCalls()
        if self._loop is not loop:
            self._unwatch()
            loop.add_reader(self._calls.fileno(), self._deliver)
            self._loop = loop
        return self._calls

    def _unwatch(self) -> None:
        if self._calls is not None and self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._calls.fileno())
        self._loop = None

    def _deliver(self) -> None:
        """On the event loop's thread: hands finished outcomes to their futures."""
        assert self._calls is not None
        for call, ok, value in self._calls.take():
            future = self._pending.get(call)
            if future is None or future.done():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def close(self) -> None:
        """Refuses further calls and stops watching for outcomes once none is pending."""
        super().close()
        if not self._pending:
            self._unwatch()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()
