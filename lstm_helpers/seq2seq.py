"""Sequence-to-sequence helpers: arithmetic written as text, and a character table to encode it.

The chapter on ``return_state`` and the encoder-decoder trains an LSTM to answer questions such
as ``"57+8"`` with ``"65"``, one character at a time (the classic Keras "addition RNN" example)::

    >>> table = CharTable()
    >>> problems = make_addition_problems(3, max_digits=2, seed=0)
    >>> arrays = make_seq2seq_arrays(problems.questions, problems.answers, table)
    >>> arrays.encoder_input.shape, arrays.decoder_input.shape, arrays.decoder_target.shape
    ((3, 5, 15), (3, 4, 15), (3, 4))

Everything is generated offline and deterministically from a seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._text import wrap
from ._validate import as_array, check_positive_int

__all__ = [
    "PAD",
    "START",
    "END",
    "CharTable",
    "ArithmeticProblems",
    "Seq2SeqArrays",
    "make_addition_problems",
    "make_seq2seq_arrays",
]

#: Padding character: fills every string up to its fixed length.
PAD = " "
#: Start token: the decoder's first input, "start answering now".
START = "^"
#: End token: the decoder writes it after the last character of the answer.
END = "$"
#: The book's default alphabet: padding, start, end, digits and the two operators.
DEFAULT_CHARS = PAD + START + END + "0123456789+-"


class CharTable:
    """Maps characters to integer ids and one-hot vectors, and back.

    ``CharTable()`` knows padding ``" "`` (id 0), start ``"^"``, end ``"$"``, the ten digits and
    ``+`` and ``-``: 15 characters. :meth:`encode` turns strings into an integer array
    ``(samples, length)``, padded on the right with ``" "``; :meth:`one_hot` gives
    ``(samples, length, len(table))``; :meth:`decode` reads ids, one-hot vectors or predicted
    probabilities back into strings.
    """

    def __init__(self, chars: str = DEFAULT_CHARS):
        if not isinstance(chars, str):
            raise TypeError(
                f"chars must be a str of distinct characters, but got {type(chars).__name__}. "
                f"Fix: CharTable({DEFAULT_CHARS!r})."
            )
        if len(set(chars)) != len(chars):
            repeated = sorted({c for c in chars if chars.count(c) > 1})
            raise ValueError(
                f"chars must not repeat a character, but {repeated} appear more than once "
                f"in {chars!r}. Fix: list each character once."
            )
        if not chars or chars[0] != PAD:
            raise ValueError(
                f"chars must start with the padding character {PAD!r} (so that padding is id 0), "
                f"but got {chars!r}. Fix: CharTable({PAD!r} + ...)."
            )
        self.chars = chars
        self.index = {c: i for i, c in enumerate(chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharTable({self.chars!r}): {len(self)} characters"

    def _strings(self, strings: Any, name: str) -> list[str]:
        if isinstance(strings, str):
            raise TypeError(
                f"{name} must be a list of strings, but got the single string {strings!r}. "
                f"Fix: wrap it in a list: [{strings!r}]."
            )
        try:
            items = list(strings)
        except TypeError:
            raise TypeError(
                f"{name} must be a list of strings, but got {type(strings).__name__}. Fix: pass e.g. ['57+8', '3+41']."
            ) from None
        if not items:
            raise ValueError(f"{name} is empty. Fix: pass at least one string.")
        for s in items:
            if not isinstance(s, str):
                raise TypeError(
                    f"{name} must hold strings only, but holds {type(s).__name__} {s!r}. "
                    "Fix: convert numbers to text first, e.g. str(65)."
                )
        return items

    def encode(self, strings: Sequence[str], length: int) -> np.ndarray:
        """Integer ids of shape ``(samples, length)``, each string padded on the right with ``" "``."""
        items = self._strings(strings, "strings")
        length = check_positive_int(length, "length")
        ids = np.zeros((len(items), length), dtype="int64")
        for row, s in enumerate(items):
            if len(s) > length:
                raise ValueError(
                    f"string {s!r} has {len(s)} characters, more than length={length}. "
                    f"Fix: pass length={max(len(t) for t in items)} (the longest string)."
                )
            unknown = sorted({c for c in s if c not in self.index})
            if unknown:
                raise ValueError(
                    f"string {s!r} holds character(s) {unknown} that are not in the table "
                    f"{self.chars!r}. Fix: build the table with them, e.g. "
                    f"CharTable({self.chars + ''.join(unknown)!r})."
                )
            ids[row, : len(s)] = [self.index[c] for c in s]
        return ids

    def one_hot(self, strings: Sequence[str], length: int) -> np.ndarray:
        """One-hot float32 array ``(samples, length, len(table))``: one feature per character."""
        ids = self.encode(strings, length)
        return np.eye(len(self), dtype="float32")[ids]

    def decode(self, values: Any, stop_at_end: bool = True, strip: bool = True) -> list[str]:
        """Strings from ids ``(samples, length)`` or one-hot/probabilities ``(samples, length, chars)``.

        With ``stop_at_end=True`` each string is cut at the first end token ``"$"``; with
        ``strip=True`` padding and the start token are removed.
        """
        arr = as_array(values, "values")
        if arr.ndim == 3:
            if arr.shape[-1] != len(self):
                raise ValueError(
                    f"values has {arr.shape[-1]} features per step, but the table has {len(self)} "
                    "characters. Fix: decode with the same CharTable that encoded the data."
                )
            arr = arr.argmax(axis=-1)
        if arr.ndim != 2:
            raise ValueError(
                f"values must be ids (samples, length) or one-hot (samples, length, chars), but has "
                f"shape {arr.shape}. Fix: for one string pass values[None]."
            )
        if not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(
                f"ids must be integers, but have dtype {arr.dtype}. Fix: values.astype('int64'), or "
                "pass the probabilities (samples, length, chars) to take their argmax."
            )
        if arr.size and (arr.min() < 0 or arr.max() >= len(self)):
            raise ValueError(
                f"ids must lie in 0..{len(self) - 1}, but range from {arr.min()} to {arr.max()}. "
                "Fix: decode with the same CharTable that encoded the data."
            )
        out = []
        for row in arr:
            s = "".join(self.chars[i] for i in row)
            if stop_at_end and END in s:
                s = s[: s.index(END)]
            if strip:
                s = s.replace(START, "").strip(PAD)
            out.append(s)
        return out


@dataclass(repr=False)
class ArithmeticProblems:
    """Unique arithmetic questions and their answers, as strings, in random order.

    ``questions[i]`` (e.g. ``"57+8"``) has the answer ``answers[i]`` (``"65"``); ``a`` and ``b``
    hold the two numbers. No question appears twice, so any split by position is free of overlap.
    """

    questions: list[str]
    answers: list[str]
    a: np.ndarray
    b: np.ndarray
    operator: str
    max_digits: int

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def question_length(self) -> int:
        """Longest possible question: ``2 * max_digits + 1`` characters."""
        return 2 * self.max_digits + 1

    @property
    def answer_length(self) -> int:
        """Longest possible answer: ``max_digits + 1`` characters (a carry, or a minus sign)."""
        return self.max_digits + 1

    def __getitem__(self, index: Any) -> ArithmeticProblems:
        """A subset, e.g. ``problems[:800]`` or ``problems[np.array([...])]``."""
        idx = np.arange(len(self))[index]
        idx = np.atleast_1d(idx)
        return ArithmeticProblems(
            [self.questions[i] for i in idx],
            [self.answers[i] for i in idx],
            self.a[idx],
            self.b[idx],
            self.operator,
            self.max_digits,
        )

    def __repr__(self) -> str:
        shown = ", ".join(f"{q}={a}" for q, a in zip(self.questions[:3], self.answers[:3], strict=False))
        return wrap(
            f"ArithmeticProblems: {len(self)} unique '{self.operator}' problems with up to "
            f"{self.max_digits} digits per number ({shown}, ...)",
            rest="  ",
        )


def make_addition_problems(
    n_samples: int, max_digits: int = 2, operator: str = "+", seed: int = 0
) -> ArithmeticProblems:
    """``n_samples`` distinct problems ``"a+b"`` with ``0 <= a, b < 10**max_digits``, answers as text.

    The questions are drawn *without replacement* from all ``(10**max_digits)**2`` ordered pairs
    (``"57+8"`` and ``"8+57"`` are different questions), so no question appears twice.
    Consecutive slices never share a question, but they do share *swapped twins*: ``"8+57"``
    in training answers ``"57+8"`` in test. For a truly held-out test set, split by the
    unordered pair ``{a, b}`` (the encoder-decoder chapter shows how). ``operator="-"`` gives
    subtraction (answers may be negative, e.g. ``"8-57"`` -> ``"-49"``).

    >>> problems = make_addition_problems(100, max_digits=2)
    >>> len(problems), problems.question_length, problems.answer_length
    (100, 5, 3)
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    max_digits = check_positive_int(max_digits, "max_digits")
    if operator not in ("+", "-"):
        raise ValueError(f"operator must be '+' or '-', but got {operator!r}. Fix: operator='+' or operator='-'.")
    if max_digits > 4:
        raise ValueError(
            f"max_digits must be at most 4 (10**8 possible pairs is plenty), but got {max_digits}. "
            "Fix: pass max_digits=4 or fewer."
        )
    limit = 10**max_digits
    total = limit * limit
    if n_samples > total:
        raise ValueError(
            f"only {total} distinct problems exist with max_digits={max_digits}, but n_samples="
            f"{n_samples} were asked for. Fix: ask for at most {total}, or raise max_digits."
        )
    rng = np.random.default_rng(seed)
    pairs = rng.choice(total, size=n_samples, replace=False)
    a, b = pairs // limit, pairs % limit
    values = a + b if operator == "+" else a - b
    questions = [f"{x}{operator}{y}" for x, y in zip(a, b, strict=False)]
    answers = [str(v) for v in values]
    return ArithmeticProblems(questions, answers, a.astype("int64"), b.astype("int64"), operator, max_digits)


@dataclass(repr=False)
class Seq2SeqArrays:
    """The three arrays an encoder-decoder trains on, with teacher forcing.

    - ``encoder_input``: one-hot questions ``(samples, question_length, chars)``;
    - ``decoder_input``: one-hot ``START + answer`` (the target shifted right by one step),
      ``(samples, answer_length + 1, chars)``;
    - ``decoder_target``: integer ids of ``answer + END``, ``(samples, answer_length + 1)``, for
      ``sparse_categorical_crossentropy``.
    """

    encoder_input: np.ndarray
    decoder_input: np.ndarray
    decoder_target: np.ndarray

    def __repr__(self) -> str:
        return wrap(
            f"Seq2SeqArrays(encoder_input {self.encoder_input.shape}, decoder_input "
            f"{self.decoder_input.shape}, decoder_target {self.decoder_target.shape})",
            rest="  ",
        )


def make_seq2seq_arrays(
    questions: Sequence[str],
    answers: Sequence[str],
    table: CharTable,
    question_length: int | None = None,
    answer_length: int | None = None,
    reverse_questions: bool = False,
) -> Seq2SeqArrays:
    """Encode questions and answers for an encoder-decoder trained with teacher forcing.

    The decoder's target is ``answer + "$"`` padded to ``answer_length + 1``; its input is the
    same sequence shifted right by one step, starting with ``"^"``: at step *t* the decoder sees
    the true character *t - 1* and must predict character *t*. Lengths default to the longest
    question and answer given; pass them explicitly so that every split has the same shapes.
    ``reverse_questions=True`` feeds each question backwards (``"57+8"`` as ``"8+75"``), the trick
    of the Keras addition example (after Sutskever et al., 2014, who reversed source sentences);
    the encoder-decoder chapter discusses what it does and does not change.

    >>> arrays = make_seq2seq_arrays(["57+8"], ["65"], CharTable())
    >>> arrays.decoder_target.shape
    (1, 3)
    """
    qs, ans = _pairs(questions, answers, table)
    q_len = (
        max(len(q) for q in qs) if question_length is None else check_positive_int(question_length, "question_length")
    )
    a_len = max(len(a) for a in ans) if answer_length is None else check_positive_int(answer_length, "answer_length")
    steps = a_len + 1
    targets = [a + END for a in ans]
    if max(len(t) for t in targets) > steps:
        longest = max(ans, key=len)
        raise ValueError(
            f"answer {longest!r} has {len(longest)} characters, more than answer_length={a_len}. "
            f"Fix: pass answer_length={len(longest)} or more."
        )
    if not isinstance(reverse_questions, bool):
        raise TypeError(
            f"reverse_questions must be True or False, but got {reverse_questions!r}. "
            "Fix: pass reverse_questions=True or reverse_questions=False."
        )
    encoder_input = table.one_hot([q[::-1] for q in qs] if reverse_questions else qs, q_len)
    decoder_target = table.encode(targets, steps)
    decoder_input = table.one_hot([START + t.ljust(steps, PAD)[:-1] for t in targets], steps)
    return Seq2SeqArrays(encoder_input, decoder_input, decoder_target)


def _pairs(questions: Sequence[str], answers: Sequence[str], table: CharTable) -> tuple[list[str], list[str]]:
    """The questions and answers of :func:`make_seq2seq_arrays` as lists, checked to pair up."""
    if not isinstance(table, CharTable):
        raise TypeError(f"table must be a CharTable, but got {type(table).__name__}. Fix: table = CharTable().")
    qs = table._strings(questions, "questions")
    ans = table._strings(answers, "answers")
    if len(qs) != len(ans):
        raise ValueError(
            f"questions and answers must pair up, but there are {len(qs)} questions and "
            f"{len(ans)} answers. Fix: pass lists of the same length."
        )
    for s in ans:
        if START in s or END in s:
            raise ValueError(
                f"answer {s!r} already holds the start {START!r} or end {END!r} token; they are "
                "added here. Fix: pass the bare answers, e.g. '65'."
            )
    return qs, ans
