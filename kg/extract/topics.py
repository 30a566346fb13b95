"""Topics of an item from keyword lexicons (data/lexicons/topics.yaml).

Topics are keys of the project's SKOS scheme (ontology/topics.ttl). Each key
has strong terms (one occurrence names the topic) and weak terms (they point
to it but also occur elsewhere, so two are needed); see the header of the
lexicon for the rule. Terms are matched on normalized words, the same
folding as for names (:mod:`kg.normalize`), so clitics, the article, letter
forms and diacritics do not matter, and every hit keeps its offsets into the
original text, as evidence.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Iterable

import yaml

from kg.normalize import ARABIC_RE, FUNCTION_WORDS, Normalized, normalize
from kg.resources import data_path

__all__ = ["TopicHit", "find_topics", "topic_evidence", "topic_keys", "words_with_spans"]

_WORD = re.compile(r"[^\W_]+(?:[-'./][^\W_]+)*")
_INNER_DROP = re.compile(r"['.]")
_INNER_SPLIT = re.compile(r"[-/]")


_ARTICLE = re.compile(r"^(?:[وف]?[بكل]?ال|[وف]?لل)")
_CLITIC = frozenset("وفبلك")


def _canonical(w: str) -> str:
    """A lexicon word as stored: Arabic without its article, English singular."""
    if ARABIC_RE.match(w[0]):
        m = _ARTICLE.match(w)
        return w[m.end():] if m and len(w) - m.end() >= 2 else w
    if w.isascii() and len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _variants(w: str) -> tuple[str, ...]:
    """The readings of a text word that a lexicon word may equal.

    An Arabic word may carry the article, a conjunction or preposition, or
    both ("والاتجار", "بالبشر", "لتسجيل", "وبمخيمات"); since a stem may itself
    begin with one of these letters ("وكالة", "لجنة"), every reading is kept
    rather than one canonical stem, so "الوكالة" never meets "الكفالة".
    "للاجئين" (li- + al- + laji'in, two lams written for three) reads both
    "اجيين" and "لاجيين".
    """
    if not ARABIC_RE.match(w[0]):
        return (_canonical(w),)
    out = [w]
    m = _ARTICLE.match(w)
    if m and len(w) - m.end() >= 2:
        rest = w[m.end():]
        out.append(rest)
        if m.group().endswith("لل"):
            out.append("ل" + rest)
    if len(w) >= 4 and w[0] in _CLITIC:
        out.append(w[1:])
        if len(w) >= 5 and w[0] in "وف" and w[1] in "بلك":
            out.append(w[2:])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=65536)
def _token_parts(token: str) -> tuple[tuple[tuple[str, ...], int, int], ...]:
    """(readings, start, end) of the comparable parts of one folded token, offsets in the token."""
    parts = []
    if token.endswith("'s"):
        token = token[:-2]
    pos = 0
    for part in _INNER_SPLIT.split(token):
        p_start = pos
        pos += len(part) + 1
        w = _INNER_DROP.sub("", part)
        if not w or w in FUNCTION_WORDS:
            continue
        readings = _variants(w)
        if len(w) <= 3 and any(r in FUNCTION_WORDS for r in readings[1:]):
            continue  # "وفي", "ومن": a conjunction on a function word
        parts.append((readings, p_start, p_start + len(part)))
    return tuple(parts)


def words_with_spans(text: str, norm: Normalized | None = None) -> list[tuple[tuple[str, ...], int, int]]:
    """The words of ``text`` as (readings, start, end), offsets into the original text.

    Characters are folded as by :mod:`kg.normalize`; punctuation inside a
    word is dropped or splits it as in :func:`kg.normalize.name_words`;
    function words are left out. ``norm``: ``normalize(text)`` when the
    caller has it already.
    """
    norm = norm if norm is not None else normalize(text)
    offsets = norm.offsets
    out: list[tuple[tuple[str, ...], int, int]] = []
    for m in _WORD.finditer(norm.text):
        base = m.start()
        for readings, s, e in _token_parts(m.group()):
            out.append((readings, offsets[base + s], offsets[base + e - 1] + 1))
    return out


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    key: str
    strong: bool
    text: str


@dataclass(frozen=True)
class _Lexicon:
    min_score: int
    keys: tuple[str, ...]
    by_first: dict[str, tuple[_Term, ...]]  # longest first


@cache
def _lexicon() -> _Lexicon:
    with data_path("lexicons", "topics.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    index: dict[str, list[_Term]] = defaultdict(list)
    keys = []
    for key, spec in (raw.get("topics") or {}).items():
        keys.append(key)
        for strength in ("strong", "weak"):
            for lang_terms in (spec.get(strength) or {}).values():
                for term in lang_terms or []:
                    words = tuple(_canonical(r[0]) for r, _, _ in words_with_spans(str(term)))
                    if words:
                        index[words[0]].append(_Term(words, key, strength == "strong", str(term)))
    by_first = {w: tuple(sorted(ts, key=lambda t: (-len(t.words), not t.strong, t.key)))
                for w, ts in index.items()}
    return _Lexicon(int(raw.get("min_score", 2)), tuple(keys), by_first)


def topic_keys() -> tuple[str, ...]:
    """The topic keys the lexicon knows."""
    return _lexicon().keys


@dataclass(frozen=True)
class TopicHit:
    key: str
    strong: bool
    term: str  # the lexicon term
    start: int
    end: int


def _hits(text: str, norm: Normalized | None = None) -> list[TopicHit]:
    """Term occurrences: per topic the longest terms, not overlapping each other
    ("human trafficking" is one hit, not also "trafficking"); terms of
    different topics may overlap ("rights of migrant workers" is evidence of
    migrant protection and of labour migration)."""
    lex = _lexicon()
    words = words_with_spans(text, norm)
    n = len(words)
    hits: list[TopicHit] = []
    covered: dict[str, int] = {}  # topic -> first word index not yet used by one of its hits
    for i in range(n):
        best: dict[str, _Term] = {}
        for r in words[i][0]:
            for t in lex.by_first.get(r, ()):
                k = len(t.words)
                if covered.get(t.key, 0) > i or i + k > n:
                    continue
                if t.key in best and len(best[t.key].words) >= k:
                    continue
                if all(t.words[j] in words[i + j][0] for j in range(1, k)):
                    best[t.key] = t
        for key, t in best.items():
            k = len(t.words)
            covered[key] = i + k
            hits.append(TopicHit(key, t.strong, t.text, words[i][1], words[i + k - 1][2]))
    return hits


Span = tuple[int, int]


def topic_evidence(text: str, lang: str | None = None, *, ignore: Iterable[Span] = (),
                   norm: Normalized | None = None) -> dict[str, list[TopicHit]]:
    """Topic keys that the text meets the evidence rule for, with the hits that support them.

    ``ignore``: spans whose words are no evidence, such as the mentions of
    organizations ("UN High Commissioner for Refugees", "وزارة الهجرة
    والمهجرين") and boilerplate: an institution's name says who acts, not
    what the item is about. ``lang`` is accepted for symmetry with the other
    readers; terms of every language are matched, since Arabic items quote
    English terms and acronyms.
    """
    lex = _lexicon()
    spans = sorted(ignore)
    by_key: dict[str, list[TopicHit]] = defaultdict(list)
    for h in _hits(text, norm):
        if spans and _inside(h.start, h.end, spans):
            continue
        by_key[h.key].append(h)
    out = {}
    for key, hs in by_key.items():
        score = sum(2 if h.strong else 1 for h in hs)
        if score >= lex.min_score:
            out[key] = hs
    return dict(sorted(out.items()))


def _inside(start: int, end: int, spans: list[Span]) -> bool:
    """Is [start, end) inside one of the (sorted) spans?"""
    i = bisect.bisect_right(spans, (start, float("inf")))
    return any(s <= start and end <= e for s, e in spans[:i])


def find_topics(text: str, lang: str | None = None, *, keys: Iterable[str] | None = None,
                ignore: Iterable[Span] = (), norm: Normalized | None = None) -> list[str]:
    """Sorted topic keys of ``text``: a key counts when a strong term occurs once or weak terms twice.

    ``keys`` restricts the answer to some keys (e.g. the scheme's core
    topics); ``ignore`` as for :func:`topic_evidence`; ``norm`` is
    ``normalize(text)`` when the caller has it already (saves a pass).
    """
    found = topic_evidence(text, lang, ignore=ignore, norm=norm)
    if keys is not None:
        allowed = set(keys)
        return [k for k in found if k in allowed]
    return list(found)
