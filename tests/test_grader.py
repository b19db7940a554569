"""The grader's parts, each on its own and fast: what it reads from a solution notebook, tampering
flags, the score sheet (row by row, resumable), the sandbox command and what it refuses to load.
The whole grader against hostile submissions: tests/test_grader_hostile.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tools import grader

A2 = grader.ASSIGNMENTS / "02_sequence_classification.ipynb"


def _notebook(tmp_path: Path, *sources: str, tags: dict[int, list[str]] | None = None) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    for index, names in (tags or {}).items():
        nb.cells[index].metadata["tags"] = names
    path = tmp_path / "solution.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_spec_comes_from_the_solution_notebook():
    spec = grader.read_spec(A2)
    assert spec.tasks == ["1", "2", "3"]
    assert spec.artifacts == ["x_train", "x_val", "model"]  # data.* comes from the grader's own set-up
    assert "load_basic_motions" in spec.setup and "hidden_x" in spec.hidden
    accuracy = [c for c in spec.checks if c.function == "check_accuracy"]
    assert grader._arguments(accuracy[0])[0][1:3] == ["hidden_x", "hidden_y"]


@pytest.mark.parametrize("solution", grader.solution_notebooks(), ids=lambda p: p.name)
def test_every_assignment_can_be_graded(solution):
    spec = grader.read_spec(solution)
    assert spec.artifacts and spec.checks
    assert not set(spec.artifacts) & grader._defined(grader.ast.parse(spec.setup))


def test_an_accuracy_check_needs_hidden_test_data(tmp_path):
    path = _notebook(
        tmp_path, "import lstm_helpers as lh", "lh.checks.check_accuracy('1', model, x_val, y_val, at_least=0.9)"
    )
    with pytest.raises(ValueError, match="tagged 'hidden-test' that sets hidden_x and hidden_y"):
        grader.read_spec(path)
    path = _notebook(
        tmp_path,
        "import lstm_helpers as lh",
        "hidden_x, hidden_y = 1, 2",
        "lh.checks.check_accuracy('1', model, x_val, y_val, at_least=0.9)",
        tags={1: ["hidden-test"]},
    )
    assert grader.read_spec(path).artifacts == ["model"]


def test_a_task_id_must_be_a_literal(tmp_path):
    path = _notebook(tmp_path, "lh.checks.check_value(task, x, 3)")
    with pytest.raises(ValueError, match="first argument must be the task id"):
        grader.read_spec(path)


def test_the_student_notebook_has_no_hidden_test_cell():
    student = grader.make_student(A2)
    assert not any("hidden_x" in c.source for c in student.cells)


def test_tampering_is_flagged():
    spec = grader.read_spec(A2)
    student = grader.make_student(A2)
    assert grader.tampering(student, spec) == ""
    removed = nbformat.from_dict(student)
    removed.cells = [c for c in removed.cells if "check_accuracy" not in c.source]
    assert grader.tampering(removed, spec) == "check cells removed or changed: task 3"
    changed = nbformat.from_dict(student)
    cell = next(c for c in changed.cells if "check_accuracy" in c.source)
    cell.source = cell.source.replace("0.85", "0.1")
    assert "task 3" in grader.tampering(changed, spec)
    reformatted = nbformat.from_dict(student)
    cell = next(c for c in reformatted.cells if "check_accuracy" in c.source)
    cell.source = cell.source.replace("(", "(  # a comment\n", 1) + "\n"
    assert grader.tampering(reformatted, spec) == "", "a check cell in another layout is the same check"
    patched = nbformat.from_dict(student)
    patched.cells.append(nbformat.v4.new_code_cell("lh.checks._result = lambda *a: True"))
    patched.cells.append(nbformat.v4.new_code_cell(f"display({{'{grader.MIME}': {{}}}}, raw=True)"))
    flags = set(grader.tampering(patched, spec).split("; "))
    assert flags == {"replaces lh.checks functions", "prints check records of its own"}


def test_a_check_call_is_not_a_monkeypatch():
    assert not grader.PATCH.search('lh.checks.check_value("3", n, 1152, name="n")')
    assert grader.PATCH.search("setattr(lh.checks, 'check_value', f)")
    assert grader.PATCH.search("import lstm_helpers.checks as checks\nchecks._result = f")


def _grade(name: str, sha: str = "", passed: bool = True) -> grader.Grade:
    return grader.Grade(name, {"1": passed, "2": False}, "Task 2: not yet", "", "", sha)


def test_the_sheet_is_written_row_by_row_and_resumes(tmp_path):
    sheet_path, sub = tmp_path / "scores.csv", tmp_path / "a.ipynb"
    sub.write_text("{}")
    sha = grader.hashlib.sha256(sub.read_bytes()).hexdigest()
    sheet = grader.Sheet(sheet_path, ["1", "2"], regrade=False)
    sheet.add(_grade("a.ipynb", sha))  # on disk at once, before any rewrite
    assert "a.ipynb,1,0,1/2,Task 2: not yet" in sheet_path.read_text()
    again = grader.Sheet(sheet_path, ["1", "2"], regrade=False)
    assert again.graded(sub)
    sub.write_text('{"changed": 1}')
    assert not again.graded(sub)
    assert not grader.Sheet(sheet_path, ["1", "2"], regrade=True).graded(sub)
    assert not grader.Sheet(sheet_path, ["1", "2", "3"], regrade=False).rows  # another assignment


def test_the_sandbox_command():
    box = grader.Box(
        {"/host/work": "/grading/work"},
        {"/host/out": "/grading/out"},
        [grader.ASSIGNMENTS],
        {grader.MARKER: "x"},
        "/grading/work",
    )
    command = box.bwrap(["python", "run.py"])
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in command
    private = command.index("/tmp")  # a private /tmp in memory, of limited size
    assert command[private - 3 : private] == ["--size", str(512 * grader.MB), "--tmpfs"]
    hidden = command.index(str(grader.ASSIGNMENTS))
    assert command[hidden - 1] == "--tmpfs"
    assert ["--bind", "/host/work", "/grading/work"] == command[command.index("/host/work") - 1 :][:3]
    assert ["--ro-bind", "/host/out", "/grading/out"] == command[command.index("/host/out") - 1 :][:3]
    assert command[-2:] == ["python", "run.py"]
    limits = grader.Limits(memory_mb=100).rlimits()
    assert limits["RLIMIT_AS"] == 100 * grader.MB and limits["RLIMIT_CORE"] == 0


def test_without_bwrap_the_grader_says_plainly_what_is_off(monkeypatch):
    monkeypatch.setattr(grader, "_BWRAP", ["bwrap not found (apt-get install bubblewrap)"])
    line = grader.protections(grader.Limits())
    assert "NO sandbox: bwrap not found" in line and "memory 6144 MB" in line
    assert "resource limits and a separate process group only" in line


@pytest.mark.skipif(grader.bwrap_problem() is not None, reason=f"no sandbox here: {grader.bwrap_problem()}")
def test_the_sandbox_allows_only_its_own_folder_and_no_network(tmp_path):
    (tmp_path / "work").mkdir()
    probe = (
        "import json, os, socket\nresult = {}\n"
        f"for path in ({str(grader.ROOT / 'probe.txt')!r}, {str(tmp_path / 'x.txt')!r}, "
        "'/grading/work/ok.txt'):\n"
        "    try:\n        open(path, 'w').write('x'); result[path] = 'written'\n"
        "    except OSError as err:\n        result[path] = type(err).__name__\n"
        "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=3); result['net'] = 'yes'\n"
        "except OSError as err:\n    result['net'] = str(err)\n"
        f"result['solutions'] = os.listdir({str(grader.ASSIGNMENTS)!r})\n"
        f"print({grader.REPORT!r} + json.dumps(result))"
    )
    box = grader.Box(
        {str(tmp_path / "work"): "/grading/work"},
        {},
        [grader.ASSIGNMENTS],
        grader._environment("probe", "/tmp"),
        "/grading/work",
    )
    report, problem = grader.run_boxed(box, [sys.executable, "-c", probe], tmp_path / "log", 60)
    assert problem == "" and report is not None, (tmp_path / "log").read_text()
    assert report[str(grader.ROOT / "probe.txt")] == "OSError"  # read-only file system
    assert report[str(tmp_path / "x.txt")] != "written" and not (tmp_path / "x.txt").exists()
    assert report["/grading/work/ok.txt"] == "written" and (tmp_path / "work" / "ok.txt").exists()
    assert "unreachable" in report["net"] and report["solutions"] == []


def test_hostile_files_are_loaded_as_data_only(tmp_path):
    import keras

    np.save(tmp_path / "pickled.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "code.literal").write_text("__import__('os').system('touch /tmp/pwned')")
    (tmp_path / "big.literal").write_text("[" + "1," * grader.MB + "]")
    (tmp_path / "ok.literal").write_text("[(5, 8, 32), {None: [1, 2]}]")
    (tmp_path / "bad.failed").write_text("TypeError: cannot pickle")
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Lambda(lambda x: x * 2)])
    model.save(tmp_path / "lambda.keras")
    names = ["pickled", "code", "big", "ok", "bad", "lambda", "none"]
    values, problems = grader._load_all(tmp_path, names)
    assert "allow_pickle=False" in problems["pickled"]
    assert problems["code"].startswith("ValueError") and "over 1 MB" in problems["big"]
    assert values["ok"] == [(5, 8, 32), {None: [1, 2]}] and values["none"] is None
    assert problems["bad"] == "TypeError: cannot pickle"
    assert "deserialization of a `Lambda` layer" in problems["lambda"] and values["lambda"] is None
    assert set(problems) == {"pickled", "code", "big", "bad", "lambda"}
    assert json.dumps(problems)  # every reason is plain text for the sheet


def test_every_check_is_on_the_teachers_page_and_every_held_out_check_exists():
    from lstm_helpers import checks

    page = (grader.ROOT / "teaching.md").read_text(encoding="utf-8")
    names = [n for n in checks.__all__ if n.startswith("check_")]
    assert [n for n in names if f"`{n}`" not in page] == [], "list it in teaching.md, 'Write your own assignment'"
    assert set(grader.HELD_OUT_CHECKS) <= set(names)
