"""Where the knowledge graph lives: one interface over Oxigraph on disk and rdflib in memory.

Both hold one named graph per news item (``id:item/...``) plus the registry
and ontology graphs, and both answer SPARQL with the default graph as the
union of all graphs (docs/model.md).

* ``open_store(path)`` — an embedded Oxigraph store (pyoxigraph, RocksDB) in
  a folder: no server, fast SPARQL (rdflib's own engine is far too slow for
  this graph, DESIGN.md "Pitfalls"). Re-adding an item replaces its graph in
  one transaction, so a crash, even a SIGKILL, leaves every item graph as it
  was before or as it is after, never half-written.
* ``open_store(":memory:")`` — an rdflib ``Dataset`` for small work and tests.

Results always come back as rdflib terms: the conversion between pyoxigraph
and rdflib terms lives in :func:`to_ox` / :func:`from_ox` and nowhere else.
Import and export use pyoxigraph's parsers and serializers on both backends
(much faster than rdflib's).

Literals come back as Oxigraph stores them, on both backends (see
:func:`as_stored`): canonical lexical forms, derived integer types as
``xsd:integer`` (so ``"7"^^xsd:nonNegativeInteger`` comes back as
``"7"^^xsd:integer``: SHACL ``sh:datatype`` checks of data read back from a
store must expect that), language tags in lower case, and ``xsd:string`` as
rdflib's plain ``Literal``, so that results compare equal to the graphs
kg.mapping builds.
"""
from __future__ import annotations

import io
import os
import re
import warnings
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.iri import ID
from kg.schema import load_schema

__all__ = ["open_store", "Store", "OxigraphStore", "MemoryStore", "QueryResult", "to_ox", "from_ox", "as_stored",
           "DEFAULT_STORE", "MEMORY", "ITEM_PREFIX", "FORMATS"]

DEFAULT_STORE = "kg-store"
"""The store folder used when none is given (relative to the working directory)."""
MEMORY = ":memory:"
ITEM_PREFIX = f"{ID}item/"
"""Item graphs are the named graphs whose IRI starts with this."""

FORMATS: dict[str, ox.RdfFormat] = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
_EXTENSIONS = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".ttl": "turtle", ".nt": "ntriples"}
_PREFIXES = {p: ns for p, ns in load_schema().prefixes.items() if p != "sh"} | {
    "id": str(ID), "topic": load_schema().topic_base}
_XSD_STRING = str(XSD.string)
# Files a RocksDB (Oxigraph) folder always has; anything else in a non-empty
# folder means it is not ours and must not be written into.
_OXIGRAPH_MARKERS = ("CURRENT", "IDENTITY")


# -- term conversion (the one place) --------------------------------------------------

def to_ox(term: Node) -> Any:
    """rdflib term -> pyoxigraph term. ValueError for what Oxigraph rejects (an
    IRI with a space, a malformed language tag)."""
    if type(term) is URIRef:
        return _named_node(term)
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        try:
            return ox.BlankNode(term)
        except ValueError:  # rdflib allows ids that N-Triples does not
            return ox.BlankNode("b" + term.encode("utf-8").hex())
    raise ValueError(f"cannot store {type(term).__name__} {term!r} in Oxigraph")


@lru_cache(maxsize=1 << 16)
def _named_node(iri: URIRef) -> Any:
    # the same predicates, classes and actors recur in every item: convert each once
    return ox.NamedNode(iri)


class NTriples(bytes):
    """One graph's triples serialized as N-Triples (UTF-8), made by
    :func:`serialize_triples` where the graph is built (an ingest worker), so
    that the process that writes has no terms to convert: :meth:`Store.put_graph`
    takes it like a graph, and Oxigraph parses it natively."""


def serialize_triples(triples: Iterable[tuple]) -> NTriples:
    """N-Triples of rdflib triples; ValueError for a term Oxigraph rejects."""
    try:
        return NTriples(ox.serialize([ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples],
                                     format=ox.RdfFormat.N_TRIPLES) or b"")
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def parse_triples(data: bytes) -> list[tuple]:
    """rdflib triples of an N-Triples payload."""
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def from_ox(term: Any) -> Node | None:
    """pyoxigraph term -> rdflib term (None stays None: an unbound variable).
    ``xsd:string`` literals become plain rdflib literals (same RDF literal)."""
    kind = type(term)  # exact types first: this runs for every term of every result
    if kind is ox.NamedNode:
        return _uri_ref(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return _typed_literal(term.value, dt)
    if term is None or kind is ox.DefaultGraph:
        return None
    if kind is ox.BlankNode:
        return BNode(term.value)
    raise ValueError(f"unsupported pyoxigraph term {term!r} (RDF-star triples are not used in levant-kg)")


@lru_cache(maxsize=1 << 16)
def _typed_literal(value: str, datatype: str) -> Literal:
    # dates, counts and years recur row after row, and rdflib parses each new typed literal
    return Literal(value, datatype=_uri_ref(datatype))


@lru_cache(maxsize=1 << 18)
def _uri_ref(iri: str) -> URIRef:
    # results repeat the same actors, items and classes; rdflib checks every new URIRef
    return URIRef(iri)


def as_stored(triples: Iterable[tuple]) -> list[tuple]:
    """The triples as Oxigraph stores them, so that both backends give back the same terms.

    Oxigraph keeps literals in canonical form (oxigraph issue #526): derived
    integer types become ``xsd:integer`` (``"7"^^xsd:nonNegativeInteger`` ->
    ``"7"^^xsd:integer``), lexical forms are canonical (``"01"`` -> ``"1"``,
    ``"1"^^xsd:boolean`` -> ``"true"``), language tags lower case (``en-gb``),
    ``xsd:string`` is a plain literal.
    The memory store applies the same rules (through a scratch Oxigraph
    store, so they are exactly Oxigraph's). ValueError for terms Oxigraph
    refuses.
    """
    out = list(triples)
    typed = [i for i, (_, _, o) in enumerate(out) if isinstance(o, Literal)
             and (o.datatype is not None or (o.language and o.language != o.language.lower()))]
    for t in out:
        for term in t:
            to_ox(term)
    if typed:
        scratch = ox.Store()
        s, p = ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p")
        scratch.extend(ox.Quad(s, p, to_ox(out[i][2]), ox.NamedNode(f"urn:x:{i}")) for i in typed)
        for q in scratch:
            i = int(q.graph_name.value[6:])
            out[i] = (out[i][0], out[i][1], from_ox(q.object))
    return out


# -- results ----------------------------------------------------------------------------

@dataclass
class QueryResult:
    """The answer to a query: column names and rows of rdflib terms (None = unbound).

    SELECT gives its variables; ASK one column ``ask`` with one boolean row
    (``bool(result)`` is the answer); CONSTRUCT and DESCRIBE the columns
    ``subject predicate object`` (``result.graph()`` makes a Graph of them).
    """

    vars: list[str]
    rows: list[tuple]
    kind: str = "select"  # select | ask | construct

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        if self.kind == "ask":
            return bool(self.rows and self.rows[0][0].toPython())
        return bool(self.rows)

    @property
    def boolean(self) -> bool | None:
        """The answer of an ASK query (None for other queries)."""
        return bool(self) if self.kind == "ask" else None

    def dicts(self) -> list[dict[str, Node | None]]:
        """Rows as {variable: term} (handy in notebooks)."""
        return [dict(zip(self.vars, row)) for row in self.rows]

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE result as an rdflib Graph."""
        if self.kind != "construct":
            raise ValueError("only CONSTRUCT and DESCRIBE results are graphs")
        g = Graph()
        for t in self.rows:
            g.add(t)
        return g


def _bindings(bindings: Mapping[str, Any] | None) -> dict[str, Node]:
    """Variable names (with or without '?') -> rdflib terms; plain Python values become literals."""
    out: dict[str, Node] = {}
    for name, value in (bindings or {}).items():
        name = str(name).lstrip("?$")
        out[name] = value if isinstance(value, Node) else Literal(value)
    return out


def _format(format: str | None, path: Any, default: str | None = None) -> tuple[str, ox.RdfFormat]:
    if format is None:
        suffix = Path(str(path)).suffix.lower() if isinstance(path, (str, os.PathLike)) else ""
        format = _EXTENSIONS.get(suffix, default)
        if format is None:
            raise StoreError(f"cannot tell the RDF format from the file name; give one of {', '.join(FORMATS)}",
                             path)
    key = format.lower().replace("-", "").replace("_", "")
    key = {"nq": "nquads", "nt": "ntriples", "ttl": "turtle"}.get(key, key)
    if key not in FORMATS:
        raise StoreError(f"unknown RDF format {format!r}; use one of {', '.join(FORMATS)}")
    return key, FORMATS[key]


_IRI_RE = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE_RE = re.compile(r"where\b", re.IGNORECASE)


def _where_brace(sparql: str) -> int:
    """Index of the '{' opening the outer WHERE clause, skipping comments, IRIs and strings."""
    i, n, first_brace = 0, len(sparql), -1
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "<" and (m := _IRI_RE.match(sparql, i)):
            i = m.end()
        elif c in "'\"":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ("'''", '"""') else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
        elif c == "{":
            if first_brace < 0:
                first_brace = i
            i += 1
        elif c in "wW" and _WHERE_RE.match(sparql, i) and (i == 0 or not (sparql[i - 1].isalnum()
                                                                           or sparql[i - 1] in "_?$:")):
            return sparql.find("{", i)
        else:
            i += 1
    return first_brace


def _with_values(sparql: str, subs: dict) -> str:
    """``sparql`` with a VALUES block of the bindings opening its WHERE clause."""
    if any(isinstance(v, ox.BlankNode) for v in subs.values()):
        raise QueryError("a blank node cannot be bound to a variable the query does not select")
    pos = _where_brace(sparql)
    if pos < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    names = " ".join(f"?{v.value}" for v in subs)
    values = " ".join(str(t) for t in subs.values())
    return f"{sparql[:pos + 1]} VALUES ({names}) {{ ({values}) }} {sparql[pos + 1:]}"


def _is_item(iri: Any) -> bool:
    return str(iri).startswith(ITEM_PREFIX)


# -- the interface ------------------------------------------------------------------------

class Store:
    """What the rest of levant-kg uses; see :func:`open_store`.

    Writes: :meth:`put_item`, :meth:`put_graph`, :meth:`remove_item`,
    :meth:`import_file`. Reads: :meth:`query`, :meth:`items`,
    :meth:`item_graph`, :meth:`graph`, :meth:`get_value`, :meth:`export`.
    """

    read_only: bool = False
    spec: str = ""
    compactable: bool = False
    """Whether :meth:`optimize` has tables to compact (the embedded Oxigraph store)."""
    joins_tables: bool = True
    """Whether the engine joins two subqueries (tables) by hashing, so that reading a
    predicate once as a table beats looking it up row by row (Oxigraph, servers); rdflib
    compares every pair of rows instead, so queries meant for it join by patterns."""

    # backends implement these
    def _replace(self, name: URIRef, triples: list[tuple]) -> None:
        raise NotImplementedError

    def _graph_names(self) -> list[URIRef]:
        raise NotImplementedError

    def _triples(self, name: URIRef) -> Iterator[tuple]:
        raise NotImplementedError

    def _drop(self, name: URIRef) -> None:
        raise NotImplementedError

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (one transaction)."""
        raise NotImplementedError

    def export(self, target: str | os.PathLike | IO[bytes], format: str | None = None) -> None:
        raise NotImplementedError

    def import_file(self, path: str | os.PathLike, format: str | None = None, *,
                    graph: URIRef | None = None) -> int:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        """Release the store (and, on disk, its lock). Further use raises StoreError."""

    def flush(self) -> None:
        """Move recent writes from the store's write-ahead log into its tables (a store
        without one has nothing to do)."""

    def optimize(self) -> None:
        """Compact the store's tables after a large write, so that later queries read
        fewer, smaller files (only the embedded Oxigraph store has tables to compact,
        see :attr:`compactable`; a server compacts its own)."""

    # shared behaviour
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}{' read-only' if self.read_only else ''}>"

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only", self.spec)

    def put_item(self, iri: str | URIRef, graph: Graph | Iterable[tuple] | NTriples) -> None:
        """Replace the graph of item ``iri`` with ``graph``, atomically (re-ingest is idempotent)."""
        if not _is_item(iri):
            raise ValueError(f"{iri} is not an item IRI (they start with {ITEM_PREFIX}); use put_graph")
        self.put_graph(iri, graph)

    def put_graph(self, iri: str | URIRef, graph: Graph | Iterable[tuple] | NTriples) -> None:
        """Replace the named graph ``iri`` (registry, ontology, an item) with the triples
        of ``graph`` (an rdflib graph, triples, or :class:`NTriples`)."""
        self._writable()
        if isinstance(graph, NTriples):
            self._replace_serialized(URIRef(str(iri)), graph)
        else:
            self._replace(URIRef(str(iri)), list(graph))

    def _replace_serialized(self, name: URIRef, data: NTriples) -> None:
        try:
            triples = parse_triples(data)
        except SyntaxError as exc:
            raise StoreError(f"cannot store graph {name}: {exc}", self.spec) from None
        self._replace(name, triples)

    def put_items(self, items: Iterable[tuple[str | URIRef, Graph]], *, bulk: bool = False,
                  batch: int = 500) -> int:
        """Put many (iri, graph) items; returns how many.

        By default each item is replaced atomically, as by :meth:`put_item`.
        ``bulk=True`` is for rebuilds into a new store: Oxigraph's bulk loader,
        about twice as fast, but not transactional, so a crash can leave items
        half-written (rebuild again). The memory store ignores ``bulk``.
        """
        n = 0
        for iri, graph in items:
            self.put_item(iri, graph)
            n += 1
        return n

    def remove_item(self, iri: str | URIRef) -> None:
        """Drop an item's graph (nothing happens when it is absent)."""
        self._writable()
        self._drop(URIRef(str(iri)))

    remove_graph = remove_item

    def graphs(self) -> list[URIRef]:
        """All named graphs, sorted."""
        return sorted(self._graph_names())

    def items(self) -> list[URIRef]:
        """The item graphs (IRIs starting with ``id:item/``), sorted."""
        return sorted(g for g in self._graph_names() if _is_item(g))

    def __contains__(self, iri: object) -> bool:
        """Whether a named graph of that IRI holds triples."""
        return next(self._triples(URIRef(str(iri))), None) is not None

    def graph(self, iri: str | URIRef) -> Graph:
        """A copy of a named graph (empty when absent) as an rdflib Graph with that identifier."""
        name = URIRef(str(iri))
        g = Graph(identifier=name)
        for t in self._triples(name):
            g.add(t)
        return g

    def item_graph(self, iri: str | URIRef) -> Graph:
        """A copy of an item's graph (empty when the item is absent): what validation reads."""
        return self.graph(iri)

    def get_value(self, item_iri: str | URIRef, predicate: URIRef) -> Node | None:
        """One object of ``<item> <predicate> ?o`` in the item's own graph, or None
        (e.g. ``lmg:contentHash``, to skip items whose graph is current)."""
        raise NotImplementedError


# -- Oxigraph on disk ------------------------------------------------------------------------

class OxigraphStore(Store):
    """The embedded on-disk store (pyoxigraph). One writer process at a time."""

    compactable = True

    def __init__(self, path: str | os.PathLike | None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.spec = str(path) if path is not None else "(temporary)"
        self.read_only = read_only
        try:
            if path is None:
                self._s = ox.Store()
            elif read_only:
                self._s = ox.Store.read_only(str(path))
            else:
                self._s = ox.Store(str(path))
        except OSError as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreError("the store is in use by another process (one writer at a time; "
                                 "readers can open it read-only)", path) from None
            raise StoreError(f"cannot open the store: {msg.splitlines()[0]}", path) from None

    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph Store (for bulk work this interface does not cover)."""
        if self._s is None:
            raise StoreError("the store is closed", self.spec)
        return self._s

    def close(self) -> None:
        self._s = None  # pyoxigraph releases RocksDB and its lock when the object goes

    def __len__(self) -> int:
        return len(self.ox)

    def flush(self) -> None:
        self._writable()
        self.ox.flush()

    def optimize(self) -> None:
        # RocksDB compacts in the background, but after a bulk build it lags far behind: at
        # 100k items the store shrinks from 8.2 to 5.7 GB and queries reading it from disk run
        # about 20% faster; with the store in memory there is no difference (bench/README.md).
        # Writes in the log are flushed first, so they are compacted too.
        self._writable()
        try:
            self.ox.flush()
            self.ox.optimize()
        except OSError as exc:
            raise StoreError(f"cannot compact the store: {str(exc).splitlines()[0]}", self.spec) from None

    def _replace(self, name: URIRef, triples: list[tuple]) -> None:
        try:
            data = serialize_triples(triples)
        except ValueError as exc:
            raise StoreError(f"cannot store graph {name}: {exc}", self.spec) from None
        self._replace_serialized(name, data)

    def _replace_serialized(self, name: URIRef, data: NTriples) -> None:
        try:
            graph = ox.NamedNode(name)
        except ValueError as exc:
            raise StoreError(f"cannot store graph {name}: {exc}", self.spec) from None
        self._writable()
        if data and not self.ox.contains_named_graph(graph):
            # A new graph: Store.load is one transaction (all triples or none),
            # and much cheaper than parsing them inside an update.
            try:
                self.ox.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            except SyntaxError as exc:
                raise StoreError(f"cannot store graph {name}: {exc}", self.spec) from None
            except (OSError, RuntimeError) as exc:
                raise StoreError(f"write failed: {exc}", self.spec) from None
            return
        # An existing graph: one SPARQL update is one Oxigraph transaction, the
        # old graph goes and the new one comes together, or neither does.
        update = f"DROP SILENT GRAPH <{name}>"
        if data:
            update += f" ;\nINSERT DATA {{ GRAPH <{name}> {{\n{data.decode('utf-8')}}} }}"
        try:
            self.ox.update(update)
        except SyntaxError as exc:  # the triples did not parse: nothing was written
            raise StoreError(f"cannot store graph {name}: {exc}", self.spec) from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"write failed: {exc}", self.spec) from None

    def _update(self, update: str) -> None:
        self._writable()
        try:
            self.ox.update(update)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"write failed: {exc}", self.spec) from None

    def update(self, sparql: str) -> None:
        self._update(sparql)

    def put_items(self, items: Iterable[tuple[str | URIRef, Graph]], *, bulk: bool = False,
                  batch: int = 500) -> int:
        if not bulk:
            return super().put_items(items)
        self._writable()
        n, chunk = 0, []
        for iri, graph in items:
            if not _is_item(iri):
                raise ValueError(f"{iri} is not an item IRI (they start with {ITEM_PREFIX}); use put_graph")
            chunk.append((URIRef(str(iri)), graph))
            if len(chunk) >= batch:
                n += self._bulk(chunk)
                chunk = []
        return n + (self._bulk(chunk) if chunk else 0)

    def _bulk(self, chunk: list[tuple[URIRef, Graph]]) -> int:
        try:
            quads = []
            for name, graph in chunk:
                g = ox.NamedNode(name)
                if isinstance(graph, NTriples):
                    quads += [ox.Quad(t.subject, t.predicate, t.object, g)
                              for t in ox.parse(graph, format=ox.RdfFormat.N_TRIPLES)]
                else:
                    quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in graph]
        except (ValueError, TypeError, SyntaxError) as exc:
            raise StoreError(f"cannot store a graph of this batch: {exc}", self.spec) from None
        self._update(" ;\n".join(f"DROP SILENT GRAPH <{name}>" for name, _ in chunk))
        try:
            self.ox.bulk_extend(quads)
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"bulk write failed: {exc}", self.spec) from None
        return len(chunk)

    def _drop(self, name: URIRef) -> None:
        self._update(f"DROP SILENT GRAPH <{ox.NamedNode(name).value}>")

    def _graph_names(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]

    def _triples(self, name: URIRef) -> Iterator[tuple]:
        try:
            g = ox.NamedNode(name)
        except ValueError:
            return iter(())
        return ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                for q in self.ox.quads_for_pattern(None, None, None, g))

    def get_value(self, item_iri: str | URIRef, predicate: URIRef) -> Node | None:
        s = ox.NamedNode(str(item_iri))
        for q in self.ox.quads_for_pattern(s, ox.NamedNode(predicate), None, s):
            return from_ox(q.object)
        return None

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run SPARQL with the default graph as the union of all graphs.

        ``bindings`` ({var: rdflib term}) are never pasted into the query as
        text: Oxigraph substitutes them as values (SEP-0007). It does so only
        for variables the query projects; for the others (``SELECT (COUNT(*)
        AS ?n) WHERE { ?org ... }``) they become a VALUES block opening the
        WHERE clause, which is what rdflib's ``initBindings`` means too.
        """
        try:
            subs = {ox.Variable(k): to_ox(v) for k, v in _bindings(bindings).items()}
        except ValueError as exc:
            raise QueryError(f"bad binding: {exc}") from None
        try:
            try:
                res = self.ox.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
            except RuntimeError as exc:
                if not subs or "projection" not in str(exc):
                    raise
                res = self.ox.query(_with_values(sparql, subs), use_default_graph_as_union=True)
            if isinstance(res, ox.QueryBoolean):
                return QueryResult(["ask"], [(Literal(bool(res)),)], "ask")
            if isinstance(res, ox.QueryTriples):
                return QueryResult(["subject", "predicate", "object"],
                                   [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in res],
                                   "construct")
            names = [v.value for v in res.variables]
            idx = range(len(names))
            return QueryResult(names, [tuple(from_ox(sol[i]) for i in idx) for sol in res])
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except RuntimeError as exc:
            raise QueryError(f"SPARQL query failed: {exc}") from None
        except OSError as exc:
            raise StoreError(f"query failed: {exc}", self.spec) from None

    def export(self, target: str | os.PathLike | IO[bytes], format: str | None = None) -> None:
        """Write the whole dataset (all graphs) as TriG or N-Quads to a path or a binary file."""
        _, fmt = _format(format, target, default="trig")
        if fmt not in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            raise StoreError("export writes a dataset: use trig or nquads", target)
        prefixes = _PREFIXES if fmt == ox.RdfFormat.TRIG else None
        if isinstance(target, io.TextIOBase):
            target.write(self.ox.dump(format=fmt, prefixes=prefixes).decode("utf-8"))
            return
        self.ox.dump(str(target) if isinstance(target, (str, os.PathLike)) else target, fmt, prefixes=prefixes)

    def import_file(self, path: str | os.PathLike, format: str | None = None, *,
                    graph: URIRef | None = None) -> int:
        """Load a TriG/N-Quads file (or Turtle/N-Triples into ``graph``): each named graph
        in the file replaces the store's graph of that name, all in one transaction.
        Returns the number of quads read."""
        self._writable()
        if next(self.ox.quads_for_pattern(None, None, None, None), None) is None \
                and next(self.ox.named_graphs(), None) is None:
            return self._load_into_empty(path, format, graph)
        quads = _parse_file(path, format, graph)
        names = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        present = [n for n in names if self.ox.contains_named_graph(n)]
        try:
            if not present:
                self.ox.extend(quads)  # one transaction
            else:
                by_graph: dict[Any, list] = {}
                for q in quads:
                    by_graph.setdefault(q.graph_name, []).append(q.triple)
                parts = [f"DROP SILENT GRAPH {n}" for n in present]
                blocks = []
                for n, triples in by_graph.items():
                    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                    blocks.append(nt if isinstance(n, ox.DefaultGraph) else f"GRAPH {n} {{\n{nt}}}")
                parts.append("INSERT DATA {\n" + "\n".join(blocks) + "}")
                self.ox.update(" ;\n".join(parts))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"import failed: {exc}", path) from None
        return len(quads)

    def _load_into_empty(self, path: str | os.PathLike, format: str | None, graph: URIRef | None) -> int:
        """Restore into an empty store with Oxigraph's bulk loader (several times
        faster); on a bad file the store is emptied again, as it was."""
        key, fmt = _format(format, path)
        if key in ("turtle", "ntriples") and graph is None:
            raise StoreError(f"a {key} file holds one graph: say which (graph=...)", path)
        try:
            to_graph = ox.NamedNode(str(graph)) if graph is not None else None
            self.ox.bulk_load(path=str(path), format=fmt, to_graph=to_graph)
        except SyntaxError as exc:
            self.ox.clear()
            raise StoreError(f"not valid {key}: {exc}", path) from None
        except (OSError, ValueError) as exc:
            self.ox.clear()
            raise StoreError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path) from None
        return len(self.ox)


def _parse_file(path: str | os.PathLike, format: str | None, graph: URIRef | None) -> list:
    key, fmt = _format(format, path)
    if key in ("turtle", "ntriples") and graph is None:
        raise StoreError(f"a {key} file holds one graph: say which (graph=...)", path)
    try:
        quads = list(ox.parse(path=str(path), format=fmt))
        if graph is not None:
            g = ox.NamedNode(str(graph))
            quads = [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]
        return quads
    except SyntaxError as exc:
        raise StoreError(f"not valid {key}: {exc}", path) from None
    except OSError as exc:
        raise StoreError(f"cannot read: {exc.strerror or exc}", path) from None


# -- rdflib in memory ------------------------------------------------------------------------

class MemoryStore(Store):
    """rdflib's in-memory Dataset: for tests, notebooks and small work (its SPARQL is slow)."""

    joins_tables = False

    def __init__(self, *, read_only: bool = False):
        self.spec = MEMORY
        self.read_only = read_only
        self.ds: Dataset | None = Dataset(default_union=True)

    def _ds(self) -> Dataset:
        if self.ds is None:
            raise StoreError("the store is closed", self.spec)
        return self.ds

    def close(self) -> None:
        self.ds = None

    def __len__(self) -> int:
        return sum(1 for _ in self._ds().quads((None, None, None, None)))

    def _ctx(self, name: URIRef) -> Graph:
        return Graph(store=self._ds().store, identifier=name)

    def _replace(self, name: URIRef, triples: list[tuple]) -> None:
        try:  # check and canonicalize every term before touching the store, as Oxigraph does
            triples = as_stored(triples)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"cannot store graph {name}: {exc}", self.spec) from None
        ds = self._ds()
        ds.remove_graph(name)
        if triples:
            ctx = self._ctx(name)
            ds.addN((s, p, o, ctx) for s, p, o in triples)

    def _drop(self, name: URIRef) -> None:
        self._ds().remove_graph(name)

    def _graph_names(self) -> list[URIRef]:
        default = self._ds().default_graph.identifier
        return [c.identifier for c in self._ds().graphs()
                if c.identifier != default and isinstance(c.identifier, URIRef) and len(c)]

    def _triples(self, name: URIRef) -> Iterator[tuple]:
        return (q[:3] for q in self._ds().quads((None, None, None, name)))

    def get_value(self, item_iri: str | URIRef, predicate: URIRef) -> Node | None:
        s = URIRef(str(item_iri))
        for q in self._ds().quads((s, predicate, None, s)):
            return q[2]
        return None

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        init = {Variable(k): v for k, v in _bindings(bindings).items()}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own internals
                res = self._ds().query(sparql, initBindings=init)
                if res.type == "ASK":
                    return QueryResult(["ask"], [(Literal(bool(res.askAnswer)),)], "ask")
                if res.type in ("CONSTRUCT", "DESCRIBE"):
                    return QueryResult(["subject", "predicate", "object"], [tuple(t) for t in res], "construct")
                names = [str(v) for v in res.vars]
                return QueryResult(names, [tuple(row) for row in res])
        except Exception as exc:  # rdflib raises pyparsing and assorted errors for bad queries
            if isinstance(exc, StoreError):
                raise
            raise QueryError(f"SPARQL query failed: {exc}") from None

    def update(self, sparql: str) -> None:
        self._writable()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self._ds().update(sparql)
        except Exception as exc:
            raise QueryError(f"SPARQL update failed: {exc}") from None

    def _ox_quads(self) -> Iterator[Any]:
        default = self._ds().default_graph.identifier
        for s, p, o, c in self._ds().quads((None, None, None, None)):
            g = ox.DefaultGraph() if c is None or c == default else to_ox(c)
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)

    def export(self, target: str | os.PathLike | IO[bytes], format: str | None = None) -> None:
        _, fmt = _format(format, target, default="trig")
        if fmt not in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            raise StoreError("export writes a dataset: use trig or nquads", target)
        prefixes = _PREFIXES if fmt == ox.RdfFormat.TRIG else None
        quads = sorted(self._ox_quads(), key=lambda q: str(q.graph_name))  # TriG: one block per graph
        if isinstance(target, io.TextIOBase):
            target.write(ox.serialize(quads, format=fmt, prefixes=prefixes).decode("utf-8"))
            return
        ox.serialize(quads, str(target) if isinstance(target, (str, os.PathLike)) else target, fmt,
                     prefixes=prefixes)

    def import_file(self, path: str | os.PathLike, format: str | None = None, *,
                    graph: URIRef | None = None) -> int:
        self._writable()
        quads = _parse_file(path, format, graph)
        by_graph: dict[Any, list] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name, []).append(
                (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        ds = self._ds()
        for name, triples in by_graph.items():
            if isinstance(name, ox.DefaultGraph):
                ctx = ds.default_graph
                ds.addN((s, p, o, ctx) for s, p, o in as_stored(triples))
            else:
                self._replace(from_ox(name), triples)
        return len(quads)


# -- opening ---------------------------------------------------------------------------------

def open_store(spec: str | os.PathLike | Store | None = None, *, read_only: bool = False) -> Store:
    """Open the store named by ``spec``.

    * a folder path (default ``kg-store``): the Oxigraph store in it, created
      when the folder is missing or empty; ``read_only`` for readers (no lock,
      so several may read while nobody writes);
    * ``":memory:"``: a fresh in-memory rdflib store;
    * an ``http(s)://`` URL: a SPARQL 1.1 server (:class:`kg.sparql_store.SparqlStore`);
    * an open Store: returned as is.

    A path that is a file, or a folder holding anything but an Oxigraph
    store, is refused (StoreError) rather than written into.
    """
    if isinstance(spec, Store):
        return spec
    if spec is None:
        spec = DEFAULT_STORE
    text = os.fspath(spec)
    if text == MEMORY:
        return MemoryStore(read_only=read_only)
    if text.lower().startswith(("http://", "https://")):
        from kg.sparql_store import SparqlStore  # only when asked: it needs no more than urllib

        return SparqlStore(text, read_only=read_only)
    path = Path(text).expanduser()
    if path.exists():
        if not path.is_dir():
            raise StoreError("not a store: this is a file (a store is a folder)", path)
        entries = set(os.listdir(path))
        if entries and not all(m in entries for m in _OXIGRAPH_MARKERS):
            raise StoreError("not a store: the folder holds other files (give a new or empty folder)", path)
        if not entries and read_only:
            raise StoreError("no store here (the folder is empty)", path)
    elif read_only:
        raise StoreError("no store here", path)
    else:
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder: {exc.strerror or exc}", path) from None
    return OxigraphStore(path, read_only=read_only)
