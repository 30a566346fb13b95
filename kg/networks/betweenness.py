"""Betweenness centrality with edge weights read as strengths.

How weights are read
--------------------
The ``weight`` of a view's edge is a *strength*: the number of news items
that support it. Shortest paths need a *distance*, and networkx reads
``weight`` as a distance, so passing a strength straight to
``nx.betweenness_centrality`` makes the best-attested ties the longest ones.
Here the distance of an edge is ``1 / weight``: two actors named together in
ten items are ten times closer than two named together once. With
``weight=None`` every edge has distance 1 (hop count).

How it is computed
------------------
Unweighted, exact: rustworkx (Brandes' algorithm in Rust, in parallel), which
gives networkx's numbers. Weighted (rustworkx 0.18 has no weighted
betweenness: its ``betweenness_centrality`` takes no weight), and sampled:
Brandes' algorithm vectorized over batches of sources with numpy and scipy:
scipy's Dijkstra gives the distances, the edges on shortest paths are those
with ``d(s, u) + len(u, v) == d(s, v)`` (to a relative 1e-9, so equal path
lengths summed in a different order still count as ties; networkx compares
floats exactly and can miss such ties), and the path counts and dependencies
are accumulated level by level of each shortest-path DAG. Both agree with
``nx.betweenness_centrality`` (the tests check it on small graphs, weighted
and unweighted, directed and undirected, sampled and exact).

Sampling: ``k`` sources chosen as networkx chooses them
(``random.Random(seed).sample(list(G), k)``) and rescaled as networkx does, so
``betweenness(G, k=k, seed=s)`` equals
``nx.betweenness_centrality(G, k=k, seed=s, weight=<1/weight>)``. The error of
the estimate falls as ``1/sqrt(k)``; k = 200 to 500 ranks the top actors of a
10,000-actor view well. Exact is the default and is fast enough for views of
a few thousand actors.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("a", "b", weight=1)   # named together in one item
>>> G.add_edge("b", "c", weight=1)
>>> G.add_edge("a", "d", weight=4)   # named together in four items
>>> G.add_edge("d", "c", weight=4)
>>> bc = betweenness(G, normalized=False)
>>> bc["d"], bc["b"]          # a-c goes through the strong ties, via d
(1.0, 0.0)
>>> betweenness(G, weight=None, normalized=False)["b"]   # hop count: two equal paths
0.5
"""
from __future__ import annotations

import math
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Hashable

import networkx as nx
import numpy as np

from kg.networks._engine import strength, to_rustworkx, workers

__all__ = ["betweenness", "brandes"]

RTOL = 1e-9


def betweenness(G: nx.Graph, *, weight: str | None = "weight", normalized: bool = True,
                k: int | None = None, seed: int | None = None) -> dict[Hashable, float]:
    """Betweenness centrality of every node, ``weight`` read as a strength.

    Parameters
    ----------
    G : networkx Graph or DiGraph (a view).
    weight : edge attribute holding the strength (default ``"weight"``: the
        number of supporting items); the distance is ``1 / weight``. None:
        every edge has distance 1.
    normalized : divide by the number of pairs, as networkx does.
    k : sample ``k`` source nodes instead of all (see the module docstring).
    seed : random seed for the sample.

    Returns
    -------
    dict node -> betweenness, the numbers ``nx.betweenness_centrality`` gives
    with distances ``1 / weight``.

    >>> import networkx as nx
    >>> star = nx.star_graph(3)            # 0 is the hub
    >>> betweenness(star)[0]
    1.0
    """
    n = len(G)
    if n == 0:
        return {}
    if k is not None:
        k = int(k)
        if not 0 < k <= n:
            raise ValueError(f"k={k} must be between 1 and the number of nodes ({n})")
    if weight is None and k is None:
        return _rustworkx(G, normalized)
    nodes = list(G)
    sources = None if k is None else random.Random(seed).sample(nodes, k)
    raw = brandes(G, weight=weight, sources=sources)
    return _rescale(raw, n, normalized=normalized, directed=G.is_directed(), sources=sources)


def _rustworkx(G: nx.Graph, normalized: bool) -> dict[Hashable, float]:
    import rustworkx as rx

    R, nodes = to_rustworkx(G, None)
    bc = rx.betweenness_centrality(R, normalized=False)
    raw = {nodes[i]: float(bc[i]) for i in range(len(nodes))}
    if not G.is_directed():  # rustworkx counts unordered pairs: back to ordered, as brandes() does
        raw = {v: 2 * x for v, x in raw.items()}
    return _rescale(raw, len(nodes), normalized=normalized, directed=G.is_directed(), sources=None)


def _rescale(raw: dict[Hashable, float], n: int, *, normalized: bool, directed: bool,
             sources: list | None) -> dict[Hashable, float]:
    """networkx's rescaling (``networkx.algorithms.centrality.betweenness._rescale``).

    ``raw`` counts ordered (s, t) pairs for directed and undirected graphs alike.
    """
    N = n - 1
    if N < 2:
        return dict(raw)
    ks = N if sources is None else len(sources)
    correction = 1 if directed else 2
    if sources is None:
        scale = 1 / (ks * (N - 1)) if normalized else N / (ks * correction)
        return {v: x * scale for v, x in raw.items()}
    if normalized:
        s_src = 1 / ((ks - 1) * (N - 1)) if ks > 1 else math.nan
        s_other = 1 / (ks * (N - 1))
    else:
        s_src = N / ((ks - 1) * correction) if ks > 1 else math.nan
        s_other = N / (ks * correction)
    chosen = set(sources)
    return {v: x * (s_src if v in chosen else s_other) for v, x in raw.items()}


def brandes(G: nx.Graph, *, weight: str | None = "weight", sources: list | None = None,
            batch: int | None = None) -> dict[Hashable, float]:
    """Raw (unscaled) betweenness: the sum over ordered pairs (s, t), s in ``sources``.

    ``weight`` is a strength (distance ``1 / weight``) or None (distance 1).
    For an undirected graph each unordered pair is counted twice, as in
    networkx before rescaling.
    """
    nodes, u, v, w = strength(G, weight)
    n = len(nodes)
    length = 1.0 / w
    if len(u) == 0:
        return dict.fromkeys(nodes, 0.0)
    order = np.lexsort((v, u))          # arcs sorted by tail, then head: tails of tight arcs come out sorted
    u, v, length = u[order], v[order], length[order]
    from scipy.sparse import csr_matrix

    csr = csr_matrix((length, (u, v)), shape=(n, n))
    index = {x: i for i, x in enumerate(nodes)}
    src = np.arange(n) if sources is None else np.array([index[s] for s in sources], dtype=np.int64)
    if batch is None:
        batch = int(max(1, min(64, 4_000_000 // max(1, len(u)))))
    chunks = [src[i:i + batch] for i in range(0, len(src), batch)]

    def run(chunk: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):   # inf - inf for unreachable nodes (errstate is per thread)
            return _batch(csr, n, u, v, length, chunk)

    if len(chunks) > 1 and workers() > 1:
        with ThreadPoolExecutor(workers()) as pool:
            parts = list(pool.map(run, chunks))
    else:
        parts = [run(c) for c in chunks]
    total = np.sum(parts, axis=0)
    return {x: float(total[i]) for i, x in enumerate(nodes)}


def _ragged(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges ``[starts[i], starts[i] + counts[i])``."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(total)


def _batch(csr, n: int, u: np.ndarray, v: np.ndarray, length: np.ndarray, src: np.ndarray) -> np.ndarray:
    """Dependencies of every node on the sources ``src`` (Brandes, one batch)."""
    from scipy.sparse.csgraph import dijkstra

    B = len(src)
    D = dijkstra(csr, directed=True, indices=src)            # B x n
    Dv = D[:, v]
    diff = D[:, u]
    diff += length
    diff -= Dv
    np.abs(diff, out=diff)
    Dv *= RTOL
    tight = diff <= Dv                                      # arc on a shortest path from that source
    del diff, Dv, D
    bi, ei = np.nonzero(tight)
    del tight
    tail = bi * n + u[ei]                                   # pair ids (source row, node), sorted
    head = bi * n + v[ei]
    N = B * n
    ptr = np.zeros(N + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=N), out=ptr[1:])
    indeg = np.bincount(head, minlength=N)
    sigma = np.zeros(N)
    roots = np.arange(B, dtype=np.int64) * n + src
    sigma[roots] = 1.0
    frontier = roots
    levels = []
    while len(frontier):                                    # Kahn's order over each DAG, all sources at once
        arcs = _ragged(ptr[frontier], ptr[frontier + 1] - ptr[frontier])
        if not len(arcs):
            break
        levels.append(arcs)
        h = head[arcs]
        sigma += np.bincount(h, weights=sigma[tail[arcs]], minlength=N)
        indeg -= np.bincount(h, minlength=N)
        ready = np.zeros(N, dtype=bool)
        ready[h[indeg[h] == 0]] = True
        frontier = np.flatnonzero(ready)
    delta = np.zeros(N)
    for arcs in reversed(levels):
        t, h = tail[arcs], head[arcs]
        delta += np.bincount(t, weights=sigma[t] / sigma[h] * (1.0 + delta[h]), minlength=N)
    delta[roots] = 0.0
    return delta.reshape(B, n).sum(axis=0)
