"""pytest configuration for the whole suite (unit tests, hygiene checks, nbval notebook runs).

- TensorFlow's start-up notices are silenced before anything imports it, and the reference
  backend is fixed: nbval compares the stored outputs, which TensorFlow produced, so a reader's
  own ``KERAS_BACKEND`` must not leak into that comparison (the notebook kernels inherit this
  environment, as they do from tools/execute_notebooks.py).
- ``--backends=jax,torch`` re-runs every notebook on those backends too (tests/test_backends.py);
  ``python3 tasks.py test`` passes ``--backends=jax``.
- Under pytest-xdist (``--dist loadfile``, as tasks.py runs it) each test file, so each
  notebook, stays on one worker (its cells share one kernel).
- After the run, pytest prints how long each notebook took on each backend.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict

from lstm_helpers._env import QUIET_ENV

for _key, _value in QUIET_ENV.items():  # quiet TensorFlow, fixed hashing: the one definition
    os.environ.setdefault(_key, _value)
REFERENCE_BACKEND = "tensorflow"
os.environ["KERAS_BACKEND"] = REFERENCE_BACKEND

#: seconds per (notebook, backend), summed over its test items
_notebook_seconds: dict[tuple[str, str], float] = defaultdict(float)
_BACKEND_ITEM = re.compile(r"::test_notebook_runs_on\[(?P<backend>\w+)-(?P<path>[^\]]+)\]$")


def pytest_addoption(parser):
    parser.addoption(
        "--backends",
        default="",
        help="comma-separated Keras backends to re-run every notebook on, besides the "
        "reference backend (tensorflow): jax, torch",
    )


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[(path, REFERENCE_BACKEND)] += report.duration
    elif match := _BACKEND_ITEM.search(report.nodeid):
        _notebook_seconds[(match["path"], match["backend"])] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    backends = sorted({b for _, b in _notebook_seconds}, key=lambda b: (b != REFERENCE_BACKEND, b))
    paths = sorted({p for p, _ in _notebook_seconds})
    terminalreporter.section("notebook run times (seconds, summed over each notebook's tests)")
    terminalreporter.write_line(f"{'notebook':<48}" + "".join(f"{b:>12}" for b in backends))
    for path in paths:
        cells = [_notebook_seconds.get((path, b)) for b in backends]
        terminalreporter.write_line(
            f"{path:<48}" + "".join(f"{s:>12.1f}" if s is not None else f"{'-':>12}" for s in cells)
        )
    totals = [sum(s for (_, b), s in _notebook_seconds.items() if b == backend) for backend in backends]
    terminalreporter.write_line(f"{'all notebooks':<48}" + "".join(f"{t:>12.1f}" for t in totals))
