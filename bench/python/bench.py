"""`make bench`, Python side. Prints one JSON row per (workload, peer) on stdout.

W1: list the 10,000 events; W2: 1,000 gets at concurrency 32; W3: decode 10,000 detail bodies
one at a time; W4: peak RSS of listing 100,000 events (each contender in a fresh process).
Ours and the peers alternate within each round: warm-up, then ROUNDS timed rounds; median.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List

ROUNDS, WARMUP = 7, 2
ENDPOINT = "650000000000000000000001"
KEY = "omega-mock-key"
HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
GETS, CONCURRENCY = 1_000, 32


def interleave(contenders: List[Callable[[], Any]]) -> List[float]:
    """Median milliseconds of each contender; the order alternates between rounds."""
    times: List[List[float]] = [[] for _ in contenders]
    for round_ in range(WARMUP + ROUNDS):
        order = list(range(len(contenders)))
        if round_ % 2:
            order.reverse()
        for i in order:
            started = time.perf_counter()
            contenders[i]()
            if round_ >= WARMUP:
                times[i].append((time.perf_counter() - started) * 1000)
    return [statistics.median(t) for t in times]


def row(workload: str, ours: str, ours_ms: float, peer: str, peer_ms: float, **extra: Any) -> None:
    print(json.dumps({"workload": workload, "language": "python", "ours": ours, "ours_ms": round(ours_ms, 3),
                      "peer": peer, "peer_ms": round(peer_ms, 3), "speedup": round(peer_ms / ours_ms, 3), **extra}), flush=True)


def main(url: str, url_100k: str) -> None:
    import httpx
    import requests

    import omega_webhooks
    from peers import EVENT, EVENTS

    client = omega_webhooks.Client(KEY, base_url=url)
    list_url = f"{url}/client/webhooks/{ENDPOINT}"
    httpx_client = httpx.Client(headers=HEADERS)
    session = requests.Session()
    session.headers.update(HEADERS)

    # W1
    def ours_list() -> int:
        return len(client.list_events(ENDPOINT))

    def httpx_pydantic() -> int:
        response = httpx_client.get(list_url)
        response.raise_for_status()
        return len(EVENTS.validate_json(response.content))

    def requests_json() -> int:
        response = session.get(list_url)
        response.raise_for_status()
        return len(response.json())

    assert ours_list() == httpx_pydantic() == requests_json() == 10_000
    o, a, b = interleave([ours_list, httpx_pydantic, requests_json])
    row("W1", "omega_webhooks.Client.list_events", o, "httpx + pydantic", a)
    row("W1", "omega_webhooks.Client.list_events", o, "requests + json", b)

    # W2
    ids = [e.id for e in client.list_events(ENDPOINT)][:GETS]

    async def ours_gets() -> int:
        async with omega_webhooks.AsyncClient(KEY, base_url=url) as c:
            gate = asyncio.Semaphore(CONCURRENCY)

            async def one(event_id: str) -> omega_webhooks.Event:
                async with gate:
                    return await c.get_event(ENDPOINT, event_id)

            return len(await asyncio.gather(*(one(i) for i in ids)))

    async def httpx_gets() -> int:
        limits = httpx.Limits(max_connections=CONCURRENCY)
        async with httpx.AsyncClient(headers=HEADERS, limits=limits) as c:
            gate = asyncio.Semaphore(CONCURRENCY)

            async def one(event_id: str) -> Any:
                async with gate:
                    response = await c.get(f"{list_url}/events/{event_id}")
                    response.raise_for_status()
                    return EVENT.validate_json(response.content)

            return len(await asyncio.gather(*(one(i) for i in ids)))

    o, p = interleave([lambda: asyncio.run(ours_gets()), lambda: asyncio.run(httpx_gets())])
    row("W2", "omega_webhooks.AsyncClient.get_event", o, "httpx.AsyncClient + pydantic", p)

    # W3
    bodies = [httpx_client.get(f"{list_url}/events/{i}").content for i in ids]
    bodies = (bodies * (10_000 // len(bodies) + 1))[:10_000]
    parse = omega_webhooks.parse_event
    validate = EVENT.validate_json
    o, a, b = interleave([lambda: [parse(x) for x in bodies], lambda: [validate(x) for x in bodies],
                          lambda: [json.loads(x) for x in bodies]])
    row("W3", "omega_webhooks.parse_event", o, "pydantic TypeAdapter.validate_json", a)
    row("W3", "omega_webhooks.parse_event", o, "json.loads", b)

    # W4: a fresh process per contender and repetition; median of 3.
    def peak(which: str) -> Dict[str, float]:
        runs = []
        for _ in range(3):
            out = subprocess.run([sys.executable, __file__, "--w4", which, url_100k], capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout))
        return {k: statistics.median(r[k] for r in runs) for k in ("ms", "rss_mib")}

    ours, peer = peak("ours"), peak("peer")
    row("W4", "omega_webhooks.Client.list_events", ours["ms"], "httpx + pydantic", peer["ms"],
        ours_peak_rss_mib=round(ours["rss_mib"], 1), peer_peak_rss_mib=round(peer["rss_mib"], 1))


def w4(which: str, url: str) -> None:
    """List 100,000 events once in this fresh process; print time and peak RSS."""
    started = time.perf_counter()
    if which == "ours":
        import omega_webhooks

        events: List[Any] = omega_webhooks.Client(KEY, base_url=url).list_events(ENDPOINT)
    else:
        import httpx
        from peers import EVENTS

        with httpx.Client(headers=HEADERS) as c:
            response = c.get(f"{url}/client/webhooks/{ENDPOINT}")
            response.raise_for_status()
            events = EVENTS.validate_json(response.content)
    assert len(events) == 100_000
    ms = (time.perf_counter() - started) * 1000
    print(json.dumps({"ms": ms, "rss_mib": peak_rss_mib()}))


def peak_rss_mib() -> float:
    """This process's peak resident memory. `VmHWM` belongs to the address space made at exec;
    `getrusage().ru_maxrss` is not used because Linux carries it over from the parent that
    forked this process (it reported the benchmark driver's own size)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    if sys.argv[1] == "--w4":
        w4(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1], sys.argv[2])
