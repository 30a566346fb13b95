"""kg.build: the main job over folders of news items and records, and the store statistics."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import kg
import kg.build as kb
from kg.errors import KGError
from kg.iri import REGISTRY_GRAPH, item_iri
from kg.record import load_record
from kg.resources import data_path
from kg.store import open_store

SAMPLES = data_path("samples")


def record(item_id: str, *, lang: str = "ar", published: str | None = "2024-03-01") -> dict:
    """A small, valid record in Arabic: IOM organizes a workshop that the Jordanian ministry attends."""
    return {
        "item": {"id": item_id, "url": f"https://example.org/{item_id}", "source": "test",
                 "published": published, "lang": lang, "title": "ورشة عمل حول الهجرة"},
        "entities": [
            {"id": "iom", "type": "Organization", "kind": "IntergovernmentalOrganization",
             "name": "International Organization for Migration", "country": None,
             "mentions": ["المنظمة الدولية للهجرة"]},
            {"id": "mol", "type": "Organization", "kind": "GovernmentBody", "name": "Ministry of Labour (Jordan)",
             "country": "JO", "mentions": ["وزارة العمل"]},
            {"id": "p", "type": "Person", "name": "سامي الخطيب", "mentions": ["سامي الخطيب"]},
            {"id": "ev", "type": "Event", "kind": "Workshop", "name": "ورشة عمل حول الهجرة", "country": "JO",
             "mentions": ["ورشة عمل"]},
        ],
        "relations": [
            {"type": "organizes", "subject": "iom", "object": "ev"},
            {"type": "participates_in", "subject": "mol", "object": "ev"},
            {"type": "holds_post", "subject": "p", "object": "mol", "role": "Secretary General"},
        ],
        "quotes": [],
        "topics": ["labour-migration"],
    }


def write(folder: Path, name: str, data: dict | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.fixture
def store(tmp_path):
    st = open_store(str(tmp_path / "kg-store"))
    yield st
    st.close()


# -- the samples ------------------------------------------------------------------------------

def test_build_the_samples_from_their_curated_records(store):
    summary = kb.build([SAMPLES], store, curated=SAMPLES)
    assert summary.stored == summary.added == 14 and summary.curated == 14
    assert not summary.problems and summary.exit_code == 0
    st = summary.stats
    assert st.items == 14 and st.overview["registry organizations"] > 250
    recs = [load_record(p) for p in sorted(SAMPLES.glob("*.gold.json"))]
    # statements by relation type are exactly the records' relations
    want = Counter(r.type for rec in recs for r in rec.relations)
    assert {d["relation"]: d["statements"] for d in st.relations_by_type} == dict(want)
    assert {d["lang"]: d["items"] for d in st.items_by_language} == dict(Counter(r.item.lang for r in recs))
    assert {d["origin"]: d["items"] for d in st.items_by_origin} == {"curated": 14}
    kinds = {d["kind"]: d["actors"] for d in st.actors_by_kind}
    persons = {e.name for rec in recs for e in rec.entities if e.type == "Person"}
    assert kinds["Person"] == len(persons)
    assert set(kinds) <= {"Person", "Organization", "IntergovernmentalOrganization", "GovernmentBody", "Embassy",
                          "OrganizationalUnit", "NonGovernmentalOrganization", "AcademicInstitution", "Company",
                          "Media", "Group"}
    types = {d["type"]: d["entities"] for d in st.entities_by_type}
    assert types["Event"] == sum(1 for rec in recs for e in rec.entities if e.type == "Event")
    assert kb.stats(store).to_dict() == st.to_dict()  # what `levant-kg stats` prints


def test_build_is_resumable_and_idempotent(store):
    first = kb.build([SAMPLES], store, curated=SAMPLES)
    quads = len(store)
    again = kb.build([SAMPLES], store, curated=SAMPLES)
    assert again.unchanged == 14 and again.stored == 0 and len(store) == quads
    assert again.stats.to_dict() == first.stats.to_dict()
    forced = kb.build([SAMPLES], store, curated=SAMPLES, force=True)
    assert forced.replaced == 14 and len(store) == quads


def test_texts_are_extracted_and_gold_beside_them_is_not_input(store):
    summary = kb.build([SAMPLES], store)
    assert summary.extracted == 14 and summary.curated == 0 and summary.stored == 14
    assert {d["origin"]: d["items"] for d in summary.stats.items_by_origin} == {"extracted": 14}


# -- bad input -----------------------------------------------------------------------------------

def test_a_malformed_record_is_reported_and_the_batch_goes_on(tmp_path, store):
    folder = tmp_path / "records"
    write(folder, "good.json", record("good"))
    write(folder, "broken.json", '{"item": {"id": "broken"}, "entities": [')
    bad = record("dangling")
    bad["relations"].append({"type": "funds", "subject": "nobody", "object": "ev"})
    write(folder, "dangling.json", bad)
    summary = kb.build([folder], store)
    assert summary.stored_items == ["good"]
    problems = {Path(p.file).name: p for p in summary.problems}
    assert set(problems) == {"broken.json", "dangling.json"}
    assert "not valid JSON" in problems["broken.json"].reason
    assert "'nobody' is not an entity id" in problems["dangling.json"].reason
    assert all(p.stage == "record" for p in problems.values())
    assert summary.exit_code == 2 and summary.stats.items == 1
    assert "broken.json" in summary.text()


def test_malformed_records_reach_the_report_file(tmp_path, store):
    folder = tmp_path / "records"
    write(folder, "good.json", record("good"))
    write(folder, "broken.json", '{"item": {"id": "broken"}, "entities": [')
    summary = kb.build([folder], store, report=tmp_path / "skipped.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "skipped.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(Path(x["file"]).name, x["stage"]) for x in lines] == [("broken.json", "record")]
    assert [p.to_dict() for p in summary.problems] == lines


def test_a_path_that_does_not_exist_stops_before_anything_is_written(tmp_path, store):
    write(tmp_path / "in", "good.json", record("good"))
    with pytest.raises(KGError, match="no such file or folder"):
        kb.build([tmp_path / "in", tmp_path / "nope"], store)
    assert len(store) == 0
    (tmp_path / "empty").mkdir()
    with pytest.raises(KGError, match="no news items or records"):
        kb.build([tmp_path / "empty"], store)
    assert len(store) == 0


def test_items_that_break_the_shapes_are_reported_and_kept_out(tmp_path, store, monkeypatch):
    import kg.validate as kv

    real = kv.validate_triples

    def strict(triples, item, registry=None):
        report = real(triples, item, registry)
        if "bad" in str(item):
            report.violations.append(kv.Violation(item=str(item), shape="Item", focus="id:item/bad",
                                                  path="schema:headline", message="made up for the test",
                                                  item_id="bad"))
        return report

    monkeypatch.setattr(kv, "validate_triples", strict)
    folder = tmp_path / "in"
    write(folder, "ok.json", record("ok"))
    write(folder, "bad.json", record("bad"))
    summary = kb.build([folder], store)
    assert summary.stored_items == ["ok"] and summary.exit_code == 1
    assert [p.item for p in summary.violations] == ["bad"] and "made up for the test" in summary.violations[0].reason
    kept = kb.build([folder], store, keep_invalid=True)
    assert "bad" in kept.stored_items and len(kept.violations) == 1
    assert item_iri("bad") in store.items()


def test_add_leaves_the_registry_graph_alone(tmp_path, store):
    write(tmp_path / "a", "one.json", record("one"))
    write(tmp_path / "b", "two.json", record("two", lang="ar", published=None))
    kb.build([tmp_path / "a"], store)
    written = []
    put_graph = store.put_graph
    store.put_graph = lambda iri, g: (written.append(iri), put_graph(iri, g))  # type: ignore[method-assign]
    summary = kb.add([tmp_path / "b"], store)
    assert summary.stored_items == ["two"] and summary.stats is None
    assert REGISTRY_GRAPH not in written
    assert kb.stats(store).items == 2


def test_the_module_is_callable_and_exported(tmp_path, store):
    write(tmp_path / "in", "one.json", record("one"))
    summary = kg.build([tmp_path / "in"], store)
    assert summary.stored_items == ["one"] and "stored 1" in repr(summary)
    assert kg.stats(store).items == 1
    d = summary.to_dict()
    assert d["stored"] == 1 and d["stats"]["overview"]["items"] == 1
    assert list(summary.sections())[:2] == ["build", "store"]


# -- the statistics -----------------------------------------------------------------------------

def test_statistics_read_as_tables_and_by_patterns_agree(tmp_path, store):
    """Oxigraph gets the counts as tables joined by hashing, rdflib as patterns
    (Store.joins_tables); both forms give the same rows, on both engines."""
    plain = record("stats-plain")
    # an organization named only in the news, without a kind in one item and with one in another
    plain["entities"].append({"id": "c", "type": "Organization", "name": "Lajnat al-Tadamun", "country": "JO",
                              "mentions": ["لجنة التضامن"]})
    plain["relations"].append({"type": "partners_with", "subject": "c", "object": "mol"})
    kinded = record("stats-kinded")
    kinded["entities"].append({"id": "c", "type": "Organization", "kind": "NonGovernmentalOrganization",
                               "name": "Lajnat al-Tadamun", "country": "JO", "mentions": ["لجنة التضامن"]})
    kinded["relations"].append({"type": "partners_with", "subject": "c", "object": "mol"})
    folder = tmp_path / "records"
    write(folder, "stats-plain.json", plain)
    write(folder, "stats-kinded.json", kinded)
    memory = open_store(":memory:")
    results = []
    for st in (store, memory):
        kb.build([SAMPLES, folder], st, with_stats=False)
        assert st.joins_tables is (st is store)
        results.append(kb.stats(st).to_dict())
        st.joins_tables = not st.joins_tables  # the other form, on the same engine
        results.append(kb.stats(st).to_dict())
    assert all(r == results[0] for r in results[1:])
    kinds = {r["kind"]: r for r in results[0]["actors_by_kind"]}
    assert kinds["Organization"]["actors"] >= 1 and kinds["NonGovernmentalOrganization"]["actors"] >= 1
    assert kinds["Person"]["in_registry"] == 0 and kinds["IntergovernmentalOrganization"]["in_registry"] >= 1
    rel = {r["relation"]: r for r in results[0]["relations_by_type"]}
    assert rel["partners_with"]["statements"] >= 2 and rel["partners_with"]["items"] >= 2
    order = [(-r["statements"], r["relation"]) for r in results[0]["relations_by_type"]]
    assert order == sorted(order)
