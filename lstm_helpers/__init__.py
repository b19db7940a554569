"""Helpers for the book *LSTM Layers in Keras*: data, shapes in words, and plots.

Every chapter imports this package as ``lh``::

    import lstm_helpers as lh
    lh.show_shape(x_train, "x_train")   # x_train: (1078, 8, 8) = 1078 samples x 8 timesteps x 8 features
    lh.trace(model, x_train[:4])        # a table of each layer's actual output shape, in words

Importing it does not import TensorFlow; the functions that need Keras import it when called.
"""

from .data import (
    Series,
    SequenceDataset,
    Standardizer,
    chronological_split,
    load_basic_motions,
    load_digits_sequences,
    load_japanese_vowels,
    load_macro,
    load_sunspot_windows,
    load_sunspots,
    make_adding_problem,
    make_windows,
    read_ts_file,
)
from ._validate import as_float_batch
from . import checks
from .diagnose import Diagnosis, Finding, diagnose
from .metrics import majority_class_accuracy
from .plots import plot_batch, plot_confusion, plot_history, plot_model, plot_predictions, plot_unrolled
from .versions import versions
from .shapes import LayerTrace, LSTMParams, ModelTrace, describe_shape, lstm_param_count, lstm_params, show_shape, trace

# chapter-specific helpers; each module lists its public names in __all__
from .bidirectional import *  # noqa: F401,F403
from .forecasting import *  # noqa: F401,F403
from .masking import *  # noqa: F401,F403
from .seq2seq import *  # noqa: F401,F403
from .stacking import *  # noqa: F401,F403
from .stateful import *  # noqa: F401,F403

__version__ = "0.1.0"

__all__ = [
    "Series",
    "SequenceDataset",
    "Standardizer",
    "LayerTrace",
    "LSTMParams",
    "ModelTrace",
    "as_float_batch",
    "checks",
    "chronological_split",
    "describe_shape",
    "diagnose",
    "Diagnosis",
    "Finding",
    "load_basic_motions",
    "load_digits_sequences",
    "load_japanese_vowels",
    "load_macro",
    "load_sunspot_windows",
    "load_sunspots",
    "lstm_param_count",
    "lstm_params",
    "make_adding_problem",
    "make_windows",
    "read_ts_file",
    "majority_class_accuracy",
    "plot_batch",
    "plot_confusion",
    "plot_predictions",
    "plot_unrolled",
    "plot_history",
    "plot_model",
    "show_shape",
    "trace",
    "versions",
]

# the chapter modules' public names belong to the package's public API too
from . import bidirectional as _bi, forecasting as _fc, masking as _mk  # noqa: E402
from . import seq2seq as _s2, stacking as _st, stateful as _sf  # noqa: E402

__all__ += [name for module in (_bi, _fc, _mk, _s2, _st, _sf) for name in module.__all__]
