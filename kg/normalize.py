"""Arabic and Latin normalization for matching, keeping offsets into the original.

Matching must see past diacritics, tatweel, the many alef, ya, ta marbuta and
hamza forms, Arabic-Indic digits and the variety of quotation marks, while
every mention the extractor reports must still point at the exact characters
of the original text. :func:`normalize` therefore returns the folded text
together with, for each folded character, the index of the original
character it came from.
"""
from __future__ import annotations

import re
import unicodedata
from itertools import compress
from dataclasses import dataclass
from functools import lru_cache

# Arabic diacritics (harakat, tanween, shadda, sukun, dagger alef, Quranic marks) and tatweel.
_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"} | {chr(c) for c in range(0x06D6, 0x06EE)}
# Invisible format characters that only steer display.
_DROP |= {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u2066", "\u2067", "\u2068", "\u2069",
          "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\ufeff", "\u00ad"}

_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ئ": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
    "ؤ": "و",
    "ک": "ك", "ڪ": "ك",
    "گ": "ك",
    # quotation marks and apostrophes
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"', "‟": '"',
    "‘": "'", "’": "'", "‚": "'", "‹": '"', "›": '"', "`": "'", "´": "'",
    # dashes and Arabic punctuation
    "–": "-", "—": "-", "‒": "-", "−": "-", "ـ": "",
    "،": ",", "؛": ";", "؟": "?", "٪": "%",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian) digits


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """The folded form of one character ('' when it is dropped)."""
    if ch in _DROP:
        return ""
    if ch in _MAP:
        return _MAP[ch]
    if ch.isascii():
        return ch.lower()
    if unicodedata.combining(ch):
        return ""
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed != ch:
        # Latin letters with accents (é -> e), ligatures, presentation forms.
        folded = "".join(fold_char(c) for c in decomposed if not unicodedata.combining(c))
        return folded
    return ch.lower()


@dataclass(frozen=True)
class Normalized:
    """Folded text plus, for each folded character, its original index."""

    text: str
    offsets: tuple[int, ...]
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the folded span ``text[start:end]``."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else self.original_length
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


class _FoldTable(dict):
    """``str.translate`` table: code point -> folded string, filled on demand."""

    def __missing__(self, code: int) -> str:
        f = fold_char(chr(code))
        if len(self) < 200_000:
            self[code] = f
        return f


class _LengthTable(dict):
    """``str.translate`` table: code point -> chr(length of its folded form)."""

    def __missing__(self, code: int) -> str:
        v = chr(len(fold_char(chr(code))))
        if len(self) < 200_000:
            self[code] = v
        return v


_FOLD_TABLE = _FoldTable()
_LENGTH_TABLE = _LengthTable()


def normalize(text: str) -> Normalized:
    """Fold ``text`` for matching and keep the map back to original offsets.

    The folding runs in C (``str.translate``); offsets are computed from the
    length each character folds to (0 when dropped, 1 mostly).
    """
    folded = text.translate(_FOLD_TABLE)
    lengths = text.translate(_LENGTH_TABLE)
    n = len(text)
    if len(folded) == n and "\x00" not in lengths:
        offsets: tuple[int, ...] = tuple(range(n))
    elif lengths.strip("\x00\x01") == "" and all(c in "\x00\x01" for c in set(lengths)):
        offsets = tuple(compress(range(n), lengths.encode("latin-1")))
    else:
        offs: list[int] = []
        for i, c in enumerate(lengths):
            if c != "\x00":
                offs.extend([i] * ord(c))
        offsets = tuple(offs)
    return Normalized(folded, offsets, n)


def fold(text: str) -> str:
    """Folded text for comparing names: characters folded, runs of spaces and
    punctuation collapsed to one space."""
    folded = "".join(fold_char(c) for c in text)
    return " ".join(_WORD.findall(folded))


_WORD = re.compile(r"[^\W_]+(?:[-'./][^\W_]+)*", re.UNICODE)

ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


def is_arabic(text: str) -> bool:
    """True when most letters of ``text`` are Arabic."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if ARABIC_RE.match(c)) * 2 >= len(letters)


# -- word keys for comparing names (the Scoring rules of ANNOTATION.md) ------

# The function words of ANNOTATION.md's Scoring section, and no others.
# Stored folded ("على" folds to "علي"; the name Ali folds the same way and is
# dropped with it, a cost the Scoring rule accepts).
FUNCTION_WORDS = frozenset(fold(w) for w in ("the", "of", "and", "in", "في", "من", "على"))
_ARTICLES = ("لل", "ال")  # "لل" is li- + al- contracted
_SINGLE = frozenset("وفبلك")


def strip_clitics(word: str) -> str:
    """Drop the article and leading clitics (ال و ب ل لل ف ك) of a folded Arabic word.

    Used to compare names, where both sides are stripped the same way. The
    stripping repeats, so that every spelling of a word reaches the same
    stem: "ورشه", "والورشه", "بورشه" and "للورشه" all give "ورشه". It stops
    at a known stem (:func:`known_stems`: a word whose first letter belongs to
    it, such as "وزاره" or "لبنان"), and otherwise strips an article only
    when two letters stay and a single clitic only when three stay (an
    unknown stem that begins with a clitic letter loses it on every side alike).
    """
    stems = known_stems()
    while word not in stems:
        for p in _ARTICLES:
            if word.startswith(p) and len(word) - len(p) >= 2:
                rest = word[len(p):]
                if p == "لل" and "ل" + rest in stems:  # li- + al- before a stem that begins with lam
                    return "ل" + rest
                word = rest
                break
        else:
            if len(word) >= 4 and word[0] in _SINGLE:
                word = word[1:]
            else:
                return word
    return word


@lru_cache(maxsize=1)
def known_stems() -> frozenset[str]:
    """Folded Arabic words that keep their first letter (data/lexicons/stems.yaml
    and the registry's place names and nationality adjectives)."""
    import yaml

    from kg.resources import data_path

    words: set[str] = set()
    with open(data_path("lexicons", "stems.yaml"), encoding="utf-8") as fh:
        words.update((yaml.safe_load(fh) or {}).get("words") or [])
    with open(data_path("registry", "places.yaml"), encoding="utf-8") as fh:
        places = yaml.safe_load(fh) or {}
    for country in places.get("countries") or []:
        for entry in [country] + list(country.get("cities") or []):
            names = entry.get("name") or {}
            aliases = entry.get("aliases") or {}
            words.update(w for n in [names.get("ar")] + list(aliases.get("ar") or []) if n for w in n.split())
        words.update((country.get("adjectives") or {}).get("ar") or [])
    out = set()
    for w in words:
        w = fold(str(w))
        if w.startswith("ال") and len(w) >= 4:
            w = w[2:]
        if len(w) >= 3 and w[0] in _SINGLE:
            out.add(w)
    return frozenset(out)


_INNER_DROP = re.compile(r"['.]")
_INNER_SPLIT = re.compile(r"[-/]")


def name_words(text: str) -> tuple[str, ...]:
    """Folded, clitic-free content words of a name, in order.

    Punctuation inside a word is folded too: dots and apostrophes are dropped
    ("U.S." = "US", "Ma'an" = "Maan", an English possessive "'s" goes),
    hyphens and slashes separate words ("Al-Azhar" = "Al Azhar").
    """
    words = []
    for token in fold(text).split():
        if token.endswith("'s"):
            token = token[:-2]
        for w in _INNER_SPLIT.split(_INNER_DROP.sub("", token)):
            if not w:
                continue
            if ARABIC_RE.match(w[0]):
                w = strip_clitics(w)
            if w and w not in FUNCTION_WORDS:
                words.append(w)
    return tuple(words)


def name_key(text: str) -> str:
    """One string to compare two names by (see :func:`name_words`)."""
    return " ".join(name_words(text))
