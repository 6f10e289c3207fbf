"""The generators a team in another language would use, run on the published files exactly as
schemas/README.md shows them (its ```sh blocks are the commands), and what they make checked:
typed models that accept every normalized fixture, a client that lists the mock's events, no
Schemathesis failure against the mock, no Redocly error."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Dict, Iterator

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
README = ROOT / "schemas" / "README.md"
KEY = "omega-mock-key"


def commands() -> Dict[str, str]:
    """The README's commands, by tool (the first word)."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    found = {}
    for block in blocks:
        for line in block.strip().splitlines():
            found[line.split()[0]] = line
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


def run(tool: str, out: Path, mock: str = "") -> subprocess.CompletedProcess:
    """Runs the README's command for `tool` from the repository root."""
    path = os.pathsep.join([str(Path(sys.executable).parent), str(ROOT / "node_modules" / ".bin"), os.environ["PATH"]])
    env = dict(os.environ, OUT=str(out), MOCK=mock, PATH=path, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", commands()[tool]],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"{tool} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_one_command_per_tool() -> None:
    assert set(commands()) == {"datamodel-codegen", "quicktype", "openapi-python-client", "schemathesis", "redocly"}


def test_datamodel_code_generator_models_accept_what_the_schema_accepts(out: Path) -> None:
    run("datamodel-codegen", out)
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
