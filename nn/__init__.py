"""``nn``: modules, layers, losses, initialisers and serialisation on autograd-core.

>>> import autograd_core as ag
>>> from autograd_core import nn
>>> model = nn.MLP(4, [16], 3)
>>> loss = nn.functional.cross_entropy(model(ag.randn(8, 4)), [0, 1, 2, 0, 1, 2, 0, 1])
>>> loss.backward()
>>> nn.save(model, "model.npz"); model.load_state_dict(nn.load("model.npz"))

Conventions: ``Linear`` weights are ``(in_features, out_features)`` so that
``y = x @ W + b``; classes are on axis 1 for losses; every random choice
(initial weights, dropout masks, perceptron shuffling) takes a ``generator``
and otherwise uses the global one seeded by ``autograd_core.manual_seed``.
"""

from . import estimators, functional, init, regularization, training
from .containers import ModuleList, Sequential
from .estimators import MLPClassifier, MLPRegressor
from .layers import *  # noqa: F403 - the layers are the public API
from .layers import __all__ as _layers_all
from .module import IncompatibleKeys, Module, StateDictError
from .onnx_export import OnnxExportError, export_onnx
from .parameter import Parameter
from .regularization import L1, L1L2, L2, ElasticNet, elastic_net_penalty, l1_penalty, l2_penalty
from .serialization import ModelFileError, load, load_into, save
from .summary import summary
from .torch_interop import from_torch_state_dict, to_torch_state_dict
from .training import (Callback, CSVLogger, EarlyStopping, History, LearningRateScheduler,
                       ModelCheckpoint, TerminateOnNaN, evaluate, fit, metrics, predict)

F = functional

# the scikit-learn-style Perceptron is nn.estimators.Perceptron: nn.Perceptron is the layer
__all__ = [
    "Module", "Parameter", "Sequential", "ModuleList", "StateDictError", "IncompatibleKeys",
    "ModelFileError", "save", "load", "summary", "functional", "F", "init", "regularization",
    "l1_penalty", "l2_penalty", "elastic_net_penalty", "L1", "L2", "ElasticNet", "L1L2",
    "training", "metrics", "fit", "evaluate", "predict", "History", "Callback",
    "EarlyStopping", "ModelCheckpoint", "LearningRateScheduler", "CSVLogger", "TerminateOnNaN",
    "estimators", "MLPClassifier", "MLPRegressor",
    "load_into", "to_torch_state_dict", "from_torch_state_dict", "export_onnx",
    "OnnxExportError",
    *_layers_all,
]
