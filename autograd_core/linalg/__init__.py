"""``autograd_core.linalg``: differentiable ``numpy.linalg``, on stacks of matrices.

Every function takes ``(..., M, N)`` stacks (batch axes in front) and NumPy's
arguments.  Errors are :class:`LinAlgError` (a subclass of
``numpy.linalg.LinAlgError``): a non-square matrix for ``inv``/``det``/``eigh``..., a
singular one for ``inv``/``solve``, one that is not positive definite for
``cholesky``.  Gradients at degenerate points: see :mod:`.decompositions` (eigenvector
and singular-vector gradients need distinct values and full rank; NaN or infinite
otherwise) and :mod:`.solvers` (determinant gradients need an invertible matrix).
"""

from .decompositions import (EighResult, QRResult, SVDResult, cholesky, eigh, eigvalsh, qr,
                             svd, svdvals)
from ._core import LinAlgError
from .norms import matrix_norm, norm, outer, trace, vector_norm
from .solvers import (SlogdetResult, det, inv, matrix_power, matrix_rank, multi_dot, pinv,
                      slogdet, solve)

__all__ = ["LinAlgError", "inv", "solve", "det", "slogdet", "cholesky", "eigh", "eigvalsh",
           "svd", "svdvals", "qr", "pinv", "norm", "matrix_norm", "vector_norm",
           "matrix_power", "multi_dot", "matrix_rank", "trace", "outer", "EighResult",
           "QRResult", "SVDResult", "SlogdetResult"]
