"""Name the mismatch between a model and the data about to be fed to it, before ``fit`` fails.

``lh.diagnose(model, x, y)`` compares the model's input and output shapes, its last layer's
activation and its loss with the arrays, and lists each problem in plain words with the fix::

    >>> lh.diagnose(model, x_train, y_train)
    1 problem found:
    1. The model outputs one vector per timestep, (None, 100, 4), because its last recurrent layer
       'lstm_1' has return_sequences=True, but y has one target per sequence, (32,).
       Fix: set return_sequences=False on 'lstm_1' (or give y one target per timestep).

It never trains or changes the model; it only reads shapes, dtypes and the compiled loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import as_array
from .shapes import describe_shape

__all__ = ["Finding", "Diagnosis", "diagnose"]

RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D")


@dataclass
class Finding:
    """One mismatch: what is wrong, and how to fix it."""

    problem: str
    fix: str


class Diagnosis(list):
    """The findings of :func:`diagnose` (a list of :class:`Finding`); shown as a numbered report."""

    def __init__(self, findings: list[Finding], checked: str):
        super().__init__(findings)
        self.checked = checked

    @property
    def ok(self) -> bool:
        return not self

    def __repr__(self) -> str:
        if self.ok:
            return f"No mismatch found. {self.checked}"
        head = f"{len(self)} problem{'s' if len(self) > 1 else ''} found:"
        body = [f"{i}. {f.problem}\n   Fix: {f.fix}" for i, f in enumerate(self, 1)]
        return "\n".join([head, *body])

    __str__ = __repr__


def _loss_name(model: Any, loss: Any) -> str | None:
    loss = loss if loss is not None else getattr(model, "loss", None)
    if loss is None:
        return None
    if isinstance(loss, str):
        return loss.lower()
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    # Keras loss classes: CamelCase -> snake_case
    out = "".join("_" + c.lower() if c.isupper() else c for c in str(name)).lstrip("_")
    return out


def _last_layer(model: Any) -> Any:
    layers = [l for l in model.layers if type(l).__name__ != "InputLayer"]
    return layers[-1] if layers else None


def _activation(layer: Any) -> str | None:
    core = getattr(layer, "layer", layer)  # TimeDistributed(Dense)
    act = getattr(core, "activation", None)
    return getattr(act, "__name__", None) if act is not None else None


def _last_sequence_layer(model: Any) -> Any:
    """The last recurrent layer that returns sequences, if it is the one that makes the output 3-D."""
    for layer in reversed(model.layers):
        name = type(layer).__name__
        if name in RECURRENT:
            core = getattr(layer, "forward_layer", layer)
            return layer if getattr(core, "return_sequences", False) else None
    return None


def _is_one_hot(y: np.ndarray) -> bool:
    return y.ndim >= 2 and y.shape[-1] > 1 and np.isin(y, (0, 1)).all() and np.allclose(y.sum(axis=-1), 1)


def diagnose(model: Any, x: Any, y: Any | None = None, *, loss: Any | None = None) -> Diagnosis:
    """Check that ``x`` (and ``y``) fit ``model``: ranks, timesteps, features, batch size, labels vs loss.

    ``loss`` defaults to the loss the model was compiled with. Returns a :class:`Diagnosis`,
    empty when nothing is wrong; as the last line of a notebook cell it prints a numbered report.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"diagnose() needs a keras.Model, but got {type(model).__name__}. Fix: pass the model "
                        "you are about to fit.")
    findings: list[Finding] = []
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError("the model has no known input shape yet. Fix: start it with keras.Input(shape=(timesteps, "
                         "features)) so that its shapes can be checked before fit.")
    if len(inputs) != 1:
        raise ValueError(f"diagnose() checks single-input models; this one has {len(inputs)} inputs.")
    want = tuple(inputs[0].shape)
    xa = as_array(x, "x")
    checked = [f"model input {describe_shape(want)} accepts x {xa.shape}"]

    # -- x: dtype and values -----------------------------------------------------------------------
    if xa.dtype.kind in "USO":
        findings.append(Finding(
            f"x holds {xa.dtype} values (text), but layers compute on numbers.",
            "turn text into integer ids first: keras.layers.TextVectorization, then an Embedding layer."))
        return Diagnosis(findings, "")
    if xa.dtype.kind in "fc" and not np.isfinite(xa).all():
        findings.append(Finding(
            f"x contains {int((~np.isfinite(xa)).sum())} NaN or infinite values; the loss becomes NaN at once.",
            "fill or drop them (np.nan_to_num, interpolation) before training; pad with 0 and mask if they mark padding."))

    # -- x: rank, timesteps, features, batch ---------------------------------------------------------
    input_ok = True
    if xa.ndim != len(want):
        input_ok = False
        if len(want) == 3 and xa.ndim == 2:
            steps, feats = want[1], want[2]
            if feats == 1:
                fix = (f"add the feature axis: x[..., None] gives {describe_shape(xa.shape + (1,), ('samples', 'timesteps', 'features'))}. "
                       "(Keras 3 adds it silently when the model reads exactly one feature; be explicit.)")
            elif steps is not None and xa.shape[1] == steps * feats:
                fix = f"restore the two axes: x.reshape({xa.shape[0]}, {steps}, {feats})."
            else:
                fix = "cut the data into windows of shape (samples, timesteps, features), e.g. lh.make_windows(...)."
            findings.append(Finding(
                f"x is 2-D, {xa.shape}, but the model reads 3-D batches "
                f"{describe_shape(want)}: recurrent layers need a timesteps axis and a features axis.", fix))
        elif len(want) == 4 and xa.ndim == 3 and want[1] == xa.shape[0]:
            findings.append(Finding(
                f"the model expects 4-D input {want}: keras.Input(shape=...) was given the batch size "
                f"({want[1]}) as well as timesteps and features.",
                f"leave the batch size out: keras.Input(shape={tuple(want[2:])}); Keras adds the batch axis itself "
                "(use batch_shape=... only for stateful layers)."))
        elif len(want) == 4 and xa.ndim == 3:
            findings.append(Finding(
                f"the model expects 4-D input {want} but x is 3-D {xa.shape}; keras.Input(shape=...) has one entry "
                "too many (often the batch size or a stray 1).",
                f"give keras.Input(shape=...) the shape of ONE sample: {xa.shape[1:]}."))
        else:
            findings.append(Finding(
                f"x has {xa.ndim} axes, {xa.shape}, but the model expects {len(want)}: {describe_shape(want)}.",
                "reshape x to (samples, timesteps, features) or change keras.Input(shape=...)."))
    else:
        for axis, (w, g) in enumerate(zip(want[1:], xa.shape[1:]), 1):
            if w is not None and w != g:
                input_ok = False
                if axis == len(want) - 1:
                    findings.append(Finding(
                        f"x has {g} features per step but the model was built for {w} ({describe_shape(want)}).",
                        f"feed the same {w} feature columns the model was built for, or rebuild it with "
                        f"keras.Input(shape=({', '.join('None' if d is None else str(d) for d in want[1:-1])}, {g}))."))
                else:
                    findings.append(Finding(
                        f"x has {g} timesteps per sample but keras.Input fixes {w} ({describe_shape(want)}).",
                        f"cut windows of {w} steps, or accept any length with keras.Input(shape=(None, {want[-1]}))."))
        if want[0] is not None and xa.shape[0] % want[0]:
            findings.append(Finding(
                f"the model has a fixed batch size of {want[0]} (batch_shape, as stateful layers need), but x has "
                f"{xa.shape[0]} samples, which is not a multiple of {want[0]}.",
                f"keep the first {xa.shape[0] - xa.shape[0] % want[0]} samples (x[:{xa.shape[0] - xa.shape[0] % want[0]}]) "
                f"and pass batch_size={want[0]} to fit/predict."))

    if y is None:
        return Diagnosis(findings, "; ".join(checked) + ".")

    # -- y: samples, shape vs output, labels vs loss -------------------------------------------------
    ya = as_array(y, "y")
    if len(ya) != len(xa):
        findings.append(Finding(f"x has {len(xa)} samples but y has {len(ya)}.",
                                "give one target per sample: check the slicing that made x and y."))
    if ya.dtype.kind in "fc" and not np.isfinite(ya).all():
        findings.append(Finding("y contains NaN or infinite values.", "drop those samples or fill the targets."))
    out = model.output_shape
    if isinstance(out, list):
        return Diagnosis(findings, "; ".join(checked) + ".")
    out = tuple(out)
    units = out[-1]
    loss_name = _loss_name(model, loss)
    last = _last_layer(model)
    act = _activation(last)
    checked.append(f"output {describe_shape(out)} matches y {ya.shape}" + (f" for {loss_name}" if loss_name else ""))
    sparse = loss_name is not None and "sparse_categorical" in loss_name
    seq_layer = _last_sequence_layer(model)

    y_per_step = ya.ndim >= 2 and len(out) == 3 and ya.shape[1] == out[1] and (
        ya.ndim == 3 or sparse or units == 1)
    if len(out) == 3 and not y_per_step:
        where = f"its last recurrent layer '{seq_layer.name}' has return_sequences=True" if seq_layer else \
            "a layer keeps the timesteps axis"
        fix = (f"set return_sequences=False on '{seq_layer.name}'" if seq_layer else
               "end with a layer that removes the timesteps axis") + " (or give y one target per timestep)."
        findings.append(Finding(
            f"the model outputs one vector per timestep, {out}, because {where}, but y has one target per sequence, "
            f"{ya.shape}. Keras may broadcast this silently and train on the wrong problem.", fix))
        return Diagnosis(findings, "")
    if len(out) == 2 and ya.ndim == 3:
        findings.append(Finding(
            f"y has a target for every timestep, {ya.shape}, but the model outputs one vector per sequence, {out}.",
            "set return_sequences=True on the last LSTM so that the Dense layer after it is applied at every step."))
        return Diagnosis(findings, "")

    if act == "softmax" and units == 1:
        findings.append(Finding(
            "the last layer is Dense(1, activation='softmax'): a softmax over one unit always outputs 1.0, so the "
            "model cannot learn.",
            "for a yes/no label use Dense(1, activation='sigmoid') with binary_crossentropy."))
    if loss_name is None:
        return Diagnosis(findings, "; ".join(checked) + " (no loss given: compile the model or pass loss=... "
                                   "to check the labels too).")

    label_dims = ya.shape[1:]
    if y_per_step and ya.ndim == 2:
        label_dims = (1,)  # one value per step: y (samples, timesteps) against output (samples, timesteps, 1)
    integer_labels = ya.dtype.kind in "iub" or (ya.dtype.kind == "f" and np.array_equal(ya, np.round(ya)))
    if sparse:
        if _is_one_hot(ya) and ya.shape[-1] == units:
            findings.append(Finding(
                f"y is one-hot, {ya.shape}, but sparse_categorical_crossentropy expects one integer class id per "
                "sample.", "use loss='categorical_crossentropy', or pass y.argmax(axis=-1)."))
        elif not integer_labels:
            findings.append(Finding(f"sparse_categorical_crossentropy expects integer class ids, but y holds "
                                    f"{ya.dtype} values such as {ya.reshape(-1)[0]!r}.",
                                    "for a numeric target use a regression loss such as 'mse'."))
        elif ya.size and (ya.max() >= units or ya.min() < 0):
            findings.append(Finding(
                f"the labels run from {int(ya.min())} to {int(ya.max())}, but the output layer has {units} unit(s), "
                f"so classes 0..{units - 1} only.",
                f"give the last Dense layer {int(ya.max()) + 1} units (one per class), or relabel to 0..{units - 1}."))
    elif loss_name is not None and "categorical_crossentropy" in loss_name:
        if ya.ndim == 1 or (ya.ndim == 2 and ya.shape[1] == 1):
            findings.append(Finding(
                f"categorical_crossentropy expects one-hot labels of shape (samples, {units}), but y is {ya.shape}: "
                "one integer class id per sample.",
                f"use loss='sparse_categorical_crossentropy', or one-hot encode with "
                f"keras.utils.to_categorical(y, {units})."))
        elif label_dims[-1] != units:
            findings.append(Finding(f"y has {label_dims[-1]} columns but the output layer has {units} units.",
                                    "give the last Dense layer one unit per class."))
    elif loss_name is not None and "binary_crossentropy" in loss_name:
        values = np.unique(ya)
        if not np.isin(values, (0, 1)).all():
            findings.append(Finding(
                f"binary_crossentropy expects labels 0 or 1, but y holds {len(values)} distinct values "
                f"({', '.join(str(v) for v in values[:5])}{', ...' if len(values) > 5 else ''}).",
                f"for {len(values)} classes use Dense({len(values)}, activation='softmax') with "
                "sparse_categorical_crossentropy."))
        elif units > 1 and (ya.ndim == 1 or label_dims[-1] == 1):
            findings.append(Finding(
                f"the output has {units} sigmoid units, which is a MULTI-LABEL head ({units} independent yes/no "
                f"answers), but y has one label per sample, {ya.shape}.",
                "for one yes/no answer use Dense(1, activation='sigmoid')."))
        if act not in (None, "sigmoid") and not getattr(getattr(model, "loss", None), "from_logits", False):
            findings.append(Finding(f"binary_crossentropy expects probabilities, but the last layer's activation "
                                    f"is {act!r}.", "use activation='sigmoid' on the last layer."))
    else:  # regression losses
        if ya.ndim == 1 and units != 1:
            findings.append(Finding(f"y has one value per sample but the model outputs {units} values, {out}.",
                                    "give the last Dense layer 1 unit, or give y one column per output."))
        elif ya.ndim >= 2 and label_dims[-1] != units:
            findings.append(Finding(f"y has {label_dims[-1]} values per sample but the model outputs {units}, {out}.",
                                    f"make the last Dense layer Dense({label_dims[-1]}), or reshape y."))
    if not input_ok:
        return Diagnosis(findings, "")
    return Diagnosis(findings, "; ".join(checked) + ".")
