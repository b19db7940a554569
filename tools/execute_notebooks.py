"""Re-execute the book's notebooks in place, from a fresh kernel, so their stored outputs are current.

This is the only way the stored outputs change: they are what the book shows and what nbval
compares against. Usage (through the Makefile: ``make execute``)::

    python tools/execute_notebooks.py                 # every notebook under chapters/, assignments/ and reference/
    python tools/execute_notebooks.py chapters/01_input_shape.ipynb

Each notebook runs in its own folder (as nbval and Colab run it), with errors allowed only in cells
tagged ``raises-exception``. Afterwards the metadata is normalised (timings and machine-specific
kernel details are dropped) so that re-running on another machine changes only what really changed.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient

from lstm_helpers._env import QUIET_ENV

ROOT = pathlib.Path(__file__).resolve().parents[1]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
KEEP_CELL_METADATA = ("tags",)


def notebooks(paths: list[str]) -> list[pathlib.Path]:
    if paths:
        return [pathlib.Path(p).resolve() for p in paths]
    return sorted(p for folder in ("chapters", "assignments", "reference") for p in (ROOT / folder).glob("*.ipynb"))


def normalise(nb: nbformat.NotebookNode) -> None:
    """Keep only what the book and the tests need; drop timings and machine details."""
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in KEEP_CELL_METADATA})
        cell.pop("id", None)
    nb.nbformat, nb.nbformat_minor = 4, 4


def execute(path: pathlib.Path, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    seconds = time.perf_counter() - start
    normalise(nb)
    nbformat.write(nb, path)
    record_versions(nb)
    return seconds


VERSIONS = re.compile(r"Versions: Keras [^\n]*")
INTRO_BLOCK = re.compile(r"(<!-- versions:[^\n]*-->\n)(.*?)(\n<!-- /versions -->)", re.S)


def record_versions(nb: nbformat.NotebookNode) -> None:
    """Write the versions line the notebook printed into the front page (intro.md)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = VERSIONS.search(output.get("text", "")) if output.get("output_type") == "stream" else None
            if found:
                intro = ROOT / "intro.md"
                text = intro.read_text(encoding="utf-8")
                line = "The outputs on these pages were produced with: " + found.group(0).removeprefix("Versions: ")
                replacement = r"\g<1>" + line.replace("\\", "\\\\") + r".\g<3>"
                intro.write_text(INTRO_BLOCK.sub(replacement, text), encoding="utf-8")
                return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "paths", nargs="*", help="notebooks to run (default: all in chapters/, assignments/ and reference/)"
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args()
    # the same quiet, repeatable environment that the tests give the kernels
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    # the stored outputs are the reference backend's; a reader's own KERAS_BACKEND must not change them
    os.environ["KERAS_BACKEND"] = "tensorflow"
    total = 0.0
    for path in notebooks(args.paths):
        seconds = execute(path, args.timeout)
        total += seconds
        print(f"{seconds:6.1f} s  {path.relative_to(ROOT)}", flush=True)
    print(f"{total:6.1f} s  in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
