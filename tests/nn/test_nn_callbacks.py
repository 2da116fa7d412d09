"""Callbacks of nn.fit: EarlyStopping (patience, min_delta, restoring the best weights),
ModelCheckpoint, LearningRateScheduler with the optim schedulers, CSVLogger."""

import csv
import types

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn
from autograd_core import optim


def _regression(n=80, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5], dtype=np.float32))[:, None]
    return X, y


class _Sabotage(nn.Callback):
    """From epoch ``start`` on, push the weights away before each epoch (val loss rises)."""

    def __init__(self, start):
        self.start = start

    def on_epoch_begin(self, epoch, logs=None):
        if epoch >= self.start:
            with ag.no_grad():
                for p in self.model.parameters():
                    p.data += 3.0


class _Snapshots(nn.Callback):
    def on_train_begin(self, logs=None):
        self.taken = []

    def on_epoch_end(self, epoch, logs=None):
        self.taken.append({k: v.numpy().copy() for k, v in self.model.state_dict().items()})


def test_early_stopping_restores_the_best_weights():
    X, y = _regression()
    model = nn.Linear(3, 1)
    snaps = _Snapshots()
    early = nn.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    history = nn.fit(model, X, y, loss="mse", optimizer="sgd", lr=0.05, epochs=20,
                     validation_data=(X[:20], y[:20]), verbose=0,
                     callbacks=[_Sabotage(start=3), snaps, early])
    val = history.history["val_loss"]
    assert early.best_epoch == 2 == int(np.argmin(val))
    assert history.stopped_epoch == early.stopped_epoch == 4 and len(history) == 5
    assert val[3] > val[2] and val[4] > val[2]
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), snaps.taken[2][name])
    assert not np.array_equal(snaps.taken[4]["weight"], snaps.taken[2]["weight"])


def _drive(callback, values, monitor="val_loss"):
    """Feed ``values`` to ``callback`` as the epochs' logs; the epoch it stopped at, or None."""
    model = types.SimpleNamespace(stop_training=False)
    callback.set_context(model, None, {})
    callback.on_train_begin({})
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {monitor: value})
        if model.stop_training:
            return epoch
    return None


def test_early_stopping_patience_and_min_delta():
    losses = [1.0, 0.95, 0.949, 0.948, 0.5]
    assert _drive(nn.EarlyStopping(patience=0), losses) is None  # every epoch improves
    # 0.949 and 0.948 beat 0.95 by less than min_delta: two bad epochs
    assert _drive(nn.EarlyStopping(patience=2, min_delta=0.01), losses) == 3
    assert _drive(nn.EarlyStopping(patience=3, min_delta=0.01), losses) is None
    assert _drive(nn.EarlyStopping(patience=0, min_delta=0.01), losses) == 2
    stopper = nn.EarlyStopping(patience=1, min_delta=0.01)
    _drive(stopper, losses)
    assert stopper.best == 0.95 and stopper.best_epoch == 1
    # "auto" mode maximises accuracy
    acc = [0.5, 0.6, 0.6, 0.55]
    assert _drive(nn.EarlyStopping(monitor="val_accuracy", patience=1), acc,
                  monitor="val_accuracy") == 2
    # a baseline that is never beaten stops after `patience` epochs
    assert _drive(nn.EarlyStopping(patience=2, baseline=0.1), losses) == 1


def test_early_stopping_names_a_missing_monitor():
    X, y = _regression(n=20)
    with pytest.raises(KeyError, match="validation_split"):
        nn.fit(nn.Linear(3, 1), X, y, loss="mse", epochs=1, verbose=0,
               callbacks=[nn.EarlyStopping()])


def test_model_checkpoint_files_load_back(tmp_path):
    X, y = _regression()
    model = nn.Linear(3, 1)
    snaps = _Snapshots()
    every = nn.ModelCheckpoint(tmp_path / "m-{epoch:02d}-{loss:.3f}.npz", save_best_only=False)
    best = nn.ModelCheckpoint(tmp_path / "best.npz", monitor="val_loss", save_best_only=True)
    nn.fit(model, X, y, loss="mse", optimizer="sgd", lr=0.05, epochs=5,
           validation_data=(X[:20], y[:20]), verbose=0,
           callbacks=[_Sabotage(start=3), snaps, every, best])
    assert len(every.saved) == 5 and every.saved[0].startswith(str(tmp_path / "m-01-"))
    for path, snap in zip(every.saved, snaps.taken):
        restored = nn.Linear(3, 1)
        restored.load_state_dict(nn.load(path))
        for name, value in restored.state_dict().items():
            np.testing.assert_array_equal(value.numpy(), snap[name])
    assert best.saved == [str(tmp_path / "best.npz")] * 3  # epochs 1-3 improve, 4-5 do not
    state = nn.load(tmp_path / "best.npz")
    np.testing.assert_array_equal(state["weight"].numpy(), snaps.taken[2]["weight"])


def test_model_checkpoint_save_best_only_in_max_mode(tmp_path):
    checkpoint = nn.ModelCheckpoint(tmp_path / "best-{epoch}.npz", monitor="val_accuracy",
                                    save_best_only=True)
    checkpoint.set_context(nn.Linear(3, 1), None, {})
    checkpoint.on_train_begin({})
    for epoch, value in enumerate([0.5, 0.7, 0.7, 0.6, 0.8]):  # ties do not count
        checkpoint.on_epoch_end(epoch, {"val_accuracy": value})
    assert checkpoint.saved == [str(tmp_path / f"best-{e}.npz") for e in (1, 2, 5)]
    assert checkpoint.best == 0.8


def _lr_fit(callback, opt, epochs=4, loss="mse"):
    X, y = _regression(n=32)
    return nn.fit(opt.model, X, y, loss=loss, optimizer=opt, epochs=epochs, batch_size=16,
                  verbose=0, callbacks=[callback]).history["lr"]


def _sgd(lr=0.1):
    model = nn.Linear(3, 1)
    opt = optim.SGD(model.parameters(), lr=lr)
    opt.model = model
    return opt


def test_learning_rate_scheduler_steps_an_optim_scheduler_each_epoch():
    opt = _sgd()
    lrs = _lr_fit(nn.LearningRateScheduler(optim.lr_scheduler.StepLR(opt, 1, gamma=0.5)), opt)
    assert lrs == pytest.approx([0.1, 0.05, 0.025, 0.0125])
    assert opt.param_groups[0]["lr"] == pytest.approx(0.00625)


def test_learning_rate_scheduler_with_a_function():
    opt = _sgd()
    lrs = _lr_fit(nn.LearningRateScheduler(lambda epoch, lr: 0.01 * (epoch + 1)), opt)
    assert lrs == pytest.approx([0.01, 0.02, 0.03, 0.04])


def test_learning_rate_scheduler_feeds_reduce_on_plateau_the_monitored_value():
    opt = _sgd()
    plateau = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)

    def flat_loss(output, target):  # constant: never improves
        return (output * 0.0).sum() + 1.0

    lrs = _lr_fit(nn.LearningRateScheduler(plateau, monitor="loss"), opt, loss=flat_loss)
    assert lrs == pytest.approx([0.1, 0.1, 0.05, 0.025])


def test_learning_rate_scheduler_refuses_a_scheduler_of_another_optimizer():
    other = _sgd()
    opt = _sgd()
    with pytest.raises(ValueError, match="another optimizer"):
        _lr_fit(nn.LearningRateScheduler(optim.lr_scheduler.StepLR(other, 1)), opt)


def test_csv_logger_writes_a_row_per_epoch(tmp_path):
    X, y = _regression(n=40)
    path = tmp_path / "log.csv"
    history = nn.fit(nn.Linear(3, 1), X, y, loss="mse", epochs=3, validation_split=0.25,
                     metrics=["mae"], verbose=0, callbacks=[nn.CSVLogger(path)])
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "loss", "mae", "val_loss", "val_mae", "lr"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1, 2]
    for row, loss in zip(rows[1:], history.history["loss"]):
        assert float(row[1]) == pytest.approx(loss)
    nn.fit(nn.Linear(3, 1), X, y, loss="mse", epochs=2, validation_split=0.25, metrics=["mae"],
           verbose=0, callbacks=[nn.CSVLogger(path, append=True)])
    with open(path, newline="") as f:
        assert len(list(csv.reader(f))) == 1 + 3 + 2  # one header


def test_callbacks_must_be_callback_instances():
    X, y = _regression(n=8)
    with pytest.raises(TypeError, match="nn.Callback"):
        nn.fit(nn.Linear(3, 1), X, y, loss="mse", verbose=0, callbacks=[print])
