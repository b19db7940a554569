"""The bidirectional chapter's helpers: the bracket task and its baselines."""

import numpy as np
import pytest

import lstm_helpers as lh


def _labels_by_definition(seq: np.ndarray) -> np.ndarray:
    """Label of each step straight from the definition: on an opening marker, the next marker
    after it (which closes), or any step between them."""
    labels = np.zeros(len(seq), dtype=int)
    for t in range(len(seq)):
        before = [i for i in range(t + 1) if seq[i] != 0]
        after = [j for j in range(t, len(seq)) if seq[j] != 0]
        if not before or not after:
            continue
        i, j = before[-1], after[0]
        if i == j:  # t is a marker: the pair is (t, next) if t opens, (previous, t) if t closes
            if seq[t] == 1:
                nxt = [k for k in range(t + 1, len(seq)) if seq[k] != 0]
                labels[t] = int(bool(nxt) and seq[nxt[0]] == -1)
            else:
                prv = [k for k in range(t) if seq[k] != 0]
                labels[t] = int(bool(prv) and seq[prv[-1]] == 1)
        else:
            labels[t] = int(seq[i] == 1 and seq[j] == -1)
    return labels


def test_bracket_tagging_shapes_values_and_determinism():
    x, y = lh.bidirectional.make_bracket_tagging(50, timesteps=30, seed=3)
    assert x.shape == (50, 30, 1) and y.shape == (50, 30, 1)
    assert x.dtype == np.float32 and np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(x)) <= {-1.0, 0.0, 1.0} and set(np.unique(y)) <= {0, 1}
    x2, y2 = lh.bidirectional.make_bracket_tagging(50, timesteps=30, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = lh.bidirectional.make_bracket_tagging(50, timesteps=30, seed=4)
    assert not np.array_equal(x, x3)


def test_bracket_labels_follow_the_definition():
    x, y = lh.bidirectional.make_bracket_tagging(200, timesteps=25, marker_rate=0.2, seed=0)
    for seq, labels in zip(x[..., 0], y[..., 0], strict=False):
        np.testing.assert_array_equal(labels, _labels_by_definition(seq))


def test_bracket_labels_small_example():
    seq = np.array([0, 1, 0, -1, 0, 1, 1, 0, -1, -1, 1, 0], dtype="float32")
    assert _labels_by_definition(seq).tolist() == [0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0]
    assert lh.bidirectional.bracket_text(seq, {"label": _labels_by_definition(seq)}) == (
        "input  .(.).((.))(.\nlabel  011100111000"
    )


def test_bracket_errors():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        lh.bidirectional.make_bracket_tagging(10, marker_rate=1.5)
    with pytest.raises(TypeError, match="marker_rate"):
        lh.bidirectional.make_bracket_tagging(10, marker_rate="0.1")
    with pytest.raises(ValueError):
        lh.bidirectional.make_bracket_tagging(0)


def test_bracket_text_and_its_errors():
    x, y = lh.bidirectional.make_bracket_tagging(2, timesteps=12, seed=0)
    text = lh.bidirectional.bracket_text(x[0], {"label": y[0], "probabilities": y[0] * 0.9})
    lines = text.splitlines()
    assert len(lines) == 3 and all(len(line) == len(lines[0]) for line in lines)
    assert lines[1].split()[-1] == lines[2].split()[-1]
    with pytest.raises(ValueError, match="ONE sequence"):
        lh.bidirectional.bracket_text(x)
    with pytest.raises(ValueError, match="12 steps"):
        lh.bidirectional.bracket_text(x[0], {"label": y[0, :5]})
    with pytest.raises(ValueError, match="bracket codes"):
        lh.bidirectional.bracket_text(np.full(5, 0.5))


def test_best_causal_guess_and_future_decides():
    x, y = lh.bidirectional.make_bracket_tagging(300, seed=5)
    guess = lh.bidirectional.best_causal_guess(x)
    future = lh.bidirectional.future_decides(x)
    assert guess.shape == y.shape and future.shape == y.shape[:2]
    labels = y[..., 0]
    # where the past decides, the causal guess is always right
    np.testing.assert_array_equal(guess[..., 0][~future], labels[~future])
    # where only the future decides, the guess is 0 and some of those steps are inside
    assert not guess[..., 0][future].any() and labels[future].any()
    # a causal guess beats the majority label, because a closing marker of a pair is known
    assert np.mean(guess == y) > lh.majority_class_accuracy(y, y)
    with pytest.raises(ValueError, match="one feature"):
        lh.bidirectional.future_decides(np.zeros((2, 5, 3)))


def test_plot_tagging():
    x, y = lh.bidirectional.make_bracket_tagging(2, seed=0)
    fig = lh.bidirectional.plot_tagging(x[0], y[0], {"model": y[0] * 0.8}, title="t")
    assert fig.axes[0].get_title() == "t"
    with pytest.raises(TypeError, match="dict"):
        lh.bidirectional.plot_tagging(x[0], y[0], {})
    with pytest.raises(ValueError, match="40 steps"):
        lh.bidirectional.plot_tagging(x[0], y[0], {"model": y[0, :10]})
