"""Eigenvector centrality with edge weights read as strengths.

How weights are read
--------------------
Eigenvector centrality reads ``weight`` as a strength (an actor is central
when it has many, well-attested ties to central actors), which is what a
view's weight is. Computed as ``nx.eigenvector_centrality_numpy`` does (the leading
eigenvector of the weighted adjacency matrix, unit Euclidean norm, much faster
than the power iteration of ``nx.eigenvector_centrality``), with scipy's
symmetric solvers and a fixed start vector, so that the same graph gives the
same digits on every run (ARPACK's default start vector is random).

It is defined here for undirected views: on the directed ``funding`` and
``hierarchy`` views, which are nearly acyclic, the leading eigenvalue is 0 and
the vector means nothing, so :func:`eigenvector` refuses them: use
:func:`kg.networks.pagerank.pagerank`. networkx refuses disconnected graphs
(the answer depends on the start vector); views often have small components
and isolated actors, so the centrality is computed on the largest connected
component (ties: the one with the smallest node) and every other node gets 0.
On a connected graph the numbers are networkx's.

>>> import networkx as nx
>>> G = nx.Graph([("a", "b"), ("b", "c")])
>>> G.add_node("z")                         # an isolated actor
>>> ev = eigenvector(G)
>>> round(ev["b"], 4), round(ev["a"], 4), ev["z"]
(0.7071, 0.5, 0.0)
"""
from __future__ import annotations

from typing import Hashable

import networkx as nx
import numpy as np

__all__ = ["eigenvector"]


def eigenvector(G: nx.Graph, *, weight: str | None = "weight") -> dict[Hashable, float]:
    """Eigenvector centrality on the largest connected component; 0 elsewhere."""
    if G.is_directed():
        raise ValueError("eigenvector centrality is not defined for a directed view; use pagerank")
    out = dict.fromkeys(G, 0.0)
    if G.number_of_edges() == 0:
        return out
    comps = [c for c in nx.connected_components(G) if len(c) > 1]
    order = {n: i for i, n in enumerate(G)}
    best = max(comps, key=lambda c: (len(c), -min(order[n] for n in c)))
    nodes = sorted(best, key=order.__getitem__)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float, format="csr")
    if len(nodes) <= 300:
        vals, vecs = np.linalg.eigh(A.toarray())
        vec = vecs[:, np.argmax(vals)]
    else:
        from scipy.sparse.linalg import eigsh

        _, vecs = eigsh(A, k=1, which="LA", v0=np.ones(len(nodes)), maxiter=10000, tol=0)
        vec = vecs[:, 0]
    vec = vec / (np.sign(vec.sum()) * np.linalg.norm(vec))
    out.update(zip(nodes, (float(x) for x in vec)))
    return out
