"""Organizations: registry names, bodies recognized from the structure of their
names, units with their parents, and nominal references.

Three sources, in this order of trust:

1. the gazetteer (registry names, aliases, acronyms, cliticized or not);
2. composition: a head noun of ``orgwords.yaml`` ("وزارة", "مكتب", "Embassy",
   "Syndicate") with what Arabic or English grammar lets follow it (a
   portfolio, a genitive chain, a registry organization, a nationality
   adjective, "في/in <place>"), giving ministries, units "part_of" their
   parent, embassies, governments, committees, unions and so on; the composed
   name is then looked up in the registry by its structure (parent + country,
   sending + host country, name without its country words);
3. nominal references ("الوزارة", "the Organization") resolved to the latest
   actor named with that head.

An actor named several ways is one :class:`~kg.extract.doc.Ent` with all its
mentions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.doc import Doc, Ent
from kg.extract.gazetteer import ADJ, ORG, PLACE, Hit
from kg.extract.lexicon import Head, Lexicons
from kg.extract.registry_index import RegistryIndex
from kg.extract.tokens import ARABIC, LATIN, NUMBER, PUNCT
from kg.normalize import name_key, name_words

_WEAK_AR_HEADS = frozenset({"administration", "unit", "team", "network", "branch", "governorate", "court",
                            "command", "department", "centre", "fund", "foundation", "company", "presidency",
                            "agency", "secretariat", "council", "federation", "society"})
_LOC_AR = frozenset({"في", "لدي", "داخل"})
_LOC_EN = frozenset({"in", "to"})
_PARENT_EN = frozenset({"of", "at", "in", "to", "within"})


@dataclass
class Cand:
    """A candidate organization mention."""

    s: int
    e: int
    head: Head | None = None
    keys: tuple[str, ...] = ()          # registry keys (from the gazetteer or resolution)
    parent: "Cand | None" = None        # a unit's parent mention
    parent_key: str | None = None
    country: str | None = None          # explicit country (adjective, location, possessive)
    place: str | None = None            # registry key of a location place ("في القاهرة")
    name: str | None = None
    kind: str | None = None
    base: str | None = None             # lexicon base of the first word (display start)
    portfolio: str | None = None
    composed: bool = False
    nested: list[Hit] = field(default_factory=list)  # registry names inside the span
    acronym: tuple[int, int] | None = None          # a "(ACR)" right after it
    core_e: int | None = None                        # where the location part begins
    nominal_owner: str | None = None                 # "the ministry's ...": a head class to resolve
    extra: list = field(default_factory=list)        # more bodies named by one plural head

    @property
    def length(self) -> int:
        return self.e - self.s


# -- small token predicates ------------------------------------------------------

def _definite(norm: str) -> bool:
    if norm.startswith("ال") or norm.startswith("لل"):
        return len(norm) >= 4
    if len(norm) >= 5 and norm[0] in "وفبكل":
        rest = norm[1:]
        if rest.startswith("ال") or rest.startswith("لل"):
            return True
        if len(norm) >= 6 and rest[0] in "بكل" and rest[1:].startswith("ال"):
            return True
    return False


def _has_conj(norm: str) -> bool:
    return len(norm) >= 4 and norm[0] in "وف" and not norm.startswith("وزار") and not norm.startswith("وكال") \
        and not norm.startswith("وحد") and not norm.startswith("وفد")


def _li(norm: str) -> bool:
    """ل- or لل- prefixed word ("لمكافحة", "للهجرة")."""
    return len(norm) >= 4 and norm[0] == "ل" and not norm.startswith("لجن") and not norm.startswith("لبنان")


class OrgFinder:
    """Finds the organizations of one item and builds their entities."""

    def __init__(self, doc: Doc, rx: RegistryIndex, lx: Lexicons):
        self.doc = doc
        self.rx = rx
        self.reg = rx.registry
        self.lx = lx
        toks = doc.toks
        self.toks = toks
        gaz = rx.gaz
        n = len(toks)
        hits = doc.info.get("hits")
        if hits is None:
            blocked = {i for i in range(n) if not doc.active[i]}
            hits = (gaz.find(toks, [ORG], blocked=blocked), gaz.find(toks, [PLACE]), gaz.find(toks, [ADJ]))
            doc.info["hits"] = hits
        self.org_hits = hits[0]
        self.place_hits = [h for h in hits[1] if doc.active[h.s]]
        self.adj_hits = [h for h in hits[2] if doc.active[h.s]]
        self.org_at = {h.s: h for h in self.org_hits}
        self.place_at = {h.s: h for h in self.place_hits}
        self.adj_at = {h.s: h for h in self.adj_hits}
        self.org_cover: dict[int, Hit] = {}
        for h in self.org_hits:
            for i in range(h.s, h.e):
                self.org_cover[i] = h
        self.by_key: dict[str, Ent] = {}
        self.by_sig: dict[tuple, Ent] = {}
        doc.info["place_at"] = self.place_at
        doc.info["adj_at"] = self.adj_at
        doc.info["org_at"] = self.org_at
        doc.info["orgs"] = self

    # -- helpers -----------------------------------------------------------------
    def stop_word(self, i: int) -> bool:
        lx, toks = self.lx, self.toks
        if lx.ar_stop.matches_at(toks, i):
            m = lx.ar_stop.longest(toks, i)
            # "في" and "لدى" introduce a location; the caller decides on those.
            return bool(m)
        return False

    def cue_at(self, i: int) -> bool:
        return bool(self.lx.all_cues.matches_at(self.toks, i))

    def country_of_hit(self, h: Hit | None) -> str | None:
        if h is None:
            return None
        if h.cat == ADJ:
            return h.key
        return self.rx.country_of_place(h.key)

    def place_country_at(self, i: int) -> tuple[Hit, str | None] | None:
        h = self.place_at.get(i)
        if h is None:
            return None
        return h, self.country_of_hit(h)

    # -- Arabic composition ------------------------------------------------------------
    def compose_ar(self, i: int) -> Cand | None:
        """An Arabic body named by its structure, starting at head word ``i``.

        After an indefinite head (construct state: "وزارة العمل", "مكتب
        المنظمة") come genitives: a registry organization, a place, a
        definite noun, a chain of nouns ending in a definite one. After a
        definite head ("اللجنة الوطنية لمكافحة...") only what agrees with it:
        definite adjectives and "لـ" complements. Then, either way,
        adjectives, "لـ" complements, "و" + definite coordinated words, a
        nationality adjective and a location ("في/لدى <place>", "بالقاهرة")
        that ends the name.
        """
        toks, lx, doc = self.toks, self.lx, self.doc
        m = lx.heads.longest(toks, i)
        if not m:
            return None
        he, head = m
        t0 = toks[i]
        if t0.script != ARABIC:
            return None
        weak = head.key in _WEAK_AR_HEADS
        prefix = self.prefix_of(i, self._head_bases())
        definite_head = "ال" in prefix or "لل" in prefix or any(_definite(t.norm) for t in toks[i + 1:he])
        bare = prefix.replace("ال", "").replace("لل", "ل")
        if weak and any(ch in "بكل" for ch in bare):
            return None
        sent = t0.sent
        c = Cand(s=i, e=he, head=head, composed=True)
        n = len(toks)
        j = he
        words = 0
        ligatures = 0       # "لـ" complements
        last = he
        # a ministry: its portfolio words, then country words
        if head.key == "ministry" and not definite_head:
            if t0.norm.endswith("تي") or t0.norm.endswith("تين"):
                k = he
                parts2: list[tuple[int, int, str]] = []
                while k < n and toks[k].sent == sent:
                    pm = lx.portfolios.longest(toks, k)
                    if not pm or (parts2 and not _has_conj(toks[k].norm)):
                        break
                    parts2.append((k, pm[0], pm[1]))
                    k = pm[0]
                if len(parts2) >= 2:  # "وزارتي العمل والشؤون الاجتماعية": two ministries
                    c.e = parts2[0][1]
                    c.portfolio = parts2[0][2]
                    for s2, e2, p2 in parts2[1:]:
                        c.extra.append(Cand(s=s2, e=e2, head=head, composed=True, portfolio=p2))
                    return c
            parts: list[str] = []
            k = j
            while k < n and toks[k].sent == sent:
                pm = lx.portfolios.longest(toks, k)
                if not pm or (parts and not _has_conj(toks[k].norm)) or (not parts and _has_conj(toks[k].norm)):
                    break
                parts.append(pm[1])
                k = pm[0]
            if parts:
                c.portfolio = " and ".join(parts)
                j = last = k
                words = len(parts)
        while j < n and words < 10:
            t = toks[j]
            if t.sent != sent or not doc.active[j] or t.nl_before or t.script != ARABIC:
                break
            norm = t.norm
            nxt = toks[j + 1] if j + 1 < n and toks[j + 1].sent == sent and not toks[j + 1].nl_before else None
            # registry organization: the body a unit belongs to, or a genitive
            oh = self.org_at.get(j)
            if oh is not None:
                conj = _has_conj(norm) and not self.org_first_is_conj(oh)
                if conj:
                    break
                if head.cls in ("unit", "embassy") and (words == 0 or ligatures):
                    c.nested.append(oh)
                    j = last = oh.e
                    words += 1
                    # "فريق عمل المنظمة في العراق والأردن ولبنان": a unit across countries
                    j = last = self.coordinated_places(j)
                    if j > oh.e:
                        pe = self.reg.orgs.get(oh.key)
                        if pe is not None and pe.kind == "OrganizationalUnit" and pe.parent:
                            c.parent_key = pe.parent
                            c.nested = []
                            c.country = None
                            break
                    continue
                if words == 0 and not definite_head and head.cls != "government":
                    c.nested.append(oh)
                    j = last = oh.e
                    words += 1
                    continue
                break
            # location ends the name: في / لدى + place, or a place glued to بـ
            if norm in _LOC_AR and nxt is not None:
                pc = self.place_country_at(j + 1)
                if pc is not None:
                    ph, code = pc
                    c.place = ph.key
                    if not (head.cls == "embassy" and c.country):  # an embassy's country is its sender's
                        c.country = code or c.country
                    c.core_e = j
                    last = ph.e
                    break
                oh2 = self.org_at.get(j + 1)
                if oh2 is not None and head.cls in ("unit", "body") and words > 0:
                    c.parent_key = oh2.key
                    c.nested.append(oh2)
                break
            pc = self.place_country_at(j)
            if pc is not None:
                ph, code = pc
                if self.glued_preposition(j):
                    if words == 0 and head.cls not in ("embassy", "government"):
                        break
                    c.place = ph.key
                    if not (head.cls == "embassy" and c.country):
                        c.country = code or c.country
                    c.core_e = j
                    last = ph.e
                    break
                if definite_head and head.cls not in ("embassy", "government"):
                    break
                c.country = code or c.country
                j = last = ph.e
                words += 1
                if head.cls in ("embassy", "government"):
                    continue
                continue
            ah = self.adj_at.get(j)
            if ah is not None:
                if _has_conj(norm):
                    break
                c.country = ah.key
                j = last = ah.e
                words += 1
                continue
            if lx.heads.matches_at(toks, j) and (_has_conj(norm) or words == 0 and not definite_head
                                                 and not _definite(norm)):
                break
            if norm == "غير" and nxt is not None and _definite(nxt.norm):
                j = last = j + 2
                words += 2
                continue
            if self.stop_word(j) or lx.speech.matches_at(toks, j) or lx.titles.matches_at(toks, j) \
                    or lx.honorifics.matches_at(toks, j) or self.cue_at(j) or lx.event_kinds.matches_at(toks, j):
                break
            if words == 0 and head.cls == "unit" and lx.nominals.longest(toks, j) and \
                    lx.nominals.longest(toks, j)[0] == j + 1 and _definite(norm) and not _has_conj(norm):
                c.nominal_owner = lx.nominals.longest(toks, j)[1]  # "مكتب المنظمة بالقاهرة"
                c.nested = []
                j = last = j + 1
                words += 1
                ligatures += 1
                continue
            if _definite(norm):
                if _has_conj(norm) and (words == 0 or not self._coordinable(j)):
                    break
                if norm[:1] in "بك" and not norm.startswith("بال"):
                    break
                if norm.startswith("بال") or norm.startswith("كال"):
                    # "الاتجار بالبشر": a prepositional complement only after a ل-complement
                    if not ligatures:
                        break
                j = last = j + 1
                words += 1
                continue
            if _li(norm):
                if words == 0 and definite_head is False and head.cls != "body":
                    pass
                j = last = j + 1
                words += 1
                ligatures += 1
                continue
            if definite_head:
                break
            # an indefinite noun in a construct chain: needs a definite word after it
            if norm[:1] not in "بكف" and not _has_conj(norm) and nxt is not None and nxt.script == ARABIC \
                    and (_definite(nxt.norm) and not _has_conj(nxt.norm)) and not self.stop_word(j + 1) \
                    and not nxt.norm.startswith("بال"):
                j = last = j + 1
                words += 1
                continue
            if _has_conj(norm) and words and ligatures and nxt is not None and _definite(nxt.norm) \
                    and not self.stop_word(j) and not lx.heads.matches_at(toks, j):
                # "لمراقبة ومكافحة الاتجار": coordinated verbal nouns inside a ل-complement
                j = last = j + 1
                words += 1
                continue
            break
        # "...، ومكافحة الاتجار بالبشر (NCCPIM&TIP)": a name broken by a comma before its acronym
        if last < n and toks[last].norm == "," and words:
            k = last + 1
            while k < n and k - last < 8 and toks[k].script == ARABIC and toks[k].sent == sent:
                k += 1
            if k < n and toks[k].norm == "(" and self.acronym_after(k) is not None and k > last + 1:
                last = k
        c.e = last
        if c.e == he and not c.country:
            return None  # a head alone is a nominal reference, not a name
        if definite_head and not (ligatures or c.nested or c.parent_key or (he - i >= 2 and c.place)
                                  or (c.country and head.cls in ("embassy", "government"))
                                  or words >= 2 and c.country and not c.place):
            return None
        if weak and not (c.nested or c.country or c.parent_key or ligatures):
            return None
        return c

    def _coordinable(self, j: int) -> bool:
        """May "و" + definite word at ``j`` continue a name? Not for quantifiers and
        other words that start a new phrase."""
        w = self.toks[j]
        return not self.stop_word(j) and not self.lx.heads.matches_at(self.toks, j) and \
            not any(b in ("عديد", "بعض", "كثير", "جميع", "مختلف") for b in w.bases)

    def org_first_is_conj(self, h: Hit) -> bool:
        """Does the registry name at ``h`` itself begin with و (not a conjunction)?"""
        t = self.toks[h.s]
        idx = self.rx.gaz._index
        return t.norm in idx or (t.norm.startswith("و") and t.norm[1:] not in idx and
                                 not any(b in idx for b in t.bases if b != t.norm))

    def coordinated_places(self, j: int) -> int:
        """Skip "والأردن ولبنان وتركيا" after a unit name; return where it ends."""
        toks = self.toks
        k = j
        while k < len(toks) and k in self.place_at and _has_conj(toks[k].norm):
            k = self.place_at[k].e
        return k

    def prefix_of(self, i: int, index) -> str:
        """The clitics and article before the lexicon word an Arabic token holds."""
        t = self.toks[i]
        for b in sorted(t.bases, key=len, reverse=True):
            if b in index and t.norm.endswith(b):
                return t.norm[:len(t.norm) - len(b)]
        return ""

    def glued_preposition(self, j: int) -> bool:
        """Is the place at token j written with a preposition glued to it ("بدمشق")?"""
        t = self.toks[j]
        idx = self.rx.gaz._index
        return t.norm[:1] in "بل" and t.norm not in idx and not (t.norm.startswith("ال") and t.norm[2:] in idx)

    # -- English composition --------------------------------------------------------------
    def _cap_word(self, i: int) -> bool:
        t = self.toks[i]
        return t.script == LATIN and (t.raw[:1].isupper()) and t.raw not in self.lx.en_name_stop

    def compose_en(self, i: int) -> Cand | None:
        """An English body named by its structure around head word ``i``:
        capitalized modifiers before it ("Swiss State Secretariat", "Anti-Human
        Trafficking Unit"), "of/for/to" + capitalized words after it, a
        location ("in Lebanon"), an owner ("the PMM's Return Department",
        "IOM Jordan's Media Unit") or a parent ("Unit of the Public Security
        Directorate"). Lower-case heads count only for ministries with a
        portfolio and for units of a named owner."""
        toks, lx = self.toks, self.lx
        m = lx.heads.longest(toks, i)
        if not m:
            return None
        he, head = m
        t0 = toks[i]
        if t0.script != LATIN:
            return None
        n = len(toks)
        sent = t0.sent
        lower = not t0.raw[:1].isupper()
        c = Cand(s=i, e=he, head=head, composed=True)
        # -- left: capitalized modifiers, an adjective, a possessive owner
        s = i
        while s - 1 >= 0 and toks[s - 1].sent == sent and not lower:
            p = toks[s - 1]
            if (s - 1) in self.org_cover:
                break
            if any(h.s <= s - 1 < h.e for h in self.place_hits if h.e == s or h.s == s - 1):
                break  # "Turkey and Directorate General": a place is not a modifier
            if p.script == LATIN and p.raw[:1].isupper() and p.raw not in lx.en_name_stop \
                    and p.raw not in ("The",):
                s -= 1
                continue
            if p.script == PUNCT and p.norm in "-&" and not toks[s].space_before and s - 2 >= 0 \
                    and toks[s - 2].script == LATIN and toks[s - 2].raw[:1].isupper():
                s -= 1
                continue
            if p.script == LATIN and p.norm in ("and", "&") and s - 2 >= 0 and self._cap_word(s - 2) \
                    and (s - 2) not in self.org_cover and s < i:
                s -= 1
                continue
            break
        # do not start on a glue word
        while s < i and toks[s].script != LATIN or (s < i and toks[s].norm in lx.en_glue):
            s += 1
        c.s = s
        # adjectives inside the left part give the country ("Swiss State Secretariat")
        for k in range(s, i):
            ah = self.adj_at.get(k)
            if ah is not None:
                c.country = c.country or ah.key
        # the owner before a possessive: "Jordan's Ministry", "the PMM's Return Department"
        if s >= 3 and toks[s - 1].norm == "s" and toks[s - 2].norm == "'":
            k = s - 3
            oh = self.org_cover.get(k)
            nm = lx.nominals.longest(toks, k)
            if oh is not None and oh.e == s - 2:
                c.parent_key = oh.key
                c.nested.append(oh)
            elif nm and nm[0] == s - 2:
                c.nominal_owner = nm[1]  # "the ministry's Legal Department": resolved once entities exist
            else:
                for ph in self.place_hits:
                    if ph.e == s - 2:
                        c.country = c.country or self.rx.country_of_place(ph.key)
        elif s >= 1 and (s - 1) in self.org_cover and self.org_cover[s - 1].e == s and head.cls == "unit":
            oh = self.org_cover[s - 1]
            c.parent_key = oh.key
            c.nested.append(oh)
            c.s = oh.s
        elif s >= 3 and toks[s - 1].norm == ")" and head.cls == "unit":
            # "the United Nations Office on Drugs and Crime (UNODC) Regional Office for ..."
            q = s - 2
            while q > 0 and toks[q].norm != "(" and s - q < 5:
                q -= 1
            oh = self.org_cover.get(q - 1) if toks[q].norm == "(" else None
            if oh is not None and oh.e == q:
                c.parent_key = oh.key
                c.nested.append(oh)
                c.s = oh.s
        if lower:
            # lower case: "ministries of labour", "regional office in Cairo" after an organization
            if head.key == "ministry":
                pass
            elif head.key not in ("office", "regional_office", "mission", "department", "unit", "delegation"):
                return None  # "the Directorate's headquarters": a place, not a unit
            elif c.parent_key is None:
                if s >= 1 and (s - 1) in self.org_cover and self.org_cover[s - 1].e == s:
                    oh = self.org_cover[s - 1]
                    c.parent_key = oh.key
                    c.nested.append(oh)
                    c.s = oh.s
                else:
                    # "the Ministry of Interior's anti-illegal migration department"
                    q = i
                    while q - 1 >= 0 and i - q < 5 and toks[q - 1].sent == sent and (
                            (toks[q - 1].script == LATIN and toks[q - 1].raw.islower()
                             and toks[q - 1].norm not in lx.en_glue) or
                            (toks[q - 1].norm == "-" and not toks[q - 1].space_before)):
                        q -= 1
                    nm = lx.nominals.longest(toks, q - 3) if q >= 3 else None
                    if q >= 3 and toks[q - 1].norm == "s" and toks[q - 2].norm == "'" and \
                            (q - 3) in self.org_cover and self.org_cover[q - 3].e == q - 2 and q < i:
                        oh = self.org_cover[q - 3]
                        c.parent_key = oh.key
                        c.nested.append(oh)
                        c.s = q
                    elif q >= 3 and toks[q - 1].norm == "s" and toks[q - 2].norm == "'" and nm and nm[0] == q - 2 \
                            and q < i:
                        c.nominal_owner = nm[1]
                        c.s = q
                    else:
                        return None
        # -- right: "of/for/to ... Capitalized", "in <place>", "of the <organization>"
        j = he
        last = he
        while j < n and toks[j].sent == sent:
            t = toks[j]
            if t.script == LATIN and t.norm in ("and", "&") and j + 1 < n and (
                    toks[j + 1].norm == "the" or (j + 1) in self.org_at or lx.heads.matches_at(toks, j + 1)):
                break  # "the Border Guard and the Ministry of Interior": two bodies
            if t.script == LATIN and t.norm in lx.en_glue:
                k = j + 1
                if k < n and toks[k].norm == "the":
                    k += 1
                if k >= n or toks[k].sent != sent:
                    break
                if (t.norm in _LOC_EN or (t.norm == "of" and head.cls == "body" and last > he)) \
                        and k in self.place_at:
                    ph = self.place_at[k]
                    pe = self.reg.places.get(ph.key)
                    if head.kind == "GovernmentBody" and head.cls == "body" and pe is not None and pe.kind != "Country":
                        c.country = self.rx.country_of_place(ph.key) or c.country
                        break  # "at the Prime Ministry in Amman": where the body is, not its name
                    c.place = ph.key
                    c.country = self.rx.country_of_place(ph.key) or c.country
                    c.core_e = j
                    last = ph.e
                    j = ph.e
                    break
                if t.norm in _PARENT_EN and k in self.org_at and head.cls in ("unit", "body"):
                    oh = self.org_at[k]
                    if head.cls == "unit" or oh.e - oh.s >= 1:
                        c.parent_key = oh.key
                        c.nested.append(oh)
                        break
                if t.norm in _PARENT_EN and lx.heads.matches_at(toks, k) and self._cap_word(k) \
                        and head.cls == "unit":
                    sub = self.compose_en(k)
                    if sub is not None:
                        c.parent = sub
                        break
                if lower and head.key == "ministry":
                    pm = lx.portfolios.longest(toks, k)
                    if pm:
                        last = j = pm[0]
                        c.portfolio = pm[1]
                        continue
                    break
                if self._cap_word(k) or (toks[k].script == LATIN and toks[k].upper):
                    j = k
                    continue
                break
            if t.script == LATIN and (t.raw[:1].isupper()) and t.raw not in lx.en_name_stop:
                if j in self.org_at and j > he and self.org_at[j].e > j + 1:
                    break
                j += 1
                last = j
                continue
            if t.script == PUNCT and t.norm in "-&'" and not t.space_before and j + 1 < n \
                    and not toks[j + 1].space_before and toks[j + 1].script == LATIN and t.norm != "'":
                j += 2
                last = j
                continue
            if lower and t.script == LATIN and head.key == "ministry" and lx.portfolios.longest(toks, j):
                pm = lx.portfolios.longest(toks, j)
                last = j = pm[0]
                c.portfolio = pm[1]
                continue
            break
        c.e = last
        if head.key == "ministry" and toks[i].norm in ("ministries",) and c.e > he:
            self.split_ministries(c, he)
        if c.e == he and c.s == i and not c.parent_key and not c.parent:
            return None  # a bare head word ("the Ministry") is a nominal reference
        if lower and head.key == "ministry" and not c.portfolio:
            return None
        return c

    def split_ministries(self, c: Cand, he: int) -> None:
        """"the ministries of labour and social affairs" / "وزارتي العمل والشؤون
        الاجتماعية": one ministry per portfolio; the first keeps the head word."""
        toks, lx = self.toks, self.lx
        spans: list[tuple[int, int, str]] = []
        j = he
        while j < c.e:
            if toks[j].norm in ("of", "the", "and", ",", "&"):
                j += 1
                continue
            pm = lx.portfolios.longest(toks, j, c.e)
            if not pm:
                return
            spans.append((j, pm[0], pm[1]))
            j = pm[0]
        if len(spans) < 2:
            return
        c.e = spans[0][1]
        c.portfolio = spans[0][2]
        for s, e, p in spans[1:]:
            x = Cand(s=s, e=e, head=c.head, composed=True, portfolio=p, country=c.country)
            c.extra.append(x)

    # -- the parenthesized acronym after a name -------------------------------------------
    def acronym_after(self, e: int) -> tuple[int, int, Hit | None] | None:
        toks = self.toks
        if e + 2 < len(toks) and toks[e].norm == "(":
            k = e + 1
            while k < len(toks) and toks[k].norm != ")" and k - e < 6:
                k += 1
            if k < len(toks) and toks[k].norm == ")" and k > e + 1:
                inner = toks[e + 1:k]
                if all(t.script in (LATIN, PUNCT, NUMBER) for t in inner) and any(
                        t.script == LATIN and (t.upper or (len(t.raw) > 1 and t.raw[:1].isupper() and
                                                           sum(ch.isupper() for ch in t.raw) >= 2))
                        for t in inner):
                    return e + 1, k, self.org_at.get(e + 1)
        return None

    # -- resolution --------------------------------------------------------------------------
    def resolve(self, c: Cand) -> None:
        """Name, kind, country and registry key of a composed candidate."""
        doc, rx, reg = self.doc, self.rx, self.reg
        head = c.head
        text = self.display_text(c)
        core = self.display_text(c, c.core_e) if c.core_e else text
        country = c.country
        parent_key = c.parent_key or (c.nested[0].key if c.nested and head and head.cls in ("unit",) else None)
        c.parent_key = parent_key
        keys: list[str] = []
        k = reg.resolve(text, country=country) or (reg.resolve(core, country=country) if core != text else None)
        if k:
            keys.append(k)
        if not keys and head is not None:
            if head.cls == "unit" and parent_key and head.key in ("office", "mission", "delegation",
                                                                 "regional_office", "headquarters"):
                pe = reg.orgs.get(parent_key)
                if pe is not None and pe.kind == "IntergovernmentalOrganization" and head.key == "delegation" \
                        or (pe is not None and parent_key == "eu" and head.key in ("mission", "delegation")):
                    host = country or doc.country
                    d = rx.delegations.get((parent_key, host)) if host else None
                    if d:
                        keys.append(d)
                if not keys:
                    regional = head.key == "regional_office" or "regional" in text.lower() or "اقليمي" in text
                    ucountry = country or (None if regional else doc.country)
                    if ucountry:
                        u = rx.units.get((parent_key, ucountry, regional))
                        if u:
                            keys.append(u)
            elif head.cls == "embassy" and country:
                host = None
                if c.place:
                    host = rx.country_of_place(c.place)
                send = country if not c.place or host != country else country
                if host == send:
                    host = None
                host = host or (doc.country if doc.country != send else None)
                e_ = rx.embassies.get((send, host)) or (rx.embassies.get((send, None)))
                if e_:
                    keys.append(e_)
            elif head.cls == "government" and country:
                g = rx.governments.get(country)
                if g:
                    keys.append(g)
            else:
                k2 = rx.by_name_in_country(core, country or doc.country)
                if k2 and (head.key != "ministry" or reg.orgs[k2].kind == "GovernmentBody"):
                    keys.append(k2)
                elif head.key == "ministry" and c.portfolio:
                    k3 = rx.by_name_in_country("Ministry of " + c.portfolio, country or doc.country)
                    if k3:
                        keys.append(k3)
        if not keys and head is not None and head.cls == "unit" and parent_key and doc.toks[c.s].script == LATIN:
            short = rx.short.get(parent_key, parent_key)
            core_start = c.nested[-1].e if c.nested and c.nested[-1].e <= (c.core_e or c.e) else c.s
            if core_start < len(doc.toks) and doc.toks[core_start].norm == "(":
                while core_start < c.e and doc.toks[core_start].norm != ")":
                    core_start += 1
                core_start += 1
            if core_start < (c.core_e or c.e):
                k4 = reg.resolve(f"{short} {doc.span_text(core_start, c.core_e or c.e)}", country=country) or \
                    reg.resolve(f"{short} {doc.span_text(core_start, c.e)}", country=country)
                if k4:
                    keys.append(k4)
        c.keys = tuple(keys)
        if head is None:
            return
        # the composed name and kind
        c.kind = head.kind
        if head.cls == "embassy":
            c.kind = "Embassy"
            cname = self.rx.place_name(country) if country else None
            c.name = f"{head.en} of {cname}" if cname else text
        elif head.cls == "government":
            cname = self.rx.place_name(country) if country else None
            c.name = f"Government of {cname}" if cname else text
        elif head.key == "ministry":
            if c.portfolio is None:
                c.portfolio = self.portfolio_of(c.s, c.e)
            c.name = f"Ministry of {c.portfolio}" if c.portfolio else text
        elif head.cls == "unit" and parent_key:
            short = rx.short.get(parent_key, parent_key)
            if parent_key == "eu" and head.key in ("mission", "delegation"):
                c.kind = "Embassy"
                cname = self.rx.place_name(country) if country else None
                c.name = f"Delegation of the European Union to {cname}" if cname else text
            elif head.key in ("office", "mission") and country and not c.place or \
                    (head.key in ("office", "mission") and c.place and self.reg.places.get(c.place)
                     and self.reg.places[c.place].kind == "Country"):
                c.name = f"{short} {self.rx.place_name(country)} office"
            elif head.key == "regional_office" or (head.key == "office" and c.place):
                where = self.rx.place_name(c.place) if c.place else None
                c.name = f"{short} Regional Office in {where}" if where else f"{short} Regional Office"
            elif head.key == "headquarters":
                where = self.rx.place_name(c.place) if c.place else None
                c.name = f"{short} Headquarters" + (f" ({where})" if where else "")
            else:
                c.name = text if doc.toks[c.s].script == LATIN else f"{short} {head.en.lower()}: {text}"
        else:
            c.name = text
        if c.name and doc.toks[c.s].script == LATIN and c.name.lower().startswith("the "):
            c.name = c.name[4:]
        # kinds the head alone does not give
        if head.key in ("agency", "fund", "centre", "organization", "foundation") and country \
                and head.cls == "body":
            c.kind = "GovernmentBody" if head.key in ("agency", "fund") else c.kind
        if self.lx.international.matches_at(doc.toks, c.s) and head.key in ("organization", "agency", "centre"):
            c.kind = "IntergovernmentalOrganization" if head.key != "centre" else c.kind
        if c.country is None and c.kind in ("GovernmentBody", "OrganizationalUnit", "Embassy") \
                and head.cls != "embassy":
            c.country = doc.country

    def display_text(self, c: Cand, end: int | None = None) -> str:
        """The text of a candidate as a mention shows it (a leading و/ب/ل dropped)."""
        e = c.e if end is None else end
        if e <= c.s:
            e = c.e
        start = self.doc.display_start(c.s, self.first_base(c) if self.toks[c.s].script == ARABIC else None)
        return self.doc.text[start:self.toks[e - 1].end]

    def portfolio_of(self, s: int, e: int) -> str | None:
        """English portfolio of a ministry span: its portfolio words joined by "and"."""
        toks, lx = self.toks, self.lx
        j = s
        m = lx.heads.longest(toks, s)
        if m:
            j = m[0]
        parts: list[str] = []
        while j < e:
            pm = lx.portfolios.longest(toks, j, e)
            if pm:
                if pm[1] not in parts:
                    parts.append(pm[1])
                j = pm[0]
                continue
            t = toks[j]
            if t.norm in ("and", "&", "of", "the") or j in self.adj_at or j in self.place_at or t.norm in _LOC_AR \
                    or t.norm in _LOC_EN:
                j += 1
                continue
            return None if not parts else " and ".join(parts)
        return " and ".join(parts) if parts else None

    # -- entities -----------------------------------------------------------------------------
    def registry_ent(self, key: str) -> Ent:
        ent = self.by_key.get(key)
        if ent is None:
            e = self.reg.orgs[key]
            ent = Ent("Organization", e.names.get("en", key), kind=e.kind, country=e.country, registry=key)
            ent.heads = set(self.rx.heads.get(key, ()))
            if key in self.rx.government_keys:
                ent.info["conditional"] = True  # a government is an actor only as a relation's end
            self.by_key[key] = ent
            self.doc.add(ent)
        return ent

    def composite_ent(self, name: str, kind: str | None, country: str | None, heads: set[str],
                      parent: Ent | None = None) -> Ent:
        sig = (name_key(name), kind if kind != "OrganizationalUnit" else "unit", country,
               id(parent) if parent else None)
        ent = self.by_sig.get(sig)
        if ent is None:
            ent = Ent("Organization", name, kind=kind, country=country)
            ent.heads = set(heads)
            ent.parent = parent
            self.by_sig[sig] = ent
            self.doc.add(ent)
        return ent

    def ent_for(self, c: Cand) -> Ent:
        if c.keys:
            return self.registry_ent(c.keys[0]) if len(c.keys) == 1 else self.registry_ent(
                self.pick_key(c.keys, c.country))
        parent_ent = None
        if c.parent_key:
            parent_ent = self.registry_ent(c.parent_key)
        elif c.parent is not None:
            self.resolve(c.parent)
            parent_ent = self.ent_for(c.parent)
        heads = {c.head.key} if c.head else set()
        return self.composite_ent(c.name or self.doc.span_text(c.s, c.e), c.kind, c.country, heads, parent_ent)

    def pick_key(self, keys: tuple[str, ...], country: str | None) -> str:
        """One registry key among entries sharing a name: the one of the country
        named with it, else of the item's country, else the first."""
        for cc in (country, self.doc.country):
            if cc:
                same = [k for k in keys if self.reg.orgs[k].country == cc]
                if len(same) == 1:
                    return same[0]
        return keys[0]

    # -- the pass ------------------------------------------------------------------------------
    def run(self) -> None:
        doc, toks, lx = self.doc, self.toks, self.lx
        cands: list[Cand] = []
        for h in self.org_hits:
            cands.append(Cand(s=h.s, e=h.e, keys=h.keys))
        for i in doc.starts(lx.heads):
            if not doc.active[i]:
                continue
            t = toks[i]
            if t.script == ARABIC:
                c = self.compose_ar(i)
            elif t.script == LATIN:
                c = self.compose_en(i)
            else:
                c = None
            if c is None:
                continue
            hit = self.org_at.get(c.s)
            if hit is not None:
                if hit.e >= c.e:
                    continue  # the registry name covers it
                # longer than a registry name at the same place: only a government
                # body placed in another country ("وزارة العمل" + "اللبنانية")
                entry = self.reg.orgs.get(hit.key)
                unit_of_hit = c.parent_key is not None and c.parent_key == hit.key
                if not unit_of_hit and not (entry is not None and entry.kind == "GovernmentBody" and c.country
                                            and c.country != entry.country):
                    continue
            inside = self.org_cover.get(c.s)
            if inside is not None and inside.s < c.s and inside.e >= c.e:
                continue
            self.resolve(c)
            cands.append(c)
            for x in c.extra:
                self.resolve(x)
                cands.append(x)
        cands.extend(self.igo_in_country())
        # longest first, then leftmost
        cands.sort(key=lambda c: (-c.length, c.s))
        chosen: list[Cand] = []
        taken: set[int] = set()
        for c in cands:
            if any(k in taken for k in range(c.s, c.e)):
                continue
            chosen.append(c)
            taken.update(range(c.s, c.e))
        chosen.sort(key=lambda c: c.s)
        for c in chosen:
            if c.nominal_owner and not c.parent_key:
                owner = self.latest_with_head(c.nominal_owner, c.s)
                if owner is not None and owner.registry:
                    c.parent_key = owner.registry
                    self.resolve(c)
            if c.composed and c.head is not None and c.head.cls == "unit" and not c.keys \
                    and not c.parent_key and c.parent is None:
                p = self.infer_parent(c)
                if p:
                    c.parent_key = p
                    self.resolve(c)
            if not c.composed and c.keys:
                if len(c.keys) > 1:
                    ent = self.registry_ent(self.pick_key(c.keys, self.country_near(c.e)))
                else:
                    ent = self.registry_ent(c.keys[0])
            else:
                ent = self.ent_for(c)
            base = None
            if toks[c.s].script == ARABIC:
                base = self.first_base(c)
            doc.occupy(ent, c.s, c.e, force=True)
            ent.info.setdefault("display", {})[(c.s, c.e)] = base
            if c.composed:
                ent.info.setdefault("composed_spans", []).append((c.s, c.e))
            # a "(ACR)" right after the name is a mention of the same body
            acr = self.acronym_after(c.e)
            if acr is not None:
                a_s, a_e, a_hit = acr
                if a_hit is not None and a_hit.e == a_e:
                    other = self.registry_ent(a_hit.key)
                    if other is not ent and self.same_body(ent, other):
                        self.merge(other, ent)
                        ent = other
                    elif other is not ent:
                        # "مكتب المفوضية (UNHCR)": the acronym names the parent of a unit
                        doc.occupy(other, a_s, a_e, force=True)
                        continue
                doc.occupy(ent, a_s, a_e, force=True)
            # parents named inside the name
            self.nested_parents(c, ent)
        self.merge_variants()

    def latest_with_head(self, head: str, before: int) -> Ent | None:
        """The organization last named before token ``before`` with this head class."""
        best, best_pos = None, -1
        for ent in self.doc.ents:
            if ent.type != "Organization" or head not in ent.heads or ent.kind == "Group":
                continue
            pos = max((s for s, _ in ent.spans if s < before), default=-1)
            if pos > best_pos:
                best, best_pos = ent, pos
        return best

    def igo_in_country(self) -> list[Cand]:
        """English "the International Organization for Migration (IOM) in Jordan",
        "UNHCR in Iraq": an agency named with a country is its office there."""
        toks = self.toks
        out = []
        for h in self.org_hits:
            e = self.reg.orgs.get(h.key)
            if e is None or e.kind != "IntergovernmentalOrganization" or toks[h.s].script != LATIN:
                continue
            j = h.e
            acr = self.acronym_after(j)
            if acr is not None:
                j = acr[1] + 1
            if j + 1 < len(toks) and toks[j].norm == "in" and (j + 1) in self.place_at:
                ph = self.place_at[j + 1]
                entry = self.reg.places.get(ph.key)
                if entry is None or entry.kind != "Country":
                    continue
                unit = self.rx.units.get((h.key, ph.key, False))
                c = Cand(s=h.s, e=ph.e, keys=(unit,) if unit else (), country=ph.key, place=ph.key,
                         composed=unit is None, head=self.lx.head_info.get("office"), parent_key=h.key)
                c.nested.append(h)
                if unit is None:
                    c.kind = "OrganizationalUnit"
                    c.name = f"{self.rx.short.get(h.key, h.key)} {self.rx.place_name(ph.key)} office"
                out.append(c)
        return out

    def infer_parent(self, c: Cand) -> str | None:
        """The body a unit named without it belongs to ("المكتب الإقليمي في فيينا",
        "the Regional Office"): that of the nearest unit before it in the
        sentence, else the nearest intergovernmental organization before it."""
        sent = self.toks[c.s].sent
        best: tuple[int, str] | None = None
        for ent in self.doc.ents:
            if ent.type != "Organization" or not ent.spans:
                continue
            pos = max((s for s, _ in ent.spans if s < c.s), default=None)
            if pos is None:
                continue
            key = None
            if ent.kind == "OrganizationalUnit":
                if ent.registry and self.reg.orgs[ent.registry].parent and self.toks[pos].sent == sent:
                    key = self.reg.orgs[ent.registry].parent
                elif ent.parent is not None and ent.parent.registry and self.toks[pos].sent == sent:
                    key = ent.parent.registry
            elif ent.kind == "IntergovernmentalOrganization" and ent.registry:
                key = ent.registry
            if key and (best is None or pos > best[0]):
                best = (pos, key)
        return best[1] if best else None

    def country_near(self, e: int) -> str | None:
        """A country adjective or "في <country>" right after a span."""
        toks = self.toks
        if e < len(toks):
            if e in self.adj_at:
                return self.adj_at[e].key
            if toks[e].norm in _LOC_AR | _LOC_EN and e + 1 in self.place_at:
                return self.rx.country_of_place(self.place_at[e + 1].key)
            if e in self.place_at and toks[e].norm[:1] == "ب":
                return self.rx.country_of_place(self.place_at[e].key)
        return None

    def first_base(self, c: Cand) -> str | None:
        toks = self.toks
        if c.composed and c.head is not None:
            for b in toks[c.s].bases:
                if any(b == base for base in self._head_bases()):
                    return b
            return None
        h = self.org_at.get(c.s)
        if h is not None:
            # the registry form's first base: the shortest base the token has that the index knows
            for b in sorted(toks[c.s].bases, key=len, reverse=True):
                if b in self.rx.gaz._index:
                    return b
        return None

    _head_base_cache: frozenset[str] | None = None

    def _head_bases(self) -> frozenset[str]:
        if OrgFinder._head_base_cache is None:
            OrgFinder._head_base_cache = frozenset(self.lx.heads._index)
        return OrgFinder._head_base_cache

    def same_body(self, a: Ent, b: Ent) -> bool:
        """May a composed entity and a registry entity be one body? (a name and its acronym)"""
        if a.registry or not b.registry:
            return a is b
        rb = self.reg.orgs.get(b.registry)
        if rb is None:
            return False
        if a.parent is not None and a.parent.registry == b.registry:
            return False
        return True

    def merge(self, keep: Ent, gone: Ent) -> None:
        """Fold entity ``gone`` into ``keep`` (all mentions, occupancy)."""
        if keep is gone:
            return
        for sp in gone.spans:
            keep.add_span(*sp)
        for (s, e), b in gone.info.get("display", {}).items():
            keep.info.setdefault("display", {})[(s, e)] = b
        for i, (ent, s, e) in list(self.doc.occ.items()):
            if ent is gone:
                self.doc.occ[i] = (keep, s, e)
        keep.heads |= gone.heads
        if gone in self.doc.ents:
            self.doc.ents.remove(gone)
        for k, v in list(self.by_sig.items()):
            if v is gone:
                self.by_sig[k] = keep
        for other in self.doc.ents:
            if other.parent is gone:
                other.parent = keep

    def nested_parents(self, c: Cand, ent: Ent) -> None:
        """A unit's parent named inside the unit's name is an entity too, and an
        organization named inside a registry alias with "التابعة ل" / "part of"."""
        hits = list(c.nested)
        if not c.composed:
            # registry names inside a registry name ("IOM Iraq" holds "IOM")
            hits = self.inner_hits(c.s, c.e, exclude=ent.registry)
        for h in hits:
            if len(h.keys) > 1:
                continue
            key = h.key
            if ent.registry and key == ent.registry:
                continue
            ancestors = self.reg.parents(ent.registry)[:1] if ent.registry else []
            between = [self.toks[k] for k in range(c.s, h.s)]
            cue = any(t.norm.startswith("التابع") or t.norm in ("part",) for t in between)
            is_parent = key in ancestors or (ent.parent is not None and ent.parent.registry == key) or \
                (c.parent_key == key) or (cue and key in self.reg.parents(ent.registry or ""))
            unitlike = ent.kind in ("OrganizationalUnit", "Embassy") or (c.head is not None and c.head.cls == "unit")
            if not is_parent and not (c.composed and c.head is not None and c.head.cls == "unit"):
                continue
            if not unitlike and not cue:
                continue  # an IGO named inside another's alias: only with an explicit "part of" cue
            pent = self.registry_ent(key)
            if pent is ent:
                continue
            if h.s < c.e and h.e <= c.e:
                pent.add_span(h.s, h.e)
                pent.info.setdefault("display", {})[(h.s, h.e)] = self.first_base(Cand(s=h.s, e=h.e, keys=h.keys))
            if ent.parent is None and not ent.registry:
                ent.parent = pent
            ent.info["nested_parent"] = pent

    def inner_hits(self, s: int, e: int, exclude: str | None = None) -> list[Hit]:
        """Registry names strictly inside tokens s..e (other than ``exclude``'s),
        longest first, left to right."""
        out: list[Hit] = []
        k = s
        orgs = frozenset((ORG,))
        while k < e:
            found = [(f, end) for f, end in self.rx.gaz.matches_at(self.toks, k, orgs)
                     if end <= e and not (k == s and end == e) and f.key != exclude]
            if not found:
                k += 1
                continue
            best = max(end for _, end in found)
            keys = tuple(dict.fromkeys(f.key for f, end in found if end == best))
            out.append(Hit(k, best, ORG, keys))
            k = best
        return out

    def merge_variants(self) -> None:
        """Composed bodies of one item whose names are a shortened form of another
        ("وزارة الشؤون الاجتماعية" of "وزارة الشؤون الاجتماعية والعمل") are one."""
        comps = [e for e in self.doc.ents if e.type == "Organization" and not e.registry and e.heads]
        regs = [e for e in self.doc.ents if e.type == "Organization" and e.registry]
        for a in comps:
            if a not in self.doc.ents:
                continue
            for b in comps + regs:
                if b is a or b not in self.doc.ents or a not in self.doc.ents:
                    continue
                if not (a.heads & b.heads) or (a.country and b.country and a.country != b.country):
                    continue
                if a.kind != b.kind and not b.registry:
                    continue
                if a.parent is not b.parent and not b.registry:
                    continue
                forms_b = [b.name] + [self.doc.span_text(s, e) for s, e in b.spans]
                if b.registry:
                    rb = self.reg.orgs[b.registry]
                    forms_b += list(rb.names.values()) + [x for al in rb.aliases.values() for x in al]
                sa = [self.doc.span_text(s, e) for s, e in a.spans]
                if any(self._prefix_of(x, y) for x in sa for y in forms_b):
                    self.merge(b, a)
                    break

    @staticmethod
    def _prefix_of(short: str, long: str) -> bool:
        ws, wl = name_words(short), name_words(long)
        return 2 <= len(ws) < len(wl) and wl[:len(ws)] == ws


def find_orgs(doc: Doc, rx: RegistryIndex, lx: Lexicons) -> OrgFinder:
    f = OrgFinder(doc, rx, lx)
    f.run()
    return f
