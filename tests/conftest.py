"""Fixtures shared by the tests of the rendered book."""

from __future__ import annotations

import subprocess

import pytest

import tasks
from notebook_rules import ROOT


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the HTML book once per test session, with warnings as errors; return the html folder."""
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(tasks.book_command(out), cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return out / "_build" / "html"
