"""A host process for the fork test: makes a call (so the runtime and pool exist), then forks
RUNS children that each complete a call against the mock — with a client made before or after
the fork, sync or async — and calls again in the parent after each child. Prints ``ok``.
``during``: the children make their own client while a thread of the parent keeps calling, so
the fork finds a call in flight (with a large list: threads decoding its runs).

Usage: python fork_matrix.py os|mp before|after|during sync|async RUNS MOCK_URL [ENDPOINT COUNT]
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import threading
import time

from omega_webhooks import AsyncClient, Client

METHOD, WHEN, MODE, RUNS, URL = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
ENDPOINT, COUNT = (sys.argv[6], int(sys.argv[7])) if len(sys.argv) > 7 else ("6336cd2b5790c27875f70d96", 2)
CHILD_SECONDS = 20


def make_client() -> Client | AsyncClient:
    kind = AsyncClient if MODE == "async" else Client
    return kind("omega-mock-key", base_url=URL, total_timeout=10)


def call(client: Client | AsyncClient) -> int:
    if isinstance(client, AsyncClient):
        return len(asyncio.run(client.list_events(ENDPOINT)))
    return len(client.list_events(ENDPOINT))


def child(before: Client | AsyncClient | None) -> None:
    """The child's work: one call, with the inherited client or a new one."""
    client = before if before is not None else make_client()
    code = 0 if call(client) == COUNT else 3
    sys.stdout.flush()
    os._exit(code)


def wait_os(pid: int) -> int:
    deadline = time.monotonic() + CHILD_SECONDS
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.005)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return -999


def main() -> None:
    inherited = make_client()
    assert call(inherited) == COUNT  # the parent has used its runtime and pool before forking
    before = inherited if WHEN == "before" else None
    stop = threading.Event()
    if WHEN == "during":
        # Sync calls: one asyncio loop per thread is not what this case is about.
        busy = Client("omega-mock-key", base_url=URL, total_timeout=10)
        threading.Thread(target=lambda: [busy.list_events(ENDPOINT) for _ in iter(stop.is_set, True)], daemon=True).start()
    context = multiprocessing.get_context("fork")
    for run in range(RUNS):
        if METHOD == "os":
            pid = os.fork()
            if pid == 0:
                try:
                    child(before)
                finally:
                    os._exit(4)
            code = wait_os(pid)
        else:
            process = context.Process(target=child, args=(before,))
            process.start()
            process.join(CHILD_SECONDS)
            if process.exitcode is None:
                process.kill()
                process.join()
            code = process.exitcode if process.exitcode is not None else -999
        if code != 0:
            sys.exit(f"run {run}: the child ended with {code}")
        if call(inherited) != COUNT:
            sys.exit(f"run {run}: the parent's call after the fork failed")
    stop.set()
    print("ok")


main()
