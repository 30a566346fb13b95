"""Actor networks: views through SPARQL, measures against networkx, tables, export, CLI."""
from __future__ import annotations

import csv
import json
import math
import random
from fractions import Fraction

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.errors import KGError
from kg.networks import (betweenness, build_view, by_year, by_year_table, centrality, closeness,
                         communities, degree, eigenvector, louvain, over_years, pagerank, table,
                         weighted_degree, write_network)
from kg.networks.export import write_gexf, write_graphml
from kg.networks.views import VIEWS

from networks_fixture import OxStore, event, load, open_test_store, org, person, project

IOM, IOM_JO, IOM_LB, AMMAN = org("iom"), org("iom-jo"), org("iom-lb"), org("iom-jo-amman")
EU, EU_DEL, MOL, GS, JP = org("eu"), org("eu-del-jo"), org("mol-jo"), org("gs-lb"), org("gov-jp")
TAMKEEN = org("nongovernmentalorganization--tamkeen--jo")
RANA = person("rana-haddadin")
A, B, C, D = "a-2022-workshop", "b-2023-training", "c-2023-workshop-again", "d-undated"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_test_store(tmp_path_factory.mktemp("netstore") / "store")
    load(s)
    yield s
    if hasattr(s, "close"):
        s.close()


def edges(G):
    return {(str(u), str(v)): d for u, v, d in G.edges(data=True)}


def key(G, u, v):
    u, v = str(u), str(v)
    return (u, v) if G.is_directed() or u < v else (v, u)


# -- the examples in the docstrings -------------------------------------------------------

@pytest.mark.parametrize("module", ["degree", "betweenness", "closeness", "eigenvector", "pagerank",
                                    "communities", "centrality", "export"])
def test_docstring_examples(module):
    import doctest
    import importlib

    mod = importlib.import_module(f"kg.networks.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# -- views -----------------------------------------------------------------------------

def test_cooccurrence_counts_items_and_keeps_their_ids(store):
    G = build_view(store, "cooccurrence")
    e = edges(G)
    assert e[key(G, EU, MOL)]["weight"] == 2
    assert e[key(G, EU, MOL)]["items"] == [A, D]
    assert e[key(G, IOM, MOL)]["items"] == [A, C]
    assert not G.has_edge(str(GS), str(MOL))
    assert sorted(G.graph["items"]) == [A, B, C, D]
    assert G.graph["items"][D] is None


def test_nodes_carry_kind_country_and_both_labels(store):
    G = build_view(store, "cooccurrence")
    iom = G.nodes[str(IOM)]
    assert iom["kind"] == "IntergovernmentalOrganization" and iom["country"] is None
    assert iom["label_en"] == "International Organization for Migration"
    assert iom["label_ar"] == "المنظمة الدولية للهجرة"
    tam = G.nodes[str(TAMKEEN)]   # not in the registry: labels, kind and country from the item graph
    assert (tam["kind"], tam["country"], tam["label_en"], tam["label_ar"]) == (
        "NonGovernmentalOrganization", "JO", "Tamkeen", "تمكين")
    assert G.nodes[str(RANA)]["kind"] == "Person" and G.nodes[str(RANA)]["type"] == "Person"
    assert G.nodes[str(IOM_JO)]["kind"] == "OrganizationalUnit"


def test_coparticipation_gathers_an_event_over_items(store):
    G = build_view(store, "coparticipation")
    e = edges(G)
    # EU delegation attended per item A, Tamkeen per item C: both at the same workshop
    d = e[key(G, EU_DEL, TAMKEEN)]
    assert d["weight"] == 2 and d["items"] == [A, C] and d["events"] == [str(event("workshop-a"))]
    assert e[key(G, GS, IOM_LB)]["items"] == [B]
    assert str(EU) not in G          # the EU funds but attends nothing
    assert G.nodes[str(TAMKEEN)]["items"] == [C]   # nodes: the items that state their participation


def test_funding_is_directed_through_projects_and_events(store):
    G = build_view(store, "funding")
    assert G.is_directed()
    e = edges(G)
    assert set(e) == {(str(EU), str(IOM_JO)), (str(EU), str(MOL)), (str(JP), str(GS))}
    eu_iom = e[(str(EU), str(IOM_JO))]
    assert eu_iom["items"] == [A]
    assert eu_iom["via"] == sorted([str(project("labour-governance-jo")), str(event("workshop-a"))])
    assert e[(str(JP), str(GS))]["via"] == [str(event("training-b"))]
    assert e[(str(EU), str(MOL))]["items"] == [D]    # funds an organization directly


def test_hierarchy_counts_registry_and_items(store):
    G = build_view(store, "hierarchy")
    e = edges(G)
    assert e[(str(IOM_LB), str(IOM))] == {"weight": 2, "items": [B], "registry": True}
    assert e[(str(AMMAN), str(IOM_JO))] == {"weight": 1, "items": [], "registry": True}
    assert (str(EU_DEL), str(EU)) in e


def test_bipartite_views(store):
    G = build_view(store, "actor-event")
    assert nx.is_bipartite(G)
    ev = str(event("workshop-a"))
    assert G.nodes[ev]["bipartite"] == 1 and G.nodes[ev]["kind"] == "Workshop"
    assert G.nodes[str(MOL)]["bipartite"] == 0
    assert G.edges[str(IOM_JO), ev]["roles"] == ["organizer"]
    assert G.edges[str(MOL), ev]["items"] == [A, C]
    P = build_view(store, "actor-project")
    pr = str(project("labour-governance-jo"))
    assert {n for n in P[pr]} == {str(EU), str(IOM_JO)}
    assert P.edges[str(EU), pr]["roles"] == ["funder"]
    assert P.nodes[pr]["label_en"] == "Labour Migration Governance"


def test_fold_units_follows_the_chain_of_units(store):
    G = build_view(store, "coparticipation", fold_units=True)
    assert str(IOM_JO) not in G and str(AMMAN) not in G and str(IOM_LB) not in G
    assert G.nodes[str(IOM)]["units"] == sorted([str(IOM_JO), str(AMMAN), str(IOM_LB)])
    assert G.has_edge(str(IOM), str(GS))              # via IOM Lebanon
    assert not G.has_edge(str(IOM), str(IOM))        # IOM Jordan + IOM at one event: no self-loop
    F = build_view(store, "funding", fold_units=True)
    assert F.has_edge(str(EU), str(IOM))
    assert str(EU_DEL) in build_view(store, "cooccurrence", fold_units=True)   # an embassy is not a unit


def test_filters_dates_topics_countries_kinds(store):
    G = build_view(store, "coparticipation", date_from="2023")
    assert sorted(G.graph["items"]) == [B, C]
    assert not G.has_edge(str(EU_DEL), str(TAMKEEN))  # EU delegation's attendance is stated in 2022 only
    G = build_view(store, "cooccurrence", topics=["gcm"])   # narrower concept gcm-objective-6
    assert sorted(G.graph["items"]) == [C]
    G = build_view(store, "cooccurrence", countries="jo")
    assert {G.nodes[n]["country"] for n in G} == {"JO"}
    G = build_view(store, "cooccurrence", kinds=["GovernmentBody", "person"])
    assert {G.nodes[n]["kind"] for n in G} == {"GovernmentBody", "Person"}
    G = build_view(store, "cooccurrence", date_from="2022-01-01", date_to="2022-12-31")
    assert sorted(G.graph["items"]) == [A]


@pytest.mark.parametrize("kw, word", [
    ({"date_from": "last year"}, "--from"), ({"countries": "Jordan"}, "--country"),
    ({"kinds": "Ministry"}, "--kind"), ({"topics": "x y"}, "--topic")])
def test_bad_filters_are_user_errors(store, kw, word):
    with pytest.raises(KGError, match=word):
        build_view(store, "cooccurrence", **kw)


def test_unknown_view(store):
    with pytest.raises(KGError, match="unknown view"):
        build_view(store, "friendship")


@pytest.mark.parametrize("view", VIEWS)
def test_a_year_graph_is_the_view_of_that_years_items(store, view):
    years = by_year(store, view)
    assert sorted(years) == [2022, 2023]
    for y, H in years.items():
        F = build_view(store, view, date_from=f"{y}-01-01", date_to=f"{y}-12-31")
        # registry support is not dated: a year counts items only
        want = {k: (d["weight"] - d.get("registry", False), d["items"]) for k, d in edges(F).items() if d["items"]}
        assert {k: (d["weight"], d["items"]) for k, d in edges(H).items()} == want
        assert H.graph["year"] == y


def test_views_name_their_graphs(store):
    # every pattern is inside GRAPH: the same views whatever the store's default graph is
    bare = OxStore(union=False)
    load(bare)
    for view in VIEWS:
        for fold in (False, True):
            G1 = build_view(store, view, fold_units=fold, topics="gcm")
            G2 = build_view(bare, view, fold_units=fold, topics="gcm")
            assert list(G1.nodes(data=True)) == list(G2.nodes(data=True))
            assert list(G1.edges(data=True)) == list(G2.edges(data=True))


def test_the_memory_store_gives_the_same_views(store):
    mem = open_test_store(":memory:")      # rdflib's SPARQL engine
    load(mem)
    for view in VIEWS:
        for kw in ({}, {"fold_units": True, "topics": "gcm"}, {"date_from": "2023", "countries": "JO"}):
            G1, G2 = build_view(store, view, **kw), build_view(mem, view, **kw)
            assert list(G1.nodes(data=True)) == list(G2.nodes(data=True)), (view, kw)
            assert list(G1.edges(data=True)) == list(G2.edges(data=True)), (view, kw)


def test_views_repeat_exactly(store):
    for view in VIEWS:
        G1, G2 = build_view(store, view), build_view(store, view)
        assert list(G1.nodes(data=True)) == list(G2.nodes(data=True))
        assert list(G1.edges(data=True)) == list(G2.edges(data=True))


# -- measures against networkx -----------------------------------------------------------

def _random_graph(seed, directed=False, n=None, m=None):
    rnd = random.Random(seed)
    n = n or rnd.randint(2, 30)
    G = nx.gnm_random_graph(n, m if m is not None else rnd.randint(0, 3 * n), seed=seed, directed=directed)
    G.add_node("isolated")
    for _, _, d in G.edges(data=True):
        d["weight"] = rnd.choice([1, 1, 1, 2, 3, 4, 5, 10])
        d["distance"] = Fraction(1, d["weight"])          # exact: networkx finds every tie
    return G


def _close(a, b, tol=1e-9):
    assert a.keys() == b.keys()
    for k in a:
        x, y = float(a[k]), float(b[k])
        assert (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=tol, abs_tol=1e-12), (k, x, y)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_betweenness_reads_weight_as_strength_like_networkx_with_inverse_distance(seed, directed):
    G = _random_graph(seed, directed)
    for normalized in (True, False):
        _close(betweenness(G, normalized=normalized),
               nx.betweenness_centrality(G, weight="distance", normalized=normalized))
        _close(betweenness(G, weight=None, normalized=normalized),        # rustworkx path
               nx.betweenness_centrality(G, normalized=normalized))
        k = max(1, len(G) // 3)
        _close(betweenness(G, k=k, seed=seed, normalized=normalized),     # sampled, same sample as networkx
               nx.betweenness_centrality(G, k=k, seed=seed, weight="distance", normalized=normalized))


def test_betweenness_finds_ties_that_float_sums_hide():
    # a-b directly (weight 1, distance 1) and a-x1-...-x9-b with weight 10 (ten hops of 0.1):
    # equal lengths; 0.1 summed ten times is 0.9999999999999999 in floating point
    G = nx.Graph()
    G.add_edge("a", "b", weight=1)
    path = ["a"] + [f"x{i}" for i in range(1, 10)] + ["b"]
    nx.add_path(G, path, weight=10)
    for _, _, d in G.edges(data=True):
        d["distance"] = Fraction(1, d["weight"])
    _close(betweenness(G), nx.betweenness_centrality(G, weight="distance"))


def test_betweenness_on_a_larger_graph_and_batches():
    G = _random_graph(99, n=300, m=2000)
    ref = nx.betweenness_centrality(G, weight="distance")
    _close(betweenness(G), ref)
    from kg.networks.betweenness import brandes
    raw = brandes(G, batch=7)
    _close({k: v for k, v in raw.items()}, brandes(G, batch=300))


def test_betweenness_rejects_zero_weights_and_bad_k():
    G = nx.Graph([("a", "b", {"weight": 0})])
    with pytest.raises(ValueError, match="positive"):
        betweenness(G)
    with pytest.raises(ValueError, match="k="):
        betweenness(nx.path_graph(3), k=5)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_closeness_like_networkx_with_inverse_distance(seed, directed):
    G = _random_graph(seed, directed)
    for wf in (True, False):
        for backend in ("scipy", "rustworkx"):
            _close(closeness(G, wf_improved=wf, backend=backend),
                   nx.closeness_centrality(G, distance="distance", wf_improved=wf))
            _close(closeness(G, weight=None, wf_improved=wf, backend=backend),
                   nx.closeness_centrality(G, wf_improved=wf))


@pytest.mark.parametrize("seed", range(6))
def test_eigenvector_like_networkx_on_connected_graphs(seed):
    G = nx.connected_watts_strogatz_graph(40, 4, 0.3, seed=seed)
    rnd = random.Random(seed)
    for _, _, d in G.edges(data=True):
        d["weight"] = rnd.randint(1, 6)
    _close(eigenvector(G), nx.eigenvector_centrality_numpy(G, weight="weight"), tol=1e-6)
    _close(eigenvector(G, weight=None), nx.eigenvector_centrality_numpy(G), tol=1e-6)


def test_eigenvector_uses_the_largest_component_and_refuses_directed():
    G = nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4), ("x", "y")])
    G.add_node("alone")
    ev = eigenvector(G)
    _close({n: ev[n] for n in (1, 2, 3, 4)}, nx.eigenvector_centrality_numpy(G.subgraph([1, 2, 3, 4])), tol=1e-6)
    assert ev["x"] == ev["y"] == ev["alone"] == 0.0
    assert eigenvector(nx.Graph([("a", "b")])) == pytest.approx({"a": 2 ** -0.5, "b": 2 ** -0.5})
    with pytest.raises(ValueError, match="pagerank"):
        eigenvector(nx.DiGraph([(1, 2)]))


def test_pagerank_degree_and_communities():
    G = _random_graph(3, n=25, m=60)
    _close(pagerank(G), nx.pagerank(G, weight="weight", tol=1e-10, max_iter=1000), tol=1e-6)
    assert degree(G) == dict(G.degree())
    assert weighted_degree(G) == dict(G.degree(weight="weight"))
    assert louvain(G) == louvain(G)
    parts = communities(G)
    assert [len(p) for p in parts] == sorted((len(p) for p in parts), reverse=True)
    assert set().union(*parts) == set(G)


# -- tables --------------------------------------------------------------------------------

def test_table_ranks_actors_with_labels(store):
    G = build_view(store, "coparticipation")
    rows = table(G)
    assert [r["rank"] for r in rows] == list(range(1, len(G) + 1))
    assert rows.columns[:6] == ["rank", "actor", "label_en", "label_ar", "kind", "country"]
    assert {"degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank",
            "community"} <= set(rows.columns)
    top = rows[0]
    assert top["actor"] == "org/mol-jo" and top["label_ar"] == "وزارة العمل"
    assert [r["degree"] for r in rows] == sorted((r["degree"] for r in rows), reverse=True)
    assert table(G, top=3) == rows[:3]


def test_table_sort_top_and_frame(store):
    G = build_view(store, "coparticipation")
    rows = table(G, ["pagerank", "degree"], top=2)
    assert rows.columns == ["rank", "actor", "label_en", "label_ar", "kind", "country", "pagerank", "degree", "iri"]
    assert rows[0]["pagerank"] >= rows[1]["pagerank"]
    pd = pytest.importorskip("pandas")
    df = table(G, "weighted_degree", frame=True)
    assert isinstance(df, pd.DataFrame) and list(df["actor"])[:1] == ["org/mol-jo"]
    assert table(G, "weighted_degree").to_frame().equals(df)


def test_directed_views_leave_eigenvector_out_unless_asked(store):
    G = build_view(store, "funding")
    assert "eigenvector" not in table(G).columns and "pagerank" in table(G).columns
    with pytest.raises(KGError, match="directed"):
        table(G, ["eigenvector"])
    with pytest.raises(KGError, match="unknown measure"):
        table(G, ["fame"])


def test_in_and_out_degrees_on_directed_views(store):
    rows = table(build_view(store, "funding"), ["out_weighted_degree", "in_degree"])
    assert rows[0]["actor"] == "org/eu" and rows[0]["out_weighted_degree"] == 2 and rows[0]["in_degree"] == 0


def test_bipartite_tables_rank_actors_only(store):
    G = build_view(store, "actor-event")
    assert all(r["iri"].split("/")[-2] in ("org", "person") for r in table(G))


def test_by_year_table_and_over_years(store):
    years = by_year(store, "coparticipation")
    rows = by_year_table(years, ["degree"], top=2)
    assert [(r["year"], r["rank"]) for r in rows] == [(2022, 1), (2022, 2), (2023, 1), (2023, 2)]
    tr = over_years(years, ["org/iom", str(EU_DEL)], "degree")
    got = {(r["year"], r["actor"]): r["degree"] for r in tr}
    assert got == {(2022, "org/iom"): 0.0, (2023, "org/iom"): 3.0,
                   (2022, "org/eu-del-jo"): 3.0, (2023, "org/eu-del-jo"): 0.0}
    with pytest.raises(KGError, match="no year"):
        over_years(years, ["org/nobody"], "degree")


def test_the_centrality_suite_times_each_measure(store):
    G = build_view(store, "coparticipation")
    t = {}
    values = centrality(G, timings=t)
    assert set(t) == set(values) and all(x >= 0 for x in t.values())


# -- export --------------------------------------------------------------------------------

def test_graphml_keeps_both_labels_and_items(store, tmp_path):
    G = build_view(store, "funding")
    H = nx.read_graphml(write_graphml(G, tmp_path / "f.graphml"))
    assert H.is_directed()
    assert H.nodes[str(EU)]["label_ar"] == "الاتحاد الأوروبي"
    assert H.nodes[str(EU)]["label"] == "European Union"
    d = H.edges[str(EU), str(IOM_JO)]
    assert d["weight"] == 1 and d["items"] == A


def test_gexf_opens_with_labels(store, tmp_path):
    G = build_view(store, "coparticipation")
    H = nx.read_gexf(write_gexf(G, tmp_path / "c.gexf", centrality(G, ["pagerank"])))
    assert H.nodes[str(MOL)]["label"] == "Ministry of Labour (Jordan)"
    assert H.nodes[str(MOL)]["label_ar"] == "وزارة العمل"
    assert "pagerank" in H.nodes[str(MOL)]
    assert H.edges[str(EU_DEL), str(TAMKEEN)]["weight"] == 2


def test_csv_pair_for_gephi_and_pandas(store, tmp_path):
    G = build_view(store, "funding")
    nodes_path, edges_path = write_network(G, tmp_path / "f.csv")
    with nodes_path.open(encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with edges_path.open(encoding="utf-8") as fh:
        es = list(csv.DictReader(fh))
    assert {"Id", "Label", "label_en", "label_ar", "kind", "country"} <= set(nodes[0])
    eu = next(r for r in nodes if r["Id"] == str(EU))
    assert eu["label_ar"] == "الاتحاد الأوروبي"
    row = next(r for r in es if r["Source"] == str(JP))
    assert (row["Target"], row["Type"], row["Weight"], row["items"]) == (str(GS), "Directed", "1", B)


def test_export_refuses_unknown_extension(store, tmp_path):
    with pytest.raises(KGError, match=r"\.graphml"):
        write_network(nx.Graph(), tmp_path / "g.xlsx")


# -- command line --------------------------------------------------------------------------

@pytest.fixture()
def cli(store, monkeypatch):
    """The project's command line, reading the test store (``--store`` from the environment)."""
    from kg.cli import cli as main

    monkeypatch.setenv("LEVANT_KG_STORE", str(store.path))
    return main


def test_cli_centrality_table(cli):
    r = CliRunner().invoke(cli, ["centrality", "coparticipation", "--top", "3"])
    assert r.exit_code == 0, r.output
    lines = [x for x in r.output.strip().splitlines() if not set(x) <= {"-", " "}]
    assert "rank" in lines[0] and "label_ar" in lines[0] and "iri" not in lines[0]
    assert "org/mol-jo" in lines[1] and "وزارة العمل" in lines[1]
    assert len(lines) == 4


def test_cli_centrality_json_by_year_with_filters(cli):
    r = CliRunner().invoke(cli, ["centrality", "cooccurrence", "--by-year", "--measure", "degree,pagerank",
                                 "--top", "1", "--format", "json", "--country", "JO"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [x["year"] for x in rows] == [2022, 2023]
    assert all(x["country"] == "JO" for x in rows)
    assert list(rows[0])[:3] == ["year", "rank", "actor"]


def test_cli_centrality_csv_and_errors(cli):
    r = CliRunner().invoke(cli, ["centrality", "funding", "--format", "csv", "--measure", "pagerank"])
    assert r.exit_code == 0, r.output
    head = next(csv.reader(r.output.splitlines()))
    assert head[:2] == ["rank", "actor"] and "pagerank" in head
    bad = CliRunner().invoke(cli, ["centrality", "funding", "--from", "yesterday"])
    assert bad.exit_code == 2 and "--from" in bad.output
    bad = CliRunner().invoke(cli, ["centrality", "funding", "--measure", "eigenvector"])
    assert bad.exit_code == 2 and "pagerank" in bad.output
    bad = CliRunner().invoke(cli, ["centrality", "friends"])
    assert bad.exit_code == 2


def test_cli_network_export(cli, tmp_path):
    out = tmp_path / "fund.gexf"
    r = CliRunner().invoke(cli, ["network", "funding", "--out", str(out), "--fold-units", "--with-centrality"])
    assert r.exit_code == 0, r.output
    H = nx.read_gexf(out)
    assert H.has_edge(str(EU), str(IOM)) and "pagerank" in H.nodes[str(EU)]
    r = CliRunner().invoke(cli, ["network", "funding", "--out", str(tmp_path / "fund.csv")])
    assert r.exit_code == 0 and (tmp_path / "fund.nodes.csv").exists() and (tmp_path / "fund.edges.csv").exists()
    bad = CliRunner().invoke(cli, ["network", "funding", "--out", str(tmp_path / "fund.xlsx")])
    assert bad.exit_code == 2 and ".graphml" in bad.output


def test_cli_plot(cli, tmp_path):
    for figure, name in (("network", "n.png"), ("bar", "b.svg"), ("years", "y.png")):
        out = tmp_path / name
        r = CliRunner().invoke(cli, ["plot", "coparticipation", "--out", str(out), "--figure", figure,
                                     "--lang", "both"])
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 1000
    bad = CliRunner().invoke(cli, ["plot", "funding", "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and ".svg" in bad.output


# -- the bundled samples, through the mapping --------------------------------------------------

@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """The bundled sample records mapped to RDF (with the registry when it is there) in a store."""
    from kg.iri import ONTOLOGY_GRAPH, REGISTRY_GRAPH
    from kg.mapping import record_to_graph
    from kg.ontology import load_ontology
    from kg.record import load_record
    from kg.resources import data_path

    try:
        from kg.registry import default_registry
        registry = default_registry()
    except ImportError:
        registry = None
    s = open_test_store(tmp_path_factory.mktemp("samples") / "store")
    if registry is not None:
        s.put_graph(REGISTRY_GRAPH, registry.to_graph())
    s.put_graph(ONTOLOGY_GRAPH, load_ontology())
    paths = sorted(data_path("samples").glob("*.gold.json"))
    for p in paths:
        g = record_to_graph(load_record(p), registry)
        s.put_item(g.identifier, g)
    yield s, [p.name[:-len(".gold.json")] for p in paths]
    if hasattr(s, "close"):
        s.close()


def test_views_of_the_bundled_samples(sample_store):
    s, ids = sample_store
    for view in VIEWS:
        G = build_view(s, view)
        assert G.number_of_edges() > 0, view
        assert set(G.graph["items"]) == set(ids)
        for _, _, d in G.edges(data=True):
            assert d["weight"] >= 1 and set(d["items"]) <= set(ids)
        for n, d in G.nodes(data=True):
            assert d["label"] and d["kind"], (view, n)
    F = build_view(s, "funding")
    labels = {(F.nodes[u]["label_en"], F.nodes[v]["label_en"]) for u, v in F.edges()}
    assert any("Japan" in (a or "") for a, _ in labels), labels
    rows = table(build_view(s, "coparticipation"), top=5)
    assert len(rows) == 5 and rows[0]["degree"] >= rows[-1]["degree"]
    assert sorted(by_year(s, "cooccurrence")) == [2023, 2024]


def test_cli_opens_the_store_the_main_group_names(tmp_path):
    from kg.cli import cli as main

    path = tmp_path / "kg-store"
    s = open_test_store(path)
    load(s)
    s.close()
    r = CliRunner().invoke(main, ["--store", str(path), "centrality", "funding", "--format", "csv", "--top", "1"])
    assert r.exit_code == 0, r.output
    assert "org/eu" in r.output.splitlines()[1]
    r = CliRunner().invoke(main, ["--store", str(tmp_path / "nowhere"), "centrality", "funding"])
    assert r.exit_code == 2 and "no store here" in r.output


@pytest.mark.slow
def test_views_from_a_sparql_endpoint(store, tmp_path):
    """The same views from a real Oxigraph server through the SPARQL protocol."""
    serve = pytest.importorskip("kg.serve")
    from kg.sparql_store import SparqlStore

    serve.oxigraph_binary()      # StoreError if the server program is missing: the scale issue installs it
    with serve.OxigraphServer(tmp_path / "served") as server:
        endpoint = SparqlStore(server.url)
        load(endpoint)
        for view in VIEWS:
            for kw in ({}, {"fold_units": True, "topics": "gcm"}, {"date_from": "2023", "countries": "JO"}):
                G1, G2 = build_view(store, view, **kw), build_view(endpoint, view, **kw)
                assert list(G1.nodes(data=True)) == list(G2.nodes(data=True)), (view, kw)
                assert list(G1.edges(data=True)) == list(G2.edges(data=True)), (view, kw)
