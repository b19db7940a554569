"""The book builds with warnings treated as errors, and the pages show the stored outputs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from notebook_rules import ROOT, chapter_notebooks


@pytest.fixture(scope="module")
def html(built_book):
    return built_book


def test_every_chapter_has_a_page(html):
    assert (html / "intro.html").exists()
    for nb in chapter_notebooks():
        page = html / nb.relative_to(ROOT).with_suffix(".html")
        assert page.exists(), f"no page for {nb.name}"


def test_first_chapter_shows_outputs_figures_and_hidden_solutions(html):
    page = (html / "chapters" / "01_input_shape.html").read_text(encoding="utf-8")
    assert "(32, 100, 6) = 32 samples x 100 timesteps x 6 features" in page  # a stored output
    assert "<img" in page  # the batch picture
    assert 'class="solution dropdown' in page  # solutions hidden behind a dropdown
    assert "google.colab" not in page  # the Colab install cell is removed from the page
    assert "colab.research.google.com/github/" in page  # the Colab launch button


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("preconnect", "dns-prefetch")):
                self.links.append((tag, attrs[key]))


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def test_no_broken_internal_link_or_missing_image(html):
    pages = [p for p in html.rglob("*.html") if "_static" not in p.parts]
    parsed = {p: _parse(p) for p in pages}
    broken = []
    for page, links in parsed.items():
        for tag, link in links.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "mailto:", "javascript:")):
                continue  # external: not checked offline
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(html)}: <{tag}> {link}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and target in parsed
                and parts.fragment not in parsed[target].ids
            ):
                broken.append(f"{page.relative_to(html)}: <{tag}> {link} (no such anchor)")
    assert not broken, "\n".join(broken[:30])


def _text(page: Path) -> str:
    """The visible text of a page: tags removed, entities decoded (code is split into spans)."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def test_student_edition_has_exercises_but_no_solutions(tmp_path, html):
    import subprocess

    import nbformat

    import tasks

    config = tasks.student_config(tmp_path / "_config.yml")
    result = subprocess.run(
        [*tasks.book_command(tmp_path), "--config", str(config)], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    student = tmp_path / "_build" / "html"
    for nb_path in chapter_notebooks():
        rel = nb_path.relative_to(ROOT).with_suffix(".html")
        page = (student / rel).read_text(encoding="utf-8")
        assert 'class="exercise' in page, nb_path.name
        assert 'class="solution' not in page, nb_path.name
        # the code of every gated solution is gone too (and is there in the normal edition)
        full_text, student_text = _text(html / rel), _text(student / rel)
        nb = nbformat.read(nb_path, as_version=4)
        inside, checked = False, 0
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                inside = ("{solution-start}" in cell.source) or (inside and "{solution-end}" not in cell.source)
            elif inside:
                # a line of the solution that occurs once in the normal page, so it is the solution's own
                line = next(
                    (
                        s.strip()
                        for s in cell.source.splitlines()
                        if len(s.strip()) > 20 and full_text.count(s.strip()) == 1
                    ),
                    None,
                )
                if line:
                    assert line not in student_text, (nb_path.name, line)
                    checked += 1
        assert checked, f"{nb_path.name}: no solution code found to check"
