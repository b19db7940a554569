"""Student notebooks of the assignments, and a grader whose scores a student cannot forge.

An assignment is written once, as a solution notebook under ``assignments/``. In a code cell,
the solution sits between two marker lines, and the stub that students get is written just
before it as lines starting with ``# > `` (``#> `` works too; ``ruff format`` writes ``# > ``)::

    # > model = None  # build the model here: keras.Input -> LSTM(32) -> Dense(4, softmax)
    ### BEGIN SOLUTION
    model = keras.Sequential([...])
    ### END SOLUTION

``student`` turns that into ``model = None  # build the model here: ...`` and drops the
solution and every cell tagged ``hidden-test``; all outputs are cleared. Every task ends with
check cells (``lh.checks.check_...("2", model, ...)``) that show whether the task is done.

``grade`` never believes what a submission prints. For each submission it

1. runs a private copy of the notebook in a sandbox (bubblewrap on Linux: no network, read-only
   system and project, nothing else visible; plus limits on memory, CPU time, processes and file
   size) with a time limit, and then saves the values the checks need (the names the solution's
   check cells use: arrays as ``.npy``, models as ``.keras``, plain values as Python literals)
   into an output folder, the only place the notebook can write to besides its private /tmp;
2. evaluates every check of the *solution* notebook on those values in a second sandboxed
   process that runs only the grader's and the instructor's code (arrays loaded with
   ``allow_pickle=False``, models with Keras' ``safe_mode``); accuracy checks use the hidden test
   data that the solution's ``hidden-test`` cell defines (``hidden_x``, ``hidden_y``);
3. appends the row to the CSV score sheet at once (flushed and synced), with a flag when the
   submission's check cells differ from the student notebook's.

    python tools/grader.py student [SOLUTION ...] [--out DIR]
    python tools/grader.py grade FOLDER --assignment assignments/NAME.ipynb [--out SHEET]
        [--timeout S] [--jobs N] [--regrade] [--memory MB]
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from lstm_helpers._env import QUIET_ENV
from lstm_helpers.checks import MIME

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "assignments"
STUDENT_DIR = ROOT / "_build" / "student-notebooks"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
#: a stub line: ``# > code`` (what ruff format writes) or ``#> code``
STUB = re.compile(r"# ?> ")
HIDDEN_TAG = "hidden-test"
HIDDEN_NAMES = ("hidden_x", "hidden_y")
#: the checks that score a trained model on held-out data: the grader passes them the hidden
#: test data (``hidden_x``, ``hidden_y``) in place of the validation data of the check cell
HELD_OUT_CHECKS = ("check_accuracy", "check_mean_error", "check_exact_match", "check_stream_accuracy")
#: this file: the sandboxed processes run it as ``python grader.py _run|_evaluate ...``
TOOL = str(Path(__file__).resolve())
#: inside the sandbox: the private copy of the submission, the artifacts, the solution
BOX = "/grading"
REPORT = "@@lstm-grader-report@@"
#: the environment variable every sandboxed process carries (tests look for leftovers with it)
MARKER = "LSTM_GRADER_RUN"
MB = 1024 * 1024
#: an assignment to an attribute of lh.checks (or setattr on it): a monkeypatch
PATCH = re.compile(r"(?m)^\s*[\w.]*checks\.\w+\s*=(?!=)|setattr\(\s*[\w.]*checks\b")


# ---------------------------------------------------------------------------------------------
# Student notebooks
# ---------------------------------------------------------------------------------------------


def _stub_line(line: str) -> str | None:
    """The code of a stub line (``# > code`` -> ``code``, indent kept); None for any other line."""
    text = line.lstrip()
    marker = STUB.match(text)
    if marker is None:
        return None
    return line[: len(line) - len(text)] + text[marker.end() :]


def strip_solution(source: str) -> str:
    """Replace each solution block by its stub lines; raise ValueError on unbalanced markers."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped in (BEGIN, END):
            if (stripped == BEGIN) == inside:
                raise ValueError(
                    f"line {number}: {stripped} " + ("inside another solution block" if inside else f"without {BEGIN}")
                )
            inside = not inside
        elif not inside:
            stub = _stub_line(line)
            out.append(line if stub is None else stub)
    if inside:
        raise ValueError(f"{BEGIN} without {END}")
    return "\n".join(out)


def solution_lines(nb: NotebookNode) -> list[str]:
    """Every non-blank line inside a solution block (used by the tests to prove none leaks)."""
    lines: list[str] = []
    inside = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            s = line.strip()
            if s in (BEGIN, END):
                inside = s == BEGIN
            elif inside and s:
                lines.append(s)
    return lines


def _tags(cell: NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def make_student(path: Path) -> NotebookNode:
    """The student notebook: solutions replaced by their stubs, hidden-test cells dropped."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if HIDDEN_TAG not in _tags(c)]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solution(cell.source)
            cell.outputs = []
            cell.execution_count = None
    return nb


def solution_notebooks() -> list[Path]:
    """Every solution notebook under ``assignments/``, by name."""
    return sorted(ASSIGNMENTS.glob("*.ipynb"))


def write_students(paths: list[Path], out: Path) -> list[Path]:
    """Write the student notebook of each solution into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out / path.name
        nbformat.write(make_student(path), target)
        written.append(target)
    return written


# ---------------------------------------------------------------------------------------------
# What an assignment checks: read from its solution notebook only
# ---------------------------------------------------------------------------------------------


@dataclass
class Check:
    """One ``lh.checks.check_*("task", ...)`` call of a solution check cell."""

    task: str
    function: str
    args: list[str]
    kwargs: dict[str, str]
    cell: int
    source: str


@dataclass
class Spec:
    """Everything the grader takes from a solution notebook."""

    tasks: list[str]
    checks: list[Check]
    setup: str
    hidden: str
    artifacts: list[str]


def _check_calls(tree: ast.AST) -> list[ast.Call]:
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        func = getattr(node, "func", None)
        if (
            isinstance(node, ast.Call)
            and isinstance(func, ast.Attribute)
            and func.attr.startswith("check_")
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "checks"
        ):
            calls.append(node)
    return calls


def _parse(source: str) -> ast.AST:
    """Parse notebook code, IPython magics and shell lines left out."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines))


def _check(call: ast.Call, cell: int, source: str) -> Check:
    assert isinstance(call.func, ast.Attribute)  # _check_calls picks `...checks.check_*(...)` only
    if not call.args or not isinstance(call.args[0], ast.Constant):
        raise ValueError(
            f"cell {cell + 1}: a check's first argument must be the task id, "
            f"as a string literal: {ast.unparse(call)[:80]}"
        )
    kwargs = {k.arg: ast.unparse(k.value) for k in call.keywords if k.arg is not None}
    if len(kwargs) < len(call.keywords):
        raise ValueError(f"cell {cell + 1}: a check's arguments must be written out (no **): {ast.unparse(call)[:80]}")
    args = [ast.unparse(a) for a in call.args[1:]]
    return Check(str(call.args[0].value), call.func.attr, args, kwargs, cell, source)


def _defined(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _free_names(expression: str) -> set[str]:
    tree = ast.parse(expression, mode="eval")
    loads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loads - _defined(tree) - set(dir(builtins))


def _kind(cell: NotebookNode) -> str:
    if cell.cell_type != "code" or "remove-cell" in _tags(cell):
        return "other"
    if HIDDEN_TAG in _tags(cell):
        return "hidden"
    if BEGIN in cell.source:
        return "task"
    return "check" if _check_calls(_parse(cell.source)) else "setup"


def read_spec(solution: Path) -> Spec:
    """The tasks, checks, trusted set-up code and the names of the values a submission must hand
    over, all from the solution notebook."""
    nb = nbformat.read(solution, as_version=4)
    checks: list[Check] = []
    setup: list[str] = []
    hidden: list[str] = []
    for index, cell in enumerate(nb.cells):
        kind = _kind(cell)
        if kind == "check":
            checks += [_check(c, index, cell.source) for c in _check_calls(_parse(cell.source))]
        elif kind in ("setup", "hidden"):
            (setup if kind == "setup" else hidden).append(ast.unparse(_parse(cell.source)))
    if not checks:
        raise ValueError(f'{solution} has no check cells: end each task with lh.checks.check_...("task", ...)')
    trusted = _defined(ast.parse("\n".join(setup + hidden))) | set(HIDDEN_NAMES)
    if any(c.function in HELD_OUT_CHECKS for c in checks) and not hidden:
        raise ValueError(
            f"{solution} has a held-out check ({', '.join(HELD_OUT_CHECKS)}) but no code cell tagged {HIDDEN_TAG!r} "
            "that sets hidden_x and hidden_y (the test data only the grader uses)"
        )
    used = [n for c in checks for e in _expressions(c) for n in sorted(_free_names(e))]
    return Spec(
        list(dict.fromkeys(c.task for c in checks)),
        checks,
        "\n".join(setup),
        "\n".join(hidden),
        [n for n in dict.fromkeys(used) if n not in trusted],
    )


def task_ids(solution: Path) -> list[str]:
    """The tasks of an assignment, in order, from the check calls in its solution notebook."""
    return read_spec(solution).tasks


def check_calls(solution: Path) -> list[str]:
    """The task id of every check call in the solution notebook, in order (with repeats)."""
    return [c.task for c in read_spec(solution).checks]


# ---------------------------------------------------------------------------------------------
# Inside the student's sandbox: run the notebook, then hand over the named values
# ---------------------------------------------------------------------------------------------

#: appended by the grader after the student's last cell; runs in the student's kernel. What it
#: writes is untrusted data like everything else there: the grader only loads it safely.
SAVE_CELL = """
def _lstm_grader_save(names, out):
    import os
    import numpy as np
    import keras

    def plain(v):
        if isinstance(v, (np.generic, np.ndarray)):
            return v.tolist()
        if isinstance(v, (list, tuple, set)):
            return type(v)(plain(i) for i in v)
        if isinstance(v, dict):
            return {plain(k): plain(i) for k, i in v.items()}
        return v

    for name in names:
        if name not in globals():
            continue
        value, path = globals()[name], os.path.join(out, name)
        try:
            if isinstance(value, keras.Model):
                value.save(path + ".keras")
            elif isinstance(value, np.ndarray) and value.dtype != object:
                np.save(path + ".npy", value, allow_pickle=False)
            else:
                with open(path + ".literal", "w") as f:
                    f.write(repr(plain(value)))
        except Exception as err:
            with open(path + ".failed", "w") as f:
                f.write(f"{type(err).__name__}: {err}"[:300])

_lstm_grader_save(%r, %r)
"""


def _quiet_client() -> type[Any]:
    from nbclient import NotebookClient

    class QuietClient(NotebookClient):
        """Keeps only error outputs: a 200 MB print costs nothing to store."""

        def output(
            self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int
        ) -> NotebookNode | None:
            if msg["msg_type"] == "error":
                return super().output(outs, msg, display_id, cell_index)
            return None

    return QuietClient


def _first_error(cell: NotebookNode, index: int) -> str:
    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
    if not errors:
        return ""
    return f"cell {index + 1} raised {errors[0].get('ename')}: {errors[0].get('evalue', '')[:150]}"


def _run_cells(client: Any, nb: NotebookNode, timeout: int) -> str:
    """Run every code cell; return the first problem ('' if none). Raises on timeout/death."""
    from nbclient.exceptions import CellTimeoutError

    deadline, problem = time.monotonic() + timeout, ""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            raise CellTimeoutError(f"the notebook ran longer than {timeout} s")
        client.timeout = max(1, int(left))
        client.execute_cell(cell, index)
        problem = problem or _first_error(cell, index)
    return problem


def run_submission(notebook: Path, out: Path, names: list[str], timeout: int) -> dict[str, str]:
    """Run the notebook with a time limit, then save ``names`` into ``out``; never raises."""
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = nbformat.read(notebook, as_version=4)
    client = _quiet_client()(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(notebook.parent)}},
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
    )
    report = {"error": ""}
    # what the kernel writes to its own file descriptors (not through print) is thrown away
    with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
        try:
            report["error"] = _run_cells(client, nb, timeout)
        except (CellTimeoutError, TimeoutError):
            report["error"] = f"stopped after {timeout} s (time limit)"
            run_sync(client.km.interrupt_kernel)()
        except DeadKernelError:
            report["error"] = "the kernel died (a crash, os._exit, or the memory limit)"
            return report
        nb.cells.append(nbformat.v4.new_code_cell(SAVE_CELL % (names, str(out))))
        client.timeout = 60
        try:
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
        except Exception as err:  # noqa: BLE001 - the student's kernel is in any state
            report["error"] = report["error"] or f"the values could not be saved: {type(err).__name__}"
    return report


# ---------------------------------------------------------------------------------------------
# The grader's own sandboxed process: the solution's checks on the saved values
# ---------------------------------------------------------------------------------------------


def _load(folder: Path, name: str) -> tuple[Any, str]:
    """(value, problem): a saved value, loaded as data only; (None, '') when it was never set."""
    import numpy as np

    path = folder / name
    if path.with_suffix(".keras").is_file():
        import keras

        model = keras.saving.load_model(path.with_suffix(".keras"), safe_mode=True)
        return model, ""
    if path.with_suffix(".npy").is_file():
        return np.load(path.with_suffix(".npy"), allow_pickle=False), ""
    if path.with_suffix(".literal").is_file():
        text = path.with_suffix(".literal").read_text()
        if len(text) > MB:
            raise ValueError(f"{name} is over 1 MB as a Python literal")
        return ast.literal_eval(text), ""
    if path.with_suffix(".failed").is_file():
        return None, path.with_suffix(".failed").read_text()[:200]
    return None, ""


def _load_all(folder: Path, names: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name in names:
        try:
            values[name], problem = _load(folder, name)
        except Exception as err:  # noqa: BLE001 - hostile files: a reason, never a crash
            values[name], problem = None, f"{type(err).__name__}: {str(err)[:200]}"
        if problem:
            problems[name] = problem
    return values, problems


def _trusted_namespace(spec: Spec) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(spec.setup + "\n" + spec.hidden, "<solution set-up>", "exec"), namespace)
    return namespace


def _arguments(check: Check) -> tuple[list[str], dict[str, str]]:
    args, kwargs = list(check.args), dict(check.kwargs)
    if check.function in HELD_OUT_CHECKS:  # scored on the hidden test data, never on the student's
        args[1:3] = list(HIDDEN_NAMES)[: len(args[1:3])]
        kwargs.update({k: v for k, v in zip(("x", "y"), HIDDEN_NAMES, strict=True) if k in kwargs})
    return args, kwargs


def _expressions(check: Check) -> list[str]:
    args, kwargs = _arguments(check)
    return [*args, *kwargs.values()]


def _evaluate_check(check: Check, namespace: dict[str, Any], problems: dict[str, str]) -> dict[str, Any]:
    from lstm_helpers import checks

    args, kwargs = _arguments(check)
    broken = [
        f"{n} could not be taken out of the notebook: {problems[n]}"
        for e in _expressions(check)
        for n in sorted(_free_names(e))
        if n in problems
    ]
    if broken:
        return {"task": check.task, "passed": False, "message": broken[0]}
    try:
        function = getattr(checks, check.function)
        result = function(
            check.task,
            *[eval(a, namespace) for a in args],  # noqa: S307 - solution code
            **{k: eval(v, namespace) for k, v in kwargs.items()},  # noqa: S307
        )
        return {"task": check.task, "passed": bool(result.passed), "message": result.message}
    except Exception as err:  # noqa: BLE001 - a hostile value must fail its task, not the grading
        return {
            "task": check.task,
            "passed": False,
            "message": f"the check could not run on the submitted values: {type(err).__name__}: "
            f"{str(err).splitlines()[0][:150] if str(err) else ''}",
        }


def evaluate(solution: Path, artifacts: Path) -> list[dict[str, Any]]:
    """Every check of the solution notebook on the values a submission handed over."""
    spec = read_spec(solution)
    namespace = _trusted_namespace(spec)
    values, problems = _load_all(artifacts, spec.artifacts)
    namespace.update(values)
    return [_evaluate_check(check, namespace, problems) for check in spec.checks]


# ---------------------------------------------------------------------------------------------
# Sandbox: bubblewrap where it works, resource limits everywhere
# ---------------------------------------------------------------------------------------------


@dataclass
class Limits:
    """Per-process limits for everything a submission starts (the grader's checks too)."""

    memory_mb: int = 6144  # address space: TensorFlow reserves ~2.7 GB of it for a small model
    cpu_s: int = 1200
    processes: int = 4096  # threads count too; not enforced when the grader runs as root
    file_mb: int = 64
    tmp_mb: int = 512  # the sandbox's private /tmp (in memory)

    def rlimits(self) -> dict[str, int]:
        return {
            "RLIMIT_AS": self.memory_mb * MB,
            "RLIMIT_CPU": self.cpu_s,
            "RLIMIT_CORE": 0,
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_FSIZE": self.file_mb * MB,
        }


#: sets the limits (and on Linux: die with the grader), then becomes the command (no shell)
LAUNCHER = (
    "import json, os, resource, sys\n"
    "if sys.platform.startswith('linux'):\n"
    "    import ctypes\n"
    "    ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG: SIGKILL\n"
    "for name, value in json.loads(sys.argv[1]).items():\n"
    "    resource.setrlimit(getattr(resource, name), (value, value))\n"
    "os.execvp(sys.argv[2], sys.argv[2:])"
)

_BWRAP: list[str | None] = []


def bwrap_problem() -> str | None:
    """None when bubblewrap works here, else why not (checked once)."""
    if not _BWRAP:
        found = shutil.which("bwrap")
        if found is None:
            _BWRAP.append("bwrap not found (Debian/Ubuntu: apt-get install bubblewrap)")
        else:
            probe = subprocess.run([found, *_system_binds(), "--unshare-all", "true"], capture_output=True, text=True)
            _BWRAP.append(
                None if probe.returncode == 0 else f"bwrap cannot start a sandbox here: {probe.stderr.strip()[:150]}"
            )
    return _BWRAP[0]


def protections(limits: Limits) -> str:
    """One plain line saying what protects the teacher's machine."""
    rl = (
        f"limits per process: memory {limits.memory_mb} MB, CPU {limits.cpu_s} s, "
        f"files {limits.file_mb} MB, processes {limits.processes}"
        + (" (not enforced: the grader runs as root)" if _is_root() else "")
    )
    if os.name == "nt":
        return "protections: NONE on Windows (no sandbox, no limits): grade in a throwaway VM"
    problem = bwrap_problem()
    if problem is None:
        return (
            "protections: bubblewrap sandbox (no network, own process tree, read-only system and "
            f"project, only its own folder writable); {rl}; a time limit per notebook"
        )
    return (
        f"protections: resource limits and a separate process group only; NO sandbox: {problem}. "
        f"A submission can read and change your files, use the network and signal your "
        f"processes: grade in a throwaway VM or container. {rl}"
    )


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _system_binds() -> list[str]:
    args = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return args + ["--proc", "/proc", "--dev", "/dev"]


def _python_dirs() -> list[str]:
    dirs = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parents[1]), str(ROOT)}
    # a checkout or venv under /tmp is bound on top of the sandbox's own empty /tmp (mounted first)
    keep = sorted(d for d in dirs if not d.startswith(("/usr", "/etc")) and d != "/")
    return [d for d in keep if not any(d != o and d.startswith(o + os.sep) for o in keep)]


@dataclass
class Box:
    """One sandboxed process: what it sees, where it may write, and its limits."""

    writable: dict[str, str] = field(default_factory=dict)  # host path -> path inside
    readonly: dict[str, str] = field(default_factory=dict)
    hide: list[Path] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    cwd: str = "/tmp"
    limits: Limits = field(default_factory=Limits)

    def bwrap(self, command: list[str]) -> list[str]:
        args = [
            "bwrap",
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--clearenv",
            *_system_binds(),
            "--size",
            str(self.limits.tmp_mb * MB),
            "--tmpfs",
            "/tmp",
        ]
        for directory in _python_dirs():
            args += ["--ro-bind", directory, directory]
        for hidden in self.hide:  # the solutions, the submissions folder, the score sheet's folder
            if hidden.is_dir():
                args += ["--tmpfs", str(hidden)]
        for flag, binds in (("--bind", self.writable), ("--ro-bind", self.readonly)):
            for host, inside in binds.items():
                args += [flag, host, inside]
        for key, value in self.env.items():
            args += ["--setenv", key, value]
        return [*args, "--chdir", self.cwd, "--", *command]

    def command(self, command: list[str]) -> list[str]:
        inner = self.bwrap(command) if bwrap_problem() is None else command
        if os.name == "nt":
            return inner
        return [sys.executable, "-I", "-S", "-c", LAUNCHER, json.dumps(self.limits.rlimits()), *inner]


def _environment(run_id: str, home: str) -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        **QUIET_ENV,
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
        MARKER: run_id,
    }
    env.update({k: os.environ[k] for k in ("KERAS_BACKEND", "SYSTEMROOT") if k in os.environ})
    return env


def _kill_marked(run_id: str) -> None:
    """Kill every process that carries this run's marker (Linux; a fallback for lost children)."""
    for entry in Path("/proc").glob("[0-9]*") if Path("/proc").is_dir() else []:
        try:
            if f"{MARKER}={run_id}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _kill_tree(proc: subprocess.Popen[bytes], run_id: str) -> None:
    with contextlib.suppress(OSError):
        if os.name != "nt":
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: the grader is not in it
    with contextlib.suppress(OSError):
        proc.kill()
    proc.wait()
    _kill_marked(run_id)


def _tail(path: Path, size: int = 64 * 1024) -> str:
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - size))
        return f.read().decode("utf-8", "replace")


def run_boxed(box: Box, command: list[str], log: Path, limit: float) -> tuple[Any, str]:
    """Run ``command`` in ``box`` with a wall-clock limit; (its report or None, what went wrong).

    The whole process tree is killed when it ends, whatever it did."""
    run_id = box.env[MARKER]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            box.command(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=box.env,
            start_new_session=True,
            cwd=box.cwd if bwrap_problem() else None,
        )
        try:
            code = proc.wait(timeout=limit)
            problem = "" if code == 0 else f"it ended with exit status {code}"
        except subprocess.TimeoutExpired:
            problem = f"killed after {limit:.0f} s (time limit)"
        finally:
            _kill_tree(proc, run_id)
    reports = [line for line in _tail(log).splitlines() if line.startswith(REPORT)]
    if not reports:
        return None, problem or "it gave no report"
    try:
        return json.loads(reports[-1][len(REPORT) :]), problem
    except ValueError:
        return None, "its report was not readable"


# ---------------------------------------------------------------------------------------------
# Grading one submission
# ---------------------------------------------------------------------------------------------


@dataclass
class Grade:
    submission: str
    results: dict[str, bool] = field(default_factory=dict)
    first_hint: str = ""
    flags: str = ""
    error: str = ""
    sha256: str = ""


@dataclass
class Options:
    solution: Path
    timeout: int = 300
    limits: Limits = field(default_factory=Limits)
    hide: list[Path] = field(default_factory=list)


def _normal(source: str) -> str:
    """The code of a cell, independent of its layout and comments (so reformatting is no change)."""
    try:
        return ast.dump(_parse(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # not Python: compared as text
        return "\n".join(line.rstrip() for line in source.strip().splitlines() if line.strip())


def tampering(nb: NotebookNode, spec: Spec) -> str:
    """Why the submission's check cells differ from the student notebook's ('' if they do not)."""
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    present = {_normal(s) for s in code}
    changed = list(dict.fromkeys(c.task for c in spec.checks if _normal(c.source) not in present))
    flags = [f"check cells removed or changed: task {', '.join(changed)}"] if changed else []
    if any(MIME in s or "CheckResult(" in s for s in code):
        flags.append("prints check records of its own")
    if any(PATCH.search(s) for s in code):
        flags.append("replaces lh.checks functions")
    return "; ".join(flags)


def _read_submission(path: Path, grade: Grade) -> NotebookNode | None:
    try:
        if path.stat().st_size > 100 * MB:
            raise ValueError("the file is over 100 MB")
        return nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001 - not JSON, not a notebook: a zero with the reason
        grade.error = f"not a valid notebook: {type(err).__name__}: {str(err).splitlines()[0][:150]}"
        grade.first_hint = "the file could not be read as a notebook; submit the .ipynb file itself"
        return None


def _boxes(tmp: Path, options: Options) -> tuple[Box, Box]:
    """The student's box (its folder and the output folder writable) and the checks' box."""
    for name in ("work", "out", "home"):
        (tmp / name).mkdir()
    inside = bwrap_problem() is None
    work, out = (f"{BOX}/work", f"{BOX}/out") if inside else (str(tmp / "work"), str(tmp / "out"))
    home = "/tmp" if inside else str(tmp / "home")
    run_id = tmp.name
    student = Box(
        {str(tmp / "work"): work, str(tmp / "out"): out},
        {},
        options.hide,
        _environment(run_id, home),
        work,
        options.limits,
    )
    checker = Box(
        {},
        {str(tmp / "out"): out, str(options.solution.resolve()): f"{BOX}/solution.ipynb"},
        options.hide,
        _environment(run_id, home),
        "/tmp" if inside else str(tmp / "home"),
        options.limits,
    )
    return student, checker


def _score(grade: Grade, spec: Spec, results: list[dict[str, Any]]) -> None:
    for task in spec.tasks:
        mine = [r for r in results if r["task"] == task]
        grade.results[task] = bool(mine) and all(r["passed"] for r in mine)
    failed = [r for r in results if not r["passed"]]
    if failed:
        grade.first_hint = f"Task {failed[0]['task']}: {failed[0]['message']}"


def _run_student(nb: NotebookNode, tmp: Path, spec: Spec, options: Options, box: Box) -> str:
    """Run the submission in its box, saving the values the checks need; what went wrong ('' if nothing)."""
    for cell in nb.cells:  # never trust stored outputs
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, tmp / "work" / "submission.ipynb")
    out = box.writable[str(tmp / "out")]
    command = [sys.executable, TOOL, "_run", f"{box.cwd}/submission.ipynb", out, json.dumps(spec.artifacts)]
    report, problem = run_boxed(box, [*command, str(options.timeout)], tmp / "run.log", options.timeout + 120)
    error = str(report.get("error", "")) if isinstance(report, dict) else ""
    return error or (f"the notebook did not finish: {problem}" if problem else "")


def _run_checks(tmp: Path, spec: Spec, options: Options, box: Box) -> list[dict[str, Any]]:
    """Every check of the solution on the saved values, in the checks' box."""
    solution = f"{BOX}/solution.ipynb" if bwrap_problem() is None else str(options.solution.resolve())
    command = [sys.executable, TOOL, "_evaluate", solution, box.readonly[str(tmp / "out")]]
    results, problem = run_boxed(box, command, tmp / "check.log", 300)
    if isinstance(results, list):
        return results
    message = f"the checks could not run: {problem}"
    return [{"task": c.task, "passed": False, "message": message} for c in spec.checks]


def _run_and_check(nb: NotebookNode, tmp: Path, spec: Spec, options: Options, grade: Grade) -> None:
    student, checker = _boxes(tmp, options)
    grade.error = _run_student(nb, tmp, spec, options, student)
    _score(grade, spec, _run_checks(tmp, spec, options, checker))


def grade_one(path: Path, spec: Spec, options: Options) -> Grade:
    """Grade one submission in its own temporary folder and sandbox; never raises."""
    grade = Grade(path.name, {t: False for t in spec.tasks})
    grade.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    nb = _read_submission(path, grade)
    if nb is None:
        return grade
    grade.flags = tampering(nb, spec)
    tmp = Path(tempfile.mkdtemp(prefix="lstm-grade-"))
    try:
        _run_and_check(nb, tmp, spec, options, grade)
    except Exception as err:  # noqa: BLE001 - the others must still be graded
        grade.error = f"the grader failed on this file: {type(err).__name__}: {str(err)[:150]}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return grade


# ---------------------------------------------------------------------------------------------
# The score sheet: one row per submission, written as soon as it is graded
# ---------------------------------------------------------------------------------------------


class Sheet:
    """A CSV score sheet that survives a crash of the grader: each row is flushed and synced."""

    def __init__(self, path: Path, tasks: list[str], regrade: bool) -> None:
        self.path, self.lock = path, threading.Lock()
        self.header = [
            "submission",
            *[f"task {t}" for t in tasks],
            "score",
            "first failing hint",
            "flags",
            "error",
            "sha256",
        ]
        self.tasks = tasks
        self.rows: dict[str, dict[str, Any]] = {}
        if path.is_file() and not regrade:
            with contextlib.suppress(csv.Error, UnicodeDecodeError, OSError):
                with open(path, newline="") as f:
                    reader = csv.DictReader(f)
                    if reader.fieldnames == self.header:
                        self.rows = {r["submission"]: r for r in reader}

    def graded(self, path: Path) -> bool:
        """Whether this very file (same name, same bytes) is already in the sheet."""
        row = self.rows.get(path.name)
        return row is not None and row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()

    def keep_only(self, names: set[str]) -> None:
        """Drop the rows of files that are gone or changed, and rewrite the sheet."""
        self.rows = {n: r for n, r in self.rows.items() if n in names}
        self.rewrite()

    def rewrite(self) -> None:
        """Write every row anew (to a partial file, then renamed over the sheet)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        with open(partial, "w", newline="") as f:
            writer = csv.DictWriter(f, self.header)
            writer.writeheader()
            writer.writerows(self.rows[n] for n in sorted(self.rows))
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, self.path)

    def add(self, grade: Grade) -> dict[str, Any]:
        """Append the row of one graded submission, flushed and synced at once."""
        score = sum(grade.results.values())
        row = dict(
            zip(
                self.header,
                [
                    grade.submission,
                    *[int(grade.results[t]) for t in self.tasks],
                    f"{score}/{len(self.tasks)}",
                    grade.first_hint if score < len(self.tasks) else "",
                    grade.flags,
                    grade.error,
                    grade.sha256,
                ],
                strict=True,
            )
        )
        with self.lock, open(self.path, "a", newline="") as f:
            writer = csv.DictWriter(f, self.header)
            if f.tell() == 0:
                writer.writeheader()
            writer.writerow(row)
            f.flush()
            os.fsync(f.fileno())
            self.rows[grade.submission] = row
        return row


def cores() -> int:
    """The cores this process may use (the default of --jobs)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def grade_folder(
    folder: Path,
    solution: Path,
    out: Path,
    timeout: int = 300,
    jobs: int | None = None,
    regrade: bool = False,
    limits: Limits | None = None,
) -> list[dict[str, Any]]:
    """Grade every ``*.ipynb`` in ``folder`` (``jobs`` at a time) into the sheet ``out``."""
    spec = read_spec(solution)
    options = Options(solution, timeout, limits or Limits(), [ASSIGNMENTS, folder.resolve(), out.resolve().parent])
    sheet = Sheet(out, spec.tasks, regrade)
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".ipynb" and p.is_file())
    todo = [p for p in paths if not sheet.graded(p)]
    sheet.keep_only({p.name for p in paths if p not in todo})
    print(protections(options.limits), flush=True)
    print(f"{len(todo)} to grade, {len(paths) - len(todo)} already in {out}", flush=True)
    started, count = time.monotonic(), iter(range(1, len(todo) + 1))

    def one(path: Path) -> None:
        row = sheet.add(grade_one(path, spec, options))
        note = f"  ({row['error']})" if row["error"] else ""
        with sheet.lock:
            sys.stdout.write(
                f"[{next(count)}/{len(todo)}] {row['score']}  {path.name}{note}  {time.monotonic() - started:.0f} s\n"
            )
            sys.stdout.flush()

    with ThreadPoolExecutor(max_workers=max(1, jobs or cores())) as pool:
        list(pool.map(one, todo))
    sheet.rewrite()
    return [sheet.rows[n] for n in sorted(sheet.rows)]


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def _inside(command: str, argv: list[str]) -> int:
    """The grader's sandboxed halves: print one report line the grader reads."""
    report: Any
    if command == "_run":
        report = run_submission(Path(argv[0]), Path(argv[1]), json.loads(argv[2]), int(argv[3]))
    else:
        report = evaluate(Path(argv[0]), Path(argv[1]))
    print(REPORT + json.dumps(report), flush=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Student notebooks and grading for the assignments.")
    sub = parser.add_subparsers(dest="command", required=True)
    student = sub.add_parser("student", help="generate student notebooks from the solutions")
    student.add_argument("solutions", nargs="*", type=Path, help="default: all in assignments/")
    student.add_argument("--out", type=Path, default=STUDENT_DIR, help="output folder")
    grade = sub.add_parser("grade", help="grade a folder of submitted notebooks")
    grade.add_argument("folder", type=Path, help="folder with the submitted .ipynb files")
    grade.add_argument("--assignment", type=Path, required=True, help="the solution notebook")
    grade.add_argument("--out", type=Path, help="CSV score sheet (default: FOLDER/scores.csv)")
    grade.add_argument("--timeout", type=int, default=300, help="seconds per notebook (300)")
    grade.add_argument("--jobs", type=int, default=None, help="submissions at a time (all cores)")
    grade.add_argument("--regrade", action="store_true", help="grade again those already in the sheet")
    grade.add_argument("--memory", type=int, default=Limits.memory_mb, help="MB per process (6144)")
    return parser


def main(argv: list[str]) -> int:
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    if argv and argv[0] in ("_run", "_evaluate"):
        return _inside(argv[0], argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "student":
        for path in write_students(args.solutions or solution_notebooks(), args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        return 0
    out = args.out or args.folder / "scores.csv"
    limits = Limits(memory_mb=args.memory, cpu_s=max(Limits.cpu_s, 4 * args.timeout))
    grade_folder(args.folder, args.assignment, out, args.timeout, args.jobs, args.regrade, limits)
    print(f"score sheet: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
