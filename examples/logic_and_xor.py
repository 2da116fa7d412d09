"""Logic with threshold units: McCulloch–Pitts AND, OR, NOT and XOR, and learning XOR.

Three classic results (Géron, *Hands-On Machine Learning*, ch. 10; Minsky and
Papert's *Perceptrons*):

1. McCulloch and Pitts (1943): neurons that fire when the weighted sum of their
   binary inputs reaches a threshold compute logic.  With hand-set weights
   (``nn.TLU``), one unit computes AND (``x1 + x2 >= 1.5``), OR
   (``x1 + x2 >= 0.5``) or NOT (``-x >= -0.5``), and two layers compute XOR as
   ``AND(OR(x1, x2), NAND(x1, x2))``.
2. Rosenblatt's perceptron rule learns AND and OR, but on XOR it never stops
   making mistakes: no single line separates (0, 1), (1, 0) from (0, 0), (1, 1).
3. A 2-2-1 network with differentiable (tanh) hidden units and a sigmoid output,
   trained by gradient descent through ``backward()``, learns XOR.

Command::

    python examples/logic_and_xor.py

Figure: ``logic_and_xor.png`` (the decision regions of the hand-wired units, the
perceptron on XOR, and the 2-2-1 network, plus the perceptron's errors per epoch).
"""

from __future__ import annotations

import numpy as np
from _common import ag, make_parser, pyplot, save_figure, start, summary, to_numpy

from autograd_core import nn
from autograd_core.nn import functional as F
from autograd_core import optim

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
TRUTH = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}


def hand_wired(device):
    """McCulloch–Pitts networks with hand-set weights and biases (bias = -threshold)."""
    tlu = lambda w, b: nn.TLU.from_weights(w, b, device=device)
    nets = {"AND": tlu([1.0, 1.0], -1.5), "OR": tlu([1.0, 1.0], -0.5)}
    hidden = tlu([[1.0, -1.0], [1.0, -1.0]], [-0.5, 1.5])     # OR and NAND side by side
    nets["XOR"] = nn.Sequential(hidden, tlu([1.0, 1.0], -1.5))  # AND of the two
    return nets, tlu([-1.0], 0.5)                              # and NOT, one input


def gate_fn(model, device):
    """``model`` (threshold units) as a function from a NumPy input batch to its outputs."""
    return lambda X: to_numpy(model(ag.tensor(X, dtype="float32", device=device)))[:, 0]


def train_mlp(args):
    """A 2-2-1 MLP (tanh hidden, sigmoid output) on XOR by full-batch gradient descent."""
    model = nn.MLP(2, [2], 1, activation="tanh", device=args.device)
    x = ag.tensor(INPUTS, device=args.device)
    y = ag.tensor(np.array(TRUTH["XOR"], dtype=np.float32)[:, None], device=args.device)
    optimizer = optim.SGD(model.parameters(), lr=0.5)
    for _ in range(args.epochs):
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    mlp = lambda X: to_numpy(F.sigmoid(nn.predict(model, X)))[:, 0]
    return mlp, float(loss.item())


def plot(panels, perceptron, out):
    """Decision regions of each ``(title, fn, targets)`` panel over the unit square, and the
    perceptron's errors per epoch."""
    plt = pyplot()
    if plt is None:
        return
    fig, axes = plt.subplots(2, 3, figsize=(12, 8))
    axes = axes.ravel()
    xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 201), np.linspace(-0.5, 1.5, 201))
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    for ax, (title, fn, targets) in zip(axes, panels):
        ax.contourf(xx, yy, fn(grid).reshape(xx.shape), levels=np.linspace(-0.001, 1.001, 11),
                    cmap="RdBu_r", alpha=0.7, vmin=0, vmax=1)
        for point, t in zip(INPUTS, targets):
            ax.plot(*point, "o" if t else "s", color="darkred" if t else "navy",
                    markersize=11, markeredgecolor="k")
        ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(-0.5, 1.5), ylim=(-0.5, 1.5),
               aspect="equal")
    ax = axes[-1]
    ax.plot(np.arange(1, len(perceptron.errors_) + 1), perceptron.errors_, ".-")
    ax.set(title="perceptron rule on XOR", xlabel="epoch", ylabel="misclassified inputs",
           ylim=(-0.2, 4.2))
    save_figure(fig, out, "logic_and_xor.png")


def main(argv=None):
    """Parse ``argv``, run the three experiments; return the 2-2-1 network's XOR accuracy."""
    parser = make_parser(__doc__, epochs=2000, smoke_epochs=2000,
                         epochs_help="gradient-descent steps for the 2-2-1 network "
                                     "(the perceptron gets at most 100 epochs)")
    args = parser.parse_args(argv)
    start(args)

    nets, not_gate = hand_wired(args.device)
    print("McCulloch–Pitts units, hand-set weights:")
    print(" x1 x2 | AND OR XOR")
    outputs = {name: gate_fn(net, args.device)(INPUTS) for name, net in nets.items()}
    for i, (a, b) in enumerate(INPUTS.astype(int)):
        print(f"  {a}  {b} |  {outputs['AND'][i]:.0f}   {outputs['OR'][i]:.0f}   "
              f"{outputs['XOR'][i]:.0f}")
    not_out = to_numpy(not_gate(ag.tensor([[0.0], [1.0]], device=args.device)))[:, 0]
    print(f"NOT 0 = {not_out[0]:.0f}, NOT 1 = {not_out[1]:.0f}")
    gates_ok = (all(np.array_equal(outputs[g], TRUTH[g]) for g in TRUTH)
                and np.array_equal(not_out, [1, 0]))

    learned = {}
    for gate in ("AND", "OR", "XOR"):
        p = nn.Perceptron(2, max_epochs=100, generator=args.seed, device=args.device)
        p.fit(INPUTS, np.array(TRUTH[gate], dtype=np.float32))
        learned[gate] = p
        print(f"perceptron rule on {gate}: converged={p.converged_} after {p.n_epochs_} "
              f"epochs, accuracy {p.score(INPUTS, np.array(TRUTH[gate])):.2f}")
    perceptron = learned["XOR"]
    xor_y = np.array(TRUTH["XOR"], dtype=np.float32)

    mlp, loss = train_mlp(args)
    mlp_out = mlp(INPUTS)
    mlp_acc = float(((mlp_out >= 0.5) == np.array(TRUTH["XOR"])).mean())
    print(f"2-2-1 MLP after {args.epochs} steps: loss {loss:.4f}, outputs "
          f"{[round(float(v), 3) for v in mlp_out]}")

    plot([("AND (one TLU)", gate_fn(nets["AND"], args.device), TRUTH["AND"]),
          ("OR (one TLU)", gate_fn(nets["OR"], args.device), TRUTH["OR"]),
          ("XOR (two layers of TLUs)", gate_fn(nets["XOR"], args.device), TRUTH["XOR"]),
          ("perceptron on XOR (fails)", lambda X: to_numpy(perceptron.predict(X)),
           TRUTH["XOR"]),
          ("2-2-1 MLP on XOR (learned)", mlp, TRUTH["XOR"])], perceptron, args.out)
    summary("logic_and_xor", hand_wired_gates=gates_ok,
            perceptron_and=learned["AND"].converged_, perceptron_or=learned["OR"].converged_,
            perceptron_xor_accuracy=perceptron.score(INPUTS, xor_y),
            perceptron_xor_converged=perceptron.converged_, mlp_xor_accuracy=mlp_acc,
            mlp_loss=loss)
    return mlp_acc


if __name__ == "__main__":
    main()
