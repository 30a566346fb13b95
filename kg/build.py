"""The main job: folders or files of news items and records in, a validated, stored graph out.

``build(paths, store)`` decides what to take from the inputs, runs the
batch ingest (:func:`kg.ingest.ingest`: read -> extract or take the curated
record -> map -> validate -> store, one atomic write per item, resumable)
and summarizes the store with SPARQL (:func:`stats`), so the numbers it
prints are the ones ``levant-kg stats`` prints later.

What is taken from the inputs:

* News items (``NAME.txt``, and whatever else :mod:`kg.readers` reads) are
  extracted (:func:`kg.extract.extract`). A curated record for the same
  item (``curated=DIR``, matched by item id or by ``NAME``) replaces the
  extraction.
* A record beside its text (``NAME.gold.json`` or ``NAME.json`` next to
  ``NAME.txt``) is the item's evaluation gold, not a curated record: it is
  not used. Give it with ``curated`` to make
  it the item's record.
* Records without a text (``NAME.json``, ``NAME.gold.json``) are items of
  their own (origin "curated").

A malformed record, an unreadable file or an item that fails is reported
with its file and reason (``BuildSummary.problems``) and the batch goes on.
Items whose graphs break the SHACL shapes are reported and, unless
``keep_invalid``, not stored.
"""
from __future__ import annotations

import os
import sys
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from kg.errors import KGError, RecordError
from kg.ingest import Problem
from kg.iri import REGISTRY_GRAPH
from kg.schema import load_schema

__all__ = ["build", "add", "stats", "BuildSummary", "Stats", "Problem"]

_SCHEMA = load_schema()
_ORG, _PERSON = _SCHEMA.entity_types["Organization"], _SCHEMA.entity_types["Person"]
_RECORD_SUFFIXES = (".gold.json", ".json")
_REGISTRY_GRAPH_IRI = str(REGISTRY_GRAPH)


# -- statistics (SPARQL over the store) ----------------------------------------------

_PREFIXES = """PREFIX lmg: <https://w3id.org/levant-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_Q_ITEMS = _PREFIXES + """
SELECT (COUNT(DISTINCT ?item) AS ?items) WHERE { GRAPH ?item { ?item a schema:NewsArticle } }"""

_Q_DATES = _PREFIXES + """
SELECT (COUNT(DISTINCT ?item) AS ?dated) (MIN(?d) AS ?first) (MAX(?d) AS ?last)
WHERE { GRAPH ?item { ?item a schema:NewsArticle ; schema:datePublished ?d } }"""

def _q_items_by(column: str, predicate: str) -> str:
    """Items counted by the value of one of their properties ("unknown" when absent)."""
    return _PREFIXES + f"""
SELECT ?{column} (COUNT(DISTINCT ?item) AS ?items) WHERE {{
  GRAPH ?item {{ ?item a schema:NewsArticle }}
  OPTIONAL {{ GRAPH ?item {{ ?item {predicate} ?v }} }}
  BIND(COALESCE(STR(?v), "unknown") AS ?{column})
}} GROUP BY ?{column} ORDER BY DESC(?items) ?{column}"""


_Q_LANGS = _q_items_by("lang", "dcterms:language")
_Q_ORIGINS = _q_items_by("origin", "lmg:recordOrigin")

# The counts below read each class and predicate once, as a table joined to the set of
# item graphs (a hash join), rather than looking up every mention: at 100k items the
# three took 73 s written as lookups and take 10 s (bench/README.md). Classes and
# kinds come from ontology/schema.yaml. An entity typed in an item graph is mentioned
# there (kg.mapping types and mentions every entity it maps).
_ITEMS_TABLE = "{ SELECT ?item WHERE { GRAPH ?item { ?item a schema:NewsArticle } } }"


def _kinds_by_tables() -> str:
    """Actors by kind: persons, each kind of organization, and organizations typed
    without a kind in some item ("Organization"); how many are registry entries."""
    kinds = " ".join(f'(<{c}> "{k}")' for k, c in _ORG.kinds.items())
    kind_classes = " ".join(f"<{c}>" for c in _ORG.kinds.values())
    return _PREFIXES + f"""
SELECT ?kind (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(DISTINCT ?reg) AS ?in_registry) WHERE {{
  {{ SELECT DISTINCT ?kind ?actor WHERE {{
      {{ VALUES (?cls ?kind) {{ (<{_PERSON.rdf_class}> "Person") {kinds} }}
        GRAPH ?item {{ ?actor a ?cls }} }}
      UNION
      {{ GRAPH ?item {{ ?actor a <{_ORG.rdf_class}> }}
        MINUS {{ VALUES ?k {{ {kind_classes} }} GRAPH ?item {{ ?actor a ?k }} }}
        BIND("Organization" AS ?kind) }}
      {_ITEMS_TABLE}
  }} }}
  OPTIONAL {{ SELECT ?actor ?reg WHERE {{ GRAPH <{_REGISTRY_GRAPH_IRI}> {{ ?actor lmg:registryKey ?key }}
                                         BIND(?actor AS ?reg) }} }}
}} GROUP BY ?kind ORDER BY DESC(?actors) ?kind"""


# each entity type's class with its name, for the counts by type in either form
_TYPE_CLASSES = " ".join(f'(<{et.rdf_class}> "{name}")' for name, et in _SCHEMA.entity_types.items())

_Q_KINDS = _kinds_by_tables()
# entities named in items, by entity type
_Q_TYPES = _PREFIXES + f"""
SELECT ?type (COUNT(DISTINCT ?e) AS ?entities) WHERE {{
  VALUES (?cls ?type) {{ {_TYPE_CLASSES} }}
  GRAPH ?item {{ ?e a ?cls }}
  {_ITEMS_TABLE}
}} GROUP BY ?type ORDER BY DESC(?entities) ?type"""

# The same counts joined by patterns, for engines that join tables row by row (rdflib,
# Store.joins_tables); tests keep the two forms equal.
_TOPS = f"<{_ORG.rdf_class}>, <{_PERSON.rdf_class}>"
_Q_KINDS_BY_PATTERNS = _PREFIXES + f"""
SELECT ?kind (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(DISTINCT ?reg) AS ?in_registry) WHERE {{
  GRAPH ?item {{ ?item schema:mentions ?actor . ?actor a ?top . FILTER(?top IN ({_TOPS})) }}
  OPTIONAL {{ GRAPH ?item {{ ?actor a ?cls FILTER(?cls NOT IN ({_TOPS})) }} }}
  OPTIONAL {{ GRAPH <{_REGISTRY_GRAPH_IRI}> {{ ?actor lmg:registryKey ?key }} BIND(?actor AS ?reg) }}
  BIND(IF(?top = <{_PERSON.rdf_class}>, "Person", COALESCE(STRAFTER(STR(?cls), "#"), "Organization")) AS ?kind)
}} GROUP BY ?kind ORDER BY DESC(?actors) ?kind"""

_Q_TYPES_BY_PATTERNS = _PREFIXES + f"""
SELECT ?type (COUNT(DISTINCT ?e) AS ?entities) WHERE {{
  GRAPH ?item {{ ?item schema:mentions ?e . ?e a ?cls }}
  VALUES (?cls ?type) {{ {_TYPE_CLASSES} }}
}} GROUP BY ?type ORDER BY DESC(?entities) ?type"""

_Q_RELATIONS_BY_PATTERNS = _PREFIXES + """
SELECT ?relation (COUNT(DISTINCT ?st) AS ?statements) (COUNT(DISTINCT ?pair) AS ?relations)
       (COUNT(DISTINCT ?item) AS ?items) WHERE {
  GRAPH ?item { ?st a lmg:Statement ; lmg:relationType ?t ; lmg:statementSubject ?s ; lmg:statementObject ?o }
  BIND(STR(?t) AS ?relation)
  BIND(CONCAT(STR(?s), " ", STR(?o)) AS ?pair)
} GROUP BY ?relation ORDER BY DESC(?statements) ?relation"""

# relation statements by type: statements and items, then distinct (subject, object) pairs
_Q_STATEMENTS = _PREFIXES + """
SELECT ?relation (COUNT(?st) AS ?statements) (COUNT(DISTINCT ?item) AS ?items) WHERE {
  GRAPH ?item { ?st lmg:relationType ?t }
  BIND(STR(?t) AS ?relation)
} GROUP BY ?relation"""

_Q_PAIRS = _PREFIXES + """
SELECT ?relation (COUNT(*) AS ?relations) WHERE {
  { SELECT DISTINCT ?t ?s ?o WHERE {
      { SELECT ?st ?t WHERE { GRAPH ?item { ?st lmg:relationType ?t } } }
      { SELECT ?st ?s WHERE { GRAPH ?item { ?st lmg:statementSubject ?s } } }
      { SELECT ?st ?o WHERE { GRAPH ?item { ?st lmg:statementObject ?o } } }
  } }
  BIND(STR(?t) AS ?relation)
} GROUP BY ?relation"""

_Q_REGISTRY = _PREFIXES + """
SELECT (COUNT(DISTINCT ?o) AS ?organizations) (COUNT(DISTINCT ?p) AS ?places) WHERE {
  GRAPH <""" + _REGISTRY_GRAPH_IRI + """> { ?x lmg:registryKey ?k }
  OPTIONAL { GRAPH <""" + _REGISTRY_GRAPH_IRI + """> { ?x a org:Organization } BIND(?x AS ?o) }
  OPTIONAL { GRAPH <""" + _REGISTRY_GRAPH_IRI + """> { ?x a schema:Place } BIND(?x AS ?p) }
}"""


def _relations_by_type(store: Any) -> list[dict[str, Any]]:
    relations = {r["relation"]: {**r, "relations": 0} for r in _rows(store, _Q_STATEMENTS)}
    for r in _rows(store, _Q_PAIRS):
        relations[r["relation"]]["relations"] = r["relations"]
    return [{k: r[k] for k in ("relation", "statements", "relations", "items")}
            for r in sorted(relations.values(), key=lambda r: (-r["statements"], r["relation"]))]


def _py(term: Any) -> Any:
    if term is None:
        return None
    v = term.toPython() if hasattr(term, "toPython") else term
    return str(v) if hasattr(v, "n3") else v


def _rows(store: Any, sparql: str) -> list[dict[str, Any]]:
    res = store.query(sparql)
    return [{v: _py(t) for v, t in zip(res.vars, row)} for row in res.rows]


@dataclass
class Stats:
    """What the store holds, counted by SPARQL (``levant-kg stats``)."""

    overview: dict[str, Any]
    actors_by_kind: list[dict[str, Any]]
    entities_by_type: list[dict[str, Any]]
    relations_by_type: list[dict[str, Any]]
    items_by_language: list[dict[str, Any]]
    items_by_origin: list[dict[str, Any]]

    @property
    def items(self) -> int:
        return int(self.overview.get("items") or 0)

    def to_dict(self) -> dict[str, Any]:
        return {"overview": dict(self.overview), "actors_by_kind": self.actors_by_kind,
                "entities_by_type": self.entities_by_type, "relations_by_type": self.relations_by_type,
                "items_by_language": self.items_by_language, "items_by_origin": self.items_by_origin}

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        """Named tables, for :func:`kg.output.render_sections`."""
        return {
            "store": [{"what": k, "value": v} for k, v in self.overview.items()],
            "actors by kind": self.actors_by_kind,
            "entities by type": self.entities_by_type,
            "relations by type": self.relations_by_type,
            "items by language": self.items_by_language,
            "items by origin": self.items_by_origin,
        }


def stats(store: Any) -> Stats:
    """Count what ``store`` holds: items, their dates and languages, actors by
    kind, entities by type, relation statements by type, the registry."""
    overview: dict[str, Any] = {}
    overview["items"] = _rows(store, _Q_ITEMS)[0].get("items") or 0
    dates = _rows(store, _Q_DATES)
    d = dates[0] if dates else {}
    overview["dated items"] = d.get("dated") or 0
    overview["first published"] = str(d["first"]) if d.get("first") is not None else None
    overview["last published"] = str(d["last"]) if d.get("last") is not None else None
    reg = _rows(store, _Q_REGISTRY)
    overview["registry organizations"] = (reg[0].get("organizations") or 0) if reg else 0
    overview["registry places"] = (reg[0].get("places") or 0) if reg else 0
    try:
        overview["quads"] = len(store)
    except TypeError:  # a store that cannot count cheaply
        pass
    by_tables = getattr(store, "joins_tables", True)
    return Stats(
        overview=overview,
        actors_by_kind=_rows(store, _Q_KINDS if by_tables else _Q_KINDS_BY_PATTERNS),
        entities_by_type=_rows(store, _Q_TYPES if by_tables else _Q_TYPES_BY_PATTERNS),
        relations_by_type=_relations_by_type(store) if by_tables else _rows(store, _Q_RELATIONS_BY_PATTERNS),
        items_by_language=_rows(store, _Q_LANGS),
        items_by_origin=_rows(store, _Q_ORIGINS),
    )


# -- the summary -----------------------------------------------------------------------

@dataclass
class BuildSummary:
    """What one build (or add) did, and what the store holds afterwards."""

    files: int = 0
    items: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    extracted: int = 0
    curated: int = 0
    problems: list[Problem] = field(default_factory=list)
    stored_items: list[str] = field(default_factory=list)
    seconds: float = 0.0
    compact_seconds: float | None = None  # None: the store was not compacted
    compact_error: str | None = None  # why compaction failed (the items are stored all the same)
    stats: Stats | None = None

    @property
    def stored(self) -> int:
        return self.added + self.replaced

    @property
    def skipped(self) -> int:
        return len(self.problems)

    @property
    def violations(self) -> list[Problem]:
        """Items whose graph broke the SHACL shapes."""
        return [p for p in self.problems if p.stage == "validate"]

    @property
    def errors(self) -> list[Problem]:
        """Inputs that could not be used (unreadable, malformed, failed extraction...)."""
        return [p for p in self.problems if p.stage != "validate"]

    @property
    def exit_code(self) -> int:
        """0: all done; 1: some items broke the shapes; 2: some inputs could not be used."""
        return 2 if self.errors else 1 if self.violations else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files, "items": self.items, "stored": self.stored, "added": self.added,
            "replaced": self.replaced, "unchanged": self.unchanged, "skipped": self.skipped,
            "violations": len(self.violations), "extracted": self.extracted, "curated": self.curated,
            "seconds": round(self.seconds, 3),
            "compact_seconds": None if self.compact_seconds is None else round(self.compact_seconds, 3),
            "compact_error": self.compact_error,
            "problems": [p.to_dict() for p in self.problems],
            "stats": self.stats.to_dict() if self.stats else None,
        }

    def _compacting(self) -> Any:
        if self.compact_error:
            return f"not done: {self.compact_error}"
        return "-" if self.compact_seconds is None else round(self.compact_seconds, 2)

    def overview(self) -> list[dict[str, Any]]:
        rows = [
            ("files read", self.files), ("items met", self.items), ("stored", self.stored),
            ("  new", self.added), ("  replaced", self.replaced), ("unchanged (already stored)", self.unchanged),
            ("extracted from text", self.extracted), ("from records", self.curated),
            ("skipped", self.skipped), ("  with SHACL violations", len(self.violations)),
            ("seconds", round(self.seconds, 2)),
            ("  of which compacting the store", self._compacting()),
        ]
        return [{"what": k, "value": v} for k, v in rows]

    def text(self) -> str:
        """A few lines for people (what a notebook shows)."""
        lines = [f"{self.items} item(s) from {self.files} file(s) in {self.seconds:.1f} s: stored {self.stored} "
                 f"({self.added} new, {self.replaced} replaced), {self.unchanged} unchanged, {self.skipped} skipped"
                 + (f" ({len(self.violations)} with SHACL violations)" if self.violations else "")]
        if self.stats is not None:
            st = self.stats
            kinds = ", ".join(f"{r['kind']} {r['actors']}" for r in st.actors_by_kind)
            rels = ", ".join(f"{r['relation']} {r['statements']}" for r in st.relations_by_type)
            lines.append(f"store: {st.items} item(s); actors by kind: {kinds or 'none'}")
            lines.append(f"relations by type: {rels or 'none'}")
        for p in self.problems[:20]:
            lines.append(f"  skipped [{p.stage}] {p.line()}")
        if len(self.problems) > 20:
            lines.append(f"  ... and {len(self.problems) - 20} more")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<BuildSummary\n{self.text()}>"

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {"build": self.overview()}
        if self.stats is not None:
            out.update(self.stats.sections())
        if self.problems:
            out["skipped"] = [p.to_dict() for p in self.problems]
        return out


# -- inputs ------------------------------------------------------------------------------

def _record_stem(p: Path) -> str | None:
    name = p.name
    for suffix in _RECORD_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return None


def _plan(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Problem], int]:
    """The files to hand to the ingest, and what is skipped before it (with reasons)."""
    from kg.ingest import iter_input_files
    from kg.record import load_record

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not paths:
        raise KGError("nothing to build: give folders or files of news items or records")
    files = iter_input_files(paths)  # KGError for a path that does not exist, before anything is written
    if not files:
        raise KGError("no news items or records found", ", ".join(map(str, paths)))
    records = [f for f in files if _record_stem(f) is not None]
    news = [f for f in files if _record_stem(f) is None]
    texts = {(f.parent, f.stem) for f in news}
    take: list[Path] = list(news)
    problems: list[Problem] = []
    for r in records:
        try:
            load_record(r)
        except RecordError as exc:
            problems.append(Problem(str(r), None, "record", exc.problem))
            continue
        if (r.parent, _record_stem(r)) in texts:
            continue  # the text's evaluation gold, not a curated record
        take.append(r)
    return sorted(take), problems, len(files)


def _has_registry(store: Any) -> bool:
    res = store.query(f"ASK {{ GRAPH <{_REGISTRY_GRAPH_IRI}> {{ ?s ?p ?o }} }}")
    return bool(res)


# -- the jobs -----------------------------------------------------------------------------

def build(paths: Iterable[str | os.PathLike] | str | os.PathLike, store: Any, *, curated: Any = None,
          validate: bool = True, registry: Any = None, keep_invalid: bool = False, report: Any = None,
          workers: int = 1, progress: bool = False, force: bool = False, with_stats: bool = True,
          graphs: bool = True, compact: bool | None = None) -> BuildSummary:
    """Build (or update) the knowledge graph in ``store`` from ``paths``.

    ``paths``: folders or files of news items and annotation records;
    ``curated``: a folder (or files, or ``{item id: Record}``) of curated
    records that replace extraction; ``registry``: a
    :class:`kg.registry.Registry` (default: the bundled one), put into the
    store with the ontology; ``validate``: SHACL-check each item graph;
    ``keep_invalid``: store items with violations anyway; ``report``: a
    ``.jsonl``/``.csv`` path for the skipped items; ``workers``: processes
    for extraction and validation; ``progress``: a progress bar on a
    terminal. Items already stored with the same content are left as they
    are, so an interrupted build resumes where it stopped (``force`` redoes
    them). ``compact``: compact the store at the end (True), never (False),
    or when the items written are a large share of the store (None, see
    :func:`kg.ingest.ingest`). Raises KGError, before anything is written,
    when a path does not exist.
    """
    from kg.ingest import ingest

    t0 = time.perf_counter()
    take, problems, nfiles = _plan(paths)
    summary = BuildSummary(files=nfiles)
    if take or curated is not None or problems:
        # the plan's problems go through ingest, so that they reach its report file too
        res = ingest(take, store, curated=curated, validate=validate, progress=progress, report=report,
                     workers=workers, registry=registry, keep_invalid=keep_invalid, graphs=graphs, force=force,
                     compact=compact, problems=problems)
        summary.items += res.items
        summary.added, summary.replaced, summary.unchanged = res.added, res.replaced, res.unchanged
        summary.extracted, summary.curated = res.extracted, res.curated
        summary.stored_items = list(res.stored_items)
        summary.compact_seconds, summary.compact_error = res.compact_seconds, res.compact_error
        summary.problems += res.problems
    elif graphs:
        from kg.ingest import _ensure_graphs  # the registry and ontology graphs, even with no item

        _ensure_graphs(store, registry)
    if with_stats:
        summary.stats = stats(store)
    summary.seconds = time.perf_counter() - t0
    return summary


def add(paths: Iterable[str | os.PathLike] | str | os.PathLike, store: Any, *, curated: Any = None,
        validate: bool = True, registry: Any = None, keep_invalid: bool = False, report: Any = None,
        workers: int = 1, progress: bool = False, force: bool = False, with_stats: bool = False) -> BuildSummary:
    """Add a few items to an existing graph: :func:`build` without re-reading the
    registry into the store when it is already there, and without the store
    statistics unless asked (they read the whole graph)."""
    return build(paths, store, curated=curated, validate=validate, registry=registry, keep_invalid=keep_invalid,
                 report=report, workers=workers, progress=progress, force=force, with_stats=with_stats,
                 graphs=not _has_registry(store))


class _CallableModule(types.ModuleType):
    """``kg.build`` is this module; calling it calls :func:`build` (``kg.build(paths, store)``)."""

    def __call__(self, *args: Any, **kwargs: Any) -> BuildSummary:
        return build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
