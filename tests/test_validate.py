"""Bad input gets a clear error: what was expected, what came, and how to fix it."""

import numpy as np
import pytest

import lstm_helpers as lh


def test_accepts_a_float_batch_and_returns_float32():
    x = np.arange(24, dtype="float64").reshape(2, 3, 4)
    out = lh.as_float_batch(x)
    assert out.dtype == np.float32 and out.shape == (2, 3, 4)


def test_two_d_input_names_the_feature_axis_fix():
    with pytest.raises(ValueError) as err:
        lh.as_float_batch(np.zeros((32, 100)))
    msg = str(err.value)
    assert "(samples, timesteps, features)" in msg
    assert "(32, 100)" in msg
    assert "x[..., None]" in msg and "x.reshape(32, 100, 1)" in msg


def test_one_d_input_suggests_windowing():
    with pytest.raises(ValueError, match=r"make_windows.*reshape\(1, 50, 1\)"):
        lh.as_float_batch(np.zeros(50))


def test_four_d_input_suggests_merging_axes():
    with pytest.raises(ValueError, match=r"reshape\(2, 3, -1\)"):
        lh.as_float_batch(np.zeros((2, 3, 4, 5)))


def test_string_dtype_is_a_type_error_with_astype_fix():
    with pytest.raises(TypeError, match=r"dtype is <U1.*astype\('float32'\)"):
        lh.as_float_batch(np.array([[["a"]]]))


def test_non_array_is_a_type_error():
    with pytest.raises(TypeError, match="got str"):
        lh.as_float_batch("not data")
    with pytest.raises(TypeError, match="got dict"):
        lh.as_float_batch({"x": 1})


def test_empty_batch_is_explained():
    with pytest.raises(ValueError, match=r"empty: shape \(0, 10, 1\).*window longer than the series"):
        lh.as_float_batch(np.zeros((0, 10, 1)))


def test_ragged_batch_points_to_pad_sequences():
    ragged = [[[1.0], [2.0]], [[1.0]]]
    with pytest.raises(ValueError, match=r"ragged.*pad_sequences"):
        lh.as_float_batch(ragged)


def test_nan_is_located_and_fixed():
    x = np.zeros((2, 3, 1), dtype="float32")
    x[1, 2, 0] = np.nan
    with pytest.raises(ValueError) as err:
        lh.as_float_batch(x)
    msg = str(err.value)
    assert "1 NaN" in msg and "(1, 2, 0)" in msg and "nan_to_num" in msg


def test_infinity_is_rejected_too():
    with pytest.raises(ValueError, match="NaN or infinite"):
        lh.as_float_batch(np.full((1, 2, 1), np.inf))


def test_nested_list_is_accepted():
    assert lh.as_float_batch([[[1], [2]], [[3], [4]]]).shape == (2, 2, 1)


def test_complex_is_rejected():
    with pytest.raises(TypeError, match="complex"):
        lh.as_float_batch(np.zeros((1, 2, 1), dtype=complex))
