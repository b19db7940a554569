"""The nbval set-up really guards the stored outputs: a changed shape fails, a correct one passes.

Runs nbval with the project's own pytest options (from pyproject.toml) on a tiny notebook, so
it checks the configuration itself without re-running a chapter.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from notebook_rules import ROOT


def _notebook(stored: str, tags=()) -> nbformat.NotebookNode:
    cell = new_code_cell(
        "print((32, 10, 1))",
        execution_count=1,
        metadata={"tags": list(tags)},
        outputs=[new_output("stream", name="stdout", text=stored)],
    )
    nb = new_notebook(
        cells=[cell], metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    return nb


def _nbval(tmp_path, nb) -> subprocess.CompletedProcess:
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    # cwd=ROOT so pytest reads the project's pyproject.toml (the --nbval options) as the suite does
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(path),
            "-q",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            "-p",
            "no:randomly",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("stored, passes", [("(32, 10, 1)\n", True), ("(32, 10, 2)\n", False)])
def test_nbval_compares_stored_outputs(tmp_path, stored, passes):
    result = _nbval(tmp_path, _notebook(stored))
    assert (result.returncode == 0) == passes, result.stdout[-2000:]


def test_ignore_output_tag_is_the_only_way_out(tmp_path):
    result = _nbval(tmp_path, _notebook("anything\n", tags=["nbval-ignore-output"]))
    assert result.returncode == 0, result.stdout[-2000:]
