"""RSS and Atom feeds: each entry an item, with its link, date and title.

Feeds come from outside, so before feedparser sees one it is checked with
defusedxml: a document type with entity declarations (the "billion laughs"
and quadratic-blowup bombs, external entities that would read local files or
fetch URLs) is refused outright. feedparser is handed the bytes as a file
object, never a string (which it would take for a URL or a file name), so it
fetches nothing; it does not load external DTDs.
"""
from __future__ import annotations

import io
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

from kg.readers.base import BadInput, NewsItem, ReadError, clean_text, guess_lang, iso_date, looks_binary, nfc, \
    read_limited
from kg.readers.ids import item_id

__all__ = ["read_feed", "parse_feed", "check_xml_safety", "html_to_text"]

_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\b", re.IGNORECASE)


def check_xml_safety(data: bytes) -> None:
    """Refuse XML that declares entities or references external ones (BadInput).

    A DOCTYPE alone (``<!DOCTYPE rss PUBLIC ... "rss-0.91.dtd">``) is allowed:
    it is never loaded. Everything else (well-formedness) is feedparser's to judge.
    """
    import defusedxml.ElementTree as dET
    from defusedxml import DefusedXmlException

    m = _DOCTYPE.search(data)
    if m and _ENTITY.search(data, m.end()):
        raise BadInput("refused: the XML declares entities (<!ENTITY>), as entity bombs and external-entity "
                       "attacks do; feeds never need them")
    try:
        dET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadInput(f"refused: unsafe XML ({type(exc).__name__}: {exc})") from None
    except dET.ParseError:
        pass  # malformed but harmless: feedparser's lenient parser may still read it


class _TextOnly(HTMLParser):
    _BLOCK = frozenset("p div br li tr h1 h2 h3 h4 h5 h6 blockquote section article ul ol table".split())
    _SKIP = frozenset(("script", "style", "noscript", "template"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed summaries and content): tags dropped, blocks
    on their own lines, entities decoded."""
    if "<" not in fragment:
        return unescape(fragment).strip()
    p = _TextOnly()
    p.feed(fragment)
    p.close()
    lines = (" ".join(ln.split()) for ln in "".join(p.parts).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _entry_text(entry: Any) -> str:
    best = ""
    for c in entry.get("content") or []:
        value = c.get("value") or ""
        if len(value) > len(best):
            best = value
    if not best:
        best = entry.get("summary") or entry.get("description") or ""
    return clean_text(html_to_text(best))


def _entry_date(entry: Any) -> str | None:
    # The written date keeps the publisher's day; *_parsed is shifted to UTC.
    for key in ("published", "updated", "created", "dc_date"):
        d = iso_date(entry.get(key))
        if d:
            return d
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        d = iso_date(entry.get(key))
        if d:
            return d
    return None


def parse_feed(data: bytes, *, path: str = "<feed>") -> Iterator[NewsItem | ReadError]:
    """Items of a feed given as bytes (entries without text are reported)."""
    import feedparser

    if looks_binary(data):
        yield ReadError(path, "binary file (NUL or control bytes), not a feed")
        return
    try:
        check_xml_safety(data)
    except BadInput as exc:
        yield ReadError(path, str(exc))
        return
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    version = parsed.get("version") or ""
    if not parsed.entries:
        if parsed.get("bozo"):
            yield ReadError(path, f"broken feed: {parsed.get('bozo_exception')}")
        elif not version:
            yield ReadError(path, "not an RSS or Atom feed")
        else:
            yield ReadError(path, "empty feed (no entries)")
        return
    fmt = "atom" if version.startswith("atom") else "rss" if version.startswith("rss") else "feed"
    feed = parsed.get("feed", {})
    source = nfc(feed.get("title"))
    feed_lang = feed.get("language") or None
    for i, entry in enumerate(parsed.entries, 1):
        link = (entry.get("link") or "").strip() or None
        where = f"entry {i}" + (f" ({link})" if link else "")
        title = nfc(html_to_text(entry.get("title") or "")) if entry.get("title") else None
        text = _entry_text(entry)
        if not text.strip():
            broken = f"; the feed is malformed: {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
            yield ReadError(path, f"empty item (no content or summary{broken})", where)
            continue
        lang = guess_lang(text, entry.get("language") or (entry.get("title_detail") or {}).get("language")
                          or feed_lang)
        yield NewsItem(id=item_id(link, text, title), url=link, title=title, published=_entry_date(entry),
                       source=source, lang=lang, text=text, path=path, fmt=fmt,
                       name=(entry.get("id") or None))


def read_feed(path: str | Path) -> Iterator[NewsItem | ReadError]:
    """One item per entry of an RSS or Atom file."""
    p = Path(path)
    try:
        data = read_limited(p)
    except BadInput as exc:
        yield ReadError(str(p), str(exc))
        return
    except OSError as exc:
        yield ReadError(str(p), f"cannot read: {exc.strerror or exc}")
        return
    if not data.strip():
        yield ReadError(str(p), "empty file")
        return
    try:
        yield from parse_feed(data, path=str(p))
    except Exception as exc:  # feedparser is lenient, but never let one file stop a batch
        yield ReadError(str(p), f"cannot parse the feed: {type(exc).__name__}: {exc}")
