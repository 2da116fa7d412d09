"""``to_dot``: the recorded graph as Graphviz DOT text (no graphviz needed to produce it)."""

from __future__ import annotations

from .tensor import Tensor

__all__ = ["to_dot"]


def _label(t) -> str:  # a Tensor or an array
    return f"{list(t.shape)} {t.dtype}"


def _quoted(text: str) -> str:
    """A DOT double-quoted ID: any text, keywords such as ``graph`` included."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(tensor: Tensor, name: str = "autograd") -> str:
    """Return DOT text for the graph that produced ``tensor``.

    Ops are boxes labelled with the op name (edges between ops carry the shape
    and dtype of the value passed); leaves that require grad are ellipses
    labelled with shape and dtype; the output is a double octagon.  ``name``
    becomes the graph's (quoted) DOT name.  Render it with
    ``dot -Tpng graph.dot -o graph.png``, the ``graphviz`` Python package
    (``graphviz.Source(text)``) or any DOT viewer.
    """
    lines = [f"digraph {_quoted(name)} {{", "  rankdir=BT;", '  node [fontname="Helvetica"];']
    ids: dict[int, str] = {}

    def node_id(obj, prefix):
        key = id(obj)
        if key not in ids:
            ids[key] = f"{prefix}{len(ids)}"
        return ids[key]

    out_id = node_id(tensor, "t")
    lines.append(f'  {out_id} [label="output\\n{_label(tensor)}", shape=doubleoctagon];')
    if tensor.node is None:
        lines.append("}")
        return "\n".join(lines)
    lines.append(f"  {node_id(tensor.node, 'op')} -> {out_id};")
    stack, seen = [tensor.node], set()
    while stack:
        op = stack.pop()
        if id(op) in seen:
            continue
        seen.add(id(op))
        op_id = node_id(op, "op")
        lines.append(f'  {op_id} [label={_quoted(op.name)}, shape=box, style=filled, fillcolor="#e8eef7"];')
        if op.parents is None:
            lines.append(f'  {op_id} [label={_quoted(op.name + " (freed)")}];')
            continue
        for parent, inp in zip(op.parents, op.inputs):
            if parent is None:
                continue
            if isinstance(parent, Tensor):
                leaf_id = node_id(parent, "t")
                if id(parent) not in seen:
                    seen.add(id(parent))
                    lines.append(f'  {leaf_id} [label="leaf\\n{_label(parent)}", shape=ellipse];')
                lines.append(f"  {leaf_id} -> {op_id};")
            else:
                lines.append(f'  {node_id(parent, "op")} -> {op_id} [label="{_label(inp)}"];')
                stack.append(parent)
    lines.append("}")
    return "\n".join(lines)
