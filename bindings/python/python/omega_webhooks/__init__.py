"""Read the webhook events Omega Stream delivered to your endpoints.

>>> from omega_webhooks import Client
>>> with Client() as client:                       # OMEGA_API_KEY, OMEGA_BASE_URL  # doctest: +SKIP
...     for event in client.list_events("6336cd2b5790c27875f70d96"):
...         print(event.id, event.type, event.created)

``parse_event(body)`` validates the body of an incoming webhook POST. Everything is typed
(``py.typed``); the work happens in Rust with the GIL released.
"""

from ._client import AsyncClient, Client
from ._receiver import Answer, Receiver
from ._stats import Bucket, Counts, DeliveryStats, FailureGroup, TypeCounts
from ._enums import EventType, VideoStatus
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OmegaError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    WebhookPayloadError,
)
from ._native import (
    DEFAULT_CONCURRENCY,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    Event,
    EventData,
    EventResponse,
    Playback,
    ReplayResult,
    Storage,
    StorageSource,
    Video,
    VideoInput,
    __version__,
    parse_event,
)

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Answer",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Bucket",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "Counts",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_WAIT_TIMEOUT",
    "DeliveryStats",
    "Event",
    "EventData",
    "EventResponse",
    "EventType",
    "FailureGroup",
    "InternalServerError",
    "NotFoundError",
    "OmegaError",
    "PermissionDeniedError",
    "Playback",
    "RateLimitError",
    "Receiver",
    "ReplayResult",
    "Storage",
    "StorageSource",
    "TypeCounts",
    "UnprocessableEntityError",
    "Video",
    "VideoInput",
    "VideoStatus",
    "WebhookPayloadError",
    "__version__",
    "parse_event",
]
