"""The extraction lexicons (``data/lexicons/*.yaml``), loaded once as phrase matchers.

A :class:`PhraseSet` finds lexicon phrases in a token stream the way the
gazetteer finds registry names: Arabic words by base (article and clitics
folded), English words case-insensitively, the longest phrase first.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterable

import yaml

from kg.extract.tokens import ARABIC, Tok, form_base, tokenize
from kg.resources import data_path


class PhraseSet:
    """Phrases (token sequences) with a payload each, indexed by first base.

    All phrase sets share one combined index, so that a token is looked up
    once for every set: the first question about token ``i`` scans it, and
    every later question, about any set, is a dict look-up.
    """

    _version = 0
    _combined: dict[str, list[tuple[int, tuple[str, ...], Any]]] = {}
    _combined_version = -1
    _sets: "weakref.WeakValueDictionary[int, PhraseSet]" = weakref.WeakValueDictionary()
    _next_id = 0

    def __init__(self, strict_article: bool = False) -> None:
        """``strict_article``: an Arabic phrase written with the article matches only
        a word that has it ("الرائد" the rank, not "رائد" the name Raed)."""
        self._index: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._article: set[tuple[tuple[str, ...], int]] = set()
        self.strict_article = strict_article
        self.maxlen = 0
        PhraseSet._next_id += 1
        self.sid = PhraseSet._next_id
        PhraseSet._sets[self.sid] = self

    def add(self, phrase: str, payload: Any = True) -> None:
        toks = tokenize(phrase)
        if not toks:
            return
        bases = tuple(form_base(t.norm) if t.script == ARABIC else t.norm for t in toks)
        if self.strict_article and toks[0].script == ARABIC and toks[0].norm.startswith("ال") and len(toks[0].norm) >= 4:
            self._article.add((bases, id(payload)))
        entries = self._index.setdefault(bases[0], [])
        if (bases, payload) not in entries:
            entries.append((bases, payload))
            entries.sort(key=lambda e: -len(e[0]))
            PhraseSet._version += 1
        self.maxlen = max(self.maxlen, len(bases))

    def update(self, phrases: Iterable[str], payload: Any = True) -> None:
        for p in phrases or ():
            self.add(str(p), payload)

    @classmethod
    def _combined_index(cls) -> tuple[dict, dict]:
        """(one-word phrases by base, longer phrases by their first two bases)."""
        if cls._combined_version != cls._version:
            single: dict[str, list[tuple[int, tuple[str, ...], Any]]] = {}
            pairs: dict[tuple[str, str], list[tuple[int, tuple[str, ...], Any]]] = {}
            for sid in sorted(cls._sets.keys()):
                ps = cls._sets.get(sid)
                if ps is None:
                    continue
                for first, entries in ps._index.items():
                    for bases, payload in entries:
                        art = (bases, id(payload)) in ps._article
                        if len(bases) == 1:
                            single.setdefault(first, []).append((sid, bases, payload, art))
                        else:
                            pairs.setdefault(first, {}).setdefault(bases[1], []).append((sid, bases, payload, art))
            cls._combined = (single, pairs)  # type: ignore[assignment]
            cls._combined_version = cls._version
        return cls._combined  # type: ignore[return-value]

    @staticmethod
    def _scan(toks: list[Tok], i: int) -> dict:
        """Every phrase of every set that starts at token ``i``, by set id."""
        single, pairs = PhraseSet._combined_index()
        memo = toks[i].memo
        if "_v" in memo:  # scanned for an older version of the lexicons
            for k in [k for k in memo if type(k) is int]:
                del memo[k]
        memo["_v"] = PhraseSet._version
        n = len(toks)
        seen: set[tuple[int, int, int]] = set()
        bases0 = toks[i].bases
        cands: list = []
        for b in bases0:
            lst = single.get(b)
            if lst:
                cands.extend(lst)
        if i + 1 < n:
            nb = toks[i + 1].bases
            for b in bases0:
                d = pairs.get(b)
                if d is not None:
                    for b1 in nb:
                        lst = d.get(b1)
                        if lst:
                            cands.extend(lst)
        art0 = None
        for sid, bases, payload, art in cands:
            e = i + len(bases)
            if e > n:
                continue
            if art:
                if art0 is None:
                    w = toks[i].norm
                    art0 = any(w[q:q + 2] in ("ال", "لل") and all(c in "وفبكل" for c in w[:q]) for q in range(3))
                if not art0:
                    continue
            if len(bases) > 2:
                ok = True
                for j in range(2, len(bases)):
                    if bases[j] not in toks[i + j].bases:
                        ok = False
                        break
                if not ok:
                    continue
            key = (sid, e, id(payload))
            if key in seen:
                continue
            seen.add(key)
            memo.setdefault(sid, []).append((e, payload))
        for sid, lst in memo.items():
            if type(sid) is int and len(lst) > 1:
                lst.sort(key=lambda x: -x[0])
        return memo

    @staticmethod
    def starts_index(toks: list[Tok]) -> dict[int, list[int]]:
        """For every phrase set, the tokens where one of its phrases starts:
        one scan of the item, after which each step of the pipeline visits
        only the tokens that can concern it."""
        out: dict[int, list[int]] = {}
        v = PhraseSet._version
        for i, t in enumerate(toks):
            memo = t.memo if t.memo.get("_v") == v else PhraseSet._scan(toks, i)
            for sid in memo:
                if type(sid) is int:
                    out.setdefault(sid, []).append(i)
        return out

    def starts(self, index: dict[int, list[int]]) -> list[int]:
        return index.get(self.sid, [])

    def matches_at(self, toks: list[Tok], i: int, end: int | None = None) -> list[tuple[int, Any]]:
        """All (end, payload) of phrases starting at token ``i``, longest first."""
        if i >= len(toks) or i < 0:
            return []
        memo = toks[i].memo
        if memo.get("_v") != PhraseSet._version:
            memo = PhraseSet._scan(toks, i)
        found = memo.get(self.sid, ())
        if end is not None and found and found[0][0] > end:
            return [m for m in found if m[0] <= end]
        return found  # type: ignore[return-value]

    def longest(self, toks: list[Tok], i: int, end: int | None = None) -> tuple[int, Any] | None:
        m = self.matches_at(toks, i, end)
        return m[0] if m else None

    def __contains__(self, word: str) -> bool:
        toks = tokenize(word)
        if not toks:
            return False
        m = self.matches_at(toks, 0)
        return any(e == len(toks) for e, _ in m)


class _Loader(yaml.SafeLoader):
    """YAML 1.1 without its surprises: "on", "no", "yes", "off" stay words
    (they are English words of the lexicons); only true/false are booleans."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _yaml(name: str) -> Any:
    with data_path("lexicons", name).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader) or {}


@dataclass
class Head:
    key: str
    kind: str
    cls: str
    en: str


@dataclass
class Title:
    en: str
    portfolio: bool = False
    org: str | None = None
    office: bool = False
    embassy: bool = False


@dataclass
class Lexicons:
    heads: PhraseSet = field(default_factory=PhraseSet)            # -> Head
    head_info: dict[str, Head] = field(default_factory=dict)
    nominals: PhraseSet = field(default_factory=PhraseSet)         # -> head key
    national: PhraseSet = field(default_factory=PhraseSet)
    international: PhraseSet = field(default_factory=PhraseSet)
    en_glue: frozenset[str] = frozenset()
    en_not_last: frozenset[str] = frozenset()
    en_name_stop: frozenset[str] = frozenset()
    portfolios: PhraseSet = field(default_factory=PhraseSet)       # -> English portfolio
    titles: PhraseSet = field(default_factory=PhraseSet)           # -> Title
    title_mods_ar: PhraseSet = field(default_factory=PhraseSet)    # -> English modifier
    title_mods_en: frozenset[str] = frozenset()
    honorifics: PhraseSet = field(default_factory=lambda: PhraseSet(strict_article=True))
    event_kinds: PhraseSet = field(default_factory=PhraseSet)      # -> kind
    event_generic: PhraseSet = field(default_factory=PhraseSet)
    event_compound_en: frozenset[str] = frozenset()
    event_needs_verb: frozenset[str] = frozenset()
    event_verbs: PhraseSet = field(default_factory=PhraseSet)
    cues: dict[str, dict[str, PhraseSet]] = field(default_factory=dict)  # relation -> position -> set
    all_cues: PhraseSet = field(default_factory=PhraseSet)         # any cue -> (relation, position)
    groups: PhraseSet = field(default_factory=PhraseSet)           # -> English name
    group_national: PhraseSet = field(default_factory=PhraseSet)
    group_complement: PhraseSet = field(default_factory=PhraseSet)
    speech: PhraseSet = field(default_factory=PhraseSet)
    ar_stop: PhraseSet = field(default_factory=PhraseSet)
    ar_name_particles: PhraseSet = field(default_factory=PhraseSet)
    ar_not_name: PhraseSet = field(default_factory=PhraseSet)
    en_not_name: frozenset[str] = frozenset()
    person_nominals: PhraseSet = field(default_factory=PhraseSet)
    project_nouns: PhraseSet = field(default_factory=PhraseSet)
    meet_sign: PhraseSet = field(default_factory=PhraseSet)


@cache
def load_lexicons() -> Lexicons:
    """All extraction lexicons (cached: read once per process)."""
    lx = Lexicons()
    ow = _yaml("orgwords.yaml")
    for key, spec in (ow.get("heads") or {}).items():
        head = Head(key=key, kind=spec["kind"], cls=spec.get("class", "body"), en=spec.get("en", key.title()))
        lx.head_info[key] = head
        lx.heads.update(spec.get("ar"), head)
        lx.heads.update(spec.get("en_words"), head)
        nom = spec.get("nominal") or {}
        lx.nominals.update(nom.get("ar"), key)
        lx.nominals.update(nom.get("en"), key)
    lx.national.update((ow.get("national_words") or {}).get("ar"))
    lx.national.update((ow.get("national_words") or {}).get("en"))
    lx.international.update((ow.get("international_words") or {}).get("ar"))
    lx.international.update((ow.get("international_words") or {}).get("en"))
    lx.en_glue = frozenset(w.lower() for w in ow.get("en_name_glue") or ())
    lx.en_not_last = frozenset(w.lower() for w in ow.get("en_not_last") or ())
    lx.en_name_stop = frozenset(ow.get("en_name_stop") or ())

    for p in (_yaml("portfolios.yaml").get("portfolios") or ()):
        lx.portfolios.update(p.get("ar"), p["en"])
        lx.portfolios.update(p.get("en_forms"), p["en"])

    tt = _yaml("titles.yaml")
    lx.honorifics.update((tt.get("honorifics") or {}).get("ar"))
    lx.honorifics.update((tt.get("honorifics") or {}).get("en"))
    for t in tt.get("titles") or ():
        title = Title(en=t["en"], portfolio=bool(t.get("portfolio")), org=t.get("org"),
                      office=bool(t.get("office")), embassy=bool(t.get("embassy")))
        lx.titles.update(t.get("ar"), title)
        lx.titles.update(t.get("en_forms"), title)
    mods = tt.get("title_modifiers") or {}
    for ar, en in (mods.get("ar") or {}).items():
        lx.title_mods_ar.add(ar, en)
    lx.title_mods_en = frozenset(w.lower() for w in mods.get("en") or ())

    ev = _yaml("events.yaml")
    for kind, spec in (ev.get("kinds") or {}).items():
        lx.event_kinds.update(spec.get("ar"), kind)
        lx.event_kinds.update(spec.get("en"), kind)
    lx.event_generic.update((ev.get("generic") or {}).get("ar"))
    lx.event_generic.update((ev.get("generic") or {}).get("en"))
    lx.event_compound_en = frozenset((ev.get("compound") or {}).get("en") or ())
    lx.event_needs_verb = frozenset(ev.get("needs_verb") or ())
    lx.event_verbs.update((ev.get("verbs") or {}).get("ar"))
    lx.event_verbs.update((ev.get("verbs") or {}).get("en"))

    cues = _yaml("cues.yaml")
    for rel, spec in cues.items():
        d: dict[str, PhraseSet] = {}
        for pos, val in (spec or {}).items():
            ps = PhraseSet()
            if isinstance(val, dict):
                for lang_forms in val.values():
                    ps.update(lang_forms)
                    lx.all_cues.update(lang_forms, (rel, pos))
            else:
                ps.update(val)
                lx.all_cues.update(val, (rel, pos))
            d[pos] = ps
        lx.cues[rel] = d

    gr = _yaml("groups.yaml")
    for g in gr.get("groups") or ():
        lx.groups.update(g.get("ar"), g["en"])
        lx.groups.update(g.get("en_forms"), g["en"])
    lx.group_national.update((gr.get("national_heads") or {}).get("ar"))
    lx.group_national.update((gr.get("national_heads") or {}).get("en"))
    lx.group_complement.update(gr.get("complement_ar"))
    lx.group_complement.update(gr.get("complement_en"))

    wd = _yaml("words.yaml")
    lx.speech.update((wd.get("speech_verbs") or {}).get("ar"))
    lx.speech.update((wd.get("speech_verbs") or {}).get("en"))
    lx.ar_stop.update(wd.get("ar_stop"))
    lx.ar_name_particles.update(wd.get("ar_name_particles"))
    lx.ar_not_name.update(wd.get("ar_not_name"))
    lx.en_not_name = frozenset(wd.get("en_not_name") or ())
    lx.person_nominals.update((wd.get("person_nominals") or {}).get("ar"))
    lx.person_nominals.update((wd.get("person_nominals") or {}).get("en"))
    lx.project_nouns.update(["مشروع", "برنامج", "مبادرة", "مشاريع", "برامج", "project", "programme", "program",
                             "initiative", "projects", "programmes"])
    from kg.extract.relations_words import MEET_VERBS, SIGN_VERBS
    lx.meet_sign.update(sorted(MEET_VERBS | SIGN_VERBS))
    return lx
