"""Time every notebook on each Keras backend, side by side, and print a Markdown table.

    .venv/bin/python tools/time_backends.py                       # tensorflow, jax (and torch if installed)
    .venv/bin/python tools/time_backends.py --backends tensorflow,jax chapters/02_*.ipynb

Each notebook runs from a fresh kernel on each backend in turn (notebook by notebook, backends
interleaved, so a machine that slows down during the run slows all backends alike). Nothing is
written back: the stored outputs change only through tools/execute_notebooks.py. The table in
the README was made with this script; it says on which machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

from lstm_helpers._env import QUIET_ENV

ROOT = pathlib.Path(__file__).resolve().parents[1]
FOLDERS = ("chapters", "assignments", "reference")


def run(path: pathlib.Path, backend: str) -> float:
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, KERAS_BACKEND=backend)
    start = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute(
        env=env
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks (default: every notebook of the book)")
    parser.add_argument("--backends", default=None, help="comma-separated (default: those installed)")
    args = parser.parse_args()
    backends = (
        args.backends.split(",")
        if args.backends
        else [b for b in ("tensorflow", "jax", "torch") if importlib.util.find_spec(b)]
    )
    paths = [pathlib.Path(p).resolve() for p in args.paths] or sorted(
        p for f in FOLDERS for p in (ROOT / f).glob("*.ipynb")
    )
    os.environ.update(QUIET_ENV)
    print(f"| notebook | {' | '.join(backends)} |")
    print(f"|---|{'---:|' * len(backends)}")
    totals = dict.fromkeys(backends, 0.0)
    for path in paths:
        cells = []
        for backend in backends:
            seconds = run(path, backend)
            totals[backend] += seconds
            cells.append(f"{seconds:.0f} s")
        print(f"| `{path.relative_to(ROOT).as_posix()}` | {' | '.join(cells)} |", flush=True)
    print(f"| all | {' | '.join(f'{totals[b]:.0f} s' for b in backends)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
