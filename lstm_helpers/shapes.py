"""Shapes in words: describe arrays, trace a model layer by layer, explain LSTM parameter counts.

The functions here print what the book's prose talks about, so every shape a chapter names is
printed by a cell rather than asserted in text::

    >>> describe_shape((32, 100, 50))
    '(32, 100, 50) = 32 samples x 100 timesteps x 50 features'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._text import PAGE_WIDTH, wrap, wrap_lines
from ._validate import as_array, check_positive_int

__all__ = [
    "describe_shape",
    "show_shape",
    "LayerTrace",
    "ModelTrace",
    "trace",
    "lstm_param_count",
    "LSTMParams",
    "lstm_params",
]

#: Axis names used when none are given, by number of axes.
DEFAULT_AXES: dict[int, tuple[str, ...]] = {
    1: ("values",),
    2: ("samples", "features"),
    3: ("samples", "timesteps", "features"),
}


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _shape_of(x: Any) -> tuple[int | None, ...]:
    """The shape of an array, tensor, KerasTensor or an explicit shape tuple."""
    if isinstance(x, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in x):
        return tuple(None if d is None else int(d) for d in x)
    if hasattr(x, "shape"):
        return tuple(None if d is None else int(d) for d in x.shape)
    if isinstance(x, (tuple, list)):
        return as_array(x).shape
    raise TypeError(
        f"expected an array, a tensor or a shape tuple such as (32, 100, 50), but got "
        f"{type(x).__name__}. Fix: pass the array itself or its .shape."
    )


def describe_shape(x: Any, axes: Sequence[str] | None = None) -> str:
    """Say what each axis of ``x`` means: ``'(32, 100, 50) = 32 samples x 100 timesteps x 50 features'``.

    ``x`` may be an array, a tensor, a ``KerasTensor`` or a shape tuple; ``None`` in a shape reads
    as "any number of". ``axes`` names the axes; by default 2-D is (samples, features), 3-D is
    (samples, timesteps, features) and higher ranks add ``axis3``, ``axis4``...

    >>> describe_shape((None, 10, 3))
    '(None, 10, 3) = any number of samples x 10 timesteps x 3 features'
    """
    shape = _shape_of(x)
    if not shape:
        return "() = a single number"
    if axes is None:
        axes = DEFAULT_AXES.get(len(shape)) or (
            ("samples", "timesteps") + tuple(f"axis{i}" for i in range(2, len(shape) - 1)) + ("features",)
        )
    axes = tuple(axes)
    if len(axes) != len(shape):
        raise ValueError(
            f"axes names {axes} do not match the shape {shape}: expected {len(shape)} names, got "
            f"{len(axes)}. Fix: give one name per axis, e.g. axes={DEFAULT_AXES.get(len(shape), ('...',))}."
        )
    parts = []
    for size, name in zip(shape, axes, strict=False):
        if size is None:
            parts.append(f"any number of {name}")
        else:
            parts.append(f"{size} {_singular(name) if size == 1 else name}")
    text = "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    return f"{text} = " + " x ".join(parts)


def show_shape(x: Any, name: str = "x", axes: Sequence[str] | None = None) -> None:
    """Print ``name: (shape) = ... in words`` for an array, a tensor or a shape tuple.

    >>> show_shape((32, 100, 6), "x_train")
    x_train: (32, 100, 6) = 32 samples x 100 timesteps x 6 features
    """
    print(wrap(f"{name}: {describe_shape(x, axes)}", rest="    "))


# ----------------------------------------------------------------------------------------------
# Tracing a model
# ----------------------------------------------------------------------------------------------


@dataclass
class LayerTrace:
    """One row of :func:`trace`: a layer and the actual shapes it produced on the sample batch."""

    name: str
    kind: str
    shapes: list[tuple]
    roles: list[str]
    masked: bool = False
    note: str = ""
    params: int = 0
    words: list[str] = field(default_factory=list)


def _unwrap(layer: Any) -> Any:
    """The layer inside a wrapper: ``Bidirectional``'s forward layer, ``TimeDistributed``'s layer.

    Any other layer is returned as it is. The one place that knows how Keras wraps layers.
    """
    return getattr(layer, "forward_layer", None) or getattr(layer, "layer", None) or layer


def _kind(layer: Any) -> str:
    name = type(layer).__name__
    if name in ("Bidirectional", "TimeDistributed"):
        return f"{name}({type(_unwrap(layer)).__name__})"
    return name


def _recurrent_config(layer: Any) -> dict[str, Any]:
    try:
        config: dict[str, Any] = _unwrap(layer).get_config()
    except Exception:  # pragma: no cover - layers without a config
        return {}
    return config


_MERGE_TEXT = {
    "concat": "forward and backward concatenated",
    "sum": "forward + backward",
    "ave": "mean of forward and backward",
    "mul": "forward * backward",
    None: "forward and backward kept apart",
}


def _roles_and_note(layer: Any, n_outputs: int) -> tuple[list[str], str]:
    """Names of each output of ``layer`` and a one-line note on what it hands on."""
    name = type(layer).__name__
    cfg = _recurrent_config(layer)
    if "return_sequences" not in cfg:
        return _plain_roles_and_note(name, cfg, n_outputs)
    seq = "one output per timestep" if cfg.get("return_sequences") else "last timestep only"
    if name == "Bidirectional":
        return _bidirectional_roles(
            layer, n_outputs
        ), f"{seq}; {_MERGE_TEXT.get(layer.merge_mode, str(layer.merge_mode))}"
    roles = ["output"]
    if n_outputs == 3:
        roles += ["state h (last hidden)", "state c (last cell)"]
    elif n_outputs == 2:
        roles += ["state h (last hidden)"]
    return roles, seq + ("; return_state=True" if cfg.get("return_state") else "")


def _plain_roles_and_note(name: str, cfg: dict[str, Any], n_outputs: int) -> tuple[list[str], str]:
    notes = {
        "Embedding": "one vector per token" + (", mask_zero=True: padding masked" if cfg.get("mask_zero") else ""),
        "Masking": f"marks steps equal to {cfg.get('mask_value', 0.0)} as padding",
        "TimeDistributed": "the same layer applied at every timestep",
    }
    roles = ["output"] if n_outputs == 1 else [f"output {i}" for i in range(n_outputs)]
    return roles, notes.get(name, "")


def _bidirectional_roles(layer: Any, n_outputs: int) -> list[str]:
    merge = getattr(layer, "merge_mode", None)
    roles = ["forward output", "backward output"] if merge is None else ["output"]
    n_states = n_outputs - len(roles)
    if n_states > 0:
        state_names = ["h", "c"] if n_states // 2 == 2 else ["h"]
        roles += [f"{d} state {s}" for d in ("forward", "backward") for s in state_names]
    return roles


def _mask_of(tensor: Any) -> Any:
    try:  # Keras >= 3.6 keeps masks on symbolic tensors behind this accessor
        from keras.src.backend import get_keras_mask

        return get_keras_mask(tensor)
    except Exception:  # pragma: no cover - older Keras 3
        return getattr(tensor, "_keras_mask", None)


class ModelTrace(list):
    """The rows of :func:`trace` (a list of :class:`LayerTrace`); shown as a table in a notebook."""

    def __init__(self, rows: list[LayerTrace], table: str):
        super().__init__(rows)
        self.table = table

    def __repr__(self) -> str:
        return self.table

    __str__ = __repr__


def trace(model: Any, x: Any) -> ModelTrace:
    """Run a real sample batch ``x`` through ``model`` and report every layer's actual output shapes.

    Works for ``Sequential`` and functional models, including ``Bidirectional``, stacked LSTMs,
    ``return_state=True`` (several outputs per layer), ``Embedding``/``Masking`` (a mask column)
    and ``TimeDistributed``. ``x`` is the batch (or list of batches for several inputs) that the
    model will be fed; only its first few samples are needed.

    Returns the rows (a list of :class:`LayerTrace`); as the last line of a notebook cell, or
    printed, it shows as a table of each layer's output shape in words, each layer's note on the
    line below, wrapped to 80 characters a line.

    A subclassed ``keras.Model`` (one that defines ``call()``) has no graph of layers to read:
    its trace runs it on ``x`` and reports what the whole model returns.

    >>> model = keras.Sequential([keras.Input((10, 3)), keras.layers.LSTM(8)])  # doctest: +SKIP
    >>> trace(model, np.zeros((4, 10, 3)))  # doctest: +SKIP
    layer (type)  output shape = what each axis holds  note
    ...
    """
    _check_model(model, "trace()")
    batches = _batches(x)
    feed = batches[0] if len(batches) == 1 else batches
    if _is_subclassed(model):
        return _trace_subclassed(model, batches, feed)
    inputs = _model_inputs(model, feed)
    _check_batches_fit(inputs, batches)
    calls = _layer_calls(model)
    values = _probe(model, inputs, [flat for _, flat in calls], feed)
    rows: list[LayerTrace] = []
    for (layer, flat), outputs in zip(calls, values, strict=True):
        shapes = [tuple(int(d) for d in v.shape) for v in outputs]
        roles, note = _roles_and_note(layer, len(flat))
        rows.append(
            LayerTrace(
                name=layer.name,
                kind=_kind(layer),
                shapes=shapes,
                roles=roles,
                masked=any(_mask_of(t) is not None for t in flat),
                note=note,
                params=int(layer.count_params()),
                words=[describe_shape(s) for s in shapes],
            )
        )
    return ModelTrace(rows, _trace_table(batches, rows))


def _check_model(model: Any, caller: str) -> None:
    import keras  # imported here so that `import lstm_helpers` stays light

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{caller} needs a keras.Model (Sequential or functional), but got "
            f"{type(model).__name__}. Fix: wrap the layers in keras.Sequential([...]) or "
            "keras.Model(inputs, outputs)."
        )


def _is_subclassed(model: Any) -> bool:
    """True for a subclass of ``keras.Model`` that defines ``call()``: no graph of layers to read.

    ``Sequential`` and functional models (``keras.Model(inputs, outputs)``, also when subclassed)
    keep a graph of layer calls; a model whose ``call()`` is plain Python code does not.
    """
    import keras

    return not isinstance(model, keras.Sequential) and not hasattr(model, "_nodes_by_depth")


def _trace_subclassed(model: Any, batches: list[np.ndarray], feed: Any) -> ModelTrace:
    """A subclassed model's trace: run it on the batch and report what it returns."""
    try:
        out = model(feed, training=False)
    except Exception as err:
        message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(
            f"trace() ran the subclassed model {model.name!r} on a batch of shape "
            f"{describe_shape(batches[0].shape)}, and it raised: {message} Fix: pass a batch "
            "shaped as its call() expects (the same arrays as for model.predict)."
        ) from err
    outputs = list(out.values()) if isinstance(out, dict) else list(out) if isinstance(out, (list, tuple)) else [out]
    shapes = [tuple(int(d) for d in t.shape) for t in outputs]
    row = LayerTrace(
        name=model.name,
        kind=type(model).__name__,
        shapes=shapes,
        roles=["output"] if len(shapes) == 1 else [f"output {i}" for i in range(len(shapes))],
        note="a subclassed keras.Model: its call() is Python code, not a graph of layers, "
        "so only what the whole model returns is traced",
        params=int(model.count_params()),
        words=[describe_shape(s) for s in shapes],
    )
    return ModelTrace([row], _trace_table(batches, [row]))


def _batches(x: Any) -> list[np.ndarray]:
    """``x`` as a list of batches (one per model input), each with at least one sample."""
    several = isinstance(x, (list, tuple)) and len(x) > 0 and all(hasattr(b, "shape") for b in x)
    batches = [as_array(b, "x") for b in (list(x) if several else [x])]
    for b in batches:
        if b.ndim == 0 or b.shape[0] == 0:
            raise ValueError(
                f"x must be a batch with at least one sample, but has shape {b.shape}. Fix: pass e.g. x_train[:4]."
            )
    return batches


def _model_inputs(model: Any, feed: Any) -> list[Any]:
    """The model's symbolic inputs; a Sequential model without ``keras.Input`` is built on ``feed``."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        model(feed)
        inputs = model.inputs
    return list(inputs)


def _check_batches_fit(inputs: list[Any], batches: list[np.ndarray]) -> None:
    if len(inputs) != len(batches):
        raise ValueError(
            f"the model has {len(inputs)} input(s) but {len(batches)} batch(es) were given. "
            f"Fix: pass a list of {len(inputs)} arrays, one per keras.Input."
        )
    for inp, b in zip(inputs, batches, strict=True):
        want = tuple(inp.shape[1:])
        got = b.shape[1:]
        if len(want) != len(got) or any(w is not None and w != g for w, g in zip(want, got, strict=True)):
            raise ValueError(
                f"the model expects input of shape {describe_shape(tuple(inp.shape))}, but the batch "
                f"has shape {describe_shape(b.shape)}. Fix: reshape the data to (samples, "
                f"{', '.join('any' if w is None else str(w) for w in want)}) or change keras.Input(shape=...)."
            )


def _probe(model: Any, inputs: list[Any], outputs: list[list[Any]], feed: Any) -> list[list[Any]]:
    """Run ``feed`` through a model that exposes every layer call's outputs; grouped per call."""
    import keras

    flat = [t for group in outputs for t in group]
    probe = keras.Model(inputs[0] if len(inputs) == 1 else inputs, flat)
    values = probe(feed, training=False)
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    grouped, start = [], 0
    for group in outputs:
        grouped.append(values[start : start + len(group)])
        start += len(group)
    return grouped


def _layer_calls(model: Any) -> list[tuple[Any, list[Any]]]:
    """Each layer call inside ``model`` with its symbolic outputs, in the model's layer order.

    Reads the model's own graph, so a layer shared with another model (an encoder-decoder's
    inference models reuse the trained layers) is traced through the call that belongs to this
    model, and a layer called twice in this model gives two rows.
    """
    graph = model if hasattr(model, "_nodes_by_depth") else getattr(model, "_functional", None)
    layers = [la for la in model.layers if type(la).__name__ != "InputLayer"]
    nodes_by_depth = getattr(graph, "_nodes_by_depth", None) if graph is not None else None
    if nodes_by_depth:
        by_layer: dict[int, list] = {}
        for depth in sorted(nodes_by_depth, reverse=True):
            for node in nodes_by_depth[depth]:
                by_layer.setdefault(id(node.operation), []).append(list(node.output_tensors))
        if all(id(la) in by_layer for la in layers):
            return [(la, outs) for la in layers for outs in by_layer[id(la)]]
    calls = []
    for layer in layers:  # fallback: each layer's single call
        out = layer.output
        calls.append((layer, list(out) if isinstance(out, (list, tuple)) else [out]))
    return calls


#: the widest "name (type)" column of a trace; a longer one stands on a line of its own
_HEAD_WIDTH = 22


def _trace_entries(batches: list[np.ndarray], rows: list[LayerTrace]) -> list[tuple[str, list[str], str]]:
    """For each input batch and layer: its "name (type)", one text per output, and its note."""
    entries = []
    for i, b in enumerate(batches):
        label = "input" if len(batches) == 1 else f"input {i}"
        if b.ndim == 2 and np.issubdtype(b.dtype, np.integer):
            entries.append((label, [describe_shape(b.shape, ("samples", "timesteps"))], "integer token ids"))
        else:
            entries.append((label, [describe_shape(b.shape)], "the sample batch fed to the model"))
    for row in rows:
        whats = [
            words if len(row.shapes) == 1 else f"{role}: {words}"
            for role, words in zip(row.roles, row.words, strict=False)
        ]
        note = "; ".join(n for n in (row.note, "carries a mask" if row.masked else "") if n)
        entries.append((f"{row.name} ({row.kind})", whats, note))
    return entries


def _trace_table(batches: list[np.ndarray], rows: list[LayerTrace]) -> str:
    """The table a trace shows: each output in words, each note on the line below, within the page."""
    entries = _trace_entries(batches, rows)
    col = min(max(len(head) for head, _, _ in entries), _HEAD_WIDTH) + 2
    room = PAGE_WIDTH - col
    lines = []
    for head, whats, note in entries:
        cells = [wrap(what, rest="    ", width=room) for what in whats]
        if note:
            cells.append(wrap(note, first="  ", width=room))
        body = "\n".join(cells).splitlines()
        if len(head) > col - 2:  # a long name stands on its own line
            lines.append(head)
            body = [" " * col + b for b in body]
        else:
            body = [f"{head:<{col}}{body[0]}"] + [" " * col + b for b in body[1:]]
        lines += body
    header = [f"{'layer (type)':<{col}}output shape = what each axis holds", " " * col + "  note"]
    rule = "-" * max(len(line) for line in header + lines)
    return "\n".join([*header, rule, *lines, rule, f"parameters: {sum(r.params for r in rows):,}"])


# ----------------------------------------------------------------------------------------------
# LSTM parameter counts
# ----------------------------------------------------------------------------------------------

GATES = ("input gate i", "forget gate f", "cell candidate g", "output gate o")


def lstm_param_count(units: int, features: int, use_bias: bool = True) -> int:
    """Parameters of one ``keras.layers.LSTM(units)`` reading ``features`` features per timestep.

    Each of the four gates has an input kernel (features x units), a recurrent kernel
    (units x units) and a bias (units): ``4 * (units * (features + units) + units)``.

    >>> lstm_param_count(units=32, features=6)
    4992
    """
    units = check_positive_int(units, "units")
    features = check_positive_int(features, "features")
    return 4 * (units * (features + units) + (units if use_bias else 0))


@dataclass(repr=False)
class LSTMParams:
    """The parameter count of an LSTM layer split into its four gates, checked against Keras.

    Shown (as the last line of a notebook cell, or printed) as the breakdown, gate by gate.
    """

    units: int
    features: int
    directions: int
    input_weights: int
    recurrent_weights: int
    bias: int
    per_gate: int
    total: int
    keras_count: int

    def __str__(self) -> str:
        u, f = self.units, self.features
        lines = [
            f"LSTM(units={u}) reading {f} feature{'s' if f != 1 else ''} per timestep",
            "the 4 gates: " + ", ".join(GATES),
            "each gate has:",
            f"  input weights      features x units = {f} x {u} = {self.input_weights:,}",
            f"  recurrent weights  units x units    = {u} x {u} = {self.recurrent_weights:,}",
            f"  bias               units            = {self.bias:,}",
            f"  per gate                              {self.per_gate:,}",
            f"4 gates x {self.per_gate:,} = {4 * self.per_gate:,}",
        ]
        if self.directions == 2:
            lines.append(f"x 2 directions (Bidirectional) = {self.total:,}")
        lines.append(f"layer.count_params() = {self.keras_count:,}  (matches)")
        return wrap_lines("\n".join(lines))

    __repr__ = __str__


def lstm_params(layer: Any) -> LSTMParams:
    """Break an ``LSTM`` (or ``Bidirectional(LSTM)``) layer's parameters into its four gates.

    The layer must be built (part of a model with a known input). The formula is checked
    against ``layer.count_params()``; a mismatch raises ``RuntimeError``.

    >>> lstm_params(model.get_layer("lstm"))  # doctest: +SKIP
    """
    import keras

    directions = 1
    core = layer
    if isinstance(layer, keras.layers.Bidirectional):
        directions, core = 2, layer.forward_layer
    if not isinstance(core, keras.layers.LSTM):
        raise TypeError(
            f"lstm_params() needs a keras.layers.LSTM or Bidirectional(LSTM) layer, but got "
            f"{type(layer).__name__}. Fix: pass e.g. model.get_layer('lstm')."
        )
    if not core.built:
        raise ValueError(
            f"layer {layer.name!r} is not built yet, so its number of input features is "
            "unknown. Fix: put it in a model that starts with keras.Input(shape=(timesteps, "
            "features)), or call the model on a batch first."
        )
    kernel = core.cell.kernel
    features, units = int(kernel.shape[0]), int(core.units)
    bias = units if core.use_bias else 0
    per_gate = features * units + units * units + bias
    total = directions * 4 * per_gate
    params = LSTMParams(
        units,
        features,
        directions,
        features * units,
        units * units,
        bias,
        per_gate,
        total,
        int(layer.count_params()),
    )
    if params.total != params.keras_count:
        raise RuntimeError(
            f"formula gives {params.total} but Keras counts {params.keras_count} for "
            f"{layer.name!r}; the layer has options this breakdown does not model. "
            "Fix: count its parameters with layer.count_params() instead."
        )
    return params
