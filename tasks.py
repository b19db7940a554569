#!/usr/bin/env python3
"""The project's commands. Needs only Python 3.11+ (no make, no other tool).

    python3 tasks.py book      # set up .venv if needed, build the HTML book into _build/html
    python3 tasks.py test      # set up .venv if needed, run the whole test suite
    python3 tasks.py execute   # re-execute every notebook in place (the only way outputs change)
    python3 tasks.py student   # generate the student notebooks of the assignments (_build/student-notebooks)
    python3 tasks.py grade DIR --assignment assignments/NAME.ipynb   # grade submissions, write DIR/scores.csv
    python3 tasks.py book --student   # the student edition of the book, solutions removed (_build/student)
    python3 tasks.py install   # only create/update .venv from requirements.lock
    python3 tasks.py lint      # the lint and type gate: ruff check, ruff format --check, mypy
    python3 tasks.py lock      # regenerate requirements.lock from requirements.txt (needs PyPI)
    python3 tasks.py clean     # remove _build and caches (keeps .venv)

`test` runs `lint` first, then every notebook on the reference backend (TensorFlow; stored outputs compared) and
again on JAX (every cell must run, every assert hold). `test --torch` adds the PyTorch backend
(installs torch from requirements-torch.txt first; a large download). Other arguments after
the command go to the tool: `python3 tasks.py test -k shapes`,
`python3 tasks.py execute chapters/01_input_shape.ipynb`.

Supported: Python 3.11, 3.12 and 3.13 on Linux (x86-64, ARM), macOS on Apple Silicon and
Windows: the platforms for which TensorFlow and JAX publish wheels (tests/test_lock.py checks
the lock resolves to wheels on each).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
TORCH_STAMP = VENV / ".installed-torch"
LOCK = "requirements.lock"
#: what decides whether .venv is current: the lock, the package's own metadata, the interpreter
INPUTS = (LOCK, "pyproject.toml")
#: jupyter-book flags shared by `book` and the book test: warnings are errors, all reported at once.
BOOK_FLAGS = ("--warningiserror", "--nitpick", "--keep-going")
#: the Python versions the lock is resolved and checked for (keep in step with pyproject.toml)
SUPPORTED_PYTHONS = ((3, 11), (3, 12), (3, 13))
#: the backends that `test` re-runs every notebook on, besides the reference backend
TEST_BACKENDS = ("jax",)
#: Debian packages the tests use: the browser test's Chromium, the grader's sandbox
SYSTEM_PACKAGES = {"chromium": "chromium", "chromedriver": "chromium-driver", "bwrap": "bubblewrap"}


def say(text: str) -> None:
    print(f"[tasks] {text}", flush=True)


def run(*cmd: str | Path, env: dict | None = None) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def _inputs_hash(*names: str) -> str:
    digest = hashlib.sha256(f"{sys.version} {platform.machine()} {sys.platform}".encode())
    for name in names:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def unsupported_reason(
    version: tuple[int, int] | None = None, system: str | None = None, machine: str | None = None
) -> str | None:
    """Why this interpreter or machine cannot run the book, or None if it can."""
    version = version or (sys.version_info.major, sys.version_info.minor)
    system, machine = system or sys.platform, machine or platform.machine()
    versions = ", ".join(f"{major}.{minor}" for major, minor in SUPPORTED_PYTHONS)
    if tuple(version) not in SUPPORTED_PYTHONS:
        return (
            f"this is Python {version[0]}.{version[1]}, but the book needs Python {versions}: "
            "TensorFlow publishes no wheels for other versions. Install one (python.org, your "
            "package manager, pyenv, or `uv python install 3.12`) and run the command with it, "
            "e.g. `python3.12 tasks.py test`."
        )
    if system == "darwin" and machine == "x86_64":
        return (
            "this is an Intel Mac: TensorFlow and JAX publish no wheels for it at the versions "
            "the book uses. Use Colab (the rocket button on every page), Linux or Windows, or a "
            "Mac with Apple Silicon."
        )
    return None


def pip(*args: str) -> None:
    subprocess.check_call([str(PY), "-m", "pip", *args], cwd=ROOT)


def install() -> None:
    """Create .venv with this Python and install requirements.lock, unless it is already current.

    The lock pins every package (dependencies included, with platform markers), so it is
    installed with --no-deps: nothing outside it can slip in. `pip check` then proves the set is
    consistent on this platform.
    """
    reason = unsupported_reason()
    if reason:
        sys.exit(f"[tasks] cannot set up the book here: {reason}")
    wanted = _inputs_hash(*INPUTS)
    if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == wanted and PY.exists():
        return
    if not PY.exists():
        say(f"creating the virtual environment {VENV.relative_to(ROOT)}")
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    say(f"installing {LOCK} into .venv (a few minutes the first time)")
    pip("install", "--quiet", "--upgrade", "pip")
    pip("install", "--quiet", "--no-deps", "-r", LOCK)
    pip("install", "--quiet", "--no-deps", "-e", ".")
    pip("check")
    STAMP.write_text(wanted + "\n", encoding="utf-8")
    TORCH_STAMP.unlink(missing_ok=True)


def install_torch() -> None:
    """The optional PyTorch backend, on top of the lock (which constrains every shared package)."""
    wanted = _inputs_hash(LOCK, "requirements-torch.txt")
    if TORCH_STAMP.exists() and TORCH_STAMP.read_text(encoding="utf-8").strip() == wanted:
        return
    say("installing requirements-torch.txt into .venv (PyTorch: a large download)")
    pip("install", "--quiet", "-r", "requirements-torch.txt", "-c", LOCK)
    TORCH_STAMP.write_text(wanted + "\n", encoding="utf-8")


def lock(args: list[str]) -> int:
    """Regenerate requirements.lock from requirements.txt with uv's universal resolution."""
    install()
    lowest = SUPPORTED_PYTHONS[0]
    return run(
        PY,
        "-m",
        "uv",
        "pip",
        "compile",
        "requirements.txt",
        "--universal",
        "--python-version",
        f"{lowest[0]}.{lowest[1]}",
        "--custom-compile-command",
        "python3 tasks.py lock",
        "--output-file",
        LOCK,
        "--quiet",
        *args,
    )


def install_system_packages() -> None:
    """Chromium and ChromeDriver (the browser test) and bubblewrap (the grader's sandbox).

    Installed with apt-get only when missing and only where we may (root, as on CI); elsewhere
    the tests that need them say which command installs them.
    """
    missing = [package for command, package in SYSTEM_PACKAGES.items() if not shutil.which(command)]
    if not missing:
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        say(
            f"not installed: {' '.join(missing)}; the tests that need them say how to install them "
            f"(on Debian or Ubuntu: sudo apt-get install {' '.join(missing)})"
        )
        return
    say(f"installing {' '.join(missing)} with apt-get (the browser test and the grader's sandbox)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.call(["apt-get", "update", "-qq"], env=env)
    code = subprocess.call(["apt-get", "install", "-y", "-qq", *missing], env=env, stdout=subprocess.DEVNULL)
    if code:
        say(f"apt-get could not install {' '.join(missing)}; the tests that need them will report it")


def book_command(output: Path | None = None) -> list[str]:
    """The jupyter-book build command (the test suite builds with exactly the same flags)."""
    cmd = [str(BIN / "jupyter-book"), "build", str(ROOT), *BOOK_FLAGS]
    if output is not None:
        cmd += ["--path-output", str(output)]
    return cmd


def student_config(target: Path) -> Path:
    """_config.yml with sphinx-exercise's hide_solutions switched on: the student edition."""
    import yaml  # installed in .venv with jupyter-book; imported late so `install` works without it

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = config["title"] + " (student edition)"
    sphinx = config.setdefault("sphinx", {})
    sphinx.setdefault("config", {})["hide_solutions"] = True
    # paths in a config file are read relative to that file: point back into the book
    sphinx["local_extensions"] = {name: str(ROOT / path) for name, path in sphinx.get("local_extensions", {}).items()}
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def book(args: list[str]) -> int:
    install()
    if "--student" in args:
        args = [a for a in args if a != "--student"]
        out = ROOT / "_build" / "student"
        out.mkdir(parents=True, exist_ok=True)
        # run inside the venv's Python so that PyYAML (a jupyter-book dependency) is available
        config = out / "_config.yml"
        code = run(PY, "-c", f"import tasks; tasks.student_config(__import__('pathlib').Path({str(config)!r}))")
        if code:
            return code
        code = run(*book_command(out), "--config", config, *args)
        if code == 0:
            say(f"the student edition is in {out / '_build' / 'html'}: open index.html there")
        return code
    code = run(*book_command(), *args)
    if code == 0:
        say(f"the book is in {ROOT / '_build' / 'html'}: open _build/html/index.html")
    return code


def test(args: list[str]) -> int:
    backends = list(TEST_BACKENDS)
    if "--torch" in args:
        args = [a for a in args if a != "--torch"]
        backends.append("torch")
    install()
    if "torch" in backends:
        install_torch()
    install_system_packages()
    if lint([]):  # the lint and type gate runs first: CI fails on a finding
        return 1
    workers = min(os.cpu_count() or 1, 4)
    code = run(
        PY, "-m", "pytest", f"--backends={','.join(backends)}", f"--numprocesses={workers}", "--dist=loadfile", *args
    )
    if code == 5:  # pytest: no tests were collected; for this project that is a failure
        say("no tests ran")
        return 1
    return code


def lint(args: list[str]) -> int:
    """The lint and type gate (configured in pyproject.toml): ruff check, ruff format --check, mypy."""
    install()
    failed = [
        name
        for name, cmd in (
            ("ruff check", (PY, "-m", "ruff", "check", ".")),
            ("ruff format --check", (PY, "-m", "ruff", "format", "--check", ".")),
            ("mypy", (PY, "-m", "mypy")),
        )
        if run(*cmd)
    ]
    if failed:
        say(f"lint failed: {', '.join(failed)} (`ruff check --fix .` and `ruff format .` fix most)")
    return 1 if failed else 0


def install_command(args: list[str]) -> int:
    install()
    return 0


def execute(args: list[str]) -> int:
    install()
    return run(PY, ROOT / "tools" / "execute_notebooks.py", *args)


def student(args: list[str]) -> int:
    install()
    return run(PY, ROOT / "tools" / "grader.py", "student", *args)


def grade(args: list[str]) -> int:
    install()
    return run(PY, ROOT / "tools" / "grader.py", "grade", *args)


def clean(args: list[str]) -> int:
    for path in [ROOT / "_build", *ROOT.rglob(".ipynb_checkpoints"), *ROOT.rglob("__pycache__")]:
        if ".venv" not in path.parts and path.exists():
            shutil.rmtree(path)
    return 0


COMMANDS = {
    "book": book,
    "test": test,
    "execute": execute,
    "student": student,
    "grade": grade,
    "clean": clean,
    "lock": lock,
    "install": install_command,
    "lint": lint,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
