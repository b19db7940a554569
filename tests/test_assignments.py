"""Assignments: student notebooks leak no solution, run to the end with every check failing with a
hint, and the grader scores a folder of typical submissions correctly (a crash, an endless loop or a
corrupt file costs that submission only)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from notebook_rules import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import assignments as tool  # noqa: E402

MIME = tool.MIME
SOLUTIONS = tool.solution_notebooks()
IDS = [p.name for p in SOLUTIONS]


def test_there_are_assignments_for_the_core_chapters():
    names = {p.stem for p in SOLUTIONS}
    assert {"01_input_shapes", "02_sequence_classification", "03_stacked_lstms", "04_bidirectional_lstms"} <= names


def test_strip_solution_keeps_stubs_and_everything_else():
    source = "a = 1\n#> model = None  # build it\n### BEGIN SOLUTION\nmodel = 42\n### END SOLUTION\nprint(model)"
    assert tool.strip_solution(source) == "a = 1\nmodel = None  # build it\nprint(model)"
    with pytest.raises(ValueError, match="without"):
        tool.strip_solution("### BEGIN SOLUTION\nx = 1")
    with pytest.raises(ValueError, match="without"):
        tool.strip_solution("x = 1\n### END SOLUTION")


@pytest.mark.parametrize("solution", SOLUTIONS, ids=IDS)
def test_every_task_has_a_solution_and_a_check(solution):
    nb = nbformat.read(solution, as_version=4)
    assert tool.solution_lines(nb), "no ### BEGIN SOLUTION block"
    assert tool.task_ids(solution)
    for cell in nb.cells:
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
            assert "#> " in cell.source, "each solution block needs a stub (#> lines) that says what to write"


@pytest.fixture(scope="module")
def students(tmp_path_factory):
    out = tmp_path_factory.mktemp("students")
    return tool.write_students(SOLUTIONS, out)


@pytest.mark.parametrize("index", range(len(SOLUTIONS)), ids=IDS)
def test_student_notebook_has_no_solution_code_and_no_outputs(students, index):
    solution = nbformat.read(SOLUTIONS[index], as_version=4)
    student = nbformat.read(students[index], as_version=4)
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    student_lines = {line.strip() for line in code.splitlines()}
    for line in tool.solution_lines(solution):
        if len(line) > 3:  # lines such as ")" or "])" are not solution code of their own
            assert line not in student_lines, f"solution line leaked into the student notebook: {line!r}"
    assert "### BEGIN SOLUTION" not in code and "#> " not in code
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    assert [c.source for c in student.cells if c.cell_type == "markdown"] == \
           [c.source for c in solution.cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("index", range(len(SOLUTIONS)), ids=IDS)
def test_student_notebook_runs_and_every_check_fails_with_a_hint(students, index):
    path = students[index]
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    records = [o["data"][MIME] for c in nb.cells for o in c.get("outputs", []) if MIME in o.get("data", {})]
    assert len(records) == len(tool.check_calls(SOLUTIONS[index]))
    for record in records:
        assert record["passed"] is False
        assert len(record["message"]) > 20, record


def _write_variant(solution: nbformat.NotebookNode, path: Path, edit) -> None:
    nb = nbformat.from_dict(solution)
    edit(nb)
    nbformat.write(nb, path)


def _task_cell(nb, marker: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and marker in c.source)


def test_grader_scores_a_folder_of_typical_submissions(tmp_path):
    solution_path = ASSIGNMENT = ROOT / "assignments" / "01_input_shapes.ipynb"
    solution = nbformat.read(solution_path, as_version=4)
    folder = tmp_path / "submissions"
    folder.mkdir()
    _write_variant(solution, folder / "a_correct.ipynb", lambda nb: None)

    def partly(nb):  # task 3 left as the stub
        i = _task_cell(nb, "lstm_parameters =")
        nb.cells[i].source = tool.strip_solution(nb.cells[i].source)
    _write_variant(solution, folder / "b_partly.ipynb", partly)
    nbformat.write(tool.make_student(solution_path), folder / "c_untouched.ipynb")

    def raises(nb):  # a typo in task 4: the model is never built, its check cannot run
        i = _task_cell(nb, "per_step = keras.Sequential")
        nb.cells[i].source = nb.cells[i].source.replace("layers.LSTM(16, return_sequences=True)", "layers.LSTMM(16)")
    _write_variant(solution, folder / "d_raises.ipynb", raises)

    def endless(nb):  # task 3 never finishes
        i = _task_cell(nb, "lstm_parameters =")
        nb.cells[i].source = "while True:\n    pass"
    _write_variant(solution, folder / "e_endless.ipynb", endless)
    (folder / "f_corrupt.ipynb").write_text('{"cells": [ this is not json')

    sheet = ROOT / "_build" / "grading-example" / "scores.csv"  # kept: the teachers' page shows it
    tool.grade_folder(folder, ASSIGNMENT, sheet, timeout=40)
    rows = {r["submission"]: r for r in csv.DictReader(sheet.open())}
    tasks = [f"task {t}" for t in ("1", "2", "3", "4", "5")]

    def marks(name):
        return [int(rows[name][t]) for t in tasks]

    assert marks("a_correct.ipynb") == [1, 1, 1, 1, 1] and rows["a_correct.ipynb"]["score"] == "5/5"
    assert rows["a_correct.ipynb"]["first failing hint"] == "" and rows["a_correct.ipynb"]["error"] == ""
    assert marks("b_partly.ipynb") == [1, 1, 0, 1, 1]
    assert rows["b_partly.ipynb"]["first failing hint"].startswith("Task 3: lstm_parameters is not set yet")
    assert marks("c_untouched.ipynb") == [0, 0, 0, 0, 0] and rows["c_untouched.ipynb"]["score"] == "0/5"
    assert rows["c_untouched.ipynb"]["first failing hint"].startswith("Task 1: x is not set yet")
    assert marks("d_raises.ipynb") == [1, 1, 1, 0, 1]
    assert "raised AttributeError" in rows["d_raises.ipynb"]["error"]
    assert rows["d_raises.ipynb"]["first failing hint"] == "Task 4: its check did not run"
    assert marks("e_endless.ipynb")[:2] == [1, 1] and marks("e_endless.ipynb")[2] == 0
    assert "time limit" in rows["e_endless.ipynb"]["error"]
    assert marks("f_corrupt.ipynb") == [0, 0, 0, 0, 0]
    assert "not a valid notebook" in rows["f_corrupt.ipynb"]["error"]
