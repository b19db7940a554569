"""Time the grader on a class of 30 submissions, with and without parallel jobs.

    .venv/bin/python tools/time_grader.py            # --jobs 1, then the default (all cores)
    .venv/bin/python tools/time_grader.py 1 2 4      # the --jobs values to compare

The class is 30 submissions of assignment 1: 10 correct (the solution), 10 with task 3 left as
its stub, 10 untouched student notebooks. Each run regrades the whole folder from scratch
(`--regrade`); the teachers' page quotes what this printed.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# imported by name at run time: mypy checks tools/grader.py once, as the module `grader`
grader = importlib.import_module("tools.grader")


def write_class(folder: Path, solution: Path) -> None:
    correct = nbformat.read(solution, as_version=4)
    partly = nbformat.read(solution, as_version=4)
    index = next(k for k, c in enumerate(partly.cells) if "lstm_parameters =" in c.source)
    partly.cells[index].source = grader.strip_solution(partly.cells[index].source)
    untouched = grader.make_student(solution)
    for k in range(10):
        nbformat.write(correct, folder / f"student_{k:02d}_correct.ipynb")
        nbformat.write(partly, folder / f"student_{k:02d}_partly.ipynb")
        nbformat.write(untouched, folder / f"student_{k:02d}_untouched.ipynb")


def main(jobs: list[str]) -> int:
    solution = grader.ASSIGNMENTS / "01_input_shapes.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        write_class(folder, solution)
        for value in jobs:
            extra = [] if value == "default" else ["--jobs", value]
            start = time.monotonic()
            run = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "tools" / "grader.py"),
                    "grade",
                    str(folder),
                    "--assignment",
                    str(solution),
                    "--regrade",
                    *extra,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.monotonic() - start
            print(f"--jobs {value}: 30 submissions in {seconds:.0f} s (exit {run.returncode})", flush=True)
            if run.returncode:
                print(run.stdout[-1000:], run.stderr[-1000:])
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["1", "default"]))
