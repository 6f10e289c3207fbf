"""``OmegaError``, the base of every exception the SDK raises (hand-written; its subclasses in
``_errors.py`` are generated from the Rust taxonomy)."""

from __future__ import annotations

from typing import Dict, Optional


class OmegaError(Exception):
    """Base class of every error the SDK raises.

    Attributes are ``None`` where they do not apply: ``status``, ``body``, ``request_id`` and
    ``headers`` for answers of the API, ``retry_after`` (seconds) when the API asked for a
    delay, ``path`` (a JSON path such as ``[0].id``) for payloads of the wrong shape.
    """

    message: str
    status: Optional[int]
    body: Optional[str]
    request_id: Optional[str]
    headers: Dict[str, str]
    retry_after: Optional[float]
    path: Optional[str]
    attempts: int

    def __init__(
        self,
        text: str,
        *,
        message: Optional[str] = None,
        status: Optional[int] = None,
        body: Optional[str] = None,
        request_id: Optional[str] = None,
        headers: Optional[Dict[str, str]] = None,
        retry_after: Optional[float] = None,
        path: Optional[str] = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(text)
        self.message = text if message is None else message
        self.status = status
        self.body = body
        self.request_id = request_id
        self.headers = dict(headers or {})
        self.retry_after = retry_after
        self.path = path
        self.attempts = attempts

    def __repr__(self) -> str:
        details = "".join(
            f", {name}={value!r}"
            for name, value in (("status", self.status), ("request_id", self.request_id), ("path", self.path))
            if value is not None
        )
        return f"{type(self).__name__}({str(self)!r}{details})"
