"""NaN does not go unnoticed in training: ``fit`` stops, ``nn.TerminateOnNaN`` stops at the batch."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn


def _data(nan_at=None, n=32):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1
    if nan_at is not None:
        X[nan_at, 1] = np.nan
    return X, y[:, None]


def _model():
    return nn.MLP(3, [4], 1, generator=0, dtype="float64")


def test_fit_stops_on_a_nan_epoch_loss_and_names_epoch_and_batch():
    X, y = _data(nan_at=13)
    model = _model()
    with pytest.warns(RuntimeWarning, match=r"loss became nan in epoch 1, batch 4 ") as record:
        history = nn.fit(model, X, y, loss="mse", epochs=3, batch_size=4, shuffle=False,
                         verbose=0)
    assert len(record) == 1
    assert len(history) == 1 and history.stopped_epoch == 0
    assert np.isnan(history["loss"][0])
    assert history.nonfinite == {"epoch": 0, "batch": 3}


class _NaNAfter:
    """An MSE loss that turns NaN from its ``calls``-th call on (a run that diverges)."""

    def __init__(self, calls):
        self.calls, self.count = calls, 0

    def __call__(self, output, target):
        self.count += 1
        loss = nn.functional.mse_loss(output, target)
        return loss * float("nan") if self.count > self.calls else loss


class _Snapshots(nn.Callback):
    def __init__(self):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append({k: v.numpy().copy() for k, v in self.model.state_dict().items()})


def test_fit_restores_the_last_finite_weights_when_early_stopping_tracked_them():
    X, y = _data()
    model = _model()
    snapshots = _Snapshots()
    stopper = nn.EarlyStopping(monitor="loss", patience=5, restore_best_weights=True)
    # 4 batches per epoch: epochs 1 and 2 finite, NaN from batch 2 of epoch 3
    with pytest.warns(RuntimeWarning, match=r"epoch 3, batch 2 .*restored the weights of "
                                            r"epoch 2"):
        history = nn.fit(model, X, y, loss=_NaNAfter(9), epochs=5, batch_size=8,
                         shuffle=False, verbose=0, callbacks=[stopper, snapshots])
    assert len(history) == 3 and history.stopped_epoch == 2
    assert history["loss"][1] < history["loss"][0]
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), snapshots.weights[1][k])


def test_without_tracked_weights_the_message_says_the_weights_are_not_finite():
    X, y = _data(nan_at=30)
    model = _model()
    with pytest.warns(RuntimeWarning, match=r"epoch 1, batch 4 .*not finite"):
        nn.fit(model, X, y, loss="mse", epochs=3, batch_size=8, shuffle=False, verbose=0)
    assert any(np.isnan(v.numpy()).any() for v in model.state_dict().values())


def test_fit_can_be_told_to_keep_going():
    X, y = _data(nan_at=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = nn.fit(_model(), X, y, loss="mse", epochs=2, batch_size=8, verbose=0,
                         stop_on_nonfinite=False)
    assert len(history) == 2


def test_fit_on_finite_data_warns_nothing():
    X, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = nn.fit(_model(), X, y, loss="mse", epochs=2, batch_size=8, verbose=0)
    assert len(history) == 2 and history.nonfinite is None


def test_terminate_on_nan_stops_at_the_batch():
    X, y = _data(nan_at=9)
    seen = []

    class Count(nn.Callback):
        def on_batch_end(self, batch, logs=None):
            seen.append(batch)

    with pytest.warns(RuntimeWarning, match="TerminateOnNaN: batch 3 of epoch 1"):
        history = nn.fit(_model(), X, y, loss="mse", epochs=3, batch_size=4, shuffle=False,
                         verbose=0, callbacks=[nn.TerminateOnNaN(), Count()],
                         stop_on_nonfinite=False)
    assert seen == [0, 1, 2]
    assert len(history) == 1 and history.stopped_epoch == 0


def test_terminate_on_nan_is_exported_like_keras():
    assert nn.TerminateOnNaN is nn.training.TerminateOnNaN
    assert issubclass(nn.TerminateOnNaN, nn.Callback)
