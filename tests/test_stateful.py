"""The stateful batch layout, its inverse, and the switch-series memory task."""

import numpy as np
import pytest

import lstm_helpers as lh


def test_rows_continue_each_other_across_batches():
    x = lh.stateful.stateful_batches(np.arange(24), batch_size=2, timesteps=4)
    assert x.shape == (6, 4, 1)
    # batch 0 = rows 0-1, batch 1 = rows 2-3, batch 2 = rows 4-5; stream 0 is 0..11, stream 1 is 12..23
    np.testing.assert_array_equal(
        x[:, :, 0], [[0, 1, 2, 3], [12, 13, 14, 15], [4, 5, 6, 7], [16, 17, 18, 19], [8, 9, 10, 11], [20, 21, 22, 23]]
    )
    for k in range(2):
        for i in range(2):
            assert x[(k + 1) * 2 + i, 0, 0] == x[k * 2 + i, -1, 0] + 1


def test_features_are_kept_and_the_tail_is_dropped():
    series = np.arange(30, dtype="float32").reshape(15, 2)  # 15 steps, 2 features
    x = lh.stateful.stateful_batches(series, batch_size=2, timesteps=3)
    assert x.shape == (4, 3, 2)  # 15 // 2 = 7 steps per stream -> 2 chunks of 3; 3 steps dropped
    np.testing.assert_array_equal(x[1, 0], series[6])  # stream 1 starts at step 2 * 3 = 6
    assert x.dtype == series.dtype


def test_unbatch_inverts_batches():
    series = np.random.default_rng(0).standard_normal((50, 3))
    x = lh.stateful.stateful_batches(series, batch_size=4, timesteps=5)
    back = lh.stateful.stateful_unbatch(x, batch_size=4)
    assert back.shape == (40, 3)
    np.testing.assert_array_equal(back, series[:40])


def test_batch_size_one_is_plain_chunking():
    x = lh.stateful.stateful_batches(np.arange(10), batch_size=1, timesteps=5)
    np.testing.assert_array_equal(x[:, :, 0], [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]])


@pytest.mark.parametrize(
    "series, kwargs, error, message",
    [
        (np.arange(10), dict(batch_size=4, timesteps=5), ValueError, "too short"),
        (np.zeros((2, 5, 1)), dict(batch_size=1, timesteps=5), ValueError, "one long series"),
        (np.arange(10), dict(batch_size=0, timesteps=5), ValueError, "batch_size must be a positive int"),
        (np.arange(10), dict(batch_size=2, timesteps=2.5), TypeError, "timesteps must be a positive int"),
        (np.array(["a", "b"]), dict(batch_size=1, timesteps=1), TypeError, "must hold numbers"),
        ("abc", dict(batch_size=1, timesteps=1), TypeError, "array of numbers"),
    ],
)
def test_batches_reject_bad_input(series, kwargs, error, message):
    with pytest.raises(error, match=message):
        lh.stateful.stateful_batches(series, **kwargs)


def test_unbatch_rejects_bad_input():
    with pytest.raises(ValueError, match="must be 3-D"):
        lh.stateful.stateful_unbatch(np.zeros((4, 5)), batch_size=2)
    with pytest.raises(ValueError, match="not a positive multiple of batch_size=4"):
        lh.stateful.stateful_unbatch(np.zeros((6, 5, 1)), batch_size=4)
    with pytest.raises(TypeError, match="batch_size must be a positive int"):
        lh.stateful.stateful_unbatch(np.zeros((6, 5, 1)), batch_size="2")


def test_switch_series_marks_every_switch_and_holds_the_mode():
    x, y = lh.stateful.make_switch_series(2000, min_gap=10, max_gap=30, noise=0.2, seed=3)
    assert x.shape == (2000, 1) and x.dtype == np.float32
    assert y.shape == (2000,) and y.dtype == np.int64
    pulses = np.flatnonzero(np.abs(x[:, 0]) == 1.0)
    assert pulses[0] == 0
    gaps = np.diff(pulses)
    assert gaps.min() >= 10 and gaps.max() <= 30
    # the mode equals the sign of the last pulse at every step
    last = pulses[np.searchsorted(pulses, np.arange(2000), side="right") - 1]
    np.testing.assert_array_equal(y, (x[last, 0] > 0).astype("int64"))
    assert 0.35 < y.mean() < 0.65
    assert np.abs(np.delete(x[:, 0], pulses)).max() < 1.0  # noise never looks like a pulse here


def test_switch_series_is_seeded():
    a = lh.stateful.make_switch_series(500, seed=1)
    b = lh.stateful.make_switch_series(500, seed=1)
    c = lh.stateful.make_switch_series(500, seed=2)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(length=100, min_gap=20, max_gap=10), "max_gap must be >= min_gap"),
        (dict(length=100, noise=0.7), r"noise must be in \[0, 0.5\)"),
        (dict(length=100, noise=-0.1), r"noise must be in \[0, 0.5\)"),
        (dict(length=0), "length must be a positive int"),
    ],
)
def test_switch_series_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lh.stateful.make_switch_series(**kwargs)
