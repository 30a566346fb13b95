"""Figures of actor networks with matplotlib: PNG and SVG.

* :func:`draw_network`: a view drawn with node size by a centrality, colour
  by kind, and labels for the top actors;
* :func:`bar_top`: a bar chart of the top actors by a centrality;
* :func:`plot_years`: the centrality of chosen actors over the years.

Each returns the matplotlib Figure and, given ``out``, writes it (format by
extension: ``.png`` or ``.svg``). matplotlib is imported only in this module.

Arabic labels
-------------
matplotlib 3.11 and later lay text out with libraqm (HarfBuzz and FriBiDi):
Arabic letters are joined and runs are ordered right to left by matplotlib
itself; ``matplotlib.ft2font.__libraqm_version__`` says it is there. The
old recipe for matplotlib 3.10 and earlier, ``arabic_reshaper.reshape`` then
``bidi.get_display``, hands matplotlib text that is already shaped and
reversed, which 3.11 then reverses again: words in the wrong order, letters
mirrored. So labels are passed to matplotlib as they are stored (logical
order), never reshaped, and a warning is given if the running matplotlib has
no libraqm. Labels use DejaVu Sans, which ships with matplotlib and has
Arabic glyphs (``font`` changes it). The tests render an Arabic label and
compare it with a reference rendering built by hand from the presentation
forms in visual order.
"""
from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any, Hashable, Iterable, Mapping, Sequence

import networkx as nx

from kg.errors import KGError

__all__ = ["draw_network", "bar_top", "plot_years", "save", "label_of", "KIND_COLOURS",
           "HAS_RAQM", "LABEL_FONT"]

LABEL_FONT = "DejaVu Sans"

#: colour of each kind (colour-blind-safe Okabe-Ito palette, then greys)
KIND_COLOURS = {
    "IntergovernmentalOrganization": "#0072B2",
    "OrganizationalUnit": "#56B4E9",
    "GovernmentBody": "#D55E00",
    "Embassy": "#E69F00",
    "NonGovernmentalOrganization": "#009E73",
    "AcademicInstitution": "#CC79A7",
    "Company": "#F0E442",
    "Media": "#999999",
    "Group": "#BBBBBB",
    "Organization": "#777777",
    "Person": "#000000",
}
_OTHER = "#DDDDDD"


def _raqm() -> bool:
    try:
        from matplotlib import ft2font
    except ImportError:  # pragma: no cover
        return False
    return bool(getattr(ft2font, "__libraqm_version__", None))


HAS_RAQM = _raqm()
_warned = False


def _check_shaping() -> None:
    global _warned
    if not HAS_RAQM and not _warned:  # pragma: no cover - the pinned matplotlib has libraqm
        _warned = True
        warnings.warn("this matplotlib has no libraqm (matplotlib < 3.11): Arabic labels will be drawn "
                      "unjoined and left to right; install matplotlib>=3.11", RuntimeWarning, stacklevel=3)


def label_of(data: dict[str, Any], node: Hashable = None, lang: str = "en") -> str:
    """The label to draw: ``lang`` 'en', 'ar' or 'both' (English over Arabic).

    The text is returned as stored (logical order): matplotlib shapes it.
    """
    en, ar = data.get("label_en"), data.get("label_ar")
    fallback = data.get("label") or (str(node).rstrip("/").rsplit("/", 1)[-1] if node is not None else "")
    if lang == "ar":
        return ar or en or fallback
    if lang == "both":
        parts = [p for p in (en, ar) if p]
        return "\n".join(parts) if parts else fallback
    if lang != "en":
        raise KGError(f"label language {lang!r}: use en, ar or both")
    return en or ar or fallback


def _short(text: str, limit: int | None) -> str:
    """Each line cut to ``limit`` characters with an ellipsis (logical order: Arabic keeps its start)."""
    if not limit:
        return text
    return "\n".join(line if len(line) <= limit else line[:limit - 1].rstrip() + "…" for line in text.split("\n"))


def save(fig, out: str | Path, dpi: int = 150) -> Path:
    """Write ``fig`` as PNG or SVG, by the extension of ``out``."""
    out = Path(out)
    ext = out.suffix.lower()
    if ext not in (".png", ".svg"):
        raise KGError(f"cannot write a figure as {ext or '(no extension)'!r}: use .png or .svg", out)
    if not out.parent.exists():
        raise KGError("the folder does not exist", out.parent)
    fig.savefig(out, format=ext[1:], dpi=dpi, bbox_inches="tight", metadata=_metadata(ext))
    return out


def _metadata(ext: str) -> dict[str, Any]:
    # no creation date in the file: the same figure gives the same bytes
    return {"Date": None} if ext == ".svg" else {"Software": None}


def _values(G: nx.Graph, measure: str, values: dict | None) -> dict:
    if values is not None:
        return values
    from kg.networks.centrality import centrality

    return centrality(G, [measure])[measure]


def _figure(ax, size):
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        return fig, ax
    return ax.figure, ax


def draw_network(G: nx.Graph, *, size_by: str = "pagerank", values: dict | None = None, top: int = 12,
                 lang: str = "en", max_nodes: int | None = 250, layout: str = "spring", seed: int = 42,
                 title: str | None = None, ax=None, out: str | Path | None = None,
                 font: str = LABEL_FONT, figsize: tuple[float, float] = (11, 9), max_label: int | None = 40):
    """Draw a view: node area by ``size_by``, colour by kind, labels for the ``top`` actors.

    Labels longer than ``max_label`` characters are cut with an ellipsis.
    ``max_nodes``: draw only the most central nodes (a 2,000-actor drawing
    is a hairball); None draws all. ``layout``: spring (force-directed,
    edges of higher weight pull harder; seeded), kamada_kawai, circular or
    shell. Events and projects of bipartite views are small grey squares.
    Edge width grows with log(weight); directed views get arrows.
    """
    _check_shaping()
    vals = _values(G, size_by, values)
    nodes = sorted(G, key=lambda n: (-float(vals.get(n, 0) or 0), str(n)))
    if max_nodes is not None and len(nodes) > max_nodes:
        nodes = nodes[:max_nodes]
    H = G.subgraph(nodes)
    fig, ax = _figure(ax, figsize)
    ax.set_axis_off()
    if title is None:
        title = f"{G.graph.get('view', 'network')}" + (f" {G.graph['year']}" if G.graph.get("year") else "")
        title += f": {H.number_of_nodes()} of {G.number_of_nodes()} nodes, node size = {size_by.replace('_', ' ')}"
    ax.set_title(title, fontsize=11)
    if H.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no nodes in this view", ha="center", va="center", transform=ax.transAxes)
        _save(fig, out)
        return fig
    pos = _layout(H, layout, seed)
    vmax = max((float(vals.get(n, 0) or 0) for n in H), default=0) or 1.0
    actors = [n for n in H if H.nodes[n].get("bipartite", 0) == 0]
    others = [n for n in H if H.nodes[n].get("bipartite", 0) != 0]
    weights = [float(d.get("weight", 1)) for *_, d in H.edges(data=True)]
    widths = [0.4 + 0.8 * math.log1p(w) for w in weights]
    size = dict(zip(actors, _sizes(H, actors, vals, vmax))) | dict.fromkeys(others, 25)
    nx.draw_networkx_edges(H, pos, ax=ax, width=widths, alpha=0.35, edge_color="#555555", nodelist=list(H),
                           node_size=[size[n] for n in H], arrows=H.is_directed(), arrowsize=10)
    if others:
        nx.draw_networkx_nodes(H, pos, nodelist=others, ax=ax, node_size=25, node_shape="s",
                               node_color="#BBBBBB", edgecolors="none")
    colours = [KIND_COLOURS.get(H.nodes[n].get("kind"), _OTHER) for n in actors]
    nx.draw_networkx_nodes(H, pos, nodelist=actors, ax=ax, node_size=[size[n] for n in actors],
                           node_color=colours, edgecolors="white", linewidths=0.6)
    ranked = [n for n in nodes if H.nodes[n].get("bipartite", 0) == 0][:max(0, top)]
    for n in ranked:  # above the node: offset by its radius (marker area is in points squared)
        ax.annotate(_short(label_of(H.nodes[n], n, lang), max_label), xy=pos[n], xytext=(0, math.sqrt(size[n]) / 2 + 1),
                    textcoords="offset points", fontsize=8, family=font, ha="center", va="bottom", zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    _legend(ax, {H.nodes[n].get("kind") for n in actors}, bool(others))
    _save(fig, out)
    return fig


def _sizes(H, nodes, vals, vmax) -> list[float]:
    return [40 + 1200 * (float(vals.get(n, 0) or 0) / vmax) for n in nodes]


def _layout(H: nx.Graph, layout: str, seed: int) -> dict:
    """Positions; with spring layout each connected component is laid out alone and
    the components are packed in rows, largest first (one force layout pushes
    small components to the edges and squeezes the large one)."""
    if layout == "kamada_kawai":
        return nx.kamada_kawai_layout(H)
    if layout == "circular":
        return nx.circular_layout(H)
    if layout == "shell":
        return nx.shell_layout(H)
    if layout != "spring":
        raise KGError(f"unknown layout {layout!r}: use spring, kamada_kawai, circular or shell")
    U = H.to_undirected(as_view=True) if H.is_directed() else H
    order = {n: i for i, n in enumerate(H)}
    comps = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(U)),
                   key=lambda c: (-len(c), order[c[0]]))
    pos: dict = {}
    row_width = max(2.0, 2.2 * math.sqrt(len(comps[0])) * 1.6) if comps else 2.0
    x = y = row_h = 0.0
    for comp in comps:
        size = math.sqrt(len(comp))        # a component's side grows with the root of its size
        if len(comp) == 1:
            local = {comp[0]: (0.0, 0.0)}
        else:
            sub = U.subgraph(comp)
            local = nx.spring_layout(sub, weight="weight", seed=seed, k=1.2 / math.sqrt(len(comp)),
                                     iterations=150, scale=size)
        if x > 0 and x + 2 * size > row_width:
            x, y, row_h = 0.0, y - row_h - 1.0, 0.0
        for n, (px, py) in local.items():
            pos[n] = (x + size + px, y - size + py)
        x += 2 * size + 1.0
        row_h = max(row_h, 2 * size)
    return pos


def _legend(ax, kinds: set, has_others: bool) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=KIND_COLOURS.get(k, _OTHER),
                      markeredgecolor="white", label=k or "unknown")
               for k in sorted(kinds, key=lambda k: list(KIND_COLOURS).index(k) if k in KIND_COLOURS else 99)]
    if has_others:
        handles.append(Line2D([], [], marker="s", linestyle="", markersize=6, markerfacecolor="#BBBBBB",
                              markeredgecolor="none", label="event / project"))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


def _save(fig, out) -> None:
    if out is not None:
        save(fig, out)


def bar_top(G: nx.Graph | None = None, measure: str = "pagerank", *, rows: Sequence[dict] | None = None,
            top: int = 15, lang: str = "en", title: str | None = None, ax=None,
            out: str | Path | None = None, font: str = LABEL_FONT, max_label: int | None = 50):
    """Horizontal bars of the ``top`` actors by ``measure`` (the largest on top).

    Give a view ``G`` (the measure is computed) or ``rows`` of a table from
    :func:`kg.networks.centrality.table` (with ``label_en``, ``label_ar`` and
    the measure).
    """
    _check_shaping()
    from kg.networks.centrality import parse_measures, table

    measure = parse_measures(measure)[0]
    if rows is None:
        if G is None:
            raise KGError("bar_top needs a view or rows")
        rows = table(G, [measure], top=top)
    rows = sorted((r for r in rows if r.get(measure) is not None), key=lambda r: -float(r[measure]))[:top]
    fig, ax = _figure(ax, (8, 0.35 * max(4, len(rows)) + 1))
    labels = [_short(label_of(r, r.get("actor"), lang), max_label) for r in rows][::-1]
    vals = [float(r[measure]) for r in rows][::-1]
    colours = [KIND_COLOURS.get(r.get("kind"), _OTHER) for r in rows][::-1]
    ax.barh(range(len(vals)), vals, color=colours)
    ax.set_yticks(range(len(vals)), labels=labels, fontsize=9, family=font)
    ax.set_xlabel(measure.replace("_", " "))
    view = G.graph.get("view") if G is not None else None
    ax.set_title(title or f"Top {len(rows)} actors by {measure.replace('_', ' ')}" + (f" ({view})" if view else ""),
                 fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _save(fig, out)
    return fig


def plot_years(graphs: Mapping[int, nx.Graph] | None = None, actors: Iterable[Hashable] | None = None,
               measure: str = "pagerank", *, rows: Sequence[dict] | None = None, top: int = 6, lang: str = "en",
               title: str | None = None, ax=None, out: str | Path | None = None, font: str = LABEL_FONT,
               whole: nx.Graph | None = None, max_label: int | None = 50):
    """Lines of ``measure`` per year for chosen actors.

    Give the year graphs of a view (:func:`kg.networks.views.by_year`) and
    ``actors`` (IRIs or short ids; default: the ``top`` actors by ``measure``
    in ``whole``, the view over all years, among those named in some year,
    or else by the measure summed over the years), or
    ``rows`` from :func:`kg.networks.centrality.over_years`.
    """
    _check_shaping()
    from kg.networks.centrality import centrality, over_years, parse_measures, table

    measure = parse_measures(measure)[0]
    G = whole
    if rows is None:
        if not graphs:
            raise KGError("plot_years needs the graphs of the years (or rows)")
        if actors is None:
            dated = {n for H in graphs.values() for n in H}
            if whole is not None:     # the top actors of the whole view that some year names
                actors = [r["iri"] for r in table(whole, [measure]) if r["iri"] in dated][:top]
            else:
                total: dict = {}
                for H in graphs.values():
                    for n, x in centrality(H, [measure])[measure].items():
                        total[n] = total.get(n, 0.0) + float(x)
                actors = sorted(total, key=lambda n: (-total[n], str(n)))[:top]
        rows = over_years(graphs, actors, measure)
        if G is None:
            G = next(iter(graphs.values()))
    fig, ax = _figure(ax, (9, 5))
    series: dict[str, dict] = {}
    for r in rows:
        s = series.setdefault(r["actor"], {"label": _short(label_of(r, r["actor"], lang), max_label), "x": [], "y": []})
        s["x"].append(int(r["year"]))
        s["y"].append(float(r[measure]))
    for key in series:
        s = series[key]
        ax.plot(s["x"], s["y"], marker="o", label=s["label"])
    years = sorted({x for s in series.values() for x in s["x"]})
    if years:
        ax.set_xticks(years, labels=[str(y) for y in years])
    ax.set_xlabel("year of the items")
    ax.set_ylabel(measure.replace("_", " "))
    view = G.graph.get("view") if G is not None else None
    ax.set_title(title or f"{measure.replace('_', ' ').capitalize()} over the years" + (f" ({view})" if view else ""),
                 fontsize=11)
    if series:
        ax.legend(fontsize=8, frameon=False, prop={"family": font, "size": 8})
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _save(fig, out)
    return fig
