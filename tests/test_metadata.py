"""Item metadata: language, title, dateline, source, dates and boilerplate (texts written for these tests)."""
from __future__ import annotations

import pytest

from kg.extract.metadata import detect_lang, find_dates, read_item

AR_NNA = (
    "وزارة العمل أطلقت خطة وطنية لحماية العاملات في الخدمة المنزلية\n"
    "بيروت - وطنية - أطلقت وزارة العمل اليوم الخميس ١٤ آذار ٢٠٢٤ خطة وطنية بالتعاون مع منظمة العمل الدولية.\n"
    "وقال الوزير إن الخطة تشمل تفتيش مكاتب الاستقدام.\n"
    "=========ع.ح\n"
    "مصدر الخبر\n"
    "للمزيد Facebook\n"
)
AR_PETRA = (
    "ورشة عن إدارة الحدود في العقبة\n"
    "العقبة 3 أيار (بترا)- نظمت مديرية الأمن العام ورشة تدريبية عن إدارة الحدود.\n"
    "وشارك في الورشة ضباط من المعابر البرية والبحرية.\n"
    "--(بترا)\n"
    "ع ح/ م ق\n"
)
AR_SANA = "مذكرة تفاهم لدعم الأسر العائدة\n\nحلب-سانا\n\nوقعت محافظة حلب مذكرة تفاهم مع منظمة غير حكومية.\n"
EN_AA = (
    "Türkiye and IOM open migrant support centre in Gaziantep\n"
    "GAZIANTEP, Türkiye (AA) - Turkish migration authorities and IOM opened a support centre on Monday.\n"
    "The centre will offer legal counselling to migrants.\n"
    "Related news\n"
    "Another headline about something else\n"
)
EN_BYLINE = (
    "Ministry launches survey of refugee livelihoods\n"
    "By JT - Mar 04,2024 - Last updated at Mar 04,2024\n"
    "AMMAN — The Ministry of Planning launched a survey of refugee livelihoods on Sunday.\n"
    "The survey will cover 5,000 households.\n"
    "Share this\n"
    "Follow us\n"
    "© 2024 All rights reserved\n"
)


def test_arabic_nna_dateline_date_and_boilerplate():
    m = read_item(AR_NNA)
    assert m.lang == "ar"
    assert m.title == "وزارة العمل أطلقت خطة وطنية لحماية العاملات في الخدمة المنزلية"
    assert AR_NNA[slice(*m.title_span)] == m.title
    assert m.source == "National News Agency (Lebanon)" and m.source_key == "nna"
    assert AR_NNA[slice(*m.dateline)].strip() == "بيروت - وطنية -"
    assert AR_NNA[slice(*m.dateline_place)] == "بيروت"
    assert AR_NNA[m.body_start:].startswith("أطلقت وزارة العمل")
    assert AR_NNA[:m.body_end].endswith("مكاتب الاستقدام.")
    assert m.published == "2024-03-14"  # "اليوم الخميس ١٤ آذار ٢٠٢٤" in the first sentence
    assert not m.is_content(*m.dateline)
    assert m.is_content(m.body_start, m.body_start + 5)


def test_arabic_petra_partial_date_and_end_marker():
    m = read_item(AR_PETRA)
    assert m.source_key == "petra" and m.source == "Jordan News Agency (Petra)"
    assert AR_PETRA[slice(*m.dateline_place)] == "العقبة"
    assert m.published is None  # day and month only: the year is not guessed
    assert read_item(AR_PETRA, year=2024).published == "2024-05-03"
    assert AR_PETRA[:m.body_end].endswith("البرية والبحرية.")


def test_arabic_sana_dateline_alone_on_its_line():
    m = read_item(AR_SANA)
    assert m.source_key == "sana"
    assert AR_SANA[slice(*m.dateline)] == "حلب-سانا"
    assert AR_SANA[m.body_start:].startswith("وقعت محافظة حلب")
    assert AR_SANA[slice(*m.dateline_place)] == "حلب"


def test_english_anadolu_related_news_cut():
    m = read_item(EN_AA)
    assert m.lang == "en" and m.source == "Anadolu Agency"
    assert EN_AA[slice(*m.dateline_place)] == "GAZIANTEP, Türkiye".split(",")[0]
    assert EN_AA[m.body_start:].startswith("Turkish migration authorities")
    assert EN_AA[:m.body_end].endswith("legal counselling to migrants.")


def test_english_byline_header_and_share_links():
    m = read_item(EN_BYLINE)
    assert m.title == "Ministry launches survey of refugee livelihoods"
    assert m.source == "The Jordan Times"
    assert m.published == "2024-03-04"
    assert EN_BYLINE[slice(*m.dateline_place)] == "AMMAN"
    assert EN_BYLINE[m.body_start:].startswith("The Ministry of Planning")
    assert EN_BYLINE[:m.body_end].endswith("5,000 households.")


def test_no_title_when_first_line_is_a_sentence_or_a_date():
    t = "The ministry said on Monday that it would open two new centres.\nMore text follows here.\n"
    assert read_item(t).title is None
    t2 = "3 آب/أغسطس 2022 – بيروت، لبنان\nنظمت المنظمة جلسات توعية.\n"
    m = read_item(t2)
    assert m.title is None and m.published == "2022-08-03"
    assert t2[m.body_start:].startswith("نظمت")


def test_adjective_is_not_an_agency():
    t = "خطة جديدة\nأعلنت الحكومة خطة وطنية - وفق بيان - لدعم اللاجئين في المخيمات والمدن الكبرى هذا العام.\n"
    assert read_item(t).source is None


@pytest.mark.parametrize("text,iso", [
    ("في 5 آذار 2023", "2023-03-05"),
    ("الأحد ٢١ كانون الثاني/يناير ٢٠٢٤", "2024-01-21"),
    ("8 نيسان / أبريل 2014", "2014-04-08"),
    ("يوم 1 تشرين الأول 2019", "2019-10-01"),
    ("30 تشرين الثاني 2020", "2020-11-30"),
    ("12 كانون الأول 2021", "2021-12-12"),
    ("7 أيار 2022", "2022-05-07"),
    ("7 مايو 2022", "2022-05-07"),
    ("15 يونيه 2022", "2022-06-15"),
    ("15 حزيران 2022", "2022-06-15"),
    ("4 يوليه 2022", "2022-07-04"),
    ("4 تموز 2022", "2022-07-04"),
    ("9 آب 2022", "2022-08-09"),
    ("9 أغسطس 2022", "2022-08-09"),
    ("20 أيلول 2022", "2022-09-20"),
    ("20 سبتمبر 2022", "2022-09-20"),
    ("2 شباط 2021", "2021-02-02"),
    ("18 فبراير من عام 2021", "2021-02-18"),
    ("2023/3/5", "2023-03-05"),
    ("12-2-2024", "2024-02-12"),
    ("March 5, 2023", "2023-03-05"),
    ("5 March 2023", "2023-03-05"),
    ("Jan 30,2025", "2025-01-30"),
    ("on Sept. 9, 2020", "2020-09-09"),
    ("the 3rd of June 2019", "2019-06-03"),
    ("Tuesday 5 Nov 2024", "2024-11-05"),
])
def test_find_dates(text, iso):
    found = find_dates(text)
    assert [d[0] for d in found] == [iso]
    _, s, e = found[0]
    assert text[s:e].strip() == text[s:e] and len(text[s:e]) >= 6


def test_find_dates_offsets_rejects_and_partials():
    text = "اجتمع الوفد في ١٢ آذار ٢٠٢٤ ثم في March 3, 2024."
    found = find_dates(text)
    assert [d[0] for d in found] == ["2024-03-12", "2024-03-03"]
    assert text[found[0][1]:found[0][2]] == "١٢ آذار ٢٠٢٤"
    assert text[found[1][1]:found[1][2]] == "March 3, 2024"
    assert find_dates("31 شباط 2023") == []          # no such day
    assert find_dates("You may 5 times 2023") == []
    assert find_dates("Oct 2") == []
    assert [d[0] for d in find_dates("BAGHDAD, Oct 2 (INA)", default_year=2023)] == ["2023-10-02"]
    assert find_dates("") == []


def test_detect_lang():
    assert detect_lang("أطلقت المنظمة الدولية للهجرة (IOM) مشروعا جديدا في الأردن") == "ar"
    assert detect_lang("The International Organization for Migration launched a project.") == "en"
    assert detect_lang("L'Organisation a lancé un projet pour les migrants dans la région.") == "fr"
    assert detect_lang("") == "und"
    assert detect_lang("12345 !!!") == "und"


@pytest.mark.parametrize("text", ["", "\n\n", "x", "—", "بترا", "(بترا)", "By\n", "2024/1/1\n\n"])
def test_read_item_is_total(text):
    m = read_item(text)
    assert 0 <= m.body_start <= m.body_end <= len(text)


# -- topics (kg.extract.topics; lexicon data/lexicons/topics.yaml) -------------------------------

from kg.extract.topics import find_topics, topic_evidence, topic_keys  # noqa: E402


def test_topic_lexicon_keys_are_in_the_scheme():
    from kg.resources import ontology_path
    import re
    scheme = set(re.findall(r"topic:([a-z][a-z0-9-]*)", ontology_path("topics.ttl").read_text(encoding="utf-8")))
    assert set(topic_keys()) <= scheme
    assert {"human-trafficking", "refugees", "labour-migration", "smuggling", "return-and-reintegration",
            "border-management", "statelessness", "gcm"} <= set(topic_keys())


def test_topics_strong_term_once_with_clitics_and_letter_forms():
    assert find_topics("أطلقت الوزارة حملة ولمكافحة الإتجار بالأشخاص في المحافظات", "ar") == ["human-trafficking"]
    assert find_topics("وقدمت المساعدات للاجئين في المخيمات", "ar") == ["refugees"]
    assert find_topics("A dialogue on the rights of Migrant Workers.", "en") == ["labour-migration", "migrant-protection"]
    assert "gcm" in find_topics("in line with the Global Compact for Safe, Orderly and Regular Migration", "en")
    assert "gcm" in find_topics("لتنفيذ الهدف العاشر من الاتفاق العالمي بشأن الهجرة", "ar")


def test_topics_weak_terms_need_two():
    assert find_topics("زار الوفد الحدود الشمالية", "ar") == []
    assert find_topics("زار الوفد الحدود الشمالية وتفقد المعابر", "ar") == ["border-management"]
    assert find_topics("Smuggling was discussed.", "en") == []
    assert find_topics("Smuggling was discussed, and smugglers were prosecuted.", "en") == ["smuggling"]


def test_topics_do_not_confuse_stems_that_begin_with_clitic_letters():
    # "الوكالة" (the Agency) must not read as "الكفالة" (sponsorship)
    assert find_topics("وقالت الوكالة إن الوكالة ستواصل عملها", "ar") == []


def test_topic_evidence_offsets_and_ignore_spans():
    text = "The UN High Commissioner for Refugees met the minister. Refugees were not discussed further."
    ev = topic_evidence(text, "en")
    assert [text[h.start:h.end] for h in ev["refugees"]] == ["Refugees", "Refugees"]
    name = (text.index("UN High"), text.index(" met"))
    assert find_topics(text[:name[1]] + ".", "en", ignore=[name]) == []
    ar = "وشارك ممثلون عن المفوضية السامية للأمم المتحدة لشؤون اللاجئين في الاجتماع."
    s = ar.index("المفوضية")
    assert find_topics(ar, "ar") == ["refugees"]
    assert find_topics(ar, "ar", ignore=[(s, ar.index(" في الاجتماع"))]) == []
    for hits in topic_evidence("ضحايا الاتّجار بالبشر والعمل القسري").values():
        for h in hits:
            assert h.start < h.end


def test_topics_restricted_keys():
    text = "Irregular migration and human trafficking were discussed."
    assert find_topics(text, "en") == ["human-trafficking", "irregular-migration"]
    assert find_topics(text, "en", keys=["human-trafficking", "refugees"]) == ["human-trafficking"]
