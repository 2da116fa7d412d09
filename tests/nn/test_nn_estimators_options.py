"""MLP estimator options against scikit-learn's own estimators on the same data and
``random_state``: ``loss="poisson"``, ``solver="lbfgs"`` (``max_fun``), ``sample_weight``,
``decision_function``, and the scikit-learn 1.9 parameter order."""

import inspect
import warnings

import numpy as np
import pytest

from autograd_core.datasets import load_iris, make_regression
from autograd_core import nn
from autograd_core.nn.estimators import (ConvergenceWarning, MLPClassifier, MLPRegressor,
                                         NeuralNetClassifier, NeuralNetRegressor, Perceptron)

sklearn = pytest.importorskip("sklearn", minversion="1.7",
                              reason="the oracle is scikit-learn's own MLP (loss= since 1.7)")
pytest.importorskip("scipy", reason="solver='lbfgs' runs SciPy's L-BFGS-B")
from sklearn import neural_network  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.metrics import accuracy_score, r2_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        yield


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(300, 5, noise=5.0, random_state=0)
    X = StandardScaler().fit_transform(X)
    rng = np.random.RandomState(0)
    counts = rng.poisson(np.exp(0.5 * X[:, 0] - 0.3 * X[:, 1])).astype(float)
    weights = rng.randint(0, 4, len(y)).astype(float)
    return X, (y - y.mean()) / y.std(), counts, weights


def _positional(cls):
    return [name for name, p in inspect.signature(cls.__init__).parameters.items()
            if p.kind == p.POSITIONAL_OR_KEYWORD and name != "self"]


@pytest.mark.parametrize("ours, theirs", [(MLPRegressor, neural_network.MLPRegressor),
                                          (MLPClassifier, neural_network.MLPClassifier)])
def test_parameter_order_and_defaults_are_the_installed_scikit_learns(ours, theirs):
    assert _positional(ours) == _positional(theirs)
    mine = ours().get_params()
    for name, value in theirs().get_params().items():
        assert mine[name] == value, name


def test_a_positional_hidden_layer_sizes_is_not_read_as_a_loss():
    assert MLPRegressor((64,)).get_params()["hidden_layer_sizes"] == (64,)
    assert MLPRegressor((64,)).loss == "squared_error"
    reg = MLPRegressor((8, 4), "tanh")  # scikit-learn < 1.9: (hidden_layer_sizes, activation)
    assert (reg.hidden_layer_sizes, reg.activation, reg.loss) == ((8, 4), "tanh", "squared_error")
    assert MLPRegressor(16, activation="identity").hidden_layer_sizes == 16
    reg = MLPRegressor("poisson", (8,), "tanh")  # scikit-learn 1.9's order
    assert (reg.loss, reg.hidden_layer_sizes, reg.activation) == ("poisson", (8,), "tanh")
    assert clone(MLPRegressor((64,))).get_params() == MLPRegressor((64,)).get_params()
    with pytest.raises(ValueError, match="loss must be 'squared_error' or 'poisson'"):
        MLPRegressor(loss="huber").fit(np.eye(3), np.arange(3.0))
    with pytest.raises(ValueError, match="requires y >= 0"):
        MLPRegressor(loss="poisson").fit(np.eye(3), [1.0, -1.0, 0.0])


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_regressor_matches_scikit_learn(regression, loss, solver, weighted):
    X, y, counts, weights = regression
    target = counts if loss == "poisson" else y
    sw = weights if weighted else None
    params = dict(loss=loss, hidden_layer_sizes=(8,), solver=solver, max_iter=30,
                  learning_rate_init=0.01, random_state=0)
    ours = MLPRegressor(**params).fit(X, target, sample_weight=sw)
    theirs = neural_network.MLPRegressor(**params).fit(X, target, sample_weight=sw)
    # SGD and L-BFGS do scikit-learn's arithmetic to rounding; Adam adds epsilon in
    # PyTorch's place (see the MLP notes), a relative 4e-6 on these curves.
    rtol = {"sgd": 1e-12, "lbfgs": 1e-9, "adam": 2e-5}[solver]
    if solver == "lbfgs":
        assert ours.n_iter_ == theirs.n_iter_
        np.testing.assert_allclose(ours.loss_, theirs.loss_, rtol=rtol)
    else:
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=rtol)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-4, atol=1e-6)
    assert ours.score(X, target, sample_weight=sw) == pytest.approx(
        theirs.score(X, target, sample_weight=sw), abs=1e-5)


def test_lbfgs_classifier_matches_scikit_learn_and_max_fun_stops_it():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    params = dict(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=200, random_state=0)
    ours = MLPClassifier(**params).fit(X, y)
    theirs = neural_network.MLPClassifier(**params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ < 200  # converged, after the same iterations
    np.testing.assert_allclose(ours.loss_, theirs.loss_, rtol=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)
    with pytest.warns(ConvergenceWarning, match="max_fun"):
        short = MLPClassifier(**{**params, "max_fun": 5}).fit(X, y)
    assert short.n_iter_ == neural_network.MLPClassifier(**params, max_fun=5).fit(X, y).n_iter_
    with pytest.raises(AttributeError, match="stochastic"):
        MLPClassifier(solver="lbfgs").partial_fit(X, y, classes=[0, 1, 2])


def test_classifier_sample_weight_matches_scikit_learn(regression):
    X, y, _, weights = regression
    labels = (y > 0).astype(int)
    params = dict(hidden_layer_sizes=(8,), solver="sgd", max_iter=30, random_state=0)
    ours = MLPClassifier(**params).fit(X, labels, sample_weight=weights)
    theirs = neural_network.MLPClassifier(**params).fit(X, labels, sample_weight=weights)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)
    ours_p = MLPClassifier(**params).partial_fit(X, labels, weights, classes=[0, 1])
    theirs_p = neural_network.MLPClassifier(**params).partial_fit(X, labels, weights,
                                                                  classes=[0, 1])
    np.testing.assert_allclose(ours_p.loss_, theirs_p.loss_, rtol=1e-12)


def test_weights_act_as_repeated_samples_and_scores_are_weighted(regression):
    X, y, _, weights = regression
    sw = weights.astype(int)
    params = dict(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=40, random_state=0)
    weighted = MLPRegressor(**params).fit(X, y, sample_weight=sw)
    repeated = MLPRegressor(**params).fit(X.repeat(sw, axis=0), y.repeat(sw))
    np.testing.assert_allclose(weighted.predict(X), repeated.predict(X), rtol=1e-6, atol=1e-8)
    pred = weighted.predict(X)
    assert weighted.score(X, y, sample_weight=weights) == pytest.approx(
        r2_score(y, pred, sample_weight=weights), rel=1e-12)
    labels = (y > 0).astype(int)
    clf = MLPClassifier(**params).fit(X, labels)
    assert clf.score(X, labels, sample_weight=weights) == pytest.approx(
        accuracy_score(labels, clf.predict(X), sample_weight=weights), rel=1e-12)
    with pytest.raises(ValueError, match="non-zero"):
        MLPRegressor(**params).fit(X, y, sample_weight=np.zeros(len(y)))
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\)"):
        MLPRegressor(**params).fit(X, y, sample_weight=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("make", [
    lambda: Perceptron(max_iter=5, random_state=0),
    lambda: NeuralNetClassifier(nn.MLP, module__hidden_sizes=[4], epochs=3, random_state=0),
    lambda: NeuralNetRegressor(nn.MLP, module__hidden_sizes=[4], epochs=3, random_state=0),
], ids=["Perceptron", "NeuralNetClassifier", "NeuralNetRegressor"])
def test_every_estimator_scores_with_sample_weight_as_scikit_learn(regression, make):
    X, y, _, weights = regression
    est = make()
    if est._estimator_type == "classifier":
        y, metric = np.digitize(y, [-0.5, 0.5]), accuracy_score
    else:
        metric = r2_score
    est.fit(X, y)
    pred = est.predict(X)
    assert est.score(X, y) == pytest.approx(metric(y, pred), rel=1e-12)
    assert est.score(X, y, sample_weight=weights) == pytest.approx(
        metric(y, pred, sample_weight=weights), rel=1e-12)
    with pytest.raises(ValueError, match=rf"{type(est).__name__}.score: sample_weight.shape"):
        est.score(X, y, sample_weight=[1.0, 2.0])


def test_decision_function_gives_the_logits_predict_uses():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    clf = MLPClassifier((8,), max_iter=50, random_state=0).fit(X, y)
    scores = clf.decision_function(X)
    assert scores.shape == (150, 3)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[scores.argmax(axis=1)])
    softmax = np.exp(scores - scores.max(1, keepdims=True))
    np.testing.assert_allclose(softmax / softmax.sum(1, keepdims=True), clf.predict_proba(X),
                               rtol=1e-6)
    binary = MLPClassifier((8,), max_iter=50, random_state=0).fit(X, y == 0)
    scores = binary.decision_function(X)
    assert scores.shape == (150,)
    np.testing.assert_array_equal(binary.predict(X), scores > 0)
    np.testing.assert_allclose(1 / (1 + np.exp(-scores)), binary.predict_proba(X)[:, 1],
                               rtol=1e-6)


# L-BFGS is deterministic and full-batch, so the weights-as-repetitions check runs in full
# (as for scikit-learn's own MLPClassifier, which its test suite checks with solver="lbfgs").
# With mini-batches, repeating samples changes the batches: scikit-learn's own stochastic
# MLPs do not pass that check either.
MINI_BATCH = {"check_sample_weight_equivalence_on_dense_data":
              "mini-batches of repeated samples differ from weighted ones"}


# A multilabel network trained to convergence by L-BFGS outputs logits above 37, where the
# float64 sigmoid is exactly 1.0: predict_proba ties where decision_function does not, and
# this check compares their ranks.
SATURATED = {"check_classifier_multioutput":
             "sigmoid(logit) rounds to 1.0 for logits > 37: probabilities tie, logits do not"}


@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")  # on purpose
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
@pytest.mark.parametrize("estimator, expected_failures", [
    (MLPClassifier((16,), solver="lbfgs", max_iter=100, random_state=0), SATURATED),
    (MLPRegressor(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=100, random_state=0),
     None),
    (MLPRegressor(loss="poisson", hidden_layer_sizes=(8,), solver="lbfgs", max_iter=100,
                  random_state=0),
     {"check_regressor_multioutput": "it draws negative targets despite positive_only"}),
], ids=["classifier-lbfgs", "regressor-lbfgs", "regressor-poisson"])
@pytest.mark.filterwarnings("ignore:overflow encountered in exp:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_check_estimator_with_sample_weight_checks(estimator, expected_failures):
    check_estimator(estimator, expected_failed_checks=expected_failures)
