"""Record -> item graph (kg.mapping), checked against docs/model.md.

The dev gold records are read from /work/shared/corpus/dev by path (never
copied here). FULL is a record written for these tests that uses every
relation type, kinds, offsets, evidence, a quotation, Arabic and English
names and a registry key. FakeRegistry is a tiny stand-in with the
kg.registry contract, so linking is tested on known content; tests against
the real registry run when kg/registry.py is there.
"""
from __future__ import annotations

from collections import namedtuple
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib import namespace as rns

from kg.errors import RecordError
from kg.iri import (DCTERMS, ID, LMG, OA, ORG, PROV, SDO, SKOS, TOPIC, country_iri, item_iri, minted_iri, post_iri,
                    registry_iri)
from kg.mapping import content_hash, record_to_graph
from kg.normalize import name_key
from kg.ontology import load_ontology
from kg.record import Record, load_record
from kg.schema import load_schema

DEV = Path("/work/shared/corpus/dev")
GOLD = sorted(DEV.glob("*.gold.json"))
needs_dev = pytest.mark.skipif(not GOLD, reason="dev corpus not available")


def real_registry():
    """The bundled registry (loaded once per process)."""
    from kg.registry import default_registry

    return default_registry()


def gold_text(path: Path) -> str:
    return path.with_name(path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")


# -- a small registry with the kg.registry contract ---------------------------

OrgEntry = namedtuple("OrgEntry", "key kind names acronyms aliases parent country")
PlaceEntry = namedtuple("PlaceEntry", "key kind names aliases country adjectives")


class FakeRegistry:
    """Registry stand-in: iri, key_of, resolve (exact folded names), to_graph, describe."""

    def __init__(self):
        self.orgs = {
            "un": OrgEntry("un", "IntergovernmentalOrganization", {"en": "United Nations", "ar": "الأمم المتحدة"},
                           ["UN"], {}, None, None),
            "iom": OrgEntry("iom", "IntergovernmentalOrganization",
                            {"en": "International Organization for Migration", "ar": "المنظمة الدولية للهجرة"},
                            ["IOM"], {}, "un", None),
            "iom-jo": OrgEntry("iom-jo", "OrganizationalUnit", {"en": "IOM Jordan", "ar": "المنظمة الدولية للهجرة في الأردن"},
                               [], {"en": ["IOM Jordan office"]}, "iom", "JO"),
        }
        self.places = {
            "JO": PlaceEntry("JO", "Country", {"en": "Jordan", "ar": "الأردن"}, {}, "JO", {"en": ["Jordanian"]}),
            "amman": PlaceEntry("amman", "City", {"en": "Amman", "ar": "عمان"}, {}, "JO", {}),
        }

    def iri(self, key: str) -> URIRef:
        return registry_iri("Organization" if key in self.orgs else "Place", key)

    def key_of(self, iri) -> str | None:
        for key in [*self.orgs, *self.places]:
            if self.iri(key) == iri:
                return key
        return None

    def resolve(self, name, type="Organization", kind=None, country=None):
        table = self.orgs if type == "Organization" else self.places if type == "Place" else {}
        for key, e in table.items():
            forms = [*e.names.values(), *(a for v in e.aliases.values() for a in v), *getattr(e, "acronyms", [])]
            if any(name_key(f) == name_key(name) for f in forms):
                return key
        return None

    def to_graph(self) -> Graph:
        g = Graph()
        schema = load_schema()
        for key, e in self.orgs.items():
            node = self.iri(key)
            g.add((node, RDF.type, ORG.Organization))
            g.add((node, RDF.type, schema.class_of("Organization", e.kind)))
            for lang, name in e.names.items():
                g.add((node, SKOS.prefLabel, Literal(name, lang=lang)))
                g.add((node, RDFS.label, Literal(name, lang=lang)))
            g.add((node, LMG.registryKey, Literal(key)))
            if e.parent:
                g.add((node, ORG.subOrganizationOf, self.iri(e.parent)))
            if e.country:
                g.add((node, LMG.country, country_iri(e.country)))
        for key, p in self.places.items():
            node = self.iri(key)
            g.add((node, RDF.type, schema.class_of("Place", p.kind)))  # the specific class only, as in model.md
            for lang, name in p.names.items():
                g.add((node, SKOS.prefLabel, Literal(name, lang=lang)))
            if p.kind == "Country":
                g.add((node, LMG.isoCode, Literal(key)))
            elif p.country:
                g.add((node, SDO.containedInPlace, country_iri(p.country)))
        return g

    def describe(self, iris) -> Graph:
        full, out, todo, seen = self.to_graph(), Graph(), list(iris), set()
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for p, o in full.predicate_objects(n):
                out.add((n, p, o))
                if isinstance(o, URIRef):
                    todo.append(o)
        return out


# -- FULL: every relation type, offsets, evidence, a quotation -----------------

TEXT = ("AMMAN - The International Organization for Migration (IOM) and the Jordanian Ministry of Labour "
        "held a workshop on fair recruitment in Amman, funded by the European Union under the project "
        "Fair Recruitment Jordan. IOM Jordan Chief of Mission Jane Doe said: \"Recruitment must be fair.\" "
        "Omar Ali of the ministry attended, and جمعية تمكين للمساعدة القانونية took part.")


def at(s: str, nth: int = 0) -> dict:
    """A mention object with the offsets of the nth occurrence of s in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(s, start + 1)
    return {"text": s, "start": start, "end": start + len(s)}


def full_dict() -> dict:
    return {
        "item": {"id": "test-full", "url": "https://example.org/news/1?a=b c", "source": "Test Agency",
                 "published": "2024-03-14", "lang": "en",
                 "title": "IOM and Ministry of Labour hold fair recruitment workshop"},
        "entities": [
            {"id": "iom", "type": "Organization", "kind": "IntergovernmentalOrganization",
             "name": "International Organization for Migration", "country": None, "registry": "iom",
             "mentions": [at("International Organization for Migration"), at("IOM")]},
            {"id": "iom-jo", "type": "Organization", "kind": "OrganizationalUnit", "name": "IOM Jordan",
             "country": "JO", "mentions": ["IOM Jordan"]},
            {"id": "mol", "type": "Organization", "kind": "GovernmentBody", "name": "Ministry of Labour (Jordan)",
             "country": "JO", "mentions": [at("Jordanian Ministry of Labour"), "ministry"]},
            {"id": "eu", "type": "Organization", "kind": "IntergovernmentalOrganization", "name": "European Union",
             "country": None, "mentions": [at("European Union")]},
            {"id": "tamkeen", "type": "Organization", "kind": "NonGovernmentalOrganization",
             "name": "جمعية تمكين للمساعدة القانونية", "country": "JO",
             "mentions": [at("جمعية تمكين للمساعدة القانونية")]},
            {"id": "doe", "type": "Person", "name": "Jane Doe", "mentions": [at("Jane Doe")]},
            {"id": "ali", "type": "Person", "name": "Omar Ali", "mentions": [at("Omar Ali")]},
            {"id": "proj", "type": "Project", "name": "Fair Recruitment Jordan", "country": "JO",
             "mentions": [at("Fair Recruitment Jordan")]},
            {"id": "ws", "type": "Event", "kind": "Workshop", "name": "Workshop on fair recruitment",
             "country": "JO", "mentions": [at("workshop on fair recruitment")]},
            {"id": "amman", "type": "Place", "kind": "City", "name": "Amman", "country": "JO",
             "mentions": [at("Amman")]},
            {"id": "jordan", "type": "Place", "kind": "Country", "name": "Jordan", "country": "JO", "mentions": []},
        ],
        "relations": [
            {"type": "part_of", "subject": "iom-jo", "object": "iom"},
            {"type": "holds_post", "subject": "doe", "object": "iom-jo", "role": "Chief of Mission",
             "evidence": at("IOM Jordan Chief of Mission Jane Doe")},
            {"type": "holds_post", "subject": "ali", "object": "mol"},
            {"type": "funds", "subject": "eu", "object": "proj", "evidence": {"text": "funded by the European Union"}},
            {"type": "implements", "subject": "iom", "object": "proj"},
            {"type": "organizes", "subject": "iom", "object": "ws"},
            {"type": "organizes", "subject": "mol", "object": "ws"},
            {"type": "participates_in", "subject": "tamkeen", "object": "ws"},
            {"type": "participates_in", "subject": "ali", "object": "ws"},
            {"type": "partners_with", "subject": "iom", "object": "mol"},
            {"type": "under_project", "subject": "ws", "object": "proj"},
            {"type": "located_in", "subject": "ws", "object": "amman"},
            {"type": "located_in", "subject": "mol", "object": "jordan"},
        ],
        "quotes": [{"speaker": "doe", "text": "Recruitment must be fair.", **{k: v for k, v in at("Recruitment must be fair.").items() if k != "text"}}],
        "topics": ["labour-migration", "gcm-objective-06"],
    }


def full_record() -> Record:
    return Record.from_dict(full_dict())


def full_graph(registry=None, **kw) -> Graph:
    return record_to_graph(full_record(), registry, text=TEXT, **kw)


X = item_iri("test-full")


def local(name: str) -> URIRef:
    return URIRef(f"{X}#{name}")


def org(name, kind, country=None):
    return minted_iri("Organization", name, kind, country)


IOM = registry_iri("Organization", "iom")
IOM_JO = org("IOM Jordan", "OrganizationalUnit", "JO")
MOL = org("Ministry of Labour (Jordan)", "GovernmentBody", "JO")
EU = org("European Union", "IntergovernmentalOrganization")
TAMKEEN = org("جمعية تمكين للمساعدة القانونية", "NonGovernmentalOrganization", "JO")
DOE = minted_iri("Person", "Jane Doe")
ALI = minted_iri("Person", "Omar Ali")
PROJ = minted_iri("Project", "Fair Recruitment Jordan", country="JO")
WS = minted_iri("Event", "Workshop on fair recruitment", "Workshop", "JO", scope="test-full")
AMMAN = minted_iri("Place", "Amman", "City", "JO")
JO = country_iri("JO")


# -- the item node --------------------------------------------------------------

def test_graph_is_named_by_the_item():
    g = full_graph()
    assert g.identifier == X == URIRef("https://w3id.org/levant-kg/id/item/test-full")


def test_item_node():
    g = full_graph()
    assert {SDO.NewsArticle, PROV.Entity} <= set(g.objects(X, RDF.type))
    assert g.value(X, DCTERMS.identifier) == Literal("test-full")
    assert g.value(X, SDO.headline) == Literal("IOM and Ministry of Labour hold fair recruitment workshop", lang="en")
    assert g.value(X, SDO.datePublished) == Literal("2024-03-14", datatype=rdflib.XSD.date)
    assert g.value(X, DCTERMS.language) == Literal("en")
    assert g.value(X, DCTERMS.source) == Literal("Test Agency")
    assert g.value(X, SDO.url) == URIRef("https://example.org/news/1?a=b%20c")  # no space in an IRI
    assert set(g.objects(X, DCTERMS.subject)) == {TOPIC["labour-migration"], TOPIC["gcm-objective-06"]}
    assert g.value(X, LMG.recordOrigin) == Literal("curated")
    assert g.value(X, LMG.contentHash) == Literal(content_hash(full_record(), TEXT))
    assert full_graph(origin="extracted").value(X, LMG.recordOrigin) == Literal("extracted")


def test_optional_item_fields_are_left_out():
    d = full_dict()
    d["item"].update(published=None, url=None, source=None, title=None)
    g = record_to_graph(Record.from_dict(d))
    for p in (SDO.datePublished, SDO.url, DCTERMS.source, SDO.headline):
        assert g.value(X, p) is None


def test_content_hash_covers_record_and_text():
    r = full_record()
    h = content_hash(r, TEXT)
    assert len(h) == 64 and h == content_hash(full_record(), TEXT)
    assert h != content_hash(r) != content_hash(r, TEXT + " ")
    d = full_dict()
    d["topics"] = ["labour-migration"]
    assert content_hash(Record.from_dict(d), TEXT) != h


def test_bad_origin_is_refused():
    with pytest.raises(ValueError):
        full_graph(origin="guessed")


def test_unknown_topic_names_item_and_topic():
    d = full_dict()
    d["topics"] = ["labour-migration", "labor-migration"]
    with pytest.raises(RecordError) as exc:
        record_to_graph(Record.from_dict(d))
    assert "'test-full'" in str(exc.value) and "'labor-migration'" in str(exc.value)


# -- entities ---------------------------------------------------------------------

def test_entities_are_typed_labelled_and_linked_to_the_item():
    g = full_graph()
    assert set(g.objects(MOL, RDF.type)) == {ORG.Organization, LMG.GovernmentBody}
    assert set(g.objects(IOM_JO, RDF.type)) == {ORG.Organization, ORG.OrganizationalUnit}
    assert set(g.objects(DOE, RDF.type)) == {URIRef("http://xmlns.com/foaf/0.1/Person")}
    assert set(g.objects(PROJ, RDF.type)) == {LMG.Project, PROV.Activity}
    assert set(g.objects(WS, RDF.type)) == {SDO.Event, LMG.Workshop}
    assert set(g.objects(AMMAN, RDF.type)) == {SDO.Place, SDO.City}
    assert set(g.objects(JO, RDF.type)) == {SDO.Place, SDO.Country}
    for node in (MOL, IOM_JO, DOE, PROJ, WS, AMMAN, EU, TAMKEEN, ALI, JO, IOM):
        assert (X, SDO.mentions, node) in g
    assert g.value(MOL, SKOS.prefLabel) == g.value(MOL, RDFS.label) == Literal("Ministry of Labour (Jordan)", lang="en")
    assert g.value(MOL, LMG.country) == JO
    assert g.value(AMMAN, SDO.containedInPlace) == JO
    assert g.value(JO, LMG.country) is None  # not its own country


def test_registry_key_gives_registry_iri_and_no_labels_in_item_graph():
    g = full_graph()
    assert set(g.objects(IOM, RDF.type)) == {ORG.Organization, LMG.IntergovernmentalOrganization}
    for p in (SKOS.prefLabel, RDFS.label, LMG.country):
        assert g.value(IOM, p) is None


def test_registry_resolves_names_and_mentions():
    reg = FakeRegistry()
    g = full_graph(reg)
    jo_office = registry_iri("Organization", "iom-jo")
    amman = registry_iri("Place", "amman")
    assert (X, SDO.mentions, jo_office) in g and (X, SDO.mentions, IOM_JO) not in g
    assert g.value(jo_office, SKOS.prefLabel) is None  # the registry graph holds its labels
    assert (jo_office, ORG.subOrganizationOf, IOM) in g
    assert (WS, SDO.location, amman) in g
    assert set(g.objects(amman, RDF.type)) == {SDO.Place, SDO.City}
    assert (X, SDO.mentions, JO) in g and g.value(JO, SKOS.prefLabel) is None  # registry country
    assert (X, SDO.mentions, MOL) in g  # not in the registry: minted
    # by a mention when the name is unknown to the registry
    d = full_dict()
    d["entities"][1]["name"] = "IOM's office in Jordan"
    d["entities"][1]["mentions"] = ["IOM Jordan office"]
    assert (X, SDO.mentions, jo_office) in record_to_graph(Record.from_dict(d), reg)


def test_unknown_registry_key_is_a_record_error():
    d = full_dict()
    d["entities"][0]["registry"] = "iom-typo"
    with pytest.raises(RecordError, match="iom-typo"):
        record_to_graph(Record.from_dict(d), FakeRegistry())


def test_minted_iris_are_shared_across_items_but_events_are_per_item():
    d = full_dict()
    d["item"]["id"] = "test-other"
    other = record_to_graph(Record.from_dict(d))
    assert (item_iri("test-other"), SDO.mentions, MOL) in other
    assert (item_iri("test-other"), SDO.mentions, DOE) in other
    assert (item_iri("test-other"), SDO.mentions, WS) not in other
    assert (item_iri("test-other"), SDO.mentions,
            minted_iri("Event", "Workshop on fair recruitment", "Workshop", "JO", scope="test-other")) in other


def test_language_tags_follow_the_script():
    g = full_graph()
    assert g.value(TAMKEEN, SKOS.prefLabel).language == "ar"
    assert g.value(DOE, RDFS.label).language == "en"
    exact = {o for o in g.objects(None, OA.exact)}
    assert exact and all(o.language is None and o.datatype is None for o in exact)  # oa:exact is a plain string


# -- mentions -------------------------------------------------------------------

def test_mentions_are_numbered_in_record_order_with_their_words():
    g = full_graph()
    m1 = local("m1")
    assert set(g.objects(m1, RDF.type)) == {LMG.Mention}
    assert g.value(m1, LMG.refersTo) == IOM
    assert g.value(m1, OA.exact) == Literal("International Organization for Migration")
    start, end = g.value(m1, OA.start), g.value(m1, OA.end)
    assert start.datatype == end.datatype == rdflib.XSD.integer
    assert TEXT[start.toPython():end.toPython()] == "International Organization for Migration"
    assert g.value(local("m2"), LMG.refersTo) == IOM and g.value(local("m3"), LMG.refersTo) == IOM_JO
    n = sum(len(e["mentions"]) for e in full_dict()["entities"])
    assert len(set(g.subjects(RDF.type, LMG.Mention))) == n
    assert (local(f"m{n}"), LMG.refersTo, AMMAN) in g
    # one node per mention: no annotation, target or selector nodes, no per-node item link
    assert not any(str(s).endswith(("-target", "-quote", "-pos")) for s in g.subjects())
    assert not set(g.triples((None, PROV.wasDerivedFrom, None)))


def test_every_offset_points_at_its_words():
    g = full_graph()
    spans = list(g.subjects(OA.start, None))
    assert len(spans) > 3
    for node in spans:
        s, e = g.value(node, OA.start).toPython(), g.value(node, OA.end).toPython()
        assert TEXT[s:e] == str(g.value(node, OA.exact) or g.value(node, SDO.text))


def test_mentions_without_offsets():
    # "IOM Jordan" has no offsets: found in the text when given, words only without it
    with_text = full_graph()
    assert with_text.value(local("m3"), OA.start) is not None
    without = record_to_graph(full_record())
    assert without.value(local("m3"), OA.exact) == Literal("IOM Jordan")
    assert without.value(local("m3"), OA.start) is None and without.value(local("m3"), OA.end) is None
    assert without.value(local("m1"), OA.start) is not None  # offsets from the record


def test_offsets_that_do_not_match_the_text_are_refused():
    d = full_dict()
    d["entities"][3]["mentions"] = [{"text": "European Union", "start": 0, "end": 14}]
    record_to_graph(Record.from_dict(d))  # without the text nothing can be checked
    with pytest.raises(RecordError, match="European Union"):
        record_to_graph(Record.from_dict(d), text=TEXT)


# -- relations --------------------------------------------------------------------

def test_direct_triples_follow_schema_yaml():
    g = full_graph()
    assert (IOM_JO, ORG.subOrganizationOf, IOM) in g
    assert (PROJ, SDO.funder, EU) in g
    assert (IOM, LMG.implements, PROJ) in g
    assert (WS, SDO.organizer, IOM) in g and (WS, SDO.organizer, MOL) in g
    assert (WS, SDO.attendee, TAMKEEN) in g and (WS, SDO.attendee, ALI) in g
    assert (IOM, LMG.partnerOf, MOL) in g and (MOL, LMG.partnerOf, IOM) in g
    assert (WS, LMG.underProject, PROJ) in g
    assert (WS, SDO.location, AMMAN) in g and (MOL, SDO.location, JO) in g


def test_posts():
    g = full_graph()
    chief = post_iri(IOM_JO, "Chief of Mission")
    assert chief == URIRef(f"{ID}post/{str(IOM_JO).rsplit('/', 1)[-1]}/chief-mission")
    assert (DOE, ORG.holds, chief) in g
    assert g.value(chief, RDF.type) == ORG.Post and g.value(chief, ORG.postIn) == IOM_JO
    assert g.value(chief, RDFS.label) == g.value(chief, SKOS.prefLabel) == Literal("Chief of Mission", lang="en")
    member = post_iri(MOL, "Member")  # no role in the record
    assert (ALI, ORG.holds, member) in g and g.value(member, RDFS.label) == Literal("Member", lang="en")


def test_statement_nodes_carry_the_record_relation_and_its_evidence():
    g = full_graph()
    statements = sorted(g.subjects(RDF.type, LMG.Statement))
    assert len(statements) == len(full_dict()["relations"])
    r2, r4, r5 = local("r2"), local("r4"), local("r5")
    assert g.value(r2, LMG.relationType) == Literal("holds_post") and g.value(r2, LMG.role) == Literal("Chief of Mission")
    assert g.value(r2, LMG.statementSubject) == DOE and g.value(r2, LMG.statementObject) == IOM_JO
    assert g.value(r2, OA.exact) == Literal("IOM Jordan Chief of Mission Jane Doe")
    assert g.value(r2, OA.start) is not None and g.value(r2, OA.end) is not None
    assert g.value(local("r3"), LMG.role) == Literal("Member")
    # funds: subject is the funder as in the record, though schema:funder points the other way
    assert g.value(r4, LMG.statementSubject) == EU and g.value(r4, LMG.statementObject) == PROJ
    assert g.value(r4, LMG.iatiRole) == Literal(1) and g.value(r5, LMG.iatiRole) == Literal(4)
    assert TEXT[g.value(r4, OA.start).toPython():g.value(r4, OA.end).toPython()] == str(g.value(r4, OA.exact))
    assert g.value(local("r1"), LMG.iatiRole) is None
    # the item of a statement is the graph it lives in, and the start of its IRI
    assert all(str(s).startswith(f"{X}#") for s in statements)


def test_relation_between_one_node_writes_no_self_loop():
    d = full_dict()
    d["entities"].append({"id": "iom2", "type": "Organization", "kind": "IntergovernmentalOrganization",
                          "name": "IOM", "registry": "iom", "mentions": []})
    d["relations"].append({"type": "partners_with", "subject": "iom", "object": "iom2"})
    g = record_to_graph(Record.from_dict(d))
    assert (IOM, LMG.partnerOf, IOM) not in g
    assert g.value(local(f"r{len(d['relations'])}"), LMG.statementObject) == IOM


def test_quotations():
    g = full_graph()
    q = local("q1")
    assert g.value(q, RDF.type) == LMG.Quotation and g.value(q, LMG.speaker) == DOE
    assert g.value(q, SDO.text) == Literal("Recruitment must be fair.")
    assert TEXT[g.value(q, OA.start).toPython():g.value(q, OA.end).toPython()] == "Recruitment must be fair."


# -- the counts on the item node -------------------------------------------------------

COUNTS = (LMG.entityCount, LMG.statementCount, LMG.quotationCount)
# one Arabic and one English sample item (data/samples), with their gold records
SAMPLE_ITEMS = ["petra-iom-jo-mol-fair-recruitment-workshop", "nna-en-mol-lb-domestic-workers-dialogue"]


def sample(name: str) -> tuple[Record, str]:
    from kg.resources import data_path

    path = data_path("samples", f"{name}.gold.json")
    return load_record(path), gold_text(path)


def stored_counts(g: Graph, item: URIRef) -> tuple[int, ...]:
    """The three counts on the item node: each once, an xsd:integer."""
    out = []
    for p in COUNTS:
        values = list(g.objects(item, p))
        assert len(values) == 1 and values[0].datatype == rdflib.XSD.integer, (p, values)
        out.append(values[0].toPython())
    return tuple(out)


def counted(g: Graph, item: URIRef) -> tuple[int, ...]:
    """What the graph holds, counted as queries/items.rq used to count it."""
    return (len(set(g.objects(item, SDO.mentions))), len(set(g.subjects(RDF.type, LMG.Statement))),
            len(set(g.subjects(RDF.type, LMG.Quotation))))


@pytest.mark.parametrize("linked", [False, True], ids=["unlinked", "registry"])
@pytest.mark.parametrize("name", SAMPLE_ITEMS)
def test_item_counts_are_those_of_the_graph(name, linked):
    record, text = sample(name)
    g = record_to_graph(record, real_registry() if linked else None, text=text)
    item = item_iri(record.item.id)
    assert stored_counts(g, item) == counted(g, item)
    assert stored_counts(g, item) == (len(record.entities), len(record.relations), len(record.quotes))
    assert min(stored_counts(g, item)) > 0  # the samples have all three


def test_item_counts_count_nodes_not_record_entries():
    """Two entities that become one node are one entity; an item without statements or quotations says 0."""
    d = full_dict()
    d["entities"].append({"id": "iom2", "type": "Organization", "kind": "IntergovernmentalOrganization",
                          "name": "IOM", "registry": "iom", "mentions": [at("IOM", 1)]})
    g = record_to_graph(Record.from_dict(d), text=TEXT)
    assert stored_counts(g, X) == counted(g, X) == (len(d["entities"]) - 1, len(d["relations"]), 1)
    d = full_dict()
    d.update(relations=[], quotes=[])
    g = record_to_graph(Record.from_dict(d), text=TEXT)
    assert stored_counts(g, X) == counted(g, X) == (len(d["entities"]), 0, 0)
    d["entities"] = []
    assert stored_counts(record_to_graph(Record.from_dict(d)), X) == (0, 0, 0)


# -- determinism --------------------------------------------------------------------

def test_full_record_is_deterministic_and_has_no_blank_nodes():
    a, b = full_graph(FakeRegistry()), full_graph(FakeRegistry())
    assert set(a) == set(b)
    assert not any(isinstance(t, BNode) for triple in a for t in triple)


@needs_dev
@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name.split(".")[0])
def test_gold_records_map_deterministically(path):
    record, text = load_record(path), gold_text(path)
    g = record_to_graph(record, text=text)
    again = record_to_graph(load_record(path), text=text)
    assert set(g) == set(again) and len(g) > 0
    assert not any(isinstance(t, BNode) for triple in g for t in triple)
    item = item_iri(record.item.id)
    assert g.identifier == item
    n_mentions = sum(len(e.mentions) for e in record.entities)
    assert len(set(g.subjects(RDF.type, LMG.Mention))) == n_mentions
    assert len(set(g.subjects(RDF.type, LMG.Statement))) == len(record.relations)
    # evidence: every span found in the text points at its words
    for node in g.subjects(OA.start, None):
        s, e = g.value(node, OA.start).toPython(), g.value(node, OA.end).toPython()
        assert text[s:e] == str(g.value(node, OA.exact) or g.value(node, SDO.text))
    if record.item.title:
        lang = g.value(item, SDO.headline).language
        assert lang == ("ar" if record.item.lang == "ar" else "en")
    if record.item.lang == "ar":  # Arabic names keep their @ar tag
        arabic = [e for e in record.entities if any("\u0600" <= c <= "\u06ff" for c in e.name)]
        for e in arabic:
            labels = [lab for lab in g.objects(None, SKOS.prefLabel) if str(lab) == e.name]
            assert labels and all(lab.language == "ar" for lab in labels)


@needs_dev
@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name.split(".")[0])
def test_gold_records_map_with_the_real_registry(path):
    reg = real_registry()
    record = load_record(path)
    g = record_to_graph(record, reg, text=gold_text(path))
    assert set(g) == set(record_to_graph(load_record(path), reg, text=gold_text(path)))
    linked = [n for n in g.objects(item_iri(record.item.id), SDO.mentions) if reg.key_of(n) is not None]
    for node in linked:  # registry nodes carry no labels in the item graph
        assert g.value(node, SKOS.prefLabel) is None


@needs_dev
def test_seed_links_iom_to_the_real_registry():
    reg = real_registry()
    key = reg.resolve("International Organization for Migration")
    assert key is not None, "the registry holds IOM"
    g = record_to_graph(load_record(DEV / "seed.gold.json"), reg)
    assert (item_iri("seed"), SDO.mentions, reg.iri(key)) in g


# -- every emitted term is ours (declared) or a real term of a reused vocabulary ----

# The reused terms levant-kg emits or its shapes check, by vocabulary. Each must
# be a term of that vocabulary: rdflib's closed namespaces (generated from the
# vocabularies) check ORG, FOAF, PROV, SKOS, schema.org, DCTERMS, RDF, RDFS,
# XSD and OWL; the Web Annotation terms are checked against OA_VOCABULARY.
REUSED_TERMS = {
    "org": {"Organization", "FormalOrganization", "OrganizationalUnit", "Post", "subOrganizationOf", "holds",
            "postIn"},
    "foaf": {"Person", "Agent"},
    "prov": {"Entity", "Activity"},
    "skos": {"prefLabel", "altLabel", "Concept", "ConceptScheme", "inScheme", "topConceptOf", "hasTopConcept",
             "broader", "narrower", "related", "notation", "definition", "note"},
    "schema": {"NewsArticle", "headline", "url", "datePublished", "mentions", "Event", "startDate", "funder",
               "organizer", "attendee", "location", "Place", "Country", "City", "AdministrativeArea",
               "containedInPlace", "text", "alternateName", "Quotation"},
    "dcterms": {"identifier", "language", "source", "subject", "title"},
    "oa": {"TextQuoteSelector", "exact", "start", "end"},
    "rdf": {"type"},
    "rdfs": {"label", "comment", "subClassOf", "domain", "range", "seeAlso"},
    "xsd": {"date", "nonNegativeInteger", "integer", "string"},
    "owl": {"Ontology", "Class", "ObjectProperty", "DatatypeProperty", "SymmetricProperty", "versionInfo"},
}
# https://www.w3.org/TR/annotation-vocab/ (classes and properties of the oa: namespace)
OA_VOCABULARY = {
    "Annotation", "Choice", "CssSelector", "CssStyle", "DataPositionSelector", "Direction", "FragmentSelector",
    "HttpRequestState", "Motivation", "RangeSelector", "ResourceSelection", "Selector", "SpecificResource",
    "State", "Style", "SvgSelector", "TextPositionSelector", "TextQuoteSelector", "TextualBody", "TimeState",
    "XPathSelector", "annotationService", "bodyValue", "cachedSource", "canonical", "end", "exact",
    "hasBody", "hasEndSelector", "hasPurpose", "hasScope", "hasSelector", "hasSource", "hasStartSelector",
    "hasState", "hasTarget", "motivatedBy", "prefix", "processingLanguage", "refinedBy", "renderedVia",
    "sourceDate", "sourceDateEnd", "sourceDateStart", "start", "styleClass", "styledBy", "suffix",
    "textDirection", "via",
}
CLOSED = {"org": rns.ORG, "foaf": rns.FOAF, "prov": rns.PROV, "skos": rns.SKOS, "schema": rns.SDO,
          "dcterms": rns.DCTERMS, "rdf": rns.RDF, "rdfs": rns.RDFS, "xsd": rns.XSD, "owl": rns.OWL}
PREFIXES = {**load_schema().prefixes, "rdf": str(RDF)}


def split(term: URIRef) -> tuple[str, str] | None:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if str(term).startswith(ns):
            return prefix, str(term)[len(ns):]
    return None


@pytest.mark.parametrize("prefix", sorted(REUSED_TERMS))
def test_reused_term_list_holds_real_terms(prefix):
    for local_name in REUSED_TERMS[prefix]:
        if prefix == "oa":
            assert local_name in OA_VOCABULARY, f"oa:{local_name} is not a Web Annotation term"
        else:
            assert URIRef(PREFIXES[prefix] + local_name) in CLOSED[prefix], f"{prefix}:{local_name} is not a term of {prefix}"


def emitted_terms() -> set[URIRef]:
    graphs = [full_graph(), full_graph(FakeRegistry()), FakeRegistry().to_graph()]
    graphs += [record_to_graph(load_record(p), text=gold_text(p)) for p in GOLD]
    terms: set[URIRef] = set()
    for g in graphs:
        for s, p, o in g:
            terms.add(p)
            if p == RDF.type:
                terms.add(o)
    return terms


def test_every_emitted_term_is_declared_or_a_known_reused_term():
    onto = load_ontology()
    declared = set(onto.subjects(RDF.type, None))
    topics = str(TOPIC)
    for term in emitted_terms():
        parts = split(term)
        assert parts is not None, f"{term} is in no known namespace"
        prefix, local_name = parts
        if prefix == "lmg" or str(term).startswith(topics):
            assert term in declared, f"{prefix}:{local_name} is emitted but not declared in ontology/lmg.ttl or topics.ttl"
        else:
            assert local_name in REUSED_TERMS.get(prefix, ()), f"{prefix}:{local_name} is emitted but not in REUSED_TERMS"


def test_every_reused_term_in_the_ontology_and_shapes_is_real():
    from kg.ontology import load_shapes

    for g in (load_ontology(), load_shapes()):
        for triple in g:
            for t in triple:
                if not isinstance(t, URIRef):
                    continue
                parts = split(t)
                if parts is None or parts[0] in ("lmg", "sh") or not parts[1]:
                    continue
                prefix, local_name = parts
                if prefix == "oa":
                    assert local_name in OA_VOCABULARY, t
                elif prefix in CLOSED:
                    assert t in CLOSED[prefix], f"{prefix}:{local_name} is not a term of {prefix}"


# -- name keys and slugs ----------------------------------------------------------------

@pytest.mark.parametrize("spellings,stem", [
    (["لبنان", "للبنان", "بلبنان", "ولبنان"], "لبنان"),          # a place whose first letter is lam
    (["ورشة", "والورشة", "بورشة", "للورشة", "لورشة"], "ورشه"),   # a noun whose first letter is waw
    (["الوزارة", "ووزارة", "بوزارة", "للوزارة"], "وزاره"),
    (["الكويت", "بالكويت", "للكويت"], "كويت"),
    (["اللاجئين", "للاجئين", "واللاجئين"], "لاجيين"),
    (["الهجرة", "للهجرة", "والهجرة"], "هجره"),                  # no known stem: the article goes
])
def test_every_cliticized_spelling_reaches_one_readable_stem(spellings, stem):
    from kg.normalize import strip_clitics, fold

    assert {strip_clitics(fold(w)) for w in spellings} == {stem}


def test_slugs_keep_arabic_stems_readable():
    from kg.iri import slug

    assert slug("تعزيز قدرات الإدارة المتكاملة للحدود في لبنان") == "تعزيز-قدرات-اداره-متكامله-حدود-لبنان"
    assert slug("ورشة عمل في بيروت") == slug("لورشة العمل في بيروت") == "ورشه-عمل-بيروت"
