"""The annotation record of ANNOTATION.md: what one news item says.

The record is the pivot of the flow: extraction writes it, curators correct
it, evaluation compares it, mapping turns it into RDF. This module reads and
writes its JSON and rejects malformed records with a message that names the
file and the problem.

Two optional fields extend the format without breaking it: an entity may
carry ``registry`` (the registry key the extractor resolved it to), and a
relation may carry ``evidence`` (the span of text that states it).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from kg.errors import RecordError
from kg.schema import load_schema

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Mention:
    """A surface form; with offsets when it was located in the text."""

    text: str
    start: int | None = None
    end: int | None = None

    def to_json(self) -> str | dict[str, Any]:
        if self.start is None:
            return self.text
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Item:
    id: str
    url: str | None = None
    source: str | None = None
    published: str | None = None
    lang: str | None = None
    title: str | None = None


@dataclass
class Entity:
    id: str
    type: str
    name: str
    kind: str | None = None
    country: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    registry: str | None = None


@dataclass
class Relation:
    type: str
    subject: str
    object: str
    role: str | None = None
    evidence: Mention | None = None


@dataclass
class Quote:
    speaker: str
    text: str
    start: int | None = None
    end: int | None = None


@dataclass
class Record:
    item: Item
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    # -- access -------------------------------------------------------------
    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    # -- JSON ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        item = {k: getattr(self.item, k) for k in ("id", "url", "source", "published", "lang", "title")}
        entities = []
        for e in self.entities:
            d: dict[str, Any] = {"id": e.id, "type": e.type}
            if e.kind:
                d["kind"] = e.kind
            d["name"] = e.name
            if e.type in ("Organization", "Event", "Place") or e.country:
                d["country"] = e.country
            d["mentions"] = [m.to_json() for m in e.mentions]
            if e.registry:
                d["registry"] = e.registry
            entities.append(d)
        relations = []
        for r in self.relations:
            d = {"type": r.type, "subject": r.subject, "object": r.object}
            if r.role is not None:
                d["role"] = r.role
            if r.evidence is not None:
                ev = r.evidence.to_json()
                d["evidence"] = ev if isinstance(ev, dict) else {"text": ev}
            relations.append(d)
        quotes = []
        for q in self.quotes:
            d = {"speaker": q.speaker, "text": q.text}
            if q.start is not None:
                d.update(start=q.start, end=q.end)
            quotes.append(d)
        return {"item": item, "entities": entities, "relations": relations,
                "quotes": quotes, "topics": list(self.topics)}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Any, path: object | None = None) -> "Record":
        """Parse and check a record; raise :class:`RecordError` naming the problem."""
        return _parse(data, path)

    @classmethod
    def from_json(cls, text: str, path: object | None = None) -> "Record":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RecordError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", path) from None
        return _parse(data, path)

    def check_against_text(self, text: str, path: object | None = None) -> None:
        """Every mention with offsets must be exactly the text at those offsets."""
        for e in self.entities:
            for m in e.mentions:
                _check_span(m.text, m.start, m.end, text, f"entity {e.id!r}", path)
        for r in self.relations:
            if r.evidence is not None:
                _check_span(r.evidence.text, r.evidence.start, r.evidence.end, text,
                            f"evidence of {r.type} {r.subject}->{r.object}", path)


def _check_span(mention: str, start: int | None, end: int | None, text: str, what: str, path: object) -> None:
    if start is None:
        if mention not in text:
            raise RecordError(f"{what}: mention {mention!r} does not occur in the item text", path)
    elif text[start:end] != mention:
        raise RecordError(f"{what}: mention {mention!r} is not the text at offsets {start}-{end}", path)


def load_record(path: str | Path) -> Record:
    """Read one record file (``NAME.gold.json``, ``NAME.json``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError("not UTF-8 text", p) from None
    except OSError as exc:
        raise RecordError(f"cannot read ({exc.strerror})", p) from None
    return Record.from_json(text, p)


def dump_record(record: Record, path: str | Path) -> None:
    Path(path).write_text(record.to_json() + "\n", encoding="utf-8")


# -- parsing ---------------------------------------------------------------

def _fail(path: object, message: str) -> RecordError:
    return RecordError(message, path)


def _str(value: Any, where: str, path: object, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not optional and not value.strip()):
        raise _fail(path, f"{where} must be a {'non-empty ' if not optional else ''}string, got {value!r}")
    return value


def _mention(value: Any, where: str, path: object) -> Mention:
    if isinstance(value, str):
        if not value:
            raise _fail(path, f"{where}: empty mention")
        return Mention(value)
    if isinstance(value, dict):
        text = value.get("text")
        start, end = value.get("start"), value.get("end")
        if not isinstance(text, str) or not text:
            raise _fail(path, f"{where}: mention object needs a non-empty 'text'")
        if start is None and end is None:
            return Mention(text)
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or not 0 <= start <= end:
            raise _fail(path, f"{where}: mention {text!r} has bad offsets start={start!r} end={end!r}")
        if end - start != len(text):
            raise _fail(path, f"{where}: mention {text!r} is {len(text)} characters but offsets span {end - start}")
        return Mention(text, start, end)
    raise _fail(path, f"{where}: a mention is a string or an object with text/start/end, got {value!r}")


def _parse(data: Any, path: object) -> Record:
    schema = load_schema()
    if not isinstance(data, dict):
        raise _fail(path, "a record is a JSON object with 'item', 'entities' and 'relations'")
    unknown = set(data) - {"item", "entities", "relations", "quotes", "topics"}
    if unknown:
        raise _fail(path, f"unknown top-level field(s): {', '.join(sorted(unknown))}")
    raw_item = data.get("item")
    if not isinstance(raw_item, dict):
        raise _fail(path, "missing 'item' object")
    item_id = _str(raw_item.get("id"), "item.id", path, optional=False)
    published = _str(raw_item.get("published"), "item.published", path)
    if published is not None and not _DATE.match(published):
        raise _fail(path, f"item.published must be an ISO date YYYY-MM-DD or null, got {published!r}")
    lang = _str(raw_item.get("lang"), "item.lang", path)
    if lang is not None and not _LANG.match(lang):
        raise _fail(path, f"item.lang must be an ISO 639-1 code such as 'ar' or 'en', got {lang!r}")
    item = Item(
        id=item_id,
        url=_str(raw_item.get("url"), "item.url", path),
        source=_str(raw_item.get("source"), "item.source", path),
        published=published,
        lang=lang,
        title=_str(raw_item.get("title"), "item.title", path),
    )

    raw_entities = data.get("entities", [])
    if not isinstance(raw_entities, list):
        raise _fail(path, "'entities' must be a list")
    entities: list[Entity] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_entities):
        where = f"entities[{i}]"
        if not isinstance(raw, dict):
            raise _fail(path, f"{where} must be an object")
        eid = _str(raw.get("id"), f"{where}.id", path, optional=False)
        where = f"entity {eid!r}"
        if eid in seen:
            raise _fail(path, f"{where}: duplicate entity id")
        seen.add(eid)
        etype = raw.get("type")
        if etype not in schema.entity_types:
            raise _fail(path, f"{where}: unknown type {etype!r} (expected one of {', '.join(schema.entity_types)})")
        kind = _str(raw.get("kind"), f"{where}.kind", path)
        if kind is not None and kind not in schema.entity_types[etype].kinds:
            allowed = ", ".join(schema.entity_types[etype].kinds) or "none"
            raise _fail(path, f"{where}: unknown kind {kind!r} for {etype} (expected one of {allowed})")
        country = _str(raw.get("country"), f"{where}.country", path)
        if country is not None and not _COUNTRY.match(country):
            raise _fail(path, f"{where}: country must be an ISO 3166-1 alpha-2 code, got {country!r}")
        mentions = raw.get("mentions", [])
        if not isinstance(mentions, list):
            raise _fail(path, f"{where}: 'mentions' must be a list")
        entities.append(Entity(
            id=eid,
            type=etype,
            kind=kind,
            name=_str(raw.get("name"), f"{where}.name", path, optional=False),
            country=country,
            mentions=[_mention(m, where, path) for m in mentions],
            registry=_str(raw.get("registry"), f"{where}.registry", path),
        ))
    types = {e.id: e.type for e in entities}

    raw_relations = data.get("relations", [])
    if not isinstance(raw_relations, list):
        raise _fail(path, "'relations' must be a list")
    relations: list[Relation] = []
    for i, raw in enumerate(raw_relations):
        if not isinstance(raw, dict):
            raise _fail(path, f"relations[{i}] must be an object")
        rtype = raw.get("type")
        where = f"relations[{i}] ({rtype})"
        if rtype not in schema.relations:
            raise _fail(path, f"relations[{i}]: unknown relation type {rtype!r} (expected one of {', '.join(schema.relations)})")
        spec = schema.relations[rtype]
        subject, obj = raw.get("subject"), raw.get("object")
        for end_name, end, allowed in (("subject", subject, spec.subject_types), ("object", obj, spec.object_types)):
            if end not in types:
                raise _fail(path, f"{where}: {end_name} {end!r} is not an entity id of this record")
            if types[end] not in allowed:
                raise _fail(path, f"{where}: {end_name} {end!r} is a {types[end]}, but {rtype} takes {' or '.join(allowed)}")
        evidence = raw.get("evidence")
        relations.append(Relation(
            type=rtype,
            subject=subject,
            object=obj,
            role=_str(raw.get("role"), f"{where}.role", path),
            evidence=_mention(evidence, f"{where}.evidence", path) if evidence is not None else None,
        ))

    raw_quotes = data.get("quotes", [])
    if not isinstance(raw_quotes, list):
        raise _fail(path, "'quotes' must be a list")
    quotes: list[Quote] = []
    for i, raw in enumerate(raw_quotes):
        if not isinstance(raw, dict):
            raise _fail(path, f"quotes[{i}] must be an object")
        speaker = raw.get("speaker")
        if speaker not in types:
            raise _fail(path, f"quotes[{i}]: speaker {speaker!r} is not an entity id of this record")
        quotes.append(Quote(speaker=speaker, text=_str(raw.get("text"), f"quotes[{i}].text", path, optional=False),
                            start=raw.get("start"), end=raw.get("end")))

    topics = data.get("topics", [])
    if not isinstance(topics, list) or not all(isinstance(t, str) and t for t in topics):
        raise _fail(path, "'topics' must be a list of topic keys")
    return Record(item=item, entities=entities, relations=relations, quotes=quotes, topics=list(topics))


def iter_record_files(paths: Iterable[str | Path]) -> list[Path]:
    """Record files under the given files or folders, sorted (``*.json``)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*.json") if q.is_file()))
        else:
            found.append(p)
    return found
