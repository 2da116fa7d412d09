"""nn.estimators with scikit-learn: check_estimator, Pipeline, clone, GridSearchCV, and
accuracy / R² against scikit-learn's own MLPs with the same hyperparameters."""

import inspect
import warnings

import numpy as np
import pytest

from autograd_core.datasets import load_iris, load_mnist_small, make_regression, train_test_split
from autograd_core.nn.estimators import ConvergenceWarning, MLPClassifier, MLPRegressor, NotFittedError, \
    Perceptron

sklearn = pytest.importorskip("sklearn")
from sklearn import neural_network  # noqa: E402
from sklearn.base import clone, is_classifier, is_regressor  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

# Small networks and few epochs keep check_estimator quick; its accuracy checks still pass.
CHECKED = [MLPClassifier(hidden_layer_sizes=(16,), max_iter=20, learning_rate_init=0.01,
                         random_state=0),
           MLPRegressor(hidden_layer_sizes=(16,), max_iter=20, learning_rate_init=0.01,
                        random_state=0),
           Perceptron(max_iter=50)]


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        yield


@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")  # on purpose
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
@pytest.mark.parametrize("estimator", CHECKED, ids=lambda e: type(e).__name__)
def test_check_estimator_passes(estimator):
    # mini-batches of repeated samples are not those of weighted samples (scikit-learn's own
    # stochastic MLPs fail this check too); tests/nn/test_nn_estimators_options.py runs it in
    # full with solver="lbfgs"
    expected = ({"check_sample_weight_equivalence_on_dense_data": "mini-batches differ"}
                if "sample_weight" in inspect.signature(estimator.fit).parameters else None)
    check_estimator(estimator, expected_failed_checks=expected)  # raises on a failing check


def test_estimator_types_and_sklearn_exceptions():
    assert is_classifier(MLPClassifier()) and is_classifier(Perceptron())
    assert is_regressor(MLPRegressor())
    with pytest.raises(sklearn.exceptions.NotFittedError):
        MLPClassifier().predict([[0.0]])
    with pytest.raises(NotFittedError):
        MLPClassifier().predict([[0.0]])
    with pytest.warns(sklearn.exceptions.ConvergenceWarning):
        MLPRegressor((4,), max_iter=1).fit(np.eye(5), np.arange(5.0))


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor, Perceptron])
def test_clone_copies_parameters_not_fitted_state(cls):
    X, y = load_iris(return_X_y=True)
    est = cls(max_iter=3, random_state=1).fit(X, y)
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert not hasattr(copy, "n_features_in_")


def test_pipeline_with_standard_scaler():
    X, y = load_iris(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    pipe = make_pipeline(StandardScaler(), MLPClassifier((16,), max_iter=300,
                                                         learning_rate_init=0.01,
                                                         random_state=0))
    assert pipe.fit(X_tr, y_tr).score(X_te, y_te) > 0.9
    assert pipe.predict_proba(X_te).shape == (len(X_te), 3)
    pipe = make_pipeline(StandardScaler(), Perceptron(random_state=0))
    assert pipe.fit(X_tr, y_tr).score(X_te, y_te) > 0.7


def test_grid_search_over_estimator_parameters():
    X, y = load_iris(return_X_y=True)
    grid = GridSearchCV(make_pipeline(StandardScaler(), MLPClassifier(max_iter=30,
                                                                      random_state=0)),
                        {"mlpclassifier__hidden_layer_sizes": [(4,), (16,)],
                         "mlpclassifier__learning_rate_init": [0.001, 0.02]}, cv=3)
    grid.fit(X, y)
    assert grid.best_params_["mlpclassifier__learning_rate_init"] == 0.02
    assert grid.best_score_ > 0.85


# -- against scikit-learn's own MLPs, same hyperparameters and random_state ----------------------

ACCURACY_MARGIN = 0.02  # test accuracy within 2 percentage points of scikit-learn's
R2_MARGIN = 0.03


@pytest.fixture(scope="module")
def mnist_subset():
    (X_tr, y_tr), (X_te, y_te) = load_mnist_small()
    X_tr = X_tr[:2000].reshape(2000, -1) / 255.0
    X_te = X_te.reshape(len(X_te), -1) / 255.0
    return X_tr, y_tr[:2000], X_te, y_te


@pytest.mark.parametrize("solver, lr", [("adam", 0.001), ("sgd", 0.05)])
def test_classifier_matches_sklearn_on_mnist_subset(mnist_subset, solver, lr):
    X_tr, y_tr, X_te, y_te = mnist_subset
    params = dict(hidden_layer_sizes=(64,), solver=solver, learning_rate_init=lr, max_iter=20,
                  random_state=0)
    ours = MLPClassifier(**params).fit(X_tr, y_tr)
    theirs = neural_network.MLPClassifier(**params).fit(X_tr, y_tr)
    assert theirs.score(X_te, y_te) > 0.85  # the comparison is with a network that learned
    assert abs(ours.score(X_te, y_te) - theirs.score(X_te, y_te)) <= ACCURACY_MARGIN
    # Same initial weights and batch order: the training curves agree closely too (SGD to
    # rounding; Adam adds epsilon in PyTorch's place, which matters for the blank pixels).
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_,
                               rtol=1e-6 if solver == "sgd" else 1e-2)


@pytest.mark.parametrize("solver, lr", [("adam", 0.01), ("sgd", 0.01)])
def test_regressor_matches_sklearn_on_a_regression_set(solver, lr):
    X, y = make_regression(1500, 10, n_informative=6, noise=10.0, random_state=0)
    y = 3 * np.tanh(y / 100.0) + 0.1 * X[:, 0] * X[:, 1]  # a nonlinear target
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    X_tr, X_te = scaler.transform(X_tr), scaler.transform(X_te)
    params = dict(hidden_layer_sizes=(32,), solver=solver, learning_rate_init=lr, max_iter=30,
                  random_state=0)
    ours = MLPRegressor(**params).fit(X_tr, y_tr)
    theirs = neural_network.MLPRegressor(**params).fit(X_tr, y_tr)
    assert theirs.score(X_te, y_te) > 0.9
    assert abs(ours.score(X_te, y_te) - theirs.score(X_te, y_te)) <= R2_MARGIN
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_,
                               rtol=1e-6 if solver == "sgd" else 1e-2)


def test_initial_weights_and_an_sgd_step_are_scikit_learns(mnist_subset):
    X_tr, y_tr, _, _ = mnist_subset
    params = dict(hidden_layer_sizes=(8,), activation="logistic", solver="sgd", max_iter=1,
                  random_state=5)
    ours = MLPClassifier(**params).partial_fit(X_tr[:1], y_tr[:1], classes=np.arange(10))
    theirs = neural_network.MLPClassifier(**params).partial_fit(X_tr[:1], y_tr[:1],
                                                                 classes=np.arange(10))
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
