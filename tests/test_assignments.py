"""Assignments: student notebooks leak no solution (nor the grader's hidden test data), and run to
the end with every check failing with a hint. The grader itself: tests/test_grader*.py."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tools import grader as tool

MIME = tool.MIME
SOLUTIONS = tool.solution_notebooks()
IDS = [p.name for p in SOLUTIONS]


def _stubs(source: str) -> list[str]:
    return [line for line in source.splitlines() if tool.STUB.match(line.lstrip())]


def test_every_chapter_has_an_assignment():
    """Assignment NN goes with chapter NN (the file names start with the same number)."""
    chapters = {p.name[:2] for p in tool.ROOT.joinpath("chapters").glob("*.ipynb")}
    assert len(chapters) >= 13
    missing = sorted(chapters - {p.name[:2] for p in SOLUTIONS})
    assert not missing, f"chapters without an assignment: {missing}"


@pytest.mark.parametrize("marker", ["# > ", "#> "], ids=["ruff-formatted", "compact"])
def test_strip_solution_keeps_stubs_and_everything_else(marker):
    source = f"a = 1\n{marker}model = None  # build it\n### BEGIN SOLUTION\nmodel = 42\n### END SOLUTION\nprint(model)"
    assert tool.strip_solution(source) == "a = 1\nmodel = None  # build it\nprint(model)"
    indented = f"if a:\n    {marker}b = None\n    ### BEGIN SOLUTION\n    b = 2\n    ### END SOLUTION"
    assert tool.strip_solution(indented) == "if a:\n    b = None"
    assert tool.strip_solution("# >= 2 is a comment, #>= too") == "# >= 2 is a comment, #>= too"
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
            assert _stubs(cell.source), "each solution block needs a stub (# > lines) that says what to write"


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
    assert "### BEGIN SOLUTION" not in code and not _stubs(code)
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    assert "hidden_x" not in code and all(tool.HIDDEN_TAG not in tool._tags(c) for c in student.cells)
    assert [c.source for c in student.cells if c.cell_type == "markdown"] == [
        c.source for c in solution.cells if c.cell_type == "markdown"
    ]


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
