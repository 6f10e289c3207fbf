"""`events report` opened in headless Chromium (Debian's `chromium`, driven by Playwright): no
console errors, no network requests, readable in light and dark themes at desktop and phone
widths, and the numbers on the page equal `events stats --json` for the same window.

Screenshots go to target/report/; `OMEGA_UPDATE_SCREENSHOT=1` also writes docs/report.png (the
README's picture)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("OMEGA_WEBHOOKS_BIN", str(ROOT / "target" / "debug" / "omega-webhooks"))
GENERATED = "650000000000000000000001"
OUT = ROOT / "target" / "report"

#: The windows reported: the mock's whole week by day, and the day of its outage by hour.
WINDOWS = {
    "week-by-day": [],
    "outage-by-hour": ["--by", "hour", "--since", "2023-11-17T12:00:00Z", "--until", "2023-11-18T12:00:00Z"],
}


def chromium_path() -> str:
    """Debian's browser binary (the /usr/bin/chromium wrapper script sets flags for desktops)."""
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise AssertionError("chromium is not installed: `make test` installs it (apt-get install -y chromium)")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN, "--mock", *args], capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=sorted(WINDOWS))
def report(request: pytest.FixtureRequest) -> Dict[str, Any]:
    """The report of a window written by the CLI, with `events stats --json` of the same one."""
    OUT.mkdir(parents=True, exist_ok=True)
    name = request.param
    html = OUT / f"{name}.html"
    cli("events", "report", GENERATED, *WINDOWS[name], "--html", str(html))
    stats = json.loads(cli("events", "stats", GENERATED, *WINDOWS[name], "--json").stdout)
    return {"name": name, "html": html, "stats": stats}


def opened(browser: Browser, html: Path, width: int, height: int, scheme: str) -> Dict[str, Any]:
    """Opens the page; what it logged and requested, and the page itself."""
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    console: List[str] = []
    requests: List[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.as_uri(), wait_until="load")
    return {"page": page, "console": console, "requests": requests, "context": context}


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def rows(page: Page, table: str) -> List[List[str]]:
    return page.eval_on_selector_all(
        f"table#{table} tbody tr", "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))"
    )


def counts_row(counts: Dict[str, Any]) -> List[str]:
    return [str(counts[k]) for k in ("events", "delivered", "failed", "unknown")] + [percent(counts["failure_rate"])]


def test_the_numbers_on_the_page_are_the_stats(browser: Browser, report: Dict[str, Any]) -> None:
    stats = report["stats"]
    assert stats["totals"]["events"] > 0 and stats["groups"], "the window has deliveries and failures"
    view = opened(browser, report["html"], 1280, 800, "light")
    page: Page = view["page"]
    totals = {k: page.inner_text(f"[data-stat={k}]") for k in ("events", "delivered", "failed", "unknown", "failure_rate")}
    want = stats["totals"]
    assert totals == {**{k: str(want[k]) for k in ("events", "delivered", "failed", "unknown")}, "failure_rate": percent(want["failure_rate"])}
    assert [r[1:] for r in rows(page, "types")] == [counts_row(t) for t in stats["types"]]
    assert [r[0] for r in rows(page, "types")] == [t["type"] for t in stats["types"]]
    assert [r[1:] for r in rows(page, "buckets")] == [counts_row(b) for b in stats["buckets"]]
    groups = rows(page, "groups")
    assert len(groups) == len(stats["groups"])
    for row, group in zip(groups, stats["groups"]):
        status = "none" if group["status_code"] is None else str(group["status_code"])
        assert row[:3] == [status, str(group["count"]), group["cause"]]
        assert row[5].split() == group["types"] and row[6].split() == group["examples"]
    bars = page.eval_on_selector_all("svg#outcomes g", "gs => gs.length")
    assert bars == len(stats["buckets"]), "one stacked bar per bucket"
    assert page.eval_on_selector_all("svg#rate polyline", "p => p.length") == 1
    assert view["console"] == [], view["console"]
    assert view["requests"] == [report["html"].as_uri()], "nothing but the page itself is loaded"
    view["context"].close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_readable_in_both_themes_and_widths(browser: Browser, report: Dict[str, Any], scheme: str, width: int, height: int) -> None:
    view = opened(browser, report["html"], width, height, scheme)
    page: Page = view["page"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    colours = page.evaluate(
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    background, text = colours
    dark = background in ("rgb(13, 17, 23)",)
    assert dark == (scheme == "dark"), colours
    assert background != text
    chart = page.eval_on_selector("svg#outcomes", "s => s.getBoundingClientRect().width")
    assert chart >= min(width * 0.7, 600), "the chart fills the width (on a phone it scrolls in its box)"
    assert view["console"] == [] and view["requests"] == [report["html"].as_uri()]
    OUT.mkdir(parents=True, exist_ok=True)
    shot = OUT / f"{report['name']}-{scheme}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("OMEGA_UPDATE_SCREENSHOT") == "1" and report["name"] == "week-by-day" and scheme == "light" and width == 1280:
        shutil.copyfile(shot, ROOT / "docs" / "report.png")
    view["context"].close()
