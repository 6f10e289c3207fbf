"""A Receiver made (and used) before fork(), as under gunicorn --preload, works in N forked
children: sync and async handling, with verification against the mock at URL. Prints ``ok``.

Usage: receive_fork.py N URL
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import omega_webhooks as ow

RUNS, URL = int(sys.argv[1]), sys.argv[2]
BODY = (Path(__file__).resolve().parents[4] / "fixtures" / "events" / "wire" / "details-example.json").read_bytes()
EXPECTED = "handled video.process_succeeded 630fac88bd5bb64cf8b24b99"

receiver = ow.Receiver(verify=ow.Client("omega-mock-key", base_url=URL, max_retries=0))
titles = []
receiver.on_any(lambda event: titles.append(event.data.video.title))
assert receiver.handle(BODY).body == EXPECTED, "in the parent"

children = []
for index in range(RUNS):
    pid = os.fork()
    if pid == 0:
        try:
            sync = receiver.handle(BODY).body
            asynchronous = asyncio.run(receiver.handle_async(BODY)).body
            os._exit(0 if sync == asynchronous == EXPECTED and titles[-1] == "Sintel" else 1)
        except BaseException:  # noqa: BLE001 - any failure is the child's exit code
            os._exit(2)
    children.append(pid)
failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
assert not failed, f"{len(failed)} of {RUNS} children failed"
assert receiver.handle(BODY).body == EXPECTED, "the parent after its children"
print("ok")
