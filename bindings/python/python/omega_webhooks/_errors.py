"""The exception classes: one taxonomy, the same names in Rust, Python and Node.

::

    OmegaError
    ├── ConfigurationError          bad/missing key, bad base URL, bad id — before any I/O
    ├── APIConnectionError          DNS, connect, reset, TLS, body cut short
    │   └── APITimeoutError
    ├── APIStatusError              any non-2xx (3xx, 418, ... are this class)
    │   ├── BadRequestError 400  AuthenticationError 401  PermissionDeniedError 403
    │   ├── NotFoundError 404    ConflictError 409        UnprocessableEntityError 422
    │   └── RateLimitError 429   InternalServerError >= 500
    ├── APIResponseValidationError  a 2xx body that is not the documented shape
    └── WebhookPayloadError         parse_event on a body that is not an event

No message or ``repr`` contains the API key.
"""

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


class ConfigurationError(OmegaError):
    """Bad or missing API key, bad base URL, bad id or option: raised before any I/O."""


class APIConnectionError(OmegaError):
    """The request got no answer: DNS, connect, reset, TLS, or a body cut short."""


class APITimeoutError(APIConnectionError):
    """An attempt, or the whole call's deadline, timed out."""


class APIStatusError(OmegaError):
    """The API answered with a non-2xx status (this class for those without their own)."""


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: missing or wrong API key."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404: no such endpoint or event."""


class ConflictError(APIStatusError):
    """409."""


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429; ``retry_after`` holds the delay the API asked for."""


class InternalServerError(APIStatusError):
    """500 and above."""


class APIResponseValidationError(OmegaError):
    """A 2xx body that is not the documented shape (or over the size cap); see ``path``."""


class WebhookPayloadError(OmegaError):
    """``parse_event`` on a body that is not an event; see ``path``."""
