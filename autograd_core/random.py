"""Seeded random numbers: a global generator (``manual_seed``) and explicit ``Generator``s.

Every random function in the project (initialisers, dropout, shuffling) takes an
optional ``generator``; without one it draws from the global generator, so
``manual_seed(0)`` at the top of a script makes a whole CPU run reproducible
bit for bit.
"""

from __future__ import annotations

import numpy

from . import backend

__all__ = ["Generator", "manual_seed", "default_generator", "get_generator"]


class Generator:
    """A seeded source of random arrays on any device.

    CPU arrays come from NumPy's PCG64; CUDA arrays from CuPy's generator seeded
    from the same seed, so they are reproducible per device (not across devices).
    """

    def __init__(self, seed: int | None = None):
        self.manual_seed(seed)

    def manual_seed(self, seed: int | None) -> "Generator":
        """Reset the generator's state from ``seed`` (``None``: fresh OS entropy).

        The NumPy generator is reseeded in place, so code that holds ``self.numpy``
        (a ``DataLoader`` without its own seed, say) follows the new seed too.
        """
        self.seed = seed
        bits = numpy.random.PCG64(seed)
        if getattr(self, "numpy", None) is None:
            self.numpy = numpy.random.Generator(bits)
        else:
            self.numpy.bit_generator.state = bits.state
        self._cupy = None
        return self

    def module(self, device: str):
        """The underlying generator that creates arrays on ``device``."""
        if device == "cpu":
            if backend.tracing is not None:  # ag.compile records each draw
                return backend.tracing.generator(self.numpy)
            return self.numpy
        if self._cupy is None:
            cp = backend.module_for_device(device)
            seed = self.seed if self.seed is not None else int(self.numpy.integers(2**63))
            self._cupy = cp.random.default_rng(seed)
        return self._cupy

    def get_state(self) -> dict:
        """The NumPy bit generator's state (for checkpoints)."""
        return dict(self.numpy.bit_generator.state)

    def set_state(self, state: dict) -> None:
        """Restore a state returned by :meth:`get_state`."""
        self.numpy.bit_generator.state = state


default_generator = Generator(None)


def manual_seed(seed: int) -> Generator:
    """Seed the global generator (and NumPy's legacy global state, for third-party code)."""
    default_generator.manual_seed(int(seed))
    numpy.random.seed(int(seed) % 2**32)
    return default_generator


def get_generator(generator=None) -> Generator:
    """``generator`` itself, a new ``Generator(seed)`` for an int, or the global one for ``None``."""
    if generator is None:
        return default_generator
    if isinstance(generator, Generator):
        return generator
    if isinstance(generator, (int, numpy.integer)):
        return Generator(int(generator))
    raise TypeError(f"expected a Generator, an int seed or None, not {type(generator).__name__}")
