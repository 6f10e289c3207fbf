"""The generated JSON Schemas and OpenAPI document, checked with Python's tools.

Every valid fixture (wire and normalized) validates against its schema with `jsonschema`
(Draft 2020-12, formats checked); every invalid fixture that breaks the schema is rejected;
`openapi.json` passes `openapi-spec-validator`.
"""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SCHEMAS = ROOT / "schemas"


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def validator(stem: str) -> Draft202012Validator:
    schema = load(SCHEMAS / f"{stem}.schema.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


EVENT = validator("event")
LIST = validator("event-list")


def valid(kind: str):
    files = sorted((FIXTURES / kind).glob("*/*.json"))
    assert len(files) >= 2, f"no fixtures under {kind}"
    return [pytest.param(path, id=f"{path.parent.name}/{path.name}") for path in files]


@pytest.mark.parametrize("path", valid("events"))
def test_event_fixture_validates(path: Path):
    errors = [e.message for e in EVENT.iter_errors(load(path))]
    assert errors == []


@pytest.mark.parametrize("path", valid("lists"))
def test_list_fixture_validates(path: Path):
    events = load(path)
    assert [e.message for e in LIST.iter_errors(events)] == []
    for event in events:
        EVENT.validate(event)


CASES = load(FIXTURES / "invalid" / "cases.json")


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_invalid_fixture(case):
    text = (FIXTURES / "invalid" / case["file"]).read_text(encoding="utf-8")
    if case["schema"] == "not-json":
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)
        return
    schema = LIST if case["parse"] == "list" else EVENT
    assert schema.is_valid(json.loads(text)) == (case["schema"] == "accept")


def test_date_time_format_is_checked():
    event = load(FIXTURES / "events" / "wire" / "details-example.json")
    event["created_at"] = "not a date"
    assert not EVENT.is_valid(event), "format checking must be on (rfc3339-validator)"


def test_event_type_schema_is_open():
    schema = validator("event-type")
    assert schema.is_valid("video.uploaded")
    assert schema.is_valid("video.added_next_year")
    assert not schema.is_valid(42)


def test_openapi_document_is_valid():
    spec = load(SCHEMAS / "openapi.json")
    validate_openapi(spec)
    assert set(spec["paths"]) == {"/client/webhooks/{id}", "/client/webhooks/{id}/events/{eid}"}


def test_every_generated_file_says_so():
    for path in SCHEMAS.iterdir():
        doc = load(path)
        marker = doc.get("$comment") or doc.get("x-generated")
        assert marker and "do not edit" in marker, path.name
