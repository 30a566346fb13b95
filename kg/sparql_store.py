"""The Store interface over a SPARQL 1.1 endpoint (Protocol, Update, Graph Store Protocol).

When a research group's graph outgrows one machine's embedded store, the same
code talks to a SPARQL server: ``open_store("http://127.0.0.1:7878")``. It is
tested against a real Oxigraph server (``oxigraph serve``, see
:mod:`kg.serve`); other servers are reached by naming their *flavor* in the
URL fragment (a fragment is never sent to the server)::

    http://127.0.0.1:7878                      Oxigraph (the default): /query /update /store
    http://host:3030/DATASET#fuseki            Apache Jena Fuseki: /DATASET/query /update /data
    http://host:7200/repositories/REPO#graphdb GraphDB: REPO, REPO/statements, REPO/rdf-graphs/service
    http://host:8890#virtuoso                  Virtuoso: /sparql, /sparql-graph-crud
    https://host:8182#neptune                  Amazon Neptune: /sparql, /sparql/gsp/
    https://host/any/sparql#generic            one endpoint for query and update, no Graph Store Protocol

How the guarantees of the embedded store carry over:

* **Atomic items.** ``put_item`` sends one update request,
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``. Oxigraph
  runs one request in one transaction, so a reader sees the old graph or the
  new one, never half. Fuseki (TDB2) and GraphDB also run a request as one
  transaction, and so does Neptune. Virtuoso runs SPARQL over HTTP in
  autocommit mode, statement by statement: there an interrupted request can
  leave an item half-written (re-running the ingest repairs it).
* **The default graph is the union of the graphs** (docs/model.md). Oxigraph
  is asked per request (its ``union-default-graph`` parameter; ``oxigraph
  serve --union-default-graph`` makes it the server's default too). GraphDB,
  Virtuoso and Neptune query the union by default. Fuseki must be told so
  in its dataset configuration (``tdb2:unionDefaultGraph true``). Because a
  misconfigured server silently answers with no rows, the first query checks:
  when named graphs hold triples but the default graph is empty, it raises
  StoreError saying what to configure.
* **Parameters cannot change a query.** ``query(sparql, bindings)`` pre-binds
  variables with a ``VALUES`` block placed at the start of the query's outermost
  WHERE group. Every value is serialized as one N-Triples term by Oxigraph's
  own term types (IRIs are validated: no ``>``, space, brace or quote can be
  in one; literals are escaped), checked again against the N-Triples term
  grammar, and blank nodes are refused. So a value such as
  ``"} ; DROP ALL #`` stays a string. The query text itself is never built
  from user values.

Everything uses ``urllib`` from the standard library with a timeout; proxies
from the environment are honoured except for loopback addresses. A refused
connection, a timeout or an HTTP error becomes a StoreError (or QueryError
for a query the server rejects) naming the URL.
"""
from __future__ import annotations

import base64
import io
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.iri import ID
from kg.schema import load_schema
from kg.store import ITEM_PREFIX, NTriples, QueryResult, Store, from_ox, serialize_triples, to_ox

__all__ = ["SparqlStore", "Endpoints", "FLAVORS", "json_term", "sparql_term", "inject_values", "query_form",
           "is_endpoint_spec"]

_XSD_STRING = str(XSD.string)
_PREFIXES = {p: ns for p, ns in load_schema().prefixes.items() if p != "sh"} | {
    "id": str(ID), "topic": load_schema().topic_base}
_DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_ALL_FORMATS = _DATASET_FORMATS | {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
_EXTENSIONS = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".ttl": "turtle", ".nt": "ntriples"}
_BATCH_BYTES = 4 << 20
"""Size of one update request when importing a file (each graph stays whole in one request)."""


# -- endpoints --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoints:
    """Where a server takes queries, updates, single graphs (GSP) and the whole dataset."""

    query: str
    update: str
    graph_store: str | None  # Graph Store Protocol: ?graph=IRI
    dataset: str | None  # GET -> all quads (N-Quads); None: export graph by graph
    union: str  # "param": ask per request (Oxigraph); "server": the server's default graph is the union


def _join(base: str, path: str) -> str:
    return base.rstrip("/") + path if path else base


FLAVORS: dict[str, Any] = {
    "oxigraph": lambda b: Endpoints(_join(b, "/query"), _join(b, "/update"), _join(b, "/store"),
                                    _join(b, "/store"), "param"),
    "fuseki": lambda b: Endpoints(_join(b, "/query"), _join(b, "/update"), _join(b, "/data"), b, "server"),
    "graphdb": lambda b: Endpoints(b, _join(b, "/statements"), _join(b, "/rdf-graphs/service"),
                                   _join(b, "/statements"), "server"),
    "virtuoso": lambda b: Endpoints(_join(b, "/sparql"), _join(b, "/sparql"), _join(b, "/sparql-graph-crud"),
                                    None, "server"),
    "neptune": lambda b: Endpoints(_join(b, "/sparql"), _join(b, "/sparql"), _join(b, "/sparql/gsp/"), None,
                                   "server"),
    "generic": lambda b: Endpoints(b, b, None, None, "server"),
}


def is_endpoint_spec(spec: Any) -> bool:
    """Whether a store spec names a SPARQL endpoint (an http or https URL)."""
    return isinstance(spec, str) and spec.lower().startswith(("http://", "https://"))


def _loopback(host: str | None) -> bool:
    return bool(host) and (host == "localhost" or host.startswith("127.") or host in ("::1", "[::1]"))


# -- terms ------------------------------------------------------------------------------------

def json_term(binding: Mapping[str, str] | None) -> Node | None:
    """One term of SPARQL 1.1 JSON results -> rdflib (the one place this conversion lives).

    ``xsd:string`` literals become plain literals, as the embedded store gives them.
    """
    if binding is None:
        return None
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: older Virtuoso
        lang = binding.get("xml:lang") or binding.get("lang")
        if lang:
            return Literal(value, lang=lang)
        dt = binding.get("datatype")
        if dt and dt != _XSD_STRING:
            return Literal(value, datatype=URIRef(dt))
        return Literal(value)
    if kind == "bnode":
        return BNode(value)
    raise StoreError(f"unsupported term in SPARQL results: {binding!r} (RDF-star is not used in levant-kg)")


_IRI_TERM = r'<[^<>"{}|^`\\\x00-\x20]*>'
_TERM_RE = re.compile(
    rf'{_IRI_TERM}|"(?:[^"\\\n\r]|\\[tbnrf"\'\\]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*"'
    rf'(?:@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?|\^\^{_IRI_TERM})?')


def sparql_term(term: Any) -> str:
    """A value for a VALUES block: exactly one N-Triples term, or QueryError.

    Serialized by pyoxigraph (which validates IRIs and escapes literals), then
    checked against the term grammar, so no value can end the term early.
    """
    if term is None:
        return "UNDEF"
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be a query parameter (it would act as a variable)")
    if not isinstance(term, Node):
        term = Literal(term)
    try:
        text = str(ox.NamedNode(str(term))) if isinstance(term, URIRef) else str(to_ox(term))
    except (ValueError, TypeError) as exc:
        raise QueryError(f"bad query parameter {str(term)[:80]!r}: {exc}") from None
    if not _TERM_RE.fullmatch(text):
        raise QueryError(f"bad query parameter {str(term)[:80]!r}: cannot be written as one SPARQL term")
    return text


# -- finding where to bind ------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$]\w+)
  | (?P<word>[^\W\d]\w*(?:[-.:]\w+)*:?|\w*:[^\s{}()<>"',;]*)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def _tokens(sparql: str) -> Iterator[tuple[str, str, int, int]]:
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, m.group(), m.start(), m.end()


def query_form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK (None for an update or unreadable text)."""
    for kind, value, _, _ in _tokens(sparql):
        if kind == "word" and value.upper() in _FORMS:
            return value.upper()
        if kind == "word" and value.upper() in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "WITH"):
            return None
    return None


def _where_position(sparql: str) -> int:
    """The index just after the '{' that opens the outermost WHERE group."""
    toks = list(_tokens(sparql))
    i = next((k for k, t in enumerate(toks) if t[0] == "word" and t[1].upper() in _FORMS), None)
    if i is None:
        raise QueryError("parameters need a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    form = toks[i][1].upper()
    i += 1
    if form == "CONSTRUCT":
        if i < len(toks) and toks[i][1] == "{":  # skip the template
            depth = 0
            while i < len(toks):
                if toks[i][1] == "{":
                    depth += 1
                elif toks[i][1] == "}":
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                i += 1
        else:
            raise QueryError("parameters cannot be bound in the short form CONSTRUCT WHERE { ... }: "
                             "write CONSTRUCT { template } WHERE { pattern }")
    parens = 0
    for kind, value, _, end in toks[i:]:
        if kind != "punct":
            continue
        if value == "(":
            parens += 1
        elif value == ")":
            parens -= 1
        elif value == "{" and parens == 0:
            return end
    raise QueryError("parameters need a WHERE clause to be bound in")


_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def inject_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """The query with ``VALUES (?a ?b) { (term term) }`` first in its outermost WHERE group."""
    names, terms = [], []
    for name, value in bindings.items():
        name = str(name).lstrip("?$")
        if not _VARNAME.match(name):
            raise QueryError(f"bad parameter name {name!r} (letters, digits and _ only)")
        names.append(f"?{name}")
        terms.append(sparql_term(value))
    if not names:
        return sparql
    pos = _where_position(sparql)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    return sparql[:pos] + block + sparql[pos:]


# -- the store --------------------------------------------------------------------------------

class SparqlStore(Store):
    """A Store whose data live in a SPARQL 1.1 server (see the module docstring).

    ``url`` is the server's base URL, with ``#flavor`` to pick the endpoint
    layout (default oxigraph); ``endpoints`` overrides the layout entirely.
    ``union`` ("param" or "server") overrides how the union default graph is
    had; ``check_union=False`` skips the first-query check. ``headers`` are sent
    with every request (e.g. an Authorization header for a protected update
    endpoint); ``http://user:password@host/`` sends HTTP Basic credentials
    (and keeps them out of messages).
    """

    def __init__(self, url: str, *, read_only: bool = False, flavor: str | None = None,
                 endpoints: Endpoints | None = None, union: str | None = None, timeout: float = 120.0,
                 headers: Mapping[str, str] | None = None, check_union: bool = True):
        base, _, fragment = url.partition("#")
        flavor = (flavor or fragment or "oxigraph").lower()
        headers = dict(headers or {})
        parts = urllib.parse.urlsplit(base)
        if parts.username is not None:  # http://user:password@host/ -> HTTP Basic, kept out of messages
            token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            headers.setdefault("Authorization", "Basic " + base64.b64encode(token.encode()).decode("ascii"))
            host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname or ""
            netloc = host + (f":{parts.port}" if parts.port else "")
            base = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
            url = base + (f"#{fragment}" if fragment else "")
        if flavor == "oxigraph" and base.rstrip("/").endswith(("/query", "/update", "/store")):
            base = base.rstrip("/").rsplit("/", 1)[0]  # the query endpoint given for the server
        if endpoints is None:
            if flavor not in FLAVORS:
                raise StoreError(f"unknown SPARQL server flavor {flavor!r}; use one of {', '.join(FLAVORS)}", url)
            endpoints = FLAVORS[flavor](base.rstrip("/"))
        if union is not None:
            if union not in ("param", "server"):
                raise StoreError("union must be 'param' or 'server'", url)
            endpoints = Endpoints(endpoints.query, endpoints.update, endpoints.graph_store, endpoints.dataset, union)
        self.url = base
        self.spec = url
        self.flavor = flavor
        self.endpoints = endpoints
        self.read_only = read_only
        self.timeout = timeout
        self.headers = headers
        self._union_checked = not check_union
        self._closed = False
        host = urllib.parse.urlsplit(base).hostname
        handlers: list[Any] = [urllib.request.ProxyHandler({})] if _loopback(host) else []
        self._opener = urllib.request.build_opener(*handlers)

    # -- HTTP ---------------------------------------------------------------------------------
    def _request(self, method: str, url: str, *, data: bytes | None = None, content_type: str | None = None,
                 accept: str | None = None, params: Mapping[str, str] | None = None,
                 ok_404: bool = False, what: str = "request", stream: bool = False) -> Any:
        """Send one request; the response body (bytes), the open response when ``stream``,
        or None for a 404 when ``ok_404``."""
        if self._closed:
            raise StoreError("the store is closed", self.spec)
        if params:
            url = url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        req = urllib.request.Request(url, data=data, method=method)
        for k, v in self.headers.items():
            req.add_header(k, v)
        if content_type:
            req.add_header("Content-Type", content_type)
        if accept:
            req.add_header("Accept", accept)
        try:
            resp = self._opener.open(req, timeout=self.timeout)
            if stream:
                return resp
            with resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            if ok_404 and exc.code == 404:
                return None
            body = exc.read(4000).decode("utf-8", "replace").strip()
            detail = " ".join(body.split())[:600] or exc.reason
            if exc.code == 400 and what in ("query", "update"):
                raise QueryError(f"the SPARQL server rejected the {what} ({url}): {detail}") from None
            if exc.code in (401, 403):
                raise StoreError(f"{what} not allowed by the server (HTTP {exc.code}: {detail}); "
                                 "a read-only server or missing credentials", url) from None
            raise StoreError(f"{what} failed: HTTP {exc.code}: {detail}", url) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                raise StoreError("cannot connect to the SPARQL endpoint: connection refused "
                                 "(is the server running? `levant-kg serve` starts one)", url) from None
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise StoreError(f"the SPARQL endpoint did not answer within {self.timeout:g} s", url) from None
            raise StoreError(f"cannot reach the SPARQL endpoint: {reason}", url) from None
        except (socket.timeout, TimeoutError):
            raise StoreError(f"the SPARQL endpoint did not answer within {self.timeout:g} s", url) from None
        except (ConnectionError, OSError) as exc:
            raise StoreError(f"connection to the SPARQL endpoint failed: {exc}", url) from None

    def _union_params(self, union: bool) -> dict[str, str]:
        return {"union-default-graph": "true"} if union and self.endpoints.union == "param" else {}

    def _post_query(self, sparql: str, *, union: bool = True, accept: str) -> tuple[bytes, str]:
        resp = self._request("POST", self.endpoints.query, data=sparql.encode("utf-8"),
                             content_type="application/sparql-query; charset=utf-8", accept=accept,
                             params=self._union_params(union), what="query", stream=True)
        with resp:
            return resp.read(), resp.headers.get("Content-Type", "")

    def _select(self, sparql: str, *, union: bool = True) -> tuple[list[str], list[tuple]]:
        body, _ = self._post_query(sparql, union=union, accept="application/sparql-results+json")
        data = _json(body, self.endpoints.query)
        names = data.get("head", {}).get("vars", [])
        rows = [tuple(json_term(b.get(n)) for n in names) for b in data.get("results", {}).get("bindings", [])]
        return names, rows

    def _ask(self, sparql: str, *, union: bool = True) -> bool:
        body, _ = self._post_query(sparql, union=union, accept="application/sparql-results+json")
        return bool(_json(body, self.endpoints.query).get("boolean"))

    def _check_union(self) -> None:
        """Named graphs with triples but an empty default graph: the server does not
        query the union, and every query would silently find nothing."""
        if self._union_checked:
            return
        if not self._ask("ASK { GRAPH ?g { ?s ?p ?o } }", union=False):
            return  # empty store: nothing to tell yet
        self._union_checked = True
        if not self._ask("ASK { ?s ?p ?o }"):
            raise StoreError(
                "the SPARQL server's default graph is not the union of its named graphs, so queries find "
                "nothing. Oxigraph: use the default flavor (or start it with --union-default-graph); "
                "Fuseki: set tdb2:unionDefaultGraph true on the dataset; or pass union='param' for a server "
                "that takes Oxigraph's union-default-graph parameter", self.spec)

    # -- reads ----------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a query with the default graph as the union of all graphs.

        ``bindings`` ({var: rdflib term}) are pre-bound by a VALUES block (never
        pasted into the text: see the module docstring)."""
        if bindings:
            sparql = inject_values(sparql, bindings)
        form = query_form(sparql)
        self._check_union()
        if form in ("CONSTRUCT", "DESCRIBE"):
            body, ctype = self._post_query(sparql, accept="application/n-triples, text/turtle;q=0.5")
            triples = [(s, p, o) for s, p, o, _ in _parse_rdf(body, ctype, self.endpoints.query)]
            return QueryResult(["subject", "predicate", "object"], triples, "construct")
        body, _ = self._post_query(sparql, accept="application/sparql-results+json")
        data = _json(body, self.endpoints.query)
        if "boolean" in data:
            return QueryResult(["ask"], [(Literal(bool(data["boolean"])),)], "ask")
        names = data.get("head", {}).get("vars", [])
        rows = [tuple(json_term(b.get(n)) for n in names) for b in data.get("results", {}).get("bindings", [])]
        return QueryResult(names, rows)

    def _graph_names(self) -> list[URIRef]:
        _, rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False)
        return [r[0] for r in rows if isinstance(r[0], URIRef)]

    def items(self) -> list[URIRef]:
        _, rows = self._select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } FILTER(STRSTARTS(STR(?g), "
            f"{sparql_term(Literal(ITEM_PREFIX))})) }}", union=False)
        return sorted(r[0] for r in rows if isinstance(r[0], URIRef))

    def _triples(self, name: URIRef) -> Iterator[tuple]:
        iri = sparql_term(URIRef(str(name)))
        if self.endpoints.graph_store:
            body = self._request("GET", self.endpoints.graph_store, params={"graph": str(name)},
                                 accept="application/n-triples", ok_404=True, what="graph read")
            if body is None:
                return iter(())
            return ((s, p, o) for s, p, o, _ in _parse_rdf(body, "application/n-triples", str(name)))
        res = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}")
        return iter(res.rows)

    def __contains__(self, iri: object) -> bool:
        try:
            term = sparql_term(URIRef(str(iri)))
        except QueryError:
            return False
        return self._ask(f"ASK {{ GRAPH {term} {{ ?s ?p ?o }} }}", union=False)

    def get_value(self, item_iri: str | URIRef, predicate: URIRef) -> Node | None:
        s, p = sparql_term(URIRef(str(item_iri))), sparql_term(URIRef(str(predicate)))
        _, rows = self._select(f"SELECT ?o WHERE {{ GRAPH {s} {{ {s} {p} ?o }} }} LIMIT 1", union=False)
        return rows[0][0] if rows else None

    def __len__(self) -> int:
        _, rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        n = int(rows[0][0]) if rows and rows[0][0] is not None else 0
        if self.endpoints.graph_store:  # the default graph's own triples (a query would see the union)
            body = self._request("GET", self.endpoints.graph_store, params={"default": ""},
                                 accept="application/n-triples", ok_404=True, what="graph read")
            if body:
                n += sum(1 for _ in _parse_rdf(body, "application/n-triples", self.endpoints.graph_store))
        return n

    # -- writes ---------------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (one request; one transaction on Oxigraph)."""
        self._writable()
        self._request("POST", self.endpoints.update, data=sparql.encode("utf-8"),
                      content_type="application/sparql-update; charset=utf-8", what="update")

    def _replace(self, name: URIRef, triples: list[tuple]) -> None:
        self._replace_many([(name, triples)])

    def _replace_serialized(self, name: URIRef, data: NTriples) -> None:
        self._replace_many([(name, data)])

    def _replace_many(self, graphs: Iterable[tuple[URIRef, list[tuple] | NTriples]]) -> None:
        parts, blocks = [], []
        for name, triples in graphs:
            try:
                g = str(ox.NamedNode(str(name)))
                data = (triples if isinstance(triples, NTriples) else serialize_triples(triples)).decode("utf-8")
            except ValueError as exc:
                raise StoreError(f"cannot store graph {name}: {exc}", self.spec) from None
            parts.append(f"DROP SILENT GRAPH {g}")
            if data:
                blocks.append(f"GRAPH {g} {{\n{data}}}")
        if not parts:
            return
        if blocks:
            parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
        self.update(" ;\n".join(parts))

    def put_items(self, items: Iterable[tuple[str | URIRef, Graph]]) -> None:
        """Replace several item graphs in one request (one transaction on Oxigraph):
        fewer round trips for a batch ingest than one :meth:`put_item` each."""
        self._writable()
        batch = []
        for iri, graph in items:
            if not str(iri).startswith(ITEM_PREFIX):
                raise ValueError(f"{iri} is not an item IRI (they start with {ITEM_PREFIX}); use put_graph")
            batch.append((URIRef(str(iri)), graph if isinstance(graph, NTriples) else list(graph)))
        self._replace_many(batch)

    def _drop(self, name: URIRef) -> None:
        try:
            g = str(ox.NamedNode(str(name)))
        except ValueError as exc:
            raise StoreError(f"not a graph name {name!r}: {exc}", self.spec) from None
        self.update(f"DROP SILENT GRAPH {g}")

    # -- files ----------------------------------------------------------------------------------
    def export(self, target: str | os.PathLike | IO[bytes], format: str | None = None) -> None:
        """Write every named graph (and the default graph's own triples, where the server
        lets them be told apart) as TriG or N-Quads to a path or a binary file.

        Streams from the server's dataset endpoint when it has one (Oxigraph,
        Fuseki, GraphDB); otherwise reads graph by graph."""
        key = _format(format, target, default="trig")
        if key not in _DATASET_FORMATS:
            raise StoreError("export writes a dataset: use trig or nquads", target)
        if isinstance(target, io.TextIOBase):
            buf = io.BytesIO()
            self.export(buf, key)
            target.write(buf.getvalue().decode("utf-8"))
            return
        if isinstance(target, (str, os.PathLike)):
            try:
                with open(target, "wb") as out:
                    self._export_to(out, key)
            except OSError as exc:
                raise StoreError(f"cannot write: {exc.strerror or exc}", target) from None
            return
        self._export_to(target, key)

    def _export_to(self, out: IO[bytes], key: str) -> None:
        fmt = _DATASET_FORMATS[key]
        prefixes = _PREFIXES if key == "trig" else None
        if self.endpoints.dataset:
            resp = self._request("GET", self.endpoints.dataset, accept="application/n-quads", what="export",
                                 stream=True)
            with resp:
                if key == "nquads" and "n-quads" in resp.headers.get("Content-Type", ""):
                    while chunk := resp.read(1 << 20):
                        out.write(chunk)
                else:  # the server lists quads graph by graph, so TriG gets one block per graph
                    ox.serialize(_parse_stream(resp, ox.RdfFormat.N_QUADS, self.endpoints.dataset), out,
                                 fmt, prefixes=prefixes)
            return

        def quads() -> Iterator[Any]:
            for name in self.graphs():
                g = ox.NamedNode(str(name))
                for s, p, o in self._triples(name):
                    yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)

        ox.serialize(quads(), out, fmt, prefixes=prefixes)

    def import_file(self, path: str | os.PathLike, format: str | None = None, *,
                    graph: URIRef | None = None) -> int:
        """Load a TriG/N-Quads file (or Turtle/N-Triples into ``graph``): each named
        graph in the file replaces the server's graph of that name.

        Graphs are sent in requests of a few megabytes; each graph is replaced
        whole inside one request (when the file keeps a graph's quads together,
        as exports do), so a reader never sees half a graph. Returns the number
        of quads read."""
        self._writable()
        key = _format(format, path)
        if key in ("turtle", "ntriples") and graph is None:
            raise StoreError(f"a {key} file holds one graph: say which (graph=...)", path)
        into = str(ox.NamedNode(str(graph))) if graph is not None else None
        sent: set[str] = set()
        batch: dict[str, list[str]] = {}
        size = 0
        count = 0
        current = None

        def flush() -> None:
            nonlocal size
            if not batch:
                return
            parts = [f"DROP SILENT GRAPH {g}" for g in batch if g != "" and g not in sent]
            blocks = [("\n".join(ts) if g == "" else f"GRAPH {g} {{\n" + "\n".join(ts) + "\n}")
                      for g, ts in batch.items()]
            parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
            self.update(" ;\n".join(parts))
            sent.update(batch)
            batch.clear()
            size = 0

        try:
            for q in ox.parse(path=str(path), format=_ALL_FORMATS[key]):
                g = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
                if into is not None:
                    g = into
                if g != current:
                    if size >= _BATCH_BYTES:
                        flush()
                    current = g
                line = f"{q.subject} {q.predicate} {q.object} ."
                batch.setdefault(g, []).append(line)
                size += len(line)
                count += 1
            flush()
        except SyntaxError as exc:
            raise StoreError(f"not valid {key}: {exc}", path) from None
        except OSError as exc:
            raise StoreError(f"cannot read: {exc.strerror or exc}", path) from None
        return count

    def close(self) -> None:
        """Nothing is held open between requests; further use raises StoreError."""
        self._closed = True

    def __repr__(self) -> str:
        return f"<SparqlStore {self.spec} ({self.flavor}){' read-only' if self.read_only else ''}>"


# -- helpers ----------------------------------------------------------------------------------

def _format(format: str | None, path: Any, default: str | None = None) -> str:
    if format is None:
        suffix = Path(str(path)).suffix.lower() if isinstance(path, (str, os.PathLike)) else ""
        format = _EXTENSIONS.get(suffix, default)
        if format is None:
            raise StoreError(f"cannot tell the RDF format from the file name; give one of "
                             f"{', '.join(_ALL_FORMATS)}", path)
    key = format.lower().replace("-", "").replace("_", "")
    key = {"nq": "nquads", "nt": "ntriples", "ttl": "turtle"}.get(key, key)
    if key not in _ALL_FORMATS:
        raise StoreError(f"unknown RDF format {format!r}; use one of {', '.join(_ALL_FORMATS)}")
    return key


def _json(body: bytes, url: str) -> dict:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise StoreError(f"the server did not answer with SPARQL JSON results: {body[:200]!r}", url) from None
    if not isinstance(data, dict):
        raise StoreError("the server did not answer with SPARQL JSON results", url)
    return data


def _parse_rdf(body: bytes, content_type: str, where: str) -> Iterator[tuple]:
    """(s, p, o, g) rdflib terms of an RDF answer, by its media type (N-Triples when unknown)."""
    media = content_type.split(";")[0].strip() or "application/n-triples"
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
    for q in _parse_stream(io.BytesIO(body), fmt, where):
        yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)


def _parse_stream(fh: Any, fmt: Any, where: str) -> Iterator[Any]:
    try:
        yield from ox.parse(fh, format=fmt)
    except SyntaxError as exc:
        raise StoreError(f"the server sent invalid RDF: {exc}", where) from None
