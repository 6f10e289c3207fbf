"""The artifacts of `make dist`, installed as a user would: a fresh virtualenv and an empty npm
project, with no `cargo` or `rustc` on PATH, run the README's examples against the mock; the
sdist builds a working wheel; `cargo install` gives a working CLI. (`make dist` itself ran
auditwheel, abi3audit, twine and `cargo package`.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
MOCK_KEY = "omega-mock-key"
TIMEOUT = 900  # seconds, for the steps that build


def without_rust() -> Dict[str, str]:
    """The environment with every PATH entry that holds cargo or rustc left out."""
    entries = os.environ["PATH"].split(os.pathsep)
    kept = [p for p in entries if not any((Path(p) / tool).exists() for tool in ("cargo", "rustc"))]
    env = dict(os.environ, PATH=os.pathsep.join(kept))
    for tool in ("cargo", "rustc"):
        assert shutil.which(tool, path=env["PATH"]) is None, f"{tool} is still on PATH"
    return env


def run(args: List[str], env: Dict[str, str], cwd: Path = ROOT) -> str:
    """Runs a command; fails the test with its output unless it succeeds."""
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def only(pattern: str) -> Path:
    """The one file of dist/ matching `pattern`."""
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one dist/{pattern}, found {found}"
    return found[0]


def readme_examples(language: str, *sections: str) -> List[str]:
    """The README's ```language blocks in these sections."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = []
    for section in sections:
        body = readme.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
        examples += re.findall(rf"```{language}\n(.*?)```", body, flags=re.S)
    return examples


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """An `omega-webhooks mock` process (from $OMEGA_WEBHOOKS_BIN, set by the Makefile)."""
    binary = os.environ.get("OMEGA_WEBHOOKS_BIN") or str(ROOT / "target" / "debug" / "omega-webhooks")
    process = subprocess.Popen([binary, "mock"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line.startswith("listening on http://"), line
    yield line[len("listening on ") :]
    process.terminate()
    process.wait(timeout=10)


def test_the_wheel_is_abi3_and_manylinux() -> None:
    wheel = only("python/*.whl")
    assert "-cp39-abi3-" in wheel.name and "manylinux_2_17_x86_64" in wheel.name, wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "omega_webhooks/py.typed" in names and "omega_webhooks/_native.pyi" in names
    assert any(n.startswith("omega_webhooks/_native") and n.endswith(".so") for n in names)


def test_the_wheel_installs_and_runs_the_readme_examples_without_rust(tmp_path: Path, mock_url: str) -> None:
    env = without_rust()
    python = shutil.which("python3", path=env["PATH"])
    assert python, "python3 on PATH"
    run([python, "-m", "venv", str(tmp_path / "venv")], env)
    venv_python = str(tmp_path / "venv" / "bin" / "python")
    run([venv_python, "-m", "pip", "install", "--quiet", "--no-index", str(only("python/*.whl"))], env, cwd=tmp_path)
    examples = readme_examples("python", "Python", "Processes, threads and event loops")
    assert len(examples) == 8
    example_env = dict(env, OMEGA_API_KEY=MOCK_KEY, OMEGA_BASE_URL=mock_url)
    for code in examples:
        # Run where the README's relative paths (fixtures/) resolve, but import the installed wheel.
        output = run([venv_python, "-I", "-c", code], example_env, cwd=ROOT)
        assert output.strip(), code


def test_the_sdist_builds_a_working_wheel(tmp_path: Path) -> None:
    sdist = only("python/*.tar.gz")
    # Building from source needs Rust (and maturin from the index); one target/ for all builds.
    env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target"))
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "out"), str(sdist)], env, cwd=tmp_path)
    built = next((tmp_path / "out").glob("*.whl"))
    run([sys.executable, "-m", "venv", str(tmp_path / "venv")], env)
    venv_python = str(tmp_path / "venv" / "bin" / "python")
    run([venv_python, "-m", "pip", "install", "--quiet", "--no-index", str(built)], env, cwd=tmp_path)
    body = (ROOT / "fixtures/events/wire/details-example.json").read_text()
    code = "import sys, omega_webhooks as ow; print(ow.parse_event(sys.stdin.read()).id)"
    result = subprocess.run([venv_python, "-I", "-c", code], input=body, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "630fac88bd5bb64cf8b24b99", result.stderr


def npm_project(tmp_path: Path, env: Dict[str, str], packages: List[Path], *flags: str) -> Path:
    """An empty npm project with `packages` (tarballs) installed."""
    project = tmp_path / "app"
    project.mkdir()
    run(["npm", "init", "-y"], env, cwd=project)
    run(["npm", "install", "--no-audit", "--no-fund", *flags, *map(str, packages)], env, cwd=project)
    return project


def test_the_npm_packages_install_and_run_the_readme_example_without_rust(tmp_path: Path, mock_url: str) -> None:
    env = without_rust()
    main, platform = only("npm/omega-webhooks-0*.tgz"), only("npm/omega-webhooks-linux-x64-gnu-*.tgz")
    project = npm_project(tmp_path, env, [main, platform])
    installed = project / "node_modules"
    assert not list((installed / "omega-webhooks").rglob("*.node")), "the main package holds no binary"
    addon = installed / "omega-webhooks-linux-x64-gnu" / "omega-webhooks.linux-x64-gnu.node"
    glibc = set(re.findall(r"GLIBC_([0-9.]+)", run(["objdump", "-T", str(addon)], env)))
    newest = max(glibc, key=lambda v: tuple(map(int, v.split("."))))
    assert tuple(map(int, newest.split("."))) <= (2, 17), f"needs glibc {newest}"

    example = readme_examples("js", "Node")[0]
    assert example.startswith("import { Client } from 'omega-webhooks';")
    (project / "example.mjs").write_text(example)
    body = example.split("\n", 1)[1]
    (project / "example.cjs").write_text(f"const {{ Client }} = require('omega-webhooks');\n(async () => {{\n{body}}})();\n")
    example_env = dict(env, OMEGA_API_KEY=MOCK_KEY, OMEGA_BASE_URL=mock_url)
    for script in ("example.mjs", "example.cjs"):
        output = run(["node", script], example_env, cwd=project)
        assert "63377e715790c27875f70dbd" in output, output


def test_without_its_platform_package_the_loader_names_it(tmp_path: Path) -> None:
    env = without_rust()
    # As on a platform without a prebuilt package: npm skips the optional dependency.
    project = npm_project(tmp_path, env, [only("npm/omega-webhooks-0*.tgz")], "--omit=optional")
    assert not (project / "node_modules" / "omega-webhooks-linux-x64-gnu").exists()
    result = subprocess.run(["node", "-e", "require('omega-webhooks')"], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "the package omega-webhooks-linux-x64-gnu is not installed" in result.stderr, result.stderr


def test_the_crates_are_packaged_and_cargo_install_works(tmp_path: Path) -> None:
    names = sorted(p.name for p in (DIST / "crates").glob("*.crate"))
    assert names == [f"omega-webhooks-{c}-0.1.0.crate" for c in ("cli", "client", "mock", "receive", "types")], names
    env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target"))
    root = tmp_path / "install"
    run(["cargo", "install", "--quiet", "--locked", "--path", "crates/omega-webhooks-cli", "--root", str(root)], env)
    output = run([str(root / "bin" / "omega-webhooks"), "--mock", "events", "list", "6336cd2b5790c27875f70d96"], env)
    assert "2 events" in output, output
