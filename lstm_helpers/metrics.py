"""Baselines that every trained model in the book is compared with."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["majority_class_accuracy"]


def majority_class_accuracy(y_train: Any, y_test: Any) -> float:
    """Accuracy on ``y_test`` of always predicting the most frequent class of ``y_train``.

    A classifier that does not beat this has learned nothing from the inputs.
    """
    train = np.asarray(y_train).reshape(-1)
    test = np.asarray(y_test).reshape(-1)
    if train.size == 0 or test.size == 0:
        raise ValueError("y_train and y_test must both hold at least one label.")
    if not np.issubdtype(train.dtype, np.integer):
        raise TypeError(f"labels must be integers, but y_train has dtype {train.dtype}. Fix: for one-hot labels "
                        "pass y.argmax(axis=-1).")
    majority = np.bincount(train).argmax()
    return float(np.mean(test == majority))
