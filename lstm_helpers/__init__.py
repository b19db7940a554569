"""Helpers for the book *LSTM Layers in Keras*: data, shapes in words, plots, checks.

Every chapter imports this package as ``lh``::

    import lstm_helpers as lh
    lh.show_shape(x_train, "x_train")   # x_train: (1078, 8, 8) = 1078 samples x 8 timesteps x 8 features
    lh.trace(model, x_train[:4])        # a table of each layer's actual output shape, in words

The names at the top level are the ones two or more chapters use. Everything else is reached
through its topic module, one module per concern:

* :mod:`lstm_helpers.data`: every loader, the windowing functions, the splits, ``Standardizer``;
* :mod:`lstm_helpers.shapes`: shapes in words, ``trace``, LSTM parameter counts;
* :mod:`lstm_helpers.plots`: every ``plot_*`` function but the chapter-specific ones;
* :mod:`lstm_helpers.metrics`: every score (baselines, forecast errors, string accuracy);
* :mod:`lstm_helpers.diagnosis`: ``diagnose`` and its rules;
* :mod:`lstm_helpers.checks`: the assignments' self-checks;
* one kit per chapter: :mod:`~lstm_helpers.bidirectional`, :mod:`~lstm_helpers.masking`,
  :mod:`~lstm_helpers.seq2seq`, :mod:`~lstm_helpers.stateful`.

Importing it does not import TensorFlow; the functions that need Keras import it when called.
"""

from . import (
    bidirectional,
    checks,
    data,
    diagnosis,
    masking,
    metrics,
    plots,
    seq2seq,
    shapes,
    stateful,
)
from ._validate import as_float_batch
from ._versions import versions
from .data import (
    Standardizer,
    chronological_split,
    load_basic_motions,
    load_digits_sequences,
    load_macro,
    load_sunspots,
    make_step_windows,
    make_windows,
)
from .diagnosis import diagnose
from .metrics import majority_class_accuracy
from .plots import plot_confusion, plot_history, plot_model, plot_predictions
from .shapes import describe_shape, lstm_params, show_shape, trace

__version__ = "0.1.0"

__all__ = [
    # used by two or more chapters
    "Standardizer",
    "as_float_batch",
    "chronological_split",
    "describe_shape",
    "diagnose",
    "load_basic_motions",
    "load_digits_sequences",
    "load_macro",
    "load_sunspots",
    "lstm_params",
    "majority_class_accuracy",
    "make_step_windows",
    "make_windows",
    "plot_confusion",
    "plot_history",
    "plot_model",
    "plot_predictions",
    "show_shape",
    "trace",
    "versions",
    # the topic modules
    "bidirectional",
    "checks",
    "data",
    "diagnosis",
    "masking",
    "metrics",
    "plots",
    "seq2seq",
    "shapes",
    "stateful",
]
