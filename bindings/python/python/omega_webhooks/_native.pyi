"""Type stubs of the native module (the Rust bindings)."""

import os
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional, Tuple, Union, final

__version__: str
DEFAULT_CONCURRENCY: int
DEFAULT_POLL_INTERVAL: float
DEFAULT_WAIT_TIMEOUT: float
__all__ = [
    "Answer",
    "AsyncCalls",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_WAIT_TIMEOUT",
    "Event",
    "EventData",
    "EventResponse",
    "NativeCall",
    "NativeClaim",
    "NativeClient",
    "NativeDelivery",
    "NativeMockServer",
    "NativeReceiver",
    "NativeFollower",
    "Playback",
    "ReplayResult",
    "Storage",
    "StorageSource",
    "Video",
    "VideoInput",
    "__version__",
    "parse_event",
    "synthetic_body",
]

_Body = Union[str, bytes, bytearray, memoryview]

@final
class NativeClient:
    def __new__(
        cls,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
        connect_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        retry_initial_delay: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> NativeClient: ...
    @property
    def base_url(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def list_events(
        self,
        endpoint_id: str,
        *,
        types: Optional[List[str]] = None,
        since: Optional[Union[datetime, timedelta]] = None,
        until: Optional[Union[datetime, timedelta]] = None,
    ) -> NativeCall: ...
    def get_event(self, endpoint_id: str, event_id: str) -> NativeCall: ...
    def get_events(
        self,
        endpoint_id: str,
        event_ids: List[str],
        *,
        concurrency: Optional[int] = None,
        return_exceptions: bool = False,
    ) -> NativeCall: ...
    def failed_deliveries(
        self,
        endpoint_id: str,
        *,
        types: Optional[List[str]] = None,
        since: Optional[Union[datetime, timedelta]] = None,
        until: Optional[Union[datetime, timedelta]] = None,
        concurrency: Optional[int] = None,
    ) -> NativeCall: ...
    def delivery_stats(
        self,
        endpoint_id: str,
        *,
        types: Optional[List[str]] = None,
        since: Optional[Union[datetime, timedelta]] = None,
        until: Optional[Union[datetime, timedelta]] = None,
        by: Optional[str] = None,
        concurrency: Optional[int] = None,
    ) -> NativeCall: ...
    def replay(self, event: Event, url: str, *, allow_insecure_http: bool = False) -> NativeCall: ...
    def follow(
        self,
        endpoint_id: str,
        *,
        interval: Optional[float] = None,
        since: Optional[Union[datetime, timedelta]] = None,
        state: Optional[Union[str, os.PathLike[str]]] = None,
        types: Optional[List[str]] = None,
    ) -> NativeFollower: ...
    def waiter(
        self,
        endpoint_id: str,
        *,
        types: List[str],
        timeout: Optional[float] = None,
        interval: Optional[float] = None,
        since: Optional[Union[datetime, timedelta]] = None,
        delivered: bool = False,
    ) -> NativeFollower: ...

@final
class Answer:
    """A receiver's answer: what to send back to Omega."""

    @property
    def status(self) -> int: ...
    @property
    def reason(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def outcome(self) -> str: ...
    @property
    def event(self) -> Optional[Event]: ...
    @property
    def log_line(self) -> str: ...

@final
class NativeDelivery:
    @property
    def event(self) -> Event: ...
    @property
    def replay(self) -> bool: ...

@final
class NativeReceiver:
    def __new__(
        cls,
        *,
        max_body_bytes: Optional[int] = None,
        expose_errors: bool = False,
        verify: Optional[NativeClient] = None,
        endpoints: Optional[List[str]] = None,
        dedupe: Optional[str] = None,
        lease: Optional[float] = None,
        remember: Optional[float] = None,
    ) -> NativeReceiver: ...
    @property
    def max_body_bytes(self) -> int: ...
    @property
    def verifies(self) -> bool: ...
    @property
    def dedupes(self) -> bool: ...
    def claim(self, delivery: NativeDelivery) -> NativeCall: ...
    def claim_now(self, delivery: NativeDelivery) -> Union[NativeClaim, Answer, None]: ...
    def read(self, body: _Body, headers: List[Tuple[str, str]]) -> Union[NativeDelivery, Answer]: ...
    def verify(self, delivery: NativeDelivery) -> NativeCall: ...
    def handled(self, delivery: NativeDelivery) -> Answer: ...
    def unhandled(self, delivery: NativeDelivery) -> Answer: ...
    def failed(self, delivery: NativeDelivery, class_name: str, message: str) -> Answer: ...
    def method_not_allowed(self) -> Answer: ...
    def too_large(self) -> Answer: ...

@final
class NativeClaim:
    def done(self) -> NativeCall: ...
    def release(self) -> NativeCall: ...
    def done_now(self) -> bool: ...
    def release_now(self) -> bool: ...

@final
class NativeMockServer:
    def __new__(cls, *, events: Optional[int] = None, seed: int = 0) -> NativeMockServer: ...
    @property
    def base_url(self) -> str: ...
    @property
    def api_key(self) -> str: ...
    @property
    def endpoint_id(self) -> str: ...
    def close(self) -> None: ...

def synthetic_body(event_type: str, overrides: List[Tuple[str, str]], *, seed: Optional[int] = None) -> bytes: ...

@final
class NativeCall:
    def wait(self) -> Any: ...

@final
class NativeFollower:
    def next(self) -> NativeCall: ...

@final
class ReplayResult:
    """What a receiver answered to one replay."""

    @property
    def event_id(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def body(self) -> str: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def ok(self) -> bool: ...

@final
class AsyncCalls:
    def __new__(cls, *, portable: bool = False) -> AsyncCalls: ...
    @property
    def forked(self) -> bool: ...
    @property
    def portable(self) -> bool: ...
    def fileno(self) -> int: ...
    def start(self, call: NativeCall) -> int: ...
    def take(self) -> List[Tuple[int, bool, Any]]: ...
    def cancel(self, id: int) -> None: ...

class _Model:
    @property
    def extra(self) -> Dict[str, Any]:
        """Fields this version of the SDK does not know."""
    def to_dict(self) -> Dict[str, Any]:
        """The normalized JSON as Python values."""
    def to_json(self) -> str:
        """The normalized JSON text (the CLI's ``--json``)."""
    def __reduce__(self) -> Tuple[Any, Tuple[str]]: ...

@final
class Event(_Model):
    """A webhook event Omega Stream delivered (or tried to deliver) to an endpoint."""

    @classmethod
    def from_json(cls, data: _Body) -> Event: ...
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> Optional[datetime]: ...
    @property
    def coid(self) -> str: ...
    @property
    def api_version(self) -> str: ...
    @property
    def created(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def endpoint_id(self) -> str: ...
    @property
    def data(self) -> Optional[EventData]: ...
    @property
    def response(self) -> Optional[EventResponse]: ...
    @property
    def delivered(self) -> Optional[bool]:
        """True for a 2xx answer, False for any other status, None without an answer."""

@final
class EventData(_Model):
    """The data of an event: the video it is about."""

    @classmethod
    def from_json(cls, data: _Body) -> EventData: ...
    @property
    def video(self) -> Optional[Video]: ...

@final
class EventResponse(_Model):
    """The customer endpoint's answer to the webhook POST request."""

    @classmethod
    def from_json(cls, data: _Body) -> EventResponse: ...
    @property
    def status_code(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def message(self) -> str: ...

@final
class Video(_Model):
    """A video on the Omega Stream platform."""

    @classmethod
    def from_json(cls, data: _Body) -> Video: ...
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def deleted_at(self) -> Optional[datetime]: ...
    @property
    def title(self) -> str: ...
    @property
    def uuid(self) -> str: ...
    @property
    def coid(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def privacy(self) -> Optional[str]: ...
    @property
    def entity_tag(self) -> Optional[str]: ...
    @property
    def playback(self) -> Optional[Playback]: ...
    @property
    def playback_v2(self) -> Optional[Playback]: ...
    @property
    def input(self) -> Optional[VideoInput]: ...
    @property
    def duration(self) -> Optional[int]: ...
    @property
    def size(self) -> Optional[int]: ...
    @property
    def ready_to_stream(self) -> bool: ...
    @property
    def thumbnail(self) -> Optional[str]: ...
    @property
    def thumbnail_timestamp_pct(self) -> Optional[float]: ...
    @property
    def storage(self) -> Optional[Storage]: ...
    @property
    def meta(self) -> Dict[str, str]: ...
    @property
    def collection_id(self) -> Optional[str]: ...

@final
class Playback(_Model):
    """Where each rendition of a processed video is stored or streamed from."""

    @classmethod
    def from_json(cls, data: _Body) -> Playback: ...
    @property
    def hls(self) -> Optional[str]: ...
    @property
    def dash(self) -> Optional[str]: ...
    @property
    def audio(self) -> Optional[str]: ...
    @property
    def r_1080p(self) -> Optional[str]: ...
    @property
    def r_720p(self) -> Optional[str]: ...
    @property
    def r_480p(self) -> Optional[str]: ...
    @property
    def r_360p(self) -> Optional[str]: ...
    @property
    def r_240p(self) -> Optional[str]: ...

@final
class VideoInput(_Model):
    """Dimensions of the uploaded source file."""

    @classmethod
    def from_json(cls, data: _Body) -> VideoInput: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...

@final
class Storage(_Model):
    """The storage buckets of a video."""

    @classmethod
    def from_json(cls, data: _Body) -> Storage: ...
    @property
    def bucket(self) -> str: ...
    @property
    def raw_bucket(self) -> str: ...
    @property
    def provider(self) -> Optional[str]: ...
    @property
    def source(self) -> Optional[StorageSource]: ...
    @property
    def meta(self) -> Optional[Dict[str, str]]: ...

@final
class StorageSource(_Model):
    """The uploaded source object of a video."""

    @classmethod
    def from_json(cls, data: _Body) -> StorageSource: ...
    @property
    def key(self) -> str: ...
    @property
    def size(self) -> int: ...

def parse_event(body: _Body) -> Event:
    """Parses an incoming webhook body into an ``Event``; raises ``WebhookPayloadError``."""

