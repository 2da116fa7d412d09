"""``summary``: a Keras-style table of a model's layers, output shapes and parameter counts."""

from __future__ import annotations

import autograd_core as ag

from .module import Module

__all__ = ["summary"]


def summary(model: Module, input_shape, *, batch_size: int = 2, dtype=None, device=None,
            print_fn=print) -> str:
    """Run ``model`` on zeros of ``(batch_size, *input_shape)`` and tabulate each layer.

    The rows are the leaf modules (those without sub-modules) in the order they run;
    output shapes show the batch axis as ``None``.  The model runs in eval mode under
    ``no_grad`` and its mode is restored afterwards; its weights are not changed.

    Parameters
    ----------
    model : Module
    input_shape : tuple of int
        One sample's shape, without the batch axis (e.g. ``(784,)``).
    batch_size : int
        Rows of the probe batch.
    dtype, device : optional
        Of the probe input (default: those of the model's first parameter).
    print_fn : callable or None
        Called with the table (``None``: only return it).

    Returns
    -------
    str, the table.
    """
    params = list(model.parameters())
    if dtype is None:
        dtype = params[0].dtype if params else None
    if device is None:
        device = params[0].device if params else None
    shape = (batch_size, *tuple(input_shape))
    names = {id(m): name for name, m in model.named_modules()}
    rows, handles = [], []

    def record(module, inputs, output):
        rows.append((names.get(id(module), "?"), type(module).__name__, _shape_of(output),
                     sum(p.size for p in module.parameters())))

    leaves = [m for m in model.modules() if not any(True for _ in m.children())]
    for m in leaves:
        handles.append(m.register_forward_hook(record))
    was_training = model.training
    modes = {id(m): m.training for m in model.modules()}
    try:
        model.eval()
        with ag.no_grad():
            model(ag.zeros(shape, dtype=dtype, device=device))
    finally:
        for h in handles:
            h.remove()
        for m in model.modules():
            object.__setattr__(m, "training", modes[id(m)])
        object.__setattr__(model, "training", was_training)

    total = sum(p.size for p in params)
    trainable = sum(p.size for p in params if p.requires_grad)
    table = [(f"{name or '(model)'} ({kind})", shape_text, f"{count:,}")
             for name, kind, shape_text, count in rows]
    headers = ("Layer (type)", "Output Shape", "Param #")
    widths = [max(len(h), *(len(r[i]) for r in table)) + 2 if table else len(h) + 2
              for i, h in enumerate(headers)]
    width = sum(widths)

    def line(cells):
        return "".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [f'Model: "{type(model).__name__}"', "_" * width, line(headers), "=" * width]
    for i, row in enumerate(table):
        out.append(line(row))
        out.append("_" * width if i < len(table) - 1 else "=" * width)
    if not table:
        out.append("=" * width)
    out += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
            f"Non-trainable params: {total - trainable:,}", "_" * width]
    text = "\n".join(out)
    if print_fn is not None:
        print_fn(text)
    return text


def _shape_of(output) -> str:
    if isinstance(output, ag.Tensor):
        return str((None, *output.shape[1:])) if output.ndim else "()"
    if isinstance(output, (tuple, list)):
        return ", ".join(_shape_of(o) for o in output)
    return type(output).__name__
