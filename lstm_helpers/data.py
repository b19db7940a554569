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
* **Mauna Loa CO2** (weekly 1958-2001, averaged per month): C. D. Keeling and T. P. Whorf, shipped
  with statsmodels (``statsmodels.datasets.co2``). Public domain.
* **Surnames by locale**: the surname lists that the `Faker <https://github.com/joke2k/faker>`_
  package (MIT License) ships per locale.

Windowing (:func:`make_windows` for one target per window, :func:`make_step_windows` for a target
at every step), the chronological and stratified splits and the :class:`Standardizer` live here too.
"""

from __future__ import annotations

import importlib
import importlib.util
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._text import wrap, wrap_lines
from ._validate import _kind, as_array, as_float_batch, check_fractions, check_positive_int
from .shapes import describe_shape

__all__ = [
    "Series",
    "DataSplits",
    "SequenceDataset",
    "TextDataset",
    "Standardizer",
    "make_windows",
    "make_step_windows",
    "chronological_split",
    "load_sunspots",
    "load_macro",
    "load_co2",
    "load_digits_sequences",
    "load_basic_motions",
    "load_japanese_vowels",
    "load_surnames",
    "SURNAME_LOCALES",
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
        return wrap(
            f"Series({self.name!r}, values {describe_shape(self.values, self._axes())}, "
            f"time {self.time[0]:g}..{self.time[-1]:g})",
            rest="  ",
        )

    def _axes(self) -> tuple[str, ...]:
        return ("timesteps",) if self.values.ndim == 1 else ("timesteps", "features")

    def cite(self) -> str:
        """Source and license, each wrapped to the page width."""
        return wrap_lines(f"Source: {self.source}\nLicense: {self.license}")


@dataclass
class DataSplits:
    """What every data set of the book holds: three parts, the split rule, the task and the citation."""

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

    def cite(self) -> str:
        """Source and license, each wrapped to the page width."""
        return wrap_lines(f"Source: {self.source}\nLicense: {self.license}")


@dataclass
class SequenceDataset(DataSplits):
    """Train/validation/test arrays shaped ``(samples, timesteps, features)`` with their labels."""

    class_names: list[str] = field(default_factory=list)
    feature_names: list[str] = field(default_factory=list)
    scale: dict[str, Any] = field(default_factory=dict)
    #: for variable-length data: the true number of steps of each sample, per part
    lengths: dict[str, np.ndarray] = field(default_factory=dict)

    def __repr__(self) -> str:
        return wrap(
            f"SequenceDataset({self.name!r}, train {self.x_train.shape}, val {self.x_val.shape}, "
            f"test {self.x_test.shape})",
            rest="  ",
        )

    def summary(self) -> None:
        """Print every array's shape in words, the split rule, the task, the source and the license."""
        lines = [f"{self.name}: {self.task}"]
        for part in ("train", "val", "test"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            lines.append(f"  x_{part:<5} {describe_shape(x)}")
            lines.append(f"  y_{part:<5} {describe_shape(y, _label_axes(y))}")
        for part, lengths in self.lengths.items():
            lines.append(f"  lengths ({part}): {lengths.min()} to {lengths.max()} steps, padded with 0 at the end")
        lines.append(f"  split: {self.split}")
        if self.class_names:
            lines.append(f"  classes ({len(self.class_names)}): {', '.join(self.class_names)}")
        lines += [f"  source: {self.source}", f"  license: {self.license}"]
        print(wrap_lines("\n".join(lines)))


def _label_axes(y: np.ndarray) -> tuple[str, ...]:
    return {1: ("labels",), 2: ("samples", "targets"), 3: ("samples", "steps ahead", "targets")}.get(
        y.ndim, tuple(f"axis{i}" for i in range(y.ndim))
    )


@dataclass
class TextDataset(DataSplits):
    """Train/validation/test strings with integer labels, as returned by :func:`load_surnames`."""

    class_names: list[str] = field(default_factory=list)
    #: names removed because they occur (up to case and accents) in more than one locale
    dropped: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"TextDataset({self.name!r}, train {len(self.x_train)}, val {len(self.x_val)}, "
            f"test {len(self.x_test)} strings)"
        )

    def summary(self) -> None:
        """Print the size of each part, the classes with their counts, the split rule, source and license."""
        lines = [f"{self.name}: {self.task}"]
        for part in ("train", "val", "test"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            counts = np.bincount(y, minlength=len(self.class_names))
            lines.append(f"  {part:<5} {len(x):>5} strings, per class: {', '.join(str(int(c)) for c in counts)}")
        lengths = np.array([len(s) for s in np.concatenate([self.x_train, self.x_val, self.x_test])])
        lines.append(f"  lengths: {lengths.min()} to {lengths.max()} characters")
        lines.append(f"  classes ({len(self.class_names)}): {', '.join(self.class_names)}")
        lines += [f"  split: {self.split}", f"  source: {self.source}", f"  license: {self.license}"]
        print(wrap_lines("\n".join(lines)))


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

    >>> x, y = make_windows(np.arange(10.0), timesteps=3)
    >>> x.shape, y.shape
    ((7, 3, 1), (7, 1))
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
        raise ValueError(
            f"target_column={target_column} but the series has {features} column(s). "
            f"Fix: pick a column between 0 and {features - 1}, or None for all."
        )
    if length < timesteps + horizon:
        raise ValueError(
            f"the series has {length} steps, too short for one window of timesteps={timesteps} plus "
            f"horizon={horizon} targets ({timesteps + horizon} steps). Fix: use a shorter window or a "
            "longer series."
        )
    starts = np.arange(0, length - timesteps - horizon + 1, stride)
    x = np.stack([arr[s : s + timesteps] for s in starts])
    y = np.stack([arr[s + timesteps : s + timesteps + horizon] for s in starts])
    if target_column is not None:
        y = y[:, :, target_column]
    return x, y


def make_step_windows(series: Any, timesteps: int, target_column: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into windows with a target at *every* step: the next step's value (many-to-many).

    ``series`` is ``(length,)`` or ``(length, features)``. Window ``i`` holds steps
    ``i .. i+timesteps-1``; its targets are steps ``i+1 .. i+timesteps`` of ``target_column``
    (all columns if ``target_column`` is None), so ``y[i, k]`` is the value one step after
    ``x[i, k]``, and the "last value" forecast of ``y[i, k]`` is ``x[i, k, target_column]``.
    This is the data for a model whose last LSTM keeps ``return_sequences=True``.

    Returns ``x`` of shape ``(samples, timesteps, features)`` and ``y`` of shape
    ``(samples, timesteps, 1)`` (one target column) or ``(samples, timesteps, features)``, where
    ``samples = length - timesteps``. Raises the same errors as :func:`make_windows`.

    >>> x, y = make_step_windows(np.arange(6.0), timesteps=3)
    >>> x.shape, y.shape, y[0, :, 0].tolist()
    ((3, 3, 1), (3, 3, 1), [1.0, 2.0, 3.0])
    """
    # make_windows validates every argument and gives the inputs; the targets are the same
    # windows moved one step later
    x, _ = make_windows(series, timesteps, horizon=1, stride=1, target_column=target_column)
    arr = as_array(series, "series").astype("float32")
    if arr.ndim == 1:
        arr = arr[:, None]
    shifted = np.stack([arr[s + 1 : s + 1 + x.shape[1]] for s in range(len(x))])
    y = shifted if target_column is None else shifted[:, :, [target_column]]
    return x, y


def chronological_split(n: int, fractions: Sequence[float] = (0.7, 0.15, 0.15)) -> tuple[slice, slice, slice]:
    """Slices for train/validation/test in time order (no shuffling, so no future leaks into training).

    >>> chronological_split(100)
    (slice(0, 70, None), slice(70, 85, None), slice(85, 100, None))
    """
    n = check_positive_int(n, "n")
    a, b = _cuts(n, check_fractions(fractions))
    return slice(0, a), slice(a, b), slice(b, n)


def _cuts(n: int, fractions: Sequence[float]) -> tuple[int, int]:
    """Where train ends and validation ends, for ``n`` items cut by ``fractions``."""
    return int(round(n * fractions[0])), int(round(n * (fractions[0] + fractions[1])))


def _stratified_parts(
    y: np.ndarray, rng: np.random.Generator, cuts: Callable[[int], Sequence[int]]
) -> list[np.ndarray]:
    """The one stratified split: each class's indices shuffled and cut at ``cuts(class size)``.

    Returns one index array per part (classes in label order, not yet mixed), so every part
    has the same class balance. The callers shuffle each part themselves.
    """
    pieces: list[list[np.ndarray]] = []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        bounds = [0, *cuts(len(members)), len(members)]
        chunks = [members[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        pieces = pieces or [[] for _ in chunks]
        for part, chunk in zip(pieces, chunks, strict=True):
            part.append(chunk)
    return [np.concatenate(part).astype("int64") for part in pieces]


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
    def fit(cls, x: Any, lengths: Any | None = None) -> Standardizer:
        arr = as_array(x, "x").astype("float64")
        if arr.size == 0:
            raise ValueError("cannot fit a Standardizer on an empty array. Fix: pass the training data.")
        if not np.isfinite(arr).all():
            raise ValueError(
                "x must hold finite numbers, but contains NaN or infinite values. Fix: fill them "
                "(np.nan_to_num, interpolation) before fitting the scaler."
            )
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
            raise ValueError(
                f"the scaler was fitted on {np.shape(self.mean)[0]} features but x has {arr.shape[-1]} "
                f"(shape {arr.shape}). Fix: transform data with the same feature columns."
            )
        out = (arr - self.mean) / self.std
        if lengths is not None:
            out[~_valid_steps(arr, lengths)] = 0.0
        return out.astype("float32")

    def inverse_transform(self, x: Any) -> np.ndarray:
        return (as_array(x, "x").astype("float32") * self.std + self.mean).astype("float32")


def _valid_steps(arr: np.ndarray, lengths: Any) -> np.ndarray:
    lengths = np.asarray(lengths).reshape(-1)
    if arr.ndim != 3 or len(lengths) != arr.shape[0]:
        raise ValueError(
            f"lengths must give one length per sample of a 3-D batch, but the batch has shape "
            f"{arr.shape} and lengths has {len(lengths)} entries. Fix: pass the lengths of the same samples, "
            "e.g. data.lengths['train'] with data.x_train."
        )
    return np.arange(arr.shape[1])[None, :] < lengths[:, None]


# ----------------------------------------------------------------------------------------------
# Real data sets shipped in installed packages
# ----------------------------------------------------------------------------------------------

SUNSPOTS_SOURCE = (
    "Yearly mean total sunspot number 1700-2008, NOAA National Geophysical Data Center; "
    "shipped with statsmodels (statsmodels.datasets.sunspots)"
)
MACRO_SOURCE = (
    "US macroeconomic data, quarterly 1959Q1-2009Q3: Federal Reserve Bank of St. Louis (FRED) "
    "and Bureau of Labor Statistics; shipped with statsmodels (statsmodels.datasets.macrodata)"
)
DIGITS_SOURCE = (
    "E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits, UCI Machine "
    "Learning Repository, 1998, doi:10.24432/C50P49; shipped with scikit-learn "
    "(sklearn.datasets.load_digits)"
)


def load_sunspots() -> Series:
    """Yearly sunspot numbers 1700-2008 (309 values), the raw 1-D series. Public domain.

    >>> load_sunspots().values.shape  # doctest: +SKIP
    (309,)
    """
    from statsmodels.datasets import sunspots

    df = sunspots.load_pandas().data
    return Series(
        "sunspots",
        df["SUNACTIVITY"].to_numpy("float32"),
        df["YEAR"].to_numpy("float32"),
        ["sunspots"],
        "yearly mean sunspot number",
        SUNSPOTS_SOURCE,
        "public domain",
    )


MACRO_COLUMNS = ("realgdp", "realcons", "realinv", "unemp")


def load_macro(columns: Sequence[str] = MACRO_COLUMNS) -> Series:
    """Quarterly US macro data 1959-2009 (203 quarters) with several feature columns. Public domain.

    Default columns: real GDP, real personal consumption, real private investment (billions of
    2005 dollars) and the unemployment rate (percent).

    >>> load_macro().values.shape  # doctest: +SKIP
    (203, 4)
    """
    from statsmodels.datasets import macrodata

    df = macrodata.load_pandas().data
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"unknown column(s) {missing}; the data has {list(df.columns)}. Fix: choose columns from that list."
        )
    time = (df["year"] + (df["quarter"] - 1) / 4).to_numpy("float32")
    return Series(
        "US macro (quarterly)",
        df[list(columns)].to_numpy("float32"),
        time,
        list(columns),
        "billions of 2005 USD; unemp in percent",
        MACRO_SOURCE,
        "public domain",
    )


CO2_SOURCE = (
    "C. D. Keeling and T. P. Whorf (2004), Atmospheric CO2 concentrations derived from flask air "
    "samples at sites in the SIO network, Mauna Loa Observatory, Hawaii; Carbon Dioxide Information "
    "Analysis Center, Oak Ridge National Laboratory; weekly 1958-2001, shipped with statsmodels "
    "(statsmodels.datasets.co2)"
)


def load_co2() -> Series:
    """Monthly mean atmospheric CO2 at Mauna Loa, March 1958 to December 2001 (526 months). Public domain.

    The weekly record shipped with statsmodels has gaps (59 missing weeks). Weekly values are
    averaged per calendar month; the 5 months without any measurement are filled by linear
    interpolation between their neighbours. ``time`` is the decimal year of each month's start
    (1958.0 is January 1958), ``values`` are in parts per million (ppm).

    >>> co2 = load_co2()  # doctest: +SKIP
    >>> co2.values.shape  # doctest: +SKIP
    (526,)
    """
    from statsmodels.datasets import co2

    weekly = co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().interpolate(method="linear")
    time = (monthly.index.year + (monthly.index.month - 1) / 12).to_numpy("float32")
    return Series(
        "Mauna Loa CO2 (monthly)",
        monthly.to_numpy("float32"),
        time,
        ["co2"],
        "parts per million (ppm)",
        CO2_SOURCE,
        "public domain",
    )


def load_digits_sequences(seed: int = 0, fractions: Sequence[float] = (0.6, 0.2, 0.2)) -> SequenceDataset:
    """Handwritten digits read row by row: each 8x8 image is 8 timesteps x 8 features (pixel values).

    1,797 images of the digits 0-9, pixel values scaled from 0..16 to 0..1. The split is
    stratified by class and seeded, so every part has the same class balance. CC BY 4.0.

    >>> load_digits_sequences().summary()  # doctest: +SKIP
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")  # (1797, 8, 8): samples x rows x pixels
    y = digits.target.astype("int64")
    fractions = check_fractions(fractions)
    rng = np.random.default_rng(seed)
    parts = _stratified_parts(y, rng, lambda n: _cuts(n, fractions))
    arrays = {k: rng.permutation(part) for k, part in zip(("train", "val", "test"), parts, strict=True)}
    return SequenceDataset(
        name="digits as sequences",
        task="classify the digit (10 classes) from its 8 pixel rows",
        x_train=x[arrays["train"]],
        y_train=y[arrays["train"]],
        x_val=x[arrays["val"]],
        y_val=y[arrays["val"]],
        x_test=x[arrays["test"]],
        y_test=y[arrays["test"]],
        split=f"stratified random {fractions[0]:.0%}/{fractions[1]:.0%}/{fractions[2]:.0%} (seed {seed})",
        source=DIGITS_SOURCE,
        license="CC BY 4.0",
        class_names=[str(d) for d in range(10)],
        feature_names=[f"pixel {i}" for i in range(8)],
    )


# -- the UEA/UCR ".ts" files shipped inside sktime ------------------------------------------------

BASIC_MOTIONS_SOURCE = (
    "BasicMotions, UEA multivariate time series classification archive: A. Bagnall et al., "
    "The UEA multivariate time series classification archive, 2018, arXiv:1811.00075; "
    "shipped with sktime (sktime/datasets/data/BasicMotions)"
)
BASIC_MOTIONS_LICENSE = (
    "offered freely for research and teaching by the UEA/UCR archive; redistributed with sktime (BSD-3-Clause)"
)
VOWELS_SOURCE = (
    "Japanese Vowels: M. Kudo, J. Toyama and M. Shimbo, Multidimensional curve classification using "
    "passing-through regions, Pattern Recognition Letters 20 (1999) 1103-1111; UCI Machine Learning "
    "Repository, doi:10.24432/C5NS47; shipped with sktime (sktime/datasets/data/JapaneseVowels)"
)


def _sktime_data(name: str, part: str) -> Path:
    """Path of a .ts file shipped with sktime, found without importing sktime (slow to import)."""
    spec = importlib.util.find_spec("sktime")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the {name} data ships with the sktime package, which is not installed. "
            "Fix: pip install sktime (it is in the book's requirements.txt)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / name / f"{name}_{part}.ts"
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing from the installed sktime. Fix: pip install --force-reinstall sktime"
        )
    return path


def read_ts_file(path: str | Path) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """Read a UEA/UCR ``.ts`` file: a list of ``(timesteps, features)`` arrays, labels and class names.

    Handles equal- and unequal-length series; each line holds one series per feature, separated
    by ``:``, with the class label last. Labels become integers in the order of the file's
    ``@classLabel`` line.

    >>> series, labels, classes = read_ts_file("BasicMotions_TRAIN.ts")  # doctest: +SKIP
    """
    classes: list[str] = []
    rows: list[tuple[np.ndarray, str]] = []
    with open(path, encoding="utf-8") as f:
        lines = [line.strip() for line in f]
    lines = [line for line in lines if line and not line.startswith("#")]
    data_at = next((i for i, line in enumerate(lines) if line.lower().startswith("@data")), len(lines))
    for line in lines[:data_at]:
        if line.lower().startswith("@classlabel"):
            classes = line.split()[2:]
    for number, line in enumerate(lines[data_at + 1 :], data_at + 2):
        rows.append(_ts_row(line, path, number))
    if not rows:
        raise ValueError(
            f"{path} holds no series after its @data line. Fix: pass a .ts file of the "
            "UEA/UCR archive, whose series follow a line '@data'."
        )
    index = {c: i for i, c in enumerate(classes)}
    unknown = sorted({label for _, label in rows} - set(index))
    if unknown:
        raise ValueError(
            f"{path} labels series with {unknown}, which its @classLabel line does not list "
            f"(it lists {classes}). Fix: add them to the @classLabel line, or check that the "
            "file is not truncated or edited."
        )
    return [r[0] for r in rows], np.array([index[label] for _, label in rows], dtype="int64"), classes


def _ts_row(line: str, path: str | Path, number: int) -> tuple[np.ndarray, str]:
    """One data line of a ``.ts`` file: its ``(timesteps, features)`` array and its label."""
    *dims, label = line.split(":")
    try:
        channels = [np.array(d.split(","), dtype="float32") for d in dims]
        return np.stack(channels, axis=-1), label
    except ValueError as err:
        raise ValueError(
            f"{path}, line {number}: expected comma-separated numbers per feature, "
            f"':' between features and the label last, but could not read it ({err}). "
            "Fix: repair that line or use the file as shipped with sktime."
        ) from None


def _pad(seqs: list[np.ndarray], length: int) -> np.ndarray:
    out = np.zeros((len(seqs), length, seqs[0].shape[1]), dtype="float32")
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s
    return out


def _stratified_holdout(y: np.ndarray, per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Hold out ``per_class`` samples of every class (the validation part); the rest is for training."""
    per_class = check_positive_int(per_class, "val_per_class")
    rng = np.random.default_rng(seed)
    held, kept = _stratified_parts(y, rng, lambda n: (per_class,))
    return rng.permutation(np.sort(kept)), rng.permutation(held)


def load_basic_motions(val_per_class: int = 2, seed: int = 0) -> SequenceDataset:
    """BasicMotions: 6 smart-watch channels x 100 steps (10 s at 10 Hz), 4 activities.

    The archive's own split is kept: its 40 test recordings are the test set. Of its 40 training
    recordings, ``val_per_class`` per class are held out (stratified, seeded) for validation.

    >>> load_basic_motions().x_test.shape  # doctest: +SKIP
    (40, 100, 6)
    """
    s_tr, y_tr, classes = read_ts_file(_sktime_data("BasicMotions", "TRAIN"))
    s_te, y_te, _ = read_ts_file(_sktime_data("BasicMotions", "TEST"))
    return _archive_dataset(
        np.stack(s_tr),
        y_tr,
        np.stack(s_te),
        y_te,
        val_per_class,
        seed,
        name="BasicMotions",
        task="classify the activity (4 classes) from 10 s of smart-watch motion",
        split=(
            f"the archive's split: its 40 test recordings are the test set; {val_per_class} of its training "
            f"recordings per class held out for validation (seed {seed})"
        ),
        source=BASIC_MOTIONS_SOURCE,
        license=BASIC_MOTIONS_LICENSE,
        class_names=[c.lower() for c in classes],
        feature_names=["accel x", "accel y", "accel z", "gyro x", "gyro y", "gyro z"],
    )


def _archive_dataset(
    x_tr: np.ndarray,
    y_tr: np.ndarray,
    x_te: np.ndarray,
    y_te: np.ndarray,
    val_per_class: int,
    seed: int,
    lengths: tuple[np.ndarray, np.ndarray] | None = None,
    **fields: Any,
) -> SequenceDataset:
    """A UEA/UCR data set with the archive's own test set and a stratified validation holdout."""
    train, val = _stratified_holdout(y_tr, val_per_class, seed)
    parts = {"train": train, "val": val}
    if lengths is not None:
        fields["lengths"] = {**{k: lengths[0][idx] for k, idx in parts.items()}, "test": lengths[1]}
    return SequenceDataset(
        x_train=x_tr[train], y_train=y_tr[train], x_val=x_tr[val], y_val=y_tr[val], x_test=x_te, y_test=y_te, **fields
    )


def load_japanese_vowels(val_per_class: int = 5, seed: int = 0) -> SequenceDataset:
    """Japanese Vowels: 9 speakers, 12 features per step, 7 to 29 steps per utterance.

    Sequences are padded with zeros at the end (``padding="post"``) to the longest length in the
    data (29); ``lengths`` keeps each sample's true length. The archive's split is kept (270
    training, 370 test utterances); ``val_per_class`` training utterances per speaker are held out.

    >>> load_japanese_vowels().x_test.shape  # doctest: +SKIP
    (370, 29, 12)
    """
    s_tr, y_tr, classes = read_ts_file(_sktime_data("JapaneseVowels", "TRAIN"))
    s_te, y_te, _ = read_ts_file(_sktime_data("JapaneseVowels", "TEST"))
    longest = max(len(s) for s in s_tr + s_te)
    len_tr = np.array([len(s) for s in s_tr])
    len_te = np.array([len(s) for s in s_te])
    return _archive_dataset(
        _pad(s_tr, longest),
        y_tr,
        _pad(s_te, longest),
        y_te,
        val_per_class,
        seed,
        lengths=(len_tr, len_te),
        name="Japanese Vowels",
        task="identify the speaker (9 classes) from one utterance of a vowel",
        split=(
            f"the archive's split (270 training, 370 test utterances); {val_per_class} training utterances per "
            f"speaker held out for validation (seed {seed})"
        ),
        source=VOWELS_SOURCE,
        license="CC BY 4.0",
        class_names=[f"speaker {c}" for c in classes],
        feature_names=[f"LPC cepstrum {i + 1}" for i in range(12)],
    )


# -- surnames: the lists that the Faker package ships per locale --------------------------------

#: the default locales of :func:`load_surnames`: five languages written in Latin script
SURNAME_LOCALES: tuple[str, ...] = ("en_US", "fr_FR", "de_DE", "it_IT", "es_ES")

SURNAMES_SOURCE = (
    "surname lists of the Faker package (faker.providers.person.<locale>.Provider.last_names), "
    "https://github.com/joke2k/faker"
)


def _fold(name: str) -> str:
    """The key two spellings of one name share: lower case, accents removed ('López' -> 'lopez')."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _surnames_of(locale: str) -> list[str]:
    if not isinstance(locale, str):
        raise TypeError(
            f"each locale must be a string such as 'fr_FR', but got {_kind(locale)} {locale!r}. "
            "Fix: pass locale names, e.g. ['fr_FR', 'it_IT']."
        )
    try:
        module = importlib.import_module(f"faker.providers.person.{locale}")
    except ModuleNotFoundError:
        raise ValueError(
            f"Faker has no person provider for locale {locale!r}. Fix: use a locale such as "
            f"{', '.join(repr(loc) for loc in SURNAME_LOCALES)}."
        ) from None
    names = getattr(module.Provider, "last_names", ())
    # most locales store a tuple or list; some (en_US) an OrderedDict of name -> frequency weight
    names = list(names.keys()) if isinstance(names, dict) else list(names)
    names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    if len(names) < 20:
        raise ValueError(
            f"Faker's locale {locale!r} ships only {len(names)} surnames, too few to learn from. "
            "Fix: pick a locale with a real surname list, e.g. 'fr_FR' or 'it_IT'."
        )
    return names


def _check_surname_args(locales: Any, fractions: Any, seed: Any) -> tuple[list[str], tuple[float, float, float]]:
    if isinstance(locales, str) or not isinstance(locales, Sequence):
        raise TypeError(
            f"locales must be a list of locale names such as ['fr_FR', 'it_IT'], but got "
            f"{_kind(locales)} {locales!r}. Fix: wrap a single locale in a list with another one."
        )
    locales = list(locales)
    if len(locales) < 2 or len(set(locales)) != len(locales):
        raise ValueError(
            f"locales must name at least two different locales, but got {locales}. "
            "Fix: e.g. load_surnames(['fr_FR', 'it_IT'])."
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, but got {_kind(seed)} {seed!r}. Fix: e.g. seed=0.")
    return locales, check_fractions(fractions)


def _unique_surnames(locales: list[str]) -> tuple[list[list[str]], list[str]]:
    """Each locale's names (one spelling per folded key, sorted) without the names shared by locales."""
    per_locale: list[dict[str, str]] = []
    for locale in locales:
        unique: dict[str, str] = {}
        for name in _surnames_of(locale):
            unique.setdefault(_fold(name), name)  # keep the first spelling of each name
        per_locale.append(unique)
    seen: dict[str, int] = {}
    for unique in per_locale:
        for key in unique:
            seen[key] = seen.get(key, 0) + 1
    shared = {key for key, count in seen.items() if count > 1}
    dropped = sorted({unique[key] for unique in per_locale for key in unique if key in shared})
    kept = [sorted(name for key, name in unique.items() if key not in shared) for unique in per_locale]
    return kept, dropped


def load_surnames(
    locales: Sequence[str] = SURNAME_LOCALES, fractions: Sequence[float] = (0.7, 0.15, 0.15), seed: int = 0
) -> TextDataset:
    """Surnames of several locales from the Faker package, split for "which locale is this name from?".

    Each locale's list is de-duplicated (two spellings that differ only in case or accents count
    as one name). A name that occurs in **more than one** locale (e.g. ``Garcia`` in en_US and
    ``García`` in es_ES) has no single right answer, so it is removed from every locale and listed
    in ``dropped``; hence no name can appear in two parts of the split. The rest is split per
    class (stratified) with a seeded shuffle into ``fractions`` of train, validation and test.

    Labels are integers: ``class_names[y]`` is the locale.

    >>> ds = load_surnames(["fr_FR", "it_IT"])  # doctest: +SKIP
    >>> ds.class_names[ds.y_train[0]], ds.x_train[0]  # doctest: +SKIP
    ('it_IT', 'Bianchi')
    """
    locales, fractions = _check_surname_args(locales, fractions, seed)
    kept, dropped = _unique_surnames(locales)
    names = np.array([name for group in kept for name in group], dtype=object)
    labels = np.concatenate([np.full(len(group), label, dtype="int64") for label, group in enumerate(kept)])
    rng = np.random.default_rng(seed)
    parts = _stratified_parts(
        labels, rng, lambda n: (round(fractions[0] * n), round(fractions[0] * n) + round(fractions[1] * n))
    )
    arrays = {}
    for part, idx in zip(("train", "val", "test"), parts, strict=True):
        idx = rng.permutation(idx)  # mix the classes
        arrays[f"x_{part}"], arrays[f"y_{part}"] = names[idx], labels[idx]
    f_train, f_val, f_test = fractions
    return TextDataset(
        name="Surnames",
        task=f"guess the locale of a surname ({len(locales)} classes) from its letters",
        class_names=locales,
        dropped=dropped,
        source=SURNAMES_SOURCE,
        license="MIT License (the Faker package and the lists it ships)",
        split=(
            f"each locale's unique names shuffled (seed {seed}) and cut {f_train:.0%}/{f_val:.0%}/"
            f"{f_test:.0%} into train/val/test; {len(dropped)} names found in several locales removed"
        ),
        **arrays,
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

    >>> x, y = make_adding_problem(4, timesteps=10)
    >>> x.shape, y.shape
    ((4, 10, 2), (4, 1))
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    timesteps = check_positive_int(timesteps, "timesteps")
    if timesteps < 2:
        raise ValueError(
            f"timesteps must be at least 2 (two marked steps), but got {timesteps}. Fix: pass e.g. timesteps=50."
        )
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
