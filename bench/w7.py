"""W7 of `make bench`: deliveries per second into a receiver on loopback, under `wrk` (32
connections, one thread, 5 s a run; ours and the peer alternate, 2 runs each, medians).

Python: ``Receiver.asgi`` under uvicorn against a FastAPI route validating the body with the
pydantic model of the same shape; Node: ``receiver.node`` against node:http + ``JSON.parse``, and
the same peer validating with the published schema (ajv), as a Node user who validates would.
Each row reports requests per second and p99 latency; `ours_ms`/`peer_ms` are milliseconds per
delivery (1000 / requests per second), so the speedup is the throughput ratio.

The dedupe rows (``store``) post a new event id on every request (so every delivery is claimed
and marked done) into ``Receiver(dedupe=…)`` against the same peers keeping the ids in the same
store as a user would (Python: a set, ``sqlite3``, redis-py; Node: a ``Set``, the ``redis``
package), with a ``redis-server`` of the run's own on a free loopback port."""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
BODY = ROOT / "fixtures" / "events" / "wire" / "details-example.json"
ROUNDS = 2
SECONDS = 5


def _server(command: List[str], cwd: Path, dedupe: Optional[str] = None) -> Tuple[subprocess.Popen, str]:
    env = {**os.environ, **({"W7_DEDUPE": dedupe} if dedupe else {})}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if match:
            return process, match.group(1) + "/"
    raise RuntimeError(f"{command} did not start")


def _python(app: str, dedupe: Optional[str] = None) -> Tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "uvicorn", f"w7_apps:{app}", "--host", "127.0.0.1", "--port", "0", "--log-level", "info", "--no-access-log"]
    return _server(command, ROOT / "bench" / "python", dedupe)


def _node(which: str, dedupe: Optional[str] = None) -> Tuple[subprocess.Popen, str]:
    return _server(["node", "w7-servers.mjs", which], ROOT / "bench" / "node", dedupe)


#: Tells each wrk run of a unique-ids script its own prefix (ids never repeat across runs).
_RUNS = itertools.count()


def _wrk(url: str, script: Path) -> Tuple[float, float]:
    """Requests per second and p99 latency (ms) of one run; every answer must be 200."""
    out = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{SECONDS}s", "--latency", "-s", str(script), url, "--", f"r{os.getpid()}x{next(_RUNS)}"],
        check=True, capture_output=True, text=True,
    ).stdout
    assert "Non-2xx" not in out, out
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


def _compare(language: str, ours_name: str, peer_name: str, start_ours: Callable[[], Any], start_peer: Callable[[], Any], script: Path) -> Dict[str, Any]:
    runs: Dict[str, List[Tuple[float, float]]] = {"ours": [], "peer": []}
    for _ in range(ROUNDS):
        for side, start in (("ours", start_ours), ("peer", start_peer)):
            process, url = start()
            try:
                _wrk(url, script)  # warm-up
                runs[side].append(_wrk(url, script))
            finally:
                process.terminate()
                process.wait(timeout=10)
    ours_rps = statistics.median(r for r, _ in runs["ours"])
    peer_rps = statistics.median(r for r, _ in runs["peer"])
    return {
        "workload": "W7",
        "language": language,
        "ours": ours_name,
        "peer": peer_name,
        "ours_ms": 1000 / ours_rps,
        "peer_ms": 1000 / peer_rps,
        "speedup": ours_rps / peer_rps,
        "ours_rps": round(ours_rps),
        "peer_rps": round(peer_rps),
        "ours_p99_ms": statistics.median(p for _, p in runs["ours"]),
        "peer_p99_ms": statistics.median(p for _, p in runs["peer"]),
    }


def _lua(text: str) -> str:
    """``text`` as a Lua string literal."""
    return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"') + '"'


def _unique_ids_script(path: Path) -> Path:
    """A wrk script posting the documented payload with a new event id on every request."""
    event = json.loads(BODY.read_text())
    event["id"] = "@ID@"
    prefix, suffix = json.dumps(event).split("@ID@")
    path.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"local prefix, suffix = {_lua(prefix)}, {_lua(suffix)}\n"
        'local run, n = "r", 0\n'
        "function init(args) run = args[1] end\n"
        "function request()\n"
        "  n = n + 1\n"
        '  return wrk.format(nil, nil, nil, prefix .. run .. "n" .. n .. suffix)\n'
        "end\n"
    )
    return path


class _Redis:
    """A ``redis-server`` of the run's own (no persistence) on a free loopback port."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _dedupe_rows(tmp: Path) -> Iterator[Dict[str, Any]]:
    """W7 with each dedupe store: ours against the peer keeping ids in the same store."""
    script = _unique_ids_script(tmp / "unique.lua")
    redis = _Redis()
    try:
        stores = {
            "memory": ("memory", "memory", "a set()", "a Set"),
            "sqlite": (f"sqlite://{tmp / 'ours.db'}", f"sqlite://{tmp / 'peer.db'}", "sqlite3 INSERT OR IGNORE", None),
            "redis": (redis.url(0), redis.url(1), "redis-py SET NX", "redis SET NX"),
        }
        for store, (ours_spec, peer_spec, python_peer, node_peer) in stores.items():
            row = _compare(
                "python", f"Receiver.asgi, dedupe={store}", f"FastAPI + pydantic + {python_peer}",
                lambda: _python("ours", ours_spec), lambda: _python("peer", peer_spec), script,
            )
            yield {**row, "store": store}
            if node_peer is not None:
                row = _compare(
                    "node", f"receiver.node, dedupe={store}", f"node:http + JSON.parse + {node_peer}",
                    lambda: _node("ours", ours_spec), lambda: _node("peer", peer_spec), script,
                )
                yield {**row, "store": store}
    finally:
        redis.stop()


def rows() -> List[Dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        body = BODY.read_text().replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
        script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        print("$ wrk (W7)", file=sys.stderr, flush=True)
        return [
            _compare("python", "Receiver.asgi (uvicorn)", "FastAPI + pydantic (uvicorn)", lambda: _python("ours"), lambda: _python("peer"), script),
            _compare("node", "receiver.node (node:http)", "node:http + JSON.parse", lambda: _node("ours"), lambda: _node("peer"), script),
            _compare("node", "receiver.node (node:http)", "node:http + JSON.parse + ajv (event.schema.json)", lambda: _node("ours"), lambda: _node("peer-ajv"), script),
            *_dedupe_rows(Path(tmp)),
        ]
