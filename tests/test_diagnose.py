"""lh.diagnose names each common mismatch in plain words before fit fails (or silently misbehaves)."""

import keras
import numpy as np
import pytest
from keras import layers

import lstm_helpers as lh

X = np.random.default_rng(0).random((64, 10, 3)).astype("float32")
Y_INT = np.arange(64) % 4


def classifier(loss="sparse_categorical_crossentropy", units=4, activation="softmax", return_sequences=False):
    model = keras.Sequential(
        [
            keras.Input(shape=(10, 3)),
            layers.LSTM(8, return_sequences=return_sequences, name="lstm_a"),
            layers.Dense(units, activation=activation),
        ]
    )
    model.compile("adam", loss)
    return model


def problems(d):
    return " ".join(f.problem + " " + f.fix for f in d)


def test_a_correct_set_up_passes():
    d = lh.diagnose(classifier(), X, Y_INT)
    assert d.ok and repr(d).startswith("No mismatch found.")
    assert "sparse_categorical_crossentropy" in repr(d)


def test_two_d_x():
    model = keras.Sequential([keras.Input(shape=(10, 1)), layers.LSTM(4)])
    d = lh.diagnose(model, np.zeros((5, 10)))
    assert not d.ok and "x[..., None]" in problems(d) and "2-D" in problems(d)
    model = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(4)])
    assert "x.reshape(5, 10, 3)" in problems(lh.diagnose(model, np.zeros((5, 30))))


def test_batch_size_in_the_input_shape():
    model = keras.Sequential([keras.Input(shape=(64, 10, 3)), layers.Reshape((640, 3)), layers.LSTM(4)])
    d = lh.diagnose(model, X)
    assert "batch size" in problems(d) and "keras.Input(shape=(10, 3))" in problems(d)


def test_wrong_features_and_timesteps():
    model = classifier()
    assert "4 features per step but the model was built for 3" in problems(lh.diagnose(model, np.zeros((2, 10, 4))))
    assert "shape=(None, 3)" in problems(lh.diagnose(model, np.zeros((2, 12, 3))))


def test_last_lstm_returns_sequences_but_y_is_per_sequence():
    d = lh.diagnose(classifier(return_sequences=True), X, Y_INT)
    assert "set return_sequences=False on 'lstm_a'" in problems(d)
    regression = keras.Sequential(
        [keras.Input(shape=(10, 3)), layers.LSTM(8, return_sequences=True, name="seq"), layers.Dense(1)]
    )
    regression.compile("adam", "mse")
    assert "silently" in problems(lh.diagnose(regression, X, np.zeros((64, 1))))


def test_per_step_targets_need_return_sequences():
    d = lh.diagnose(classifier(loss="mse", units=1, activation=None), X, np.zeros((64, 10, 1)))
    assert "return_sequences=True" in problems(d)
    per_step = classifier(return_sequences=True)
    assert lh.diagnose(per_step, X, np.zeros((64, 10), "int64")).ok


def test_labels_against_the_loss():
    assert "to_categorical(y, 4)" in problems(lh.diagnose(classifier("categorical_crossentropy"), X, Y_INT))
    one_hot = keras.utils.to_categorical(Y_INT, 4)
    assert "y.argmax(axis=-1)" in problems(lh.diagnose(classifier(), X, one_hot))
    assert lh.diagnose(classifier("categorical_crossentropy"), X, one_hot).ok
    assert "4 unit(s)" in problems(lh.diagnose(classifier(), X, np.arange(64) % 6))


def test_binary_heads():
    multi = classifier("binary_crossentropy", units=10, activation="sigmoid")
    assert "MULTI-LABEL" in problems(lh.diagnose(multi, X, np.arange(64) % 2))
    binary = classifier("binary_crossentropy", units=1, activation="sigmoid")
    assert lh.diagnose(binary, X, np.arange(64) % 2).ok
    assert "softmax" in problems(lh.diagnose(binary, X, Y_INT))
    one_unit_softmax = classifier("binary_crossentropy", units=1, activation="softmax")
    assert "always outputs 1.0" in problems(lh.diagnose(one_unit_softmax, X, np.arange(64) % 2))


def test_loss_objects_are_recognised():
    model = classifier(keras.losses.CategoricalCrossentropy())
    assert "sparse_categorical_crossentropy" in problems(lh.diagnose(model, X, Y_INT))


def test_stateful_batch_size():
    model = keras.Sequential([keras.Input(batch_shape=(8, 10, 3)), layers.LSTM(4, stateful=True)])
    assert "multiple of 8" in problems(lh.diagnose(model, np.zeros((60, 10, 3))))
    assert lh.diagnose(model, np.zeros((64, 10, 3))).ok


def test_bad_values_and_types():
    x = X.copy()
    x[0, 0, 0] = np.nan
    assert "NaN" in problems(lh.diagnose(classifier(), x, Y_INT))
    assert "TextVectorization" in problems(lh.diagnose(classifier(), np.array([["a"] * 3] * 10)[None].repeat(2, 0)))
    assert "64 samples but y has 63" in problems(lh.diagnose(classifier(), X, Y_INT[:63]))
    with pytest.raises(TypeError, match="keras.Model"):
        lh.diagnose(layers.LSTM(3), X)


def test_every_rule_is_quiet_on_a_correct_set_up_and_returns_findings():
    from lstm_helpers.diagnosis import RULES, Finding, _context

    context = _context(classifier(), X, Y_INT, None)
    for rule, _final in RULES:
        assert rule(context) == [], rule.__name__
    wrong = _context(classifier(units=3), X, Y_INT, None)  # labels 0..3 but only 3 units
    found = [f for rule, _ in RULES for f in rule(wrong)]
    assert found and all(isinstance(f, Finding) for f in found)
    assert "give the last Dense layer 4 units" in problems(found)
