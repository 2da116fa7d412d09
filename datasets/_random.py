"""Turning a seed argument into a NumPy ``Generator``."""

import numpy as np


def as_generator(random_state) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``random_state``.

    Parameters
    ----------
    random_state : None, int, or numpy.random.Generator
        None gives the global generator of ``autograd_core`` (seeded by
        ``autograd_core.manual_seed``, fresh OS entropy otherwise); an int seeds a new
        generator; a generator is returned as is (so draws advance its state).

    Returns
    -------
    numpy.random.Generator
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        # the package's global generator, so that autograd_core.manual_seed fixes it
        from autograd_core.random import default_generator  # noqa: PLC0415

        return default_generator.numpy
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return np.random.default_rng(random_state)
    raise TypeError(
        f"random_state must be None, an int or a numpy.random.Generator, "
        f"got {type(random_state).__name__}"
    )
