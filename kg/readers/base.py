"""What every reader shares: the item and error types, the size limit, decoding,
language guessing and date normalization.

Readers never raise on bad input: they yield a :class:`ReadError` for the file
(or the line, or the feed entry) and go on, so one broken file does not stop a
batch of thousands.
"""
from __future__ import annotations

import email.utils
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

__all__ = ["NewsItem", "ReadError", "MAX_BYTES", "BadInput", "decode_bytes", "check_size", "read_limited",
           "looks_binary", "guess_lang", "iso_date", "clean_text"]

MAX_BYTES = 20 * 1024 * 1024
"""The largest file a reader accepts (text, HTML, feed), and the longest line of a
JSON Lines file (a JSONL file itself may be larger: it is read line by line).
Larger input is reported and skipped: real news items are a few kilobytes, and
a 2-core machine should not spend minutes parsing one stray dump."""


@dataclass
class NewsItem:
    """One news item as read from a file, before extraction.

    ``id`` is stable (:mod:`kg.readers.ids`): from the normalized URL when the
    item has one, else from its normalized text, so the same item read from a
    feed, a saved page or a JSONL export is one item. ``name`` is what the
    source itself calls the item (a file's stem, a JSONL ``id`` field), which
    curated records (``NAME.gold.json``) may be keyed by.

    ``text`` is the item's text as the source gives it: for a plain-text file
    the whole file (title line included, so offsets in curated records hold);
    for HTML the main text; for a feed entry its content or summary; for
    JSONL the ``text`` field. :attr:`full_text` puts the title first when the
    text does not already start with it.
    """

    id: str
    url: str | None
    title: str | None
    published: str | None  # ISO date YYYY-MM-DD
    source: str | None
    lang: str | None
    text: str
    path: str | None
    fmt: str  # text | html | rss | atom | feed | jsonl
    name: str | None = None

    @property
    def full_text(self) -> str:
        """Title line + text (the text alone when it already begins with the title)."""
        if not self.title or self.text.lstrip().startswith(self.title.strip()):
            return self.text
        return f"{self.title.strip()}\n{self.text}"


@dataclass
class ReadError:
    """Input that could not be read: the file, where in it (``line 3``,
    ``entry 2``) and why. Yielded, not raised, so the batch goes on."""

    path: str
    reason: str
    where: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.reason}" if self.where else f"{self.path}: {self.reason}"


class BadInput(Exception):
    """Raised inside a reader, turned into a ReadError by it."""


# -- bytes ------------------------------------------------------------------------------

def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BadInput(f"file too large ({size:,} bytes; the limit is {MAX_BYTES:,}, kg.readers.MAX_BYTES)")


def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing files over :data:`MAX_BYTES` (also when one grows while read)."""
    check_size(path)
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise BadInput(f"file too large (over {MAX_BYTES:,} bytes, kg.readers.MAX_BYTES)")
    return data


def read_document(path: Path, what: str) -> bytes:
    """The bytes of a one-item file: within the size limit, not empty, not binary."""
    data = read_limited(path)
    if not data.strip():
        raise BadInput("empty file")
    if looks_binary(data):
        raise BadInput(f"binary file (NUL or control bytes), not {what}")
    return data


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside a UTF-16 text) or many control characters: not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    head = data[:65536]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head) > 0.01


# Letters of the Arabic block (not digits, punctuation or diacritics).
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
# What a Windows-1256 Arabic text may hold besides ASCII and Arabic letters.
_CP1256_OK = set("،؛؟«»ـ\u00a0\u200c\u200d\u200e\u200féèêëàâçîïôûùü–—‘’“”…•°×÷")


def _plausible_cp1256(text: str) -> bool:
    """Whether cp1256 decoding gave Arabic text rather than mojibake: cp1256 maps
    every byte, so it never fails; the non-ASCII characters must be mostly Arabic."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    letters = sum(1 for c in non_ascii if _ARABIC_LETTER.match(c) or "\u064b" <= c <= "\u0652")
    other = sum(1 for c in non_ascii if c in _CP1256_OK)
    return letters / len(non_ascii) >= 0.5 and (letters + other) / len(non_ascii) >= 0.9


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text: a BOM's encoding, else the ``declared`` one (an HTML or XML
    header), else UTF-8, else Windows-1256 when the result reads as Arabic.
    Returns (text, encoding); BadInput when none fits."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise BadInput(f"bad encoding: starts with a {enc} byte-order mark but is not {enc} "
                               f"(byte {exc.start})") from None
    tried = []
    if declared:
        try:
            return data.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            tried.append(declared)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" not in text and _plausible_cp1256(text):
        return text, "cp1256"
    raise BadInput(f"bad encoding: not UTF-8 (invalid byte at offset {first_bad}) and not Arabic "
                   f"Windows-1256{' nor ' + ', '.join(tried) if tried else ''}; re-save the file as UTF-8")


def clean_text(text: str) -> str:
    """Newlines unified, NUL and BOM dropped, trailing spaces trimmed; offsets of the
    rest stay as they were in a UTF-8 text file (no other change)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\x00", "")


# -- language -----------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
_EN = frozenset("the of and to in a is for on that with by was as at from said has have are".split())
_FR = frozenset("le la les des et du une un est dans pour sur au aux par que qui avec été".split())


def guess_lang(text: str, hint: Any = None) -> str | None:
    """ISO 639-1 code: a declared language (``ar-JO`` -> ``ar``) when given, else
    from the script (Arabic letters) and a few function words (en, fr)."""
    if isinstance(hint, str):
        code = hint.strip().lower().replace("_", "-").split("-")[0]
        if re.fullmatch(r"[a-z]{2,3}", code):
            return code
    sample = text[:20000]
    letters = sum(1 for c in sample if c.isalpha())
    if not letters:
        return None
    if len(_ARABIC_LETTER.findall(sample)) / letters > 0.4:
        return "ar"
    words = [w.lower() for w in _WORD.findall(sample[:5000])]
    en = sum(1 for w in words if w in _EN)
    fr = sum(1 for w in words if w in _FR)
    return "fr" if fr > en else "en"


# -- dates --------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def iso_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from what sources write: ISO dates and datetimes
    (the date as written, time zone not applied), RFC 822 dates of RSS, a
    ``time.struct_time`` or a date. None when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple) and len(value) >= 3:  # time.struct_time
        try:
            return date(value[0], value[1], value[2]).isoformat()
        except (TypeError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    try:
        dt = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return dt.date().isoformat() if dt else None


def nfc(text: str | None) -> str | None:
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).strip()
    return " ".join(text.split()) or None
