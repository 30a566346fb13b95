"""kg.sparql_store against a real Oxigraph server started on a free loopback port,
and kg.serve serving an embedded store."""
from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, BNode, Graph, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.iri import ID, LMG, REGISTRY_GRAPH, SKOS, item_iri
from kg.serve import OxigraphServer, free_port, server_command
from kg.sparql_store import SparqlStore, inject_values, json_term, query_form, sparql_term

ROOT = Path(__file__).resolve().parents[1]
XSD = rdflib.Namespace(str(rdflib.XSD))
SDO = rdflib.Namespace("https://schema.org/")
ORG = URIRef(f"{ID}org/iom-jo")
ORG_AR = URIRef(f"{ID}org/وزارة-العمل--jo")
COUNT_P = URIRef(f"{LMG}itemCount")
NASTY = '"} ; DROP ALL # \'\'\' """ } { > < \\ \n'


def item(name: str, n: int = 3, headline: str = "المنظمة الدولية للهجرة") -> tuple[URIRef, Graph]:
    it = item_iri(name)
    g = Graph(identifier=it)
    g.add((it, RDF.type, SDO.NewsArticle))
    g.add((it, SDO.headline, Literal(headline, lang="ar")))
    g.add((it, LMG.contentHash, Literal(name * 4)))
    g.add((it, SDO.datePublished, Literal("2023-05-10", datatype=XSD.date)))
    g.add((it, SDO.mentions, ORG_AR))
    g.add((ORG_AR, SKOS.prefLabel, Literal("وزارة العمل", lang="ar")))
    for i in range(n):
        g.add((URIRef(f"{it}#m{i}"), URIRef("http://www.w3.org/ns/oa#hasBody"), ORG))
    return it, g


@pytest.fixture
def server(tmp_path):
    """A real `oxigraph serve --location TMP --bind 127.0.0.1:FREE_PORT`, stopped after the test."""
    srv = OxigraphServer(tmp_path / "server-store", port=free_port())
    srv.start()
    assert srv.process.poll() is None
    yield srv
    srv.stop()
    assert srv.process.poll() is not None


@pytest.fixture
def store(server):
    s = SparqlStore(server.url)
    yield s
    s.close()


def test_server_command_flags() -> None:
    cmd = server_command("/data/kg", "127.0.0.1", 7000, read_only=True)
    assert cmd[1:] == ["serve-read-only", "--location", "/data/kg", "--bind", "127.0.0.1:7000",
                       "--union-default-graph"]
    assert server_command(None, "::1", 7000, read_only=False)[-2:] == ["[::1]:7000", "--union-default-graph"]


# -- terms and bindings, no server needed --------------------------------------------------------

def test_json_terms() -> None:
    assert json_term({"type": "uri", "value": "http://x"}) == URIRef("http://x")
    assert json_term({"type": "literal", "value": "x", "datatype": str(XSD.string)}) == Literal("x")
    assert json_term({"type": "literal", "value": "x", "xml:lang": "ar"}) == Literal("x", lang="ar")
    lit = json_term({"type": "typed-literal", "value": "5", "datatype": str(XSD.integer)})
    assert lit == Literal(5) and lit.datatype == XSD.integer
    assert json_term({"type": "bnode", "value": "b0"}) == BNode("b0")
    assert json_term(None) is None


def test_values_go_first_in_the_outermost_where_group() -> None:
    q = ('PREFIX ex: <http://ex/> # { not here\n'
         'SELECT ?x (COUNT(?y) AS ?n) WHERE { ?x ex:p "{" . FILTER(EXISTS { ?x ex:q ?y }) } GROUP BY ?x')
    out = inject_values(q, {"x": URIRef("http://a")})
    assert 'WHERE { VALUES (?x) { (<http://a>) }  ?x ex:p "{"' in out
    assert inject_values("SELECT * { ?s ?p ?o }", {"s": URIRef("http://a")}).startswith("SELECT * { VALUES")
    c = inject_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"p": URIRef("http://p")})
    assert c.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?p)")
    s = inject_values("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?a ?b ?c }", {"a": Literal(1)})
    assert s.endswith('WHERE { VALUES (?a) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }  ?a ?b ?c }')
    with pytest.raises(QueryError):
        inject_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef("http://a")})
    with pytest.raises(QueryError):
        inject_values("SELECT * { ?s ?p ?o }", {"bad name}": Literal(1)})
    assert query_form("PREFIX a: <http://a#> ASK { ?s ?p ?o }") == "ASK"
    assert query_form("INSERT DATA { <a:b> <a:c> <a:d> }") is None


def test_parameters_are_single_terms() -> None:
    assert sparql_term(Literal(NASTY)) == '"' + NASTY.replace("\\", "\\\\").replace('"', '\\"').replace(
        "\n", "\\n") + '"'
    for bad in (URIRef("http://x> } ; DROP ALL #"), URIRef("http://x/a b"), URIRef('http://x/"'), BNode("b")):
        with pytest.raises(QueryError):
            sparql_term(bad)
    assert sparql_term("plain python str") == '"plain python str"'
    assert sparql_term(Literal("x", lang="ar")) == '"x"@ar'


# -- against the server ----------------------------------------------------------------------------

def test_put_query_replace_remove(store) -> None:
    a, ga = item("a")
    b, gb = item("b", n=1, headline="IOM Jordan")
    store.put_item(a, ga)
    store.put_item(b, gb)
    assert store.items() == sorted([a, b])
    assert a in store and item_iri("zzz") not in store
    assert set(store.item_graph(a)) == set(ga)
    assert len(store) == len(ga) + len(gb)
    assert store.get_value(a, LMG.contentHash) == Literal("aaaa")
    # the default graph is the union: one mention node per item graph, ORG_AR in both
    res = store.query("SELECT ?item WHERE { ?item <https://schema.org/mentions> ?org } ORDER BY ?item")
    assert res.vars == ["item"] and [r[0] for r in res] == sorted([a, b])
    res = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?m <http://www.w3.org/ns/oa#hasBody> ?o } } "
                      "GROUP BY ?g ORDER BY ?g")
    assert [(r[0], r[1].toPython()) for r in res] == [(a, 3), (b, 1)]
    # replace: the old triples go, the new ones come, nothing else changes
    a2, ga2 = item("a", n=1, headline="بعد")
    store.put_item(a, ga2)
    assert set(store.item_graph(a)) == set(ga2)
    assert set(store.item_graph(b)) == set(gb)
    store.remove_item(a)
    assert store.items() == [b] and len(store.item_graph(a)) == 0
    store.put_item(b, Graph())  # an empty graph removes the item
    assert store.items() == []


def test_query_forms_and_literals(store) -> None:
    a, ga = item("a")
    store.put_item(a, ga)
    store.put_graph(REGISTRY_GRAPH, [(ORG, SKOS.prefLabel, Literal("IOM Jordan", lang="en")),
                                     (ORG, COUNT_P, Literal("07", datatype=XSD.nonNegativeInteger))])
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    assert bool(store.query("ASK { ?s ?p <http://nothing> }")) is False
    c = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }" % REGISTRY_GRAPH)
    assert c.kind == "construct" and len(c.graph()) == 2
    d = store.query(f"DESCRIBE <{ORG}>")
    assert d.kind == "construct"
    row = store.query("SELECT ?h ?d WHERE { ?i <https://schema.org/headline> ?h ; "
                      "<https://schema.org/datePublished> ?d }").rows[0]
    assert row == (Literal("المنظمة الدولية للهجرة", lang="ar"), Literal("2023-05-10", datatype=XSD.date))
    assert store.get_value(a, LMG.contentHash) == Literal("aaaa")  # xsd:string comes back plain
    # Oxigraph canonicalizes literals, on the server as in the embedded store
    assert store.query(f"SELECT ?n WHERE {{ <{ORG}> <{COUNT_P}> ?n }}").rows[0][0] == Literal(
        "7", datatype=XSD.integer)
    assert store.query("SELECT ?x WHERE { OPTIONAL { ?x <http://nothing> ?y } }").rows == [(None,)]
    with pytest.raises(QueryError, match="rejected"):
        store.query("SELECT ?x WHERE { ?x ")


def test_bindings_are_values_not_text(store) -> None:
    a, ga = item("a")
    evil_item = item_iri("evil")
    evil = Graph()
    evil.add((evil_item, SDO.headline, Literal(NASTY)))
    store.put_item(a, ga)
    store.put_item(evil_item, evil)
    before = len(store)
    q = "SELECT ?i WHERE { ?i <https://schema.org/headline> ?h }"
    assert store.query(q, {"h": Literal(NASTY)}).rows == [(evil_item,)]
    assert store.query(q, {"h": NASTY}).rows == [(evil_item,)]  # a plain str is a literal too
    assert store.query(q, {"h": Literal("المنظمة الدولية للهجرة", lang="ar")}).rows == [(a,)]
    # a parameter full of quotes, braces and `} ; DROP ALL #` finds nothing and changes nothing
    for attempt in ['x" } } ; DROP ALL #', "x' } ; DROP ALL ; #", '"""} DROP ALL {"""', NASTY + "}"]:
        assert store.query(q, {"h": Literal(attempt)}).rows == []
        assert store.query(q, {"?h": attempt}).rows == []
    with pytest.raises(QueryError):
        store.query(q, {"h": URIRef("http://x> } ; DROP ALL #")})
    with pytest.raises(QueryError):
        store.query(q, {"h": BNode()})
    assert len(store) == before and store.items() == sorted([a, evil_item])
    # bindings on variables that are not projected (COUNT) and several at once
    n = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?i a ?t ; <https://schema.org/mentions> ?o }",
                    {"t": SDO.NewsArticle, "o": ORG_AR}).rows[0][0]
    assert n.toPython() == 1


def test_export_import_round_trip(store, tmp_path) -> None:
    a, ga = item("a")
    b, gb = item("b", n=2, headline='quote " brace } hash #')
    store.put_item(a, ga)
    store.put_item(b, gb)
    store.put_graph(REGISTRY_GRAPH, [(ORG, SKOS.prefLabel, Literal("IOM Jordan", lang="en"))])
    for fmt in ("trig", "nquads"):
        path = tmp_path / f"dump.{fmt}"
        store.export(path, fmt)
        ds = ox.Store()
        ds.load(path=str(path), format=ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)
        assert len(ds) == len(store)
        buf = io.BytesIO()
        store.export(buf, format=fmt)
        assert len(list(ox.parse(buf.getvalue(), format=ox.RdfFormat.TRIG if fmt == "trig"
                                  else ox.RdfFormat.N_QUADS))) == len(store)
    text = io.StringIO()
    store.export(text, "trig")
    assert "@prefix lmg:" in text.getvalue()
    # import into an empty server-side store: the same graphs come back
    store.update("DROP ALL")
    assert len(store) == 0
    n = store.import_file(tmp_path / "dump.trig")
    assert n == len(ga) + len(gb) + 1 and len(store) == n
    assert set(store.item_graph(b)) == set(gb)
    # import replaces the graphs it names, leaves the others
    changed = item("a", n=0, headline="changed")[1]
    ox.serialize([ox.Quad(*(ox.NamedNode(str(t)) if isinstance(t, URIRef) else ox.Literal(
        str(t), language=t.language) if t.language else ox.Literal(str(t), datatype=ox.NamedNode(t.datatype))
        if t.datatype else ox.Literal(str(t)) for t in tr), ox.NamedNode(str(a))) for tr in changed],
        str(tmp_path / "a.nq"), ox.RdfFormat.N_QUADS)
    store.import_file(tmp_path / "a.nq")
    assert set(store.item_graph(a)) == set(changed)
    assert set(store.item_graph(b)) == set(gb)
    # Turtle goes into the graph named
    (tmp_path / "reg.ttl").write_text(f'<{ORG}> <{SKOS.altLabel}> "IOM JO"@en .\n', encoding="utf-8")
    store.import_file(tmp_path / "reg.ttl", graph=REGISTRY_GRAPH)
    assert list(store.graph(REGISTRY_GRAPH)) == [(ORG, SKOS.altLabel, Literal("IOM JO", lang="en"))]
    with pytest.raises(StoreError):
        store.import_file(tmp_path / "reg.ttl")
    (tmp_path / "bad.nq").write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(StoreError, match="not valid"):
        store.import_file(tmp_path / "bad.nq")


def test_put_items_batch_and_bad_terms(store) -> None:
    batch = [item(f"i{k}", n=k) for k in range(5)]
    store.put_items(batch)
    assert store.items() == sorted(i for i, _ in batch)
    with pytest.raises(ValueError):
        store.put_items([(REGISTRY_GRAPH, Graph())])
    a, ga = batch[0]
    bad = Graph()
    bad.add((a, SDO.url, URIRef("http://x/a b")))  # Oxigraph refuses the IRI
    with pytest.raises(StoreError):
        store.put_item(a, bad)
    assert set(store.item_graph(a)) == set(ga)  # a failed put leaves the old graph


def test_readers_see_whole_items_while_one_writes(store, server) -> None:
    """Each put is one request, one transaction: a concurrent reader never sees half an item."""
    it = item_iri("busy")
    sizes = (5, 40)
    graphs = {n: item("busy", n=n)[1] for n in sizes}
    stop = threading.Event()
    seen: set[int] = set()
    errors: list[BaseException] = []

    def write() -> None:
        k = 0
        while not stop.is_set():
            store.put_item(it, graphs[sizes[k % 2]])
            k += 1

    def read() -> None:
        reader = SparqlStore(server.url)
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{it}> {{ ?m <http://www.w3.org/ns/oa#hasBody> ?o }} }}"
        try:
            for _ in range(150):
                seen.add(reader.query(q).rows[0][0].toPython())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    store.put_item(it, graphs[sizes[0]])
    w = threading.Thread(target=write)
    w.start()
    try:
        read()
    finally:
        stop.set()
        w.join(timeout=30)
    assert not errors
    assert seen <= set(sizes), f"a reader saw a half-written item: {seen}"


def test_read_only_client_refuses_writes(server) -> None:
    s = SparqlStore(server.url, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        s.put_item(*item("a"))
    with pytest.raises(StoreError, match="read-only"):
        s.update("DROP ALL")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.items()


def test_connection_refused_names_the_url() -> None:
    port = free_port()  # nobody listens there
    s = SparqlStore(f"http://127.0.0.1:{port}", timeout=5)
    with pytest.raises(StoreError) as info:
        s.query("ASK { ?s ?p ?o }")
    assert f"http://127.0.0.1:{port}/query" in str(info.value) and "refused" in str(info.value)


def test_unknown_flavor_and_layouts() -> None:
    with pytest.raises(StoreError, match="flavor"):
        SparqlStore("http://127.0.0.1:1/x#nosuch")
    f = SparqlStore("http://127.0.0.1:3030/ds#fuseki").endpoints
    assert (f.query, f.update, f.graph_store, f.union) == (
        "http://127.0.0.1:3030/ds/query", "http://127.0.0.1:3030/ds/update", "http://127.0.0.1:3030/ds/data", "server")
    g = SparqlStore("http://127.0.0.1:7200/repositories/kg#graphdb").endpoints
    assert g.update == "http://127.0.0.1:7200/repositories/kg/statements"


def test_union_misconfiguration_is_reported(tmp_path) -> None:
    """A server whose default graph is not the union must not silently answer nothing."""
    with OxigraphServer(tmp_path / "s", union_default_graph=False) as srv:
        writer = SparqlStore(srv.url)
        writer.put_item(*item("a"))
        assert len(writer.query("SELECT * WHERE { ?s ?p ?o }")) > 0  # per-request union parameter
        fuseki_like = SparqlStore(srv.url, union="server")  # relies on the server, which does not
        with pytest.raises(StoreError, match="union"):
            fuseki_like.query("SELECT * WHERE { ?s ?p ?o }")


def test_server_refuses_a_folder_that_is_not_a_store(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    for folder, message in ((tmp_path, "not a store"), (tmp_path / "missing", "no store")):
        srv = OxigraphServer(folder, read_only=True)
        try:
            with pytest.raises(StoreError, match=message):
                srv.start()
        finally:
            srv.stop()


def test_serve_an_embedded_store_read_only(tmp_path) -> None:
    """`levant-kg serve`: the Oxigraph server over a store folder pyoxigraph wrote,
    read-only, loopback only, stopped by SIGTERM."""
    path = tmp_path / "kg"
    emb = ox.Store(str(path))
    a, ga = item("a")
    emb.extend(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)),
                       ox.NamedNode(str(o)) if isinstance(o, URIRef) else ox.Literal(
                           str(o), language=o.language) if o.language else ox.Literal(
                           str(o), datatype=ox.NamedNode(o.datatype)) if o.datatype else ox.Literal(str(o)),
                       ox.NamedNode(str(a))) for s, p, o in ga)
    emb.flush()
    del emb  # releases the store's lock
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c",
                             f"from kg.serve import serve; raise SystemExit(serve({str(path)!r}, port={port}))"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        s = SparqlStore(f"http://127.0.0.1:{port}", timeout=5)
        deadline = time.monotonic() + 30
        while True:
            try:
                items = s.items()
                break
            except StoreError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert items == [a]
        assert s.query("SELECT ?h WHERE { ?i <https://schema.org/headline> ?h }").rows == [
            (Literal("المنظمة الدولية للهجرة", lang="ar"),)]
        with pytest.raises(StoreError):  # the server itself is read-only
            s.update("DROP ALL")
        assert s.items() == [a]
        with socket.socket() as sock:  # bound to loopback only
            assert sock.connect_ex(("127.0.0.1", port)) == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            out, err = proc.communicate()
    assert "read-only" in err and f"127.0.0.1:{port}" in err
    # the store is intact and writable again once the server is gone
    assert len(ox.Store(str(path))) == len(ga)


def test_endpoint_urls_and_credentials() -> None:
    s = SparqlStore("http://127.0.0.1:7878/query")
    assert s.endpoints.update == "http://127.0.0.1:7878/update"
    s = SparqlStore("http://kg:s3cret@127.0.0.1:3030/ds#fuseki")
    assert "s3cret" not in s.spec and "s3cret" not in repr(s) and s.endpoints.query == "http://127.0.0.1:3030/ds/query"
    assert s.headers["Authorization"] == "Basic a2c6czNjcmV0"


def test_serving_a_store_while_another_process_writes_it_is_refused(tmp_path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    writer = subprocess.Popen([sys.executable, "-c", "import sys, time; from kg.store import open_store; "
                               "s = open_store(sys.argv[1]); print('ready', flush=True); time.sleep(120)",
                               str(tmp_path / "kg")], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        srv = OxigraphServer(tmp_path / "kg", read_only=True)
        try:
            with pytest.raises(StoreError, match="writing by another process"):
                srv.start()
        finally:
            srv.stop()  # never leave a server behind, even when the test fails
    finally:
        writer.terminate()
        writer.wait(timeout=20)
    with OxigraphServer(tmp_path / "kg", read_only=True) as srv:  # free once the writer is gone
        assert SparqlStore(srv.url).items() == []
