"""Pictures the book draws from real objects: learning curves and the 3-D input batch.

Each function returns the matplotlib ``Figure`` it drew, so a notebook cell ending in
``lh.plot_history(history);`` shows the picture once (the ``;`` hides the figure's text repr).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validate import check_positive_int
from .shapes import _shape_of

if TYPE_CHECKING:  # matplotlib is imported only when a picture is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_history", "plot_batch", "plot_confusion", "plot_predictions", "plot_model", "plot_unrolled"]


def plot_history(history: Any, metrics: Sequence[str] | None = None, title: str | None = None) -> Figure:
    """Learning curves from a ``keras.callbacks.History`` (or its ``.history`` dict).

    One panel per metric (``loss`` first), training and validation side by side, so over- and
    under-fitting can be seen at a glance. ``metrics`` picks which ones (default: all recorded).

    >>> fig = plot_history(history)  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise TypeError(
            f"plot_history() needs the History returned by model.fit(...) (or its .history dict), but got "
            f"{type(history).__name__}. Fix: history = model.fit(...); lh.plot_history(history)."
        )
    names = [k for k in logs if not k.startswith("val_")]
    if metrics is not None:
        unknown = [m for m in metrics if m not in logs]
        if unknown:
            raise ValueError(
                f"metric(s) {unknown} were not recorded; the history has {sorted(logs)}. "
                "Fix: pick from those names, or pass metrics=[...] to model.compile()."
            )
        names = list(metrics)
    names = sorted(names, key=lambda k: (k != "loss", k))
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=False):
        epochs = np.arange(1, len(logs[name]) + 1)
        ax.plot(epochs, logs[name], label="training")
        if f"val_{name}" in logs:
            ax.plot(epochs, logs[f"val_{name}"], label="validation")
        ax.set_xlabel("epoch")
        ax.set_title(name)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_batch(
    x: Any,
    axes: Sequence[str] = ("samples", "timesteps", "features"),
    max_cells: int = 10,
    title: str | None = None,
) -> Figure:
    """Draw a 3-D batch as a labelled box: samples stacked in depth, each a timesteps x features grid.

    ``x`` is an array or a shape tuple such as ``(32, 100, 6)``. Axes longer than ``max_cells``
    are drawn with ``max_cells`` cells and their true size written on the label.

    >>> fig = plot_batch((32, 100, 6))  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    raw = _shape_of(x)
    if len(raw) != 3 or any(d is None for d in raw):
        raise ValueError(
            f"plot_batch() draws a 3-D batch (samples, timesteps, features) with known sizes, "
            f"but got shape {raw}. Fix: pass the array or a tuple such as (32, 100, 6)."
        )
    shape = tuple(int(d or 0) for d in raw)
    max_cells = check_positive_int(max_cells, "max_cells")
    n_s, n_t, n_f = (min(d, max_cells) for d in shape)
    fig, ax = plt.subplots(figsize=(7, 4.6))
    _batch_cells(ax, n_s, n_t, n_f)
    _batch_labels(ax, shape, tuple(axes), (n_s, n_t, n_f))
    ax.set_xlim(-2.5, n_t + n_s * _DEPTH[0] + 3.5)
    ax.set_ylim(-2.2, n_f + n_s * _DEPTH[1] + 1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or f"a batch of shape {shape}")
    fig.tight_layout()
    return fig


#: oblique offset per sample (depth) in :func:`plot_batch`
_DEPTH = (0.45, 0.35)


def _batch_cells(ax: Axes, n_s: int, n_t: int, n_f: int) -> None:
    """The cells of :func:`plot_batch`, back samples first so that the first sample is in front."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    face = plt.get_cmap("Blues")
    for s in reversed(range(n_s)):
        ox, oy = s * _DEPTH[0], s * _DEPTH[1]
        shade = face(0.25 + 0.5 * (1 - s / max(n_s, 1)))
        for t in range(n_t):
            for f in range(n_f):
                corners = [(ox + t, oy + f), (ox + t + 1, oy + f), (ox + t + 1, oy + f + 1), (ox + t, oy + f + 1)]
                ax.add_patch(Polygon(corners, closed=True, facecolor=shade, edgecolor="white", linewidth=0.8))


def _batch_labels(ax: Axes, shape: tuple[int, ...], axes: tuple[str, ...], cells: tuple[int, int, int]) -> None:
    """The three labelled arrows of :func:`plot_batch`: timesteps, features and samples (depth)."""
    n_s, n_t, n_f = cells
    dx, dy = _DEPTH
    arrow = dict(arrowstyle="->", lw=1.5)
    ax.annotate("", xy=(n_t, -0.6), xytext=(0, -0.6), arrowprops=dict(arrow))
    ax.text(n_t / 2, -1.2, f"{axes[1]}: {shape[1]}", ha="center", va="top", fontsize=12)
    ax.annotate("", xy=(-0.6, n_f), xytext=(-0.6, 0), arrowprops=dict(arrow))
    ax.text(-1.1, n_f / 2, f"{axes[2]}: {shape[2]}", ha="right", va="center", rotation=90, fontsize=12)
    ex, ey = n_t + 0.4, 0.0
    tip = (ex + (n_s - 1) * dx + 0.3, ey + (n_s - 1) * dy + 0.25)
    ax.annotate("", xy=tip, xytext=(ex, ey), arrowprops=dict(arrow))
    ax.text(tip[0] + 0.2, tip[1] + 0.05, f"{axes[0]}: {shape[0]}", fontsize=12, va="bottom")
    ax.text(0.5, n_f - 0.5, "sample 0", fontsize=9, va="center", color="black")


def plot_confusion(
    y_true: Any, y_pred: Any, class_names: Sequence[str] | None = None, title: str | None = None
) -> Figure:
    """Confusion matrix of integer labels: rows are the true class, columns the predicted class.

    Each cell shows the count; the diagonal holds the correct predictions. The title gives the
    accuracy, so the picture and the number cannot disagree.

    >>> fig = plot_confusion(y_test, model.predict(x_test).argmax(axis=-1))  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    t = np.asarray(y_true).reshape(-1)
    p = np.asarray(y_pred).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(
            f"y_true has {t.size} labels but y_pred has {p.size}. Fix: pass one predicted class per "
            "sample, e.g. y_pred = model.predict(x, verbose=0).argmax(axis=-1)."
        )
    for name, arr in (("y_true", t), ("y_pred", p)):
        if not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(
                f"{name} must hold integer class labels, but has dtype {arr.dtype}. Fix: turn "
                "probabilities into classes with .argmax(axis=-1) (softmax) or (p > 0.5).astype(int) (sigmoid)."
            )
    n = int(max(t.max(), p.max()) + 1) if class_names is None else len(class_names)
    names = list(class_names) if class_names is not None else [str(i) for i in range(n)]
    matrix = np.zeros((n, n), dtype=int)
    np.add.at(matrix, (t, p), 1)
    fig, ax = plt.subplots(figsize=(1.0 + 0.55 * n, 0.8 + 0.5 * n))
    ax.imshow(matrix, cmap="Blues")
    for i in range(n):
        for j in range(n):
            ax.text(
                j,
                i,
                str(matrix[i, j]),
                ha="center",
                va="center",
                color="white" if matrix[i, j] > matrix.max() / 2 else "black",
                fontsize=9,
            )
    ax.set_xticks(range(n), names, rotation=45, ha="right")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    accuracy = np.trace(matrix) / max(matrix.sum(), 1)
    ax.set_title(title or f"accuracy {accuracy:.1%} on {matrix.sum()} samples")
    fig.tight_layout()
    return fig


def plot_predictions(
    y_true: Any,
    predictions: dict[str, Any],
    x: Any | None = None,
    title: str | None = None,
    xlabel: str = "time step",
    ylabel: str = "value",
) -> Figure:
    """Predictions against the truth on one axis: ``predictions`` maps a label to a 1-D series.

    ``x`` gives the horizontal positions (years, steps); by default 0, 1, 2, ...

    >>> fig = plot_predictions(y_test, {"LSTM": y_lstm, "last value": y_naive})  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    truth = np.asarray(y_true, dtype=float).reshape(-1)
    pos = np.arange(len(truth)) if x is None else np.asarray(x).reshape(-1)
    if len(pos) != len(truth):
        raise ValueError(
            f"x has {len(pos)} positions but y_true has {len(truth)} values. "
            "Fix: pass one position (year, step) per value, or leave x out."
        )
    if not isinstance(predictions, dict) or not predictions:
        raise TypeError(
            f"predictions must be a non-empty dict of label -> series, but got {type(predictions).__name__}. "
            "Fix: pass e.g. {'LSTM': y_lstm, 'last value': y_naive}."
        )
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.plot(pos, truth, color="black", lw=2, label="truth")
    for label, values in predictions.items():
        values = np.asarray(values, dtype=float).reshape(-1)
        if len(values) != len(truth):
            raise ValueError(
                f"predictions[{label!r}] has {len(values)} values but y_true has {len(truth)}. "
                "Fix: pass one prediction per target, flattened with .reshape(-1)."
            )
        ax.plot(pos, values, lw=1.4, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_model(model: Any, x: Any, title: str | None = None) -> Figure:
    """Draw a model as a column of layer boxes, each arrow labelled with the shape that really flows.

    The shapes come from :func:`lstm_helpers.trace` on the batch ``x``, so the picture shows what
    the model does, not what was intended. Bidirectional layers are drawn as two side-by-side
    boxes (forward and backward) that merge.

    >>> fig = plot_model(model, x_train[:4])  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    from .shapes import trace

    rows = trace(model, x)
    batch = np.asarray(x[0] if isinstance(x, (list, tuple)) and hasattr(x[0], "shape") else x)
    fig, ax = plt.subplots(figsize=(7.2, 1.25 * (len(rows) + 1) + 0.6))
    y = len(rows) + 0.4
    _box(ax, 0, y, 3.2, "input batch", "#eef2f7")
    arrow_label = str(tuple(int(d) for d in batch.shape))
    for row in rows:
        _arrow(ax, y, y - 1.25, arrow_label)
        y -= 1.25
        _layer_box(ax, y, row)
        arrow_label = ", ".join(str(s) for s in row.shapes) if len(row.shapes) > 1 else str(row.shapes[0])
    ax.text(
        0.12,
        y - 0.62,
        f"output {arrow_label}",
        ha="left",
        va="center",
        fontsize=9.5,
        color="#124",
        family="monospace",
    )
    ax.annotate("", xy=(0, y - 0.95), xytext=(0, y - 0.3), arrowprops=dict(arrowstyle="->", lw=1.3, color="#334"))
    ax.set_xlim(-2.6, 4.6)
    ax.set_ylim(y - 1.1, len(rows) + 1.0)
    ax.axis("off")
    ax.set_title(title or f"{model.name}: shapes on a batch of {batch.shape[0]}", fontsize=11)
    fig.tight_layout()
    return fig


def _box(ax: Axes, cx: float, cy: float, w: float, text: str, color: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (cx - w / 2, cy - 0.28),
            w,
            0.56,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=color,
            edgecolor="#334",
            linewidth=1.1,
        )
    )
    ax.text(cx, cy, text, ha="center", va="center", fontsize=10)


def _arrow(ax: Axes, y0: float, y1: float, label: str) -> None:
    ax.annotate("", xy=(0, y1 + 0.3), xytext=(0, y0 - 0.3), arrowprops=dict(arrowstyle="->", lw=1.3, color="#334"))
    ax.text(0.12, (y0 + y1) / 2, label, ha="left", va="center", fontsize=9.5, color="#124", family="monospace")


def _layer_box(ax: Axes, y: float, row: Any) -> None:
    """One layer of :func:`plot_model`: a box (two for a Bidirectional layer) and its note."""
    recurrent = any(k in row.kind for k in ("LSTM", "GRU", "SimpleRNN"))
    color = "#dbe9f6" if recurrent else "#f3f0e6"
    if row.kind.startswith("Bidirectional"):
        inner = row.kind[len("Bidirectional(") : -1]
        _box(ax, -0.95, y, 1.7, "forward " + inner, color)
        _box(ax, 0.95, y, 1.7, "backward " + inner, color)
        ax.text(2.0, y, row.note.split("; ")[-1] if row.note else "", fontsize=8.5, va="center", color="#555")
        return
    _box(ax, 0, y, 3.2, f"{row.name} ({row.kind})", color)
    if row.note:
        ax.text(1.75, y, row.note.split(";")[0], fontsize=8.5, va="center", color="#555")


def plot_unrolled(layer: Any, x: Any, max_steps: int = 6, title: str | None = None) -> Figure:
    """Draw a recurrent layer unrolled over time and mark which outputs it returns.

    ``layer`` is a built ``LSTM``/``GRU``/``SimpleRNN`` and ``x`` a batch it reads; the layer is
    run on ``x`` and the picture is labelled with the real shapes. With
    ``return_sequences=False`` only the last step's output leaves the layer; with ``True``, every
    step's output does.

    >>> fig = plot_unrolled(keras.layers.LSTM(4, return_sequences=True), x[:1])  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    if not hasattr(layer, "return_sequences"):
        raise TypeError(
            f"plot_unrolled() needs a recurrent layer (LSTM, GRU, SimpleRNN), but got "
            f"{type(layer).__name__}. Fix: pass e.g. keras.layers.LSTM(4, return_sequences=True)."
        )
    batch = np.asarray(x)
    if batch.ndim != 3:
        raise ValueError(
            f"x must be a 3-D batch (samples, timesteps, features), but has shape {batch.shape}. "
            "Fix: add the missing axes, e.g. x[..., None] for one feature per step."
        )
    out = layer(batch)
    outputs = out if isinstance(out, (list, tuple)) else [out]
    out_shape = tuple(int(d) for d in outputs[0].shape)
    steps = batch.shape[1]
    shown = min(steps, max_steps)
    fig, ax = plt.subplots(figsize=(1.35 * shown + 2.4, 3.6))
    for i in range(shown):
        _unrolled_step(ax, i, shown, steps, type(layer).__name__, layer.return_sequences or i == shown - 1)
    kind = "every step's output" if layer.return_sequences else "only the last step's output"
    ax.text(
        1.35 * (shown - 1) / 2,
        2.65,
        f"return_sequences={layer.return_sequences}: {kind} -> {out_shape}",
        ha="center",
        fontsize=10.5,
        color="#c0392b",
    )
    ax.set_xlim(-0.9, 1.35 * (shown - 1) + 0.9)
    ax.set_ylim(-0.2, 3.0)
    ax.axis("off")
    ax.set_title(title or f"{layer.name} on a batch of shape {batch.shape}", fontsize=10)
    fig.tight_layout()
    return fig


def _unrolled_step(ax: Axes, i: int, shown: int, steps: int, kind: str, returned: bool) -> None:
    """Step ``i`` of :func:`plot_unrolled`: the cell, its input, its output (red when returned)."""
    from matplotlib.patches import FancyBboxPatch

    t = i if i < shown - 1 or shown == steps else steps - 1
    cx = 1.35 * i
    ax.add_patch(
        FancyBboxPatch(
            (cx - 0.45, 0.75),
            0.9,
            0.6,
            boxstyle="round,pad=0.02,rounding_size=0.1",
            facecolor="#dbe9f6",
            edgecolor="#334",
        )
    )
    ax.text(cx, 1.05, kind, ha="center", va="center", fontsize=9)
    ax.text(cx, 0.1, f"x[t={t}]", ha="center", va="center", fontsize=9, family="monospace")
    ax.annotate("", xy=(cx, 0.75), xytext=(cx, 0.3), arrowprops=dict(arrowstyle="->", color="#334"))
    ax.annotate(
        "",
        xy=(cx, 1.95),
        xytext=(cx, 1.35),
        arrowprops=dict(arrowstyle="->", color="#c0392b" if returned else "#bbb", lw=1.6 if returned else 1),
    )
    ax.text(
        cx,
        2.1,
        f"h[t={t}]",
        ha="center",
        va="center",
        fontsize=9,
        family="monospace",
        color="#c0392b" if returned else "#aaa",
    )
    if i < shown - 1:
        ax.annotate("", xy=(cx + 0.9, 1.05), xytext=(cx + 0.45, 1.05), arrowprops=dict(arrowstyle="->", color="#334"))
        if shown < steps and i == shown - 2:
            ax.text(cx + 0.68, 1.25, "...", ha="center", fontsize=11)
