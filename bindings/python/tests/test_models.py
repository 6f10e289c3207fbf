"""The models: every fixture through parse_event, to_dict/to_json equal to the normalized JSON,
datetimes, enums, unknown fields, equality, repr, pickling; invalid bodies raise with a path."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import omega_webhooks as ow
from support import FIXTURES, read_json

WIRE = sorted((FIXTURES / "events" / "wire").glob("*.json"))
INVALID = json.loads((FIXTURES / "invalid" / "cases.json").read_text())


@pytest.mark.parametrize("path", WIRE, ids=[p.stem for p in WIRE])
def test_fixture_parses_to_its_normalized_json(path: Path) -> None:
    normalized = read_json(f"fixtures/events/normalized/{path.name}")
    for body in (path.read_bytes(), path.read_text(encoding="utf-8"), bytearray(path.read_bytes())):
        event = ow.parse_event(body)
        assert event.to_dict() == normalized
        assert json.loads(event.to_json()) == normalized
    assert ow.Event.from_json(event.to_json()) == event
    assert pickle.loads(pickle.dumps(event)) == event
    assert copy.deepcopy(event) == event


@pytest.mark.parametrize("case", [c for c in INVALID if c["parse"] == "event"], ids=lambda c: c["file"])
def test_invalid_body_raises_with_its_path(case: dict) -> None:
    body = (FIXTURES / "invalid" / case["file"]).read_bytes()
    with pytest.raises(ow.WebhookPayloadError) as raised:
        ow.parse_event(body)
    assert raised.value.path == case["path"]
    assert case["reason_contains"] in str(raised.value)
    assert isinstance(raised.value, ow.OmegaError)


def test_attributes_are_typed_values() -> None:
    event = ow.parse_event((FIXTURES / "events/wire/details-example.json").read_bytes())
    assert event.id == "630fac88bd5bb64cf8b24b99"
    assert event.type == ow.EventType.VIDEO_PROCESS_SUCCEEDED == "video.process_succeeded"
    assert event.created == 1661971592
    assert event.created_at == datetime(2022, 10, 1, tzinfo=timezone.utc)
    assert event.created_at.tzinfo is not None
    assert event.response is not None and event.response.status_code == 200
    assert event.data is not None and event.data.video is not None
    video = event.data.video
    assert video.created_at == datetime(2022, 9, 15, 10, 8, 22, 972000, tzinfo=timezone.utc)
    assert video.status == ow.VideoStatus.PROCESS_COMPLETED
    assert video.input is not None and (video.input.width, video.input.height) == (1280, 546)
    assert video.storage is not None and video.storage.meta is None
    assert video.meta["downloaded_from"].endswith("Sintel.mp4")
    assert video.deleted_at is None and video.thumbnail_timestamp_pct is None


def test_quirks() -> None:
    zero = ow.parse_event((FIXTURES / "events/wire/ocid.json").read_bytes())
    assert zero.coid == "omega-cop-KoNef9DB5i"
    assert zero.created_at == datetime(1, 1, 1, tzinfo=timezone.utc)
    assert zero.data is None and zero.response is None
    offset = ow.parse_event((FIXTURES / "events/wire/fractional-seconds.json").read_bytes())
    assert offset.created_at is not None and offset.created_at.microsecond == 823797
    deleted = offset.data.video.deleted_at if offset.data and offset.data.video else None
    assert deleted is not None and deleted.utcoffset() == timedelta(hours=2)
    unknown = ow.parse_event((FIXTURES / "events/wire/unknown-event-type.json").read_bytes())
    assert unknown.type == "video.transcribed"
    big = ow.parse_event((FIXTURES / "events/wire/size-over-2-32.json").read_bytes())
    assert big.data is not None and big.data.video is not None and big.data.video.size == 5368709120
    missing = ow.parse_event((FIXTURES / "events/wire/missing-created-at.json").read_bytes())
    assert missing.created_at is None


def test_unknown_fields_are_readable_at_every_level() -> None:
    event = ow.parse_event((FIXTURES / "events/wire/unknown-fields.json").read_bytes())
    assert event.extra == {"delivery_attempts": 3}
    assert event.data is not None and event.data.extra == {"trace": {"span": "abc"}}
    video = event.data.video
    assert video is not None and video.extra["chapters"][0]["title"] == "Intro"
    assert video.input is not None and video.input.extra == {"codec": "h264"}
    assert video.storage is not None and video.storage.source is not None
    assert video.storage.source.extra == {"etag": "abc123"}
    assert event.response is not None and event.response.extra["headers"]["content-type"] == "text/plain"


def test_repr_equality_and_nested_from_json() -> None:
    body = (FIXTURES / "events/wire/details-example.json").read_bytes()
    a, b = ow.parse_event(body), ow.parse_event(body)
    assert a == b and a is not b
    assert a != ow.parse_event((FIXTURES / "events/wire/data-empty.json").read_bytes())
    assert repr(a).startswith("Event(") and "id='630fac88bd5bb64cf8b24b99'" in repr(a)
    assert a.data is not None and a.data.video is not None
    video = a.data.video
    assert ow.Video.from_json(video.to_json()) == video
    assert "title='Sintel'" in repr(video)
    with pytest.raises(ow.WebhookPayloadError):
        ow.Video.from_json("{}")


def test_parse_event_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        ow.parse_event(42)  # type: ignore[arg-type]
    with pytest.raises(ow.WebhookPayloadError):
        ow.parse_event(b"\xff\xfe")
    with pytest.raises(ow.WebhookPayloadError):
        ow.parse_event("")


def test_models_are_immutable() -> None:
    event = ow.parse_event((FIXTURES / "events/wire/ocid.json").read_bytes())
    with pytest.raises(AttributeError):
        event.id = "other"  # type: ignore[misc]
