"""Plain-text news items: a title line, then the body.

This is how agency copy is kept (NNA, Petra, SANA ...: headline, a dateline
such as ``وطنية -`` or ``عمان 12 آذار (بترا) -``, paragraphs, and sometimes
editor initials and ``مصدر الخبر`` at the end). The reader keeps the whole
text as it is, title line included, so that character offsets into it hold;
reading the dateline, the date and the agency is the extractor's work
(:mod:`kg.extract.metadata`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from kg.readers.base import BadInput, NewsItem, ReadError, clean_text, decode_bytes, guess_lang, read_document
from kg.readers.ids import content_id

__all__ = ["read_text", "parse_text"]

_TITLE_MAX = 400


def parse_text(raw: str, *, path: str | None = None, name: str | None = None) -> NewsItem:
    """A NewsItem from decoded text; BadInput for an empty item."""
    text = clean_text(raw)
    lines = [ln.strip() for ln in text.split("\n")]
    non_empty = [ln for ln in lines if ln]
    if not non_empty:
        raise BadInput("empty item (no text)")
    if len(non_empty) == 1 and len(non_empty[0]) <= _TITLE_MAX:
        raise BadInput("empty item (a title line and no body)")
    title = non_empty[0] if len(non_empty[0]) <= _TITLE_MAX else None
    return NewsItem(id=content_id(text, None), url=None, title=title, published=None, source=None,
                    lang=guess_lang(text), text=text, path=path, fmt="text", name=name)


def read_text(path: str | Path) -> Iterator[NewsItem | ReadError]:
    """One item per file (see the module docstring)."""
    p = Path(path)
    try:
        data = read_document(p, "text")
        raw, _ = decode_bytes(data)
        yield parse_text(raw, path=str(p), name=p.stem)
    except BadInput as exc:
        yield ReadError(str(p), str(exc))
    except OSError as exc:
        yield ReadError(str(p), f"cannot read: {exc.strerror or exc}")
