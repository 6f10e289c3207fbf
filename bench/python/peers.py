"""The Python peers: pydantic v2 models equivalent to ours (wire names, `ocid` read as `coid`,
the three `data` shapes, aware datetimes, unknown fields kept), as a user would write them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, TypeAdapter, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Playback(_Model):
    hls: Optional[str] = None
    dash: Optional[str] = None
    audio: Optional[str] = None
    r_1080p: Optional[str] = None
    r_720p: Optional[str] = None
    r_480p: Optional[str] = None
    r_360p: Optional[str] = None
    r_240p: Optional[str] = None


class VideoInput(_Model):
    width: int
    height: int


class StorageSource(_Model):
    key: str
    size: int


class Storage(_Model):
    bucket: str
    raw_bucket: str
    provider: Optional[str] = None
    source: Optional[StorageSource] = None
    meta: Optional[Dict[str, str]] = None


class Video(_Model):
    id: str
    created_at: datetime
    updated_at: datetime
    deleted_at: Optional[datetime] = None
    title: str
    uuid: str
    coid: str
    status: str
    privacy: Optional[str] = None
    entity_tag: Optional[str] = None
    playback: Optional[Playback] = None
    playback_v2: Optional[Playback] = None
    input: Optional[VideoInput] = None
    duration: Optional[int] = None
    size: Optional[int] = None
    ready_to_stream: bool
    thumbnail: Optional[str] = None
    thumbnail_timestamp_pct: Optional[float] = None
    storage: Optional[Storage] = None
    meta: Dict[str, str] = Field(default_factory=dict)
    collection_id: Optional[str] = None


class EventData(_Model):
    video: Optional[Video] = None

    @model_validator(mode="before")
    @classmethod
    def wrap_bare_video(cls, value: Any) -> Any:
        if isinstance(value, dict) and "video" not in value and "id" in value:
            return {"video": value}
        return value


class EventResponse(_Model):
    status_code: int
    status: str
    body: str
    message: str


class Event(_Model):
    id: str
    created_at: Optional[datetime] = None
    coid: str = Field(validation_alias=AliasChoices("coid", "ocid"))
    api_version: str
    created: int
    type: str
    endpoint_id: str
    data: Optional[EventData] = None
    response: Optional[EventResponse] = None


EVENT = TypeAdapter(Event)
EVENTS = TypeAdapter(List[Event])
