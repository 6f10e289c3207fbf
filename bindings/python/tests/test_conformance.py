"""Every case of fixtures/conformance/, through both Client and AsyncClient, against the real
mock server. A malformed case fails; none is skipped."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import omega_webhooks as ow
from support import FIXTURES, ROOT, MOCK_KEY, Mock, read_json

CASE_KEYS = {"description", "call", "endpoint_id", "event_id", "event_ids", "filter", "options", "script", "second_mock", "by", "expect"}
FILTER_KEYS = {"types", "since", "until"}
OPTION_KEYS = {"api_key", "base_url", "timeout_ms", "max_retries", "retry_initial_delay_ms", "max_response_bytes"}
EXPECT_KEYS = {"result", "result_subset", "result_len", "result_ids", "outcomes", "error", "requests", "mock2_requests", "request", "min_elapsed_ms", "max_elapsed_ms"}
ERROR_KEYS = {"class", "status", "message", "message_contains", "body_contains", "request_id", "retry_after_s", "path"}

CASES = sorted((FIXTURES / "conformance").glob("*.json"))


def load(path: Path) -> Dict[str, Any]:
    case: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for keys, known in ((case, CASE_KEYS), (case.get("options", {}), OPTION_KEYS), (case.get("filter", {}), FILTER_KEYS),
                        (case["expect"], EXPECT_KEYS), (case["expect"].get("error", {}), ERROR_KEYS)):
        unknown = set(keys) - known
        assert not unknown, f"{path.name}: unknown keys {unknown}"
    return case


def prepare(value: Any, mock: str, mock2: str) -> Any:
    if isinstance(value, str):
        return value.replace("{mock2}", mock2).replace("{mock}", mock)
    if isinstance(value, list):
        return [prepare(v, mock, mock2) for v in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "body_fixture":
                text = (ROOT / item).read_text(encoding="utf-8")
                try:
                    out["body"] = json.loads(text)
                except ValueError:
                    out["body"] = text
            else:
                out[key] = prepare(item, mock, mock2)
        return out
    return value


def client_kwargs(case: Dict[str, Any], mock: Mock) -> Dict[str, Any]:
    options = case.get("options", {})
    kwargs: Dict[str, Any] = {
        "api_key": options.get("api_key", MOCK_KEY),
        "base_url": options.get("base_url", "{mock}").replace("{mock}", mock.url),
        "retry_initial_delay": options.get("retry_initial_delay_ms", 10) / 1000,
    }
    if "timeout_ms" in options:
        kwargs["timeout"] = options["timeout_ms"] / 1000
    if "max_retries" in options:
        kwargs["max_retries"] = options["max_retries"]
    if "max_response_bytes" in options:
        kwargs["max_response_bytes"] = options["max_response_bytes"]
    return kwargs


def filter_kwargs(case: Dict[str, Any]) -> Dict[str, Any]:
    """The case's filter as keyword arguments (times as aware datetimes)."""
    given = case.get("filter", {})
    kwargs: Dict[str, Any] = {"types": given.get("types")}
    for key in ("since", "until"):
        if key in given:
            kwargs[key] = datetime.fromisoformat(given[key].replace("Z", "+00:00"))
    return kwargs


def outcome(item: Any) -> str:
    """An item's delivery outcome, or the class of its error (see the README)."""
    if isinstance(item, Exception):
        return type(item).__name__
    return {True: "delivered", False: "failed", None: "unknown"}[item.delivered]


def shaped(case: Dict[str, Any], result: Any) -> Tuple[Any, List[str]]:
    """The call's result as normalized JSON, and each item's outcome."""
    if case["call"] in ("get_event", "delivery_stats"):
        return result.to_dict(), []
    return [None if isinstance(e, Exception) else e.to_dict() for e in result], [outcome(e) for e in result]


def call_sync(case: Dict[str, Any], kwargs: Dict[str, Any]) -> Tuple[Any, List[str]]:
    endpoint = case["endpoint_id"]
    with ow.Client(**kwargs) as client:
        if case["call"] == "list_events":
            return shaped(case, client.list_events(endpoint, **filter_kwargs(case)))
        if case["call"] == "get_events":
            return shaped(case, client.get_events(endpoint, case["event_ids"], return_exceptions=True))
        if case["call"] == "failed_deliveries":
            return shaped(case, client.failed_deliveries(endpoint, **filter_kwargs(case)))
        if case["call"] == "delivery_stats":
            return shaped(case, client.delivery_stats(endpoint, by=case.get("by", "day"), **filter_kwargs(case)))
        return shaped(case, client.get_event(endpoint, case["event_id"]))


def call_async(case: Dict[str, Any], kwargs: Dict[str, Any]) -> Tuple[Any, List[str]]:
    endpoint = case["endpoint_id"]

    async def run() -> Any:
        async with ow.AsyncClient(**kwargs) as client:
            if case["call"] == "list_events":
                return await client.list_events(endpoint, **filter_kwargs(case))
            if case["call"] == "get_events":
                return await client.get_events(endpoint, case["event_ids"], return_exceptions=True)
            if case["call"] == "failed_deliveries":
                return await client.failed_deliveries(endpoint, **filter_kwargs(case))
            if case["call"] == "delivery_stats":
                return await client.delivery_stats(endpoint, by=case.get("by", "day"), **filter_kwargs(case))
            return await client.get_event(endpoint, case["event_id"])

    return shaped(case, asyncio.run(run()))


def assert_subset(value: Any, subset: Any, where: str) -> None:
    if isinstance(subset, dict):
        for key, want in subset.items():
            assert_subset(value[key], want, f"{where}.{key}")
    else:
        assert value == subset, where


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_conformance(path: Path, flavour: str) -> None:
    case = load(path)
    expect = case["expect"]
    mock = Mock("--events", "20")
    mock2 = Mock() if case.get("second_mock") else None
    try:
        if case.get("script"):
            mock.script(prepare(case["script"], mock.url, mock2.url if mock2 else ""))
        started = time.monotonic()
        result: Any = None
        outcomes: List[str] = []
        error: Exception | None = None
        try:
            kwargs = client_kwargs(case, mock)
            result, outcomes = (call_sync if flavour == "sync" else call_async)(case, kwargs)
        except ow.OmegaError as e:
            error = e
        elapsed_ms = (time.monotonic() - started) * 1000

        want_error = expect.get("error")
        if want_error is None:
            assert error is None, f"unexpected {error!r}"
            assert any(k in expect for k in ("result", "result_subset", "result_len", "result_ids", "outcomes"))
            if "result" in expect:
                assert result == read_json(expect["result"])
            if "result_subset" in expect:
                assert_subset(result, expect["result_subset"], "result")
            if "result_len" in expect:
                assert len(result) == expect["result_len"]
            if "result_ids" in expect:
                assert [e["id"] for e in result] == expect["result_ids"]
            if "outcomes" in expect:
                assert outcomes == expect["outcomes"]
        else:
            assert error is not None, f"expected {want_error['class']}, got a result"
            assert type(error).__name__ == want_error["class"], repr(error)
            assert isinstance(error, getattr(ow, want_error["class"]))
            if "status" in want_error:
                assert error.status == want_error["status"]
            if "message" in want_error:
                assert error.message == want_error["message"]
            if "message_contains" in want_error:
                assert want_error["message_contains"] in str(error)
            if "body_contains" in want_error:
                assert want_error["body_contains"] in (error.body or "")
            if "request_id" in want_error:
                assert error.request_id == want_error["request_id"]
            if "retry_after_s" in want_error:
                assert error.retry_after == want_error["retry_after_s"]
            if "path" in want_error:
                assert error.path == want_error["path"]

        requests: List[Any] = mock.requests()
        assert len(requests) == expect["requests"], requests
        want_request = expect.get("request", {})
        for request in requests:
            if "path" in want_request:
                assert request["path"] == want_request["path"]
            if "query" in want_request:
                assert request["query"] == want_request["query"]
            for name, value in want_request.get("headers", {}).items():
                assert request["headers"].get(name) == value, name
            for name, prefix in want_request.get("header_prefixes", {}).items():
                assert request["headers"].get(name, "").startswith(prefix), name
        if mock2 is not None and "mock2_requests" in expect:
            assert len(mock2.requests()) == expect["mock2_requests"]
        if "min_elapsed_ms" in expect:
            assert elapsed_ms >= expect["min_elapsed_ms"]
        if "max_elapsed_ms" in expect:
            assert elapsed_ms <= expect["max_elapsed_ms"]
    finally:
        mock.stop()
        if mock2 is not None:
            mock2.stop()


def test_every_case_is_collected() -> None:
    assert len(CASES) >= 40
