"""Helpers for testing your own code: realistic webhook bodies to post to your receiver, and the
mock Omega API in this process.

>>> from omega_webhooks.testing import event_body
>>> body = event_body("video.process_failed", set={"data.video.title": "Demo"}, seed=7)
>>> # client.post("/hooks/omega", content=body, headers={"content-type": "application/json"})
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, Mapping, Optional, Type

from ._native import NativeMockServer, synthetic_body

__all__ = ["MockServer", "event_body"]


def event_body(type: str, *, set: Optional[Mapping[str, Any]] = None, seed: Optional[int] = None) -> bytes:
    """The body Omega would POST for a realistic event of ``type`` (the generator and overrides
    of ``omega-webhooks trigger``): ``set`` maps dotted paths (``"data.video.title"``) to JSON
    values; one that leaves no valid event (``{"created": "soon"}``) is a ``ConfigurationError``.
    The same ``seed`` gives the same values (the current second by default)."""
    overrides = [(path, json.dumps(value)) for path, value in (set or {}).items()]
    return synthetic_body(type, overrides, seed=seed)


class MockServer:
    """The mock Omega API (the Rust mock server) on a free loopback port of this process, for
    testing code that calls the API: ``Client(server.api_key, base_url=server.base_url)``.
    ``endpoint_id`` has ``events`` generated events. Use it as a context manager, or ``close()``."""

    def __init__(self, *, events: Optional[int] = None, seed: int = 0) -> None:
        self._native = NativeMockServer(events=events, seed=seed)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self._native.base_url

    @property
    def api_key(self) -> str:
        """The key the mock accepts."""
        return self._native.api_key

    @property
    def endpoint_id(self) -> str:
        """The endpoint of the generated events."""
        return self._native.endpoint_id

    def close(self) -> None:
        """Stops the server."""
        self._native.close()

    def __enter__(self) -> MockServer:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MockServer(base_url={self.base_url!r})"
