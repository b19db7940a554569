"""Windows with a target at every timestep (the many-to-many data of the stacked-LSTM chapter)."""

import numpy as np
import pytest

import lstm_helpers as lh


def test_make_step_windows_shapes_and_values():
    series = np.arange(10, dtype="float32")
    x, y = lh.make_step_windows(series, timesteps=3)
    assert x.shape == (7, 3, 1) and y.shape == (7, 3, 1)
    assert x.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_array_equal(x[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(y[0, :, 0], [1, 2, 3])
    np.testing.assert_array_equal(y[-1, :, 0], [7, 8, 9])
    # each target is the input one step later
    np.testing.assert_array_equal(y[:, :-1], x[:, 1:])


def test_make_step_windows_last_target_agrees_with_make_windows():
    series = np.random.default_rng(0).normal(size=(40, 3)).astype("float32")
    x, y = lh.make_step_windows(series, timesteps=6, target_column=2)
    wx, wy = lh.make_windows(series, timesteps=6, target_column=2)
    np.testing.assert_array_equal(x, wx)
    np.testing.assert_array_equal(y[:, -1, 0], wy[:, 0])


def test_make_step_windows_all_columns():
    series = np.arange(30, dtype="float32").reshape(10, 3)
    x, y = lh.make_step_windows(series, timesteps=4, target_column=None)
    assert x.shape == (6, 4, 3) and y.shape == (6, 4, 3)
    np.testing.assert_array_equal(y[0, 0], series[1])


def test_make_step_windows_errors():
    with pytest.raises(ValueError, match="too short"):
        lh.make_step_windows(np.zeros(5), timesteps=5)
    with pytest.raises(ValueError, match="1-D"):
        lh.make_step_windows(np.zeros((2, 3, 4)), timesteps=1)
    with pytest.raises(ValueError, match="target_column=3"):
        lh.make_step_windows(np.zeros((10, 3)), timesteps=2, target_column=3)
    with pytest.raises(ValueError, match="NaN"):
        lh.make_step_windows(np.array([1, np.nan, 3, 4]), timesteps=2)
    with pytest.raises(TypeError, match="timesteps must be a positive int"):
        lh.make_step_windows(np.zeros(10), timesteps=2.5)
    with pytest.raises(TypeError, match="array of numbers"):
        lh.make_step_windows("1 2 3", timesteps=1)
