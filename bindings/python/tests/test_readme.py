"""The README's Python examples run as written against the mock server."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from support import MOCK_KEY, ROOT, Mock


SECTIONS = ("Python", "Processes, threads and event loops")


def python_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = []
    for title in SECTIONS:
        section = readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
        examples += re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return examples


def test_there_are_examples() -> None:
    assert len(python_examples()) == 8


@pytest.mark.parametrize("index", range(8))
def test_readme_example_runs(index: int, shared_mock: Mock) -> None:
    code = python_examples()[index]
    env = dict(os.environ, OMEGA_API_KEY=MOCK_KEY, OMEGA_BASE_URL=shared_mock.url)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the example prints something"
    assert "Traceback" not in result.stderr
