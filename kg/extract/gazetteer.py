"""The gazetteer: every registry name, alias, acronym and nationality adjective,
found in a token stream in one left-to-right pass.

Forms are stored as sequences of token bases (:func:`kg.extract.tokens.form_base`)
and indexed by their first base, so that each token of an item costs a few dict
look-ups; an Arabic form then matches with or without its article and with any
proclitic (و ف ب ك ل لل) on any of its words. Latin acronyms match only as
written (case and all); other Latin forms need a capital letter somewhere in
the matched words, since names are capitalized in English prose.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from kg.extract.tokens import ARABIC, LATIN, PUNCT, Tok, form_base, tokenize

ORG, PLACE, ADJ = "org", "place", "adj"

# Regional spelling variants of loanwords, both ways: أوروبا/أوربا, أميركا/أمريكا.
_SPELLINGS = (("وروب", "ورب"), ("ورب", "وروب"), ("أوروب", "أورب"), ("ميرك", "مريك"), ("مريك", "ميرك"))


def _has_article(w: str) -> bool:
    """Does an Arabic word carry the article (possibly after clitics, or as لل)?"""
    for k in range(0, 3):
        if w[k:k + 2] == "ال" or (k <= 2 and w[k:k + 2] == "لل"):
            return all(c in "وفبكل" for c in w[:k])
    return False


@dataclass(frozen=True)
class Hit:
    """A gazetteer match: tokens ``s`` to ``e`` (exclusive) name ``keys``."""

    s: int
    e: int
    cat: str
    keys: tuple[str, ...]
    acronym: bool = False

    @property
    def key(self) -> str:
        return self.keys[0]


class _Form:
    __slots__ = ("bases", "cat", "key", "acronym", "raws", "n", "latin", "article")

    def __init__(self, bases: tuple[str, ...], cat: str, key: str, acronym: bool, raws: tuple[str, ...] | None,
                 latin: bool):
        self.bases = bases
        self.cat = cat
        self.key = key
        self.acronym = acronym
        self.raws = raws
        self.n = len(bases)
        self.latin = latin
        self.article = False


def form_tokens(form: str) -> list[Tok]:
    return tokenize(form)


def _bases(toks: list[Tok]) -> tuple[str, ...]:
    return tuple(form_base(t.norm) if t.script == ARABIC else t.norm for t in toks)


class Gazetteer:
    """Surface forms indexed by their first base."""

    def __init__(self) -> None:
        self._index: dict[str, list[_Form]] = {}     # first base -> forms (all lengths)
        self._single: dict[str, list[_Form]] = {}    # first base -> one-token forms
        self._pairs: dict[str, dict[str, list[_Form]]] = {}  # first base -> second base -> longer forms
        self._seen: set[tuple] = set()
        self._memo_key = ("gz", id(self))

    def add(self, form: str, cat: str, key: str, acronym: bool = False) -> None:
        for a, b in _SPELLINGS:
            if a in form:
                self._add(form.replace(a, b), cat, key, acronym)
        self._add(form, cat, key, acronym)

    def _add(self, form: str, cat: str, key: str, acronym: bool = False) -> None:
        toks = form_tokens(form)
        # A form that ends in punctuation (an abbreviation's dot) matches without it too.
        while toks and toks[-1].script == PUNCT and toks[-1].norm in ".,;:" and len(toks) > 1:
            toks = toks[:-1]
        if not toks:
            return
        bases = _bases(toks)
        if all(t.script == PUNCT for t in toks):
            return
        latin = any(t.script == LATIN for t in toks) and not any(t.script == ARABIC for t in toks)
        # Arabic acronyms have no case; Latin ones compare as written.
        raws = tuple(t.raw if t.script != PUNCT else t.norm for t in toks) if (acronym and latin) else None
        sig = (bases, cat, key, raws)
        if sig in self._seen:
            return
        self._seen.add(sig)
        f = _Form(bases, cat, key, acronym and latin, raws, latin)
        # A place written with its article ("الأردن", "الهند") is not the bare word
        # ("هند" is a name): the text must have the article too (or لل, بال, وال...).
        f.article = cat != ORG and toks[0].script == ARABIC and toks[0].norm.startswith("ال") and len(toks[0].norm) >= 4
        self._index.setdefault(bases[0], []).append(f)
        if len(bases) == 1:
            self._single.setdefault(bases[0], []).append(f)
        else:
            self._pairs.setdefault(bases[0], {}).setdefault(bases[1], []).append(f)

    def __len__(self) -> int:
        return len(self._seen)

    def matches_at(self, toks: list[Tok], i: int, cats: frozenset[str] | None = None) -> list[tuple[_Form, int]]:
        """Every form that matches starting at token ``i``: (form, end)."""
        memo = toks[i].memo
        key = self._memo_key
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._matches_at(toks, i)
        if cats is None:
            return found
        return [fe for fe in found if fe[0].cat in cats]

    def _matches_at(self, toks: list[Tok], i: int) -> list[tuple[_Form, int]]:
        out: list[tuple[_Form, int]] = []
        t0 = toks[i]
        if t0.script == PUNCT:
            return out
        n = len(toks)
        art = None
        cands: list[_Form] = []
        for b in t0.bases:
            lst = self._single.get(b)
            if lst:
                cands.extend(lst)
        if i + 1 < n and not (toks[i + 1].nl_before and toks[i + 1].script != PUNCT):
            nb = toks[i + 1].bases
            pairs = self._pairs
            for b in t0.bases:
                d = pairs.get(b)
                if d is not None:
                    for b1 in nb:
                        lst = d.get(b1)
                        if lst:
                            cands.extend(lst)
        for f in cands:
            if f.article:
                if art is None:
                    art = _has_article(t0.norm)
                if not art:
                    continue
            e = i + f.n
            if e > n:
                continue
            ok = True
            for j in range(2, f.n):
                t = toks[i + j]
                if f.bases[j] not in t.bases or (t.nl_before and t.script != PUNCT):
                    ok = False
                    break
            if not ok:
                continue
            if f.raws is not None:
                if any((toks[i + j].norm if toks[i + j].script == PUNCT else toks[i + j].raw) != f.raws[j]
                       for j in range(f.n)):
                    continue
            elif f.latin:
                for j in range(f.n):
                    t = toks[i + j]
                    if t.script == LATIN and t.raw[:1].isupper():
                        break
                else:
                    continue
            out.append((f, e))
        return out

    def find(self, toks: list[Tok], cats: Iterable[str], start: int = 0, end: int | None = None,
             blocked: set[int] | None = None) -> list[Hit]:
        """Longest non-overlapping matches of the given categories, left to right.

        Matches of equal length for several keys (a name two registry entries
        share) come back as one :class:`Hit` with all their keys.
        """
        cats = frozenset(cats)
        end = len(toks) if end is None else end
        hits: list[Hit] = []
        i = start
        while i < end:
            if blocked and i in blocked:
                i += 1
                continue
            found = [(f, e) for f, e in self.matches_at(toks, i, cats) if e <= end]
            if not found:
                i += 1
                continue
            best = max(e for _, e in found)
            top = [f for f, e in found if e == best]
            keys: list[str] = []
            cat = top[0].cat
            # Prefer the category of org > place > adj when one form is several things.
            for c in (ORG, PLACE, ADJ):
                if any(f.cat == c for f in top):
                    cat = c
                    break
            for f in top:
                if f.cat == cat and f.key not in keys:
                    keys.append(f.key)
            hits.append(Hit(i, best, cat, tuple(keys), all(f.acronym for f in top if f.cat == cat)))
            i = best
        return hits


def find_all(gaz: Gazetteer, toks: list[Tok], blocked_orgs: set[int] | None = None
             ) -> tuple[list[Hit], list[Hit], list[Hit]]:
    """Organization, place and adjective hits in one pass (as three :meth:`find`
    calls would give them; organizations skip ``blocked_orgs`` tokens)."""
    out: dict[str, list[Hit]] = {ORG: [], PLACE: [], ADJ: []}
    nxt = {ORG: 0, PLACE: 0, ADJ: 0}
    for i in range(len(toks)):
        ms = gaz.matches_at(toks, i)
        if not ms:
            continue
        for cat in (ORG, PLACE, ADJ):
            if i < nxt[cat] or (cat == ORG and blocked_orgs and i in blocked_orgs):
                continue
            found = [(f, e) for f, e in ms if f.cat == cat]
            if not found:
                continue
            best = max(e for _, e in found)
            keys = tuple(dict.fromkeys(f.key for f, e in found if e == best))
            out[cat].append(Hit(i, best, cat, keys, all(f.acronym for f, e in found if e == best)))
            nxt[cat] = best
    return out[ORG], out[PLACE], out[ADJ]


def build_gazetteer(registry) -> Gazetteer:
    """A gazetteer of the registry's organizations, places and nationality adjectives."""
    g = Gazetteer()
    for form, _lang, key, acronym in registry.surface_forms():
        cat = ORG if key in registry.orgs else PLACE
        # A Latin name is matched without its leading article, so that "the" does not
        # take the start of a longer name ("the United Nations Office on Drugs ...").
        if not acronym and form[:4].lower() == "the ":
            form = form[4:]
        g.add(form, cat, key, acronym)
    for form, _lang, code in registry.adjective_forms():
        g.add(form, ADJ, code)
    for key, forms in _extra_aliases().items():
        if key in registry.orgs:
            for form in forms:
                g.add(str(form), ORG, key)
    return g


def _extra_aliases() -> dict[str, list[str]]:
    import yaml

    from kg.resources import data_path
    path = data_path("lexicons", "aliases.yaml")
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {str(k): list(v or []) for k, v in (data.get("aliases") or {}).items()}


@lru_cache(maxsize=4)
def gazetteer_for(registry) -> Gazetteer:
    return build_gazetteer(registry)
