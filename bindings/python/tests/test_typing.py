"""The type stubs: `mypy --strict` accepts a program using every export, and `stubtest` finds
no difference between the stubs and the installed module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(*args: str, cwd: Path = HERE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd)


def test_mypy_strict_accepts_typed_usage() -> None:
    result = run("mypy", "--strict", "--no-incremental", "typed_usage.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_rejects_misuse(tmp_path: Path) -> None:
    bad = tmp_path / "misuse.py"
    bad.write_text("import omega_webhooks\nx: int = omega_webhooks.parse_event(b'').id\n")
    result = run("mypy", "--strict", "--no-incremental", bad.name, cwd=tmp_path)
    assert result.returncode == 1 and 'Incompatible types in assignment (expression has type "str"' in result.stdout


def test_stubtest_finds_no_differences() -> None:
    result = run("mypy.stubtest", "omega_webhooks")
    assert result.returncode == 0, result.stdout + result.stderr
