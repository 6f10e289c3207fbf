"""Schema and decoder agree: instances generated from the wire schema (by the small generator
below; hypothesis-jsonschema does not run with the Hypothesis that Schemathesis needs) are
filtered to those the schema accepts, and then each one must decode with the SDK, and the
SDK's output must validate against the normalized schema."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Dict

import omega_webhooks as ow
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
COUNT = 1500


def load(name: str) -> Dict[str, Any]:
    return json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))


def inline(schema: Dict[str, Any]) -> Dict[str, Any]:
    """The schema with every `$ref` to `$defs` replaced by its target (no cycles here)."""
    defs = schema.get("$defs", {})

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            if "$ref" in value:
                target = walk(defs[value["$ref"].rsplit("/", 1)[-1]])
                rest = {k: walk(v) for k, v in value.items() if k != "$ref"}
                return {**target, **rest}
            return {k: walk(v) for k, v in value.items() if k != "$defs"}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(schema)


def timestamp(rng: random.Random) -> str:
    year, month, day = rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28)
    text = f"{year:04d}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    if rng.random() < 0.5:
        text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 9)))
    if rng.random() < 0.6:
        return text + "Z"
    return text + f"{rng.choice('+-')}{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"


def text(rng: random.Random) -> str:
    alphabet = "abcXYZ019 -_./:é中😀\"\\\n"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def any_json(rng: random.Random, depth: int = 0) -> Any:
    choices = [None, True, rng.randint(-(2**70), 2**70), rng.uniform(-1e9, 1e9), text(rng)]
    if depth < 2:
        choices += [[any_json(rng, depth + 1)], {text(rng): any_json(rng, depth + 1)}]
    return rng.choice(choices)


def integer(schema: Dict[str, Any], rng: random.Random) -> Any:
    low, high = schema.get("minimum", -(2**53) + 1), schema.get("maximum", 2**53 - 1)
    value = rng.choice([low, high, max(low, min(high, 0)), rng.randint(low, high)])
    return float(value) if rng.random() < 0.15 else value


def generate(schema: Dict[str, Any], rng: random.Random) -> Any:
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branch = rng.choice(schema[key])
            rest = {k: v for k, v in schema.items() if k != key}
            merged = {**rest, **branch}
            merged["required"] = sorted(set(rest.get("required", [])) | set(branch.get("required", [])))
            merged["properties"] = {**rest.get("properties", {}), **branch.get("properties", {})}
            if key == "oneOf":  # leave out what the other branches require (e.g. `ocid` beside `coid`)
                for other in schema[key]:
                    for name in other.get("required", []) if other is not branch else []:
                        merged["properties"].pop(name, None)
            return generate(merged, rng)
    if "allOf" in schema:
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            merged = {**merged, **part}
        return generate(merged, rng)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kinds = schema.get("type", "object")
    kind = rng.choice(kinds) if isinstance(kinds, list) else kinds
    if kind == "null" or (isinstance(kinds, list) and "null" in kinds and rng.random() < 0.2):
        return None
    if kind == "object":
        required = set(schema.get("required", []))
        out = {
            name: generate(sub, rng)
            for name, sub in schema.get("properties", {}).items()
            if name in required or rng.random() < 0.7
        }
        if "additionalProperties" in schema and rng.random() < 0.3:
            out[f"x_{rng.randint(0, 999)}"] = any_json(rng)
        return out
    if kind == "array":
        return [generate(schema["items"], rng) for _ in range(rng.randint(0, 3))]
    if kind == "string":
        return timestamp(rng) if schema.get("format") == "date-time" else text(rng)
    if kind == "integer":
        return integer(schema, rng)
    if kind == "number":
        return rng.choice([0.0, 100.0, rng.uniform(-1e6, 1e6), 1e300])
    if kind == "boolean":
        return rng.random() < 0.5
    raise AssertionError(f"no generator for {schema}")


def test_every_schema_valid_instance_decodes_and_its_output_is_normalized() -> None:
    wire = Draft202012Validator(load("event.schema.json"), format_checker=Draft202012Validator.FORMAT_CHECKER)
    normalized = Draft202012Validator(load("event.normalized.schema.json"), format_checker=Draft202012Validator.FORMAT_CHECKER)
    schema = inline(load("event.schema.json"))
    rng = random.Random(20261129)
    valid = 0
    for _ in range(COUNT):
        instance = generate(schema, rng)
        if not wire.is_valid(instance):
            continue
        valid += 1
        body = json.dumps(instance)
        try:
            event = ow.parse_event(body)
        except ow.WebhookPayloadError as e:
            raise AssertionError(f"the schema accepts what the SDK refuses ({e.path}: {e}):\n{body}") from e
        output = json.loads(event.to_json())
        errors = [f"{list(e.path)}: {e.message}" for e in normalized.iter_errors(output)]
        assert errors == [], f"{errors}\nfor {body}"
    assert valid >= COUNT // 3, f"only {valid} of {COUNT} generated instances were schema-valid"
