"""Print rows as an aligned table, CSV or JSON: the one renderer every CLI command uses.

``render(data, format, fh)`` takes a :class:`kg.queries.QueryResult` (or
anything with ``vars`` and ``rows``), a list of dicts, or a
:class:`Table`. Tables align columns by display width (Arabic is shown as
it is written, combining marks take no width, wide characters two) and
show IRIs in their prefixed form (``id:org/iom``); CSV and JSON keep full
IRIs and every value, so they can be read back by pandas or jq. JSON is
written with ``ensure_ascii=False``: Arabic stays readable.
"""
from __future__ import annotations

import csv
import datetime as _dt
import decimal
import json
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any, Iterable, Mapping, Sequence

__all__ = ["FORMATS", "Table", "render", "render_sections", "as_table", "display_width"]

FORMATS = ("table", "csv", "json")


@dataclass
class Table:
    """Columns and rows of plain Python values (what :func:`render` prints)."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    title: str | None = None

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def as_table(data: Any, columns: Sequence[str] | None = None) -> Table:
    """Any supported input as a :class:`Table` of plain values."""
    if isinstance(data, Table):
        return data
    to_dicts = getattr(data, "to_dicts", None)
    if callable(to_dicts) and hasattr(data, "vars"):
        cols = list(columns or data.vars)
        return Table(cols, [[d.get(c) for c in cols] for d in to_dicts()])
    if hasattr(data, "vars") and hasattr(data, "rows"):
        from kg.queries import QueryResult

        return as_table(QueryResult(data.vars, data.rows), columns)
    rows = list(data or [])
    if rows and not isinstance(rows[0], Mapping):
        raise TypeError(f"cannot render rows of type {type(rows[0]).__name__}; give dicts or a QueryResult")
    cols: list[str] = list(columns) if columns else []
    if not cols:
        for r in rows:
            for k in r:
                if k not in cols:
                    cols.append(k)
    return Table(cols, [[r.get(c) for c in cols] for r in rows])


def render(data: Any, format: str = "table", fh: IO[str] | None = None, *,
           columns: Sequence[str] | None = None, compact_iris: bool | None = None) -> None:
    """Write ``data`` to ``fh`` (default standard output) as ``table``, ``csv`` or ``json``.

    ``compact_iris`` (default: only for tables) writes ``id:org/iom`` for
    ``https://w3id.org/levant-kg/id/org/iom``.
    """
    import sys

    fh = fh if fh is not None else sys.stdout
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    table = as_table(data, columns)
    compact = (format == "table") if compact_iris is None else compact_iris
    if format == "json":
        json.dump([{c: _json_value(v, compact) for c, v in zip(table.columns, r)} for r in table.rows],
                  fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    elif format == "csv":
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(table.columns)
        for r in table.rows:
            w.writerow([_text(v, compact) for v in r])
    else:
        _write_table(table, fh, compact)


def render_sections(sections: Mapping[str, Any], format: str = "table", fh: IO[str] | None = None) -> None:
    """Several named tables: titled blocks (table), one JSON object of lists (json),
    or one CSV with a leading ``section`` column (csv)."""
    import sys

    fh = fh if fh is not None else sys.stdout
    tables = {name: as_table(data) for name, data in sections.items()}
    if format == "json":
        json.dump({name: [{c: _json_value(v, False) for c, v in zip(t.columns, r)} for r in t.rows]
                   for name, t in tables.items()}, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    elif format == "csv":
        cols: list[str] = []
        for t in tables.values():
            for c in t.columns:
                if c not in cols:
                    cols.append(c)
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["section", *cols])
        for name, t in tables.items():
            for r in t.rows:
                d = dict(zip(t.columns, r))
                w.writerow([name, *(_text(d.get(c), False) for c in cols)])
    elif format == "table":
        first = True
        for name, t in tables.items():
            if not first:
                fh.write("\n")
            first = False
            fh.write(f"{name}\n")
            _write_table(t, fh, True)
    else:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")


# -- values ------------------------------------------------------------------------

def _compact(s: str) -> str:
    from kg.queries import compact

    return compact(s)


def _text(v: Any, compact: bool) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
        return v.isoformat()
    s = str(v)
    if compact and s.startswith(("http://", "https://")):
        return _compact(s)
    return s


def _json_value(v: Any, compact: bool) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        if isinstance(v, str) and compact and v.startswith(("http://", "https://")):
            return _compact(v)
        return v
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_json_value(x, compact) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _json_value(x, compact) for k, x in v.items()}
    return str(v)


# -- the table ---------------------------------------------------------------------

def display_width(s: str) -> int:
    """Columns a string takes in a terminal: combining marks and format characters
    (Arabic diacritics, bidi marks) take none, East Asian wide characters two."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(s))
    return gap + s if right else s + gap


def _write_table(table: Table, fh: IO[str], compact: bool) -> None:
    cols = table.columns
    cells = [[_text(v, compact).replace("\r", " ").replace("\n", " ") for v in r] for r in table.rows]
    numeric = [bool(table.rows) and all(isinstance(r[i], (int, float, decimal.Decimal)) and not isinstance(r[i], bool)
                                        or r[i] is None for r in table.rows)
               for i in range(len(cols))]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(cols)]
    fh.write("  ".join(_pad(c, widths[i], numeric[i]) for i, c in enumerate(cols)).rstrip() + "\n")
    fh.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        fh.write("  ".join(_pad(v, widths[i], numeric[i]) for i, v in enumerate(r)).rstrip() + "\n")


def rows_of(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Plain dicts of any mapping rows (helper for commands that build rows by hand)."""
    return [dict(r) for r in items]
