"""Mutated fixtures for the Python fuzz test and the cross-language check (seeded, so every
run and every language sees the same inputs): one to two changes of a value or key of a real
event, and one time in five a changed byte of its text."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Iterator, List

WIRE = Path(__file__).resolve().parents[2] / "fixtures" / "events" / "wire"

EDGES: List[Any] = [
    None, True, False, 2**53 - 1, 2**53, 2**64 - 1, 2**64, -(2**63), -1, 1.5, 1e308, "",
    "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59", "2022-02-30T00:00:00Z", [None], {},
    "video.never_heard_of", "\u00e9\u4e2d\U0001f600",
]


def _mutate(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict) and value and rng.randrange(4):
        key = rng.choice(list(value))
        op = rng.randrange(6)
        if op == 0:
            del value[key]
        elif op == 1:
            value[f"x_{rng.randrange(65536)}"] = rng.choice(EDGES)
        elif op == 2:
            value["ocid" if key == "coid" else key + "_"] = value.pop(key)
        else:
            value[key] = _mutate(value[key], rng)
        return value
    if isinstance(value, list) and value:
        at = rng.randrange(len(value))
        value[at] = _mutate(value[at], rng)
        return value
    return json.loads(json.dumps(rng.choice(EDGES)))


def inputs(count: int, seed: int = 20261129) -> Iterator[bytes]:
    """`count` mutated event bodies."""
    seeds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(WIRE.glob("*.json"))]
    rng = random.Random(seed)
    for _ in range(count):
        value = json.loads(json.dumps(rng.choice(seeds)))
        for _ in range(rng.randrange(1, 3)):
            value = _mutate(value, rng)
        body = bytearray(json.dumps(value, ensure_ascii=rng.randrange(2) == 0).encode())
        if rng.randrange(5) == 0 and body:
            at = rng.randrange(len(body))
            op = rng.randrange(3)
            if op == 0:
                del body[at:]
            elif op == 1:
                body.insert(at, rng.randrange(256))
            else:
                body[at] = rng.randrange(256)
        yield bytes(body)
