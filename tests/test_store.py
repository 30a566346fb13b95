"""kg.store: both backends behave alike; Oxigraph writes are atomic, even under SIGKILL."""
from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, BNode, Graph, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.iri import ID, LMG, ONTOLOGY_GRAPH, REGISTRY_GRAPH, SKOS, item_iri
from kg.store import MemoryStore, OxigraphStore, QueryResult, as_stored, from_ox, open_store, to_ox

ROOT = Path(__file__).resolve().parents[1]
XSD = rdflib.Namespace(str(rdflib.XSD))  # a plain namespace: pytest's collection probes module globals
ORG_AR = URIRef(f"{ID}org/وزارة-العمل--jo")  # a minted IRI with Arabic letters


def item(name: str, n: int = 3, lang_text: str = "المنظمة الدولية للهجرة") -> tuple[URIRef, Graph]:
    it = item_iri(name)
    g = Graph(identifier=it)
    g.add((it, RDF.type, URIRef("https://schema.org/NewsArticle")))
    g.add((it, LMG.contentHash, Literal("0" * 64)))
    g.add((it, URIRef("https://schema.org/datePublished"), Literal("2023-05-10", datatype=XSD.date)))
    g.add((ORG_AR, SKOS.prefLabel, Literal(lang_text, lang="ar")))
    for i in range(n):
        m = URIRef(f"{it}#m{i}")
        g.add((m, URIRef("http://www.w3.org/ns/oa#start"), Literal(i, datatype=XSD.nonNegativeInteger)))
        g.add((m, URIRef("http://www.w3.org/ns/oa#hasBody"), ORG_AR))
    return it, g


@pytest.fixture(params=["oxigraph", "memory"])
def store(request, tmp_path):
    s = open_store(tmp_path / "kg" if request.param == "oxigraph" else ":memory:")
    yield s
    s.close()


def triples(g) -> set:
    """The triples of ``g`` as a store gives them back (canonical literals, see kg.store.as_stored)."""
    return set(as_stored(g))


# -- term conversion --------------------------------------------------------------

@pytest.mark.parametrize("term", [
    URIRef("http://example.org/a"),
    ORG_AR,
    Literal("المنظمة الدولية للهجرة", lang="ar"),
    Literal("IOM Jordan", lang="en"),
    Literal("x", lang="en-GB"),
    Literal("plain"),
    Literal('quote " backslash \\ newline \n tab \t \\u0041'),
    Literal("2023-05-10", datatype=XSD.date),
    Literal("42", datatype=XSD.nonNegativeInteger),
    Literal(3),
    Literal("custom", datatype=URIRef("http://example.org/dt")),
    BNode("b1"),
])
def test_term_round_trip(term) -> None:
    back = from_ox(to_ox(term))
    assert back == term and type(back) is type(term)
    if isinstance(term, Literal):
        assert back.datatype == term.datatype
        assert back.language == (term.language.lower() if term.language else None)  # tags are case-insensitive


def test_xsd_string_comes_back_plain() -> None:
    assert from_ox(to_ox(Literal("x", datatype=XSD.string))) == Literal("x")
    assert from_ox(ox.Literal("x")) == Literal("x")
    assert from_ox(None) is None and from_ox(ox.DefaultGraph()) is None


def test_literals_come_back_canonical_on_both_backends(store) -> None:
    """Oxigraph canonicalizes literals (oxigraph#526); the memory store does the same."""
    s = URIRef("http://example.org/s")
    g = [(s, URIRef(f"http://example.org/p{i}"), lit) for i, lit in enumerate([
        Literal("7", datatype=XSD.nonNegativeInteger), Literal("01", datatype=XSD.integer),
        Literal("1", datatype=XSD.boolean), Literal("x", datatype=XSD.string), Literal("y", lang="en-GB"),
        Literal("2023-05-10", datatype=XSD.date), Literal("abc", datatype=XSD.integer)])]
    store.put_graph(REGISTRY_GRAPH, g)
    got = {p: o for _, p, o in store.graph(REGISTRY_GRAPH)}
    assert [got[URIRef(f"http://example.org/p{i}")] for i in range(7)] == [
        Literal("7", datatype=XSD.integer), Literal("1", datatype=XSD.integer), Literal("true", datatype=XSD.boolean),
        Literal("x"), Literal("y", lang="en-gb"), Literal("2023-05-10", datatype=XSD.date),
        Literal("abc", datatype=XSD.integer)]
    assert all(a.datatype == b.datatype for a, b in zip(sorted(got.values()), sorted(o for *_, o in as_stored(g))))


def test_odd_bnode_ids_and_bad_terms() -> None:
    assert isinstance(to_ox(BNode("has space")), ox.BlankNode)
    with pytest.raises(ValueError):
        to_ox(URIRef("not an iri"))


# -- opening ----------------------------------------------------------------------

def test_open_creates_missing_folder(tmp_path: Path) -> None:
    with open_store(tmp_path / "a" / "b") as s:
        assert isinstance(s, OxigraphStore) and len(s) == 0
    assert (tmp_path / "a" / "b" / "CURRENT").is_file()
    assert isinstance(open_store(":memory:"), MemoryStore)


def test_open_dispatches_urls_and_stores() -> None:
    from kg import sparql_store as sparql
    s = open_store("http://127.0.0.1:9/")  # no request is sent on opening
    assert isinstance(s, sparql.SparqlStore)
    m = open_store(":memory:")
    assert open_store(m) is m


def test_open_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    f = tmp_path / "file.trig"
    f.write_text("x")
    with pytest.raises(StoreError, match="this is a file"):
        open_store(f)
    d = tmp_path / "docs"
    d.mkdir()
    (d / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="holds other files") as exc:
        open_store(d)
    assert "\n" not in str(exc.value)
    assert sorted(os.listdir(d)) == ["notes.txt"]  # untouched
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()


def test_second_writer_is_refused_and_close_releases(tmp_path: Path) -> None:
    s = open_store(tmp_path / "kg")
    with pytest.raises(StoreError, match="in use"):
        open_store(tmp_path / "kg")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        len(s)
    open_store(tmp_path / "kg").close()


def test_read_only(tmp_path: Path) -> None:
    it, g = item("ro")
    with open_store(tmp_path / "kg") as s:
        s.put_item(it, g)
    with open_store(tmp_path / "kg", read_only=True) as r:
        assert r.items() == [it] and triples(r.item_graph(it)) == triples(g)
        with pytest.raises(StoreError, match="read-only"):
            r.put_item(it, g)
        with pytest.raises(StoreError, match="read-only"):
            r.remove_item(it)


# -- writing and reading ------------------------------------------------------------

def test_put_item_replaces(store) -> None:
    it, g1 = item("a", n=5)
    _, g2 = item("a", n=2, lang_text="منظمة الهجرة")
    store.put_item(it, g1)
    store.put_item(it, g2)
    assert triples(store.item_graph(it)) == triples(g2)
    assert store.item_graph(it).identifier == it
    assert len(store) == len(g2)
    store.put_item(it, g2)  # idempotent
    assert len(store) == len(g2)


def test_items_graphs_and_values(store) -> None:
    a, ga = item("a")
    b, gb = item("b")
    reg = Graph()
    reg.add((ORG_AR, SKOS.prefLabel, Literal("Ministry of Labour", lang="en")))
    store.put_graph(REGISTRY_GRAPH, reg)
    store.put_graph(ONTOLOGY_GRAPH, [(LMG.Project, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))])
    store.put_item(b, gb)
    store.put_item(a, ga)
    assert store.items() == [a, b]
    assert set(store.graphs()) == {a, b, REGISTRY_GRAPH, ONTOLOGY_GRAPH}
    assert a in store and item_iri("zzz") not in store
    assert triples(store.graph(REGISTRY_GRAPH)) == triples(reg)
    assert store.get_value(a, LMG.contentHash) == Literal("0" * 64)
    assert store.get_value(a, LMG.recordOrigin) is None
    assert len(store.item_graph(item_iri("zzz"))) == 0
    store.remove_item(a)
    store.remove_item(a)  # absent: nothing happens
    assert store.items() == [b]
    with pytest.raises(ValueError, match="not an item IRI"):
        store.put_item(REGISTRY_GRAPH, reg)


def test_failed_put_leaves_the_old_graph(store) -> None:
    it, g = item("a")
    store.put_item(it, g)
    bad = Graph()
    for t in item("a", n=50)[1]:
        bad.add(t)
    bad.add((it, URIRef("http://example.org/p"), URIRef("not an iri")))  # Oxigraph refuses it
    with pytest.raises(StoreError, match="cannot store graph"):
        store.put_item(it, bad)
    assert triples(store.item_graph(it)) == triples(g)


def test_serialized_graphs_are_stored_like_graphs(store) -> None:
    """What an ingest worker sends the writer: N-Triples, new and replacing, in any script."""
    from kg.store import NTriples, parse_triples, serialize_triples

    it, g1 = item("a", n=5)
    _, g2 = item("a", n=2, lang_text="منظمة الهجرة")
    data = serialize_triples(g1)
    assert isinstance(data, NTriples) and triples(parse_triples(data)) == triples(g1)
    store.put_item(it, data)
    assert triples(store.item_graph(it)) == triples(g1)
    store.put_item(it, serialize_triples(g2))
    assert triples(store.item_graph(it)) == triples(g2) and len(store) == len(g2)
    pairs = [item(f"s{k}", n=k) for k in range(3)]
    assert store.put_items([(i, serialize_triples(g)) for i, g in pairs], bulk=True) == 3
    for i, g in pairs:
        assert triples(store.item_graph(i)) == triples(g)
    with pytest.raises(ValueError, match="IRI"):
        serialize_triples([(it, URIRef("http://example.org/p"), URIRef("not an iri"))])
    with pytest.raises(StoreError, match="cannot store graph"):
        store.put_item(it, NTriples(b"<a> <b> broken .\n"))
    assert triples(store.item_graph(it)) == triples(g2)


@pytest.mark.parametrize("bulk", [False, True])
def test_put_items(store, bulk) -> None:
    pairs = [item(f"i{k}", n=k) for k in range(7)]
    store.put_item(pairs[0][0], item("i0", n=30)[1])  # replaced by the batch
    assert store.put_items(pairs, bulk=bulk, batch=3) == 7
    assert store.items() == sorted(it for it, _ in pairs)
    for it, g in pairs:
        assert triples(store.item_graph(it)) == triples(g)
    with pytest.raises(ValueError):
        store.put_items([(REGISTRY_GRAPH, Graph())], bulk=bulk)


# -- queries --------------------------------------------------------------------------

def test_query_union_default_graph_and_graph_clause(store) -> None:
    a, ga = item("a")
    b, gb = item("b", lang_text="منظمة")
    store.put_item(a, ga)
    store.put_item(b, gb)
    r = store.query("SELECT DISTINCT ?l WHERE { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l")
    assert isinstance(r, QueryResult) and r.vars == ["l"]
    assert [row[0] for row in r] == [Literal("المنظمة الدولية للهجرة", lang="ar"), Literal("منظمة", lang="ar")]
    r = store.query("SELECT ?g WHERE { GRAPH ?g { ?g a <https://schema.org/NewsArticle> } } ORDER BY ?g")
    assert r.rows == [(a,), (b,)]


def test_query_bindings(store) -> None:
    a, ga = item("a", n=4)
    b, gb = item("b", n=1)
    store.put_item(a, ga)
    store.put_item(b, gb)
    q = "SELECT ?g ?m WHERE { GRAPH ?g { ?m <http://www.w3.org/ns/oa#hasBody> ?org } } ORDER BY ?m"
    assert len(store.query(q, {"org": ORG_AR})) == 5
    assert store.query(q, {"?g": b}).rows == [(b, URIRef(f"{b}#m0"))]
    # a variable the query does not select, under an aggregate
    count = "SELECT (COUNT(?m) AS ?n) WHERE { GRAPH ?g { ?m <http://www.w3.org/ns/oa#hasBody> ?o } }"
    assert store.query(count, {"g": a}).rows == [(Literal(4),)]
    # a binding is a value, never query text
    evil = Literal('x" } } UNION { ?g ?p ?o } #')
    assert store.query(count, {"g": evil}).rows == [(Literal(0),)]
    assert store.query("SELECT ?x WHERE { ?x ?p ?y }", {"y": "no such thing"}).rows == []
    assert store.query("SELECT ?d WHERE { ?s <https://schema.org/datePublished> ?d }", {"s": a}).rows == \
        [(Literal("2023-05-10", datatype=XSD.date),)]


def test_query_forms(store) -> None:
    a, ga = item("a", n=1)
    store.put_item(a, ga)
    yes = store.query("ASK { ?s ?p ?o }")
    assert yes.kind == "ask" and yes.boolean is True and bool(yes) and yes.vars == ["ask"]
    no = store.query("ASK { ?s ?p 'nothing' }")
    assert no.boolean is False and not no
    c = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert c.kind == "construct" and c.vars == ["subject", "predicate", "object"]
    assert triples(c.graph()) == triples(ga)
    d = store.query(f"DESCRIBE <{a}>")
    assert d.kind == "construct" and (a, LMG.contentHash, Literal("0" * 64)) in set(d.rows)
    r = store.query("SELECT ?s ?missing WHERE { ?s a ?t OPTIONAL { ?s <http://nope> ?missing } }")
    assert r.rows == [(a, None)] and r.dicts() == [{"s": a, "missing": None}]
    with pytest.raises(QueryError):
        store.query("SELEKT nonsense")


# -- export and import ----------------------------------------------------------------

def _fill(s) -> None:
    for name in ("a", "b", "c"):
        s.put_item(*item(name, n=3))
    reg = Graph()
    reg.add((ORG_AR, SKOS.prefLabel, Literal("وزارة العمل", lang="ar")))
    reg.add((ORG_AR, SKOS.prefLabel, Literal("Ministry of Labour", lang="en")))
    reg.add((ORG_AR, SKOS.altLabel, Literal("Ministère du Travail", lang="fr")))
    store_quads = reg
    s.put_graph(REGISTRY_GRAPH, store_quads)


def _quads(s) -> set:
    return {(t, g) for g in s.graphs() for t in s.graph(g)}


@pytest.mark.parametrize("fmt, suffix", [("trig", ".trig"), ("nquads", ".nq")])
@pytest.mark.parametrize("target", ["oxigraph", "memory"])
def test_export_import_round_trip(store, tmp_path, fmt, suffix, target) -> None:
    _fill(store)
    path = tmp_path / f"dump{suffix}"
    store.export(path, fmt)
    fresh = open_store(tmp_path / "fresh" if target == "oxigraph" else ":memory:")
    assert fresh.import_file(path) == len(store)
    assert _quads(fresh) == _quads(store)
    assert fresh.items() == store.items()
    # binary file objects too
    buf = io.BytesIO()
    fresh.export(buf, fmt)
    assert "وزارة العمل" in buf.getvalue().decode("utf-8")
    fresh.close()


def test_export_import_with_blank_nodes(store, tmp_path) -> None:
    g = Graph()
    b = BNode()
    g.add((LMG.Project, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), b))
    g.add((b, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Restriction")))
    store.put_graph(ONTOLOGY_GRAPH, g)
    store.export(tmp_path / "o.trig")
    fresh = open_store(":memory:")
    fresh.import_file(tmp_path / "o.trig")
    assert fresh.graph(ONTOLOGY_GRAPH).isomorphic(g)


def test_import_replaces_graphs_named_in_the_file(store, tmp_path) -> None:
    a, ga = item("a", n=5)
    store.put_item(a, ga)
    _, small = item("a", n=1)
    other = MemoryStore()
    other.put_item(a, small)
    other.export(tmp_path / "a.nq")
    store.import_file(tmp_path / "a.nq")
    assert triples(store.item_graph(a)) == triples(small)


def test_import_errors(store, tmp_path) -> None:
    bad = tmp_path / "bad.trig"
    bad.write_text("<http://a> <http://b> {{ nonsense")
    with pytest.raises(StoreError, match="not valid trig"):
        store.import_file(bad)
    with pytest.raises(StoreError, match="cannot tell the RDF format"):
        store.import_file(tmp_path / "x.data")
    ttl = tmp_path / "g.ttl"
    ttl.write_text('<http://a> <http://b> "c"@ar .')
    with pytest.raises(StoreError, match="say which"):
        store.import_file(ttl)
    store.import_file(ttl, graph=REGISTRY_GRAPH)
    assert triples(store.graph(REGISTRY_GRAPH)) == {(URIRef("http://a"), URIRef("http://b"), Literal("c", lang="ar"))}


def test_bad_file_leaves_empty_store_empty(store, tmp_path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text('<http://a> <http://b> "ok" <http://g> .\n<http://a> <http://b> broken\n')
    with pytest.raises(StoreError, match="not valid nquads"):
        store.import_file(bad)
    assert len(store) == 0 and store.graphs() == []
    with pytest.raises(StoreError, match="cannot read"):
        store.import_file(tmp_path / "missing.trig")


def test_text_stream_export(store) -> None:
    _fill(store)
    out = io.StringIO()
    store.export(out, "trig")
    assert "@prefix skos:" in out.getvalue()


# -- atomicity under SIGKILL -------------------------------------------------------------

WRITER = r'''
import sys
from rdflib import Graph, Literal, URIRef, XSD
from kg.iri import item_iri, LMG

N = 12

def make(i, v):
    it = item_iri(f"kill-{i}")
    g = Graph()
    g.add((it, LMG.contentHash, Literal(f"v{v}")))
    for j in range(250 + (i * 37 + v * 101) % 300):
        m = URIRef(f"{it}#m{j}")
        g.add((m, URIRef("http://www.w3.org/ns/oa#exact"), Literal(f"نص {i} {j} {v}", lang="ar")))
        g.add((m, URIRef("http://www.w3.org/ns/oa#start"), Literal(j + v, datatype=XSD.nonNegativeInteger)))
    return it, g

if __name__ == "__main__":
    from kg.store import open_store
    s = open_store(sys.argv[1])
    start = int(sys.argv[2])
    if start == 0:
        for i in range(N):
            s.put_item(*make(i, 0))
    print("READY", flush=True)
    v = start
    while True:
        v += 1
        for i in range(N):
            s.put_item(*make(i, v))
        s.put_item(*make(N + v, v))  # a new item each round
'''


@pytest.mark.slow
def test_sigkill_leaves_every_item_whole(tmp_path: Path) -> None:
    """Kill a writer at random moments: each item graph is then exactly one
    version it was given (never half old, half new, never lost)."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    ns: dict = {}
    exec(compile(WRITER, "writer", "exec"), ns)
    make, n = ns["make"], ns["N"]
    store_path = tmp_path / "kg"
    rng = random.Random(20240510)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = 0
    for _ in range(4):
        p = subprocess.Popen([sys.executable, str(script), str(store_path), str(start)], stdout=subprocess.PIPE,
                             env=env, cwd=ROOT)
        assert p.stdout.readline().strip() == b"READY"
        time.sleep(rng.uniform(0.05, 0.8))
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        with open_store(store_path) as s:
            versions = {}
            for it in s.items():
                got = s.item_graph(it)
                v = int(str(s.get_value(it, LMG.contentHash))[1:])
                i = int(str(it).rsplit("-", 1)[1])
                assert triples(got) == triples(make(i, v)[1]), f"{it} version {v} is not whole"
                versions[i] = v
            assert set(range(n)) <= set(versions), "an existing item was lost"
            start = max(versions.values()) + 1000  # later versions are new content
