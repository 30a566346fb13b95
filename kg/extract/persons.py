"""Persons: names introduced by a post or an honorific, their posts
(``holds_post`` with the role in English), later mentions by surname alone,
and the quotations attributed to them.

News introduces a person in a few fixed ways, which are the anchors here:

* a post, then the name: "وزير العدل الأردني الدكتور أحمد نوري زيادات",
  "Prime Minister Jafar Hassan", "UNRWA Commissioner-General Pierre Krahenbuhl";
* an honorific, then the name: "السيد كينجي ساتو", "Ms. Lina Haddad";
* the name, then its post in apposition: "Nada Al-Nashif, ILO Regional
  Director for the Arab States", "هشام عبد الحميد، منسق برامج التوعية
  باللجنة", "تجما كورت وهي مديرة مكتب ...";
* a verb of saying next to the name: "said Lukas Gehrke", "قالت تجما كورت".

A name without any of these is not taken (capitalized words are too often
something else). The organization of a post is the one named in the post
("مدير مكتب المنظمة الدولية للهجرة في لبنان"), or the body the title implies
("وزير العمل" -> the Ministry of Labour of the item's country, "Swiss
Ambassador" -> the Swiss embassy or government).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from kg.extract.doc import Doc, Ent
from kg.extract.lexicon import Lexicons, Title
from kg.extract.registry_index import RegistryIndex
from kg.extract.tokens import ARABIC, LATIN, PUNCT

_EN_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "da", "di", "le", "la", "du", "der", "den",
                           "abu", "abou", "bint", "dos", "das", "del", "y", "ter", "ben"})
_AR_PARTICLES = frozenset({"عبد", "ابو", "بو", "ابن", "بن", "بنت", "ال", "ام", "ابي"})
_EN_POST_LINK = frozenset({"of", "at", "with", "for", "in", "to"})
_AR_POST_LINK = frozenset({"في", "لدي", "من", "عن", "داخل"})
_QUOTE_OPEN = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’"}
_ATTACH = frozenset({"وهي", "وهو", "هي", "هو"})


@dataclass
class Post:
    s: int                  # first token of the post phrase
    e: int                  # token after it (where a name may start)
    role: str
    org: Ent | None
    title: Title | None
    unit_key: str | None = None  # the registry office of ``org`` in the country the post names


class PersonFinder:
    def __init__(self, doc: Doc, rx: RegistryIndex, lx: Lexicons):
        self.doc = doc
        self.rx = rx
        self.lx = lx
        self.toks = doc.toks
        self.orgs = doc.info["orgs"]
        self.persons: list[Ent] = []

    # -- token tests -------------------------------------------------------------------
    def org_at(self, i: int) -> tuple[Ent, int, int] | None:
        o = self.doc.occ.get(i)
        if o is not None and o[0].type == "Organization":
            return o
        return None

    def boundary_ar(self, i: int) -> bool:
        """Can token ``i`` not be part of an Arabic person's name?"""
        toks, lx = self.toks, self.lx
        t = toks[i]
        if t.script != ARABIC:
            return True
        if i in self.doc.occ:
            return True
        if t.norm == "علي" and t.raw.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith("ي"):
            return False  # the name Ali (علي), which folds like the preposition على
        if lx.ar_stop.matches_at(toks, i) or lx.speech.matches_at(toks, i) or lx.honorifics.matches_at(toks, i):
            return True
        if lx.titles.matches_at(toks, i) or lx.heads.matches_at(toks, i) or lx.event_kinds.matches_at(toks, i):
            return True
        if lx.title_mods_ar.matches_at(toks, i) or lx.person_nominals.matches_at(toks, i):
            return True
        if lx.groups.matches_at(toks, i) or lx.portfolios.matches_at(toks, i) or lx.project_nouns.matches_at(toks, i):
            return True
        if lx.ar_not_name.matches_at(toks, i):
            return True
        if lx.all_cues.matches_at(toks, i):
            return True
        info = self.doc.info
        if i in info.get("place_at", {}) or i in info.get("adj_at", {}):
            return True
        if t.norm in _ATTACH:
            return True
        return False

    def name_ar(self, i: int) -> tuple[int, int] | None:
        """An Arabic name starting at ``i``: 2 to 4 words (particles do not count)."""
        toks = self.toks
        n = len(toks)
        if i >= n or toks[i].script != ARABIC:
            return None
        sent = toks[i].sent
        first = toks[i].norm
        if first.startswith("ال") or first.startswith("لل") or (first[:1] == "ل" and first[1:3] == "ال"):
            return None  # a name does not begin with the article or "لـ"
        j = i
        words = 0
        while j < n and toks[j].sent == sent and (j == i or not toks[j].nl_before):
            t = toks[j]
            if t.norm == "-" and j > i and not t.space_before and j + 1 < n and not toks[j + 1].space_before \
                    and toks[j + 1].script == ARABIC:
                j += 1  # "بيير-كريستوف": one name word
                continue
            if t.norm in _AR_PARTICLES and j + 1 < n and toks[j + 1].script == ARABIC:
                j += 1
                continue
            if words >= 1 and t.norm.startswith("ال") and j + 1 < n and toks[j + 1].script == ARABIC \
                    and not self.boundary_ar(j + 1) and not self.lx.ar_name_particles.matches_at(toks, j) \
                    and toks[j + 1].sent == sent and not toks[j + 1].nl_before:
                return None  # "مكتبها الإقليمي محمد عاشور": a definite word inside is not a name's
            if self.boundary_ar(j):
                break
            if j > i and t.norm[:1] == "و" and len(t.norm) > 3 and (
                    self.lx.titles.matches_at(toks, j) or self.lx.heads.matches_at(toks, j)):
                break
            words += 1
            j += 1
            if words >= 4:
                break
        while j > i and toks[j - 1].norm in _AR_PARTICLES:
            j -= 1
        # "ماركو بيتشي أهمية الشراكة": a word in construct with the definite word after it
        # belongs to what follows, not to the name
        if words >= 3 and j < n and toks[j].script == ARABIC and toks[j].norm.startswith("ال") \
                and toks[j].sent == sent and not self.lx.ar_stop.matches_at(toks, j):
            j -= 1
            words -= 1
        if words < 2 or j <= i:
            return None
        return i, j

    def en_word(self, i: int) -> bool:
        t = self.toks[i]
        if t.script != LATIN:
            return False
        if not t.raw[:1].isupper():
            return False
        if t.raw in self.lx.en_not_name:
            return False
        if i in self.doc.occ or i in self.doc.info.get("place_at", {}) or i in self.doc.info.get("adj_at", {}):
            return False
        if self.lx.titles.matches_at(self.toks, i) or self.lx.heads.matches_at(self.toks, i):
            return False
        return True

    def name_en(self, i: int, min_words: int = 2) -> tuple[int, int] | None:
        """An English name at ``i``: 2 to 4 capitalized words; a word may be
        hyphenated ("Al-Nashif") or have a lower-case particle ("al-Bassam",
        "van der Berg"), and the last one may be all capitals ("Ahmet APAN")."""
        toks = self.toks
        n = len(toks)
        if i >= n:
            return None
        sent = toks[i].sent
        j = i
        words = 0
        end = i
        while j < n and toks[j].sent == sent and words < 4:
            if j > i and (toks[j].nl_before or not toks[j].space_before):
                break
            # one word: tokens joined by "-" without spaces
            k = j
            while k + 2 < n and toks[k + 1].norm == "-" and not toks[k + 1].space_before \
                    and not toks[k + 2].space_before and toks[k + 2].script == LATIN:
                k += 2
            first = toks[j]
            if first.script != LATIN:
                break
            if first.norm in _EN_PARTICLES and (k > j or (j + 1 < n and self.en_word(j + 1))) and words:
                if k > j:
                    if not toks[k].raw[:1].isupper():
                        break
                    words += 1
                    j = end = k + 1
                    continue
                j += 1
                continue
            if not self.en_word(j) or any(q in self.doc.occ for q in range(j, k + 1)):
                break
            words += 1
            j = end = k + 1
        if words < min_words:
            return None
        return i, end

    # -- posts ---------------------------------------------------------------------------
    def post_ar(self, i: int) -> Post | None:
        """A post phrase at ``i``: [modifier] title [portfolio | domain words] [org]
        [country]; ``Post.e`` is where the name may start (after honorifics)."""
        toks, lx, doc = self.toks, self.lx, self.doc
        n = len(toks)
        j = i
        mods: list[str] = []
        while j < n:
            mm = lx.title_mods_ar.longest(toks, j)
            if not mm:
                break
            tt = lx.titles.longest(toks, j)
            if tt and tt[0] > mm[0]:
                break  # the title lexicon has the whole phrase ("نائب المدير العام")
            if not lx.titles.longest(toks, mm[0]) and not lx.title_mods_ar.longest(toks, mm[0]):
                break
            mods.append(mm[1])
            j = mm[0]
        m = lx.titles.longest(toks, j)
        if not m:
            return None
        te, title = m
        if toks[j].script != ARABIC:
            return None
        sent = toks[i].sent
        role = " ".join(mods + [title.en])
        org: Ent | None = None
        k = te
        country = None
        if title.portfolio:
            parts: list[str] = []
            p_s = k
            while k < n and toks[k].sent == sent:
                o = self.org_at(k)
                if o is not None and not parts:
                    break
                pm = lx.portfolios.longest(toks, k)
                if not pm or (parts and toks[k].norm[:1] not in "وف"):
                    break
                parts.append(pm[1])
                k = pm[0]
            if parts:
                p_e = k
                while k < n and k in doc.info.get("adj_at", {}):
                    country = doc.info["adj_at"][k].key
                    k = doc.info["adj_at"][k].e
                if k + 1 < n and toks[k].norm in ("في", "لدي") and (k + 1) in doc.info.get("place_at", {}):
                    ph = doc.info["place_at"][k + 1]
                    country = self.rx.country_of_place(ph.key) or country
                    k = ph.e
                portfolio = " and ".join(parts)
                org = self.orgs_ministry(portfolio, country, p_s, p_e)
                role = " ".join(mods + [f"{title.en} of {portfolio}"])
        if org is None:
            # the organization of the post: the first one named within a few words
            # ("منسقة برنامج مكافحة تهريب المهاجرين في مكتب الأمم المتحدة ...")
            limit = min(n, k + 9)
            q = k
            while q < limit and toks[q].sent == sent:
                o = self.org_at(q)
                if o is not None:
                    org = o[0]
                    k = o[2]
                    break
                t = toks[q]
                if q in doc.info.get("adj_at", {}) and q == k:
                    country = doc.info["adj_at"][q].key
                    k = q = doc.info["adj_at"][q].e
                    continue
                if title.embassy and q in doc.info.get("place_at", {}) and q == k:
                    ph = doc.info["place_at"][q]
                    country = self.rx.country_of_place(ph.key)
                    k = q = ph.e
                    continue
                if q == k and t.norm in ("في", "لدي") and (q + 1) in doc.info.get("place_at", {}):
                    k = q = doc.info["place_at"][q + 1].e  # "القنصل العام الألماني في أربيل": where the post is
                    continue
                if t.script != ARABIC or lx.honorifics.matches_at(toks, q) or lx.speech.matches_at(toks, q) \
                        or (lx.ar_stop.matches_at(toks, q) and t.norm not in _AR_POST_LINK and t.norm != "غير") \
                        or lx.titles.matches_at(toks, q) and q > te:
                    break
                q += 1
            if org is not None:
                # the unit's parent or place after it: "... في رئاسة إدارة الهجرة", "في لبنان"
                while k + 1 < n and toks[k].norm in _AR_POST_LINK and toks[k].sent == sent:
                    o2 = self.org_at(k + 1)
                    if o2 is not None:
                        k = o2[2]
                        continue
                    ph = doc.info.get("place_at", {}).get(k + 1)
                    if ph is not None:
                        k = ph.e
                        continue
                    break
            else:
                # no organization named: the name follows an honorific within the window
                # ("مدير قسم العودة وإعادة الإدماج ... الدكتور علي الساعدي")
                hon = next((q2 for q2 in range(te, min(n, te + 9)) if toks[q2].sent == sent and
                            lx.honorifics.matches_at(toks, q2) and toks[q2].script == ARABIC), None)
                k = hon if hon is not None else (te if not title.embassy else k)
                org = self.implied_org(title, country, i)
        if title.office and org is not None and org.kind != "OrganizationalUnit":
            pass
        # honorifics between the post and the name
        while k < n and toks[k].sent == sent:
            h = lx.honorifics.longest(toks, k)
            if not h:
                break
            k = h[0]
            if k < n and toks[k].norm == ".":
                k += 1
        return Post(i, k, role, org, title)

    def post_en(self, i: int, after_name: bool = False) -> Post | None:
        """An English post phrase starting at ``i`` (pre-modifiers included):
        "[ORG|adjective] [modifiers] Title [of/for ... ] [at/of/with ORG]"."""
        toks, lx, doc = self.toks, self.lx, self.doc
        n = len(toks)
        j = i
        if j < n and toks[j].norm in ("the", "a", "an") and toks[j].script == LATIN:
            j += 1
        sent = toks[i].sent if i < n else -1
        org: Ent | None = None
        country = None
        mods: list[str] = []
        # leading organization or adjective: "UNRWA Commissioner-General", "Swiss Ambassador"
        o = self.org_at(j)
        if o is not None and o[1] <= j:
            org = o[0]
            j = o[2]
            if j + 1 < n and toks[j].norm == "'" and toks[j + 1].norm == "s":
                j += 2
        elif j in doc.info.get("adj_at", {}):
            country = doc.info["adj_at"][j].key
            j = doc.info["adj_at"][j].e
        start_mods = j
        if org is not None and o is not None and any(lx.titles.matches_at(toks, q) for q in range(o[1], o[2])) \
                and j < n and self.name_en(j):
            role = doc.span_text(o[1], o[2])
            return Post(i, j, role, org, None)
        while j < n and toks[j].script in (LATIN, PUNCT) and toks[j].sent == sent:
            if lx.titles.longest(toks, j) and not (toks[j].norm.lower() in lx.title_mods_en and j + 1 < n and (
                    lx.titles.longest(toks, j + 1) or toks[j + 1].norm.lower() in lx.title_mods_en
                    or toks[j + 1].norm in ("&", "and", "-"))):
                break
            if toks[j].norm in lx.title_mods_en or (toks[j].norm in ("&", "and", "-") and j > start_mods):
                mods.append(toks[j].raw)
                j += 1
                continue
            return None
        m = lx.titles.longest(toks, j)
        if not m:
            return None
        te, title = m
        role_words = [doc.text[toks[start_mods].start:toks[te - 1].end]] if start_mods < te else [title.en]
        k = te
        # "of/for X" domain and "at/of/with ORG"
        while k < n and toks[k].sent == sent and k - te < 12:
            t = toks[k]
            if t.script == LATIN and t.norm in _EN_POST_LINK:
                q = k + 1
                if q < n and toks[q].norm in ("the", "its"):
                    q += 1
                o = self.org_at(q)
                if o is not None and o[1] == q:
                    org = o[0]
                    k = o[2]
                    # "head of the PMM's Return Department": the unit owned is the post's body
                    while k + 2 < n and toks[k].norm == "'" and toks[k + 1].norm == "s" and self.org_at(k + 2):
                        o = self.org_at(k + 2)
                        org = o[0]
                        k = o[2]
                    break
                if q + 2 < n and toks[q].norm in ("ministry", "organization", "agency") and toks[q + 1].norm == "'":
                    # "of the ministry's Legal Department": the nominal owner
                    o2 = self.org_at(q + 3)
                    if o2 is not None:
                        org = o2[0]
                        k = o2[2]
                        break
                if t.norm in ("to", "in") and q in doc.info.get("place_at", {}):
                    ph = doc.info["place_at"][q]
                    k = ph.e  # "EU Ambassador to Egypt Christian Berger", "UNICEF Representative in Iraq"
                    country = self.rx.country_of_place(ph.key) or country
                    continue
                if title.portfolio and t.norm == "of":
                    pm = lx.portfolios.longest(toks, q)
                    if pm:
                        portfolio = pm[1]
                        p_e = pm[0]
                        while p_e < n and toks[p_e].norm == "and" and lx.portfolios.longest(toks, p_e + 1):
                            pm2 = lx.portfolios.longest(toks, p_e + 1)
                            portfolio += " and " + pm2[1]
                            p_e = pm2[0]
                        org = self.orgs_ministry(portfolio, country, i, p_e, english=True)
                        role_words = [f"{title.en} of {portfolio}"]
                        k = p_e
                        break
                # domain words: "Director of Southern Dimension at ..."
                if q < n and toks[q].script == LATIN and (toks[q].raw[:1].isupper() or toks[q].norm in
                                                          lx.title_mods_en):
                    k = q + 1
                    while k < n and toks[k].script == LATIN and (toks[k].raw[:1].isupper() or
                                                                 toks[k].norm in ("and", "&")) \
                            and not self.org_at(k):
                        k += 1
                    role_words = [doc.text[toks[start_mods].start:toks[k - 1].end]]
                    continue
                break
            break
        if org is None:
            org = self.implied_org(title, country, i)
        unit_key = None
        if org is not None and country and org.registry and org.kind == "IntergovernmentalOrganization":
            unit_key = self.rx.units.get((org.registry, country, False))  # the agency's office there
        role = " ".join(role_words).strip()
        if role.lower().startswith("the "):
            role = role[4:]
        role = role[:1].upper() + role[1:]
        if title.portfolio and org is not None and "Minister" in role and " of " not in role and org.info.get(
                "portfolio"):
            role = f"{title.en} of {org.info['portfolio']}"
        # honorific between post and name
        while k < n and toks[k].sent == sent:
            h = lx.honorifics.longest(toks, k)
            if not h or toks[k].script != LATIN:
                break
            k = h[0]
            if k < n and toks[k].norm == ".":
                k += 1
        post = Post(i, k, role, org, title)
        post.unit_key = unit_key
        return post

    # -- implied organizations ---------------------------------------------------------------
    def orgs_ministry(self, portfolio: str, country: str | None, s: int, e: int, english: bool = False) -> Ent:
        """The ministry a minister's title names ("وزير العدل" -> Ministry of Justice)."""
        orgs, doc = self.orgs, self.doc
        cc = country or doc.country
        key = self.rx.by_name_in_country("Ministry of " + portfolio, cc) if cc else None
        if key:
            ent = orgs.registry_ent(key)
        else:
            ent = orgs.composite_ent(f"Ministry of {portfolio}", "GovernmentBody", cc, {"ministry"})
            # an earlier "وزارة العمل" of the same item is the same body
            for other in doc.ents:
                if other is not ent and other.type == "Organization" and "ministry" in other.heads and \
                        other.info.get("portfolio") == portfolio and (not other.country or other.country == cc):
                    orgs.merge(other, ent)
                    ent = other
                    break
        ent.info["portfolio"] = portfolio
        if e > s and doc.free(s, e):
            doc.occupy(ent, s, e)
            ent.info.setdefault("display", {})[(s, e)] = None
        return ent

    def implied_org(self, title: Title, country: str | None, at: int) -> Ent | None:
        """The body a bare title implies: Prime Minister -> the prime ministry,
        an ambassador -> the embassy (or government) of the country."""
        orgs, doc = self.orgs, self.doc
        if title.org == "prime_ministry":
            cc = country or doc.country
            key = self.rx.by_name_in_country("Prime Ministry", cc) if cc else None
            if key:
                ent = orgs.registry_ent(key)
            else:
                ent = orgs.composite_ent("Prime Ministry", "GovernmentBody", cc, {"prime_ministry"})
            return ent
        if title.embassy and country and country != doc.country:
            for e in doc.ents:
                if e.type == "Organization" and e.kind == "Embassy" and (e.country == country):
                    return e
            key = self.rx.governments.get(country)
            if key:
                ent = orgs.registry_ent(key)
            else:
                ent = orgs.composite_ent(f"Government of {self.rx.place_name(country)}", "GovernmentBody",
                                         country, {"government"})
            ent.info["conditional"] = True
            return ent
        return None

    # -- persons -------------------------------------------------------------------------------
    def person(self, s: int, e: int) -> Ent:
        """The person named by tokens s..e (one entity per name in the item)."""
        doc = self.doc
        name = doc.span_text(s, e)
        words = tuple(t.norm for t in self.toks[s:e] if t.script != PUNCT)
        for p in self.persons:
            if p.info["words"] == words or (len(words) < len(p.info["words"]) and
                                            p.info["words"][-len(words):] == words):
                doc.occupy(p, s, e)
                return p
        ent = Ent("Person", name)
        ent.info["words"] = words
        ent.surname = self.surname(s, e)
        doc.occupy(ent, s, e)
        doc.add(ent)
        self.persons.append(ent)
        return ent

    def surname(self, s: int, e: int) -> tuple[str, ...]:
        toks = self.toks
        ws = [t for t in toks[s:e] if t.script != PUNCT]
        if not ws:
            return ()
        if ws[0].script == ARABIC:
            if len(ws) >= 3 and ws[-2].norm in _AR_PARTICLES:
                return (ws[-2].norm, ws[-1].norm)
            return (ws[-1].norm,)
        # English: the last word, with a hyphenated prefix ("Al-Nashif")
        last = e - 1
        k = last
        while k - 2 >= s and toks[k - 1].norm == "-" and not toks[k].space_before:
            k -= 2
        return tuple(t.norm for t in toks[k:e])

    def attach_post(self, p: Ent, post: Post | None, evidence: tuple[int, int]) -> None:
        if post is None:
            return
        self.doc.info.setdefault("post_tokens", set()).update(range(post.s, post.e))
        if post.unit_key and post.org is not None:
            # "UNICEF Representative in Iraq": the post is in the agency's office there
            parent = post.org
            unit = self.orgs.registry_ent(post.unit_key)
            if not unit.spans:
                unit.info["keep"] = True
            self.doc.relate("part_of", unit, parent)
            post = Post(post.s, post.e, post.role, unit, post.title)
        org = post.org
        if org is not None and not org.spans:
            org.info["keep"] = True  # a body named by a post only ("Prime Minister X"): kept with the post
        if org is not None and org.kind == "IntergovernmentalOrganization" and post.title is not None and \
                post.title.en in ("Representative", "Resident Representative", "Head of Office", "Chief of Mission",
                                  "Country Director", "Deputy Representative"):
            # the representative of an agency in a country heads its office there
            for u in self.doc.ents:
                if u.type == "Organization" and u.kind == "OrganizationalUnit" and u.spans and (
                        u.parent is org or (u.registry and org.registry and
                                            self.rx.registry.orgs[u.registry].parent == org.registry)) \
                        and (u.country is None or u.country == self.doc.country):
                    post = Post(post.s, post.e, post.role, u, post.title)
                    break
        if post.org is not None:
            if not any(o is post.org for o, _ in p.posts):
                p.posts.append((post.org, post.role))
            self.doc.relate("holds_post", p, post.org, post.role, evidence)
        elif not p.posts:
            p.info.setdefault("roles", []).append(post.role)

    def run(self) -> None:
        doc, toks, lx = self.doc, self.toks, self.lx
        n = len(toks)
        cands = set(doc.starts(lx.titles, lx.title_mods_ar, lx.honorifics, lx.speech))
        cands.update(o[1] for o in doc.occ.values() if o[0].type == "Organization")
        cands.update(doc.info.get("adj_at", {}))
        cands.update(k for k, t in enumerate(toks) if t.script == LATIN and (t.raw[:1].isupper()
                                                                             or t.norm in ("by", "with")))
        pos = 0
        for i in sorted(cands):
            if i < pos or i >= n:
                continue
            if not doc.active[i] or i in doc.occ and doc.occ[i][0].type == "Person":
                continue
            t = toks[i]
            found = None
            if t.script == ARABIC:
                found = self.anchor_ar(i)
            elif t.script == LATIN:
                found = self.anchor_en(i)
            if found:
                pos = found
        self.surnames()
        self.headline_only()
        self.quotes()
        self.units_in_posts()

    def headline_only(self) -> None:
        """A "name" met only in the headline, never in the body, is more likely
        headline shorthand than a person ("سفير الاتحاد الأوروبي تعزيز التعاون")."""
        doc = self.doc
        title_end = doc.info.get("title_end", 0)
        if not title_end:
            return
        for p in list(self.persons):
            if p.spans and all(e <= title_end for _, e in p.spans):
                for s, e in p.spans:
                    for k in range(s, e):
                        if doc.occ.get(k, (None,))[0] is p:
                            del doc.occ[k]
                p.spans.clear()
                doc.rels = [r for r in doc.rels if r.subject is not p and r.object is not p]
                doc.ents.remove(p)
                self.persons.remove(p)

    def units_in_posts(self) -> None:
        """A department named only inside a post ("head of the PMM's Return
        Department") is not an actor of the item: the post belongs to its parent."""
        doc = self.doc
        posts = doc.info.get("post_tokens", set())
        for ent in list(doc.ents):
            if ent.type != "Organization" or ent.registry or ent.kind != "OrganizationalUnit" \
                    or not ent.heads & {"department", "unit"} or ent.parent is None:
                continue
            if not ent.spans or not all(k in posts for s, e in ent.spans for k in range(s, e)):
                continue
            for r in doc.rels:
                if r.object is ent and r.type == "holds_post":
                    r.object = ent.parent
                    for p in self.persons:
                        p.posts = [(ent.parent if o is ent else o, role) for o, role in p.posts]
            for s, e in list(ent.spans):
                for k in range(s, e):
                    if doc.occ.get(k, (None,))[0] is ent:
                        del doc.occ[k]
            ent.spans.clear()
            doc.ents.remove(ent)

    def anchor_ar(self, i: int) -> int | None:
        toks, lx = self.toks, self.lx
        post = self.post_ar(i) if (lx.titles.matches_at(toks, i) or lx.title_mods_ar.matches_at(toks, i)) else None
        if post is not None:
            known = self.known_surname(post.e)
            if known is not None:
                p, e = known
                self.doc.occupy(p, post.e, e)
                if post.org is not None:
                    self.attach_post(p, post, (post.s, e))
                return e
            nm = self.name_ar(post.e)
            if nm is None and post.org is None:
                # "مدير مكتبها الإقليمي محمد عاشور": words of the post the lexicon does not know
                for q in range(post.e + 1, min(len(toks), post.e + 4)):
                    if toks[q].sent != toks[i].sent or self.lx.ar_stop.matches_at(toks, q) or toks[q].script != ARABIC:
                        break
                    nm = self.name_ar(q)
                    if nm:
                        break
            if nm:
                p = self.person(*nm)
                self.attach_post(p, post, (post.s, nm[1]))
                return nm[1]
            return None
        h = lx.honorifics.longest(toks, i)
        if h and toks[i].script == ARABIC:
            k = h[0]
            if k < len(toks) and toks[k].norm == ".":
                k += 1
            nm = self.name_ar(k)
            if nm:
                p = self.person(*nm)
                self.post_after(p, nm[1])
                return nm[1]
        sp = lx.speech.longest(toks, i)
        if sp and toks[i].script == ARABIC:
            k = sp[0]
            nm = self.name_ar(k)
            if nm and nm[1] < len(toks) and (toks[nm[1]].norm in _ATTACH or toks[nm[1]].norm in (",", ":")):
                p = self.person(*nm)
                self.post_after(p, nm[1])
                return nm[1]
        return None

    def anchor_en(self, i: int) -> int | None:
        toks, lx = self.toks, self.lx
        n = len(toks)
        h = lx.honorifics.longest(toks, i)
        if h and toks[i].raw[:1].isupper():
            k = h[0]
            if k < n and toks[k].norm == "." and not toks[k].space_before:
                k += 1
            # "Lt. Col.", "Prof. Dr." chains
            while k < n:
                h2 = lx.honorifics.longest(toks, k)
                if not h2:
                    break
                k = h2[0]
                if k < n and toks[k].norm == ".":
                    k += 1
            nm = self.name_en(k)
            if nm:
                p = self.person(*nm)
                self.post_after(p, nm[1])
                if not p.posts:
                    self.post_before_en(p, i)
                return nm[1]
        if toks[i].raw[:1].isupper() or i in self.doc.occ:
            post = self.post_en(i) if (self.lx.titles.matches_at(toks, i) or self.org_at(i) or
                                      i in self.doc.info.get("adj_at", {}) or
                                      toks[i].norm in lx.title_mods_en) else None
            if post is not None and post.e < n:
                nm = self.name_en(post.e)
                if nm:
                    p = self.person(*nm)
                    self.attach_post(p, post, (post.s, nm[1]))
                    return nm[1]
        # "said Lukas Gehrke", "by Lukas Gehrke, the Director ..."
        if toks[i].script == LATIN and (lx.speech.matches_at(toks, i) or toks[i].norm in ("by", "with")):
            k = lx.speech.longest(toks, i)[0] if lx.speech.matches_at(toks, i) else i + 1
            while k < n and lx.honorifics.longest(toks, k):
                k = lx.honorifics.longest(toks, k)[0]
                if k < n and toks[k].norm == ".":
                    k += 1
            if k < n:
                nm = self.name_en(k)
                if nm and (lx.speech.matches_at(toks, i) or (nm[1] < n and toks[nm[1]].norm == ",")):
                    p = self.person(*nm)
                    self.post_after(p, nm[1])
                    return nm[1]
        # "Grandi said", "..., Bassam said"
        if self.en_word(i):
            nm = self.name_en(i)
            if nm and nm[1] < n and lx.speech.matches_at(toks, nm[1]) and not toks[i].nl_before or (
                    nm and nm[1] + 1 < n and toks[nm[1]].norm == "," and self.post_en(nm[1] + 1, after_name=True)):
                p = self.person(*nm)
                self.post_after(p, nm[1])
                return nm[1]
        return None

    def post_before_en(self, p: Ent, i: int) -> None:
        """A post in apposition before a name: "the ministry's director of child
        welfare, Dr. Amira Jassim" (the post ends with the comma before ``i``)."""
        toks = self.toks
        if i < 2 or toks[i - 1].norm != ",":
            return
        sent = toks[i].sent
        for k in range(max(0, i - 14), i - 1):
            if toks[k].sent != sent or toks[k].script != LATIN:
                continue
            if not (self.lx.titles.matches_at(toks, k) or toks[k].norm in self.lx.title_mods_en
                    or toks[k].norm in ("the", "a") or self.org_at(k)):
                continue
            post = self.post_en(k, after_name=True)
            if post is not None and post.org is not None and post.e <= i - 1 and all(
                    t.script == LATIN and t.raw.islower() for t in toks[post.e:i - 1]):
                self.attach_post(p, post, (k, i))
                return

    def known_surname(self, k: int) -> tuple[Ent, int] | None:
        """A person already met, named again by surname at ``k``."""
        toks = self.toks
        for p in self.persons:
            sn = p.surname
            if sn and k + len(sn) <= len(toks) and all(toks[k + q].norm == sn[q] for q in range(len(sn))):
                return p, k + len(sn)
        return None

    def post_after(self, p: Ent, e: int) -> None:
        """A post in apposition after a name: ", منسق ..." / "وهي مديرة ..." / ", head of ..."."""
        toks = self.toks
        n = len(toks)
        if e >= n:
            return
        k = e
        if toks[k].norm in (",", "،") or toks[k].norm in _ATTACH:
            k += 1
            if k < n and toks[k].norm in _ATTACH:
                k += 1
        else:
            return
        if k >= n or toks[k].sent != toks[e - 1].sent:
            return
        post = self.post_ar(k) if toks[k].script == ARABIC else self.post_en(k, after_name=True)
        if post is not None:
            self.attach_post(p, post, (e, post.e))

    # -- surnames ------------------------------------------------------------------------------
    def surnames(self) -> None:
        """Later (or earlier: NNA puts the surname on its own line before the
        paragraph) mentions of a person by surname alone."""
        doc, toks = self.doc, self.toks
        if not self.persons:
            return
        table: dict[tuple[str, ...], list[Ent]] = {}
        for p in self.persons:
            if p.surname:
                table.setdefault(p.surname, []).append(p)
                sn = p.surname
                if len(sn) >= 3 and sn[1] == "-" and sn[0] in ("al", "el"):
                    table.setdefault(sn[2:], []).append(p)
                if toks[p.spans[0][0]].script == ARABIC and len(sn) == 1 and sn[0].startswith("ال") and len(sn[0]) > 4:
                    table.setdefault((sn[0][2:],), []).append(p)
        n = len(toks)
        firsts = {sn[0] for sn in table}
        for i in range(n):
            if i in doc.occ or not doc.active[i]:
                continue
            t = toks[i]
            if t.norm not in firsts and not (t.norm[:1] in "ول" and t.norm[1:] in firsts):
                continue
            for sn, ps in table.items():
                if len(ps) != 1:
                    continue
                L = len(sn)
                if i + L > n:
                    continue
                if t.script == ARABIC:
                    ok = all(toks[i + j].norm == sn[j] for j in range(L)) or (
                        t.norm[:1] in "ول" and t.norm[1:] == sn[0] and all(toks[i + j].norm == sn[j] for j in range(1, L)))
                else:
                    ok = all(toks[i + j].norm == sn[j] for j in range(L)) and t.raw[:1].isupper()
                if not ok:
                    continue
                if any((i + j) in doc.occ for j in range(L)):
                    continue
                # not the first word of a longer capitalized name
                if t.script == LATIN and i + L < n and self.en_word(i + L) and not toks[i + L].space_before is False:
                    if toks[i + L].raw[:1].isupper() and toks[i + L].script == LATIN:
                        continue
                p = ps[0]
                doc.occupy(p, i, i + L)
                if t.script == ARABIC and t.norm[:1] in "ول" and t.norm[1:] == sn[0]:
                    p.info.setdefault("display", {})[(i, i + L)] = sn[0]
                break

    # -- quotes ----------------------------------------------------------------------------------
    def quotes(self) -> None:
        doc = self.doc
        text = doc.text
        spans = _quote_spans(text)
        last_speaker: Ent | None = None
        for qs, qe in spans:
            if qe - qs < 12 or len(text[qs:qe].split()) < 4 or not self.is_statement(qs, qe):
                continue
            speaker = self.speaker_of(qs, qe) or last_speaker
            if speaker is None:
                continue
            last_speaker = speaker
            doc.quotes.append((speaker, qs, qe))
            speaker.info.setdefault("quotes", []).append((qs, qe))

    def token_at_or_after(self, pos: int) -> int | None:
        """Index of the first token that starts at or after character ``pos``."""
        starts = self.doc.info.get("tok_starts")
        if starts is None:
            starts = self.doc.info["tok_starts"] = [t.start for t in self.toks]
        k = bisect_left(starts, pos)
        return k if k < len(starts) else None

    def is_statement(self, qs: int, qe: int) -> bool:
        """Is the quoted text something said (not a title in quotation marks)?
        Said: a verb of saying, "أن"/"إن" or a colon just before it, or a verb
        of saying just after it."""
        toks, lx = self.toks, self.lx
        first = self.token_at_or_after(qs)
        if first is None:
            return False
        for k in range(first - 1, max(-1, first - 7), -1):
            t = toks[k]
            if t.script == PUNCT and t.norm in (":",):
                return True
            if t.norm in ("ان", "انه", "انها", "that") or lx.speech.matches_at(toks, k):
                return True
            if lx.event_kinds.matches_at(toks, k) or t.norm in ("مشروع", "برنامج", "بعنوان", "titled", "project",
                                                                  "programme", "حمله", "campaign"):
                return False
            if t.nl_before and k < first - 1:
                break
        last = self.token_at_or_after(qe)
        if last is not None:
            for k in range(last, min(len(toks), last + 6)):
                if toks[k].nl_before and k > last + 1:
                    break
                if lx.speech.matches_at(toks, k):
                    return True
        return False

    def speaker_of(self, qs: int, qe: int) -> Ent | None:
        """The person who says a quotation: named before it on its line (or alone
        on the line above: the NNA style), or right after it ("..., said X")."""
        doc, toks = self.doc, self.toks
        first = self.token_at_or_after(qs)
        if first is None:
            return None
        # the opening quotation mark, then back to the start of its line
        k = first - 1
        if k >= 0 and toks[k].script == PUNCT and toks[k].end <= qs:
            k -= 1
        line_start = k + 1
        while k >= 0:
            if toks[k + 1].nl_before:
                break
            o = doc.occ.get(k)
            if o is not None and o[0].type == "Person":
                return o[0]
            line_start = k
            k -= 1
        # the NNA surname line just above the paragraph
        if line_start > 0 and toks[line_start].nl_before:
            o2 = doc.occ.get(line_start - 1)
            if o2 is not None and o2[0].type == "Person" and toks[o2[1]].nl_before:
                return o2[0]
        # after the quote: "..., said X." / "X said"
        last = self.token_at_or_after(qe)
        if last is not None:
            for k in range(last, min(len(toks), last + 8)):
                if toks[k].nl_before:
                    break
                o = doc.occ.get(k)
                if o is not None and o[0].type == "Person":
                    return o[0]
        return None


_QUOTE_CHARS = frozenset('“”«»„"')


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside quotation marks.

    Marks are paired in order within a paragraph, whatever their direction:
    Arabic items mix “ ” « » and sometimes open with ” or close with “.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        marks = [pos + k for k, ch in enumerate(para) if ch in _QUOTE_CHARS]
        for a, b in zip(marks[0::2], marks[1::2]):
            s, e = a + 1, b
            while s < e and text[s] in " \t:":
                s += 1
            while e > s and text[e - 1] in " \t.,،":
                e -= 1
            if e > s:
                out.append((s, e))
        pos += len(para) + 1
    return out


def find_persons(doc: Doc, rx: RegistryIndex, lx: Lexicons) -> PersonFinder:
    f = PersonFinder(doc, rx, lx)
    f.run()
    return f
