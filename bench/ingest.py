"""Benchmark: end-to-end ingest, items per second, from news text to the embedded store.

    python bench/ingest.py --items 1000                  # one size
    python bench/ingest.py --items 1000,10000 --configs plain,w1,w2,rerun
    python bench/ingest.py --items 1000 --json

For each size N, a synthetic corpus is generated once with
``bench/generate.py --items N --seed S`` (cached under ``--work``, default
``/tmp/levant-kg-bench``) and then ingested, each configuration in its own
process so its peak memory is its own:

* ``plain``   the baseline: read, extract and map every item into one rdflib
              in-memory Dataset; no hashing, validation, report or store;
* ``w1``      ``kg.ingest.ingest`` into a new Oxigraph store, one process,
              SHACL validation per item;
* ``w2``      the same with 2 worker processes (extraction, mapping and
              validation in workers; this process writes);
* ``w2-nov``  2 workers, no validation (what validation costs);
* ``rerun``   ``w2`` again over its own store: every item is current, so
              this is the cost of a resumed or repeated build;
* ``stages``  ms per item of each step on the first 300 items (read, hash,
              extract, map, validate, put_item), one process.

It prints items/s, the ratio of each time to the baseline's, and peak RSS
(the process and, for worker pools, its largest worker). The ``w2`` store
is kept as ``WORK/store-N-sS`` for bench/queries.py and bench/validation.py.

The other bench scripts import the helpers here (corpus, store, machine,
child processes, tables).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_WORK = Path(os.environ.get("LEVANT_KG_BENCH", "/tmp/levant-kg-bench"))
CONFIGS = ("plain", "w1", "w2", "w2-nov", "rerun", "stages")


# -- shared helpers --------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    """What the figures came from."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    import pyoxigraph
    import pyshacl
    import rdflib
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 2**30, 1), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__, "pyshacl": pyshacl.__version__,
            "platform": platform.platform()}


def machine_line() -> str:
    m = machine()
    return (f"{m['cpus']} CPU ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, pyoxigraph {m['pyoxigraph']}, "
            f"rdflib {m['rdflib']}, pyshacl {m['pyshacl']}")


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its waited-for children so far."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest waited-for child (MB)."""
    scale = 1024 if sys.platform != "darwin" else 1  # ru_maxrss: KB on Linux, bytes on macOS
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 2**20
    return {"rss_mb": round(me, 1), "child_rss_mb": round(kids, 1)}


def corpus(n: int, seed: int, work: Path = DEFAULT_WORK) -> Path:
    """The generated corpus of n items (made once with bench/generate.py, then reused)."""
    out = work / f"corpus-{n}-s{seed}"
    done = out / ".complete"
    if done.exists():
        return out
    gen = BENCH / "generate.py"
    if not gen.exists():
        raise SystemExit("bench/generate.py is not there yet: no corpus to measure")
    if out.exists():
        shutil.rmtree(out)
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(gen), "--items", str(n), "--seed", str(seed), "--out", str(out)],
                   check=True, cwd=str(ROOT), env=child_env())
    done.write_text(json.dumps({"items": n, "seed": seed, "seconds": time.perf_counter() - t0}))
    return out


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_child(script: Path, args: Sequence[str], timeout: float | None = None) -> dict[str, Any]:
    """Run ``script --child ...`` in a fresh interpreter; its last stdout line is JSON."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=child_env(),
                           cwd=str(ROOT), timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout, "wall": time.perf_counter() - t0}
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"{script.name} {' '.join(args)} failed (exit {p.returncode})")
    return json.loads(p.stdout.strip().splitlines()[-1])


def store_for(n: int, seed: int, work: Path = DEFAULT_WORK, workers: int = 2) -> Path:
    """The store of the n-item corpus (built once by ingest with ``workers``, then reused)."""
    path = work / f"store-{n}-s{seed}"
    if (path / ".complete").exists():
        return path
    src = corpus(n, seed, work)
    if path.exists():
        shutil.rmtree(path)
    res = run_child(Path(__file__), ["--child", "w2" if workers > 1 else "w1", "--corpus", str(src),
                                     "--store", str(path)])
    (path / ".complete").write_text(json.dumps(res))
    return path


def fmt_s(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    rows = [[("-" if c is None else str(c)) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(out)


# -- the children ------------------------------------------------------------------------------

def _news(corpus_dir: Path) -> Iterable[Any]:
    from kg.ingest import iter_input_files
    from kg.readers import read_path

    for f in iter_input_files([corpus_dir]):
        for x in read_path(f):
            if hasattr(x, "text"):
                yield x


def child_plain(corpus_dir: Path) -> dict[str, Any]:
    """The baseline: read + extract + map into one rdflib in-memory Dataset."""
    from rdflib import Dataset

    from kg.extract import extract
    from kg.mapping import record_to_graph
    from kg.registry import default_registry

    reg = default_registry()
    extract("IOM", item_id="warm-up", registry=reg)
    ds = Dataset(default_union=True)
    t0, c0 = time.perf_counter(), cpu_seconds()
    n = 0
    for item in _news(corpus_dir):
        meta = {k: getattr(item, k) for k in ("url", "title", "published", "source", "lang") if getattr(item, k)}
        rec = extract(item.full_text, item_id=item.id, meta=meta, registry=reg)
        g = record_to_graph(rec, reg, origin="extracted", text=item.full_text)
        ctx = ds.graph(g.identifier)
        ctx += g
        n += 1
    secs, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    quads = sum(1 for _ in ds.quads((None, None, None, None)))
    return {"items": n, "seconds": secs, "cpu": cpu, "quads": quads}


def child_ingest(corpus_dir: Path, store_path: Path, workers: int, validate: bool,
                 fingerprint: str | None = None) -> dict[str, Any]:
    import kg.ingest
    from kg.extract import extract
    from kg.ingest import ingest
    from kg.registry import default_registry

    if fingerprint:
        # a rerun is measured against the fingerprint of the run that built the store: in a
        # tree where lexicons are being edited, the data would otherwise change in between
        kg.ingest.pipeline_fingerprint = lambda registry=None: fingerprint

    extract("IOM", item_id="warm-up", registry=default_registry())  # caches, as a long-running build has them
    from kg.store import open_store

    store = open_store(store_path)
    report = store_path.parent / (store_path.name + ".skipped.jsonl")
    t0, c0 = time.perf_counter(), cpu_seconds()
    s = ingest([corpus_dir], store, workers=workers, validate=validate, progress=False, report=report)
    secs, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    quads = len(store)
    store.close()
    return {"items": s.items, "seconds": secs, "cpu": cpu, "stored": s.stored, "unchanged": s.unchanged,
            "skipped": s.skipped, "fingerprint": kg.ingest.pipeline_fingerprint(),
            "invalid": s.invalid, "quads": quads, "compact": s.compact_seconds,
            "problems": [p.to_dict() for p in s.problems[:5]]}


def child_stages(corpus_dir: Path, store_path: Path, limit: int = 300) -> dict[str, Any]:
    """ms per item of each step, on the first ``limit`` items, one process."""
    from kg.extract import extract
    from kg.ingest import item_hash, iter_input_files, pipeline_fingerprint
    from kg.mapping import record_to_graph
    from kg.readers import read_path
    from kg.registry import default_registry
    from kg.store import open_store
    from kg.validate import validate_graph

    reg = default_registry()
    extract("IOM", item_id="warm-up", registry=reg)
    fp = pipeline_fingerprint(reg)
    store = open_store(store_path)
    t = dict.fromkeys(("read", "hash", "extract", "map", "validate", "put"), 0.0)
    n = triples = 0
    files = iter_input_files([corpus_dir])
    for f in files:
        if n >= limit:
            break
        t0 = time.perf_counter()
        items = [x for x in read_path(f) if hasattr(x, "text")]
        t["read"] += time.perf_counter() - t0
        for item in items:
            meta = {k: getattr(item, k) for k in ("url", "title", "published", "source", "lang")}
            t0 = time.perf_counter()
            item_hash(fp, text=item.full_text, meta=meta)
            t1 = time.perf_counter()
            rec = extract(item.full_text, item_id=item.id, meta={k: v for k, v in meta.items() if v}, registry=reg)
            t2 = time.perf_counter()
            g = record_to_graph(rec, reg, origin="extracted", text=item.full_text)
            t3 = time.perf_counter()
            validate_graph(g, reg)
            t4 = time.perf_counter()
            store.put_item(g.identifier, g)
            t5 = time.perf_counter()
            for k, a, b in (("hash", t0, t1), ("extract", t1, t2), ("map", t2, t3), ("validate", t3, t4),
                            ("put", t4, t5)):
                t[k] += b - a
            n += 1
            triples += len(g)
    store.close()
    return {"items": n, "ms": {k: 1000 * v / max(n, 1) for k, v in t.items()}, "triples_per_item": triples / max(n, 1)}


def child_main(args: argparse.Namespace) -> None:
    corpus_dir, store_path = Path(args.corpus), Path(args.store) if args.store else None
    if args.child == "plain":
        res = child_plain(corpus_dir)
    elif args.child == "stages":
        res = child_stages(corpus_dir, store_path)
    else:
        workers = 1 if args.child == "w1" else 2
        res = child_ingest(corpus_dir, store_path, workers, validate=args.child != "w2-nov",
                           fingerprint=args.fingerprint)
    res.update(peak_rss_mb())
    print(json.dumps(res))


# -- the benchmark -------------------------------------------------------------------------------

def bench_size(n: int, seed: int, configs: Sequence[str], work: Path) -> dict[str, Any]:
    src = corpus(n, seed, work)
    results: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix=f"ingest-{n}-", dir=work))
    me = Path(__file__)
    try:
        for c in configs:
            if c == "rerun":
                continue
            store = tmp / f"store-{c}"
            print(f"  {n} items: {c} ...", file=sys.stderr, flush=True)
            results[c] = run_child(me, ["--child", c, "--corpus", str(src), "--store", str(store)])
        if "rerun" in configs:
            store = tmp / "store-w2"
            if not store.exists():
                results["w2"] = run_child(me, ["--child", "w2", "--corpus", str(src), "--store", str(store)])
            print(f"  {n} items: rerun ...", file=sys.stderr, flush=True)
            results["rerun"] = run_child(me, ["--child", "w2", "--corpus", str(src), "--store", str(store),
                                              "--fingerprint", results["w2"]["fingerprint"]])
        keep = work / f"store-{n}-s{seed}"
        if (tmp / "store-w2").exists() and not (keep / ".complete").exists():
            if keep.exists():
                shutil.rmtree(keep)
            shutil.move(str(tmp / "store-w2"), str(keep))
            (keep / ".complete").write_text(json.dumps(results.get("w2", {})))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def report(n: int, results: dict[str, Any]) -> str:
    base = results.get("plain", {}).get("seconds")
    labels = {"plain": "baseline: extract+map into rdflib Dataset", "w1": "ingest, 1 process, validated",
              "w2": "ingest, 2 workers, validated", "w2-nov": "ingest, 2 workers, not validated",
              "rerun": "ingest again, all current (2 workers)"}
    rows = []
    for c in ("plain", "w1", "w2", "w2-nov", "rerun"):
        r = results.get(c)
        if not r:
            continue
        secs = r["seconds"]
        cpu = r.get("cpu")
        rows.append([labels[c], r["items"], f"{r.get('stored', '-')} / {r.get('unchanged', '-')}", fmt_s(secs),
                     fmt_s(cpu), f"{r['items'] / secs:.1f}" if secs else "-",
                     f"{r['items'] / cpu:.1f}" if cpu else "-",
                     f"{secs / base:.2f}" if base else "-", fmt_s(r.get("compact")),
                     r.get("quads", "-"),
                     f"{r['rss_mb']:.0f}" + (f" / {r['child_rss_mb']:.0f}" if r.get("child_rss_mb") else "")])
    out = [f"ingest, {n} items", table(["run", "items", "stored / unchanged", "wall s", "CPU s", "items/s", "items/CPU-s", "x baseline",
                                         "of which compacting s", "quads",
                                         "peak RSS MB (main / worker)"], rows)]
    st = results.get("stages")
    if st:
        ms = st["ms"]
        total = sum(ms.values())
        out.append(f"per item, first {st['items']} items, one process ({st['triples_per_item']:.0f} triples/item): "
                   + ", ".join(f"{k} {v:.1f} ms" for k, v in ms.items()) + f"; total {total:.1f} ms")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", default="1000", help="corpus sizes, comma-separated (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--configs", default="plain,w1,w2,w2-nov,rerun,stages",
                    help=f"which runs, comma-separated, of {', '.join(CONFIGS)}")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where corpora and stores are kept")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--fingerprint", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_main(args)
        return
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    bad = set(configs) - set(CONFIGS)
    if bad:
        ap.error(f"unknown config(s) {', '.join(sorted(bad))}")
    all_results = {}
    for n in (int(x) for x in args.items.split(",")):
        all_results[n] = bench_size(n, args.seed, configs, args.work)
    if args.json:
        print(json.dumps({"machine": machine(), "results": all_results}, indent=2))
        return
    print(machine_line())
    for n, res in all_results.items():
        print()
        print(report(n, res))


if __name__ == "__main__":
    main()
