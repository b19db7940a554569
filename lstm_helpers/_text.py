"""Printed text that fits the book's page: at most :data:`PAGE_WIDTH` characters a line.

Every note the helpers print (a diagnosis, a trace, a data set's summary, a citation) goes
through :func:`wrap`, so no printed line scrolls sideways in the rendered book. A short
bracketed group such as ``(None, 100, 6)`` or ``keras.Input(shape=(10, 3))`` is never split
across two lines, and a shape tuple stays with the word before it (``x (32, 100, 6)``); a
long group (a parenthesised sentence) may be split.
"""

from __future__ import annotations

import re
import textwrap

#: the widest line a notebook shows without scrolling (tests/test_notebooks.py checks it too)
PAGE_WIDTH = 80

#: bracketed groups up to this many characters stay on one line
_KEEP_TOGETHER = 24
_GLUE = "\x00"  # stands for a space that must not break while the text is wrapped
_OPEN, _CLOSE = "([{", ")]}"
_SHAPE = re.compile(r"\((None|\d+)(, (None|\d+))*,?\)")


def _glue_short_groups(text: str) -> str:
    """``text`` with glue for the spaces inside each short bracketed group (at any depth) and
    for the space before a shape tuple, as in ``x (32, 100, 6)``."""
    chars = list(text)
    starts: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            starts.append(i)
        elif ch in _CLOSE and starts:
            start = starts.pop()
            if i + 1 - start > _KEEP_TOGETHER:
                continue
            chars[start : i + 1] = [_GLUE if c == " " else c for c in chars[start : i + 1]]
            if start >= 2 and text[start - 1] == " " and _SHAPE.fullmatch(text[start : i + 1]):
                chars[start - 1] = _GLUE  # "x (32, 100, 6)": a name and its shape stay together
    return "".join(chars)


def wrap(text: str, first: str = "", rest: str | None = None, width: int = PAGE_WIDTH) -> str:
    """Wrap one paragraph to ``width`` characters: ``first`` starts it, ``rest`` each later line.

    ``rest`` defaults to as many spaces as ``first`` is long (a hanging indent). Words and short
    bracketed groups are never split; a line only exceeds ``width`` when one of them alone is
    wider.

    >>> print(wrap("a b c d e f", first="1. ", width=8))
    1. a b c
       d e f
    """
    rest = " " * len(first) if rest is None else rest
    lines = textwrap.wrap(
        _glue_short_groups(text.strip()),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(line.replace(_GLUE, " ") for line in lines) or first.rstrip()


def wrap_lines(text: str, indent: str = "  ", width: int = PAGE_WIDTH) -> str:
    """Wrap every line of ``text`` on its own; a wrapped line's continuation gets ``indent`` more.

    Each line keeps its own leading spaces, so an indented list stays a list.

    >>> print(wrap_lines("key: one two three", width=12))
    key: one two
      three
    """
    out = []
    for line in text.splitlines():
        lead = line[: len(line) - len(line.lstrip(" "))]
        out.append(wrap(line.strip(), first=lead, rest=lead + indent, width=width))
    return "\n".join(out)
