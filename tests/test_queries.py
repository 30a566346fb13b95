"""The SPARQL library (queries/*.rq), safe parameter binding, results and output formats."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import replace

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.errors import QueryError
from kg.iri import ID, item_iri
from kg.output import display_width, render, render_sections
from kg.queries import (PREFIXES, QueryResult, bind_params, list_queries, load_query, parse_query, run_query,
                        to_term, with_prefixes)
from kg.resources import data_path, queries_dir
from kg.store import open_store

SAMPLES = data_path("samples")
ORG = f"{ID}org/"
NASTY = '"} ; DROP ALL # \'\'\' """ } { > < \\ \n'


# -- a store of the bundled samples (their curated records: deterministic) -------------------

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from kg.build import build

    st = open_store(str(tmp_path_factory.mktemp("queries") / "kg-store"))
    summary = build([SAMPLES], st, curated=SAMPLES)
    assert summary.stored == 14 and not summary.problems, summary.text()
    yield st
    st.close()


def rows(store, name, **params):
    return run_query(store, name, params).to_dicts()


def records():
    from kg.record import load_record

    return [load_record(p) for p in sorted(SAMPLES.glob("*.gold.json"))]


# -- the library and its headers ------------------------------------------------------------

def test_the_library_has_the_questions_researchers_ask():
    names = {q.name for q in list_queries()}
    assert len(names) >= 12
    assert {"actors-by-kind", "funding", "posts", "events", "co-participation", "actor-profile", "topics-by-year",
            "units", "implementers", "partnerships", "quotes", "items-mentioning", "evidence-of-relation"} <= names


@pytest.mark.parametrize("q", list_queries(), ids=lambda q: q.name)
def test_every_query_has_a_header_that_documents_it(q):
    first = q.text.splitlines()[0]
    assert first.startswith("# ") and len(first) > 20 and first[2:] == q.description
    assert len(q.explanation) > 80, "a longer explanation follows the param lines"
    select = re.search(r"(?is)\bSELECT\b(.*?)\bWHERE\b", q.text).group(1)
    for p in q.params:
        assert p.meaning, f"?{p.name} says what it means"
        if p.type == "label":  # a name resolved to ?target by run_query, not a variable of the text
            assert q.param(p.target) is not None
        else:
            assert re.search(rf"\?{p.name}\b", q.text.split("\nPREFIX", 1)[1]), f"?{p.name} is used"
            # a parameter the query does not select is bound by a VALUES block that Oxigraph
            # evaluates as an index lookup (a selected one is substituted after a full evaluation)
            assert not re.search(rf"\?{p.name}\b", select), f"?{p.name} is not in the SELECT clause"
    declared = set(re.findall(r"(?m)^PREFIX (\w+):", q.text))
    used = set(re.findall(r"(?<![\w?<])(\w+):\w", re.sub(r"(?m)^#.*$|<[^>]*>|\"[^\"]*\"", "", q.text)))
    assert used - {"http", "https"} <= declared, "the query declares its prefixes (runs anywhere)"


@pytest.mark.parametrize("q", list_queries(), ids=lambda q: q.name)
def test_every_query_runs_on_the_samples(store, q):
    params = {}
    for group in q.one_of:
        params[group[0]] = "iom"
    result = run_query(store, q, params)
    assert len(result) > 0, f"{q.name} finds something in the samples"
    for d in result.to_dicts():
        assert set(d) == set(result.vars)


def test_params_are_input_not_output(store):
    result = run_query(store, "actors-by-kind", {"kind": "Embassy"})
    assert "kind" not in result.vars and "min_items" not in result.vars
    assert {d["actor_kind"] for d in result.to_dicts()} == {"Embassy"}


# -- answers checked against the records ------------------------------------------------------

def test_funding_answers_who_funds_what(store):
    got = rows(store, "funding")
    pairs = {(d["funder_label"], d["funded_type"]) for d in got}
    assert ("European Union", "Project") in pairs
    eu_jo = [d for d in got if d["funded_iri"].endswith("strengthening-labour-migration-governance-jordan--jo")]
    assert eu_jo and eu_jo[0]["implementers"] == "IOM Jordan"
    assert eu_jo[0]["item_ids"] == "petra-iom-jo-mol-fair-recruitment-workshop"
    assert eu_jo[0]["first_date"] == dt.date(2024, 3, 12)
    n_funds = sum(1 for r in records() for rel in r.relations if rel.type == "funds")
    assert sum(d["items"] for d in got) <= n_funds
    only = rows(store, "funding", funder="eu")
    assert only and {d.get("funder_label") for d in only} == {"European Union"} and "funder" not in only[0]


def test_date_filters_keep_only_dated_items_in_range(store):
    got = rows(store, "funding", **{"from": "2024-01-01", "to": "2024-06-30"})
    assert got
    for d in got:
        assert dt.date(2024, 1, 1) <= d["first_date"] <= d["last_date"] <= dt.date(2024, 6, 30)


def test_actors_by_kind_counts_items_and_filters_by_country(store):
    got = rows(store, "actors-by-kind", country="jo", min_items="2")
    assert got and all(d["actor_country"] == "JO" and d["items"] >= 2 for d in got)
    mol = next(d for d in got if d["actor"] == ORG + "jo-mol")
    assert mol["label"] == "Ministry of Labour (Jordan)" and mol["label_ar"]
    named = sum(1 for r in records() if any(e.registry == "jo-mol" or e.name == "Ministry of Labour (Jordan)"
                                            for e in r.entities))
    assert mol["items"] >= named


def test_posts_with_item_dates(store):
    got = rows(store, "posts", org="iom-jo")
    assert got and all(d["organization"] == ORG + "iom-jo" for d in got)
    haddad = next(d for d in got if d["person_label"] == "Lina Haddad")
    assert haddad["post_title"] == "Counter-Trafficking Project Officer"
    assert haddad["first_date"] == haddad["last_date"] == dt.date(2024, 4, 21)


def test_events_with_organizers_place_and_participants(store):
    got = rows(store, "events", country="JO", kind="training")
    assert len(got) == 1
    ev = got[0]
    assert ev["event_kind"] == "Training" and ev["event_country"] == "JO" and ev["place"] == "Dead Sea"
    assert ev["organizers"] == "IOM Jordan" and ev["participants"] == 7
    assert "Lina Haddad" in ev["participant_list"].split("; ")
    assert ev["date"] == dt.date(2024, 4, 21)


def test_co_participation_pairs_are_listed_once(store):
    got = rows(store, "co-participation")
    pairs = [(d["actor_a"], d["actor_b"]) for d in got]
    assert len(pairs) == len(set(pairs)) and not any((b, a) in set(pairs) for a, b in pairs)
    mine = rows(store, "co-participation", actor="iom-jo")
    assert mine and all(d["actor_a"] == ORG + "iom-jo" for d in mine)


def test_actor_profile_by_iri_and_by_arabic_label(store):
    by_iri = rows(store, "actor-profile", actor="id:org/iom-jo")
    facts = {d["fact"] for d in by_iri}
    assert {"kind", "part_of", "country", "mentioned", "organizes", "implements", "holds_post"} <= facts
    mention = next(d for d in by_iri if d["fact"] == "mentioned" and d["item_id"] == "jt-iom-jo-psd-trafficking-training")
    assert mention["evidence"] == "IOM Jordan" and isinstance(mention["start"], int)
    by_label = run_query(store, "actor-profile", {"label": "المنظمة الدولية للهجرة"})
    assert "actor" in by_label.vars  # resolved from a name: which actor is shown
    assert {d["actor"] for d in by_label.to_dicts()} == {ORG + "iom"}
    nobody = run_query(store, "actor-profile", {"label": "no such actor at all"})
    assert len(nobody) == 0 and "fact" in nobody.vars


def test_items_mentioning_lists_the_words(store):
    got = rows(store, "items-mentioning", label="PSD")
    assert {d["item_id"] for d in got} >= {"jt-iom-jo-psd-trafficking-training"}
    jt = next(d for d in got if d["item_id"] == "jt-iom-jo-psd-trafficking-training")
    assert set(jt["mentions"].split("; ")) == {"Public Security Directorate", "PSD"}


def test_topics_by_year_in_arabic(store):
    got = rows(store, "topics-by-year", lang="ar")
    ht = [d for d in got if d["concept"].endswith("/human-trafficking")]
    assert ht and ht[0]["topic_label"] == "الاتجار بالبشر"
    total = sum(1 for r in records() if "human-trafficking" in r.topics)
    assert sum(d["items"] for d in ht) == total
    gcm = rows(store, "topics-by-year", topic="topic:gcm")
    assert gcm and all(d["concept"].split("/")[-1].startswith("gcm") for d in gcm)


def test_units_of_an_organization_at_any_depth(store):
    got = rows(store, "units", org="iom")
    units = {d["unit"] for d in got}
    assert {ORG + "iom-jo", ORG + "iom-lb"} <= units
    jo = next(d for d in got if d["unit"] == ORG + "iom-jo")
    assert jo["source"] == "registry+items" and jo["items"] >= 3 and jo["unit_kind"] == "OrganizationalUnit"


def test_quotes_partnerships_implementers_evidence(store):
    q = rows(store, "quotes", contains="TRAFFICKING cases")
    assert len(q) == 1 and q[0]["speaker_label"] == "Hani Abu Zaid" and "Anti-Human Trafficking Unit" in q[0]["posts"]
    assert rows(store, "quotes", contains="الهجرة")  # Arabic text, any script
    p = rows(store, "partnerships", actor="iom-lb")
    assert [d["partner_b"] for d in p] == [ORG + "lb-gs"]
    imp = rows(store, "implementers", implementer="iom-jo")
    assert len(imp) == 3 and all(d["implemented_by_label"] == "IOM Jordan" for d in imp)
    ev = rows(store, "evidence-of-relation", type="FUNDS")
    assert ev and {d["relation"] for d in ev} == {"funds"} and {d["iati_role"] for d in ev} == {1}
    n_funds = sum(1 for r in records() for rel in r.relations if rel.type == "funds")
    assert len(ev) == n_funds


def test_items_and_funders_by_year(store):
    ar = rows(store, "items", lang="ar")
    assert len(ar) == 7 and all(d["item_lang"] == "ar" and d["origin"] == "curated" for d in ar)
    by_year = rows(store, "funders-by-year", funder="eu")
    assert by_year and all(d["funder_label"] == "European Union" for d in by_year)


# what items.rq counted before the counts were stored on the item (lmg:entityCount ...)
COUNTED = """SELECT ?item (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?st) AS ?statements)
       (COUNT(DISTINCT ?q) AS ?quotes)
WHERE { GRAPH ?item { ?item a schema:NewsArticle }
  OPTIONAL { { GRAPH ?item { ?item schema:mentions ?e } } UNION { GRAPH ?item { ?st a lmg:Statement } }
             UNION { GRAPH ?item { ?q a lmg:Quotation } } } }
GROUP BY ?item"""


def _counts(d: dict) -> tuple:
    return d["entities"], d["statements"], d["quotes"]


def test_items_reads_the_counts_stored_at_ingest(store):
    counted = {d["item"]: _counts(d) for d in run_query(store, COUNTED).to_dicts()}
    assert len(counted) == 14 and all(min(c) > 0 for c in counted.values())
    nq = load_query("items")
    for params in ({}, {"topic": "topic:human-trafficking"}, {"lang": "en", "topic": "topic:gcm"}):
        for q in (nq, replace(nq, variants=())):
            got = run_query(store, q, params).to_dicts()
            assert got and all(_counts(d) == counted[d["item"]] for d in got), params
            assert all(type(v) is int for d in got for v in _counts(d))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_item_stored_without_counts_shows_them_empty(engine):
    """A graph written before the counts existed: empty cells, never a wrong 0; a real 0 stays 0."""
    from kg.iri import LMG, ONTOLOGY_GRAPH
    from kg.mapping import record_to_graph
    from kg.ontology import load_ontology
    from kg.registry import default_registry
    from kg.store import OxigraphStore

    counts = (LMG.entityCount, LMG.statementCount, LMG.quotationCount)
    old, quiet, plain = [r for r in records() if "human-trafficking" in r.topics][:3]
    st = OxigraphStore(None) if engine == "oxigraph" else open_store(":memory:")
    with st:
        st.put_graph(ONTOLOGY_GRAPH, load_ontology())
        for r in (old, replace(quiet, quotes=[]), plain):
            g = record_to_graph(r, default_registry())
            st.put_item(g.identifier, [t for t in g if r is not old or t[1] not in counts])
        nq = load_query("items")
        answers = [run_query(st, q, params) for q in (nq, replace(nq, variants=()))
                   for params in ({}, {"topic": "topic:human-trafficking"})]
        assert all(_normal(a) == _normal(answers[0]) for a in answers)
        got = {d["item_id"]: _counts(d) for d in answers[0].to_dicts()}
        assert got[old.item.id] == (None, None, None)
        assert got[quiet.item.id] == (len(quiet.entities), len(quiet.relations), 0)
        assert got[plain.item.id] == (len(plain.entities), len(plain.relations), len(plain.quotes))


# -- safe binding -------------------------------------------------------------------------------

def test_a_value_full_of_quotes_and_braces_is_just_a_literal(store):
    before = (len(store), len(store.items()))
    for name, key in (("quotes", "contains"), ("posts", "role"), ("actor-profile", "label"),
                      ("evidence-of-relation", "type")):
        assert len(run_query(store, name, {key: NASTY})) == 0
    with pytest.raises(QueryError, match="is not a kind of Organization or Person"):
        run_query(store, "actors-by-kind", {"kind": NASTY})
    assert (len(store), len(store.items())) == before
    with pytest.raises(QueryError, match="not a valid IRI"):
        run_query(store, "funding", {"funder": "<" + NASTY.strip() + ">"})
    with pytest.raises(QueryError, match="not an IRI"):
        run_query(store, "funding", {"funder": NASTY})
    assert (len(store), len(store.items())) == before


def test_a_kind_parameter_names_a_class_of_the_schema():
    nq = load_query("actors-by-kind")
    lmg = PREFIXES["lmg"]
    assert nq.param("kind").of == ("Organization", "Person")
    assert "(kind of Organization Person)" in nq.param("kind").describe()
    for value in ("Embassy", "embassy", " EMBASSY ", "lmg:Embassy", f"<{lmg}Embassy>", URIRef(lmg + "Embassy")):
        assert bind_params(nq, {"kind": value})["kind"] == URIRef(lmg + "Embassy"), value
    assert bind_params(nq, {"kind": "person"})["kind"] == URIRef("http://xmlns.com/foaf/0.1/Person")
    assert bind_params(nq, {"kind": "Organization"})["kind"] == URIRef("http://www.w3.org/ns/org#Organization")
    # a kind of another type, a misspelt kind and a class outside the schema are errors listing the kinds
    for bad in ("Workshop", "Embasy", "lmg:Statement", "<https://example.org/Embassy>"):
        with pytest.raises(QueryError, match=r"parameter \?kind: .* is not a kind of Organization or Person; "
                                             r"one of .*Embassy.*Person"):
            bind_params(nq, {"kind": bad})
    ev = load_query("events")
    assert bind_params(ev, {"kind": "other"})["kind"] == URIRef(lmg + "OtherEvent")
    assert bind_params(ev, {"kind": "Event"})["kind"] == URIRef("https://schema.org/Event")


def test_a_kind_of_an_unknown_type_is_refused_when_the_query_is_read(tmp_path):
    f = tmp_path / "bad.rq"
    f.write_text("# Bad.\n# param ?kind (kind of Organisation): a kind\nSELECT * WHERE { ?s a ?kind }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="kind of 'organisation', which is not an entity type"):
        load_query(f)


def test_kinds_and_countries_select_rows(store):
    """kind and country are index keys: a class and a place; a country code is a registry key in any case."""
    assert bind_params(load_query("units"), {"country": "lb"})["country"] == URIRef(PREFIXES["id"] + "place/LB")
    untyped = {d["event"] for d in run_query(store, "events", {"kind": "Event"}).to_dicts()}
    all_events = run_query(store, "events").to_dicts()
    assert untyped == {d["event"] for d in all_events if d["event_kind"] is None}
    trainings = run_query(store, "events", {"kind": "Training", "country": "id:place/JO"}).to_dicts()
    assert trainings and {(d["event_kind"], d["event_country"]) for d in trainings} == {("Training", "JO")}
    funders = run_query(store, "funders-by-year", {"kind": "GovernmentBody"}).to_dicts()
    assert funders and {d["funder_kind"] for d in funders} == {"GovernmentBody"}


def test_a_literal_full_of_quotes_is_matched_exactly():
    with open_store(":memory:") as st:
        it = item_iri("nasty")
        g = Graph(identifier=it)
        g.add((it, RDF.type, URIRef("https://schema.org/NewsArticle")))
        g.add((it, RDFS.label, Literal(NASTY)))
        g.add((it, RDFS.label, Literal("plain")))
        st.put_item(it, g)
        text = "SELECT ?s WHERE { ?s rdfs:label ?value }"
        assert [d["s"] for d in run_query(st, text, {"value": NASTY})] == [str(it)]
        assert run_query(st, text, {"value": NASTY + "x"}).rows == []
        assert len(st) == 3


def test_missing_unknown_and_malformed_parameters():
    with pytest.raises(QueryError, match=r"query 'actor-profile' needs parameter \?actor or \?label"):
        bind_params(load_query("actor-profile"), {})
    with pytest.raises(QueryError, match=r"query 'funding' has no parameter \?colour"):
        bind_params(load_query("funding"), {"colour": "red"})
    with pytest.raises(QueryError, match="expected a date YYYY-MM-DD"):
        bind_params(load_query("funding"), {"from": "last year"})
    with pytest.raises(QueryError, match="expected an integer"):
        bind_params(load_query("co-participation"), {"min_events": "two"})
    required = parse_query("# Who.\n# param ?x (iri): the thing\nSELECT ?x WHERE { ?x a ?t }", name="q")
    with pytest.raises(QueryError, match=r"query 'q' needs parameter \?x: the thing"):
        bind_params(required, {})
    inline = load_query("SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match=r"no variable \?nope"):
        bind_params(inline, {"nope": "x"})


def test_values_become_the_right_terms():
    assert to_term("id:org/iom") == URIRef(ORG + "iom")
    assert to_term("<https://example.org/x>") == URIRef("https://example.org/x")
    assert to_term("plain words: with a colon") == Literal("plain words: with a colon")
    assert to_term("IOM: Jordan", "auto") == Literal("IOM: Jordan")
    assert to_term("org/iom", "iri") == URIRef(ORG + "iom")
    assert to_term("iom-jo", "iri") == URIRef(ORG + "iom-jo")  # a registry key
    assert to_term("https://example.org/y", "iri") == URIRef("https://example.org/y")
    assert to_term("2024-02-29", "date") == Literal("2024-02-29", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert to_term(dt.date(2024, 1, 2), "date").toPython() == dt.date(2024, 1, 2)
    assert to_term(" 7 ", "int").toPython() == 7
    assert to_term("AR", "lang") == Literal("ar")
    assert to_term("<not an iri>", "string") == Literal("<not an iri>")
    for bad in ("2024-02-30", "2024-2-3"):
        with pytest.raises(QueryError):
            to_term(bad, "date")
    with pytest.raises(QueryError):
        to_term("no-such-registry-key-xyz", "iri")


# -- loading queries ---------------------------------------------------------------------------------

def test_a_query_by_name_path_or_text(tmp_path):
    by_name = load_query("funding")
    assert by_name.path == queries_dir() / "funding.rq" and by_name.params
    f = tmp_path / "mine.rq"
    f.write_text("# Embassies.\n# param ?country (string): ISO code (default: all)\n#\n# Long text.\n"
                 "SELECT ?e ?country WHERE { ?e a lmg:Embassy FILTER(COALESCE(STR(?country) = \"\", true)) }\n",
                 encoding="utf-8")
    by_path = load_query(str(f))
    assert by_path.name == "mine" and by_path.description == "Embassies." and by_path.param("country")
    assert by_path.explanation == "Long text."
    inline = load_query("SELECT ?o WHERE { ?o a lmg:Embassy }")
    assert inline.name == "inline" and not inline.declared
    assert with_prefixes(inline.text).startswith("PREFIX lmg: <https://w3id.org/levant-kg/ontology#>")
    with pytest.raises(QueryError, match="no query named 'fundng'"):
        load_query("fundng")
    with pytest.raises(QueryError, match="no such query file"):
        load_query(str(tmp_path / "missing.rq"))


def test_header_grammar():
    q = parse_query("# One line.\n"
                    "# param ?a (iri): an IRI\n"
                    "# param ?b (date): from (default: all)\n"
                    "# param ?c (int): at least (default 3)\n"
                    "# param ?d: free (default \"all\")\n"
                    "# param ?n (label of ?a): a name (default: all)\n"
                    "# requires one of: ?a ?n\n"
                    "#\n# More.\nSELECT ?a ?b ?c ?d WHERE { ?a ?b ?c }", name="t")
    a, b, c, d, n = q.params
    assert (a.type, a.required) == ("iri", True)
    assert (b.type, b.required, b.default) == ("date", False, None)
    assert (c.type, c.default) == ("int", "3")
    assert (d.type, d.default) == ("auto", "all")
    assert (n.type, n.target) == ("label", "a")
    assert q.one_of == (("a", "n"),) and q.explanation == "More."
    with pytest.raises(QueryError, match="unknown type 'colour'"):
        parse_query("# x\n# param ?a (colour): y\nSELECT * WHERE {}")


def test_syntax_errors_name_the_query(store):
    with pytest.raises(QueryError, match="query 'inline'"):
        run_query(store, "SELECT ?x WHERE { ?x ?y }", {})
    with pytest.raises(QueryError):
        run_query(store, "DROP ALL ; INSERT DATA { <a:b> <a:c> <a:d> }", {})


# -- results for notebooks -----------------------------------------------------------------------------

def test_results_turn_into_python_values_and_dataframes(store):
    res = run_query(store, "actors-by-kind", {"country": "JO"})
    d = res.to_dicts()[0]
    assert isinstance(d["items"], int) and isinstance(d["actor"], str)
    assert d["first_date"] is None or isinstance(d["first_date"], dt.date)
    assert list(res)[0] == d and res.column("actor")[0] == d["actor"]
    assert "QueryResult actors-by-kind" in repr(res) and "<table>" in res._repr_html_()
    pytest.importorskip("pandas")
    df = res.to_dataframe()
    assert list(df.columns) == res.vars and len(df) == len(res)


def test_ask_results():
    with open_store(":memory:") as st:
        res = run_query(st, "ASK { ?s ?p ?o }", {})
    assert res.to_dicts() in ([{"ask": False}], [{"result": False}])


# -- output formats ------------------------------------------------------------------------------------

def test_table_aligns_arabic_and_numbers():
    data = [{"name": "وزارة العمل", "n": 3, "iri": f"{ORG}jo-mol"},
            {"name": "IOM", "n": 12, "iri": None},
            {"name": "الْمُنَظَّمَة", "n": None, "iri": "https://example.org/x"}]
    out = io.StringIO()
    render(data, "table", out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["name", "n", "iri"]
    assert "وزارة العمل" in lines[2] and "id:org/jo-mol" in lines[2]  # Arabic as is, IRIs compacted
    assert display_width("الْمُنَظَّمَة") == len("المنظمة")  # diacritics take no width
    # numbers are right-aligned, by display width (Arabic name in the first column)
    end_3 = display_width(lines[2][:lines[2].index(" 3 ") + 2])
    end_12 = display_width(lines[3][:lines[3].index("12") + 2])
    assert end_3 == end_12
    # the third column starts at the same display column on every row
    starts = {display_width(line[:line.index(v)]) for line, v in ((lines[2], "id:org"), (lines[4], "https"))}
    assert len(starts) == 1


def test_csv_and_json_keep_every_value():
    data = [{"name": "وزارة العمل", "d": dt.date(2024, 1, 2), "iri": f"{ORG}x", "none": None}]
    out = io.StringIO()
    render(data, "json", out)
    assert "وزارة العمل" in out.getvalue()  # ensure_ascii=False
    assert json.loads(out.getvalue()) == [{"name": "وزارة العمل", "d": "2024-01-02", "iri": f"{ORG}x", "none": None}]
    out = io.StringIO()
    render(data, "csv", out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["name", "d", "iri", "none"],
                                                           ["وزارة العمل", "2024-01-02", f"{ORG}x", ""]]
    out = io.StringIO()
    render_sections({"a": [{"x": 1}], "b": [{"y": "z"}]}, "csv", out)
    assert out.getvalue().splitlines() == ["section,x,y", "a,1,", "b,,z"]
    out = io.StringIO()
    render_sections({"a": [{"x": 1}], "b": []}, "json", out)
    assert json.loads(out.getvalue()) == {"a": [{"x": 1}], "b": []}
    with pytest.raises(ValueError):
        render(data, "xml", io.StringIO())


def test_render_takes_query_results():
    res = QueryResult(["a", "b"], [(URIRef(f"{ORG}iom"), Literal(2))])
    out = io.StringIO()
    render(res, "table", out)
    assert "id:org/iom" in out.getvalue()
    out = io.StringIO()
    render(res, "json", out)
    assert json.loads(out.getvalue()) == [{"a": f"{ORG}iom", "b": 2}]


# -- engines: the same rows everywhere ------------------------------------------------------------------

def _normal(res):
    lists = re.compile(r"; | ")
    return sorted(tuple(sorted((k, " ".join(sorted(lists.split(str(v))))) for k, v in d.items()))
                  for d in res.to_dicts())


@pytest.mark.slow
@pytest.mark.parametrize("q", list_queries(), ids=lambda q: q.name)
def test_rdflib_memory_store_gives_the_same_rows(store, tmp_path, q):
    params = {group[0]: "iom-jo" for group in q.one_of}
    export = tmp_path / "all.nq"
    store.export(str(export), "nquads")
    with open_store(":memory:") as mem:
        mem.import_file(str(export), "nquads")
        assert _normal(run_query(mem, q, params)) == _normal(run_query(store, q, params))


@pytest.mark.slow
def test_a_sparql_endpoint_gives_the_same_rows(store, tmp_path):
    """Endpoints bind parameters with a VALUES block (kg.sparql_store): the library
    is written so that both ways of binding give the same answers."""
    from kg.serve import OxigraphServer, free_port

    export = tmp_path / "all.nq"
    store.export(str(export), "nquads")
    cases = [("funding", {"funder": "eu", "from": "2024-01-01"}), ("actors-by-kind", {"kind": "Embassy"}),
             ("events", {"country": "JO", "kind": "Training"}), ("posts", {"role": "minister"}),
             ("actor-profile", {"label": "IOM"}), ("quotes", {"contains": "trafficking"}),
             ("units", {"org": "iom"}), ("topics-by-year", {"lang": "ar", "topic": "topic:gcm"}),
             ("co-participation", {"actor": "iom-jo", "min_events": "1"}), ("items", {"lang": "en"}),
             ("quotes", {"org": "iom-jo"}), ("items", {"topic": "topic:human-trafficking"})]
    with OxigraphServer(tmp_path / "server", port=free_port()) as srv:
        remote = open_store(srv.url)
        try:
            remote.import_file(str(export), "nquads")
            for name, params in cases:
                assert _normal(run_query(remote, name, params)) == _normal(run_query(store, name, params)), name
        finally:
            remote.close()


# -- variants: the same rows as their query, from an index lookup ---------------------------------

VARIANT_CASES = {
    "actors-by-kind/kind": [{"kind": "Embassy"}, {"kind": "organization"}, {"kind": "Person", "min_items": "2"},
                            {"kind": "GovernmentBody"}, {"kind": "NonGovernmentalOrganization"}],
    "actors-by-kind/country": [{"country": "JO"}, {"country": "lb", "min_items": "2"}, {"country": "id:place/SY"},
                               {"country": "IQ"}],
    "actors-by-kind/kind-country": [{"kind": "Embassy", "country": "JO"}, {"kind": "GovernmentBody", "country": "lb"},
                                    {"kind": "Person", "country": "JO"}, {"kind": "OrganizationalUnit", "country": "JO"},
                                    {"kind": "IntergovernmentalOrganization", "country": "id:place/JO"}],
    "quotes/org": [{"org": "iom-jo"}, {"org": "iom"}, {"org": "unicef-lb"}, {"org": "krg-parliament"},
                   {"org": "unicef-sy", "contains": "ال"}, {"org": "iom-jo", "speaker": "person/nonexistent"}],
    "events/kind": [{"kind": "Training"}, {"kind": "workshop", "country": "JO"}, {"kind": "Event"},
                    {"kind": "Meeting", "actor": "iom-jo"}, {"kind": "Other", "from": "2020-01-01"}],
    "items/topic": [{"topic": "topic:human-trafficking"}, {"topic": "topic:gcm"}, {"topic": "topic:labour-migration",
                    "lang": "ar", "from": "2019-01-01"}],
    "topics-by-year/topic": [{"topic": "topic:gcm"}, {"topic": "topic:human-trafficking", "lang": "ar"},
                             {"topic": "topic:refugees"}],
    "units/org": [{"org": "iom"}, {"org": "unhcr"}, {"org": "eu"}, {"org": "iom", "country": "LB"}, {"org": "iom-jo"}],
}


def _variants():
    return [(q, v) for q in list_queries() for v in q.variants]


def test_every_variant_has_cases_and_says_when_it_runs():
    assert sorted(v.name for _, v in _variants()) == sorted(VARIANT_CASES)
    for q, v in _variants():
        assert v.when and v.description and all(q.param(w) for w in v.when)


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory):
    """120 generated items with their gold records: enough quotes, posts and topics to compare."""
    from bench_generator import gen

    from kg.build import build

    corpus = tmp_path_factory.mktemp("generated")
    gen.generate(120, 5, corpus, records=True)
    st = open_store(str(tmp_path_factory.mktemp("generated-store") / "kg"))
    summary = build([corpus], st, curated=corpus)
    assert summary.stored == 120 and not summary.problems, summary.text()
    yield st
    st.close()


@pytest.mark.parametrize("name", sorted(VARIANT_CASES))
def test_a_variant_gives_the_rows_of_its_query(store, generated_store, name):
    qname = name.split("/")[0]
    nq = load_query(qname)
    general = replace(nq, variants=())
    found = 0
    for st in (store, generated_store):
        for params in VARIANT_CASES[name]:
            assert nq.variant_for(bind_params(nq, params)).name == name
            got = run_query(st, qname, params)
            assert _normal(got) == _normal(run_query(st, general, params)), (name, params)
            found += len(got)
    assert found > 10  # the comparison saw rows, not only empty answers


def _variant_library(tmp_path, variants: dict[str, str]):
    (tmp_path / "variants" / "q").mkdir(parents=True)
    (tmp_path / "q.rq").write_text("# Which form ran.\n# param ?a: a (default: all)\n# param ?b: b (default: all)\n"
                                   "SELECT ?form WHERE { BIND(\"general\" AS ?form) }\n", encoding="utf-8")
    for fname, header in variants.items():
        (tmp_path / "variants" / "q" / fname).write_text(
            f"# The {fname} form.\n{header}\nSELECT ?form WHERE {{ BIND(\"{fname}\" AS ?form) }}\n", encoding="utf-8")
    return tmp_path / "q.rq"


def test_the_variant_naming_the_most_bound_parameters_runs(tmp_path):
    path = _variant_library(tmp_path, {"a.rq": "# use when ?a is given", "ab.rq": "# use when ?a and ?b are given",
                                       "b.rq": "# use when ?b is given"})
    with open_store(":memory:") as mem:
        def form(**params):
            return run_query(mem, path, params).column("form")

        assert form() == ["general"]
        assert form(a="x") == ["a.rq"] and form(b="y") == ["b.rq"] and form(a="x", b="y") == ["ab.rq"]
    assert [v.when for v in load_query(path).variants] == [("a", "b"), ("a",), ("b",)]


@pytest.mark.parametrize("header, message", [
    ("# no condition", "has no '# use when ?PARAM is given' line"),
    ("# use when ?c is given", "?c is not a parameter of query 'q'"),
    ("# use when ?a is given\n# param ?z: z (default: all)", "declares parameters"),
])
def test_a_malformed_variant_is_an_error_naming_its_file(tmp_path, header, message):
    path = _variant_library(tmp_path, {"bad.rq": header})
    with pytest.raises(QueryError) as err:
        load_query(path)
    assert message in str(err.value) and "bad.rq" in str(err.value)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_units_of_an_organization_only_the_news_know(engine):
    """A news-only organization (not in the registry) with a unit that has a unit of its
    own: the variant of units for ?org walks what the general query walks, on both engines."""
    from rdflib import Namespace
    from rdflib.namespace import SKOS

    from kg.store import OxigraphStore

    org = Namespace("http://www.w3.org/ns/org#")
    ngo, branch, desk = (URIRef(f"{ORG}{k}") for k in ("news-only-ngo", "news-only-ngo-branch", "news-only-ngo-desk"))
    st = OxigraphStore(None) if engine == "oxigraph" else open_store(":memory:")
    with st:
        st.put_item(item_iri("a"), [(branch, org.subOrganizationOf, ngo), (branch, RDF.type, org.Organization),
                                    (branch, SKOS.prefLabel, Literal("Branch", lang="en")),
                                    (desk, org.subOrganizationOf, branch)])
        st.put_item(item_iri("b"), [(branch, org.subOrganizationOf, ngo)])
        nq = load_query("units")
        for node, expected in ((ngo, {(str(ngo), str(branch)), (str(branch), str(desk))}),
                               (branch, {(str(branch), str(desk))}), (desk, set())):
            got = run_query(st, nq, {"org": f"<{node}>"})
            assert {(d["parent"], d["unit"]) for d in got.to_dicts()} == expected
            assert _normal(got) == _normal(run_query(st, replace(nq, variants=()), {"org": f"<{node}>"}))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_actors_country_is_the_registrys_first_then_its_items(engine):
    """The country variants of actors-by-kind find the actors the registry places in a country
    and those only the news place there, and drop an actor the registry places elsewhere
    whatever an item says: the rows of the general query, on both engines. The general
    query reads kinds class by class; an organization with none is "Organization"."""
    from rdflib.namespace import SKOS

    from kg.iri import ONTOLOGY_GRAPH
    from kg.ontology import load_ontology
    from kg.store import OxigraphStore

    lmg, org, schema = (PREFIXES[p] for p in ("lmg", "org", "schema"))
    place = PREFIXES["id"] + "place/"
    reg = URIRef(PREFIXES["id"] + "graph/registry")
    ngo, emb, moved, plain = (URIRef(f"{ORG}{k}") for k in ("news-only-ngo", "news-only-embassy", "registry-lb-ngo",
                                                            "news-only-org"))
    st = OxigraphStore(None) if engine == "oxigraph" else open_store(":memory:")
    with st:
        st.put_graph(reg, [(moved, URIRef(lmg + "country"), URIRef(place + "LB")),
                           (moved, SKOS.prefLabel, Literal("Registry NGO", lang="en"))])
        st.put_graph(ONTOLOGY_GRAPH, load_ontology())  # the kinds (subclasses of org:Organization)
        for key, actor, cls in (("a", ngo, lmg + "NonGovernmentalOrganization"), ("b", emb, lmg + "Embassy"),
                                ("c", moved, lmg + "NonGovernmentalOrganization"), ("d", emb, lmg + "Embassy"),
                                ("e", plain, org + "Organization")):  # no kind known
            it = item_iri(key)
            st.put_item(it, [(it, RDF.type, URIRef(schema + "NewsArticle")),
                             (it, URIRef(schema + "mentions"), actor), (actor, RDF.type, URIRef(org + "Organization")),
                             (actor, RDF.type, URIRef(cls)), (actor, URIRef(lmg + "country"), URIRef(place + "JO")),
                             (actor, SKOS.prefLabel, Literal(f"Actor {key}", lang="en"))])
        nq = load_query("actors-by-kind")
        cases = [({"country": "jo"}, {(str(ngo), 1), (str(emb), 2), (str(plain), 1)}),
                 ({"country": "LB"}, {(str(moved), 1)}), ({"kind": "Organization"}, {(str(plain), 1)}),
                 ({"country": "JO", "kind": "Embassy"}, {(str(emb), 2)}), ({"kind": "ngo"}, None),
                 ({"country": "JO", "kind": "NonGovernmentalOrganization"}, {(str(ngo), 1)})]
        for params, expected in cases:
            if expected is None:
                with pytest.raises(QueryError, match="not a kind of"):
                    run_query(st, nq, params)
                continue
            got = run_query(st, nq, params)
            assert nq.variant_for(bind_params(nq, params)).when  # a variant answered
            assert {(d["actor"], d["items"]) for d in got.to_dicts()} == expected, params
            assert _normal(got) == _normal(run_query(st, replace(nq, variants=()), params)), params
        # without parameters, the general query: each actor with its kind and its country
        rows = {(d["actor"], d["actor_kind"], d["actor_country"], d["items"]) for d in run_query(st, nq).to_dicts()}
        assert rows == {(str(ngo), "NonGovernmentalOrganization", "JO", 1), (str(emb), "Embassy", "JO", 2),
                        (str(moved), "NonGovernmentalOrganization", "LB", 1), (str(plain), "Organization", "JO", 1)}


# -- the answer sorted in Python by the query's ORDER BY, as the engine sorts it ------------------

def _order_cases(variants: bool = True):
    for q in list_queries():
        if not q.one_of:
            yield q.name, {}
        else:
            yield q.name, {group[0]: "iom-jo" for group in q.one_of}
    for name, cases in VARIANT_CASES.items() if variants else ():
        for params in cases:
            yield name.split("/")[0], params


def _engine_sorted(st, nq, params):
    """The rows as the engine sorts them: the query text run as it is."""
    bindings = bind_params(nq, params)
    q = nq.variant_for(bindings)
    raw = st.query(with_prefixes(q.text), bindings=dict(bindings) or None)
    return raw.vars, [tuple(r) for r in raw.rows]


def test_every_library_query_is_sorted_in_python():
    from kg.ordering import client_order

    for q in list_queries():
        for form in (q, *q.variants):
            constants = frozenset(p for group in q.one_of for p in group)
            assert client_order(form.text, constants) is not None, form.name


@pytest.mark.parametrize("engine", ["oxigraph", pytest.param("rdflib", marks=pytest.mark.slow)])
def test_python_sorts_every_library_answer_as_the_engine_does(store, generated_store, tmp_path, engine):
    """Sorting in Python (kg.ordering) gives the engine's order for every query and
    variant, on both engines (rdflib on the samples and without variants: it is slow): the same rows, the
    same values of the sort keys row for row; ties are ordered by the whole row."""
    from kg.ordering import client_order, sort_rows, term_key

    stores = [store, generated_store]
    if engine == "rdflib":
        export = tmp_path / "all.nq"
        store.export(str(export), "nquads")
        mem = open_store(":memory:")
        mem.import_file(str(export), "nquads")
        stores = [mem]
    compared = 0
    for st in stores:
        for name, params in _order_cases(variants=engine == "oxigraph"):
            nq = load_query(name)
            if any(p.type == "label" for p in nq.params if p.name in params):
                continue
            vars_, expected = _engine_sorted(st, nq, params)
            keys = client_order(nq.variant_for(bind_params(nq, params)).text, frozenset(params))[1]
            if engine == "oxigraph":  # the whole path: the query run without its ORDER BY, then sorted
                got = run_query(st, nq, params)
            else:  # the sort alone (rdflib is slow to run a query twice)
                got = QueryResult(vars_, sort_rows(vars_, expected[::-1], keys))
            assert sorted(got.rows, key=str) == sorted(expected, key=str), (name, params)
            at = [got.vars.index(k.var) for k in keys if k.test == ""]
            at_engine = [vars_.index(k.var) for k in keys if k.test == ""]
            assert [[r[i] for i in at] for r in got.rows] == [[r[i] for i in at_engine] for r in expected], \
                (name, params)
            for a, b in zip(got.rows, got.rows[1:]):  # ties by the whole row
                if all(a[i] == b[i] for i in at):
                    assert tuple(map(term_key, a)) <= tuple(map(term_key, b)), (name, params)
            compared += len(got.rows)
    assert compared > 500
