"""Every score the book reports: the majority-class baseline, forecast errors, string accuracy.

* :func:`majority_class_accuracy`: the baseline every classifier must beat;
* :func:`mae` and :func:`rmse`: forecast errors in the units of the series;
* :func:`sequence_accuracy`: exact-match and per-character accuracy of generated strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validate import as_array

__all__ = ["majority_class_accuracy", "mae", "rmse", "sequence_accuracy"]


def majority_class_accuracy(y_train: Any, y_test: Any) -> float:
    """Accuracy on ``y_test`` of always predicting the most frequent class of ``y_train``.

    A classifier that does not beat this has learned nothing from the inputs.

    >>> majority_class_accuracy([0, 1, 1, 2], [1, 1, 0, 2])
    0.5
    """
    train = np.asarray(y_train).reshape(-1)
    test = np.asarray(y_test).reshape(-1)
    if train.size == 0 or test.size == 0:
        raise ValueError(
            f"y_train and y_test must both hold at least one label, but they hold {train.size} and "
            f"{test.size}. Fix: pass the labels of the training and the test part."
        )
    if not np.issubdtype(train.dtype, np.integer):
        raise TypeError(
            f"labels must be integers, but y_train has dtype {train.dtype}. Fix: for one-hot labels "
            "pass y.argmax(axis=-1)."
        )
    majority = np.bincount(train).argmax()
    return float(np.mean(test == majority))


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    t = as_array(y_true, "y_true").astype("float64")
    p = as_array(y_pred, "y_pred").astype("float64")
    if t.size == 0:
        raise ValueError("y_true is empty, but an error needs at least one target. Fix: pass at least one target.")
    if t.size != p.size:
        raise ValueError(
            f"y_true has {t.size} values (shape {t.shape}) but y_pred has {p.size} (shape {p.shape}). "
            "Fix: pass one prediction per target, e.g. model.predict(x) for the same windows."
        )
    return t.reshape(-1), p.reshape(-1)


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error, in the units of the series (same number of values; shapes may differ).

    >>> mae([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    0.6666666666666666
    """
    t, p = _pair(y_true, y_pred)
    return float(np.mean(np.abs(t - p)))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error, in the units of the series.

    >>> rmse([0.0, 0.0], [3.0, 4.0])
    3.5355339059327378
    """
    t, p = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((t - p) ** 2)))


def sequence_accuracy(predicted: Sequence[str], truth: Sequence[str]) -> dict[str, float]:
    """Exact-match and per-character accuracy of predicted strings against the true ones.

    ``exact_match``: share of strings that are entirely right. ``per_character``: share of
    character positions that are right, comparing both strings padded to the longer one (a
    missing or extra character counts as wrong).

    >>> sequence_accuracy(["65", "12"], ["65", "13"])
    {'exact_match': 0.5, 'per_character': 0.75}
    """
    if isinstance(predicted, str) or isinstance(truth, str):
        raise TypeError("predicted and truth must be lists of strings, not single strings. Fix: wrap them in a list.")
    pred, true = list(predicted), list(truth)
    if len(pred) != len(true) or not pred:
        raise ValueError(
            f"predicted and truth must be non-empty and pair up, but have {len(pred)} and "
            f"{len(true)} strings. Fix: decode the same examples you compare with."
        )
    exact = np.mean([p == t for p, t in zip(pred, true, strict=True)])
    right = total = 0
    for p, t in zip(pred, true, strict=True):
        n = max(len(p), len(t))
        right += sum(x == y for x, y in zip(p.ljust(n, "\0"), t.ljust(n, "\0"), strict=True))
        total += n
    return {"exact_match": float(exact), "per_character": float(right / total) if total else 1.0}
