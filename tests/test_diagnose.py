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
    assert d.ok and repr(d).startswith("No mismatch found:\n- the model input (None, 10, 3)")
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
    # a head one unit short: to_categorical(y, 3) would fail on id 3, so the fix names 4 classes
    short = lh.diagnose(classifier("categorical_crossentropy", units=3), X, Y_INT)
    assert "4 classes: give the last Dense layer 4 units" in problems(short)
    assert "to_categorical(y, 3)" not in problems(short)


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


def test_float_targets_that_are_not_classes_with_categorical_crossentropy():
    rng = np.random.default_rng(1)
    standardized = rng.normal(size=(64, 4)).astype("float32")  # e.g. four scaled values to predict
    d = lh.diagnose(classifier("categorical_crossentropy"), X, standardized)
    assert not d.ok and "probabilities of the 4 classes" in problems(d) and "'mse'" in problems(d)
    assert "integer class id" not in problems(d)  # the float rule speaks, not the one for class ids
    one_value = classifier("categorical_crossentropy", units=1, activation=None)
    assert "y[0] = [" in problems(lh.diagnose(one_value, X, rng.random(64).astype("float32")))
    one_hot = keras.utils.to_categorical(Y_INT, 4).astype("float32")
    assert lh.diagnose(classifier("categorical_crossentropy"), X, one_hot).ok
    probabilities = rng.dirichlet(np.ones(4), size=64).astype("float32")  # rows of probabilities
    assert lh.diagnose(classifier("categorical_crossentropy"), X, probabilities).ok
    smoothed = (one_hot * 0.9 + 0.025).astype("float32")  # label smoothing keeps rows summing to 1
    assert lh.diagnose(classifier("categorical_crossentropy"), X, smoothed).ok
    ids_as_floats = Y_INT.astype("float32")  # class ids stored as floats: the class-id rule speaks
    assert "to_categorical(y, 4)" in problems(lh.diagnose(classifier("categorical_crossentropy"), X, ids_as_floats))


def _padded(left, steps=10, features=3, samples=8):
    """A batch whose sequences have 4 to 10 real steps, padded with zeros at the start or the end."""
    x = np.zeros((samples, steps, features), "float32")
    for i in range(samples):
        n = 4 + i % (steps - 3)
        values = np.random.default_rng(i).random((n, features)) + 0.5
        if left:
            x[i, steps - n :] = values
        else:
            x[i, :n] = values
    return x


def _masked_model(use_cudnn="auto", embedding=False):
    if embedding:
        first, inp = layers.Embedding(20, 4, mask_zero=True, name="emb"), keras.Input(shape=(10,), dtype="int32")
    else:
        first, inp = layers.Masking(0.0, name="mask"), keras.Input(shape=(10, 3))
    model = keras.Sequential([inp, first, layers.LSTM(4, use_cudnn=use_cudnn, name="rnn"), layers.Dense(1)])
    model.compile("adam", "mse")
    return model


def test_left_padding_before_a_mask_is_named_with_the_cudnn_fix():
    assert lh.masking.is_right_padded(np.any(_padded(left=False) != 0, axis=-1))
    d = lh.diagnose(_masked_model(), _padded(left=True), np.zeros((8, 1)))
    text = problems(d)
    assert "7 of 8 sequences in x start with padding" in text and "'mask'" in text
    assert "_is_sequence_right_padded" in text and "keras/src/backend/tensorflow/rnn.py" in text
    assert "padding='post'" in text and "use_cudnn=False" in text and "'rnn'" in text
    assert lh.diagnose(_masked_model(), _padded(left=False), np.zeros((8, 1))).ok
    assert lh.diagnose(_masked_model(use_cudnn=False), _padded(left=True), np.zeros((8, 1))).ok
    no_mask = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(4), layers.Dense(1)])
    no_mask.compile("adam", "mse")
    assert lh.diagnose(no_mask, _padded(left=True), np.zeros((8, 1))).ok


def test_left_padded_token_ids_before_an_embedding_with_mask_zero():
    ids_left = np.array([[0, 0, 0, 3, 4, 5, 6, 7, 8, 9], [0] * 5 + [1, 2, 3, 4, 5]])
    ids_right = ids_left[:, ::-1].copy()
    assert "2 of 2 sequences" in problems(lh.diagnose(_masked_model(embedding=True), ids_left))
    clean = lh.diagnose(_masked_model(embedding=True), ids_right)
    assert clean.ok and "x 10 timesteps accepts x (2, 10)" in " ".join(repr(clean).split())  # token ids
    wrapped = keras.Sequential(
        [keras.Input(shape=(10, 3)), layers.Masking(0.0), layers.Bidirectional(layers.GRU(4), name="bi")]
    )
    assert "use_cudnn=False to the GRU inside 'bi'" in problems(lh.diagnose(wrapped, _padded(left=True)))
    unrolled = keras.Sequential([keras.Input(shape=(10, 3)), layers.Masking(0.0), layers.LSTM(4, unroll=True)])
    assert lh.diagnose(unrolled, _padded(left=True)).ok  # unroll=True never runs on cuDNN


def test_every_printed_line_fits_the_page():
    """Long problems and fixes wrap to 80 characters; a clean report does too."""
    reports = [
        lh.diagnose(classifier(return_sequences=True), X, Y_INT),
        lh.diagnose(_masked_model(), _padded(left=True), np.zeros((8, 1))),
        lh.diagnose(classifier("categorical_crossentropy"), X, Y_INT.astype("float32") + 0.5),
        lh.diagnose(classifier(), X, Y_INT),
    ]
    for report in reports:
        lines = repr(report).splitlines()
        assert max(len(line) for line in lines) <= 80, repr(report)
    first = repr(reports[0]).splitlines()
    assert first[1].startswith("1. the model outputs") and first[-1].startswith("   ")
    assert any(line.startswith("   Fix: set return_sequences=False") for line in first)


def test_a_subclassed_model_is_refused_with_the_way_to_check_it():
    class Classifier(keras.Model):
        def __init__(self):
            super().__init__(name="subclassed")
            self.lstm, self.out = layers.LSTM(4), layers.Dense(4, activation="softmax")

        def call(self, x):
            return self.out(self.lstm(x))

    with pytest.raises(ValueError, match=r"subclassed keras.Model.*lh.trace\(model, x\[:4\]\)"):
        lh.diagnose(Classifier(), X, Y_INT)


# ----------------------------------------------------------------------------------------------
# Models with several inputs: x is the list (or dict) of their arrays
# ----------------------------------------------------------------------------------------------


def _two_inputs(loss="sparse_categorical_crossentropy", masked="frames"):
    """A sequence beside static features (chapter 12): frames -> [Masking] -> LSTM, Concatenate."""
    frames, static = keras.Input(shape=(10, 3), name="frames"), keras.Input(shape=(5,), name="static")
    other = keras.Input(shape=(10, 3), name="other")
    h = layers.Masking(0.0, name="mask")(frames) if masked == "frames" else frames
    g = layers.Masking(0.0, name="mask_other")(other) if masked == "other" else other
    both = layers.Concatenate()([layers.LSTM(4, name="rnn")(h), layers.LSTM(4, name="rnn_other")(g), static])
    model = keras.Model([frames, static, other], layers.Dense(4, activation="softmax")(both))
    model.compile("adam", loss)
    return model


def _arrays(n=64):
    return [X[:n], np.ones((n, 5), "float32"), X[:n]]


def test_several_inputs_are_each_checked_against_their_own_input():
    d = lh.diagnose(_two_inputs(), _arrays(), Y_INT)
    text = " ".join(repr(d).split())
    assert d.ok and "the model input 'frames' (None, 10, 3)" in text and "accepts x[1] (64, 5)" in text
    assert "matches y (64,) for sparse_categorical_crossentropy" in text
    by_name = lh.diagnose(_two_inputs(), dict(zip(["other", "static", "frames"], _arrays()[::-1], strict=True)), Y_INT)
    assert by_name.ok and "accepts x['static'] (64, 5)" in " ".join(repr(by_name).split())
    wrong = _arrays()
    wrong[2] = np.zeros((64, 10, 4), "float32")
    d = lh.diagnose(_two_inputs(), wrong, Y_INT)
    assert len(d) == 1 and d[0].problem.startswith("input 'other' (x[2]): x has 4 features per step")


def test_several_inputs_report_the_labels_once_and_different_sample_counts():
    d = lh.diagnose(_two_inputs("categorical_crossentropy"), _arrays(), Y_INT)
    assert len(d) == 1 and "to_categorical(y, 4)" in problems(d)
    uneven = _arrays()
    uneven[1] = uneven[1][:60]
    assert "different numbers of samples: x[0] 64, x[1] 60, x[2] 64" in problems(lh.diagnose(_two_inputs(), uneven))


def test_several_inputs_in_another_order_or_number():
    arrays = _arrays()
    swapped = lh.diagnose(_two_inputs(), [arrays[1], arrays[0], arrays[2]], Y_INT)
    assert "not in the order of the model's inputs" in problems(swapped)
    assert "'frames' (None, 10, 3), then 'static' (None, 5), then 'other' (None, 10, 3)" in problems(swapped)
    with pytest.raises(ValueError, match=r"has 3 inputs, .* but x is one array\. Fix: pass a list of 3 arrays"):
        lh.diagnose(_two_inputs(), X, Y_INT)
    with pytest.raises(ValueError, match="but x is a list of 2 arrays"):
        lh.diagnose(_two_inputs(), arrays[:2], Y_INT)
    with pytest.raises(ValueError, match="x names the inputs 'frames', 'rest'"):
        lh.diagnose(_two_inputs(), {"frames": X, "rest": X}, Y_INT)


def test_left_padding_is_looked_for_behind_the_mask_of_each_input():
    arrays = _arrays(8)
    arrays[0] = arrays[2] = _padded(left=True)
    on_frames = problems(lh.diagnose(_two_inputs(masked="frames"), arrays, np.zeros(8)))
    assert "input 'frames' (x[0]): 7 of 8 sequences" in on_frames and "'rnn'" in on_frames
    assert "input 'other'" not in on_frames  # its LSTM reads no mask
    on_other = problems(lh.diagnose(_two_inputs(masked="other"), arrays, np.zeros(8)))
    assert "input 'other' (x[2]): 7 of 8 sequences" in on_other and "'mask_other'" in on_other
    assert "input 'frames'" not in on_other
