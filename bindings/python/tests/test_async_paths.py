"""The two ways async calls report back to their event loop: a Unix socket pair watched with
``loop.add_reader`` (the default here), and the portable path Windows takes — a loopback TCP
pair read by a transport — forced with ``OMEGA_WEBHOOKS_PORTABLE_ASYNC=1`` (``make test`` also
runs the whole suite that way)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from support import MOCK_KEY, Mock

PROGRAM = """
import asyncio, json, sys
import omega_webhooks as ow
from omega_webhooks import _client

async def main():
    async with ow.AsyncClient(sys.argv[1], base_url=sys.argv[2]) as client:
        events = await asyncio.gather(*(client.list_events("6336cd2b5790c27875f70d96") for _ in range(20)))
        task = asyncio.ensure_future(client.get_event("6336cd2b5790c27875f70d96", "63377e715790c27875f70dbd"))
        await asyncio.sleep(0)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        inbox = _client._INBOXES[asyncio.get_running_loop()]
        return {"portable": inbox.calls.portable, "counts": sorted({len(e) for e in events}), "pending": len(inbox.pending)}

first = asyncio.run(main())
second = asyncio.run(main())
print(json.dumps([first, second]))
"""


@pytest.mark.parametrize("forced", [False, True], ids=["unix-pair", "portable"])
def test_each_path_delivers_and_a_new_loop_gets_its_own_inbox(shared_mock: Mock, forced: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMEGA_WEBHOOKS_PORTABLE_ASYNC"}
    if forced:
        env["OMEGA_WEBHOOKS_PORTABLE_ASYNC"] = "1"
    out = subprocess.run([sys.executable, "-c", PROGRAM, MOCK_KEY, shared_mock.url], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    runs = json.loads(out.stdout)
    assert runs == [{"portable": forced, "counts": [2], "pending": 0}] * 2
    assert "Traceback" not in out.stderr and "never awaited" not in out.stderr, out.stderr
