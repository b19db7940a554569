"""Data for the book: seeded synthetic tasks and real data sets that work with no internet.

Every loader returns arrays already shaped ``(samples, timesteps, features)`` plus labels, with
the split and its rule stated in the returned object. The real data sets ship inside installed
packages (scikit-learn, statsmodels), so nothing is downloaded at run time:

* **Sunspots** (yearly mean sunspot numbers, 1700-2008): NOAA National Geophysical Data Center,
  shipped with statsmodels (``statsmodels.datasets.sunspots``). Public domain.
* **US macroeconomic data** (quarterly, 1959-2009): Federal Reserve Bank of St. Louis (FRED) and
  the Bureau of Labor Statistics, compiled in ``statsmodels.datasets.macrodata``. Public domain.
* **Handwritten digits** (8x8 images, 1,797 samples): E. Alpaydin and C. Kaynak, *Optical
  Recognition of Handwritten Digits*, UCI Machine Learning Repository (1998),
  doi:10.24432/C50P49, shipped with scikit-learn (``sklearn.datasets.load_digits``). CC BY 4.0.
* **BasicMotions** (smart-watch accelerometer and gyroscope, 6 channels x 100 steps, 4 activities):
  from the UEA multivariate time series classification archive, A. Bagnall et al. (2018),
  arXiv:1811.00075, shipped with sktime (``sktime/datasets/data``). The archive offers its data
  freely for research and teaching; sktime is BSD-3-Clause.
* **Japanese Vowels** (9 speakers, 12 LPC cepstrum coefficients, 7-29 steps per utterance):
  M. Kudo, J. Toyama and M. Shimbo, *Multidimensional curve classification using passing-through
  regions*, Pattern Recognition Letters 20 (1999) 1103-1111; UCI Machine Learning Repository,
  doi:10.24432/C5NS47, shipped with sktime. CC BY 4.0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ._validate import as_array, as_float_batch, check_positive_int
from .shapes import describe_shape

__all__ = [
    "Series",
    "SequenceDataset",
    "make_windows",
    "chronological_split",
    "Standardizer",
    "load_sunspots",
    "load_macro",
    "load_sunspot_windows",
    "load_digits_sequences",
    "load_basic_motions",
    "load_japanese_vowels",
    "read_ts_file",
    "make_adding_problem",
]


# ----------------------------------------------------------------------------------------------
# Containers
# ----------------------------------------------------------------------------------------------

@dataclass
class Series:
    """A raw time series as it comes from its source: ``values`` is ``(timesteps,)`` or ``(timesteps, features)``."""

    name: str
    values: np.ndarray
    time: np.ndarray
    columns: list[str]
    unit: str
    source: str
    license: str

    def __repr__(self) -> str:
        return (f"Series({self.name!r}, values {describe_shape(self.values, self._axes())}, "
                f"time {self.time[0]:g}..{self.time[-1]:g})")

    def _axes(self) -> tuple[str, ...]:
        return ("timesteps",) if self.values.ndim == 1 else ("timesteps", "features")

    def cite(self) -> str:
        """Source and license, one line each."""
        return f"Source: {self.source}\nLicense: {self.license}"


@dataclass
class SequenceDataset:
    """Train/validation/test arrays shaped ``(samples, timesteps, features)`` with their labels."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    split: str
    source: str
    license: str
    task: str
    class_names: list[str] = field(default_factory=list)
    feature_names: list[str] = field(default_factory=list)
    scale: dict[str, Any] = field(default_factory=dict)
    #: for variable-length data: the true number of steps of each sample, per part
    lengths: dict[str, np.ndarray] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"SequenceDataset({self.name!r}, train {self.x_train.shape}, val {self.x_val.shape}, "
                f"test {self.x_test.shape})")

    def summary(self) -> None:
        """Print every array's shape in words, the split rule, the task, the source and the license."""
        print(f"{self.name}: {self.task}")
        for part in ("train", "val", "test"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            print(f"  x_{part:<5} {describe_shape(x)}")
            print(f"  y_{part:<5} {describe_shape(y, _label_axes(y))}")
        for part, lengths in self.lengths.items():
            print(f"  lengths ({part}): {lengths.min()} to {lengths.max()} steps, padded with 0 at the end")
        print(f"  split: {self.split}")
        if self.class_names:
            print(f"  classes ({len(self.class_names)}): {', '.join(self.class_names)}")
        print(f"  source: {self.source}")
        print(f"  license: {self.license}")


def _label_axes(y: np.ndarray) -> tuple[str, ...]:
    return {1: ("labels",), 2: ("samples", "targets"), 3: ("samples", "steps ahead", "targets")}.get(
        y.ndim, tuple(f"axis{i}" for i in range(y.ndim)))


# ----------------------------------------------------------------------------------------------
# Windowing and splitting
# ----------------------------------------------------------------------------------------------

def make_windows(
    series: Any,
    timesteps: int,
    horizon: int = 1,
    stride: int = 1,
    target_column: int | None = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into overlapping windows for forecasting.

    ``series`` is ``(length,)`` (one feature) or ``(length, features)``. Window ``i`` holds steps
    ``i*stride .. i*stride+timesteps-1`` and its target is the next ``horizon`` values of
    ``target_column`` (all columns if ``target_column`` is None).

    Returns ``x`` of shape ``(samples, timesteps, features)`` and ``y`` of shape
    ``(samples, horizon)`` (one target column) or ``(samples, horizon, features)``, where
    ``samples = (length - timesteps - horizon) // stride + 1``.
    """
    arr = as_array(series, "series")
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"series must be 1-D (length,) or 2-D (length, features), but has shape {arr.shape}. "
            "Fix: pass one long series; make_windows() adds the samples axis itself."
        )
    if arr.ndim == 1:
        arr = arr[:, None]
    arr = as_float_batch(arr[None], "series")[0]
    timesteps = check_positive_int(timesteps, "timesteps")
    horizon = check_positive_int(horizon, "horizon")
    stride = check_positive_int(stride, "stride")
    length, features = arr.shape
    if target_column is not None and not -features <= target_column < features:
        raise ValueError(f"target_column={target_column} but the series has {features} column(s). "
                         f"Fix: pick a column between 0 and {features - 1}, or None for all.")
    if length < timesteps + horizon:
        raise ValueError(
            f"the series has {length} steps, too short for one window of timesteps={timesteps} plus "
            f"horizon={horizon} targets ({timesteps + horizon} steps). Fix: use a shorter window or a "
            "longer series."
        )
    starts = np.arange(0, length - timesteps - horizon + 1, stride)
    x = np.stack([arr[s:s + timesteps] for s in starts])
    y = np.stack([arr[s + timesteps:s + timesteps + horizon] for s in starts])
    if target_column is not None:
        y = y[:, :, target_column]
    return x, y


def chronological_split(n: int, fractions: Sequence[float] = (0.7, 0.15, 0.15)) -> tuple[slice, slice, slice]:
    """Slices for train/validation/test in time order (no shuffling, so no future leaks into training)."""
    n = check_positive_int(n, "n")
    if len(fractions) != 3 or abs(sum(fractions) - 1) > 1e-9 or min(fractions) <= 0:
        raise ValueError(f"fractions must be three positive numbers summing to 1, but got {tuple(fractions)}. "
                         "Fix: e.g. fractions=(0.7, 0.15, 0.15).")
    a = int(round(n * fractions[0]))
    b = int(round(n * (fractions[0] + fractions[1])))
    return slice(0, a), slice(a, b), slice(b, n)


@dataclass
class Standardizer:
    """Per-feature standardisation fitted on the training part only (so nothing leaks from the test part).

    Works on a series ``(length,)``/``(length, features)`` or a batch ``(samples, timesteps, features)``;
    statistics are taken over every axis but the last. For padded batches pass ``lengths`` so that
    padding is ignored when fitting and stays exactly 0 after ``transform``::

        scaler = lh.Standardizer.fit(x_train)
        x_train, x_val, x_test = scaler.transform(x_train), scaler.transform(x_val), scaler.transform(x_test)
    """

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, x: Any, lengths: Any | None = None) -> "Standardizer":
        arr = as_array(x, "x").astype("float64")
        if arr.size == 0:
            raise ValueError("cannot fit a Standardizer on an empty array. Fix: pass the training data.")
        if not np.isfinite(arr).all():
            raise ValueError("x contains NaN or infinite values; fill them before fitting the scaler.")
        if lengths is not None:
            valid = _valid_steps(arr, lengths)
            values = arr[valid]
        else:
            values = arr.reshape(-1, arr.shape[-1]) if arr.ndim > 1 else arr.reshape(-1, 1)
        mean, std = values.mean(axis=0), values.std(axis=0)
        std[std == 0] = 1.0  # a constant feature stays constant instead of becoming NaN
        if arr.ndim == 1:
            mean, std = mean[0], std[0]
        return cls(np.asarray(mean, dtype="float32"), np.asarray(std, dtype="float32"))

    def transform(self, x: Any, lengths: Any | None = None) -> np.ndarray:
        arr = as_array(x, "x").astype("float32")
        if np.ndim(self.mean) and arr.shape[-1] != np.shape(self.mean)[0]:
            raise ValueError(f"the scaler was fitted on {np.shape(self.mean)[0]} features but x has {arr.shape[-1]} "
                             f"(shape {arr.shape}). Fix: transform data with the same feature columns.")
        out = (arr - self.mean) / self.std
        if lengths is not None:
            out[~_valid_steps(arr, lengths)] = 0.0
        return out.astype("float32")

    def inverse_transform(self, x: Any) -> np.ndarray:
        return (as_array(x, "x").astype("float32") * self.std + self.mean).astype("float32")


def _valid_steps(arr: np.ndarray, lengths: Any) -> np.ndarray:
    lengths = np.asarray(lengths).reshape(-1)
    if arr.ndim != 3 or len(lengths) != arr.shape[0]:
        raise ValueError(f"lengths must give one length per sample of a 3-D batch, but the batch has shape "
                         f"{arr.shape} and lengths has {len(lengths)} entries.")
    return np.arange(arr.shape[1])[None, :] < lengths[:, None]


# ----------------------------------------------------------------------------------------------
# Real data sets shipped in installed packages
# ----------------------------------------------------------------------------------------------

SUNSPOTS_SOURCE = ("Yearly mean total sunspot number 1700-2008, NOAA National Geophysical Data Center; "
                   "shipped with statsmodels (statsmodels.datasets.sunspots)")
MACRO_SOURCE = ("US macroeconomic data, quarterly 1959Q1-2009Q3: Federal Reserve Bank of St. Louis (FRED) "
                "and Bureau of Labor Statistics; shipped with statsmodels (statsmodels.datasets.macrodata)")
DIGITS_SOURCE = ("E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits, UCI Machine "
                 "Learning Repository, 1998, doi:10.24432/C50P49; shipped with scikit-learn "
                 "(sklearn.datasets.load_digits)")


def load_sunspots() -> Series:
    """Yearly sunspot numbers 1700-2008 (309 values), the raw 1-D series. Public domain."""
    from statsmodels.datasets import sunspots

    df = sunspots.load_pandas().data
    return Series("sunspots", df["SUNACTIVITY"].to_numpy("float32"), df["YEAR"].to_numpy("float32"),
                  ["sunspots"], "yearly mean sunspot number", SUNSPOTS_SOURCE, "public domain")


MACRO_COLUMNS = ("realgdp", "realcons", "realinv", "unemp")


def load_macro(columns: Sequence[str] = MACRO_COLUMNS) -> Series:
    """Quarterly US macro data 1959-2009 (203 quarters) with several feature columns. Public domain.

    Default columns: real GDP, real personal consumption, real private investment (billions of
    2005 dollars) and the unemployment rate (percent).
    """
    from statsmodels.datasets import macrodata

    df = macrodata.load_pandas().data
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"unknown column(s) {missing}; the data has {list(df.columns)}. "
                         "Fix: choose columns from that list.")
    time = (df["year"] + (df["quarter"] - 1) / 4).to_numpy("float32")
    return Series("US macro (quarterly)", df[list(columns)].to_numpy("float32"), time, list(columns),
                  "billions of 2005 USD; unemp in percent", MACRO_SOURCE, "public domain")


def load_sunspot_windows(timesteps: int = 24, horizon: int = 1,
                         fractions: Sequence[float] = (0.7, 0.15, 0.15)) -> SequenceDataset:
    """Sunspot forecasting windows: the series is split in time order first, then windowed.

    Values are standardised with the training part's mean and standard deviation only (kept in
    ``scale``), so no statistic of the validation or test years leaks into training. Each window
    of ``timesteps`` years predicts the next ``horizon`` years.
    """
    s = load_sunspots()
    train, val, test = chronological_split(len(s.values), fractions)
    mean, std = float(s.values[train].mean()), float(s.values[train].std())
    z = (s.values - mean) / std
    parts = {}
    for name, sl in (("train", train), ("val", val), ("test", test)):
        # each later part may look back `timesteps` years into the previous part for its inputs,
        # but its targets all lie inside the part itself
        lo = sl.start if name == "train" else sl.start - timesteps
        parts[name] = make_windows(z[lo:sl.stop], timesteps, horizon)
    years = s.time
    return SequenceDataset(
        name="sunspots windows", task=f"forecast the next {horizon} year(s) from the previous {timesteps}",
        x_train=parts["train"][0], y_train=parts["train"][1], x_val=parts["val"][0], y_val=parts["val"][1],
        x_test=parts["test"][0], y_test=parts["test"][1],
        split=(f"chronological: targets in {years[train][0]:.0f}-{years[train][-1]:.0f} train, "
               f"{years[val][0]:.0f}-{years[val][-1]:.0f} validation, {years[test][0]:.0f}-{years[test][-1]:.0f} "
               "test; scaled with the training years' mean and std"),
        source=SUNSPOTS_SOURCE, license="public domain", feature_names=["sunspots (standardised)"],
        scale={"mean": mean, "std": std},
    )


def load_digits_sequences(seed: int = 0, fractions: Sequence[float] = (0.6, 0.2, 0.2)) -> SequenceDataset:
    """Handwritten digits read row by row: each 8x8 image is 8 timesteps x 8 features (pixel values).

    1,797 images of the digits 0-9, pixel values scaled from 0..16 to 0..1. The split is
    stratified by class and seeded, so every part has the same class balance. CC BY 4.0.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")  # (1797, 8, 8): samples x rows x pixels
    y = digits.target.astype("int64")
    rng = np.random.default_rng(seed)
    idx = {"train": [], "val": [], "test": []}
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        a = int(round(len(members) * fractions[0]))
        b = int(round(len(members) * (fractions[0] + fractions[1])))
        idx["train"] += list(members[:a])
        idx["val"] += list(members[a:b])
        idx["test"] += list(members[b:])
    arrays = {k: rng.permutation(np.array(v)) for k, v in idx.items()}
    return SequenceDataset(
        name="digits as sequences", task="classify the digit (10 classes) from its 8 pixel rows",
        x_train=x[arrays["train"]], y_train=y[arrays["train"]], x_val=x[arrays["val"]], y_val=y[arrays["val"]],
        x_test=x[arrays["test"]], y_test=y[arrays["test"]],
        split=f"stratified random {fractions[0]:.0%}/{fractions[1]:.0%}/{fractions[2]:.0%} (seed {seed})",
        source=DIGITS_SOURCE, license="CC BY 4.0", class_names=[str(d) for d in range(10)],
        feature_names=[f"pixel {i}" for i in range(8)],
    )


# -- the UEA/UCR ".ts" files shipped inside sktime ------------------------------------------------

BASIC_MOTIONS_SOURCE = ("BasicMotions, UEA multivariate time series classification archive: A. Bagnall et al., "
                        "The UEA multivariate time series classification archive, 2018, arXiv:1811.00075; "
                        "shipped with sktime (sktime/datasets/data/BasicMotions)")
BASIC_MOTIONS_LICENSE = ("offered freely for research and teaching by the UEA/UCR archive; redistributed with "
                         "sktime (BSD-3-Clause)")
VOWELS_SOURCE = ("Japanese Vowels: M. Kudo, J. Toyama and M. Shimbo, Multidimensional curve classification using "
                 "passing-through regions, Pattern Recognition Letters 20 (1999) 1103-1111; UCI Machine Learning "
                 "Repository, doi:10.24432/C5NS47; shipped with sktime (sktime/datasets/data/JapaneseVowels)")


def _sktime_data(name: str, part: str):
    """Path of a .ts file shipped with sktime, found without importing sktime (slow to import)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sktime")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the {name} data ships with the sktime package, which is not installed. "
            "Fix: pip install sktime (it is in the book's requirements.txt).")
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / name / f"{name}_{part}.ts"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing from the installed sktime. Fix: pip install --force-reinstall sktime")
    return path


def read_ts_file(path) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """Read a UEA/UCR ``.ts`` file: a list of ``(timesteps, features)`` arrays, labels and class names.

    Handles equal- and unequal-length series; each line holds one series per feature, separated
    by ``:``, with the class label last.
    """
    series, labels, classes = [], [], []
    in_data = False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not in_data:
                low = line.lower()
                if low.startswith("@classlabel"):
                    classes = line.split()[2:]
                elif low.startswith("@data"):
                    in_data = True
                continue
            *dims, label = line.split(":")
            channels = [np.array(d.split(","), dtype="float32") for d in dims]
            series.append(np.stack(channels, axis=-1))
            labels.append(label)
    if not series:
        raise ValueError(f"{path} holds no series after its @data line.")
    index = {c: i for i, c in enumerate(classes)}
    return series, np.array([index[l] for l in labels], dtype="int64"), classes


def _pad(seqs: list[np.ndarray], length: int) -> np.ndarray:
    out = np.zeros((len(seqs), length, seqs[0].shape[1]), dtype="float32")
    for i, s in enumerate(seqs):
        out[i, :len(s)] = s
    return out


def _stratified_holdout(y: np.ndarray, per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    held = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:per_class] for c in np.unique(y)])
    keep = np.setdiff1d(np.arange(len(y)), held)
    return rng.permutation(keep), rng.permutation(held)


def load_basic_motions(val_per_class: int = 2, seed: int = 0) -> SequenceDataset:
    """BasicMotions: 6 smart-watch channels x 100 steps (10 s at 10 Hz), 4 activities.

    The archive's own split is kept: its 40 test recordings are the test set. Of its 40 training
    recordings, ``val_per_class`` per class are held out (stratified, seeded) for validation.
    """
    x_tr, y_tr, classes = read_ts_file(_sktime_data("BasicMotions", "TRAIN"))
    x_te, y_te, _ = read_ts_file(_sktime_data("BasicMotions", "TEST"))
    x_tr, x_te = np.stack(x_tr), np.stack(x_te)
    train, val = _stratified_holdout(y_tr, val_per_class, seed)
    return SequenceDataset(
        name="BasicMotions", task="classify the activity (4 classes) from 10 s of smart-watch motion",
        x_train=x_tr[train], y_train=y_tr[train], x_val=x_tr[val], y_val=y_tr[val], x_test=x_te, y_test=y_te,
        split=(f"the archive's split: its 40 test recordings are the test set; {val_per_class} of its training "
               f"recordings per class held out for validation (seed {seed})"),
        source=BASIC_MOTIONS_SOURCE, license=BASIC_MOTIONS_LICENSE, class_names=[c.lower() for c in classes],
        feature_names=["accel x", "accel y", "accel z", "gyro x", "gyro y", "gyro z"],
    )


def load_japanese_vowels(val_per_class: int = 5, seed: int = 0) -> SequenceDataset:
    """Japanese Vowels: 9 speakers, 12 features per step, 7 to 29 steps per utterance.

    Sequences are padded with zeros at the end (``padding="post"``) to the longest length in the
    data (29); ``lengths`` keeps each sample's true length. The archive's split is kept (270
    training, 370 test utterances); ``val_per_class`` training utterances per speaker are held out.
    """
    s_tr, y_tr, classes = read_ts_file(_sktime_data("JapaneseVowels", "TRAIN"))
    s_te, y_te, _ = read_ts_file(_sktime_data("JapaneseVowels", "TEST"))
    longest = max(len(s) for s in s_tr + s_te)
    len_tr = np.array([len(s) for s in s_tr])
    len_te = np.array([len(s) for s in s_te])
    x_tr, x_te = _pad(s_tr, longest), _pad(s_te, longest)
    train, val = _stratified_holdout(y_tr, val_per_class, seed)
    return SequenceDataset(
        name="Japanese Vowels", task="identify the speaker (9 classes) from one utterance of a vowel",
        x_train=x_tr[train], y_train=y_tr[train], x_val=x_tr[val], y_val=y_tr[val], x_test=x_te, y_test=y_te,
        split=(f"the archive's split (270 training, 370 test utterances); {val_per_class} training utterances per "
               f"speaker held out for validation (seed {seed})"),
        source=VOWELS_SOURCE, license="CC BY 4.0", class_names=[f"speaker {c}" for c in classes],
        feature_names=[f"LPC cepstrum {i + 1}" for i in range(12)],
        lengths={"train": len_tr[train], "val": len_tr[val], "test": len_te},
    )


# ----------------------------------------------------------------------------------------------
# Seeded synthetic tasks
# ----------------------------------------------------------------------------------------------

def make_adding_problem(n_samples: int, timesteps: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem of Hochreiter and Schmidhuber (1997), in its common two-channel form.

    Each sequence has two features per step: a random value in [0, 1) and a marker that is 1 at
    exactly two steps (one in each half) and 0 elsewhere. The target is the sum of the two marked
    values. Always predicting the mean (1.0) gives a mean squared error of about 1/6 = 0.167.

    Returns ``x`` of shape ``(n_samples, timesteps, 2)`` and ``y`` of shape ``(n_samples, 1)``.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    timesteps = check_positive_int(timesteps, "timesteps")
    if timesteps < 2:
        raise ValueError(f"timesteps must be at least 2 (two marked steps), but got {timesteps}.")
    rng = np.random.default_rng(seed)
    values = rng.random((n_samples, timesteps), dtype=np.float32)
    markers = np.zeros((n_samples, timesteps), dtype=np.float32)
    half = timesteps // 2
    first = rng.integers(0, half, n_samples)
    second = rng.integers(half, timesteps, n_samples)
    rows = np.arange(n_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1)
    y = (values[rows, first] + values[rows, second])[:, None].astype("float32")
    return x, y
