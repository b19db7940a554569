"""Time every notebook on each Keras backend, side by side, and print a Markdown table.

    .venv/bin/python tools/time_backends.py                       # tensorflow, jax (and torch if installed)
    .venv/bin/python tools/time_backends.py --backends tensorflow,jax chapters/02_*.ipynb

Each notebook runs from a fresh kernel on each backend in turn (notebook by notebook, backends
interleaved, so a machine that slows down during the run slows all backends alike). Each cell
gives wall-clock seconds and, in brackets, the CPU seconds of the kernel process (user + system,
read from the operating system once the kernel has exited): on a shared machine the wall time
grows with the load, the CPU time much less. A notebook that fails prints FAILED and the first
line of its error, and the run goes on. Nothing is
written back: the stored outputs change only through tools/execute_notebooks.py. The table in
the README was made with this script; it says on which machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pathlib
import resource
import sys
import time

import nbformat
from nbclient import NotebookClient

from lstm_helpers._env import QUIET_ENV

ROOT = pathlib.Path(__file__).resolve().parents[1]
FOLDERS = ("chapters", "assignments", "reference")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(path: pathlib.Path, backend: str) -> tuple[float, float, str]:
    """Wall seconds, kernel CPU seconds and "" (or the error's first line) for one run."""
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, KERAS_BACKEND=backend)
    start, cpu = time.perf_counter(), _children_cpu()
    error = ""
    try:
        NotebookClient(
            nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute(env=env)
    except Exception as exc:  # a failing notebook is a result to report, not a reason to stop
        lines = [line for line in str(exc).splitlines() if line.strip()]
        error = lines[-1][:120] if lines else type(exc).__name__
    return time.perf_counter() - start, _children_cpu() - cpu, error


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
    totals = {b: [0.0, 0.0] for b in backends}
    failures = []
    for path in paths:
        cells = []
        name = path.relative_to(ROOT).as_posix()
        for backend in backends:
            seconds, cpu, error = run(path, backend)
            totals[backend][0] += seconds
            totals[backend][1] += cpu
            cells.append(f"{seconds:.0f} s ({cpu:.0f} s)" + (" FAILED" if error else ""))
            if error:
                failures.append(f"{name} on {backend}: {error}")
        print(f"| `{name}` | {' | '.join(cells)} |", flush=True)
    print(f"| all | {' | '.join(f'{totals[b][0]:.0f} s ({totals[b][1]:.0f} s)' for b in backends)} |")
    for line in failures:
        print(f"FAILED {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
