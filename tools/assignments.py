"""Assignments: generate student notebooks from solution notebooks, and grade submissions.

An assignment is written once, as a solution notebook under ``assignments/``. In a code cell,
the solution sits between two marker lines, and the stub that students get is written just
before it as lines starting with ``#> ``::

    #> model = None  # build the model here: keras.Input -> LSTM(32) -> Dense(4, softmax)
    ### BEGIN SOLUTION
    model = keras.Sequential([...])
    ### END SOLUTION

``student`` turns that into ``model = None  # build the model here: ...`` and drops the
solution; everything else stays, and all outputs are cleared. Every task ends with a check cell
(``lh.checks.check_...("2", ...)``) that shows whether the task is done.

``grade`` runs each submitted notebook in a fresh kernel with a time limit and writes a CSV
score sheet: one row per submission, one column per task (1 = passed), the score, the first
failing hint and, when a notebook could not be run to the end, the reason.

    python tools/assignments.py student [SOLUTION ...] [--out DIR]
    python tools/assignments.py grade SUBMISSIONS_DIR --assignment assignments/NAME.ipynb [--out scores.csv]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "assignments"
STUDENT_DIR = ROOT / "_build" / "student-notebooks"
MIME = "application/vnd.lstm-helpers.check+json"
BEGIN, END, STUB = "### BEGIN SOLUTION", "### END SOLUTION", "#> "
CHECK_CALL = re.compile(r"""checks\.check_\w+\(\s*["']([^"']+)["']""")


# ---------------------------------------------------------------------------------------------
# Student notebooks
# ---------------------------------------------------------------------------------------------

def strip_solution(source: str) -> str:
    """Replace each solution block by its stub lines; raise ValueError on unbalanced markers."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"line {number}: {BEGIN} inside another solution block")
            inside = True
        elif stripped == END:
            if not inside:
                raise ValueError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif inside:
            continue
        elif stripped.startswith(STUB.strip()) and line.lstrip().startswith(STUB):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + line.lstrip()[len(STUB):])
        else:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN} without {END}")
    return "\n".join(out)


def solution_lines(nb: nbformat.NotebookNode) -> list[str]:
    """Every non-blank line inside a solution block (used by the tests to prove none leaks)."""
    lines, inside = [], False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            s = line.strip()
            if s == BEGIN:
                inside = True
            elif s == END:
                inside = False
            elif inside and s:
                lines.append(s)
    return lines


def make_student(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solution(cell.source)
            cell.outputs = []
            cell.execution_count = None
    return nb


def solution_notebooks() -> list[Path]:
    return sorted(p for p in ASSIGNMENTS.glob("*.ipynb"))


def write_students(paths: list[Path], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out / path.name
        nbformat.write(make_student(path), target)
        written.append(target)
    return written


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------

def check_calls(solution: Path) -> list[str]:
    """The task id of every check call in the solution notebook, in order (with repeats)."""
    nb = nbformat.read(solution, as_version=4)
    return [t for c in nb.cells if c.cell_type == "code" for t in CHECK_CALL.findall(c.source)]


def task_ids(solution: Path) -> list[str]:
    """The tasks of an assignment, in order, from the check calls in its solution notebook."""
    ids = list(dict.fromkeys(check_calls(solution)))
    if not ids:
        raise ValueError(f"{solution} has no lh.checks.check_...(\"task\", ...) calls")
    return ids


@dataclass
class Grade:
    submission: str
    results: dict[str, bool] = field(default_factory=dict)
    first_hint: str = ""
    error: str = ""


def _records(nb: nbformat.NotebookNode) -> list[dict]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIME in data:
                record = data[MIME]
                found.append(json.loads(record) if isinstance(record, str) else dict(record))
    return found


def _checks_per_task(calls: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for task in calls:
        counts[task] = counts.get(task, 0) + 1
    return counts


def grade_one(path: Path, tasks: list[str], timeout: int, solution_checks: list[str] | None = None) -> Grade:
    """Run one submission in a fresh kernel (never raises) and read its check records."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    grade = Grade(path.name, {t: False for t in tasks})
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001 - not JSON, not a notebook: a zero with the reason
        grade.error = f"not a valid notebook: {type(err).__name__}: {str(err).splitlines()[0][:150]}"
        grade.first_hint = "the file could not be read as a notebook; submit the .ipynb file itself"
        return grade
    for cell in nb.cells:  # never trust stored outputs: only what runs now counts
        if cell.cell_type == "code":
            cell.outputs = []
    deadline = time.monotonic() + timeout
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CellTimeoutError(f"the notebook ran longer than {timeout} s")
                client.timeout = max(1, int(left))
                client.execute_cell(cell, index)
                errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                if errors and not grade.error:
                    grade.error = f"cell {index + 1} raised {errors[0].get('ename')}: {errors[0].get('evalue', '')[:150]}"
    except (CellTimeoutError, TimeoutError) as err:
        grade.error = f"stopped after {timeout} s (time limit): {str(err).splitlines()[0][:120]}"
    except DeadKernelError as err:
        grade.error = f"the kernel died: {str(err)[:150]}"
    except CellExecutionError as err:  # pragma: no cover - allow_errors=True should prevent it
        grade.error = f"execution error: {str(err)[:150]}"
    except Exception as err:  # noqa: BLE001 - grading the others must go on
        grade.error = f"could not run: {type(err).__name__}: {str(err)[:150]}"
    seen: dict[str, list[bool]] = {t: [] for t in tasks}
    for record in _records(nb):  # a task passes when every one of its checks ran and passed
        task = str(record.get("task"))
        if task in seen:
            seen[task].append(bool(record.get("passed")))
            if not record.get("passed") and not grade.first_hint:
                grade.first_hint = f"Task {task}: {record.get('message', '')}"
    expected = _checks_per_task(solution_checks) if solution_checks else {}
    for task, passes in seen.items():
        grade.results[task] = bool(passes) and all(passes) and len(passes) >= expected.get(task, 1)
    missing = [t for t in tasks if not grade.results[t]]
    if missing and not grade.first_hint:
        grade.first_hint = f"Task {missing[0]}: its check did not run"
    return grade


def grade_folder(folder: Path, solution: Path, out: Path, timeout: int) -> list[Grade]:
    tasks = task_ids(solution)
    calls = check_calls(solution)
    grades = []
    for path in sorted(p for p in folder.iterdir() if p.suffix == ".ipynb" and p.is_file()):
        grade = grade_one(path, tasks, timeout, calls)
        grades.append(grade)
        done = sum(grade.results.values())
        print(f"{done}/{len(tasks)}  {path.name}" + (f"  ({grade.error})" if grade.error else ""), flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *[f"task {t}" for t in tasks], "score", "first failing hint", "error"])
        for g in grades:
            score = sum(g.results.values())
            writer.writerow([g.submission, *[int(g.results[t]) for t in tasks], f"{score}/{len(tasks)}",
                             g.first_hint if score < len(tasks) else "", g.error])
    return grades


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Student notebooks and grading for the book's assignments.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_student = sub.add_parser("student", help="generate student notebooks from the solution notebooks")
    p_student.add_argument("solutions", nargs="*", type=Path, help="solution notebooks (default: all in assignments/)")
    p_student.add_argument("--out", type=Path, default=STUDENT_DIR, help=f"output folder (default: {STUDENT_DIR.relative_to(ROOT)})")
    p_grade = sub.add_parser("grade", help="grade a folder of submitted notebooks")
    p_grade.add_argument("folder", type=Path, help="folder with the submitted .ipynb files")
    p_grade.add_argument("--assignment", type=Path, required=True, help="the solution notebook of the assignment")
    p_grade.add_argument("--out", type=Path, default=None, help="CSV score sheet (default: FOLDER/scores.csv)")
    p_grade.add_argument("--timeout", type=int, default=300, help="seconds allowed per notebook (default 300)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    if args.command == "student":
        for path in write_students(args.solutions or solution_notebooks(), args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        return 0
    out = args.out or args.folder / "scores.csv"
    grade_folder(args.folder, args.assignment, out, args.timeout)
    print(f"score sheet: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
