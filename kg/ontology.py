"""The ontology, topic scheme and SHACL shapes as rdflib graphs.

They are parsed once per process (cached) because mapping checks topic keys
for every record and validation needs the shapes for every item. The cached
graphs are shared: callers that want to modify one must copy it first
(``g = Graph(); g += load_ontology()``).

Nothing here resolves ``owl:imports`` or touches the network: the axioms of
the reused vocabularies that validation relies on are restated in lmg.ttl.
"""
from __future__ import annotations

from functools import cache

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from kg.iri import ONTOLOGY_GRAPH, TOPIC
from kg.resources import ontology_path

ONTOLOGY_FILE = "lmg.ttl"
TOPICS_FILE = "topics.ttl"
SHAPES_FILE = "shapes.ttl"
TOPIC_SCHEME = URIRef(str(TOPIC))


def _parse(filename: str, identifier: URIRef | None = None) -> Graph:
    g = Graph(identifier=identifier)
    g.parse(ontology_path(filename), format="turtle")
    return g


@cache
def load_ontology() -> Graph:
    """lmg.ttl and topics.ttl as one graph named ``id:graph/ontology`` (what the store holds)."""
    g = _parse(ONTOLOGY_FILE, ONTOLOGY_GRAPH)
    g.parse(ontology_path(TOPICS_FILE), format="turtle")
    return g


@cache
def load_lmg() -> Graph:
    """lmg.ttl alone: the class and property axioms, without the topic scheme.

    Validation mixes this small graph into every item's data graph, so it is
    kept apart from the topics, which validation copies only as referenced.
    """
    return _parse(ONTOLOGY_FILE)


@cache
def load_topics() -> Graph:
    """topics.ttl alone: the SKOS concept scheme of migration-governance topics."""
    return _parse(TOPICS_FILE)


@cache
def load_shapes() -> Graph:
    """The SHACL shapes of ontology/shapes.ttl."""
    return _parse(SHAPES_FILE)


@cache
def topic_keys() -> frozenset[str]:
    """Keys (last IRI segment) of every concept of the topic scheme, GCM objectives included."""
    base = str(TOPIC)
    return frozenset(
        str(c)[len(base):]
        for c in load_topics().subjects(RDF.type, SKOS.Concept)
        if isinstance(c, URIRef) and str(c).startswith(base)
    )
