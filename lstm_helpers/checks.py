"""Self-checks for the book's assignments: each says clearly whether a task is done, or what to fix.

A check tests behaviour (shapes, parameter counts, a trained model's held-out score), never the
code itself, so any correct solution passes. A failed check never raises: it shows a specific
hint and the notebook runs on, so a student sees every task's state and a grader can score every
task. (Every public check is wrapped in ``_never_raises``: a value that a check cannot even
evaluate fails the task with the reason, instead of stopping the notebook.) Each result is shown
as text for the student and as a small JSON record (MIME type :data:`MIME`), which
``tools/grader.py`` uses to spot forged records::

    lh.checks.check_output_shape("2", model, x_train[:4], expected=(None, 4))
    # Task 2 passed: the model maps (2, 100, 6) = 2 samples x 100 timesteps x
    #     6 features to (2, 4).

The text fits the book's page: a message longer than ``WIDTH`` (80) characters wraps at spaces,
never inside a shape such as ``(2, 100, 6)``, and its continuation lines are indented. The JSON
record keeps the message on one line.
"""

from __future__ import annotations

import functools
import inspect
import re
import textwrap
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec

import numpy as np

from .diagnosis import _last_sequence_layer, diagnose
from .shapes import _unwrap, describe_shape

__all__ = [
    "MIME",
    "CheckResult",
    "check_array_shape",
    "check_output_shape",
    "check_param_count",
    "check_layer_types",
    "check_accuracy",
    "check_mean_error",
    "check_exact_match",
    "check_uses_input",
    "check_close",
    "check_padded",
    "check_padding_ignored",
    "check_fits",
    "check_standardized",
    "check_training_scaling",
    "check_value",
    "check_stateful",
    "check_stream_accuracy",
]

#: MIME type of the machine-readable record each check displays.
MIME = "application/vnd.lstm-helpers.check+json"
#: the widest line a check prints: the book's page width
WIDTH = 80
_INDENT = "    "
#: joins the parts of a shape while a message is wrapped (textwrap breaks at ASCII spaces only)
_GLUE = "\u00a0"
#: a short group in round brackets without brackets inside: a shape, a tuple, an aside
_SHAPE = re.compile(r"\([^()]{0,40}\)")
#: the space between a number and what it counts: ``100 timesteps``
_COUNT = re.compile(r"(?<=\d) (?=(samples?|timesteps?|features?|units?|labels?|targets?|parameters|steps?)\b)")


def _keep_shapes_whole(text: str) -> str:
    """``text`` with the spaces of every short bracketed group glued, and of every count and its
    noun: ``(2, 100, 6)`` and ``100 timesteps`` stay on one line."""
    return _COUNT.sub(_GLUE, _SHAPE.sub(lambda match: match.group(0).replace(" ", _GLUE), text))


def _wrap(text: str) -> str:
    """``text`` in lines of at most ``WIDTH`` (80) characters; the lines after the first are indented.

    Runs of whitespace (a newline in an error message) become one space. A word wider than the
    page, such as a long repr without spaces, is broken, so no line is ever wider than ``WIDTH`` (80).
    """
    glued = _keep_shapes_whole(" ".join(text.split()))
    lines = textwrap.wrap(glued, width=WIDTH, subsequent_indent=_INDENT, break_on_hyphens=False)
    return "\n".join(line.replace(_GLUE, " ").rstrip() for line in lines)


@dataclass
class CheckResult:
    """The outcome of one check: which task, whether it passed, and the message shown."""

    task: str
    passed: bool
    message: str

    def _repr_mimebundle_(
        self, include: Collection[str] | None = None, exclude: Collection[str] | None = None
    ) -> dict[str, Any]:
        """What Jupyter shows: the text, and the record under :data:`MIME`."""
        return {"text/plain": str(self), MIME: {"task": self.task, "passed": self.passed, "message": self.message}}

    def __str__(self) -> str:
        return _wrap(f"Task {self.task} {'passed' if self.passed else 'not done yet'}: {self.message}")

    __repr__ = __str__

    def __bool__(self) -> bool:
        return self.passed


def _result(task: str, passed: bool, message: str) -> CheckResult:
    return CheckResult(str(task), bool(passed), message)


def _text(value: Any) -> str:
    """``str(value)``, or the type's name for a value whose ``__str__`` raises."""
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - any value may be handed to a check
        return f"<{type(value).__name__}>"


def _reason(err: BaseException, limit: int = 200) -> str:
    """``TypeName: first line of the message`` (just the name when the message is empty)."""
    lines = _text(err).splitlines()
    return f"{type(err).__name__}: {lines[0][:limit]}" if lines and lines[0] else type(err).__name__


_P = ParamSpec("_P")


def _never_raises(check: Callable[_P, CheckResult]) -> Callable[_P, CheckResult]:
    """The checks' contract, kept in one place: whatever it is given, a check returns a result.

    An exception raised while checking (an array where a number was expected, an object whose
    ``__eq__`` or ``__len__`` raises, a wrong argument) fails the task with a message that says
    the check could not evaluate the value, and why.
    """
    signature = inspect.signature(check)

    @functools.wraps(check)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> CheckResult:
        try:
            return check(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the contract: a failed check never raises
            try:
                bound = signature.bind_partial(*args, **kwargs)
                bound.apply_defaults()
                given: dict[str, Any] = dict(bound.arguments)
            except TypeError:
                given = {}
            task, name = given.get("task", args[0] if args else "?"), given.get("name", "the value")
            message = f"the check could not evaluate {_text(name)}: {_reason(err)}"
            return CheckResult(_text(task), False, message)

    return guarded


def _missing(task: str, value: Any, name: str, what: str) -> CheckResult | None:
    if value is None or value is Ellipsis:
        return _result(task, False, f"{name} is not set yet. {what}")
    return None


def _not_a_model(model: Any, name: str) -> str:
    return f"{name} is a {type(model).__name__}, not a keras Model. Wrap the layers in keras.Sequential([...])."


def _unusable_model(task: str, model: Any, name: str) -> CheckResult | None:
    """A failed result when ``model`` is not set or not a ``keras.Model``; ``None`` when it is one."""
    import keras

    missing = _missing(task, model, name, "Build it with keras.Sequential([...]) or keras.Model(inputs, outputs).")
    if missing is not None:
        return missing
    if not isinstance(model, keras.Model):
        return _result(task, False, _not_a_model(model, name))
    return None


def _shape_text(shape: Sequence[Any]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


@_never_raises
def check_array_shape(
    task: str, array: Any, expected: Sequence[int | None], name: str = "x", hint: str = ""
) -> CheckResult:
    """Pass when ``array`` has the ``expected`` shape (``None`` matches any size on that axis).

    >>> check_array_shape("1", np.zeros((32, 100, 6)), (None, 100, 6), name="x_train")
    Task 1 passed: x_train has shape (32, 100, 6) = 32 samples x 100 timesteps x
        6 features.
    """
    missing = _missing(task, array, name, hint or f"Make it an array of shape {_shape_text(expected)}.")
    if missing is not None:
        return missing
    if not hasattr(array, "shape"):
        return _result(task, False, f"{name} is a {type(array).__name__}, not an array. Convert it with np.asarray.")
    got = tuple(int(d) for d in array.shape)
    expected = tuple(expected)
    ok = len(got) == len(expected) and all(e is None or e == g for e, g in zip(expected, got, strict=True))
    if ok:
        return _result(task, True, f"{name} has shape {describe_shape(got)}.")
    message = f"{name} has shape {got}, but {_shape_text(expected)} is expected."
    if len(got) == len(expected) - 1 and expected[-1] == 1:
        message += f" It is missing the features axis: add it with {name}[..., None]."
    elif len(got) == 2 and len(expected) == 3:
        message += " An LSTM needs 3 axes (samples, timesteps, features)."
    elif len(got) == len(expected):
        wrong = [i for i, (e, g) in enumerate(zip(expected, got, strict=True)) if e is not None and e != g]
        names = (
            ("samples", "timesteps", "features") if len(expected) == 3 else tuple(f"axis {i}" for i in range(len(got)))
        )
        message += " Check the " + " and ".join(names[i] for i in wrong) + " axis."
    if hint:
        message += " " + hint
    return _result(task, False, message)


@_never_raises
def check_output_shape(
    task: str, model: Any, x: Any, expected: Sequence[int | None], name: str = "model"
) -> CheckResult:
    """Pass when ``model``'s output shape, as Keras reports it, equals ``expected`` (batch axis ``None``).

    The model is also run on the batch ``x`` to prove that the data fits it; for a model with several
    inputs ``x`` is the list of their arrays.

    >>> import keras
    >>> model = keras.Sequential([keras.Input(shape=(100, 6)), keras.layers.LSTM(8), keras.layers.Dense(4, "softmax")])
    >>> check_output_shape("2", model, np.zeros((4, 100, 6)), (None, 4))
    Task 2 passed: the model maps (2, 100, 6) = 2 samples x 100 timesteps x
        6 features to (2, 4).
    """

    unusable = _unusable_model(task, model, name)
    if unusable is not None:
        return unusable
    try:
        out = tuple(model.output_shape)
    except Exception:  # noqa: BLE001 - an unbuilt model has no output shape
        return _result(task, False, f"{name} has no known output shape: start it with keras.Input(shape=...).")
    expected = tuple(expected)
    if out != expected:
        message = f"your model's output shape is {_shape_text(out)}, but {_shape_text(expected)} is expected."
        seq = _last_sequence_layer(model)
        if len(out) == len(expected) + 1 and seq is not None:
            message += f" The last LSTM ('{seq.name}') still returns sequences; set return_sequences=False."
        elif len(out) + 1 == len(expected):
            message += " The output has no timesteps axis: set return_sequences=True on the last LSTM."
        elif len(out) == len(expected) and out[-1] != expected[-1]:
            message += f" The last layer should have {expected[-1]} unit(s)."
        return _result(task, False, message)
    problem = _input_problem(model, x, name)
    if problem:
        return _result(task, False, f"the output shape is right; the inputs are not: {problem}")
    batch = _first_two(model, x)
    try:
        got = tuple(model(batch, training=False).shape)
    except Exception as err:  # noqa: BLE001 - any failure here is the student's to see
        return _result(task, False, f"the output shape is right, but the model fails on the data: {_reason(err)}")
    parts = list(batch.values()) if isinstance(batch, dict) else batch if isinstance(batch, list) else [batch]
    return _result(task, True, f"the model maps {' and '.join(describe_shape(b.shape) for b in parts)} to {got}.")


def _inputs(model: Any) -> list[Any]:
    """The model's symbolic inputs (an empty list when it has none yet)."""
    try:
        return list(model.inputs or [])
    except (AttributeError, ValueError):
        return []


def _as_inputs(model: Any, x: Any) -> Any:
    """``x`` as ``model`` takes it: a list of arrays, one per input, when ``model`` has several inputs
    (or a dict of arrays by input name); otherwise one array (a list of samples is one array)."""
    if isinstance(x, dict):
        return {key: np.asarray(a) for key, a in x.items()}
    if isinstance(x, (list, tuple)) and len(_inputs(model)) > 1:
        return [np.asarray(a) for a in x]
    return np.asarray(x)


def _first_two(model: Any, x: Any) -> Any:
    """The first two samples of ``x``; of each array of the list (or dict) ``x`` when ``model`` has several inputs."""
    inputs = _as_inputs(model, x)
    if isinstance(inputs, dict):
        return {key: a[:2] for key, a in inputs.items()}
    if isinstance(inputs, list):
        return [a[:2] for a in inputs]
    return inputs[:2]


def _fits_input(symbolic: Any, array: Any) -> bool:
    """Whether ``array`` has the rank and the fixed sizes (batch axis aside) of the input ``symbolic``."""
    want, got = tuple(symbolic.shape), tuple(np.shape(array))
    return len(want) == len(got) and all(w is None or w == g for w, g in zip(want[1:], got[1:], strict=True))


_ONE_INPUT_EACH = "give it one keras.Input per array and list them all in keras.Model([input_1, input_2], outputs)."


def _named_input_problem(inputs: list[Any], x: dict[Any, Any], name: str) -> str:
    """Why the dict ``x`` cannot be the inputs ``inputs`` of ``name`` ('' when it can)."""
    names = [getattr(i, "name", "") for i in inputs]
    given = ", ".join(repr(key) for key in x)
    if len(inputs) < 2:
        return f"{name} has one input, but the check gives it {len(x)} named arrays ({given}): {_ONE_INPUT_EACH}"
    if sorted(map(str, x)) != sorted(names):
        return (
            f"{name}'s inputs are named {', '.join(map(repr, names))}, but the check gives it {given}: "
            "name each input as the task says, keras.Input(shape=..., name=...)."
        )
    return ""


def _input_problem(model: Any, x: Any, name: str) -> str:
    """Why the arrays of the list (or dict) ``x`` cannot be ``model``'s inputs; '' when they can, when
    ``x`` is one array, and when Keras' own error says it better (an input of the wrong size)."""
    if not isinstance(x, (list, tuple, dict)):
        return ""
    inputs = _inputs(model)
    if isinstance(x, dict):
        return _named_input_problem(inputs, x, name)
    arrays = list(x)
    given = f"{len(arrays)} array{'s' if len(arrays) != 1 else ''}, " + " and ".join(
        _shape_text(np.shape(a)) for a in arrays
    )
    if len(inputs) < 2:
        several = len(arrays) > 1 and len({np.shape(a) for a in arrays}) > 1
        if several and all(hasattr(a, "shape") for a in arrays):
            return f"{name} has one input, but the check gives it {given}: {_ONE_INPUT_EACH}"
        return ""  # a list of samples: one array, as before
    if len(arrays) != len(inputs):
        return f"{name} has {len(inputs)} inputs, but the check gives it {given}: {_ONE_INPUT_EACH}"
    in_order = all(_fits_input(i, a) for i, a in zip(inputs, arrays, strict=True))
    if not in_order and all(any(_fits_input(i, a) for i in inputs) for a in arrays):
        wanted = " and ".join(_shape_text(tuple(i.shape)) for i in inputs)
        return (
            f"{name}'s inputs take {wanted}, in this order, but the check gives it {given}: list the "
            "inputs in keras.Model([...], outputs) in the order the task gives."
        )
    return ""


@_never_raises
def check_param_count(
    task: str, model_or_layer: Any, expected: int, name: str = "model", hint: str = ""
) -> CheckResult:
    """Pass when the model (or layer) has exactly ``expected`` parameters (or a count equals it).

    >>> check_param_count("3", 4 * (6 * 8 + 8 * 8 + 8), 500, name="lstm_parameters")
    Task 3 not done yet: lstm_parameters has 480 parameters, but 500 are expected.
    """
    missing = _missing(task, model_or_layer, name, "Build it first.")
    if missing is not None:
        return missing
    if isinstance(model_or_layer, (int, np.integer)):
        got = int(model_or_layer)
    else:
        try:
            got = int(model_or_layer.count_params())
        except Exception:  # noqa: BLE001 - an unbuilt layer cannot count
            return _result(
                task,
                False,
                f"{name} is not built, so it has no parameters yet: give the model a keras.Input(shape=...).",
            )
    if got == expected:
        return _result(task, True, f"{name} has {expected:,} parameters.")
    message = f"{name} has {got:,} parameters, but {expected:,} are expected."
    if hint:
        message += " " + hint
    return _result(task, False, message)


@_never_raises
def check_layer_types(task: str, model: Any, required: Sequence[str], name: str = "model") -> CheckResult:
    """Pass when the model contains each of the ``required`` layer types (e.g. ``["Bidirectional", "LSTM"]``).

    Wrapped layers count: ``Bidirectional(LSTM(...))`` contains both ``Bidirectional`` and ``LSTM``.

    >>> import keras
    >>> model = keras.Sequential([keras.Input(shape=(100, 6)), keras.layers.Bidirectional(keras.layers.LSTM(8))])
    >>> check_layer_types("3", model, ["Bidirectional", "LSTM"])
    Task 3 passed: model uses Bidirectional, LSTM.
    """
    missing = _missing(task, model, name, "Build it first.")
    if missing is not None:
        return missing
    found: list[str] = []
    for layer in getattr(model, "layers", []):
        found.append(type(layer).__name__)
        inner = _unwrap(layer)
        if inner is not layer:
            found.append(type(inner).__name__)
    absent = [r for r in required if r not in found]
    if absent:
        return _result(task, False, f"{name} has no {', '.join(absent)} layer (it has: {', '.join(found) or 'none'}).")
    return _result(task, True, f"{name} uses {', '.join(required)}.")


def _outputs(model: Any, arrays: list[np.ndarray]) -> list[np.ndarray]:
    """Every output of ``model`` on ``arrays`` (one array per input), as NumPy arrays."""
    import keras

    out = model(arrays if len(arrays) > 1 else arrays[0], training=False)
    return [np.asarray(keras.ops.convert_to_numpy(o), dtype="float64") for o in keras.tree.flatten(out)]


@_never_raises
def check_uses_input(task: str, model: Any, x: Any, index: int = 0, name: str = "model", hint: str = "") -> CheckResult:
    """Pass when ``model``'s output changes with its input number ``index``: that input reaches the output.

    ``x`` is the list of the model's input arrays, with two samples or more. The check runs the
    model on them, then again with the samples of input ``index`` in reverse order (the other
    inputs unchanged), and compares the outputs. For an encoder-decoder it shows that the decoder
    starts from the encoder's states: without that link the question never reaches the answer.

    >>> import keras
    >>> question, so_far = keras.Input(shape=(5, 3)), keras.Input(shape=(4, 3))
    >>> _, h, c = keras.layers.LSTM(8, return_state=True)(question)
    >>> linked = keras.layers.LSTM(8, return_sequences=True)(so_far, initial_state=[h, c])
    >>> rng = np.random.default_rng(0)
    >>> x = [rng.normal(size=(4, 5, 3)), rng.normal(size=(4, 4, 3))]
    >>> check_uses_input("3", keras.Model([question, so_far], linked), x, index=0)
    Task 3 passed: the output of model changes with its input 0.
    >>> unlinked = keras.layers.LSTM(8, return_sequences=True)(so_far)
    >>> check_uses_input("3", keras.Model([question, so_far], unlinked), x, index=0)
    Task 3 not done yet: the output of model stays the same when its input 0
        changes: that input never reaches the output.
    """
    import keras

    missing = _missing(task, model, name, "Build it with keras.Model([input_1, input_2], outputs).")
    if missing is not None:
        return missing
    if not isinstance(model, keras.Model):
        return _result(task, False, f"{name} is a {type(model).__name__}, not a keras Model.")
    arrays = [np.asarray(a, dtype="float32") for a in (x if isinstance(x, (list, tuple)) else [x])]
    if len(_inputs(model)) != len(arrays):
        return _result(
            task,
            False,
            f"{name} takes {len(_inputs(model))} input(s), but {len(arrays)} are expected: "
            "list them all in keras.Model([input_1, input_2, ...], outputs).",
        )
    changed = list(arrays)
    changed[index] = arrays[index][::-1]
    if np.array_equal(changed[index], arrays[index]):
        return _result(task, False, f"the samples of input {index} are all the same: the check needs different ones.")
    try:
        before, after = _outputs(model, arrays), _outputs(model, changed)
    except Exception as err:  # noqa: BLE001 - any failure here is the student's to see
        return _result(task, False, f"{name} fails on the data: {_reason(err)}")
    if max(float(np.max(np.abs(b - a))) for b, a in zip(before, after, strict=True)) > 1e-6:
        return _result(task, True, f"the output of {name} changes with its input {index}.")
    message = f"the output of {name} stays the same when its input {index} changes: that input never reaches"
    return _result(task, False, f"{message} the output. {hint}".rstrip())


@_never_raises
def check_accuracy(task: str, model: Any, x: Any, y: Any, at_least: float, name: str = "model") -> CheckResult:
    """Pass when ``model`` classifies the held-out ``x``, ``y`` with accuracy ``>= at_least``.

    In an assignment's check cell ``x``, ``y`` are the validation part: only the grader scores
    the test part (it replaces them with the hidden test data), so that no student tunes on it.
    For a model with several inputs ``x`` is the list of their arrays, in the order of
    ``model.inputs`` (or a dict of them by input name).

    Works with softmax heads (argmax) and single-unit sigmoid heads (threshold 0.5). The message
    states the threshold, not the measured value, so that it reads the same on every machine.

    >>> import keras
    >>> model = keras.Sequential([keras.Input(shape=(100, 6)), keras.layers.LSTM(8), keras.layers.Dense(4, "softmax")])
    >>> check_accuracy("4", model, np.zeros((4, 100, 6)), [0, 1, 2, 3], at_least=0.0)
    Task 4 passed: held-out accuracy is at least 0%.
    """
    missing = _missing(task, model, name, "Build and train it first.")
    if missing is not None:
        return missing
    y = np.asarray(y).reshape(-1)
    problem = _input_problem(model, x, name)
    if problem:
        return _result(task, False, problem)
    try:
        probs = np.asarray(model.predict(_as_inputs(model, x), verbose=0))
    except Exception as err:  # noqa: BLE001
        return _result(task, False, f"predict failed: {_reason(err)}")
    if probs.ndim != 2:
        return _result(
            task,
            False,
            f"predictions have shape {probs.shape}; one probability vector per sample, "
            "(samples, classes), is expected. Does the last LSTM return sequences?",
        )
    predicted = probs.argmax(axis=-1) if probs.shape[-1] > 1 else (probs[:, 0] > 0.5).astype(int)
    if predicted.shape != y.shape:
        return _result(task, False, f"{len(predicted)} predictions for {len(y)} labels.")
    accuracy = float(np.mean(predicted == y))
    if accuracy >= at_least:
        return _result(task, True, f"held-out accuracy is at least {at_least:.0%}.")
    return _result(
        task,
        False,
        f"held-out accuracy is below {at_least:.0%}. Train longer (more epochs), check "
        "that the labels match the loss, and scale the inputs with the training statistics.",
    )


@_never_raises
def check_mean_error(
    task: str, model: Any, x: Any, y: Any, at_most: float, name: str = "model", hint: str = ""
) -> CheckResult:
    """Pass when ``model``'s mean absolute error on the held-out ``x``, ``y`` is ``<= at_most``.

    The regression counterpart of :func:`check_accuracy`: in a check cell ``x``, ``y`` are the
    validation part, and the grader scores the hidden test part instead. The error is taken over
    every predicted number, in the units of ``y`` (so scale ``y`` back first when the model was
    trained on scaled targets, or pass scaled targets and a threshold in scaled units). The message
    states the threshold, not the measured value, so that it reads the same on every machine.

    >>> import keras
    >>> model = keras.Sequential([keras.Input(shape=(5, 1)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    >>> check_mean_error("4", model, np.zeros((3, 5, 1)), np.zeros((3, 1)), at_most=1.0)
    Task 4 passed: held-out mean absolute error is at most 1.
    """
    missing = _missing(task, model, name, "Build and train it first.")
    if missing is not None:
        return missing
    y = np.asarray(y, dtype=float)
    problem = _input_problem(model, x, name)
    if problem:
        return _result(task, False, problem)
    try:
        predicted = np.asarray(model.predict(_as_inputs(model, x), verbose=0), dtype=float)
    except Exception as err:  # noqa: BLE001
        return _result(task, False, f"predict failed: {_reason(err)}")
    if predicted.shape != y.shape:
        if predicted.size != y.size:
            return _result(
                task, False, f"predictions have shape {predicted.shape}, but the targets have shape {y.shape}."
            )
        predicted = predicted.reshape(y.shape)
    error = float(np.mean(np.abs(predicted - y)))
    if error <= at_most:
        return _result(task, True, f"held-out mean absolute error is at most {at_most:g}.")
    advice = hint or "Train longer, and scale the inputs with the training statistics."
    return _result(task, False, f"held-out mean absolute error is above {at_most:g}. {advice}")


def _greedy_decode(model: Any, x: np.ndarray, steps: int, start_id: int) -> np.ndarray:
    """The ids an encoder-decoder writes for ``x``, one step at a time, each fed back as the next input."""
    n_classes = int(model.output_shape[-1])
    decoder_input = np.zeros((len(x), steps, n_classes), dtype="float32")
    decoder_input[:, 0, start_id] = 1.0
    written = np.zeros((len(x), steps), dtype="int64")
    rows = np.arange(len(x))
    for step in range(steps):
        probs = np.asarray(model.predict([x, decoder_input], verbose=0))
        if probs.shape != decoder_input.shape:
            raise ValueError(
                f"predictions have shape {probs.shape}, but {decoder_input.shape} (samples, steps, classes) is "
                "expected: one probability vector per decoder step. Does the decoder LSTM return sequences?"
            )
        written[:, step] = probs[:, step].argmax(axis=-1)
        if step + 1 < steps:
            decoder_input[rows, step + 1, written[:, step]] = 1.0
    return written


@_never_raises
def check_exact_match(
    task: str,
    model: Any,
    x: Any,
    y: Any,
    at_least: float,
    start_id: int,
    pad_id: int = 0,
    name: str = "model",
    hint: str = "",
) -> CheckResult:
    """Pass when an encoder-decoder writes at least ``at_least`` of the held-out targets ``y`` exactly.

    ``model`` is the training model of the encoder-decoder chapter: two inputs, ``[x, decoder
    input]``, a one-hot decoder input with one feature per output class, and one probability
    vector per decoder step, ``(samples, steps, classes)``. The check decodes greedily, as
    inference does: the decoder input starts with the start token ``start_id``, and each step's
    most likely class is fed back as the next step's input; the true targets are never shown to
    the model. ``y`` holds the target ids, ``(samples, steps)``; a sample counts as right when
    every step whose target is not ``pad_id`` is right (the end token included).

    In a check cell ``x``, ``y`` are the validation part; the grader scores the hidden test part
    instead. The message states the threshold, not the measured value.

    >>> import keras
    >>> question, so_far = keras.Input(shape=(5, 3)), keras.Input(shape=(4, 3))
    >>> _, h, c = keras.layers.LSTM(8, return_state=True)(question)
    >>> steps = keras.layers.LSTM(8, return_sequences=True)(so_far, initial_state=[h, c])
    >>> model = keras.Model([question, so_far], keras.layers.Dense(3, activation="softmax")(steps))
    >>> check_exact_match("4", model, np.zeros((2, 5, 3)), np.zeros((2, 4), int), at_least=0.0, start_id=1)
    Task 4 passed: exact match on held-out sequences is at least 0% (decoded one
        step at a time, each prediction fed back).
    """
    missing = _missing(task, model, name, "Build and train it first.")
    if missing is not None:
        return missing
    y, x = np.asarray(y), np.asarray(x, dtype="float32")
    if y.ndim != 2 or len(y) != len(x):
        return _result(task, False, f"the targets have shape {y.shape}; one row of ids per sample is expected.")
    if len(_inputs(model)) != 2:
        return _result(
            task,
            False,
            f"{name} takes {len(_inputs(model))} input(s), but an encoder-decoder takes two: "
            "keras.Model([questions, decoder_input], outputs).",
        )
    try:
        written = _greedy_decode(model, x, y.shape[1], int(start_id))
    except Exception as err:  # noqa: BLE001 - any failure here is the student's to see
        return _result(task, False, f"decoding failed: {_reason(err)}")
    right = np.all((written == y) | (y == pad_id), axis=1)
    if float(np.mean(right)) >= at_least:
        return _result(
            task,
            True,
            f"exact match on held-out sequences is at least {at_least:.0%} "
            "(decoded one step at a time, each prediction fed back).",
        )
    advice = hint or (
        "Train longer, start the decoder from the encoder's states, and feed it the targets shifted "
        "right by the start token."
    )
    return _result(task, False, f"exact match on held-out sequences is below {at_least:.0%}. {advice}")


@_never_raises
def check_close(
    task: str, value: Any, expected: Any, name: str = "answer", tolerance: float = 1e-5, hint: str = ""
) -> CheckResult:
    """Pass when the array ``value`` has ``expected``'s shape and every entry within ``tolerance``
    of it (absolute difference): for numbers a student computes by hand, such as one LSTM step.
    When ``expected`` is one number, ``value`` must be one number too (not an array of one), and
    the messages say how far off it is but never its value, so they read the same on every machine.

    >>> check_close("2", np.array([0.5, 0.25]), [0.5, 0.25000001], name="h")
    Task 2 passed: h matches the expected (2,) values (to 1e-05).
    >>> check_close("4", 0.46, 0.5, name="effect", tolerance=0.1)
    Task 4 passed: effect is within 0.1 of 0.5.
    """
    missing = _missing(task, value, name, hint or "Compute it first.")
    if missing is not None:
        return missing
    value, expected = np.asarray(value, dtype=float), np.asarray(expected, dtype=float)
    one = expected.ndim == 0  # a single number: the messages say so, and never print its value
    if value.shape != expected.shape:
        wanted = "one number is expected (a float, not an array)" if one else f"{expected.shape} is expected"
        return _result(task, False, f"{name} has shape {value.shape}, but {wanted}. {hint}".rstrip())
    worst = float(np.max(np.abs(value - expected))) if value.size else 0.0
    if worst <= tolerance:
        if one:
            return _result(task, True, f"{name} is within {tolerance:g} of {float(expected):g}.")
        return _result(task, True, f"{name} matches the expected {expected.shape} values (to {tolerance:g}).")
    off = f"off by {worst:.3g}" if one else f"off by up to {worst:.3g}"
    return _result(task, False, f"{name} is {off} (allowed: {tolerance:g}). {hint}".rstrip())


def _padded_layout(sequences: list[np.ndarray], maxlen: int, padding: str) -> tuple[np.ndarray, np.ndarray]:
    """``sequences`` padded with 0 to ``maxlen`` steps at the end (``"post"``) or the start (``"pre"``),
    and a ``(samples, maxlen)`` array that is True at their real steps."""
    out = np.zeros((len(sequences), maxlen, *sequences[0].shape[1:]))
    real = np.zeros((len(sequences), maxlen), dtype=bool)
    for i, s in enumerate(sequences):
        start = 0 if padding == "post" else maxlen - len(s)
        out[i, start : start + len(s)] = s
        real[i, start : start + len(s)] = True
    return out, real


def _padded_shape_problem(got: tuple[int, ...], expected: tuple[int, ...], name: str) -> str:
    """What is wrong with the shape of a padded array ('' when nothing is)."""
    if got == expected:
        return ""
    message = f"{name} has shape {_shape_text(got)}, but {_shape_text(expected)} is expected"
    if len(got) != len(expected) or got[0] != expected[0] or got[2:] != expected[2:]:
        return f"{message} ({expected[0]} sequences of {expected[1]} steps each)."
    message += f": {got[1]} timesteps instead of {expected[1]}."
    if got[1] < expected[1]:
        message += f" pad_sequences pads to the longest sequence it is given unless you pass maxlen={expected[1]}."
    return message


def _padded_values_problem(arr: np.ndarray, sequences: list[np.ndarray], padding: str, name: str, tol: float) -> str:
    """What is wrong with the values of a padded array of the right shape ('' when nothing is)."""
    maxlen = arr.shape[1]
    wanted, real = _padded_layout(sequences, maxlen, padding)
    flipped, _ = _padded_layout(sequences, maxlen, "pre" if padding == "post" else "post")
    side, other = ("at the end", "at the start") if padding == "post" else ("at the start", "at the end")
    wrong = np.abs(arr - wanted) > tol
    if not wrong.any():
        return ""
    if not (np.abs(arr - flipped) > tol).any():
        fix = 'padding="post" (pad_sequences pads at the start by default)' if padding == "post" else 'padding="pre"'
        return f"{name} has the padding {other} of each sequence: pad {side} with {fix}."
    if not wrong[real].any():
        found = arr[~real][np.abs(arr[~real]) > tol][0]
        return (
            f"{name} has the sequences in the right places, but its padding is not 0 (it holds {found:g}): "
            "pad with value=0, the default."
        )
    i = int(np.flatnonzero(wrong.reshape(len(arr), -1).any(axis=1))[0])
    return (
        f"sample {i} of {name} is not sequence {i} padded {side}: pad the sequences as they are, in their order, "
        "without changing their values."
    )


@_never_raises
def check_padded(
    task: str, padded: Any, sequences: Any, maxlen: int, padding: str = "post", name: str = "x", tolerance: float = 1e-5
) -> CheckResult:
    """Pass when ``padded`` is the list ``sequences`` (arrays of different lengths) padded with 0 to
    ``maxlen`` steps, after each sequence (``padding="post"``) or before it (``"pre"``), with the
    values kept (float data cast to integers fails). Nothing is truncated: ``maxlen`` must be at
    least the longest sequence.

    >>> sequences = [np.array([[0.5], [1.5]]), np.array([[2.5]])]
    >>> check_padded("1", np.array([[[0.5], [1.5], [0.0]], [[2.5], [0.0], [0.0]]]), sequences, 3)
    Task 1 passed: x is the 2 sequences padded at the end to (2, 3, 1) = 2 samples x
        3 timesteps x 1 feature.
    >>> check_padded("1", np.array([[[0], [1], [0]], [[2], [0], [0]]]), sequences, 3)
    Task 1 not done yet: x holds integers (int64), so its values were cut to whole
        numbers: keras.utils.pad_sequences makes int32 arrays unless you pass
        dtype="float32".
    """
    seqs = [np.asarray(s, dtype="float64") for s in sequences]
    if padding not in ("post", "pre") or maxlen < max(len(s) for s in seqs):
        raise ValueError(f"the check needs padding 'post' or 'pre' and maxlen >= the longest sequence, not {maxlen}")
    how = f"Pad the {len(seqs)} sequences into one array with keras.utils.pad_sequences(...)."
    missing = _missing(task, padded, name, how)
    if missing is not None:
        return missing
    try:
        arr = np.asarray(padded)
    except ValueError:  # a ragged list
        arr = np.empty(0, dtype=object)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        return _result(
            task,
            False,
            f"{name} is not one array of numbers: sequences of different lengths must be padded first. {how}",
        )
    expected = (len(seqs), maxlen, *seqs[0].shape[1:])
    got = tuple(int(d) for d in arr.shape)
    problem = _padded_shape_problem(got, expected, name)
    values = np.concatenate([s.reshape(-1) for s in seqs])
    if not problem and not np.issubdtype(arr.dtype, np.floating) and not np.array_equal(values, np.round(values)):
        problem = (
            f"{name} holds integers ({arr.dtype}), so its values were cut to whole numbers: "
            'keras.utils.pad_sequences makes int32 arrays unless you pass dtype="float32".'
        )
    problem = problem or _padded_values_problem(arr.astype("float64"), seqs, padding, name, tolerance)
    if problem:
        return _result(task, False, problem)
    side = "at the end" if padding == "post" else "at the start"
    axes = ("samples", "timesteps", "features")[: len(got)] if len(got) <= 3 else None
    return _result(task, True, f"{name} is the {len(seqs)} sequences padded {side} to {describe_shape(got, axes)}.")


def _fixed_timesteps(model: Any) -> int | None:
    """The number of timesteps a single-input model's ``keras.Input`` fixes (None when any number fits)."""
    try:
        shape = model.input_shape
    except Exception:  # noqa: BLE001 - an unbuilt model has no input shape
        return None
    return shape[1] if isinstance(shape, tuple) and len(shape) > 2 and isinstance(shape[1], int) else None


def _masking_hint(model: Any) -> str:
    """How to make ``model`` mask its padding, for a model whose output changes with the padding."""
    if any(type(layer).__name__ == "Masking" for layer in getattr(model, "layers", [])):
        return (
            "It has a Masking layer, but the mask does not reach the LSTM or misses the padding: set "
            "mask_value to the padding value, 0.0 unless you padded with another, and put no layer that drops "
            "the mask between them."
        )
    return "Put layers.Masking(mask_value=0.0) right after keras.Input (for token ids: Embedding(..., mask_zero=True))."


@_never_raises
def check_padding_ignored(
    task: str, model: Any, padded: Any, repadded: Any, name: str = "model", tolerance: float = 1e-4
) -> CheckResult:
    """Pass when ``model`` gives the same output (within ``tolerance``) for the same sequences
    padded two ways, ``padded`` and ``repadded`` (for example with 0 at the end, to two different
    lengths): the model masks the padding, so that the padding does not change its answers. The
    tolerance leaves room for the rounding of other kernels (cuDNN on a GPU); a model that reads
    the padding changes by far more.

    >>> import keras
    >>> x = np.zeros((2, 5, 3), "float32")
    >>> x[:, :2] = 1.0
    >>> longer = np.concatenate([x, np.zeros((2, 4, 3), "float32")], axis=1)
    >>> layers = keras.layers
    >>> masked = keras.Sequential([keras.Input(shape=(None, 3)), layers.Masking(0.0), layers.LSTM(4)])
    >>> check_padding_ignored("2", masked, x, longer)
    Task 2 passed: model gives the same output for the sequences padded to 5 and to
        9 steps: the padding is masked.
    """

    unusable = _unusable_model(task, model, name)
    if unusable is not None:
        return unusable
    first, second = np.asarray(padded), np.asarray(repadded)
    steps = f"{first.shape[1]} and to {second.shape[1]} steps"
    instead = f"{second.shape[1]} steps instead of {first.shape[1]}"
    fixed = _fixed_timesteps(model)
    if fixed is not None and first.shape[1] != second.shape[1]:
        return _result(
            task,
            False,
            f"{name} takes exactly {fixed} timesteps, so it cannot read the sequences padded to {steps}: "
            f"give keras.Input the shape (None, {', '.join(str(d) for d in first.shape[2:])}), "
            "which takes any number of timesteps.",
        )
    try:
        outputs = [np.asarray(model.predict(x, verbose=0), dtype="float64") for x in (first, second)]
    except Exception as err:  # noqa: BLE001 - any failure here is the student's to see
        return _result(task, False, f"predict failed: {_reason(err)}")
    if outputs[0].shape != outputs[1].shape:
        return _result(
            task,
            False,
            f"{name}'s outputs for the sequences padded to {steps} have shapes {outputs[0].shape} and "
            f"{outputs[1].shape}: it returns one output per step. Set return_sequences=False on the last LSTM.",
        )
    worst = float(np.max(np.abs(outputs[0] - outputs[1]))) if outputs[0].size else 0.0
    if worst <= tolerance:
        return _result(
            task, True, f"{name} gives the same output for the sequences padded to {steps}: the padding is masked."
        )
    message = (
        f"{name}'s output changes by up to {worst:.3g} when the same sequences are padded to {instead}: "
        "it reads the padding as data."
    )
    return _result(task, False, f"{message} {_masking_hint(model)}")


@_never_raises
def check_value(task: str, value: Any, expected: Any, name: str = "answer", hint: str = "") -> CheckResult:
    """Pass when ``value == expected`` (tuples and lists compare element-wise; numbers to 1e-6).

    >>> check_value("5", 0.1 + 0.2, 0.3, name="total")
    Task 5 passed: total is 0.3.
    """
    missing = _missing(task, value, name, hint or "Write your answer.")
    if missing is not None:
        return missing
    if isinstance(expected, (int, float)) and isinstance(value, (int, float, np.number)):
        ok = abs(float(value) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))
    else:
        try:
            ok = tuple(value) == tuple(expected) if isinstance(expected, (tuple, list)) else value == expected
        except TypeError:
            ok = False
    if expected is True:  # a yes/no property, such as "x_train is standardised"
        return _result(task, bool(ok), f"{name}: yes." if ok else f"{name}: not yet. {hint}".rstrip())
    if ok:
        return _result(task, True, f"{name} is {expected!r}.")
    return _result(task, False, f"{name} is {value!r}, which is not right. {hint}".rstrip())


@_never_raises
def check_fits(task: str, model: Any, x: Any, y: Any, name: str = "model") -> CheckResult:
    """Pass when :func:`lstm_helpers.diagnose` finds no mismatch between the compiled model and ``x``, ``y``.

    The hint is the first mismatch it names (for example labels that do not match the loss).

    >>> import keras
    >>> model = keras.Sequential([keras.Input(shape=(100, 6)), keras.layers.LSTM(8), keras.layers.Dense(4, "softmax")])
    >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    >>> check_fits("6", model, np.zeros((4, 100, 6)), np.arange(4))
    Task 6 passed: model, its loss and the data fit together.
    """
    import keras

    missing = _missing(task, model, name, "Build and compile it first.")
    if missing is not None:
        return missing
    if not isinstance(model, keras.Model):
        return _result(task, False, f"{name} is a {type(model).__name__}, not a keras Model.")
    if getattr(model, "loss", None) is None:
        return _result(
            task, False, f"{name} is not compiled yet: call {name}.compile(optimizer=..., loss=..., metrics=[...])."
        )
    try:
        found = diagnose(model, x, y)
    except Exception as err:  # noqa: BLE001
        return _result(task, False, f"{type(err).__name__}: {err}")
    if found.ok:
        return _result(task, True, f"{name}, its loss and the data fit together.")
    first = found[0]
    return _result(task, False, f"{first.problem} Fix: {first.fix}")


@_never_raises
def check_standardized(task: str, x: Any, name: str = "x", tolerance: float = 0.05) -> CheckResult:
    """Pass when every feature of ``x`` (last axis) has mean ~0 and standard deviation ~1.

    Meant for the training part, scaled with its own statistics. It cannot tell a scaler fitted on
    the training part from one fitted on all the data: :func:`check_training_scaling` can.

    >>> raw = np.random.default_rng(0).normal(3, 2, (50, 10, 2))
    >>> check_standardized("7", raw, name="x_train")
    Task 7 not done yet: feature 0 of x_train has mean 2.82 and standard deviation
        1.97; 0 and 1 are expected. ...
    """
    missing = _missing(task, x, name, "Scale it with lh.Standardizer.fit(...) and .transform(...).")
    if missing is not None:
        return missing
    arr = np.asarray(x, dtype="float64")
    if arr.ndim < 2 or arr.size == 0:
        return _result(
            task, False, f"{name} has shape {arr.shape}; a batch (samples, timesteps, features) is expected."
        )
    flat = arr.reshape(-1, arr.shape[-1])
    mean, std = flat.mean(axis=0), flat.std(axis=0)
    bad = [i for i in range(flat.shape[1]) if abs(mean[i]) > tolerance or abs(std[i] - 1) > tolerance]
    if not bad:
        return _result(task, True, f"every feature of {name} has mean 0 and standard deviation 1.")
    i = bad[0]
    return _result(
        task,
        False,
        f"feature {i} of {name} has mean {mean[i]:.2f} and standard deviation {std[i]:.2f}; "
        "0 and 1 are expected. Fit the scaler on the training part and transform it.",
    )


def _feature_stats(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and standard deviation over every axis but the last, as ``lh.Standardizer`` takes them
    (a constant feature gets a standard deviation of 1)."""
    flat = arr.reshape(-1, arr.shape[-1])
    mean, std = flat.mean(axis=0), flat.std(axis=0)
    return mean, np.where(std == 0, 1.0, std)


def _scaling_used(scaled: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The per-feature centre and divisor that turn ``raw`` into ``scaled``, or ``None`` when no such
    scaling does (the values were shuffled, scaled sample by sample, clipped...)."""
    (raw_mean, raw_std), (mean, std) = _feature_stats(raw), _feature_stats(scaled)
    divisor = raw_std / std
    centre = raw_mean - divisor * mean
    if np.allclose(scaled, (raw - centre) / divisor, rtol=1e-3, atol=1e-3):
        return centre, divisor
    return None


def _distance(used: tuple[np.ndarray, np.ndarray], stats: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Per feature, how far a scaling (centre, divisor) is from the statistics (mean, std), in standard deviations."""
    (centre, divisor), (mean, std) = used, stats
    return np.maximum(np.abs(centre - mean) / std, np.abs(divisor / std - 1))


@_never_raises
def check_training_scaling(
    task: str, scaled: Any, raw: Any, train: Any, name: str = "x", tolerance: float = 1e-3
) -> CheckResult:
    """Pass when ``scaled`` is ``raw`` standardised with the statistics of the raw training part ``train``.

    The statistics are the mean and standard deviation of each feature (last axis) over the samples
    and timesteps of ``train``, as ``lh.Standardizer.fit(train)`` takes them. Use it on every part:
    ``raw=train`` for the training part itself, the raw validation or test part otherwise. A scaler
    fitted on all the data (or on the validation or test part) leaks information from the parts it
    should not see, and fails; so does a part scaled with its own statistics. ``tolerance`` is
    relative to the training standard deviation.

    >>> rng = np.random.default_rng(0)
    >>> train, val = rng.normal(3, 2, (50, 10, 2)), rng.normal(4, 2, (10, 10, 2))
    >>> check_training_scaling("1", (val - train.mean((0, 1))) / train.std((0, 1)), val, train, name="x_val")
    Task 1 passed: x_val is scaled with the training part's statistics.
    >>> check_training_scaling("1", (val - val.mean((0, 1))) / val.std((0, 1)), val, train, name="x_val")
    Task 1 not done yet: x_val is scaled with its own mean and standard deviation;
        use the training part's (fit the scaler on the training part, transform
        every part with it).
    """
    missing = _missing(task, scaled, name, "Scale it with lh.Standardizer.fit(...) and .transform(...).")
    if missing is not None:
        return missing
    arr, raw_arr = np.asarray(scaled, dtype="float64"), np.asarray(raw, dtype="float64")
    if arr.shape != raw_arr.shape or arr.ndim < 2 or arr.size == 0:
        return _result(task, False, f"{name} has shape {arr.shape}; like the raw part, {raw_arr.shape} is expected.")
    mean, std = _feature_stats(np.asarray(train, dtype="float64"))
    if np.allclose(arr, (raw_arr - mean) / std, rtol=tolerance, atol=tolerance):
        return _result(task, True, f"{name} is scaled with the training part's statistics.")
    fix = "(fit the scaler on the training part, transform every part with it)."
    if np.allclose(arr, raw_arr):
        return _result(
            task, False, f"{name} is not scaled yet: standardise it with the training part's statistics {fix}"
        )
    used = _scaling_used(arr, raw_arr)
    if used is None:
        return _result(
            task,
            False,
            f"{name} is not the raw part scaled feature by feature: subtract the training mean of each "
            f"feature and divide by its standard deviation {fix}",
        )
    if _distance(used, _feature_stats(raw_arr)).max() <= tolerance:
        return _result(
            task, False, f"{name} is scaled with its own mean and standard deviation; use the training part's {fix}"
        )
    i = int(np.argmax(_distance(used, (mean, std))))
    return _result(
        task,
        False,
        f"{name} is scaled with other statistics than the training part's: feature {i} is centred on "
        f"{used[0][i]:.4g} and divided by {used[1][i]:.4g}, but the training part has mean {mean[i]:.4g} "
        f"and standard deviation {std[i]:.4g}. Was the scaler fitted on more than the training part? {fix}",
    )


# ---------------------------------------------------------------------------------------------
# Stateful models: a state carried from one call to the next, and a stream read chunk by chunk
# ---------------------------------------------------------------------------------------------


def _stateful_layers(model: Any) -> list[Any]:
    """The layers of ``model`` built with ``stateful=True`` (in a model inside it too)."""
    found: list[Any] = []
    for layer in getattr(model, "layers", []):
        if getattr(layer, "stateful", False) is True and hasattr(layer, "reset_state"):
            found.append(layer)
        elif hasattr(layer, "layers"):
            found += _stateful_layers(layer)
    return found


def _reset_states(layers: list[Any]) -> None:
    for layer in layers:
        layer.reset_state()


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _one_input_shape(model: Any) -> tuple[int | None, ...] | None:
    """The input shape of a one-input model, batch axis first (None for several inputs)."""
    shape = model.input_shape
    if isinstance(shape, list):
        return None
    return tuple(None if d is None else int(d) for d in shape)


def _call(model: Any, batch: np.ndarray) -> np.ndarray:
    """``model(batch)`` as a NumPy array. A direct call: it carries a stateful layer's state on every
    backend, where ``predict`` does not on JAX in Keras 3.15."""
    import keras

    return np.asarray(keras.ops.convert_to_numpy(model(batch, training=False)))


def _stateful_problem(model: Any, name: str, batch_size: int | None, shape: tuple[int | None, ...] | None) -> str:
    """Why ``model`` cannot carry one state per row in batches of ``batch_size`` ('' when it can)."""
    import keras

    if not isinstance(model, keras.Model):
        return _not_a_model(model, name)
    if shape is None:
        return f"{name} has several inputs; one input, the stream, is expected."
    rows = batch_size if batch_size is not None else "batch"
    build = f"keras.Input(batch_shape=({rows}, timesteps, features))"
    if shape[0] is None:
        return (
            f"{name} takes batches of any size (input shape {_shape_text(shape)}), so it cannot keep one "
            f"state per row: start it with {build} and set stateful=True on the LSTM."
        )
    if batch_size is not None and shape[0] != batch_size:
        return (
            f"{name} takes batches of {_rows(shape[0])}, but {batch_size} are expected, one row per stream: "
            f"start it with {build}."
        )
    if not _stateful_layers(model):
        return (
            f"no layer of {name} is stateful, so every call starts again from a state of zeros: "
            "create the LSTM with stateful=True."
        )
    return ""


@_never_raises
def check_stateful(task: str, model: Any, batch_size: int, name: str = "model") -> CheckResult:
    """Pass when ``model`` carries its state from one call to the next, one state per row.

    That is: it takes batches of exactly ``batch_size`` rows (``keras.Input(batch_shape=...)``),
    has a layer with ``stateful=True``, gives other outputs when it reads the same batch a second
    time (the second call starts from the state the first one left), and repeats its first outputs
    after ``reset_state()``. The check runs the model on random data by direct calls and leaves
    every stateful layer reset.

    >>> import keras
    >>> layers = keras.layers
    >>> model = keras.Sequential([keras.Input(batch_shape=(2, 5, 1)), layers.LSTM(3, stateful=True)])
    >>> check_stateful("2", model, batch_size=2)
    Task 2 passed: model takes batches of 2 rows and carries its state from one call
        to the next; reset_state() clears it.
    >>> check_stateful("2", keras.Sequential([keras.Input(shape=(5, 1)), layers.LSTM(3)]), 2)
    Task 2 not done yet: model takes batches of any size (input shape (None, 5, 1)),
        so it cannot keep one state per row: start it with
        keras.Input(batch_shape=(2, timesteps, features)) and set stateful=True on
        the LSTM.
    """
    missing = _missing(
        task,
        model,
        name,
        f"Build it with keras.Input(batch_shape=({batch_size}, timesteps, features)) and an LSTM with stateful=True.",
    )
    if missing is not None:
        return missing
    import keras

    shape = _one_input_shape(model) if isinstance(model, keras.Model) else None
    problem = _stateful_problem(model, name, batch_size, shape)
    if problem:
        return _result(task, False, problem)
    assert shape is not None  # _stateful_problem refuses a model with several inputs
    stateful = _stateful_layers(model)
    rng = np.random.default_rng(0)
    batch = rng.standard_normal((batch_size, *(5 if d is None else d for d in shape[1:]))).astype("float32")
    _reset_states(stateful)
    try:
        first, second = _call(model, batch), _call(model, batch)
        _reset_states(stateful)
        again = _call(model, batch)
    except Exception as err:  # noqa: BLE001 - any failure here is the student's to see
        return _result(task, False, f"{name} fails on a batch of shape {batch.shape}: {_reason(err)}")
    finally:
        _reset_states(stateful)
    if np.allclose(first, second, atol=1e-6):
        return _result(
            task,
            False,
            f"{name} gives the same outputs when it reads the same batch twice: the second call did not "
            "start from the state the first one left. Is the stateful LSTM's output used?",
        )
    if not np.allclose(first, again, atol=1e-5):
        return _result(task, False, f"after reset_state(), {name} does not repeat its first outputs.")
    return _result(
        task,
        True,
        f"{name} takes batches of {_rows(batch_size)} and carries its state from one call to the next; "
        "reset_state() clears it.",
    )


def _stream_problem(xs: np.ndarray, ys: np.ndarray, rows: int, name: str) -> str:
    """Why the stream ``xs`` and its per-step classes ``ys`` cannot be read in batches of ``rows`` ('' if they can)."""
    if xs.ndim != 3 or len(xs) == 0 or len(xs) % rows:
        return (
            f"the stream has shape {xs.shape}, but {name} reads batches of {_rows(rows)}: (samples, timesteps, "
            f"features) with a multiple of {rows} samples is expected, as lh.stateful.stateful_batches lays it out."
        )
    if ys.size != xs.shape[0] * xs.shape[1]:
        return f"the targets have shape {ys.shape}, but one class per step of {xs.shape[:2]} is expected."
    return ""


@_never_raises
def check_stream_accuracy(
    task: str,
    model: Any,
    x: Any,
    y: Any,
    at_least: float,
    batch_size: int | None = None,
    name: str = "model",
    hint: str = "",
) -> CheckResult:
    """Pass when the stateful ``model``, reading the held-out stream ``x`` batch after batch with its
    state carried, predicts the class of every step (``y``) with accuracy ``>= at_least``.

    ``x`` is laid out as ``lh.stateful.stateful_batches`` lays it out for the model's batch size
    (row i of batch k + 1 continues row i of batch k), and ``y``, one class per step, the same way:
    ``(samples, timesteps)`` or ``(samples, timesteps, 1)``. The check resets every stateful layer,
    feeds the batches in order by direct calls (they carry the state on every backend, where
    ``predict`` does not on JAX in Keras 3.15) and resets them again at the end. ``batch_size``,
    when given, is the number of streams ``x`` is laid out in, which the model must take.

    The per-step predictions are thresholded at 0.5 (one sigmoid unit) or take the argmax (softmax).
    In an assignment's check cell ``x``, ``y`` are the validation part: only the grader scores the
    test part (it replaces them with the hidden test data). The message states the threshold, not
    the measured value, so that it reads the same on every machine.

    >>> import keras
    >>> layers = keras.layers
    >>> model = keras.Sequential(
    ...     [keras.Input(batch_shape=(2, 4, 1)), layers.LSTM(3, stateful=True, return_sequences=True),
    ...      layers.Dense(1, activation="sigmoid")])
    >>> check_stream_accuracy("3", model, np.zeros((6, 4, 1)), np.zeros((6, 4)), at_least=0.0)
    Task 3 passed: reading the held-out stream batch by batch with its state
        carried, model is at least 0% accurate.
    """
    missing = _missing(task, model, name, "Build and train it first.")
    if missing is not None:
        return missing
    if x is None or y is None:
        return _result(task, False, "the stream to read is not set yet: lay it out first.")
    import keras

    shape = _one_input_shape(model) if isinstance(model, keras.Model) else None
    problem = _stateful_problem(model, name, batch_size, shape)
    if problem:
        return _result(task, False, problem)
    assert shape is not None and shape[0] is not None  # _stateful_problem refuses the others
    rows = shape[0]
    xs, ys = np.asarray(x, dtype="float32"), np.asarray(y)
    problem = _stream_problem(xs, ys, rows, name)
    if problem:
        return _result(task, False, problem)
    ys = ys.reshape(xs.shape[:2])
    stateful = _stateful_layers(model)
    _reset_states(stateful)
    try:
        probs = np.concatenate([_call(model, xs[k : k + rows]) for k in range(0, len(xs), rows)])
    except Exception as err:  # noqa: BLE001 - any failure here is the student's to see
        return _result(task, False, f"{name} fails on a batch of the stream: {_reason(err)}")
    finally:
        _reset_states(stateful)
    if probs.ndim != 3 or probs.shape[:2] != xs.shape[:2]:
        return _result(
            task,
            False,
            f"{name} gives outputs of shape {probs.shape[1:]} per sample of shape {xs.shape[1:]}; one "
            "prediction per step is expected: set return_sequences=True on the last LSTM.",
        )
    predicted = probs.argmax(axis=-1) if probs.shape[-1] > 1 else (probs[..., 0] > 0.5).astype(int)
    accuracy = float(np.mean(predicted == ys))
    said = f"reading the held-out stream batch by batch with its state carried, {name} is"
    if accuracy >= at_least:
        return _result(task, True, f"{said} at least {at_least:.0%} accurate.")
    advice = hint or "Train longer, and lay out the stream for the model's batch size."
    return _result(task, False, f"{said} below {at_least:.0%} accurate. {advice}")
