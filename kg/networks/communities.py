"""Communities by Louvain modularity, seeded so that results repeat.

How weights are read
--------------------
Louvain reads ``weight`` as a strength: ties attested by more items pull
actors into the same community more. ``nx.community.louvain_communities``
with a fixed ``seed`` (default 42) gives the same partition on every run for
the same graph (views are built with sorted nodes and edges, so the same
store gives the same graph). ``resolution`` above 1 gives smaller communities.

Communities are numbered 0, 1, ... by decreasing size (ties: by their
smallest node), so community 0 is the largest.

>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)          # two cliques joined by one edge
>>> comm = louvain(G)
>>> comm[0] == comm[3], comm[0] == comm[4]
(True, False)
>>> communities(G) == communities(G)    # seeded: the same every time
True
"""
from __future__ import annotations

from typing import Hashable

import networkx as nx

__all__ = ["communities", "louvain", "SEED"]

SEED = 42


def communities(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0,
                seed: int = SEED) -> list[set]:
    """Louvain communities as sets of nodes, largest first."""
    if len(G) == 0:
        return []
    parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    order = {n: i for i, n in enumerate(G)}
    return sorted((set(p) for p in parts), key=lambda p: (-len(p), min(order[n] for n in p)))


def louvain(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0,
            seed: int = SEED) -> dict[Hashable, int]:
    """Node -> community number (0 = the largest community)."""
    return {n: i for i, part in enumerate(communities(G, weight=weight, resolution=resolution, seed=seed))
            for n in part}
