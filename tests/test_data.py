"""Data generators and loaders: shapes, splits without leakage, determinism, citations."""

import numpy as np
import pytest

import lstm_helpers as lh


def test_make_windows_shapes_and_values():
    series = np.arange(10, dtype="float32")
    x, y = lh.make_windows(series, timesteps=3)
    assert x.shape == (7, 3, 1) and y.shape == (7, 1)
    np.testing.assert_array_equal(x[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(y[:, 0], np.arange(3, 10))
    x, y = lh.make_windows(series, timesteps=4, horizon=2, stride=2)
    assert x.shape == (3, 4, 1) and y.shape == (3, 2)
    np.testing.assert_array_equal(y[-1], [8, 9])


def test_make_windows_agrees_with_keras_timeseries_dataset():
    import keras

    series = np.arange(40, dtype="float32").reshape(20, 2)
    x, y = lh.make_windows(series, timesteps=5, target_column=0)
    ds = keras.utils.timeseries_dataset_from_array(
        series[:-1], series[5:, 0], sequence_length=5, batch_size=100, shuffle=False
    )
    kx, ky = next(iter(ds))
    np.testing.assert_array_equal(x, kx.numpy())
    np.testing.assert_array_equal(y[:, 0], ky.numpy())


def test_make_windows_multi_feature_targets():
    series = np.arange(30, dtype="float32").reshape(10, 3)
    x, y = lh.make_windows(series, timesteps=4, horizon=2, target_column=None)
    assert x.shape == (5, 4, 3) and y.shape == (5, 2, 3)


@pytest.mark.parametrize("windows", [lh.make_windows, lh.make_step_windows])
@pytest.mark.parametrize(
    ("error", "match", "series", "kwargs"),
    [
        (ValueError, "too short", np.zeros(5), {"timesteps": 5}),
        (ValueError, "1-D", np.zeros((2, 3, 4)), {"timesteps": 1}),
        (ValueError, "target_column=3", np.zeros((10, 3)), {"timesteps": 2, "target_column": 3}),
        (ValueError, "NaN", np.array([1, np.nan, 3, 4]), {"timesteps": 2}),
        (TypeError, "timesteps must be a positive int", np.zeros(10), {"timesteps": 2.5}),
        (TypeError, "array of numbers", "1 2 3", {"timesteps": 1}),
    ],
)
def test_windowing_errors(windows, error, match, series, kwargs):
    with pytest.raises(error, match=match):
        windows(series, **kwargs)


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


def test_chronological_split():
    a, b, c = lh.chronological_split(100)
    assert (a.start, a.stop, b.stop, c.stop) == (0, 70, 85, 100)
    with pytest.raises(ValueError, match="summing to 1"):
        lh.chronological_split(10, (0.5, 0.5, 0.5))


def test_load_sunspots_is_the_real_series():
    s = lh.load_sunspots()
    assert s.values.shape == (309,) and s.values.dtype == np.float32
    assert s.time[0] == 1700 and s.time[-1] == 2008
    assert s.values[0] == 5.0  # 1700: 5.0 in the NOAA table
    assert "public domain" in s.cite()


def test_load_macro_columns():
    m = lh.load_macro()
    assert m.values.shape == (203, 4) and m.columns == ["realgdp", "realcons", "realinv", "unemp"]
    with pytest.raises(ValueError, match="unknown column"):
        lh.load_macro(["gdp"])


def test_digits_sequences_stratified_and_deterministic(capsys):
    d = lh.load_digits_sequences()
    assert d.x_train.shape[1:] == (8, 8) and 0 <= d.x_train.min() and d.x_train.max() <= 1
    assert len(d.y_train) + len(d.y_val) + len(d.y_test) == 1797
    counts = np.bincount(d.y_test, minlength=10)
    assert counts.min() >= 35  # every class in the test part, balanced
    again = lh.load_digits_sequences()
    np.testing.assert_array_equal(d.y_train, again.y_train)
    d.summary()
    out = capsys.readouterr().out
    assert "CC BY 4.0" in out and "x_test  (359, 8, 8)" in out


def test_adding_problem():
    x, y = lh.data.make_adding_problem(1000, 50, seed=1)
    assert x.shape == (1000, 50, 2) and y.shape == (1000, 1)
    assert (x[:, :, 1].sum(axis=1) == 2).all()
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(axis=1), rtol=1e-6)
    # predicting the mean gives about 1/6
    assert abs(np.mean((y - y.mean()) ** 2) - 1 / 6) < 0.02
    np.testing.assert_array_equal(x, lh.data.make_adding_problem(1000, 50, seed=1)[0])
    with pytest.raises(ValueError):
        lh.data.make_adding_problem(10, 1)


def test_majority_class_accuracy():
    assert lh.majority_class_accuracy([0, 1, 1], [1, 1, 0, 0]) == 0.5
    with pytest.raises(TypeError, match="argmax"):
        lh.majority_class_accuracy(np.eye(3), [0, 1])
    with pytest.raises(ValueError):
        lh.majority_class_accuracy([], [0])


def test_basic_motions_keeps_the_archive_split():
    d = lh.load_basic_motions()
    assert d.x_train.shape == (32, 100, 6) and d.x_val.shape == (8, 100, 6) and d.x_test.shape == (40, 100, 6)
    assert d.class_names == ["standing", "running", "walking", "badminton"]
    assert np.bincount(d.y_test).tolist() == [10, 10, 10, 10]
    assert np.bincount(d.y_val).tolist() == [2, 2, 2, 2]


def test_japanese_vowels_padding_and_lengths():
    d = lh.data.load_japanese_vowels()
    assert d.x_train.shape[1:] == (29, 12)
    assert len(d.y_train) + len(d.y_val) == 270 and len(d.y_test) == 370
    for part in ("train", "val", "test"):
        x, lengths = getattr(d, f"x_{part}"), d.lengths[part]
        assert lengths.min() >= 7 and lengths.max() <= 29
        # post-padding: every step after the true length is all zeros, the last real step is not
        steps = np.arange(29)[None, :]
        assert np.all(x[steps >= lengths[:, None]] == 0)
        assert np.all(np.abs(x[np.arange(len(x)), lengths - 1]).sum(axis=-1) > 0)


def test_read_ts_file_errors(tmp_path):
    path = tmp_path / "empty.ts"
    path.write_text("@problemName x\n@classLabel true a b\n@data\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no series"):
        lh.data.read_ts_file(path)
    path.write_text("@classLabel true a b\n@data\n1,2,3:4,5,6:b\n1,2:3,4:a\n", encoding="utf-8")
    series, labels, classes = lh.data.read_ts_file(path)
    assert [s.shape for s in series] == [(3, 2), (2, 2)] and labels.tolist() == [1, 0] and classes == ["a", "b"]
    # an unknown label or a broken line is named, with the fix (not a bare KeyError or ValueError)
    path.write_text("@classLabel true a b\n@data\n1,2:3,4:c\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"\['c'\].*@classLabel.*Fix:"):
        lh.data.read_ts_file(path)
    path.write_text("@classLabel true a b\n@data\n1,x:3,4:a\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3.*Fix:"):
        lh.data.read_ts_file(path)


def test_every_error_message_names_the_fix():
    """The package's message rule: what was expected, what came, and the fix."""
    cases = [
        (lambda: lh.data.make_adding_problem(4, timesteps=1), ValueError),
        (lambda: lh.Standardizer.fit(np.array([1.0, np.nan])), ValueError),
        (lambda: lh.majority_class_accuracy([], [1]), ValueError),
        (lambda: lh.plot_predictions([1, 2], {"a": [1, 2]}, x=[1]), ValueError),
        (lambda: lh.plot_predictions([1, 2], []), TypeError),
        (lambda: lh.seq2seq.make_addition_problems(3, max_digits=5), ValueError),
        (lambda: lh.chronological_split(10, (0.5, 0.5)), ValueError),
    ]
    for call, error in cases:
        with pytest.raises(error, match="Fix:"):
            call()


def test_standardizer_fits_on_training_data_only():
    rng = np.random.default_rng(0)
    train = rng.normal(5, 2, (50, 10, 3)).astype("float32")
    test = rng.normal(50, 2, (5, 10, 3)).astype("float32")
    scaler = lh.Standardizer.fit(train)
    z = scaler.transform(train)
    np.testing.assert_allclose(z.reshape(-1, 3).mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(z.reshape(-1, 3).std(axis=0), 1, atol=1e-3)
    assert scaler.transform(test).mean() > 10  # the test part is not re-centred: no leakage
    np.testing.assert_allclose(scaler.inverse_transform(z), train, rtol=1e-4)
    with pytest.raises(ValueError, match="fitted on 3 features"):
        scaler.transform(np.zeros((1, 10, 4)))


def test_standardizer_ignores_padding():
    x = np.zeros((2, 4, 1), "float32")
    x[0, :2, 0] = [1, 3]
    x[1, :3, 0] = [1, 3, 2]
    scaler = lh.Standardizer.fit(x, lengths=[2, 3])
    assert scaler.mean[0] == pytest.approx(2.0)
    z = scaler.transform(x, lengths=[2, 3])
    assert z[0, 2:, 0].tolist() == [0, 0] and z[1, 3, 0] == 0
    one_d = lh.Standardizer.fit(np.array([1.0, 3.0]))
    assert one_d.transform(np.array([3.0])).tolist() == [1.0]
    with pytest.raises(ValueError, match="one length per sample"):
        lh.Standardizer.fit(x, lengths=[1])


def test_every_description_fits_the_page(capsys):
    """Summaries, citations and reprs of the data sets wrap to 80 characters (no sideways scrolling)."""
    shown = []
    for load in (lh.load_basic_motions, lh.data.load_japanese_vowels, lh.load_digits_sequences):
        data = load()
        data.summary()
        shown += [capsys.readouterr().out, data.cite(), repr(data)]
    surnames = lh.data.load_surnames()
    surnames.summary()
    shown += [capsys.readouterr().out, repr(surnames)]
    for series in (lh.load_sunspots(), lh.load_macro(), lh.data.load_co2()):
        shown += [series.cite(), repr(series)]
    for text in shown:
        assert max(len(line) for line in text.splitlines()) <= 80, text
    motions = lh.load_basic_motions()
    assert " ".join(motions.cite().split()) == f"Source: {motions.source} License: {motions.license}"
