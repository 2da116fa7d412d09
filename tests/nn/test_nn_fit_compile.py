"""``nn.fit(..., compile=True)`` trains exactly as the eager loop (bit for bit on CPU)."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn, optim


def _model(seed, batchnorm):
    ag.manual_seed(seed)
    layers = [nn.Linear(6, 10, weight_regularizer=nn.L2(1e-3))]
    if batchnorm:
        layers.append(nn.BatchNorm1d(10))
    layers += [nn.ReLU(), nn.Dropout(0.2), nn.Linear(10, 3)]
    return nn.Sequential(*layers)


def _fit(compiled, optimizer, batchnorm, loss="cross_entropy"):
    model = _model(3, batchnorm)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((70, 6)).astype("float32")
    y = rng.integers(0, 3, 70) if loss == "cross_entropy" else \
        rng.standard_normal((70, 3)).astype("float32")
    opt = optimizer(model.parameters())
    schedule = nn.LearningRateScheduler(optim.lr_scheduler.StepLR(opt, 1, gamma=0.7))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no CaptureWarning: the step is captured
        history = nn.fit(model, X, y, loss=loss, optimizer=opt, epochs=4, batch_size=16,
                         validation_split=0.2, metrics=["accuracy"] if loss ==
                         "cross_entropy" else ["rmse"], callbacks=[schedule], seed=1,
                         verbose=0, compile=compiled)
    state = [p.data for p in model.parameters()] + [b.data for b in model.buffers()]
    return history.history, state


@pytest.mark.parametrize("optimizer", [lambda ps: optim.Adam(ps, lr=1e-2),
                                       lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9)])
@pytest.mark.parametrize("batchnorm", [False, True])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_fit_compile_is_bit_identical(optimizer, batchnorm, loss, monkeypatch):
    eager_history, eager_state = _fit(False, optimizer, batchnorm, loss)
    replays = []
    run = ag.capture.Program.run
    monkeypatch.setattr(ag.capture.Program, "run",
                        lambda self, leaves: replays.append(1) or run(self, leaves))
    history, state = _fit(True, optimizer, batchnorm, loss)
    assert len(replays) >= 8  # 4 epochs of 4 batches (3 of 16, one of 8): most replayed
    assert history == eager_history  # the same floats, not approximately
    for a, b in zip(eager_state, state):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_fit_compile_falls_back_with_a_warning():
    model = nn.MLP(4, [5], 2)
    X = np.random.default_rng(0).standard_normal((20, 4)).astype("float32")
    y = np.arange(20) % 2

    def loss(out, target):  # reads a value on the host inside the step
        value = nn.functional.cross_entropy(out, target)
        float(value)
        return value
    with pytest.warns(ag.capture.CaptureWarning, match="eagerly"):
        history = nn.fit(model, X, y, loss=loss, optimizer="sgd", epochs=2, batch_size=10,
                         verbose=0, compile=True)
    assert len(history.history["loss"]) == 2


@pytest.mark.parametrize("make", [
    lambda: nn.MLPClassifier((7,), solver="adam", max_iter=6, batch_size=16, random_state=0),
    lambda: nn.MLPClassifier((5, 4), solver="sgd", learning_rate="invscaling", momentum=0.8,
                             max_iter=5, batch_size=10, random_state=1),
    lambda: nn.MLPRegressor((6,), solver="adam", max_iter=6, batch_size=12, random_state=2,
                            early_stopping=True, validation_fraction=0.2),
])
def test_mlp_estimators_replay_their_steps_bit_identically(make, monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 4))
    y = rng.integers(0, 3, 60)
    fitted = {}
    replays = []
    for compiled in (False, True):
        est = make()
        if not compiled:
            monkeypatch.setattr(type(est), "_compiled_step", lambda self: None)
        else:
            run = ag.capture.Program.run
            monkeypatch.setattr(ag.capture.Program, "run",
                                lambda self, leaves: replays.append(1) or run(self, leaves))
        target = y if isinstance(est, nn.MLPClassifier) else X @ [1.0, -2.0, 0.5, 3.0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)  # convergence warnings
            warnings.simplefilter("error", category=ag.capture.CaptureWarning)
            est.fit(X, target)
        fitted[compiled] = est
        monkeypatch.undo()
    assert len(replays) >= 10
    eager, replayed = fitted[False], fitted[True]
    assert eager.loss_curve_ == replayed.loss_curve_
    for a, b in zip(eager.coefs_ + eager.intercepts_, replayed.coefs_ + replayed.intercepts_):
        assert np.array_equal(a, b)
