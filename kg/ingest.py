"""Batch ingest of news files into a store: resumable, incremental, reporting what it skips.

``levant-kg build`` and ``levant-kg add`` call :func:`ingest` (through kg.build); notebooks can
too. For every news item met under the given files and folders it does::

    read (kg.readers) -> hash -> [skip: stored with the same hash]
        -> extract (or take the curated record) -> map -> validate -> put_item

Contract (issue 5, item 2):

* **Resumable.** Each item is written in one store transaction
  (``Store.put_item``), and its graph carries ``lmg:contentHash``. A run
  killed at any moment, SIGKILL included, leaves every item either stored
  whole or absent; run again, items already stored with the same hash are
  skipped without being re-extracted, the others are (re)done. Every item
  is stored once (its graph name is its IRI), none twice, none half.
* **The hash** is taken before extraction, so a current item costs a read
  and a hash, not an extraction. It is SHA-256 over: the pipeline
  fingerprint (the extractor version ``kg.extract.__version__`` when it
  has one, the levant-kg version, and the data that shapes the output: the
  lexicons, ``schema.yaml``, the topic scheme and the registry files), the
  origin, and either the item's metadata and text (extracted items) or the
  curated record and the text (curated items). Change the text, the
  metadata, the curated record, the registry or a lexicon, or release an
  extractor with a new version, and the item is redone; change nothing and
  it is skipped. Code is not hashed (an edited comment must not redo 100k
  items): ``force=True`` redoes every item whatever its hash, and a release
  that changes what mapping writes bumps ``HASH_VERSION``, which is hashed,
  so the next ingest redoes every stored item. (It replaces the record hash that
  ``kg.mapping`` writes into ``lmg:contentHash``: same property, same
  shape, 64 hex digits, but computable before extraction.)
* **Incremental validation.** With ``validate=True`` each new item graph is
  validated on its own with the registry descriptions it references
  (``kg.validate.validate_triples``): the cost grows with the new items, not
  with the graph. An item with SHACL violations is reported and *not*
  stored (``keep_invalid=True`` stores it anyway, still reported).
* **Bad input never stops the batch.** Unreadable files (``ReadError`` from
  ``kg.readers``), empty items, records that do not parse, extraction or
  mapping failures, invalid graphs, an item id met twice in one run (the
  first occurrence wins) are each reported with the file and reason and
  skipped. ``report`` (a path) receives one line per skipped item, JSON
  Lines (``{"file", "item", "stage", "reason"}``) or, for a ``.csv`` path,
  CSV with the same columns. The :class:`IngestSummary` holds them too.
* **Curated records** (annotation-record JSON files, ANNOTATION.md) found
  among the inputs or given as ``curated`` (files, folders or a
  ``{item id: Record}`` mapping) become items too; when a news file gives
  the text of the same item id, the curated record replaces the extraction
  and the text is kept (offsets are checked, the hash covers it).
* **Progress**: a tqdm bar with items/s on stderr when stderr is a terminal
  and ``progress`` is true.
* **Parallel**: ``workers=N>1`` reads, extracts, maps and validates in N
  worker processes while this process alone writes to the store (one
  writer: the Oxigraph store is single-writer). ``workers=0`` means one per
  CPU. Workers are forked on Linux (they inherit the loaded registry and
  never touch the store) and spawned elsewhere (``mp_context`` chooses;
  spawned workers need the caller's ``if __name__ == "__main__":`` guard).
  At most a few files per worker are in flight, so memory stays bounded
  when the writer is the slower side. ``bench/ingest.py`` measures the gain.
* **Flushing**: the store's write-ahead log is flushed into its tables every
  ``flush_seconds`` and at the end (see :func:`_flush`).
* **Compaction**: after a run that wrote a large share of the store (a
  build), the embedded store's tables are compacted (``Store.optimize``):
  RocksDB's background compaction lags far behind a bulk build; compacted,
  the store is 30% smaller and queries reading it from disk about 20% faster.
* The registry and ontology graphs are written to the store when missing or
  different in size (``graphs=False`` leaves them alone).

Files and folders are walked in sorted order; hidden files and folders
(``.name``) are ignored. A path that does not exist is a user error
(:class:`~kg.errors.KGError`) raised before anything is written.
"""
from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence

from rdflib import URIRef

from kg.errors import KGError, RecordError, StoreError
from kg.iri import LMG, ONTOLOGY_GRAPH, REGISTRY_GRAPH, item_iri

__all__ = ["ingest", "IngestSummary", "Problem", "pipeline_fingerprint", "item_hash", "iter_input_files",
           "stored_hashes"]

HASH_VERSION = "levant-kg-ingest/2"  # /2: item graphs carry lmg:entityCount, statementCount, quotationCount
_RECORD_PEEK_BYTES = 20 * 1024 * 1024


# -- results ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One skipped item (or unreadable file): where, at which step, why."""

    file: str
    item: str | None
    stage: str  # read | record | extract | map | validate | store | duplicate | skipped
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "item": self.item, "stage": self.stage, "reason": self.reason}

    def line(self) -> str:
        item = f" (item {self.item})" if self.item else ""
        return f"{self.file}{item}: {self.reason}" if self.file else f"item {self.item}: {self.reason}"


@dataclass
class IngestSummary:
    """What one ingest run did.

    ``items`` counts the items met (news items and curated records);
    ``stored = added + replaced``; ``unchanged`` were already stored with
    the same hash; ``skipped`` were reported (``problems``), of which
    ``invalid`` failed validation and ``duplicates`` repeated an item id.
    """

    files: int = 0
    items: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0
    invalid: int = 0
    duplicates: int = 0
    extracted: int = 0
    curated: int = 0
    seconds: float = 0.0
    compact_seconds: float | None = None  # None: the store was not compacted
    compact_error: str | None = None  # why compaction failed (the items are stored all the same)
    workers: int = 1
    report: str | None = None
    problems: list[Problem] = field(default_factory=list)
    stored_items: list[str] = field(default_factory=list, repr=False)

    @property
    def stored(self) -> int:
        return self.added + self.replaced

    @property
    def items_per_second(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0

    def text(self) -> str:
        """A short human summary (what the CLI prints)."""
        lines = [f"{self.items} item(s) from {self.files} file(s) in {self.seconds:.1f} s "
                 f"({self.items_per_second:.1f} items/s, {self.workers} worker(s))",
                 f"  stored {self.stored} ({self.added} new, {self.replaced} replaced), "
                 f"{self.unchanged} unchanged, {self.skipped} skipped"]
        if self.skipped:
            by_stage: dict[str, int] = {}
            for p in self.problems:
                by_stage[p.stage] = by_stage.get(p.stage, 0) + 1
            lines.append("  skipped by step: " + ", ".join(f"{k} {v}" for k, v in sorted(by_stage.items())))
            if self.report:
                lines.append(f"  report: {self.report}")
        if self.compact_seconds is not None:
            lines.append(f"  compacted the store in {self.compact_seconds:.1f} s")
        if self.compact_error:
            lines.append(f"  the store was not compacted: {self.compact_error}")
        return "\n".join(lines)


# -- hashing ---------------------------------------------------------------------------

def _hash_tree(h: "hashlib._Hash", root: Path, patterns: Sequence[str]) -> None:
    if root.is_file():
        files = [root]
    elif root.is_dir():
        files = sorted({f for pat in patterns for f in root.rglob(pat) if f.is_file()})
    else:
        return
    for f in files:
        h.update(str(f.relative_to(root) if f != root else f.name).encode("utf-8") + b"\x00")
        h.update(f.read_bytes())
        h.update(b"\x00")


def pipeline_fingerprint(registry: Any = None) -> str:
    """SHA-256 of what turns a text into an item graph: the extractor and
    levant-kg versions, the lexicons, schema and topic scheme, and the
    registry files (of ``registry.path``, default the bundled registry).
    Part of every item hash, so changing any of them makes the next ingest
    redo the items."""
    reg_path = getattr(registry, "path", None) if registry is not None else None
    return _fingerprint(str(reg_path) if reg_path else None)


@cache
def _fingerprint(registry_path: str | None) -> str:
    from kg.resources import data_path, ontology_path

    h = hashlib.sha256(HASH_VERSION.encode())
    h.update(f"\x00extractor {_extractor_version()}\x00levant-kg {_package_version()}\x00".encode())
    _hash_tree(h, ontology_path("schema.yaml"), [])
    _hash_tree(h, ontology_path("topics.ttl"), [])
    _hash_tree(h, data_path("lexicons"), ["*.yaml", "*.yml", "*.txt", "*.json"])
    _hash_tree(h, Path(registry_path) if registry_path else data_path("registry"), ["*.yaml", "*.yml"])
    return h.hexdigest()


def _extractor_version() -> str:
    from kg.extract import __version__

    return __version__


def _package_version() -> str:
    try:
        from importlib.metadata import version
        return version("levant-kg")
    except Exception:  # noqa: BLE001 - a source checkout without metadata
        return "dev"


def item_hash(fingerprint: str, *, text: str | None, meta: Mapping[str, Any] | None = None,
              record: Any = None) -> str:
    """The ``lmg:contentHash`` of an item: extracted (``meta`` + ``text``) or
    curated (``record`` + optional ``text``), under ``fingerprint``."""
    if record is not None:
        body: dict[str, Any] = {"origin": "curated", "record": record.to_dict(), "text": text}
    else:
        body = {"origin": "extracted", "meta": {k: v for k, v in sorted((meta or {}).items()) if v is not None},
                "text": text}
    h = hashlib.sha256(fingerprint.encode())
    h.update(json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    return h.hexdigest()


# -- reading ---------------------------------------------------------------------------

def _is_read_error(x: Any) -> bool:
    from kg.readers import ReadError

    return isinstance(x, ReadError)


@cache
def _folder_extensions() -> frozenset[str]:
    """Extensions taken from folders: the readers' news formats and .json (curated records).
    A file named explicitly is always taken (and reported when it cannot be read)."""
    from kg.readers import EXTENSIONS

    return frozenset(EXTENSIONS) | {".json"}


def iter_input_files(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> list[Path]:
    """The files under ``paths``, in sorted order: files named explicitly, and under
    folders the news files (``kg.readers.EXTENSIONS``) and ``.json`` records,
    hidden names skipped. Raises KGError for a path that does not exist."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            wanted = _folder_extensions()
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in files
                             if not f.startswith(".") and Path(f).suffix.lower() in wanted)
            out.extend(sorted(found))
        elif p.exists():
            out.append(p)
        else:
            raise KGError("no such file or folder", p)
    return out


def _looks_like_record(path: Path) -> bool:
    """An annotation record (ANNOTATION.md) rather than a news file: a .json
    object with an ``item`` object and ``entities`` or ``relations``."""
    if path.suffix.lower() != ".json":
        return False
    try:
        if path.stat().st_size > _RECORD_PEEK_BYTES:
            return False
        with open(path, "rb") as fh:
            head = fh.read(4096).lstrip()
        if not head.startswith(b"{") or b'"item"' not in head:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("item"), dict) and (
        "entities" in data or "relations" in data)


def _load_curated(curated: Any, record_files: list[Path], problems: list[Problem]) -> dict[str, tuple[Any, str]]:
    """Item id -> (Record, source file) from ``curated`` and the record files of the inputs."""
    from kg.record import Record, load_record

    out: dict[str, tuple[Any, str]] = {}

    def add(rec: Any, where: str) -> None:
        if rec.item.id in out:
            problems.append(Problem(where, rec.item.id, "duplicate",
                                    f"curated record for item {rec.item.id!r} also in {out[rec.item.id][1]}"))
            return
        out[rec.item.id] = (rec, where)

    files: list[Path] = []
    if curated is not None:
        if isinstance(curated, Mapping):
            for key, rec in curated.items():
                if not isinstance(rec, Record):
                    rec = Record.from_dict(rec, f"curated[{key!r}]")
                add(rec, f"curated[{key!r}]")
        else:
            cpaths = [curated] if isinstance(curated, (str, os.PathLike)) else list(curated)
            for p in iter_input_files(cpaths):
                if p.suffix.lower() == ".json":
                    files.append(p)
    for p in files + record_files:
        try:
            add(load_record(p), str(p))
        except RecordError as exc:
            problems.append(Problem(str(p), None, "record", exc.problem))
    return out


# -- the per-item pipeline (runs in workers or in-process) -----------------------------------

@dataclass
class _Outcome:
    file: str
    item: str | None
    status: str  # put | unchanged | problem
    iri: str | None = None
    origin: str | None = None
    triples: Any = None  # the item graph as kg.store.NTriples (None when not to be stored)
    problem: Problem | None = None
    keep: bool = False  # put even though it is a problem (keep_invalid)


class _Pipeline:
    """Turns files into outcomes. One per process; holds the warm registry."""

    def __init__(self, registry: Any, fingerprint: str, known: Mapping[str, str],
                 curated: Mapping[str, tuple[Any, str]], validate: bool, keep_invalid: bool, force: bool = False):
        if registry is None:
            from kg.registry import default_registry
            registry = default_registry()
        self.registry = registry
        self.fingerprint = fingerprint
        self.known = known
        self.curated = curated
        self.validate = validate
        self.keep_invalid = keep_invalid
        self.force = force

    # one file -> its items
    def run_file(self, path: str) -> list[_Outcome]:
        from kg.readers import read_path

        out: list[_Outcome] = []
        try:
            for x in read_path(Path(path)):
                if _is_read_error(x):
                    where = getattr(x, "where", None)
                    reason = f"{where}: {x.reason}" if where else str(x.reason)
                    out.append(_problem(str(getattr(x, "path", None) or path), None, "read", reason))
                else:
                    out.append(self.run_item(x))
        except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
            out.append(_problem(path, None, "read", _why(exc)))
        return out

    def run_item(self, item: Any) -> _Outcome:
        file = str(getattr(item, "path", None) or "")
        item_id = getattr(item, "id", None)
        text = getattr(item, "text", None)
        if not item_id:
            return _problem(file, None, "read", "item without an id")
        if not text or not str(text).strip():
            return _problem(file, item_id, "read", "empty item")
        name = getattr(item, "name", None)
        cur = self.curated.get(item_id) or (self.curated.get(name) if name else None)
        if cur is not None:  # the curated record replaces extraction; its id names the item
            return self._finish(file, cur[0].item.id, cur[0], text, None)
        meta = {k: getattr(item, k, None) for k in ("url", "title", "published", "source", "lang")}
        full = getattr(item, "full_text", None)
        return self._finish(file, item_id, None, full if isinstance(full, str) and full.strip() else text, meta)

    def run_record(self, item_id: str) -> _Outcome:
        rec, where = self.curated[item_id]
        return self._finish(where, item_id, rec, None, None)

    def _finish(self, file: str, item_id: str, record: Any, text: str | None,
                meta: dict[str, Any] | None) -> _Outcome:
        from kg.mapping import record_to_triples
        from kg.validate import validate_triples

        iri = str(item_iri(item_id))
        h = item_hash(self.fingerprint, text=text, meta=meta, record=record)
        origin = "curated" if record is not None else "extracted"
        if not self.force and self.known.get(iri) == h:
            return _Outcome(file, item_id, "unchanged", iri, origin)
        if record is None:
            from kg.extract import extract
            try:
                record = extract(text, item_id=item_id, meta={k: v for k, v in (meta or {}).items() if v},
                                 registry=self.registry)
            except Exception as exc:  # noqa: BLE001 - one bad item must not stop the batch
                return _problem(file, item_id, "extract", _why(exc))
        elif text is not None:
            try:
                record.check_against_text(text, file)
            except RecordError as exc:
                return _problem(file, item_id, "record", exc.problem)
        try:
            triples = record_to_triples(record, self.registry, origin=origin, text=text, digest=h)
        except Exception as exc:  # noqa: BLE001
            return _problem(file, item_id, "map", _why(exc))
        node = URIRef(iri)
        outcome = _Outcome(file, item_id, "put", iri, origin, triples)
        if self.validate:
            try:
                report = validate_triples(triples, node, self.registry)
            except Exception as exc:  # noqa: BLE001
                return _problem(file, item_id, "validate", _why(exc))
            if not report.conforms:
                vs = report.violations
                first = vs[0]
                reason = (f"{len(vs)} SHACL violation(s); first: {first.shape}: {first.focus}"
                          f"{' ' + first.path if first.path else ''}: {first.message}")
                outcome.status = "problem"
                outcome.problem = Problem(file, item_id, "validate", reason)
                outcome.keep = self.keep_invalid
                if not self.keep_invalid:
                    outcome.triples = None
        if outcome.triples is not None:
            # serialized here, in the worker: the writer then has no terms to convert or unpickle
            from kg.store import serialize_triples
            try:
                outcome.triples = serialize_triples(outcome.triples)
            except ValueError as exc:
                return _problem(file, item_id, "store", f"cannot store graph {iri}: {exc}")
        return outcome


def _problem(file: str, item: str | None, stage: str, reason: str) -> _Outcome:
    return _Outcome(file, item, "problem", problem=Problem(file, item, stage, reason))


def _why(exc: BaseException) -> str:
    if isinstance(exc, KGError):
        return exc.problem
    msg = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {msg[0] if msg else ''}".rstrip(": ")


# worker process state (set by _init_worker)
_WORKER: _Pipeline | None = None


def _init_worker(parent: int, args: tuple) -> None:
    global _WORKER
    _die_with(parent)
    _WORKER = _Pipeline(*args)  # the extractor warms its caches on the first item that needs it


def _die_with(parent: int) -> None:
    """A worker whose ingest process is killed must not live on: it would wait
    for tasks forever and hold the caller's pipes open. Linux delivers SIGKILL
    to it when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere the pool's
    own shutdown is all there is."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _work(task: tuple[str, str]) -> list[_Outcome]:
    kind, arg = task
    assert _WORKER is not None
    return _WORKER.run_file(arg) if kind == "file" else [_WORKER.run_record(arg)]


# -- the store side ---------------------------------------------------------------------------

def stored_hashes(store: Any) -> dict[str, str]:
    """Item IRI -> its stored ``lmg:contentHash`` (one query; per item on the memory store)."""
    if type(store).__name__ == "MemoryStore":
        out = {}
        for iri in store.items():
            v = store.get_value(iri, LMG.contentHash)
            if v is not None:
                out[str(iri)] = str(v)
        return out
    res = store.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{LMG.contentHash}> ?h }} }}")
    return {str(g): str(h) for g, h in res.rows if g is not None and h is not None}


def _graph_size(store: Any, iri: URIRef) -> int:
    res = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    return int(res.rows[0][0]) if res.rows and res.rows[0][0] is not None else 0


def _ensure_graphs(store: Any, registry: Any) -> None:
    """Write the registry and ontology graphs when missing or of another size."""
    from kg.ontology import load_ontology

    if registry is None:
        from kg.registry import default_registry
        registry = default_registry()
    for iri, make in ((REGISTRY_GRAPH, registry.to_graph), (ONTOLOGY_GRAPH, load_ontology)):
        g = make()
        if _graph_size(store, iri) != len(g):
            store.put_graph(iri, g)


def _flush(store: Any) -> None:
    """Move what the store holds in its write-ahead log into its tables.

    Oxigraph (RocksDB) otherwise keeps a long write-ahead log that every
    later open replays (minutes after a 100k-item build), and a read-only
    reader opening during the build replays it too. Cheap when little was
    written; a crash during it loses nothing (the log stays valid)."""
    try:
        store.flush()
    except Exception:  # noqa: BLE001 - the data is safe in the log; the next open replays it
        pass


COMPACT_SHARE = 0.25
"""An ingest compacts the store when the items it wrote are at least this share of
the items the store holds (a build, not a few added items)."""


def _should_compact(compact: bool | None, stored: int, total: int) -> bool:
    """Compaction rewrites the whole store (about a minute at 100k items): worth it
    after a build, not after adding a hundred items to a large graph."""
    if compact is not None:
        return compact
    return stored > 0 and stored >= COMPACT_SHARE * total


class _ReportFile:
    """Skipped items, one line each, written as they come (a killed run keeps its report)."""

    FIELDS = ("file", "item", "stage", "reason")

    def __init__(self, target: str | os.PathLike | IO[str] | None):
        self.fh: IO[str] | None = None
        self.own = False
        self.csv = None
        if target is None:
            return
        if isinstance(target, (str, os.PathLike)):
            path = Path(target)
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(path, "w", encoding="utf-8", newline="")
            self.own = True
            is_csv = path.suffix.lower() == ".csv"
        else:
            self.fh = target
            is_csv = False
        if is_csv:
            self.csv = csv.DictWriter(self.fh, fieldnames=self.FIELDS)
            self.csv.writeheader()

    def write(self, p: Problem) -> None:
        if self.fh is None:
            return
        if self.csv is not None:
            self.csv.writerow(p.to_dict())
        else:
            self.fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        self.fh.flush()

    def close(self) -> None:
        if self.fh is not None and self.own:
            self.fh.close()
        self.fh = None


def _progress_bar(enabled: bool, total: int) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="item", file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
                desc="ingest")


# -- the entry point ----------------------------------------------------------------------------

def ingest(paths: Iterable[str | os.PathLike] | str | os.PathLike, store: Any, *, curated: Any = None,
           validate: bool = True, progress: bool = True, report: str | os.PathLike | IO[str] | None = None,
           workers: int = 1, registry: Any = None, keep_invalid: bool = False, graphs: bool = True,
           mp_context: str | None = None, flush_seconds: float = 30.0, force: bool = False,
           compact: bool | None = None, problems: Iterable[Problem] = ()) -> IngestSummary:
    """Ingest the news files under ``paths`` into ``store`` (a :class:`kg.store.Store`).

    Resumable and idempotent; see the module docstring for the full
    contract. ``curated``: curated records (files, folders, or a mapping
    item id -> Record) that replace extraction. ``report``: path (``.jsonl``
    or ``.csv``) or text stream for the skipped items. ``workers``: worker
    processes for reading, extraction and validation (1: all in this
    process; 0: one per CPU). ``registry``: a kg.registry.Registry (default
    the bundled one). ``force``: redo every item, current or not.
    ``keep_invalid``: store items that fail validation (still reported).
    ``graphs``: write the registry and ontology graphs when missing or stale.
    ``problems``: inputs the caller already refused (build's malformed
    record files), reported and counted with the rest.
    ``flush_seconds``: how often the store's write-ahead
    log is flushed into its tables while writing (and once at the end), which
    bounds what a reader opening the store meanwhile, or the next open after
    a crash, has to replay. ``compact``: compact the store's tables at the
    end (True), never (False), or when the items written are at least
    :data:`COMPACT_SHARE` of the store's items (None). Returns an
    :class:`IngestSummary`.
    """
    t0 = time.perf_counter()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    files = iter_input_files(paths)
    explicit = {Path(p) for p in paths if Path(p).is_file()}
    if workers is None or workers <= 0:
        workers = os.cpu_count() or 1
    summary = IngestSummary(workers=workers)
    problems = list(problems)
    record_files = [f for f in files if _looks_like_record(f)]
    is_record = set(record_files)
    news_files = [f for f in files if f not in is_record and not (f.suffix.lower() == ".json" and f not in explicit)]
    curated_map = _load_curated(curated, record_files, problems)
    summary.files = len(news_files) + len(record_files)

    if registry is None:
        from kg.registry import default_registry
        registry = default_registry()
    fingerprint = pipeline_fingerprint(registry)
    known = stored_hashes(store)
    if graphs and not getattr(store, "read_only", False):
        _ensure_graphs(store, registry)

    out = _ReportFile(report)
    summary.report = str(report) if isinstance(report, (str, os.PathLike)) else None
    for p in problems:  # record files that did not parse, duplicate curated records
        out.write(p)
        summary.problems.append(p)
        summary.skipped += 1
        summary.items += 1
        if p.stage == "duplicate":
            summary.duplicates += 1

    tasks: list[tuple[str, str]] = [("file", str(f)) for f in news_files]
    bar = _progress_bar(progress, len(news_files) + len(curated_map))
    seen: dict[str, str] = {}  # item id -> file, this run
    args = (registry, fingerprint, known, curated_map, validate, keep_invalid, force)
    last_flush = [time.perf_counter()]

    def handle(o: _Outcome) -> None:
        summary.items += 1
        if bar is not None:
            bar.update(1)
        if o.item is not None:
            if o.item in seen:
                p = Problem(o.file, o.item, "duplicate", f"item id {o.item!r} already met in {seen[o.item]}")
                summary.duplicates += 1
                _skip(p)
                return
            seen[o.item] = o.file
        if o.status == "problem":
            assert o.problem is not None
            if o.problem.stage == "validate":
                summary.invalid += 1
            _skip(o.problem)
            if not o.keep:
                return
        if o.origin == "curated":
            summary.curated += 1
        elif o.origin == "extracted":
            summary.extracted += 1
        if o.status == "unchanged":
            summary.unchanged += 1
            return
        try:
            store.put_item(o.iri, o.triples)
        except KGError as exc:
            if o.status != "problem":
                _skip(Problem(o.file, o.item, "store", exc.problem))
            return
        now = time.perf_counter()
        if now - last_flush[0] > flush_seconds:
            _flush(store)
            last_flush[0] = time.perf_counter()
        summary.stored_items.append(o.item)
        if o.iri in known:
            summary.replaced += 1
        else:
            summary.added += 1
        known[o.iri] = ""

    def _skip(p: Problem) -> None:
        summary.skipped += 1
        summary.problems.append(p)
        out.write(p)

    def outcomes_of(results: Iterable[list[_Outcome]]) -> None:
        for batch in results:
            if bar is not None and len(batch) > 1:
                bar.total += len(batch) - 1
                bar.refresh()
            for o in batch:
                handle(o)

    try:
        if workers <= 1:
            pipe = _Pipeline(*args)
            outcomes_of(pipe.run_file(arg) for _, arg in tasks)
            rest = [i for i in curated_map if i not in seen]  # records without a news file
            if bar is not None:
                bar.total -= len(curated_map) - len(rest)
            outcomes_of([pipe.run_record(i)] for i in rest)
        else:
            ctx = mp.get_context(mp_context or ("fork" if sys.platform.startswith("linux") else "spawn"))
            pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(os.getpid(), args))
            try:
                outcomes_of(_windowed(pool, tasks, workers))
                rest = [i for i in curated_map if i not in seen]  # records without a news file
                if bar is not None:
                    bar.total -= len(curated_map) - len(rest)
                outcomes_of(_windowed(pool, [("record", i) for i in rest], workers))
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                raise KGError("a worker process died (out of memory, or killed); the items stored so far are "
                              "whole: run the same ingest again to resume") from None
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
    finally:
        if summary.stored:
            _flush(store)
        if bar is not None:
            bar.close()
        out.close()
        summary.seconds = time.perf_counter() - t0
    if store.compactable and not store.read_only and _should_compact(compact, summary.stored, len(known)):
        if progress and sys.stderr.isatty():
            print("compacting the store...", file=sys.stderr, flush=True)
        t1 = time.perf_counter()
        try:
            store.optimize()
            summary.compact_seconds = time.perf_counter() - t1
        except StoreError as exc:  # a full disk, say: the items are stored, only queries are slower
            summary.compact_error = exc.problem
        summary.seconds = time.perf_counter() - t0
    return summary


def _windowed(pool: Any, tasks: list[tuple[str, str]], workers: int) -> Iterator[list[_Outcome]]:
    """Results in task order, with at most a few chunks in flight (bounded memory
    when the writer is slower than the workers)."""
    chunk = 4
    window = workers * 4
    pending: deque = deque()
    it = iter(range(0, len(tasks), chunk))
    for start in it:
        pending.append(pool.submit(_work_chunk, tasks[start:start + chunk]))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _work_chunk(tasks: list[tuple[str, str]]) -> list[list[_Outcome]]:
    return [_work(t) for t in tasks]
