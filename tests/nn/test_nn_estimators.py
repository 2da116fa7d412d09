"""nn.estimators without scikit-learn: parameters, fitting, prediction, errors, pickling.

The scikit-learn interoperability tests (check_estimator, Pipeline, GridSearchCV,
comparison with scikit-learn's own MLPs) are in test_nn_estimators_sklearn.py.
"""

import pickle
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn
from autograd_core.datasets import StandardScaler, load_iris, make_moons
from autograd_core.nn.estimators import (ConvergenceWarning, MLPClassifier, MLPRegressor, NotFittedError,
                           Perceptron)

ESTIMATORS = [MLPClassifier, MLPRegressor, Perceptron]


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.fixture(scope="module")
def iris():
    bunch = load_iris()
    return StandardScaler().fit_transform(bunch.data), bunch.target


def _regression(n=120, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, (n, 3))
    return X, np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2]


def test_exported_from_nn():
    assert nn.MLPClassifier is MLPClassifier and nn.MLPRegressor is MLPRegressor
    assert nn.estimators.Perceptron is Perceptron
    assert nn.Perceptron is not Perceptron  # nn.Perceptron stays the layer


# -- parameters ---------------------------------------------------------------------------

@pytest.mark.parametrize("cls", ESTIMATORS)
def test_get_params_lists_every_constructor_argument(cls):
    est = cls()
    params = est.get_params()
    assert "max_iter" in params and "random_state" in params and "device" in params
    assert est.set_params(max_iter=7) is est and est.get_params()["max_iter"] == 7
    with pytest.raises(ValueError, match="Invalid parameter 'nope'"):
        est.set_params(nope=1)


def test_mlp_has_scikit_learns_parameters():
    expected = {"hidden_layer_sizes", "activation", "solver", "alpha", "batch_size",
                "learning_rate", "learning_rate_init", "power_t", "max_iter", "shuffle",
                "random_state", "tol", "verbose", "warm_start", "momentum",
                "nesterovs_momentum", "early_stopping", "validation_fraction", "beta_1",
                "beta_2", "epsilon", "n_iter_no_change", "max_fun", "device"}
    assert set(MLPClassifier().get_params()) == expected
    assert set(MLPRegressor().get_params()) == expected | {"loss"}


def test_repr_shows_changed_parameters_only():
    assert repr(MLPClassifier()) == "MLPClassifier()"
    assert repr(MLPRegressor(hidden_layer_sizes=(8,), max_iter=5)) == \
        "MLPRegressor(hidden_layer_sizes=(8,), max_iter=5)"


def test_init_neither_validates_nor_converts():
    est = MLPClassifier(hidden_layer_sizes=[0], solver="bogus", alpha=-1)
    assert est.hidden_layer_sizes == [0] and est.solver == "bogus"
    with pytest.raises(ValueError, match="hidden_layer_sizes must be positive"):
        est.fit([[0.0], [1.0]], [0, 1])


@pytest.mark.parametrize("params, match", [
    (dict(solver="newton"), "solver must be one of"),
    (dict(activation="softmax"), "activation must be one of"),
    (dict(alpha=-1.0), "alpha must be >= 0"),
    (dict(batch_size=0), "batch_size must be 'auto' or a positive int"),
    (dict(learning_rate="cyclic"), "learning_rate must be one of"),
    (dict(validation_fraction=1.0), "validation_fraction must be in"),
])
def test_bad_parameters_are_named_at_fit(params, match):
    with pytest.raises(ValueError, match=match):
        MLPRegressor(**params).fit(*_regression(20))


# -- classifier -----------------------------------------------------------------------------

def test_classifier_multiclass_fit_predict_proba(iris):
    X, y = iris
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=200, learning_rate_init=0.01,
                        random_state=0).fit(X, y)
    assert clf.score(X, y) > 0.95
    assert clf.out_activation_ == "softmax" and clf.n_outputs_ == 3 and clf.n_layers_ == 3
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3) and isinstance(proba, np.ndarray)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba))
    assert [c.shape for c in clf.coefs_] == [(4, 16), (16, 3)]
    assert [b.shape for b in clf.intercepts_] == [(16,), (3,)]
    assert len(clf.loss_curve_) == clf.n_iter_ and clf.loss_ == clf.loss_curve_[-1]
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None


def test_classifier_binary_string_labels_use_one_logistic_unit():
    X, y = make_moons(200, noise=0.1, random_state=0)
    labels = np.array(["no", "yes"])[y]
    clf = MLPClassifier(hidden_layer_sizes=(16,), activation="tanh", max_iter=300,
                        learning_rate_init=0.02, random_state=0).fit(X, labels)
    assert clf.out_activation_ == "logistic" and clf.coefs_[-1].shape == (16, 1)
    assert clf.predict_proba(X).shape == (200, 2)
    assert set(clf.predict(X)) == {"no", "yes"} and clf.score(X, labels) > 0.9


def test_classifier_multilabel_indicator_targets():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 4))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 0] + X[:, 1] > 0]).astype(int)
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=200, learning_rate_init=0.02,
                        random_state=0).fit(X, Y)
    assert clf.predict(X).shape == (100, 3) and clf.predict_proba(X).shape == (100, 3)
    assert clf.score(X, Y) > 0.8


def test_fit_is_reproducible_with_an_int_random_state(iris):
    X, y = iris
    a = MLPClassifier((8,), max_iter=5, random_state=3).fit(X, y)
    b = MLPClassifier((8,), max_iter=5, random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])
    assert a.loss_curve_ == b.loss_curve_


def test_partial_fit_needs_classes_first_then_runs_one_epoch(iris):
    X, y = iris
    clf = MLPClassifier((8,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])  # not every class in y
    assert clf.n_iter_ == 1 and clf.t_ == 100 and clf.predict_proba(X).shape == (150, 3)
    clf.partial_fit(X, y)
    assert clf.t_ == 250 and len(clf.loss_curve_) == 2
    with pytest.raises(ValueError, match="not the same as on last call"):
        clf.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="classes not in"):
        clf.partial_fit(X[:5], [0, 1, 2, 3, 0])


def test_warm_start_continues_from_the_weights(iris):
    X, y = iris
    clf = MLPClassifier((8,), max_iter=3, warm_start=True, random_state=0).fit(X, y)
    first = clf.coefs_[0].copy()
    clf.fit(X, y)
    assert len(clf.loss_curve_) == 6 and not np.array_equal(first, clf.coefs_[0])
    with pytest.raises(ValueError, match="same classes"):
        clf.fit(X[y < 2], y[y < 2])
    cold = MLPClassifier((8,), max_iter=3, random_state=0).fit(X, y).fit(X, y)
    assert len(cold.loss_curve_) == 3


def test_early_stopping_keeps_the_best_validation_epoch(iris):
    X, y = iris
    clf = MLPClassifier((8,), max_iter=60, early_stopping=True, validation_fraction=0.2,
                        n_iter_no_change=3, learning_rate_init=0.05, random_state=0).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    with pytest.raises(ValueError, match="does not support early_stopping"):
        clf.partial_fit(X, y)


def test_tol_stops_training_before_max_iter(iris):
    X, y = iris
    clf = MLPClassifier((8,), max_iter=500, tol=0.5, n_iter_no_change=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf.fit(X, y)  # stops on tol: no warning
    # scikit-learn's rule: epoch 1 sets the best loss, then stop once more than
    # n_iter_no_change epochs in a row fail to beat it by tol
    assert clf.n_iter_ == 1 + 2 + 1


def test_max_iter_reached_warns():
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        MLPRegressor((4,), max_iter=2, random_state=0).fit(*_regression(30))


@pytest.mark.parametrize("solver, schedule", [("sgd", "constant"), ("sgd", "invscaling"),
                                              ("sgd", "adaptive"), ("adam", "constant")])
@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_every_solver_schedule_and_activation_lowers_the_loss(solver, schedule, activation):
    X, y = _regression()
    reg = MLPRegressor((16,), activation=activation, solver=solver, learning_rate=schedule,
                       learning_rate_init=0.05 if solver == "sgd" else 0.01, max_iter=40,
                       batch_size=32, random_state=0).fit(X, y)
    assert reg.loss_curve_[-1] < 0.9 * reg.loss_curve_[0]  # invscaling decays fast: slowest


# -- regressor --------------------------------------------------------------------------------

def test_regressor_single_and_multi_output():
    X, y = _regression(200)
    reg = MLPRegressor((32,), max_iter=200, learning_rate_init=0.01, random_state=0).fit(X, y)
    assert reg.predict(X).shape == (200,) and reg.score(X, y) > 0.9
    assert reg.out_activation_ == "identity"
    Y = np.column_stack([y, -2 * y])
    multi = MLPRegressor((32,), max_iter=200, learning_rate_init=0.01, random_state=0).fit(X, Y)
    assert multi.predict(X).shape == (200, 2) and multi.n_outputs_ == 2
    assert multi.score(X, Y) > 0.9


def test_regressor_float32_input_trains_in_float32():
    X, y = _regression(50)
    reg = MLPRegressor((8,), max_iter=3, random_state=0).fit(X.astype(np.float32), y)
    assert reg.coefs_[0].dtype == np.float32


def test_alpha_shrinks_the_weights():
    X, y = _regression()
    kw = dict(hidden_layer_sizes=(16,), max_iter=100, learning_rate_init=0.01, random_state=0)
    free = MLPRegressor(alpha=0.0, **kw).fit(X, y)
    tied = MLPRegressor(alpha=10.0, **kw).fit(X, y)
    assert sum((c ** 2).sum() for c in tied.coefs_) < sum((c ** 2).sum() for c in free.coefs_)


# -- perceptron --------------------------------------------------------------------------------

def test_perceptron_separates_setosa_and_converges(iris):
    X, y = iris
    clf = Perceptron(random_state=0).fit(X, y == 0)
    assert clf.score(X, y == 0) == 1.0 and clf.errors_[-1] == 0
    assert clf.coef_.shape == (1, 4) and clf.intercept_.shape == (1,)
    assert clf.decision_function(X).shape == (150,)


def test_perceptron_one_vs_rest_multiclass(iris):
    X, y = iris
    clf = Perceptron(random_state=0).fit(X, y)
    assert clf.coef_.shape == (3, 4) and clf.decision_function(X).shape == (150, 3)
    assert clf.score(X, y) > 0.7
    np.testing.assert_array_equal(clf.predict(X), clf.decision_function(X).argmax(axis=1))


def test_perceptron_partial_fit_and_warm_start(iris):
    X, y = iris
    clf = Perceptron(random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.n_iter_ == 1 and clf.t_ == 150
    warm = Perceptron(max_iter=2, tol=None, warm_start=True, random_state=0).fit(X, y)
    w = warm.coef_.copy()
    assert not np.array_equal(warm.fit(X, y).coef_, w) and warm.t_ == 600


@pytest.mark.parametrize("cls", [MLPClassifier, Perceptron])
def test_partial_fit_classes_must_stay_the_same(cls, iris):
    X, y = iris
    clf = cls(random_state=0).partial_fit(X, y, classes=[2, 0, 1])  # order does not matter
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    clf.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match=r"`classes=array\(\[0, 1\]\)` is not the same"):
        clf.partial_fit(X, y, classes=[0, 1])


# -- input checks and errors ---------------------------------------------------------------------

@pytest.mark.parametrize("cls", ESTIMATORS)
def test_unfitted_estimators_raise_not_fitted(cls):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        cls().predict([[0.0, 1.0]])
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("X, exc, match", [
    ([1.0, 2.0, 3.0, 4.0], ValueError, "Expected 2D array, got 1D array"),
    (np.zeros((0, 2)), ValueError, "0 sample"),
    ([[1.0, np.nan]] * 4, ValueError, "NaN"),
    ([[1.0, np.inf]] * 4, ValueError, "infinity"),
    (np.ones((4, 2), dtype=complex), ValueError, "Complex data not supported"),
])
def test_bad_X_is_rejected_with_a_clear_message(cls, X, exc, match):
    y = [0, 1, 0, 1][:len(X)]
    with pytest.raises(exc, match=match):
        cls().fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_wrong_feature_count_and_bad_targets(cls):
    X = np.random.RandomState(0).normal(size=(20, 3))
    y = np.arange(20) % 2
    est = cls(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but .* is expecting 3"):
        est.predict(X[:, :2])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        cls().fit(X, y[:5])
    with pytest.raises(ValueError, match="requires y to be passed"):
        cls().fit(X, None)


@pytest.mark.parametrize("cls", [MLPClassifier, Perceptron])
def test_classifiers_reject_continuous_and_single_class_targets(cls):
    X = np.random.RandomState(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        cls().fit(X, X[:, 0])
    with pytest.raises(ValueError, match="only one class"):
        cls().fit(X, np.zeros(10))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_pickle_round_trip_keeps_predictions(cls, iris):
    X, y = iris
    est = cls(max_iter=5, random_state=0).fit(X, y)
    back = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(back.predict(X), est.predict(X))
    if cls is not Perceptron:  # the optimizer state travels too: training goes on alike
        np.testing.assert_allclose(back.partial_fit(X, y).coefs_[0],
                                   est.partial_fit(X, y).coefs_[0])


@pytest.mark.gpu
@pytest.mark.skipif(not ag.cupy_available(), reason="needs CuPy and a CUDA GPU")
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_cuda_device_matches_cpu(cls, iris):
    X, y = iris
    cpu = cls(max_iter=5, random_state=0).fit(X, y)
    gpu = cls(max_iter=5, random_state=0, device="cuda").fit(X, y)
    out = gpu.predict(X)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, cpu.predict(X))


def test_importing_nn_does_not_import_sklearn():
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = ("import sys, nn, numpy as np\n"
            "nn.MLPClassifier((4,), max_iter=2).fit(np.eye(4), [0, 1, 0, 1]).predict(np.eye(4))\n"
            "assert 'sklearn' not in sys.modules, 'sklearn was imported'\n")
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True,
                            text=True, cwd=str(__import__("pathlib").Path(nn.__file__).parents[1]))
    assert result.returncode == 0, result.stderr
