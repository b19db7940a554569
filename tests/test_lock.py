"""The pinned environment: the lock matches the dependency list, installs use it, it resolves to
wheels on every platform and Python version the README promises, and the book names its versions.

`requirements.txt` is the human-edited list; `requirements.lock` is generated from it by
`python3 tasks.py lock` (uv's universal resolution). The platform test asks the package registry
(through uv) whether every pinned package has a wheel for each platform and Python version; where
the registry cannot be reached, that one test skips and says so.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import tomllib

import pytest
from notebook_rules import ROOT
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import tasks

LOCK = ROOT / "requirements.lock"
#: uv's names for the platforms the README promises (Linux x86-64 and ARM, macOS on Apple Silicon,
#: Windows); the Python versions are tasks.SUPPORTED_PYTHONS
PLATFORMS = ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin", "x86_64-pc-windows-msvc")
PYTHONS = [f"{major}.{minor}" for major, minor in tasks.SUPPORTED_PYTHONS]
UV = shutil.which("uv", path=str(tasks.BIN)) or shutil.which("uv")


def requirements(path) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def pins() -> list[Requirement]:
    found = requirements(LOCK)
    assert all(len(r.specifier) == 1 and next(iter(r.specifier)).operator == "==" for r in found), (
        "every line of requirements.lock must pin one exact version"
    )
    return found


def pins_here() -> dict[str, str]:
    """The lock's version of each package for this interpreter and platform."""
    here = default_environment()
    return {
        canonicalize_name(r.name): next(iter(r.specifier)).version
        for r in pins()
        if r.marker is None or r.marker.evaluate(here)
    }


def test_lock_was_generated_by_the_documented_command():
    header = LOCK.read_text(encoding="utf-8").splitlines()[:3]
    assert any("python3 tasks.py lock" in line for line in header), header


def test_every_listed_requirement_is_pinned_in_the_lock_within_its_range():
    locked: dict[str, list[Requirement]] = {}
    for pin in pins():
        locked.setdefault(canonicalize_name(pin.name), []).append(pin)
    for wanted in requirements(ROOT / "requirements.txt"):
        name = canonicalize_name(wanted.name)
        assert name in locked, f"{wanted.name} is in requirements.txt but not in the lock: run `python3 tasks.py lock`"
        for pin in locked[name]:
            version = next(iter(pin.specifier)).version
            assert wanted.specifier.contains(version, prereleases=True), (
                f"the lock pins {pin.name}=={version}, outside requirements.txt's {wanted}: run `python3 tasks.py lock`"
            )


def test_the_environment_is_installed_from_the_lock():
    """Every package the lock pins for this platform is installed at exactly that version."""
    wrong = {}
    for name, version in pins_here().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"(locked, installed) differ: {wrong}; run `python3 tasks.py install`"


def test_supported_pythons_agree_everywhere():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lowest, highest = tasks.SUPPORTED_PYTHONS[0], tasks.SUPPORTED_PYTHONS[-1]
    assert project["requires-python"] == f">={lowest[0]}.{lowest[1]},<{highest[0]}.{highest[1] + 1}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {', '.join(PYTHONS[:-1])} or {PYTHONS[-1]}" in readme, "the README must name the supported versions"


def test_an_unsupported_python_or_machine_is_refused_with_what_works():
    reason = tasks.unsupported_reason((3, 14), "linux", "x86_64")
    assert reason and "Python 3.14" in reason and all(v in reason for v in PYTHONS)
    assert "python3.12 tasks.py test" in reason
    assert "Python 3.10" in tasks.unsupported_reason((3, 10), "win32", "AMD64")
    assert "Intel Mac" in tasks.unsupported_reason((3, 12), "darwin", "x86_64")
    for python in tasks.SUPPORTED_PYTHONS:
        for system, machine in (("linux", "x86_64"), ("linux", "aarch64"), ("darwin", "arm64"), ("win32", "AMD64")):
            assert tasks.unsupported_reason(python, system, machine) is None


def test_the_versions_line_of_every_notebook_matches_the_lock():
    """The book says which versions produced its outputs, and the line is true."""
    locked = pins_here()
    stored = []
    for folder in ("chapters", "assignments", "reference"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            text = "".join(
                "".join(o.get("text", ""))
                for c in nb["cells"]
                if c["cell_type"] == "code"
                for o in c.get("outputs", [])
            )
            found = re.findall(r"Versions: Keras (\S+), backend tensorflow (\S+), Python \S+, NumPy (\S+)", text)
            assert found, f"{path.name}: its set-up prints no `lh.versions()` line on the reference backend"
            stored.append(found[0])
    keras, tensorflow, numpy = stored[0]
    assert set(stored) == {stored[0]}, "the notebooks were executed with different versions"
    assert keras == locked["keras"]
    assert tensorflow == locked.get("tensorflow-cpu", locked.get("tensorflow"))
    assert numpy == locked["numpy"]
    intro = (ROOT / "intro.md").read_text(encoding="utf-8")
    assert f"Keras {keras}, backend tensorflow {tensorflow}" in intro, "the front page names other versions"


def _resolve(platform: str, python: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            UV,
            "pip",
            "compile",
            str(LOCK),
            "--no-deps",
            "--only-binary",
            ":all:",
            "--python-platform",
            platform,
            "--python-version",
            python,
            "--no-header",
            "--no-annotate",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def registry():
    if UV is None:
        pytest.skip("uv is not installed: run `python3 tasks.py install`")
    probe = _resolve(PLATFORMS[0], PYTHONS[0])
    if probe.returncode and re.search(r"(?i)(dns|connect|network|timed out|offline|fetch)", probe.stderr):
        pytest.skip(f"the package registry cannot be reached, so wheels cannot be checked: {probe.stderr[:300]}")
    return probe


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_lock_resolves_to_wheels(registry, platform, python):
    result = _resolve(platform, python)
    assert result.returncode == 0, f"no wheels for {platform}, Python {python}:\n{result.stderr[-2000:]}"
    names = {canonicalize_name(line.split("==")[0]) for line in result.stdout.splitlines() if "==" in line}
    assert {"keras", "jax", "jaxlib", "numpy"} <= names
    assert names & {"tensorflow", "tensorflow-cpu"}, "no TensorFlow build for this platform"


def test_the_wheel_check_can_fail(registry):
    """The check is not vacuous: TensorFlow publishes nothing for Python 3.14 or Intel Macs."""
    assert _resolve(PLATFORMS[0], "3.14").returncode != 0
    assert _resolve("x86_64-apple-darwin", PYTHONS[0]).returncode != 0
