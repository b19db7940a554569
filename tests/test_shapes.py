"""Shapes in words, model traces and LSTM parameter counts."""

import keras
import numpy as np
import pytest
from keras import layers

import lstm_helpers as lh


@pytest.mark.parametrize(
    "shape, words",
    [
        ((32, 100, 50), "(32, 100, 50) = 32 samples x 100 timesteps x 50 features"),
        ((1, 7, 1), "(1, 7, 1) = 1 sample x 7 timesteps x 1 feature"),
        ((None, 100, 50), "(None, 100, 50) = any number of samples x 100 timesteps x 50 features"),
        ((None, None, 3), "(None, None, 3) = any number of samples x any number of timesteps x 3 features"),
        ((32, 64), "(32, 64) = 32 samples x 64 features"),
        ((309,), "(309,) = 309 values"),
        ((), "() = a single number"),
    ],
)
def test_describe_shape(shape, words):
    assert lh.describe_shape(shape) == words


def test_describe_shape_reads_arrays_and_custom_axes():
    assert lh.describe_shape(np.zeros((2, 8, 8))) == "(2, 8, 8) = 2 samples x 8 timesteps x 8 features"
    assert lh.describe_shape((8, 28), axes=("rows", "pixels")) == "(8, 28) = 8 rows x 28 pixels"


def test_describe_shape_rejects_wrong_axes_and_non_arrays():
    with pytest.raises(ValueError, match="expected 3 names, got 2"):
        lh.describe_shape((1, 2, 3), axes=("a", "b"))
    with pytest.raises(TypeError, match="shape tuple"):
        lh.describe_shape(object())


def test_show_shape_prints(capsys):
    lh.show_shape(np.zeros((4, 10, 2)), "x_train")
    assert capsys.readouterr().out == "x_train: (4, 10, 2) = 4 samples x 10 timesteps x 2 features\n"


def test_param_count_formula():
    # 4 gates x (input kernel + recurrent kernel + bias)
    assert lh.shapes.lstm_param_count(64, 50) == 4 * (64 * 50 + 64 * 64 + 64) == 29440
    assert lh.shapes.lstm_param_count(1, 1) == 12
    assert lh.shapes.lstm_param_count(3, 2, use_bias=False) == 4 * (3 * 2 + 3 * 3)
    with pytest.raises(ValueError):
        lh.shapes.lstm_param_count(0, 3)
    with pytest.raises(TypeError):
        lh.shapes.lstm_param_count(2.5, 3)


@pytest.mark.parametrize("units, features", [(8, 3), (64, 50), (1, 1)])
def test_lstm_params_matches_keras(units, features):
    model = keras.Sequential([keras.Input(shape=(5, features)), layers.LSTM(units)])
    p = lh.lstm_params(model.layers[0])
    assert p.total == model.count_params() == lh.shapes.lstm_param_count(units, features)
    assert p.per_gate * 4 == p.total
    out = repr(p)
    assert f"{features} x {units}" in out and "(matches)" in out


def test_lstm_params_bidirectional_doubles():
    model = keras.Sequential([keras.Input(shape=(5, 3)), layers.Bidirectional(layers.LSTM(4))])
    p = lh.lstm_params(model.layers[0])
    assert p.directions == 2 and p.total == 2 * lh.shapes.lstm_param_count(4, 3) == model.count_params()


def test_lstm_params_rejects_other_layers_and_unbuilt():
    with pytest.raises(TypeError, match="LSTM"):
        lh.lstm_params(layers.Dense(3))
    with pytest.raises(ValueError, match="not built"):
        lh.lstm_params(layers.LSTM(3))


def _shapes(rows):
    return {r.name: r.shapes for r in rows}


def test_trace_sequential_stacked():
    x = np.zeros((4, 10, 3), "float32")
    model = keras.Sequential(
        [
            keras.Input(shape=(10, 3)),
            layers.LSTM(8, return_sequences=True, name="l1"),
            layers.LSTM(4, name="l2"),
            layers.Dense(2, name="out"),
        ]
    )
    rows = lh.trace(model, x)
    assert _shapes(rows) == {"l1": [(4, 10, 8)], "l2": [(4, 4)], "out": [(4, 2)]}
    table = str(rows).splitlines()
    assert table[3] == "input" + " " * 8 + "(4, 10, 3) = 4 samples x 10 timesteps x 3 features"
    assert table[4] == " " * 15 + "the sample batch fed to the model"  # each note on the line below
    assert table[-1] == "parameters: 602"
    assert rows[0].note == "one output per timestep" and rows[1].note == "last timestep only"
    assert sum(r.params for r in rows) == model.count_params()


def test_trace_builds_a_sequential_without_input():
    model = keras.Sequential([layers.LSTM(5, name="l")])
    rows = lh.trace(model, np.zeros((2, 7, 3), "float32"))
    assert _shapes(rows) == {"l": [(2, 5)]}


def test_trace_return_state_functional():
    inp = keras.Input(shape=(6, 2))
    out, h, c = layers.LSTM(3, return_state=True, name="enc")(inp)
    model = keras.Model(inp, [out, h, c])
    (row,) = lh.trace(model, np.zeros((5, 6, 2), "float32"))
    assert row.shapes == [(5, 3)] * 3
    assert row.roles == ["output", "state h (last hidden)", "state c (last cell)"]


def test_trace_bidirectional_merge_modes():
    x = np.zeros((2, 4, 3), "float32")
    for mode, width in [("concat", 10), ("sum", 5), ("ave", 5), ("mul", 5)]:
        model = keras.Sequential(
            [keras.Input(shape=(4, 3)), layers.Bidirectional(layers.LSTM(5), merge_mode=mode, name="bi")]
        )
        (row,) = lh.trace(model, x)
        assert row.shapes == [(2, width)] and row.kind == "Bidirectional(LSTM)"
    inp = keras.Input(shape=(4, 3))
    outs = layers.Bidirectional(layers.LSTM(5, return_state=True), merge_mode=None, name="bi")(inp)
    (row,) = lh.trace(keras.Model(inp, outs), x)
    assert row.roles == [
        "forward output",
        "backward output",
        "forward state h",
        "forward state c",
        "backward state h",
        "backward state c",
    ]
    assert row.shapes == [(2, 5)] * 6


def test_trace_embedding_mask_and_time_distributed():
    inp = keras.Input(shape=(None,), dtype="int32")
    e = layers.Embedding(20, 4, mask_zero=True, name="emb")(inp)
    s = layers.LSTM(6, return_sequences=True, name="lstm")(e)
    y = layers.TimeDistributed(layers.Dense(1), name="td")(s)
    model = keras.Model(inp, y)
    rows = lh.trace(model, np.array([[3, 4, 5, 0], [1, 2, 0, 0]]))
    assert _shapes(rows) == {"emb": [(2, 4, 4)], "lstm": [(2, 4, 6)], "td": [(2, 4, 1)]}
    assert rows[0].masked and rows[1].masked
    assert rows[2].kind == "TimeDistributed(Dense)"
    out = repr(rows)
    assert "(2, 4) = 2 samples x 4 timesteps" in out and "integer token ids" in out
    assert "carries a mask" in out


def test_trace_multi_input():
    a, b = keras.Input(shape=(3, 2)), keras.Input(shape=(4,))
    h = layers.LSTM(5, name="l")(a)
    model = keras.Model([a, b], layers.Concatenate(name="cat")([h, b]))
    rows = lh.trace(model, [np.zeros((2, 3, 2), "float32"), np.zeros((2, 4), "float32")])
    assert _shapes(rows) == {"l": [(2, 5)], "cat": [(2, 9)]}


def test_trace_errors_are_clear():
    model = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(2)])
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 10, 3\).*\(4, 10, 5\)"):
        lh.trace(model, np.zeros((4, 10, 5), "float32"))
    with pytest.raises(ValueError, match="at least one sample"):
        lh.trace(model, np.zeros((0, 10, 3), "float32"))
    with pytest.raises(TypeError, match="keras.Model"):
        lh.trace(layers.LSTM(2), np.zeros((1, 10, 3)))
    with pytest.raises(ValueError, match="1 input"):
        lh.trace(model, [np.zeros((1, 10, 3)), np.zeros((1, 10, 3))])


def test_trace_follows_the_models_own_call_of_a_shared_layer():
    enc_in = keras.Input(shape=(5, 3), name="question")
    _, h, c = layers.LSTM(8, return_state=True, name="enc")(enc_in)
    dec = layers.LSTM(8, return_sequences=True, return_state=True, name="dec")
    dense = layers.Dense(2, name="out")
    dec_in = keras.Input(shape=(4, 2))
    seq, _, _ = dec(dec_in, initial_state=[h, c])
    keras.Model([enc_in, dec_in], dense(seq))  # the training model uses dec and dense first
    step_in, s_h, s_c = keras.Input(shape=(1, 2)), keras.Input(shape=(8,)), keras.Input(shape=(8,))
    o, h2, c2 = dec(step_in, initial_state=[s_h, s_c])
    decoder = keras.Model([step_in, s_h, s_c], [dense(o), h2, c2])
    rows = lh.trace(decoder, [np.zeros((3, 1, 2), "float32"), np.zeros((3, 8), "float32"), np.zeros((3, 8), "float32")])
    assert _shapes(rows) == {"dec": [(3, 1, 8), (3, 8), (3, 8)], "out": [(3, 1, 2)]}


def test_trace_of_a_subclassed_model_reports_what_it_returns():
    class TwoHeads(keras.Model):
        def __init__(self):
            super().__init__(name="two_heads")
            self.lstm = layers.LSTM(5, return_sequences=True)
            self.per_step, self.last = layers.Dense(2), layers.Dense(3)

        def call(self, x):
            seq = self.lstm(x)
            return self.per_step(seq), self.last(seq[:, -1])

    model = TwoHeads()
    (row,) = lh.trace(model, np.zeros((4, 6, 2), "float32"))
    assert row.kind == "TwoHeads" and row.shapes == [(4, 6, 2), (4, 3)]
    assert row.params == model.count_params() == lh.shapes.lstm_param_count(5, 2) + 12 + 18
    assert "subclassed keras.Model" in repr(lh.trace(model, np.zeros((1, 6, 2), "float32")))
    with pytest.raises(ValueError, match="subclassed model 'two_heads'.*Fix: pass a batch"):
        lh.trace(model, np.zeros((4, 6, 3), "float32"))


def test_every_line_lh_prints_fits_the_page(capsys):
    """Traces, shapes in words, parameter breakdowns: no printed line wider than 80 characters."""
    inp = keras.Input(shape=(None,), dtype="int32")
    e = layers.Embedding(20, 8, mask_zero=True, name="a_long_embedding_layer_name")(inp)
    h = layers.Bidirectional(layers.LSTM(6, return_sequences=True, return_state=True), merge_mode=None)(e)
    model = keras.Model(inp, h)
    shown = [repr(lh.trace(model, np.array([[3, 4, 5, 0], [1, 2, 0, 0]])))]
    shown.append(repr(lh.lstm_params(model.layers[2])))
    lh.show_shape((None, 1000, 100, 64, 3), "a_rather_long_array_name_for_a_five_dimensional_batch")
    shown.append(capsys.readouterr().out)
    for text in shown:
        assert max(len(line) for line in text.splitlines()) <= 80, text
    assert "(None, 1000, 100, 64, 3)" in shown[-1]  # a shape tuple is never split across lines
