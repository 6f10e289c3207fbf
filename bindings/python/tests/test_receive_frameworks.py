"""The README's receiver recipes (section "Receiving webhooks": FastAPI, Flask, Django) run as
written inside the real frameworks, each posting the documented payloads and a synthetic one;
and ``receiver.asgi`` served by uvicorn, ``receiver.wsgi`` by Werkzeug's test client."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import omega_webhooks as ow
from omega_webhooks.testing import event_body
from support import FIXTURES, ROOT, free_port

JSON = {"content-type": "application/json"}


def recipe(name: str) -> str:
    """The README's ```python block of the receiving section that starts with `# name`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Receiving webhooks\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    (code,) = [b for b in blocks if b.startswith(f"# {name}\n")]
    return code


def run_recipe(name: str) -> Dict[str, Any]:
    namespace: Dict[str, Any] = {"__name__": f"readme_{name.lower()}"}
    exec(compile(recipe(name), f"README.md ({name})", "exec"), namespace)  # noqa: S102 - the README as written
    return namespace


def documented(kind: str) -> List[Tuple[bytes, Dict[str, Any]]]:
    """The documented payloads of `kind`, as bytes and as JSON."""
    found = []
    for path in sorted((FIXTURES / "events" / "wire").glob("*.json")):
        event = json.loads(path.read_bytes())
        if event["type"] == kind and (event.get("data") or {}).get("video"):
            found.append((path.read_bytes(), event))
    return found


def test_fastapi_recipe(capsys: pytest.CaptureFixture[str]) -> None:
    with serve_asgi(run_recipe("FastAPI")["app"]) as url:
        url += "hooks/omega"
        bodies = documented("video.process_succeeded")
        synthetic = event_body("video.process_failed", set={"data.video.title": "Demo"}, seed=1)
        bodies.append((synthetic, json.loads(synthetic)))
        assert len(bodies) >= 5
        for raw, event in bodies:
            status, text, headers = post(url, raw)
            assert (status, text) == (200, f"handled {event['type']} {event['id']}")
            assert headers["content-type"] == "text/plain; charset=utf-8"
        deleted = event_body("video.deleted", seed=2)
        status, text, _ = post(url, deleted)
        assert (status, text) == (200, f"no handler for video.deleted {json.loads(deleted)['id']}")
        bad = post(url, b'{"id": 1}')
        assert bad[:2] == (400, "WebhookPayloadError: id: invalid type: integer `1`, expected a string")
    printed = capsys.readouterr().out.splitlines()
    titles = [f"video {e['type']} {e['data']['video']['title']}" for _, e in bodies]
    assert printed == titles, "each handler got the typed event"


def test_flask_recipe(capsys: pytest.CaptureFixture[str]) -> None:
    app = run_recipe("Flask")["app"]
    client = app.test_client()
    raw = event_body("video.uploaded", set={"data.video.title": "From Flask"}, seed=5)
    event = json.loads(raw)
    response = client.post("/hooks/omega", data=raw, headers=JSON)
    assert (response.status_code, response.get_data(as_text=True)) == (200, f"handled video.uploaded {event['id']}")
    for raw, event in documented("video.process_succeeded"):
        response = client.post("/hooks/omega", data=raw, headers=JSON)
        assert response.get_data(as_text=True) == f"handled video.process_succeeded {event['id']}"
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "event video.uploaded From Flask" and all(p.startswith("event video.process_succeeded ") for p in printed[1:])
    assert client.get("/hooks/omega").status_code == 405  # Flask's own answer for the route
    too_big = client.post("/hooks/omega", data=b" " * (1024 * 1024 + 1), headers=JSON)
    assert (too_big.status_code, too_big.get_data(as_text=True)) == (413, "body larger than 1048576 bytes")


def test_django_recipe(capsys: pytest.CaptureFixture[str]) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], SECRET_KEY="test", DEBUG=False)
        django.setup()
    from django.test import Client
    from django.urls import path

    global urlpatterns
    urlpatterns = [path("hooks/omega", run_recipe("Django")["omega_webhook"])]
    client = Client()
    bodies = documented("video.process_succeeded")
    synthetic = event_body("video.process_succeeded", set={"data.video.title": "Via Django"}, seed=9)
    bodies.append((synthetic, json.loads(synthetic)))
    for raw, event in bodies:
        response = client.post("/hooks/omega", data=raw, content_type="application/json")
        assert (response.status_code, response.content.decode()) == (200, f"handled video.process_succeeded {event['id']}")
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1].startswith("ready Via Django s3://"), printed
    assert len(printed) == len(bodies)
    assert client.get("/hooks/omega").status_code == 405
    failed = client.post("/hooks/omega", data=b"[]", content_type="application/json")
    assert (failed.status_code, failed.content.decode()) == (400, "WebhookPayloadError: $: invalid type: sequence, expected struct Event")


urlpatterns: List[Any] = []


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port (its URL), stopped afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def uvicorn_receiver() -> Iterator[Tuple[str, List[ow.Event]]]:
    """`receiver.asgi` served alone by uvicorn."""
    receiver = ow.Receiver(max_body_bytes=2048)
    seen: List[ow.Event] = []

    @receiver.on_any
    async def record(event: ow.Event) -> None:
        seen.append(event)

    with serve_asgi(receiver.asgi) as url:
        yield url, seen


def post(url: str, body: bytes, method: str = "POST") -> Tuple[int, str, Dict[str, str]]:
    request = urllib.request.Request(url, data=body if method == "POST" else None, method=method, headers=JSON)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_asgi_app_under_uvicorn(uvicorn_receiver: Tuple[str, List[ow.Event]]) -> None:
    url, seen = uvicorn_receiver
    raw = (FIXTURES / "events" / "wire" / "details-example.json").read_bytes()
    assert post(url, raw)[:2] == (200, "handled video.process_succeeded 630fac88bd5bb64cf8b24b99")
    assert seen[0].data is not None and seen[0].data.video is not None and seen[0].data.video.title == "Sintel"
    status, text, headers = post(url, b"", method="GET")
    assert (status, text, headers.get("allow")) == (405, "use POST", "POST")
    assert post(url, b" " * 5000)[:2] == (413, "body larger than 2048 bytes")
    assert post(url, b"{")[:2] == (400, "WebhookPayloadError: $: EOF while parsing an object")


def test_wsgi_app() -> None:
    from werkzeug.test import Client

    receiver = ow.Receiver(max_body_bytes=2048)
    receiver.on("video.process_succeeded")(lambda event: None)
    client = Client(receiver.wsgi)
    raw = (FIXTURES / "events" / "wire" / "details-example.json").read_bytes()
    response = client.post("/", data=raw, headers=JSON)
    assert (response.status, response.get_data(as_text=True)) == ("200 OK", "handled video.process_succeeded 630fac88bd5bb64cf8b24b99")
    response = client.get("/")
    assert (response.status, response.headers["allow"]) == ("405 Method Not Allowed", "POST")
    response = client.post("/", data=b" " * 3000, headers=JSON)
    assert (response.status, response.get_data(as_text=True)) == ("413 Content Too Large", "body larger than 2048 bytes")
