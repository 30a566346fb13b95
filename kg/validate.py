"""SHACL validation of item graphs, one item at a time, and of the registry.

Why per item, in memory: pyshacl over a store-backed graph is two orders of
magnitude slower than over an in-memory rdflib graph (DESIGN.md), and an
item graph alone is not enough either, because it references registry actors
whose labels, parents and countries live in the registry graph (copying only
their types gave false violations). So the data graph of one validation is:

    the item graph
  + the registry descriptions of every registry node it references,
    followed transitively (parents via org:subOrganizationOf, countries)
  + the topic concepts it uses (dcterms:subject must be a skos:Concept)

validated with ``inference="none"`` and lmg.ttl as ``ont_graph``: pyshacl
copies the ontology's class axioms into the data graph, so ``sh:class
schema:Place`` accepts a node typed only ``schema:Country`` (registry places)
and ``sh:class org:Organization`` an ``org:OrganizationalUnit``. The registry
graph is validated on its own, once, by :func:`validate_registry`.

Two engines run the shapes: pyshacl, the reference, and ``kg.shacl_core``,
the same shapes compiled into Python checks over a dict index: about 2 ms
of CPU for an item graph of about 270 triples, against over 20 ms. ``engine="auto"`` (the default of item
validation) takes the compiled one whenever it supports every feature the
shapes use, else pyshacl; ``engine="pyshacl"`` forces the reference.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterable

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.iri import DCTERMS, ID, REGISTRY_GRAPH, item_iri
from kg.ontology import load_lmg, load_shapes, load_topics
from kg.schema import load_schema
from kg.shacl_core import CompiledShapes, Index, UnsupportedShapes, compile_shapes

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in the words a researcher reads.

    ``item`` is the IRI of the item graph (or of the registry graph),
    ``item_id`` its short id; ``shape`` the label of the node shape;
    ``focus``, ``path`` and ``value`` are compact (``id:org/iom``, ``schema:funder``).
    """

    item: str
    shape: str
    focus: str
    path: str | None
    message: str
    severity: str = "Violation"
    value: str | None = None
    item_id: str | None = None


@dataclass
class Report:
    """The outcome of validating one or more graphs."""

    violations: list[Violation] = field(default_factory=list)
    graphs: int = 0
    seconds: float = 0.0

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def ms_per_graph(self) -> float:
        return 1000.0 * self.seconds / self.graphs if self.graphs else 0.0

    def extend(self, other: "Report") -> "Report":
        self.violations.extend(other.violations)
        self.graphs += other.graphs
        self.seconds += other.seconds
        return self

    def text(self) -> str:
        """Readable report, grouped by item, then by shape."""
        if self.conforms:
            return f"{self.graphs} graph(s) validated: all conform."
        items: dict[tuple[str, str], dict[str, list[Violation]]] = {}
        for v in self.violations:
            items.setdefault((v.item_id or v.item, v.item), {}).setdefault(v.shape, []).append(v)
        lines = [f"{len(self.violations)} problem(s) in {len(items)} of {self.graphs} graph(s)"]
        for (item_id, item), shapes in items.items():
            lines.append("")
            lines.append(f"item {item_id}  <{item}>")
            for shape, vs in shapes.items():
                lines.append(f"  {shape}:")
                for v in vs:
                    where = v.focus + (f"  {v.path}" if v.path else "")
                    value = f"  (value: {v.value})" if v.value is not None and v.value != v.focus else ""
                    tag = "" if v.severity == "Violation" else f"[{v.severity}] "
                    lines.append(f"    - {tag}{where}{value}")
                    lines.append(f"      {v.message}")
        return "\n".join(lines)


# -- entry points ---------------------------------------------------------------

def validate_graph(item_graph: Graph, registry: Any = None, *, engine: str = "auto") -> Report:
    """Validate one item graph against ontology/shapes.ttl.

    ``registry`` supplies the descriptions of referenced registry nodes: a
    ``kg.registry.Registry`` (its ``describe``), an rdflib Graph holding the
    registry graph, or None for the default registry (``kg.registry.default_registry()``).
    ``engine``: ``auto``, ``compiled`` or ``pyshacl`` (see the module doc).
    """
    item = _item_of(item_graph)
    return validate_triples(list(item_graph), item, registry, engine=engine)


def validate_triples(triples: list[tuple], item: URIRef, registry: Any = None, *, engine: str = "auto") -> Report:
    """:func:`validate_graph` for the triples of item ``item`` (no rdflib graph needed)."""
    t0 = time.perf_counter()
    parts: list[Iterable[tuple]] = [triples]
    refs = _referenced(triples)
    if refs:
        parts.append(_describer(registry)(refs))
    topics = _topic_triples()
    subject = DCTERMS.subject
    for concept in {o for _, p, o in triples if p == subject}:
        parts.append(topics.get(concept, ()))
    item_id = next((str(o) for s, p, o in triples if s == item and p == DCTERMS.identifier),
                   str(item).rsplit("/", 1)[-1])
    violations = _check(parts, item, item_id, engine)
    return Report(violations, 1, time.perf_counter() - t0)


def validate_registry(registry: Any = None, *, engine: str = "pyshacl") -> Report:
    """Validate the registry graph on its own (once, when it changes)."""
    t0 = time.perf_counter()
    if isinstance(registry, Graph):
        source = registry
    else:
        source = (registry if registry is not None else _default_registry()).to_graph()
    violations = _check([source], REGISTRY_GRAPH, "registry", engine)
    return Report(violations, 1, time.perf_counter() - t0)


def validate_store(store: Any, items: Iterable[str | URIRef] | None = None, *, registry: Any = None,
                   check_registry: bool = False, engine: str = "pyshacl") -> Report:
    """Validate the item graphs of a store (all, or ``items``: IRIs or item ids).

    The registry descriptions come from ``registry`` when given, else from
    the store's registry graph (copied into memory once), else from the
    default registry. With ``check_registry`` the registry graph is also
    validated on its own.
    """
    if registry is None:
        stored = Graph()
        for triple in store.graph(REGISTRY_GRAPH):
            stored.add(triple)
        registry = stored if len(stored) else None
    report = Report()
    iris = store.items() if items is None else [_as_item_iri(i) for i in items]
    for iri in iris:
        report.extend(validate_graph(_with_identifier(store.item_graph(iri), iri), registry, engine=engine))
    if check_registry:
        report.extend(validate_registry(registry, engine=engine))
    return report


# -- running pyshacl ------------------------------------------------------------

ENGINES = ("auto", "compiled", "pyshacl")


def _check(parts: list[Iterable[tuple]], item: URIRef, item_id: str, engine: str) -> list[Violation]:
    """Run the shapes over the union of ``parts`` with the chosen engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}: one of {', '.join(ENGINES)}")
    compiled = _compiled() if engine != "pyshacl" else None
    if engine == "compiled" and compiled is None:
        raise UnsupportedShapes(_compiled_refusal())
    if compiled is not None:
        index = Index((t for part in parts for t in part), base=_axiom_index())
        results = [(r.node_shape, r.focus, r.path, r.value, r.message, r.severity) for r in compiled.validate(index)]
    else:
        data = _data_graph()
        for part in parts:
            for triple in part:
                data.add(triple)
        results = _pyshacl(data)
    labels = _shape_labels()
    out = [Violation(
        item=str(item),
        shape=labels.get(_bnode_key(source), _compact(source)),
        focus=_compact(focus),
        path=_compact(path) if path is not None else None,
        message=str(message) if message is not None else "constraint not satisfied",
        severity=_SEVERITY.get(severity, "Violation"),
        value=_compact(value) if value is not None else None,
        item_id=item_id,
    ) for source, focus, path, value, message, severity in results]
    out.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.message, v.value or ""))
    return out


def _pyshacl(data: Graph) -> list[tuple]:
    conforms, results, _ = shacl_validate(
        data, shacl_graph=load_shapes(), ont_graph=_axioms(), inference="none", inplace=True,
        advanced=False, abort_on_first=False, allow_warnings=False, allow_infos=False, meta_shacl=False,
    )
    if conforms:
        return []
    return [(results.value(r, SH.sourceShape), results.value(r, SH.focusNode), results.value(r, SH.resultPath),
             results.value(r, SH.value), results.value(r, SH.resultMessage), results.value(r, SH.resultSeverity))
            for r in results.subjects(RDF.type, SH.ValidationResult)]


@cache
def _compiled_or_refusal() -> CompiledShapes | str:
    try:
        return compile_shapes(load_shapes())
    except UnsupportedShapes as exc:
        return str(exc)


def _compiled() -> CompiledShapes | None:
    got = _compiled_or_refusal()
    return got if isinstance(got, CompiledShapes) else None


def _compiled_refusal() -> str:
    got = _compiled_or_refusal()
    return got if isinstance(got, str) else ""


@cache
def _axiom_index() -> Index:
    return Index(_axioms())


@cache
def _axioms() -> Graph:
    """The part of lmg.ttl that pyshacl mixes into each data graph (class and
    property declarations, subclass axioms), without labels and comments,
    so the per-item copy stays small."""
    keep = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range}
    g = Graph(bind_namespaces="none")
    for s, p, o in load_lmg():
        if p in keep and isinstance(s, URIRef):
            g.add((s, p, o))
    return g


@cache
def _shape_labels() -> dict[Any, str]:
    """Node shape label for every shape, property shapes included (by their parent)."""
    sg = load_shapes()
    labels: dict[Any, str] = {}
    for ns in set(sg.subjects(RDF.type, SH.NodeShape)):
        label = str(sg.value(ns, RDFS.label) or _compact(ns))
        labels[_bnode_key(ns)] = label
        for ps in sg.objects(ns, SH.property):
            labels[_bnode_key(ps)] = label
    return labels


def _bnode_key(node: Any) -> Any:
    # pyshacl copies blank-node shapes into its report keeping their ids.
    return ("b", str(node)) if isinstance(node, BNode) else node


@cache
def _topic_triples() -> dict[URIRef, tuple]:
    """Per concept, the triples that say it is a concept of the scheme (not its labels)."""
    g = load_topics()
    keep = (RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#inScheme"))
    out: dict[URIRef, list] = {}
    for p in keep:
        for s, o in g.subject_objects(p):
            out.setdefault(s, []).append((s, p, o))
    return {k: tuple(v) for k, v in out.items()}


# -- registry descriptions --------------------------------------------------------

_REGISTRY_PREFIXES = tuple(f"{ID}{load_schema().entity_types[t].iri_prefix}/" for t in ("Organization", "Place"))


def _referenced(g: Iterable[tuple]) -> list[URIRef]:
    """Organization and place IRIs the item graph mentions (candidates for the registry)."""
    nodes = set()
    for s, _, o in g:
        for n in (s, o):
            if isinstance(n, URIRef) and str(n).startswith(_REGISTRY_PREFIXES):
                nodes.add(n)
    return sorted(nodes)


def _describer(registry: Any):
    if registry is None:
        registry = _default_registry()
    if isinstance(registry, Graph):
        return lambda iris: _describe_from_graph(registry, iris)
    key_of = getattr(registry, "key_of", None)

    triples_of = getattr(registry, "describe_triples", None) or registry.describe

    def describe(iris: list[URIRef]) -> Iterable[tuple]:
        known = [i for i in iris if key_of(i) is not None] if key_of else iris
        return triples_of(known) if known else ()
    return describe


def _describe_from_graph(reg: Graph, iris: Iterable[URIRef]) -> Graph:
    """What ``Registry.describe`` does, over a registry graph: the nodes' triples,
    following IRIs they point to (parents, countries) transitively."""
    out = Graph(bind_namespaces="none")
    seen: set = set()
    todo = list(iris)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in reg.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, (URIRef, BNode)) and o not in seen:
                todo.append(o)
    return out


def _default_registry():
    from kg.registry import default_registry

    return default_registry()


# -- small helpers ------------------------------------------------------------------

def _item_of(g: Graph) -> URIRef:
    if isinstance(g.identifier, URIRef):
        return g.identifier
    sdo_article = URIRef("https://schema.org/NewsArticle")
    for s in g.subjects(RDF.type, sdo_article):
        if isinstance(s, URIRef):
            return s
    return URIRef("urn:levant-kg:unnamed-graph")


def _as_item_iri(i: str | URIRef) -> URIRef:
    if isinstance(i, URIRef) or str(i).startswith(("http://", "https://", "urn:")):
        return URIRef(str(i))
    return item_iri(str(i))


def _with_identifier(g: Graph, iri: URIRef) -> Graph:
    if g.identifier == iri:
        return g
    named = Graph(identifier=iri, bind_namespaces="none")
    for triple in g:
        named.add(triple)
    return named


@cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    s = load_schema()
    pairs = [(p, ns) for p, ns in s.prefixes.items()]
    pairs += [("id", s.resource_base), ("topic", s.topic_base),
              ("rdf", str(RDF)), ("shape", "https://w3id.org/levant-kg/shapes#")]
    return tuple(sorted(pairs, key=lambda pn: -len(pn[1])))


def _compact(node: Any) -> str:
    """``id:org/iom`` for an IRI, the quoted text for a literal."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        text = str(node)
        text = text if len(text) <= 80 else text[:77] + "..."
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype:
            return f'"{text}"^^{_compact(node.datatype)}'
        return f'"{text}"'
    if isinstance(node, BNode):
        return "[]"
    s = str(node)
    for prefix, ns in _prefixes():
        if s.startswith(ns):
            return f"{prefix}:{s[len(ns):]}"
    return f"<{s}>"



def _data_graph() -> Graph:
    """An in-memory rdflib graph for one validation run (never store-backed: see the module doc)."""
    return Graph(bind_namespaces="none")
