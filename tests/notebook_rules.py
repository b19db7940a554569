"""What every notebook the suite executes must satisfy, shared by the hygiene tests.

Kept apart from the tests so that a maintainer can read the rules in one place.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
#: every folder whose notebooks the suite executes (nbval, the backends): the hygiene rules cover them all
EXECUTED = ("chapters", "assignments", "reference")

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
NOISE = re.compile(
    r"(UserWarning|DeprecationWarning|FutureWarning|WARNING|oneDNN custom operations|"
    r"cpu_feature_guard|absl::|cuda drivers|I0000 )"
)
TIMING = re.compile(r"(\d+(?:\.\d+)?(?:ms|s|us)/step|ETA: ?\d|\d+/\d+ \[=*>?\.*\]|\d+s \d+ms)")
# a path of the machine that ran the notebook: Linux, macOS (/Users/...), Windows (C:\\Users\\...)
LOCAL_PATH = re.compile(r"(/root/|/home/\w+/|/Users/\w+/|[A-Za-z]:\\{1,2}Users\\{1,2}|/tmp/|/work/|site-packages/)")
DEPRECATED_ARG = re.compile(r"\b(input_shape|input_dim)\s*=")
HISTORY_REPR = re.compile(r"<keras\.src\.callbacks\.history\.History")

#: the widest code or output line that reads without a sideways scroll bar in the rendered book
PAGE_WIDTH = 80
#: a fenced code block inside a Markdown cell (solutions, the cheat sheet): it scrolls too
FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1", re.DOTALL | re.MULTILINE)

SKELETON = ("What you will learn", "Prerequisites", "Time to run")
SECTIONS = ("## Summary", "## Exercises", "## What to read next")


def chapter_notebooks() -> list[Path]:
    return sorted(p for p in CHAPTERS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def executed_notebooks() -> list[Path]:
    """Every notebook the suite executes: the chapters, the assignments and the cheat sheet."""
    return sorted(
        p for folder in EXECUTED for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return [toc["root"], *found]


def repository_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def expects_error(cell) -> bool:
    return "raises-exception" in tags(cell)


def output_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return f"{output.get('ename', '')}: {output.get('evalue', '')}"
    return output.get("data", {}).get("text/plain", "")


def too_wide(text: str, where: str) -> list[str]:
    """One message per line of `text` wider than the page, naming `where` and the width."""
    return [
        f"{where}, line {n}: {len(line)} characters > {PAGE_WIDTH}: {line[:60]!r}..."
        for n, line in enumerate(text.splitlines(), start=1)
        if len(line) > PAGE_WIDTH
    ]


_TAG = re.compile(r"<[^>]+>")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def shown_as_text(output: dict) -> str:
    """The text the rendered book shows for one output, as the reader sees it.

    Colour codes (ANSI) and HTML tags take no room on the page, so they are removed: a
    `model.summary()` table stores 150-character lines of markup for 76 visible columns.
    A picture, or an HTML output other than preformatted text (a table), is not text: "".
    """
    if output.get("output_type") == "stream":
        return _ANSI.sub("", "".join(output.get("text", "")))
    data = output.get("data", {})
    if any(key.startswith("image/") for key in data):
        return ""
    if "text/html" in data:
        markup = "".join(data["text/html"])
        if not markup.lstrip().startswith("<pre"):
            return ""
        return html.unescape(_TAG.sub("", markup))
    return _ANSI.sub("", "".join(data.get("text/plain", "")))
