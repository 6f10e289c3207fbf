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
NORMALIZED_EVENT = validator("event.normalized")
NORMALIZED_LIST = validator("event-list.normalized")


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
    for path in spec["paths"].values():
        for parameter in path["get"]["parameters"]:
            assert "$ref" in parameter or parameter["in"] != "header", "no header parameters (OAS ignores Content-Type)"
        assert path["get"]["description"] and path["get"]["tags"] == ["events"]
    assert spec["tags"][0]["name"] == "events" and spec["info"]["license"] and spec["info"]["contact"]


def test_every_generated_file_says_so():
    for path in SCHEMAS.glob("*.json"):
        doc = load(path)
        marker = doc.get("$comment") or doc.get("x-generated")
        assert marker and "do not edit" in marker, path.name


@pytest.mark.parametrize("path", sorted((FIXTURES / "events" / "normalized").glob("*.json")), ids=lambda p: p.name)
def test_normalized_event_fixture_validates_against_the_normalized_view(path: Path):
    assert [e.message for e in NORMALIZED_EVENT.iter_errors(load(path))] == []


@pytest.mark.parametrize("path", sorted((FIXTURES / "lists" / "normalized").glob("*.json")), ids=lambda p: p.name)
def test_normalized_list_fixture_validates_against_the_normalized_view(path: Path):
    assert [e.message for e in NORMALIZED_LIST.iter_errors(load(path))] == []


def test_the_normalized_view_refuses_wire_only_shapes():
    wire = load(FIXTURES / "lists" / "wire" / "list-example.json")[0]
    assert "ocid" in wire and not NORMALIZED_EVENT.is_valid(wire), "coid is required, ocid is the wire's"
    bare = load(FIXTURES / "events" / "normalized" / "details-example.json")
    del bare["created_at"]
    assert not NORMALIZED_EVENT.is_valid(bare), "every known field is present in the normalized view"


def test_no_boolean_subschemas_in_published_files():
    def walk(value, at):
        if isinstance(value, dict):
            for key, sub in value.items():
                if key in ("properties", "$defs", "patternProperties") and isinstance(sub, dict):
                    for name, schema in sub.items():
                        assert not isinstance(schema, bool), f"{at}/{key}/{name}"
                elif key in ("items", "not", "additionalItems", "contains") and isinstance(sub, bool):
                    raise AssertionError(f"{at}/{key} is a boolean schema")
                walk(sub, f"{at}/{key}")
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                assert not isinstance(sub, bool) or at.endswith(("/enum", "/required", "/type")), f"{at}/{i}"
                walk(sub, f"{at}/{i}")

    for path in SCHEMAS.glob("*.json"):
        walk(load(path), path.name)


def test_integral_floats_decode_as_integers_like_the_schema_says():
    event = load(FIXTURES / "events" / "wire" / "details-example.json")
    event["created"] = 1661971592.0
    assert EVENT.is_valid(event), "JSON Schema's integer type takes 1.0"


@pytest.mark.parametrize("event_type", [
    "video.uploaded", "video.ready_for_processing", "video.in_progress", "video.completed_processing",
    "video.process_failed", "video.process_succeeded", "video.ready_to_watch", "video.deleted",
    "video.failed_to_delete", "video.deletion_reverted",
])
def test_trigger_output_validates_against_both_views(event_type: str):
    import os
    import subprocess

    binary = os.environ.get("OMEGA_WEBHOOKS_BIN") or str(ROOT / "target" / "debug" / "omega-webhooks")
    out = subprocess.run([binary, "trigger", event_type, "--print"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    event = json.loads(out.stdout)
    assert event["type"] == event_type
    assert [e.message for e in EVENT.iter_errors(event)] == []
    assert [e.message for e in NORMALIZED_EVENT.iter_errors(event)] == []


@pytest.mark.parametrize("path", sorted((FIXTURES / "stats").glob("*.json")), ids=lambda p: p.name)
def test_stats_fixtures_validate_against_the_delivery_stats_schema(path: Path):
    stats = validator("delivery-stats")
    assert [e.message for e in stats.iter_errors(load(path))] == []


def test_the_delivery_stats_schema_refuses_what_is_not_stats():
    stats = validator("delivery-stats")
    good = load(FIXTURES / "stats" / "generated-by-day.json")
    for broken in ({**good, "by": "week"}, {k: v for k, v in good.items() if k != "groups"},
                   {**good, "totals": {**good["totals"], "events": -1}}):
        assert not stats.is_valid(broken)
