"""Relations from cue phrases (``cues.yaml``), within the sentence that states them.

A cue says which relation holds and where its actors stand: after it
("بدعم من الاتحاد الأوروبي", "in cooperation with UNODC", "attended by ..."),
before it ("the EU funded", "IOM Jordan ... concluded") or, for an Arabic verb,
after it as its subject ("نظمت المنظمة الدولية للهجرة ..."). The actors are read
as a list: organizations, persons, groups ("خبراء", "civil society"),
countries acting as governments, joined by "و", commas, "and", "as well as",
"فضلا عن". The other end is the sentence's event or project, or the item's
main one. Every relation keeps the sentence that states it as evidence.

Verbs of meeting and signing ("met with", "استقبل", "وقعت ... مع") make
the other side a participant (and, for a signing, a partner). In a quotation,
"our partnership" is the speaker's organization's.

Some relations need no cue: a unit is part of its parent when the item names
them together; the persons an item names took part in the event people
attended (in a signing, only those named where it is told); the main event is
held under the main project when one sentence names both; an event with no
organizer is organized by the subject of an earlier "X opened/launched ..."
or by its project's implementer; the event is located in the place its
sentences give; an organizer is not also a participant.

Groups and governments named by a country ("funded by Italy") become
entities only here, as ends of a relation (ANNOTATION.md).
"""
from __future__ import annotations

from kg.extract.doc import Doc, Ent
from kg.extract.lexicon import Lexicons
from kg.extract.registry_index import RegistryIndex
from kg.extract.tokens import ARABIC, LATIN, NUMBER, PUNCT
from kg.normalize import name_key

_CONNECT = frozenset({"و", ",", "and", "as", "well", "along", "alongside", "including", "the", "of", "from",
                      "both", "also", "other", "several", "various", "a", "number", "representatives", "officials",
                      "delegates", "delegations", "members", "من", "عن", "كل", "دول", "ممثلين", "ممثلي", "ممثلون",
                      "ممثل", "ممثلو", "ممثله", "وممثلين", "وممثلي", "وممثلون", "وممثل", "عدد", "وعدد", "فضلا",
                      "اضافه", "بالاضافه", "الي", "جانب", "الى", ";", "such", "like", "مثل", "بعض", "ابرز",
                      "مندوب", "مندوبه", "وفد", "وفود", "سفراء", "سفارات", "embassies", "ambassadors", "staff",
                      "partners", "national", "its", "their", "ومندوب"})
_LIST_STOP = frozenset({"under", "within", "for", "on", "about", "through", "during", "after", "before", "towards",
                        "ضمن", "اطار", "حول", "خلال", "بهدف", "لدعم", "اجل", "بشان", "لتعزيز", "عبر"})
_EMBASSY_WORDS = frozenset({"سفراء", "سفارات", "سفارتي", "embassies", "ambassadors", "سفراء"})
from kg.extract.relations_words import MEET_VERBS as _MEET_VERBS, SIGN_VERBS as _SIGN_VERBS  # noqa: E402
_LAUNCH_VERBS = frozenset({"اطلق", "اطلقت", "تطلق", "يطلق", "افتتح", "افتتحت", "دشن", "دشنت", "launched", "launches",
                           "launch", "inaugurated"})


class RelationFinder:
    def __init__(self, doc: Doc, rx: RegistryIndex, lx: Lexicons):
        self.doc = doc
        self.rx = rx
        self.lx = lx
        self.toks = doc.toks
        self.orgs = doc.info["orgs"]
        self.events = doc.info.get("events")
        self.groups: dict[str, Ent] = {}

    # -- the ends of relations -------------------------------------------------------------
    @property
    def main_event(self) -> Ent | None:
        evs = [e for e in self.doc.ents if e.type == "Event"]
        for e in evs:
            if e.main:
                return e
        return evs[0] if evs else None

    @property
    def main_project(self) -> Ent | None:
        ps = [e for e in self.doc.ents if e.type == "Project"]
        if not ps:
            return None
        return max(ps, key=lambda p: (len(p.spans), -p.first))

    def things_in(self, s: int, e: int, types=("Event", "Project")) -> list[tuple[Ent, int]]:
        out = []
        seen = set()
        for k in range(s, e):
            o = self.doc.occ.get(k)
            if o is not None and o[0].type in types and id(o[0]) not in seen:
                seen.add(id(o[0]))
                out.append((o[0], k))
        return out

    def government(self, code: str, s: int, e: int) -> Ent:
        """"Government of X" for a country acting as donor or partner."""
        key = self.rx.governments.get(code)
        if key:
            ent = self.orgs.registry_ent(key)
        else:
            ent = self.orgs.composite_ent(f"Government of {self.rx.place_name(code)}", "GovernmentBody", code,
                                          {"government"})
        if not ent.spans:
            ent.info["conditional"] = True
        self.doc.occupy(ent, s, e, force=True)
        return ent

    def embassy(self, code: str, s: int, e: int) -> Ent:
        host = self.doc.country if self.doc.country != code else None
        key = self.rx.embassies.get((code, host)) or self.rx.embassies.get((code, None))
        if key:
            ent = self.orgs.registry_ent(key)
        else:
            ent = self.orgs.composite_ent(f"Embassy of {self.rx.place_name(code)}", "Embassy", code, {"embassy"})
        self.doc.occupy(ent, s, e, force=True)
        return ent

    def group_at(self, j: int, end: int) -> tuple[Ent, int] | None:
        """A group phrase at ``j`` ("خبراء", "civil society", "المؤسسات المصرية")."""
        toks, lx, doc = self.toks, self.lx, self.doc
        m = None
        name = None
        country = None
        g = lx.group_national.longest(toks, j, end)
        if not (g and g[0] in doc.info.get("adj_at", {})):
            m = lx.groups.longest(toks, j, end)
            if not m:
                return None
            ge, name = m
        else:
            adj = doc.info["adj_at"][g[0]]
            ge = adj.e
            country = adj.key
            name = f"{self.rx.place_name(country)} " + doc.span_text(j, g[0]).split()[-1]
            word = toks[j].norm
            name = f"{_demonym(self.rx, country)} institutions" if "موسس" in word or "institution" in word else name
        inner = [doc.occ[k] for k in range(j, ge) if k in doc.occ]
        if inner:
            # "وكالات الأمم المتحدة": the group holds the organization's name, which is not a mention here
            if any(o[0].type != "Organization" or o[1] < j or o[2] > ge for o in inner):
                return None
            for o in {id(o[0]): o for o in inner}.values():
                ent = o[0]
                if (o[1], o[2]) in ent.spans:
                    ent.spans.remove((o[1], o[2]))
                for k in range(o[1], o[2]):
                    doc.occ.pop(k, None)
        # complement: "from state institutions, international organizations and universities",
        # "من مجتمعات مختلفة", "working with migrants"
        k = ge
        if k < end and lx.group_complement.matches_at(toks, k) and toks[k].sent == toks[j].sent:
            q = k + 1
            limit = min(end, k + 12)
            while q < limit:
                t = toks[q]
                if q in doc.occ or self.cue_at(q) or lx.event_verbs.matches_at(toks, q) or \
                        lx.speech.matches_at(toks, q):
                    break
                if t.script == PUNCT and t.norm not in (",", "'", "(", ")", "-"):
                    break
                if t.script == PUNCT and t.norm == "," and (q + 1 >= end or toks[q + 1].script == ARABIC):
                    break
                q += 1
            if q > k + 1:
                ge = q
                while ge > j and toks[ge - 1].script == PUNCT and toks[ge - 1].norm in (",", "(", "-"):
                    ge -= 1
        # "Delegations from the Ministry of ...", "Officials from the KRG's ...": the
        # organizations named after the word are the actors, not a group
        q = ge
        while q < end and toks[q].norm in ("from", "of", "the", "من", "عن", "both"):
            q += 1
        if q > ge and q < end and doc.occ.get(q) is not None and doc.occ[q][0].type == "Organization" \
                and not m:
            return None
        if q > ge and q < end and doc.occ.get(q) is not None and doc.occ[q][0].type == "Organization" \
                and toks[j].norm in ("delegations", "officials", "representatives", "delegates", "وفود", "وفد",
                                     "ممثلين", "ممثلون", "مسوولين", "مسوولون"):
            return None
        key = name_key(name)
        ent = self.groups.get(key)
        if ent is None:
            ent = Ent("Organization", name, kind="Group", country=country)
            ent.info["conditional"] = True
            self.groups[key] = ent
            doc.add(ent)
        doc.occupy(ent, j, ge, force=True)
        base = next((b for b in toks[j].bases if b in lx.groups._index or b in lx.group_national._index), None)
        ent.info.setdefault("display", {})[(j, ge)] = base
        return ent, ge

    def take_group(self, j: int, end: int, out: list[Ent]) -> int | None:
        """A group of people named at token ``j`` joins ``out``; the token after it, or None."""
        g = self.group_at(j, end)
        if g is None:
            return None
        if g[0] not in out:
            out.append(g[0])
        return g[1]

    def cue_at(self, k: int) -> bool:
        return bool(self.lx.all_cues.matches_at(self.toks, k))

    def actors_after(self, k: int, end: int, *, groups: bool = True, persons: bool = True,
                     max_skip: int = 3) -> list[Ent]:
        """The list of actors that starts at (or a few words after) token ``k``."""
        toks, doc = self.toks, self.doc
        out: list[Ent] = []
        skipped = 0
        embassies = False
        j = k
        posts = doc.info.get("post_tokens", set())
        while j < end:
            t = toks[j]
            if (t.norm in _EMBASSY_WORDS or any(b in _EMBASSY_WORDS for b in t.bases)) and any(
                    q in doc.info.get("place_at", {}) for q in range(j + 1, min(end, j + 5))):
                embassies = True  # "سفراء دول كل من أميركا وأستراليا": the embassies of these countries
                j += 1
                continue
            if groups and t.script != PUNCT:
                after = self.take_group(j, end, out)
                if after is not None:
                    j, skipped = after, 0
                    continue
            o = doc.occ.get(j)
            if o is not None and o[0].type == "Organization" and j in posts:
                j = o[2]  # the body of a participant's post, not a participant itself
                continue
            if o is not None:
                ent = o[0]
                if ent.type in ("Event", "Project"):
                    if out:
                        break
                    j = o[2]
                    skipped += 1
                    if skipped > max_skip:
                        break
                    continue
                if ent.type == "Person" and not persons:
                    j = o[2]
                    continue
                if ent not in out:
                    out.append(ent)
                j = o[2]
                skipped = 0
                # "Lebanese government representatives from the ministries ...": a modifier
                q = j
                while q < end and toks[q].norm in ("representatives", "officials", "delegates", "staff",
                                                   "delegation", "delegations"):
                    q += 1
                if q > j and q + 1 < end and toks[q].norm in ("from", "of") and (
                        doc.occ.get(q + 1) is not None or (toks[q + 1].norm == "the" and doc.occ.get(q + 2))):
                    out.remove(ent)
                    j = q + 1
                    continue
                # a parenthesized acronym right after an actor names it (or its parent): skip it
                if j + 2 < end and toks[j].norm == "(":
                    q = j + 1
                    while q < end and toks[q].norm != ")" and q - j < 6:
                        q += 1
                    if q < end and toks[q].norm == ")":
                        j = q + 1
                continue
            if t.norm in _EMBASSY_WORDS or any(b in _EMBASSY_WORDS for b in t.bases):
                embassies = True
            if t.norm == "'" and j + 1 < end and toks[j + 1].norm == "s":
                # "the US State Department's Bureau of ...": the body owned is the actor;
                # "IOM Iraq's EU funded ...": the owner of what follows is not in the list
                nxt = doc.occ.get(j + 2)
                modifier = nxt is not None and nxt[2] < end and toks[nxt[2]].norm in (
                    "funded", "-", "supported", "financed", "backed")
                if nxt is not None and nxt[0].type == "Organization" and not modifier:
                    if out:
                        out.pop()
                    j += 2
                    continue
                break
            if t.norm in ("في", "in", "at", "لدي", "to") and j + 1 < end and j + 1 in doc.info.get("place_at", {}):
                j = doc.info["place_at"][j + 1].e  # a location, not an actor
                continue
            if out and t.norm in ("في", "in", "at", "of", "within") and j + 1 < end:
                o2 = doc.occ.get(j + 1) or (doc.occ.get(j + 2) if toks[j + 1].norm == "the" else None)
                if o2 is not None and o2[0].type == "Organization":
                    j = o2[2]  # "المديرية العامة ... في وزارة الداخلية": the body the actor belongs to
                    continue
            if out and (t.norm in _LIST_STOP or any(b in _LIST_STOP for b in t.bases)):
                break
            ph = doc.info.get("place_at", {}).get(j)
            if ph is not None and self.rx.registry.places.get(ph.key) is not None \
                    and self.rx.registry.places[ph.key].kind == "Country" and not self.glued_place(j):
                code = ph.key
                ent = self.embassy(code, ph.s, ph.e) if embassies else self.government(code, ph.s, ph.e)
                if ent not in out:
                    out.append(ent)
                j = ph.e
                skipped = 0
                continue
            if groups:
                after = self.take_group(j, end, out)
                if after is not None:
                    j, skipped = after, 0
                    continue
            if t.script == PUNCT and t.norm in (".", ";", ":", "?", "!", "”", "“", '"', "«", "»", "("):
                break
            if t.norm in _CONNECT or (t.script == ARABIC and t.norm[:1] == "و" and t.norm[1:] in _CONNECT) \
                    or t.script == PUNCT and t.norm in (",", "(", ")", "-", "'") or t.script == NUMBER:
                j += 1
                continue
            if out and (self.cue_at(j) or self.lx.event_verbs.matches_at(toks, j)):
                break
            skipped += 1
            if skipped > (max_skip if not out else 1):
                break
            j += 1
        return out

    def glued_place(self, j: int) -> bool:
        t = self.toks[j]
        idx = self.rx.gaz._index
        return t.script == ARABIC and t.norm[:1] in "ب" and t.norm not in idx and not t.norm.startswith("ال")

    def actors_before(self, k: int, start: int) -> list[Ent]:
        """Actors right before token ``k`` (an English verb's subject): the
        sentence-initial subject when there is one, else the nearest actors."""
        toks, doc = self.toks, self.doc
        # the subject at the head of the sentence: "IOM Jordan, in cooperation with ..., concluded"
        j = start
        while j < k and (toks[j].script == PUNCT or toks[j].norm in ("the", "a", "an") or not doc.active[j]):
            j += 1
        lead = self.actors_after(j, k, max_skip=2)
        if lead:
            # the leading list ends where a non-list word comes
            return lead
        out: list[Ent] = []
        j = k - 1
        gap = 0
        while j >= start and gap <= 4:
            o = doc.occ.get(j)
            if o is not None and o[0].type in ("Organization", "Person"):
                if o[0] not in out:
                    out.insert(0, o[0])
                j = o[1] - 1
                gap = 0
                continue
            if o is not None:
                break
            t = toks[j]
            if t.norm in ("and", ",", "و") and out:
                j -= 1
                continue
            if out:
                break
            gap += 1
            j -= 1
        return out

    def subject_ar(self, k: int, end: int) -> list[Ent]:
        """The subject of an Arabic verb ending at ``k``: the actors right after it
        (time words, titles and honorifics skipped)."""
        toks, lx = self.toks, self.lx
        posts = self.doc.info.get("post_tokens", set())
        j = k
        steps = 0
        while j < end and steps < 12:
            o = self.doc.occ.get(j)
            if j in posts and (o is None or o[0].type != "Person"):
                j += 1  # the post of the person who acts: "افتتحت وزير الهجرة والمهجرين السيدة ..."
                steps += 1
                continue
            if o is not None:
                break
            t = toks[j]
            if t.norm in ("مع", "مع", "الي", "علي", "عن", "من", "في", "ل", "لدي"):
                break  # "وقعت مع X": X is not the subject
            if lx.ar_stop.matches_at(toks, j) or t.script in (PUNCT, NUMBER) or lx.titles.matches_at(toks, j) \
                    or lx.honorifics.matches_at(toks, j) or lx.title_mods_ar.matches_at(toks, j):
                j += 1
                steps += 1
                continue
            break
        out = self.actors_after(j, end, groups=False, max_skip=0)
        return [actor_of(e) for e in out]

    # -- relation helpers --------------------------------------------------------------------
    def target_of_support(self, funder: list[Ent], s: int, e: int, cue_at: int) -> Ent | None:
        """What a funding cue's actors fund: the sentence's event or project (the
        first one it names), else an organization the money goes to, else the
        item's main project or event."""
        things = self.things_in(s, e)
        before = [(x, k) for x, k in things if k < cue_at]
        if before:
            last, pos = before[-1]
            # "مشروع "X" الممول من ...", "the project (...) funded by": the noun right before
            end_last = max(e2 for s2, e2 in last.spans if s2 <= pos) if last.spans else pos + 1
            gap = [t for t in self.toks[end_last:cue_at]]
            if len(gap) <= 2 and all(t.script == PUNCT for t in gap):
                return last
            # "مشروع X الذي تنفذه المنظمة بتمويل من ...", "the project ..., implemented by X with funding from"
            if last.type == "Project" and any(self.lx.cues["implements"]["after"].matches_at(self.toks, q)
                                              for q in range(pos, cue_at)):
                return last
        if things:
            return things[0][0]
        money = any(toks.norm in ("donates", "donated", "donate", "given", "gave", "contributed", "contributions",
                                  "contribution", "donation", "donations", "donor", "تبرعت", "تبرع", "قدمت")
                    for toks in self.toks[s:e])
        if money:
            # "X donates ... to UNRWA", "contributions from X ... UNRWA's deficit": the agency receives
            for k in range(s, e):
                o = self.doc.occ.get(k)
                if o is not None and o[0].type == "Organization" and o[0] not in funder and o[0].kind in (
                        "IntergovernmentalOrganization", "NonGovernmentalOrganization", "OrganizationalUnit"):
                    return o[0]
        if self.main_project is not None:
            return self.main_project
        orgs = [x for x in self.doc.ents if x.type == "Organization" and x.kind == "IntergovernmentalOrganization"
                and x not in funder]
        if orgs and (self.main_event is None or money):
            return max(orgs, key=lambda x: (len(x.spans), -x.first))
        return self.main_event

    def event_of(self, s: int, e: int) -> Ent | None:
        evs = self.things_in(s, e, ("Event",))
        if evs:
            return evs[0][0]
        return self.main_event

    def organizer_subjects(self, s: int, e: int) -> list[Ent]:
        return self.doc.info.setdefault("subjects", {}).get((s, e), [])

    # -- the pass ------------------------------------------------------------------------------
    def run(self) -> None:
        doc, lx = self.doc, self.lx
        cand = sorted(set(doc.starts(lx.all_cues, lx.meet_sign)) |
                      {s for e in doc.ents if e.type == "Event" for s, _ in e.spans})
        ci = 0
        for ss, se in doc.sents:
            while ci < len(cand) and cand[ci] < ss:
                ci += 1
            if ci >= len(cand) or cand[ci] >= se:
                continue
            subjects: list[Ent] = []
            partners_pending: list[list[Ent]] = []
            pos = ss
            while ci < len(cand) and cand[ci] < se:
                k = cand[ci]
                ci += 1
                if k < pos or not doc.active[k] or (k in doc.occ and doc.occ[k][0].type != "Event"):
                    continue
                done = self.cue(k, ss, se, subjects, partners_pending)
                pos = done if done and done > k else k + 1
            # "in cooperation with X and in implementing partnership with Y" with no subject: X, Y partners
            if partners_pending:
                flat: list[Ent] = []
                for lst in partners_pending:
                    for a in lst:
                        if a not in flat and a.type == "Organization" and a.kind != "Group":
                            flat.append(a)
                subj = list(subjects) or self.organizers_in(ss, se) or self.speaker_org(ss)
                if subj and all(a in flat for a in subj):
                    subj = []
                    partners_pending.append([])
                if subj:
                    for a in subj:
                        for b in flat:
                            if a.type == "Organization" and a is not b:
                                doc.relate("partners_with", a, b, evidence=(ss, se))
                elif len(partners_pending) > 1 and len(flat) <= 4:
                    # "run in cooperation with X and Y and in implementing partnership with Z"
                    for x in range(len(flat)):
                        for y in range(x + 1, len(flat)):
                            doc.relate("partners_with", flat[x], flat[y], evidence=(ss, se))
        self.defaults()

    def cue(self, k: int, ss: int, se: int, subjects: list[Ent], partners_pending: list[list[Ent]]) -> int | None:
        doc, toks, lx = self.doc, self.toks, self.lx
        cues = lx.cues
        t = toks[k]
        if not lx.all_cues.matches_at(toks, k) and not lx.meet_sign.matches_at(toks, k) and not (
                doc.occ.get(k) is not None and doc.occ[k][0].type == "Event"):
            return None
        arabic = t.script == ARABIC
        ev = (ss, se)
        # -- funding
        m = cues["funds"]["after"].longest(toks, k)
        if m and m[0] < se and doc.occ.get(m[0]) is not None and doc.occ[m[0]][0].type in ("Project", "Event"):
            # "قامت بتمويل برنامج ...": the thing funded follows, the funder stood before
            thing = doc.occ[m[0]][0]
            subj = [actor_of(a) for a in self.actors_before(k, ss)]
            for a in subj:
                if a.type == "Organization" and a.kind != "Media":
                    doc.relate("funds", a, thing, evidence=ev)
            return m[0]
        if m:
            bare = not any(toks[q].norm in ("من", "by", "from", "of") for q in range(k, m[0])) and arabic
            actors = [a for a in self.actors_after(m[0], se, groups=not bare, max_skip=0 if bare else 3)
                      if a.type == "Organization"]
            if actors:
                target = self.target_of_support(actors, ss, se, k)
                for a in actors:
                    doc.relate("funds", a, target, evidence=ev)
                return m[0]
        m = cues["funds"]["before"].longest(toks, k) if not arabic else None
        if m and toks[k].norm in ("donor", "donors") and not any(
                toks[q].norm in ("is", "are", "was", "were", "remains", "became", "as") for q in range(max(ss, k - 5), k)):
            m = None  # "support from donors": not "X is the agency's largest donor"
        if m:
            nxt = toks[m[0]] if m[0] < se else None
            adjectival = toks[k].norm == "-" or (toks[k].norm in ("funded", "financed", "supported") and nxt is not None
                                                 and nxt.norm not in ("by", "the", "a", "an", "its", "their", "this")
                                                 and not (k > 0 and toks[k - 1].norm in ("has", "have", "had", "was",
                                                                                          "were", "is", "are")))
            if adjectival:
                # "EU-funded", "IOM Iraq's EU funded HIJRA AMINA Programme": the funder stands right before
                q = k - 1
                o = doc.occ.get(q)
                actors = [o[0]] if o is not None and o[0].type == "Organization" else []
                # what is funded: the project or event right after
                things = self.things_in(m[0], min(se, m[0] + 6))
                target = things[0][0] if things else None
                if target is None and nxt is not None and any(
                        nxt.norm == w or toks[min(se - 1, m[0] + 1)].norm == w for w in ("project", "programme",
                                                                                        "program")):
                    target = self.main_project
                for a in actors:
                    if target is not None:
                        doc.relate("funds", a, target, evidence=ev)
                return m[0]
            actors = [a for a in self.actors_before(k, ss) if a.type == "Organization"]
            if actors:
                things = self.things_in(k, se)
                target = things[0][0] if things else self.target_of_support(actors, ss, se, k)
                for a in actors:
                    if a.type == "Organization":
                        doc.relate("funds", a, target, evidence=ev)
                return m[0]
        # -- "with PRM funding", "with EU support", "بتمويل ياباني"
        if t.norm in ("with", "through") and k + 1 < se:
            o = doc.occ.get(k + 1) or (doc.occ.get(k + 2) if toks[k + 1].norm == "the" else None)
            if o is not None and o[0].type == "Organization" and o[2] < se and toks[o[2]].norm in (
                    "funding", "support", "grant", "financing", "contribution"):
                target = self.target_of_support([o[0]], ss, se, k)
                doc.relate("funds", o[0], target, evidence=ev)
                return o[2] + 1
        # -- "إيطاليا ومصر شريكان", "Switzerland and Türkiye had been partners"
        m = cues["partners_pairwise"]["before"].longest(toks, k)
        if m:
            actors = [actor_of(a) for a in self.actors_before(k, ss) if a.type in ("Organization", "Person")]
            actors = [a for a in actors if a.type == "Organization"]
            for x in range(len(actors)):
                for y in range(x + 1, len(actors)):
                    doc.relate("partners_with", actors[x], actors[y], evidence=ev)
            return m[0]
        # -- implementing
        m = cues["implements"]["after"].longest(toks, k)
        if m:
            actors = [actor_of(a) for a in self.actors_after(m[0], se, groups=False)]
            projects = self.things_in(ss, k, ("Project",)) or self.things_in(ss, se, ("Project",))
            target = projects[-1][0] if projects else self.main_project
            is_partner = "partner" in " ".join(x.norm for x in toks[k:m[0]])
            for a in actors:
                if a.type == "Organization" and target is not None:
                    doc.relate("implements", a, target, evidence=ev)
            if is_partner:
                partners_pending.append(actors)
            elif not subjects:
                # "implemented by the ILO in partnership with the Ministry": the implementer acts
                subjects.extend(a for a in actors if a.type == "Organization")
            return m[0]
        # -- partnership
        m = cues["partners_with"]["between"].longest(toks, k)
        if m:
            actors = [actor_of(a) for a in self.actors_after(m[0], se, groups=False)]
            actors = [a for a in actors if a.type == "Organization"]
            for x in range(len(actors)):
                for y in range(x + 1, len(actors)):
                    doc.relate("partners_with", actors[x], actors[y], evidence=ev)
            projects = self.things_in(ss, k, ("Project",))
            if projects and not self.things_in(ss, k, ("Event",)):
                for a in actors:
                    doc.relate("implements", a, projects[-1][0], evidence=ev)
            return m[0]
        m = cues["partners_with"]["after"].longest(toks, k)
        if m and k >= 2 and toks[k - 1].norm == "s" and toks[k - 2].norm == "'" and \
                (k - 3) in doc.info.get("place_at", {}) or (m and k >= 3 and toks[k - 1].norm in ("ongoing", "long",
                                                                                            "strong", "close") and
                                                          toks[k - 2].norm == "s" and (k - 4) in doc.info.get(
                                                              "place_at", {})):
            return m[0]  # "Jordan's partnership with ...": a country, not an actor named here
        if m and not (toks[k].norm in ("شريك", "شريكا")):
            actors = [actor_of(a) for a in self.actors_after(m[0], se, groups=False, max_skip=1)]
            actors = [a for a in actors if a.type == "Organization"]
            if actors:
                subj = list(subjects) or self.nearest_subject(k, ss) or self.speaker_org(k)
                prev = toks[k - 1].norm if k > 0 else ""
                if toks[k].norm == "jointly" and prev in ("organized", "organised", "held", "hosted", "convened"):
                    # "organized jointly with X": X organizes too
                    evs = self.things_in(ss, se, ("Event",))
                    if evs:
                        for b in actors:
                            doc.relate("organizes", b, evs[0][0], evidence=ev)
                if subj:
                    for a in subj:
                        for b in actors:
                            if a.type == "Organization":
                                doc.relate("partners_with", a, b, evidence=ev)
                else:
                    partners_pending.append(actors)
                # "مذكرة تفاهم مع X": the other signatory takes part in the signing
                evs = self.things_in(ss, se, ("Event",))
                signing_cue = any(b in ("مذكره", "اتفاقيه", "memorandum", "agreement", "agreements")
                                  for q in range(k, m[0]) for b in toks[q].bases)
                if evs and evs[0][0].kind == "Signing" and signing_cue:
                    for b in actors:
                        doc.relate("participates_in", b, evs[0][0], evidence=ev)
            return m[0]
        # -- organizing
        if arabic:
            m = cues["organizes"]["verb_ar"].longest(toks, k)
            if m or t.norm in _SIGN_VERBS:
                end = m[0] if m else k + 1
                subj = self.subject_ar(end, se)
                if subj:
                    subjects.extend(x for x in subj if x not in subjects)
                    self.organize(subj, k, ss, se, launch=t.norm in _LAUNCH_VERBS or any(
                        b in _LAUNCH_VERBS for b in t.bases))
                    return end
        m = cues["organizes"]["after"].longest(toks, k)
        if m:
            actors = [actor_of(a) for a in self.actors_after(m[0], se, groups=False)]
            actors = [a for a in actors if a.type == "Organization"]
            if actors:
                subjects.extend(x for x in actors if x not in subjects)
                self.organize(actors, k, ss, se)
            return m[0]
        if not arabic:
            m = cues["organizes"]["before"].longest(toks, k)
            passive = k > 0 and toks[k - 1].norm in ("was", "were", "is", "are", "be", "been", "being")
            if m and passive:
                # "was held at the Directorate General's headquarters": the host organizes
                q = m[0]
                if q < se and toks[q].norm in ("at", "in"):
                    q += 1
                    if q < se and toks[q].norm == "the":
                        q += 1
                    o = doc.occ.get(q)
                    if o is not None and o[0].type == "Organization" and o[2] < se and toks[o[2]].norm in (
                            "headquarters", "premises", "offices", "office", "building"):
                        subjects.append(o[0])
                        self.organize([o[0]], k, ss, se)
                return m[0]
            if m and not (k + 1 < len(toks) and toks[m[0]].norm == "by" if m[0] < len(toks) else False):
                subj = [actor_of(a) for a in self.actors_before(k, ss)]
                subj = [a for a in subj if a.type == "Organization"]
                if subj:
                    subjects.extend(x for x in subj if x not in subjects)
                    self.organize(subj, k, ss, se, launch=t.norm in _LAUNCH_VERBS)
                return m[0]
        # -- English signing: "X signed an agreement with Y" (both take part, and are partners)
        if not arabic and t.norm in _SIGN_VERBS and not (k > 0 and toks[k - 1].norm in ("was", "were", "been")):
            subj = [actor_of(a) for a in self.actors_before(k, ss)]
            evs = self.things_in(ss, se, ("Event",))
            target = evs[0][0] if evs else None
            if target is not None:
                target.info.setdefault("sentences", []).append((ss, se))
                q = k + 1
                while q < se and toks[q].norm not in ("with",):
                    q += 1
                others = [actor_of(a) for a in self.actors_after(q + 1, se, groups=False, max_skip=0)] \
                    if q < se else []
                for a in subj + others:
                    doc.relate("participates_in", a, target, evidence=ev)
                for a in subj:
                    for b in others:
                        if a.type == "Organization" and b.type == "Organization":
                            doc.relate("partners_with", a, b, evidence=ev)
            return k + 1
        # -- meeting verbs: "X met with Y", "استقبل X Y"
        if t.norm in _MEET_VERBS or any(b in _MEET_VERBS for b in t.bases):
            if arabic:
                subj = self.subject_ar(k + 1, se)
            else:
                subj = [actor_of(a) for a in self.actors_before(k, ss)]
            evs = self.things_in(ss, se, ("Event",))
            meetings = [e for e in self.doc.ents if e.type == "Event" and e.kind == "Meeting"]
            target = evs[0][0] if evs else (meetings[0] if meetings else None)
            if target is not None:
                target.info.setdefault("sentences", []).append((ss, se))
            if subj and target is not None:
                for a in subj:
                    if a.type == "Organization":
                        doc.relate("organizes", a, target, evidence=ev)
                rest = self.actors_after(k + 1, se, groups=False)
                for b in rest:
                    if b not in subj:
                        doc.relate("participates_in", b, target, evidence=ev)
                        if b.type == "Person":
                            for o, _ in b.posts:
                                if o.kind == "IntergovernmentalOrganization" or o.kind == "OrganizationalUnit":
                                    doc.relate("participates_in", o, target, evidence=ev)
            return k + 1
        # -- "اجتماعا مع X", "meeting with X": the other side takes part
        o = doc.occ.get(k)
        if o is not None and o[0].type == "Event" and o[0].kind in ("Meeting", "Signing") and o[2] < se \
                and toks[o[2]].norm in ("مع", "with"):
            for b in self.actors_after(o[2] + 1, se, groups=False, max_skip=0):
                doc.relate("participates_in", b, o[0], evidence=ev)
            return o[2] + 1
        # -- participation
        m = cues["participates"]["after"].longest(toks, k)
        if m:
            target = self.event_of(ss, se)
            actors = self.actors_after(m[0], se, max_skip=6)
            if target is not None:
                for a in actors:
                    if a.type in ("Organization", "Person") and a is not target:
                        doc.relate("participates_in", a, target, evidence=ev)
            return m[0]
        if not arabic:
            m = cues["participates"]["before"].longest(toks, k)
            if m:
                target = self.event_of(ss, se)
                actors = self.actors_before(k, ss)
                if target is not None:
                    for a in actors:
                        doc.relate("participates_in", a, target, evidence=ev)
                return m[0]
        return None

    def organizers_in(self, ss: int, se: int) -> list[Ent]:
        """The organizers already known of the events a sentence names
        ("نُظمت الجلسات بالتعاون مع ...": the sessions' organizers)."""
        evs = [e for e, _ in self.things_in(ss, se, ("Event",))]
        return [r.subject for r in self.doc.rels if r.type == "organizes" and r.object in evs]

    def speaker_org(self, k: int) -> list[Ent]:
        """Inside a quotation, "our partnership" is the speaker's organization's."""
        pos = self.toks[k].start
        for speaker, qs, qe in self.doc.quotes:
            if qs <= pos < qe:
                a = actor_of(speaker)
                return [a] if a.type == "Organization" else []
        return []

    def nearest_subject(self, k: int, ss: int) -> list[Ent]:
        """The actor before a partnership cue: the closest one ("... أن الوكالة تعمل
        بالتنسيق مع وزارة الصحة"), not counting the body of a post or an outlet."""
        posts = self.doc.info.get("post_tokens", ())
        for j in range(k - 1, ss - 1, -1):
            o = self.doc.occ.get(j)
            if o is not None and o[0].type == "Organization" and o[0].kind not in ("Group", "Media") \
                    and j not in posts:
                return [o[0]]
            if o is not None and o[0].type == "Person":
                return [actor_of(o[0])]
        return []

    def organize(self, subj: list[Ent], k: int, ss: int, se: int, launch: bool = False) -> None:
        doc = self.doc
        evs = self.things_in(ss, se, ("Event",))
        projects = self.things_in(ss, se, ("Project",))
        ev = (ss, se)
        target = evs[0][0] if evs else None
        if target is not None:
            target.info.setdefault("sentences", []).append((ss, se))
        elif not projects or not launch:
            # "DRC opened a legal aid centre ...; the opening ceremony was attended by ...":
            # the event is named later; its organizer and place may be here
            pend = self.doc.info.setdefault("pending_organizers", [])
            pend.append(([a for a in subj if a.type == "Organization"], (ss, se)))
        if target is None and launch and projects:
            for a in subj:
                if a.type == "Organization":
                    doc.relate("implements", a, projects[0][0], evidence=ev)
            target = self.main_event if self.main_event is not None and self.main_event.kind == "Launch" else None
        if target is None:
            return
        orgs = [a for a in subj if a.type == "Organization"]
        for a in orgs:
            doc.relate("organizes", a, target, evidence=ev)
        # co-organizers are partners
        for x in range(len(orgs)):
            for y in range(x + 1, len(orgs)):
                doc.relate("partners_with", orgs[x], orgs[y], evidence=ev)

    # -- relations without cues ---------------------------------------------------------------
    def defaults(self) -> None:
        doc = self.doc
        main = self.main_event
        proj = self.main_project
        # persons named in the item took part in the event people attended (the
        # launch ceremony of a campaign, the main event otherwise); in a signing,
        # only those named where the signing is told
        attended = self.attended_event() or main
        if attended is not None:
            for p in doc.ents:
                if p.type != "Person":
                    continue
                if attended.kind == "Signing" and not self.in_event_sentence(p, attended):
                    continue
                doc.relate("participates_in", p, attended)
        if main is not None and proj is not None and self.said_together(main, proj):
            for ev in doc.ents:
                if ev.type == "Event" and (ev is main or ev.info.get("under")):
                    doc.relate("under_project", ev, proj)
        # "Grandi's visit": the owner of an event takes part in it
        for ev in doc.ents:
            if ev.type != "Event":
                continue
            for s, _e in ev.spans:
                o = doc.occ.get(s)
                if o is not None and o[0] is not ev and o[0].type in ("Person", "Organization") and \
                        o[2] + 1 < len(self.toks) and self.toks[o[2]].norm == "'":
                    doc.relate("participates_in", o[0], ev)
        # an event with no organizer: the subject of a verb of organizing that named no event
        if main is not None and not any(r.type == "organizes" and r.object is main for r in doc.rels):
            for subj, sent in doc.info.get("pending_organizers", []):
                if subj:
                    for a in subj:
                        doc.relate("organizes", a, main, evidence=sent)
                    for x in range(len(subj)):
                        for y in range(x + 1, len(subj)):
                            doc.relate("partners_with", subj[x], subj[y], evidence=sent)
                    main.info.setdefault("sentences", []).append(sent)
                    break
        # an event with no organizer: the implementer of its project
        if main is not None and proj is not None and not any(
                r.type == "organizes" and r.object is main for r in doc.rels):
            for r in list(doc.rels):
                if r.type == "implements" and r.object is proj:
                    doc.relate("organizes", r.subject, main)
                    break
        # places of events
        for ev in doc.ents:
            if ev.type == "Event" and self.events is not None:
                self.events.place_and_date(ev)
        for ev in doc.ents:
            if ev.type != "Event" or not ev.info.get("place"):
                continue
            key, _span = ev.info["place"]
            place = self.place_ent(key)
            doc.relate("located_in", ev, place)
        self.part_of()
        # an organizer is not also listed among the participants of its event
        org_pairs = {(id(r.subject), id(r.object)) for r in doc.rels if r.type == "organizes"}
        doc.rels = [r for r in doc.rels if not (r.type == "participates_in" and
                                                 (id(r.subject), id(r.object)) in org_pairs)]

    def attended_event(self) -> Ent | None:
        """The event with the most participants named through cues ("حضر", "attended")."""
        counts: dict[int, int] = {}
        evs = {id(e): e for e in self.doc.ents if e.type == "Event"}
        for r in self.doc.rels:
            if r.type == "participates_in" and id(r.object) in evs:
                counts[id(r.object)] = counts.get(id(r.object), 0) + 1
        if not counts:
            return None
        best = max(counts.values())
        main = self.main_event
        if main is not None and counts.get(id(main)) == best:
            return main
        return next(evs[k] for k in counts if counts[k] == best)

    def in_event_sentence(self, p: Ent, ev: Ent) -> bool:
        sents = {self.toks[s].sent for s, _ in ev.spans}
        return any(self.toks[s].sent in sents for s, _ in p.spans)

    def said_together(self, ev: Ent, proj: Ent) -> bool:
        """Does the item tie the event to the project (named in one sentence, or the
        project's implementer organizing it)?"""
        sents = {self.toks[s].sent for s, _ in ev.spans}
        if any(self.toks[s].sent in sents for s, _ in proj.spans):
            return True
        implementers = {id(r.subject) for r in self.doc.rels if r.type == "implements" and r.object is proj}
        return any(r.type == "organizes" and r.object is ev and id(r.subject) in implementers for r in self.doc.rels)

    def place_ent(self, key: str) -> Ent:
        doc = self.doc
        for e in doc.ents:
            if e.type == "Place" and e.registry == key:
                return e
        p = self.rx.registry.places[key]
        ent = Ent("Place", p.names.get("en", key), kind=p.kind, country=p.key if p.kind == "Country" else p.country,
                  registry=key)
        doc.add(ent)
        all_places = doc.info["hits"][1]
        for h in all_places:
            if h.key == key and doc.active[h.s] and not any(k in doc.occ for k in range(h.s, h.e)):
                ent.add_span(h.s, h.e)
                ent.info.setdefault("display", {})[(h.s, h.e)] = None
        if not ent.spans:
            for h in all_places:
                if h.key == key:
                    ent.add_span(h.s, h.e)
        return ent

    def part_of(self) -> None:
        """Units and their parents, bodies and the bodies they belong to."""
        doc, reg = self.doc, self.rx.registry
        by_key = {e.registry: e for e in doc.ents if e.type == "Organization" and e.registry}
        for e in list(doc.ents):
            if e.type != "Organization":
                continue
            if e.parent is not None and e.parent is not e:
                doc.relate("part_of", e, e.parent)
            if e.registry:
                entry = reg.orgs.get(e.registry)
                if entry is None or not entry.parent:
                    continue
                parent = by_key.get(entry.parent)
                if parent is None:
                    continue
                pentry = reg.orgs.get(entry.parent)
                if pentry is not None and pentry.names.get("en", "").startswith("Government of"):
                    continue
                if entry.kind == "Embassy" and pentry is not None and pentry.kind != "IntergovernmentalOrganization":
                    continue
                if entry.kind == "IntergovernmentalOrganization" and e.info.get("nested_parent") is not parent:
                    # an agency and the UN: only when the item says so ("التابعة للأمم المتحدة")
                    if not self.said_part_of(e, parent):
                        continue
                elif e.info.get("nested_parent") is not parent and not self.near(e, parent) and not (
                        entry.kind == "Embassy" and pentry is not None
                        and pentry.kind == "IntergovernmentalOrganization"):
                    # the registry knows it, but this item does not say it (an EU delegation is
                    # always the Union's: ANNOTATION.md)
                    continue
                doc.relate("part_of", e, parent)

    def near(self, child: Ent, parent: Ent, window: int = 4) -> bool:
        """Is the parent named inside or right next to a mention of the child
        ("Unit of the PSD", "the PMM's Return Department", "X التابعة لـ Y")?"""
        for cs, ce in child.spans:
            for ps, pe in parent.spans:
                if cs <= ps and pe <= ce:
                    return True
                if 0 <= ps - ce <= window or 0 <= cs - pe <= window:
                    between = self.toks[min(ce, pe):max(ps, cs)]
                    if all(t.script != PUNCT or t.norm in ("'", "(", ")") for t in between):
                        return True
        return False

    def said_part_of(self, child: Ent, parent: Ent) -> bool:
        """Does the item say it ("X التابعة للأمم المتحدة", "X, part of the UN")?"""
        toks = self.toks
        for s, _ in parent.spans:
            for k in range(max(0, s - 3), s):
                if toks[k].norm.startswith("التابع") or toks[k].norm in ("part",):
                    return True
        return False


def _demonym(rx: RegistryIndex, code: str) -> str:
    p = rx.registry.places.get(code)
    if p is not None:
        adj = (p.adjectives or {}).get("en")
        if adj:
            return adj[0]
        return p.names.get("en", code)
    return code


def actor_of(e: Ent) -> Ent:
    """The organization a person acts for (for relations between organizations)."""
    if e.type == "Person" and e.posts:
        return e.posts[0][0] or e
    return e


def resolve_nominals(doc: Doc, rx: RegistryIndex, lx: Lexicons, persons: bool = True) -> None:
    """Nominal references ("الوزارة", "the Organization", "الوزيرة") to the
    latest actor named with that head before them: organizations first (so that
    posts can name them: "مدير التفتيش في الوزارة"), persons once they are known."""
    toks = doc.toks
    n = len(toks)
    orgs = [e for e in doc.ents if e.type == "Organization"]
    persons = [e for e in doc.ents if e.type == "Person"]
    for i in doc.starts(lx.nominals, lx.person_nominals):
        if not doc.active[i] or i in doc.occ:
            continue
        t = toks[i]
        # persons: "الوزيرة", "السيدة الوزير"
        pm = lx.person_nominals.longest(toks, i) if persons and i not in doc.info.get("post_tokens", ()) else None
        if pm and t.script == ARABIC:
            e = pm[0]
            best = None
            for p in persons:
                first = p.first
                if first < i and p.posts and any(_role_matches(role, doc.span_text(i, e)) for _, role in p.posts):
                    if best is None or first > best.first:
                        best = p
            if best is not None and (e >= n or toks[e].script != ARABIC or toks[e].norm in ("،", ",")
                                     or e in doc.occ or lx.ar_stop.matches_at(toks, e)
                                     or lx.speech.matches_at(toks, e) or lx.event_kinds.matches_at(toks, e)):
                doc.occupy(best, i, e)
                continue
        m = lx.nominals.longest(toks, i) if not persons else None
        if not m:
            continue
        e, head = m
        if t.script == ARABIC:
            # definite, not followed by a word that would make it a name
            if not (t.norm.startswith("ال") or t.norm[1:3] == "ال" or t.norm.startswith("لل") or
                    t.norm[1:3] == "لل"):
                continue
        else:
            if not (i > 0 and toks[i - 1].norm in ("the", "its", "this")) and not t.raw[:1].isupper():
                continue
            if e < n and toks[e].script == LATIN and toks[e].raw[:1].isupper() and toks[e].norm not in (
                    "in", "of"):
                continue
            if e < n and toks[e].norm == "of":
                continue
        # the latest such actor of the same sentence, else the most named one so far
        # (the item's own ministry, not one mentioned in passing)
        best = None
        best_key = None
        sent = toks[i].sent
        for o in orgs:
            if head not in o.heads or o.kind == "Group":
                continue
            before = [s for s, _ in o.spans if s < i]
            if not before:
                continue
            same = max((s for s in before if toks[s].sent == sent), default=-1)
            key = (same, len(before), -min(before))
            if best_key is None or key > best_key:
                best, best_key = o, key
        if best is None:
            continue
        s = i - 1 if t.script == LATIN and i > 0 and toks[i - 1].norm == "the" else i
        if doc.free(s, e):
            doc.occupy(best, s, e)
            best.info.setdefault("display", {})[(s, e)] = None


def _role_matches(role: str, nominal: str) -> bool:
    from kg.normalize import fold
    f = fold(nominal)
    r = role.lower()
    if "وزير" in f:
        return "minister" in r
    if "سفير" in f:
        return "ambassador" in r
    if "مدير" in f:
        return "director" in r or "head" in r
    if "منسق" in f:
        return "coordinator" in r
    if "ممثل" in f:
        return "representative" in r
    if "امين" in f:
        return "secretary" in r
    if "رييس" in f:
        return "head" in r or "chief" in r
    return False


def find_relations(doc: Doc, rx: RegistryIndex, lx: Lexicons) -> RelationFinder:
    f = RelationFinder(doc, rx, lx)
    f.run()
    return f
