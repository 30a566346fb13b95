"""Benchmark: every query of the library (queries/*.rq) on the embedded store, and on rdflib.

    python bench/queries.py --items 10000                 # Oxigraph at 10k, rdflib at 10k
    python bench/queries.py --items 10000,100000 --rdflib-at 10000 --limit 60
    python bench/queries.py --items 100000 --rdflib-at "" --cases selective

For each size N the store built from the generated corpus by bench/ingest.py
(``WORK/store-N-sS``; built here when missing) is opened read-only in a
fresh process and each query is run with its defaults (queries that need an
actor get the actor named in most items): once cold, then ``--repeat``
times warm (the median is reported). At the sizes in ``--rdflib-at`` the
same dataset is exported as N-Quads, loaded into rdflib's in-memory
Dataset (``open_store(":memory:")``, default graph = union), and the same
queries run through rdflib's SPARQL engine in a child process that is killed
when one query passes ``--limit`` seconds (the remaining queries go on in a
new child). The table gives seconds, rows, and rdflib / Oxigraph. A second
table (``--cases selective``) runs each query once, cold, with a parameter
that narrows the answer (an actor, a funder, an organization, a topic, a
kind, a country).
Target (issue 5): every query under 2 s on the embedded store at 100k items.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import (DEFAULT_WORK, ROOT, child_env, fmt_s, machine, machine_line, peak_rss_mb,  # noqa: E402
                    run_child, store_for, table)

ME = Path(__file__).resolve()
PROBES = {
    # the probe of DESIGN.md "Pitfalls" (65 s in rdflib at 10k items), not a library query
    "(probe) count-by-type": "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
}


SELECTIVE = [
    # parameters that narrow the answer, as researchers ask: an actor, a funder, an
    # organization, a topic, a kind, a country (keys of the registry and kinds of the schema,
    # present in every generated corpus)
    ("actor-profile", {"actor": "iom-jo"}),
    ("actors-by-kind", {"kind": "Embassy", "country": "JO"}),
    ("actors-by-kind", {"country": "JO"}),
    ("co-participation", {"actor": "iom-jo"}),
    ("events", {"actor": "iom-jo"}),
    ("events", {"kind": "Signing", "country": "LB"}),
    ("evidence-of-relation", {"subject": "eu"}),
    ("evidence-of-relation", {"object": "iom-jo"}),
    ("funders-by-year", {"funder": "eu"}),
    ("funding", {"funder": "eu"}),
    ("implementers", {"implementer": "iom-jo"}),
    ("items", {"topic": "topic:gcm"}),
    ("items", {"topic": "topic:human-trafficking"}),
    ("items-mentioning", {"actor": "iom-jo"}),
    ("partnerships", {"actor": "iom-jo"}),
    ("posts", {"org": "iom-jo"}),
    ("quotes", {"org": "iom-jo"}),
    ("topics-by-year", {"topic": "topic:gcm"}),
    ("units", {"org": "iom"}),
]
CASES = ("whole", "selective")


def _query(name: str):
    from kg.queries import load_query

    return load_query(PROBES[name]) if name in PROBES else load_query(name)


def _params_for(store: Any) -> dict[str, dict[str, str]]:
    """Values for queries that require one of their parameters: the actor named in most items."""
    from kg.queries import list_queries

    res = store.query("PREFIX schema: <https://schema.org/> "
                      "SELECT ?a (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH ?i { ?i schema:mentions ?a } "
                      "FILTER(STRSTARTS(STR(?a), 'https://w3id.org/levant-kg/id/org/')) } "
                      "GROUP BY ?a ORDER BY DESC(?n) LIMIT 1")
    actor = f"<{res.rows[0][0]}>" if res.rows else "id:org/iom"
    out: dict[str, dict[str, str]] = {}
    for q in list_queries():
        if q.one_of:
            group = q.one_of[0]
            name = "actor" if "actor" in group else group[0]
            out[q.name] = {name: actor}
        for p in q.params:
            if p.required and p.name not in out.get(q.name, {}):
                out.setdefault(q.name, {})[p.name] = actor if p.type in ("iri", "auto") else ""
    return out


def child_oxigraph(store_path: Path, repeat: int, cases: Sequence[str] = CASES) -> dict[str, Any]:
    from kg.queries import list_queries, run_query
    from kg.store import open_store

    t0 = time.perf_counter()
    store = open_store(store_path, read_only=True)
    opened = time.perf_counter() - t0
    params = _params_for(store)
    out = {}
    selective = []
    if "selective" in cases:  # first, while the store is cold: each case is one cold run
        for name, p in SELECTIVE:
            t0 = time.perf_counter()
            res = run_query(store, name, p)
            selective.append({"query": name, "params": p, "rows": len(res.rows),
                              "seconds": time.perf_counter() - t0})
    for q in (list_queries() + [_query(name) for name in PROBES]) if "whole" in cases else []:
        name = q.name if q.path is not None else next(k for k, v in PROBES.items() if v == q.text)
        p = params.get(q.name, {}) if q.path is not None else {}
        t0 = time.perf_counter()
        res = run_query(store, q, p)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run_query(store, q, p)
            warm.append(time.perf_counter() - t0)
        out[name] = {"rows": len(res.rows), "cold": cold, "warm": statistics.median(warm) if warm else cold,
                       "params": p}
    quads = len(store)
    store.close()
    return {"open": opened, "queries": out, "selective": selective, "quads": quads, "params": params}


class _TimeLimit(BaseException):
    """Raised by SIGALRM inside rdflib's (pure Python) engine; a BaseException so that
    no ``except Exception`` on the way swallows it."""


def child_rdflib(nquads: Path, names: list[str], params: dict[str, dict[str, str]], limit: float) -> None:
    """Load into rdflib, then print one JSON line per query as it finishes. A query is
    stopped by an alarm after ``limit`` seconds (the parent also kills a child that overruns)."""
    import signal

    from kg.queries import run_query
    from kg.store import open_store

    def alarm(signum, frame):
        raise _TimeLimit()

    signal.signal(signal.SIGALRM, alarm)

    t0 = time.perf_counter()
    store = open_store(":memory:")
    store.import_file(nquads, "nquads")
    print(json.dumps({"loaded": time.perf_counter() - t0}), flush=True)
    for name in names:
        print(json.dumps({"start": name}), flush=True)
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            res = run_query(store, _query(name), params.get(name, {}))
        except _TimeLimit:
            print(json.dumps({"query": name, "timeout": limit, "seconds": None}), flush=True)
            continue
        except Exception as exc:  # noqa: BLE001 - rdflib's engine fails on some queries: report it
            print(json.dumps({"query": name, "error": str(exc).splitlines()[0][:200],
                              "seconds": None}), flush=True)
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({"query": name, "seconds": time.perf_counter() - t0, "rows": len(res.rows),
                          **peak_rss_mb()}), flush=True)


def rdflib_times(nquads: Path, names: list[str], params: dict[str, dict[str, str]], limit: float,
                 load_limit: float) -> dict[str, Any]:
    """Per query: seconds, or {"timeout": limit}; plus the load time(s)."""
    import queue
    import threading

    out: dict[str, Any] = {"loads": []}
    todo = list(names)
    while todo:
        p = subprocess.Popen([sys.executable, str(ME), "--child-rdflib", str(nquads), json.dumps(todo),
                              json.dumps(params), str(limit)], stdout=subprocess.PIPE, text=True, env=child_env(),
                             cwd=str(ROOT))
        lines: "queue.Queue[str | None]" = queue.Queue()

        def pump(stream=p.stdout) -> None:  # a thread, so no line waits in a buffer select() cannot see
            for line in stream:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current, deadline = None, time.monotonic() + load_limit
        while True:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:  # the current query (or the load) passed its limit
                p.kill()
                p.wait()
                if current is None:
                    out["loads"].append({"timeout": load_limit})
                    for name in todo:
                        out[name] = {"error": "the load timed out"}
                    return out
                out[current] = {"timeout": limit}
                todo.remove(current)
                break
            if line is None:  # the child ended
                p.wait()
                if current is not None and current in todo:
                    out[current] = {"error": f"exit {p.returncode}"}
                    todo.remove(current)
                break
            msg = json.loads(line)
            if "loaded" in msg:
                out["loads"].append(msg["loaded"])
            elif "start" in msg:
                current, deadline = msg["start"], time.monotonic() + limit + 30  # the child's alarm comes first
            elif "query" in msg:
                out[msg["query"]] = msg
                todo.remove(msg["query"])
                current = None
        if p.poll() is None:
            p.kill()
            p.wait()
    return out


def bench_size(n: int, seed: int, work: Path, repeat: int, rdflib: bool, limit: float,
               cases: Sequence[str] = CASES) -> dict[str, Any]:
    store_path = store_for(n, seed, work)
    print(f"  {n} items: Oxigraph ...", file=sys.stderr, flush=True)
    ox = run_child(ME, ["--child-ox", str(store_path), str(repeat), ",".join(cases)])
    res: dict[str, Any] = {"oxigraph": ox}
    if rdflib and ox["queries"]:
        nq = work / f"store-{n}-s{seed}.nq"
        if not nq.exists():
            from kg.store import open_store
            s = open_store(store_path, read_only=True)
            s.export(nq, "nquads")
            s.close()
        print(f"  {n} items: rdflib (limit {limit:.0f} s per query) ...", file=sys.stderr, flush=True)
        res["rdflib"] = rdflib_times(nq, list(ox["queries"]), ox["params"], limit, load_limit=max(600, limit))
    return res


def report(n: int, res: dict[str, Any], limit: float) -> str:
    ox = res["oxigraph"]
    rd = res.get("rdflib")
    rows = []
    for name, r in ox["queries"].items():
        row = [name, r["rows"], fmt_s(r["cold"]), fmt_s(r["warm"])]
        if rd is not None:
            x = rd.get(name, {})
            if x.get("seconds") is not None:
                row += [fmt_s(x["seconds"]), f"{x['seconds'] / max(r['warm'], 1e-6):.0f}"]
            elif x.get("timeout"):
                row += [f"> {limit:.0f}", f"> {limit / max(r['warm'], 1e-6):.0f}"]
            else:
                row += ["error", "-"]
        rows.append(row)
    headers = ["query", "rows", "oxigraph cold s", "oxigraph warm s"]
    if rd is not None:
        headers += ["rdflib s", "rdflib / oxigraph"]
    worst = max((r["cold"] for r in ox["queries"].values()), default=0)
    lines = [f"queries, {n} items ({ox['quads']} quads); store opened in {ox['open']:.2f} s; "
             f"peak RSS {ox['rss_mb']:.0f} MB"]
    if rows:
        lines += [f"without parameters (slowest {worst:.2f} s cold):", table(headers, rows)]
    sel = ox.get("selective") or []
    if sel:
        under = sum(1 for x in sel if x["seconds"] < 2)
        lines += [f"with a selective parameter, one cold run each ({under} of {len(sel)} under 2 s):",
                  table(["query", "parameters", "rows", "oxigraph cold s"],
                        [[x["query"], " ".join(f"{k}={v}" for k, v in x["params"].items()), x["rows"],
                          fmt_s(x["seconds"])] for x in sel])]
    errors = {k: v["error"] for k, v in (rd or {}).items() if isinstance(v, dict) and v.get("error")}
    for k, v in errors.items():
        lines.append(f"rdflib error in {k}: {v}")
    if rd is not None and rd.get("loads"):
        loads = ", ".join(fmt_s(x) if not isinstance(x, dict) else f"> {x['timeout']}" for x in rd["loads"])
        lines.append(f"rdflib: N-Quads loaded into the in-memory Dataset in {loads} s (per child)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "--child-ox":
        res = child_oxigraph(Path(argv[1]), int(argv[2]), argv[3].split(",") if len(argv) > 3 else CASES)
        res.update(peak_rss_mb())
        print(json.dumps(res, default=str))
        return
    if argv and argv[0] == "--child-rdflib":
        child_rdflib(Path(argv[1]), json.loads(argv[2]), json.loads(argv[3]), float(argv[4]))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", default="10000", help="store sizes, comma-separated (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rdflib-at", default="10000", help="sizes at which rdflib is timed too (comma-separated)")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per rdflib query before it is killed")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per query on Oxigraph")
    ap.add_argument("--cases", default=",".join(CASES),
                    help="whole (every query without parameters), selective (a parameter that narrows "
                         "the answer), or both (default)")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    cases = [c for c in args.cases.split(",") if c]
    if not cases or set(cases) - set(CASES):
        ap.error(f"--cases takes {', '.join(CASES)}")
    rd_at = {int(x) for x in args.rdflib_at.split(",") if x.strip()}
    results = {}
    for n in (int(x) for x in args.items.split(",")):
        results[n] = bench_size(n, args.seed, args.work, args.repeat, n in rd_at, args.limit, cases)
    if args.json:
        print(json.dumps({"machine": machine(), "results": results}, indent=2, default=str))
        return
    print(machine_line())
    for n, res in results.items():
        print()
        print(report(n, res, args.limit))


if __name__ == "__main__":
    main()
