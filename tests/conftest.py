"""Shared fixtures: build the small Sphinx projects under ``tests/roots``."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import ROOTS

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS
