"""nn.fit / nn.evaluate / nn.predict: accuracy on the shipped MNIST subset, batching equals a
full-batch pass, metrics against their formulas, progress output, History.plot, Ctrl-C."""

import io
import os
import signal

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import datasets
from autograd_core import nn
from autograd_core.nn import functional as F
from autograd_core.nn.training import metrics as M
from autograd_core.nn.training import progress as progress_module

MNIST_TEST_ACCURACY = 0.85  # 3 epochs of a 784-64-10 MLP: about 0.89 on the shipped test set


def _blobs(n=120, seed=0):
    X, y = datasets.make_blobs(n_samples=n, n_features=4, centers=3, random_state=seed)
    return np.asarray(X, dtype=np.float32), np.asarray(y, dtype=np.int64)


def test_fit_on_shipped_mnist_reaches_stated_test_accuracy():
    (X, y), (X_test, y_test) = datasets.load_mnist_small()
    X = X.reshape(len(X), -1).astype(np.float32) / 255
    X_test = X_test.reshape(len(X_test), -1).astype(np.float32) / 255
    ag.manual_seed(0)
    model = nn.MLP(784, [64], 10)
    history = nn.fit(model, X, y, epochs=3, batch_size=64, lr=1e-3, validation_split=0.1,
                     metrics=["accuracy"], seed=0, verbose=0)
    assert history.params["samples"] == 4500 and len(history) == 3
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    result = nn.evaluate(model, X_test, y_test, metrics=["accuracy"])
    assert result["accuracy"] >= MNIST_TEST_ACCURACY
    assert model.training  # fit and evaluate leave the mode as they found it


def test_fit_is_reproducible_with_seeds_and_accepts_tensors():
    X, y = _blobs()
    runs = []
    for data in ((X, y), (ag.tensor(X), ag.tensor(y))):
        ag.manual_seed(3)
        model = nn.MLP(4, [8], 3)
        runs.append(nn.fit(model, *data, epochs=2, batch_size=16, seed=5, verbose=0)
                    .history["loss"])
    assert runs[0] == runs[1]


def test_evaluate_and_predict_in_batches_equal_one_full_batch_pass():
    X, y = _blobs(n=50)
    model = nn.MLP(4, [8], 3, dropout=0.5)
    model.eval()
    full = model(ag.tensor(X))
    model.train()
    out = nn.predict(model, X, batch_size=7)
    np.testing.assert_allclose(out.numpy(), full.numpy(), rtol=1e-6)
    result = nn.evaluate(model, X, y, metrics=["accuracy"], batch_size=7)
    assert result["loss"] == pytest.approx(F.cross_entropy(full, y).item(), rel=1e-5)
    assert result["accuracy"] == pytest.approx(np.mean(full.numpy().argmax(1) == y))
    assert model.training
    assert nn.evaluate(model, X, y, loss=None, metrics=["accuracy"]).keys() == {"accuracy"}


def test_regression_fit_with_mse_and_regression_metrics():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=200)
    ag.manual_seed(0)
    model = nn.Linear(3, 1)
    history = nn.fit(model, X, y[:, None], loss="mse", optimizer="sgd", lr=0.1, epochs=5,
                     validation_data=(X[:50], y[:50, None]), metrics=["rmse", "mae", "r2"],
                     verbose=0)
    assert history.history["val_r2"][-1] > 0.95
    pred = nn.predict(model, X[:50]).numpy()
    assert history.history["val_rmse"][-1] == pytest.approx(M.rmse(pred, y[:50]), rel=1e-5)


def test_regression_metrics_match_their_formulas_and_accumulate_exactly():
    rng = np.random.default_rng(1)
    y, p = rng.normal(size=(40, 2)), rng.normal(size=(40, 2))
    assert M.rmse(p, y) == pytest.approx(np.sqrt(np.mean((y - p) ** 2)))
    assert M.mae(p, y) == pytest.approx(np.mean(np.abs(y - p)))
    r2 = np.mean(1 - ((y - p) ** 2).sum(0) / ((y - y.mean(0)) ** 2).sum(0))
    assert M.r2(p, y) == pytest.approx(r2)
    metric = M.R2Score()
    for chunk in np.array_split(np.arange(40), 3):  # batches give the exact epoch value
        metric.update(p[chunk], y[chunk])
    assert metric.result() == pytest.approx(r2)
    assert M.r2(y, y) == 1.0 and M.r2(np.zeros(4), np.ones(4)) == 0.0


def test_metrics_before_any_batch_are_nan():
    for metric in (M.Accuracy(), M.MeanAbsoluteError(), M.RootMeanSquaredError(), M.R2Score(),
                   M.MeanMetric(lambda p, t: 0.0)):
        assert np.isnan(metric.result())


def test_validation_targets_in_another_float_dtype_match_evaluate():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(60, 3)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5]))[:, None]  # float64 targets, float32 model
    model = nn.Linear(3, 1)
    history = nn.fit(model, X, y, loss="mse", epochs=2, validation_data=(X[:20], y[:20]),
                     metrics=["mae"], verbose=0)
    assert y.dtype == np.float64  # the caller's array is left alone
    result = nn.evaluate(model, X[:20], y[:20], loss="mse", metrics=["mae"])
    assert history.history["val_loss"][-1] == pytest.approx(result["loss"], rel=1e-6)
    assert history.history["val_mae"][-1] == pytest.approx(result["mae"], rel=1e-6)


def test_accuracy_layouts():
    scores = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 1.0], [5.0, 0.0, 0.0]])
    labels = np.array([0, 1, 1, 0])
    assert M.accuracy(scores, labels) == 0.75
    assert M.accuracy(scores, np.eye(3)[labels]) == 0.75
    assert M.accuracy(np.array([0.9, 0.2, 0.6, 0.4]), np.array([1, 0, 0, 0])) == 0.75
    assert M.accuracy(np.array([[1.5], [-2.0]]), np.array([[1.0], [0.0]]), threshold=0.0) == 1.0
    with pytest.raises(ValueError, match="unknown metric"):
        M.get_metric("precision")


def test_binary_logits_accuracy_thresholds_at_zero():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2)).astype(np.float32)
    y = (X[:, :1] > 0).astype(np.float32)
    model = nn.Linear(2, 1)
    history = nn.fit(model, X, y, loss="bce_with_logits", lr=0.1, epochs=20, batch_size=25,
                     metrics=["accuracy"], verbose=0)
    logits = nn.predict(model, X).numpy()
    assert history.history["accuracy"][-1] >= 0.9
    assert nn.evaluate(model, X, y, loss="bce_with_logits", metrics=["accuracy"])[
        "accuracy"] == pytest.approx(np.mean((logits > 0) == (y > 0.5)))


def test_bad_arguments_are_explained():
    X, y = _blobs(n=20)
    model = nn.MLP(4, [], 3)
    with pytest.raises(ValueError, match="unknown loss"):
        nn.fit(model, X, y, loss="hinge")
    with pytest.raises(ValueError, match="optimizer must be"):
        nn.fit(model, X, y, optimizer="lbfgs")
    with pytest.raises(ValueError, match="validation_split"):
        nn.fit(model, X, y, validation_split=1.5)
    with pytest.raises(ValueError, match="verbose"):
        nn.fit(model, X, y, verbose=3)


# -- progress output --------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _small_fit(**kwargs):
    X, y = _blobs(n=60)
    return nn.fit(nn.MLP(4, [8], 3), X, y, epochs=2, batch_size=16, validation_split=0.2,
                  metrics=["accuracy"], **kwargs)


def test_verbose_zero_prints_nothing(capsys):
    _small_fit(verbose=0)
    assert capsys.readouterr() == ("", "")


def test_not_a_terminal_gives_one_line_per_epoch(capsys):
    _small_fit(verbose=1)
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == "" and len(lines) == 2
    for i, line in enumerate(lines, 1):
        assert line.startswith(f"Epoch {i}/2 - ")
        assert " - loss: " in line and " - accuracy: " in line and " - val_accuracy: " in line


def test_terminal_gets_a_tqdm_bar_with_loss_and_throughput():
    pytest.importorskip("tqdm")
    stream = _Terminal()
    _small_fit(verbose=1, file=stream)
    text = stream.getvalue()
    assert "Epoch 1/2" in text and "Epoch 2/2" in text
    assert "sample/s" in text and "val_loss:" in text and "\r" in text


def _drawn_lines(text):
    """The lines a terminal would show last: each ``\\r`` redraws its line."""
    return [line.rsplit("\r", 1)[-1] for line in text.split("\n") if line.rsplit("\r", 1)[-1]]


@pytest.mark.parametrize("columns", [40, 60, 80, 132, 250])
def test_bar_fits_the_terminal_width_and_shows_the_validation_results(monkeypatch, columns):
    pytest.importorskip("tqdm")
    monkeypatch.setenv("COLUMNS", str(columns))
    stream = _Terminal()
    history = _small_fit(verbose=1, file=stream)
    text = stream.getvalue()
    for line in text.replace("\r", "\n").split("\n"):
        assert len(line) <= columns, f"{len(line)} > {columns} columns: {line!r}"
    shown = " ".join(_drawn_lines(text))
    for epoch in range(2):  # every result of every epoch is on screen, unabridged
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            assert f"{key}: {history.history[key][epoch]:.4f}" in shown, (key, epoch, text)


def test_wide_terminal_keeps_the_results_on_the_bar(monkeypatch):
    pytest.importorskip("tqdm")
    monkeypatch.setenv("COLUMNS", "250")
    stream = _Terminal()
    _small_fit(verbose=1, file=stream)
    finished = [line for line in _drawn_lines(stream.getvalue()) if "100%" in line]
    assert len(finished) == 2 and all("val_accuracy: " in line for line in finished)


def test_terminal_columns_reads_columns_then_falls_back(monkeypatch):
    monkeypatch.setenv("COLUMNS", "123")
    assert progress_module.terminal_columns(io.StringIO()) == 123
    monkeypatch.setenv("COLUMNS", "0")  # unset or nonsense: the stream's terminal, else 100
    monkeypatch.setattr(progress_module.shutil, "get_terminal_size",
                        lambda fallback: os.terminal_size((0, 0)))
    assert progress_module.terminal_columns(io.StringIO()) == progress_module.FALLBACK_COLUMNS


def test_without_tqdm_a_terminal_falls_back_to_lines_with_one_note(monkeypatch):
    monkeypatch.setattr(progress_module, "_tqdm", lambda: None)
    monkeypatch.setattr(progress_module, "_noted_missing_tqdm", False)
    streams = [_Terminal(), _Terminal()]
    for stream in streams:
        _small_fit(verbose=1, file=stream)
    first = streams[0].getvalue().splitlines()
    assert "autograd-core[progress]" in first[0] and len(first) == 3
    assert len(streams[1].getvalue().splitlines()) == 2  # the note is shown once


# -- History.plot -----------------------------------------------------------------------------


def test_history_plot_saves_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    history = _small_fit(verbose=0)
    fig = history.plot(tmp_path / "curves.png")
    assert len(fig.axes) == 2  # loss and accuracy, train and validation in each
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(KeyError, match="no values"):
        history.plot(metrics="r2")


def test_history_plot_without_matplotlib_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"autograd-core\[plot\]"):
        nn.History().plot()


# -- Ctrl-C -----------------------------------------------------------------------------------


class _InterruptAt(nn.Callback):
    """Record the weights after each batch; raise KeyboardInterrupt after batch ``at``."""

    def __init__(self, epoch, batch, send_signal=False):
        self.at, self.send_signal, self.epoch = (epoch, batch), send_signal, None
        self.batches_done = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_begin(self, batch, logs=None):
        if self.send_signal and (self.epoch, batch) == self.at:
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C: the batch still completes

    def on_batch_end(self, batch, logs=None):
        self.batches_done += 1
        self.weights = [p.numpy().copy() for p in self.model.parameters()]
        if not self.send_signal and (self.epoch, batch) == self.at:
            raise KeyboardInterrupt


@pytest.fixture
def python_sigint():
    """Python's own SIGINT handler for the test, whatever the suite inherited: a run started
    in the background by a shell without job control (``nohup ... &``) begins with SIGINT
    ignored, and ``fit`` then rightly leaves Ctrl-C alone."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("send_signal", [False, True])
def test_ctrl_c_stops_after_the_batch_and_returns_the_history(send_signal, capsys,
                                                               python_sigint):
    X, y = _blobs(n=64)
    model = nn.MLP(4, [8], 3)
    stopper = _InterruptAt(epoch=2, batch=1, send_signal=send_signal)
    history = nn.fit(model, X, y, epochs=5, batch_size=16, callbacks=[stopper], verbose=1)
    assert history.interrupted and history.epoch == [0, 1]
    assert stopper.batches_done == 2 * 4 + 2  # the interrupted batch completed its step
    for p, w in zip(model.parameters(), stopper.weights):
        np.testing.assert_array_equal(p.numpy(), w)
    assert "interrupted in epoch 3, batch 2" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_sigint_stays_ignored():
    # under nohup (SIGINT ignored) fit installs no handler and restores nothing
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        X, y = _blobs(n=32)
        history = nn.fit(nn.MLP(4, [8], 3), X, y, epochs=1, batch_size=16, verbose=0)
        assert not history.interrupted
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_keeps_the_best_weights_tracked_by_early_stopping(python_sigint):
    X, y = _blobs(n=64)
    model = nn.MLP(4, [8], 3)

    class Snapshots(nn.Callback):
        taken = []

        def on_epoch_end(self, epoch, logs=None):
            self.taken.append({k: v.numpy().copy() for k, v in self.model.state_dict().items()})

    snaps = Snapshots()
    early = nn.EarlyStopping(monitor="loss", patience=10, restore_best_weights=True)
    history = nn.fit(model, X, y, epochs=5, batch_size=16, lr=0.05, verbose=0,
                     callbacks=[snaps, early, _InterruptAt(epoch=3, batch=2)])
    assert history.interrupted and len(history) == 3
    assert early.best_epoch == int(np.argmin(history.history["loss"]))
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), snaps.taken[early.best_epoch][name])


@pytest.mark.gpu
@pytest.mark.skipif(not ag.cupy_available(), reason="needs CuPy and a CUDA device")
def test_fit_on_gpu_keeps_data_there():
    X, y = _blobs(n=64)
    Xg, yg = ag.tensor(X, device="cuda"), ag.tensor(y, device="cuda")
    model = nn.MLP(4, [8], 3, device="cuda")
    history = nn.fit(model, Xg, yg, epochs=2, batch_size=16, metrics=["accuracy"],
                     validation_data=(Xg, yg), verbose=0)
    assert len(history) == 2 and isinstance(history.history["val_accuracy"][0], float)
    assert nn.predict(model, Xg).device.startswith("cuda")
    cpu = nn.evaluate(model, X, y, metrics=["accuracy"])
    assert cpu["accuracy"] == history.history["val_accuracy"][-1]


def test_quickstart_example_runs_and_reports_its_test_accuracy(capsys):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"
    spec = importlib.util.spec_from_file_location("quickstart", path)
    quickstart = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(quickstart)
    accuracy = quickstart.main(["--epochs", "3", "--quiet"])
    assert accuracy >= MNIST_TEST_ACCURACY
    assert capsys.readouterr().out.startswith("test accuracy: 0.")
