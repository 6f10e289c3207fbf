"""Fuzzing over mutated fixtures (tests/fuzz/mutate.py): 20,000 inputs, or
``OMEGA_FUZZ_INPUTS`` (``make fuzz``). ``parse_event`` raises only ``WebhookPayloadError``,
and every accepted event parses again from its own ``to_json()`` to an equal value."""

from __future__ import annotations

import json
import os
import sys

import omega_webhooks as ow

from support import ROOT

sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
from mutate import inputs  # noqa: E402

COUNT = int(os.environ.get("OMEGA_FUZZ_INPUTS", "20000"))


def test_mutated_fixtures() -> None:
    accepted = refused = 0
    for body in inputs(COUNT):
        try:
            event = ow.parse_event(body)
        except ow.WebhookPayloadError:
            refused += 1
            continue
        except Exception as e:  # anything else is a defect: show the input
            raise AssertionError(f"{type(e).__name__}: {e} for {body!r}") from e
        accepted += 1
        assert ow.parse_event(event.to_json()) == event, body
        assert event.to_dict() == json.loads(event.to_json()), body
        if event.created_at is not None:
            event.created_at.isoformat()  # every accepted timestamp is a real datetime
    assert accepted > COUNT // 20 and refused > COUNT // 20, (accepted, refused)
