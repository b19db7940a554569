"""Forecasting helpers: the CO2 loader, the baselines, the error measures and their error messages."""

import numpy as np
import pytest

import lstm_helpers as lh


def test_load_co2_is_the_real_monthly_series():
    s = lh.data.load_co2()
    assert s.values.shape == (526,) and s.values.dtype == np.float32
    assert np.isfinite(s.values).all()
    assert s.time[0] == pytest.approx(1958 + 2 / 12) and s.time[-1] == pytest.approx(2001 + 11 / 12)
    assert 310 < s.values.min() < 320 and 370 < s.values.max() < 375
    assert "Keeling" in s.cite() and "public domain" in s.cite()


def test_naive_forecast_repeats_the_last_value():
    x, y = lh.make_windows(np.arange(10.0), timesteps=3, horizon=2)
    pred = lh.forecasting.naive_forecast(x, horizon=2)
    assert pred.shape == y.shape == (6, 2)
    np.testing.assert_array_equal(pred[:, 0], np.arange(2, 8))
    np.testing.assert_array_equal(pred[:, 1], pred[:, 0])
    # 2-D windows (no feature axis) are accepted
    np.testing.assert_array_equal(lh.forecasting.naive_forecast(x[..., 0]), pred[:, :1])


def test_naive_forecast_picks_the_column():
    series = np.stack([np.arange(10.0), 100 + np.arange(10.0)], axis=1)
    x, _ = lh.make_windows(series, timesteps=4, target_column=1)
    np.testing.assert_array_equal(lh.forecasting.naive_forecast(x, column=1)[:, 0], 100 + np.arange(3, 9))


def test_seasonal_naive_forecast_takes_the_value_one_season_ago():
    series = np.tile([1.0, 2.0, 3.0, 4.0], 5)  # season of 4
    x, y = lh.make_windows(series, timesteps=8, horizon=6)
    pred = lh.forecasting.seasonal_naive_forecast(x, season=4, horizon=6)
    assert pred.shape == y.shape
    np.testing.assert_array_equal(pred, y)  # a purely seasonal series is forecast exactly
    x1, y1 = lh.make_windows(np.arange(20.0), timesteps=5)
    np.testing.assert_array_equal(lh.forecasting.seasonal_naive_forecast(x1, season=5), y1 - 5)


def test_linear_autoregressive_recovers_a_linear_recursion():
    rng = np.random.default_rng(0)
    series = np.zeros(300)
    series[:2] = rng.normal(size=2)
    for t in range(2, 300):
        series[t] = 0.6 * series[t - 1] - 0.3 * series[t - 2] + 1.0 + 0.5 * rng.normal()
    x, y = lh.make_windows(series, timesteps=5)
    model = lh.forecasting.fit_linear_autoregressive(x, y, lags=2)
    np.testing.assert_allclose(model.weights[:, 0], [-0.3, 0.6], atol=0.05)
    np.testing.assert_allclose(model.bias, [1.0], atol=0.1)
    pred = model.predict(x)
    assert pred.shape == (len(x), 1)
    assert lh.metrics.mae(y, pred) < 0.5
    assert "lags=2" in repr(model) and "parameters=3" in repr(model)


def test_linear_autoregressive_multi_step_and_features():
    series = np.stack([np.sin(np.arange(200) / 5), np.cos(np.arange(200) / 5)], axis=1)
    x, y = lh.make_windows(series, timesteps=6, horizon=3)
    model = lh.forecasting.fit_linear_autoregressive(x, y)
    assert model.weights.shape == (12, 3) and model.bias.shape == (3,)
    assert lh.metrics.mae(y, model.predict(x)) < 1e-6


def test_metrics():
    assert lh.metrics.mae([1, 2, 3], [2, 2, 5]) == pytest.approx(1.0)
    assert lh.metrics.rmse([1, 2, 3], [2, 2, 5]) == pytest.approx(np.sqrt(5 / 3))
    assert lh.metrics.mae(np.zeros((4, 1)), np.ones(4)) == 1.0  # shapes may differ, counts may not


def test_errors_name_the_fix():
    x, y = lh.make_windows(np.arange(20.0), timesteps=4)
    with pytest.raises(ValueError, match="make_windows"):
        lh.forecasting.naive_forecast(np.arange(5.0))
    with pytest.raises(TypeError, match="must hold numbers"):
        lh.forecasting.naive_forecast(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="column=2"):
        lh.forecasting.naive_forecast(x, column=2)
    with pytest.raises(TypeError, match="column must be an int"):
        lh.forecasting.naive_forecast(x, column="0")
    with pytest.raises(TypeError, match="horizon must be a positive int"):
        lh.forecasting.naive_forecast(x, horizon=1.5)
    with pytest.raises(ValueError, match="at least 12 timesteps"):
        lh.forecasting.seasonal_naive_forecast(x, season=12)
    with pytest.raises(ValueError, match="one row per window"):
        lh.forecasting.fit_linear_autoregressive(x, y[:-1])
    with pytest.raises(ValueError, match="lags <= 4"):
        lh.forecasting.fit_linear_autoregressive(x, y, lags=5)
    with pytest.raises(ValueError, match="NaN"):
        lh.forecasting.fit_linear_autoregressive(np.where(x > 10, np.nan, x), y)
    model = lh.forecasting.fit_linear_autoregressive(x, y)
    with pytest.raises(ValueError, match="at least 4 timesteps"):
        model.predict(x[:, :2])
    with pytest.raises(ValueError, match="same columns"):
        model.predict(np.concatenate([x, x], axis=2))
    with pytest.raises(ValueError, match="one prediction per target"):
        lh.metrics.mae([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="empty"):
        lh.metrics.rmse([], [])
