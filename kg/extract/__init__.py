"""Extraction: news text in, annotation record out (see :mod:`kg.extract.pipeline`).

``extract(text, *, item_id=None, meta=None, registry=None)`` gives the
:class:`~kg.record.Record` of one item, every mention with its offsets;
``extract_file(path)`` reads ``NAME.txt`` (item id NAME). ``__version__``
changes whenever the extractor's code does, so that stores re-extract items
when it changes (the lexicons and registry are hashed by the ingest code).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from kg.extract.pipeline import extract, extract_file

__all__ = ["extract", "extract_file", "__version__"]


def _code_version() -> str:
    h = hashlib.sha256()
    for p in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


__version__ = _code_version()
