"""A checker for the DOT language's grammar, written from its specification
(https://graphviz.org/doc/info/lang.html), so tests can validate ``ag.to_dot`` without
Graphviz installed.  ``check_dot(text)`` raises ``DotSyntaxError`` or returns the graph's
node IDs and edges.  Covers the whole abstract grammar except HTML-string nesting checks."""

from __future__ import annotations

import re

KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}  # case-independent
_TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/|^\#[^\n]*)
  | (?P<quoted>"(?:[^"\\]|\\.)*")
  | (?P<html><[^<>]*(?:<[^<>]*>[^<>]*)*>)
  | (?P<numeral>-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
  | (?P<name>[A-Za-z_\x80-\uffff][A-Za-z_0-9\x80-\uffff]*)
  | (?P<edgeop>->|--)
  | (?P<punct>[{}\[\];,=:])
""", re.VERBOSE | re.DOTALL | re.MULTILINE)


class DotSyntaxError(ValueError):
    """The text is not a DOT graph."""


def _tokens(text):
    pos, out = 0, []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise DotSyntaxError(f"unexpected character {text[pos]!r} at offset {pos}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        value = m.group()
        if kind == "name" and value.lower() in KEYWORDS:
            kind = "keyword"
            value = value.lower()
        if kind in ("quoted", "html", "numeral", "name"):
            kind = "id"
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, text):
        self.toks, self.i = _tokens(text), 0
        self.nodes, self.edges = set(), []

    def peek(self, offset=0):
        j = self.i + offset
        return self.toks[j] if j < len(self.toks) else ("end", "")

    def take(self, kind, value=None):
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            want = value or kind
            raise DotSyntaxError(f"expected {want!r} at token {self.i}, found {tok[1]!r} "
                                 f"({tok[0]})")
        self.i += 1
        return tok[1]

    def at(self, kind, value=None):
        tok = self.peek()
        return tok[0] == kind and (value is None or tok[1] == value)

    def graph(self):
        if self.at("keyword", "strict"):
            self.i += 1
        kind = self.take("keyword")
        if kind not in ("graph", "digraph"):
            raise DotSyntaxError(f"a DOT file starts with graph or digraph, not {kind!r}")
        self.edgeop = "->" if kind == "digraph" else "--"
        if self.at("id"):
            self.i += 1
        self.take("punct", "{")
        self.stmt_list()
        self.take("punct", "}")
        if not self.at("end"):
            raise DotSyntaxError(f"text after the closing brace: {self.peek()[1]!r}")

    def stmt_list(self):
        while not self.at("punct", "}"):
            if self.at("end"):
                raise DotSyntaxError("missing closing brace")
            self.stmt()
            if self.at("punct", ";"):
                self.i += 1

    def stmt(self):
        if self.at("keyword", "graph") or self.at("keyword", "node") or self.at("keyword", "edge"):
            self.i += 1
            self.attr_list(required=True)
        elif self.at("id") and self.peek(1) == ("punct", "="):
            self.i += 1
            self.take("punct", "=")
            self.take("id")
        else:
            ends = [self.endpoint()]
            while self.at("edgeop"):
                op = self.take("edgeop")
                if op != self.edgeop:
                    raise DotSyntaxError(f"edge operator {op!r} in a graph that uses "
                                         f"{self.edgeop!r}")
                ends.append(self.endpoint())
            self.edges += list(zip(ends, ends[1:]))
            self.attr_list(required=False)

    def endpoint(self):
        if self.at("keyword", "subgraph") or self.at("punct", "{"):
            if self.at("keyword", "subgraph"):
                self.i += 1
                if self.at("id"):
                    self.i += 1
            self.take("punct", "{")
            self.stmt_list()
            self.take("punct", "}")
            return None
        name = self.take("id")
        if self.at("punct", ":"):
            self.i += 1
            self.take("id")
            if self.at("punct", ":"):
                self.i += 1
                self.take("id")
        self.nodes.add(name)
        return name

    def attr_list(self, required):
        if required and not self.at("punct", "["):
            raise DotSyntaxError(f"expected an attribute list at token {self.i}, "
                                 f"found {self.peek()[1]!r}")
        while self.at("punct", "["):
            self.i += 1
            while not self.at("punct", "]"):
                self.take("id")
                self.take("punct", "=")
                self.take("id")
                if self.at("punct", ";") or self.at("punct", ","):
                    self.i += 1
            self.take("punct", "]")


def check_dot(text: str):
    """Parse ``text`` as DOT; return ``(node_ids, edges)`` or raise ``DotSyntaxError``."""
    parser = _Parser(text)
    parser.graph()
    return parser.nodes, parser.edges
