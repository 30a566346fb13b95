"""Stable item ids: the same news item read twice, or in two formats, gets one id.

* With a URL: the URL is normalized (scheme and host lower-cased, ``http`` and
  ``https`` one, a leading ``www.`` dropped, default ports, fragments and
  tracking parameters such as ``utm_*``, ``fbclid``, ``gclid`` dropped, the
  other query parameters sorted, percent-encoding made uniform, a trailing
  ``/`` dropped) and the id is a readable slug of its host and path plus a
  short hash of the normalized URL:
  ``jordantimes.com-news-local-iom-psd-train-3f9a0c12ab7e``.
* Without one: a hash of the normalized text (Unicode NFKC, Arabic diacritics
  and tatweel dropped, invisible marks dropped, case folded, whitespace
  collapsed; the title counted once whether or not the text repeats it), with
  a slug of its first words: ``iom-psd-train-investigators-on-1a2b3c4d5e6f``.

Ids use only ``a-z 0-9 . -`` (Arabic is transliterated for the slug), so they
are safe as file names and in IRIs. Nothing here depends on the run.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["normalize_url", "url_id", "content_key", "content_id", "item_id", "HASH_LENGTH"]

HASH_LENGTH = 12
"""Hex digits of the hash in an id (48 bits: collisions are negligible at millions of items)."""
_SLUG_MAX = 60

_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gclsrc|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|_hsenc|_hsmi|"
    r"mkt_tok|oly_anon_id|oly_enc_id|vero_id|wt_mc|at_medium|at_campaign|ns_source|ns_mchannel|"
    r"ns_campaign|cmpid|ocid|spm|share|ref_src|ref_url|s_cid|amp)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str | None) -> str | None:
    """The URL in the form ids are made from (None for an empty one).

    Only differences that never change which page is meant are removed; path
    case is kept (servers may tell ``/News`` and ``/news`` apart).
    """
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", ""):
        return url  # urn:, tag:, ... are kept as given
    if not parts.netloc:
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~") or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    query.sort()
    # http and https are one page for the id (news sites moved to https over the years).
    return urlunsplit(("https", netloc, path, urlencode(query, quote_via=quote), ""))


# A plain transliteration, only for readable slugs (the hash is what identifies).
_TRANSLIT = dict(zip(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإئؤةى",
    ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "a", "gh",
     "f", "q", "k", "l", "m", "n", "h", "w", "y", "", "a", "a", "i", "y", "w", "a", "a"]))


def _slug(text: str, limit: int = _SLUG_MAX, dots: bool = False) -> str:
    text = unicodedata.normalize("NFKD", text)
    out = []
    for ch in text.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ch.isascii() and (ch.isalnum() or (dots and ch == ".")):
            out.append(ch)
        elif unicodedata.combining(ch) or ch == "\u0640":
            continue
        else:
            out.append("-")
    slug = re.sub(r"\.{2,}", ".", re.sub(r"[-.]*-[-.]*", "-", "".join(out))).strip("-.")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2:] else cut
    return slug.strip("-.")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def url_id(url: str) -> str:
    """The id of the item at ``url`` (see the module docstring)."""
    norm = normalize_url(url) or url
    parts = urlsplit(norm)
    readable = f"{parts.hostname or ''}{unquote(parts.path)}" if parts.netloc else norm
    slug = _slug(readable, dots=True)
    return f"{slug}-{_hash('url:' + norm)}" if slug else _hash("url:" + norm)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u061c\u2066\u2067\u2068\u2069"
                                    "\u202a\u202b\u202c\u202d\u202e\ufeff\u00ad\u0640"))
_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed]")


def _norm_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = _DIACRITICS.sub("", text)
    return " ".join(text.casefold().split())


def content_key(text: str, title: str | None = None) -> str:
    """The normalized text an id is hashed from: title and text, the title once."""
    body = _norm_text(text)
    head = _norm_text(title) if title else ""
    if head and not body.startswith(head):
        body = f"{head} {body}" if body else head
    return body


def content_id(text: str, title: str | None = None) -> str:
    """The id of an item known only by its text (and title)."""
    key = content_key(text, title)
    slug = _slug(" ".join(key.split()[:8]), 48)
    h = _hash("text:" + key)
    return f"{slug}-{h}" if slug else h


def item_id(url: str | None, text: str, title: str | None = None) -> str:
    """From the URL when there is one, else from the content."""
    return url_id(url) if url and url.strip() else content_id(text, title)
