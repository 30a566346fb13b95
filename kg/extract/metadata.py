"""Item metadata read from the text itself: language, title, dateline, source, dates, body.

News files rarely come with clean metadata, but the text usually carries it:
a headline on the first line, a dateline that names the place and the agency
("بيروت - وطنية -", "عمان ١٢ آذار (بترا) -", "BAGHDAD, Oct 2 (INA) -"), a
publication date in a header line or the dateline, and agency boilerplate at
the end (editor initials, "مصدر الخبر", share links) that is not content.
:func:`read_item` reads all of it with offsets into the original text, so the
extractor can skip the outlet's own dateline (not an actor) and the
boilerplate, and use the dateline city as a place.

Dates are found on folded text (:mod:`kg.normalize`), which makes Arabic-Indic
digits, alef and hamza forms and diacritics irrelevant; offsets are mapped
back to the original.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

import yaml

from kg.normalize import Normalized, normalize
from kg.resources import data_path

__all__ = ["ItemMeta", "read_item", "find_dates", "detect_lang", "load_agencies", "Agency"]


# -- months ------------------------------------------------------------------------
# Written folded (kg.normalize.fold_char): أ إ آ -> ا, ى -> ي, lower case.
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("كانون الثاني", "كانون ثاني", "يناير", "جانفي",
        "january", "jan", "janvier"),
    2: ("شباط", "فبراير", "فبرير", "فيفري", "february", "feb", "fevrier"),
    3: ("اذار", "مارس", "march", "mar", "mars"),
    4: ("نيسان", "ابريل", "افريل", "april", "apr", "avril"),
    5: ("ايار", "مايو", "ماي", "may", "mai"),
    6: ("حزيران", "يونيو", "يونيه", "جوان", "june", "jun", "juin"),
    7: ("تموز", "يوليو", "يوليه", "جويليه", "july", "jul", "juillet"),
    8: ("اب", "اغسطس", "اغسطوس", "غشت", "اوت", "august", "aug", "aout"),
    9: ("ايلول", "سبتمبر", "شتنبر", "september", "sept", "sep", "septembre"),
    10: ("تشرين الاول", "تشرين اول", "اكتوبر", "october", "oct", "octobre"),
    11: ("تشرين الثاني", "تشرين ثاني", "نوفمبر", "نونبر", "november", "nov", "novembre"),
    12: ("كانون الاول", "كانون اول", "ديسمبر", "دجنبر", "december", "dec", "decembre"),
}
_MONTH_OF: dict[str, int] = {n: m for m, names in _MONTH_NAMES.items() for n in names}
_L = r"[^\W\d_]"  # a letter
_MONTH = "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+")
                          for n in sorted(_MONTH_OF, key=len, reverse=True)) + ")"
# "نيسان / أبريل", "آب/أغسطس", "أبريل (نيسان)", "Sept."
_MONTHX = rf"(?<!{_L})(?P<mon>{_MONTH})(?!{_L})\.?(?:\s*[/(\-]\s*{_MONTH}(?!{_L})\s*\)?)?"
_DAY = r"(?<![\d.,/])(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_YEAR_WORD = r"(?:(?:من\s+)?(?:ل?عام|سنه|لسنه)\s+)?"
_SEP = r"[\s,،\-]*"

_DATE_PATTERNS = [
    # 5 آذار 2023 | 8 نيسان / أبريل 2014 | 5 March 2023 | 5th of March, 2023
    re.compile(rf"{_DAY}\s*(?:of\s+|من\s+)?(?:شهر\s+)?{_MONTHX}{_SEP}{_YEAR_WORD}{_YEAR}"),
    # March 5, 2023 | Jan 30,2025 | Oct 2 2023
    re.compile(rf"{_MONTHX}\s*{_DAY}(?!\d)\s*,?\s*{_YEAR}"),
    # 2023/3/5 | 2023-03-05
    re.compile(r"(?<![\d/.\-])(?P<year>(?:19|20)\d\d)(?P<s>[/.\-])(?P<mon>[01]?\d)(?P=s)(?P<day>[0-3]?\d)(?![\d/.\-]?\d)"),
    # 5/3/2023 | 12-2-2024 (day first, as in the region; swapped when the first cannot be a month)
    re.compile(r"(?<![\d/.\-])(?P<day>[0-3]?\d)(?P<s>[/.\-])(?P<mon>[01]?\d)(?P=s)(?P<year>(?:19|20)\d\d)(?![\d/.\-]?\d)"),
]
_PARTIAL_PATTERNS = [
    re.compile(rf"{_DAY}\s*(?:of\s+)?(?:شهر\s+)?{_MONTHX}"),
    re.compile(rf"{_MONTHX}\s*{_DAY}(?!\d)"),
]
_BARE_YEAR = re.compile(r"(?<![\d/.\-])((?:19|20)\d\d)(?![\d/.\-]?\d)")


def _iso(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month_number(token: str) -> int | None:
    return _MONTH_OF.get(re.sub(r"\s+", " ", token))


def _dates_in(norm: Normalized, default_year: int | None) -> list[tuple[str, int, int]]:
    """Dates in the folded text of ``norm``; spans in folded offsets."""
    text = norm.text
    found: list[tuple[int, int, str]] = []
    for i, pat in enumerate(_DATE_PATTERNS):
        for m in pat.finditer(text):
            mon = m.group("mon")
            month = int(mon) if mon.isdigit() else _month_number(mon)
            day, year = int(m.group("day")), int(m.group("year"))
            if i == 3 and month and month > 12 and day <= 12:
                day, month = month, day
            iso = _iso(year, month or 0, day)
            if iso:
                found.append((m.start(), m.end(), iso))
    if default_year is not None:
        for pat in _PARTIAL_PATTERNS:
            for m in pat.finditer(text):
                month = _month_number(m.group("mon"))
                iso = _iso(default_year, month or 0, int(m.group("day")))
                if iso:
                    found.append((m.start(), m.end(), iso))
    # Keep the leftmost, then longest, of overlapping matches.
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[str, int, int]] = []
    last_end = -1
    for s, e, iso in found:
        if s >= last_end:
            out.append((iso, s, e))
            last_end = e
    return out


def find_dates(text: str, *, default_year: int | None = None) -> list[tuple[str, int, int]]:
    """Every calendar date written in ``text``: ``(iso_date, start, end)``, in order.

    Arabic month names of both series (كانون الثاني ... and يناير ...,
    with the regional variants), English (and French) month names and
    abbreviations, Arabic-Indic or Latin digits, numeric dates (year first, or
    day first as written in the region). A day and month without a year count
    only when ``default_year`` is given.
    """
    if not text:
        return []
    norm = normalize(text)
    return [(iso, *norm.span(s, e)) for iso, s, e in _dates_in(norm, default_year)]


# -- language --------------------------------------------------------------------------
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ']+")
_EN_STOP = frozenset("the of and to in is was for on with that by at from as are has have said will this which".split())
_FR_STOP = frozenset("le la les des du de et est une un pour dans que sur avec au aux par ce qui a été son ses".split())


def detect_lang(text: str) -> str:
    """ISO 639-1 code of the item's language: ``ar`` when Arabic letters make up
    at least 40% of the letters (Arabic news quotes Latin acronyms and names),
    otherwise ``fr`` or ``en`` by stopwords; ``und`` without letters."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return "und"
    if len(_ARABIC_LETTER.findall(text)) >= 0.4 * letters:
        return "ar"
    en = fr = 0
    for w in _LATIN_WORD.findall(text.lower()):
        en += w in _EN_STOP
        fr += w in _FR_STOP
    return "fr" if fr > en else "en"


# -- agencies --------------------------------------------------------------------------

@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    country: str | None
    markers: tuple[str, ...]


@dataclass(frozen=True)
class _AgencyIndex:
    agencies: dict[str, Agency]
    by_marker: dict[str, str]  # folded marker (single spaces) -> key
    pattern: re.Pattern


@cache
def load_agencies() -> _AgencyIndex:
    """The agency lexicon (data/lexicons/agencies.yaml), compiled once."""
    with data_path("lexicons", "agencies.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    agencies: dict[str, Agency] = {}
    by_marker: dict[str, str] = {}
    for key, entry in (raw.get("agencies") or {}).items():
        markers = tuple(str(m) for m in entry.get("markers", []))
        agencies[key] = Agency(key, entry["name"], entry.get("country"), markers)
        for m in markers:
            folded = " ".join(normalize(m).text.split())
            if folded:
                by_marker.setdefault(folded, key)
    alts = sorted(by_marker, key=len, reverse=True)
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts)
                         + r")(?![^\W_])")
    return _AgencyIndex(agencies, by_marker, pattern)


def _agency_key(folded_match: str) -> str | None:
    return load_agencies().by_marker.get(" ".join(folded_match.split()))


# -- lines --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Line:
    start: int  # of the stripped line in the text
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    out = []
    for m in re.finditer(r"[^\n\r\u2028\u2029]+", text):
        s, e = m.start(), m.end()
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        if lead == len(raw):
            continue
        out.append(_Line(s + lead, e - trail, raw.strip()))
    return out


def _words(s: str) -> int:
    return len(s.split())


# -- dateline -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Dateline:
    start: int
    end: int  # after the separator that follows it
    place: tuple[int, int] | None
    agency: str | None
    agency_span: tuple[int, int] | None
    whole_line: bool


_OPEN = "(/-[|"
_CLOSE = ")/-]|:"
_AFTER_SIGNATURE = re.compile(r"\s*[)\]/]*\s*(?:-+|:|\|)?\s*")
_PLACE = re.compile(r"\s*([^\W\d_](?:[^\W\d_'’]|[ .](?=[^\W\d_])|-(?=[^\W\d_]))*)")


def _orig(norm: Normalized, base: int, s: int, e: int) -> tuple[int, int]:
    a, b = norm.span(s, e)
    return base + a, base + b


def _place_span(line: _Line, limit: int) -> tuple[int, int] | None:
    """The place at the start of a dateline: letters up to a comma, digit, bracket or dash."""
    m = _PLACE.match(line.text[:limit])
    if not m:
        return None
    place = m.group(1).rstrip(" .")
    if not place or _words(place) > 4 or _month_number(normalize(place).text) is not None:
        return None
    s = line.start + m.start(1)
    return s, s + len(place)


def _agency_dateline(line: _Line) -> _Dateline | None:
    """A dateline signed by a known agency: "بيروت - وطنية -", "ANKARA (AA) -", "دمشق-سانا"."""
    if _BYLINE.match(line.text):
        return None  # "By JT - Jan 30,2025": a byline, read as a header line
    norm = normalize(line.text)
    ft = norm.text
    idx = load_agencies()
    for m in idx.pattern.finditer(ft, 0, min(len(ft), 100)):
        before, after = ft[:m.start()].rstrip(), ft[m.end():].lstrip()
        enclosed_before = not before or before[-1] in _OPEN
        enclosed_after = not after or after[0] in _CLOSE
        if not (enclosed_before or enclosed_after):
            continue
        if before and not (enclosed_before or before[-1].isdigit()):
            continue  # "خطة وطنية -": a signature after a place is set off ("بيروت - وطنية", "(بترا)")
        prefix = before.strip(" ,(/-[|")
        if _words(prefix) > 6 or len(prefix) > 60:
            continue
        tail = _AFTER_SIGNATURE.match(ft, m.end())
        end_f = tail.end()
        # A signature must close: bracketed, or followed by a dash/colon or the end of the line.
        if not enclosed_after and end_f < len(ft) and ft[m.end():end_f].strip() == "":
            continue
        key = _agency_key(m.group())
        a_s, a_e = _orig(norm, line.start, m.start(), m.end())
        end = line.start + (norm.span(end_f - 1, end_f)[1] if end_f > 0 else 0)
        end = max(end, a_e)  # through the closing bracket, dash and spaces that follow
        whole = end_f >= len(ft)
        if whole:
            end = line.end
        place = _place_span(line, a_s - line.start) if prefix else None
        if place and place[0] >= a_s:
            place = None
        return _Dateline(line.start, end, place, key, (a_s, a_e), whole)
    return None


_PLACE_DASH = re.compile(
    r"(?P<place>[^\W\d_][^\W\d_'’]*(?:(?: |-(?=[^\W\d_]))[^\W\d_][^\W\d_'’]*){0,3})"
    r"(?P<paren>\s*\((?P<outlet>[^()\n]{1,30})\))?"
    r"(?:\s*[,،]\s*(?P<date>[^\n\-–—(]{3,40}?))?"
    r"\s*(?:--|[-–—])\s*")


def _place_dateline(line: _Line, lang: str) -> _Dateline | None:
    """A dateline without a known agency: "AMMAN —", "Amman, 23 April 2024 –", "عمان - ", "Beirut (ILO News) -"."""
    m = _PLACE_DASH.match(line.text)
    if not m:
        return None
    place = m.group("place")
    ok = False
    if m.group("paren"):
        ok = True
    elif m.group("date") and find_dates(m.group("date"), default_year=2000):
        ok = True
    elif lang == "ar":
        ok = _words(place) <= 3 and not m.group("date")
    else:
        ok = place.isupper() and not m.group("date")
    if not ok:
        return None
    whole = m.end() >= len(line.text)
    agency = None
    span = None
    if m.group("outlet"):
        km = load_agencies().pattern.fullmatch(normalize(m.group("outlet")).text.strip())
        if km:
            agency = _agency_key(km.group())
        span = (line.start + m.start("outlet"), line.start + m.end("outlet"))
    p_s = line.start + m.start("place")
    return _Dateline(line.start, line.end if whole else line.start + m.end(),
                     (p_s, p_s + len(place)), agency, span, whole)


# -- header and boilerplate lines ---------------------------------------------------------------

_BYLINE = re.compile(r"^(?:by|بقلم|كتب|كتبت|كتبه|إعداد|اعداد)\s+(?P<who>[^\n\-–—|,]+)", re.IGNORECASE)
_RELEASE = re.compile(r"^(?:press release|news release|media release|statement|بيان صحفي|بيان صحافي|بيان)\b",
                      re.IGNORECASE)
_HEADER_WORDS = re.compile(r"last updated|updated|published|تم نشره|نشر في|آخر تحديث|تاريخ النشر", re.IGNORECASE)


def _is_date_line(line: _Line) -> bool:
    return _words(line.text) <= 14 and bool(find_dates(line.text, default_year=2000))


def _header_source(line: _Line) -> str | None:
    """An outlet named by a header line: byline, or a short line that names it."""
    idx = load_agencies()
    b = _BYLINE.match(line.text)
    if b:
        km = idx.pattern.fullmatch(normalize(b.group("who")).text.strip())
        return _agency_key(km.group()) if km else None
    if _words(line.text) <= 10:
        for m in idx.pattern.finditer(normalize(line.text).text):
            if len(m.group()) > 3:  # short acronyms only where a signature stands
                return _agency_key(m.group())
    return None


def _is_header(line: _Line) -> bool:
    t = line.text
    if _BYLINE.match(t) and _words(t) <= 14:
        return True
    if _RELEASE.match(t) and _words(t) <= 10:
        return True
    if _is_date_line(line):
        return True
    if _HEADER_WORDS.search(t) and _words(t) <= 14:
        return True
    return _words(t) <= 6 and _header_source(line) is not None and not t.endswith((".", "۔"))


_HARD_STOP = re.compile(
    r"^(?:مصدر الخبر|المصدر\s*:|share this|share on|share:|follow us|تابعونا|تابعوا|related news|related articles|"
    r"related stories|related:|read more|read also|see also|more news|اقرأ أيضا|اقرأ أيضاً|اقرأ ايضا|إقرأ أيضا|"
    r"أخبار ذات صلة|اخبار ذات صلة|مواضيع ذات صلة|اخبار متعلقة|أخبار متعلقة|الكلمات المفتاحية|كلمات مفتاحية|"
    r"الكلمات الدالة|الوسوم|tags\s*:|keywords\s*:|شارك الخبر|شارك هذا|شارك على|للمزيد|copyright|©|\(c\)|"
    r"all rights reserved|جميع الحقوق محفوظة|حقوق النشر|advertisement|إعلان$)",
    re.IGNORECASE)
_SOCIAL = re.compile(r"^(?:[\s|:،,•·\-]*(?:facebook|twitter|x|whatsapp|telegram|linkedin|instagram|youtube|email|"
                     r"print|فيسبوك|فيس بوك|تويتر|واتساب|تلغرام|تيليجرام|انستغرام|يوتيوب|طباعة))+[\s|:،,•·\-]*$",
                     re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_DECOR = " \t=-–—_*~.•·/\\|()[]"
_INITIALS = re.compile(r"^[\u0621-\u064A]{1,2}(?:[\s./\-]+[\u0621-\u064A]{1,2}){0,5}$")
_END_WORDS = re.compile(r"^(?:انتهى|انتهي|end|ends|-?30-?)$", re.IGNORECASE)


def _trailer_agency(line: _Line) -> str | None:
    """An agency signature alone on a line: "--(بترا)", "/ وفا /", "(KUNA)"."""
    core = line.text.strip(_DECOR)
    if not core or _words(core) > 5:
        return None
    m = load_agencies().pattern.fullmatch(normalize(core).text.strip())
    return _agency_key(m.group()) if m else None


def _is_soft_boilerplate(line: _Line) -> bool:
    t = line.text
    core = t.strip(_DECOR)
    if not core:
        return True  # a rule of "=====" or dashes
    if len(core) <= 24 and _INITIALS.match(core):
        return True  # editor initials: ح.ع | ع ح/ م ق | =========ج.س
    if _END_WORDS.match(core):
        return True
    if _SOCIAL.match(t) or _URL_ONLY.match(t):
        return True
    return _trailer_agency(line) is not None


# -- title ----------------------------------------------------------------------------

def _is_headline(line: _Line) -> bool:
    t = line.text
    if _words(t) > 30 or len(t) > 250:
        return False
    if t.endswith((".", ":", "؛", ";", ",", "،")) and not t.endswith(".."):
        return False
    if _is_date_line(line) or _BYLINE.match(t):
        return False
    return True


# -- the item ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemMeta:
    """What the text says about itself. Spans are (start, end) offsets into the text.

    The item's content is the title line plus ``text[body_start:body_end]``;
    the dateline (when there is one, usually at ``body_start`` or just before
    it) names the outlet, which is not an actor of the item, and the place,
    which may serve as the place of the reported event.
    """

    lang: str
    title: str | None
    title_span: tuple[int, int] | None
    published: str | None
    source: str | None
    source_key: str | None
    body_start: int
    body_end: int
    dateline: tuple[int, int] | None
    dateline_place: tuple[int, int] | None
    source_span: tuple[int, int] | None = None

    def content_spans(self) -> list[tuple[int, int]]:
        """Spans of text that carry content: the title and the body."""
        spans = [self.title_span] if self.title_span else []
        if self.body_end > self.body_start:
            spans.append((self.body_start, self.body_end))
        return spans

    def is_content(self, start: int, end: int) -> bool:
        """True when [start, end) lies in the title or the body, outside the dateline."""
        if self.dateline and start < self.dateline[1] and end > self.dateline[0]:
            return False
        return any(s <= start and end <= e for s, e in self.content_spans())


_TODAY = re.compile(r"(?:اليوم|today|aujourd'hui)[\s,،]*(?:\S+[\s,،]+){0,2}$", re.IGNORECASE)


def read_item(text: str, *, year: int | None = None) -> ItemMeta:
    """Read an item's metadata from its text (see :class:`ItemMeta`).

    A dateline often gives day and month only ("عمان ١٢ آذار (بترا)",
    "BEIRUT, Feb 20 (NNA)"); the years written in the body are no guide to
    the publication year (they are mostly past ones: "since 2021"), so such a
    date becomes ``published`` only when the caller knows the ``year`` (from
    a URL, a file date, a feed).
    """
    lang = detect_lang(text)
    lines = _lines(text)
    if not lines:
        return ItemMeta(lang, None, None, None, None, None, 0, len(text), None, None)

    # Title: a first line that looks like a headline, followed by more text.
    title = title_span = None
    first = 0
    if len(lines) > 1 and _is_headline(lines[0]) and not _agency_dateline(lines[0]):
        title, title_span, first = lines[0].text, (lines[0].start, lines[0].end), 1

    # Header lines, dateline and the start of the body, within the first lines.
    header: list[_Line] = []
    dateline: _Dateline | None = None
    dateline_line: _Line | None = None
    body_start: int | None = None
    content_lines = 0
    for line in lines[first:first + 6]:
        if dateline is None:
            dl = _agency_dateline(line) or _place_dateline(line, lang)
            if dl:
                dateline, dateline_line = dl, line
                if not dl.whole_line:
                    if body_start is None:
                        body_start = dl.end
                    break
                continue  # a dateline alone on its line: the body starts on a later one
        if _is_header(line):
            header.append(line)
            continue
        if body_start is None:
            body_start = line.start
        content_lines += 1
        if dateline is not None or content_lines >= 2:
            break  # a subtitle may come before the dateline, not more
    if body_start is None:
        rest = [ln for ln in lines[first:] if ln not in header and ln is not dateline_line]
        body_start = rest[0].start if rest else (lines[-1].end if lines else 0)

    # End of content: hard stop markers, then boilerplate lines from the end.
    source_key = dateline.agency if dateline else None
    source_span = dateline.agency_span if dateline and dateline.agency else None
    body_lines = [ln for ln in lines if ln.start >= body_start]
    end_index = len(body_lines)
    for i, ln in enumerate(body_lines):
        if i > 0 and _HARD_STOP.match(ln.text) and _words(ln.text) <= 12:
            end_index = i
            break
    trailer_keys: list[str] = []
    for ln in body_lines[end_index:]:
        if ln.text.startswith(("مصدر الخبر", "المصدر")):
            m = load_agencies().pattern.search(normalize(ln.text).text)
            if m:
                trailer_keys.append(_agency_key(m.group()))
    while end_index > 1 and _is_soft_boilerplate(body_lines[end_index - 1]):
        k = _trailer_agency(body_lines[end_index - 1])
        if k:
            trailer_keys.append(k)
        end_index -= 1
    body_end = body_lines[end_index - 1].end if end_index > 0 and body_lines else len(text)
    body_end = max(body_end, body_start)

    if source_key is None:
        for ln in header:
            k = _header_source(ln)
            if k:
                source_key = k
                break
    if source_key is None and trailer_keys:
        source_key = trailer_keys[0]

    # Publication date: a header line, the dateline, or "today, <date>" in the first sentence.
    published = None
    for ln in header:
        d = find_dates(ln.text)
        if d:
            published = d[0][0]
            break
    if published is None and dateline is not None:
        seg = text[dateline.start:dateline.end]
        d = find_dates(seg) or (find_dates(seg, default_year=year) if year else [])
        if d:
            published = d[0][0]
    if published is None and body_start < len(text):
        first_line = next((ln for ln in lines if ln.end > body_start), None)
        if first_line is not None:
            seg_start = max(first_line.start, body_start)
            seg = text[seg_start:first_line.end]
            for iso, s, e in find_dates(seg):
                if _TODAY.search(normalize(seg[max(0, s - 40):s]).text):
                    published = iso
                    break

    agencies = load_agencies().agencies
    return ItemMeta(
        lang=lang, title=title, title_span=title_span, published=published,
        source=agencies[source_key].name if source_key else None, source_key=source_key,
        body_start=body_start, body_end=body_end,
        dateline=(dateline.start, dateline.end) if dateline else None,
        dateline_place=dateline.place if dateline else None,
        source_span=source_span,
    )
