"""Variable-length sequences: a real text corpus of surnames and a check for right-padded masks.

* :func:`load_surnames` -- surnames of several countries/languages, from the lists that the
  `Faker <https://github.com/joke2k/faker>`_ package (MIT License) ships per locale, split into
  train/validation/test without leakage. Task: guess the locale of a surname from its letters.
* :func:`is_right_padded` -- whether a padding mask is "strictly right-padded" (every sequence's
  real steps first, its padding after), the layout Keras's fast cuDNN kernel needs on a GPU.
"""

from __future__ import annotations

import importlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ._validate import _kind, as_array

__all__ = ["SURNAME_LOCALES", "TextDataset", "load_surnames", "is_right_padded"]

#: the default locales of :func:`load_surnames`: five languages written in Latin script
SURNAME_LOCALES: tuple[str, ...] = ("en_US", "fr_FR", "de_DE", "it_IT", "es_ES")

SURNAMES_SOURCE = ("surname lists of the Faker package (faker.providers.person.<locale>.Provider.last_names), "
                   "https://github.com/joke2k/faker")


@dataclass
class TextDataset:
    """Train/validation/test strings with integer labels, as returned by :func:`load_surnames`."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]
    split: str
    source: str
    license: str
    task: str
    #: names removed because they occur (up to case and accents) in more than one locale
    dropped: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"TextDataset({self.name!r}, train {len(self.x_train)}, val {len(self.x_val)}, "
                f"test {len(self.x_test)} strings)")

    def summary(self) -> None:
        """Print the size of each part, the classes with their counts, the split rule, source and license."""
        print(f"{self.name}: {self.task}")
        for part in ("train", "val", "test"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            counts = np.bincount(y, minlength=len(self.class_names))
            print(f"  {part:<5} {len(x):>5} strings, per class: {', '.join(str(int(c)) for c in counts)}")
        lengths = np.array([len(s) for s in np.concatenate([self.x_train, self.x_val, self.x_test])])
        print(f"  lengths: {lengths.min()} to {lengths.max()} characters")
        print(f"  classes ({len(self.class_names)}): {', '.join(self.class_names)}")
        print(f"  split: {self.split}")
        print(f"  source: {self.source}")
        print(f"  license: {self.license}")


def _fold(name: str) -> str:
    """The key two spellings of one name share: lower case, accents removed ('López' -> 'lopez')."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _surnames_of(locale: str) -> list[str]:
    if not isinstance(locale, str):
        raise TypeError(f"each locale must be a string such as 'fr_FR', but got {_kind(locale)} {locale!r}.")
    try:
        module = importlib.import_module(f"faker.providers.person.{locale}")
    except ModuleNotFoundError:
        raise ValueError(f"Faker has no person provider for locale {locale!r}. Fix: use a locale such as "
                         f"{', '.join(repr(l) for l in SURNAME_LOCALES)}.") from None
    names = getattr(module.Provider, "last_names", ())
    # most locales store a tuple or list; some (en_US) an OrderedDict of name -> frequency weight
    names = list(names.keys()) if isinstance(names, dict) else list(names)
    names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    if len(names) < 20:
        raise ValueError(f"Faker's locale {locale!r} ships only {len(names)} surnames, too few to learn from. "
                         "Fix: pick a locale with a real surname list, e.g. 'fr_FR' or 'it_IT'.")
    return names


def load_surnames(locales: Sequence[str] = SURNAME_LOCALES, fractions: Sequence[float] = (0.7, 0.15, 0.15),
                  seed: int = 0) -> TextDataset:
    """Surnames of several locales from the Faker package, split for "which locale is this name from?".

    Each locale's list is de-duplicated (two spellings that differ only in case or accents count
    as one name). A name that occurs in **more than one** locale (e.g. ``Garcia`` in en_US and
    ``García`` in es_ES) has no single right answer, so it is removed from every locale and listed
    in ``dropped``; hence no name can appear in two parts of the split. The rest is split per
    class (stratified) with a seeded shuffle into ``fractions`` of train, validation and test.

    Labels are integers: ``class_names[y]`` is the locale.
    """
    if isinstance(locales, str) or not isinstance(locales, Sequence):
        raise TypeError(f"locales must be a list of locale names such as ['fr_FR', 'it_IT'], but got "
                        f"{_kind(locales)} {locales!r}.")
    locales = list(locales)
    if len(locales) < 2 or len(set(locales)) != len(locales):
        raise ValueError(f"locales must name at least two different locales, but got {locales}. "
                         "Fix: e.g. load_surnames(['fr_FR', 'it_IT']).")
    if len(fractions) != 3 or any(f <= 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must be three positive numbers summing to 1 (train, val, test), "
                         f"but got {tuple(fractions)}. Fix: e.g. fractions=(0.7, 0.15, 0.15).")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, but got {_kind(seed)} {seed!r}.")

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

    rng = np.random.default_rng(seed)
    parts: dict[str, list[tuple[str, int]]] = {"train": [], "val": [], "test": []}
    for label, unique in enumerate(per_locale):
        names = sorted(name for key, name in unique.items() if key not in shared)
        names = [names[i] for i in rng.permutation(len(names))]
        n_train = int(round(fractions[0] * len(names)))
        n_val = int(round(fractions[1] * len(names)))
        parts["train"] += [(n, label) for n in names[:n_train]]
        parts["val"] += [(n, label) for n in names[n_train:n_train + n_val]]
        parts["test"] += [(n, label) for n in names[n_train + n_val:]]
    arrays = {}
    for part, rows in parts.items():
        order = rng.permutation(len(rows))  # mix the classes
        arrays[f"x_{part}"] = np.array([rows[i][0] for i in order], dtype=object)
        arrays[f"y_{part}"] = np.array([rows[i][1] for i in order], dtype="int64")
    return TextDataset(
        name="Surnames", task=f"guess the locale of a surname ({len(locales)} classes) from its letters",
        class_names=locales, dropped=dropped, source=SURNAMES_SOURCE,
        license="MIT License (the Faker package and the lists it ships)",
        split=(f"each locale's unique names shuffled (seed {seed}) and cut {fractions[0]:.0%}/{fractions[1]:.0%}/"
               f"{fractions[2]:.0%} into train/val/test; {len(dropped)} names found in several locales removed"),
        **arrays,
    )


def is_right_padded(mask: Any) -> bool:
    """True when every row of a ``(samples, timesteps)`` mask is real steps first, then padding only.

    That is the layout ``padding="post"`` gives, and the only masked layout Keras's cuDNN kernel
    accepts on a GPU. A row with no real step at all is not right-padded either (cuDNN refuses
    fully masked sequences). ``mask`` may be a NumPy array, a tensor or a nested list of booleans.
    """
    arr = as_array(mask, "mask")
    if arr.ndim != 2:
        raise ValueError(f"mask must be 2-D (samples, timesteps), but has shape {arr.shape}. Fix: pass the mask of "
                         "a batch, e.g. keras.layers.Masking(mask_value=0.0).compute_mask(x), whose shape is "
                         "(samples, timesteps).")
    if arr.dtype != bool:
        if not np.isin(arr, (0, 1)).all():
            raise ValueError("mask must hold booleans (True = real step, False = padding), but it holds other "
                             "values. Fix: pass the mask itself, not the padded data.")
        arr = arr.astype(bool)
    lengths = arr.sum(axis=1)
    expected = np.arange(arr.shape[1])[None, :] < lengths[:, None]
    return bool(np.array_equal(arr, expected) and (lengths > 0).all())
