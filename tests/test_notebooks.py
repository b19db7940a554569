"""Hygiene of every notebook the suite executes (chapters/, assignments/, reference/).

The stored outputs are the book and the baseline. The chapter skeleton and the Colab cell are
checked on chapters only: the assignments and the cheat sheet have their own structure.

These checks read the committed files only (nbval re-runs them separately), so they are fast and
point at the exact cell when a notebook was saved dirty, edited by hand or run out of order.
"""

from __future__ import annotations

import nbformat
import pytest
from notebook_rules import (
    ADDRESS,
    CHAPTERS,
    DEPRECATED_ARG,
    FENCE,
    HISTORY_REPR,
    LOCAL_PATH,
    NOISE,
    PAGE_WIDTH,
    ROOT,
    SECTIONS,
    SKELETON,
    TIMING,
    chapter_notebooks,
    executed_notebooks,
    expects_error,
    output_text,
    read,
    repository_url,
    shown_as_text,
    tags,
    toc_files,
    too_wide,
)

#: the rules about outputs and code hold for every notebook the suite executes
NOTEBOOKS = executed_notebooks()
IDS = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]
#: the chapter skeleton and the Colab cell: chapters only
CHAPTER_NOTEBOOKS = chapter_notebooks()
CHAPTER_IDS = [p.relative_to(ROOT).as_posix() for p in CHAPTER_NOTEBOOKS]


def test_there_are_chapters():
    assert CHAPTER_NOTEBOOKS, f"no notebooks found under {CHAPTERS}"
    assert len(NOTEBOOKS) > len(CHAPTER_NOTEBOOKS), "the assignments and the cheat sheet are checked too"


def test_local_path_rule_catches_every_platform():
    for path in ("/home/ana/book", "/Users/ana/book", "C:\\Users\\ana\\book", "C:\\\\Users\\\\ana"):
        assert LOCAL_PATH.search(f"saved to {path}"), path
    assert not LOCAL_PATH.search("(32, 100, 6) = 32 samples x 100 timesteps x 6 features")


def test_every_notebook_is_in_the_table_of_contents_and_back():
    listed = set(toc_files())
    # the assignments are handed out, not read in the book (teaching.md links them)
    in_book = [p for p in NOTEBOOKS if not p.relative_to(ROOT).as_posix().startswith("assignments/")]
    on_disk = {p.relative_to(ROOT).with_suffix("").as_posix() for p in in_book}
    assert on_disk - listed == set(), "notebooks missing from _toc.yml"
    for entry in listed:
        assert any((ROOT / f"{entry}{ext}").exists() for ext in (".ipynb", ".md")), (
            f"_toc.yml lists {entry}: no such file"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_valid_and_kernel_set(path):
    nb = read(path)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"
    assert nb.metadata.get("language_info", {}).get("name") == "python"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executed_in_order_from_a_fresh_kernel(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"execution counts {counts}: re-run with `python3 tasks.py execute {path.relative_to(ROOT)}`"
    )
    assert any(c.outputs for c in code), "no stored outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_errors_only_where_expected(path):
    for i, cell in enumerate(c for c in read(path).cells if c.cell_type == "code"):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if expects_error(cell):
            assert errors, f"code cell {i + 1} is tagged raises-exception but stored no error"
        else:
            assert not errors, f"code cell {i + 1} stored an error: {output_text(errors[0])[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_are_quiet_and_machine_independent(path):
    for i, cell in enumerate(c for c in read(path).cells if c.cell_type == "code"):
        where = f"code cell {i + 1}"
        for out in cell.outputs:
            text = output_text(out)
            assert not (out.output_type == "stream" and out.get("name") == "stderr"), (
                f"{where}: stderr output {text[:200]!r}"
            )
            if not expects_error(cell):
                assert not NOISE.search(text), f"{where}: warning or log line {text[:200]!r}"
            assert not TIMING.search(text), f"{where}: progress bar or timing {TIMING.search(text).group(0)!r}"
            assert not ADDRESS.search(text), f"{where}: memory address in {text[:200]!r}"
            assert not LOCAL_PATH.search(text), f"{where}: local path in {text[:200]!r}"
            assert not HISTORY_REPR.search(text), (
                f"{where}: a bare model.fit(...) result; assign it: history = model.fit(...)"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_line_fits_the_page(path):
    """Code, printed output and fenced code in Markdown stay within PAGE_WIDTH characters.

    Wider lines scroll sideways in the rendered book. Excepted: the error a cell tagged
    raises-exception stores (Keras's own message, shown on purpose), outputs the book shows
    as a picture or HTML table rather than as text, and cells tagged remove-cell (the hidden
    Colab install cell, whose one long line is the repository's address).
    """
    wide: list[str] = []
    code_number = 0
    for index, cell in enumerate(read(path).cells):
        if cell.cell_type == "markdown":
            for match in FENCE.finditer(cell.source):
                wide += too_wide(match.group(2), f"cell [{index}] (Markdown code block)")
            continue
        if cell.cell_type != "code":
            continue
        code_number += 1
        if "remove-cell" in tags(cell):
            continue
        wide += too_wide(cell.source, f"cell [{index}] (code cell {code_number}) source")
        for out in cell.outputs:
            if out.output_type == "error":
                continue  # only raises-exception cells store one (test_errors_only_where_expected)
            wide += too_wide(shown_as_text(out), f"cell [{index}] (code cell {code_number}) output")
    assert not wide, f"{len(wide)} lines wider than {PAGE_WIDTH} characters:\n" + "\n".join(wide[:25])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_current_keras_api_only(path):
    for i, cell in enumerate(c for c in read(path).cells if c.cell_type == "code"):
        if not expects_error(cell):
            assert not DEPRECATED_ARG.search(cell.source), (
                f"code cell {i + 1} passes input_shape/input_dim to a layer; use keras.Input(shape=...)"
            )


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=CHAPTER_IDS)
def test_chapter_skeleton(path):
    nb = read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "first cell must be the title"
    for word in SKELETON:
        assert word in first.source, f"the overview must state {word!r}"
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in SECTIONS:
        assert heading in markdown, f"missing section {heading!r}"
    exercises = markdown.count("{exercise}")
    solutions = markdown.count("{solution-start}") + markdown.count("{solution}")
    assert exercises >= 2, "a chapter needs exercises"
    assert solutions == exercises, f"{exercises} exercises but {solutions} solutions"
    assert markdown.count("{solution-start}") == markdown.count("{solution-end}")


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=CHAPTER_IDS)
def test_colab_cell_installs_helpers_and_is_hidden(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]
    colab = code[0]
    assert "remove-cell" in tags(colab), "the Colab install cell must be tagged remove-cell"
    assert 'if "google.colab" in sys.modules:' in colab.source
    assert f"git+{repository_url()}" in colab.source, "the install URL must match repository.url in _config.yml"
    setup = code[1].source
    assert setup.index("TF_CPP_MIN_LOG_LEVEL") < setup.index("import keras"), "silence TensorFlow before importing it"
    assert "keras.utils.set_random_seed" in setup
