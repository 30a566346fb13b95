"""Batch ingest (kg.ingest): resumable, skips current items, reports bad input.

Corpora are built in tmp folders from the bundled sample items
(data/samples/*.txt, with their gold records as curated records). Extraction
is counted by wrapping ``kg.extract.extract``, so "not re-extracted" is
checked, not assumed.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import kg.extract
import kg.validate
from kg.errors import KGError
from kg.ingest import IngestSummary, ingest, item_hash, iter_input_files, pipeline_fingerprint, stored_hashes
from kg.iri import LMG, ONTOLOGY_GRAPH, REGISTRY_GRAPH, item_iri
from kg.resources import data_path
from kg.store import open_store

SAMPLES = data_path("samples")
TEXTS = sorted(SAMPLES.glob("*.txt"))


def texts(n: int) -> list[Path]:
    assert len(TEXTS) >= n, "the bundled samples are there"
    return TEXTS[:n]


def text_corpus(folder: Path, n: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for p in texts(n):
        shutil.copy(p, folder / p.name)
    return folder


def jsonl_corpus(path: Path, n: int = 3, edit: int | None = None) -> Path:
    """n items with URLs (stable ids); ``edit`` changes the text of that one."""
    lines = []
    for i, p in enumerate(texts(n)):
        text = p.read_text(encoding="utf-8")
        if i == edit:
            text = text.rstrip("\n") + "\nThe meeting was attended by representatives of IOM.\n"
        lines.append(json.dumps({"id": p.stem, "url": f"https://news.example.org/items/{p.stem}",
                                 "title": text.split("\n", 1)[0], "source": "Example News",
                                 "published": "2023-05-10", "text": text}, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def calls(monkeypatch):
    """Counts extractions (by item id)."""
    seen: list[str] = []
    real = kg.extract.extract

    def counting(text, *, item_id=None, meta=None, registry=None):
        seen.append(item_id)
        return real(text, item_id=item_id, meta=meta, registry=registry)

    monkeypatch.setattr(kg.extract, "extract", counting)
    return seen


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store")
    yield s
    s.close()


def item_graphs(store) -> dict[str, set]:
    return {str(i): set(store.item_graph(i)) for i in store.items()}


def read_report(path: Path) -> list[dict]:
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- the basic run --------------------------------------------------------------------------

def test_ingest_stores_every_item_once_with_its_hash(tmp_path, store, calls):
    folder = text_corpus(tmp_path / "news", 4)
    report = tmp_path / "skipped.jsonl"
    s = ingest([folder], store, report=report, progress=False)
    assert isinstance(s, IngestSummary)
    assert (s.files, s.items, s.added, s.replaced, s.unchanged, s.skipped) == (4, 4, 4, 0, 0, 0), s.text()
    assert len(calls) == 4
    assert len(store.items()) == 4
    for iri in store.items():
        h = store.get_value(iri, LMG.contentHash)
        assert h is not None and len(str(h)) == 64
        assert str(store.get_value(iri, LMG.recordOrigin)) == "extracted"
    assert report.exists() and read_report(report) == []
    # the registry and ontology graphs are there for queries
    assert REGISTRY_GRAPH in store and ONTOLOGY_GRAPH in store
    assert "4 item(s)" in s.text() and s.items_per_second > 0


def test_second_run_skips_current_items_without_extracting(tmp_path, store, calls):
    folder = text_corpus(tmp_path / "news", 4)
    ingest([folder], store, progress=False)
    before = item_graphs(store)
    calls.clear()
    s = ingest([folder], store, progress=False)
    assert (s.items, s.unchanged, s.stored, s.skipped) == (4, 4, 0, 0)
    assert calls == []  # not re-extracted
    assert item_graphs(store) == before


def test_force_redoes_current_items(tmp_path, store, calls):
    folder = text_corpus(tmp_path / "news", 2)
    ingest([folder], store, progress=False)
    calls.clear()
    s = ingest([folder], store, progress=False, force=True)
    assert (s.replaced, s.unchanged, len(calls)) == (2, 0, 2)


def test_changed_content_is_reingested_and_replaces_the_graph(tmp_path, store, calls):
    feed = jsonl_corpus(tmp_path / "in" / "export.jsonl", 3)
    ingest([feed], store, progress=False)
    before = item_graphs(store)
    assert len(before) == 3
    jsonl_corpus(feed, 3, edit=1)
    calls.clear()
    s = ingest([feed], store, progress=False)
    assert (s.items, s.unchanged, s.replaced, s.added) == (3, 2, 1, 0), s.text()
    assert len(calls) == 1
    after = item_graphs(store)
    assert after.keys() == before.keys()  # same ids (from the URLs), replaced in place
    changed = [k for k in after if after[k] != before[k]]
    assert len(changed) == 1
    hashes = {k: [o for s_, p, o in after[k] if p == LMG.contentHash] for k in after}
    assert all(len(v) == 1 for v in hashes.values())  # one hash, the new one


def test_metadata_change_alone_reingests(tmp_path, store):
    feed = jsonl_corpus(tmp_path / "export.jsonl", 2)
    ingest([feed], store, progress=False)
    lines = feed.read_text(encoding="utf-8").splitlines()
    obj = json.loads(lines[0])
    obj["published"] = "2024-01-31"
    lines[0] = json.dumps(obj, ensure_ascii=False)
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = ingest([feed], store, progress=False)
    assert (s.unchanged, s.replaced) == (1, 1)


def test_hash_depends_on_text_metadata_and_pipeline():
    fp = pipeline_fingerprint()
    assert len(fp) == 64 and fp == pipeline_fingerprint()
    a = item_hash(fp, text="x", meta={"url": "u"})
    assert a == item_hash(fp, text="x", meta={"url": "u", "title": None})
    assert a != item_hash(fp, text="y", meta={"url": "u"})
    assert a != item_hash(fp, text="x", meta={"url": "v"})
    assert a != item_hash("0" * 64, text="x", meta={"url": "u"})


# -- resuming ---------------------------------------------------------------------------------

def test_resume_after_an_interrupted_run(tmp_path, store, calls, monkeypatch):
    folder = text_corpus(tmp_path / "news", 5)
    real_put = type(store).put_item
    count = {"n": 0}

    def failing_put(self, iri, graph):
        if count["n"] == 2:
            raise KeyboardInterrupt  # the user presses ^C while the third item is written
        count["n"] += 1
        return real_put(self, iri, graph)

    monkeypatch.setattr(type(store), "put_item", failing_put)
    with pytest.raises(KeyboardInterrupt):
        ingest([folder], store, progress=False)
    assert len(store.items()) == 2
    monkeypatch.setattr(type(store), "put_item", real_put)
    calls.clear()
    s = ingest([folder], store, progress=False)
    assert (s.unchanged, s.added) == (2, 3), s.text()
    assert len(calls) == 3  # only the items not stored yet are extracted
    assert len(store.items()) == 5
    # same graphs as one uninterrupted run
    other = open_store(tmp_path / "other")
    ingest([folder], other, progress=False)
    assert item_graphs(other) == item_graphs(store)
    other.close()


def test_stored_hashes_reads_every_item(tmp_path, store):
    ingest([text_corpus(tmp_path / "news", 2)], store, progress=False)
    hashes = stored_hashes(store)
    assert set(hashes) == {str(i) for i in store.items()}
    assert all(len(h) == 64 for h in hashes.values())


# -- bad input ------------------------------------------------------------------------------

def bad_corpus(folder: Path) -> Path:
    text_corpus(folder, 2)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (folder / "empty.txt").write_text("   \n\n", encoding="utf-8")
    # neither UTF-8 nor Arabic Windows-1256 (cp1256 would give typographic junk, not letters)
    (folder / "badenc.txt").write_bytes(b"Title\nIOM met the minister " + b"\x83\x84\x86\x87\x89\x8b" * 20)
    (folder / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>x</ti", encoding="utf-8")
    (folder / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<rss><channel><item><title>&lol2;</title><description>&lol2;</description></item></channel></rss>",
        encoding="utf-8")
    (folder / "bad-record.json").write_text(
        json.dumps({"item": {"id": "bad-record"}, "entities": [{"id": "e1", "type": "Nonsense", "name": "x"}]}),
        encoding="utf-8")
    (folder / "lines.jsonl").write_text('{"text": "IOM met the Ministry of Labour in Amman."}\nnot json\n'
                                        '{"title": "no text"}\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, store, suffix):
    folder = bad_corpus(tmp_path / "news")
    notes = tmp_path / "out" / "README.md"  # named explicitly: an unknown format is reported
    notes.parent.mkdir()
    notes.write_text("# notes\n", encoding="utf-8")
    report = tmp_path / f"skipped{suffix}"
    s = ingest([folder, notes], store, report=report, progress=False)
    rows = read_report(report)
    by_file = {Path(r["file"]).name: r for r in rows}
    for name in ("binary.txt", "empty.txt", "badenc.txt", "broken.rss", "bomb.xml", "bad-record.json", "README.md"):
        assert name in by_file, (name, rows)
        assert by_file[name]["reason"]
    assert by_file["bad-record.json"]["stage"] == "record"
    assert "Nonsense" in by_file["bad-record.json"]["reason"]
    assert by_file["binary.txt"]["stage"] == "read"
    jsonl_rows = [r for r in rows if r["file"].endswith("lines.jsonl")]
    assert len(jsonl_rows) == 2 and any("line 2" in r["reason"] for r in jsonl_rows)
    # the good items went in: 2 text files and the good JSONL line
    assert s.added == 3 and len(store.items()) == 3
    assert s.skipped == len(rows) == len(s.problems)
    assert {tuple(sorted(r)) for r in rows} == {("file", "item", "reason", "stage")}


def test_a_missing_path_is_a_user_error(tmp_path, store):
    with pytest.raises(KGError, match="no such file"):
        ingest([tmp_path / "nope"], store, progress=False)
    assert store.items() == []


def test_duplicate_items_are_stored_once_and_reported(tmp_path, store):
    folder = text_corpus(tmp_path / "news", 2)
    shutil.copy(TEXTS[0], folder / "zz-copy-of-first.txt")  # same text: same content id
    s = ingest([folder], store, report=tmp_path / "r.jsonl", progress=False)
    assert s.added == 2 and s.duplicates == 1
    rows = read_report(tmp_path / "r.jsonl")
    assert len(rows) == 1 and rows[0]["stage"] == "duplicate" and rows[0]["file"].endswith("zz-copy-of-first.txt")
    assert len(store.items()) == 2


def test_invalid_graphs_are_reported_and_not_stored(tmp_path, store, monkeypatch):
    folder = text_corpus(tmp_path / "news", 2)
    real = kg.validate.validate_triples
    victim = {}

    def picky(triples, item, registry=None):
        report = real(triples, item, registry)
        if not victim:
            victim["iri"] = str(item)
            report.violations.append(kg.validate.Violation(str(item), "News item", "id:item/x",
                                                           "schema:headline", "made-up violation"))
        return report

    monkeypatch.setattr(kg.validate, "validate_triples", picky)
    s = ingest([folder], store, report=tmp_path / "r.jsonl", progress=False)
    assert (s.added, s.invalid, s.skipped) == (1, 1, 1)
    assert victim["iri"] not in {str(i) for i in store.items()}
    [row] = read_report(tmp_path / "r.jsonl")
    assert row["stage"] == "validate" and "made-up violation" in row["reason"]
    victim.clear()
    s = ingest([folder], store, progress=False, keep_invalid=True)
    assert s.added == 1 and s.invalid == 1 and len(store.items()) == 2


def test_validate_false_skips_validation(tmp_path, store, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("validation must not run")

    monkeypatch.setattr(kg.validate, "validate_triples", boom)
    s = ingest([text_corpus(tmp_path / "news", 2)], store, progress=False, validate=False)
    assert s.added == 2


# -- curated records ------------------------------------------------------------------------

def test_a_curated_record_replaces_extraction(tmp_path, store, calls):
    folder = text_corpus(tmp_path / "news", 2)
    gold = TEXTS[0].with_name(TEXTS[0].stem + ".gold.json")
    shutil.copy(gold, folder / gold.name)  # NAME.gold.json beside NAME.txt
    s = ingest([folder], store, progress=False)
    assert (s.items, s.added, s.curated, s.extracted) == (2, 2, 1, 1), s.text()
    assert len(calls) == 1 and calls[0] != TEXTS[0].stem
    iri = item_iri(TEXTS[0].stem)  # the record's id names the item
    assert str(store.get_value(iri, LMG.recordOrigin)) == "curated"
    # the curated record is current on the next run; editing it redoes the item
    assert ingest([folder], store, progress=False).unchanged == 2
    rec = json.loads((folder / gold.name).read_text(encoding="utf-8"))
    rec["topics"] = []
    (folder / gold.name).write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    s = ingest([folder], store, progress=False)
    assert (s.unchanged, s.replaced) == (1, 1)


def test_curated_records_without_text_and_from_the_curated_argument(tmp_path, store, calls):
    folder = text_corpus(tmp_path / "news", 1)
    cur = tmp_path / "curated"
    cur.mkdir()
    for p in TEXTS[:2]:
        shutil.copy(p.with_name(p.stem + ".gold.json"), cur / (p.stem + ".gold.json"))
    s = ingest([folder], store, curated=cur, progress=False)
    # item 0: curated with its text; item 1: the curated record alone
    assert (s.items, s.added, s.curated, s.extracted) == (2, 2, 2, 0), s.text()
    assert calls == []
    assert {str(i) for i in store.items()} == {str(item_iri(p.stem)) for p in TEXTS[:2]}


# -- odds and ends ----------------------------------------------------------------------------

def test_memory_store(tmp_path, calls):
    mem = open_store(":memory:")
    folder = text_corpus(tmp_path / "news", 2)
    assert ingest([folder], mem, progress=False).added == 2
    calls.clear()
    assert ingest([folder], mem, progress=False).unchanged == 2 and calls == []


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, store, capsys):
    ingest([text_corpus(tmp_path / "news", 1)], store, progress=True)
    assert capsys.readouterr().err == ""


def test_input_files_sorted_hidden_and_other_formats_skipped(tmp_path):
    folder = tmp_path / "f"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ("b.txt", "a.html", "sub/c.jsonl", ".hidden/d.txt", ".e.txt", "notes.md", "r.gold.json"):
        (folder / name).write_text("x", encoding="utf-8")
    names = [p.relative_to(folder).as_posix() for p in iter_input_files([folder])]
    assert names == ["a.html", "b.txt", "r.gold.json", "sub/c.jsonl"]


@pytest.mark.slow
def test_a_dying_worker_stops_the_run_cleanly_and_a_rerun_resumes(tmp_path, store, monkeypatch):
    import os

    folder = text_corpus(tmp_path / "news", 6)
    victim = TEXTS[3].read_text(encoding="utf-8")[:200]
    real = kg.extract.extract

    def dying(text, **kw):
        if text.startswith(victim):
            os._exit(3)  # the worker process dies (as when the OOM killer takes it)
        return real(text, **kw)

    monkeypatch.setattr(kg.extract, "extract", dying)  # forked workers inherit it
    with pytest.raises(KGError, match="worker process died"):
        ingest([folder], store, progress=False, workers=2)
    monkeypatch.setattr(kg.extract, "extract", real)
    s = ingest([folder], store, progress=False, workers=2)
    assert s.added + s.unchanged == 6 and len(store.items()) == 6


@pytest.mark.slow
def test_two_workers_give_the_same_graphs(tmp_path):
    folder = text_corpus(tmp_path / "news", 6)
    jsonl_corpus(folder / "export.jsonl", 3)  # same texts with URLs: other ids
    one = open_store(tmp_path / "one")
    two = open_store(tmp_path / "two")
    s1 = ingest([folder], one, progress=False, workers=1, report=tmp_path / "r1.jsonl")
    s2 = ingest([folder], two, progress=False, workers=2, report=tmp_path / "r2.jsonl")
    assert (s2.items, s2.added, s2.workers) == (s1.items, s1.added, 2)
    assert item_graphs(one) == item_graphs(two)
    assert read_report(tmp_path / "r1.jsonl") == read_report(tmp_path / "r2.jsonl")
    assert ingest([folder], two, progress=False, workers=2).unchanged == s1.added
    one.close()
    two.close()


def test_progress_bar_shows_items_per_second_on_a_terminal(tmp_path, store, monkeypatch):
    import io
    import sys

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    folder = text_corpus(tmp_path / "news", 3)
    s = ingest([folder], store, progress=True)
    assert s.added == 3
    shown = err.getvalue()
    assert "ingest" in shown and "3/3" in shown and "item/s" in shown


# -- compaction -------------------------------------------------------------------------------

def test_a_build_compacts_the_store_and_a_few_added_items_do_not(tmp_path, store, monkeypatch):
    from kg.store import OxigraphStore

    compacted: list[int] = []
    real = OxigraphStore.optimize

    def counting(self):
        compacted.append(len(self.items()))
        real(self)

    monkeypatch.setattr(OxigraphStore, "optimize", counting)
    first = ingest([text_corpus(tmp_path / "news", 5)], store, progress=False)
    assert compacted == [5] and first.compact_seconds is not None
    assert "compacted the store" in first.text()
    # one item more to five stored: a fifth of the store, under the quarter that compacts
    more = tmp_path / "more"
    more.mkdir()
    shutil.copy(TEXTS[5], more / TEXTS[5].name)
    added = ingest([more], store, progress=False)
    assert added.added == 1 and compacted == [5] and added.compact_seconds is None
    assert "compacted" not in added.text()
    # asked for, even when nothing was written; refused, even for a whole build
    again = ingest([more], store, progress=False, compact=True)
    assert again.unchanged == 1 and compacted == [5, 6]
    other = open_store(tmp_path / "other")
    try:
        ingest([text_corpus(tmp_path / "news2", 2)], other, progress=False, compact=False)
        assert compacted == [5, 6]
    finally:
        other.close()


def test_a_failed_compaction_loses_no_item(tmp_path, store, monkeypatch):
    from kg.build import build
    from kg.errors import StoreError
    from kg.store import OxigraphStore

    def full_disk(self):
        raise StoreError("cannot compact the store: IO error: No space left on device", self.spec)

    monkeypatch.setattr(OxigraphStore, "optimize", full_disk)
    s = build([text_corpus(tmp_path / "news", 3)], store, with_stats=False)
    assert s.added == 3 and len(store.items()) == 3 and s.exit_code == 0
    assert s.compact_seconds is None and "No space left" in s.compact_error
    row = {r["what"].strip(): r["value"] for r in s.overview()}["of which compacting the store"]
    assert row.startswith("not done: cannot compact the store")


def test_compaction_keeps_every_quad(tmp_path, store):
    ingest([text_corpus(tmp_path / "news", 4)], store, progress=False, compact=False)
    before = item_graphs(store)
    n = len(store)
    store.optimize()
    assert len(store) == n and item_graphs(store) == before
    ro = open_store(tmp_path / "store2")
    ro.close()
    ro = open_store(tmp_path / "store2", read_only=True)
    try:
        with pytest.raises(KGError, match="read-only"):
            ro.optimize()
    finally:
        ro.close()


def test_a_memory_store_has_nothing_to_compact(tmp_path):
    mem = open_store(":memory:")
    s = ingest([text_corpus(tmp_path / "news", 2)], mem, progress=False, compact=True)
    assert s.added == 2 and s.compact_seconds is None and not mem.compactable
