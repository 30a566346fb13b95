"""Actor networks built from the store through SPARQL.

Each view is a networkx graph read from the knowledge graph with a handful of
SPARQL queries (never by walking Python objects), so the same code runs on the
embedded store, the in-memory store and a SPARQL endpoint. Every pattern names
its graph (``GRAPH ?g``), so the views do not depend on what a store takes
as its default graph.

Views (the names the CLI uses):

``cooccurrence``   undirected; actors named in the same news item.
``coparticipation`` undirected; actors attending or organizing the same event.
``funding``         directed funder -> recipient: the implementer of a funded
                    project, the organizer of a funded event (or of an event
                    held under a funded project), or an organization funded
                    directly.
``hierarchy``       directed unit -> parent (``org:subOrganizationOf``), from
                    the registry and from the items.
``actor-event``     bipartite actor -- event (attendee or organizer).
``actor-project``   bipartite actor -- project (funder or implementer).

Every edge carries ``weight``: the number of news items that support it, and
``items``: the sorted ids of those items. An edge is supported by every item
that asserts one of the links it is made of (for ``funding``: the funding
link and the implementing or organizing link; for ``coparticipation``: each
endpoint's attendance at a shared event). ``hierarchy`` edges stated by the
registry also count the registry as one source (``registry=True``), so their
weight is never zero.

Every node carries ``type`` (Organization, Person, Event, Project), ``kind``
(the actor kind of the schema, ``Person`` for persons, or the event kind),
``country`` (ISO code or None), ``label_en``, ``label_ar``, ``label`` (English,
else Arabic, else the IRI's last part) and ``items`` (the items of the view
that name it). Nodes are keyed by IRI (a string), so a node can go back into a
SPARQL query as ``<iri>``. Bipartite views mark actors ``bipartite=0`` and
events or projects ``bipartite=1`` (the networkx convention).

Filters: ``date_from``/``date_to`` (ISO dates, inclusive) and ``topics``
(topic keys; a topic also matches its narrower concepts) select the items;
``countries`` (ISO codes) and ``kinds`` (actor kinds, ``Person`` included)
select the actors after units are folded. ``fold_units=True`` replaces every
organizational unit by the organization it belongs to, following
``org:subOrganizationOf`` through units (registry first, then what items
assert) up to the first organization that is not a unit: IOM Jordan and IOM
Lebanon become IOM. Self-loops made by folding are dropped.

The graph's own attributes (``G.graph``) record the view, the filters and the
items it was built from (``items``: id -> date or None). :func:`by_year`
gives one graph per year of the items, each exactly the view built from that
year's items, reading the store once.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any, Iterable

import networkx as nx
from rdflib import Literal, URIRef

from kg.errors import KGError
from kg.iri import ID, REGISTRY_GRAPH, topic_iri
from kg.schema import load_schema

__all__ = [
    "VIEWS", "Filters", "build_view", "cooccurrence", "coparticipation", "funding",
    "hierarchy", "actor_event", "actor_project", "by_year", "years", "actor_nodes",
]

_SCHEMA = load_schema()
_PREFIXES = "".join(
    f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(_SCHEMA.prefixes.items())
) + f"PREFIX id: <{ID}>\n"
_REG = f"<{REGISTRY_GRAPH}>"
_ORG = str(_SCHEMA.expand("org:Organization"))
_PERSON = str(_SCHEMA.expand("foaf:Person"))
_PROJECT = str(_SCHEMA.expand("lmg:Project"))
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CODE = re.compile(r"^[A-Za-z]{2}$")
_TOPIC = re.compile(r"^[\w.\-]+$")

#: actor kinds a filter may name: the organization kinds of the schema, plus
#: ``Organization`` (no kind known) and ``Person``.
ACTOR_KINDS: tuple[str, ...] = tuple(_SCHEMA.entity_types["Organization"].kinds) + ("Organization", "Person")


@dataclass(frozen=True)
class Filters:
    """What a view keeps. Item filters go into SPARQL; actor filters apply after folding."""

    date_from: str | None = None
    date_to: str | None = None
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    fold_units: bool = False

    @classmethod
    def make(cls, date_from: str | None = None, date_to: str | None = None,
             countries: Iterable[str] | str | None = None, topics: Iterable[str] | str | None = None,
             kinds: Iterable[str] | str | None = None, fold_units: bool = False) -> "Filters":
        """Check and normalize user input; raise :class:`KGError` naming the bad value."""
        def many(value: Iterable[str] | str | None) -> tuple[str, ...]:
            if value is None:
                return ()
            if isinstance(value, str):
                value = value.split(",")
            out: list[str] = []
            for v in value:
                out.extend(p.strip() for p in str(v).split(",") if p.strip())
            return tuple(dict.fromkeys(out))

        for name, d in (("from", date_from), ("to", date_to)):
            if d is not None and not _DATE.match(str(d)):
                raise KGError(f"--{name} {d!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        cs = many(countries)
        for c in cs:
            if not _CODE.match(c):
                raise KGError(f"--country {c!r} is not an ISO 3166-1 alpha-2 code (e.g. JO)")
        ts = many(topics)
        for t in ts:
            if not _TOPIC.match(t):
                raise KGError(f"--topic {t!r} is not a topic key (e.g. human-trafficking)")
        by_lower = {k.lower(): k for k in ACTOR_KINDS}
        ks = []
        for k in many(kinds):
            if k.lower() not in by_lower:
                raise KGError(f"--kind {k!r} is not an actor kind; use one of {', '.join(ACTOR_KINDS)}")
            ks.append(by_lower[k.lower()])
        return cls(date_from=_pad(date_from, "start"), date_to=_pad(date_to, "end"),
                   countries=tuple(c.upper() for c in cs), topics=ts, kinds=tuple(ks),
                   fold_units=bool(fold_units))

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


def _pad(d: str | None, side: str) -> str | None:
    """'2023' -> '2023-01-01' or '2023-12-31'; '2023-05' -> '2023-05-01' or '2023-05-31'."""
    if d is None:
        return None
    d = str(d)
    if len(d) == 4:
        return d + ("-01-01" if side == "start" else "-12-31")
    if len(d) == 7:
        return d + ("-01" if side == "start" else "-31")  # string comparison: -31 covers every month
    return d


# -- SPARQL ----------------------------------------------------------------------

def _item_cond(var: str, f: Filters) -> str:
    """A SPARQL boolean expression: item graph ``var`` passes the item filters.

    Dates are compared as ISO strings (the first ten characters), which works
    for xsd:date and xsd:dateTime alike. Values are validated and written as
    literals built by rdflib, never pasted from user text.
    """
    conds = []
    if f.date_from or f.date_to:
        tests = []
        if f.date_from:
            tests.append(f"SUBSTR(STR(?_d), 1, 10) >= {Literal(f.date_from).n3()}")
        if f.date_to:
            tests.append(f"SUBSTR(STR(?_d), 1, 10) <= {Literal(f.date_to).n3()}")
        conds.append(f"EXISTS {{ GRAPH {var} {{ {var} schema:datePublished ?_d }} FILTER({' && '.join(tests)}) }}")
    if f.topics:
        values = " ".join(topic_iri(t).n3() for t in f.topics)
        conds.append(f"EXISTS {{ GRAPH {var} {{ {var} dcterms:subject ?_t }} VALUES ?_topic {{ {values} }} "
                     f"{{ FILTER(?_t = ?_topic) }} UNION {{ GRAPH ?_og {{ ?_t skos:broader+ ?_topic }} }} }}")
    return " && ".join(conds) if conds else "true"


def _item_filter(f: Filters, *graph_vars: str) -> str:
    parts = [f"FILTER({v} != {_REG})" for v in graph_vars]
    cond = [_item_cond(v, f) for v in graph_vars]
    if any(c != "true" for c in cond):
        parts.append(f"FILTER({' && '.join(c for c in cond if c != 'true')})")
    return "\n".join(parts)


def _run(store: Any, sparql: str) -> list[tuple]:
    result = store.query(_PREFIXES + sparql, None)
    return list(result.rows)


def _items(store: Any, f: Filters) -> dict[str, tuple[str, str | None]]:
    """Item graph IRI -> (item id, ISO date or None) for the items that pass the filters."""
    rows = _run(store, f"""
SELECT ?g ?id ?date WHERE {{
  GRAPH ?g {{ ?g a schema:NewsArticle . OPTIONAL {{ ?g dcterms:identifier ?id }} OPTIONAL {{ ?g schema:datePublished ?date }} }}
  {_item_filter(f, '?g')}
}}""")
    out: dict[str, tuple[str, str | None]] = {}
    for g, ident, date in rows:
        g = str(g)
        iid = str(ident) if ident is not None else _item_id_from_iri(g)
        d = str(date)[:10] if date is not None else None
        prev = out.get(g)
        if prev is None or (d is not None and (prev[1] is None or d < prev[1])):
            out[g] = (iid, d)
    return out


def _item_id_from_iri(iri: str) -> str:
    from urllib.parse import unquote
    return unquote(iri.rsplit("/", 1)[-1])


# -- node descriptions ------------------------------------------------------------

@dataclass
class _Describe:
    """Kinds, labels and countries of the nodes of a view (read once per view)."""

    kind: dict[str, tuple[str, str]] = field(default_factory=dict)  # iri -> (type, kind)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # iri -> lang -> label
    country: dict[str, str] = field(default_factory=dict)

    def attrs(self, iri: str) -> dict[str, Any]:
        type_, kind = self.kind.get(iri, ("Organization", "Organization"))
        labels = self.labels.get(iri, {})
        en, ar = labels.get("en"), labels.get("ar")
        fallback = en or ar or next(iter(sorted(labels.values())), None) or iri.rstrip("/").rsplit("/", 1)[-1]
        return {"type": type_, "kind": kind, "country": self.country.get(iri),
                "label_en": en, "label_ar": ar, "label": en or fallback}


_CHUNK = 1000  # IRIs per VALUES block


def _values(nodes: list[str]) -> Iterable[str]:
    """VALUES blocks of node IRIs (taken from the store's own answers, written by rdflib)."""
    for i in range(0, len(nodes), _CHUNK):
        yield " ".join(URIRef(n).n3() for n in nodes[i:i + _CHUNK])


def _describe(store: Any, nodes: Iterable[str]) -> _Describe:
    """Read type, kind, labels and country of the given nodes (only those: views are small
    next to the graph, and a pattern driven by VALUES uses the store's indexes).

    The kind stated by the registry wins; otherwise the kind most items state
    (ties broken by name), so the answer never depends on the order of rows.
    """
    nodes = sorted(set(nodes))
    d = _Describe()
    reg_kinds: dict[str, set[str]] = defaultdict(set)
    for block in _values(nodes):
        for a, cls in _run(store, f"SELECT ?a ?cls WHERE {{ VALUES ?a {{ {block} }} GRAPH {_REG} {{ ?a a ?cls }} }}"):
            reg_kinds[str(a)].add(str(cls))
    others = [n for n in nodes if not any(tk and tk[0] != tk[1] for tk in _classify(reg_kinds.get(n, ())))]
    item_kinds: dict[str, Counter] = defaultdict(Counter)
    for block in _values(others):
        for a, cls, n in _run(store, f"""
SELECT ?a ?cls (COUNT(DISTINCT ?g) AS ?n) WHERE {{
  VALUES ?a {{ {block} }} GRAPH ?g {{ ?a a ?cls }} FILTER(?g != {_REG})
}} GROUP BY ?a ?cls"""):
            item_kinds[str(a)][str(cls)] += int(n)
    for a in nodes:
        d.kind[a] = _pick_kind(reg_kinds.get(a, set()), item_kinds.get(a, Counter()))
    for block in _values(nodes):
        for a, lang, label in _run(store, f"""
SELECT ?a ?lang (MIN(STR(?l)) AS ?label) WHERE {{
  VALUES ?a {{ {block} }} GRAPH ?lg {{ ?a skos:prefLabel ?l }}
}} GROUP BY ?a (LANG(?l) AS ?lang)"""):
            lang = (str(lang) if lang is not None else "").split("-")[0].lower() or "und"
            d.labels.setdefault(str(a), {})[lang] = str(label)
        for a, c, code in _run(store, f"""
SELECT ?a (MIN(STR(?c)) AS ?country) (MIN(STR(?code)) AS ?iso) WHERE {{
  VALUES ?a {{ {block} }} GRAPH ?cg {{ ?a lmg:country ?c }} OPTIONAL {{ GRAPH ?ig {{ ?c lmg:isoCode ?code }} }}
}} GROUP BY ?a"""):
            d.country[str(a)] = str(code) if code is not None else str(c).rstrip("/").rsplit("/", 1)[-1]
    return d


def _classify(classes: Iterable[str]) -> list[tuple[str, str]]:
    """(type, kind) of each class the schema knows; kind = type when the class is the type's own."""
    out = []
    for c in classes:
        tk = _SCHEMA.kind_of_class(URIRef(c))
        if tk is not None:
            out.append((tk[0], tk[1] or tk[0]))
    return out


def _pick_kind(registry: set[str], items: Counter) -> tuple[str, str]:
    specific = [tk for tk in _classify(registry) if tk[0] != tk[1]]
    if specific:
        return min(specific)
    counted: Counter = Counter()
    for c, n in items.items():
        for tk in _classify([c]):
            counted[tk] += n
    specific_items = [(n, tk) for tk, n in counted.items() if tk[0] != tk[1]]
    if specific_items:
        best = max(n for n, _ in specific_items)
        return min(tk for n, tk in specific_items if n == best)
    plain = _classify(registry) or list(counted)
    return min(plain) if plain else ("Organization", "Organization")


def _fold_map(store: Any) -> dict[str, str]:
    """Unit -> the organization it belongs to (first non-unit up the chain)."""
    parent: dict[str, str] = {}
    for c, p in _run(store, f"SELECT ?c ?p WHERE {{ GRAPH {_REG} {{ ?c org:subOrganizationOf ?p }} }}"):
        c, p = str(c), str(p)
        if c not in parent or p < parent[c]:
            parent[c] = p
    asserted: dict[str, Counter] = defaultdict(Counter)
    for c, p, n in _run(store, f"""
SELECT ?c ?p (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?c org:subOrganizationOf ?p }} FILTER(?g != {_REG}) }}
GROUP BY ?c ?p"""):
        asserted[str(c)][str(p)] += int(n)
    for c, counts in asserted.items():
        if c not in parent:
            best = max(counts.values())
            parent[c] = min(p for p, n in counts.items() if n == best)
    describe = _describe(store, set(parent) | set(parent.values()))

    def is_unit(iri: str) -> bool:
        return describe.kind.get(iri, ("", ""))[1] == "OrganizationalUnit"

    fold: dict[str, str] = {}
    for node in parent:
        if not is_unit(node):
            continue
        seen = {node}
        top = node
        while is_unit(top) and top in parent and parent[top] not in seen:
            top = parent[top]
            seen.add(top)
        if top != node:
            fold[node] = top
    return fold


# -- assembling a view ------------------------------------------------------------
#
# A view is built in two steps. SPARQL reads link tables (who attends which
# event in which item, who funds what in which item, ...), each row with the
# item that states it; Python joins them into rows of the view, each holding
# *groups* of items: the row holds when every group has an allowed item (a
# funding edge needs an item stating the funding and one stating the
# implementing), and it is supported by the allowed items of all its groups.
# The graph is then assembled from the rows that hold. by_year() assembles one
# graph per year from the same rows, so the graph of a year is exactly the
# view built from that year's items, and the store is read once.

# a row: (u, v or None for a node row, groups of item ids, extra (key, value) or None)
_Row = tuple


class _Source:
    """What a view reads from the store: items, node descriptions, fold map, rows."""

    def __init__(self, store: Any, view: str, f: Filters, *, directed: bool,
                 bipartite: bool = False, fold: bool | None = None):
        self.store, self.view, self.f = store, view, f
        self.directed, self.bipartite = directed, bipartite
        self.items = _items(store, f)                      # graph IRI -> (id, date)
        self.dates = {iid: d for iid, d in self.items.values()}
        self._describe: _Describe | None = None
        self.fold_units = f.fold_units if fold is None else fold
        self.fold = _fold_map(store) if self.fold_units else {}
        self.units: dict[str, set[str]] = defaultdict(set)
        self.actor_side: set[str] = set()
        self.rows: list[_Row] = []
        self.registry_edges: set[tuple[str, str]] | None = None
        self.touch = True                                  # edges' items also name their ends

    @property
    def describe(self) -> _Describe:
        """Kinds, labels and countries of every node the rows name (read once, when first needed)."""
        if self._describe is None:
            nodes = {r[0] for r in self.rows} | {r[1] for r in self.rows if r[1] is not None}
            self._describe = _describe(self.store, nodes)
        return self._describe

    def item(self, g: Any) -> str | None:
        """The item id of graph ``g`` if it passes the filters, else None."""
        hit = self.items.get(str(g))
        return hit[0] if hit else None

    def actor(self, iri: Any) -> str:
        iri = str(iri)
        top = self.fold.get(iri, iri)
        if top != iri:
            self.units[top].add(iri)
        self.actor_side.add(top)
        return top

    def node(self, n: str, items: Iterable[str]) -> None:
        """Node ``n`` is named by any of ``items``."""
        self.rows.append((n, None, (items if type(items) is frozenset else frozenset(items),), None))

    def edge(self, u: str, v: str, *groups: Iterable[str], **extra: str) -> None:
        """Edge u-v, holding when every group has an allowed item (no group: always, the registry)."""
        if u == v:
            return
        if not self.directed and v < u:
            u, v = v, u
        self.rows.append((u, v, tuple(g if type(g) is frozenset else frozenset(g) for g in groups),
                          next(iter(extra.items())) if extra else None))

    # -- assembling -----------------------------------------------------------
    def graph(self, allowed: set[str] | None = None, year: int | None = None) -> nx.Graph:
        """The view from the rows that hold when only the items in ``allowed`` count (None: all)."""
        node_items: dict[str, set[str]] = defaultdict(set)
        edges: dict[tuple[str, str], dict[str, set[str]]] = {}
        touch = self.touch
        for u, v, groups, extra in self.rows:
            if allowed is not None:
                groups = tuple(g & allowed for g in groups)
                if not all(groups):
                    continue
            items = frozenset().union(*groups)
            if v is None:
                node_items[u].update(items)
                continue
            e = edges.get((u, v))
            if e is None:
                e = edges[(u, v)] = {"items": set()}
            e["items"].update(items)
            if extra is not None:
                e.setdefault(extra[0], set()).add(extra[1])
            if touch:
                node_items[u].update(items)
                node_items[v].update(items)
            else:
                node_items[u], node_items[v]
        registry = self.registry_edges or set()
        keep = self._kept_nodes(set(node_items) | {n for e in edges for n in e})
        G: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        for n in sorted(keep):
            attrs = self.describe.attrs(n)
            attrs["items"] = sorted(node_items.get(n, ()))
            if self.fold_units and n in self.units:
                attrs["units"] = sorted(self.units[n])
            if self.bipartite:
                attrs["bipartite"] = 0 if n in self.actor_side else 1
            G.add_node(n, **attrs)
        for (u, v) in sorted(edges):
            if u not in keep or v not in keep:
                continue
            data = edges[(u, v)]
            items = sorted(data["items"])
            in_registry = (u, v) in registry and year is None
            if not items and not in_registry:
                continue
            attrs: dict[str, Any] = {"weight": len(items) + (1 if in_registry else 0), "items": items}
            if self.registry_edges is not None:
                attrs["registry"] = in_registry
            for k, vals in sorted(data.items()):
                if k != "items":
                    attrs[k] = sorted(vals)
            G.add_edge(u, v, **attrs)
        if self.bipartite:  # an event or project left without actors goes too
            G.remove_nodes_from([n for n, d in list(G.nodes(data=True)) if d["bipartite"] == 1 and G.degree(n) == 0])
        if year is not None:  # a node of a year graph is one that an item of the year names
            G.remove_nodes_from([n for n, d in list(G.nodes(data=True)) if not d["items"] and G.degree(n) == 0])
        used = self.dates if allowed is None else {i: self.dates[i] for i in allowed if i in self.dates}
        G.graph.update({
            "view": self.view,
            "directed": self.directed,
            "filters": self.f.as_dict() | {"fold_units": self.fold_units},
            "items": dict(sorted(used.items())),
        })
        if year is not None:
            G.graph["year"] = year
        return G

    def _kept_nodes(self, nodes: set[str]) -> set[str]:
        f = self.f
        if not (f.kinds or f.countries):
            return nodes
        keep = set()
        for n in nodes:
            if self.bipartite and n not in self.actor_side:
                keep.add(n)
                continue
            kind = self.describe.kind.get(n, ("Organization", "Organization"))[1]
            if f.kinds and kind not in f.kinds:
                continue
            if f.countries and self.describe.country.get(n) not in f.countries:
                continue
            keep.add(n)
        return keep

    def years(self) -> list[int]:
        return sorted({int(d[:4]) for d in self.dates.values() if d})

    def by_year(self) -> dict[int, nx.Graph]:
        out = {}
        for y in self.years():
            allowed = {i for i, d in self.dates.items() if d and int(d[:4]) == y}
            out[y] = self.graph(allowed, year=y)
        return out




def _cooccurrence(store: Any, f: Filters) -> _Source:
    src = _Source(store, "cooccurrence", f, directed=False)
    by_item: dict[str, set[str]] = defaultdict(set)
    for g, a in _run(store, f"""
SELECT DISTINCT ?g ?a WHERE {{
  GRAPH ?g {{ ?g schema:mentions ?a . ?a a ?top . VALUES ?top {{ <{_ORG}> <{_PERSON}> }} }}
  {_item_filter(f, '?g')}
}}"""):
        iid = src.item(g)
        if iid is not None:
            by_item[iid].add(src.actor(a))
    named: dict[str, set[str]] = defaultdict(set)
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for iid, actors in by_item.items():
        actors_ = sorted(actors)
        for a in actors_:
            named[a].add(iid)
        for u, v in combinations(actors_, 2):
            pairs[(u, v)].add(iid)
    for a in sorted(named):
        src.node(a, named[a])
    for (u, v) in sorted(pairs):
        src.edge(u, v, pairs[(u, v)])                 # any one item naming both supports the tie
    return src


def _links(src: _Source, f: Filters, pattern: str, a: str = "?x", b: str = "?y",
           fold: tuple[bool, bool] = (False, False)) -> dict[str, dict[str, frozenset[str]]]:
    """``{a: {b: item ids}}`` for a one-triple ``pattern`` of the items that pass the filters;
    ``fold`` says which ends are actors (folded when units are folded)."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for g, x, y in _run(src.store, f"""
SELECT DISTINCT ?g {a} {b} WHERE {{
  GRAPH ?g {{ {pattern} }}
  {_item_filter(f, '?g')}
}}"""):
        iid = src.item(g)
        if iid is not None:
            x = src.actor(x) if fold[0] else str(x)
            y = src.actor(y) if fold[1] else str(y)
            out[x][y].add(iid)
    return {x: {y: frozenset(items) for y, items in ys.items()} for x, ys in out.items()}


def _participation(src: _Source, f: Filters) -> dict[str, dict[str, dict[str, frozenset[str]]]]:
    """role -> event -> actor -> the items that state it (attendee, organizer)."""
    return {"attendee": _links(src, f, "?x schema:attendee ?y", fold=(False, True)),
            "organizer": _links(src, f, "?x schema:organizer ?y", fold=(False, True))}


def _coparticipation(store: Any, f: Filters) -> _Source:
    src = _Source(store, "coparticipation", f, directed=False)
    src.touch = False
    at: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for links in _participation(src, f).values():
        for e, actors in links.items():
            for a, items in actors.items():
                at[e][a] = at[e].get(a, frozenset()) | items
    for e, actors in at.items():
        for a, items in actors.items():
            src.node(a, items)
        for u, v in combinations(sorted(actors), 2):      # u's and v's presence, each from some item
            src.edge(u, v, actors[u], actors[v], events=e)
    return src


def _funding(store: Any, f: Filters) -> _Source:
    src = _Source(store, "funding", f, directed=True)
    funder = _links(src, f, "?x schema:funder ?y", fold=(False, True))            # thing -> funder
    implementer = _links(src, f, "?y lmg:implements ?x", fold=(False, True))      # project -> implementer
    organizer = _links(src, f, "?x schema:organizer ?y", fold=(False, True))      # event -> organizer
    under = _links(src, f, "?x lmg:underProject ?y")                             # event -> project
    org_funded = _links(src, f, f"?x schema:funder ?y . ?x a <{_ORG}>", fold=(True, True))
    # rows in any order: the graph sorts its nodes and edges
    for via, funders in funder.items():
        impl, orgs = implementer.get(via, {}), organizer.get(via, {})
        for fu, f_items in funders.items():
            for rec, r_items in impl.items():            # the funder of a project -> its implementers
                src.edge(fu, rec, f_items, r_items, via=via)
            for rec, r_items in orgs.items():            # the funder of an event -> its organizers
                src.edge(fu, rec, f_items, r_items, via=via)
    for ev, projects in under.items():                   # an event under a funded project
        orgs = organizer.get(ev, {})
        if not orgs:
            continue
        for proj, u_items in projects.items():
            for fu, f_items in funder.get(proj, {}).items():
                for rec, r_items in orgs.items():
                    src.edge(fu, rec, f_items, u_items, r_items, via=ev)
    for rec, funders in org_funded.items():              # an organization funded directly
        for fu, f_items in funders.items():
            src.edge(fu, rec, f_items, via=rec)
    return src


def _hierarchy(store: Any, f: Filters) -> _Source:
    src = _Source(store, "hierarchy", f, directed=True, fold=False)
    src.registry_edges = set()
    cond = _item_cond("?g", f)
    rows = []
    for c, p, g in _run(store, f"""
SELECT DISTINCT ?c ?p ?g WHERE {{ GRAPH ?g {{ ?c org:subOrganizationOf ?p }}
  FILTER(?g = {_REG} || EXISTS {{ GRAPH ?g {{ ?g a schema:NewsArticle }} }})
  FILTER(?g = {_REG} || ({cond})) }}"""):
        c, p = str(c), str(p)
        if str(g) == str(REGISTRY_GRAPH):
            src.registry_edges.add((c, p))
            rows.append((c, p, ()))
            continue
        iid = src.item(g)
        if iid is not None:
            rows.append((c, p, (iid,)))
    for c, p, items in sorted(rows):
        if items:
            src.edge(c, p, items)
        else:
            src.edge(c, p)                    # the registry: no item needed
    return src


def _actor_event(store: Any, f: Filters) -> _Source:
    src = _Source(store, "actor-event", f, directed=False, bipartite=True)
    for role, links in _participation(src, f).items():
        for e in sorted(links):
            for a in sorted(links[e]):
                src.edge(a, e, links[e][a], roles=role)
    return src


def _actor_project(store: Any, f: Filters) -> _Source:
    src = _Source(store, "actor-project", f, directed=False, bipartite=True)
    for role, pattern in (("funder", f"?x schema:funder ?y . ?x a <{_PROJECT}>"),
                          ("implementer", f"?y lmg:implements ?x . ?x a <{_PROJECT}>")):
        links = _links(src, f, pattern, fold=(False, True))
        for p in sorted(links):
            for a in sorted(links[p]):
                src.edge(a, p, links[p][a], roles=role)
    return src


_SOURCES = {
    "cooccurrence": _cooccurrence,
    "coparticipation": _coparticipation,
    "funding": _funding,
    "hierarchy": _hierarchy,
    "actor-event": _actor_event,
    "actor-project": _actor_project,
}
VIEWS = tuple(_SOURCES)


def _source(store: Any, view: str, filters: Filters | None, kw: dict[str, Any]) -> _Source:
    try:
        make = _SOURCES[view.replace("_", "-")]
    except KeyError:
        raise KGError(f"unknown view {view!r}; views: {', '.join(VIEWS)}") from None
    if filters is not None and kw:
        raise TypeError("give either filters or filter keywords, not both")
    return make(store, filters or Filters.make(**kw))


def build_view(store: Any, view: str, filters: Filters | None = None, **kw: Any) -> nx.Graph:
    """Build the view named ``view`` (one of :data:`VIEWS`) from ``store``.

    Keyword arguments are the filters (``date_from``, ``date_to``,
    ``countries``, ``topics``, ``kinds``, ``fold_units``) when ``filters`` is
    not given.
    """
    return _source(store, view, filters, kw).graph()


def by_year(store: Any, view: str, filters: Filters | None = None, **kw: Any) -> dict[int, nx.Graph]:
    """The view once per year of its items: year -> graph.

    The graph of year Y is the view built from the items published in Y (an
    edge whose statements come from items of different years is in no year
    graph; undated items are in none). Registry-only hierarchy edges are not
    dated and are left out. The store is read once.
    """
    return _source(store, view, filters, kw).by_year()


def cooccurrence(store: Any, filters: Filters | None = None, **kw: Any) -> nx.Graph:
    """Actors (organizations and persons) named in the same news item.

    Weight: the number of items that name both actors.
    """
    return build_view(store, "cooccurrence", filters, **kw)


def coparticipation(store: Any, filters: Filters | None = None, **kw: Any) -> nx.Graph:
    """Actors attending or organizing the same event.

    An event is one node however many items report it, and its participants
    are gathered over those items. Weight: the number of items that state the
    attendance or organizing of either actor at an event they share;
    ``events`` lists the shared events.
    """
    return build_view(store, "coparticipation", filters, **kw)


def funding(store: Any, filters: Filters | None = None, **kw: Any) -> nx.DiGraph:
    """Directed funding flows, funder -> recipient.

    A funder of a project reaches the project's implementers; a funder of an
    event, or of the project an event is held under, reaches the event's
    organizers; a funder of an organization reaches it directly. Weight: the
    number of items that state any link of the path (the funding and the
    implementing or organizing); ``via`` lists the projects and events.
    A funder that implements its own project makes no edge.
    """
    return build_view(store, "funding", filters, **kw)


def hierarchy(store: Any, filters: Filters | None = None, **kw: Any) -> nx.DiGraph:
    """The organizational hierarchy: unit -> parent (``org:subOrganizationOf``).

    Edges come from the registry (``registry=True``, always kept: the registry
    is not dated) and from the items that pass the filters. Weight: supporting
    items, plus one for the registry. Units are never folded here.
    """
    return build_view(store, "hierarchy", filters, **kw)


def actor_event(store: Any, filters: Filters | None = None, **kw: Any) -> nx.Graph:
    """Bipartite actors -- events (``bipartite`` 0 and 1); ``roles``: attendee, organizer."""
    return build_view(store, "actor-event", filters, **kw)


def actor_project(store: Any, filters: Filters | None = None, **kw: Any) -> nx.Graph:
    """Bipartite actors -- projects (``bipartite`` 0 and 1); ``roles``: funder, implementer."""
    return build_view(store, "actor-project", filters, **kw)


def years(G: nx.Graph) -> list[int]:
    """The years of the dated items a view was built from, in order."""
    return sorted({int(d[:4]) for d in G.graph.get("items", {}).values() if d})


def actor_nodes(G: nx.Graph) -> list[str]:
    """The actor nodes of a view (all nodes, or side 0 of a bipartite view)."""
    return [n for n, d in G.nodes(data=True) if d.get("bipartite", 0) == 0]
