"""The Colab path, reproduced offline as closely as it can be.

Colab gives a reader its own preinstalled TensorFlow (the standard build, not tensorflow-cpu) and
Keras, often older than the newest releases, and nothing of this book: the hidden first cell of
every chapter installs `lstm_helpers` from GitHub when `google.colab` is imported. This test
builds such a machine in a separate virtual environment:

- the standard `tensorflow` build and the *oldest* TensorFlow and Keras that requirements.txt
  allows (its lower bounds), plus what Colab preinstalls and the notebook runner;
- a stand-in `google.colab` module, so that the hidden install cell runs;
- that cell's `git+https://github.com/...` URL pointed at a local copy of this repository.

Every chapter must then run to the end with its asserted targets held (outputs are not
compared: other versions print other numbers). So the lower bounds in requirements.txt are
tested, not guessed. Building the environment needs the package registry; without it the test
skips and says why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from notebook_rules import ROOT, chapter_notebooks, repository_url
from packaging.requirements import Requirement

VENV = ROOT / "_build" / "colab-venv"
PY = VENV / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
#: preinstalled on Colab (and needed by the chapters or the notebook runner), at whatever version
#: the oldest TensorFlow and Keras allow
COLAB_PREINSTALLED = (
    "numpy",
    "matplotlib",
    "scikit-learn",
    "statsmodels",
    "pandas",
    "ipykernel",
    "nbclient",
    "nbformat",
)
NETWORK_ERROR = re.compile(
    r"(?i)(name resolution|resolve host|connection (refused|reset|error)|"
    r"network is unreachable|timed out|Max retries)"
)
RUNNER = r"""
import json, os, sys, time, types
import nbformat
from nbclient import NotebookClient
path, install_from = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
url_cell = nb.cells[[c.cell_type for c in nb.cells].index("code")]
url_cell.source = url_cell.source.replace(sys.argv[3], install_from)
stand_in = nbformat.v4.new_code_cell(
    "import sys, types\n"
    "sys.modules['google.colab'] = types.ModuleType('google.colab')  # the stand-in")
nb.cells.insert(0, stand_in)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": os.path.dirname(path)}}).execute()
printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                  for o in c.get("outputs", []) if o.get("output_type") == "stream")
print(json.dumps({"seconds": time.perf_counter() - start,
                  "versions": [l for l in printed.splitlines() if l.startswith("Versions:")]}))
"""


def oldest(name: str) -> str:
    """`name==X` for the lower bound X that requirements.txt gives `name` (or tensorflow-cpu)."""
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        if req.name in (name, f"{name}-cpu"):
            lower = [s.version for s in req.specifier if s.operator == ">="]
            assert lower, f"requirements.txt gives {req.name} no lower bound"
            return f"{name}=={lower[0]}"
    raise AssertionError(f"{name} is not in requirements.txt")


def wanted() -> list[str]:
    return [oldest("tensorflow"), oldest("keras"), *COLAB_PREINSTALLED]


def build_venv() -> None:
    stamp = VENV / ".installed"
    digest = hashlib.sha256(json.dumps([sys.version, wanted()]).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    result = subprocess.run(
        [str(PY), "-m", "pip", "install", "--quiet", *wanted()], capture_output=True, text=True, timeout=1800
    )
    if result.returncode:
        if NETWORK_ERROR.search(result.stderr):
            pytest.skip(f"the package registry cannot be reached to build the Colab stand-in: {result.stderr[-300:]}")
        raise AssertionError(f"the oldest allowed versions do not install together:\n{result.stderr[-3000:]}")
    stamp.write_text(digest)


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    build_venv()
    copy = tmp_path_factory.mktemp("repository-copy")
    for name in ("lstm_helpers", "pyproject.toml", "README.md", "LICENSE"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    return f"lstm-helpers @ {copy.as_uri()}"


CHAPTERS = chapter_notebooks()


def test_the_colab_versions_are_the_oldest_allowed():
    assert wanted()[:2] == [oldest("tensorflow"), oldest("keras")]
    assert not any(name.startswith("tensorflow-cpu") for name in wanted()), "Colab has the standard build"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_chapter_runs_on_colab_stand_in(colab, path):
    url = f"lstm-helpers @ git+{repository_url()}"
    assert url in path.read_text(encoding="utf-8"), "the hidden install cell must use repository.url"
    # a fresh notebook copy, so nothing the kernel writes lands in the repository
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    result = subprocess.run(
        [str(PY), "-c", RUNNER, str(path), colab, url],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=path.parent,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    tensorflow, keras = oldest("tensorflow").split("==")[1], oldest("keras").split("==")[1]
    assert report["versions"], "the set-up printed no versions line"
    line = report["versions"][0]
    assert f"Keras {keras}" in line and f"backend tensorflow {tensorflow}" in line, line
