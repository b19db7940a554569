"""The book builds with warnings treated as errors, and the pages show the stored outputs."""

from __future__ import annotations

import subprocess

import pytest

import tasks
from notebook_rules import ROOT, chapter_notebooks


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(tasks.book_command(out), cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "warning" not in result.stderr.lower(), result.stderr[-4000:]
    return out / "_build" / "html"


def test_every_chapter_has_a_page(html):
    assert (html / "intro.html").exists()
    for nb in chapter_notebooks():
        page = html / nb.relative_to(ROOT).with_suffix(".html")
        assert page.exists(), f"no page for {nb.name}"


def test_first_chapter_shows_outputs_figures_and_hidden_solutions(html):
    page = (html / "chapters" / "01_input_shape.html").read_text()
    assert "(32, 100, 6) = 32 samples x 100 timesteps x 6 features" in page  # a stored output
    assert "<img" in page  # the batch picture
    assert 'class="solution dropdown' in page  # solutions hidden behind a dropdown
    assert "google.colab" not in page  # the Colab install cell is removed from the page
    assert "colab.research.google.com/github/" in page  # the Colab launch button
