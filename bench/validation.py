"""Benchmark: adding 100 items to a large graph, validation included; incremental vs whole-graph SHACL.

    python bench/validation.py --items 10000
    python bench/validation.py --items 1000,10000 --whole-limit 600

For each size N, on the store built by bench/ingest.py (``WORK/store-N-sS``;
built when missing), each in its own process:

* ``add 100``      ``kg.ingest.ingest`` of 100 new generated items (another
                   seed) into the N-item store: read, extract, map, validate
                   each new item (with the registry descriptions it needs),
                   write. Target (issue 5): under 10 s at 100k items. The 100
                   items are removed again afterwards, so the store is reusable.
* ``incremental``  ``kg.validate.validate_graph`` of those 100 item graphs
                   alone, with the compiled shapes (what validation costs
                   inside ``add 100``) and with pyshacl.
* ``whole graph``  the plain way: the whole dataset (every item graph plus the
                   registry, 100 new items included) copied into one in-memory
                   rdflib Graph and validated by pyshacl in one call
                   (``inference="none"``, the same shapes and ontology axioms),
                   killed after ``--whole-limit`` seconds; not run above
                   ``--whole-up-to`` items (it needs the RAM of the whole graph).

It prints seconds, ms per item, the ratio whole / incremental, and peak RSS.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import (DEFAULT_WORK, corpus, fmt_s, machine, machine_line, peak_rss_mb, run_child,  # noqa: E402
                    store_for, table)

ME = Path(__file__).resolve()
NEW = 100
NEW_SEED_OFFSET = 7919


def child_add(store_path: Path, new_corpus: Path, workers: int) -> dict[str, Any]:
    """Ingest the new items, validate them again alone, then remove them."""
    from kg.extract import extract
    from kg.ingest import ingest
    from kg.registry import default_registry
    from kg.store import open_store
    from kg.validate import validate_graph

    reg = default_registry()
    extract("IOM", item_id="warm-up", registry=reg)
    store = open_store(store_path)
    before = set(store.items())
    quads = len(store)
    t0 = time.perf_counter()
    s = ingest([new_corpus], store, workers=workers, progress=False, registry=reg)
    add = time.perf_counter() - t0
    new = [i for i in store.items() if i not in before]
    # the graphs as ingest validates them, fresh from mapping
    graphs = _mapped(new_corpus, reg)
    t0 = time.perf_counter()
    violations = 0
    for g in graphs:
        violations += len(validate_graph(g, reg, engine="compiled").violations)
    inc = time.perf_counter() - t0
    t0 = time.perf_counter()
    for g in graphs:
        validate_graph(g, reg, engine="pyshacl")
    inc_pyshacl = time.perf_counter() - t0
    for i in new:
        store.remove_item(i)
    store.close()
    return {"base_items": len(before), "base_quads": quads, "added": s.stored, "unchanged": s.unchanged,
            "skipped": s.skipped, "add_seconds": add, "incremental_seconds": inc, "incremental_graphs": len(graphs),
            "incremental_pyshacl_seconds": inc_pyshacl,
            "violations": violations, "new_triples": sum(len(g) for g in graphs)}


def _mapped(corpus_dir: Path, reg: Any) -> list:
    from ingest import _news
    from kg.extract import extract
    from kg.mapping import record_to_graph

    out = []
    for item in _news(corpus_dir):
        meta = {k: getattr(item, k) for k in ("url", "title", "published", "source", "lang") if getattr(item, k)}
        rec = extract(item.full_text, item_id=item.id, meta=meta, registry=reg)
        out.append(record_to_graph(rec, reg, origin="extracted", text=item.full_text))
    return out


def child_whole(store_path: Path, new_corpus: Path) -> dict[str, Any]:
    """One pyshacl run over everything (the store plus the new items), in memory."""
    from pyshacl import validate
    from rdflib import Graph

    from kg.ingest import ingest
    from kg.ontology import load_shapes
    from kg.store import from_ox, open_store
    from kg.validate import _axioms

    # the new items go into a throw-away copy of the store, so both measures see the same graph
    tmp = store_path.parent / (store_path.name + ".whole-tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(store_path, tmp)
    try:
        store = open_store(tmp)
        ingest([new_corpus], store, progress=False, validate=False)
        t0 = time.perf_counter()
        data = Graph(bind_namespaces="none")
        for q in store.ox.quads_for_pattern(None, None, None, None):  # every graph: items, registry, ontology
            data.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load = time.perf_counter() - t0
    triples = len(data)
    t0 = time.perf_counter()
    conforms, results, _ = validate(data, shacl_graph=load_shapes(), ont_graph=_axioms(), inference="none",
                                    inplace=True, advanced=False, allow_warnings=False, meta_shacl=False)
    secs = time.perf_counter() - t0
    return {"load_seconds": load, "triples": triples, "whole_seconds": secs, "conforms": bool(conforms)}


def bench_size(n: int, seed: int, work: Path, limit: float, workers: int, whole_up_to: int) -> dict[str, Any]:
    store_path = store_for(n, seed, work)
    new_corpus = corpus(NEW, seed + NEW_SEED_OFFSET, work)
    print(f"  {n} items: add {NEW} ...", file=sys.stderr, flush=True)
    add = run_child(ME, ["--child-add", str(store_path), str(new_corpus), str(workers)])
    if n > whole_up_to:  # a copy of the store and an rdflib graph of it: ~2 GB of RAM per 1k items
        return {"add": add, "whole": {"skipped": whole_up_to}}
    print(f"  {n} items: whole-graph pyshacl (limit {limit:.0f} s) ...", file=sys.stderr, flush=True)
    whole = run_child(ME, ["--child-whole", str(store_path), str(new_corpus)], timeout=limit)
    return {"add": add, "whole": whole}


def report(n: int, res: dict[str, Any], limit: float) -> str:
    a, w = res["add"], res["whole"]
    inc = a["incremental_seconds"]
    k = max(a["incremental_graphs"], 1)
    rows = [[f"add {NEW} items (ingest: extract, map, validate, write)", a["added"], fmt_s(a["add_seconds"]),
             f"{1000 * a['add_seconds'] / max(a['added'], 1):.0f}", "-", f"{a['rss_mb']:.0f}"],
            [f"incremental: validate the {k} new item graphs (compiled shapes)", k, fmt_s(inc),
             f"{1000 * inc / k:.1f}", "1.0", f"{a['rss_mb']:.0f}"],
            ["incremental: the same with pyshacl", k, fmt_s(a["incremental_pyshacl_seconds"]),
             f"{1000 * a['incremental_pyshacl_seconds'] / k:.1f}",
             f"{a['incremental_pyshacl_seconds'] / max(inc, 1e-6):.1f}", f"{a['rss_mb']:.0f}"]]
    if "skipped" in w:
        rows.append([f"whole graph: not run above {w['skipped']} items (RAM)", "-", "-", "-", "-", "-"])
    elif "timeout" in w:
        rows.append(["whole graph: one pyshacl run over everything", "-", f"> {limit:.0f}", "-",
                     f"> {limit / max(inc, 1e-6):.0f}", "-"])
    else:
        rows.append([f"whole graph: one pyshacl run ({w['triples']} triples)", "-", fmt_s(w["whole_seconds"]),
                     "-", f"{w['whole_seconds'] / max(inc, 1e-6):.0f}", f"{w['rss_mb']:.0f}"])
    out = [f"validation, {NEW} new items added to {a['base_items']} items ({a['base_quads']} quads); "
           f"{a['violations']} violation(s) in the new items",
           table(["what", "items", "seconds", "ms/item", "x incremental", "peak RSS MB"], rows)]
    if "timeout" not in w and "skipped" not in w:
        out.append(f"whole graph: copying the store into rdflib took {w['load_seconds']:.1f} s (not counted); "
                   f"conforms={w['conforms']}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "--child-add":
        res = child_add(Path(argv[1]), Path(argv[2]), int(argv[3]))
        res.update(peak_rss_mb())
        print(json.dumps(res))
        return
    if argv and argv[0] == "--child-whole":
        res = child_whole(Path(argv[1]), Path(argv[2]))
        res.update(peak_rss_mb())
        print(json.dumps(res))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", default="10000", help="store sizes, comma-separated (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--whole-limit", type=float, default=600.0, help="seconds before whole-graph pyshacl is killed")
    ap.add_argument("--workers", type=int, default=2, help="ingest workers for the 100 new items (default 2)")
    ap.add_argument("--whole-up-to", type=int, default=10000,
                    help="largest store for the whole-graph run (it needs about 2 GB of RAM per 1k items)")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = {}
    for n in (int(x) for x in args.items.split(",")):
        results[n] = bench_size(n, args.seed, args.work, args.whole_limit, args.workers, args.whole_up_to)
    if args.json:
        print(json.dumps({"machine": machine(), "results": results}, indent=2))
        return
    print(machine_line())
    for n, res in results.items():
        print()
        print(report(n, res, args.whole_limit))


if __name__ == "__main__":
    main()
