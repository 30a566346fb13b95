"""Generate a realistic synthetic corpus of Levant migration-governance news.

    python bench/generate.py --items 10000 --seed 1 --out /tmp/corpus10k
    python bench/generate.py --items 1000 --seed 7 --out DIR --records   # also NAME.gold.json
    python bench/generate.py --items 100 --out DIR --ar 0.7              # 70% Arabic

Each item is ``NAME.txt``: a headline line, then agency copy in Arabic or
English built from the actor registry (``kg.registry.default_registry()``):
an event of one of the ten kinds (dialogue, conference, workshop, training,
meeting, visit, campaign, launch, signing) organized by a UN/IOM country
office or a ministry or directorate of one of the seven Levant countries,
with a partner, often under a project implemented by an agency and funded by
a donor (a government, the EU, a development agency), attended by NGOs and
embassies, with named officials holding posts and quoted. Datelines follow
the agencies' styles (``وطنية -``, ``عمان 5 آذار (بترا) -``, ``BAGHDAD, Oct 2
(INA) -``) and Arabic dates use both month series (آذار / مارس), sometimes
with Arabic-Indic digits. Post holders are stable: the same post in the same
organization is held by the same synthetic person for three years, so the
corpus has the recurring actors and ties of a real one.

``--records`` also writes ``NAME.gold.json``, the annotation record
(ANNOTATION.md) of what was generated, every mention a substring of the
text: it lets ingest, mapping and validation be measured without extraction.

The output depends only on ``--items``, ``--seed`` and ``--ar`` (and the
registry); 100,000 items take well under a minute.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kg.registry import Registry, default_registry  # noqa: E402

LEVANT = ("JO", "LB", "SY", "IQ", "TR", "EG", "PS")
COUNTRY_WEIGHTS = (24, 22, 10, 16, 12, 10, 6)

# -- names ----------------------------------------------------------------------------------------
FIRST_M = [("أحمد", "Ahmad"), ("محمد", "Mohammad"), ("خالد", "Khaled"), ("سامر", "Samer"), ("فادي", "Fadi"),
           ("طارق", "Tarek"), ("عمر", "Omar"), ("يوسف", "Youssef"), ("رامي", "Rami"), ("باسل", "Basel"),
           ("زياد", "Ziad"), ("حسن", "Hassan"), ("علي", "Ali"), ("مصطفى", "Mustafa"), ("وليد", "Walid"),
           ("هاني", "Hani"), ("جمال", "Jamal"), ("كريم", "Karim"), ("ماهر", "Maher"), ("نبيل", "Nabil")]
FIRST_F = [("لينا", "Lina"), ("رنا", "Rana"), ("هبة", "Heba"), ("ريم", "Reem"), ("دينا", "Dina"),
           ("سلمى", "Salma"), ("نور", "Nour"), ("مريم", "Maryam"), ("سارة", "Sara"), ("ليلى", "Layla"),
           ("رولا", "Rola"), ("هالة", "Hala"), ("منى", "Mona"), ("جمانة", "Joumana")]
LAST = [("الحاج", "Al-Hajj"), ("منصور", "Mansour"), ("حداد", "Haddad"), ("الخطيب", "Al-Khatib"),
        ("العلي", "Al-Ali"), ("النجار", "Al-Najjar"), ("الزعبي", "Al-Zoubi"), ("المصري", "Al-Masri"),
        ("عبد الله", "Abdullah"), ("الشامي", "Al-Shami"), ("يلماز", "Yilmaz"), ("كايا", "Kaya"),
        ("الجبوري", "Al-Jubouri"), ("السيد", "El-Sayed"), ("أبو زيد", "Abu Zaid"), ("عودة", "Odeh"),
        ("قاسم", "Kassem"), ("الربيعي", "Al-Rubaie"), ("الطراونة", "Al-Tarawneh"), ("سليمان", "Suleiman"),
        ("بركات", "Barakat"), ("الحسيني", "Al-Husseini"), ("درويش", "Darwish"), ("صالح", "Saleh")]
FOREIGN_FIRST = [("ماريا", "Maria", "f"), ("جون", "John", "m"), ("آنا", "Anna", "f"), ("توماس", "Thomas", "m"),
                 ("كينجي", "Kenji", "m"), ("صوفي", "Sophie", "f"), ("ماتيو", "Matteo", "m"),
                 ("إيلينا", "Elena", "f"), ("بيتر", "Peter", "m"), ("لارس", "Lars", "m"), ("كلير", "Claire", "f"),
                 ("دانيال", "Daniel", "m")]
FOREIGN_LAST = [("لوتشيانو", "Luciano"), ("شميت", "Schmidt"), ("ساتو", "Sato"), ("مارتن", "Martin"),
                ("روسي", "Rossi"), ("يوهانسون", "Johansson"), ("فوستر", "Foster"), ("دوبوا", "Dubois"),
                ("مولر", "Mueller"), ("هانسن", "Hansen"), ("غارسيا", "Garcia"), ("أوكونور", "O'Connor")]

# -- posts by kind of organization: (ar masculine, ar feminine, en) --------------------------------
POSTS = {
    "office": [("مدير مكتب", "مديرة مكتب", "Head of Office"), ("رئيس بعثة", "رئيسة بعثة", "Chief of Mission"),
               ("منسق المشروع في", "منسقة المشروع في", "Project Coordinator"),
               ("مسؤول البرامج في", "مسؤولة البرامج في", "Programme Officer")],
    "igo": [("المدير الإقليمي في", "المديرة الإقليمية في", "Regional Director"),
            ("ممثل", "ممثلة", "Representative"), ("منسق البرامج في", "منسقة البرامج في", "Programme Coordinator")],
    "gov": [("الأمين العام في", "الأمينة العامة في", "Secretary General"),
            ("المدير العام في", "المديرة العامة في", "Director General"),
            ("رئيس قسم التدريب في", "رئيسة قسم التدريب في", "Head of the Training Department"),
            ("مدير مديرية التعاون الدولي في", "مديرة مديرية التعاون الدولي في", "Director of International Cooperation")],
    "embassy": [("السفير في", "السفيرة في", "Ambassador"), ("السكرتير الأول في", "السكرتيرة الأولى في", "First Secretary"),
                ("رئيس قسم التعاون في", "رئيسة قسم التعاون في", "Head of Cooperation"),
                ("كبير منسقي شؤون اللاجئين في", "كبيرة منسقي شؤون اللاجئين في", "Senior Refugee Coordinator")],
    "ngo": [("المدير التنفيذي في", "المديرة التنفيذية في", "Executive Director"),
            ("رئيس", "رئيسة", "President"), ("منسق البرامج في", "منسقة البرامج في", "Programme Coordinator")],
}
HONORIFIC_AR = {"m": ("السيد", "الدكتور", ""), "f": ("السيدة", "الدكتورة", "")}
HONORIFIC_EN = {"m": ("Mr. ", "Dr. ", ""), "f": ("Ms. ", "Dr. ", "")}

# -- events: kind -> (ar indefinite, ar definite, ar gender, en noun) -------------------------------
EVENTS = {
    "Dialogue": [("حوارا إقليميا", "الحوار", "m", "regional dialogue"), ("حوارا وطنيا", "الحوار", "m", "national dialogue")],
    "Conference": [("مؤتمرا إقليميا", "المؤتمر", "m", "regional conference"), ("منتدى", "المنتدى", "m", "forum")],
    "Workshop": [("ورشة عمل", "الورشة", "f", "workshop"), ("ندوة", "الندوة", "f", "seminar")],
    "Training": [("دورة تدريبية", "الدورة", "f", "training course"), ("برنامجا تدريبيا", "البرنامج التدريبي", "m", "training programme")],
    "Meeting": [("اجتماعا تنسيقيا", "الاجتماع", "m", "coordination meeting"), ("لقاء تشاوريا", "اللقاء", "m", "consultative meeting")],
    "Visit": [("زيارة ميدانية", "الزيارة", "f", "field visit")],
    "Campaign": [("حملة توعية", "الحملة", "f", "awareness campaign")],
    "Launch": [("حفل إطلاق", "الحفل", "m", "launch event")],
    "Signing": [("مذكرة تفاهم", "المذكرة", "f", "memorandum of understanding")],
}
EVENT_KINDS = list(EVENTS)
EVENT_WEIGHTS = [6, 8, 18, 20, 14, 6, 8, 8, 6]
VERB_AR = {"Campaign": ("أطلق", "أطلقت"), "Launch": ("نظم", "نظمت"), "Signing": ("وقع", "وقعت"),
           "Visit": ("نظم", "نظمت")}
VERB_AR_DEFAULT = [("نظم", "نظمت"), ("عقد", "عقدت"), ("اختتم", "اختتمت")]
TITLE_VERB_AR = {"m": ("ينظم", "يعقد", "يختتم"), "f": ("تنظم", "تعقد", "تختتم")}
VERB_EN = {"Campaign": "launched", "Launch": "held", "Signing": "signed", "Visit": "organized"}
VERB_EN_DEFAULT = ["organized", "held", "concluded"]
TITLE_VERB_EN = {"Campaign": "launches", "Launch": "holds", "Signing": "signs", "Visit": "organizes"}

# -- topics: key -> (ar phrase, en phrase, project stems (ar, en), quotes ar, quotes en) --------------
TOPICS: dict[str, dict[str, Any]] = {
    "human-trafficking": {
        "ar": "مكافحة الاتجار بالبشر", "en": "combating trafficking in persons",
        "projects": [("تعزيز الاستجابة لمكافحة الاتجار بالبشر في {c}", "Strengthening Counter-Trafficking Responses in {c}"),
                     ("حماية ضحايا الاتجار بالبشر في {c}", "Protecting Victims of Trafficking in {c}")],
        "q_ar": ["حماية ضحايا الاتجار مسؤولية مشتركة بين المؤسسات الوطنية والشركاء الدوليين",
                 "تحديد الضحايا في وقت مبكر هو الخطوة الأولى نحو العدالة"],
        "q_en": ["protecting victims of trafficking is a shared responsibility of national institutions and their partners",
                 "identifying victims early is the first step towards justice"]},
    "smuggling": {
        "ar": "مكافحة تهريب المهاجرين", "en": "countering migrant smuggling",
        "projects": [("مكافحة تهريب المهاجرين في {c}", "Countering Migrant Smuggling in {c}")],
        "q_ar": ["شبكات التهريب تستغل حاجة الناس ولا بد من تعاون إقليمي لتفكيكها"],
        "q_en": ["smuggling networks exploit people in need, and only regional cooperation can dismantle them"]},
    "labour-migration": {
        "ar": "التوظيف العادل للعمال المهاجرين", "en": "fair recruitment of migrant workers",
        "projects": [("تعزيز التوظيف العادل في {c}", "Promoting Fair Recruitment in {c}"),
                     ("حماية العمال المهاجرين في {c}", "Protecting Migrant Workers in {c}")],
        "q_ar": ["التوظيف العادل يحمي العمال وأصحاب العمل على حد سواء",
                 "لا بد من تطوير آليات الرقابة على مكاتب الاستقدام"],
        "q_en": ["fair recruitment protects workers and employers alike",
                 "oversight of recruitment agencies must be strengthened"]},
    "refugees": {
        "ar": "دعم اللاجئين والمجتمعات المضيفة", "en": "support to refugees and host communities",
        "projects": [("دعم اللاجئين والمجتمعات المضيفة في {c}", "Supporting Refugees and Host Communities in {c}")],
        "q_ar": ["نقف إلى جانب اللاجئين والمجتمعات التي تستضيفهم"],
        "q_en": ["we stand with refugees and with the communities hosting them"]},
    "return-and-reintegration": {
        "ar": "العودة الطوعية وإعادة الإدماج", "en": "voluntary return and reintegration",
        "projects": [("دعم العودة الطوعية وإعادة الإدماج في {c}", "Supporting Voluntary Return and Reintegration in {c}")],
        "q_ar": ["إعادة الإدماج المستدامة تتطلب فرص عمل حقيقية للعائدين"],
        "q_en": ["sustainable reintegration requires real livelihood opportunities for returnees"]},
    "border-management": {
        "ar": "الإدارة المتكاملة للحدود", "en": "integrated border management",
        "projects": [("تعزيز قدرات الإدارة المتكاملة للحدود في {c}", "Strengthening Integrated Border Management Capacities in {c}")],
        "q_ar": ["ضبط الحدود وحماية الأشخاص الأكثر هشاشة هدفان متلازمان"],
        "q_en": ["securing borders and protecting the most vulnerable go hand in hand"]},
    "statelessness": {
        "ar": "تسجيل الولادات والحد من انعدام الجنسية", "en": "birth registration and the prevention of statelessness",
        "projects": [("تعزيز الوصول إلى الوثائق المدنية في {c}", "Improving Access to Civil Documentation in {c}")],
        "q_ar": ["لكل طفل الحق في أن يسجل عند ولادته"],
        "q_en": ["every child has the right to be registered at birth"]},
    "gcm": {
        "ar": "تنفيذ الاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية",
        "en": "implementing the Global Compact for Safe, Orderly and Regular Migration",
        "projects": [("دعم تنفيذ الاتفاق العالمي للهجرة في {c}", "Supporting GCM Implementation in {c}")],
        "q_ar": ["الاتفاق العالمي للهجرة إطار للتعاون وليس التزاما على الورق فقط"],
        "q_en": ["the Global Compact is a framework for cooperation, not a commitment on paper only"]},
}
TOPIC_KEYS = list(TOPICS)
TOPIC_WEIGHTS = [18, 10, 18, 16, 10, 12, 8, 8]

# -- agencies: country -> (ar style, en style, source name) -------------------------------------------
AGENCIES = {
    "LB": ("nna", "National News Agency (Lebanon)"),
    "JO": ("petra", "Jordan News Agency (Petra)"),
    "SY": ("sana", "SANA (Syrian Arab News Agency)"),
    "IQ": ("ina", "Iraqi News Agency"),
    "TR": ("anadolu", "Anadolu Agency"),
    "EG": ("mena", "Middle East News Agency (MENA)"),
    "PS": ("wafa", "WAFA (Palestinian News and Info Agency)"),
}
MONTHS_LEVANT = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                 "تشرين الأول", "تشرين الثاني", "كانون الأول"]
MONTHS_EGYPT = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                "نوفمبر", "ديسمبر"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MONTHS_EN_SHORT = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
GROUPS = [("ممثلين عن منظمات المجتمع المدني", "representatives of civil society organizations", "civil society organizations"),
          ("خبراء وأكاديميين", "experts and academics", "experts and academics"),
          ("ضباطا من الأجهزة الأمنية", "officers of the security services", "security officers"),
          ("مفتشي عمل", "labour inspectors", "labour inspectors")]
GENERIC_Q_AR = ["هذا التعاون يعكس التزامنا المشترك بحماية المهاجرين وصون كرامتهم",
                "نتطلع إلى البناء على نتائج هذا اللقاء في المرحلة المقبلة",
                "الشراكة مع المؤسسات الوطنية هي أساس نجاح هذا العمل",
                "بناء القدرات الوطنية استثمار طويل الأمد في حماية الفئات الأكثر هشاشة"]
GENERIC_Q_EN = ["this cooperation reflects our shared commitment to protecting migrants and their dignity",
                "we look forward to building on the results of this meeting in the coming months",
                "partnership with national institutions is the basis of this work",
                "building national capacities is a long-term investment in protecting the most vulnerable"]
OPENERS_AR = {"m": [("وقال", "إن"), ("وأكد", "أن"), ("من جهته، قال", "إن"), ("بدوره، أشار", "إلى أن")],
              "f": [("وقالت", "إن"), ("وأكدت", "أن"), ("من جهتها، قالت", "إن"), ("بدورها، أشارت", "إلى أن")]}
# English names that read with "the" ("the Ministry of Labour", "the European Union"); acronyms and
# proper names ("IOM Jordan", "Caritas Lebanon", "Save the Children") do not.
THE_WORDS = frozenset("""Ministry Government Embassy General Office United International Directorate National Higher
    Supreme European Grand Department Bureau Council Commission Agency Union Federation Centre Center Arab
    Norwegian Danish Swiss Swedish German French Italian Japanese Korean Dutch Turkish Jordanian Lebanese Syrian
    Iraqi Egyptian Palestinian Kurdistan Permanent Public Royal Presidency Secretariat Committee Institute World
    High Independent Prime Parliament House Central Federal Organisation Organization Islamic Middle Delegation
    Consulate Representative Mission Kingdom State Joint Regional Global Food Danida Palestine Jordan Lebanon
    American British Canadian Australian Qatar Kuwait Saudi Emirates Interior Labour Labor""".split())
START = date(2015, 1, 1)
DAYS = (date(2024, 12, 31) - START).days


# -- the registry, sorted into pools once ------------------------------------------------------------

@dataclass
class Org:
    key: str
    kind: str
    en: str  # canonical English name
    ar: str
    en_surface: str  # how English copy writes it
    acronym: str | None
    country: str | None
    parent: "Org | None" = None
    role: str = "gov"  # office | igo | gov | embassy | ngo
    fem: bool = True  # Arabic grammatical gender of the name's head word


@dataclass
class Pools:
    gov: dict[str, list[Org]] = field(default_factory=dict)
    offices: dict[str, list[Org]] = field(default_factory=dict)
    embassies: dict[str, list[Org]] = field(default_factory=dict)
    ngos: dict[str, list[Org]] = field(default_factory=dict)
    donors: list[Org] = field(default_factory=list)
    cities: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # (key, en, ar)
    countries: dict[str, tuple[str, str]] = field(default_factory=dict)


def _english_surface(e: Any) -> str:
    name = e.names["en"]
    if "(" not in name:
        return name
    for alias in e.aliases.get("en", []):
        if "(" not in alias and "'" not in alias:
            return alias
    return name.split("(")[0].strip()


def _the(surface: str) -> str:
    first = surface.split()[0] if surface else ""
    return f"the {surface}" if first in THE_WORDS else surface


def _fem(ar: str) -> bool:
    head = ar.split()[0] if ar else ""
    return head.endswith("ة") or head in ("الحكومة", "المفوضية", "المنظمة", "الوكالة")


def build_pools(reg: Registry) -> Pools:
    orgs: dict[str, Org] = {}
    for e in reg.orgs.values():
        if "ar" not in e.names:
            continue
        orgs[e.key] = Org(e.key, e.kind, e.names["en"], e.names["ar"], _english_surface(e),
                          e.acronyms[0] if e.acronyms else None, e.country, fem=_fem(e.names["ar"]))
    for e in reg.orgs.values():
        if e.key in orgs and e.parent in orgs:
            orgs[e.key].parent = orgs[e.parent]

    def root(o: Org) -> Org:
        while o.parent is not None:
            o = o.parent
        return o

    p = Pools()
    donor_sources = ("organizations/donors.yaml", "organizations/eu.yaml")
    for e in reg.orgs.values():
        o = orgs.get(e.key)
        if o is None:
            continue
        if e.source in donor_sources and e.kind != "Embassy":
            if e.kind != "OrganizationalUnit" or e.country not in LEVANT:
                p.donors.append(o)
            continue
        if e.kind == "OrganizationalUnit" and e.country in LEVANT and root(o).kind == "IntergovernmentalOrganization":
            o.role = "office"
            p.offices.setdefault(e.country, []).append(o)
        elif e.kind == "GovernmentBody" and e.country in LEVANT:
            o.role = "gov"
            p.gov.setdefault(e.country, []).append(o)
        elif e.kind == "Embassy":
            host = e.key.rsplit("-", 1)[-1].upper()
            if host in LEVANT:
                o.role = "embassy"
                p.embassies.setdefault(host, []).append(o)
        elif e.kind == "NonGovernmentalOrganization":
            o.role = "ngo"
            for c in ([e.country] if e.country in LEVANT else LEVANT if e.country is None else []):
                p.ngos.setdefault(c, []).append(o)
    for pl in reg.places.values():
        if pl.kind == "City" and pl.country in LEVANT and "ar" in pl.names:
            p.cities.setdefault(pl.country, []).append((pl.key, pl.names["en"], pl.names["ar"]))
        if pl.kind == "Country" and "ar" in pl.names:
            p.countries[pl.key] = (pl.names["en"], pl.names["ar"])
    for c in LEVANT:
        if not (p.gov.get(c) and p.offices.get(c) and p.cities.get(c)):
            raise SystemExit(f"the registry lacks government bodies, agency offices or cities for {c}")
    return p


# -- one item ---------------------------------------------------------------------------------------

class Item:
    """Text under construction and the record of what it says."""

    def __init__(self, name: str, lang: str):
        self.name = name
        self.lang = lang
        self.entities: dict[str, dict] = {}
        self.relations: list[dict] = []
        self.quotes: list[dict] = []
        self.orgs: dict[str, Org] = {}

    def org(self, o: Org, *forms: str) -> str:
        eid = o.key
        e = self.entities.get(eid)
        if e is None:
            e = self.entities[eid] = {"id": eid, "type": "Organization", "kind": o.kind, "name": o.en,
                                      "country": o.country, "mentions": [], "registry": o.key}
            self.orgs[eid] = o
            if o.parent is not None and o.kind in ("OrganizationalUnit", "Embassy"):
                self.relations.append({"type": "part_of", "subject": eid, "object": o.parent.key})
        for f in forms:
            if f not in e["mentions"]:
                e["mentions"].append(f)
        return eid

    def entity(self, eid: str, type_: str, name: str, mention: str, kind: str | None = None,
               country: str | None = None, registry: str | None = None) -> str:
        e = self.entities.get(eid)
        if e is None:
            e = self.entities[eid] = {"id": eid, "type": type_, "name": name, "mentions": []}
            if kind:
                e["kind"] = kind
            if type_ in ("Organization", "Event", "Place") or country:
                e["country"] = country
            if registry:
                e["registry"] = registry
        if mention not in e["mentions"]:
            e["mentions"].append(mention)
        return eid

    def rel(self, type_: str, s: str, o: str, role: str | None = None) -> None:
        r = {"type": type_, "subject": s, "object": o}
        if role:
            r["role"] = role
        if r not in self.relations:
            self.relations.append(r)


def _person(org: Org, post: int, era: int) -> tuple[str, str, str, bool, str, str]:
    """(ar, en, gender, foreign, ar last name, en last name) of the holder of a post: the
    same for three years."""
    h = zlib.crc32(f"{org.key}|{post}|{era}".encode())
    foreign = org.role in ("office", "igo", "embassy") and h % 3 == 0
    if foreign:
        f_ar, f_en, g = FOREIGN_FIRST[h % len(FOREIGN_FIRST)]
        l_ar, l_en = FOREIGN_LAST[(h >> 8) % len(FOREIGN_LAST)]
    else:
        g = "f" if h % 4 == 0 else "m"
        pool = FIRST_F if g == "f" else FIRST_M
        f_ar, f_en = pool[(h >> 4) % len(pool)]
        l_ar, l_en = LAST[(h >> 12) % len(LAST)]
    return f"{f_ar} {l_ar}", f"{f_en} {l_en}", g, foreign, l_ar, l_en


def _in_org_ar(title: str, org_ar: str) -> str:
    """The post in the organization: 'منسق المشروع في' + org, or a construct ('مدير مكتب المنظمة
    ...', 'ممثل المفوضية ...'); never the clitic ل, which would change the name's letters (لل)."""
    if title.endswith(" مكتب") and org_ar.split()[0] in ("مكتب", "المكتب"):
        title = title[: -len(" مكتب")]
    return f"{title} {org_ar}"


class Generator:
    def __init__(self, reg: Registry, seed: int, ar_share: float = 0.5):
        self.p = build_pools(reg)
        self.rng = random.Random(seed)
        self.ar_share = ar_share

    # small helpers
    def pick(self, seq: list) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def person(self, it: Item, org: Org, day: date, ev: str | None) -> tuple[str, str, str, str]:
        """A named official of ``org`` taking part in ``ev``: (person id, full surface with the
        post, short surface, gender) in the item's language."""
        r = self.rng
        posts = POSTS[org.role if org.role in POSTS else "gov"]
        k = r.randrange(len(posts))
        t_m, t_f, role = posts[k]
        ar, en, g, foreign, last_ar, last_en = _person(org, k, day.year // 3)
        pid = f"p-{zlib.crc32((en + org.key).encode()):08x}"
        org_id = it.org(org)
        if it.lang == "ar":
            hon = self.pick(HONORIFIC_AR[g]) if not foreign else ("السيد" if g == "m" else "السيدة")
            title = _in_org_ar(t_f if g == "f" else t_m, org.ar)
            it.org(org, org.ar)
            full = f"{title} {hon + ' ' if hon else ''}{ar}"
            short = last_ar
            it.entity(pid, "Person", en, ar)
        else:
            hon = self.pick(HONORIFIC_EN[g])
            full = f"{hon}{en}, {role} at {_the(org.en_surface)},"
            it.org(org, org.en_surface)
            short = last_en
            it.entity(pid, "Person", en, en)
        it.rel("holds_post", pid, org_id, role)
        if ev:
            it.rel("participates_in", pid, ev)
        return pid, full, short, g

    def day_text(self, d: date, lang: str, agency: str, indic: bool) -> str:
        if lang == "en":
            return f"{MONTHS_EN_SHORT[d.month - 1]} {d.day}"
        months = MONTHS_EGYPT if agency in ("mena", "anadolu") else MONTHS_LEVANT
        m = months[d.month - 1]
        if agency == "petra" and self.rng.random() < 0.3:
            m = f"{MONTHS_LEVANT[d.month - 1]}/{MONTHS_EGYPT[d.month - 1]}"
        s = f"{d.day} {m} {d.year}"
        return s.translate(INDIC) if indic else s

    def item(self, i: int) -> tuple[str, str, dict]:
        r = self.rng
        p = self.p
        lang = "ar" if r.random() < self.ar_share else "en"
        c = r.choices(LEVANT, COUNTRY_WEIGHTS)[0]
        agency, source = AGENCIES[c]
        name = f"syn-{agency}-{lang}-{i:06d}"
        it = Item(name, lang)
        day = START + timedelta(days=r.randrange(DAYS))
        kind = r.choices(EVENT_KINDS, EVENT_WEIGHTS)[0]
        ev_ar, ev_ar_def, ev_g, ev_en = self.pick(EVENTS[kind])
        topic_key = r.choices(TOPIC_KEYS, TOPIC_WEIGHTS)[0]
        topic = TOPICS[topic_key]
        city_key, city_en, city_ar = self.pick(p.cities[c])
        country_en, country_ar = p.countries[c]
        office = self.pick(p.offices[c])
        gov = self.pick(p.gov[c])
        organizer, partner = (office, gov) if r.random() < 0.6 else (gov, office)
        donor = self.pick(p.donors)
        has_project = r.random() < 0.7
        indic = lang == "ar" and r.random() < 0.2

        ev_name = f"{ev_en[0].upper()}{ev_en[1:]} on {topic['en']} ({city_en}, {day.isoformat()})"
        ev_id = "ev1"
        city_id = "city"
        L: list[str] = []  # body lines
        if lang == "ar":
            org_ar, part_ar, don_ar = organizer.ar, partner.ar, donor.ar
            verb = VERB_AR.get(kind) or self.pick(VERB_AR_DEFAULT)
            v = verb[1] if organizer.fem else verb[0]
            tv = self.pick(TITLE_VERB_AR["f" if organizer.fem else "m"])
            if kind == "Signing":
                title = f"{org_ar} و{part_ar} {'توقعان' if organizer.fem else 'يوقعان'} مذكرة تفاهم في مجال {topic['ar']}"
            else:
                title = f"{org_ar} {tv} {ev_ar} عن {topic['ar']} في {city_ar}"
            it.org(organizer, org_ar)
            it.org(partner, part_ar)
            it.entity(city_id, "Place", city_en, city_ar, "City", c, city_key)
            when = self.day_text(day, "ar", agency, indic)
            dateline = {
                "nna": "وطنية - ",
                "petra": f"{city_ar} {when} (بترا) - ",
                "sana": f"{city_ar}-سانا\n",
                "ina": f"{city_ar} / واع / ",
                "anadolu": f"{city_ar}/ الأناضول\n",
                "mena": f"{city_ar} في {when} /أ ش أ/ ",
                "wafa": f"{city_ar} {when} وفا- ",
            }[agency]
            if kind == "Signing":
                lead = (f"{dateline}{v} {org_ar} و{part_ar} {ev_ar} في مجال {topic['ar']}، "
                        f"وذلك في {city_ar} يوم {WEEKDAYS_AR[day.weekday()]}")
            else:
                lead = (f"{dateline}{v} {org_ar} {ev_ar} عن \"{topic['ar']}\"، بالتعاون مع {part_ar}، "
                        f"في {city_ar} يوم {WEEKDAYS_AR[day.weekday()]}")
            it.entity(ev_id, "Event", ev_name, ev_ar, kind, c)
            if has_project:
                proj_ar, proj_en = self.pick(topic["projects"])
                proj_ar, proj_en = proj_ar.format(c=country_ar), proj_en.format(c=country_en)
                impl = office if r.random() < 0.75 or office.parent is None else office.parent
                lead += (f"، وذلك في إطار مشروع \"{proj_ar}\" الذي {'تنفذه' if impl.fem else 'ينفذه'} "
                         f"{impl.ar} بتمويل من {don_ar}.")
                it.entity("p1", "Project", proj_en, proj_ar, country=c)
                it.org(impl, impl.ar)
                it.org(donor, don_ar)
                it.rel("implements", impl.key, "p1")
                it.rel("funds", donor.key, "p1")
                it.rel("under_project", ev_id, "p1")
            elif r.random() < 0.5:
                lead += f"، بدعم من {don_ar}."
                it.org(donor, don_ar)
                it.rel("funds", donor.key, ev_id)
            else:
                lead += "."
            L.append(lead)
            extras = []
            if p.ngos.get(c) and r.random() < 0.6:
                extras.append(self.pick(p.ngos[c]))
            if p.embassies.get(c) and r.random() < 0.5:
                extras.append(self.pick(p.embassies[c]))
            group = self.pick(GROUPS)
            n = r.randrange(12, 60)
            part = f"وشارك في {ev_ar_def} {n} من {group[0]}"
            it.entity("g1", "Organization", group[2], group[0], "Group", c)
            it.rel("participates_in", "g1", ev_id)
            if extras:
                part += "، إضافة إلى " + " و".join(x.ar for x in extras)
                for x in extras:
                    it.org(x, x.ar)
                    it.rel("participates_in", x.key, ev_id)
            it.entity(ev_id, "Event", ev_name, ev_ar_def)
            L.append(part + f"، وتناول المشاركون سبل تعزيز التعاون في مجال {topic['ar']}.")
            speakers = [organizer, partner] + extras[-1:]
            speakers = speakers[: r.randrange(1, 4)]
            quotes = r.sample(topic["q_ar"] + GENERIC_Q_AR, len(speakers))
            for k, (org, q) in enumerate(zip(speakers, quotes)):
                pid, full, short, g = self.person(it, org, day, ev_id)
                verb, particle = OPENERS_AR[g][k % 4]
                if k:  # NNA-style speaker header line
                    L.append(short)
                    if short not in it.entities[pid]["mentions"]:
                        it.entities[pid]["mentions"].append(short)
                L.append(f"{verb} {full} {particle} \"{q}\".")
                it.quotes.append({"speaker": pid, "text": q})
            L.append(f"يذكر أن {ev_ar_def} {'استمرت' if ev_g == 'f' else 'استمر'} {self.pick(['يومين', 'ثلاثة أيام', 'خمسة أيام'])}.")
            if agency == "nna":
                L.append("=========" + self.pick(["م.ع", "ج.س", "ن.ح"]) + "\nمصدر الخبر: الوكالة الوطنية للإعلام")
            topic_mention = topic["ar"]
        else:
            org_en, part_en, don_en = organizer.en_surface, partner.en_surface, donor.en_surface
            verb = VERB_EN.get(kind) or self.pick(VERB_EN_DEFAULT)
            tverb = TITLE_VERB_EN.get(kind) or self.pick(["holds", "organizes", "concludes"])
            short_org = organizer.acronym or org_en
            if kind == "Signing":
                title = f"{short_org}, {partner.acronym or part_en} sign memorandum of understanding on {topic['en']}"
            else:
                title = f"{short_org} {tverb} {ev_en} on {topic['en']} in {city_en}"
            city_up = city_en.upper()
            when = self.day_text(day, "en", agency, False)
            dateline = {
                "nna": "NNA - ",
                "petra": f"{city_up}, {when} (Petra) -- ",
                "sana": f"{city_en}, SANA- ",
                "ina": f"{city_up}, {when} (INA) - ",
                "anadolu": f"{city_up} (AA) - ",
                "mena": f"{city_up}, {when} (MENA) - ",
                "wafa": f"{city_up}, {when}, {day.year} (WAFA) - ",
            }[agency]
            org_forms = [org_en]
            org_text = _the(org_en)
            if organizer.acronym and organizer.acronym not in org_en:
                org_text += f" ({organizer.acronym})"
                org_forms.append(organizer.acronym)
            it.org(organizer, *org_forms)
            it.org(partner, part_en)
            it.entity(city_id, "Place", city_en, city_en, "City", c, city_key)
            wd = WEEKDAYS_EN[day.weekday()]
            if kind == "Signing":
                lead = (f"{dateline}{org_text[0].upper()}{org_text[1:]} and {_the(part_en)} on {wd} {verb} a {ev_en} "
                        f"on {topic['en']} in {city_en}")
            else:
                art = "an" if ev_en[0] in "aeiou" else "a"
                lead = (f"{dateline}{org_text[0].upper()}{org_text[1:]}, in cooperation with {_the(part_en)}, on {wd} "
                        f"{verb} {art} {ev_en} on {topic['en']} in {city_en}")
            it.entity(ev_id, "Event", ev_name, ev_en, kind, c)
            if has_project:
                proj_ar, proj_en = self.pick(topic["projects"])
                proj_en = proj_en.format(c=country_en)
                impl = office if r.random() < 0.75 or office.parent is None else office.parent
                lead += (f", under the project \u201c{proj_en}\u201d implemented by {_the(impl.en_surface)} "
                         f"and funded by {_the(don_en)}.")
                it.entity("p1", "Project", proj_en, proj_en, country=c)
                it.org(impl, impl.en_surface)
                it.org(donor, don_en)
                it.rel("implements", impl.key, "p1")
                it.rel("funds", donor.key, "p1")
                it.rel("under_project", ev_id, "p1")
            elif r.random() < 0.5:
                lead += f", with support from {_the(don_en)}."
                it.org(donor, don_en)
                it.rel("funds", donor.key, ev_id)
            else:
                lead += "."
            L.append(lead)
            extras = []
            if p.ngos.get(c) and r.random() < 0.6:
                extras.append(self.pick(p.ngos[c]))
            if p.embassies.get(c) and r.random() < 0.5:
                extras.append(self.pick(p.embassies[c]))
            group = self.pick(GROUPS)
            n = r.randrange(12, 60)
            part = f"A total of {n} {group[1]} took part"
            it.entity("g1", "Organization", group[2], group[1], "Group", c)
            it.rel("participates_in", "g1", ev_id)
            if extras:
                part += ", along with representatives of " + " and ".join(_the(x.en_surface) for x in extras)
                for x in extras:
                    it.org(x, x.en_surface)
                    it.rel("participates_in", x.key, ev_id)
            L.append(part + ".")
            speakers = [organizer, partner] + extras[-1:]
            speakers = speakers[: r.randrange(1, 4)]
            quotes = r.sample(topic["q_en"] + GENERIC_Q_EN, len(speakers))
            for k, (org, q) in enumerate(zip(speakers, quotes)):
                pid, full, short, g = self.person(it, org, day, ev_id)
                q = q[0].upper() + q[1:]
                L.append(f"\u201c{q},\u201d said {full.rstrip(',')}." if k % 2 == 0
                         else f"{full} said that \u201c{q[0].lower() + q[1:]}.\u201d")
                it.quotes.append({"speaker": pid, "text": q if k % 2 == 0 else q[0].lower() + q[1:]})
            L.append(f"The {ev_en} lasted {self.pick(['two days', 'three days', 'five days'])}.")
            topic_mention = topic["en"]

        it.rel("organizes", organizer.key, ev_id)
        if kind == "Signing":
            it.rel("participates_in", partner.key, ev_id)
        else:
            it.rel("partners_with", organizer.key, partner.key)
        it.rel("located_in", ev_id, city_id)
        self._parents(it)
        text = title + "\n" + "\n".join(L) + "\n"
        assert topic_mention in text
        record = {
            "item": {"id": name, "url": f"https://example.org/levant-kg/bench/{name}", "source": source,
                     "published": day.isoformat(), "lang": lang, "title": title},
            "entities": list(it.entities.values()),
            "relations": it.relations,
            "quotes": it.quotes,
            "topics": [topic_key],
        }
        return name, text, record

    def _parents(self, it: Item) -> None:
        """Units are part_of their parent (an entity too, named by its name or acronym in the unit's name)."""
        for rel in list(it.relations):
            if rel["type"] != "part_of":
                continue
            parent = it.orgs[rel["subject"]].parent
            if parent is None:
                it.relations.remove(rel)
                continue
            forms = [f for f in ((parent.ar,) if it.lang == "ar" else (parent.en_surface, parent.acronym))
                     if f and any(f in m for e in it.entities.values() for m in e["mentions"])]
            if not forms:
                it.relations.remove(rel)
                continue
            it.org(parent, forms[0])


def generate(items: int, seed: int, out: str | os.PathLike, *, records: bool = False, ar_share: float = 0.5,
             registry: Registry | None = None, progress: bool = False) -> int:
    """Write ``items`` news texts (and records) into ``out``; returns the number written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(registry or default_registry(), seed, ar_share)
    for i in range(1, items + 1):
        name, text, record = gen.item(i)
        with open(out / f"{name}.txt", "w", encoding="utf-8") as fh:
            fh.write(text)
        if records:
            with open(out / f"{name}.gold.json", "w", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False, indent=1))
        if progress and i % 10000 == 0:
            print(f"{i:,} items", file=sys.stderr)
    return items


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=1000, help="number of news items (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--records", action="store_true", help="also write NAME.gold.json annotation records")
    ap.add_argument("--ar", type=float, default=0.5, help="share of Arabic items, 0..1 (default 0.5)")
    args = ap.parse_args(argv)
    if args.items < 0 or not 0 <= args.ar <= 1:
        ap.error("--items must be >= 0 and --ar between 0 and 1")
    t = time.perf_counter()
    n = generate(args.items, args.seed, args.out, records=args.records, ar_share=args.ar, progress=True)
    dt = time.perf_counter() - t
    print(f"wrote {n:,} items to {args.out} in {dt:.1f} s ({n / dt if dt else 0:,.0f} items/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
