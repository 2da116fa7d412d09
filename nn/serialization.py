"""``save`` and ``load``: state dicts in a NumPy ``.npz`` file that never runs code.

The file is a plain zip of ``.npy`` arrays, one per state-dict entry, plus a
format marker ``__autograd_core_format__``.  Loading uses
``numpy.load(allow_pickle=False)``, so a file from an untrusted source cannot
execute anything: object arrays are refused.  Files are written to a temporary
name in the target directory and renamed into place, so a crash never leaves a
half-written model file.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections import OrderedDict

import numpy

from autograd_core import Tensor

from .module import Module

__all__ = ["save", "load", "ModelFileError", "FORMAT_KEY", "FORMAT_VERSION"]

FORMAT_KEY = "__autograd_core_format__"
FORMAT_VERSION = "autograd_core.nn.state_dict/1"


class ModelFileError(ValueError):
    """A file is not a readable autograd-core model file (wrong format, truncated, corrupt)."""


def save(module_or_state, path) -> None:
    """Write a module's ``state_dict()`` (or a state dict) to ``path``.

    Parameters
    ----------
    module_or_state : Module or mapping of name -> Tensor/array
    path : str or PathLike
        Written exactly as given (no extension is added; ``.npz`` is conventional).
    """
    state = module_or_state.state_dict() if isinstance(module_or_state, Module) \
        else module_or_state
    if not hasattr(state, "items"):
        raise TypeError(f"save: expected an nn.Module or a state dict, got "
                        f"{type(module_or_state).__name__}")
    arrays = {}
    for name, value in state.items():
        if not isinstance(name, str) or name == FORMAT_KEY:
            raise ValueError(f"save: invalid state-dict key {name!r}")
        array = value.numpy() if isinstance(value, Tensor) else numpy.asarray(value)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"save: entry '{name}' has dtype {array.dtype}; only numeric "
                            "arrays can be saved")
        arrays[name] = array
    arrays[FORMAT_KEY] = numpy.array(FORMAT_VERSION)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            numpy.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load(path, device=None) -> "OrderedDict[str, Tensor]":
    """Read a state dict written by :func:`save`.

    Returns
    -------
    OrderedDict of name -> Tensor (on ``device``, default the default device), ready
    for ``module.load_state_dict``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ModelFileError
        The file is not an autograd-core model file, is truncated or corrupt, or
        holds pickled objects.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"load: no such file: {path}")
    try:
        archive = numpy.load(path, allow_pickle=False)
        if not hasattr(archive, "files"):  # a bare .npy array
            raise ModelFileError(f"load: {path} holds a single array, not an autograd-core "
                                 "model file")
        with archive:
            names = list(archive.files)
            if FORMAT_KEY not in names:
                raise ModelFileError(f"load: {path} is an .npz file but not an autograd-core "
                                     f"model file (no '{FORMAT_KEY}' entry)")
            marker = str(archive[FORMAT_KEY])
            if marker != FORMAT_VERSION:
                raise ModelFileError(f"load: {path} has format {marker!r}; this version reads "
                                     f"{FORMAT_VERSION!r}")
            arrays = OrderedDict((name, archive[name]) for name in names if name != FORMAT_KEY)
    except ModelFileError:
        raise
    except ValueError as err:
        if "pickle" in str(err):
            raise ModelFileError(f"load: {path} is not an autograd-core model file: NumPy could "
                                 "only read it by unpickling, which is never done (it may "
                                 "run code)") from err
        raise ModelFileError(f"load: cannot read {path} as an autograd-core model file "
                             f"(not an .npz archive, truncated or corrupt): {err}") from err
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as err:
        raise ModelFileError(f"load: cannot read {path} as an autograd-core model file "
                             f"(not an .npz archive, truncated or corrupt): {err}") from err
    except Exception as err:  # zlib.error and other decoder failures on corrupt data
        raise ModelFileError(f"load: {path} is corrupt: {type(err).__name__}: {err}") from err
    state = OrderedDict()
    for name, array in arrays.items():
        if array.dtype.kind not in "biuf":
            raise ModelFileError(f"load: entry '{name}' of {path} has dtype {array.dtype}, "
                                 "not a numeric array")
        state[name] = Tensor(array, device=device)
    return state
