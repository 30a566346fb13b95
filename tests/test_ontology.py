"""The ontology (lmg.ttl), the topic scheme (topics.ttl) and kg.ontology."""
from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.iri import LMG, ONTOLOGY_GRAPH, ORG, SDO, TOPIC
from kg.ontology import TOPIC_SCHEME, load_lmg, load_ontology, load_shapes, load_topics, topic_keys
from kg.resources import ontology_path
from kg.schema import load_schema

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                     OWL.SymmetricProperty, RDF.Property, RDFS.Class)


def lmg_terms() -> set[URIRef]:
    g = load_lmg()
    return {s for t in DECLARATION_TYPES for s in g.subjects(RDF.type, t) if str(s).startswith(str(LMG))}


def langs(g: Graph, s, p) -> set[str | None]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and str(o).strip()}


@pytest.mark.parametrize("name", ["lmg.ttl", "topics.ttl", "shapes.ttl"])
def test_files_parse(name):
    g = Graph().parse(ontology_path(name), format="turtle")
    assert len(g) > 50


def test_no_imports_so_nothing_touches_the_network():
    for g in (load_ontology(), load_shapes()):
        assert not list(g.triples((None, OWL.imports, None)))


def test_loaders_are_cached_and_named():
    assert load_ontology() is load_ontology()
    assert load_ontology().identifier == ONTOLOGY_GRAPH
    assert len(load_ontology()) == len(load_lmg()) + len(load_topics())


def test_every_lmg_term_has_english_and_arabic_labels_and_a_comment():
    g = load_lmg()
    terms = lmg_terms()
    assert len(terms) > 30
    for t in terms:
        assert {"en", "ar"} <= langs(g, t, RDFS.label), f"{t} needs rdfs:label @en and @ar"
        assert "en" in langs(g, t, RDFS.comment), f"{t} needs an rdfs:comment @en"


def test_every_lmg_term_used_anywhere_is_declared():
    used = set()
    for g in (load_lmg(), load_shapes()):
        for triple in g:
            used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(LMG))}
    schema = load_schema()
    used |= {c for et in schema.entity_types.values() for c in [et.rdf_class, *et.kinds.values()]
             if str(c).startswith(str(LMG))}
    used |= {r.predicate for r in schema.relations.values() if str(r.predicate).startswith(str(LMG))}
    assert used - lmg_terms() == set()


def test_reused_terms_declared_for_display_have_both_labels():
    g = load_lmg()
    for t in {s for c in DECLARATION_TYPES for s in g.subjects(RDF.type, c)} - lmg_terms():
        if isinstance(t, URIRef) and not str(t).startswith("https://w3id.org/levant-kg/ontology"):
            assert {"en", "ar"} <= langs(g, t, RDFS.label), t


def superclasses(g: Graph, c: URIRef) -> set[URIRef]:
    return set(g.transitive_objects(c, RDFS.subClassOf))


def test_kind_classes_sit_under_their_type_class():
    g, schema = load_lmg(), load_schema()
    for et in schema.entity_types.values():
        for kind, cls in et.kinds.items():
            assert et.rdf_class in superclasses(g, cls), f"{kind} ({cls}) is not a subclass of {et.rdf_class}"
    assert ORG.FormalOrganization in superclasses(g, LMG.GovernmentBody)
    assert SDO.Place in superclasses(g, SDO.Country)


def test_relation_terms():
    g = load_lmg()
    assert (LMG.partnerOf, RDF.type, OWL.SymmetricProperty) in g
    assert g.value(LMG.implements, RDFS.range) == LMG.Project
    implements_note = " ".join(map(str, g.objects(LMG.implements, None)))
    assert "4" in implements_note and "Implementing" in implements_note
    funder_note = " ".join(map(str, g.objects(SDO.funder, None)))
    assert "1" in funder_note and "Funding" in funder_note


# -- topics ----------------------------------------------------------------------------

def test_topic_keys_hold_the_core_topics():
    keys = topic_keys()
    assert set(load_schema().core_topics) <= keys
    assert {"internal-displacement", "migrant-protection", "social-cohesion", "resettlement", "remittances",
            "asylum", "child-protection", "gender-based-violence", "livelihoods", "migration-data",
            "climate-migration", "irregular-migration", "diaspora"} <= keys
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k) for k in keys)


def test_every_concept_has_labels_and_a_definition():
    g = load_topics()
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(topic_keys())
    for c in concepts:
        assert {"en", "ar"} <= langs(g, c, SKOS.prefLabel), c
        assert "en" in langs(g, c, SKOS.definition), c
        assert (c, SKOS.inScheme, TOPIC_SCHEME) in g
        for lang in ("en", "ar"):
            assert len([o for o in g.objects(c, SKOS.prefLabel) if o.language == lang]) == 1, c


def test_gcm_has_its_23_objectives():
    g = load_topics()
    gcm = TOPIC["gcm"]
    objectives = set(g.objects(gcm, SKOS.narrower))
    assert objectives == {TOPIC[f"gcm-objective-{i:02d}"] for i in range(1, 24)}
    notations = {str(g.value(o, SKOS.notation)): o for o in objectives}
    assert set(notations) == {str(i) for i in range(1, 24)}
    for n, o in notations.items():
        assert (o, SKOS.broader, gcm) in g
        assert str(o).endswith(f"gcm-objective-{int(n):02d}")
    title = lambda i: str(next(x for x in g.objects(TOPIC[f"gcm-objective-{i:02d}"], SKOS.prefLabel) if x.language == "en"))
    assert title(9) == "Strengthen the transnational response to smuggling of migrants"
    assert title(10) == "Prevent, combat and eradicate trafficking in persons in the context of international migration"
    assert title(21).startswith("Cooperate in facilitating safe and dignified return and readmission")
    assert title(23) == "Strengthen international cooperation and global partnerships for safe, orderly and regular migration"


def test_top_concepts_are_in_the_scheme():
    g = load_topics()
    top = set(g.objects(TOPIC_SCHEME, SKOS.hasTopConcept))
    assert TOPIC["gcm"] in top and TOPIC["gcm-objective-01"] not in top
    assert all((c, SKOS.topConceptOf, TOPIC_SCHEME) in g for c in top)
