"""Which versions produced a notebook's outputs: one line for the set-up cell of every chapter."""

from __future__ import annotations

import importlib.metadata
import platform

#: the backend's own package, whose version the line names
BACKEND_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch", "numpy": "numpy"}


def _version(package: str) -> str:
    for name in (package, f"{package}-cpu"):  # tensorflow-cpu installs the module tensorflow
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "(not installed)"


def versions() -> str:
    """The line every chapter prints in its set-up: Keras, its backend, Python and NumPy.

    >>> versions()  # doctest: +SKIP
    'Versions: Keras 3.15.1, backend tensorflow 2.21.0, Python 3.11.7, NumPy 2.4.6'

    The tests keep this line out of nbval's exact comparison (tests/sanitize.cfg): a reader on
    another Python or backend gets another line, and that is not a failure.
    """
    import keras

    backend = keras.backend.backend()
    return (
        f"Versions: Keras {keras.__version__}, backend {backend} "
        f"{_version(BACKEND_PACKAGES.get(backend, backend))}, "
        f"Python {platform.python_version()}, NumPy {_version('numpy')}"
    )
