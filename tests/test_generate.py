"""bench/generate.py: deterministic, readable, mixed Arabic/English corpora with valid gold records."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from kg.readers import NewsItem, read_path
from kg.record import Record
from kg.registry import default_registry

from bench_generator import ROOT, gen

LEVANT_MONTHS = set(gen.MONTHS_LEVANT)
EGYPT_MONTHS = set(gen.MONTHS_EGYPT)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    assert gen.generate(120, 11, out, records=True) == 120
    return out


def test_deterministic_for_a_seed(corpus, tmp_path) -> None:
    gen.generate(120, 11, tmp_path / "again", records=True)
    assert digest(tmp_path / "again") == digest(corpus)
    gen.generate(120, 12, tmp_path / "other", records=True)
    assert digest(tmp_path / "other") != digest(corpus)
    # a prefix of a larger corpus is the smaller corpus
    gen.generate(40, 11, tmp_path / "small")
    small = sorted(p.name for p in (tmp_path / "small").iterdir())
    assert all((corpus / n).read_bytes() == (tmp_path / "small" / n).read_bytes() for n in small)


def test_files_read_as_news_in_both_languages(corpus) -> None:
    out = list(read_path(corpus))
    items = [x for x in out if isinstance(x, NewsItem)]
    assert len(items) == 120 and len(out) == 120  # no read errors; .gold.json files are skipped
    langs = Counter(i.lang for i in items)
    assert set(langs) == {"ar", "en"} and min(langs.values()) >= 30
    for i in items:
        assert i.title and len(i.text.splitlines()) >= 4
        assert ("-ar-" in i.name) == (i.lang == "ar")
    assert len({i.id for i in items}) == 120
    texts = " ".join(i.text for i in items if i.lang == "ar")
    # dates in both Arabic month series, agencies' datelines
    assert any(m in texts for m in LEVANT_MONTHS - {"آب"}) and any(m in texts for m in EGYPT_MONTHS)
    assert "وطنية - " in texts and "(بترا)" in texts


def test_records_are_valid_and_match_the_text(corpus) -> None:
    reg = default_registry()
    kinds, relations, quotes = Counter(), Counter(), 0
    for txt in sorted(corpus.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        data = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
        rec = Record.from_dict(data, txt)
        rec.check_against_text(text, txt)
        assert rec.item.id == txt.stem and rec.item.title == text.splitlines()[0]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", rec.item.published) and rec.item.lang in ("ar", "en")
        ids = {e.id for e in rec.entities}
        for e in rec.entities:
            assert e.mentions and all(m.text in text for m in e.mentions), (txt.name, e.id)
            if e.registry:
                assert e.registry in reg
            kinds[e.kind or e.type] += 1
        for r in rec.relations:
            assert r.subject in ids and r.object in ids
            relations[r.type] += 1
        for q in rec.quotes:
            assert q.speaker in ids and q.text in text
            quotes += 1
        assert rec.topics and all(t in gen.TOPICS for t in rec.topics)
    for rel in ("funds", "implements", "organizes", "participates_in", "partners_with", "holds_post",
                "part_of", "located_in", "under_project"):
        assert relations[rel] > 0, rel
    assert len({k for k in kinds if k in gen.EVENTS}) >= 6
    assert kinds["Person"] >= 120 and quotes >= 120


def test_post_holders_recur_across_items(corpus) -> None:
    holders = Counter()
    for f in corpus.glob("*.gold.json"):
        rec = json.loads(f.read_text(encoding="utf-8"))
        names = {e["id"]: e["name"] for e in rec["entities"]}
        for r in rec["relations"]:
            if r["type"] == "holds_post":
                holders[(names[r["subject"]], r["object"], r["role"])] += 1
    assert max(holders.values()) >= 2  # the same person in the same post, met again


def test_records_map_and_validate(corpus) -> None:
    from kg.mapping import record_to_graph
    from kg.validate import validate_graph

    reg = default_registry()
    for f in sorted(corpus.glob("*.gold.json"))[:4]:
        rec = Record.from_json(f.read_text(encoding="utf-8"), f)
        g = record_to_graph(rec, reg, text=f.with_name(f.name.replace(".gold.json", ".txt")).read_text("utf-8"))
        report = validate_graph(g, reg)
        assert report.conforms, report.text()


def test_command_line(tmp_path) -> None:
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--items", "8", "--seed", "3",
                          "--out", str(tmp_path / "c"), "--ar", "1"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    files = sorted((tmp_path / "c").iterdir())
    assert len(files) == 8 and all("-ar-" in f.name and f.suffix == ".txt" for f in files)
    assert "wrote 8 items" in res.stderr
