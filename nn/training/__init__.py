"""Training loops for ``nn`` models: ``fit``, ``evaluate``, ``predict``, callbacks, metrics.

>>> from autograd_core import nn
>>> model = nn.MLP(784, [128], 10)
>>> history = nn.fit(model, X, y, epochs=3, validation_split=0.1, metrics=["accuracy"],
...                  callbacks=[nn.EarlyStopping(patience=2, restore_best_weights=True)])
>>> nn.evaluate(model, X_test, y_test, metrics=["accuracy"])
{'loss': 0.21..., 'accuracy': 0.93...}
>>> history.plot("curves.png")

The shape follows Keras' ``fit``: a loss and an optimizer by name or object,
``validation_data`` or ``validation_split``, ``metrics``, ``callbacks``, a
:class:`History` back; progress as a tqdm bar on a terminal, one line per
epoch otherwise, nothing with ``verbose=0``.
"""

from . import metrics
from .callbacks import (Callback, CallbackList, CSVLogger, EarlyStopping, LearningRateScheduler,
                        ModelCheckpoint, TerminateOnNaN)
from .fit import evaluate, fit, get_loss, get_optimizer, predict
from .history import History
from .metrics import Metric

__all__ = ["fit", "evaluate", "predict", "get_loss", "get_optimizer", "History", "Callback",
           "CallbackList", "EarlyStopping", "ModelCheckpoint", "LearningRateScheduler",
           "CSVLogger", "TerminateOnNaN", "Metric", "metrics"]
