"""The record schema, read from ``ontology/schema.yaml``.

The schema is data: entity types, kinds, relation types, their RDF terms and
allowed endpoints live in the YAML file, and this module is the one place
that reads it. Adding a kind or a relation type needs no code change.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from rdflib import Namespace, URIRef

from kg.resources import ontology_path


class _CachedNamespace(Namespace):
    """A Namespace that makes each term once: ``LMG.Mention`` is looked up
    hundreds of times per item, and rdflib builds and checks a new URIRef
    on every attribute access."""

    def term(self, name: str) -> URIRef:
        cache = _TERMS.setdefault(str(self), {})
        t = cache.get(name)
        if t is None:
            t = cache[name] = super().term(name)
        return t


_TERMS: dict[str, dict[str, URIRef]] = {}


@dataclass(frozen=True)
class EntityType:
    name: str
    rdf_class: URIRef
    iri_prefix: str
    kinds: dict[str, URIRef]


@dataclass(frozen=True)
class RelationType:
    name: str
    subject_types: tuple[str, ...]
    object_types: tuple[str, ...]
    predicate: URIRef
    direction: str  # forward | inverse | symmetric | post
    iati_role: int | None = None


@dataclass(frozen=True)
class Schema:
    prefixes: dict[str, str]
    resource_base: str
    topic_base: str
    entity_types: dict[str, EntityType]
    relations: dict[str, RelationType]
    actor_types: tuple[str, ...]
    core_topics: tuple[str, ...]

    def expand(self, curie: str) -> URIRef:
        """``lmg:Project`` -> full IRI, using the schema's prefixes."""
        prefix, _, local = curie.partition(":")
        if prefix not in self.prefixes:
            raise ValueError(f"unknown prefix in {curie!r}")
        return URIRef(self.prefixes[prefix] + local)

    def ns(self, prefix: str) -> Namespace:
        return _CachedNamespace(self.prefixes[prefix])

    def class_of(self, type_: str, kind: str | None = None) -> URIRef:
        """The most specific RDF class for an entity type and optional kind."""
        et = self.entity_types[type_]
        return et.kinds.get(kind, et.rdf_class) if kind else et.rdf_class

    def kind_of_class(self, rdf_class: URIRef) -> tuple[str, str | None] | None:
        """Inverse of :meth:`class_of`: (type, kind) of an RDF class, or None."""
        for et in self.entity_types.values():
            if rdf_class == et.rdf_class:
                return et.name, None
            for kind, cls in et.kinds.items():
                if cls == rdf_class:
                    return et.name, kind
        return None


@cache
def load_schema() -> Schema:
    """The project schema (cached: it is read once per process)."""
    with ontology_path("schema.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    prefixes = raw["prefixes"]

    def expand(curie: str) -> URIRef:
        prefix, _, local = curie.partition(":")
        return URIRef(prefixes[prefix] + local)

    entity_types = {
        name: EntityType(
            name=name,
            rdf_class=expand(spec["class"]),
            iri_prefix=spec["iri_prefix"],
            kinds={k: expand(v) for k, v in (spec.get("kinds") or {}).items()},
        )
        for name, spec in raw["entity_types"].items()
    }
    relations = {
        name: RelationType(
            name=name,
            subject_types=tuple(spec["subject"]),
            object_types=tuple(spec["object"]),
            predicate=expand(spec["predicate"]),
            direction=spec["direction"],
            iati_role=spec.get("iati_role"),
        )
        for name, spec in raw["relations"].items()
    }
    return Schema(
        prefixes=prefixes,
        resource_base=raw["resource_base"],
        topic_base=raw["topic_base"],
        entity_types=entity_types,
        relations=relations,
        actor_types=tuple(raw["actor_types"]),
        core_topics=tuple(raw["core_topics"]),
    )
