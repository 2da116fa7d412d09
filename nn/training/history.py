"""``History``: what ``fit`` returns, per-epoch losses and metrics, and learning curves."""

from __future__ import annotations

from ._files import make_parent_dirs

__all__ = ["History"]


class History:
    """Per-epoch results of a :func:`nn.fit` run.

    Attributes
    ----------
    history : dict of str -> list of float
        One list per key (``"loss"``, ``"val_loss"``, ``"accuracy"``,
        ``"val_accuracy"``, ``"lr"``, ...), one entry per completed epoch.
    epoch : list of int
        The completed epochs' indices (0-based).
    params : dict
        The run's settings: ``epochs``, ``batch_size``, ``steps`` (batches per
        epoch), ``samples``, ``metrics`` (the log keys).
    interrupted : bool
        Training was stopped by Ctrl-C (``KeyboardInterrupt``); the epoch in
        progress then is not recorded.
    stopped_epoch : int or None
        The epoch after which a callback stopped training (e.g. early stopping).
    nonfinite : dict or None
        ``{"epoch": e, "batch": b}`` (0-based) when ``fit`` stopped because the
        training loss of epoch ``e`` was not finite; ``b`` is its first such batch.

    Examples
    --------
    >>> history = nn.fit(model, X, y, epochs=5, validation_split=0.1)
    >>> history.history["val_loss"][-1]
    >>> history.plot("curves.png")
    """

    def __init__(self, params=None):
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []
        self.params = dict(params or {})
        self.interrupted = False
        self.stopped_epoch = None
        self.nonfinite = None
        self.rank = 0  # fit(distributed=True) sets it: only rank 0 plots

    def append(self, epoch: int, logs: dict) -> None:
        """Record one completed epoch's ``logs`` (name -> number)."""
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, [None] * (len(self.epoch) - 1)).append(value)
        for key, values in self.history.items():
            if len(values) < len(self.epoch):
                values.append(None)

    def __getitem__(self, key: str) -> list:
        """``history["val_loss"]`` is ``history.history["val_loss"]``."""
        return self.history[key]

    def __len__(self) -> int:
        """The number of completed epochs."""
        return len(self.epoch)

    def __repr__(self) -> str:
        flags = " interrupted" if self.interrupted else ""
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)}{flags})"

    def _curves(self, metrics):
        if metrics is None:
            metrics = [k for k in self.history if not k.startswith("val_") and k != "lr"]
            metrics += [k[4:] for k in self.history
                        if k.startswith("val_") and k[4:] not in self.history]
        elif isinstance(metrics, str):
            metrics = [metrics]
        missing = [m for m in metrics if m not in self.history and "val_" + m not in self.history]
        if missing:
            raise KeyError(f"History.plot: no values for {missing}; recorded keys are "
                           f"{list(self.history)}")
        return metrics

    def plot(self, path=None, metrics=None):
        """Draw the learning curves: one panel per metric, training and validation.

        Needs matplotlib (``pip install autograd-core[plot]``).

        Parameters
        ----------
        path : str or path-like, optional
            Save the figure there (any format matplotlib knows from the suffix,
            e.g. ``.png``), creating missing parent folders.  Without a path the figure is made with pyplot so it
            can be shown; with one it is drawn off-screen, so it works without a
            display and leaves the matplotlib backend alone.
        metrics : str or list of str, optional
            Which curves (base names, e.g. ``"loss"``, ``"accuracy"``); default
            every recorded one except ``"lr"``.

        Returns
        -------
        matplotlib.figure.Figure
            Or None, drawing nothing, on the ranks other than 0 of a
            ``fit(distributed=True)`` (rank 0 draws the curves, the same on every rank).
        """
        if self.rank:
            return None
        try:
            import matplotlib  # noqa: PLC0415, F401 - optional dependency
        except ImportError as exc:
            raise ImportError("History.plot needs matplotlib: pip install autograd-core[plot] "
                              "(or pip install matplotlib); the numbers are in "
                              "History.history") from exc
        metrics = self._curves(metrics)
        size = (4.5 * len(metrics), 3.5)
        if path is None:
            import matplotlib.pyplot as plt  # noqa: PLC0415

            fig, axes = plt.subplots(1, len(metrics), figsize=size, squeeze=False)
            axes = axes[0]
        else:
            from matplotlib.figure import Figure  # noqa: PLC0415 - no pyplot, no backend change

            fig = Figure(figsize=size)
            axes = fig.subplots(1, len(metrics), squeeze=False)[0]
        epochs = [e + 1 for e in self.epoch]
        for ax, name in zip(axes, metrics):
            for key, label in ((name, "train"), ("val_" + name, "validation")):
                if key in self.history:
                    ax.plot(epochs, self.history[key], marker="o", markersize=3, label=label)
            ax.set_xlabel("epoch")
            ax.set_ylabel(name)
            ax.set_title(name)
            ax.legend()
        fig.tight_layout()
        if path is not None:
            make_parent_dirs(path)
            fig.savefig(path)
        return fig
