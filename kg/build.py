"""The main job: news files and records in, a validated, stored graph out.

``build`` is :func:`kg.ingest.ingest` over the given paths plus a summary read
back from the store by SPARQL (what ``stats`` prints too). A ``NAME.gold.json``
next to ``NAME.txt`` is evaluation gold, not input: the text is extracted,
and only ``curated`` records replace extraction.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from kg.ingest import IngestSummary, ingest, iter_input_files

_PREFIXES = """PREFIX lmg: <https://w3id.org/levant-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
"""

_STATS = {
    "items": "SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE { GRAPH ?item { ?item a schema:NewsArticle } }",
    "actors_by_kind": """SELECT ?kind (COUNT(DISTINCT ?a) AS ?n) WHERE {
        GRAPH ?item { ?a lmg:mentionedIn ?item }
        { ?a a org:Organization . OPTIONAL { ?a a ?k . FILTER(?k != org:Organization) } BIND(COALESCE(?k, org:Organization) AS ?c) }
        UNION { ?a a foaf:Person . BIND(foaf:Person AS ?c) }
        BIND(REPLACE(STR(?c), "^.*[#/]", "") AS ?kind)
    } GROUP BY ?kind ORDER BY DESC(?n) ?kind""",
    "relations_by_type": """SELECT ?type (COUNT(?s) AS ?n) WHERE {
        GRAPH ?item { ?s a lmg:Statement ; lmg:relationType ?type }
    } GROUP BY ?type ORDER BY DESC(?n) ?type""",
}


@dataclass
class BuildSummary:
    """What a build did, and what the store now holds."""

    ingest: IngestSummary
    items: int = 0
    actors_by_kind: list[dict[str, Any]] = field(default_factory=list)
    relations_by_type: list[dict[str, Any]] = field(default_factory=list)

    @property
    def violations(self) -> int:
        return self.ingest.invalid

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        """Named tables for :func:`kg.output.render_sections`."""
        run = self.ingest
        return {
            "build": [{"items met": run.items, "stored": run.stored, "unchanged": run.unchanged,
                       "skipped": run.skipped, "violations": run.invalid,
                       "items in store": self.items, "seconds": round(run.seconds, 2)}],
            "actors by kind": self.actors_by_kind,
            "relations by type": self.relations_by_type,
            "skipped": [p.to_dict() for p in run.problems],
        }


def stats(store: Any) -> dict[str, Any]:
    """Items, actors by kind and relations by type in ``store``, by SPARQL."""
    out: dict[str, Any] = {}
    for name, q in _STATS.items():
        rows = store.query(_PREFIXES + q).rows
        if name == "items":
            out[name] = int(rows[0][0]) if rows and rows[0][0] is not None else 0
        else:
            key = "kind" if name == "actors_by_kind" else "type"
            out[name] = [{key: str(r[0]), "count": int(r[1])} for r in rows]
    return out


def input_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files a build reads under ``paths``: gold records that sit next to
    their text (``NAME.gold.json`` beside ``NAME.txt``) are left out."""
    files = iter_input_files(list(paths))
    stems = {(f.parent, f.name[: -len(f.suffix)]) for f in files if not f.name.endswith(".json")}
    return [f for f in files
            if not (f.name.endswith(".gold.json") and (f.parent, f.name[: -len(".gold.json")]) in stems)]


def build(paths: Iterable[str | os.PathLike], store: Any, *, curated: Any = None, validate: bool = True,
          registry: Any = None, progress: bool = False, report: Any = None, workers: int = 1,
          force: bool = False) -> BuildSummary:
    """Extract, map, validate and store the items under ``paths``; resumable
    and idempotent (see :func:`kg.ingest.ingest`)."""
    run = ingest(input_files(paths), store, curated=curated, validate=validate, registry=registry,
                 progress=progress, report=report, workers=workers, force=force)
    return BuildSummary(ingest=run, **stats(store))


def add(paths: Iterable[str | os.PathLike], store: Any, *, curated: Any = None, validate: bool = True,
        registry: Any = None) -> BuildSummary:
    """Add or replace a few items; the same as :func:`build`, for a handful of files."""
    return build(paths, store, curated=curated, validate=validate, registry=registry)
