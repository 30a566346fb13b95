"""Sort a query's answer in Python, by the query's own ``ORDER BY``.

Oxigraph compares strings longer than a few bytes by reading both from its
dictionary on every comparison: sorting 100k items by id takes it 5 s, by
date (an inline value) almost nothing. Python sorts the same rows in a
fraction of a second. So :func:`client_order` splits a query into its text
without the final ``ORDER BY`` and the sort keys, and :func:`sort_rows`
applies them to the answer with SPARQL's ordering (unbound, then blank
nodes, IRIs, literals; numbers, booleans, dates and strings each by value).

Only the conditions the library uses are understood: a projected variable,
``ASC``/``DESC`` of one, ``(!BOUND(?v))`` and ``(?v = "text")``.
A query with anything else, with ``LIMIT``/``OFFSET``, or ordered by a
variable it does not select keeps its ``ORDER BY`` for the engine.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["OrderKey", "client_order", "sort_rows", "term_key"]


@dataclass(frozen=True)
class OrderKey:
    """One condition of ``ORDER BY``: ``test`` is "" (the value), "unbound" or "equals"."""

    var: str
    descending: bool = False
    test: str = ""
    value: str = ""  # the string compared with, for "equals"


_TOKEN = re.compile(r'\s*(?:(?P<var>[?$]\w+)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<word>[A-Za-z_]+)|(?P<sym>[()!=]))')
_ORDER = re.compile(r"^\s*ORDER\s+BY\b(?P<cond>[^#\n]*)\s*(?:#[^\n]*)?\s*\Z", re.I | re.M)


def _tokens(text: str) -> list[tuple[str, str]] | None:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _parse_conditions(tokens: list[tuple[str, str]]) -> tuple[OrderKey, ...] | None:
    keys: list[OrderKey] = []
    i = 0

    def expr(j: int, desc: bool) -> tuple[OrderKey, int] | None:
        """An expression inside parentheses, from token j to the closing one (consumed)."""
        t = tokens[j:]
        if len(t) >= 5 and t[0] == ("sym", "!") and t[1][0] == "word" and t[1][1].upper() == "BOUND" \
                and t[2] == ("sym", "(") and t[3][0] == "var" and t[4] == ("sym", ")"):
            key, j = OrderKey(t[3][1][1:], desc, "unbound"), j + 5
        elif len(t) >= 3 and t[0][0] == "var" and t[1] == ("sym", "=") and t[2][0] == "str" \
                and "\\" not in t[2][1]:
            key, j = OrderKey(t[0][1][1:], desc, "equals", t[2][1][1:-1]), j + 3
        elif t and t[0][0] == "var":
            key, j = OrderKey(t[0][1][1:], desc), j + 1
        else:
            return None
        if j >= len(tokens) or tokens[j] != ("sym", ")"):
            return None
        return key, j + 1

    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "var":
            keys.append(OrderKey(value[1:]))
            i += 1
            continue
        desc = kind == "word" and value.upper() == "DESC"
        if kind == "word" and value.upper() in ("ASC", "DESC"):
            i += 1
        if i >= len(tokens) or tokens[i] != ("sym", "("):
            return None
        found = expr(i + 1, desc)
        if found is None:
            return None
        key, i = found
        keys.append(key)
    return tuple(keys) or None


def _projection(text: str) -> set[str] | None:
    """The variables the query's first SELECT projects (None for ``SELECT *`` or no SELECT)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.I | re.S)
    if m is None:
        return None
    clause, depth, out = re.sub(r'"(?:[^"\\]|\\.)*"', '""', m.group(1)), 0, set()
    tokens = re.findall(r"[?$]\w+|[()]|[^\s()?$]+", clause)
    prev = ""
    for value in tokens:
        if value == "(":
            depth += 1
        elif value == ")":
            depth -= 1
        elif value[0] in "?$" and (depth == 0 or prev.upper() == "AS"):
            out.add(value[1:])
        elif value == "*" and depth == 0:
            return None
        prev = value
    return out


@lru_cache(maxsize=256)
def client_order(text: str, constants: frozenset[str] = frozenset()) -> tuple[str, tuple[OrderKey, ...]] | None:
    """``(text without its final ORDER BY, keys)`` when Python can sort the answer, else None.

    ``constants`` are variables bound to one value for the whole query (its
    parameters): ordering by one changes nothing, selected or not."""
    m = _ORDER.search(text)
    if m is None or "}" not in text or m.start() < text.rfind("}"):
        return None
    if re.search(r"\b(LIMIT|OFFSET)\b", text[text.rfind("}"):], re.I):
        return None
    tokens = _tokens(m.group("cond"))
    keys = _parse_conditions(tokens) if tokens else None
    selected = _projection(text)
    if keys is None or selected is None:
        return None
    keys = tuple(k for k in keys if k.var in selected or k.var not in constants)
    if any(k.var not in selected for k in keys):
        return None
    return text[:m.start()].rstrip() + "\n", keys


_NUMERIC = {str(XSD[t]) for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                                  "nonNegativeInteger", "positiveInteger", "negativeInteger",
                                  "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
                                  "unsignedByte")}
_XSD_STRING, _XSD_BOOLEAN = str(XSD.string), str(XSD.boolean)
_XSD_DATE, _XSD_DATETIME = str(XSD.date), str(XSD.dateTime)


def term_key(term: Node | None) -> tuple:
    """A sort key giving SPARQL's order of terms; values of one kind compare by value."""
    if term is None:
        return (0,)
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype is not None else ""
        if term.language or not dt or dt == _XSD_STRING:
            return (3, 4, str(term), term.language or "")
        value = term.value
        if value is not None and not term.ill_typed:
            if dt in _NUMERIC:
                return (3, 0, value)
            if dt == _XSD_BOOLEAN:
                return (3, 1, value)
            if dt == _XSD_DATE and type(value) is _dt.date:
                return (3, 2, value)
            if dt == _XSD_DATETIME and isinstance(value, _dt.datetime):
                if value.tzinfo is not None:
                    value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
                return (3, 3, value)
        return (3, 5, dt, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    if isinstance(term, BNode):
        return (1, str(term))
    return (3, 5, "", str(term))


def _key_of(key: OrderKey, index: int) -> Callable[[Sequence[Any]], tuple]:
    if key.test == "":
        return lambda row: term_key(row[index])
    if key.test == "unbound":
        return lambda row: (3, 1, row[index] is None)

    def equals(row: Sequence[Any]) -> tuple:
        v = row[index]
        if isinstance(v, (URIRef, BNode)):
            return (3, 1, False)
        if isinstance(v, Literal) and not v.language and (v.datatype is None or str(v.datatype) == _XSD_STRING):
            return (3, 1, str(v) == key.value)
        return (0,)  # unbound or not comparable with a string: an error, which sorts as unbound
    return equals


def sort_rows(variables: Sequence[str], rows: list, keys: Sequence[OrderKey]) -> list:
    """``rows`` sorted by ``keys``, then rows equal on every key by their columns in order.

    SPARQL leaves the order of ties to the engine (Oxigraph's differs from
    rdflib's, and from run to run of a changed plan): breaking them by the
    whole row makes the answer the same on every store."""
    index = {v: i for i, v in enumerate(variables)}
    fns = [_key_of(k, index[k.var]) for k in keys]
    decorated = [(tuple(f(row) for f in fns), row) for row in rows]
    # one stable pass per run of conditions in the same direction, the last run first
    runs: list[tuple[int, int, bool]] = []
    for i, k in enumerate(keys):
        if runs and runs[-1][2] == k.descending:
            runs[-1] = (runs[-1][0], i + 1, k.descending)
        else:
            runs.append((i, i + 1, k.descending))
    for lo, hi, desc in reversed(runs):
        decorated.sort(key=lambda d: d[0][lo:hi], reverse=desc)
    out, i = [], 0
    while i < len(decorated):  # ties, by the whole row
        j = i + 1
        while j < len(decorated) and decorated[j][0] == decorated[i][0]:
            j += 1
        tied = [row for _, row in decorated[i:j]]
        out.extend(sorted(tied, key=lambda row: tuple(map(term_key, row))) if j - i > 1 else tied)
        i = j
    return out
