"""Extraction speed: items per second on one core (issue 3, item 10).

Repeats the bundled sample texts (data/samples/*.txt) to N items (5,000 by
default) and times, in the same run and on the same texts:

* baseline    - kg.normalize.normalize(text): one pass of character folding
                with offsets, the least any extractor has to do;
* metadata    - kg.extract.metadata.read_item (language, title, dateline, body);
* topics      - kg.extract.topics.find_topics;
* extraction  - kg.extract.extract(text, item_id=...), the whole extractor.

It prints items/s and the ratio of each step's time to the baseline's. The
target is at least 200 items/s for extraction. Run from the repository root:

    .venv/bin/python bench/extract_speed.py [--items 5000] [--samples DIR] [--json]

The process is pinned to one CPU where the OS allows it, so the number means
"per core". The first pass over the distinct samples is run untimed, so
lexicon and registry loading (done once per process) is not counted.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pin_one_core() -> str:
    try:
        cpu = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def _time(fn: Callable[[str, int], object], texts: list[str]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    for i, t in enumerate(texts):
        fn(t, i)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=5000, help="number of items to extract (default 5000)")
    ap.add_argument("--samples", type=Path, default=ROOT / "data" / "samples", help="folder of NAME.txt samples")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)

    samples = sorted(args.samples.glob("*.txt"))
    if not samples:
        print(f"no *.txt samples in {args.samples}", file=sys.stderr)
        return 2
    distinct = [p.read_text(encoding="utf-8") for p in samples]
    texts = [distinct[i % len(distinct)] for i in range(args.items)]
    pinned = _pin_one_core()

    from kg.normalize import normalize
    from kg.extract.metadata import read_item
    from kg.extract.topics import find_topics

    steps: dict[str, Callable[[str, int], object]] = {
        "baseline (normalize)": lambda t, i: normalize(t),
        "metadata (read_item)": lambda t, i: read_item(t),
        "topics (find_topics)": lambda t, i: find_topics(t),
    }
    note = None
    try:
        from kg.extract import extract
        steps["extraction (extract)"] = lambda t, i: extract(t, item_id=f"bench-{i}")
    except ImportError as exc:
        note = f"kg.extract.extract not available ({exc}); extraction not measured"

    results = {}
    for name, fn in steps.items():
        for i, t in enumerate(distinct):  # warm up: lexicons, registry, caches
            fn(t, i)
        seconds = _time(fn, texts)
        results[name] = {"seconds": round(seconds, 4), "items_per_s": round(len(texts) / seconds, 1)}
    base = results["baseline (normalize)"]["seconds"]
    for r in results.values():
        r["ratio_to_baseline"] = round(r["seconds"] / base, 2) if base else None

    chars = sum(len(t) for t in texts)
    info = {"items": len(texts), "distinct_samples": len(distinct), "mean_chars": round(chars / len(texts)),
            "python": platform.python_version(), "machine": platform.machine(), "cpu": pinned,
            "results": results, "target_items_per_s": 200, "note": note}
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"{len(texts)} items ({len(distinct)} distinct samples repeated, mean {info['mean_chars']} chars), "
          f"Python {info['python']}, {pinned}")
    print(f"{'step':<24}{'seconds':>10}{'items/s':>12}{'x baseline':>12}")
    for name, r in results.items():
        print(f"{name:<24}{r['seconds']:>10.3f}{r['items_per_s']:>12.1f}{r['ratio_to_baseline']:>12.2f}")
    if "extraction (extract)" in results:
        ips = results["extraction (extract)"]["items_per_s"]
        print(f"extraction: {ips:.0f} items/s on one core (target >= 200: {'met' if ips >= 200 else 'NOT met'})")
    if note:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
