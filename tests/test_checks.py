"""lh.checks: a pass says so, a failure gives a specific hint and never raises."""

import numpy as np

import keras
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
    for check in (lambda: lh.checks.check_array_shape("1", None, (2, 3)),
                  lambda: lh.checks.check_output_shape("1", None, np.zeros((1, 2, 3)), (None, 1)),
                  lambda: lh.checks.check_param_count("1", None, 10),
                  lambda: lh.checks.check_accuracy("1", None, None, None, 0.5),
                  lambda: lh.checks.check_value("1", None, 5)):
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
    assert result.message == ("your model's output shape is (None, 100, 64), but (None, 64) is expected. "
                              "The last LSTM ('l') still returns sequences; set return_sequences=False.")
    flat = keras.Sequential([keras.Input(shape=(100, 6)), layers.LSTM(4)])
    assert "set return_sequences=True" in lh.checks.check_output_shape("2", flat, np.zeros((1, 100, 6)), (None, 100, 4)).message
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
    assert lh.checks.check_value("1", False, True, name="scaled", hint="Fit on x_train.").message == "scaled: not yet. Fit on x_train."
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
