"""Pytrees: nested dicts, lists and tuples whose leaves are arrays, Tensors or numbers.

JAX's convention: dicts, lists, tuples and namedtuples are containers (a dict's
children in sorted-key order); ``None`` is a container with no children; anything
else is a leaf.  The transforms flatten their arguments once at the boundary and
rebuild results with the same structure, so a gradient has its argument's shape.

>>> leaves, treedef = tree_flatten({"w": [1, 2], "b": (3,)})
>>> leaves
[3, 1, 2]
>>> tree_unflatten(treedef, [30, 10, 20])
{'b': (30,), 'w': [10, 20]}
"""

from __future__ import annotations

__all__ = ["TreeDef", "tree_flatten", "tree_unflatten", "tree_map", "tree_leaves",
           "tree_structure"]


class TreeDef:
    """The structure of a pytree without its leaves: what :func:`tree_unflatten` rebuilds.

    ``kind`` is ``None`` for a leaf, else the container type; ``meta`` the dict keys
    (sorted) or ``None``; ``children`` the children's TreeDefs.
    """

    __slots__ = ("kind", "meta", "children", "num_leaves")

    def __init__(self, kind, meta, children):
        self.kind, self.meta, self.children = kind, meta, tuple(children)
        self.num_leaves = 1 if kind is None else sum(c.num_leaves for c in self.children)

    def __eq__(self, other):
        return (isinstance(other, TreeDef) and self.kind is other.kind
                and self.meta == other.meta and self.children == other.children)

    def __hash__(self):
        return hash((self.kind, self.meta, self.children))

    def __repr__(self):
        return f"TreeDef({_describe(self)})"


_LEAF = TreeDef(None, None, ())


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _flatten(tree, leaves):
    if isinstance(tree, dict):
        try:
            keys = tuple(sorted(tree))
        except TypeError:  # keys of mixed types: keep insertion order
            keys = tuple(tree)
        return TreeDef(dict, keys, [_flatten(tree[k], leaves) for k in keys])
    if isinstance(tree, (list, tuple)) and (type(tree) in (list, tuple) or _is_namedtuple(tree)):
        return TreeDef(type(tree), None, [_flatten(c, leaves) for c in tree])
    if tree is None:
        return TreeDef(type(None), None, ())
    leaves.append(tree)
    return _LEAF


def tree_flatten(tree):
    """Return ``(leaves, treedef)``: the leaves left to right and the structure.

    Parameters
    ----------
    tree : pytree
        Nested dicts (children by sorted key), lists, tuples and namedtuples; ``None``
        has no leaves; anything else is one leaf.
    """
    leaves = []
    treedef = _flatten(tree, leaves)
    return leaves, treedef


def tree_structure(tree) -> TreeDef:
    """The :class:`TreeDef` of ``tree``."""
    return tree_flatten(tree)[1]


def tree_leaves(tree) -> list:
    """The leaves of ``tree``, left to right."""
    return tree_flatten(tree)[0]


def _build(treedef, it):
    kind = treedef.kind
    if kind is None:
        return next(it)
    if kind is type(None):
        return None
    children = [_build(c, it) for c in treedef.children]
    if kind is dict:
        return dict(zip(treedef.meta, children))
    if kind in (list, tuple):
        return kind(children)
    return kind(*children)  # a namedtuple


def tree_unflatten(treedef: TreeDef, leaves):
    """Rebuild the pytree of structure ``treedef`` from ``leaves`` (as many as it has)."""
    leaves = list(leaves)
    if len(leaves) != treedef.num_leaves:
        raise ValueError(f"tree_unflatten: the structure {treedef} has {treedef.num_leaves} "
                         f"leaves, but {len(leaves)} were given")
    return _build(treedef, iter(leaves))


def tree_map(f, tree, *rest):
    """Apply ``f`` to every leaf: ``f(leaf, *leaves_of_rest)``; same structure out.

    Every tree in ``rest`` must have the structure of ``tree``.
    """
    leaves, treedef = tree_flatten(tree)
    others = []
    for i, other in enumerate(rest):
        other_leaves, other_def = tree_flatten(other)
        if other_def != treedef:
            raise ValueError(f"tree_map: tree {i + 1} has structure {other_def}, but the first "
                             f"tree has {treedef}")
        others.append(other_leaves)
    return tree_unflatten(treedef, [f(*xs) for xs in zip(leaves, *others)])


def _describe(treedef) -> str:
    kind = treedef.kind
    if kind is None:
        return "*"
    if kind is type(None):
        return "None"
    inner = [_describe(c) for c in treedef.children]
    if kind is dict:
        return "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(treedef.meta, inner)) + "}"
    if kind is list:
        return "[" + ", ".join(inner) + "]"
    if kind is tuple:
        return "(" + ", ".join(inner) + ("," if len(inner) == 1 else "") + ")"
    return f"{kind.__name__}(" + ", ".join(inner) + ")"
