"""``save``, ``load`` and ``load_into``: state dicts in a NumPy ``.npz`` file that never runs code.

``nn.load(path)`` returns the state dict that was saved (not a model);
``nn.load_into(model, path)`` loads a saved module state straight into ``model``.

The file is a plain zip of ``.npy`` arrays, one per state-dict entry, plus a
format marker ``__autograd_core_format__``.  A nested state (an optimizer's
``state_dict()``: hyperparameters, strings, per-parameter dicts) is stored as
its arrays plus a JSON outline of the rest (format ``TREE_FORMAT_VERSION``,
see ``nn/_state_tree.py``).  A path ending in ``.safetensors`` is written and
read in the safetensors format instead (``nn/safetensors_format.py``).  Loading uses
``numpy.load(allow_pickle=False)``, so a file from an untrusted source cannot
execute anything: object arrays are refused.  Files are written to a temporary
name in the target directory and renamed into place, so a crash never leaves a
half-written model file; the temporary a killed save leaves behind is removed by the
next save to the same path.
"""

from __future__ import annotations

import os
import zipfile
from collections import OrderedDict
from collections.abc import Mapping

import numpy

from autograd_core import Tensor
from autograd_core._tempfiles import temporary_beside

from . import _state_tree
from .module import Module

__all__ = ["save", "load", "load_into", "ModelFileError", "FORMAT_KEY", "FORMAT_VERSION",
           "TREE_FORMAT_VERSION"]

FORMAT_KEY = "__autograd_core_format__"
FORMAT_VERSION = "autograd_core.nn.state_dict/1"
TREE_FORMAT_VERSION = "autograd_core.state_tree/1"
_OUTLINE_KEY = "__autograd_core_outline__"


class ModelFileError(ValueError):
    """A file is not a readable autograd-core model file (wrong format, truncated, corrupt)."""


def save(module_or_state, path) -> None:
    """Write a module's ``state_dict()`` (or any state dict) to ``path``.

    Parameters
    ----------
    module_or_state : Module, Optimizer, or a state dict
        Anything with a ``state_dict()`` method (a module, an optimizer, a
        scheduler) is saved through it.  A flat mapping of name -> Tensor/array
        (a module's state) is stored one array per entry; a nested state such as
        ``optimizer.state_dict()`` is stored as its arrays plus a JSON outline.
    path : str or PathLike
        Written exactly as given (no extension is added; ``.npz`` is
        conventional).  A name ending in ``.safetensors`` writes the
        safetensors format (needs the ``safetensors`` package: ``pip install
        autograd-core[safetensors]``; flat module states only).
    """
    state = module_or_state.state_dict() if callable(getattr(module_or_state, "state_dict",
                                                             None)) else module_or_state
    if not hasattr(state, "items"):
        raise TypeError(f"save: expected an nn.Module, an optimizer or a state dict, got "
                        f"{type(module_or_state).__name__}")
    path = os.fspath(path)
    if _is_safetensors(path):
        from .safetensors_format import state_to_bytes  # noqa: PLC0415 - optional package

        data = state_to_bytes(state)
        _write_atomically(path, ".safetensors", lambda f: f.write(data))
        return
    arrays = _flat_arrays(state) if _is_flat(state) else _tree_arrays(state)
    _write_atomically(path, ".npz", lambda f: numpy.savez(f, **arrays))


def _is_safetensors(path) -> bool:
    return os.fspath(path).lower().endswith(".safetensors")


def _is_flat(state) -> bool:
    """A module-style state: string keys, each value one array (not a container or text)."""
    return all(isinstance(name, str) and not isinstance(value, (Mapping, list, tuple, str))
               and value is not None for name, value in state.items())


def _flat_arrays(state) -> dict:
    arrays = {}
    for name, value in state.items():
        if name in (FORMAT_KEY, _OUTLINE_KEY):
            raise ValueError(f"save: invalid state-dict key {name!r}")
        array = value.numpy() if isinstance(value, Tensor) else numpy.asarray(value)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"save: entry '{name}' has dtype {array.dtype}; only numeric "
                            "arrays can be saved")
        arrays[name] = array
    arrays[FORMAT_KEY] = numpy.array(FORMAT_VERSION)
    return arrays


def _tree_arrays(state) -> dict:
    outline, arrays = _state_tree.pack(state)
    arrays[_OUTLINE_KEY] = numpy.array(outline)
    arrays[FORMAT_KEY] = numpy.array(TREE_FORMAT_VERSION)
    return arrays


def _write_atomically(path, suffix, write) -> None:
    """Write through ``write(file)`` to a temporary name beside ``path``, then rename.

    The temporary's name records the target and this process, so a save killed before
    the rename leaves a file that the next save to ``path`` removes (``_tempfiles.py``).
    """
    fd, tmp = temporary_beside(path, suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load(path, device=None):
    """Read a state dict written by :func:`save` (a state dict, not a model).

    To restore a model, build it and load into it: ``nn.load_into(model, path)``
    (the same as ``model.load_state_dict(nn.load(path))``).  An optimizer's
    saved state goes back with ``optimizer.load_state_dict(nn.load(path))``.

    Returns
    -------
    OrderedDict of name -> Tensor (on ``device``, default the default device), ready
    for ``module.load_state_dict``; or, for a saved nested state such as an
    optimizer's, that state with NumPy arrays (``optimizer.load_state_dict`` moves
    them to each parameter's device).

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
    if _is_safetensors(path):
        from .safetensors_format import state_from_file  # noqa: PLC0415 - optional package

        return OrderedDict((name, Tensor(array, device=device))
                           for name, array in state_from_file(path).items())
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
            if marker == TREE_FORMAT_VERSION and _OUTLINE_KEY in names:
                arrays = {name: archive[name] for name in names
                          if name not in (FORMAT_KEY, _OUTLINE_KEY)}
                return _load_tree(path, str(archive[_OUTLINE_KEY]), arrays)
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


def _load_tree(path, outline, arrays):
    for name, array in arrays.items():
        if array.dtype.kind not in "biuf":
            raise ModelFileError(f"load: entry '{name}' of {path} has dtype {array.dtype}, "
                                 "not a numeric array")
    try:
        return _state_tree.unpack(outline, arrays)
    except (ValueError, KeyError, TypeError) as err:
        raise ModelFileError(f"load: {path} has a corrupt state outline: {err}") from err


def load_into(model: Module, path, strict: bool = True):
    """Load the module state saved at ``path`` into ``model``; return ``IncompatibleKeys``.

    ``nn.load(path)`` returns the saved state dict; this puts it into a model you
    have built with the same architecture (``model.load_state_dict(nn.load(path),
    strict)``, on the model's own devices and dtypes).  Everything is checked before
    anything is written, so on error the model is unchanged.

    Raises
    ------
    ModelFileError
        The file is not a model file, or holds a nested state (an optimizer's):
        load that with ``optimizer.load_state_dict(nn.load(path))``.
    StateDictError
        The saved names or shapes do not match ``model`` (see ``load_state_dict``).
    """
    if not isinstance(model, Module):
        raise TypeError(f"load_into: expected an nn.Module to load into, got "
                        f"{type(model).__name__}; nn.load(path) returns the state dict")
    state = load(path)
    if not isinstance(state, OrderedDict):
        raise ModelFileError(f"load_into: {os.fspath(path)} holds a nested state (an "
                             "optimizer's?), not a module's; load it with "
                             "optimizer.load_state_dict(nn.load(path))")
    return model.load_state_dict(state, strict=strict)
