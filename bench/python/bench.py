"""`make bench`, Python side. Prints one JSON row per (workload, peer) on stdout.

W1: list the 10,000 events (and the peer against itself, the noise floor); W2: 1,000 gets at concurrency 32; W3: decode 10,000 detail bodies
one at a time; W4: peak RSS of listing 100,000 events (each contender in a fresh process);
W5: W1 with the list served gzip-compressed; W6: triage — the failed deliveries of a
2,000-event endpoint (list, then every event's details, 8 at a time); W8: the delivery stats of
the 10,000-event endpoint (the same reads, added up per day, type and failure cause; 3 rounds).
Ours and the peers alternate within each round: warm-up, then ROUNDS timed rounds; median,
and the worst round's speedup (each round's peer time over ours in the same round).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from typing import Any, Callable, Dict, List

ROUNDS, WARMUP = 7, 2
ENDPOINT = "650000000000000000000001"
KEY = "omega-mock-key"
HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
GETS, CONCURRENCY = 1_000, 32
TRIAGE_CONCURRENCY = 8
#: W8's peer masks ids and numbers in the receiver's answer as a user would, with a regex.
DIGITS = re.compile(r"\w*\d\w*")


def interleave(contenders: List[Callable[[], Any]], rounds: int = ROUNDS, warmup: int = WARMUP) -> List[List[float]]:
    """Each contender's milliseconds per timed round; the order alternates between rounds."""
    times: List[List[float]] = [[] for _ in contenders]
    for round_ in range(warmup + rounds):
        order = list(range(len(contenders)))
        if round_ % 2:
            order.reverse()
        for i in order:
            started = time.perf_counter()
            contenders[i]()
            if round_ >= warmup:
                times[i].append((time.perf_counter() - started) * 1000)
    return times


def row(workload: str, ours: str, ours_ms: List[float], peer: str, peer_ms: List[float], **extra: Any) -> None:
    """One result: medians, their speedup, and the worst round's."""
    o, p = statistics.median(ours_ms), statistics.median(peer_ms)
    worst = min(b / a for a, b in zip(ours_ms, peer_ms))
    print(json.dumps({"workload": workload, "language": "python", "ours": ours, "ours_ms": round(o, 3),
                      "peer": peer, "peer_ms": round(p, 3), "speedup": round(p / o, 3),
                      "worst_round_speedup": round(worst, 3), **extra}), flush=True)


def main(url: str, url_100k: str, url_gzip: str, url_2k: str, url_slow: str) -> None:
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

    # W1's noise floor: the httpx + pydantic peer against itself, rounds interleaved the same
    # way. Its worst round shows how far one call of the same code can be from the next here.
    first, again, _ = interleave([httpx_pydantic, httpx_pydantic, requests_json])
    row("W1", "httpx + pydantic", again, "the same, timed again (noise floor)", first)

    # W1-slow: the same list sent at 100 MB/s; beside it, the transfer alone (read, not decoded).
    slow = omega_webhooks.Client(KEY, base_url=url_slow)
    slow_url = f"{url_slow}/client/webhooks/{ENDPOINT}"

    def slow_peer() -> int:
        return len(EVENTS.validate_json(httpx_client.get(slow_url).raise_for_status().content))

    o, p, t = interleave([lambda: len(slow.list_events(ENDPOINT)), slow_peer, lambda: len(httpx_client.get(slow_url).content)])
    row("W1-slow", "omega_webhooks.Client.list_events", o, "httpx + pydantic", p, transfer_ms=round(statistics.median(t), 3))

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

    def portable_gets() -> int:
        """W2 on the portable path (Windows' way back to the loop), forced for a new loop."""
        os.environ["OMEGA_WEBHOOKS_PORTABLE_ASYNC"] = "1"
        try:
            return asyncio.run(ours_gets())
        finally:
            del os.environ["OMEGA_WEBHOOKS_PORTABLE_ASYNC"]

    o, p, q = interleave([portable_gets, lambda: asyncio.run(ours_gets()), lambda: asyncio.run(httpx_gets())])
    row("W2", "omega_webhooks.AsyncClient.get_event (portable path)", o, "httpx.AsyncClient + pydantic", q)
    row("W2", "omega_webhooks.AsyncClient.get_event (portable path)", o, "the same on the Unix socket pair", p)

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
    row("W4", "omega_webhooks.Client.list_events", [ours["ms"]], "httpx + pydantic", [peer["ms"]],
        ours_peak_rss_mib=round(ours["rss_mib"], 1), peer_peak_rss_mib=round(peer["rss_mib"], 1))

    # W5: W1 against a mock that gzips the list (both clients ask for it and decompress).
    gzip_client = omega_webhooks.Client(KEY, base_url=url_gzip)
    gzip_url = f"{url_gzip}/client/webhooks/{ENDPOINT}"
    assert httpx_client.get(gzip_url).headers.get("content-encoding") == "gzip"

    def ours_gzip() -> int:
        return len(gzip_client.list_events(ENDPOINT))

    def httpx_gzip() -> int:
        response = httpx_client.get(gzip_url)
        response.raise_for_status()
        return len(EVENTS.validate_json(response.content))

    assert ours_gzip() == httpx_gzip() == 10_000
    o, a = interleave([ours_gzip, httpx_gzip])
    row("W5", "omega_webhooks.Client.list_events", o, "httpx + pydantic", a)

    # W6: triage, as a user would script it with httpx.AsyncClient and pydantic.
    async def ours_triage() -> List[str]:
        async with omega_webhooks.AsyncClient(KEY, base_url=url_2k) as c:
            return [e.id for e in await c.failed_deliveries(ENDPOINT, concurrency=TRIAGE_CONCURRENCY)]

    async def httpx_details(base: str) -> List[Any]:
        """Every event of the endpoint in full, as a user would script it: the list, then the
        details with httpx.AsyncClient and pydantic, 8 at a time."""
        endpoint_url = f"{base}/client/webhooks/{ENDPOINT}"
        limits = httpx.Limits(max_connections=TRIAGE_CONCURRENCY)
        async with httpx.AsyncClient(headers=HEADERS, limits=limits) as c:
            listed = EVENTS.validate_json((await c.get(endpoint_url)).raise_for_status().content)
            gate = asyncio.Semaphore(TRIAGE_CONCURRENCY)

            async def details(event_id: str) -> Any:
                async with gate:
                    response = await c.get(f"{endpoint_url}/events/{event_id}")
                    return EVENT.validate_json(response.raise_for_status().content)

            return await asyncio.gather(*(details(e.id) for e in listed))

    async def httpx_triage() -> List[str]:
        full = await httpx_details(url_2k)
        return [e.id for e in full if e.response is None or not 200 <= e.response.status_code < 300]

    failed = asyncio.run(ours_triage())
    assert failed == asyncio.run(httpx_triage()) and failed, "the same failed deliveries"
    o, p = interleave([lambda: asyncio.run(ours_triage()), lambda: asyncio.run(httpx_triage())])
    row("W6", "omega_webhooks.AsyncClient.failed_deliveries", o, "httpx.AsyncClient + pydantic", p)

    # W8: delivery stats of the 10,000-event endpoint, as a user would script them: every
    # detail with httpx.AsyncClient and pydantic (8 at a time), then Counters per day, per type
    # and per (status, first line of the body with the numbers masked).
    async def ours_stats() -> Dict[str, int]:
        async with omega_webhooks.AsyncClient(KEY, base_url=url) as c:
            totals = (await c.delivery_stats(ENDPOINT, concurrency=TRIAGE_CONCURRENCY)).totals
            return {"events": totals.events, "failed": totals.failed, "unknown": totals.unknown}

    async def httpx_stats() -> Dict[str, int]:
        full = await httpx_details(url)
        outcome = Counter[str]()
        days, types, groups = Counter[tuple](), Counter[tuple](), Counter[tuple]()
        for e in full:
            answer = e.response
            kind = "unknown" if answer is None else "delivered" if 200 <= answer.status_code < 300 else "failed"
            outcome[kind] += 1
            days[(e.created // 86_400, kind)] += 1
            types[(e.type, kind)] += 1
            if kind != "delivered":
                first = "" if answer is None else next((l for l in answer.body.splitlines() if l.strip()), "")
                groups[(None if answer is None else answer.status_code, DIGITS.sub("#", first))] += 1
        return {"events": len(full), "failed": outcome["failed"], "unknown": outcome["unknown"]}

    assert asyncio.run(ours_stats()) == asyncio.run(httpx_stats()), "the same totals"
    o, p = interleave([lambda: asyncio.run(ours_stats()), lambda: asyncio.run(httpx_stats())], rounds=3, warmup=1)
    row("W8", "omega_webhooks.AsyncClient.delivery_stats", o, "httpx.AsyncClient + pydantic + Counter", p)


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
        main(*sys.argv[1:6])
