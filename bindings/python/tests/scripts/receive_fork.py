"""A Receiver made (and used) before fork(), as under gunicorn --preload, works in N forked
children: sync and async handling, with verification against the mock at URL; and one with a
SQLite dedupe store used in the parent, whose children each open their own connection (the
parent's event is a duplicate in every child, each child's own event is handled once).
Prints ``ok``.

Usage: receive_fork.py N URL
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

import omega_webhooks as ow
from omega_webhooks import testing

RUNS, URL = int(sys.argv[1]), sys.argv[2]
BODY = (Path(__file__).resolve().parents[4] / "fixtures" / "events" / "wire" / "details-example.json").read_bytes()
EXPECTED = "handled video.process_succeeded 630fac88bd5bb64cf8b24b99"

receiver = ow.Receiver(verify=ow.Client("omega-mock-key", base_url=URL, max_retries=0))
titles = []
receiver.on_any(lambda event: titles.append(event.data.video.title))
assert receiver.handle(BODY).body == EXPECTED, "in the parent"

STORE_DIR = tempfile.TemporaryDirectory(prefix="omega-fork-")  # removed when the parent exits
STORE = Path(STORE_DIR.name) / "seen.db"
once = ow.Receiver(dedupe=f"sqlite://{STORE}")
once.on_any(lambda event: None)


def event_of(index: int) -> bytes:
    return testing.event_body("video.deleted", set={"id": f"fork{index}"}, seed=1)


assert once.handle(event_of(-1)).outcome == "handled", "in the parent"

children = []
for index in range(RUNS):
    pid = os.fork()
    if pid == 0:
        try:
            sync = receiver.handle(BODY).body
            asynchronous = asyncio.run(receiver.handle_async(BODY)).body
            deduped = [once.handle(event_of(-1)).outcome, once.handle(event_of(index)).outcome]
            deduped.append(asyncio.run(once.handle_async(event_of(index))).outcome)
            fine = sync == asynchronous == EXPECTED and titles[-1] == "Sintel"
            os._exit(0 if fine and deduped == ["duplicate", "handled", "duplicate"] else 1)
        except BaseException:  # noqa: BLE001 - any failure is the child's exit code
            os._exit(2)
    children.append(pid)
failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
assert not failed, f"{len(failed)} of {RUNS} children failed"
assert receiver.handle(BODY).body == EXPECTED, "the parent after its children"
assert [once.handle(event_of(i)).outcome for i in range(RUNS)] == ["duplicate"] * RUNS, "the children's events"
print("ok")
