"""Helpers for the chapter on stateful LSTMs: the batch layout that carries state, and a memory task.

A stateful recurrent layer hands the state it ends a batch with to the *same row* of the next
batch. For that to mean anything, row ``i`` of batch ``k + 1`` must continue row ``i`` of batch
``k`` in time. :func:`stateful_batches` cuts one long series into that layout and
:func:`stateful_unbatch` puts per-step outputs back into time order::

    x = lh.stateful.stateful_batches(series, batch_size=4, timesteps=10)   # (batches * 4, 10, features)
    model.fit(x, y, batch_size=4, shuffle=False)                  # the rows stay in that order
    y_pred = lh.stateful.stateful_unbatch(model.predict(x, batch_size=4, verbose=0), batch_size=4)

:func:`make_switch_series` generates a long stream whose targets depend on an event that lies
further back than a short chunk, so it needs memory across chunks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_array, check_numeric, check_positive_int

__all__ = ["stateful_batches", "stateful_unbatch", "make_switch_series"]


def _as_series(series: Any, name: str) -> np.ndarray:
    """``series`` as a float array of shape ``(length, features)``."""
    arr = as_array(series, name)
    check_numeric(arr, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be one long series, 1-D (length,) or 2-D (length, features), but has shape "
            f"{arr.shape}. Fix: pass the series in time order, before any windowing; "
            "stateful_batches() makes the samples axis itself."
        )
    return arr


def stateful_batches(series: Any, batch_size: int, timesteps: int) -> np.ndarray:
    """Cut one long series into batches whose rows continue each other, for a stateful RNN.

    The series is split into ``batch_size`` consecutive *streams* of equal length (stream ``i``
    starts at step ``i * stream_length``), and each stream into chunks of ``timesteps`` steps.
    Batch ``k`` holds chunk ``k`` of every stream, so **row i of batch k+1 is the continuation of
    row i of batch k**. The batches are stacked along the samples axis in order: rows
    ``k * batch_size .. (k + 1) * batch_size - 1`` are batch ``k``, which is exactly how
    ``model.fit(x, y, batch_size=batch_size, shuffle=False)`` and ``model.predict(x,
    batch_size=batch_size)`` slice them.

    ``series`` is ``(length,)`` or ``(length, features)``. Steps that do not fill a whole chunk in
    every stream are dropped at the end (at most ``batch_size * timesteps - 1`` steps); lay out
    the per-step targets with the same call so that they line up.

    Returns an array of shape ``(n_batches * batch_size, timesteps, features)`` with
    ``n_batches = (length // batch_size) // timesteps``.

    >>> stateful_batches(np.arange(8.0), batch_size=2, timesteps=2)[:, :, 0].tolist()
    [[0.0, 1.0], [4.0, 5.0], [2.0, 3.0], [6.0, 7.0]]
    """
    arr = _as_series(series, "series")
    batch_size = check_positive_int(batch_size, "batch_size")
    timesteps = check_positive_int(timesteps, "timesteps")
    length, features = arr.shape
    n_batches = (length // batch_size) // timesteps
    if n_batches == 0:
        raise ValueError(
            f"the series has {length} steps, too short for batch_size={batch_size} streams of at least "
            f"one chunk of timesteps={timesteps} ({batch_size * timesteps} steps). Fix: use a smaller "
            "batch_size or shorter timesteps, or a longer series."
        )
    stream_length = n_batches * timesteps
    streams = arr[: batch_size * stream_length].reshape(batch_size, n_batches, timesteps, features)
    # (streams, batches, timesteps, features) -> (batches, streams, ...): batch k = chunk k of each stream
    return np.ascontiguousarray(streams.transpose(1, 0, 2, 3).reshape(n_batches * batch_size, timesteps, features))


def stateful_unbatch(x: Any, batch_size: int) -> np.ndarray:
    """Undo :func:`stateful_batches`: put the chunks back into one series in time order.

    ``x`` is ``(n_batches * batch_size, timesteps, features)``, for example the per-step
    predictions of a model with ``return_sequences=True``. Returns ``(length, features)`` with
    ``length = n_batches * batch_size * timesteps`` (the steps that ``stateful_batches`` kept).

    >>> stateful_unbatch(stateful_batches(np.arange(8.0), 2, 2), batch_size=2)[:, 0].tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    """
    arr = as_array(x, "x")
    batch_size = check_positive_int(batch_size, "batch_size")
    if arr.ndim != 3:
        raise ValueError(
            f"x must be 3-D (samples, timesteps, features) as made by stateful_batches(), but has shape "
            f"{arr.shape}. Fix: for per-step outputs use return_sequences=True; add a feature axis with "
            "x[..., None] if it is missing."
        )
    samples, timesteps, features = arr.shape
    if samples == 0 or samples % batch_size:
        raise ValueError(
            f"x has {samples} samples, which is not a positive multiple of batch_size={batch_size}, so it "
            "cannot come from stateful_batches() with that batch size. Fix: pass the same batch_size "
            "that laid the series out."
        )
    n_batches = samples // batch_size
    streams = arr.reshape(n_batches, batch_size, timesteps, features).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(streams.reshape(batch_size * n_batches * timesteps, features))


def make_switch_series(
    length: int, min_gap: int = 10, max_gap: int = 30, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A long stream in which rare switch events set a mode that must be remembered.

    At random moments (the first at step 0, then every ``min_gap`` to ``max_gap`` steps) a
    *switch* sets the mode to on (1) or off (0), chosen at random. The input shows the switch only
    at that step, as a pulse of +1 (on) or -1 (off); every other step is Gaussian noise with
    standard deviation ``noise``. The target at each step is the current mode, so a model must
    remember the last pulse for up to ``max_gap`` steps. Half the steps are on, on average.

    Returns ``x`` of shape ``(length, 1)`` (float32) and ``y`` of shape ``(length,)`` (int64, 0/1).

    >>> x, y = make_switch_series(100)
    >>> x.shape, y.shape
    ((100, 1), (100,))
    """
    length = check_positive_int(length, "length")
    min_gap = check_positive_int(min_gap, "min_gap")
    max_gap = check_positive_int(max_gap, "max_gap")
    if max_gap < min_gap:
        raise ValueError(
            f"max_gap must be >= min_gap, but got min_gap={min_gap}, max_gap={max_gap}. "
            "Fix: e.g. min_gap=10, max_gap=30."
        )
    if not np.isfinite(noise) or noise < 0 or noise >= 0.5:
        raise ValueError(
            f"noise must be in [0, 0.5) so that a pulse of +-1 stands out, but got {noise}. Fix: e.g. noise=0.2."
        )
    rng = np.random.default_rng(seed)
    x = (noise * rng.standard_normal(length)).astype("float32")
    y = np.zeros(length, dtype="int64")
    start = 0
    while start < length:
        mode = int(rng.integers(0, 2))
        stop = min(start + int(rng.integers(min_gap, max_gap + 1)), length)
        x[start] = 1.0 if mode else -1.0
        y[start:stop] = mode
        start = stop
    return x[:, None], y
