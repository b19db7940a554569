"""Name the mismatch between a model and the data about to be fed to it, before ``fit`` fails.

``lh.diagnose(model, x, y)`` compares the model's input and output shapes, its last layer's
activation and its loss with the arrays, and lists each problem in plain words with the fix::

    lh.diagnose(model, x_train, y_train)
    1 problem found:
    1. the model outputs one vector per timestep, (None, 100, 4), because its last
       recurrent layer 'lstm_1' has return_sequences=True, but y has one target per
       sequence, (32,). Keras may broadcast this silently and train on the wrong problem.
       Fix: set return_sequences=False on 'lstm_1' (or give y one target per timestep).

It never trains or changes the model; it only reads shapes, dtypes and the compiled loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._text import wrap, wrap_lines
from ._validate import as_array
from .shapes import _check_model, _is_subclassed, _unwrap, describe_shape

__all__ = ["Finding", "Diagnosis", "diagnose", "RULES"]

RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D")


@dataclass
class Finding:
    """One mismatch: what is wrong, and how to fix it."""

    problem: str
    fix: str


class Diagnosis(list[Finding]):
    """The findings of :func:`diagnose` (a list of :class:`Finding`); shown as a numbered report."""

    def __init__(self, findings: list[Finding], checked: str):
        super().__init__(findings)
        self.checked = checked

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self

    def __repr__(self) -> str:
        if self.ok:
            return "No mismatch found:\n" + wrap_lines(self.checked)
        head = f"{len(self)} problem{'s' if len(self) > 1 else ''} found:"
        body = [
            wrap(f.problem, first=f"{i}. ", rest="   ") + "\n" + wrap(f.fix, first="   Fix: ", rest="   ")
            for i, f in enumerate(self, 1)
        ]
        return "\n".join([head, *body])

    __str__ = __repr__


# ----------------------------------------------------------------------------------------------
# What the rules read: the model's shapes, the data and the loss, worked out once
# ----------------------------------------------------------------------------------------------


@dataclass
class Context:
    """Everything a rule may read. ``y``, ``out`` and ``loss`` are None when unknown."""

    model: Any
    want: tuple[int | None, ...]
    x: np.ndarray
    y: np.ndarray | None
    out: tuple[int | None, ...] | None
    loss: str | None
    #: the layer that reads x first; None: the model's first layer (a model with one input)
    reader: Any = None

    @property
    def units(self) -> Any:
        return self.out[-1] if self.out else None

    @property
    def sparse(self) -> bool:
        return self.loss is not None and "sparse_categorical" in self.loss

    @property
    def y_per_step(self) -> bool:
        """y holds a target for every timestep of a 3-D output."""
        y, out = self.y, self.out
        return (
            y is not None
            and out is not None
            and y.ndim >= 2
            and len(out) == 3
            and y.shape[1] == out[1]
            and (y.ndim == 3 or self.sparse or self.units == 1)
        )

    @property
    def label_dims(self) -> tuple[int, ...]:
        assert self.y is not None
        if self.y_per_step and self.y.ndim == 2:
            return (1,)  # one value per step: y (samples, timesteps) against output (samples, timesteps, 1)
        return tuple(self.y.shape[1:])

    @property
    def activation(self) -> str | None:
        layers = [la for la in self.model.layers if type(la).__name__ != "InputLayer"]
        act = getattr(_unwrap(layers[-1]), "activation", None) if layers else None
        return getattr(act, "__name__", None) if act is not None else None


#: A rule reads the context and returns its findings (an empty list when all is well).
Rule = Callable[[Context], list[Finding]]


def _loss_name(model: Any, loss: Any) -> str | None:
    loss = loss if loss is not None else getattr(model, "loss", None)
    if loss is None:
        return None
    if isinstance(loss, str):
        return loss.lower()
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    # Keras loss classes: CamelCase -> snake_case
    return "".join("_" + c.lower() if c.isupper() else c for c in str(name)).lstrip("_")


def _last_sequence_layer(model: Any) -> Any:
    """The last recurrent layer that returns sequences, if it is the one that makes the output 3-D."""
    for layer in reversed(model.layers):
        if type(layer).__name__ in RECURRENT:
            return layer if getattr(_unwrap(layer), "return_sequences", False) else None
    return None


def _is_one_hot(y: np.ndarray) -> bool:
    return bool(y.ndim >= 2 and y.shape[-1] > 1 and np.isin(y, (0, 1)).all() and np.allclose(y.sum(axis=-1), 1))


def _steps(want: tuple[int | None, ...]) -> str:
    return ", ".join("None" if d is None else str(d) for d in want)


# ----------------------------------------------------------------------------------------------
# The rules: x
# ----------------------------------------------------------------------------------------------


def x_is_text(c: Context) -> list[Finding]:
    if c.x.dtype.kind not in "USO":
        return []
    return [
        Finding(
            f"x holds {c.x.dtype} values (text), but layers compute on numbers.",
            "turn text into integer ids first: keras.layers.TextVectorization, then an Embedding layer.",
        )
    ]


def x_has_nan(c: Context) -> list[Finding]:
    if c.x.dtype.kind not in "fc" or np.isfinite(c.x).all():
        return []
    return [
        Finding(
            f"x contains {int((~np.isfinite(c.x)).sum())} NaN or infinite values; the loss becomes NaN at once.",
            "fill or drop them (np.nan_to_num, interpolation) before training; "
            "pad with 0 and mask if they mark padding.",
        )
    ]


def x_is_2d(c: Context) -> list[Finding]:
    x, want = c.x, c.want
    if not (len(want) == 3 and x.ndim == 2):
        return []
    steps, feats = want[1], want[2]
    if feats == 1:
        words = describe_shape(x.shape + (1,), ("samples", "timesteps", "features"))
        fix = (
            f"add the feature axis: x[..., None] gives {words}. "
            "(Keras 3 adds it silently when the model reads exactly one feature; be explicit.)"
        )
    elif steps is not None and feats is not None and x.shape[1] == steps * feats:
        fix = f"restore the two axes: x.reshape({x.shape[0]}, {steps}, {feats})."
    else:
        fix = "cut the data into windows of shape (samples, timesteps, features), e.g. lh.make_windows(...)."
    return [
        Finding(
            f"x is 2-D, {x.shape}, but the model reads 3-D batches {describe_shape(want)}: recurrent "
            "layers need a timesteps axis and a features axis.",
            fix,
        )
    ]


def batch_size_in_input_shape(c: Context) -> list[Finding]:
    x, want = c.x, c.want
    if not (len(want) == 4 and x.ndim == 3):
        return []
    if want[1] == x.shape[0]:
        return [
            Finding(
                f"the model expects 4-D input {want}: keras.Input(shape=...) was given the batch size "
                f"({want[1]}) as well as timesteps and features.",
                f"leave the batch size out: keras.Input(shape={tuple(want[2:])}); Keras adds the batch axis itself "
                "(use batch_shape=... only for stateful layers).",
            )
        ]
    return [
        Finding(
            f"the model expects 4-D input {want} but x is 3-D {x.shape}; keras.Input(shape=...) has one entry "
            "too many (often the batch size or a stray 1).",
            f"give keras.Input(shape=...) the shape of ONE sample: {x.shape[1:]}.",
        )
    ]


def x_has_other_rank(c: Context) -> list[Finding]:
    x, want = c.x, c.want
    if x.ndim == len(want) or (len(want) == 3 and x.ndim == 2) or (len(want) == 4 and x.ndim == 3):
        return []
    return [
        Finding(
            f"x has {x.ndim} axes, {x.shape}, but the model expects {len(want)}: {describe_shape(want)}.",
            "reshape x to (samples, timesteps, features) or change keras.Input(shape=...).",
        )
    ]


def x_axes_differ(c: Context) -> list[Finding]:
    x, want = c.x, c.want
    if x.ndim != len(want):
        return []
    findings = []
    for axis, (w, g) in enumerate(zip(want[1:], x.shape[1:], strict=True), 1):
        if w is None or w == g:
            continue
        if axis == len(want) - 1:
            findings.append(
                Finding(
                    f"x has {g} features per step but the model was built for {w} ({describe_shape(want)}).",
                    f"feed the same {w} feature columns the model was built for, or rebuild it with "
                    f"keras.Input(shape=({_steps(want[1:-1])}, {g})).",
                )
            )
        else:
            findings.append(
                Finding(
                    f"x has {g} timesteps per sample but keras.Input fixes {w} ({describe_shape(want)}).",
                    f"cut windows of {w} steps, or accept any length with keras.Input(shape=(None, {want[-1]})).",
                )
            )
    return findings


def fixed_batch_size(c: Context) -> list[Finding]:
    x, size = c.x, c.want[0]
    if x.ndim != len(c.want) or size is None or x.shape[0] % size == 0:
        return []
    keep = x.shape[0] - x.shape[0] % size
    return [
        Finding(
            f"the model has a fixed batch size of {size} (batch_shape, as stateful layers need), but x has "
            f"{x.shape[0]} samples, which is not a multiple of {size}.",
            f"keep the first {keep} samples (x[:{keep}]) and pass batch_size={size} to fit/predict.",
        )
    ]


def _input_mask(c: Context) -> tuple[Any, np.ndarray] | None:
    """The masking layer that reads x first, and the ``(samples, timesteps)`` mask it makes of x.

    The same computation as the layers' ``compute_mask`` (``keras/src/layers/core/masking.py``:
    a step is real when any feature differs from ``mask_value``; ``embedding.py``: a token is real
    when its id is not 0), done in NumPy.
    """
    layers = [la for la in c.model.layers if type(la).__name__ != "InputLayer"]
    first: Any = c.reader if c.reader is not None else (layers[0] if layers else None)
    kind = type(first).__name__
    if kind == "Masking" and c.x.ndim == 3 and c.x.dtype.kind in "iufb":
        return first, np.any(c.x != first.mask_value, axis=-1)
    if kind == "Embedding" and getattr(first, "mask_zero", False) and c.x.ndim == 2 and c.x.dtype.kind in "iub":
        return first, c.x != 0
    return None


def _may_use_cudnn(layer: Any) -> bool:
    """An LSTM or GRU (perhaps inside Bidirectional) whose arguments let it run on cuDNN.

    The conditions of ``_do_lstm_arguments_support_cudnn`` and ``_do_gru_arguments_support_cudnn``
    (``keras/src/backend/tensorflow/rnn.py``), plus ``use_cudnn`` and ``recurrent_dropout``,
    which ``keras/src/layers/rnn/lstm.py`` and ``gru.py`` check before trying the cuDNN kernel.
    """
    core = _unwrap(layer)
    return (
        type(core).__name__ in ("LSTM", "GRU")
        and getattr(core, "use_cudnn", "auto") is not False
        and getattr(getattr(core, "activation", None), "__name__", None) == "tanh"
        and getattr(getattr(core, "recurrent_activation", None), "__name__", None) == "sigmoid"
        and not getattr(core, "unroll", False)
        and bool(getattr(core, "use_bias", True))
        and not getattr(core, "recurrent_dropout", 0)
        and bool(getattr(core, "reset_after", True))
    )


def _layer_words(layer: Any) -> str:
    """``'lstm'``, or ``the LSTM inside 'bidirectional'`` for a wrapped layer."""
    core = _unwrap(layer)
    return f"'{layer.name}'" if core is layer else f"the {type(core).__name__} inside '{layer.name}'"


def left_padded_mask(c: Context) -> list[Finding]:
    """Padding at the start of sequences that a mask hides from an LSTM or GRU: cuDNN needs right padding.

    On a GPU, the TensorFlow backend runs LSTM and GRU layers on cuDNN when their arguments
    allow it (``cudnn_ok`` in ``keras/src/backend/tensorflow/rnn.py``); that kernel accepts only
    right-padded masks (``_is_sequence_right_padded``, same file) and stops with an error on any
    other mask. On a CPU the same code trains.
    """
    found = _input_mask(c)
    recurrent = [_layer_words(la) for la in c.model.layers if _may_use_cudnn(la)]
    if found is None or not recurrent:
        return []
    layer, mask = found
    left = int((~mask[:, 0] & mask.any(axis=1)).sum())  # padding first, real steps after
    if not left:
        return []
    names = ", ".join(recurrent)
    return [
        Finding(
            f"{left} of {len(mask)} sequences in x start with padding (left padding, what "
            f"keras.utils.pad_sequences does by default: padding='pre'), which '{layer.name}' masks. "
            f"On a GPU the TensorFlow backend runs {names} on cuDNN (cudnn_ok in "
            "keras/src/backend/tensorflow/rnn.py), and cuDNN accepts only right-padded masks, real "
            "steps first (_is_sequence_right_padded, same file): code that trains on a CPU stops "
            "with an error on a GPU.",
            "pad at the end instead: keras.utils.pad_sequences(..., padding='post'); or keep the "
            f"left padding and pass use_cudnn=False to {names} (slower on a GPU).",
        )
    ]


# ----------------------------------------------------------------------------------------------
# The rules: y against x and the output
# ----------------------------------------------------------------------------------------------


def sample_counts_differ(c: Context) -> list[Finding]:
    if c.y is None or len(c.y) == len(c.x):
        return []
    return [
        Finding(
            f"x has {len(c.x)} samples but y has {len(c.y)}.",
            "give one target per sample: check the slicing that made x and y.",
        )
    ]


def y_has_nan(c: Context) -> list[Finding]:
    if c.y is None or c.y.dtype.kind not in "fc" or np.isfinite(c.y).all():
        return []
    return [Finding("y contains NaN or infinite values.", "drop those samples or fill the targets.")]


def output_per_step_but_y_per_sequence(c: Context) -> list[Finding]:
    if c.y is None or c.out is None or len(c.out) != 3 or c.y_per_step:
        return []
    seq_layer = _last_sequence_layer(c.model)
    if seq_layer is not None:
        where = f"its last recurrent layer '{seq_layer.name}' has return_sequences=True"
        fix = f"set return_sequences=False on '{seq_layer.name}'"
    else:
        where, fix = "a layer keeps the timesteps axis", "end with a layer that removes the timesteps axis"
    return [
        Finding(
            f"the model outputs one vector per timestep, {c.out}, because {where}, but y has one target per sequence, "
            f"{c.y.shape}. Keras may broadcast this silently and train on the wrong problem.",
            fix + " (or give y one target per timestep).",
        )
    ]


def y_per_step_but_output_per_sequence(c: Context) -> list[Finding]:
    if c.y is None or c.out is None or len(c.out) != 2 or c.y.ndim != 3:
        return []
    return [
        Finding(
            f"y has a target for every timestep, {c.y.shape}, but the model outputs one vector per sequence, {c.out}.",
            "set return_sequences=True on the last LSTM so that the Dense layer after it is applied at every step.",
        )
    ]


def softmax_over_one_unit(c: Context) -> list[Finding]:
    if c.y is None or c.out is None or c.units != 1 or c.activation != "softmax":
        return []
    return [
        Finding(
            "the last layer is Dense(1, activation='softmax'): a softmax over one unit always outputs 1.0, so the "
            "model cannot learn.",
            "for a yes/no label use Dense(1, activation='sigmoid') with binary_crossentropy.",
        )
    ]


# ----------------------------------------------------------------------------------------------
# The rules: labels against the loss
# ----------------------------------------------------------------------------------------------


def sparse_labels(c: Context) -> list[Finding]:
    y, units = c.y, c.units
    if y is None or c.out is None or not c.sparse:
        return []
    integer = y.dtype.kind in "iub" or (y.dtype.kind == "f" and np.array_equal(y, np.round(y)))
    if _is_one_hot(y) and y.shape[-1] == units:
        return [
            Finding(
                f"y is one-hot, {y.shape}, but sparse_categorical_crossentropy expects one integer class id "
                "per sample.",
                "use loss='categorical_crossentropy', or pass y.argmax(axis=-1).",
            )
        ]
    if not integer:
        return [
            Finding(
                f"sparse_categorical_crossentropy expects integer class ids, but y holds {y.dtype} values "
                f"such as {y.reshape(-1)[0]!r}.",
                "for a numeric target use a regression loss such as 'mse'.",
            )
        ]
    if y.size and (y.max() >= units or y.min() < 0):
        return [
            Finding(
                f"the labels run from {int(y.min())} to {int(y.max())}, but the output layer has {units} unit(s), "
                f"so classes 0..{units - 1} only.",
                f"give the last Dense layer {int(y.max()) + 1} units (one per class), or relabel to 0..{units - 1}.",
            )
        ]
    return []


def _is_categorical(c: Context) -> bool:
    return c.y is not None and c.out is not None and not c.sparse and "categorical_crossentropy" in (c.loss or "")


def _class_ids(y: np.ndarray) -> bool:
    """y holds one whole number per sample: class ids (perhaps stored as floats)."""
    return (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)) and bool(np.array_equal(y, np.round(y)))


def _probability_rows(y: np.ndarray) -> bool:
    """Every row of y (last axis) is one-hot or a probability distribution: 0..1, summing to 1."""
    return bool(
        y.ndim >= 2 and y.shape[-1] > 1 and ((y >= 0) & (y <= 1)).all() and np.allclose(y.sum(axis=-1), 1.0, atol=1e-3)
    )


def _first_bad_row(y: np.ndarray) -> str:
    """The first sample of y whose targets are not a probability row, as text."""
    rows = y.reshape(len(y), -1)
    bad = ~(((rows >= 0) & (rows <= 1)).all(axis=1) & np.isclose(rows.sum(axis=1), 1.0, atol=1e-3))
    i = int(np.argmax(bad)) if bad.any() else 0
    shown = ", ".join(f"{v:.3g}" for v in rows[i, :4]) + (", ..." if rows.shape[1] > 4 else "")
    return f"y[{i}] = [{shown}] (sum {rows[i].sum():.3g})"


def categorical_float_targets(c: Context) -> list[Finding]:
    """Float targets that are neither one-hot nor rows of probabilities, given to categorical_crossentropy.

    Keras checks the shapes of y against the output, not its values: the loss is
    ``-sum(y * log(p))`` (``keras/src/backend/tensorflow/nn.py``), so regression targets or
    standardized values train without an error on a target that is not a class.
    """
    y = c.y
    if not _is_categorical(c) or y is None or y.dtype.kind != "f" or not np.isfinite(y).all():
        return []
    if _class_ids(y) or _probability_rows(y):
        return []
    return [
        Finding(
            f"categorical_crossentropy reads each row of y as the probabilities of the {c.units} "
            f"classes (one-hot, or values from 0 to 1 that sum to 1), but y holds other floats: "
            f"{_first_bad_row(y)}. Keras checks only the shapes, so this trains without an error "
            "on a target that is not a class.",
            "for classes, give one-hot rows (keras.utils.to_categorical) or integer ids with "
            "sparse_categorical_crossentropy; for numbers to predict, use a regression loss such as "
            "'mse' with a linear last layer.",
        )
    ]


def categorical_labels(c: Context) -> list[Finding]:
    y, units = c.y, c.units
    if not _is_categorical(c) or y is None:
        return []
    if y.dtype.kind == "f" and not _class_ids(y) and not _probability_rows(y):
        return []  # floats that are not classes: categorical_float_targets names them
    if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
        classes = int(np.max(y)) + 1 if y.size and _class_ids(y) else 0
        fix = (
            f"use loss='sparse_categorical_crossentropy', or one-hot encode with "
            f"keras.utils.to_categorical(y, {units})."
        )
        if classes > units:  # to_categorical(y, units) would fail on the larger ids
            fix = (
                f"the ids go up to {classes - 1}, so there are {classes} classes: give the last Dense layer "
                f"{classes} units, then use loss='sparse_categorical_crossentropy' (or "
                f"keras.utils.to_categorical(y, {classes}))."
            )
        return [
            Finding(
                f"categorical_crossentropy expects one-hot labels of shape (samples, {units}), but y is {y.shape}: "
                "one integer class id per sample.",
                fix,
            )
        ]
    if c.label_dims[-1] != units:
        return [
            Finding(
                f"y has {c.label_dims[-1]} columns but the output layer has {units} units.",
                "give the last Dense layer one unit per class.",
            )
        ]
    return []


def _is_binary(c: Context) -> bool:
    return c.y is not None and c.out is not None and c.loss is not None and "binary_crossentropy" in c.loss


def binary_labels(c: Context) -> list[Finding]:
    if not _is_binary(c):
        return []
    assert c.y is not None
    y, units = c.y, c.units
    values = np.unique(y)
    if not np.isin(values, (0, 1)).all():
        shown = ", ".join(str(v) for v in values[:5]) + (", ..." if len(values) > 5 else "")
        return [
            Finding(
                f"binary_crossentropy expects labels 0 or 1, but y holds {len(values)} distinct values ({shown}).",
                f"for {len(values)} classes use Dense({len(values)}, activation='softmax') with "
                "sparse_categorical_crossentropy.",
            )
        ]
    if units > 1 and (y.ndim == 1 or c.label_dims[-1] == 1):
        return [
            Finding(
                f"the output has {units} sigmoid units, which is a MULTI-LABEL head ({units} independent yes/no "
                f"answers), but y has one label per sample, {y.shape}.",
                "for one yes/no answer use Dense(1, activation='sigmoid').",
            )
        ]
    return []


def binary_needs_sigmoid(c: Context) -> list[Finding]:
    act = c.activation
    if not _is_binary(c) or act in (None, "sigmoid") or getattr(getattr(c.model, "loss", None), "from_logits", False):
        return []
    return [
        Finding(
            f"binary_crossentropy expects probabilities, but the last layer's activation is {act!r}.",
            "use activation='sigmoid' on the last layer.",
        )
    ]


def regression_targets(c: Context) -> list[Finding]:
    y, units, loss = c.y, c.units, c.loss
    if y is None or c.out is None or loss is None or c.sparse:
        return []
    if "categorical_crossentropy" in loss or "binary_crossentropy" in loss:
        return []
    if y.ndim == 1 and units != 1:
        return [
            Finding(
                f"y has one value per sample but the model outputs {units} values, {c.out}.",
                "give the last Dense layer 1 unit, or give y one column per output.",
            )
        ]
    if y.ndim >= 2 and c.label_dims[-1] != units:
        return [
            Finding(
                f"y has {c.label_dims[-1]} values per sample but the model outputs {units}, {c.out}.",
                f"make the last Dense layer Dense({c.label_dims[-1]}), or reshape y.",
            )
        ]
    return []


#: The rules in the order they run, each with whether its findings end the check: a later rule
#: would only repeat the same mistake in other words. A new rule is one function and one line here.
RULES: tuple[tuple[Rule, bool], ...] = (
    (x_is_text, True),
    (x_has_nan, False),
    (x_is_2d, False),
    (batch_size_in_input_shape, False),
    (x_has_other_rank, False),
    (x_axes_differ, False),
    (fixed_batch_size, False),
    (left_padded_mask, False),
    (sample_counts_differ, False),
    (y_has_nan, False),
    (output_per_step_but_y_per_sequence, True),
    (y_per_step_but_output_per_sequence, True),
    (softmax_over_one_unit, False),
    (sparse_labels, False),
    (categorical_float_targets, False),
    (categorical_labels, False),
    (binary_labels, False),
    (binary_needs_sigmoid, False),
    (regression_targets, False),
)


def diagnose(model: Any, x: Any, y: Any | None = None, *, loss: Any | None = None) -> Diagnosis:
    """Check that ``x`` (and ``y``) fit ``model``: ranks, timesteps, features, batch size, labels vs loss.

    ``loss`` defaults to the loss the model was compiled with. Returns a :class:`Diagnosis`,
    empty when nothing is wrong; as the last line of a notebook cell it prints a numbered report,
    wrapped to 80 characters a line. Each check is one rule of :data:`RULES`; besides shapes, they
    name left padding in front of a mask (which cuDNN refuses on a GPU), labels that do not match
    the loss, and float targets that are not classes given to ``categorical_crossentropy``.
    A subclassed ``keras.Model`` declares no shapes to check: ``diagnose`` says so and points to
    :func:`lstm_helpers.trace`. For a model with several inputs, ``x`` is the list of their arrays
    in the order of ``model.inputs`` (or a dict of them by input name): each array is checked
    against its own input, and each finding names the input.

    >>> model = keras.Sequential([keras.Input((10, 1)), keras.layers.LSTM(4)])  # doctest: +SKIP
    >>> diagnose(model, np.zeros((5, 10)))  # doctest: +SKIP
    1 problem found:
    1. x is 2-D, (5, 10), but the model reads 3-D batches ...
    """
    inputs = _declared_inputs(model)
    if len(inputs) > 1:
        return _diagnose_inputs(model, inputs, x, y, loss)
    context = _context(model, x, y, loss)
    return Diagnosis(_run_rules(context), _checked(context))


def _run_rules(context: Context) -> list[Finding]:
    """The findings of every rule of :data:`RULES` on ``context``, up to the first final rule that finds one."""
    findings: list[Finding] = []
    for rule, final in RULES:
        found = rule(context)
        findings += found
        if found and final:
            break
    return findings


def _declared_inputs(model: Any) -> list[Any]:
    """The model's symbolic inputs, or a ValueError that says why it declares none."""
    _check_model(model, "diagnose()")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs and _is_subclassed(model):
        raise ValueError(
            f"diagnose() reads the input and output shapes a model declares, but {model.name!r} is a "
            "subclassed keras.Model, whose call() declares none. Fix: run it with lh.trace(model, x[:4]) "
            "to see the shape it returns, and compare that with y.shape."
        )
    if not inputs:
        raise ValueError(
            "the model has no known input shape yet, so x cannot be checked against it. Fix: start "
            "it with keras.Input(shape=(timesteps, features)) so that its shapes can be checked before "
            "fit."
        )
    return list(inputs)


def _reader(model: Any, symbolic: Any) -> Any:
    """The layer that reads the input ``symbolic`` first (None when none is found)."""
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        for node in getattr(layer, "_inbound_nodes", []):
            if any(t is symbolic for t in node.input_tensors):
                return layer
    return None


def _split_inputs(inputs: list[Any], x: Any) -> tuple[list[Any], list[str]]:
    """The array of ``x`` for each input, in the order of ``inputs``, and how each is named (``x[0]``)."""
    names = [i.name for i in inputs]
    wanted = " and ".join(f"{n!r} {tuple(i.shape)}" for n, i in zip(names, inputs, strict=True))
    if isinstance(x, dict):
        if sorted(map(str, x)) != sorted(names):
            raise ValueError(
                f"x names the inputs {', '.join(map(repr, x))}, but the model's inputs are named "
                f"{', '.join(map(repr, names))}. Fix: key the dict by the names given to keras.Input(..., "
                "name=...), or pass a list in the order of model.inputs."
            )
        return [x[n] for n in names], [f"x[{n!r}]" for n in names]
    if not isinstance(x, (list, tuple)) or len(x) != len(inputs):
        given = f"a list of {len(x)} array{'s' if len(x) != 1 else ''}" if isinstance(x, (list, tuple)) else "one array"
        raise ValueError(
            f"the model has {len(inputs)} inputs, {wanted}, but x is {given}. Fix: pass a list of "
            f"{len(inputs)} arrays in the order of model.inputs (or a dict keyed by the input names)."
        )
    return list(x), [f"x[{i}]" for i in range(len(x))]


def _fits(want: tuple[int | None, ...], x: np.ndarray) -> bool:
    return x.ndim == len(want) and all(w is None or w == g for w, g in zip(want[1:], x.shape[1:], strict=True))


def _diagnose_inputs(model: Any, inputs: list[Any], x: Any, y: Any, loss: Any) -> Diagnosis:
    """:func:`diagnose` for a model with several inputs: the rules on x for each input, those on y once."""
    arrays, labels = _split_inputs(inputs, x)
    loss_name = _loss_name(model, loss)
    contexts = [
        Context(model, tuple(i.shape), as_array(a, label), None, None, loss_name, _reader(model, i))
        for i, a, label in zip(inputs, arrays, labels, strict=True)
    ]
    findings: list[Finding] = []
    swapped = not all(_fits(c.want, c.x) for c in contexts) and all(
        any(_fits(c.want, other.x) for c in contexts) for other in contexts
    )
    if swapped:
        order = ", then ".join(f"{i.name!r} {tuple(i.shape)}" for i in inputs)
        given = " and ".join(f"{label} {c.x.shape}" for label, c in zip(labels, contexts, strict=True))
        findings.append(
            Finding(
                f"the arrays of x are not in the order of the model's inputs: {given}.",
                f"pass them in the order of model.inputs: {order}.",
            )
        )
    else:
        for i, c, label in zip(inputs, contexts, labels, strict=True):
            findings += [Finding(f"input {i.name!r} ({label}): {f.problem}", f.fix) for f in _run_rules(c)]
    counts = [len(c.x) for c in contexts]
    if len(set(counts)) > 1:
        each = ", ".join(f"{label} {n}" for label, n in zip(labels, counts, strict=True))
        findings.append(
            Finding(
                f"the inputs have different numbers of samples: {each}.",
                "give every input one row per sample, the samples in the same order in each.",
            )
        )
    checked = [
        f"- the model input {i.name!r} {describe_shape(c.want)} accepts {label} {c.x.shape}"
        for i, c, label in zip(inputs, contexts, labels, strict=True)
    ]
    if y is not None:
        first = contexts[0]
        out = None if isinstance(model.output_shape, list) else tuple(model.output_shape)
        with_y = Context(model, first.want, first.x, as_array(y, "y"), out, loss_name, first.reader)
        seen = _run_rules(first)  # the findings on x alone, already reported for the first input
        findings += [f for f in _run_rules(with_y) if f not in seen]
        checked += _checked(with_y).splitlines()[1:]
    return Diagnosis(findings, "\n".join(checked))


def _context(model: Any, x: Any, y: Any, loss: Any) -> Context:
    inputs = _declared_inputs(model)
    if len(inputs) != 1:
        raise ValueError(
            f"_context() reads models with one input, but this one has {len(inputs)}: diagnose() checks each of them."
        )
    out = None
    if y is not None and not isinstance(model.output_shape, list):
        out = tuple(model.output_shape)
    return Context(
        model,
        tuple(inputs[0].shape),
        as_array(x, "x"),
        None if y is None else as_array(y, "y"),
        out,
        _loss_name(model, loss),
    )


def _checked(c: Context) -> str:
    """What a clean report says was checked: one line per check, each starting with "- "."""
    axes = ("samples", "timesteps") if len(c.want) == 2 and c.x.dtype.kind in "iu" else None  # token ids
    checked = [f"- the model input {describe_shape(c.want, axes)} accepts x {c.x.shape}"]
    if c.y is not None and c.out is not None:
        loss = f" for {c.loss}" if c.loss else ""
        checked.append(f"- the output {describe_shape(c.out)} matches y {c.y.shape}{loss}")
    if c.y is not None and c.out is not None and c.loss is None:
        checked.append("- no loss given: compile the model or pass loss=... to check the labels too")
    return "\n".join(checked)
