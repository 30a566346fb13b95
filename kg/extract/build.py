"""From the working :class:`~kg.extract.doc.Doc` to a :class:`~kg.record.Record`:
short unique ids, mentions as exact character spans, relations with evidence.
"""
from __future__ import annotations

import re

from kg.extract.doc import Doc, Ent
from kg.iri import slug
from kg.record import Entity, Item, Mention, Quote, Record, Relation

_ORDER = {"Organization": 0, "Person": 1, "Project": 2, "Event": 3, "Place": 4}
_ID_PREFIX = {"Project": "p", "Event": "ev"}
_ASCII = re.compile(r"[^a-z0-9-]+")


def _short_id(ent: Ent) -> str:
    if ent.registry:
        return ent.registry
    if ent.type in _ID_PREFIX:
        return _ID_PREFIX[ent.type]
    if ent.type == "Person" and ent.surname:
        s = "-".join(re.sub(r"[^\w]+", "", w) for w in ent.surname if re.sub(r"[^\w]+", "", w))
        return s[:32] or "person"
    else:
        base = ent.name
    s = slug(base).lower()
    a = _ASCII.sub("", s.replace("_", "-"))
    s = a if len(a) >= 2 else s
    s = "-".join(s.split("-")[:4])[:32].strip("-")
    return s or ent.type.lower()[:3]


def mention_spans(doc: Doc, ent: Ent) -> list[tuple[int, int]]:
    """Character spans of an entity's mentions, display-adjusted, sorted, unique."""
    out: set[tuple[int, int]] = set()
    display = ent.info.get("display", {})
    for s, e in ent.spans:
        start = doc.display_start(s, display.get((s, e)))
        end = doc.toks[e - 1].end
        if end > start:
            out.add((start, end))
    return sorted(out)


def build_record(doc: Doc, item: Item) -> Record:
    related = {id(r.subject) for r in doc.rels} | {id(r.object) for r in doc.rels}
    ents = [e for e in doc.ents if (e.spans or e.type == "Organization" and e.info.get("keep"))
            and (not e.info.get("conditional") or id(e) in related)]
    ents.sort(key=lambda e: (_ORDER.get(e.type, 9), e.first, e.name))
    used: set[str] = set()
    counters: dict[str, int] = {}
    for e in ents:
        base = _short_id(e)
        if e.type in _ID_PREFIX:
            counters[base] = counters.get(base, 0) + 1
            cand = f"{base}{counters[base]}"
        else:
            cand = base
        k = 2
        while cand in used:
            cand = f"{base}-{k}"
            k += 1
        used.add(cand)
        e.id = cand
    entities: list[Entity] = []
    text = doc.text
    for e in ents:
        mentions = [Mention(text[s:t], s, t) for s, t in mention_spans(doc, e)]
        entities.append(Entity(id=e.id, type=e.type, name=e.name or (mentions[0].text if mentions else e.id),
                               kind=e.kind, country=e.country if e.type != "Person" else None,
                               mentions=mentions, registry=e.registry))
    ids = {id(e) for e in ents}
    relations: list[Relation] = []
    seen: set[tuple] = set()
    for r in doc.rels:
        if id(r.subject) not in ids or id(r.object) not in ids:
            continue
        key = (r.type, r.subject.id, r.object.id)
        if key in seen:
            continue
        seen.add(key)
        ev = None
        if r.evidence is not None:
            s, t = r.evidence
            cs, ce = doc.toks[s].start, doc.toks[t - 1].end
            ev = Mention(text[cs:ce], cs, ce)
        relations.append(Relation(type=r.type, subject=r.subject.id, object=r.object.id, role=r.role, evidence=ev))
    quotes = []
    for speaker, s, t in doc.quotes:
        if id(speaker) in ids and t > s:
            quotes.append(Quote(speaker=speaker.id, text=text[s:t], start=s, end=t))
    return Record(item=item, entities=entities, relations=relations, quotes=quotes)
