"""Saved web pages: the article's main text and metadata, without navigation,
scripts, ads or footers.

trafilatura does the extraction, always from the HTML string: it is never
given a URL, so nothing is fetched (the page's canonical URL, title, date and
site name come from its own markup). When trafilatura cannot be imported (it
needs ``lxml_html_clean`` with lxml >= 5.2), a plain lxml fallback keeps the
``<article>``/``<main>`` paragraphs.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Iterator

from kg.readers.base import BadInput, NewsItem, ReadError, clean_text, decode_bytes, guess_lang, iso_date, nfc, \
    read_document
from kg.readers.ids import item_id

__all__ = ["read_html", "parse_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""",
                        re.IGNORECASE)

try:  # trafilatura pulls in justext -> lxml.html.clean: broken installs happen
    import trafilatura as _trafilatura
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
except ImportError:  # pragma: no cover - exercised only on a broken install
    _trafilatura = None


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    # Browsers read latin-1 labels as windows-1252; Arabic pages say windows-1256.
    return {"iso-8859-1": "cp1252", "latin1": "cp1252", "windows-1256": "cp1256"}.get(name, name)


def _with_trafilatura(html: str) -> dict[str, Any]:
    doc = _trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                       include_images=False, include_links=False, deduplicate=False)
    if doc is None:
        return {}
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    return {k: get(k) for k in ("text", "title", "date", "url", "sitename", "language")}


_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
              "template", "button", "menu")


def _with_lxml(html: str) -> dict[str, Any]:
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for el in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        el.drop_tree()
    title = (root.findtext(".//title") or "").strip() or None
    h1 = root.xpath("string(//h1)").strip()
    main = (root.xpath("//article") or root.xpath("//main") or root.xpath("//body") or [root])[0]
    paras = [" ".join(p.text_content().split()) for p in main.xpath(".//p|.//h1|.//h2|.//h3|.//li|.//blockquote")]
    text = "\n".join(p for p in paras if p)
    url = (root.xpath("string(//link[@rel='canonical']/@href)") or
           root.xpath("string(//meta[@property='og:url']/@content)") or None)
    date = (root.xpath("string(//meta[@property='article:published_time']/@content)") or
            root.xpath("string(//time/@datetime)") or None)
    site = root.xpath("string(//meta[@property='og:site_name']/@content)") or None
    return {"text": text, "title": h1 or title, "date": date, "url": url, "sitename": site, "language": None}


def parse_html(html: str, *, path: str | None = None, name: str | None = None) -> NewsItem:
    """A NewsItem from an HTML string (never fetches); BadInput when no main text is found."""
    meta = _with_trafilatura(html) if _trafilatura is not None else _with_lxml(html)
    text = clean_text(meta.get("text") or "").strip()
    if not text:
        raise BadInput("no main text found in the page")
    url = (meta.get("url") or "").strip() or None
    if url and not url.lower().startswith(("http://", "https://")):
        url = None  # a relative canonical link says nothing without the page's own address
    title = nfc(meta.get("title"))
    m = _HTML_LANG.search(html[:4096])
    lang = guess_lang(text, m.group(1) if m else meta.get("language"))
    return NewsItem(id=item_id(url, text, title), url=url, title=title, published=iso_date(meta.get("date")),
                    source=nfc(meta.get("sitename")), lang=lang, text=text, path=path, fmt="html", name=name)


def read_html(path: str | Path) -> Iterator[NewsItem | ReadError]:
    """One item per page."""
    p = Path(path)
    try:
        data = read_document(p, "HTML")
        html, _ = decode_bytes(data, _declared_charset(data))
        yield parse_html(html, path=str(p), name=p.stem)
    except BadInput as exc:
        yield ReadError(str(p), str(exc))
    except OSError as exc:
        yield ReadError(str(p), f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # lxml/trafilatura on pathological markup
        yield ReadError(str(p), f"cannot parse the HTML: {type(exc).__name__}: {exc}")
