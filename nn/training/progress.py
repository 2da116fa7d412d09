"""Progress output for ``fit``: a tqdm bar on a terminal, one line per epoch otherwise.

``verbose=1``: a bar per epoch with the live loss and the throughput
(samples/s) when the stream is a terminal and tqdm is installed, else one
line per epoch; ``verbose=2``: always one line per epoch; ``verbose=0``:
nothing.  The epoch line reads like Keras'::

    Epoch 3/20 - 1.2s - loss: 0.3412 - accuracy: 0.9012 - val_loss: 0.3511 - val_accuracy: 0.8990

The bar's loss is read from the device at most every ``LIVE_INTERVAL`` seconds,
so showing it does not make training wait on the GPU every batch.

The bar is as wide as the terminal (:func:`terminal_columns`: ``$COLUMNS``, else the
stream's terminal, else 100 columns), read again at every epoch.  When the epoch's
results do not fit on the finished bar's line, they follow it on their own lines, wrapped at ``" - "`` to the width, so validation
results are never cut off.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import textwrap
import time

__all__ = ["Progress", "format_logs", "terminal_columns", "LIVE_INTERVAL"]

LIVE_INTERVAL = 0.25
FALLBACK_COLUMNS = 100
_noted_missing_tqdm = False


def format_logs(logs) -> str:
    """``"loss: 0.3412 - accuracy: 0.9012 - ..."`` for the numeric logs (``lr`` left out)."""
    parts = []
    for key, value in logs.items():
        if key == "lr":
            continue
        try:
            parts.append(f"{key}: {float(value):.4f}")
        except (TypeError, ValueError):
            parts.append(f"{key}: {value}")
    return " - ".join(parts)


def _tqdm():
    try:
        from tqdm import tqdm  # noqa: PLC0415 - optional dependency
    except ImportError:
        return None
    return tqdm


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def terminal_columns(stream=None) -> int:
    """The width to draw in: ``$COLUMNS`` if set (as :func:`shutil.get_terminal_size`),
    else the width of the terminal ``stream`` writes to, else ``FALLBACK_COLUMNS``
    (also for a terminal that reports 0 columns, a pty nobody sized)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        columns = shutil.get_terminal_size((FALLBACK_COLUMNS, 24)).columns
    return columns if columns > 0 else FALLBACK_COLUMNS


def _wrap(text: str, columns: int) -> str:
    """``text`` (``"a - b - c"``) broken at its ``" - "`` separators to ``columns``."""
    lines: list[str] = []
    for part in text.split(" - "):
        if lines and len(lines[-1]) + 3 + len(part) <= columns:
            lines[-1] += " - " + part
        else:
            lines.append(part if not lines else "  " + part)
    return "\n".join(textwrap.fill(line, columns, subsequent_indent="    ",
                                   break_on_hyphens=False) for line in lines)


class Progress:
    """The progress display of one ``fit`` run.

    Parameters
    ----------
    verbose : {0, 1, 2}
    epochs : int
    samples : int
        Training samples per epoch (the bar's total).
    file : text stream, optional
        Where to write (default ``sys.stderr`` at the time of the call).
    """

    def __init__(self, verbose, epochs, samples, file=None):
        global _noted_missing_tqdm
        if verbose not in (0, 1, 2):
            raise ValueError(f"fit: verbose must be 0, 1 or 2, got {verbose!r}")
        self.file = sys.stderr if file is None else file
        self.epochs, self.samples = epochs, samples
        self.mode = ("silent" if verbose == 0 else
                     "bar" if verbose == 1 and _isatty(self.file) else "lines")
        self._tqdm = _tqdm() if self.mode == "bar" else None
        self._bar = None
        if self.mode == "bar" and self._tqdm is None:
            self.mode = "lines"
            if not _noted_missing_tqdm:
                _noted_missing_tqdm = True
                self.note("note: the progress bar needs tqdm (pip install "
                          "autograd-core[progress]); logging one line per epoch")

    def note(self, message: str) -> None:
        """Write a line (nothing when silent); works while a bar is shown."""
        if self.mode == "silent":
            return
        if self._bar is not None:
            self._bar.write(message, file=self.file)
        else:
            print(message, file=self.file, flush=True)

    def epoch_begin(self, epoch: int) -> None:
        """Start epoch ``epoch`` (0-based): open its bar."""
        self._start = self._last = time.perf_counter()
        if self.mode == "bar":
            self._columns = terminal_columns(self.file)
            self._bar = self._tqdm(total=self.samples, desc=f"Epoch {epoch + 1}/{self.epochs}",
                                   unit="sample", unit_scale=True, file=self.file, leave=True,
                                   mininterval=0.1, ncols=self._columns, nrows=24)

    def batch_end(self, size: int, running_loss) -> None:
        """Count ``size`` more samples; refresh the live loss when due.

        ``running_loss`` is a function returning the epoch's mean loss so far;
        it is called (one device read) only when the display is refreshed.
        """
        if self._bar is None:
            return
        now = time.perf_counter()
        if now - self._last >= LIVE_INTERVAL:
            self._last = now
            self._bar.set_postfix_str(f"loss: {running_loss():.4f}", refresh=False)
        self._bar.update(size)

    def epoch_end(self, epoch: int, logs) -> None:
        """Show the epoch's results: on the bar (then closed) or as one line."""
        seconds = time.perf_counter() - self._start
        if self._bar is not None:
            text = format_logs(logs)
            self._bar.set_postfix_str(text, refresh=False)
            overflow = not self._fits()
            if overflow:  # the results go below the bar, whole
                self._bar.set_postfix_str("", refresh=False)
            self._bar.close()
            self._bar = None
            if overflow:
                print(_wrap(f"Epoch {epoch + 1}/{self.epochs} - {text}", self._columns),
                      file=self.file, flush=True)
        elif self.mode == "lines":
            took = f"{seconds:.1f}s" if seconds >= 1 else f"{seconds * 1e3:.0f}ms"
            print(f"Epoch {epoch + 1}/{self.epochs} - {took} - {format_logs(logs)}",
                  file=self.file, flush=True)

    def _fits(self) -> bool:
        """Whether the bar's line, drawn with a bar of 10 cells, fits in the width."""
        meter = dict(self._bar.format_dict, ncols=None)
        return len(self._tqdm.format_meter(**meter)) <= self._columns

    def close(self) -> None:
        """Close a bar left open (after an interrupt)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
