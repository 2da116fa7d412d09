"""Optimizers, learning-rate schedules, gradient clipping and a learning-rate finder.

>>> import autograd_core as ag
>>> from autograd_core import optim
>>> w = ag.tensor([1.0, -2.0], requires_grad=True)
>>> opt = optim.SGD([w], lr=0.1)
>>> (w * w).sum().backward()
>>> opt.step()
>>> w
tensor([ 0.8, -1.6], requires_grad=True)

The optimizers follow PyTorch's update rules for the same arguments, so a
ported training script follows the same trajectory.  They update the
parameters' arrays in place (NumPy or CuPy alike) without recording a graph.
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .lr_finder import LRFinderResult, find_lr
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler",
           "clip_grad_norm_", "clip_grad_value_", "find_lr", "LRFinderResult"]
