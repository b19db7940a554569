"""The surname loader (lh.data) (no leakage, determinism, duplicates) and the right-padding check."""

import numpy as np
import pytest

import lstm_helpers as lh
from lstm_helpers.data import _fold


def test_load_surnames_split_is_stratified_and_disjoint():
    ds = lh.data.load_surnames()
    assert ds.class_names == list(lh.data.SURNAME_LOCALES)
    parts = [ds.x_train, ds.x_val, ds.x_test]
    labels = [ds.y_train, ds.y_val, ds.y_test]
    for x, y in zip(parts, labels, strict=False):
        assert x.ndim == 1 and len(x) == len(y) and y.dtype == np.int64
        assert set(np.unique(y)) == set(range(5))  # every class in every part
    keys = [{_fold(n) for n in x} for x in parts]
    assert sum(len(k) for k in keys) == sum(len(x) for x in parts)  # no duplicate anywhere
    assert not (keys[0] & keys[1]) and not (keys[0] & keys[2]) and not (keys[1] & keys[2])
    n = sum(len(x) for x in parts)
    assert abs(len(ds.x_train) / n - 0.7) < 0.01 and abs(len(ds.x_test) / n - 0.15) < 0.01
    # per class, the training share is 70% (stratified)
    for c in range(5):
        total = sum(int((y == c).sum()) for y in labels)
        assert abs((ds.y_train == c).sum() / total - 0.7) < 0.01


def test_load_surnames_drops_names_shared_by_locales():
    ds = lh.data.load_surnames()
    assert ds.dropped, "en_US and es_ES share names such as Garcia"
    kept = {_fold(n) for x in (ds.x_train, ds.x_val, ds.x_test) for n in x}
    assert not kept & {_fold(n) for n in ds.dropped}
    assert "Garcia" in ds.dropped or "García" in ds.dropped
    assert _fold("  López ") == _fold("LOPEZ") == "lopez"


def test_load_surnames_is_deterministic_and_seeded():
    a, b = lh.data.load_surnames(seed=1), lh.data.load_surnames(seed=1)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    c = lh.data.load_surnames(seed=2)
    assert set(a.x_train) != set(c.x_train)
    assert sorted(np.concatenate([a.x_train, a.x_val, a.x_test])) == sorted(
        np.concatenate([c.x_train, c.x_val, c.x_test])
    )


def test_load_surnames_handles_dict_and_tuple_lists(capsys):
    ds = lh.data.load_surnames(["en_US", "fi_FI"], fractions=(0.6, 0.2, 0.2))  # both OrderedDicts in Faker
    assert ds.class_names == ["en_US", "fi_FI"] and len(ds.x_train) > 500
    ds.summary()
    out = capsys.readouterr().out
    assert "classes (2): en_US, fi_FI" in out and "MIT" in out
    assert "TextDataset('Surnames'" in repr(ds)


def test_load_surnames_errors():
    with pytest.raises(TypeError, match="list of locale names"):
        lh.data.load_surnames("fr_FR")
    with pytest.raises(ValueError, match="at least two different"):
        lh.data.load_surnames(["fr_FR", "fr_FR"])
    with pytest.raises(ValueError, match="no person provider"):
        lh.data.load_surnames(["fr_FR", "xx_XX"])
    with pytest.raises(ValueError, match="too few"):
        lh.data.load_surnames(["fr_FR", "pl_PL"])  # Faker's pl_PL ships a placeholder list
    with pytest.raises(ValueError, match="summing to 1"):
        lh.data.load_surnames(fractions=(0.5, 0.5, 0.5))
    with pytest.raises(TypeError, match="seed must be an int"):
        lh.data.load_surnames(seed="0")
    with pytest.raises(TypeError, match="string such as"):
        lh.data.load_surnames(["fr_FR", 3])


def test_is_right_padded():
    assert lh.masking.is_right_padded([[True, True, False], [True, False, False]])
    assert lh.masking.is_right_padded(np.array([[1, 1, 1]]))
    assert not lh.masking.is_right_padded([[False, True, True], [True, True, True]])  # left-padded
    assert not lh.masking.is_right_padded([[True, False, True]])  # a hole
    assert not lh.masking.is_right_padded([[False, False], [True, False]])  # a fully masked row


def test_is_right_padded_agrees_with_keras_masks():
    import keras

    seqs = [[[1.0], [2.0]], [[3.0]]]
    post = keras.utils.pad_sequences(seqs, padding="post", dtype="float32")
    pre = keras.utils.pad_sequences(seqs, padding="pre", dtype="float32")
    masking = keras.layers.Masking(mask_value=0.0)
    assert lh.masking.is_right_padded(masking.compute_mask(post))
    assert not lh.masking.is_right_padded(masking.compute_mask(pre))


def test_is_right_padded_errors():
    with pytest.raises(ValueError, match="2-D"):
        lh.masking.is_right_padded(np.ones((2, 3, 4), dtype=bool))
    with pytest.raises(ValueError, match="booleans"):
        lh.masking.is_right_padded(np.array([[0.5, 0.0]]))
