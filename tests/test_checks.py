"""lh.checks: a pass says so, a failure gives a specific hint and never raises."""

import json

import keras
import numpy as np
import pytest
from keras import layers

import lstm_helpers as lh
from lstm_helpers.checks import MIME


def test_result_carries_a_machine_readable_record():
    result = lh.checks.check_value("7", 3, 3, name="answer")
    bundle = result._repr_mimebundle_()
    assert bundle[MIME] == {"task": "7", "passed": True, "message": "answer is 3."}
    assert bundle["text/plain"] == "Task 7 passed: answer is 3."
    assert bool(result) is True


def test_unset_values_fail_with_a_hint_instead_of_raising():
    for check in (
        lambda: lh.checks.check_array_shape("1", None, (2, 3)),
        lambda: lh.checks.check_output_shape("1", None, np.zeros((1, 2, 3)), (None, 1)),
        lambda: lh.checks.check_param_count("1", None, 10),
        lambda: lh.checks.check_accuracy("1", None, None, None, 0.5),
        lambda: lh.checks.check_value("1", None, 5),
        lambda: lh.checks.check_mean_error("1", None, None, None, 0.5),
        lambda: lh.checks.check_close("1", None, [1.0]),
    ):
        result = check()
        assert not result.passed and "not set yet" in result.message


def test_array_shape_hints():
    assert lh.checks.check_array_shape("1", np.zeros((4, 10, 1)), (None, 10, 1)).passed
    msg = lh.checks.check_array_shape("1", np.zeros((4, 10)), (4, 10, 1), name="x").message
    assert "x[..., None]" in msg
    msg = lh.checks.check_array_shape("1", np.zeros((4, 9, 1)), (4, 10, 1)).message
    assert "timesteps axis" in msg


def test_output_shape_hint_names_return_sequences():
    model = keras.Sequential([keras.Input(shape=(100, 6)), layers.LSTM(64, return_sequences=True, name="l")])
    result = lh.checks.check_output_shape("2", model, np.zeros((2, 100, 6)), (None, 64))
    assert not result.passed
    assert result.message == (
        "your model's output shape is (None, 100, 64), but (None, 64) is expected. "
        "The last LSTM ('l') still returns sequences; set return_sequences=False."
    )
    flat = keras.Sequential([keras.Input(shape=(100, 6)), layers.LSTM(4)])
    assert (
        "set return_sequences=True"
        in lh.checks.check_output_shape("2", flat, np.zeros((1, 100, 6)), (None, 100, 4)).message
    )
    assert "should have 3 unit(s)" in lh.checks.check_output_shape("2", flat, np.zeros((1, 100, 6)), (None, 3)).message
    wrong_data = lh.checks.check_output_shape("2", flat, np.zeros((1, 100, 5)), (None, 4))
    assert not wrong_data.passed and "fails on the data" in wrong_data.message


def test_param_count_and_layer_types():
    model = keras.Sequential([keras.Input(shape=(8, 8)), layers.Bidirectional(layers.LSTM(32)), layers.Dense(10)])
    assert lh.checks.check_param_count("1", model, 10496 + 650).passed
    assert "10,000 are expected" in lh.checks.check_param_count("1", model, 10000).message
    assert lh.checks.check_layer_types("1", model, ["Bidirectional", "LSTM"]).passed
    assert "no GRU layer" in lh.checks.check_layer_types("1", model, ["GRU"]).message


def test_accuracy_states_the_threshold_not_the_value():
    x = np.zeros((4, 3, 1), "float32")
    model = keras.Sequential([keras.Input(shape=(3, 1)), layers.Flatten(), layers.Dense(2, activation="softmax")])
    y = model.predict(x, verbose=0).argmax(-1)
    passed = lh.checks.check_accuracy("3", model, x, y, at_least=0.9)
    assert passed.passed and passed.message == "held-out accuracy is at least 90%."
    failed = lh.checks.check_accuracy("3", model, x, 1 - y, at_least=0.9)
    assert not failed.passed and "below 90%" in failed.message


def test_mean_error_states_the_threshold_and_scores_every_number():
    x = np.zeros((4, 3, 1), "float32")
    model = keras.Sequential([keras.Input(shape=(3, 1)), layers.Flatten(), layers.Dense(2)])
    y = model.predict(x, verbose=0)
    passed = lh.checks.check_mean_error("6", model, x, y + 0.25, at_most=0.3)
    assert passed.passed and passed.message == "held-out mean absolute error is at most 0.3."
    failed = lh.checks.check_mean_error("6", model, x, y + 0.5, at_most=0.3, hint="Predict changes.")
    assert not failed.passed and failed.message.endswith("above 0.3. Predict changes.")
    assert "(4, 3)" in lh.checks.check_mean_error("6", model, x, np.zeros((4, 3)), 1.0).message
    assert lh.checks.check_mean_error("6", model, x, y.reshape(4, 2, 1), at_most=1e-6).passed  # same numbers


def test_close_compares_shape_then_every_entry():
    assert lh.checks.check_close("2", np.full((2, 3), 0.5), [[0.5] * 3] * 2, name="h").passed
    assert "shape (3,), but (2, 3)" in lh.checks.check_close("2", np.zeros(3), np.zeros((2, 3))).message
    off = lh.checks.check_close("2", np.array([1.0, 2.1]), [1.0, 2.0], name="h", hint="Gate order: i, f, c, o.")
    assert not off.passed and off.message == "h is off by up to 0.1 (allowed: 1e-05). Gate order: i, f, c, o."
    assert not lh.checks.check_close("2", np.array([np.nan]), [1.0]).passed


def test_check_fits_uses_diagnose():
    model = keras.Sequential([keras.Input(shape=(5, 2)), layers.LSTM(3), layers.Dense(4, activation="softmax")])
    x, y = np.zeros((6, 5, 2)), np.arange(6) % 4
    assert "not compiled" in lh.checks.check_fits("2", model, x, y).message
    model.compile("adam", "categorical_crossentropy")
    failed = lh.checks.check_fits("2", model, x, y)
    assert not failed.passed and "sparse_categorical_crossentropy" in failed.message
    model.compile("adam", "sparse_categorical_crossentropy")
    assert lh.checks.check_fits("2", model, x, y).passed


def test_check_value_yes_no_and_containers():
    assert lh.checks.check_value("1", True, True, name="scaled").message == "scaled: yes."
    assert (
        lh.checks.check_value("1", False, True, name="scaled", hint="Fit on x_train.").message
        == "scaled: not yet. Fit on x_train."
    )
    assert lh.checks.check_value("1", [(1, 2)], [(1, 2)]).passed
    assert lh.checks.check_value("1", 0.1 + 0.2, 0.3).passed
    assert not lh.checks.check_value("1", 4, 5).passed


def test_check_standardized():
    rng = np.random.default_rng(0)
    raw = rng.normal(3, 2, (20, 10, 2))
    scaled = lh.Standardizer.fit(raw).transform(raw)
    assert lh.checks.check_standardized("1", scaled).passed
    failed = lh.checks.check_standardized("1", raw, name="x_train")
    assert not failed.passed and "feature 0 of x_train has mean 2.8" in failed.message
    assert "not set yet" in lh.checks.check_standardized("1", None).message


class _Hostile:
    """A value that breaks every protocol a check might use on it."""

    def _fail(self, *args, **kwargs):
        raise RuntimeError("hostile")

    __eq__ = __ne__ = __lt__ = __gt__ = __len__ = __iter__ = __bool__ = __float__ = __int__ = _fail
    __str__ = __repr__ = __format__ = __array__ = __index__ = _fail
    __hash__ = None


class _Silent:
    """A value whose failures carry an empty message (``str(err) == ""``)."""

    @property
    def shape(self):
        raise ValueError()

    def __eq__(self, other):
        raise ValueError()

    def predict(self, *args, **kwargs):
        raise ValueError()


JUNK = [
    None,
    "junk",
    "",
    3.5,
    -1,
    [],
    {"a": 1},
    (None,),
    np.zeros((2, 3)),
    np.array(["a", "b"]),
    object(),
    _Hostile(),
    _Silent(),
    len,
]
PUBLIC_CHECKS = [getattr(lh.checks, n) for n in lh.checks.__all__ if n.startswith("check_")]


def _assert_is_a_result(result):
    assert isinstance(result, lh.checks.CheckResult), result
    assert isinstance(result.passed, bool) and isinstance(result.message, str) and result.message
    assert isinstance(result.task, str) and bool(result) is result.passed
    json.dumps(result._repr_mimebundle_()[MIME])  # the record stays JSON
    _assert_fits_the_page(result)


@pytest.mark.parametrize("check", PUBLIC_CHECKS, ids=lambda c: c.__name__)
def test_a_check_never_raises_whatever_it_is_given(check):
    """The contract of lh.checks: junk in any argument gives a failed result, never an exception."""
    import inspect

    parameters = list(inspect.signature(check).parameters)
    assert parameters[0] == "task" and "name" in parameters
    base = {p: None for p in parameters if inspect.signature(check).parameters[p].default is inspect.Parameter.empty}
    base["task"] = "1"
    for parameter in parameters:
        for junk in JUNK:
            _assert_is_a_result(check(**{**base, parameter: junk}))
    for junk in JUNK:
        _assert_is_a_result(check(*[junk] * len(base)))
    _assert_is_a_result(check("1"))  # arguments missing: a wrong call fails its task too


def test_a_value_the_check_cannot_evaluate_fails_with_the_reason():
    result = lh.checks.check_value("4", np.zeros((2, 2)), 3)
    assert not result.passed and result.task == "4"
    assert result.message.startswith("the check could not evaluate answer: ValueError: The truth value")
    hostile = lh.checks.check_value(_Hostile(), _Hostile(), 3, name="n")
    assert not hostile.passed and hostile.task == "<_Hostile>"
    assert hostile.message == "the check could not evaluate n: RuntimeError: hostile"
    silent = lh.checks.check_value("4", _Silent(), "x")
    assert silent.message == "the check could not evaluate answer: ValueError"


def test_an_exception_with_an_empty_message_is_reported_by_its_name():
    model = keras.Sequential([keras.Input(shape=(3, 1)), layers.Flatten(), layers.Dense(2, activation="softmax")])
    model.predict = _Silent().predict
    result = lh.checks.check_accuracy("3", model, np.zeros((2, 3, 1)), np.zeros(2), at_least=0.5)
    assert not result.passed and result.message == "predict failed: ValueError"


# ---------------------------------------------------------------------------------------------
# Every printed line fits the book's page (80 characters), with nothing of the message lost
# ---------------------------------------------------------------------------------------------


def _assert_fits_the_page(result):
    text = str(result)
    assert result._repr_mimebundle_()["text/plain"] == text
    wide = [line for line in text.splitlines() if len(line) > lh.checks.WIDTH]
    assert not wide, f"lines wider than {lh.checks.WIDTH} characters: {wide}"
    assert all(line.startswith("    ") for line in text.splitlines()[1:]), text  # continuation indented
    status = "passed" if result.passed else "not done yet"
    said = " ".join(f"Task {result.task} {status}: {result.message}".split())
    assert "".join(text.split()) == "".join(said.split()), "wrapping lost or changed text"


def _results_of_every_kind():
    """A pass and each failure hint of every check, with long names and the book's real shapes."""
    rng = np.random.default_rng(0)
    lstm = keras.Sequential([keras.Input(shape=(100, 6)), layers.LSTM(8, return_sequences=True, name="l")])
    model = keras.Sequential([keras.Input(shape=(100, 6)), layers.LSTM(4), layers.Dense(4, activation="softmax")])
    x, y = np.zeros((4, 100, 6), "float32"), np.arange(4)
    train, val = rng.normal(3, 2, (40, 100, 6)), rng.normal(3.5, 2, (8, 100, 6))
    long = "a_rather_long_variable_name_for_the_validation_recordings"
    yield lh.checks.check_array_shape("1", np.zeros((297, 12, 1)), (297, 12, 1), name="x_train_windows")
    yield lh.checks.check_array_shape("1", np.zeros((297, 12)), (297, 12, 1), name=long, hint="Use make_windows.")
    yield lh.checks.check_array_shape("1", np.zeros((297, 11, 2)), (297, 12, 1), name=long)
    yield lh.checks.check_output_shape("2", model, x, (None, 4), name=long)
    yield lh.checks.check_output_shape("2", lstm, x, (None, 8), name=long)
    yield lh.checks.check_output_shape("2", model, x, (None, 100, 4))
    yield lh.checks.check_output_shape("2", model, np.zeros((2, 100, 5)), (None, 4))
    yield lh.checks.check_param_count("3", model, 10**9, name=long, hint="Count the 4 gates of the LSTM again.")
    yield lh.checks.check_layer_types("3", model, ["Bidirectional", "GRU", "SimpleRNN", "Conv1D"], name=long)
    yield lh.checks.check_accuracy("3", model, x, y, at_least=1.0, name=long)
    yield lh.checks.check_accuracy("3", lstm, x, y, at_least=0.9)
    yield lh.checks.check_mean_error("3", model, x, np.zeros((4, 3)), at_most=0.5, name=long)
    yield lh.checks.check_mean_error("3", model, x, np.full((4, 4), 9.0), at_most=0.5, hint="Scale y back. " * 5)
    yield lh.checks.check_close("2", np.zeros((4, 100, 6)), np.zeros((4, 100, 5)), name=long, hint="Use h. " * 9)
    yield lh.checks.check_close("2", np.ones(3), np.zeros(3), name=long, hint="Gate order: i, f, c, o. " * 4)
    yield lh.checks.check_close("4", np.ones(1), 0.5, name=long, tolerance=0.1, hint="Take float(...). " * 5)
    yield lh.checks.check_value("1", {"concat": (5, 64), "sum": (5, 32), None: [(5, 32), (5, 32)]}, {}, name=long)
    yield lh.checks.check_value("1", False, True, name=long, hint="Fit the scaler on x_train only. " * 4)
    yield lh.checks.check_fits("2", model, x, y, name=long)
    model.compile("adam", "categorical_crossentropy")
    yield lh.checks.check_fits("2", model, x, y, name=long)
    yield lh.checks.check_standardized("1", train, name=long)
    yield lh.checks.check_training_scaling("1", val, val, train, name=long)
    yield lh.checks.check_training_scaling("1", (val - val.mean((0, 1))) / val.std((0, 1)), val, train, name=long)
    both = np.concatenate([train, val])
    yield lh.checks.check_training_scaling("1", (val - both.mean((0, 1))) / both.std((0, 1)), val, train, name=long)
    yield lh.checks.check_training_scaling("1", val[::-1], val, train, name=long)
    yield from _padding_results(long)
    enc_dec, unlinked = _encoder_decoder(), _encoder_decoder(linked=False)
    pair = [rng.normal(size=(4, 5, 13)), rng.normal(size=(4, 6, 13))]
    yield lh.checks.check_output_shape("3", enc_dec, pair, (None, 6, 13), name=long)
    yield lh.checks.check_uses_input("3", enc_dec, pair, index=0, name=long)
    yield lh.checks.check_uses_input("3", unlinked, pair, index=0, name=long, hint="Pass initial_state=[h, c]. " * 4)
    yield lh.checks.check_uses_input("3", model, pair, index=0, name=long)
    yield lh.checks.check_uses_input("3", enc_dec, [pair[0][:1], pair[1][:1]], index=0, name=long)
    targets = np.ones((4, 6), int)
    yield lh.checks.check_exact_match("4", enc_dec, pair[0], targets, at_least=0.0, start_id=1, name=long)
    yield lh.checks.check_exact_match("4", enc_dec, pair[0], targets, at_least=1.0, start_id=1, name=long)
    yield lh.checks.check_exact_match("4", model, x, targets[:, :4], 0.9, start_id=1, hint="Train longer. " * 9)
    yield lh.checks.check_exact_match("4", _encoder_decoder(sequences=False), pair[0], targets, 0.9, start_id=1)
    two, frames_static = _sequence_and_static(), _frames_and_static()
    one = keras.Sequential([keras.Input(shape=(29, 12)), layers.LSTM(4), layers.Dense(9, activation="softmax")])
    yield lh.checks.check_output_shape("1", two, frames_static, (None, 9), name=long)
    yield lh.checks.check_output_shape("1", two, frames_static[::-1], (None, 9), name=long)
    yield lh.checks.check_output_shape("1", two, frames_static[:1], (None, 9), name=long)
    yield lh.checks.check_output_shape("1", two, {"frames": x, "sequence": x}, (None, 9), name=long)
    yield lh.checks.check_output_shape("1", one, frames_static, (None, 9), name=long)
    yield lh.checks.check_accuracy("2", one, dict(zip("ab", frames_static, strict=True)), y, 0.9, name=long)
    yield lh.checks.check_accuracy("2", two, frames_static[::-1], np.zeros(6), at_least=0.9, name=long)
    yield lh.checks.check_fits("1", two, frames_static[::-1], np.zeros(6), name=long)
    stream, (sx, sy, _) = _streamer(), _stream_and_targets(_streamer())
    yield lh.checks.check_stateful("2", stream, batch_size=2, name=long)
    yield lh.checks.check_stateful("2", _streamer(batch=1), batch_size=2, name=long)
    yield lh.checks.check_stateful("2", lstm, batch_size=16, name=long)
    yield lh.checks.check_stateful("2", _streamer(stateful=False), batch_size=2, name=long)
    yield lh.checks.check_stream_accuracy("3", stream, sx, sy, at_least=1.0, batch_size=2, name=long)
    yield lh.checks.check_stream_accuracy("3", stream, sx, 1 - sy, 0.9, name=long, hint="Train longer. " * 5)
    yield lh.checks.check_stream_accuracy("3", stream, sx[:3], sy[:3], 0.9, name=long)
    yield lh.checks.check_stream_accuracy("3", stream, sx, sy[:4], 0.9, name=long)
    yield lh.checks.check_stream_accuracy("3", _streamer(sequences=False), sx, sy, 0.9, name=long)


def test_every_message_a_check_can_print_fits_the_page():
    results = list(_results_of_every_kind())
    assert any(len(f"{r.task}: {r.message}") > 2 * lh.checks.WIDTH for r in results)  # long ones are covered
    for result in results:
        _assert_fits_the_page(result)
    # the junk of test_a_check_never_raises_whatever_it_is_given is checked by _assert_is_a_result


@pytest.mark.parametrize(
    "message",
    [
        "x" * 500,  # one word wider than the page
        "the model maps (2, 100, 6) = 2 samples x 100 timesteps x 6 features to (2, 4). " * 3,
        "a message\nwith   newlines\tand tabs " * 8,
        "(" + ", ".join(["1"] * 60) + ")",  # a shape too long to keep whole
        "unbalanced ( brackets ) ) ( " * 10,
    ],
)
@pytest.mark.parametrize("task", ["1", "a task id far longer than any assignment would use " * 3])
def test_the_text_of_any_result_fits_the_page(message, task):
    _assert_fits_the_page(lh.checks.CheckResult(task, False, message))


def test_a_shape_is_never_split_across_lines():
    result = lh.checks.check_output_shape(
        "2",
        keras.Sequential([keras.Input(shape=(12, 1)), layers.LSTM(16), layers.Dense(1)]),
        np.zeros((4, 12, 1)),
        (None, 1),
    )
    assert str(result) == (
        "Task 2 passed: the model maps (2, 12, 1) = 2 samples x 12 timesteps x 1 feature\n    to (2, 1)."
    )
    assert result.message == "the model maps (2, 12, 1) = 2 samples x 12 timesteps x 1 feature to (2, 1)."
    for shift in range(40):  # wherever the shape lands on the line
        text = str(lh.checks.CheckResult("1", True, "x" * shift + " has shape (None, 100, 64) = 100 timesteps"))
        assert any("(None, 100, 64)" in line for line in text.splitlines()), text
        assert any("100 timesteps" in line for line in text.splitlines()), text


# ---------------------------------------------------------------------------------------------
# check_training_scaling: validation and test data scaled with the training statistics only
# ---------------------------------------------------------------------------------------------


def _parts(seed=0):
    """Raw training, validation and test parts whose statistics differ, as real parts do."""
    rng = np.random.default_rng(seed)
    return rng.normal(3, 2, (40, 100, 6)), rng.normal(3.3, 2.2, (8, 100, 6)), rng.normal(2.8, 1.8, (40, 100, 6))


def test_training_scaling_passes_a_scaler_fitted_on_the_training_part_only():
    train, val, test = _parts()
    scaler = lh.Standardizer.fit(train)
    for name, raw in (("x_train", train), ("x_val", val), ("x_test", test)):
        result = lh.checks.check_training_scaling("1", scaler.transform(raw), raw=raw, train=train, name=name)
        assert result.passed, result
        assert result.message == f"{name} is scaled with the training part's statistics."
    # any correct way to scale passes: by hand, float32, the sample standard deviation (ddof=1)
    mean, std = train.mean(axis=(0, 1)), train.std(axis=(0, 1), ddof=1)
    by_hand = ((val - mean) / std).astype("float32")
    assert lh.checks.check_training_scaling("1", by_hand, raw=val, train=train, name="x_val").passed


@pytest.mark.parametrize("fitted_on", ["all", "train+val", "val", "test"])
def test_training_scaling_fails_a_scaler_fitted_on_other_data(fitted_on):
    train, val, test = _parts()
    fit = {
        "all": np.concatenate([train, val, test]),
        "train+val": np.concatenate([train, val]),
        "val": val,
        "test": test,
    }[fitted_on]
    leaky = lh.Standardizer.fit(fit)
    for name, raw in (("x_train", train), ("x_val", val), ("x_test", test)):
        result = lh.checks.check_training_scaling("1", leaky.transform(raw), raw=raw, train=train, name=name)
        assert not result.passed, (fitted_on, name)
        if fitted_on != name.removeprefix("x_"):
            assert "other statistics than the training part's" in result.message, result
            assert "fitted on more than the training part" in result.message
    if fitted_on == "train+val":  # the plain standardisation check cannot see this leak
        assert lh.checks.check_standardized("1", leaky.transform(train), name="x_train").passed


def test_training_scaling_fails_a_leaky_scaler_on_the_real_data():
    """BasicMotions, as assignment 2 scales it: a scaler fitted on all 80 recordings fails."""
    data = lh.load_basic_motions()
    every = np.concatenate([data.x_train, data.x_val, data.x_test])
    leaky, right = lh.Standardizer.fit(every), lh.Standardizer.fit(data.x_train)
    for raw in (data.x_train, data.x_val, data.x_test):
        assert not lh.checks.check_training_scaling("1", leaky.transform(raw), raw, data.x_train).passed
        assert lh.checks.check_training_scaling("1", right.transform(raw), raw, data.x_train).passed


def test_training_scaling_names_each_mistake():
    train, val, _ = _parts()
    own = (val - val.mean(axis=(0, 1))) / val.std(axis=(0, 1))
    message = lh.checks.check_training_scaling("1", own, val, train, name="x_val").message
    assert message.startswith("x_val is scaled with its own mean and standard deviation; use the training part's")
    message = lh.checks.check_training_scaling("1", val, val, train, name="x_val").message
    assert message.startswith("x_val is not scaled yet")
    per_sample = (val - val.mean(axis=1, keepdims=True)) / val.std(axis=1, keepdims=True)
    message = lh.checks.check_training_scaling("1", per_sample, val, train, name="x_val").message
    assert message.startswith("x_val is not the raw part scaled feature by feature")
    message = lh.checks.check_training_scaling("1", val[:, :50], val, train, name="x_val").message
    assert message == "x_val has shape (8, 50, 6); like the raw part, (8, 100, 6) is expected."
    assert "not set yet" in lh.checks.check_training_scaling("1", None, val, train).message
    leaky = lh.Standardizer.fit(np.concatenate([train, val]))
    message = lh.checks.check_training_scaling("1", leaky.transform(val), val, train, name="x_val").message
    i = int(message.split("feature ")[1].split(" ")[0])
    assert f"training part has mean {train[..., i].mean():.4g}" in message


# ---------------------------------------------------------------------------------------------
# Encoder-decoders: a model with two inputs, the states link, exact match decoding greedily
# ---------------------------------------------------------------------------------------------


def _encoder_decoder(linked=True, sequences=True, units=8, n_chars=13):
    """Assignment 7's model, untrained: encoder states -> decoder LSTM -> Dense softmax per step."""
    question, so_far = keras.Input(shape=(5, n_chars)), keras.Input(shape=(6, n_chars))
    _, h, c = layers.LSTM(units, return_state=True)(question)
    decoder = layers.LSTM(units, return_sequences=sequences)
    steps = decoder(so_far, initial_state=[h, c]) if linked else decoder(so_far)
    return keras.Model([question, so_far], layers.Dense(n_chars, activation="softmax")(steps))


def _pair(n=6, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(n, 5, 13)).astype("float32"), rng.normal(size=(n, 6, 13)).astype("float32")]


def test_output_shape_takes_the_list_of_inputs_of_a_two_input_model():
    result = lh.checks.check_output_shape("3", _encoder_decoder(), _pair(), (None, 6, 13))
    assert result.passed, result
    assert result.message == (
        "the model maps (2, 5, 13) = 2 samples x 5 timesteps x 13 features and "
        "(2, 6, 13) = 2 samples x 6 timesteps x 13 features to (2, 6, 13)."
    )
    one_input = lh.checks.check_output_shape("3", _encoder_decoder(), _pair()[0], (None, 6, 13))
    assert not one_input.passed and "fails on the data" in one_input.message
    # a single-input model still reads a list of samples as one array, as before
    single = keras.Sequential([keras.Input(shape=(2, 1)), layers.LSTM(3)])
    assert lh.checks.check_output_shape("3", single, [[[0.0], [1.0]]] * 3, (None, 3)).passed


def test_uses_input_tells_a_linked_decoder_from_an_unlinked_one():
    linked = lh.checks.check_uses_input("3", _encoder_decoder(), _pair(), index=0)
    assert linked.passed and linked.message == "the output of model changes with its input 0."
    unlinked = lh.checks.check_uses_input("3", _encoder_decoder(linked=False), _pair(), index=0, hint="Link them.")
    assert not unlinked.passed
    assert unlinked.message == (
        "the output of model stays the same when its input 0 changes: that input never reaches the output. Link them."
    )
    assert lh.checks.check_uses_input("3", _encoder_decoder(linked=False), _pair(), index=1).passed
    wrong = lh.checks.check_uses_input("3", keras.Sequential([keras.Input(shape=(5, 13)), layers.LSTM(2)]), _pair())
    assert not wrong.passed and "takes 1 input(s), but 2 are expected" in wrong.message
    same = [np.repeat(a[:1], 3, axis=0) for a in _pair()]
    assert "all the same" in lh.checks.check_uses_input("3", _encoder_decoder(), same).message
    assert "not set yet" in lh.checks.check_uses_input("3", None, _pair()).message


def _echo(shift=0, n_chars=4):
    """A stand-in decoder: at step t it returns its decoder input at step t + shift (zeros past the end)."""
    question, so_far = keras.Input(shape=(3, n_chars)), keras.Input(shape=(4, n_chars))
    if shift:
        so_far_later = layers.Lambda(lambda t: keras.ops.pad(t[:, shift:], [[0, 0], [0, shift], [0, 0]]))(so_far)
        return keras.Model([question, so_far], so_far_later)
    return keras.Model([question, so_far], layers.Identity()(so_far))


def test_exact_match_decodes_greedily_and_ignores_padding():
    x = np.zeros((3, 3, 4), "float32")
    # the echo model writes what it was fed: the start token at every step
    echo = _echo()
    assert lh.checks.check_exact_match("4", echo, x, [[1, 1, 0, 0]] * 3, at_least=1.0, start_id=1).passed
    assert lh.checks.check_exact_match("4", echo, x, [[1, 1, 1, 1]] * 3, at_least=1.0, start_id=1).passed
    partly = [[1, 1, 0, 0], [1, 2, 0, 0], [2, 0, 0, 0]]
    assert lh.checks.check_exact_match("4", echo, x, partly, at_least=1 / 3, start_id=1).passed
    failed = lh.checks.check_exact_match("4", echo, x, partly, at_least=0.5, start_id=1)
    assert not failed.passed and failed.message.startswith("exact match on held-out sequences is below 50%.")
    assert lh.checks.check_exact_match("4", echo, x, [[2, 2, 0, 0]] * 3, 0.5, start_id=2).passed


def test_exact_match_never_shows_the_model_the_true_targets():
    """A decoder that copies the next teacher-forced input is perfect under teacher forcing and
    useless on its own: greedy decoding gives it nothing to copy."""
    x, targets = np.zeros((2, 3, 4), "float32"), np.array([[2, 3, 1, 0], [3, 2, 1, 0]])
    teacher_forced = np.eye(4, dtype="float32")[np.concatenate([np.zeros((2, 1), int), targets[:, :-1]], axis=1)]
    peek = _echo(shift=1)
    assert (peek.predict([x, teacher_forced], verbose=0)[:, :3].argmax(-1) == targets[:, :3]).all()
    assert not lh.checks.check_exact_match("4", peek, x, targets, at_least=0.5, start_id=0).passed


def test_exact_match_names_what_does_not_fit():
    x = _pair()[0]
    flat = lh.checks.check_exact_match("4", _encoder_decoder(sequences=False), x, np.ones((6, 6), int), 0.9, 1)
    assert not flat.passed and "Does the decoder LSTM return sequences?" in flat.message
    single = keras.Sequential([keras.Input(shape=(5, 13)), layers.LSTM(2)])
    assert "takes 1 input(s), but an encoder-decoder takes two" in (
        lh.checks.check_exact_match("4", single, x, np.ones((6, 6), int), 0.9, 1).message
    )
    assert "one row of ids per sample" in lh.checks.check_exact_match("4", single, x, np.ones(6), 0.9, 1).message
    assert "not set yet" in lh.checks.check_exact_match("4", None, x, np.ones((6, 6)), 0.9, 1).message


# ---------------------------------------------------------------------------------------------
# A sequence beside static features: the checks take a list (or dict) of input arrays
# ---------------------------------------------------------------------------------------------


def _sequence_and_static(loss="sparse_categorical_crossentropy"):
    """Assignment 12's model, untrained: frames -> Masking -> LSTM, joined with static features."""
    frames, static = keras.Input(shape=(29, 12), name="frames"), keras.Input(shape=(13,), name="static")
    both = layers.Concatenate()([layers.LSTM(4)(layers.Masking(0.0)(frames)), static])
    model = keras.Model([frames, static], layers.Dense(9, activation="softmax")(both))
    model.compile("adam", loss)
    return model


def _frames_and_static(n=6, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(n, 29, 12)).astype("float32"), rng.normal(size=(n, 13)).astype("float32")]


def test_accuracy_and_mean_error_take_the_inputs_of_a_two_input_model():
    model, x = _sequence_and_static(), _frames_and_static()
    y = model.predict(x, verbose=0).argmax(-1)
    for inputs in (x, tuple(x), {"static": x[1], "frames": x[0]}):
        assert lh.checks.check_accuracy("2", model, inputs, y, at_least=1.0).passed
        assert not lh.checks.check_accuracy("2", model, inputs, (y + 1) % 9, at_least=0.5).passed
    probs = model.predict(x, verbose=0)
    assert lh.checks.check_mean_error("2", model, x, probs, at_most=1e-6).passed
    assert lh.checks.check_mean_error("2", model, {"frames": x[0], "static": x[1]}, probs + 0.1, at_most=0.2).passed
    # a one-input model still reads a list of samples as one array, as before
    one = keras.Sequential([keras.Input(shape=(2, 1)), layers.Flatten(), layers.Dense(2, activation="softmax")])
    samples = [[[0.0], [1.0]]] * 3
    assert lh.checks.check_accuracy("2", one, samples, one.predict(np.asarray(samples), verbose=0).argmax(-1), 1.0)


def test_the_inputs_of_a_two_input_model_in_another_order_or_number():
    model, x = _sequence_and_static(), _frames_and_static()
    swapped = lh.checks.check_accuracy("2", model, x[::-1], np.zeros(6), at_least=0.5)
    assert not swapped.passed
    assert swapped.message == (
        "model's inputs take (None, 29, 12) and (None, 13), in this order, but the check gives it 2 arrays, "
        "(6, 13) and (6, 29, 12): list the inputs in keras.Model([...], outputs) in the order the task gives."
    )
    shape = lh.checks.check_output_shape("1", model, x[::-1], (None, 9))
    assert not shape.passed and shape.message.startswith("the output shape is right; the inputs are not: model's")
    assert "has 2 inputs, but the check gives it 1 array, (6, 29, 12)" in (
        lh.checks.check_output_shape("1", model, x[:1], (None, 9)).message
    )
    named = lh.checks.check_output_shape("1", model, {"frames": x[0], "extra": x[1]}, (None, 9))
    assert "inputs are named 'frames', 'static', but the check gives it 'frames', 'extra'" in named.message
    passed = lh.checks.check_output_shape("1", model, {"frames": x[0], "static": x[1]}, (None, 9))
    assert passed.passed and passed.message.endswith("and (2, 13) = 2 samples x 13 features to (2, 9).")


def test_a_one_input_model_given_two_inputs_fails_instead_of_reading_the_first():
    """Keras feeds a one-input model the first array of a list and only warns: the checks say so."""
    single = keras.Sequential([keras.Input(shape=(29, 12)), layers.LSTM(4), layers.Dense(9, activation="softmax")])
    x = _frames_and_static()
    result = lh.checks.check_output_shape("1", single, x, (None, 9))
    assert not result.passed
    assert result.message == (
        "the output shape is right; the inputs are not: model has one input, but the check gives it 2 arrays, "
        "(6, 29, 12) and (6, 13): give it one keras.Input per array and list them all in "
        "keras.Model([input_1, input_2], outputs)."
    )
    assert "has one input" in lh.checks.check_accuracy("2", single, x, np.zeros(6), at_least=0.0).message
    assert "has one input" in lh.checks.check_mean_error("2", single, x, np.zeros((6, 9)), at_most=9.0).message
    named = lh.checks.check_accuracy("2", single, {"frames": x[0], "static": x[1]}, np.zeros(6), 0.0)
    assert "has one input, but the check gives it 2 named arrays ('frames', 'static')" in named.message


def test_check_fits_takes_the_inputs_of_a_two_input_model():
    x, y = _frames_and_static(), np.arange(6) % 9
    assert lh.checks.check_fits("1", _sequence_and_static(), x, y).passed
    failed = lh.checks.check_fits("1", _sequence_and_static("categorical_crossentropy"), x, y)
    assert not failed.passed and "sparse_categorical_crossentropy" in failed.message
    swapped = lh.checks.check_fits("1", _sequence_and_static(), x[::-1], y)
    assert not swapped.passed and "not in the order of the model's inputs" in swapped.message


def test_close_to_one_number_needs_one_number_and_never_prints_it():
    passed = lh.checks.check_close("4", np.float32(0.4567), 0.5, name="effect", tolerance=0.1)
    assert passed.passed and passed.message == "effect is within 0.1 of 0.5."
    off = lh.checks.check_close("4", 0.25, 0.5, name="effect", tolerance=0.1, hint="Train first.")
    assert not off.passed and off.message == "effect is off by 0.25 (allowed: 0.1). Train first."
    array = lh.checks.check_close("4", np.array([0.5]), 0.5, name="effect", tolerance=0.1)
    assert not array.passed
    assert array.message == "effect has shape (1,), but one number is expected (a float, not an array)."


# ---------------------------------------------------------------------------------------------
# Padding and masking: the padded array itself, and a model whose output the padding leaves alone
# ---------------------------------------------------------------------------------------------


def _ragged(lengths=(3, 5, 2), features=2, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(n, features)).astype("float32") for n in lengths]


def _pad(sequences, maxlen, padding="post", dtype="float32", **kwargs):
    return keras.utils.pad_sequences(sequences, maxlen=maxlen, padding=padding, dtype=dtype, **kwargs)


def test_padded_passes_the_sequences_padded_as_asked():
    seqs = _ragged()
    result = lh.checks.check_padded("1", _pad(seqs, 6), seqs, maxlen=6, name="x_train")
    assert result.passed, result
    assert result.message == (
        "x_train is the 3 sequences padded at the end to (3, 6, 2) = 3 samples x 6 timesteps x 2 features."
    )
    assert lh.checks.check_padded("1", _pad(seqs, 6, padding="pre"), seqs, maxlen=6, padding="pre").passed
    assert lh.checks.check_padded("1", _pad(seqs, 6).astype("float64").tolist(), seqs, maxlen=6).passed
    ids = [[5, 3, 8], [7, 2]]  # token ids may stay integers
    tokens = lh.checks.check_padded("1", keras.utils.pad_sequences(ids, padding="post"), ids, maxlen=3)
    assert tokens.passed and "(2, 3) = 2 samples x 3 timesteps." in tokens.message


def test_padded_names_each_mistake():
    seqs = _ragged()

    def message(padded, **kwargs):
        result = lh.checks.check_padded("1", padded, seqs, maxlen=kwargs.pop("maxlen", 6), name="x", **kwargs)
        assert not result.passed
        return result.message

    assert "not set yet" in message(None)
    assert "not one array of numbers" in message(seqs)
    assert "not one array of numbers" in message(np.array(["a", "b"]))
    assert "holds integers (int32)" in message(_pad(seqs, 6, dtype="int32"))
    assert 'pad at the end with padding="post"' in message(_pad(seqs, 6, padding="pre"))
    assert 'pad at the start with padding="pre"' in message(_pad(seqs, 6), padding="pre")
    too_short = message(_pad(seqs, None))
    assert "5 timesteps instead of 6" in too_short and "unless you pass maxlen=6" in too_short
    assert "(3 sequences of 6 steps each)" in message(_pad(seqs[:2], 6))
    assert "(3 sequences of 6 steps each)" in message(_pad(seqs, 6)[..., :1])
    assert "its padding is not 0 (it holds -1)" in message(_pad(seqs, 6, value=-1.0))
    assert "sample 0 of x is not sequence 0 padded at the end" in message(_pad(seqs[::-1], 6))
    assert "could not evaluate" in message(_pad(seqs, 4), maxlen=4)  # a maxlen that would truncate: the caller's error
    assert "could not evaluate" in message(_pad(seqs, 6), padding="middle")


def _classifier(*first, steps=None, sequences=False):
    keras.utils.set_random_seed(0)
    lstm = layers.LSTM(4, return_sequences=sequences)
    return keras.Sequential([keras.Input(shape=(steps, 2)), *first, lstm, layers.Dense(3, activation="softmax")])


def test_padding_ignored_tells_a_masked_model_from_one_that_reads_the_padding():
    short, long = _pad(_ragged(), 5), _pad(_ragged(), 12)
    masked = lh.checks.check_padding_ignored("2", _classifier(layers.Masking(0.0)), short, long)
    assert masked.passed, masked
    assert masked.message == (
        "model gives the same output for the sequences padded to 5 and to 12 steps: the padding is masked."
    )
    unmasked = lh.checks.check_padding_ignored("2", _classifier(), short, long).message
    assert "padded to 12 steps instead of 5: it reads the padding as data." in unmasked
    assert "Put layers.Masking(mask_value=0.0) right after keras.Input" in unmasked
    wrong_value = lh.checks.check_padding_ignored("2", _classifier(layers.Masking(-1.0)), short, long).message
    assert "It has a Masking layer, but the mask does not reach the LSTM or misses the padding" in wrong_value


def test_padding_ignored_names_what_does_not_fit():
    short, long = _pad(_ragged(), 5), _pad(_ragged(), 12)
    fixed = lh.checks.check_padding_ignored("2", _classifier(layers.Masking(0.0), steps=5), short, long)
    assert not fixed.passed and "takes exactly 5 timesteps" in fixed.message and "(None, 2)" in fixed.message
    per_step = lh.checks.check_padding_ignored("2", _classifier(layers.Masking(0.0), sequences=True), short, long)
    assert not per_step.passed and "Set return_sequences=False" in per_step.message
    assert "not set yet" in lh.checks.check_padding_ignored("2", None, short, long).message
    assert "not a keras Model" in lh.checks.check_padding_ignored("2", "model", short, long).message


def _padding_results(name):
    """For the page-width test: a pass and each hint of check_padded and check_padding_ignored."""
    seqs = _ragged(lengths=(29, 7, 12), features=12)
    for padded in (
        _pad(seqs, 29),
        None,
        seqs,
        _pad(seqs, 29, dtype="int32"),
        _pad(seqs, 29, padding="pre"),
        _pad(seqs, None)[:, :20],
        _pad(seqs[:2], 29),
        _pad(seqs, 29, value=-1.0),
        _pad(seqs[::-1], 29),
    ):
        yield lh.checks.check_padded("1", padded, seqs, maxlen=29, name=name)
    yield lh.checks.check_padded("1", _pad(seqs, 29), seqs, maxlen=60, name=name)
    short, long = _pad(seqs, 29), _pad(seqs, 60)
    for first, steps, sequences in (
        ([layers.Masking(0.0)], None, False),
        ([], None, False),
        ([layers.Masking(-1.0)], None, False),
        ([layers.Masking(0.0)], 29, False),
        ([layers.Masking(0.0)], None, True),
    ):
        model = keras.Sequential(
            [keras.Input(shape=(steps, 12)), *first, layers.LSTM(4, return_sequences=sequences), layers.Dense(9)]
        )
        yield lh.checks.check_padding_ignored("2", model, short, long, name=name)


# ---------------------------------------------------------------------------------------------
# check_stateful and check_stream_accuracy: a state carried from one call to the next
# ---------------------------------------------------------------------------------------------


def _streamer(batch=2, steps=3, stateful=True, sequences=True, units=1, activation="sigmoid"):
    keras.utils.set_random_seed(3)
    return keras.Sequential(
        [
            keras.Input(batch_shape=(batch, steps, 1)),
            layers.LSTM(4, stateful=stateful, return_sequences=sequences),
            layers.Dense(units, activation=activation),
        ]
    )


def _states(model):
    return [v.numpy() for layer in model.layers if getattr(layer, "stateful", False) for v in layer.states]


def test_stateful_passes_a_model_that_carries_its_state_and_leaves_it_reset():
    model = _streamer()
    model(np.ones((2, 3, 1), "float32"))  # a state left from an earlier call
    assert any(s.any() for s in _states(model))
    result = lh.checks.check_stateful("2", model, batch_size=2, name="streamer")
    assert result.passed, result
    assert result.message == (
        "streamer takes batches of 2 rows and carries its state from one call to the next; reset_state() clears it."
    )
    assert not any(s.any() for s in _states(model))


def test_stateful_names_each_mistake():
    open_batch = keras.Sequential([keras.Input(shape=(3, 1)), layers.LSTM(4, return_sequences=True)])
    cases = [
        (open_batch, "takes batches of any size (input shape (None, 3, 1)), so it cannot keep one state per row"),
        (_streamer(batch=1), "takes batches of 1 row, but 2 are expected, one row per stream"),
        (_streamer(stateful=False), "no layer of m is stateful, so every call starts again from a state of zeros"),
        (None, "m is not set yet. Build it with keras.Input(batch_shape=(2, timesteps, features))"),
    ]
    for model, expected in cases:
        result = lh.checks.check_stateful("2", model, batch_size=2, name="m")
        assert not result.passed and expected in result.message, result


def _stream_and_targets(model, units=1):
    """A random stream laid out in 2 streams of 5 chunks of 3 steps, and as targets the classes that
    the same LSTM predicts reading each stream whole; also the classes it predicts from a state of
    zeros at every chunk."""
    rng = np.random.default_rng(1)
    series = 2 * rng.standard_normal((30, 1)).astype("float32")
    whole = keras.Sequential(
        [keras.Input(shape=(None, 1)), layers.LSTM(4, return_sequences=True), layers.Dense(units, activation="sigmoid")]
    )
    whole.set_weights(model.get_weights())
    p = keras.ops.convert_to_numpy(whole(series.reshape(2, 15, 1)))  # the 2 streams, whole
    classes = p.argmax(-1) if units > 1 else (p[..., 0] > 0.5).astype(int)
    x = lh.stateful.stateful_batches(series, 2, 3)
    y = lh.stateful.stateful_batches(classes.reshape(-1), 2, 3)[..., 0]
    chunks = keras.ops.convert_to_numpy(whole(x))  # every chunk from zeros
    from_zeros = chunks.argmax(-1) if units > 1 else (chunks[..., 0] > 0.5).astype(int)
    return x, y, from_zeros


def test_stream_accuracy_carries_the_state_from_batch_to_batch():
    model = _streamer()
    x, y, from_zeros = _stream_and_targets(model)
    assert 0 < y.mean() < 1 and (from_zeros != y).any(), "the carried state must matter here"
    model(np.ones((2, 3, 1), "float32"))  # a state left from an earlier call: the check resets it
    result = lh.checks.check_stream_accuracy("3", model, x, y, at_least=1.0, batch_size=2, name="streamer")
    assert result.passed, result
    assert (
        result.message
        == "reading the held-out stream batch by batch with its state carried, streamer is at least 100% accurate."
    )
    assert not any(s.any() for s in _states(model))
    assert lh.checks.check_stream_accuracy("3", model, x, y[..., None], at_least=1.0).passed  # (samples, steps, 1)
    # chunks in time order, not laid out in streams: the state reaches the wrong rows
    plain = lh.stateful.stateful_unbatch(x, 2).reshape(10, 3, 1)
    assert not np.array_equal(plain, x)
    assert not lh.checks.check_stream_accuracy("3", model, plain, y, at_least=1.0).passed
    softmax = _streamer(units=2, activation="softmax")
    x2, y2, _ = _stream_and_targets(softmax, units=2)
    assert lh.checks.check_stream_accuracy("3", softmax, x2, y2, at_least=1.0).passed


def test_stream_accuracy_names_each_mistake():
    model = _streamer()
    x, y, _ = _stream_and_targets(model)
    cases = [
        (model, x, y, 3, "m takes batches of 2 rows, but 3 are expected, one row per stream"),
        (_streamer(stateful=False), x, y, 2, "no layer of m is stateful"),
        (_streamer(sequences=False), x, y, 2, "set return_sequences=True on the last LSTM"),
        (model, x[:3], y[:3], 2, "with a multiple of 2 samples is expected"),
        (model, x, y[:4], 2, "one class per step of (10, 3) is expected"),
        (model, None, y, 2, "the stream to read is not set yet"),
        (None, x, y, 2, "m is not set yet"),
    ]
    for m, xs, ys, batch_size, expected in cases:
        result = lh.checks.check_stream_accuracy("3", m, xs, ys, at_least=0.5, batch_size=batch_size, name="m")
        assert not result.passed and expected in result.message, result
    low = lh.checks.check_stream_accuracy("3", model, x, 1 - y, at_least=0.9, name="m", hint="Train longer.")
    assert not low.passed
    assert (
        low.message
        == "reading the held-out stream batch by batch with its state carried, m is below 90% accurate. Train longer."
    )
