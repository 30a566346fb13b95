"""Export a view for other tools: GraphML, GEXF (Gephi) and node/edge CSV.

Every format carries the labels in both languages (``label_en``,
``label_ar``), the kind and country of each node, and each edge's ``weight``
and supporting ``items``. GraphML and GEXF have no list type, so lists (items,
via, events, roles, folded units) are written as one string joined by ``;``;
missing values are left out. Files are UTF-8.

The CSV pair is shaped for Gephi's spreadsheet import and for pandas: nodes
with ``Id, Label, ...``, edges with ``Source, Target, Type, Weight, ...``.
Optionally ``centrality`` adds one node column per measure.

>>> import networkx as nx, tempfile, pathlib
>>> G = nx.Graph(view="cooccurrence")
>>> G.add_node("org/iom", label_en="IOM", label_ar="المنظمة الدولية للهجرة", kind="IntergovernmentalOrganization")
>>> G.add_node("org/mol-jo", label_en="Ministry of Labour", label_ar=None, kind="GovernmentBody")
>>> G.add_edge("org/iom", "org/mol-jo", weight=2, items=["a", "b"])
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> H = nx.read_graphml(write_graphml(G, d / "g.graphml"))
>>> H.nodes["org/iom"]["label_ar"], H.edges["org/iom", "org/mol-jo"]["items"]
('المنظمة الدولية للهجرة', 'a;b')
>>> [p.name for p in write_csv(G, d / "g.csv")]
['g.nodes.csv', 'g.edges.csv']
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Hashable, Mapping

import networkx as nx

from kg.errors import KGError

__all__ = ["flat_copy", "write_graphml", "write_gexf", "write_csv", "write_network", "FORMATS"]

FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"}
_SEP = ";"


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return _SEP.join(str(x) for x in (sorted(value, key=str) if isinstance(value, (set, frozenset)) else value))
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def flat_copy(G: nx.Graph, centrality: Mapping[str, Mapping[Hashable, Any]] | None = None) -> nx.Graph:
    """A copy of ``G`` whose attributes are scalars (what GraphML and GEXF accept).

    Lists become ``;``-joined strings, None values are dropped, every node
    gets ``label`` (English, else Arabic) for Gephi, and the graph keeps its
    view name, filters (as JSON) and the number of items.
    """
    H = G.__class__()
    for k in ("view", "year"):
        if G.graph.get(k) is not None:
            H.graph[k] = G.graph[k]
    if "filters" in G.graph:
        H.graph["filters"] = _flat(G.graph["filters"])
    if "items" in G.graph:
        H.graph["item_count"] = len(G.graph["items"])
    for n, d in G.nodes(data=True):
        attrs = {k: _flat(v) for k, v in d.items() if v is not None}
        if "items" in d:
            attrs["item_count"] = len(d["items"])
        attrs["label"] = d.get("label_en") or d.get("label_ar") or d.get("label") or str(n)
        for m, vals in (centrality or {}).items():
            if n in vals and vals[n] is not None:
                attrs[m] = vals[n]
        H.add_node(n, **attrs)
    for u, v, d in G.edges(data=True):
        H.add_edge(u, v, **{k: _flat(x) for k, x in d.items() if x is not None})
    return H


def write_graphml(G: nx.Graph, path: str | Path, centrality=None) -> Path:
    """GraphML (yEd, Cytoscape, networkx, igraph)."""
    path = Path(path)
    nx.write_graphml(flat_copy(G, centrality), path, encoding="utf-8", named_key_ids=True)
    return path


def write_gexf(G: nx.Graph, path: str | Path, centrality=None) -> Path:
    """GEXF 1.2 for Gephi: ``label`` is the English name (Arabic when there is none)."""
    path = Path(path)
    nx.write_gexf(flat_copy(G, centrality), path, encoding="utf-8")
    return path


def _csv_paths(path: Path) -> tuple[Path, Path]:
    stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
    return stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")


def write_csv(G: nx.Graph, path: str | Path, centrality=None) -> list[Path]:
    """Two CSV files beside ``path``: ``NAME.nodes.csv`` and ``NAME.edges.csv``.

    ``path`` may end in ``.csv`` or be a bare name.
    """
    nodes_path, edges_path = _csv_paths(Path(path))
    measures = list(centrality or {})
    node_cols = ["Id", "Label", "label_en", "label_ar", "type", "kind", "country", "item_count", "items"]
    extra_node = sorted({k for _, d in G.nodes(data=True) for k in d} - set(node_cols) - {"label"})
    with nodes_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(node_cols + extra_node + measures)
        for n, d in G.nodes(data=True):
            label = d.get("label_en") or d.get("label_ar") or d.get("label") or str(n)
            base = [n, label, d.get("label_en"), d.get("label_ar"), d.get("type"), d.get("kind"),
                    d.get("country"), len(d.get("items", ())), _flat(d.get("items", []))]
            row = base + [_flat(d.get(k)) for k in extra_node] + [centrality[m].get(n) for m in measures]
            w.writerow(["" if x is None else x for x in row])
    edge_cols = ["Source", "Target", "Type", "Weight", "items"]
    extra_edge = sorted({k for *_, d in G.edges(data=True) for k in d} - {"weight", "items"})
    kind = "Directed" if G.is_directed() else "Undirected"
    with edges_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(edge_cols + extra_edge)
        for u, v, d in G.edges(data=True):
            row = [u, v, kind, d.get("weight", 1), _flat(d.get("items", []))] + [_flat(d.get(k)) for k in extra_edge]
            w.writerow(["" if x is None else x for x in row])
    return [nodes_path, edges_path]


def write_network(G: nx.Graph, path: str | Path, centrality=None) -> list[Path]:
    """Write ``G`` in the format its extension names (.graphml, .gexf, .csv)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise KGError(f"cannot tell the format from the extension {path.suffix or '(none)'!r}: "
                      "use .graphml, .gexf or .csv", path)
    if path.parent and not path.parent.exists():
        raise KGError("the folder does not exist", path.parent)
    if fmt == "graphml":
        return [write_graphml(G, path, centrality)]
    if fmt == "gexf":
        return [write_gexf(G, path, centrality)]
    return write_csv(G, path, centrality)
