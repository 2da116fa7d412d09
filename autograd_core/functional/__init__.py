"""Function transformations in the style of JAX and HIPS autograd, on the same engine.

``grad(f)`` returns a function computing the gradient of a scalar function;
``jvp``/``vjp`` push tangents forward and cotangents back; ``jacfwd``/``jacrev``,
``hessian`` and ``hvp`` are compositions of those.  Arguments and results may be
pytrees (nested dicts, lists, tuples of arrays or Tensors).  The transformations
nest (``grad(grad(f))``, ``jvp(grad(f), ...)``, ``grad`` of a ``jvp``): a
transform that runs inside another, or on inputs that already require grad,
records its own backward pass so the outer one can differentiate it.
"""

from .forward import hvp, jacfwd, jvp, linearize
from .pytree import TreeDef, tree_flatten, tree_leaves, tree_map, tree_structure, tree_unflatten
from .reverse import grad, hessian, jacobian, jacrev, value_and_grad, vjp

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "linearize", "jacfwd", "jacrev", "jacobian",
           "hessian", "hvp", "tree_map", "tree_flatten", "tree_unflatten", "tree_leaves",
           "tree_structure", "TreeDef"]
