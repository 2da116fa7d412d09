"""Containers: ``Sequential`` (a chain of layers) and ``ModuleList`` (a registered list)."""

from __future__ import annotations

from collections import OrderedDict

from .module import Module

__all__ = ["Sequential", "ModuleList"]


class Sequential(Module):
    """Layers applied one after another: ``Sequential(a, b, c)(x) == c(b(a(x)))``.

    Parameters
    ----------
    *layers : Module, or one ``OrderedDict`` of name -> Module
        Registered under ``"0"``, ``"1"``, ... (or the dict's names), which become the
        prefixes of their ``state_dict`` keys (``"0.weight"``).

    Examples
    --------
    >>> model = Sequential(Linear(4, 8), ReLU(), Linear(8, 3))
    >>> model[0]          # the first Linear
    >>> model[1:]         # a Sequential of the rest
    """

    def __init__(self, *layers):
        super().__init__()
        if len(layers) == 1 and isinstance(layers[0], OrderedDict):
            for name, layer in layers[0].items():
                self.add_module(str(name), _check_module(layer, name))
        else:
            for i, layer in enumerate(layers):
                self.add_module(str(i), _check_module(layer, i))

    def forward(self, x):
        for layer in self._modules.values():
            x = layer(x)
        return x

    def append(self, layer: Module) -> "Sequential":
        """Add ``layer`` at the end; returns ``self``."""
        self.add_module(str(len(self._modules)), _check_module(layer, len(self._modules)))
        return self

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        layers = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(layers[index]))
        return layers[index][1]


class ModuleList(Module):
    """A list of modules whose parameters are registered (a plain list's are not).

    Parameters
    ----------
    modules : iterable of Module, optional
    """

    def __init__(self, modules=()):
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> "ModuleList":
        """Add ``module`` at the end; returns ``self``."""
        self.add_module(str(len(self._modules)), _check_module(module, len(self._modules)))
        return self

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        return list(self._modules.values())[index]

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward(); iterate over its modules")


def _check_module(layer, name):
    if not isinstance(layer, Module):
        raise TypeError(f"layer {name!r} is a {type(layer).__name__}, not an nn.Module; wrap "
                        "functions in a Module (e.g. nn.Lambda(fn))")
    return layer
