"""Shared machinery of the path-based measures: graph to arrays, rustworkx copies.

Not a public module: :mod:`kg.networks.betweenness` and
:mod:`kg.networks.closeness` build on it.
"""
from __future__ import annotations

import math
import os
from typing import Any, Hashable

import networkx as nx
import numpy as np


def workers() -> int:
    """Threads for the numpy engine (numpy and scipy release the GIL in their loops)."""
    return max(1, min(4, os.cpu_count() or 1))


def strength(G: nx.Graph, weight: str | None) -> tuple[list[Hashable], np.ndarray, np.ndarray, np.ndarray]:
    """Nodes, arc tails, arc heads and arc strengths (1.0 when ``weight`` is None).

    Undirected edges give both arcs. Raises ValueError on a weight that is not
    a positive finite number: a strength of 0 has no distance.
    """
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    m = G.number_of_edges()
    u = np.empty(m, dtype=np.int64)
    v = np.empty(m, dtype=np.int64)
    w = np.ones(m, dtype=np.float64)
    k = 0
    for a, b, d in G.edges(data=True):
        if a == b:
            continue
        u[k], v[k] = index[a], index[b]
        if weight is not None:
            x = d.get(weight, 1)
            try:
                x = float(x)
            except (TypeError, ValueError):
                raise ValueError(f"edge {a!r}-{b!r}: weight {x!r} is not a number") from None
            if not (x > 0 and math.isfinite(x)):
                raise ValueError(f"edge {a!r}-{b!r}: weight {x!r} must be a positive strength")
            w[k] = x
        k += 1
    u, v, w = u[:k], v[:k], w[:k]
    if not G.is_directed():
        u, v, w = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w])
    return nodes, u, v, w


def to_rustworkx(G: nx.Graph, weight: str | None) -> tuple[Any, list[Hashable]]:
    """A rustworkx copy of ``G`` whose edge payloads are the strengths (floats).

    Node i of the copy is ``list(G)[i]``.
    """
    import rustworkx as rx

    nodes, u, v, w = strength(G, weight)
    if G.is_directed():
        R = rx.PyDiGraph(multigraph=False)
        m = len(u)
    else:
        R = rx.PyGraph(multigraph=False)
        m = len(u) // 2
    R.add_nodes_from(range(len(nodes)))
    R.add_edges_from(list(zip(u[:m].tolist(), v[:m].tolist(), w[:m].tolist())))
    return R, nodes
