"""Helpers for the chapter on bidirectional LSTMs: a tagging task that needs both directions,
and tools that show when a model looks into the future.

* :func:`make_bracket_tagging` generates the chapter's per-step labelling task: mark every step
  that lies inside a pair of brackets ``( ... )``. Whether a step after ``(`` is inside depends on
  the *next* marker, which lies in the future, so a model that reads only the past cannot know.
* :func:`bracket_text` prints a sequence and its labels as text; :func:`plot_tagging` draws one
  sequence with its true labels and the models' predicted probabilities.
* :func:`future_decides` marks the steps whose label the past cannot tell, and
  :func:`best_causal_guess` gives the best predictions that use the past only (a ceiling for any
  unidirectional model on this task).
* :func:`lstm_helpers.make_step_windows` cuts a series into windows with a *per-step* target
  (the next value), the set-up in which a bidirectional model cheats.

The leak test and the live prediction are written out in the chapter itself (a few lines each):
they are the chapter's lesson.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validate import as_array, as_float_batch, check_positive_int

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "make_bracket_tagging",
    "bracket_text",
    "plot_tagging",
    "future_decides",
    "best_causal_guess",
]

#: How each input value is written by :func:`bracket_text`.
SYMBOLS = {0.0: ".", 1.0: "(", -1.0: ")"}


def make_bracket_tagging(
    n_samples: int, timesteps: int = 40, marker_rate: float = 0.15, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Per-step labelling: mark every step that lies inside a pair of brackets.

    Each sequence has one feature per step: ``+1`` for an opening marker ``(``, ``-1`` for a
    closing marker ``)`` and ``0`` for filler. Each step is a marker with probability
    ``marker_rate``, and each marker opens or closes with probability 1/2, independently, so
    markers do not nest or balance. A step's label is 1 when it lies on a *pair*: an opening marker,
    the next marker after it, which closes, and every step between them (both markers included).
    Everything else is 0::

        input  ..(...)..(..(....)..)
        label  001111100000111111000

    The label of a step after ``(`` depends on whether the *next* marker closes, which only the
    future shows; that is why the task needs a bidirectional model.

    Returns ``x`` of shape ``(n_samples, timesteps, 1)`` (float32) and ``y`` of shape
    ``(n_samples, timesteps, 1)`` (int32, one 0/1 label per step).

    >>> x, y = make_bracket_tagging(8, timesteps=20)
    >>> x.shape, y.shape
    ((8, 20, 1), (8, 20, 1))
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    timesteps = check_positive_int(timesteps, "timesteps")
    if isinstance(marker_rate, bool) or not isinstance(marker_rate, (int, float, np.floating)):
        raise TypeError(
            f"marker_rate must be a number between 0 and 1, but got {type(marker_rate).__name__} "
            f"{marker_rate!r}. Fix: pass e.g. marker_rate=0.15."
        )
    if not 0 < marker_rate < 1:
        raise ValueError(
            f"marker_rate must be strictly between 0 and 1 (the chance that a step is a marker), "
            f"but got {marker_rate}. Fix: pass e.g. marker_rate=0.15."
        )
    rng = np.random.default_rng(seed)
    is_marker = rng.random((n_samples, timesteps)) < marker_rate
    opens = rng.random((n_samples, timesteps)) < 0.5
    values = np.where(is_marker, np.where(opens, 1.0, -1.0), 0.0).astype("float32")
    y = np.zeros((n_samples, timesteps), dtype="int32")
    for row, seq in zip(y, values, strict=False):
        marks = np.flatnonzero(seq)
        for a, b in zip(marks[:-1], marks[1:], strict=False):
            if seq[a] == 1.0 and seq[b] == -1.0:
                row[a : b + 1] = 1
    return values[..., None], y[..., None]


def _one_sequence(x: Any, name: str) -> np.ndarray:
    """``x`` as a 1-D array of one sequence's values (accepts ``(timesteps,)`` or ``(timesteps, 1)``)."""
    arr = as_array(x, name)
    if arr.ndim == 2 and arr.shape[-1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be ONE sequence, shape (timesteps,) or (timesteps, 1), but has shape "
            f"{arr.shape}. Fix: pick one sample, e.g. x_test[0]."
        )
    return arr


def bracket_text(x: Any, labels: Mapping[str, Any] | None = None) -> str:
    """One bracket sequence as text, with rows of 0/1 labels (or probabilities) aligned under it.

    ``x`` is one sequence, shape ``(timesteps, 1)`` or ``(timesteps,)``, from
    :func:`make_bracket_tagging`. ``labels`` maps a row name to one value per step; values are
    written as ``1`` when above 0.5 and ``0`` otherwise, so predicted probabilities can be passed
    as they are.

    >>> print(bracket_text(np.array([0, 1, 0, -1, 0]), {"label": [0, 1, 1, 1, 0]}))
    input  .(.).
    label  01110
    """
    seq = _one_sequence(x, "x")
    unknown = sorted(set(np.unique(seq).tolist()) - set(SYMBOLS))
    if unknown:
        raise ValueError(
            f"x must hold bracket codes 0 (filler), 1 '(' and -1 ')', but it also holds {unknown}. "
            "Fix: pass a sequence made by lh.bidirectional.make_bracket_tagging."
        )
    rows = {"input": "".join(SYMBOLS[float(v)] for v in seq)}
    for name, values in (labels or {}).items():
        row = _one_sequence(values, f"labels[{name!r}]")
        if len(row) != len(seq):
            raise ValueError(
                f"labels[{name!r}] has {len(row)} values but x has {len(seq)} steps. "
                "Fix: pass one label per step of the same sequence."
            )
        rows[name] = "".join("1" if v > 0.5 else "0" for v in row)
    width = max(len(k) for k in rows)
    return "\n".join(f"{name:<{width}}  {text}" for name, text in rows.items())


def plot_tagging(x: Any, y_true: Any, predictions: Mapping[str, Any], title: str | None = None) -> Figure:
    """Draw one bracket sequence: markers, the true inside spans (shaded) and predicted probabilities.

    ``predictions`` maps a model's name to its predicted probability of "inside" at each step
    (one value per step). Returns the matplotlib ``Figure``.

    >>> fig = plot_tagging(x_test[0], y_test[0], {"Bidirectional": p_bi[0]})  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    seq = _one_sequence(x, "x")
    truth = _one_sequence(y_true, "y_true")
    if len(truth) != len(seq):
        raise ValueError(
            f"y_true has {len(truth)} labels but x has {len(seq)} steps. Fix: pass the labels of "
            "the same sequence, e.g. x_test[0] and y_test[0]."
        )
    if not isinstance(predictions, Mapping) or not predictions:
        raise TypeError(
            f"predictions must be a non-empty dict of model name -> probabilities, but got "
            f"{type(predictions).__name__}. Fix: pass e.g. {{'Bidirectional': p_bi[0], 'LSTM': p_uni[0]}}."
        )
    steps = np.arange(len(seq))
    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.fill_between(steps, 0, truth, step="mid", color="0.85", label="true label: inside")
    for name, values in predictions.items():
        p = _one_sequence(values, f"predictions[{name!r}]")
        if len(p) != len(seq):
            raise ValueError(
                f"predictions[{name!r}] has {len(p)} values but x has {len(seq)} steps. "
                "Fix: pass one probability per step, e.g. model.predict(x)[0, :, 0]."
            )
        ax.plot(steps, p, marker="o", ms=3, lw=1.4, label=name)
    for t, v in enumerate(seq):
        if v != 0:
            ax.text(t, 1.12, SYMBOLS[float(v)], ha="center", va="center", fontsize=13, fontweight="bold")
    ax.set_ylim(-0.05, 1.25)
    ax.set_yticks([0, 0.5, 1])
    ax.set_xlabel("time step")
    ax.set_ylabel("P(inside)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def _bracket_codes(x: Any) -> np.ndarray:
    arr = as_float_batch(x, "x")
    if arr.shape[-1] != 1:
        raise ValueError(
            f"x must have one feature per step (the bracket code), but has shape {arr.shape}. "
            "Fix: pass x as returned by lh.bidirectional.make_bracket_tagging."
        )
    return arr[..., 0]


def _previous_marker(codes: np.ndarray) -> np.ndarray:
    """For each step, the last marker strictly before it (+1, -1, or 0 when there is none)."""
    prev = np.zeros_like(codes)
    last = np.zeros(codes.shape[0], dtype=codes.dtype)
    for t in range(codes.shape[1]):
        prev[:, t] = last
        last = np.where(codes[:, t] != 0, codes[:, t], last)
    return prev


def future_decides(x: Any) -> np.ndarray:
    """Boolean mask ``(samples, timesteps)``: True where only the future can tell a step's label.

    These are the steps that are an opening marker or follow one (with no other marker in
    between): they are inside exactly when the next marker closes. Everywhere else the past
    alone decides the label.

    >>> future_decides(np.array([[[1.0], [0.0], [-1.0], [0.0]]])).tolist()
    [[True, True, False, False]]
    """
    codes = _bracket_codes(x)
    prev = _previous_marker(codes)
    return (codes == 1.0) | ((codes == 0.0) & (prev == 1.0))


def best_causal_guess(x: Any) -> np.ndarray:
    """The best per-step labels from the past alone, shape ``(samples, timesteps, 1)``.

    Only a closing marker right after an opening one is certainly inside; at a step where only
    the future decides, "inside" has a probability below 1/2 (the next marker closes with
    probability 1/2, and may never come), so the best guess there is 0. No model that reads the
    sequence left to right can beat the accuracy of these labels, except by chance.

    >>> best_causal_guess(np.array([[[1.0], [0.0], [-1.0], [0.0]]]))[..., 0].tolist()
    [[0, 0, 1, 0]]
    """
    codes = _bracket_codes(x)
    prev = _previous_marker(codes)
    return ((codes == -1.0) & (prev == 1.0)).astype("int32")[..., None]
