"""A small knowledge graph written by hand in the shape of docs/model.md.

The network tests build their views from it through SPARQL, so they test the
views against the documented model, independently of the mapping. It is
loaded into the project's store (``kg.store.open_store``). ``OxStore`` is a
bare pyoxigraph store behind the same query contract whose default graph is
*not* the union of the graphs, to check that the views name their graphs.
"""
from __future__ import annotations

from collections import namedtuple
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.iri import (DCTERMS, ID, LMG, ONTOLOGY_GRAPH, ORG, REGISTRY_GRAPH, SDO, SKOS, country_iri,
                    item_iri, topic_iri)
from kg.schema import load_schema

S = load_schema()
FOAF_PERSON = S.expand("foaf:Person")
ORGANIZATION = S.expand("org:Organization")
PROV_ENTITY = S.expand("prov:Entity")


def org(key: str) -> URIRef:
    return URIRef(f"{ID}org/{key}")


def person(key: str) -> URIRef:
    return URIRef(f"{ID}person/{key}")


def event(key: str) -> URIRef:
    return URIRef(f"{ID}event/{key}")


def project(key: str) -> URIRef:
    return URIRef(f"{ID}project/{key}")


REGISTRY = {
    # key: (kind, en, ar, parent, country)
    "iom": ("IntergovernmentalOrganization", "International Organization for Migration", "المنظمة الدولية للهجرة", None, None),
    "iom-jo": ("OrganizationalUnit", "IOM Jordan", "المنظمة الدولية للهجرة - الأردن", "iom", "JO"),
    "iom-lb": ("OrganizationalUnit", "IOM Lebanon", "المنظمة الدولية للهجرة - لبنان", "iom", "LB"),
    "iom-jo-amman": ("OrganizationalUnit", "IOM Amman sub-office", "مكتب عمان", "iom-jo", "JO"),
    "eu": ("IntergovernmentalOrganization", "European Union", "الاتحاد الأوروبي", None, None),
    "eu-del-jo": ("Embassy", "Delegation of the European Union to Jordan", "بعثة الاتحاد الأوروبي لدى الأردن", "eu", "JO"),
    "mol-jo": ("GovernmentBody", "Ministry of Labour (Jordan)", "وزارة العمل", None, "JO"),
    "gs-lb": ("GovernmentBody", "General Security (Lebanon)", "المديرية العامة للأمن العام", None, "LB"),
    "gov-jp": ("GovernmentBody", "Government of Japan", "حكومة اليابان", None, "JP"),
}


def registry_graph() -> Graph:
    g = Graph(identifier=REGISTRY_GRAPH)
    for key, (kind, en, ar, parent, country) in REGISTRY.items():
        a = org(key)
        g.add((a, RDF.type, S.class_of("Organization", kind)))
        g.add((a, RDF.type, ORGANIZATION))
        for p in (SKOS.prefLabel, S.expand("rdfs:label")):
            g.add((a, p, Literal(en, lang="en")))
            g.add((a, p, Literal(ar, lang="ar")))
        g.add((a, LMG.registryKey, Literal(key)))
        if parent:
            g.add((a, ORG.subOrganizationOf, org(parent)))
        if country:
            g.add((a, LMG.country, country_iri(country)))
    for code, en, ar in (("JO", "Jordan", "الأردن"), ("LB", "Lebanon", "لبنان"), ("JP", "Japan", "اليابان")):
        c = country_iri(code)
        g.add((c, RDF.type, SDO.Country))
        g.add((c, SKOS.prefLabel, Literal(en, lang="en")))
        g.add((c, SKOS.prefLabel, Literal(ar, lang="ar")))
        g.add((c, LMG.isoCode, Literal(code)))
    return g


def ontology_graph() -> Graph:
    g = Graph(identifier=ONTOLOGY_GRAPH)
    g.add((topic_iri("gcm-objective-6"), SKOS.broader, topic_iri("gcm")))
    g.add((topic_iri("gcm"), SKOS.prefLabel, Literal("Global Compact for Migration", lang="en")))
    return g


class Item:
    """Builds one item graph as docs/model.md describes it."""

    def __init__(self, item_id: str, date: str | None, topics=()):
        self.id = item_id
        self.iri = item_iri(item_id)
        self.g = Graph(identifier=self.iri)
        g, i = self.g, self.iri
        g.add((i, RDF.type, SDO.NewsArticle))
        g.add((i, RDF.type, PROV_ENTITY))
        g.add((i, DCTERMS.identifier, Literal(item_id)))
        g.add((i, DCTERMS.language, Literal("ar")))
        if date:
            g.add((i, SDO.datePublished, Literal(date, datatype=XSD.date)))
        for t in topics:
            g.add((i, DCTERMS.subject, topic_iri(t)))

    def entity(self, iri: URIRef, type_: str, kind: str | None = None, *, en: str | None = None,
               ar: str | None = None, country: str | None = None) -> URIRef:
        g = self.g
        g.add((self.iri, SDO.mentions, iri))
        g.add((iri, RDF.type, S.class_of(type_, kind)))
        g.add((iri, RDF.type, S.class_of(type_)))
        for text, lang in ((en, "en"), (ar, "ar")):
            if text:
                g.add((iri, SKOS.prefLabel, Literal(text, lang=lang)))
                g.add((iri, S.expand("rdfs:label"), Literal(text, lang=lang)))
        if country:
            g.add((iri, LMG.country, country_iri(country)))
        return iri

    def reg(self, key: str) -> URIRef:
        kind = REGISTRY[key][0]
        return self.entity(org(key), "Organization", kind)

    def add(self, s, p, o):
        self.g.add((s, p, o))


def items() -> list[Item]:
    out = []
    # a: 2022, labour migration. IOM Jordan organizes a workshop under an EU-funded project.
    a = Item("a-2022-workshop", "2022-05-10", ["labour-migration"])
    ev_a = a.entity(event("workshop-a"), "Event", "Workshop", en="Fair recruitment workshop", country="JO")
    pr1 = a.entity(project("labour-governance-jo"), "Project", en="Labour Migration Governance", country="JO")
    for k in ("iom-jo", "mol-jo", "eu-del-jo", "eu", "iom"):
        a.reg(k)
    hadd = a.entity(person("rana-haddadin"), "Person", en="Rana Haddadin", ar="رنا حدادين")
    a.add(ev_a, SDO.organizer, org("iom-jo"))
    for x in (org("mol-jo"), org("eu-del-jo"), hadd):
        a.add(ev_a, SDO.attendee, x)
    a.add(pr1, SDO.funder, org("eu"))
    a.add(org("iom-jo"), LMG.implements, pr1)
    a.add(ev_a, LMG.underProject, pr1)
    a.add(org("iom-jo"), ORG.subOrganizationOf, org("iom"))
    out.append(a)

    # b: 2023, trafficking. General Security trains, Japan funds the event, IOM Lebanon attends.
    b = Item("b-2023-training", "2023-03-02", ["human-trafficking"])
    ev_b = b.entity(event("training-b"), "Event", "Training", en="Border training", ar="دورة تدريبية", country="LB")
    for k in ("gs-lb", "iom-lb", "gov-jp", "iom"):
        b.reg(k)
    b.add(ev_b, SDO.organizer, org("gs-lb"))
    b.add(ev_b, SDO.attendee, org("iom-lb"))
    b.add(ev_b, SDO.funder, org("gov-jp"))
    b.add(org("iom-lb"), ORG.subOrganizationOf, org("iom"))
    out.append(b)

    # c: 2023, GCM objective 6: the same workshop reported again; IOM HQ and a new NGO attend.
    c = Item("c-2023-workshop-again", "2023-07-15", ["gcm-objective-6"])
    ev_a2 = c.entity(event("workshop-a"), "Event", "Workshop", en="Fair recruitment workshop", country="JO")
    tam = c.entity(org("nongovernmentalorganization--tamkeen--jo"), "Organization", "NonGovernmentalOrganization",
                   en="Tamkeen", ar="تمكين", country="JO")
    for k in ("iom", "mol-jo", "iom-jo-amman"):
        c.reg(k)
    c.add(ev_a2, SDO.attendee, org("iom"))
    c.add(ev_a2, SDO.attendee, tam)
    c.add(ev_a2, SDO.attendee, org("iom-jo-amman"))
    c.add(ev_a2, SDO.attendee, org("mol-jo"))
    out.append(c)

    # d: undated; EU funds the Ministry of Labour directly, and they are partners.
    d = Item("d-undated", None, ["labour-migration"])
    for k in ("eu", "mol-jo"):
        d.reg(k)
    d.add(org("mol-jo"), SDO.funder, org("eu"))
    d.add(org("eu"), LMG.partnerOf, org("mol-jo"))
    d.add(org("mol-jo"), LMG.partnerOf, org("eu"))
    out.append(d)
    return out


QueryResult = namedtuple("QueryResult", "vars rows")


class OxStore:
    """pyoxigraph in memory behind the store's query contract; ``union=False``: a bare default graph."""

    def __init__(self, union: bool = True):
        import pyoxigraph as ox

        self._ox = ox
        self.s = ox.Store()
        self.union = union

    def put_graph(self, iri, graph: Graph) -> None:
        ox = self._ox
        name = ox.NamedNode(str(iri))
        self.s.remove_graph(name) if self.s.contains_named_graph(name) else None
        data = graph.serialize(format="nt", encoding="utf-8")
        self.s.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name)

    put_item = put_graph

    def query(self, sparql: str, bindings=None) -> QueryResult:
        from rdflib import BNode, Literal as L, URIRef as U

        def conv(t):
            if t is None:
                return None
            if isinstance(t, self._ox.NamedNode):
                return U(t.value)
            if isinstance(t, self._ox.BlankNode):
                return BNode(t.value)
            if t.language:
                return L(t.value, lang=t.language)
            return L(t.value, datatype=U(t.datatype.value))

        res = self.s.query(sparql, use_default_graph_as_union=self.union)
        vars_ = [v.value for v in res.variables]
        rows = [tuple(conv(sol[v]) for v in vars_) for sol in res]
        return QueryResult(vars_, rows)

    def close(self):
        pass


def open_test_store(path: Path | str):
    """The project's store: Oxigraph at ``path``, or rdflib's memory store for ``":memory:"``."""
    from kg.store import open_store

    return open_store(str(path))


def load(store) -> None:
    store.put_graph(REGISTRY_GRAPH, registry_graph())
    store.put_graph(ONTOLOGY_GRAPH, ontology_graph())
    for it in items():
        store.put_item(it.iri, it.g)
