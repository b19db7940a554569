"""The page-width wrapping that every printed note of the helpers goes through."""

import doctest

from lstm_helpers import _text
from lstm_helpers._text import PAGE_WIDTH, wrap, wrap_lines


def test_wrap_keeps_short_bracketed_groups_and_indents():
    text = "give keras.Input(shape=...) the shape of ONE sample: (100, 6), then " * 3
    lines = wrap(text.strip(), first="   Fix: ", rest="   ").splitlines()
    assert all(len(line) <= PAGE_WIDTH for line in lines)
    assert lines[0].startswith("   Fix: give") and all(line.startswith("   ") for line in lines[1:])
    assert all("(100," not in line or "(100, 6)" in line for line in lines)  # never split
    assert " ".join(" ".join(lines).split()) == "Fix: " + " ".join(text.split())


def test_wrap_splits_a_long_parenthesised_sentence_and_keeps_inner_spacing():
    long = "(" + "word " * 30 + "end)"
    assert max(len(line) for line in wrap(long).splitlines()) <= PAGE_WIDTH
    assert wrap("input weights      4 x 8 = 32") == "input weights      4 x 8 = 32"
    assert wrap("", first="x ") == "x"


def test_wrap_lines_wraps_each_line_under_its_own_indent():
    text = "title\n  split: " + "a fairly long rule " * 8
    lines = wrap_lines(text).splitlines()
    assert lines[0] == "title" and lines[1].startswith("  split: ")
    assert all(line.startswith("    ") for line in lines[2:]) and len(lines) > 2
    assert max(len(line) for line in lines) <= PAGE_WIDTH


def test_examples():
    assert doctest.testmod(_text).failed == 0
