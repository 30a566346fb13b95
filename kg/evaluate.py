"""Score extracted records against gold records (ANNOTATION.md, Scoring).

The extractor is judged by exactly the rules the gold annotators were given,
so the numbers here are the ones the project reports:

* names and mentions are compared as normalized word sequences
  (:func:`kg.normalize.name_words`: diacritics, tatweel, letter forms, the
  article and leading clitics, case, punctuation, function words folded);
* an extracted entity may match a gold entity of the same type when one of
  its names or mentions *equals* one of the gold entity's, or the words of
  the shorter are all in the longer and are more than half of them
  (*subset*), or the two strings are near-identical (difflib ratio >= 0.85,
  *similar*);
* entities are aligned one to one, best pairs first (exact > subset >
  similar, then by overlap, then by position in the records), and what is
  left over is a false positive (extracted) or a miss (gold);
* relations match on type and aligned endpoints (either order for
  ``partners_with``); a record's relations are a set of facts, so a relation
  stated twice counts once.

Counts are micro-averaged: summed over items, then turned into precision,
recall and F1, per language of the gold item and overall.
"""
from __future__ import annotations

import difflib
import json
import sys
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from kg.errors import KGError
from kg.normalize import name_words
from kg.record import Entity, Item, Record, load_record
from kg.schema import load_schema

SIMILARITY = 0.85
EXACT, SUBSET, SIMILAR = 3, 2, 1
_HOW = {EXACT: "exact", SUBSET: "subset", SIMILAR: "similar"}
ALL = "all"
SYMMETRIC = frozenset({"partners_with"})

Extractor = Callable[..., Record]


# -- counts ------------------------------------------------------------------

@dataclass
class Counts:
    """True positives, false positives and misses of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        # Nothing predicted and nothing to find is perfect; nothing predicted
        # when something was to be found is 0 (recall says the same).
        if self.predicted == 0:
            return 1.0 if self.gold == 0 else 0.0
        return self.tp / self.predicted

    @property
    def recall(self) -> float:
        if self.gold == 0:
            return 1.0 if self.predicted == 0 else 0.0
        return self.tp / self.gold

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.gold, "predicted": self.predicted,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


# -- entity alignment ----------------------------------------------------------

def _forms(entity: Entity) -> list[tuple[str, ...]]:
    """The distinct non-empty word sequences of an entity's name and mentions."""
    seen: dict[tuple[str, ...], None] = {}
    for s in [entity.name, *(m.text for m in entity.mentions)]:
        words = name_words(s or "")
        if words:
            seen.setdefault(words, None)
    return list(seen)


def compare_forms(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, float]:
    """How two normalized names match: (EXACT|SUBSET|SIMILAR|0, overlap in [0, 1]).

    The overlap ranks pairs of the same class: for a subset, the share of the
    longer name's words that the shorter covers; for similar strings, their
    difflib ratio.
    """
    if not a or not b:
        return 0, 0.0
    if a == b:
        return EXACT, 1.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    long_set = set(long_)
    if all(w in long_set for w in short) and 2 * len(short) > len(long_):
        return SUBSET, len(short) / len(long_)
    sa, sb = " ".join(a), " ".join(b)
    m = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    if m.real_quick_ratio() >= SIMILARITY and m.quick_ratio() >= SIMILARITY:
        r = m.ratio()
        if r >= SIMILARITY:
            return SIMILAR, r
    return 0, 0.0


def _pair_score(gforms: list[tuple[str, ...]], xforms: list[tuple[str, ...]]) -> tuple[int, float, float]:
    """(class, overlap, word Jaccard of the whole entities) of a gold/extracted pair."""
    best = (0, 0.0)
    for g in gforms:
        for x in xforms:
            s = compare_forms(g, x)
            if s > best:
                best = s
                if s == (EXACT, 1.0):
                    break
        if best == (EXACT, 1.0):
            break
    if not best[0]:
        return 0, 0.0, 0.0
    gw = {w for f in gforms for w in f}
    xw = {w for f in xforms for w in f}
    jaccard = len(gw & xw) / len(gw | xw) if gw or xw else 0.0
    return best[0], best[1], jaccard


@dataclass(frozen=True)
class Match:
    gold: str
    extracted: str
    type: str
    how: str  # exact | subset | similar


def align_entities(gold: Record, extracted: Record) -> list[Match]:
    """One-to-one alignment of extracted to gold entities, best pairs first.

    Candidate pairs (same type, some name or mention matching) are ranked by
    match class (exact > subset > similar), then by the overlap of the best
    matching pair of names, then by the word overlap of the two entities as
    a whole, then by position (gold first, then extracted) so that the result
    never depends on anything but the two records.
    """
    gforms = [_forms(e) for e in gold.entities]
    xforms = [_forms(e) for e in extracted.entities]
    candidates = []
    for gi, ge in enumerate(gold.entities):
        for xi, xe in enumerate(extracted.entities):
            if ge.type != xe.type:
                continue
            cls, overlap, jac = _pair_score(gforms[gi], xforms[xi])
            if cls:
                candidates.append((-cls, -overlap, -jac, gi, xi))
    candidates.sort()
    used_g: set[int] = set()
    used_x: set[int] = set()
    matches = []
    for ncls, _, _, gi, xi in candidates:
        if gi in used_g or xi in used_x:
            continue
        used_g.add(gi)
        used_x.add(xi)
        ge, xe = gold.entities[gi], extracted.entities[xi]
        matches.append(Match(ge.id, xe.id, ge.type, _HOW[-ncls]))
    matches.sort(key=lambda m: [e.id for e in gold.entities].index(m.gold))
    return matches


# -- per-item results ----------------------------------------------------------

@dataclass
class RelationView:
    """A relation as shown in reports: type and endpoint names."""

    type: str
    subject: str
    object: str

    def __str__(self) -> str:
        arrow = "<->" if self.type in SYMMETRIC else "->"
        return f"{self.type}: {self.subject} {arrow} {self.object}"

    def to_dict(self) -> dict[str, str]:
        return {"type": self.type, "subject": self.subject, "object": self.object}


@dataclass
class ItemResult:
    """What one item scored, and what it missed or added."""

    id: str
    lang: str
    counts: dict[str, Counts] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    missed_entities: list[Entity] = field(default_factory=list)
    spurious_entities: list[Entity] = field(default_factory=list)
    missed_relations: list[RelationView] = field(default_factory=list)
    spurious_relations: list[RelationView] = field(default_factory=list)
    missed_topics: list[str] = field(default_factory=list)
    spurious_topics: list[str] = field(default_factory=list)
    metadata: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (gold, extracted)
    offset_errors: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        def ent(e: Entity) -> dict[str, Any]:
            return {"id": e.id, "type": e.type, "name": e.name, "mentions": [m.text for m in e.mentions]}
        return {
            "id": self.id, "lang": self.lang,
            "counts": {k: v.to_dict() for k, v in self.counts.items()},
            "matches": [m.__dict__ for m in self.matches],
            "missed_entities": [ent(e) for e in self.missed_entities],
            "spurious_entities": [ent(e) for e in self.spurious_entities],
            "missed_relations": [r.to_dict() for r in self.missed_relations],
            "spurious_relations": [r.to_dict() for r in self.spurious_relations],
            "missed_topics": self.missed_topics, "spurious_topics": self.spurious_topics,
            "metadata": {k: {"gold": g, "extracted": x} for k, (g, x) in self.metadata.items()},
            "offset_errors": self.offset_errors, "error": self.error, "seconds": round(self.seconds, 4),
        }


def _bump(counts: dict[str, Counts], key: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
    c = counts.setdefault(key, Counts())
    c.tp += tp
    c.fp += fp
    c.fn += fn


def _rel_key(rtype: str, s: object, o: object) -> tuple:
    if rtype in SYMMETRIC:
        return (rtype, frozenset((s, o)))
    return (rtype, s, o)


def _offset_errors(record: Record, text: str) -> list[str]:
    errors = []
    for e in record.entities:
        for m in e.mentions:
            if m.start is None:
                if m.text not in text:
                    errors.append(f"{e.id}: {m.text!r} not in text")
            elif not (0 <= m.start <= m.end <= len(text)) or text[m.start:m.end] != m.text:
                errors.append(f"{e.id}: {m.text!r} != text[{m.start}:{m.end}] {text[m.start:m.end]!r}")
    for r in record.relations:
        ev = r.evidence
        if ev is not None and ev.start is not None and text[ev.start:ev.end] != ev.text:
            errors.append(f"evidence of {r.type} {r.subject}->{r.object}: {ev.text!r} != text[{ev.start}:{ev.end}]")
    return errors


def score_item(gold: Record, extracted: Record, *, text: str | None = None) -> ItemResult:
    """Compare one extracted record with its gold record."""
    schema = load_schema()
    actor_types = set(schema.actor_types) or {"Organization", "Person"}
    res = ItemResult(id=gold.item.id, lang=gold.item.lang or "und")
    counts = res.counts

    matches = align_entities(gold, extracted)
    res.matches = matches
    g2x = {m.gold: m.extracted for m in matches}
    x2g = {m.extracted: m.gold for m in matches}
    for e in gold.entities:
        hit = e.id in g2x
        for key in (f"entity:{e.type}", "entities") + (("actors",) if e.type in actor_types else ()):
            _bump(counts, key, tp=int(hit), fn=int(not hit))
        if not hit:
            res.missed_entities.append(e)
    for e in extracted.entities:
        if e.id in x2g:
            continue
        for key in (f"entity:{e.type}", "entities") + (("actors",) if e.type in actor_types else ()):
            _bump(counts, key, fp=1)
        res.spurious_entities.append(e)

    gnames = {e.id: e.name for e in gold.entities}
    xnames = {e.id: e.name for e in extracted.entities}
    gold_rels: dict[tuple, RelationView] = {}
    for r in gold.relations:
        gold_rels.setdefault(_rel_key(r.type, r.subject, r.object),
                             RelationView(r.type, gnames.get(r.subject, r.subject), gnames.get(r.object, r.object)))
    ext_rels: dict[tuple, RelationView] = {}
    for r in extracted.relations:
        # Endpoints in gold ids when aligned; unaligned ones can never match.
        s = x2g.get(r.subject, ("unaligned", r.subject))
        o = x2g.get(r.object, ("unaligned", r.object))
        ext_rels.setdefault(_rel_key(r.type, s, o),
                            RelationView(r.type, xnames.get(r.subject, r.subject), xnames.get(r.object, r.object)))
    for key, view in gold_rels.items():
        hit = key in ext_rels
        _bump(counts, f"relation:{key[0]}", tp=int(hit), fn=int(not hit))
        _bump(counts, "relations", tp=int(hit), fn=int(not hit))
        if not hit:
            res.missed_relations.append(view)
    for key, view in ext_rels.items():
        if key not in gold_rels:
            _bump(counts, f"relation:{key[0]}", fp=1)
            _bump(counts, "relations", fp=1)
            res.spurious_relations.append(view)
    # Every category the schema knows is reported, even with nothing in it.
    for t in schema.entity_types:
        counts.setdefault(f"entity:{t}", Counts())
    for t in schema.relations:
        counts.setdefault(f"relation:{t}", Counts())
    counts.setdefault("actors", Counts())
    counts.setdefault("entities", Counts())
    counts.setdefault("relations", Counts())

    # Topics are scored only where the gold lists them (they are optional).
    if gold.topics:
        gt, xt = set(gold.topics), set(extracted.topics)
        _bump(counts, "topics", tp=len(gt & xt), fp=len(xt - gt), fn=len(gt - xt))
        res.missed_topics = sorted(gt - xt)
        res.spurious_topics = sorted(xt - gt)

    for f in ("lang", "published", "source", "title"):
        g = getattr(gold.item, f)
        if g is not None:
            res.metadata[f] = (g, getattr(extracted.item, f))
    if text is not None:
        res.offset_errors = _offset_errors(extracted, text)
    return res


# -- all items -------------------------------------------------------------------

def _category_order(keys: Iterable[str]) -> list[str]:
    schema = load_schema()
    order = ["actors", "entities"] + [f"entity:{t}" for t in schema.entity_types] + \
            ["relations"] + [f"relation:{t}" for t in schema.relations] + ["topics"]
    rank = {k: i for i, k in enumerate(order)}
    return sorted(set(keys), key=lambda k: (rank.get(k, len(order)), k))


@dataclass
class Scores:
    """Scores of a set of items: per category, per language and overall."""

    items: list[ItemResult]
    verbose: bool = False

    @property
    def langs(self) -> list[str]:
        return sorted({r.lang for r in self.items})

    def counts(self, lang: str = ALL) -> dict[str, Counts]:
        """Micro-averaged counts per category for one language (or ``"all"``)."""
        total: dict[str, Counts] = {}
        for r in self.items:
            if lang != ALL and r.lang != lang:
                continue
            for key, c in r.counts.items():
                total.setdefault(key, Counts()).add(c)
        return total

    def get(self, category: str, lang: str = ALL) -> Counts:
        """Counts of one category, e.g. ``"actors"``, ``"entity:Person"``, ``"relation:funds"``."""
        return self.counts(lang).get(category, Counts())

    def f1(self, category: str, lang: str = ALL) -> float:
        return self.get(category, lang).f1

    def metadata_accuracy(self, lang: str = ALL) -> dict[str, tuple[int, int]]:
        """Per item field: (items where extracted == gold, items whose gold has it)."""
        acc: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.items:
            if lang != ALL and r.lang != lang:
                continue
            for f, (g, x) in r.metadata.items():
                acc[f][1] += 1
                acc[f][0] += int(g == x)
        return {f: (a[0], a[1]) for f, a in acc.items()}

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.items)

    def to_dict(self) -> dict[str, Any]:
        langs = self.langs + [ALL]
        return {
            "items": len(self.items),
            "langs": {lang: sum(1 for r in self.items if r.lang == lang) for lang in self.langs},
            "scores": {lang: {k: c.to_dict() for k, c in sorted(self.counts(lang).items(),
                                                                 key=lambda kv: _category_order([kv[0]]))}
                       for lang in langs},
            "metadata": {lang: {f: {"correct": a, "of": b} for f, (a, b) in self.metadata_accuracy(lang).items()}
                         for lang in langs},
            "errors": {r.id: r.error for r in self.items if r.error},
            "offset_errors": {r.id: r.offset_errors for r in self.items if r.offset_errors},
            "seconds": round(self.seconds, 3),
            "per_item": [r.to_dict() for r in self.items],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def table(self, verbose: bool | None = None) -> str:
        """A plain-text table; with ``verbose``, every miss and false positive per item."""
        verbose = self.verbose if verbose is None else verbose
        langs = self.langs + [ALL] if len(self.langs) > 1 else [ALL]
        per_lang = {lang: self.counts(lang) for lang in langs}
        cats = _category_order(k for c in per_lang.values() for k in c)
        n_by_lang = ", ".join(f"{lang} {sum(1 for r in self.items if r.lang == lang)}" for lang in self.langs)
        lines = [f"{len(self.items)} items ({n_by_lang})", ""]
        header = f"{'category':<26}{'lang':<6}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}"
        lines += [header, "-" * len(header)]
        for cat in cats:
            label = cat.split(":", 1)[1] if ":" in cat else cat.upper()
            label = ("  " + label) if ":" in cat else label
            if cat.startswith("relation:") and all(per_lang[lg].get(cat, Counts()).gold == 0
                                                   and per_lang[lg].get(cat, Counts()).predicted == 0
                                                   for lg in langs):
                continue
            for i, lang in enumerate(langs):
                c = per_lang[lang].get(cat, Counts())
                prf = (f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}" if c.gold or c.predicted
                       else f"{'-':>8}{'-':>8}{'-':>8}")  # nothing to find, nothing found
                lines.append(f"{label if i == 0 else '':<26}{lang:<6}{c.gold:>6}{c.predicted:>6}{c.tp:>6}{prf}")
        meta = self.metadata_accuracy()
        if meta:
            lines += ["", "item metadata (extracted = gold): " +
                      ", ".join(f"{f} {a}/{b}" for f, (a, b) in sorted(meta.items()))]
        n_off = sum(len(r.offset_errors) for r in self.items)
        n_err = sum(1 for r in self.items if r.error)
        if self.seconds:
            lines.append(f"extraction: {self.seconds:.2f} s, {len(self.items) / self.seconds:.1f} items/s")
        if n_off:
            lines.append(f"OFFSET ERRORS: {n_off} mention(s) whose offsets do not point at their text")
        if n_err:
            lines.append(f"EXTRACTOR ERRORS: {n_err} item(s) raised (scored as empty records)")
        if verbose:
            lines += self._details()
        return "\n".join(lines)

    def _details(self) -> list[str]:
        out: list[str] = []
        for r in self.items:
            a, rel = r.counts.get("entities", Counts()), r.counts.get("relations", Counts())
            out += ["", f"== {r.id} [{r.lang}]  entities F1 {a.f1:.3f} ({a.tp}/{a.gold} found, {a.fp} spurious)"
                        f"  relations F1 {rel.f1:.3f} ({rel.tp}/{rel.gold} found, {rel.fp} spurious)"]
            if r.error:
                out += ["  ERROR: " + line for line in r.error.rstrip().splitlines()]
            for e in r.missed_entities:
                out.append(f"  missed   {e.type:<13}{e.name}  [{' | '.join(m.text for m in e.mentions)}]")
            for e in r.spurious_entities:
                out.append(f"  spurious {e.type:<13}{e.name}  [{' | '.join(m.text for m in e.mentions)}]")
            for m in r.matches:
                if m.how != "exact":
                    out.append(f"  matched  {m.type:<13}{m.gold} ~ {m.extracted} ({m.how})")
            for v in r.missed_relations:
                out.append(f"  missed   {v}")
            for v in r.spurious_relations:
                out.append(f"  spurious {v}")
            if r.missed_topics or r.spurious_topics:
                out.append(f"  topics   missed {r.missed_topics}  spurious {r.spurious_topics}")
            for f, (g, x) in sorted(r.metadata.items()):
                if g != x:
                    out.append(f"  item.{f}: gold {g!r}, extracted {x!r}")
            for o in r.offset_errors:
                out.append(f"  OFFSET   {o}")
        return out


def evaluate_records(pairs: Iterable[tuple[Record, Record]], *, verbose: bool = False) -> Scores:
    """Score (gold, extracted) record pairs without running the extractor."""
    return Scores([score_item(g, x) for g, x in pairs], verbose=verbose)


def _default_extractor() -> Callable[[Path, str, str], Record]:
    import kg.extract as ex  # lazily: the extractor loads its lexicons and registry

    if hasattr(ex, "extract_file"):
        return lambda path, text, name: ex.extract_file(path)
    return lambda path, text, name: ex.extract(text, item_id=name)


def gold_pairs(gold_dir: str | Path) -> list[tuple[str, Path, Path]]:
    """(NAME, NAME.txt, NAME.gold.json) for every text in ``gold_dir`` that has a gold record, sorted."""
    d = Path(gold_dir)
    if not d.is_dir():
        raise KGError("not a folder of gold records", d)
    pairs = []
    for txt in sorted(d.glob("*.txt")):
        gold = txt.with_name(txt.stem + ".gold.json")
        if gold.is_file():
            pairs.append((txt.stem, txt, gold))
    if not pairs:
        raise KGError("no NAME.txt with NAME.gold.json found", d)
    return pairs


def evaluate(gold_dir: str | Path, *, extractor: Extractor | None = None, verbose: bool = False) -> Scores:
    """Run the extractor on each ``NAME.txt`` of ``gold_dir`` and score it against ``NAME.gold.json``.

    ``extractor`` is called as ``extractor(text, item_id=NAME)`` and returns a
    :class:`~kg.record.Record`; by default :mod:`kg.extract` is used. An item
    on which the extractor raises is scored as an empty record and its error
    is reported, so that one bad item does not hide the scores of the rest.
    """
    if extractor is None:
        run = _default_extractor()
    else:
        def run(path: Path, text: str, name: str) -> Record:
            return extractor(text, item_id=name)
    results = []
    for name, txt, gold_path in gold_pairs(gold_dir):
        gold = load_record(gold_path)
        try:
            text = txt.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise KGError("not UTF-8 text", txt) from None
        error = None
        t0 = time.perf_counter()
        try:
            extracted = run(txt, text, name)
        except Exception:  # noqa: BLE001 - reported per item, see docstring
            error = traceback.format_exc(limit=-4)
            extracted = Record(item=Item(id=name))
        seconds = time.perf_counter() - t0
        res = score_item(gold, extracted, text=text)
        res.error, res.seconds = error, seconds
        results.append(res)
    return Scores(results, verbose=verbose)


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.evaluate GOLD_DIR [--verbose] [--json]`` (the CLI has the same command)."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m kg.evaluate", description=main.__doc__)
    ap.add_argument("gold_dir")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        scores = evaluate(args.gold_dir, verbose=args.verbose)
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(scores.to_json() if args.json else scores.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
