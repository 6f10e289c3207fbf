"""Helpers shared by the Python tests: paths, the real mock server (started from the built CLI)
and fixture files. The pytest fixtures that start mocks are in conftest.py."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, List

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"
MOCK_KEY = "omega-mock-key"


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli_binary() -> str:
    """The `omega-webhooks` binary: $OMEGA_WEBHOOKS_BIN (set by the Makefile) or target/debug."""
    path = os.environ.get("OMEGA_WEBHOOKS_BIN") or str(ROOT / "target" / "debug" / "omega-webhooks")
    if not Path(path).exists():
        raise RuntimeError(f"{path} does not exist: build it with `cargo build -p omega-webhooks-cli`")
    return path


class Mock:
    """An `omega-webhooks mock` process and its admin API."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [cli_binary(), "mock", *args], stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("listening on http://"), f"unexpected ready line {line!r}"
        self.url = line[len("listening on ") :]

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text else None

    def script(self, steps: List[Any]) -> None:
        self._admin("POST", "/__mock/script", steps)

    def requests(self) -> List[Any]:
        result: List[Any] = self._admin("GET", "/__mock/requests")
        return result

    def reset(self) -> None:
        self._admin("POST", "/__mock/reset", [])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def read_json(relative: str) -> Any:
    return json.loads((ROOT / relative).read_text(encoding="utf-8"))
