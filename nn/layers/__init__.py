"""Layers: each a small ``Module`` in its own file."""

from .activation import (ELU, GELU, SELU, Heaviside, LeakyReLU, LogSoftmax, ReLU, SiLU, Sigmoid,
                         Sign, Softmax, Softplus, Step, Swish, Tanh, get_activation)
from .basic import Flatten, Identity, Lambda
from .batchnorm import BatchNorm1d
from .dropout import Dropout
from .linear import Dense, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss,
                   NLLLoss)
from .mlp import MLP
from .perceptron import TLU, Perceptron

__all__ = [
    "Linear", "Dense", "Identity", "Flatten", "Lambda", "Dropout", "BatchNorm1d", "MLP",
    "TLU", "Perceptron",
    "Heaviside", "Step", "Sign", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "SELU", "GELU",
    "Softplus", "SiLU", "Swish", "Softmax", "LogSoftmax", "get_activation",
    "MSELoss", "L1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss",
    "NLLLoss",
]
