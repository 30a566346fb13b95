"""SHACL validation (kg.validate, ontology/shapes.ttl).

One case per shape breaks a valid item graph the way that shape exists to
catch and checks that the report names the item, the shape and the problem.
The FULL record, FakeRegistry and TEXT come from test_mapping.
"""
from __future__ import annotations

from collections import namedtuple

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.iri import DCTERMS, ID, LMG, OA, ORG, REGISTRY_GRAPH, SDO, SKOS, country_iri, item_iri, post_iri
from kg.mapping import record_to_graph
from kg.ontology import load_shapes
from kg.record import load_record
from kg.validate import Report, _axioms, validate_graph, validate_registry, validate_store

from test_mapping import (ALI, DOE, EU, GOLD, IOM, MOL, PROJ, SAMPLE_ITEMS, WS, X, FakeRegistry, full_graph,
                          gold_text, local, real_registry, sample)

REG = FakeRegistry()


@pytest.fixture
def graph() -> Graph:
    """A valid item graph (FULL, linked to the fake registry)."""
    return full_graph(REG)


def test_full_record_conforms(graph):
    report = validate_graph(graph, REG)
    assert report.conforms, report.text()
    assert report.graphs == 1 and report.ms_per_graph > 0


def test_a_registry_graph_works_like_a_registry(graph):
    assert validate_graph(graph, REG.to_graph()).conforms


# -- gold records --------------------------------------------------------------------

@pytest.mark.skipif(not GOLD, reason="dev corpus not available")
@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name.split(".")[0])
def test_gold_records_validate_clean_without_registry_links(path):
    g = record_to_graph(load_record(path), text=gold_text(path))
    report = validate_graph(g, Graph())
    assert report.conforms, report.text()


@pytest.mark.skipif(not GOLD, reason="dev corpus not available")
@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name.split(".")[0])
def test_gold_records_validate_clean_with_the_registry(path):
    reg = real_registry()
    g = record_to_graph(load_record(path), reg, text=gold_text(path))
    report = validate_graph(g, reg)
    assert report.conforms, report.text()


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
@pytest.mark.parametrize("name", SAMPLE_ITEMS)
def test_sample_items_with_their_counts_conform(name, engine):
    record, text = sample(name)
    reg = real_registry()
    g = record_to_graph(record, reg, text=text)
    assert g.value(item_iri(record.item.id), LMG.quotationCount) is not None
    report = validate_graph(g, reg, engine=engine)
    assert report.conforms, report.text()


def test_the_registry_graph_conforms():
    report = validate_registry(real_registry())
    assert report.conforms, report.text()


# -- registry descriptions and subclass reasoning -----------------------------------

def test_registry_actors_get_their_labels_from_the_registry(graph):
    report = validate_graph(graph, Graph())  # no registry: its actors have no labels here
    shapes = {(v.shape, v.focus, v.path) for v in report.violations}
    assert ("Organization", "id:org/iom", "skos:prefLabel") in shapes
    assert ("Organization", "id:org/iom-jo", "skos:prefLabel") in shapes
    assert ("Place", "id:place/amman", "skos:prefLabel") in shapes


def test_parents_are_described_transitively():
    # The item names only IOM Jordan; the registry says it is part of IOM, part of the UN.
    # Without IOM's and the UN's descriptions the parent checks of the registry triples fail.
    g = Graph(identifier=X)
    g += full_graph(REG).triples((X, None, None))
    jo_office = REG.iri("iom-jo")
    g.add((jo_office, RDF.type, ORG.OrganizationalUnit))
    g.add((X, SDO.mentions, jo_office))
    assert validate_graph(g, REG).conforms
    shallow = Graph()
    shallow += REG.to_graph().triples((jo_office, None, None))  # the office alone, not its parents
    report = validate_graph(g, shallow)
    assert ("part_of (org:subOrganizationOf)", "id:org/iom-jo", "org:subOrganizationOf") in {
        (v.shape, v.focus, v.path) for v in report.violations}


def test_sh_class_follows_subclass_axioms_of_the_ontology():
    """sh:class org:Organization accepts a node typed only org:OrganizationalUnit, and
    sh:class schema:Place one typed only schema:Country, because validation mixes in
    lmg.ttl's rdfs:subClassOf axioms (inference stays "none"). Without them both fail."""
    g = Graph(identifier=X)
    unit, parent, event = URIRef(f"{ID}org/unit"), URIRef(f"{ID}org/parent"), URIRef(f"{ID}event/e")
    jo = country_iri("JO")
    g.add((unit, RDF.type, ORG.OrganizationalUnit))  # not typed org:Organization
    g.add((parent, RDF.type, ORG.Organization))
    g.add((unit, ORG.subOrganizationOf, parent))
    g.add((event, RDF.type, LMG.Workshop))  # not typed schema:Event
    g.add((event, SDO.organizer, unit))
    g.add((event, SDO.location, jo))
    g.add((jo, RDF.type, SDO.Country))  # not typed schema:Place
    for node in (unit, parent, jo):
        g.add((node, SKOS.prefLabel, Literal("x", lang="en")))
    g.add((event, RDFS.label, Literal("x", lang="en")))
    assert validate_graph(g, Graph()).conforms
    # the same data without the ontology's axioms: the subclass chains are gone
    data = Graph()
    data += g
    conforms, results, _ = pyshacl_validate(data, shacl_graph=load_shapes(), inference="none")
    assert not conforms
    paths = {results.value(r, SH.resultPath) for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert {SDO.organizer, SDO.location} <= paths
    assert (ORG.OrganizationalUnit, RDFS.subClassOf, ORG.Organization) in _axioms()


def test_mapped_graphs_do_not_depend_on_the_subclass_axioms(graph):
    """The mapping types every entity with its type class as well as its kind class
    (org:OrganizationalUnit *and* org:Organization), so entities pass sh:class even
    without the ontology; the axioms serve registry and hand-written nodes."""
    assert {ORG.OrganizationalUnit, ORG.Organization} <= set(graph.objects(REG.iri("iom-jo"), RDF.type))
    data = Graph()
    data += graph
    data += REG.describe([REG.iri("iom"), REG.iri("iom-jo"), REG.iri("amman"), REG.iri("JO")])
    for s, p, o in list(data.triples((None, RDF.type, None))):
        if o in (SDO.Country, SDO.City):  # the fake registry types places with the specific class only
            data.add((s, RDF.type, SDO.Place))
    data.add((URIRef("https://w3id.org/levant-kg/topic/labour-migration"), RDF.type, SKOS.Concept))
    data.add((URIRef("https://w3id.org/levant-kg/topic/gcm-objective-06"), RDF.type, SKOS.Concept))
    conforms, _, text = pyshacl_validate(data, shacl_graph=load_shapes(), inference="none")
    assert conforms, text


# -- one case per shape -----------------------------------------------------------

def drop(s, p):
    return lambda g: g.remove((s, p, None))


def replace(s, p, new):
    def change(g):
        g.remove((s, p, None))
        g.add((s, p, new))
    return change


def add(*triple):
    return lambda g: g.add(triple)


Case = namedtuple("Case", "shape change focus path message")
CASES = [
    Case("News item", drop(X, DCTERMS.identifier), "id:item/test-full", "dcterms:identifier", "exactly one identifier"),
    Case("News item", add(X, SDO.datePublished, Literal("14 March 2024")), "id:item/test-full",
         "schema:datePublished", "xsd:date"),
    Case("News item", add(X, DCTERMS.subject, URIRef("https://w3id.org/levant-kg/topic/labor")), "id:item/test-full",
         "dcterms:subject", "topic scheme"),
    Case("News item", drop(X, LMG.entityCount), "id:item/test-full", "lmg:entityCount", "older levant-kg"),
    Case("News item", replace(X, LMG.statementCount, Literal(-1)), "id:item/test-full", "lmg:statementCount",
         "non-negative xsd:integer"),
    Case("News item", replace(X, LMG.quotationCount, Literal("1")), "id:item/test-full", "lmg:quotationCount",
         "non-negative xsd:integer"),
    Case("News item", add(X, LMG.quotationCount, Literal(2)), "id:item/test-full", "lmg:quotationCount",
         "one count of its quotations"),
    Case("Organization", drop(MOL, SKOS.prefLabel), str(MOL).replace(str(ID), "id:"), "skos:prefLabel",
         "preferred label"),
    Case("Person", drop(DOE, RDFS.label), str(DOE).replace(str(ID), "id:"), "rdfs:label", "person needs a name"),
    Case("Post", drop(post_iri(MOL, "Member"), ORG.postIn), str(post_iri(MOL, "Member")).replace(str(ID), "id:"),
         "org:postIn", "exactly one organization"),
    Case("Project", drop(PROJ, RDFS.label), str(PROJ).replace(str(ID), "id:"), "rdfs:label", "project needs a name"),
    Case("Event", add(WS, SDO.startDate, Literal("2024-03-14")), str(WS).replace(str(ID), "id:"), "schema:startDate",
         "start date"),
    Case("Place", add(URIRef(f"{ID}place/zarqa"), RDF.type, SDO.City), "id:place/zarqa", "skos:prefLabel",
         "place needs a preferred label"),  # typed only schema:City: targeted through rdfs:subClassOf
    Case("Country of an actor or event", replace(MOL, LMG.country, URIRef(f"{ID}place/Jordan")),
         str(MOL).replace(str(ID), "id:"), "lmg:country", "ISO 3166-1"),
    Case("Mention", drop(local("m1"), LMG.refersTo), "id:item/test-full#m1", "lmg:refersTo", "exactly one entity"),
    Case("Mention", drop(local("m1"), OA.exact), "id:item/test-full#m1", "oa:exact", "words of the item"),
    Case("Words of the item", replace(local("m1"), OA.exact, Literal("IOM", lang="en")), "id:item/test-full#m1",
         "oa:exact", "plain non-empty string"),
    Case("Words of the item", replace(local("m1"), OA.start, Literal(-3)), "id:item/test-full#m1", "oa:start",
         "start offset"),
    Case("Words of the item", replace(local("r2"), OA.end, Literal(0)), "id:item/test-full#r2", "oa:start",
         "not after their end"),
    Case("Words of the item", add(local("q1"), OA.end, Literal(999)), "id:item/test-full#q1", "oa:end",
         "one non-negative"),
    Case("Relation statement", replace(local("r1"), LMG.relationType, Literal("founded")), "id:item/test-full#r1",
         "lmg:relationType", "relation type"),
    Case("Quotation", drop(local("q1"), LMG.speaker), "id:item/test-full#q1", "lmg:speaker", "one speaker"),
    Case("part_of (org:subOrganizationOf)", add(REG.iri("iom-jo"), ORG.subOrganizationOf, DOE), "id:org/iom-jo",
         "org:subOrganizationOf", "must be an organization"),
    Case("holds_post (org:holds)", add(DOE, ORG.holds, MOL), str(DOE).replace(str(ID), "id:"), "org:holds",
         "org:Post"),
    Case("funds (schema:funder)", add(PROJ, SDO.funder, ALI), str(PROJ).replace(str(ID), "id:"), "schema:funder",
         "funder (schema:funder) must be an organization"),
    Case("funds (schema:funder)", add(ALI, SDO.funder, EU), str(ALI).replace(str(ID), "id:"), None,
         "Only a project, an event or an organization is funded"),
    Case("implements (lmg:implements)", add(IOM, LMG.implements, WS), "id:org/iom", "lmg:implements",
         "must be a project"),
    Case("organizes (schema:organizer)", add(WS, SDO.organizer, DOE), str(WS).replace(str(ID), "id:"),
         "schema:organizer", "must be an organization"),
    Case("participates_in (schema:attendee)", add(WS, SDO.attendee, PROJ), str(WS).replace(str(ID), "id:"),
         "schema:attendee", "organization or a person"),
    Case("participates_in (schema:attendee)", add(PROJ, SDO.attendee, DOE), str(PROJ).replace(str(ID), "id:"), None,
         "Only an event has attendees"),
    Case("partners_with (lmg:partnerOf)", add(MOL, LMG.partnerOf, DOE), str(MOL).replace(str(ID), "id:"),
         "lmg:partnerOf", "must be an organization"),
    Case("under_project (lmg:underProject)", add(WS, LMG.underProject, EU), str(WS).replace(str(ID), "id:"),
         "lmg:underProject", "must be a project"),
    Case("located_in (schema:location)", add(WS, SDO.location, MOL), str(WS).replace(str(ID), "id:"),
         "schema:location", "must be a place"),
]


def shape_labels() -> set[str]:
    sg = load_shapes()
    return {str(sg.value(s, RDFS.label)) for s in sg.subjects(RDF.type, SH.NodeShape)}


def test_every_shape_has_a_case_a_label_and_messages():
    sg = load_shapes()
    assert shape_labels() == {c.shape for c in CASES}
    for ns in sg.subjects(RDF.type, SH.NodeShape):
        for ps in sg.objects(ns, SH.property):
            assert sg.value(ps, SH.message) is not None, f"a property shape of {ns} has no sh:message"
        if not list(sg.objects(ns, SH.property)):
            assert sg.value(ns, SH.message) is not None, ns


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.shape}:{c.path}")
def test_each_shape_reports_its_problem(graph, case, engine):
    case.change(graph)
    report = validate_graph(graph, REG, engine=engine)
    assert not report.conforms
    hits = [v for v in report.violations if v.shape == case.shape and v.focus == case.focus]
    assert hits, report.text()
    v = hits[0]
    assert v.item == str(X) and v.item_id == "test-full"
    assert v.path == case.path
    assert case.message in v.message and v.severity == "Violation"
    text = report.text()
    assert "item test-full" in text and case.shape in text and v.message in text


# -- report ---------------------------------------------------------------------------

def test_report_text_groups_by_item_then_shape(graph):
    other = record_to_graph(load_record(GOLD[0]), text=gold_text(GOLD[0])) if GOLD else None
    graph.remove((PROJ, RDFS.label, None))
    graph.remove((ALI, RDFS.label, None))
    graph.remove((DOE, RDFS.label, None))
    report = validate_graph(graph, REG)
    if other is not None:
        other.remove((other.identifier, DCTERMS.identifier, None))
        report.extend(validate_graph(other, REG))
    text = report.text()
    assert text.count("item test-full") == 1 and text.count("  Person:") == 1
    assert text.index("  Person:") < text.index("  Project:") or text.index("  Project:") < text.index("  Person:")
    if other is not None:
        assert f"<{other.identifier}>" in text and report.graphs == 2
    assert Report().text().endswith("all conform.")


# -- store and registry -------------------------------------------------------------

class MiniStore:
    """The parts of the kg.store contract validation uses, over an rdflib Dataset."""

    def __init__(self):
        self.ds = Dataset()

    def put_item(self, iri, graph):
        g = self.ds.graph(iri)
        g.remove((None, None, None))
        g += graph

    def put_graph(self, iri, graph):
        self.put_item(iri, graph)

    def items(self):
        return sorted(g.identifier for g in self.ds.graphs() if str(g.identifier).startswith(f"{ID}item/"))

    def item_graph(self, iri):
        out = Graph(identifier=iri)
        out += self.ds.graph(iri)
        return out

    def graph(self, iri):
        return self.item_graph(iri)


def fill(store, graph):
    store.put_item(X, graph)
    broken = full_graph(REG)
    broken.remove((DOE, RDFS.label, None))
    broken_iri = item_iri("test-broken")
    renamed = Graph(identifier=broken_iri)
    for s, p, o in broken:
        renamed.add(tuple(URIRef(str(t).replace(str(X), str(broken_iri))) if isinstance(t, URIRef) else t
                          for t in (s, p, o)))
    renamed.remove((broken_iri, DCTERMS.identifier, None))
    renamed.add((broken_iri, DCTERMS.identifier, Literal("test-broken")))
    store.put_item(broken_iri, renamed)
    store.put_graph(REGISTRY_GRAPH, REG.to_graph())


def test_validate_store_reads_the_registry_graph_of_the_store(graph):
    store = MiniStore()
    fill(store, graph)
    report = validate_store(store)
    assert report.graphs == 2
    assert {(v.item_id, v.shape, v.path) for v in report.violations} == {("test-broken", "Person", "rdfs:label")}
    only = validate_store(store, items=["test-full"])
    assert only.conforms and only.graphs == 1
    with_registry = validate_store(store, items=[X], check_registry=True)
    assert with_registry.conforms and with_registry.graphs == 2


def test_validate_store_on_the_project_store(graph):
    from kg.store import open_store

    with open_store(":memory:") as store:
        fill(store, graph)
        report = validate_store(store)
    assert {(v.item_id, v.shape, v.path) for v in report.violations} == {("test-broken", "Person", "rdfs:label")}


def test_validate_registry_reports_against_the_registry_graph():
    assert validate_registry(REG).conforms
    broken = REG.to_graph()
    broken.remove((REG.iri("un"), SKOS.prefLabel, None))
    broken.add((REG.iri("iom"), ORG.subOrganizationOf, country_iri("JO")))
    report = validate_registry(broken)
    found = {(v.item, v.shape, v.focus, v.path) for v in report.violations}
    assert (str(REGISTRY_GRAPH), "Organization", "id:org/un", "skos:prefLabel") in found
    assert (str(REGISTRY_GRAPH), "part_of (org:subOrganizationOf)", "id:org/iom", "org:subOrganizationOf") in found
    assert "item registry" in report.text()


# -- the compiled engine against pyshacl ------------------------------------------------

def _results(report: Report) -> list[tuple]:
    return sorted((v.shape, v.focus, v.path or "", v.value or "", v.message, v.severity) for v in report.violations)


def _broken_variants(g: Graph, rng, n: int) -> list[Graph]:
    """Copies of ``g`` with a few triples dropped, or objects of the wrong kind added
    (no blank nodes: pyshacl refuses to compare them with sh:lessThanOrEquals)."""
    triples = sorted(g)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    bad_objects = [Literal("x"), Literal("-3", datatype=URIRef(xsd + "integer")),
                   Literal("2024-13-45", datatype=URIRef(xsd + "date")), Literal("نص"),
                   URIRef(ID + "org/nonesuch"), URIRef(ID + "place/JO")]
    out = []
    for _ in range(n):
        h = Graph(identifier=g.identifier)
        for t in triples:
            h.add(t)
        for _ in range(3):
            s_, p_, o_ = rng.choice(triples)
            if rng.random() < 0.4:
                h.remove((s_, p_, o_))
            else:
                h.add((s_, p_, rng.choice(bad_objects)))
        out.append(h)
    return out


@pytest.mark.slow
def test_the_compiled_engine_reports_what_pyshacl_reports(caplog):
    import logging
    import random
    from pathlib import Path

    from kg.extract import extract
    from kg.resources import data_path

    caplog.set_level(logging.CRITICAL, logger="rdflib.term")  # it logs the ill-typed date
    reg = real_registry()
    rng = random.Random(7)
    checked = broken = 0
    for path in sorted(Path(data_path("samples")).glob("*.txt")):
        g = record_to_graph(extract(path.read_text(encoding="utf-8"), item_id=path.stem), reg)
        for h in [g] + _broken_variants(g, rng, 6):
            fast, ref = validate_graph(h, reg, engine="compiled"), validate_graph(h, reg, engine="pyshacl")
            assert _results(fast) == _results(ref), path.name
            checked += 1
            broken += not ref.conforms
    assert checked == 14 * 7 and broken >= 14 * 5  # most variants do break a shape


def test_auto_falls_back_to_pyshacl_for_shapes_it_does_not_compile():
    from kg.shacl_core import UnsupportedShapes, compile_shapes

    sg = Graph()
    sg.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShapes, match="qualified"):
        compile_shapes(sg)
    assert compile_shapes(load_shapes()).shapes  # the project's shapes compile


def test_an_unknown_engine_is_refused(graph):
    with pytest.raises(ValueError, match="unknown validation engine"):
        validate_graph(graph, REG, engine="fast")
