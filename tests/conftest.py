"""Fixtures shared by the tests of the rendered book."""

from __future__ import annotations

import subprocess

import pytest
from notebook_rules import ROOT

import tasks


@pytest.fixture(scope="session")
def built_book():
    """Build the HTML book once per test session, with warnings as errors; return the html folder.

    It is the very build `python3 tasks.py book` makes, into _build/html, so that the publishing
    workflow deploys the pages these tests checked instead of building them again.
    """
    result = subprocess.run(tasks.book_command(), cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return ROOT / "_build" / "html"
