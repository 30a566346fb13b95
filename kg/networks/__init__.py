"""Actor networks: views of the knowledge graph as networkx graphs, their
centrality, export and figures.

>>> from kg.networks import build_view, table          # doctest: +SKIP
>>> G = build_view(store, "coparticipation", date_from="2023")  # doctest: +SKIP
>>> table(G, top=10).to_frame()                          # doctest: +SKIP

Views are built through SPARQL (:mod:`kg.networks.views`); each measure has
its module (``degree``, ``betweenness``, ``closeness``, ``eigenvector``,
``pagerank``, ``communities``) whose docstring says how it reads weights;
:mod:`kg.networks.centrality` runs the suite and the rankings per year;
:mod:`kg.networks.export` writes GraphML, GEXF and CSV;
:mod:`kg.networks.plot` draws (matplotlib is imported only there).
"""
from kg.networks.betweenness import betweenness
from kg.networks.centrality import (DEFAULT_MEASURES, Table, by_year_table, centrality,
                                    over_years, table)
from kg.networks.closeness import closeness
from kg.networks.communities import communities, louvain
from kg.networks.degree import degree, weighted_degree
from kg.networks.eigenvector import eigenvector
from kg.networks.export import write_csv, write_gexf, write_graphml, write_network
from kg.networks.pagerank import pagerank
from kg.networks.views import VIEWS, Filters, build_view, by_year, years

__all__ = [
    "VIEWS", "Filters", "build_view", "by_year", "years",
    "degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank",
    "communities", "louvain", "centrality", "table", "by_year_table", "over_years", "Table",
    "DEFAULT_MEASURES", "write_graphml", "write_gexf", "write_csv", "write_network",
]
