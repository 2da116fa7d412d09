"""autograd-core: reverse-mode automatic differentiation on NumPy (CPU) and CuPy (GPU).

>>> import autograd_core as ag
>>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
tensor([2., 4., 6.])
"""

from pathlib import Path as _Path

from . import _source_layout
from . import backend, dtypes, ops
from . import linalg  # numpy.linalg's functions, differentiable
from . import _methods  # noqa: F401 - attaches operators and methods to Tensor
from . import numpy_dispatch  # noqa: F401 - attaches the NumPy protocols to Tensor
from .axes import AxisError
from .backend import DeviceError, cupy_available, get_default_device, set_default_device
from .dlpack import from_dlpack
from .blas_threads import get_num_threads, set_num_threads, threads
from .creation import (arange, empty, eye, full, full_like, linspace, normal, ones, ones_like,
                       rand, randint, randn, uniform, zeros, zeros_like)
from .dtypes import (bool_, float16, float32, float64, get_default_dtype, int32, int64,
                     set_default_dtype)
from .engine import grad_of
from .function import Function, ShapeError
from . import checkpoint  # the module, callable: ag.checkpoint(fn, *args)
from .capture import CaptureError, compile  # noqa: A004 - ag.compile, as jax.jit / torch.compile
from .custom import custom_vjp
from .functional import (grad, hessian, hvp, jacfwd, jacobian, jacrev, jvp, linearize,
                         tree_flatten, tree_leaves, tree_map, tree_structure, tree_unflatten,
                         value_and_grad, vjp)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .grad_mode import (detect_anomaly, enable_grad, is_anomaly_enabled, is_grad_enabled,
                        no_grad, set_grad_enabled)
from .graphviz import to_dot
from .ops import *  # noqa: F403 - the op functions are the public API
from .ops import __all__ as _ops_all
from .random import Generator, manual_seed
from .tensor import Tensor, tensor

__version__ = "0.1.0"

_source_layout.install(_Path(__file__).resolve().parent)

_SUBPACKAGES = ("nn", "optim", "datasets")


def __getattr__(name):
    # ``ag.nn`` etc. import on first use, so ``import autograd_core`` stays light and
    # ``nn`` (which imports autograd_core) never makes an import cycle.
    if name in _SUBPACKAGES:
        import importlib  # noqa: PLC0415

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "nn", "optim", "datasets",
    "Tensor", "tensor", "Function", "ShapeError", "DeviceError", "GradcheckError",
    "AxisError",
    "backend", "dtypes", "ops", "linalg",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
    "is_anomaly_enabled",
    "grad", "value_and_grad", "vjp", "jacobian", "hessian", "grad_of",
    "jvp", "linearize", "jacfwd", "jacrev", "hvp", "checkpoint", "custom_vjp",
    "tree_map", "tree_flatten", "tree_unflatten", "tree_leaves", "tree_structure",
    "gradcheck", "gradgradcheck", "to_dot", "from_dlpack", "compile", "CaptureError",
    "threads", "set_num_threads", "get_num_threads",
    "zeros", "ones", "full", "empty", "arange", "linspace", "eye", "zeros_like", "ones_like",
    "full_like", "rand", "randn", "randint", "uniform", "normal",
    "Generator", "manual_seed",
    "float16", "float32", "float64", "int32", "int64", "bool_", "get_default_dtype",
    "set_default_dtype", "get_default_device", "set_default_device", "cupy_available",
    *_ops_all,
]
