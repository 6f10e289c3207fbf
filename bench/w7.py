"""W7 of `make bench`: deliveries per second into a receiver on loopback, under `wrk` (32
connections, one thread, 5 s a run; ours and the peer alternate, 2 runs each, medians).

Python: ``Receiver.asgi`` under uvicorn against a FastAPI route validating the body with the
pydantic model of the same shape; Node: ``receiver.node`` against node:http + ``JSON.parse``, and
the same peer validating with the published schema (ajv), as a Node user who validates would.
Each row reports requests per second and p99 latency; `ours_ms`/`peer_ms` are milliseconds per
delivery (1000 / requests per second), so the speedup is the throughput ratio."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
BODY = ROOT / "fixtures" / "events" / "wire" / "details-example.json"
ROUNDS = 2
SECONDS = 5


def _server(command: List[str], cwd: Path) -> Tuple[subprocess.Popen, str]:
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if match:
            return process, match.group(1) + "/"
    raise RuntimeError(f"{command} did not start")


def _python(app: str) -> Tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "uvicorn", f"w7_apps:{app}", "--host", "127.0.0.1", "--port", "0", "--log-level", "info", "--no-access-log"]
    return _server(command, ROOT / "bench" / "python")


def _node(which: str) -> Tuple[subprocess.Popen, str]:
    return _server(["node", "w7-servers.mjs", which], ROOT / "bench" / "node")


def _wrk(url: str, script: Path) -> Tuple[float, float]:
    """Requests per second and p99 latency (ms) of one run; every answer must be 200."""
    out = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{SECONDS}s", "--latency", "-s", str(script), url],
        check=True, capture_output=True, text=True,
    ).stdout
    assert "Non-2xx" not in out, out
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


def _compare(language: str, ours_name: str, peer_name: str, start_ours: Any, start_peer: Any, script: Path) -> Dict[str, Any]:
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
        ]
