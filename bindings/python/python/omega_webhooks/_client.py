"""``Client`` and ``AsyncClient``: small wrappers over the Rust client in ``_native``."""

from __future__ import annotations

from types import TracebackType
from typing import List, Optional, Type

from ._native import Event, NativeClient


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
    """

    async def list_events(self, endpoint_id: str) -> List[Event]:
        """The events delivered to a webhook endpoint (``data`` and ``response`` are None)."""
        return await self._native.list_events_async(endpoint_id)

    async def get_event(self, endpoint_id: str, event_id: str) -> Event:
        """One event in full."""
        return await self._native.get_event_async(endpoint_id, event_id)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()
