"""NeuralNetClassifier / NeuralNetRegressor: any nn.Module in scikit-learn (skorch / SciKeras
style): parameter routing, fit parameters, pickling, cloning, check_estimator and a
RandomizedSearchCV in two processes."""

import pickle
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn
from autograd_core.datasets import load_iris, make_regression
from autograd_core.nn.estimators import NeuralNetClassifier, NeuralNetRegressor

sklearn = pytest.importorskip("sklearn", reason="the wrapper is tested inside scikit-learn")
from scipy.stats import reciprocal  # noqa: E402  (scikit-learn needs SciPy)
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import RandomizedSearchCV  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402


def build_model(in_features, out_features, n_hidden=1, n_neurons=16, dtype="float64"):
    """Géron's build_model: n_hidden ReLU layers of n_neurons, a linear output."""
    return nn.MLP(in_features, [n_neurons] * n_hidden, out_features, dtype=dtype)


@pytest.fixture(scope="module")
def housing_like():
    X, y = make_regression(240, 6, n_informative=4, noise=5.0, random_state=0)
    return StandardScaler().fit_transform(X), (y - y.mean()) / y.std()


# float64 modules: check_estimator compares predictions on a subset with those on the whole
# set to 1e-7, and float32 matrix products of different batch sizes round differently.
@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")  # on purpose
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
@pytest.mark.parametrize("estimator", [
    NeuralNetClassifier(build_model, epochs=20, optimizer__lr=0.01, random_state=0),
    NeuralNetRegressor(build_model, epochs=20, optimizer__lr=0.01, random_state=0),
], ids=["classifier", "regressor"])
def test_check_estimator_passes(estimator):
    check_estimator(estimator)


def test_prefixed_parameters_reach_module_optimizer_and_callbacks(housing_like):
    X, y = housing_like
    stopper = nn.EarlyStopping(patience=50)
    reg = NeuralNetRegressor(build_model, module__n_hidden=2, module__n_neurons=7,
                             optimizer="sgd", optimizer__lr=3e-3, optimizer__momentum=0.5,
                             callbacks=[stopper], callbacks__earlystopping__patience=1,
                             epochs=4, validation_split=0.25, random_state=0)
    assert reg.get_params()["module__n_neurons"] == 7
    reg.fit(X, y)
    linears = [m for m in reg.module_.modules() if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(6, 7), (7, 7), (7, 1)]
    group = reg.optimizer_.param_groups[0]
    assert type(reg.optimizer_).__name__ == "SGD" and group["lr"] == 3e-3
    assert group["momentum"] == 0.5
    assert stopper.patience == 50  # the constructor's callback is copied, never changed
    assert "val_loss" in reg.history_.history
    reg.set_params(module__n_neurons=3, callbacks__0__patience=2)
    assert reg.fit(X, y).module_[0].out_features == 3


def test_fit_parameters_pass_through_to_nn_fit(housing_like):
    X, y = housing_like
    seen = []

    class Count(nn.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    reg = NeuralNetRegressor(build_model, epochs=10, random_state=0)
    reg.fit(X[:200], y[:200], epochs=3, validation_data=(X[200:], y[200:]),
            callbacks=[Count()])
    assert len(reg.history_) == 3 and seen == [0, 1, 2]
    assert len(reg.history_.history["val_loss"]) == 3
    with pytest.raises(TypeError, match="unknown fit parameter"):
        reg.fit(X, y, epoch=3)
    with pytest.raises(TypeError, match="must start with module__"):
        NeuralNetRegressor(build_model, n_hidden=2).fit(X, y)
    with pytest.raises(TypeError, match="returned a"):
        NeuralNetRegressor(lambda in_features, out_features: 3).fit(X, y)


def test_classifier_labels_probabilities_and_partial_fit():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = NeuralNetClassifier(nn.MLP, module__hidden_sizes=[16], epochs=30,
                              optimizer__lr=0.01, random_state=0)
    clf.fit(X, names)
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert clf.score(X, names) > 0.9
    online = NeuralNetClassifier(nn.MLP, module__hidden_sizes=[8], random_state=0)
    online.partial_fit(X[:10], names[:10], classes=clf.classes_)  # only setosa so far
    before = online.module_[0].weight.numpy().copy()
    online.partial_fit(X, names)
    assert len(online.history_) == 1
    assert not np.array_equal(before, online.module_[0].weight.numpy())
    with pytest.raises(ValueError, match="classes"):
        online.partial_fit(X[:3], ["a", "b", "c"])


def test_pickle_clone_seeding_and_module_instances(housing_like):
    X, y = housing_like
    reg = NeuralNetRegressor(build_model, module__n_neurons=8, epochs=3, random_state=4)
    reg.fit(X, y)
    back = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(back.predict(X), reg.predict(X))
    fresh = clone(reg)
    assert fresh.get_params() == reg.get_params() and not hasattr(fresh, "module_")
    np.testing.assert_array_equal(fresh.fit(X, y).predict(X), reg.predict(X))  # seeded
    ag.manual_seed(11)
    expected = ag.randn(3).numpy()
    ag.manual_seed(11)
    reg.fit(X, y)  # seeds the global generator for the fit only, then puts it back
    np.testing.assert_array_equal(ag.randn(3).numpy(), expected)
    template = build_model(6, 1)
    weights = template[0].weight.numpy().copy()
    NeuralNetRegressor(template, epochs=2).fit(X, y)
    np.testing.assert_array_equal(template[0].weight.numpy(), weights)  # copied, not trained
    with pytest.raises(ValueError, match="module__ parameters need"):
        NeuralNetRegressor(template, module__n_hidden=2).fit(X, y)


def test_geron_search_style_builder_in_process(housing_like):
    X, y = housing_like
    search = RandomizedSearchCV(
        NeuralNetRegressor(build_model, optimizer="sgd", epochs=5, random_state=0),
        {"module__n_hidden": [0, 1, 2, 3], "module__n_neurons": np.arange(1, 100),
         "optimizer__lr": reciprocal(3e-4, 3e-2)}, n_iter=3, cv=2, random_state=42)
    search.fit(X, y)
    assert set(search.best_params_) == {"module__n_hidden", "module__n_neurons",
                                        "optimizer__lr"}
    assert len(search.cv_results_["mean_test_score"]) == 3
    assert isinstance(search.best_estimator_.module_, nn.Module)


def test_randomized_search_in_two_processes(housing_like):
    # n_jobs=2: every candidate is pickled to a worker process and back (joblib's loky)
    X, y = housing_like
    search = RandomizedSearchCV(
        NeuralNetRegressor(nn.MLP, epochs=5, random_state=0),
        {"module__hidden_sizes": [[], [8], [16, 16]], "optimizer__lr": reciprocal(3e-4, 3e-2)},
        n_iter=4, cv=2, n_jobs=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # loky's notes about worker memory
        search.fit(X, y)
    assert search.best_score_ > 0.5
    serial = RandomizedSearchCV(
        NeuralNetRegressor(nn.MLP, epochs=5, random_state=0),
        {"module__hidden_sizes": [[], [8], [16, 16]], "optimizer__lr": reciprocal(3e-4, 3e-2)},
        n_iter=4, cv=2, n_jobs=1, random_state=0).fit(X, y)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               serial.cv_results_["mean_test_score"], rtol=1e-6)
