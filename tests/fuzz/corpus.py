"""Prints the mutated inputs of mutate.py with the Python package's outcome for each, one JSON
line per input: {"input": base64, "event": to_dict()} or {"input": …, "error": class, "path": …}.
The Node fuzz test reads it to check that Node agrees with Python on every input.

Usage: python tests/fuzz/corpus.py COUNT
"""

from __future__ import annotations

import base64
import json
import sys

import omega_webhooks as ow
from mutate import inputs

for body in inputs(int(sys.argv[1])):
    line = {"input": base64.b64encode(body).decode()}
    try:
        line["event"] = ow.parse_event(body).to_dict()
    except ow.WebhookPayloadError as e:
        line.update(error=type(e).__name__, path=e.path)
    print(json.dumps(line))
