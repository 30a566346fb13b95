"""Record -> RDF: the named graph of one news item, exactly as docs/model.md says.

Mapping is a pure function of the record, the registry and the item text, so
the same input always gives the same triples: no blank nodes, every node an
IRI minted from stable keys (``kg.iri``), mention, statement and quotation
nodes numbered in record order. That makes re-ingest idempotent and lets
tests compare graphs triple by triple.

How an entity gets its IRI (the first rule that applies):

1. ``entity.registry`` (a key the extractor or curator resolved) ->
   the registry IRI. With a registry given, an unknown key is a RecordError.
2. A registry is given and ``registry.resolve`` finds the entity by its name
   or one of its mentions (organizations and places only) -> the registry IRI.
3. A country (``Place`` of kind ``Country`` with a code) -> ``id:place/{CC}``.
4. Otherwise a minted IRI (``kg.iri.minted_iri``): organizations, places,
   persons and projects by kind, name and country, so the same actor met in
   two items is one node. Events are scoped by the item id, because records
   carry no event date and two "training workshops" of the same name in
   different items are, as a rule, different events; an event reported by
   two items therefore yields two nodes (join them with a curated record).

Registry nodes get only their types in the item graph; their labels, parents
and country live in the registry graph. Other nodes also get
``rdfs:label``/``skos:prefLabel`` and ``lmg:country``.

Two things the model leaves open are decided here: a relation whose two ends
become the same node writes no direct triple (a node is not part of, or a
partner of, itself) but keeps its statement node as evidence; and funds and
implements statements carry ``lmg:iatiRole`` 1 and 4 (IATI organisation roles)
from ``ontology/schema.yaml``.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Protocol

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.errors import RecordError
from kg.iri import (DCTERMS, LMG, OA, ORG, PROV, SDO, SKOS, country_iri, item_iri, minted_iri, post_iri,
                    registry_iri, topic_iri)
from kg.normalize import is_arabic
from kg.ontology import topic_keys
from kg.record import Entity, Mention, Quote, Record, Relation
from kg.schema import load_schema

ORIGINS = ("extracted", "curated")
DEFAULT_ROLE = "Member"
_SCHEMA = load_schema()
_PREFIXES = {p: ns for p, ns in _SCHEMA.prefixes.items() if p != "sh"}
_URL_UNSAFE = {c: f"%{ord(c):02X}" for c in ' <>"{}|\\^`'}


class RegistryLike(Protocol):
    """What mapping needs of ``kg.registry.Registry`` (see docs/CONTRACTS.md)."""

    orgs: dict
    places: dict

    def iri(self, key: str) -> URIRef: ...

    def resolve(self, name: str, type: str = "Organization", kind: str | None = None,
                country: str | None = None) -> str | None: ...


def record_to_graph(record: Record, registry: RegistryLike | None = None, *, origin: str = "curated",
                    text: str | None = None) -> Graph:
    """The named graph (identifier = item IRI) of what ``record`` asserts.

    ``origin`` ("extracted" or "curated") is recorded as ``lmg:recordOrigin``.
    ``text``, the item's text, is optional: with it, mention offsets are
    checked against the text, mentions and evidence given without offsets
    are anchored at their first occurrence, and the content hash covers it.
    """
    g = bind_prefixes(Graph(identifier=item_iri(record.item.id), bind_namespaces="core"))
    for t in record_to_triples(record, registry, origin=origin, text=text):
        g.add(t)
    return g


def record_to_triples(record: Record, registry: RegistryLike | None = None, *, origin: str = "curated",
                      text: str | None = None, digest: str | None = None) -> list[tuple]:
    """The triples of :func:`record_to_graph`, in the order they are made, without
    building an rdflib graph (what ingest uses: its workers only serialize them).
    ``digest`` replaces the content hash (:func:`content_hash`) stored as
    ``lmg:contentHash``: ingest stores its own, which also covers the pipeline."""
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {', '.join(ORIGINS)}, got {origin!r}")
    item_id = record.item.id
    unknown = [t for t in record.topics if t not in topic_keys()]
    if unknown:
        raise RecordError(f"item {item_id!r}: unknown topic {', '.join(map(repr, unknown))} "
                          f"(not a key of the topic scheme ontology/topics.ttl)")
    return _Mapper(record, registry, origin, text, digest).run()


def content_hash(record: Record, text: str | None = None) -> str:
    """SHA-256 (hex) of the record's canonical JSON and the item text.

    Ingest compares it with the ``lmg:contentHash`` stored for the item to
    skip items whose graph is current. It does not cover the registry: after
    a registry change, re-map everything.
    """
    h = hashlib.sha256(json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True,
                                  separators=(",", ":")).encode("utf-8"))
    if text is not None:
        h.update(b"\x00")
        h.update(text.encode("utf-8"))
    return h.hexdigest()


def lang_of(text: str) -> str:
    """The language tag of a label: ``ar`` when most letters are Arabic, else ``en``."""
    return "ar" if is_arabic(text) else "en"


def bind_prefixes(g: Graph) -> Graph:
    """Bind the project prefixes (and ``id:``/``topic:``) for readable serializations."""
    for prefix, ns in _PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    g.bind("id", _SCHEMA.resource_base)
    g.bind("topic", _SCHEMA.topic_base)
    return g


class _Mapper:
    """One mapping run; holds the IRIs assigned to the record's entities."""

    def __init__(self, record: Record, registry: RegistryLike | None, origin: str, text: str | None,
                 digest: str | None = None):
        self.record = record
        self.digest = digest
        self.registry = registry
        self.origin = origin
        self.text = text
        self.item = item_iri(record.item.id)
        self.triples: dict[tuple, None] = {}  # an ordered set
        self.iris: dict[str, URIRef] = {}
        self.in_registry: dict[str, bool] = {}
        self.kinds: dict[str, str | None] = {}

    def fail(self, message: str) -> RecordError:
        return RecordError(f"item {self.record.item.id!r}: {message}")

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.triples[(s, p, o)] = None

    def local(self, name: str) -> URIRef:
        """A node that belongs to this item (mention, statement, selector): ``id:item/X#name``."""
        return URIRef(f"{self.item}#{name}")

    # -- the run -------------------------------------------------------------
    def run(self) -> list[tuple]:
        for e in self.record.entities:
            self.iris[e.id], self.in_registry[e.id], self.kinds[e.id] = self.entity_iri(e)
        self.map_item()
        counter = 0
        for e in self.record.entities:
            counter = self.map_entity(e, counter)
        for n, r in enumerate(self.record.relations, 1):
            self.map_relation(n, r)
        for n, q in enumerate(self.record.quotes, 1):
            self.map_quote(n, q)
        self.map_counts()
        return list(self.triples)

    # -- entities ------------------------------------------------------------
    def entity_iri(self, e: Entity) -> tuple[URIRef, bool, str | None]:
        """(IRI, is a registry node, kind to type it with); see the module docstring."""
        reg = self.registry
        key = e.registry
        if key is not None:
            if reg is None:
                return registry_iri(e.type, key), True, e.kind
            entry = _registry_entry(reg, key)
            if entry is None:
                raise self.fail(f"entity {e.id!r}: registry key {key!r} is not in the registry")
            return reg.iri(key), True, _entry_kind(entry, e.kind)
        if reg is not None and e.type in ("Organization", "Place"):
            for name in _dedupe([e.name, *(m.text for m in e.mentions)]):
                key = reg.resolve(name, type=e.type, kind=e.kind, country=e.country)
                if key:
                    return reg.iri(key), True, _entry_kind(_registry_entry(reg, key), e.kind)
        if e.type == "Place" and e.kind == "Country" and e.country:
            return country_iri(e.country), False, e.kind
        scope = self.record.item.id if e.type == "Event" else None
        kind = e.kind if e.type in ("Organization", "Place", "Event") else None
        return minted_iri(e.type, e.name, kind, e.country, scope=scope), False, e.kind

    def map_entity(self, e: Entity, counter: int) -> int:
        node = self.iris[e.id]
        et = _SCHEMA.entity_types[e.type]
        self.add(node, RDF.type, et.rdf_class)
        kind = self.kinds[e.id]
        if kind and kind in et.kinds:
            self.add(node, RDF.type, et.kinds[kind])
        if e.type == "Project":
            self.add(node, RDF.type, PROV.Activity)
        if not self.in_registry[e.id]:
            label = Literal(e.name, lang=lang_of(e.name))
            self.add(node, RDFS.label, label)
            self.add(node, SKOS.prefLabel, label)
            if e.country:
                country = country_iri(e.country)
                if country != node:
                    self.add(node, LMG.country, country)
                    if e.type == "Place":
                        self.add(node, SDO.containedInPlace, country)
        self.add(self.item, SDO.mentions, node)
        for m in e.mentions:
            counter += 1
            self.map_mention(f"m{counter}", node, m, f"entity {e.id!r}")
        return counter

    def map_mention(self, name: str, node: URIRef, m: Mention, what: str) -> None:
        mention = self.local(name)
        self.add(mention, RDF.type, LMG.Mention)
        self.add(mention, LMG.refersTo, node)
        self.words(mention, m.text, m.start, m.end, what)

    def words(self, node: URIRef, exact: str, start: int | None, end: int | None, what: str,
              predicate: URIRef = OA.exact) -> None:
        """The words of the item on the node itself (``oa:exact``; a quotation's
        ``schema:text``), plus ``oa:start``/``oa:end`` when the span is known or
        found in the text: one node per span, not a chain of selectors."""
        self.add(node, predicate, Literal(exact))
        span = self.span(exact, start, end, what)
        if span is not None:
            self.add(node, OA.start, Literal(span[0], datatype=XSD.integer))
            self.add(node, OA.end, Literal(span[1], datatype=XSD.integer))

    def span(self, exact: str, start: Any, end: Any, what: str) -> tuple[int, int] | None:
        if start is None and end is None:
            if self.text is None:
                return None
            found = self.text.find(exact)
            return (found, found + len(exact)) if found >= 0 else None
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) or not 0 <= start <= end:
            raise self.fail(f"{what}: {exact!r} has bad offsets start={start!r} end={end!r}")
        if self.text is not None and self.text[start:end] != exact:
            raise self.fail(f"{what}: {exact!r} is not the text at offsets {start}-{end}")
        return start, end

    # -- item ------------------------------------------------------------------
    def map_item(self) -> None:
        it, node = self.record.item, self.item
        self.add(node, RDF.type, SDO.NewsArticle)
        self.add(node, RDF.type, PROV.Entity)
        self.add(node, DCTERMS.identifier, Literal(it.id))
        if it.title:
            lang = "ar" if is_arabic(it.title) else (it.lang if it.lang and it.lang != "ar" else "en")
            self.add(node, SDO.headline, Literal(it.title, lang=lang))
        if it.url:
            self.add(node, SDO.url, URIRef(it.url.strip().translate(str.maketrans(_URL_UNSAFE))))
        if it.published:
            self.add(node, SDO.datePublished, Literal(it.published, datatype=XSD.date))
        if it.lang:
            self.add(node, DCTERMS.language, Literal(it.lang))
        if it.source:
            self.add(node, DCTERMS.source, Literal(it.source))
        for t in self.record.topics:
            self.add(node, DCTERMS.subject, topic_iri(t))
        self.add(node, LMG.recordOrigin, Literal(self.origin))
        self.add(node, LMG.contentHash, Literal(self.digest or content_hash(self.record, self.text)))

    def map_counts(self) -> None:
        """What the finished graph holds, counted on the item node so that listings
        (``queries/items.rq``) read three values instead of counting every item's nodes.
        Counted from the triples written, not from the record, so they cannot disagree
        with the graph (two entities that became one node are one)."""
        item, mentions, a = self.item, SDO.mentions, RDF.type
        entities = {o for s, p, o in self.triples if p == mentions and s == item}
        statements = {s for s, p, o in self.triples if p == a and o == LMG.Statement}
        quotations = {s for s, p, o in self.triples if p == a and o == LMG.Quotation}
        for prop, nodes in ((LMG.entityCount, entities), (LMG.statementCount, statements),
                            (LMG.quotationCount, quotations)):
            self.add(item, prop, Literal(len(nodes), datatype=XSD.integer))

    # -- relations -------------------------------------------------------------
    def map_relation(self, n: int, r: Relation) -> None:
        spec = _SCHEMA.relations[r.type]
        s, o, p = self.iris[r.subject], self.iris[r.object], spec.predicate
        role = None
        if spec.direction == "post":
            role = r.role or DEFAULT_ROLE
            post = post_iri(o, role)
            label = Literal(role, lang=lang_of(role))
            self.add(s, p, post)
            self.add(post, RDF.type, ORG.Post)
            self.add(post, ORG.postIn, o)
            self.add(post, RDFS.label, label)
            self.add(post, SKOS.prefLabel, label)
        elif s != o:
            if spec.direction in ("forward", "symmetric"):
                self.add(s, p, o)
            if spec.direction in ("inverse", "symmetric"):
                self.add(o, p, s)
        st = self.local(f"r{n}")
        self.add(st, RDF.type, LMG.Statement)
        self.add(st, LMG.relationType, Literal(r.type))
        self.add(st, LMG.statementSubject, s)
        self.add(st, LMG.statementObject, o)
        if role is not None:
            self.add(st, LMG.role, Literal(role))
        if spec.iati_role is not None:
            self.add(st, LMG.iatiRole, Literal(int(spec.iati_role)))
        if r.evidence is not None:
            ev = r.evidence
            self.words(st, ev.text, ev.start, ev.end, f"evidence of {r.type} {r.subject}->{r.object}")

    # -- quotes ----------------------------------------------------------------
    def map_quote(self, n: int, q: Quote) -> None:
        node = self.local(f"q{n}")
        self.add(node, RDF.type, LMG.Quotation)
        self.add(node, LMG.speaker, self.iris[q.speaker])
        self.words(node, q.text, q.start, q.end, f"quote {n} of {q.speaker!r}", SDO.text)


# -- registry access (duck-typed on the kg.registry contract) -----------------

def _registry_entry(registry: Any, key: str) -> Any | None:
    for table in ("orgs", "places"):
        entries = getattr(registry, table, None)
        if entries and key in entries:
            return entries[key]
    return None


def _entry_kind(entry: Any, fallback: str | None) -> str | None:
    """The registry's kind wins over the record's: the registry is curated, and
    one node typed with two kinds would be counted twice by kind."""
    return getattr(entry, "kind", None) or fallback


def _dedupe(names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for n in names:
        if n and n not in seen:
            seen[n] = None
    return list(seen)
