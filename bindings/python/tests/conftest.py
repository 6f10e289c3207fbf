"""The pytest fixtures of the Python tests: mock servers (see support.py)."""

from __future__ import annotations

from typing import Iterator

import pytest

from support import Mock


@pytest.fixture(scope="session")
def shared_mock() -> Iterator[Mock]:
    """One mock (with 500 generated events) for the tests that do not script it."""
    mock = Mock("--events", "500")
    yield mock
    mock.stop()


@pytest.fixture
def mock() -> Iterator[Mock]:
    """A fresh mock (with 20 generated events) for a test that scripts it."""
    mock = Mock("--events", "20")
    yield mock
    mock.stop()
