"""Input checks shared by every helper.

Each check raises ``TypeError`` (wrong kind of object or dtype) or ``ValueError`` (right kind,
wrong content) with a message in three parts: what was expected, what was received, and how to
fix it. The messages are part of the book: learners read them, so they name the fix in code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["as_float_batch", "as_array", "check_fractions", "check_numeric", "check_positive_int"]


def _kind(obj: Any) -> str:
    """A short name for the type of ``obj`` that a learner recognises."""
    cls = type(obj)
    module = cls.__module__.split(".")[0]
    return cls.__name__ if module == "builtins" else f"{module}.{cls.__name__}"


def as_array(x: Any, name: str = "x") -> np.ndarray:
    """Turn ``x`` (NumPy array, tensor, nested list) into a NumPy array, or explain why not."""
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (str, bytes, dict, set)) or x is None:
        raise TypeError(
            f"{name} must be an array of numbers (a NumPy array, a tensor or a nested list), "
            f"but got {_kind(x)}. Fix: pass the data itself, e.g. np.asarray(values, dtype='float32')."
        )
    if hasattr(x, "detach") and callable(x.detach):  # PyTorch tensors, which may track gradients
        return np.asarray(x.detach().cpu().numpy())
    if hasattr(x, "numpy") and callable(x.numpy):  # TensorFlow / Keras eager tensors
        return np.asarray(x.numpy())
    if isinstance(x, (list, tuple)):
        try:
            arr = np.array(x)
        except ValueError as err:  # NumPy >= 1.24 refuses ragged nested lists
            raise ValueError(
                f"{name} is ragged: its sequences have different lengths, so it cannot be one "
                f"(samples, timesteps, features) array ({err}). Fix: pad them to one length with "
                "keras.utils.pad_sequences(sequences, padding='post', dtype='float32') and mask the "
                "padding (see the chapter on variable-length sequences)."
            ) from None
        if arr.dtype == object:
            raise ValueError(
                f"{name} is ragged: its sequences have different lengths. Fix: pad them with "
                "keras.utils.pad_sequences(sequences, padding='post', dtype='float32')."
            )
        return arr
    try:
        return np.asarray(x)
    except Exception as err:  # pragma: no cover - exotic array-likes
        raise TypeError(
            f"{name} must be array-like, but got {_kind(x)} ({err}). "
            "Fix: pass a NumPy array, e.g. np.asarray(values, dtype='float32')."
        ) from None


def check_numeric(arr: np.ndarray, name: str) -> None:
    """Raise ``TypeError`` unless ``arr`` holds numbers (or booleans): the one dtype guard."""
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(
            f"{name} must hold numbers (float32 is what Keras layers use), but its dtype is "
            f"{arr.dtype}. Fix: convert it, e.g. {name}.astype('float32'); text must first be turned "
            "into numbers (keras.layers.TextVectorization, then an Embedding)."
        )


def check_fractions(fractions: Any) -> tuple[float, float, float]:
    """Return ``fractions`` as three positive numbers summing to 1 (train, val, test); raise otherwise."""
    try:
        values = tuple(float(f) for f in fractions)
    except (TypeError, ValueError):
        values = ()
    if len(values) != 3 or min(values) <= 0 or abs(sum(values) - 1) > 1e-9:
        shown = tuple(fractions) if isinstance(fractions, (list, tuple)) else fractions
        raise ValueError(
            f"fractions must be three positive numbers summing to 1 (train, val, test), "
            f"but got {shown!r}. Fix: e.g. fractions=(0.7, 0.15, 0.15)."
        )
    return values[0], values[1], values[2]


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an ``int`` if it is a positive integer; raise otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{name} must be a positive int, but got {_kind(value)} {value!r}. "
            f"Fix: pass a whole number such as {name}=10."
        )
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, but got {value}. Fix: pass a whole number of at least 1.")
    return int(value)


def as_float_batch(x: Any, name: str = "x", ndim: int = 3) -> np.ndarray:
    """Validate a batch meant for a recurrent layer and return it as a float array.

    ``ndim=3`` means ``(samples, timesteps, features)``, the shape every Keras recurrent layer
    reads. Raises ``TypeError`` for a non-numeric input and ``ValueError`` for a wrong rank, an
    empty batch or non-finite values, each with the fix in the message.
    """
    arr = as_array(x, name)
    check_numeric(arr, name)
    if np.iscomplexobj(arr):
        raise TypeError(
            f"{name} has complex dtype {arr.dtype}; recurrent layers need real numbers. "
            f"Fix: use np.abs({name}) or split real and imaginary parts into two features."
        )
    if ndim == 3 and arr.ndim != 3:
        raise ValueError(_rank_message(arr.shape, name))
    if ndim != 3 and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be {ndim}-D, but has shape {arr.shape} ({arr.ndim}-D). "
            f"Fix: reshape it to {ndim} axes with {name}.reshape(...)."
        )
    if arr.size == 0 or arr.shape[0] == 0:
        raise ValueError(
            f"{name} is empty: shape {arr.shape}. An LSTM needs at least one sample with at least "
            "one timestep and one feature. Fix: check the slicing or windowing that built it (a "
            "window longer than the series gives no samples)."
        )
    arr = arr.astype("float32", copy=False)
    if not np.isfinite(arr).all():
        bad = int((~np.isfinite(arr)).sum())
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s) (first at index {first}); one NaN makes "
            "every loss and weight NaN. Fix: fill or drop them before training, e.g. "
            f"np.nan_to_num({name}) or interpolate the series; if they mark padding, pad with 0 and "
            "use keras.layers.Masking(mask_value=0.0)."
        )
    return arr


def _rank_message(shape: tuple, name: str) -> str:
    """Explain a wrong rank for an LSTM input, with the reshape that fixes it."""
    if len(shape) == 1:
        n = shape[0]
        return (
            f"{name} must be 3-D (samples, timesteps, features) for an LSTM, but has shape {shape} "
            f"(1-D: a flat series of {n} values). Fix: cut it into windows, e.g. "
            "lh.make_windows(series, timesteps=...), or, for one sequence with one feature, "
            f"{name}.reshape(1, {n}, 1)."
        )
    if len(shape) == 2:
        s, t = shape
        return (
            f"{name} must be 3-D (samples, timesteps, features) for an LSTM, but has shape {shape} "
            f"(2-D). If each row is a sequence of {t} single values, add a feature axis: "
            f"{name}[..., None] or {name}.reshape({s}, {t}, 1) gives shape ({s}, {t}, 1). If each row "
            f"is one timestep with {t} features, reshape to (samples, timesteps, {t}) instead."
        )
    if len(shape) == 0:
        return (
            f"{name} must be 3-D (samples, timesteps, features) for an LSTM, but is a single "
            "number. Fix: pass an array of sequences."
        )
    extra = ", ".join(str(d) for d in shape[2:])
    return (
        f"{name} must be 3-D (samples, timesteps, features) for an LSTM, but has shape {shape} "
        f"({len(shape)}-D). Fix: merge the trailing axes ({extra}) into one feature axis with "
        f"{name}.reshape({shape[0]}, {shape[1]}, -1), or wrap a per-step model in "
        "keras.layers.TimeDistributed."
    )
