"""CLI commands of the actor networks: ``centrality``, ``network``, ``plot``.

``register(cli)`` adds them to the main click group (:mod:`kg.cli` calls
it). Each reads the store given to the main group (``--store``), builds a
view through SPARQL with the same filter options, and prints or writes the
result; errors are KGErrors, which the main group prints as one line:

    levant-kg centrality coparticipation --top 10 --from 2023-01-01
    levant-kg centrality funding --by-year --measure pagerank --format csv
    levant-kg network funding --out funding.gexf --fold-units
    levant-kg plot funding --out funding.svg --figure network --lang both
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from kg.cli_options import format_option, open_store_of
from kg.errors import KGError

VIEW_NAMES = ("cooccurrence", "coparticipation", "funding", "hierarchy", "actor-event", "actor-project")
MEASURE_NAMES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank", "community",
                 "in_degree", "out_degree", "in_weighted_degree", "out_weighted_degree")


def _filters(fn: Callable) -> Callable:
    """The filter options every network command takes."""
    options = [
        click.option("--from", "date_from", metavar="DATE", help="Only items published on or after DATE (YYYY[-MM[-DD]])."),
        click.option("--to", "date_to", metavar="DATE", help="Only items published on or before DATE."),
        click.option("--country", "countries", multiple=True, metavar="CODE",
                     help="Only actors of this country (ISO code, e.g. JO); repeat or comma-separate."),
        click.option("--topic", "topics", multiple=True, metavar="KEY",
                     help="Only items on this topic or a narrower one (e.g. human-trafficking); repeat."),
        click.option("--kind", "kinds", multiple=True, metavar="KIND",
                     help="Only actors of this kind (GovernmentBody, Embassy, Person, ...); repeat."),
        click.option("--fold-units/--keep-units", default=False, show_default=True,
                     help="Fold organizational units (country offices...) into their organization."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def _make_filters(kw: dict[str, Any]):
    from kg.networks.views import Filters

    return Filters.make(date_from=kw.pop("date_from"), date_to=kw.pop("date_to"), countries=kw.pop("countries"),
                        topics=kw.pop("topics"), kinds=kw.pop("kinds"), fold_units=kw.pop("fold_units"))


def _with_store(ctx: click.Context, fn: Callable[[Any], Any]) -> Any:
    with open_store_of(ctx, write=False) as store:
        return fn(store)


def _render(rows: list[dict[str, Any]], columns: list[str], fmt: str, fh) -> None:
    """Print rows with the renderer every command uses; tables leave the long IRI column out
    (``actor`` is the short id), CSV and JSON keep it."""
    from kg.output import render

    if fmt == "table":
        columns = [c for c in columns if c != "iri"]
    render(rows, fmt, fh, columns=columns)


def register(cli: click.Group) -> None:
    """Add ``centrality``, ``network`` and ``plot`` to the main group."""

    @cli.command("centrality")
    @click.argument("view", type=click.Choice(VIEW_NAMES))
    @click.option("--top", type=click.IntRange(min=1), default=None, help="Show the N most central actors (per year with --by-year).")
    @click.option("--by-year", is_flag=True, help="One ranking per year of the items.")
    @click.option("--measure", "measures", multiple=True, metavar="NAME",
                  help=f"Measures to compute, first one ranks (repeat or comma-separate): {', '.join(MEASURE_NAMES)}. "
                       "Default: the first seven (eigenvector only on undirected views).")
    @click.option("--sort", default=None, metavar="NAME", help="Rank by this measure instead of the first.")
    @click.option("--k", "k", type=click.IntRange(min=1), default=None,
                  help="Sampled betweenness: use K source nodes instead of all (for very large views).")
    @format_option
    @_filters
    @click.pass_context
    def centrality_cmd(ctx, view, top, by_year, measures, sort, k, fmt, **kw):
        """Rank the actors of VIEW by centrality.

        Weights (numbers of supporting items) are read as strengths: path
        measures (betweenness, closeness) use distance 1/weight.
        """
        from kg.networks import views
        from kg.networks.centrality import by_year_table, parse_measures, table

        def run(store):
            f = _make_filters(kw)
            ms = parse_measures(measures) if measures else None
            if by_year:
                rows = by_year_table(views.by_year(store, view, f), ms, sort=sort, top=top, k=k)
            else:
                rows = table(views.build_view(store, view, f), ms, sort=sort, top=top, k=k)
            _render(list(rows), rows.columns, fmt, sys.stdout)

        _with_store(ctx, run)

    @cli.command("network")
    @click.argument("view", type=click.Choice(VIEW_NAMES))
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="Output file: .graphml, .gexf (Gephi) or .csv (writes NAME.nodes.csv and NAME.edges.csv).")
    @click.option("--with-centrality", is_flag=True, help="Add the centrality measures as node attributes.")
    @_filters
    @click.pass_context
    def network_cmd(ctx, view, out, with_centrality, **kw):
        """Export VIEW as GraphML, GEXF or node and edge CSV, labels in English and Arabic."""
        from kg.networks import views
        from kg.networks.centrality import centrality
        from kg.networks.export import FORMATS, write_network

        if out.suffix.lower() not in FORMATS:
            raise KGError(f"{out}: cannot tell the format from the extension; use .graphml, .gexf or .csv")

        def run(store):
            G = views.build_view(store, view, _make_filters(kw))
            values = centrality(G) if with_centrality else None
            paths = write_network(G, out, values)
            click.echo(f"{view}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges -> "
                       + ", ".join(str(p) for p in paths))

        _with_store(ctx, run)

    @cli.command("plot")
    @click.argument("view", type=click.Choice(VIEW_NAMES))
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="Output file, .png or .svg.")
    @click.option("--figure", "figure", type=click.Choice(["network", "bar", "years"]), default="network",
                  show_default=True, help="network drawing, bar chart of top actors, or centrality over the years.")
    @click.option("--measure", default="pagerank", show_default=True, metavar="NAME",
                  help="Centrality for node size, bars or lines.")
    @click.option("--top", type=click.IntRange(min=1), default=None,
                  help="Actors labelled (network, default 12), bars (default 15) or lines (default 6).")
    @click.option("--actor", "actors", multiple=True, metavar="ID",
                  help="For --figure years: actors to follow (IRI or short id such as org/iom); repeat.")
    @click.option("--lang", type=click.Choice(["en", "ar", "both"]), default="en", show_default=True,
                  help="Language of the labels.")
    @click.option("--max-nodes", type=click.IntRange(min=1), default=250, show_default=True,
                  help="Network drawing: draw only the N most central nodes.")
    @_filters
    @click.pass_context
    def plot_cmd(ctx, view, out, figure, measure, top, actors, lang, max_nodes, **kw):
        """Draw VIEW: a network, a bar chart of top actors, or centrality over the years."""
        from kg.networks import plot, views
        from kg.networks.centrality import parse_measures

        if out.suffix.lower() not in (".png", ".svg"):
            raise KGError(f"{out}: cannot write a figure as {out.suffix or '(no extension)'!r}; use .png or .svg")

        def run(store):
            f = _make_filters(kw)
            m = parse_measures(measure)[0]
            if figure == "years":
                graphs = views.by_year(store, view, f)
                if not graphs:
                    raise KGError(f"the {view} view has no dated items")
                whole = None if actors else views.build_view(store, view, f)
                plot.plot_years(graphs, list(actors) or None, m, top=top or 6, lang=lang, out=out, whole=whole)
            else:
                G = views.build_view(store, view, f)
                if figure == "bar":
                    plot.bar_top(G, m, top=top or 15, lang=lang, out=out)
                else:
                    plot.draw_network(G, size_by=m, top=top or 12, lang=lang, max_nodes=max_nodes, out=out)
            click.echo(f"wrote {out}")

        _with_store(ctx, run)
