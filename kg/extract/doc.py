"""The working state of one extraction: tokens, sentences, the entities found so
far and which tokens they occupy.

Every step of the pipeline (organizations, persons, events, relations) reads
and extends one :class:`Doc`; entities are :class:`Ent` objects that collect
their mentions as token spans, turned into character offsets only when the
record is written, so every mention is exactly ``text[start:end]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from kg.extract.tokens import ARABIC, LATIN, PUNCT, Tok
from kg.normalize import fold_char

_CLITIC_LETTERS = frozenset("وفبكل")


@dataclass(eq=False)
class Ent:
    """An entity under construction."""

    type: str
    name: str
    kind: str | None = None
    country: str | None = None
    registry: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)  # token spans of its mentions
    heads: set[str] = field(default_factory=set)                # head classes for nominal reference
    parent: "Ent | None" = None
    id: str = ""
    # persons
    surname: tuple[str, ...] = ()
    posts: list[tuple["Ent | None", str]] = field(default_factory=list)
    # events
    date: str | None = None
    place: "Ent | None" = None
    main: bool = False
    # free-form notes the steps leave for each other
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def first(self) -> int:
        return min(s for s, _ in self.spans) if self.spans else 1 << 30

    def add_span(self, s: int, e: int) -> None:
        if (s, e) not in self.spans:
            self.spans.append((s, e))

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Ent({self.type}, {self.kind}, {self.name!r}, reg={self.registry}, spans={self.spans})"


@dataclass
class Rel:
    type: str
    subject: Ent
    object: Ent
    role: str | None = None
    evidence: tuple[int, int] | None = None  # token span


class Doc:
    """Tokens, sentences and entities of one item."""

    def __init__(self, text: str, toks: list[Tok], sents: list[tuple[int, int]], lang: str,
                 active: list[bool], country: str | None, meta: Any, registry: Any):
        self.text = text
        self.toks = toks
        self.sents = sents
        self.lang = lang
        self.active = active
        self.country = country          # the item's country (dateline, most named)
        self.meta = meta
        self.registry = registry
        self.ents: list[Ent] = []
        self.rels: list[Rel] = []
        self.quotes: list[tuple[Ent, int, int]] = []
        self.occ: dict[int, tuple[Ent, int, int]] = {}   # token -> (entity, span start, span end)
        self.info: dict[str, Any] = {}

    def starts(self, *sets) -> list[int]:
        """Tokens where a phrase of any of the given lexicon sets starts, in order."""
        idx = self.info.get("starts")
        if idx is None:
            from kg.extract.lexicon import PhraseSet
            idx = self.info["starts"] = PhraseSet.starts_index(self.toks)
        if len(sets) == 1:
            return sets[0].starts(idx)
        out: set[int] = set()
        for ps in sets:
            out.update(ps.starts(idx))
        return sorted(out)

    # -- spans ------------------------------------------------------------------
    def span_text(self, s: int, e: int) -> str:
        return self.text[self.toks[s].start:self.toks[e - 1].end]

    def char_span(self, s: int, e: int) -> tuple[int, int]:
        return self.toks[s].start, self.toks[e - 1].end

    def sent_range(self, i: int) -> tuple[int, int]:
        return self.sents[self.toks[i].sent]

    def display_start(self, i: int, base: str | None = None) -> int:
        """Where a mention starting at token ``i`` begins in the original text.

        A leading conjunction or preposition glued to an Arabic word is not part
        of the name ("والمنظمة" -> "المنظمة", "ووزارة" -> "وزارة"), but the
        article is, and a contracted "لل" stays ("للأمم المتحدة": no bare form).
        ``base`` is the lexicon base the word matched, when known.
        """
        t = self.toks[i]
        if t.script != ARABIC:
            return t.start
        w = t.norm
        k = 0
        if base:
            for j in range(0, len(w) - 1):
                if j and w[j - 1] not in _CLITIC_LETTERS:
                    break
                rest = w[j:]
                if rest == base or rest == "ال" + base or rest == "لل" + base:
                    k = j
                    break
        else:
            for j in range(1, 3):
                if len(w) - j >= 5 and w[0] in "وف" and all(c in "بكل" for c in w[1:j]) and w[j:].startswith("ال"):
                    k = j
                    break
        if not k:
            return t.start
        # folded index k -> original offset (diacritics are dropped by folding)
        raw = t.raw
        seen = 0
        for pos, ch in enumerate(raw):
            if seen == k:
                return t.start + pos
            seen += len(fold_char(ch))
        return t.start

    # -- occupancy ----------------------------------------------------------------
    def occupy(self, ent: Ent, s: int, e: int, force: bool = False) -> bool:
        """Record that tokens s..e name ``ent``; refuse when taken (unless forced)."""
        if not force and any(i in self.occ for i in range(s, e)):
            return False
        for i in range(s, e):
            self.occ[i] = (ent, s, e)
        ent.add_span(s, e)
        return True

    def free(self, s: int, e: int) -> bool:
        return not any(i in self.occ for i in range(s, e))

    def ent_at(self, i: int) -> Ent | None:
        o = self.occ.get(i)
        return o[0] if o else None

    def add(self, ent: Ent) -> Ent:
        self.ents.append(ent)
        return ent

    def relate(self, rtype: str, subject: Ent | None, obj: Ent | None, role: str | None = None,
               evidence: tuple[int, int] | None = None) -> None:
        if subject is None or obj is None or subject is obj:
            return
        for r in self.rels:
            if r.type == rtype and r.subject is subject and r.object is obj:
                if role and not r.role:
                    r.role = role
                return
            if rtype == "partners_with" and r.type == rtype and r.subject is obj and r.object is subject:
                return
        self.rels.append(Rel(rtype, subject, obj, role, evidence))

    def of_type(self, type_: str) -> Iterator[Ent]:
        return (e for e in self.ents if e.type == type_)

    def is_punct(self, i: int, chars: str = "") -> bool:
        t = self.toks[i]
        return t.script == PUNCT and (not chars or t.norm in chars)

    def latin(self, i: int) -> bool:
        return self.toks[i].script == LATIN
