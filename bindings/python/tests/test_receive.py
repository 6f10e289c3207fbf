"""The receiver: the conformance cases (fixtures/receive) through ``handle`` and
``handle_async``, verification against the mock (sync and async), the test helpers, and
20,000 mutated bodies that never crash, hang or answer 5xx."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any, Dict, List

import pytest

import omega_webhooks as ow
from omega_webhooks.testing import MockServer, event_body
from support import FIXTURES, MOCK_KEY, ROOT, Mock

sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
from mutate import inputs  # noqa: E402

CASES: List[Dict[str, Any]] = json.loads((FIXTURES / "receive" / "cases.json").read_text(encoding="utf-8"))
DOCUMENTED = FIXTURES / "events" / "wire" / "details-example.json"


def case_body(case: Dict[str, Any]) -> bytes:
    if "body_file" in case:
        return (FIXTURES / case["body_file"]).read_bytes()
    if "body_repeat" in case:
        return (case["body_repeat"]["text"] * case["body_repeat"]["times"]).encode()
    return str(case["body"]).encode()


def case_receiver(case: Dict[str, Any], *, asynchronous: bool) -> ow.Receiver:
    receiver = ow.Receiver(**case.get("receiver", {}))
    fails = case.get("fails")

    def handler(event: ow.Event) -> None:
        if fails:
            raise type(fails["class"], (Exception,), {})(fails["message"])

    async def async_handler(event: ow.Event) -> None:
        handler(event)

    chosen = async_handler if asynchronous else handler
    for kind in case["handlers"]:
        if kind == "*":
            receiver.on_any(chosen)
        else:
            receiver.on(kind)(chosen)
    return receiver


@pytest.mark.parametrize("case", CASES, ids=[c["description"] for c in CASES])
def test_conformance_case(case: Dict[str, Any]) -> None:
    body, headers = case_body(case), case.get("headers", {})
    expected = case["expect"]
    receiver = case_receiver(case, asynchronous=False)
    for _ in range(case.get("deliveries", 1)):
        answer = receiver.handle(body, headers)
    assert {"outcome": answer.outcome, "status": answer.status, "body": answer.body} == expected
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert (answer.event is not None) == (expected["status"] in (200, 500) or "dedupe" in case.get("receiver", {}) and expected["status"] != 400)
    receiver = case_receiver(case, asynchronous=True)

    async def deliver() -> ow.Answer:
        for _ in range(case.get("deliveries", 1)):
            answer = await receiver.handle_async(body, headers)
        return answer

    answer = asyncio.run(deliver())
    assert {"outcome": answer.outcome, "status": answer.status, "body": answer.body} == expected


def test_handlers_get_typed_events_and_async_handlers_need_handle_async() -> None:
    receiver = ow.Receiver()
    seen: List[ow.Event] = []
    receiver.on(ow.EventType.VIDEO_PROCESS_FAILED, "video.transcribed")(seen.append)

    @receiver.on("video.uploaded")
    async def uploaded(event: ow.Event) -> None:
        seen.append(event)

    body = event_body("video.process_failed", set={"data.video.title": "Demo"}, seed=7)
    answer = receiver.handle(body, {"Content-Type": "application/json"})
    assert answer.status == 200 and seen[0].data is not None and seen[0].data.video is not None
    assert seen[0].data.video.title == "Demo" and answer.event == seen[0]
    with pytest.raises(ow.ConfigurationError, match="handle_async"):
        receiver.handle(event_body("video.uploaded", seed=1))
    assert asyncio.run(receiver.handle_async(event_body("video.uploaded", seed=1))).outcome == "handled"
    assert receiver.handle("not json").status == 400, "a str body is read as its UTF-8"
    assert receiver.handle("\ud800").body == "WebhookPayloadError: $: the body is not valid text: it holds a lone surrogate"
    with pytest.raises(ow.ConfigurationError):
        ow.Receiver(max_body_bytes=0)
    with pytest.raises(ow.ConfigurationError):
        ow.Receiver(endpoints=["not an id"])


def test_every_delivery_is_logged_once_without_its_body(caplog: pytest.LogCaptureFixture) -> None:
    receiver = ow.Receiver()
    receiver.on_any(lambda event: None)
    with caplog.at_level("INFO", logger="omega_webhooks"):
        receiver.handle(DOCUMENTED.read_bytes(), {"omega-webhooks-replay": "x"})
        receiver.handle(b"{}")
    assert [r.getMessage() for r in caplog.records] == [
        "handled 200 handled video.process_succeeded 630fac88bd5bb64cf8b24b99 (replay)",
        "invalid 400 WebhookPayloadError: id: missing field `id`",
    ]


def test_event_body_and_mock_server() -> None:
    assert event_body("video.deleted", seed=3) == event_body("video.deleted", seed=3)
    event = ow.parse_event(event_body("video.new_kind", set={"data.video.size": 42}, seed=3))
    assert event.type == "video.new_kind" and event.response is None
    assert event.data is not None and event.data.video is not None and event.data.video.size == 42
    with pytest.raises(ow.ConfigurationError, match="no longer valid"):
        event_body("video.uploaded", set={"created": "soon"})
    with MockServer(events=3) as server:
        client = ow.Client(server.api_key, base_url=server.base_url)
        assert len(client.list_events(server.endpoint_id)) == 3
    with pytest.raises(ow.APIConnectionError):
        ow.Client(server.api_key, base_url=server.base_url, max_retries=0).list_events(server.endpoint_id)


def verifying_receivers(url: str) -> List[ow.Receiver]:
    return [
        ow.Receiver(verify=ow.Client(MOCK_KEY, base_url=url, max_retries=0)),
        ow.Receiver(verify=ow.AsyncClient(MOCK_KEY, base_url=url, max_retries=0)),
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_verify_hands_over_the_apis_copy_and_refuses_forgeries(mock: Mock, mode: str) -> None:
    documented = json.loads(DOCUMENTED.read_text())
    changed = dict(documented, data={"video": dict(documented["data"]["video"], title="posted by someone")})
    forged = dict(documented, id="630fac88bd5bb64cf8b24b00")
    titles: List[str] = []
    for receiver in verifying_receivers(mock.url):
        receiver.on_any(lambda event: titles.append(event.data.video.title))

        def handle(body: Dict[str, Any]) -> ow.Answer:
            raw = json.dumps(body).encode()
            if mode == "sync":
                return receiver.handle(raw)
            return asyncio.run(receiver.handle_async(raw))

        assert handle(changed).body == "handled video.process_succeeded 630fac88bd5bb64cf8b24b99"
        answer = handle(forged)
        assert (answer.status, answer.outcome, answer.body) == (
            403,
            "forged",
            "unknown event 630fac88bd5bb64cf8b24b00: not delivered by Omega",
        )
    assert titles == ["Sintel", "Sintel"], "the API's copy reached the handlers, the forgery none"
    mock.stop()
    for receiver in verifying_receivers(mock.url):
        raw = json.dumps(documented).encode()
        answer = receiver.handle(raw) if mode == "sync" else asyncio.run(receiver.handle_async(raw))
        assert (answer.status, answer.body) == (503, "cannot verify 630fac88bd5bb64cf8b24b99: APIConnectionError")
    assert titles == ["Sintel", "Sintel"], "never handled unverified"


COUNT = int(os.environ.get("OMEGA_FUZZ_INPUTS", "20000"))


def test_fuzzed_bodies_are_answered_400_413_or_200() -> None:
    receiver = ow.Receiver(max_body_bytes=4096)
    receiver.on_any(lambda event: None)
    counts: Dict[int, int] = {}
    for body in inputs(COUNT):
        answer = receiver.handle(body, {"content-type": "application/json"})
        counts[answer.status] = counts.get(answer.status, 0) + 1
        assert answer.status in (200, 400, 413), (answer, body)
        assert len(answer.body.encode()) <= 200 and "\n" not in answer.body
        if answer.status == 400:
            assert answer.body.startswith("WebhookPayloadError: ") and ": " in answer.body[21:], answer.body
    assert counts.get(200, 0) > COUNT // 20 and counts.get(400, 0) > COUNT // 20, counts


def test_a_receiver_made_before_fork_works_in_20_children(shared_mock: Mock) -> None:
    """gunicorn --preload: the receiver (and its verifying client) made in the parent."""
    script = ROOT / "bindings" / "python" / "tests" / "scripts" / "receive_fork.py"
    result = subprocess.run(
        [sys.executable, str(script), "20", shared_mock.url], capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
