"""Variable-length sequences: a check for right-padded masks.

:func:`is_right_padded` tells whether a padding mask is "strictly right-padded" (every
sequence's real steps first, its padding after), the layout Keras's fast cuDNN kernel needs on a
GPU. The chapter's data sets (:func:`lstm_helpers.data.load_japanese_vowels`,
:func:`lstm_helpers.data.load_surnames`) live with the other loaders.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_array

__all__ = ["is_right_padded"]


def is_right_padded(mask: Any) -> bool:
    """True when every row of a ``(samples, timesteps)`` mask is real steps first, then padding only.

    That is the layout ``padding="post"`` gives, and the only masked layout Keras's cuDNN kernel
    accepts on a GPU. A row with no real step at all is not right-padded either (cuDNN refuses
    fully masked sequences). ``mask`` may be a NumPy array, a tensor or a nested list of booleans.

    >>> is_right_padded([[True, True, False], [True, False, False]])
    True
    >>> is_right_padded([[False, True, True]])
    False
    """
    arr = as_array(mask, "mask")
    if arr.ndim != 2:
        raise ValueError(
            f"mask must be 2-D (samples, timesteps), but has shape {arr.shape}. Fix: pass the mask of "
            "a batch, e.g. keras.layers.Masking(mask_value=0.0).compute_mask(x), whose shape is "
            "(samples, timesteps)."
        )
    if arr.dtype != bool:
        if not np.isin(arr, (0, 1)).all():
            raise ValueError(
                "mask must hold booleans (True = real step, False = padding), but it holds other "
                "values. Fix: pass the mask itself, not the padded data."
            )
        arr = arr.astype(bool)
    lengths = arr.sum(axis=1)
    expected = np.arange(arr.shape[1])[None, :] < lengths[:, None]
    return bool(np.array_equal(arr, expected) and (lengths > 0).all())
