"""bench/generate.py as a module for the tests (it is a script beside the package, not in it)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load():
    if "bench_generate" in sys.modules:
        return sys.modules["bench_generate"]
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _load()
