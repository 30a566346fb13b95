"""Readers of news files: plain text, HTML pages, RSS/Atom feeds, JSON Lines.

``read_path(path)`` yields a :class:`NewsItem` for every item it can read and a
:class:`ReadError` (file, where, reason) for everything it cannot, and never
raises on bad input, so a batch of thousands of files goes on past a broken
feed, a file in an unknown encoding, a binary file, an empty item, a file
over :data:`MAX_BYTES` or an XML entity bomb.

Formats by extension (a folder is walked recursively in sorted order, hidden
files and files of other extensions skipped, e.g. ``NAME.gold.json`` records):

==================================  ==============================
``.txt .text``                      plain text: title line + body
``.html .htm .xhtml``               web page (trafilatura)
``.rss .atom .xml .feed``           RSS or Atom feed (feedparser)
``.jsonl .ndjson .jsonlines``       JSON Lines
==================================  ==============================

A file named explicitly with another extension is sniffed from its first bytes.
Item ids are stable across formats: see :mod:`kg.readers.ids`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg.readers.base import MAX_BYTES, NewsItem, ReadError
from kg.readers.feeds import read_feed
from kg.readers.html import read_html
from kg.readers.ids import content_id, item_id, normalize_url, url_id
from kg.readers.jsonl import read_jsonl
from kg.readers.text import read_text

__all__ = ["NewsItem", "ReadError", "MAX_BYTES", "read_path", "read_paths", "iter_files", "reader_for",
           "EXTENSIONS", "item_id", "url_id", "content_id", "normalize_url"]

Reader = Callable[[Path], Iterator["NewsItem | ReadError"]]

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".feed": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
}
_READERS: dict[str, Reader] = {"text": read_text, "html": read_html, "feed": read_feed, "jsonl": read_jsonl}


def _sniff(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError:
        return "text"  # the text reader reports why it cannot be read
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if h.startswith((b"<!doctype html", b"<html")):
        return "html"
    if h.startswith(b"<?xml") or h.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if h.startswith(b"{"):
        return "jsonl"
    return "text"


def reader_for(path: str | Path, *, sniff: bool = True) -> Reader | None:
    """The reader for a file by its extension (``.gold.json`` records and unknown
    extensions: None, or a sniffed reader when ``sniff``)."""
    p = Path(path)
    kind = EXTENSIONS.get(p.suffix.lower())
    if kind is None:
        if not sniff or p.name.lower().endswith(".json"):
            return None
        kind = _sniff(p)
    return _READERS[kind]


def iter_files(path: str | Path) -> Iterator[Path]:
    """News files under a folder (recursively, sorted, hidden entries skipped), or the file itself."""
    p = Path(path)
    if not p.is_dir():
        yield p
        return
    for root, dirs, files in os.walk(p):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and Path(f).suffix.lower() in EXTENSIONS:
                yield Path(root) / f


def read_path(path: str | Path) -> Iterator[NewsItem | ReadError]:
    """Every item of a file or of the news files under a folder; problems as ReadError."""
    p = Path(path)
    if not p.exists():
        yield ReadError(str(p), "no such file or folder")
        return
    if p.is_dir():
        for f in iter_files(p):
            yield from _read_file(f)
        return
    yield from _read_file(p)


def _read_file(p: Path) -> Iterator[NewsItem | ReadError]:
    if not p.is_file():
        yield ReadError(str(p), "not a regular file")
        return
    reader = reader_for(p)
    if reader is None:
        yield ReadError(str(p), f"not a news file (unknown format {p.suffix or '(no extension)'}; "
                                f"use {', '.join(sorted(EXTENSIONS))})")
        return
    try:
        yield from reader(p)
    except Exception as exc:  # a reader bug must not stop a batch either
        yield ReadError(str(p), f"unexpected error while reading: {type(exc).__name__}: {exc}")


def read_paths(paths: Iterable[str | Path]) -> Iterator[NewsItem | ReadError]:
    """:func:`read_path` over several files and folders, in the order given."""
    for path in paths:
        yield from read_path(path)
