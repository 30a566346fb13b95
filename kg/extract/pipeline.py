"""The extraction pipeline: one news item's text in, its annotation record out.

Steps, each a module of :mod:`kg.extract` working on one shared
:class:`~kg.extract.doc.Doc`:

1. item metadata (:mod:`kg.extract.metadata`): language, title, dateline,
   date, the body without agency boilerplate;
2. tokens over folded text with exact offsets (:mod:`kg.extract.tokens`);
3. organizations: registry names (:mod:`kg.extract.gazetteer`), composed
   names, units and parents (:mod:`kg.extract.orgs`), then nominal
   references to them ("الوزارة", "the Organization");
4. persons with their posts, surname-only mentions and quotes
   (:mod:`kg.extract.persons`), then nominal references to them ("الوزيرة");
5. projects and events (:mod:`kg.extract.events`);
6. relations from cue phrases, groups and governments as relation ends,
   places of events (:mod:`kg.extract.relations`);
7. the record: ids, exact mention spans, evidence (:mod:`kg.extract.build`).

Deterministic: the same text gives the same record; nothing depends on the
run, the clock or hash order.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from kg.extract.build import build_record
from kg.extract.doc import Doc
from kg.extract.events import find_events
from kg.extract.gazetteer import ADJ, find_all
from kg.extract.lexicon import load_lexicons
from kg.extract.metadata import read_item
from kg.extract.orgs import find_orgs
from kg.extract.persons import find_persons
from kg.extract.registry_index import registry_index
from kg.extract.relations import find_relations, resolve_nominals
from kg.extract.tokens import split_sentences, tokenize
from kg.extract.topics import find_topics
from kg.record import Item, Record


def _read_meta(text: str) -> Any:
    return read_item(text)


def _topics(text: str, lang: str) -> list[str]:
    return list(find_topics(text, lang))


def _default_registry():
    from kg.registry import default_registry
    return default_registry()


def _item_country(doc_toks, active, place_hits, adj_hits, rx, dateline_code: str | None,
                  title_end: int) -> str | None:
    """The country an item is about: its dateline's, else the one it names most
    (names in the title and first lines count double)."""
    if dateline_code:
        return dateline_code
    counts: Counter[str] = Counter()
    first_sent_end = 0
    for t in doc_toks:
        if t.sent > 1:
            first_sent_end = t.i
            break
    for h in place_hits:
        code = rx.country_of_place(h.key)
        if code and active[h.s]:
            counts[code] += 2 if h.s < max(title_end, first_sent_end) else 1
    for h in adj_hits:
        if active[h.s]:
            counts[h.key] += 2 if h.s < max(title_end, first_sent_end) else 1
    if not counts:
        return None
    best = max(counts.values())
    # ties: the first named
    for h in sorted(list(place_hits) + list(adj_hits), key=lambda h: h.s):
        code = h.key if h.cat == ADJ else rx.country_of_place(h.key)
        if code and counts.get(code) == best:
            return code
    return None


def _drop_header_media(doc: Doc, m: Any) -> None:
    """An outlet named in the header lines (a byline, "Ahram Online , Tuesday ...")
    signs the item; it is not an actor of it (ANNOTATION.md)."""
    body_start = getattr(m, "body_start", 0) or 0
    title_span = getattr(m, "title_span", None)
    for ent in list(doc.ents):
        if ent.type != "Organization" or ent.kind != "Media":
            continue
        keep = []
        for s, e in ent.spans:
            start = doc.toks[s].start
            in_title = title_span is not None and title_span[0] <= start < title_span[1]
            if start < body_start and not in_title:
                for k in range(s, e):
                    if doc.occ.get(k, (None,))[0] is ent:
                        del doc.occ[k]
            else:
                keep.append((s, e))
        ent.spans[:] = keep
        if not keep:
            doc.ents.remove(ent)


def extract(text: str, *, item_id: str | None = None, meta: dict | None = None, registry=None) -> Record:
    """The annotation record of one news item (ANNOTATION.md), every mention with
    its offsets into ``text``; ``meta`` overrides item fields (url, source...)."""
    if registry is None:
        registry = _default_registry()
    rx = registry_index(registry)
    lx = load_lexicons()
    m = _read_meta(text)
    toks = tokenize(text)
    sents = split_sentences(toks)

    skip: list[tuple[int, int]] = []
    for span in (getattr(m, "dateline", None), getattr(m, "source_span", None)):
        if span:
            skip.append(span)
    body_end = getattr(m, "body_end", len(text))
    active = []
    for t in toks:
        ok = t.start < body_end
        for a, b in skip:
            if t.start < b and t.end > a:
                ok = False
        active.append(ok)

    dateline_code = None
    dp = getattr(m, "dateline_place", None)
    org_hits, place_hits_all, adj_hits_all = find_all(rx.gaz, toks, {i for i, a in enumerate(active) if not a})
    if dp:
        for h in place_hits_all:
            if toks[h.s].start >= dp[0] and toks[h.e - 1].end <= dp[1]:
                dateline_code = rx.country_of_place(h.key)
                break
    title_span = getattr(m, "title_span", None)
    title_end = 0
    if title_span:
        for t in toks:
            if t.start >= title_span[1]:
                title_end = t.i
                break
    country = _item_country(toks, active, place_hits_all, adj_hits_all, rx, dateline_code, title_end)

    doc = Doc(text, toks, sents, getattr(m, "lang", None) or "en", active, country, m, registry)
    doc.info["title_end"] = title_end
    doc.info["dateline_place"] = dp
    doc.info["hits"] = (org_hits, place_hits_all, adj_hits_all)
    find_orgs(doc, rx, lx)
    _drop_header_media(doc, m)
    resolve_nominals(doc, rx, lx, persons=False)
    find_persons(doc, rx, lx)
    resolve_nominals(doc, rx, lx, persons=True)
    find_events(doc, rx, lx)
    find_relations(doc, rx, lx)

    item = Item(id=item_id or "item", lang=doc.lang, title=getattr(m, "title", None),
                published=getattr(m, "published", None), source=getattr(m, "source", None))
    for k, v in (meta or {}).items():
        if hasattr(item, k) and v is not None:
            setattr(item, k, v)
    record = build_record(doc, item)
    record.topics = _topics(text, doc.lang)
    return record


def extract_file(path: str | Path) -> Record:
    """The record of the news item in ``path`` (``NAME.txt``; the item id is NAME)."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    return extract(text, item_id=p.stem)
