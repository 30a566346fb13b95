"""Look-ups over the registry that name matching alone does not give.

The gazetteer finds registry names as written; composed names need the
registry's structure instead: the country office of an organization (IOM +
Jordan -> iom-jo), the embassy of one country in another (Japan in Jordan ->
emb-jp-jo), the "Government of X" entry of a country, the kind of head noun an
entry is named by (so that "the Organization" or "الوزارة" can find it).
Built once per registry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.gazetteer import PLACE, Gazetteer, gazetteer_for
from kg.extract.lexicon import Lexicons, load_lexicons
from kg.extract.tokens import tokenize
from kg.normalize import name_words


@dataclass
class RegistryIndex:
    registry: object
    gaz: Gazetteer
    units: dict[tuple[str, str, bool], str] = field(default_factory=dict)     # (parent, country, regional) -> key
    embassies: dict[tuple[str, str | None], str] = field(default_factory=dict)  # (sending, host) -> key
    delegations: dict[tuple[str, str], str] = field(default_factory=dict)   # (IGO parent, host) -> key
    governments: dict[str, str] = field(default_factory=dict)               # country -> key
    heads: dict[str, set[str]] = field(default_factory=dict)                # key -> head classes
    short: dict[str, str] = field(default_factory=dict)                     # key -> short English label
    by_stripped: dict[tuple[tuple[str, ...], str], list[str]] = field(default_factory=dict)  # (words, country)
    place_words: frozenset[str] = frozenset()
    government_keys: frozenset[str] = frozenset()

    def stripped(self, text: str) -> tuple[str, ...]:
        """The name words of ``text`` without country names and adjectives."""
        return tuple(w for w in name_words(text) if w not in self.place_words)

    def by_name_in_country(self, text: str, country: str | None) -> str | None:
        """A registry body of ``country`` named ``text`` once country words are set aside
        ("Ministry of Labour" in JO -> jo-mol)."""
        if not country:
            return None
        keys = self.by_stripped.get((self.stripped(text), country), [])
        return keys[0] if len(keys) == 1 else None

    def country_of_place(self, key: str) -> str | None:
        p = self.registry.places.get(key)
        if p is None:
            return None
        return p.key if p.kind == "Country" else p.country

    def place_name(self, key: str) -> str:
        p = self.registry.places.get(key)
        return p.names.get("en", key) if p else key


_IN = re.compile(r"\b(?:in|to)\s+(?:the\s+)?(.+?)\s*(?:\(.*\))?$")


def _heads_of(names: list[str], lx: Lexicons) -> set[str]:
    out: set[str] = set()
    for n in names:
        toks = tokenize(n)
        for i in range(len(toks)):
            m = lx.heads.longest(toks, i)
            if m:
                out.add(m[1].key)
                if i == 0:
                    break
    return out


@lru_cache(maxsize=4)
def registry_index(registry) -> RegistryIndex:
    lx = load_lexicons()
    gaz = gazetteer_for(registry)
    idx = RegistryIndex(registry=registry, gaz=gaz)
    places = registry.places

    def place_country(text: str) -> str | None:
        toks = tokenize(text)
        for h in gaz.find(toks, [PLACE]):
            if h.e == len(toks):
                return idx.country_of_place(h.key) if h.key in places else None
        return None

    pw: set[str] = set()
    for p in places.values():
        if p.kind != "Country":
            continue
        forms = list(p.names.values()) + [a for al in p.aliases.values() for a in al]
        forms += [a for al in p.adjectives.values() for a in al]
        for f in forms:
            ws = name_words(f)
            if len(ws) == 1:
                pw.add(ws[0])
            for w in ws:
                if len(ws) > 1 and w not in ("united", "republic", "kingdom", "state", "states", "arab"):
                    pw.add(w)
    idx.place_words = frozenset(pw)

    for key, e in registry.orgs.items():
        en = e.names.get("en", key)
        if e.country and e.kind in ("GovernmentBody", "OrganizationalUnit"):
            for n in list(e.names.values()) + [a for al in e.aliases.values() for a in al]:
                words = idx.stripped(n)
                if words:
                    lst = idx.by_stripped.setdefault((words, e.country), [])
                    if key not in lst:
                        lst.append(key)
        idx.short[key] = (e.acronyms[0] if e.acronyms and e.acronyms[0].isascii() else en)
        names = list(e.names.values()) + [a for al in e.aliases.values() for a in al]
        idx.heads[key] = _heads_of(names, lx)
        if e.kind == "OrganizationalUnit" and e.parent and e.country:
            regional = "regional" in en.lower() or "bureau" in en.lower()
            idx.units.setdefault((e.parent, e.country, regional), key)
        if e.kind == "Embassy" and e.country:
            m = _IN.search(en)
            host = place_country(m.group(1)) if m else None
            parent = registry.orgs.get(e.parent) if e.parent else None
            if parent is not None and parent.kind == "IntergovernmentalOrganization" and host:
                idx.delegations.setdefault((parent.key, host), key)
            else:
                idx.embassies.setdefault((e.country, host), key)
        if e.kind == "GovernmentBody" and e.country and en.startswith("Government of"):
            idx.governments.setdefault(e.country, key)
    idx.government_keys = frozenset(idx.governments.values())
    return idx
