#!/usr/bin/env python3
"""The project's commands. Needs only Python 3.11+ (no make, no other tool).

    python3 tasks.py book      # set up .venv if needed, build the HTML book into _build/html
    python3 tasks.py test      # set up .venv if needed, run the whole test suite
    python3 tasks.py execute   # re-execute every notebook in place (the only way outputs change)
    python3 tasks.py student   # generate the student notebooks of the assignments (_build/student-notebooks)
    python3 tasks.py grade DIR --assignment assignments/NAME.ipynb   # grade submissions, write DIR/scores.csv
    python3 tasks.py book --student   # the student edition of the book, solutions removed (_build/student)
    python3 tasks.py install   # only create/update .venv from requirements.txt
    python3 tasks.py clean     # remove _build and caches (keeps .venv)

Arguments after the command go to the tool: `python3 tasks.py test -k shapes`,
`python3 tasks.py execute chapters/01_input_shape.ipynb`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
INPUTS = ("requirements.txt", "pyproject.toml")
#: jupyter-book flags shared by `book` and the book test: warnings are errors, all reported at once.
BOOK_FLAGS = ("--warningiserror", "--nitpick", "--keep-going")
MIN_PYTHON = (3, 11)


def say(text: str) -> None:
    print(f"[tasks] {text}", flush=True)


def run(*cmd: str | Path, env: dict | None = None) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def _inputs_hash() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def install() -> None:
    """Create .venv with this Python and install requirements.txt, unless it is already current."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]}+ is needed, but this is {sys.version.split()[0]}. "
                 "Run the command with a newer interpreter, e.g. `python3.12 tasks.py test`.")
    wanted = _inputs_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PY.exists():
        return
    if not PY.exists():
        say(f"creating the virtual environment {VENV.relative_to(ROOT)}")
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    say("installing requirements.txt into .venv (a few minutes the first time)")
    subprocess.check_call([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], cwd=ROOT)
    subprocess.check_call([str(PY), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], cwd=ROOT)
    STAMP.write_text(wanted + "\n")


def install_browser() -> None:
    """Chromium and ChromeDriver for the browser test, from the system package manager.

    Installed only when missing and only where we may (root with apt-get, as on CI); elsewhere
    the browser test says which command installs them.
    """
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        say("Chromium is not installed; the browser test needs: sudo apt-get install chromium chromium-driver")
        return
    say("installing Chromium and ChromeDriver with apt-get (for the browser test of the book)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.call(["apt-get", "update", "-qq"], env=env)
    code = subprocess.call(["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"], env=env,
                           stdout=subprocess.DEVNULL)
    if code:
        say("apt-get could not install chromium; the browser test will report it")


def book_command(output: Path | None = None) -> list[str]:
    """The jupyter-book build command (the test suite builds with exactly the same flags)."""
    cmd = [str(BIN / "jupyter-book"), "build", str(ROOT), *BOOK_FLAGS]
    if output is not None:
        cmd += ["--path-output", str(output)]
    return cmd


def student_config(target: Path) -> Path:
    """_config.yml with sphinx-exercise's hide_solutions switched on: the student edition."""
    import yaml  # installed in .venv with jupyter-book; imported late so `install` works without it

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["title"] = config["title"] + " (student edition)"
    sphinx = config.setdefault("sphinx", {})
    sphinx.setdefault("config", {})["hide_solutions"] = True
    # paths in a config file are read relative to that file: point back into the book
    sphinx["local_extensions"] = {name: str(ROOT / path) for name, path in sphinx.get("local_extensions", {}).items()}
    target.write_text(yaml.safe_dump(config, sort_keys=False))
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
    install()
    install_browser()
    code = run(PY, "-m", "pytest", *args)
    if code == 5:  # pytest: no tests were collected; for this project that is a failure
        say("no tests ran")
        return 1
    return code


def execute(args: list[str]) -> int:
    install()
    return run(PY, ROOT / "tools" / "execute_notebooks.py", *args)


def student(args: list[str]) -> int:
    install()
    return run(PY, ROOT / "tools" / "assignments.py", "student", *args)


def grade(args: list[str]) -> int:
    install()
    return run(PY, ROOT / "tools" / "assignments.py", "grade", *args)


def clean(args: list[str]) -> int:
    for path in [ROOT / "_build", *ROOT.rglob(".ipynb_checkpoints"), *ROOT.rglob("__pycache__")]:
        if ".venv" not in path.parts and path.exists():
            shutil.rmtree(path)
    return 0


COMMANDS = {"book": book, "test": test, "execute": execute, "student": student, "grade": grade, "clean": clean,
            "install": lambda args: install() or 0}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
