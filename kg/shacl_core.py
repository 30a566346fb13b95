"""A compiled evaluator for the part of SHACL Core that ``ontology/shapes.ttl`` uses.

Why: pyshacl spends over 20 ms of CPU on one item graph of about 270 triples,
more than the rest of ingesting an item, because it walks an rdflib graph node by node
for every constraint. Item graphs are small and the shapes use a dozen
constraint components, so the shapes are compiled once into plain Python
checks that run over a dict index of the triples, a few milliseconds an item.

pyshacl stays the reference: :func:`compile_shapes` refuses a shapes graph
that uses anything outside the subset below (:class:`UnsupportedShapes`),
and ``kg.validate`` then runs pyshacl instead; the tests check that both
engines report the same results on valid and broken graphs.

The subset: node shapes with ``sh:targetClass`` (instances of subclasses
included, through ``rdfs:subClassOf`` in the data graph, as pyshacl sees it
with the ontology mixed in) and ``sh:targetSubjectsOf``; property shapes
with a predicate path; constraints ``sh:class``, ``sh:datatype``,
``sh:nodeKind``, ``sh:minCount``, ``sh:maxCount``, ``sh:minInclusive``,
``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``,
``sh:pattern`` (with ``sh:flags``), ``sh:minLength``, ``sh:maxLength``,
``sh:in``, ``sh:lessThanOrEquals`` and ``sh:or`` of shapes made of value
constraints; ``sh:message`` and ``sh:severity``.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

__all__ = ["UnsupportedShapes", "Result", "CompiledShapes", "compile_shapes", "Index"]


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature this evaluator does not implement."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pyshacl would report it."""

    source: Any          # the node shape (node-level constraint) or property shape
    node_shape: Any      # the node shape the result belongs to
    focus: Any
    path: Any | None
    value: Any | None
    message: str | None
    severity: URIRef


# -- the data: a dict index over triples ------------------------------------------

class Index:
    """Subject -> predicate -> objects, plus predicate -> subjects, over a
    base layer (built once, e.g. the ontology axioms) and the triples of one run."""

    def __init__(self, triples: Iterable[tuple], base: "Index | None" = None):
        self.sp: dict[Any, dict[Any, list]] = {}
        self.ps: dict[Any, set] = {}
        seen = set()
        for t in triples:
            if t in seen:
                continue
            seen.add(t)
            s, p, o = t
            self.sp.setdefault(s, {}).setdefault(p, []).append(o)
            self.ps.setdefault(p, set()).add(s)
        self.base = base
        self._supers: dict[Any, frozenset] = {}
        self._classes: dict[Any, frozenset] = {}
        self._by_class: dict[Any, set] | None = None
        if base is not None:  # a base triple repeated in the run counts once
            for s, po in self.sp.items():
                bpo = base.sp.get(s)
                if bpo:
                    for p, os_ in po.items():
                        if p in bpo:
                            po[p] = [o for o in os_ if o not in bpo[p]]

    def objects(self, s: Any, p: Any) -> list:
        mine = self.sp.get(s, {}).get(p, ())
        if self.base is None:
            return list(mine)
        return list(mine) + self.base.objects(s, p)

    def subjects_of(self, p: Any) -> set:
        mine = self.ps.get(p, set())
        return mine | self.base.subjects_of(p) if self.base is not None else set(mine)

    def superclasses(self, cls: Any) -> frozenset:
        """``cls`` and everything it is an rdfs:subClassOf, transitively."""
        got = self._supers.get(cls)
        if got is None:
            out, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), _SUBCLASS):
                    if sup not in out:
                        out.add(sup)
                        todo.append(sup)
            got = self._supers[cls] = frozenset(out)
        return got

    def classes(self, node: Any) -> frozenset:
        """Every class ``node`` is a SHACL instance of (its types and their superclasses)."""
        got = self._classes.get(node)
        if got is None:
            got = frozenset().union(*(self.superclasses(t) for t in self.objects(node, _TYPE)))
            self._classes[node] = got
        return got

    def is_instance(self, node: Any, cls: Any) -> bool:
        return not isinstance(node, Literal) and cls in self.classes(node)

    def instances(self, cls: Any) -> set:
        if self._by_class is None:
            self._by_class = {}
            for s in self.subjects_of(_TYPE):
                for c in self.classes(s):
                    self._by_class.setdefault(c, set()).add(s)
        return self._by_class.get(cls, set())


_TYPE = RDF.type
_SUBCLASS = RDFS.subClassOf


# -- value constraints ------------------------------------------------------------------

Check = Callable[[Index, Any, Any], bool]  # (index, focus, value) -> conforms


def _datatype_ok(dt: URIRef) -> Check:
    def check(ix: Index, focus: Any, v: Any) -> bool:
        if not isinstance(v, Literal):
            return False
        actual = v.datatype or (RDF.langString if v.language else XSD.string)
        if actual != dt:
            return False
        return getattr(v, "ill_typed", None) is not True
    return check


def _compare(ok: Callable[[int], bool], bound: Literal) -> Check:
    """A range constraint: ``ok`` reads the order of the value against the bound."""
    bound_is_string = isinstance(bound.value, str)

    def check(ix: Index, focus: Any, v: Any) -> bool:
        if not isinstance(v, Literal) or isinstance(v.value, str) != bound_is_string:
            return False
        try:
            return ok(_order(v, bound))
        except (TypeError, NotImplementedError):
            return False
    return check


def _order(a: Literal, b: Literal) -> int:
    """0, 1 or -1 as rdflib orders two literals (what pyshacl's range checks read;
    an ill-typed literal is "not greater", never an error)."""
    if a.eq(b):
        return 0
    if isinstance(a.value, (datetime.datetime, datetime.time)):
        return 0 if a.value == b.value else 1 if a.value > b.value else -1
    return 1 if a > b else -1


def _node_kind(kind: URIRef) -> Check:
    allowed = {
        SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,),
        SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal),
        SH.IRIOrLiteral: (URIRef, Literal),
    }.get(kind)
    if allowed is None:
        raise UnsupportedShapes(f"sh:nodeKind {kind}")
    return lambda ix, focus, v: isinstance(v, allowed)


def _text_check(test: Callable[[str], bool]) -> Check:
    return lambda ix, focus, v: not isinstance(v, BNode) and test(str(v))


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}

# constraint components that judge one value node at a time
_VALUE: dict[URIRef, Callable[[Graph, Any, Any], Check]] = {
    SH["class"]: lambda sg, shape, c: (lambda ix, focus, v: ix.is_instance(v, c)),
    SH.datatype: lambda sg, shape, dt: _datatype_ok(dt),
    SH.nodeKind: lambda sg, shape, k: _node_kind(k),
    SH.minInclusive: lambda sg, shape, b: _compare(lambda o: o >= 0, b),
    SH.maxInclusive: lambda sg, shape, b: _compare(lambda o: o <= 0, b),
    SH.minExclusive: lambda sg, shape, b: _compare(lambda o: o > 0, b),
    SH.maxExclusive: lambda sg, shape, b: _compare(lambda o: o < 0, b),
    SH.minLength: lambda sg, shape, n: _text_check(lambda s, n=int(n): len(s) >= n),
    SH.maxLength: lambda sg, shape, n: _text_check(lambda s, n=int(n): len(s) <= n),
    SH.pattern: lambda sg, shape, p: _text_check(re.compile(
        str(p), sum(_FLAGS.get(f, 0) for f in str(sg.value(shape, SH.flags) or ""))).search),
    SH["in"]: lambda sg, shape, lst: (lambda ix, focus, v, allowed=frozenset(Collection(sg, lst)): v in allowed),
}

# what a shape may say besides constraints (documentation and structure)
_INERT = {RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.message, SH.severity, SH.order,
          SH.group, SH.flags, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.path}


@dataclass
class _Shape:
    iri: Any
    node_shape: Any
    path: URIRef | None                     # None for the node shape's own constraints
    message: str | None
    severity: URIRef
    checks: list[Check] = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    less_eq: list[URIRef] = field(default_factory=list)


def _or_check(sg: Graph, lst: Any) -> Check:
    members = []
    for m in Collection(sg, lst):
        checks = []
        for p, o in sg.predicate_objects(m):
            if p in _VALUE:
                checks.append(_VALUE[p](sg, m, o))
            elif p not in (RDF.type, RDFS.label, RDFS.comment, SH.name, SH.message, SH.flags):
                raise UnsupportedShapes(f"sh:or member with {p}")
        members.append(checks)
    return lambda ix, focus, v: any(all(c(ix, focus, v) for c in m) for m in members)


def _compile(sg: Graph, shape: Any, node_shape: Any, path: Any) -> _Shape:
    messages = [str(m) for m in sg.objects(shape, SH.message)]
    out = _Shape(shape, node_shape, path, messages[0] if messages else None,
                 sg.value(shape, SH.severity) or SH.Violation)
    if sg.value(shape, SH.deactivated) is not None:
        raise UnsupportedShapes("sh:deactivated")
    for p, o in sg.predicate_objects(shape):
        if p in _VALUE:
            out.checks.append(_VALUE[p](sg, shape, o))
        elif p == SH["or"]:
            out.checks.append(_or_check(sg, o))
        elif p == SH.minCount and path is not None:
            out.min_count = int(o)
        elif p == SH.maxCount and path is not None:
            out.max_count = int(o)
        elif p == SH.lessThanOrEquals and path is not None:
            out.less_eq.append(o)
        elif p not in _INERT:
            raise UnsupportedShapes(f"{p} on shape {shape}")
    return out


@dataclass
class _NodeShape:
    iri: Any
    target_classes: list
    target_subjects_of: list
    own: _Shape
    properties: list[_Shape]


class CompiledShapes:
    """The node shapes of a shapes graph, ready to run over an :class:`Index`."""

    def __init__(self, shapes: list[_NodeShape]):
        self.shapes = shapes

    def validate(self, ix: Index) -> list[Result]:
        out: list[Result] = []
        for ns in self.shapes:
            focus_nodes = set()
            for c in ns.target_classes:
                focus_nodes |= ix.instances(c)
            for p in ns.target_subjects_of:
                focus_nodes |= ix.subjects_of(p)
            for f in focus_nodes:
                out.extend(_run(ns.own, ix, f, [f]))
                for ps in ns.properties:
                    out.extend(_run(ps, ix, f, ix.objects(f, ps.path)))
        return out


def _run(s: _Shape, ix: Index, focus: Any, values: list) -> Iterator[Result]:
    def result(value: Any) -> Result:
        return Result(s.iri, s.node_shape, focus, s.path, value, s.message, s.severity)
    if s.min_count is not None and len(values) < s.min_count:
        yield result(None)
    if s.max_count is not None and len(values) > s.max_count:
        yield result(None)
    for check in s.checks:
        for v in values:
            if not check(ix, focus, v):
                yield result(v)
    for other in s.less_eq:
        bounds = ix.objects(focus, other)
        for v in values:
            for b in bounds:
                if not _le(v, b):
                    yield result(v)


def _le(a: Any, b: Any) -> bool:
    """SPARQL ``<=`` as pyshacl applies it: strings (and IRIs) with strings,
    other literals with each other as rdflib compares them."""
    def plain(x: Any) -> tuple[bool, Any]:
        if isinstance(x, URIRef):
            return True, str(x)
        if isinstance(x, Literal) and isinstance(x.value, str):
            return True, x.value
        return False, x
    (sa, va), (sb, vb) = plain(a), plain(b)
    if sa != sb or isinstance(va, BNode) or isinstance(vb, BNode):
        return False
    try:
        return bool(va <= vb)
    except TypeError:
        return False


def compile_shapes(sg: Graph) -> CompiledShapes:
    """Compile every node shape of ``sg``, or raise :class:`UnsupportedShapes`."""
    shapes = []
    for ns in sorted(set(sg.subjects(RDF.type, SH.NodeShape)), key=str):
        props = []
        for ps in sg.objects(ns, SH.property):
            path = sg.value(ps, SH.path)
            if not isinstance(path, URIRef):
                raise UnsupportedShapes(f"a property shape of {ns} has a path that is not a predicate")
            props.append(_compile(sg, ps, ns, path))
        for p in (SH.targetNode, SH.targetObjectsOf, SH.target, SH.closed, SH.node, SH.qualifiedValueShape,
                  SH["and"], SH["not"], SH.xone, SH.sparql):
            if sg.value(ns, p) is not None:
                raise UnsupportedShapes(f"{p} on shape {ns}")
        shapes.append(_NodeShape(ns, list(sg.objects(ns, SH.targetClass)), list(sg.objects(ns, SH.targetSubjectsOf)),
                                 _compile(sg, ns, ns, None), props))
    for ps in set(sg.subjects(RDF.type, SH.PropertyShape)) - {p for n in shapes for p in (x.iri for x in n.properties)}:
        raise UnsupportedShapes(f"property shape {ps} outside a node shape")
    return CompiledShapes(shapes)
