"""Projects and events.

Projects are named after a project noun ("مشروع", "برنامج", "project",
"programme", "initiative"): a title in quotation marks or brackets
("مشروع (معي)", "project “Informed Choices ...”"), a capitalized name
around the noun ("HIJRA AMINA Programme", "Action Programme for Protecting
..."), an acronym ("PROWD project"), or, in Arabic, the noun phrase that
follows it ("مشروع حماية الفئات الضعيفة ..."). "The project", "المشروع",
"هذا البرنامج" refer back to the latest one. An organization in the genitive
of the noun or in the possessive before it implements it ("مشروع المنظمة
الدولية للهجرة", "the ILO's PROWD project").

Events are found by their nouns (``events.yaml``): a noun counts when a verb
of doing stands in its sentence or when it is in the headline; all mentions of
one kind are one event, and generic nouns ("اللقاء", "the event") refer to the
item's main event (its first). The event's place is the first place its
sentence puts it in ("في الأردن", "held in Erbil", "بدمشق"), else the
dateline's; its date the first date of its sentence, else the item's.
"""
from __future__ import annotations

from kg.extract.doc import Doc, Ent
from kg.extract.lexicon import Lexicons
from kg.extract.metadata import find_dates
from kg.extract.registry_index import RegistryIndex
from kg.extract.tokens import ARABIC, LATIN, NUMBER, PUNCT

_PROJECT_AR = frozenset({"مشروع", "برنامج", "مبادره", "مشاريع", "برامج"})
_PROJECT_EN = frozenset({"project", "programme", "program", "initiative", "projects", "programmes"})
_OPEN = {"“": "”", "«": "»", '"': '"', "(": ")", "„": "“", "”": "“"}
_TITLE_WORDS = frozenset({"بعنوان", "تحت", "عنوان", "titled", "entitled", "called", "named", "dubbed"})
_FRAME = frozenset({"اطار", "ضمن", "اطاره"})  # "في إطار مشروع", "ضمن مشروع"
_LOC_EN = frozenset({"in", "at"})
_LOC_AR = frozenset({"في"})


def _base_is(tok, words: frozenset[str]) -> str | None:
    for b in tok.bases:
        if b in words:
            return b
    return None


class EventFinder:
    def __init__(self, doc: Doc, rx: RegistryIndex, lx: Lexicons):
        self.doc = doc
        self.rx = rx
        self.lx = lx
        self.toks = doc.toks
        self.projects: list[Ent] = []
        self.events: list[Ent] = []

    # -- projects ------------------------------------------------------------------------
    def quoted_after(self, k: int) -> tuple[int, int] | None:
        """Token span of a title in quotation marks or brackets starting at ``k``."""
        toks = self.toks
        n = len(toks)
        if k >= n or toks[k].script != PUNCT:
            return None
        raw = self.doc.text[toks[k].start:toks[k].end]
        close = _OPEN.get(raw)
        if close is None:
            return None
        j = k + 1
        while j < n and j - k < 40:
            r = self.doc.text[toks[j].start:toks[j].end]
            if toks[j].script == PUNCT and (r == close or r in "”»\"“"):
                break
            if toks[j].nl_before:
                return None
            j += 1
        if j >= n or j == k + 1 or j - k >= 40:
            return None
        return k + 1, j

    def project_at(self, i: int) -> tuple[int, int, int, int, Ent | None] | None:
        """A named project at project noun ``i``: (mention start, end, title start,
        title end, implementing organization named with it)."""
        toks, doc = self.toks, self.doc
        n = len(toks)
        t = toks[i]
        k = i + 1
        owner: Ent | None = None
        # "مشروع المنظمة الدولية للهجرة “...”": the owner between noun and title
        o = doc.occ.get(k)
        if o is not None and o[0].type == "Organization" and o[1] == k:
            owner = o[0]
            k = o[2]
        while k < n and (toks[k].norm in _TITLE_WORDS or toks[k].norm == ":"):
            k += 1
        q = self.quoted_after(k)
        if q is not None:
            end = q[1] + 1
            # "مشروع (معي) أو (CONMIGO)"
            if end + 1 < n and toks[end].norm in ("او", "or"):
                q2 = self.quoted_after(end + 1)
                if q2 is not None:
                    return i, q2[1] + 1, q[0], q[1], owner
            return i, end, q[0], q[1], owner
        if owner is not None:
            return i, k, -1, -1, owner  # "مشروع المنظمة الدولية للهجرة" with no title
        if t.script == ARABIC and t.norm[:2] != "ال" and not _base_is(t, {"مشاريع", "برامج"}):
            # an unquoted Arabic title: the noun phrase after an indefinite project noun
            j = i + 1
            words = 0
            while j < n and toks[j].sent == t.sent and toks[j].script == ARABIC and not toks[j].nl_before \
                    and words < 14:
                if j in doc.occ or self.lx.ar_stop.matches_at(toks, j) and toks[j].norm not in ("غير", "من", "في") \
                        or self.lx.speech.matches_at(toks, j) or self._cue(j) or self.lx.event_kinds.matches_at(toks, j):
                    break
                if toks[j].norm in ("من", "في") and not (j + 1 < n and (toks[j + 1].norm.startswith("ال") or
                                                                      toks[j + 1].norm in ("منطقه",))):
                    break
                if toks[j].norm in ("الذي", "التي"):
                    break
                words += 1
                j += 1
            while j > i + 1 and toks[j - 1].norm in ("من", "في", "غير"):
                j -= 1
            if words >= 2 and (toks[i + 1].norm[:2] != "ال" or words >= 2) and not toks[i + 1].norm.startswith("ال"):
                return i, j, i + 1, j, None
            if words >= 2 and toks[i + 1].norm.startswith("ال") and any(
                    toks[x].norm.startswith("ال") and x > i + 1 for x in range(i + 1, j)):
                return i, j, i + 1, j, None
        return None

    def _cue(self, j: int) -> bool:
        return bool(self.lx.all_cues.matches_at(self.toks, j))

    def en_project_name(self, i: int) -> tuple[int, int, Ent | None] | None:
        """A capitalized project name around the noun at ``i``."""
        toks, doc = self.toks, self.doc
        n = len(toks)
        owner = None
        # left: "Sessiz Destek Project", "HIJRA AMINA Programme", "PROWD project"
        s = i
        stop = self.lx.en_name_stop | {"This", "That", "These", "Its", "Their"}
        while s - 1 >= 0 and toks[s - 1].sent == toks[i].sent:
            k = self.word_start(s - 1)
            p = toks[k]
            if p.script == LATIN and (p.raw[:1].isupper() or p.upper) and not any(x in doc.occ for x in range(k, s)) \
                    and p.raw not in stop and p.norm not in self.lx.en_glue \
                    and not self.lx.titles.matches_at(toks, k):
                s = k
                continue
            if p.script == PUNCT and p.norm in "-" and s - 2 >= 0 and toks[self.word_start(s - 2)].raw[:1].isupper():
                s -= 1
                continue
            # glue words between capitalized words: "Support of a Development-sensitive ..."
            g = s - 1
            while g >= 0 and s - g <= 2 and toks[g].script == LATIN and toks[g].norm in (
                    "of", "and", "for", "a", "to", "on", "in", "&", "the"):
                g -= 1
            if g < s - 1 and g >= 0 and s < i and toks[self.word_start(g)].script == LATIN and \
                    toks[self.word_start(g)].raw[:1].isupper() and g not in doc.occ and toks[g].sent == toks[i].sent:
                s = g + 1
                continue
            break
        while s < i and (toks[s].script != LATIN or toks[s].norm in self.lx.en_glue):
            s += 1
        # an organization before: "ILO's", "IOM Iraq's EU funded", "UNODC project"
        k = s - 1
        if k >= 1 and toks[k].norm == "s" and toks[k - 1].norm == "'":
            k -= 2
        o = doc.occ.get(k)
        if o is not None and o[0].type == "Organization":
            owner = o[0]
        right_name = None
        if toks[i].raw[:1].isupper() and i + 1 < n and toks[i + 1].norm in ("for", "on", "of", "to") \
                and i + 2 < n and toks[i + 2].script == LATIN and toks[i + 2].raw[:1].isupper():
            # "Action Programme for Protecting Women ...", "Integrated Programme on Fair Recruitment"
            j = i + 2
            while j < n and toks[j].sent == toks[i].sent and (
                    (toks[j].script == LATIN and (toks[j].raw[:1].isupper() or toks[j].norm in
                                                  ("for", "of", "and", "in", "on", "to", "the", "at")))
                    or (toks[j].norm == "-" and not toks[j].space_before)):
                j += 1
            while j > i + 2 and toks[j - 1].script == LATIN and not toks[j - 1].raw[:1].isupper():
                j -= 1
            right_name = (s, j)
        if right_name:
            return right_name[0], right_name[1], owner
        if s < i:
            return s, i + 1, owner
        return None

    def word_start(self, k: int) -> int:
        """The first token of a hyphenated word ("Development-sensitive")."""
        toks = self.toks
        while k >= 2 and toks[k - 1].norm == "-" and not toks[k - 1].space_before and not toks[k].space_before \
                and toks[k - 2].script == LATIN:
            k -= 2
        return k

    def find_projects(self) -> None:
        doc, toks = self.doc, self.toks
        n = len(toks)
        last: Ent | None = None
        posts = doc.info.get("post_tokens", set())
        for i in doc.starts(self.lx.project_nouns):
            if not doc.active[i] or i in doc.occ or i in posts:
                continue
            t = toks[i]
            if t.script == ARABIC and _base_is(t, _PROJECT_AR):
                found = self.project_at(i)
                if found:
                    s, e, ts, te, owner = found
                    if ts < 0:
                        # "برنامج المنظمة الدولية للهجرة هذا": the organization's latest project
                        if last is not None:
                            e2 = e + (1 if e < n and toks[e].norm in ("هذا", "هذه") else 0)
                            if doc.free(s, s + 1):
                                doc.occupy(last, s, s + 1)
                            last.add_span(s, e2)
                            doc.relate("implements", owner, last, evidence=(s, e))
                        continue
                    ent = self.project_ent(ts, te)
                    doc.occupy(ent, ts, te, force=True)
                    if owner is not None:
                        ent.add_span(s, ts - 1 if ts - 1 > s else ts)
                        doc.relate("implements", owner, ent, evidence=(s, e))
                        ent.info["owner"] = owner
                    last = ent
                    continue
                if (t.norm.startswith("ال") or (i + 1 < n and toks[i + 1].norm in ("هذا", "هذه"))) \
                        and not _base_is(t, {"مشاريع", "برامج"}):
                    # "المشروع", "البرنامج", "هذا البرنامج": the latest project
                    if last is not None:
                        doc.occupy(last, i, i + 1)
                    else:
                        self.pending.append(i)
                continue
            if t.script == LATIN and t.norm in _PROJECT_EN:
                q = self.quoted_after(i + 1)
                k2 = i + 1
                if k2 < n and toks[k2].norm == ",":
                    k2 += 1
                if q is None and k2 + 1 < n and toks[k2].norm in _TITLE_WORDS:
                    q = self.quoted_after(k2 + 1)
                if q is None and k2 > i + 1:
                    q = self.quoted_after(k2)  # "The project, “Enhancing ...”, has been implemented"
                if q is not None:
                    ent = self.project_ent(*q)
                    doc.occupy(ent, q[0], q[1], force=True)
                    o = self.owner_before(i)
                    if o is not None:
                        doc.relate("implements", o, ent, evidence=(i, q[1]))
                    last = ent
                    continue
                # "the “Legal Pathways” project": a title in quotation marks before the noun
                if i >= 3 and toks[i - 1].script == PUNCT and doc.text[toks[i - 1].start] in "”\"»":
                    q0 = i - 2
                    while q0 > 0 and i - q0 < 30 and not (toks[q0].script == PUNCT and doc.text[toks[q0].start]
                                                          in "“\"«") and not toks[q0].nl_before:
                        q0 -= 1
                    if q0 >= 0 and toks[q0].script == PUNCT and doc.text[toks[q0].start] in "“\"«" and q0 + 1 < i - 1:
                        ent = self.project_ent(q0 + 1, i - 1)
                        doc.occupy(ent, q0 + 1, i - 1, force=True)
                        o = self.owner_before(q0)
                        if o is not None:
                            doc.relate("implements", o, ent, evidence=(q0, i + 1))
                        last = ent
                        continue
                nm = self.en_project_name(i)
                if nm:
                    s, e, owner = nm
                    ent = self.project_ent(s, e)
                    doc.occupy(ent, s, e, force=True)
                    if owner is not None:
                        doc.relate("implements", owner, ent, evidence=(s, e))
                    last = ent
                    continue
                if i > 0 and toks[i - 1].norm in ("the", "this") and last is not None:
                    doc.occupy(last, i - 1, i + 1)
                    continue
                if i > 0 and toks[i - 1].norm in ("the", "this", "a") or (i > 1 and toks[i - 2].norm in ("the", "a")):
                    self.pending.append(i)
        # "the project" before any named one: the first project named later
        if self.projects:
            for i in self.pending:
                if doc.free(i, i + 1):
                    s = i - 1 if i > 0 and toks[i - 1].norm in ("the", "this") else i
                    doc.occupy(self.projects[0], s, i + 1)

    pending: list[int]

    def owner_before(self, i: int) -> Ent | None:
        toks, doc = self.toks, self.doc
        k = i - 1
        if k >= 1 and toks[k].norm == "s" and toks[k - 1].norm == "'":
            k -= 2
        o = doc.occ.get(k)
        if o is not None and o[0].type == "Organization":
            return o[0]
        return None

    def project_ent(self, ts: int, te: int) -> Ent:
        doc = self.doc
        name = doc.span_text(ts, te)
        from kg.normalize import name_words
        words = set(name_words(name))
        seq = [w for w in name_words(name) if w not in _PROJECT_EN and w not in _PROJECT_AR]
        for p in self.projects:
            pw = set(name_words(p.name))
            pseq = [w for w in name_words(p.name) if w not in _PROJECT_EN and w not in _PROJECT_AR]
            if words and pw and (words <= pw or pw <= words) and 2 * min(len(words), len(pw)) > max(len(words), len(pw)):
                return p
            if seq and pseq and (pseq[:len(seq)] == seq or seq[:len(pseq)] == pseq):
                return p
            acr = [doc.span_text(s, e).lower() for s, e in p.info.get("acronyms", [])]
            if seq and len(seq) == 1 and seq[0] in acr:
                return p
            # an acronym of a known project ("PROWD")
            if len(words) == 1 and any(doc.span_text(s, e) == name for s, e in p.info.get("acronyms", [])):
                return p
        ent = Ent("Project", name, country=doc.country)
        doc.add(ent)
        self.projects.append(ent)
        # "(PROWD)" after the name
        n = len(self.toks)
        if te + 2 < n and self.toks[te].norm == "(" and self.toks[te + 2].norm == ")" and self.toks[te + 1].upper:
            ent.info.setdefault("acronyms", []).append((te + 1, te + 2))
            doc.occupy(ent, te + 1, te + 2, force=True)
            # a project named earlier by this acronym ("PROWD project") is this one
            acr = self.toks[te + 1].norm
            for p in list(self.projects):
                if p is ent:
                    continue
                pseq = [w for w in name_words(p.name) if w not in _PROJECT_EN]
                if pseq == [acr]:
                    for sp in p.spans:
                        doc.occupy(ent, *sp, force=True)
                    self.projects.remove(p)
                    doc.ents.remove(p)
                    for r in doc.rels:
                        if r.subject is p:
                            r.subject = ent
                        if r.object is p:
                            r.object = ent
        return ent

    # -- events -----------------------------------------------------------------------------
    def anchored(self, i: int) -> bool:
        """Is the event noun at ``i`` a reported event (a verb of doing in its
        sentence, or in the headline)?"""
        doc, toks = self.doc, self.toks
        if i < doc.info.get("title_end", 0):
            return True
        s, e = doc.sent_range(i)
        for k in range(s, e):
            if k != i and self.lx.event_verbs.matches_at(toks, k):
                return True
        return False

    def event_np(self, i: int, e: int) -> tuple[int, int]:
        """The event noun with its adjectives (Arabic) or pre-modifiers (English)."""
        toks = self.toks
        n = len(toks)
        s = i
        if toks[i].script == ARABIC:
            j = e
            definite = toks[i].norm.startswith("ال") or toks[i].norm[1:3] == "ال"
            while j < n and j - e < 3 and toks[j].script == ARABIC and toks[j].sent == toks[i].sent \
                    and j not in self.doc.occ and not self.lx.ar_stop.matches_at(toks, j) \
                    and not self.lx.event_verbs.matches_at(toks, j) and not self._cue(j) \
                    and _ar_adjective(toks[j].norm, definite):
                j += 1
            return s, j
        # English: numbers, hyphenated and adjective modifiers before the noun
        while s - 1 >= 0 and toks[s - 1].sent == toks[i].sent and s - 1 not in self.doc.occ:
            p = toks[s - 1]
            if p.script == LATIN and p.norm in ("the", "a", "an", "this", "its", "their", "his", "her", "that"):
                break
            if p.script in (LATIN, NUMBER) and (p.norm.isdigit() or p.norm in _EN_EVENT_MODS or
                                                (s - 2 >= 0 and toks[s - 2].norm == "-" and False)):
                s -= 1
                continue
            if p.script == PUNCT and p.norm == "-" and not p.space_before and s - 2 >= 0:
                s -= 1
                continue
            if p.script == LATIN and s < i + 1 and s - 1 >= 0 and toks[s].norm == "-":
                s -= 1
                continue
            break
        while s < i and toks[s].script == PUNCT:
            s += 1
        kind = (self.lx.event_kinds.longest(toks, i) or (0, None))[1]
        # "Grandi's visit": the owner of the event
        if s >= 3 and toks[s - 1].norm == "s" and toks[s - 2].norm == "'" and (s - 3) in self.doc.occ:
            o = self.doc.occ[s - 3]
            if o[0].type in ("Person", "Organization"):
                s = o[1]
        # "signed the agreements"
        if kind == "Signing" and s >= 2 and toks[s - 1].norm in ("the", "a", "an") and toks[s - 2].norm in (
                "signed", "sign", "signs", "signing"):
            s -= 2
        # "visit to Jordan", "dialogue on the protection of migrant domestic workers"
        if e < n and toks[e].norm in ("to", "on", "about") and toks[e].sent == toks[i].sent:
            j = e + 1
            while j < n and j - e <= 8 and toks[j].sent == toks[i].sent and toks[j].script in (LATIN, NUMBER) \
                    and not self.lx.event_verbs.matches_at(toks, j) and not self._cue(j) \
                    and toks[j].norm not in ("and", "with", "by", "at", "which", "that", "who", "was", "were"):
                j += 1
            if j > e + 1 and (toks[e].norm != "to" or kind == "Visit"):
                e = j
        return s, e

    def find_events(self) -> None:
        doc, toks, lx = self.doc, self.toks, self.lx
        n = len(toks)
        occurrences: list[tuple[int, int, str | None, bool]] = []  # (s, e, kind|None generic, anchored)
        pos = 0
        for i in doc.starts(lx.event_kinds, lx.event_generic):
            if i < pos or not doc.active[i] or i in doc.occ:
                continue
            m = lx.event_kinds.longest(toks, i)
            g = lx.event_generic.longest(toks, i)
            if m and (not g or m[0] >= g[0]):
                e, kind = m
                # English compounds: "launch meeting" is a launch (lexicon), "project launch"
                occurrences.append((i, e, kind, self.anchored(i)))
                pos = e
                continue
            if g:
                occurrences.append((i, g[0], None, self.anchored(i)))
                pos = g[0]
        by_kind: dict[str, Ent] = {}
        main: Ent | None = None
        for s, e, kind, anch in occurrences:
            if kind is None:
                continue
            if kind in lx.event_needs_verb and not anch:
                if kind not in by_kind:
                    continue
            if not anch and kind not in by_kind:
                continue
            if self.blocked(s, kind) or s in doc.info.get("post_tokens", ()):
                continue
            if kind == "Launch" and e - s == 1 and self.opening_of_other(s, e):
                continue
            ns0, ne0 = self.event_np(s, e)
            indefinite = (toks[s].script == ARABIC and not toks[s].norm.startswith("ال")) or (
                toks[s].script == LATIN and ns0 > 0 and toks[max(0, ns0 - 1)].norm in ("a", "an", "another")) or (
                toks[max(0, s - 1)].norm == "another")
            other_instance = indefinite and any(b in _ANOTHER for k in range(max(0, s - 1), min(n, ne0 + 1))
                                                for b in toks[k].bases) and s > doc.info.get("title_end", 0)
            if other_instance and kind in by_kind:
                # "حملة مماثلة", "a second training": another event of the same kind
                ent = Ent("Event", doc.span_text(ns0, ne0), kind=kind)
                ent.info["anchor"] = s
                doc.add(ent)
                self.events.append(ent)
                if doc.free(ns0, ne0):
                    doc.occupy(ent, ns0, ne0)
                continue
            ent = by_kind.get(kind)
            if ent is None and kind == "Other" and main is not None:
                ent = main  # "حفل الاختتام" of the training: a moment of the main event
            if ent is None:
                # "meeting" after "Launch meeting": the noun names an event already met
                for other in self.events:
                    if any(toks[s].norm == toks[k].norm for a, b in other.spans for k in range(a, b)):
                        ent = other
                        break
            ns, ne = self.event_np(s, e)
            if ent is None:
                ent = Ent("Event", doc.span_text(ns, ne), kind=kind)
                ent.info["anchor"] = s
                by_kind[kind] = ent
                doc.add(ent)
                self.events.append(ent)
                if main is None:
                    main = ent
            if doc.free(ns, ne):
                doc.occupy(ent, ns, ne)
            else:
                ent.add_span(ns, ne)
                if doc.free(s, e):
                    doc.occupy(ent, s, e)
                    ent.spans.remove((s, e))
        if not by_kind:
            # no event reported with a verb: a definite mention still refers to one
            # that took place ("خلال حفل الافتتاح", "at the ceremony")
            for s, e, kind, anch in occurrences:
                if kind is None or self.blocked(s, kind) or s in doc.info.get("post_tokens", ()):
                    continue
                w = toks[s].norm
                definite = (toks[s].script == ARABIC and (w.startswith("ال") or w[1:3] == "ال" or
                                                          (e - s > 1 and toks[s + 1].norm.startswith("ال")))) or \
                    (toks[s].script == LATIN and s > 0 and toks[s - 1].norm == "the")
                if not definite:
                    continue
                ns, ne = self.event_np(s, e)
                ent = Ent("Event", doc.span_text(ns, ne), kind=kind)
                ent.info["anchor"] = s
                by_kind[kind] = ent
                doc.add(ent)
                self.events.append(ent)
                main = ent
                if doc.free(ns, ne):
                    doc.occupy(ent, ns, ne)
                break
        for s, e, kind, anch in occurrences:
            if kind is not None:
                continue
            if main is None:
                if not anch:
                    continue
                word = toks[s].norm
                ent = Ent("Event", doc.span_text(s, e), kind="Meeting" if "لقاء" in word or "meeting" in word
                          else "Other")
                ent.info["anchor"] = s
                doc.add(ent)
                self.events.append(ent)
                main = ent
            if doc.free(s, e):
                doc.occupy(main, s, e)
        if main is not None:
            main.main = True
        # the title's event is the main one when the headline names one, by a noun
        # or by a verb of its kind ("Prime minister meets with ...", "توقعان مذكرة")
        title_end = doc.info.get("title_end", 0)
        title_kind = None
        for k in range(0, title_end):
            for b in toks[k].bases:
                if b in _TITLE_VERB_KIND:
                    title_kind = title_kind or _TITLE_VERB_KIND[b]
        chosen = None
        for ev in self.events:
            if ev.info.get("anchor", 1 << 30) < title_end:
                chosen = ev
                break
        if chosen is None and title_kind:
            chosen = next((ev for ev in self.events if ev.kind == title_kind), None)
        if chosen is not None:
            for other in self.events:
                other.main = other is chosen

    def opening_of_other(self, s: int, e: int) -> bool:
        """"افتتاح ... ورشة عمل": the opening of another event is that event."""
        toks = self.toks
        for k in range(e, min(len(toks), e + 5)):
            if toks[k].sent != toks[s].sent:
                break
            m = self.lx.event_kinds.longest(toks, k)
            if m and m[1] != "Launch":
                return True
        return False

    def blocked(self, s: int, kind: str) -> bool:
        """Event nouns that name no event here: a training/visit that is a project
        activity ("تدريب ٦٠ موظفا", "vocational training"), or a noun right after
        a project noun."""
        toks = self.toks
        if s > 0 and toks[s - 1].script == LATIN and toks[s - 1].norm in ("vocational", "technical", "on-the-job"):
            return True
        if s > 0 and (_base_is(toks[s - 1], _PROJECT_AR) or toks[s - 1].norm in _PROJECT_EN) \
                and kind not in ("Launch",):
            return True
        return False

    def place_and_date(self, ev: Ent) -> None:
        """Where and when an event takes place.

        The place is the best one its sentences put it in: a place after
        "في"/"in"/"at" (or glued "بدمشق"; "to" for a visit), better after a
        verb like "held"/"عقد" or right after the event's own mention, and a
        city before a country; not a place that qualifies a project ("project
        in Lebanon") or, in English, an international organization's country
        ("IOM in Jordan" is its office). Else the dateline's place, else the
        first city the item says something happened in.
        """
        doc, toks, rx = self.doc, self.toks, self.rx
        place_at = doc.info.get("place_at", {})
        sentences: list[tuple[int, int]] = []
        anchor = ev.info.get("anchor")
        for a in ([anchor] if anchor is not None else [s for s, _ in sorted(ev.spans)][:1]):
            r = doc.sent_range(a)
            if r not in sentences:
                sentences.append(r)
        for r in ev.info.get("sentences", []):
            if r not in sentences:
                sentences.append(r)
        strong_only = set()  # other sentences naming the event: only "held in X"-like places count
        for s0, _ in sorted(ev.spans)[:4]:
            r = doc.sent_range(s0)
            if r not in sentences:
                sentences.append(r)
                strong_only.add(r)
        mention_tokens = {k for s, e in ev.spans for k in range(s, e)}
        best: tuple[int, int, str, tuple[int, int]] | None = None
        for rank, (ss, se) in enumerate(sentences):
            for k in range(ss, se):
                ph = place_at.get(k)
                if ph is None or any(j in doc.occ for j in range(ph.s, ph.e)):
                    continue
                t = toks[k]
                prev = toks[k - 1] if k > 0 else None
                glued = t.script == ARABIC and t.norm[:1] == "ب" and t.norm not in rx.gaz._index \
                    and not t.norm.startswith("ال")
                prev2 = toks[k - 2] if k > 1 else None
                if prev is not None and prev.norm == "the" and prev2 is not None:
                    prev = prev2  # "held at the Dead Sea", "visited the Mafraq Governorate"
                intro = glued or (prev is not None and (prev.norm in _LOC_AR or prev.norm in _LOC_EN or
                                                        (ev.kind == "Visit" and (prev.norm in (
                                                            "to", "visited", "toured", "visit", "visiting")
                                                            or any(b in ("زار", "زارت", "يزور", "تزور")
                                                                   for b in prev.bases)))))
                if not intro:
                    continue
                before = k - 1 if not glued else k
                q = before - 1
                if q >= 0 and toks[q].norm == ")":
                    while q > ss and toks[q].norm != "(":
                        q -= 1
                    q -= 1
                o = doc.occ.get(q) if q >= 0 else None
                if q >= 0 and (toks[q].norm in _PROJECT_EN or _base_is(toks[q], _PROJECT_AR)):
                    continue
                if o is not None and o[0].type == "Project":
                    continue
                entry = rx.registry.places.get(ph.key)
                if o is not None and o[0].type == "Organization" and toks[q].script == LATIN and \
                        o[0].kind == "IntergovernmentalOrganization" and entry is not None and entry.kind == "Country":
                    continue
                score = 0
                if q in mention_tokens or any(self.lx.event_verbs.matches_at(toks, x) and
                                              toks[x].norm not in ("was", "were", "is", "are")
                                              for x in range(max(ss, before - 3), before)):
                    score += 2
                if (ss, se) in strong_only and score < 2:
                    continue
                if entry is not None and entry.kind != "Country":
                    score += 1
                cand = (-score, rank * 1000 + (k - ss), ph.key, (ph.s, ph.e))
                if best is None or cand < best:
                    best = cand
        place_key = best[2] if best else None
        place_span = best[3] if best else None
        if place_key is None:
            dp = doc.info.get("dateline_place")
            if dp:
                for h in doc.info["hits"][1]:
                    if toks[h.s].start >= dp[0] and toks[h.e - 1].end <= dp[1]:
                        place_key = h.key
                        place_span = (h.s, h.e)
                        break
        if place_key is None and ev.main:
            # "..., Krahenbuhl said in London"
            for k, ph in sorted(place_at.items()):
                entry = rx.registry.places.get(ph.key)
                if entry is not None and entry.kind == "City" and k > 0 and toks[k - 1].norm in ("in", "في") \
                        and not any(j in doc.occ for j in range(ph.s, ph.e)) and doc.active[k] \
                        and k > 1 and self.lx.speech.matches_at(toks, k - 2):
                    place_key, place_span = ph.key, (ph.s, ph.e)
                    break
        if place_key:
            ev.info["place"] = (place_key, place_span)
            ev.country = rx.country_of_place(place_key) or doc.country
        else:
            ev.country = doc.country
        # date
        date = None
        if anchor is not None:
            ss, se = doc.sent_range(anchor)
            a, b = toks[ss].start, toks[se - 1].end
            pub = getattr(doc.meta, "published", None)
            year = int(pub[:4]) if pub else None
            found = find_dates(doc.text[a:b], default_year=year)
            if found:
                date = found[0][0]
        ev.date = date or getattr(doc.meta, "published", None)
        if ev.date and not ev.name.endswith(")"):
            ev.name = f"{ev.name} ({ev.date})"



_ANOTHER = frozenset({"مماثله", "مماثل", "مماثلا", "اخري", "اخر", "ثانيه", "ثاني", "similar", "another", "second",
                      "next", "previous", "earlier", "further", "upcoming", "future"})

_TITLE_VERB_KIND = {
    "meets": "Meeting", "met": "Meeting", "meet": "Meeting", "يلتقي": "Meeting", "التقي": "Meeting",
    "تلتقي": "Meeting", "التقت": "Meeting", "يستقبل": "Meeting", "استقبل": "Meeting", "يبحث": "Meeting",
    "تبحثان": "Meeting", "يبحثان": "Meeting", "visits": "Visit", "visited": "Visit", "visit": "Visit",
    "يزور": "Visit", "زار": "Visit", "تزور": "Visit", "زارت": "Visit", "launch": "Launch", "launches": "Launch",
    "launched": "Launch", "تطلقان": "Launch", "يطلق": "Launch", "تطلق": "Launch", "اطلق": "Launch",
    "اطلقت": "Launch", "signs": "Signing", "sign": "Signing", "signed": "Signing", "توقعان": "Signing",
    "يوقعان": "Signing", "توقع": "Signing", "وقع": "Signing", "وقعت": "Signing", "trains": "Training",
    "train": "Training", "trained": "Training", "يدرب": "Training", "تدرب": "Training",
}


def _ar_adjective(w: str, definite: bool) -> bool:
    """Could ``w`` be an adjective agreeing with an (in)definite event noun?"""
    if w in ("عمل",):
        return not definite
    if definite:
        return w.startswith("ال") and len(w) > 4 and w.endswith(("ي", "يه", "ه"))
    if w.startswith("ال") or w[:1] in "يتن" and not w.endswith(("يا", "يه")):
        return False
    return len(w) > 3 and w.endswith(("يا", "يه", "ا", "ه"))


_EN_EVENT_MODS = frozenset({"national", "regional", "international", "two-day", "three-day", "four-day", "five-day",
                            "one-day", "day", "two", "three", "four", "five", "six", "seven", "high-level", "technical",
                            "closing", "opening", "launch", "project", "joint", "consultative", "annual", "first",
                            "second", "third", "final", "virtual", "online", "awareness", "awareness-raising",
                            "policy", "expert", "ministerial", "specialized", "specialised", "week-long", "month-long",
                            "signing", "official", "public", "field", "study", "training"})


def find_events(doc: Doc, rx: RegistryIndex, lx: Lexicons) -> EventFinder:
    f = EventFinder(doc, rx, lx)
    f.pending = []
    f.find_projects()
    f.find_events()
    doc.info["events"] = f
    return f
