"""Helpers for the chapter on stacked LSTMs: windows with a target at every timestep (many-to-many).

``make_windows`` (in :mod:`lstm_helpers.data`) gives each window *one* target, the value after
its last step: the data for a many-to-one model. A many-to-many model, whose last LSTM keeps
``return_sequences=True``, predicts at *every* step, so each window needs one target per step::

    x, y = lh.make_step_windows(series, timesteps=16)
    # x: (samples, 16, 1), y: (samples, 16, 1); y[i, k] is the value right after x[i, k]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_array
from .data import make_windows

__all__ = ["make_step_windows"]


def make_step_windows(series: Any, timesteps: int, target_column: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into overlapping windows whose target at each step is the next step's value.

    ``series`` is ``(length,)`` or ``(length, features)``. Window ``i`` holds steps
    ``i .. i+timesteps-1``; its targets are steps ``i+1 .. i+timesteps`` of ``target_column``
    (all columns if ``target_column`` is None), so ``y[i, k]`` is the value one step after
    ``x[i, k]``, and the "last value" forecast of ``y[i, k]`` is ``x[i, k, target_column]``.

    Returns ``x`` of shape ``(samples, timesteps, features)`` and ``y`` of shape
    ``(samples, timesteps, 1)`` (one target column) or ``(samples, timesteps, features)``, where
    ``samples = length - timesteps``. Raises the same errors as :func:`make_windows` for a series
    that is too short, has the wrong rank, a bad ``target_column`` or NaN values.
    """
    # make_windows validates every argument and gives the inputs; the targets are the same
    # windows moved one step later
    x, _ = make_windows(series, timesteps, horizon=1, stride=1, target_column=target_column)
    arr = as_array(series, "series").astype("float32")
    if arr.ndim == 1:
        arr = arr[:, None]
    shifted = np.stack([arr[s + 1:s + 1 + x.shape[1]] for s in range(len(x))])
    y = shifted if target_column is None else shifted[:, :, [target_column]]
    return x, y
