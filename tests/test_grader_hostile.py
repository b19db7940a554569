"""The grader under attack: a folder of hostile submissions of assignment 2 (tests/submissions/),
graded once beside an untouched student notebook, a correct one and typical mistakes.

For every attack: the attacker gets no point it did not earn, the untouched notebook gets 0, the
correct one full marks, the project's files are unchanged, no process outlives the grading, and
the sheet is complete. The sheet is kept in _build/grading-example/ and must match the table on
the teachers' page (teaching.md).
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from notebook_rules import ROOT

from tools import grader

ASSIGNMENT = grader.ASSIGNMENTS / "02_sequence_classification.ipynb"
HOSTILE = Path(__file__).parent / "submissions"
ATTACKS = sorted(p.stem for p in HOSTILE.glob("*.py"))
EXAMPLE = ROOT / "_build" / "grading-example"
TIMEOUT = 60
WATCHED = ("lstm_helpers", "assignments", "tests/submissions")  # what the attacks write to
LEFTOVER = "987654"  # the sleep of children_left.py

pytestmark = pytest.mark.skipif(grader.bwrap_problem() is not None, reason=f"no sandbox here: {grader.bwrap_problem()}")


def _files_hash() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for top in WATCHED
        for p in sorted((ROOT / top).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _survivors() -> list[str]:
    """Processes that carry the grader's marker or run the attack's sleep."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = (entry / "environ").read_bytes()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f"{grader.MARKER}=".encode() in environ or LEFTOVER in cmdline:
            found.append(f"{entry.name}: {cmdline[:120]}")
    return found


def _cell(nb, text: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source)


def _solution() -> nbformat.NotebookNode:
    nb = nbformat.read(ASSIGNMENT, as_version=4)
    nb.cells = [c for c in nb.cells if grader.HIDDEN_TAG not in grader._tags(c)]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def _attack(name: str, folder: Path, sheet: Path) -> nbformat.NotebookNode:
    code = (HOSTILE / f"{name}.py").read_text()
    for key, value in {"{SUBMISSIONS}": folder, "{SHEET}": sheet, "{ROOT}": ROOT}.items():
        code = code.replace(key, str(value))
    nb = grader.make_student(ASSIGNMENT)
    if code.startswith("# remove check cells"):
        nb.cells = [c for c in nb.cells if "lh.checks." not in c.source]
    nb.cells.insert(_cell(nb, "import lstm_helpers") + 1, nbformat.v4.new_code_cell(code))
    return nb


def _typical(folder: Path) -> None:
    """A task left undone, a typo, an endless loop and a file that is not a notebook."""
    partly, raises, endless = _solution(), _solution(), _solution()
    i = _cell(partly, "model.fit(")
    partly.cells[i].source = grader.strip_solution(partly.cells[i].source)
    i = _cell(raises, "layers.LSTM(32)")
    raises.cells[i].source = raises.cells[i].source.replace("layers.LSTM(32)", "layers.LSTMM(32)")
    endless.cells[_cell(endless, "model.fit(")].source = "while True:\n    pass"
    for name, nb in (("typical_partly", partly), ("typical_raises", raises), ("typical_endless", endless)):
        nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / "typical_corrupt.ipynb").write_text('{"cells": [ this is not json')


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "submissions"
    folder.mkdir()
    sheet = folder / "scores.csv"  # where the grader writes it by default, a target of attacks
    nbformat.write(_solution(), folder / "correct.ipynb")
    nbformat.write(grader.make_student(ASSIGNMENT), folder / "untouched.ipynb")
    for name in ATTACKS:
        nbformat.write(_attack(name, folder, sheet), folder / f"{name}.ipynb")
    _typical(folder)
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    before = _files_hash()
    command = [
        sys.executable,
        str(ROOT / "tools" / "grader.py"),
        "grade",
        str(folder),
        "--assignment",
        str(ASSIGNMENT),
        "--jobs",
        "2",
        "--timeout",
        str(TIMEOUT),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1200, start_new_session=True)
    EXAMPLE.mkdir(parents=True, exist_ok=True)
    shutil.copy(sheet, EXAMPLE / "scores.csv")
    rows = {r["submission"]: r for r in csv.DictReader(sheet.open())}
    return {
        "run": run,
        "rows": rows,
        "names": names,
        "folder": folder,
        "before": before,
        "after": _files_hash(),
        "survivors": _survivors(),
        "command": command,
    }


def test_the_grader_finishes_and_says_which_protections_are_on(graded):
    run = graded["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "protections: bubblewrap sandbox (no network" in run.stdout
    progress = [line for line in run.stdout.splitlines() if line.startswith("[")]
    assert len(progress) == len(graded["names"]), run.stdout


def test_the_sheet_is_complete_and_no_submission_was_deleted(graded):
    assert sorted(graded["rows"]) == graded["names"]
    assert sorted(p.name for p in graded["folder"].glob("*.ipynb")) == graded["names"]


def test_the_project_is_unchanged(graded):
    changed = sorted(
        k for k in {**graded["before"], **graded["after"]} if graded["before"].get(k) != graded["after"].get(k)
    )
    assert not changed, f"grading changed the project's files: {changed}"


def test_no_process_outlives_the_grading(graded):
    assert not graded["survivors"], graded["survivors"]


def test_correct_gets_full_marks_and_untouched_none(graded):
    rows = graded["rows"]
    assert rows["correct.ipynb"]["score"] == "3/3", rows["correct.ipynb"]
    assert rows["correct.ipynb"]["flags"] == rows["correct.ipynb"]["error"] == ""
    assert rows["untouched.ipynb"]["score"] == "0/3", rows["untouched.ipynb"]
    assert rows["untouched.ipynb"]["first failing hint"].startswith("Task 1: x_train is not set yet")


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_earns_nothing(graded, attack):
    row = graded["rows"][f"{attack}.ipynb"]
    assert row["score"] == "0/3", row
    assert row["first failing hint"].startswith("Task 1: x_train is not set yet"), row


EXPECTED = {  # what the sheet says about each attack: a flag or the reason in the error column
    "checks_deleted": ("flags", "check cells removed or changed: task 1, 2, 3; prints check records"),
    "checks_monkeypatched": ("flags", "replaces lh.checks functions"),
    "forged_output": ("flags", "prints check records of its own"),
    "helpers_edited": ("error", "raised OSError: [Errno 30] Read-only file system"),
    "kill_parent": ("error", "the notebook did not finish"),
    "memory_hog": ("error", "raised MemoryError"),
    "network_call": ("error", "Network is unreachable"),
}


@pytest.mark.parametrize("attack", sorted(EXPECTED))
def test_the_sheet_shows_the_attack(graded, attack):
    column, text = EXPECTED[attack]
    assert text in graded["rows"][f"{attack}.ipynb"][column], graded["rows"][f"{attack}.ipynb"]


def test_typical_mistakes_cost_only_their_own_tasks(graded):
    rows = graded["rows"]

    def marks(name):
        return [int(rows[f"typical_{name}.ipynb"][f"task {t}"]) for t in ("1", "2", "3")]

    assert marks("partly") == [1, 1, 0]
    assert "accuracy is below 85%" in rows["typical_partly.ipynb"]["first failing hint"]
    assert marks("raises") == [1, 0, 0]
    assert "raised AttributeError" in rows["typical_raises.ipynb"]["error"]
    assert rows["typical_raises.ipynb"]["first failing hint"].startswith("Task 2: model is not set")
    assert marks("endless") == [1, 1, 0]
    assert f"stopped after {TIMEOUT} s (time limit)" in rows["typical_endless.ipynb"]["error"]
    assert marks("corrupt") == [0, 0, 0]
    assert "not a valid notebook" in rows["typical_corrupt.ipynb"]["error"]


def test_a_second_run_resumes_and_regrades_only_a_changed_file(graded):
    folder = graded["folder"]
    (folder / "typical_corrupt.ipynb").write_text('{"cells": [ still not json')
    run = subprocess.run(graded["command"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"1 to grade, {len(graded['names']) - 1} already in" in run.stdout, run.stdout
    rows = {r["submission"]: r for r in csv.DictReader((folder / "scores.csv").open())}
    assert sorted(rows) == graded["names"] and rows["correct.ipynb"]["score"] == "3/3"


def _table(rows: list[dict]) -> str:
    columns = [c for c in rows[0] if c != "sha256"]

    def cell(text: str) -> str:
        # the page shows no path of the machine the test ran on
        text = re.sub(r"\s+", " ", text.replace(str(ROOT), "REPOSITORY")).replace("|", "\\|")
        return text if len(text) <= 90 else text[:87] + "..."

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    return "\n".join([*lines, *("| " + " | ".join(cell(r[c]) for c in columns) + " |" for r in rows)])


def test_the_teachers_page_shows_this_sheet(graded):
    table = _table([graded["rows"][n] for n in graded["names"]])
    (EXAMPLE / "scores.md").write_text(table + "\n")
    page = (ROOT / "teaching.md").read_text()
    shown = page.split("<!-- grading-example -->")[1] if "<!-- grading-example -->" in page else ""
    assert table in shown, (
        f"the table in teaching.md differs from the sheet this test produced: replace it with {EXAMPLE / 'scores.md'}"
    )
