"""JSON Lines exports: one item per line, fields ``id, url, title, published,
source, lang, text``.

Only ``text`` is required. The file is read line by line (it may be larger
than :data:`kg.readers.MAX_BYTES`; a single line may not), and a bad line
(not JSON, not an object, no text, a field of the wrong type, too long) is
reported with its line number while the rest go on. The ``id`` field is kept
as the item's ``name``; the item id itself follows :mod:`kg.readers.ids`, so
the same story from a feed and from an export is one item.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from kg.readers.base import MAX_BYTES, BadInput, NewsItem, ReadError, clean_text, guess_lang, iso_date, \
    looks_binary, nfc
from kg.readers.ids import item_id

__all__ = ["read_jsonl", "parse_record"]

FIELDS = ("id", "url", "title", "published", "source", "lang", "text")


def _str_field(obj: dict, key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if key == "id":
            return str(value)
        if key == "published":  # a Unix timestamp, as some exports write dates
            try:
                return datetime.fromtimestamp(value, tz=timezone.utc).date().isoformat()
            except (OverflowError, OSError, ValueError):
                return None
    if not isinstance(value, str):
        raise BadInput(f"field {key!r} must be a string, not {type(value).__name__}")
    return value


def parse_record(obj: Any, *, path: str | None = None) -> NewsItem:
    """A NewsItem from one decoded JSON object; BadInput names the problem."""
    if not isinstance(obj, dict):
        raise BadInput(f"not a JSON object but {type(obj).__name__}")
    values = {k: _str_field(obj, k) for k in FIELDS}
    text = clean_text(values["text"] or "")
    if not text.strip():
        raise BadInput("empty item (no 'text')")
    url = (values["url"] or "").strip() or None
    title = nfc(values["title"])
    published = iso_date(values["published"])  # an unreadable date is left out, not fatal
    return NewsItem(id=item_id(url, text, title), url=url, title=title, published=published,
                    source=nfc(values["source"]), lang=guess_lang(text, values["lang"]), text=text,
                    path=path, fmt="jsonl", name=nfc(values["id"]))


def read_jsonl(path: str | Path) -> Iterator[NewsItem | ReadError]:
    """One item per non-blank line."""
    p = Path(path)
    try:
        fh = open(p, "rb")
    except OSError as exc:
        yield ReadError(str(p), f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        head = fh.read(65536)
        if looks_binary(head):
            yield ReadError(str(p), "binary file (NUL or control bytes), not JSON Lines")
            return
        fh.seek(0)
        n = 0
        while True:
            try:
                line = fh.readline(MAX_BYTES + 1)
            except OSError as exc:
                yield ReadError(str(p), f"cannot read: {exc.strerror or exc}", f"line {n + 1}")
                return
            if not line:
                break
            n += 1
            if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the long line
                    line = fh.readline(1 << 20)
                yield ReadError(str(p), f"line too long (over {MAX_BYTES:,} bytes)", f"line {n}")
                continue
            if not line.strip():
                continue
            try:
                try:
                    decoded = line.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise BadInput(f"bad encoding: not UTF-8 (byte {exc.start} of the line); "
                                   "JSON Lines must be UTF-8") from None
                try:
                    obj = json.loads(decoded)
                except json.JSONDecodeError as exc:
                    raise BadInput(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
                except RecursionError:
                    raise BadInput("not valid JSON (nested too deeply)") from None
                yield parse_record(obj, path=str(p))
            except BadInput as exc:
                yield ReadError(str(p), str(exc), f"line {n}")
        if n == 0:
            yield ReadError(str(p), "empty file")
