"""Step capture: ``ag.compile(fn)`` records a step's array kernels once and replays them.

* :mod:`._traced`: ``TracedArray``, the ndarray subclass whose NumPy calls are recorded;
* :mod:`._tracer`: runs the step eagerly and records the calls, the state and the
  optimizer steps;
* :mod:`.program`: the recorded step as data, planned (liveness, ``out=`` buffers,
  constants) and replayed;
* :mod:`.compiled`: the decorator, its cache and its guards.
"""

from .compiled import CacheInfo, CaptureWarning, Compiled, compile
from .program import Program
from ._traced import CaptureError

__all__ = ["compile", "Compiled", "CacheInfo", "CaptureError", "CaptureWarning", "Program"]
