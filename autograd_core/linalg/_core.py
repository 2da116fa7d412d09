"""What the ``linalg`` ops share: the error type, the op base class, square checks."""

from __future__ import annotations

import numpy

from ..backend import array_module
from ..function import Function
from ..ops.shape import swapaxes

__all__ = ["LinAlgError", "LinalgFunction", "check_square", "mT"]


class LinAlgError(numpy.linalg.LinAlgError):
    """A linear-algebra failure: a non-square matrix where a square one is needed, a
    singular matrix for ``inv``/``solve``, a matrix that is not positive definite for
    ``cholesky``.  A subclass of ``numpy.linalg.LinAlgError`` (so also a ``ValueError``).
    """


def _describe(shape):
    return f"shape {tuple(shape)}"


def check_matrix(x, op, square=False):
    """Raise :class:`LinAlgError` unless ``x`` is a (stack of) matrices ``(..., M, N)``
    (``M == N`` when ``square``)."""
    if x.ndim < 2:
        raise LinAlgError(f"{op}: needs a matrix or a stack of matrices (..., M, N), got "
                          f"{x.ndim}-d {_describe(x.shape)}")
    if square and x.shape[-1] != x.shape[-2]:
        raise LinAlgError(f"{op}: the last two axes must be square, got {_describe(x.shape)} "
                          f"({x.shape[-2]} x {x.shape[-1]}); use pinv or lstsq-style "
                          "solutions for rectangular matrices")


def check_square(x, op):
    check_matrix(x, op, square=True)


def mT(x):
    """The stack of matrices ``x`` with its last two axes swapped (differentiable)."""
    return swapaxes(x, -1, -2)


class LinalgFunction(Function):
    """Base of the ``linalg`` ops: :class:`LinAlgError` passes through unchanged (the
    base class would turn it into a ``ShapeError``), and the array library's own
    ``LinAlgError`` becomes ours, naming the op and the shape."""

    def _operand_error(self, err, inputs):
        if isinstance(err, LinAlgError):
            return err
        if isinstance(err, numpy.linalg.LinAlgError) or type(err).__name__ == "LinAlgError":
            shapes = ", ".join(str(tuple(getattr(x, "shape", ()))) for x in inputs)
            return LinAlgError(f"{self.name}: {err} (operands of shape {shapes})")
        return super()._operand_error(err, inputs)

    def checked(self, result, what):
        """``result``; on devices whose library does not raise (CuPy returns NaN), raise
        :class:`LinAlgError` saying ``what`` when it is not finite."""
        xp = array_module(result)
        if xp is not numpy and result.size and not bool(xp.isfinite(result).all()):
            raise LinAlgError(f"{self.name}: {what}")
        return result
