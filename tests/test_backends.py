"""Every notebook on the other Keras backends: each cell runs, each asserted target holds.

The reference backend (TensorFlow) is tested by nbval, which compares every stored output. Here
each notebook under chapters/, assignments/ and reference/ is executed again from a fresh kernel
with ``KERAS_BACKEND`` set to each backend named in ``--backends`` (``python3 tasks.py test``
passes ``jax``; ``python3 tasks.py test --torch`` adds ``torch``). Outputs are not compared:
trained weights, and so the numbers, differ between backends. What must hold is what the
notebooks assert (every trained model's target) and that no cell fails, except the cells tagged
``raises-exception``, which show a mistake on purpose.

A notebook that cannot run on a backend for an honest reason is listed in ``SKIPS`` with that
reason, which the chapter also states in its prose. The list is empty: every notebook runs on
every backend.
"""

from __future__ import annotations

import importlib.util
import os

import nbformat
import pytest
from nbclient import NotebookClient
from notebook_rules import ROOT

FOLDERS = ("chapters", "assignments", "reference")
NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for f in FOLDERS for p in (ROOT / f).glob("*.ipynb"))
#: backend -> the module that must be importable for it
BACKEND_MODULES = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}
#: (notebook, backend) -> why it cannot run there; the chapter says the same in its prose
SKIPS: dict[tuple[str, str], str] = {}


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    wanted = [b.strip() for b in metafunc.config.getoption("--backends").split(",") if b.strip()]
    unknown = sorted(set(wanted) - set(BACKEND_MODULES))
    if unknown:
        raise pytest.UsageError(f"--backends: unknown backend(s) {unknown}; choose from {sorted(BACKEND_MODULES)}")
    params = [
        pytest.param(b, nb, marks=pytest.mark.xdist_group(name=f"{b}:{nb}"), id=f"{b}-{nb}")
        for b in wanted
        for nb in NOTEBOOKS
    ]
    metafunc.parametrize(("backend", "notebook"), params)


def test_notebooks_are_found():
    assert len(NOTEBOOKS) >= 10, NOTEBOOKS


def test_notebook_runs_on(backend: str, notebook: str):
    if (notebook, backend) in SKIPS:
        pytest.skip(SKIPS[(notebook, backend)])
    if importlib.util.find_spec(BACKEND_MODULES[backend]) is None:
        pytest.fail(
            f"the {backend} backend is not installed in this environment; "
            f"`python3 tasks.py test{' --torch' if backend == 'torch' else ''}` installs it"
        )
    path = ROOT / notebook
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, KERAS_BACKEND=backend)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    # cells tagged raises-exception may raise (nbclient allows it); any other error fails here
    client.execute(env=env)
    printed = "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    if "Versions:" in printed:
        assert f"backend {backend} " in printed, "the kernel did not run on the requested backend"
