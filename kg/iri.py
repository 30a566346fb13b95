"""Deterministic IRIs for everything the project mints.

The same input always gives the same IRI: registry actors by their key,
other actors by a normalized form of their name, type and country, so that
one actor named in two items is one node. Nothing here is random or depends
on the run.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import Namespace, URIRef

from kg.normalize import name_words
from kg.schema import load_schema

_SCHEMA = load_schema()
ID = Namespace(_SCHEMA.resource_base)
LMG = _SCHEMA.ns("lmg")
ORG = _SCHEMA.ns("org")
FOAF = _SCHEMA.ns("foaf")
PROV = _SCHEMA.ns("prov")
SKOS = _SCHEMA.ns("skos")
SDO = _SCHEMA.ns("schema")
DCTERMS = _SCHEMA.ns("dcterms")
OA = _SCHEMA.ns("oa")
TOPIC = Namespace(_SCHEMA.topic_base)

REGISTRY_GRAPH = URIRef(ID + "graph/registry")
ONTOLOGY_GRAPH = URIRef(ID + "graph/ontology")

_UNSAFE = re.compile(r"[^\w\-.~]+", re.UNICODE)


def slug(text: str) -> str:
    """A readable, IRI-safe slug: folded name words joined by '-'.

    Arabic letters stay Arabic (IRIs are Unicode); anything that is not a
    letter, digit, '-', '.', '_' or '~' is dropped.
    """
    words = [_UNSAFE.sub("", w) for w in name_words(text)]
    s = "-".join(w for w in words if w)
    return s[:120].strip("-") or "x"


def _safe(part: str) -> str:
    return quote(part, safe="-._~")


def item_iri(item_id: str) -> URIRef:
    """The news item; also the name of the graph that holds what it asserts."""
    return URIRef(f"{ID}item/{_safe(item_id)}")


def registry_iri(entity_type: str, key: str) -> URIRef:
    """A registry entry (organization or place) by its stable key."""
    return URIRef(f"{ID}{_SCHEMA.entity_types[entity_type].iri_prefix}/{_safe(key)}")


def country_iri(code: str) -> URIRef:
    return registry_iri("Place", code.upper())


def minted_iri(entity_type: str, name: str, kind: str | None = None, country: str | None = None,
               scope: str | None = None) -> URIRef:
    """An entity that the registry does not hold.

    Organizations and places are identified by kind, name and country;
    persons and projects by name (and country when known); events, which
    rarely recur by name, also by ``scope`` (the item id or a date) so two
    workshops of the same name in different items stay apart.
    """
    parts = [slug(name)]
    if entity_type in ("Organization", "Place", "Event") and kind:
        parts.insert(0, kind.lower())
    if country:
        parts.append(country.lower())
    if scope:
        parts.append(_UNSAFE.sub("-", scope).strip("-").lower())
    return URIRef(f"{ID}{_SCHEMA.entity_types[entity_type].iri_prefix}/{'--'.join(parts)}")


def post_iri(org: URIRef, role: str) -> URIRef:
    """The post ``role`` in organization ``org`` (one node per org and role)."""
    org_part = str(org).rsplit("/", 1)[-1]
    return URIRef(f"{ID}post/{org_part}/{slug(role)}")


def topic_iri(key: str) -> URIRef:
    return URIRef(f"{TOPIC}{_safe(key)}")
