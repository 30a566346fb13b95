"""Degree and weighted degree (strength).

How weights are read
--------------------
``degree`` ignores weights: the number of distinct neighbours (in a directed
view, in + out; see ``mode``). ``weighted_degree`` sums the ``weight`` of the
node's edges: in a view, the number of item-links that support its ties (an
actor named with five others in one item gets 5 from that item). Both are raw
counts, not divided by n - 1, so they read as numbers of actors and of items.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("iom", "mol", weight=3)
>>> G.add_edge("iom", "eu", weight=1)
>>> degree(G)["iom"], weighted_degree(G)["iom"]
(2, 4)
>>> D = nx.DiGraph([("eu", "iom", {"weight": 2}), ("iom", "mol", {"weight": 1})])
>>> degree(D, mode="out")["eu"], weighted_degree(D, mode="in")["iom"]
(1, 2)
"""
from __future__ import annotations

from typing import Hashable

import networkx as nx

__all__ = ["degree", "weighted_degree"]


def _view(G: nx.Graph, mode: str):
    if mode not in ("all", "in", "out"):
        raise ValueError(f"mode {mode!r}: use 'all', 'in' or 'out'")
    if not G.is_directed() or mode == "all":
        return G.degree
    return G.in_degree if mode == "in" else G.out_degree


def degree(G: nx.Graph, *, mode: str = "all") -> dict[Hashable, int]:
    """Number of neighbours of every node (directed: ``mode`` all = in + out, in, out)."""
    return {n: int(d) for n, d in _view(G, mode)()}


def weighted_degree(G: nx.Graph, *, weight: str = "weight", mode: str = "all") -> dict[Hashable, float]:
    """Sum of the ``weight`` (strength) of every node's edges; integers stay integers."""
    out = {}
    for n, d in _view(G, mode)(weight=weight):
        out[n] = int(d) if float(d).is_integer() else float(d)
    return out
