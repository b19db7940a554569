"""The environment that quiets TensorFlow and fixes hashing: written once, used by every runner.

``conftest.py`` (the test suite), ``tools/execute_notebooks.py`` and ``tools/time_backends.py``
set these before any kernel starts, so that stored outputs hold no TensorFlow log lines and
``hash()``-dependent orders are the same on every run::

    from lstm_helpers._env import QUIET_ENV
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
"""

from __future__ import annotations

#: TF_CPP_MIN_LOG_LEVEL=3: no C++ log lines; TF_ENABLE_ONEDNN_OPTS=0: no oneDNN notice (and
#: bit-for-bit results); PYTHONHASHSEED=0: the same set and dict orders in every kernel.
QUIET_ENV: dict[str, str] = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONHASHSEED": "0",
}
