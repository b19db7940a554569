"""Forecasting helpers for the chapter *Time-series forecasting done right*.

* The baselines every forecaster must beat, all working on windows shaped
  ``(samples, timesteps)`` or ``(samples, timesteps, features)`` as made by
  :func:`lstm_helpers.make_windows`: :func:`naive_forecast` (last value),
  :func:`seasonal_naive_forecast` (the value one season ago) and a linear autoregressive model
  fitted by least squares (:func:`fit_linear_autoregressive`, then ``.predict``).

The chapter's data (:func:`lstm_helpers.data.load_co2`) and error measures
(:func:`lstm_helpers.metrics.mae`, :func:`lstm_helpers.metrics.rmse`) live with the other loaders
and metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import _kind, as_array, check_numeric, check_positive_int

__all__ = [
    "naive_forecast",
    "seasonal_naive_forecast",
    "LinearAutoregressive",
    "fit_linear_autoregressive",
]


def _windows(x: Any, name: str = "x") -> np.ndarray:
    """Windows as a float array ``(samples, timesteps, features)``; a 2-D input gains a feature axis."""
    arr = as_array(x, name)
    check_numeric(arr, name)
    if arr.ndim == 2:
        arr = arr[..., None]
    if arr.ndim != 3 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name} must be a non-empty batch of windows shaped (samples, timesteps) or (samples, timesteps, "
            f"features), but has shape {arr.shape}. Fix: cut the series with lh.make_windows(series, timesteps)."
        )
    return arr.astype("float64")


def _column(arr: np.ndarray, column: int) -> np.ndarray:
    if isinstance(column, bool) or not isinstance(column, (int, np.integer)):
        raise TypeError(f"column must be an int, but got {_kind(column)} {column!r}. Fix: e.g. column=0.")
    features = arr.shape[-1]
    if not -features <= column < features:
        raise ValueError(
            f"column={column} but the windows have {features} feature(s). "
            f"Fix: pick a column between 0 and {features - 1}."
        )
    return arr[:, :, column]


def naive_forecast(x: Any, horizon: int = 1, column: int = 0) -> np.ndarray:
    """The persistence forecast: every future step equals the window's last value.

    ``x`` is ``(samples, timesteps)`` or ``(samples, timesteps, features)``; the forecast is for
    feature ``column``. Returns ``(samples, horizon)``, the same shape as ``y`` from
    ``lh.make_windows(..., horizon=horizon)``.

    >>> naive_forecast(np.array([[1.0, 2.0, 3.0]]), horizon=2).tolist()
    [[3.0, 3.0]]
    """
    arr = _column(_windows(x), column)
    horizon = check_positive_int(horizon, "horizon")
    return np.repeat(arr[:, -1:], horizon, axis=1)


def seasonal_naive_forecast(x: Any, season: int, horizon: int = 1, column: int = 0) -> np.ndarray:
    """The seasonal persistence forecast: each future step equals the value one season earlier.

    With monthly data and ``season=12``, next March is forecast as last March. Step ``k`` ahead
    (``k = 1..horizon``) takes the window's value at position ``timesteps - season + (k - 1) % season``,
    so the window must hold at least one season: ``timesteps >= season``. Returns ``(samples, horizon)``.

    >>> seasonal_naive_forecast(np.array([[1.0, 2.0, 3.0, 4.0]]), season=2, horizon=3).tolist()
    [[3.0, 4.0, 3.0]]
    """
    arr = _column(_windows(x), column)
    season = check_positive_int(season, "season")
    horizon = check_positive_int(horizon, "horizon")
    timesteps = arr.shape[1]
    if season > timesteps:
        raise ValueError(
            f"season={season} but the windows have only {timesteps} timesteps, so the value one "
            f"season ago is not in them. Fix: cut windows of at least {season} timesteps."
        )
    positions = timesteps - season + np.arange(horizon) % season
    return arr[:, positions]


@dataclass
class LinearAutoregressive:
    """A linear autoregressive forecaster: ``y = flatten(window[-lags:]) @ weights + bias``.

    ``weights`` is ``(lags * features, horizon)`` and ``bias`` is ``(horizon,)``. Made by
    :func:`fit_linear_autoregressive`.
    """

    weights: np.ndarray
    bias: np.ndarray
    lags: int
    features: int

    def predict(self, x: Any) -> np.ndarray:
        """Forecast ``(samples, horizon)`` for windows ``(samples, timesteps[, features])``."""
        arr = _windows(x)
        if arr.shape[2] != self.features:
            raise ValueError(
                f"the model was fitted on windows with {self.features} feature(s) but x has "
                f"{arr.shape[2]} (shape {arr.shape}). Fix: pass windows with the same columns."
            )
        if arr.shape[1] < self.lags:
            raise ValueError(
                f"the model uses the last {self.lags} timesteps but x has only {arr.shape[1]} "
                f"(shape {arr.shape}). Fix: pass windows of at least {self.lags} timesteps."
            )
        flat = arr[:, -self.lags :, :].reshape(len(arr), -1)
        return flat @ self.weights + self.bias

    def __repr__(self) -> str:
        return (
            f"LinearAutoregressive(lags={self.lags}, features={self.features}, "
            f"horizon={self.bias.shape[0]}, parameters={self.weights.size + self.bias.size})"
        )


def fit_linear_autoregressive(x: Any, y: Any, lags: int | None = None) -> LinearAutoregressive:
    """Fit a linear autoregressive model by least squares on training windows.

    ``x`` is ``(samples, timesteps[, features])``; ``y`` is ``(samples,)`` or ``(samples, horizon)``
    (as made by ``lh.make_windows``). The model reads the last ``lags`` timesteps of each window
    (all of them by default), flattened, plus an intercept: the classical AR(p) model, fitted
    directly for every step of the horizon. Fit it on the training windows only.

    >>> x = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    >>> model = fit_linear_autoregressive(x, x[:, 1] * 2)
    >>> round(float(model.predict([[4.0, 8.0]])[0, 0]), 6)
    16.0
    """
    arr = _windows(x)
    target = as_array(y, "y")
    check_numeric(target, "y")
    target = target.astype("float64")
    if target.ndim == 1:
        target = target[:, None]
    if target.ndim != 2 or target.shape[0] != arr.shape[0]:
        raise ValueError(
            f"y must be (samples,) or (samples, horizon) with one row per window; x has "
            f"{arr.shape[0]} windows but y has shape {target.shape}. Fix: pass the y that "
            "lh.make_windows returned with x."
        )
    lags = arr.shape[1] if lags is None else check_positive_int(lags, "lags")
    if lags > arr.shape[1]:
        raise ValueError(
            f"lags={lags} but the windows have only {arr.shape[1]} timesteps. "
            f"Fix: use lags <= {arr.shape[1]} or cut longer windows."
        )
    if not (np.isfinite(arr).all() and np.isfinite(target).all()):
        raise ValueError("x or y contains NaN or infinite values. Fix: fill gaps before windowing.")
    flat = arr[:, -lags:, :].reshape(len(arr), -1)
    design = np.c_[flat, np.ones(len(flat))]
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    return LinearAutoregressive(weights=coef[:-1], bias=coef[-1], lags=lags, features=arr.shape[2])
