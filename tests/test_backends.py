"""Every notebook on the other Keras backends: each cell runs, each asserted target holds.

The reference backend (TensorFlow) is tested by nbval, which compares every stored output. Here
each notebook under chapters/, assignments/ and reference/ is executed again from a fresh kernel
with ``KERAS_BACKEND`` set to each backend named in ``--backends`` (``python3 tasks.py test``
passes ``jax``; ``python3 tasks.py test --torch`` adds ``torch``). Outputs are not compared:
trained weights, and so the numbers, differ between backends. What must hold is what the
notebooks assert (every trained model's target) and that no cell fails, except the cells tagged
``raises-exception``, which show a mistake on purpose.

A notebook that cannot run on a backend for an honest reason is listed in ``SKIPS`` with that
reason, which the chapter also states in its prose. One chapter is listed: chapter 9 trains a
stateful LSTM with ``fit``, which carries the state between batches on TensorFlow only in the
pinned Keras (``test_stateful_fit_carries_the_state_on`` checks that this is still so, and
fails the day it changes, so that the skip can be dropped).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient
from notebook_rules import ROOT

from lstm_helpers.checks import MIME as CHECK_MIME

FOLDERS = ("chapters", "assignments", "reference")
NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for f in FOLDERS for p in (ROOT / f).glob("*.ipynb"))
#: backend -> the module that must be importable for it
BACKEND_MODULES = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}
#: (notebook, backend) -> why it cannot run there; the chapter says the same in its prose, and
#: test_stateful_fit_carries_the_state_on checks that the reason still holds
_STATEFUL = (
    "stateful training with fit() does not work on this backend in the pinned Keras (see the "
    "note at the top of the chapter; test_stateful_fit_carries_the_state_on checks it)"
)
SKIPS: dict[tuple[str, str], str] = {
    ("chapters/09_stateful_lstms.ipynb", "jax"): _STATEFUL,
    ("chapters/09_stateful_lstms.ipynb", "torch"): _STATEFUL,
}
#: what `fit` of a stateful LSTM does on each backend in the pinned Keras
STATEFUL_PROBE = """
import keras, numpy as np
from keras import layers
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input(batch_shape=(2, 3, 1)),
                          layers.LSTM(2, stateful=True, return_sequences=True), layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")  # no update: only the state moves
x = np.random.default_rng(0).standard_normal((4, 3, 1)).astype("float32")
lstm = model.layers[0]
lstm.reset_state()
try:
    model.fit(x, np.zeros((4, 3, 1), "float32"), batch_size=2, shuffle=False, verbose=0)
except RuntimeError as error:
    print("fit failed:", str(error).splitlines()[0])
    raise SystemExit
after_fit = keras.ops.convert_to_numpy(lstm.states[0])
lstm.reset_state()
model(x[:2])
model(x[2:])  # direct calls: the second batch starts from the first one's state
by_hand = keras.ops.convert_to_numpy(lstm.states[0])
print("carried" if np.allclose(after_fit, by_hand, atol=1e-6) else
      "zeros" if not after_fit.any() else "other")
"""
#: backend -> the probe's answer today (tensorflow: the state is carried, as it should be)
STATEFUL_TODAY = {"tensorflow": "carried", "jax": "zeros", "torch": "fit failed: one of the variables"}


def pytest_generate_tests(metafunc):
    if "notebook" not in metafunc.fixturenames:
        return
    wanted = [b.strip() for b in metafunc.config.getoption("--backends").split(",") if b.strip()]
    unknown = sorted(set(wanted) - set(BACKEND_MODULES))
    if unknown:
        raise pytest.UsageError(f"--backends: unknown backend(s) {unknown}; choose from {sorted(BACKEND_MODULES)}")
    params = [pytest.param(b, nb, id=f"{b}-{nb}") for b in wanted for nb in NOTEBOOKS]
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
    # an assignment's solution must pass every one of its checks here too, not only run
    records = [o["data"][CHECK_MIME] for c in nb.cells for o in c.get("outputs", []) if CHECK_MIME in o.get("data", {})]
    failed = [f"Task {r['task']}: {r['message']}" for r in records if not r["passed"]]
    assert not failed, f"checks that fail on {backend}:\n" + "\n".join(failed)


@pytest.mark.parametrize("backend", sorted(STATEFUL_TODAY))
def test_stateful_fit_carries_the_state_on(backend: str):
    """Chapter 9's note and its skips rest on this: if it fails, Keras changed; update both."""
    if importlib.util.find_spec(BACKEND_MODULES[backend]) is None:
        pytest.skip(f"{backend} is not installed (`python3 tasks.py test --torch` installs torch)")
    env = dict(os.environ, KERAS_BACKEND=backend)
    result = subprocess.run(
        [sys.executable, "-c", STATEFUL_PROBE], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answer = result.stdout.strip().splitlines()[-1]
    assert answer.startswith(STATEFUL_TODAY[backend]), (
        f"stateful fit on {backend} now gives {answer!r}, not {STATEFUL_TODAY[backend]!r}: update "
        "chapter 9's note, SKIPS and STATEFUL_TODAY"
    )
