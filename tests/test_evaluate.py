"""Scoring (ANNOTATION.md, Scoring) on hand-made record pairs whose counts are worked out by hand."""
from __future__ import annotations

import json

import pytest

from kg.evaluate import EXACT, SIMILAR, SUBSET, compare_forms, align_entities, evaluate, evaluate_records
from kg.normalize import name_words
from kg.record import Record


def rec(item_id: str, lang: str, entities: list[tuple], relations: list[tuple] = (), topics=()) -> Record:
    """entities: (id, type, name, [mentions]); relations: (type, subject, object)."""
    return Record.from_dict({
        "item": {"id": item_id, "lang": lang},
        "entities": [{"id": i, "type": t, "name": n, "mentions": list(m)} for i, t, n, m in entities],
        "relations": [{"type": t, "subject": s, "object": o} for t, s, o in relations],
        "topics": list(topics),
    })


# -- the Arabic pair ------------------------------------------------------------
AR_GOLD = rec("ar1", "ar", [
    ("g-un", "Organization", "United Nations", ["للأمم المتحدة"]),
    ("g-iom", "Organization", "International Organization for Migration", ["المنظمة الدولية للهجرة"]),
    ("g-mol", "Organization", "Ministry of Labour (Jordan)", ["وزارة العمل", "الوزارة"]),
    ("g-p", "Person", "Mathieu Luciano", ["ماتيو لوتشيانو"]),
    ("g-ev", "Event", "Regional dialogue", ["حوارا إقليميا"]),
], [
    ("organizes", "g-iom", "g-ev"),
    ("participates_in", "g-p", "g-ev"),
    ("partners_with", "g-iom", "g-mol"),
    ("funds", "g-un", "g-ev"),
])
AR_EXTRACTED = rec("ar1", "ar", [
    ("x1", "Organization", "الأمم المتحدة", ["الأمم المتحدة"]),            # clitic لل folded: exact
    ("x2", "Organization", "منظمة الدولية للهجرة", ["منظمة الدولية للهجرة"]),  # article folded: exact
    ("x3", "Organization", "المنظمة الدولية للهجرة", ["المنظمة الدولية للهجرة"]),  # duplicate: FP
    ("x4", "Person", "لوتشيانو", ["لوتشيانو"]),  # 1 of 2 words is not "more than half": FP, and g-p missed
    ("x5", "Organization", "وزارة العمل الأردنية", ["وزارة العمل الأردنية"]),  # subset: 2 of 3 words
    ("x6", "Event", "حوار", ["حواراً إقليمياً"]),  # diacritics folded: exact
], [
    ("organizes", "x2", "x6"),        # TP
    ("partners_with", "x5", "x2"),    # TP, reversed order
    ("funds", "x1", "x6"),            # TP
    ("participates_in", "x4", "x6"),  # FP: x4 is not aligned
    ("organizes", "x3", "x6"),        # FP: x3 is the unaligned duplicate
])

# -- the English pair -------------------------------------------------------------
EN_GOLD = rec("en1", "en", [
    ("unhcr", "Organization", "Office of the United Nations High Commissioner for Refugees", ["UNHCR"]),
    ("mopic", "Organization", "Ministry of Planning and International Cooperation (Jordan)",
     ["Ministry of Planning and International Cooperation"]),
    ("usemb", "Organization", "U.S. Embassy in Amman", ["U.S. Embassy"]),
    ("grandi", "Person", "Filippo Grandi", ["Filippo Grandi", "Grandi"]),
], [
    ("holds_post", "grandi", "unhcr"),
    ("partners_with", "unhcr", "mopic"),
    ("funds", "usemb", "mopic"),
], topics=["refugees", "gcm"])
EN_EXTRACTED = rec("en1", "en", [
    ("a", "Organization", "UNHCR", ["UNHCR"]),                                            # exact
    ("b", "Organization", "Ministry of Planing and International Cooperation", []),      # similar (typo)
    ("c", "Organization", "US Embassy", ["US Embassy"]),                                 # punctuation: exact
    ("d", "Person", "Mr. Filippo Grandi", ["Mr. Filippo Grandi"]),                       # subset, but loses to e
    ("e", "Person", "Grandi", ["Grandi"]),                                               # exact: aligned first
], [
    ("holds_post", "e", "a"),         # TP
    ("partners_with", "b", "a"),      # TP (either order)
    ("partners_with", "a", "b"),      # the same fact again: counted once
    ("funds", "b", "c"),              # FP: reversed, and funds is not symmetric (gold one missed)
], topics=["refugees", "smuggling"])


def test_name_words_fold_clitics_article_and_letter_forms():
    assert name_words("للأمم المتحدة") == name_words("الأمم المتحدة") == ("امم", "متحده")
    assert name_words("وزارة العمل") == name_words("ووزارة العمل") == name_words("والوزارة العمل")
    assert name_words("الوزارة") == name_words("بالوزارة") == name_words("وزارة")
    assert name_words("اللاجئين") == name_words("للاجئين")
    assert name_words("المنظّمة الدوليّة للهجـرة") == name_words("منظمة الدولية للهجرة")
    assert name_words("إسرائيل") == name_words("اسرائيل")
    assert name_words("U.S. Embassy") == name_words("the US embassy") == ("us", "embassy")
    assert name_words("Jordan’s Ministry of Labour") == ("jordan", "ministry", "labour")
    assert name_words("التعاون في الأردن على مستوى") == ("تعاون", "اردن", "مستوي")
    assert name_words("Ministry for Labour") == ("ministry", "for", "labour")  # only the listed function words


def test_compare_forms_classes():
    assert compare_forms(("a", "b"), ("a", "b")) == (EXACT, 1.0)
    assert compare_forms(("a", "b"), ("a", "b", "c"))[0] == SUBSET           # 2 of 3: more than half
    assert compare_forms(("a", "b"), ("a", "b", "c", "d")) == (0, 0.0)      # 2 of 4: not more than half
    assert compare_forms(("b", "a"), ("a", "b"))[0] == SUBSET                # same words, other order
    assert compare_forms(("grandi",), ("filippo", "grandi")) == (0, 0.0)
    cls, ratio = compare_forms(("ministry", "planing"), ("ministry", "planning"))
    assert cls == SIMILAR and ratio >= 0.85
    assert compare_forms(("unicef",), ("unesco",)) == (0, 0.0)
    assert compare_forms((), ("a",)) == (0, 0.0)


def test_arabic_pair_by_hand():
    s = evaluate_records([(AR_GOLD, AR_EXTRACTED)])
    how = {(m.gold, m.extracted): m.how for m in align_entities(AR_GOLD, AR_EXTRACTED)}
    assert how == {("g-un", "x1"): "exact", ("g-iom", "x2"): "exact", ("g-mol", "x5"): "subset",
                   ("g-ev", "x6"): "exact"}
    org = s.get("entity:Organization")
    assert (org.tp, org.fp, org.fn) == (3, 1, 0)
    assert org.precision == pytest.approx(0.75) and org.recall == 1.0 and org.f1 == pytest.approx(6 / 7)
    per = s.get("entity:Person")
    assert (per.tp, per.fp, per.fn) == (0, 1, 1) and per.f1 == 0.0
    act = s.get("actors")
    assert (act.tp, act.fp, act.fn) == (3, 2, 1)
    assert act.precision == pytest.approx(0.6) and act.recall == pytest.approx(0.75)
    assert act.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    ent = s.get("entities")
    assert (ent.tp, ent.fp, ent.fn) == (4, 2, 1)
    rel = s.get("relations")
    assert (rel.tp, rel.fp, rel.fn) == (3, 2, 1)
    assert s.get("relation:partners_with").tp == 1
    assert (s.get("relation:organizes").tp, s.get("relation:organizes").fp) == (1, 1)
    assert (s.get("relation:participates_in").fp, s.get("relation:participates_in").fn) == (1, 1)
    item = s.items[0]
    assert [e.id for e in item.spurious_entities] == ["x3", "x4"]
    assert [e.id for e in item.missed_entities] == ["g-p"]


def test_english_pair_by_hand():
    s = evaluate_records([(EN_GOLD, EN_EXTRACTED)])
    how = {(m.gold, m.extracted): m.how for m in align_entities(EN_GOLD, EN_EXTRACTED)}
    assert how == {("unhcr", "a"): "exact", ("mopic", "b"): "similar", ("usemb", "c"): "exact",
                   ("grandi", "e"): "exact"}
    org, per = s.get("entity:Organization"), s.get("entity:Person")
    assert (org.tp, org.fp, org.fn) == (3, 0, 0)
    assert (per.tp, per.fp, per.fn) == (1, 1, 0) and per.f1 == pytest.approx(2 / 3)
    rel = s.get("relations")
    assert (rel.tp, rel.fp, rel.fn) == (2, 1, 1)
    funds = s.get("relation:funds")
    assert (funds.tp, funds.fp, funds.fn) == (0, 1, 1)
    pw = s.get("relation:partners_with")
    assert (pw.tp, pw.fp, pw.fn) == (1, 0, 0)
    top = s.get("topics")
    assert (top.tp, top.fp, top.fn) == (1, 1, 1)


def test_per_language_and_overall_are_micro_averaged():
    s = evaluate_records([(AR_GOLD, AR_EXTRACTED), (EN_GOLD, EN_EXTRACTED)])
    assert s.langs == ["ar", "en"]
    assert (s.get("actors", "ar").tp, s.get("actors", "en").tp) == (3, 4)
    act = s.get("actors")
    assert (act.tp, act.fp, act.fn) == (7, 3, 1)
    assert act.precision == pytest.approx(0.7) and act.recall == pytest.approx(0.875)
    rel = s.get("relations")
    assert (rel.tp, rel.fp, rel.fn) == (5, 3, 2)
    assert s.f1("relations") == pytest.approx(2 * 5 / (2 * 5 + 3 + 2))
    # topics only where the gold lists them: the Arabic gold has none
    assert s.get("topics", "ar").predicted == 0 and s.get("topics").gold == 2
    d = json.loads(s.to_json())
    assert d["scores"]["all"]["actors"]["tp"] == 7
    assert d["scores"]["ar"]["relations"]["fn"] == 1
    assert d["langs"] == {"ar": 1, "en": 1}


def test_perfect_and_empty():
    s = evaluate_records([(EN_GOLD, EN_GOLD)])
    assert s.f1("entities") == 1.0 and s.f1("relations") == 1.0
    empty = rec("en1", "en", [])
    s = evaluate_records([(EN_GOLD, empty)])
    assert s.get("entities").recall == 0.0 and s.f1("entities") == 0.0
    s = evaluate_records([(empty, empty)])
    assert s.f1("entities") == 1.0


def test_alignment_is_one_to_one_and_deterministic():
    gold = rec("g", "en", [("iom", "Organization", "IOM", ["IOM"])])
    ext = rec("g", "en", [("x1", "Organization", "IOM", ["IOM"]), ("x2", "Organization", "IOM", ["IOM"])])
    for _ in range(3):
        m = align_entities(gold, ext)
        assert [(a.gold, a.extracted) for a in m] == [("iom", "x1")]
    c = evaluate_records([(gold, ext)]).get("entity:Organization")
    assert (c.tp, c.fp, c.fn) == (1, 1, 0)


def test_types_must_agree_and_best_pair_wins():
    gold = rec("g", "en", [
        ("mol", "Organization", "Ministry of Labour", ["Ministry of Labour", "the Ministry"]),
        ("moi", "Organization", "Ministry of Interior", ["Ministry of Interior", "the Ministry"]),
        ("amman", "Place", "Amman", ["Amman"]),
    ])
    ext = rec("g", "en", [
        ("a", "Organization", "Amman", ["Amman"]),          # wrong type: no match
        ("b", "Organization", "Ministry of Interior", ["the Ministry"]),
        ("c", "Organization", "Ministry", ["the Ministry"]),  # generic only: takes what is left
    ])
    m = {(x.gold, x.extracted) for x in align_entities(gold, ext)}
    assert m == {("moi", "b"), ("mol", "c")}


def test_evaluate_dir_with_extractor_and_verbose(tmp_path):
    for r in (AR_GOLD, EN_GOLD):
        (tmp_path / f"{r.item.id}.gold.json").write_text(r.to_json(), encoding="utf-8")
    (tmp_path / "ar1.txt").write_text("نص " + " ".join(
        m.text for e in AR_EXTRACTED.entities for m in e.mentions), encoding="utf-8")
    (tmp_path / "en1.txt").write_text("text", encoding="utf-8")
    (tmp_path / "orphan.txt").write_text("no gold", encoding="utf-8")
    extracted = {"ar1": AR_EXTRACTED}

    def extractor(text, item_id):
        if item_id not in extracted:
            raise RuntimeError("boom")
        return extracted[item_id]

    s = evaluate(tmp_path, extractor=extractor, verbose=True)
    assert [r.id for r in s.items] == ["ar1", "en1"]
    assert s.items[1].error and "boom" in s.items[1].error
    assert s.get("actors", "en").fn == 4 and s.get("actors", "en").predicted == 0
    table = s.table()
    assert "ACTORS" in table and "EXTRACTOR ERRORS" in table
    assert "missed   Person       Mathieu Luciano" in table
    assert "spurious participates_in: لوتشيانو -> حوار" in table
    assert "missed   funds: U.S. Embassy in Amman -> Ministry of Planning" in table
    assert "missed   Person" not in s.table(verbose=False)


def test_evaluate_reports_offset_errors(tmp_path):
    gold = rec("x", "en", [("iom", "Organization", "IOM", ["IOM"])])
    (tmp_path / "x.gold.json").write_text(gold.to_json(), encoding="utf-8")
    (tmp_path / "x.txt").write_text("The IOM said.", encoding="utf-8")
    bad = Record.from_dict({"item": {"id": "x"}, "entities": [
        {"id": "a", "type": "Organization", "name": "IOM", "mentions": [{"text": "IOM", "start": 3, "end": 6}]}]})
    s = evaluate(tmp_path, extractor=lambda text, item_id: bad)
    assert s.items[0].offset_errors and "OFFSET ERRORS" in s.table()
    assert s.f1("entities") == 1.0


def test_missing_dir_is_a_user_error(tmp_path):
    from kg.errors import KGError
    with pytest.raises(KGError):
        evaluate(tmp_path / "nope")
    with pytest.raises(KGError):
        evaluate(tmp_path)
