"""The generators a team in another language would use, run on the published files exactly as
schemas/README.md shows them (its ```sh blocks are the commands), and what they make checked:
typed models that accept every normalized fixture (pydantic, TypeScript, Rust), a client that
lists the mock's events, types of both responses, no Schemathesis failure against the mock, no
Redocly error, and a Prism mock server whose bodies are the documented examples or valid."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import typing
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import pytest
from jsonschema import Draft202012Validator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "fixtures"
README = ROOT / "schemas" / "README.md"
KEY = "omega-mock-key"
LIST_PATH = "/client/webhooks/6336cd2b5790c27875f70d96"
DETAILS_PATH = f"{LIST_PATH}/events/63377e715790c27875f70dbd"
# The crate built around the module cargo typify writes: the dependencies schemas/README.md
# names, at the versions this workspace locks, and serde_json for the check program.
TYPIFY_MANIFEST = """[package]
name = "typify-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
serde = { version = "=1.0.229", features = ["derive"] }
chrono = { version = "=0.4.45", default-features = false, features = ["std", "serde"] }
serde_json = "=1.0.154"

[workspace]
"""


def commands() -> Dict[str, str]:
    """The README's commands, by tool (the first word; `cargo X` for a cargo subcommand)."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    found = {}
    for block in blocks:
        for line in block.strip().splitlines():
            words = line.split()
            found[" ".join(words[:2]) if words[0] == "cargo" else words[0]] = line
    return found


@pytest.fixture(scope="module")
def mock() -> Iterator[str]:
    binary = os.environ.get("OMEGA_WEBHOOKS_BIN") or str(ROOT / "target" / "debug" / "omega-webhooks")
    process = subprocess.Popen([binary, "mock", "--events", "20"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line.startswith("listening on "), line
    yield line[len("listening on ") :]
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


def tool_env(out: Path, **extra: str) -> Dict[str, str]:
    """The environment of the README's commands: the pinned tools first on PATH (the venv's,
    node_modules/.bin, and target/tools/bin where `make test-schemas` installs cargo-typify)."""
    tools = [Path(sys.executable).parent, ROOT / "node_modules" / ".bin", ROOT / "target" / "tools" / "bin"]
    path = os.pathsep.join([*map(str, tools), os.environ["PATH"]])
    return dict(os.environ, OUT=str(out), PATH=path, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true", **extra)


def run(tool: str, out: Path, mock: str = "") -> subprocess.CompletedProcess:
    """Runs the README's command for `tool` from the repository root."""
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", commands()[tool]],
        cwd=ROOT, env=tool_env(out, MOCK=mock), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"{tool} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def prism(out: Path, *flags: str) -> Iterator[str]:
    """The README's Prism command with `flags` appended, serving on a free loopback port until
    the block ends; yields its URL."""
    port = free_port()
    log = (out / f"prism-{port}.log").open("w")
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", "exec " + " ".join([commands()["prism"], *flags])],
        cwd=ROOT, env=tool_env(out, PORT=str(port)), stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (out / f"prism-{port}.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "Prism did not listen within 120 s"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def get(url: str, key: str | None = "any-key") -> Tuple[int, Any]:
    """GET `url` (with a bearer key unless None): the status and the JSON body."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def wire(stem: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{stem}.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors_of(validator: Draft202012Validator, body: Any) -> list:
    return [f"{list(e.absolute_path)}: {e.message[:300]}" for e in validator.iter_errors(body)]


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_one_command_per_tool() -> None:
    assert set(commands()) == {
        "datamodel-codegen", "quicktype", "openapi-python-client", "schemathesis", "redocly",
        "openapi-typescript", "prism", "cargo typify",
    }


def test_datamodel_code_generator_models_accept_what_the_schema_accepts(out: Path) -> None:
    result = run("datamodel-codegen", out)
    assert "not understood" not in result.stderr, result.stderr  # e.g. a format it does not know
    models = load_module("event_models", out / "event_models.py")
    from pydantic import ValidationError

    video = models.EventData.model_fields["video"].annotation
    assert models.Video in typing.get_args(video) and type(None) not in typing.get_args(video), video
    normalized = sorted((FIXTURES / "events" / "normalized").glob("*.json"))
    for path in normalized:
        models.Event.model_validate(json.loads(path.read_text()))
    schema = Draft202012Validator(
        json.loads((ROOT / "schemas" / "event.normalized.schema.json").read_text()),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    refused = 0
    for case in json.loads((FIXTURES / "invalid" / "cases.json").read_text()):
        if case["parse"] != "event" or case["schema"] == "not-json":
            continue
        value = json.loads((FIXTURES / "invalid" / case["file"]).read_text())
        if not schema.is_valid(value):
            refused += 1
            with pytest.raises(ValidationError):
                models.Event.model_validate(value)
    assert refused >= 5


def test_quicktype_typescript_compiles_with_a_typed_video(out: Path) -> None:
    run("quicktype", out)
    lines = [
        "import type { Event, Video } from './event';",
        "declare const event: Event;",
        "export const video: Video | undefined = event.data?.video;",
        "export const created: number = event.created;",
        "// @ts-expect-error data.video is a Video, not a string",
        "export const wrong: string | undefined = event.data?.video;",
    ]
    for i, path in enumerate(sorted((FIXTURES / "events" / "normalized").glob("*.json"))):
        lines.append(f"export const f{i}: Event = {path.read_text()};")
    (out / "check.ts").write_text("\n".join(lines) + "\n")
    tsc = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
    result = subprocess.run(
        ["node", str(tsc), "--noEmit", "--strict", "--target", "es2022", "--module", "commonjs", "event.ts", "check.ts"],
        cwd=out, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_openapi_python_client_lists_the_mocks_events(out: Path, mock: str) -> None:
    result = run("openapi-python-client", out)
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(out))
    try:
        from omega_client import AuthenticatedClient
        from omega_client.api.events import get_event, list_events
        from omega_client.models import Event, ListedEvent, Video

        client = AuthenticatedClient(base_url=mock, token=KEY)
        events = list_events.sync(client=client, id="6336cd2b5790c27875f70d96")
        assert [type(e) for e in events] == [ListedEvent, ListedEvent]
        assert isinstance(events[0].created, int) and events[0].ocid == "omega-cop-KoNef9DB5i"
        event = get_event.sync(client=client, id="6307b4d6570090479813a762", eid="630fac88bd5bb64cf8b24b99")
        assert isinstance(event, Event) and isinstance(event.data.video, Video)
        assert event.data.video.title == "Sintel"
    finally:
        sys.path.remove(str(out))


def test_schemathesis_finds_no_failure_against_the_mock(out: Path, mock: str) -> None:
    result = run("schemathesis", out, mock)
    assert "No issues found" in result.stdout, result.stdout[-3000:]
    assert "Examples" in result.stdout and "failed" not in result.stdout.split("SUMMARY")[-1], result.stdout[-3000:]


def test_redocly_lint_reports_no_error(out: Path) -> None:
    result = run("redocly", out)
    assert "Your API description is valid" in result.stdout + result.stderr, result.stdout + result.stderr


def test_openapi_typescript_types_both_responses_with_nullable_fields(out: Path) -> None:
    run("openapi-typescript", out)

    def fixture(path: str) -> str:
        return (FIXTURES / path).read_text()

    lines = [
        "import type { paths } from './api';",
        "type Ok<P extends keyof paths> = paths[P]['get']['responses'][200]['content']['application/json'];",
        "type List = Ok<'/client/webhooks/{id}'>;",
        "type Details = Ok<'/client/webhooks/{id}/events/{eid}'>;",
        "declare const list: List;",
        "declare const event: Details;",
        "export const ids: string[] = list.map((item) => item.id);",
        "export const companies: (string | undefined)[] = list.map((item) => item.ocid);",
        "export const title: string | undefined = event.data?.video?.title;",
        "export const status: number | undefined = event.response?.status_code;",
        # Nullable and optional, as the API sends them.
        "export const nulls: Details = { ...event, created_at: null, data: null, response: null };",
        "const { created_at, data, response, ...rest } = event;",
        "export const absent: Details = rest;",
        "// @ts-expect-error created is a number",
        "export const wrong: Details = { ...event, created: 'yesterday' };",
        "// @ts-expect-error a list item has no coid of its own (the list spells it ocid)",
        "export const listed: string | undefined = list[0].coid;",
        f"export const documentedList: List = {fixture('lists/wire/list-example.json')};",
        f"export const documentedDetails: Details = {fixture('events/wire/details-example.json')};",
    ]
    (out / "check_api.ts").write_text("\n".join(lines) + "\n")
    tsc = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
    result = subprocess.run(
        ["node", str(tsc), "--noEmit", "--strict", "--target", "es2022", "--module", "commonjs", "check_api.ts"],
        cwd=out, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_prism_serves_the_documented_examples(out: Path) -> None:
    with prism(out) as url:
        for path, stem, example in [
            (LIST_PATH, "event-list", "lists/wire/list-example.json"),
            (DETAILS_PATH, "event", "events/wire/details-example.json"),
        ]:
            for _ in range(3):
                status, body = get(url + path)
                assert status == 200, body
                assert body == json.loads((FIXTURES / example).read_text())
                assert errors_of(wire(stem), body) == []
        status, body = get(url + LIST_PATH, key=None)
        assert (status, body) == (401, {"message": "invalid api key"})


def test_prism_dynamic_bodies_are_valid_wire_bodies(out: Path) -> None:
    with prism(out, "--dynamic") as url:
        for path, stem in [(LIST_PATH, "event-list"), (DETAILS_PATH, "event")]:
            bodies = []
            for i in range(30):
                status, body = get(url + path)
                assert status == 200, (path, i, body)
                assert errors_of(wire(stem), body) == [], (path, i, json.dumps(body)[:2000])
                bodies.append(json.dumps(body, sort_keys=True))
            assert len(set(bodies)) > 1, "generated bodies, not one example"
            if stem == "event-list":
                assert any(json.loads(b) for b in bodies), "some list is not empty"


def test_typify_rust_types_read_every_normalized_fixture(out: Path) -> None:
    run("cargo typify", out)
    crate = out / "typify-check"
    (crate / "src").mkdir(parents=True)
    (out / "event_types.rs").rename(crate / "src" / "event_types.rs")
    shutil.copy(HERE / "typify_check.rs", crate / "src" / "main.rs")
    (crate / "Cargo.toml").write_text(TYPIFY_MANIFEST)
    fixtures = sorted((FIXTURES / "events" / "normalized").glob("*.json"))
    result = subprocess.run(
        ["cargo", "run", "--quiet", "--manifest-path", str(crate / "Cargo.toml"), "--", *map(str, fixtures)],
        env=dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target" / "typify-check")),
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    read = {Path(path).stem: (kind, title) for path, kind, title in (line.split("\t") for line in result.stdout.splitlines())}
    assert set(read) == {path.stem for path in fixtures}
    assert {name for name, (kind, _) in read.items() if kind == "other"} == {"unknown-event-type"}
    assert read["details-example"][1] == "Sintel" and read["data-empty"][1] == "-"
