"""PageRank with edge weights read as strengths.

How weights are read
--------------------
PageRank reads ``weight`` as a strength, which is what a view's weight is
(the number of supporting items): a random walker follows a tie in
proportion to how many items attest it. On the directed ``funding`` view rank
flows from funder to recipient, so PageRank rewards actors that many funders
reach; reverse the graph (``G.reverse()``) to rank funders instead. This is
``nx.pagerank`` (scipy), damping 0.85; values sum to 1.

>>> import networkx as nx
>>> G = nx.DiGraph([("eu", "iom"), ("us", "iom"), ("iom", "mol")])
>>> pr = pagerank(G)
>>> max(pr, key=pr.get)
'mol'
>>> round(sum(pr.values()), 6)
1.0
"""
from __future__ import annotations

from typing import Hashable

import networkx as nx

__all__ = ["pagerank"]


def pagerank(G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85,
             max_iter: int = 1000, tol: float = 1e-10) -> dict[Hashable, float]:
    """PageRank of every node, ``weight`` read as a strength."""
    if len(G) == 0:
        return {}
    return {n: float(x) for n, x in nx.pagerank(G, alpha=alpha, weight=weight, max_iter=max_iter, tol=tol).items()}
