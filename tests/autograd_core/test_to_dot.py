"""``ag.to_dot`` writes DOT that Graphviz accepts: checked against the DOT grammar always
(tests/autograd_core/dot_syntax.py) and rendered by ``dot`` where Graphviz is installed."""

import shutil
import subprocess

import numpy as np
import pytest
from dot_syntax import DotSyntaxError, check_dot

import autograd_core as ag


def _graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor([[1.0], [2.0]], requires_grad=True)
    return ag.tanh(x @ w).sum() * 2.0


@pytest.mark.parametrize("text", [
    "digraph graph { a -> b; }",           # a keyword as the graph's name
    "digraph g { a -> b; ",                # unclosed
    "digraph g { a -- b; }",               # undirected edge in a digraph
    'digraph g { a [label="x"; }',         # unclosed attribute list
    "digraph g { node -> b; }",            # a keyword as a node
])
def test_the_grammar_checker_rejects_invalid_dot(text):
    with pytest.raises(DotSyntaxError):
        check_dot(text)


def test_the_grammar_checker_accepts_the_specifications_forms():
    nodes, edges = check_dot('strict digraph "graph" { rankdir=BT; node [shape=box, a=1]; '
                             'a:n -> "b c" -> _3 [label=<x<b>y</b>>]; subgraph s { d } '
                             '/* note */ // line\n -1.5 -> e; }')
    assert {"a", '"b c"', "_3", "d", "-1.5", "e"} <= nodes
    assert ("a", '"b c"') in edges


def test_to_dot_is_valid_dot_with_one_node_per_op_and_leaf():
    dot = ag.to_dot(_graph())
    nodes, edges = check_dot(dot)
    assert len(nodes) == 2 + 4 + 1  # x, w; matmul, tanh, sum, multiply; the output
    assert len(edges) == 6          # x, w -> matmul -> tanh -> sum -> multiply -> output
    for op in ("matmul", "tanh", "sum", "multiply"):
        assert f'label="{op}"' in dot


def test_to_dot_quotes_any_name():
    for name in ("graph", "my model", 'a "quoted" name', "digraph"):
        check_dot(ag.to_dot(_graph(), name=name))


def test_to_dot_of_a_leaf_and_of_a_freed_graph():
    check_dot(ag.to_dot(ag.tensor(np.ones(3))))
    y = _graph()
    y.backward()
    check_dot(ag.to_dot(y))


@pytest.mark.skipif(shutil.which("dot") is None,
                    reason="Graphviz's dot program is not installed (the grammar test above "
                           "still checks the text)")
def test_graphviz_renders_to_dot(tmp_path):
    dot = ag.to_dot(_graph())
    result = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout and "matmul" in result.stdout
