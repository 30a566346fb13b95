"""What every ``levant-kg`` command shares: the ``--format`` option and the
store that the main group's ``--store`` names. Its own module so that the
command modules (:mod:`kg.cli`, :mod:`kg.cli_networks`) import it without
importing each other."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click

FORMATS = ("table", "csv", "json")


def format_option(fn: Callable) -> Callable:
    """``--format table|csv|json`` (every command that prints data)."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format: an aligned table, CSV, or JSON (UTF-8, Arabic as is).")(fn)


def store_spec(ctx: click.Context) -> str:
    """The ``--store`` of the main group."""
    return str(ctx.find_root().obj["store"])


def is_path(spec: str) -> bool:
    return spec != ":memory:" and "://" not in spec


def open_store_of(ctx: click.Context, *, write: bool) -> Any:
    """The store of ``--store``: opened for writing (created when missing) or read-only."""
    from kg.errors import StoreError
    from kg.store import open_store

    spec = store_spec(ctx)
    if not write and is_path(spec) and not Path(spec).expanduser().exists():
        raise StoreError("no store here: build one with 'levant-kg build PATH...', or give --store", spec)
    return open_store(spec, read_only=not write)
