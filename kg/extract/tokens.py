"""Tokens of a news item over folded text, each with exact offsets into the original.

Everything the extractor matches (registry names, lexicon words, cue phrases)
is compared on folded tokens (:mod:`kg.normalize`: diacritics, tatweel, letter
forms, quotation marks, case); every token also knows the characters of the
original text it came from, so a span of tokens is always reported as
``text[start:end]``.

Arabic tokens carry their *bases*: the token with a leading conjunction
(و ف), preposition (ب ك ل) and article (ال, or the contracted لل) taken off in
every way the language allows, so that "والمنظمة", "للمنظمة" and "منظمة" all
share the base "منظمه". A lexicon word is stored by one base (see
:func:`form_base`) and matches any token that has it among its bases.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.normalize import normalize

_AR = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
_AR_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_TOKEN = re.compile(
    rf"(?P<a>[{_AR}]+)"
    r"|(?P<n>\d+(?:[.,]\d+)*)"
    rf"|(?P<l>[^\W\d_{_AR_BLOCKS}]+)"
    r"|(?P<p>[^\s])"
)
_DROPPED = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200b-\u200f\u00ad]")
_DROPPED_CHARS = frozenset(chr(c) for c in list(range(0x064B, 0x0660)) + [0x0670, 0x0640] + list(range(0x06D6, 0x06EE))
                           + list(range(0x200B, 0x2010)) + [0x00AD])
ARABIC, LATIN, NUMBER, PUNCT = "a", "l", "n", "p"

_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")


@lru_cache(maxsize=65536)
def ar_bases(tok: str) -> tuple[str, ...]:
    """Every reading of an Arabic token without its proclitics and article."""
    out = {tok}
    for c in _CONJ:
        if c and not tok.startswith(c):
            continue
        rest = tok[len(c):]
        for p in _PREP:
            if p and not rest.startswith(p):
                continue
            stem = rest[len(p):]
            if len(stem) < 2:
                continue
            out.add(stem)
            if stem.startswith("ال") and len(stem) >= 4:
                out.add(stem[2:])
        if rest.startswith("لل") and len(rest) >= 4:
            out.add(rest[2:])
    # a tuple in a fixed order (longest first): set order would depend on the hash seed
    return tuple(sorted(out, key=lambda b: (-len(b), b)))


def form_base(tok: str) -> str:
    """The one base a lexicon or registry word is stored by (article taken off)."""
    if len(tok) >= 4 and (tok.startswith("ال") or tok.startswith("لل")):
        return tok[2:]
    return tok


def is_arabic_word(tok: str) -> bool:
    return bool(tok) and ("\u0600" <= tok[0] <= "\u08ff" or "\ufb50" <= tok[0] <= "\ufefc")


class Tok:
    """One token: folded text, script, original offsets and Arabic bases."""

    __slots__ = ("i", "norm", "script", "start", "end", "raw", "bases", "space_before", "nl_before", "sent", "memo")

    def __init__(self, i: int, norm: str, script: str, start: int, end: int, raw: str,
                 space_before: bool, nl_before: bool):
        self.i = i
        self.norm = norm
        self.script = script
        self.start = start
        self.end = end
        self.raw = raw
        self.bases = ar_bases(norm) if script == ARABIC else (norm,)
        self.space_before = space_before
        self.nl_before = nl_before
        self.sent = 0
        self.memo: dict = {}  # lexicon look-ups already made at this token

    @property
    def cap(self) -> bool:
        return self.script == LATIN and self.raw[:1].isupper()

    @property
    def upper(self) -> bool:
        return self.script == LATIN and len(self.raw) > 1 and self.raw.isupper()

    def has(self, *bases: str) -> bool:
        return any(b in self.bases for b in bases)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Tok({self.i}, {self.raw!r})"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    end = len(text) if end is None else end
    piece = text[start:end]
    if not piece:
        return []
    norm = normalize(piece)
    offs = norm.offsets
    toks: list[Tok] = []
    prev_end = 0
    plen = len(piece)
    dropped = _DROPPED_CHARS
    for m in _TOKEN.finditer(norm.text):
        s, e = m.span()
        o_start = offs[s]
        o_end = offs[e - 1] + 1
        # Keep diacritics and tatweel that trail the last letter inside the token.
        while o_end < plen and piece[o_end] in dropped:
            o_end += 1
        gap = piece[prev_end:o_start]
        if toks:
            sp = gap != "" and (gap.isspace() or " " in gap or "\n" in gap or "\t" in gap or "\u00a0" in gap)
            nl = "\n" in gap
        else:
            sp = nl = True
        toks.append(Tok(len(toks), m.group(), m.lastgroup or PUNCT, start + o_start, start + o_end,
                        piece[o_start:o_end], sp, nl))
        prev_end = o_end
    return toks


_ABBREV = frozenset("mr mrs ms dr prof st no nos jan feb mar apr jun jul aug sep sept oct nov dec col lt maj gen brig capt eng sgt h e u s vs etc inc co ltd gov rep sen hon".split())
_SENT_END = frozenset(".!?;")


def split_sentences(toks: list[Tok]) -> list[tuple[int, int]]:
    """Sentences as (first token, end token) ranges; sets ``tok.sent``.

    A sentence ends at . ! ? ; (not after a single letter or an abbreviation
    such as "Dr." or "U.S.", nor inside a number) and at every line break.
    """
    sents: list[tuple[int, int]] = []
    begin = 0
    n = len(toks)
    for i, t in enumerate(toks):
        if i > begin and t.nl_before:
            sents.append((begin, i))
            begin = i
        if t.script == PUNCT and t.norm in _SENT_END:
            if t.norm == "." and i > 0:
                prev = toks[i - 1]
                if prev.script == LATIN and (len(prev.norm) == 1 or prev.norm in _ABBREV) and not t.space_before:
                    continue
                if prev.script == ARABIC and prev.norm == "د" and not t.space_before:
                    continue
                if i + 1 < n and toks[i + 1].script == NUMBER and not toks[i + 1].space_before:
                    continue
            # Closing quotation marks and brackets stay with the sentence they end.
            j = i + 1
            while j < n and toks[j].script == PUNCT and toks[j].norm in "\"')]»" and not toks[j].nl_before:
                j += 1
            sents.append((begin, j))
            begin = j
    if begin < n:
        sents.append((begin, n))
    sents = [(a, b) for a, b in sents if b > a]
    for k, (a, b) in enumerate(sents):
        for t in toks[a:b]:
            t.sent = k
    return sents
