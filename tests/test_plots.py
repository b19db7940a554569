"""Plots draw from real objects and refuse what they cannot draw."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import lstm_helpers as lh


def test_plot_history_panels_per_metric():
    logs = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}
    fig = lh.plot_history(logs)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["loss", "accuracy"]
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["training", "validation"]


def test_plot_history_accepts_history_object():
    class History:
        history = {"loss": [3.0, 2.0, 1.0]}

    fig = lh.plot_history(History())
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()[0].get_xdata()) == 3


def test_plot_history_errors():
    with pytest.raises(TypeError, match="History"):
        lh.plot_history([1, 2])
    with pytest.raises(ValueError, match="not recorded"):
        lh.plot_history({"loss": [1.0]}, metrics=["auc"])


def test_plot_batch_labels_axes():
    fig = lh.plots.plot_batch((32, 100, 6))
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"samples: 32", "timesteps: 100", "features: 6"} <= texts
    assert "(32, 100, 6)" in fig.axes[0].get_title()
    fig = lh.plots.plot_batch(np.zeros((2, 3, 4)))
    assert len(fig.axes[0].patches) == 2 * 3 * 4


def test_plot_batch_rejects_non_3d():
    with pytest.raises(ValueError, match="3-D"):
        lh.plots.plot_batch((10, 3))


def test_plot_confusion_counts_and_accuracy():
    fig = lh.plot_confusion(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), ["a", "b", "c"])
    ax = fig.axes[0]
    assert ax.get_title() == "accuracy 75.0% on 4 samples"
    cells = [t.get_text() for t in ax.texts]
    assert cells == ["1", "1", "0", "0", "1", "0", "0", "0", "1"]


def test_plot_confusion_rejects_probabilities_and_mismatch():
    with pytest.raises(TypeError, match="argmax"):
        lh.plot_confusion(np.array([0, 1]), np.array([0.2, 0.9]))
    with pytest.raises(ValueError, match="2 labels but y_pred has 3"):
        lh.plot_confusion(np.array([0, 1]), np.array([0, 1, 1]))


def test_plot_predictions():
    fig = lh.plot_predictions([1, 2, 3], {"model": [1, 2, 2.5], "naive": [0, 1, 2]}, x=[2000, 2001, 2002])
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["truth", "model", "naive"]
    with pytest.raises(ValueError, match="has 2 values"):
        lh.plot_predictions([1, 2, 3], {"model": [1, 2]})
    with pytest.raises(TypeError, match="dict"):
        lh.plot_predictions([1, 2, 3], [1, 2, 3])


def test_plot_model_labels_real_shapes():
    import keras
    from keras import layers

    model = keras.Sequential(
        [keras.Input(shape=(10, 3)), layers.Bidirectional(layers.LSTM(4)), layers.Dense(2)], name="bi"
    )
    fig = lh.plot_model(model, np.zeros((5, 10, 3), "float32"))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "(5, 10, 3)" in texts and "(5, 8)" in texts and "output (5, 2)" in texts
    assert "forward LSTM" in texts and "backward LSTM" in texts


def test_plot_unrolled_marks_returned_outputs():
    from keras import layers

    x = np.zeros((2, 4, 3), "float32")
    last = lh.plots.plot_unrolled(layers.LSTM(5), x)
    assert any("only the last step's output -> (2, 5)" in t.get_text() for t in last.axes[0].texts)
    every = lh.plots.plot_unrolled(layers.LSTM(5, return_sequences=True), x)
    assert any("every step's output -> (2, 4, 5)" in t.get_text() for t in every.axes[0].texts)
    with pytest.raises(TypeError, match="recurrent layer"):
        lh.plots.plot_unrolled(layers.Dense(3), x)
    with pytest.raises(ValueError, match="3-D"):
        lh.plots.plot_unrolled(layers.LSTM(5), np.zeros((2, 4)))
