"""The centrality suite, ranked tables and rankings per year.

One call runs the measures of this package on a view and gives a ranked
table, as plain Python (a list of dicts) or as a pandas DataFrame:

* ``degree`` (neighbours) and ``weighted_degree`` (sum of weights: item-links),
  :mod:`kg.networks.degree`;
* ``betweenness`` and ``closeness`` with the weight read as a strength
  (distance = 1 / weight), :mod:`kg.networks.betweenness`,
  :mod:`kg.networks.closeness`;
* ``eigenvector`` (undirected views only) and ``pagerank`` (weight as
  strength), :mod:`kg.networks.eigenvector`, :mod:`kg.networks.pagerank`;
* ``community``: Louvain, seeded, :mod:`kg.networks.communities`.

Tables are ranked by the first measure asked for (``sort`` to choose another),
ties broken by the following measures, then by label and id, so a ranking
never depends on the order of rows in the store. Bipartite views rank their
actors only (their events or projects take part in the computation).

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("org/iom", "org/mol-jo", weight=3)
>>> G.add_edge("org/iom", "org/eu", weight=1)
>>> rows = table(G, ["degree", "weighted_degree"])
>>> [(r["rank"], r["actor"], r["degree"], r["weighted_degree"]) for r in rows]
[(1, 'org/iom', 2, 4), (2, 'org/mol-jo', 1, 3), (3, 'org/eu', 1, 1)]
"""
from __future__ import annotations

import time
from typing import Any, Callable, Hashable, Iterable, Mapping, Sequence

import networkx as nx

from kg.errors import KGError
from kg.iri import ID
from kg.networks.betweenness import betweenness
from kg.networks.closeness import closeness
from kg.networks.communities import louvain
from kg.networks.degree import degree, weighted_degree
from kg.networks.eigenvector import eigenvector
from kg.networks.pagerank import pagerank
from kg.networks.views import actor_nodes

__all__ = ["MEASURES", "DEFAULT_MEASURES", "Table", "centrality", "table", "by_year_table",
           "over_years", "short_id", "parse_measures"]

DEFAULT_MEASURES: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "closeness",
                                     "eigenvector", "pagerank", "community")
#: every measure a table can show: the default suite, and in/out degrees for directed views
#: (on the funding view, ``out_weighted_degree`` of a funder counts its funding links)
MEASURES: tuple[str, ...] = DEFAULT_MEASURES + ("in_degree", "out_degree", "in_weighted_degree",
                                                "out_weighted_degree")
_INFO = ("actor", "label_en", "label_ar", "kind", "country")


class Table(list):
    """Rows (dicts) with their column order; ``to_frame()`` gives a DataFrame."""

    def __init__(self, rows: Iterable[dict[str, Any]] = (), columns: Sequence[str] = ()):
        super().__init__(rows)
        self.columns = list(columns) or (list(self[0]) if self else [])

    def to_frame(self):
        """The rows as a pandas DataFrame (pandas is imported only here)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is optional
            raise KGError("pandas is not installed: pip install pandas (or use the rows as they are)") from exc
        return pd.DataFrame(list(self), columns=self.columns)

    def _repr_html_(self) -> str:  # Jupyter shows a table without pandas
        from html import escape
        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_fmt(r.get(c)))}</td>" for c in self.columns) + "</tr>"
            for r in self[:200])
        more = f"<p>{len(self) - 200} more rows</p>" if len(self) > 200 else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _num(x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if x != x else float(f"{x:.10g}")


def short_id(node: Hashable) -> str:
    """``https://w3id.org/levant-kg/id/org/iom`` -> ``org/iom`` (other ids unchanged)."""
    s = str(node)
    return s[len(str(ID)):] if s.startswith(str(ID)) else s


def parse_measures(measures: Iterable[str] | str | None) -> tuple[str, ...]:
    """Check measure names (commas allowed); None -> the default suite."""
    if measures is None:
        return DEFAULT_MEASURES
    if isinstance(measures, str):
        measures = [measures]
    out: list[str] = []
    for m in measures:
        for p in str(m).split(","):
            p = p.strip().lower().replace("-", "_")
            if not p:
                continue
            if p == "strength":
                p = "weighted_degree"
            if p not in MEASURES:
                raise KGError(f"unknown measure {p!r}; measures: {', '.join(MEASURES)}")
            out.append(p)
    return tuple(dict.fromkeys(out)) or DEFAULT_MEASURES


def centrality(G: nx.Graph, measures: Iterable[str] | str | None = None, *, k: int | None = None,
               seed: int | None = 42, weight: str | None = "weight",
               timings: dict[str, float] | None = None) -> dict[str, dict[Hashable, Any]]:
    """Run the measures on ``G``: measure -> (node -> value).

    ``k``: sample that many sources for betweenness (exact when None or when
    the view has no more nodes than ``k``).
    ``weight``: the edge attribute read as a strength (None: unweighted).
    On a directed view the default suite leaves eigenvector out (it is not
    defined there; pagerank stands in); asking for it explicitly is an error.
    ``timings``, when given, receives the seconds each measure took.
    """
    explicit = measures is not None
    ms = parse_measures(measures)
    if G.is_directed() and "eigenvector" in ms:
        if explicit:
            raise KGError("eigenvector centrality is not defined for a directed view "
                          f"({G.graph.get('view', 'this graph')}); use pagerank")
        ms = tuple(m for m in ms if m != "eigenvector")
    if k is not None and k >= len(G):
        k = None
    runners: dict[str, Callable[[], dict]] = {
        "degree": lambda: degree(G),
        "weighted_degree": lambda: weighted_degree(G, weight=weight or "weight"),
        "betweenness": lambda: betweenness(G, weight=weight, k=k, seed=seed),
        "closeness": lambda: closeness(G, weight=weight),
        "eigenvector": lambda: eigenvector(G, weight=weight),
        "pagerank": lambda: pagerank(G, weight=weight),
        "community": lambda: louvain(G, weight=weight),
        "in_degree": lambda: degree(G, mode="in"),
        "out_degree": lambda: degree(G, mode="out"),
        "in_weighted_degree": lambda: weighted_degree(G, weight=weight or "weight", mode="in"),
        "out_weighted_degree": lambda: weighted_degree(G, weight=weight or "weight", mode="out"),
    }
    out = {}
    for m in ms:
        t0 = time.perf_counter()
        out[m] = runners[m]()
        if timings is not None:
            timings[m] = time.perf_counter() - t0
    return out


def _rank_rows(G: nx.Graph, values: dict[str, dict], sort: str | None, top: int | None,
               extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    ms = list(values)
    if sort is not None:
        sort = parse_measures(sort)[0]
        if sort not in values:
            raise KGError(f"cannot sort by {sort!r}: it was not computed")
    keys = ([sort] if sort else []) + [m for m in ms if m != sort and m != "community"]
    nodes = actor_nodes(G)

    def key(n):  # values rounded to 10 digits: float noise (eigensolvers) must not decide ties
        d = G.nodes[n]
        return tuple(-_num(values[m].get(n)) for m in keys) + (str(d.get("label") or ""), str(n))

    ranked = sorted(nodes, key=key)
    if top is not None:
        ranked = ranked[:max(0, int(top))]
    rows = []
    for i, n in enumerate(ranked, 1):
        d = G.nodes[n]
        row: dict[str, Any] = dict(extra or {})
        row.update(rank=i, actor=short_id(n), label_en=d.get("label_en"), label_ar=d.get("label_ar"),
                   kind=d.get("kind"), country=d.get("country"))
        for m in ms:
            row[m] = values[m].get(n)
        row["iri"] = str(n)
        rows.append(row)
    return rows


def table(G: nx.Graph, measures: Iterable[str] | str | None = None, *, sort: str | None = None,
          top: int | None = None, k: int | None = None, seed: int | None = 42,
          weight: str | None = "weight", frame: bool = False):
    """The ranked centrality table of ``G``'s actors.

    Columns: ``rank, actor`` (short id), ``label_en, label_ar, kind, country``,
    one column per measure, ``iri``. Returns a :class:`Table` (a list of
    dicts), or a pandas DataFrame with ``frame=True``.
    """
    values = centrality(G, measures, k=k, seed=seed, weight=weight)
    rows = _rank_rows(G, values, sort, top)
    t = Table(rows, ["rank", *_INFO, *values, "iri"])
    return t.to_frame() if frame else t


def by_year_table(graphs: Mapping[int, nx.Graph], measures: Iterable[str] | str | None = None, *,
                  sort: str | None = None, top: int | None = None, k: int | None = None, seed: int | None = 42,
                  weight: str | None = "weight", frame: bool = False):
    """The ranking per year: ``graphs`` from :func:`kg.networks.views.by_year`.

    One block of rows per year (column ``year`` first), each ranked as in
    :func:`table`; ``top`` applies to each year.

    >>> import networkx as nx
    >>> g22 = nx.Graph([("a", "b"), ("a", "c")]); g23 = nx.Graph([("b", "c"), ("b", "a")])
    >>> rows = by_year_table({2022: g22, 2023: g23}, "degree", top=1)
    >>> [(r["year"], r["actor"]) for r in rows]
    [(2022, 'a'), (2023, 'b')]
    """
    rows: list[dict[str, Any]] = []
    cols: list[str] = []
    for year in sorted(graphs):
        H = graphs[year]
        if H.number_of_nodes() == 0:
            continue
        kk = None if k is None else min(k, len(H))
        values = centrality(H, measures, k=kk, seed=seed, weight=weight)
        cols = ["year", "rank", *_INFO, *values, "iri"]
        rows.extend(_rank_rows(H, values, sort, top, extra={"year": year}))
    t = Table(rows, cols or ["year", "rank", *_INFO, "iri"])
    return t.to_frame() if frame else t


def over_years(graphs: Mapping[int, nx.Graph], actors: Iterable[Hashable], measure: str = "pagerank", *,
               weight: str | None = "weight", k: int | None = None, seed: int | None = 42,
               frame: bool = False):
    """Centrality of chosen actors in each year: rows ``year, actor, label_en, label_ar, kind, <measure>, iri``.

    ``graphs``: from :func:`kg.networks.views.by_year`. ``actors``: node ids
    (IRIs) or short ids (``org/iom``). An actor absent in a year gets 0.

    >>> import networkx as nx
    >>> g22 = nx.Graph([("a", "b")]); g23 = nx.Graph([("b", "c"), ("b", "a")])
    >>> [(r["year"], r["degree"]) for r in over_years({2022: g22, 2023: g23}, ["b"], "degree")]
    [(2022, 1.0), (2023, 2.0)]
    """
    m = parse_measures(measure)[0]
    info: dict[Hashable, dict] = {}
    by_short: dict[str, Hashable] = {}
    for H in graphs.values():
        for n, d in H.nodes(data=True):
            info.setdefault(n, d)
            by_short.setdefault(short_id(n), n)
    wanted = []
    for a in actors:
        n = a if a in info else by_short.get(str(a))
        if n is None:
            raise KGError(f"actor {a!r} is in no year of the view")
        wanted.append(n)
    rows = []
    for year in sorted(graphs):
        H = graphs[year]
        vals = centrality(H, [m], k=None if k is None else min(k, len(H)), seed=seed, weight=weight)[m] \
            if H.number_of_nodes() else {}
        for n in wanted:
            d = info[n]
            rows.append({"year": year, "actor": short_id(n), "label_en": d.get("label_en"),
                         "label_ar": d.get("label_ar"), "kind": d.get("kind"),
                         m: float(vals.get(n, 0.0)), "iri": str(n)})
    t = Table(rows, ["year", "actor", "label_en", "label_ar", "kind", m, "iri"])
    return t.to_frame() if frame else t
