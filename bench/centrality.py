"""Benchmark: actor-network views and the centrality suite on a synthetic corpus.

    python bench/centrality.py                       # 10,000 items, seed 1
    python bench/centrality.py --items 1000 --views all
    python bench/centrality.py --full-networkx       # also run networkx's exact betweenness (~1.5 min)

A simple synthetic corpus in the shape of docs/model.md is written as N-Quads
and loaded into an embedded store (``kg.store.open_store``): ~2,000 registry actors of every kind
in seven countries, with Zipf-like prominence; each item reports one event
(an organizer and 2-6 attendees), some under a project with a funder and an
implementer. At 10,000 items the co-participation view has about 2,000 actors
and 55,000-60,000 edges: the size the target is set for.

``--generator`` uses the realistic corpus of ``bench/generate.py`` instead:
its annotation records (``--records``) go through the project's mapping
(``kg.mapping.record_to_graph`` with the registry) into the store, so the
views read exactly what ``levant-kg build`` writes. Its events are one per
item, so its co-participation view is smaller and sparser than the simple
corpus's. ``--store PATH`` measures an existing store.

The script times building each view through SPARQL, then each measure of the
suite on the co-participation view, and the same measure with plain networkx
on the same graph: networkx's exact weighted betweenness and closeness take
minutes there, so they are timed on a sample of sources (``--nx-sample``,
networkx's own ``k`` for betweenness) and extrapolated linearly (both are one
shortest-path search per source), unless ``--full-networkx``.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import networkx as nx  # noqa: E402

from kg.iri import ID, REGISTRY_GRAPH, country_iri, item_iri, topic_iri  # noqa: E402
from kg.schema import load_schema  # noqa: E402

S = load_schema()
COUNTRIES = ["JO", "LB", "SY", "IQ", "TR", "EG", "PS"]
KINDS = [("GovernmentBody", 30), ("NonGovernmentalOrganization", 25), ("OrganizationalUnit", 15),
         ("IntergovernmentalOrganization", 5), ("Embassy", 10), ("AcademicInstitution", 5), ("Media", 3),
         ("Group", 2), ("Person", 5)]
EVENT_KINDS = ["Workshop", "Training", "Conference", "Meeting", "Dialogue", "Launch", "Visit"]
TOPICS = ["human-trafficking", "refugees", "labour-migration", "smuggling", "border-management"]
AR = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _n(term) -> str:
    return term.n3()


def _lit(text: str, lang: str | None = None, dt: str | None = None) -> str:
    from rdflib import Literal, URIRef

    if dt:
        return Literal(text, datatype=URIRef(dt)).n3()
    return Literal(text, lang=lang).n3()


def generate(path: Path, items: int, actors: int, seed: int) -> dict:
    """Write the synthetic corpus as N-Quads; return a few facts about it."""
    from rdflib import URIRef

    rnd = random.Random(seed)
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    e = S.expand
    reg = _n(REGISTRY_GRAPH)
    kinds = [k for k, w in KINDS for _ in range(w)]
    people = []
    orgs = []
    lines: list[str] = []
    add = lines.append
    for i in range(actors):
        kind = rnd.choice(kinds)
        country = rnd.choice(COUNTRIES)
        if kind == "Person":
            a = URIRef(f"{ID}person/p{i}")
            add(f"{_n(a)} {rdf_type} {_n(e('foaf:Person'))} {reg} .")
            people.append(a)
        else:
            a = URIRef(f"{ID}org/o{i}")
            add(f"{_n(a)} {rdf_type} {_n(e('org:Organization'))} {reg} .")
            add(f"{_n(a)} {rdf_type} {_n(S.class_of('Organization', kind))} {reg} .")
            add(f"{_n(a)} {_n(e('lmg:country'))} {_n(country_iri(country))} {reg} .")
            if kind == "OrganizationalUnit" and orgs:
                add(f"{_n(a)} {_n(e('org:subOrganizationOf'))} {_n(rnd.choice(orgs[:50]))} {reg} .")
            orgs.append(a)
        add(f"{_n(a)} {_n(e('skos:prefLabel'))} {_lit(f'Actor {i}', 'en')} {reg} .")
        ar = "".join(rnd.choice(AR) for _ in range(rnd.randint(4, 9)))
        add(f"{_n(a)} {_n(e('skos:prefLabel'))} {_lit(ar, 'ar')} {reg} .")
    pool = orgs + people
    rnd.shuffle(pool)
    weights = [1 / (r + 1) ** 0.9 for r in range(len(pool))]
    funders = pool[:60]
    n_edges_hint = 0
    for it in range(items):
        iid = f"syn-{it:06d}"
        g = item_iri(iid)
        G = _n(g)
        year = 2019 + it * 6 // items
        date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        add(f"{G} {rdf_type} {_n(e('schema:NewsArticle'))} {G} .")
        add(f"{G} {_n(e('dcterms:identifier'))} {_lit(iid)} {G} .")
        add(f"{G} {_n(e('schema:datePublished'))} {_lit(date, dt=str(e('xsd:date')))} {G} .")
        add(f"{G} {_n(e('dcterms:subject'))} {_n(topic_iri(rnd.choice(TOPICS)))} {G} .")
        parts = list(dict.fromkeys(rnd.choices(pool, weights=weights, k=rnd.randint(3, 7))))
        ev = URIRef(f"{ID}event/e{it}")
        add(f"{_n(ev)} {rdf_type} {_n(e('schema:Event'))} {G} .")
        add(f"{_n(ev)} {rdf_type} {_n(S.class_of('Event', rnd.choice(EVENT_KINDS)))} {G} .")
        add(f"{_n(ev)} {_n(e('skos:prefLabel'))} {_lit(f'Event {it}', 'en')} {G} .")
        mentioned = list(parts)
        organizer = parts[0]
        add(f"{_n(ev)} {_n(e('schema:organizer'))} {_n(organizer)} {G} .")
        for a in parts[1:]:
            add(f"{_n(ev)} {_n(e('schema:attendee'))} {_n(a)} {G} .")
        n_edges_hint += len(parts) * (len(parts) - 1) // 2
        if rnd.random() < 0.3:
            pr = URIRef(f"{ID}project/pr{it % 700}")
            funder = rnd.choice(funders)
            add(f"{_n(pr)} {rdf_type} {_n(e('lmg:Project'))} {G} .")
            add(f"{_n(pr)} {_n(e('skos:prefLabel'))} {_lit(f'Project {it % 700}', 'en')} {G} .")
            add(f"{_n(pr)} {_n(e('schema:funder'))} {_n(funder)} {G} .")
            add(f"{_n(organizer)} {_n(e('lmg:implements'))} {_n(pr)} {G} .")
            add(f"{_n(ev)} {_n(e('lmg:underProject'))} {_n(pr)} {G} .")
            mentioned.append(funder)
        for a in dict.fromkeys(mentioned):
            type_ = e("foaf:Person") if "/person/" in str(a) else e("org:Organization")
            add(f"{G} {_n(e('schema:mentions'))} {_n(a)} {G} .")
            add(f"{_n(a)} {rdf_type} {_n(type_)} {G} .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"quads": len(lines), "actors": actors}


def generate_realistic(store, items: int, seed: int, workdir: Path) -> dict:
    """bench/generate.py records mapped with the registry, put into ``store`` item by item."""
    import subprocess

    from kg.iri import ONTOLOGY_GRAPH
    from kg.mapping import record_to_graph
    from kg.ontology import load_ontology
    from kg.record import load_record
    from kg.registry import default_registry

    out = workdir / "generated"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--items", str(items), "--seed", str(seed),
                    "--out", str(out), "--records"], check=True, stdout=subprocess.DEVNULL)
    registry = default_registry()
    store.put_graph(REGISTRY_GRAPH, registry.to_graph())
    store.put_graph(ONTOLOGY_GRAPH, load_ontology())
    for rec in sorted(out.glob("*.gold.json")):
        g = record_to_graph(load_record(rec), registry)
        store.put_item(g.identifier, g)
    return {"quads": len(store)}


def open_bench_store(path: Path, nquads: Path | None):
    from kg.store import open_store

    store = open_store(str(path))
    if nquads is not None:
        store.import_file(str(nquads), "nquads")
    return store


def _t(fn, *a, **kw):
    t0 = time.perf_counter()
    out = fn(*a, **kw)
    return time.perf_counter() - t0, out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--items", type=int, default=10_000)
    p.add_argument("--actors", type=int, default=2_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--store", type=Path, help="use this existing store instead of generating a corpus")
    p.add_argument("--generator", action="store_true",
                   help="the realistic corpus of bench/generate.py (records through the mapping)")
    p.add_argument("--views", default="coparticipation", help="views to build: names, comma-separated, or 'all'")
    p.add_argument("--nx-sample", type=int, default=40, help="sources for the networkx betweenness/closeness estimate")
    p.add_argument("--full-networkx", action="store_true", help="run networkx's exact betweenness and closeness")
    p.add_argument("--k", type=int, default=500, help="sources for the sampled betweenness row")
    args = p.parse_args(argv)

    from kg.networks import views as V
    from kg.networks.betweenness import betweenness
    from kg.networks.centrality import centrality

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"networkx {nx.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.store:
            store = open_bench_store(args.store, None)
            print(f"store: {args.store}")
        else:
            nq = tmp / "corpus.nq"
            if args.generator:
                store = open_bench_store(tmp / "store", None)
                dt, facts = _t(generate_realistic, store, args.items, args.seed, tmp)
                print(f"corpus (bench/generate.py, mapped and stored): {args.items} items, "
                      f"{facts['quads']} quads in {dt:.1f} s")
            else:
                dt, facts = _t(generate, nq, args.items, args.actors, args.seed)
                print(f"corpus: {args.items} items, {facts['quads']} quads written in {dt:.1f} s")
                dt, store = _t(open_bench_store, tmp / "store", nq)
                print(f"loaded into the store in {dt:.1f} s")

        names = V.VIEWS if args.views == "all" else tuple(x.strip() for x in args.views.split(","))
        if "coparticipation" not in names:
            names = ("coparticipation",) + tuple(names)
        print("\nview             build (s)   nodes    edges")
        graphs = {}
        for name in names:
            dt, G = _t(V.build_view, store, name)
            graphs[name] = G
            print(f"{name:<16} {dt:9.2f} {G.number_of_nodes():7d} {G.number_of_edges():8d}")
        dt, years = _t(V.by_year, store, "coparticipation")
        print(f"{'(by year)':<16} {dt:9.2f}   {len(years)} year graphs")

        G = graphs["coparticipation"]
        n = G.number_of_nodes()
        timings: dict[str, float] = {}
        dt_suite, _ = _t(centrality, G, timings=timings)

        # plain networkx on the same graph
        H = G.copy()
        for _, _, d in H.edges(data=True):
            d["distance"] = 1.0 / d["weight"]
        base: dict[str, tuple[float, str]] = {}
        base["degree"] = (_t(lambda: dict(H.degree()))[0], "measured")
        base["weighted_degree"] = (_t(lambda: dict(H.degree(weight="weight")))[0], "measured")
        if args.full_networkx:
            base["betweenness"] = (_t(nx.betweenness_centrality, H, weight="distance")[0], "measured")
            base["closeness"] = (_t(nx.closeness_centrality, H, distance="distance")[0], "measured")
        else:
            k = min(args.nx_sample, n)
            dt, _ = _t(nx.betweenness_centrality, H, k=k, weight="distance", seed=1)
            base["betweenness"] = (dt * n / k, f"extrapolated from k={k}")
            sample = random.Random(1).sample(list(H), k)
            dt, _ = _t(lambda: [nx.closeness_centrality(H, u=u, distance="distance") for u in sample])
            base["closeness"] = (dt * n / k, f"extrapolated from {k} nodes")
        base["eigenvector"] = (_t(nx.eigenvector_centrality, H, weight="weight", max_iter=1000)[0],
                               "measured (power iteration)")
        base["pagerank"] = (_t(nx.pagerank, H, weight="weight")[0], "measured (same function)")
        base["community"] = (_t(nx.community.louvain_communities, H, weight="weight", seed=42)[0],
                             "measured (same function)")
        dt_sampled, _ = _t(betweenness, G, k=min(args.k, n), seed=1)
        dt_unweighted, _ = _t(betweenness, G, weight=None)

        print(f"\ncentrality suite on the coparticipation view ({n} actors, {G.number_of_edges()} edges)")
        print(f"{'measure':<28} {'levant-kg (s)':>13} {'networkx (s)':>13} {'ratio':>8}  networkx timing")
        total_nx = 0.0
        for m, t in timings.items():
            b, how = base[m]
            total_nx += b
            print(f"{m:<28} {t:13.3f} {b:13.3f} {b / max(t, 1e-9):7.1f}x  {how}")
        print(f"{'whole suite':<28} {dt_suite:13.3f} {total_nx:13.3f} {total_nx / dt_suite:7.1f}x")
        print(f"{'betweenness sampled k=' + str(min(args.k, n)):<28} {dt_sampled:13.3f}")
        print(f"{'betweenness unweighted':<28} {dt_unweighted:13.3f}   (rustworkx)")
        target = 10.0
        print(f"\ntarget: whole suite under {target:.0f} s: {'met' if dt_suite < target else 'MISSED'} ({dt_suite:.2f} s)")
        if hasattr(store, "close"):
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
