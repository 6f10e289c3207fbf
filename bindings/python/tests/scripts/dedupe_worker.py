"""A receiver worker process for the dedupe tests: ``Receiver(dedupe=SPEC, lease=LEASE).asgi``
under uvicorn on a free loopback port (printed first: ``listening on http://…/``). Its handler
appends the event id to LOG, one line per run; with ``--slow`` it appends to LOG.started and
sleeps instead (a worker to SIGKILL inside its handler).

Usage: dedupe_worker.py SPEC LEASE LOG [--slow]
"""

from __future__ import annotations

import socket
import sys
import time

import uvicorn

import omega_webhooks as ow

SPEC, LEASE, LOG = sys.argv[1], float(sys.argv[2]), sys.argv[3]
SLOW = "--slow" in sys.argv[4:]

receiver = ow.Receiver(dedupe=SPEC, lease=LEASE)


@receiver.on_any
def record(event: ow.Event) -> None:
    if SLOW:
        with open(LOG + ".started", "a", encoding="utf-8") as started:
            started.write(f"{event.id}\n")
        time.sleep(600)
    time.sleep(0.005)  # a handler's work: deliveries of one event overlap
    # One short write in append mode: whole lines, whatever the other processes write.
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{event.id}\n")


sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(128)  # connections wait in the backlog until uvicorn serves them
print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}/", flush=True)
server = uvicorn.Server(uvicorn.Config(receiver.asgi, log_level="warning", lifespan="off"))
server.run(sockets=[sock])
