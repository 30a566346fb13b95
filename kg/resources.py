"""Where the ontology, data and query files are, installed or in a checkout.

A non-editable install copies ontology/, data/ and queries/ into the package
(``kg/ontology`` ...); in a source checkout or an editable install they stay
at the repository root next to ``kg/``.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``data`` or ``queries``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"levant-kg resource folder {name!r} not found near {_PACKAGE}")


def ontology_path(filename: str) -> Path:
    return resource_dir("ontology") / filename


def data_path(*parts: str) -> Path:
    return resource_dir("data").joinpath(*parts)


def queries_dir() -> Path:
    return resource_dir("queries")
