"""What every chapter notebook must satisfy, shared by the hygiene tests.

Kept apart from the tests so that a maintainer can read the rules in one place.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
NOISE = re.compile(r"(UserWarning|DeprecationWarning|FutureWarning|WARNING|oneDNN custom operations|"
                   r"cpu_feature_guard|absl::|cuda drivers|I0000 )")
TIMING = re.compile(r"(\d+(?:\.\d+)?(?:ms|s|us)/step|ETA: ?\d|\d+/\d+ \[=*>?\.*\]|\d+s \d+ms)")
LOCAL_PATH = re.compile(r"(/root/|/home/\w+/|/tmp/|/work/|site-packages/)")
DEPRECATED_ARG = re.compile(r"\b(input_shape|input_dim)\s*=")
HISTORY_REPR = re.compile(r"<keras\.src\.callbacks\.history\.History")

SKELETON = ("What you will learn", "Prerequisites", "Time to run")
SECTIONS = ("## Summary", "## Exercises", "## What to read next")


def chapter_notebooks() -> list[Path]:
    return sorted(p for p in CHAPTERS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    found: list[str] = []

    def walk(node):
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
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


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
