"""The shape of the helper API and of the code: what `lh.` offers, and short, documented functions.

- the top level holds exactly the names that two or more notebooks use (plus the topic modules),
  listed once in a literal ``__all__``; the package has no star import;
- no top-level name hides a module of the package;
- every public name of every module has a docstring (the API page is generated from them);
- no function in the package, the tools or tasks.py is longer than ``MAX_LINES`` lines of code
  (ruff's C901 and PLR09xx rules keep their complexity down; see pyproject.toml).
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import types

import pytest
from notebook_rules import EXECUTED, ROOT

import lstm_helpers as lh

PACKAGE = ROOT / "lstm_helpers"
MAX_LINES = 50
#: the files whose functions must stay short: the package, the tools and the task file
SHORT_FUNCTION_FILES = sorted([*PACKAGE.glob("*.py"), *(ROOT / "tools").glob("*.py"), ROOT / "tasks.py"], key=str)
MODULES = [m.name for m in pkgutil.iter_modules([str(PACKAGE)]) if not m.name.startswith("_")]


def _notebook_uses() -> dict[str, set[str]]:
    """Which notebooks call (or tell the reader to call) each top-level name ``lh.<name>``."""
    uses: dict[str, set[str]] = {}
    for folder in EXECUTED:
        for path in (ROOT / folder).glob("*.ipynb"):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            code = "\n".join("".join(c["source"]) for c in cells)  # calls, and prose that tells to call
            for name in re.findall(r"\blh\.([A-Za-z_]\w*)", code):
                uses.setdefault(name, set()).add(path.stem)
    return uses


def test_all_is_one_literal_list_and_there_is_no_star_import():
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    assigned = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
    ]
    assert len(assigned) == 1 and isinstance(assigned[0].value, ast.List), "one literal __all__"
    assert not [n for n in tree.body if isinstance(n, ast.AugAssign)], "__all__ is not extended elsewhere"
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert all(a.name != "*" for a in node.names), f"{path.name}: star import"
    assert sorted(lh.__all__) == sorted(set(lh.__all__)) and all(hasattr(lh, n) for n in lh.__all__)


def test_the_top_level_holds_what_two_notebooks_use():
    uses = _notebook_uses()
    functions = [n for n in lh.__all__ if not isinstance(getattr(lh, n), types.ModuleType)]
    for name in functions:
        assert len(uses.get(name, ())) >= 2, f"lh.{name} is used by {sorted(uses.get(name, ()))}: move it to its module"
    for name, notebooks in uses.items():
        assert name in lh.__all__, f"{sorted(notebooks)} call lh.{name}, which is not in lh.__all__"
    assert set(MODULES) <= set(lh.__all__), "every topic module is reachable as lh.<topic>"


def test_no_top_level_name_hides_a_module():
    for name in set(MODULES):
        assert isinstance(getattr(lh, name), types.ModuleType), f"lh.{name} hides the module lstm_helpers.{name}"


@pytest.mark.parametrize("module", sorted(set(MODULES)))
def test_every_public_name_has_a_docstring(module):
    mod = getattr(lh, module)
    assert mod.__doc__, f"lstm_helpers.{module} has no module docstring"
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), f"lstm_helpers.{module}.{name} has no docstring"


def _code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function from its ``def`` to its end, its docstring (prose and examples) left out."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1:
        docstring = body[0].end_lineno - body[0].lineno + 1
    else:
        docstring = 0
    return node.end_lineno - node.lineno + 1 - docstring


@pytest.mark.parametrize("path", SHORT_FUNCTION_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_functions_are_short(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({_code_lines(node)} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _code_lines(node) > MAX_LINES
    ]
    assert not long, f"split these into smaller functions: {long}"


@pytest.mark.parametrize("module", sorted(set(MODULES)))
def test_every_public_function_shows_an_example_that_runs(module):
    """The API page shows one example per function; the runnable ones are run here (doctest)."""
    import doctest
    import inspect

    mod = getattr(lh, module)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.isfunction(obj):
            assert ">>>" in (obj.__doc__ or ""), f"lstm_helpers.{module}.{name}: add an example (>>>) to its docstring"
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} example(s) of lstm_helpers.{module} do not run as shown"
