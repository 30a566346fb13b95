"""The library of named SPARQL queries (``queries/*.rq``) and safe parameter binding.

A named query is a ``.rq`` file whose header comment says what it answers and
what it takes::

    # Who funds which projects and events, and the items that say so.
    # param ?funder (iri): only this funder, e.g. id:org/eu (default: all)
    # param ?from (date): only items published on or after this date (default: all)
    # param ?minItems (int): at least this many supporting items (default 1)
    #
    # Longer explanation, as many comment lines as needed.

Grammar of a ``# param`` line: ``# param ?NAME [(TYPE)]: MEANING [(default VALUE)]``.
TYPE is ``iri``, ``string``, ``date``, ``int`` or ``lang``; without it the
value decides (``<...>`` or a prefixed name such as ``id:org/iom`` is an IRI,
anything else a string literal). ``(kind of Organization Person)`` takes the
name of a kind of those entity types, or of the type itself (no kind known),
as ``ontology/schema.yaml`` lists them, case-insensitive, and binds the
class it names (``Embassy`` -> ``lmg:Embassy``): a class is an index lookup
where a name compared row by row is not, and a misspelt kind is an error
rather than an empty answer. ``(label of ?actor)`` declares a name
that stands for the IRI parameter ``?actor``: the value is looked up among
the labels, alternative labels and acronyms of the graph (case-insensitive)
and the query runs once for each node found, with ``?actor`` bound to it.
The query text itself uses only ``?actor``, so it stays a plain SPARQL query
that any endpoint can run. A parameter without ``(default ...)`` is
required; ``(default: all)`` (also ``none``, ``any``) makes it optional and
unbound when not given; any other default is bound when the parameter is not
given. ``# requires one of: ?actor ?label`` makes a group of optional
parameters of which at least one must be given.

A query may have variants: ``variants/NAME/*.rq`` beside its file, each a
plain SPARQL query over the same parameters whose header says when it is
used (``# use when ?org is given``). SPARQL cannot make a pattern depend on
whether a parameter is bound, so the general query treats a filter such as
``?org`` as a test on every row; the variant starts from the parameter
instead, an index lookup. :func:`run_query` runs the first variant whose
parameters are all bound (those naming more parameters first) and the
general query otherwise; the tests check that both give the same rows.

Parameters are bound through the store's ``bindings``, never by pasting
text into the query, so a value full of quotes and braces is just a
literal. The stores bind variables that a query does not select with a
``VALUES`` block opening its WHERE clause (``kg.store``, ``kg.sparql_store``;
rdflib pre-binds them), which Oxigraph evaluates as an index lookup, while
its substitution of selected variables is applied after a full evaluation.
So the queries of the library never select their parameters, and use them
only at the top level of their WHERE clause (docs/cli.md, "Writing queries").
A result column that happens to have a parameter's name is dropped when it
only repeats the bound value or is empty (a parameter is input, not output).

A declared query's final ``ORDER BY`` is applied here, in Python
(:mod:`kg.ordering`), ties broken by the whole row: Oxigraph is slow to sort
strings, and the order is then the same on every store.

Results are :class:`QueryResult`: ``vars`` and ``rows`` (rdflib terms) as the
store returns them, plus ``to_dicts()`` (plain Python values) and
``to_dataframe()`` (when pandas is installed) for notebooks.
"""
from __future__ import annotations

import datetime as _dt
import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.ordering import client_order, sort_rows
from kg.resources import queries_dir
from kg.schema import load_schema

__all__ = ["Param", "NamedQuery", "QueryResult", "list_queries", "load_query", "run_query",
           "to_term", "PREFIXES", "compact"]

PARAM_TYPES = ("auto", "iri", "string", "date", "int", "lang", "label", "kind")
MAX_LABEL_MATCHES = 50
"""A ``label of ?x`` parameter matching more nodes than this is an error (too vague)."""
_OPTIONAL_DEFAULTS = {"all", "none", "any", "unset", "-", ""}


def _prefixes() -> dict[str, str]:
    s = load_schema()
    out = {p: ns for p, ns in s.prefixes.items()}
    out["id"] = s.resource_base
    out["topic"] = s.topic_base
    out.setdefault("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    return out


PREFIXES: dict[str, str] = _prefixes()
"""The project's prefixes (schema.yaml plus ``id:`` and ``topic:``), known to every query."""


@dataclass(frozen=True)
class Param:
    """One declared parameter of a query."""

    name: str
    type: str = "auto"
    meaning: str = ""
    default: str | None = None
    required: bool = True
    target: str | None = None  # for type "label": the IRI parameter the name stands for
    of: tuple[str, ...] = ()  # for type "kind": the entity types whose kinds it names

    def describe(self) -> str:
        t = {"auto": "", "label": f" (label of ?{self.target})",
             "kind": f" (kind of {' '.join(self.of)})"}.get(self.type, f" ({self.type})")
        if self.required:
            d = " [required]"
        elif self.default is None:
            d = " [optional]"
        else:
            d = f" [default {self.default}]"
        return f"?{self.name}{t}{d}: {self.meaning}".rstrip(": ")


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with what its header declares."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    explanation: str = ""
    one_of: tuple[tuple[str, ...], ...] = ()
    declared: bool = True  # False: inline/file query without param lines (variables of the text accepted)
    when: tuple[str, ...] = ()  # a variant: the parameters that must be bound for it to be used
    variants: tuple["NamedQuery", ...] = ()

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def variant_for(self, bindings: Mapping[str, Any]) -> "NamedQuery":
        """The query text to run for these bindings: the first variant whose parameters are all bound."""
        for v in self.variants:
            if all(w in bindings for w in v.when):
                return v
        return self

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]


# -- finding and parsing queries ---------------------------------------------------

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PARAM_RE = re.compile(r"^param\s+[?$]([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*:?\s*(.*)$", re.I)
_DEFAULT_RE = re.compile(r"\(\s*default\s*:?\s*(.*?)\s*\)\s*\.?\s*$", re.I)
_ONE_OF_RE = re.compile(r"^requires?\s+one\s+of\s*:?\s*(.*)$", re.I)
_WHEN_RE = re.compile(r"^use\s+when\s+(.*?)\s+(?:is|are)\s+given\s*\.?$", re.I)
_VAR_RE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def list_queries(directory: str | Path | None = None) -> list[NamedQuery]:
    """The named queries of the library (``queries/*.rq``), sorted by name."""
    d = Path(directory) if directory is not None else queries_dir()
    return [_read(p, p.stem) for p in sorted(d.glob("*.rq"))]


def load_query(query: "str | Path | NamedQuery", directory: str | Path | None = None) -> NamedQuery:
    """A query by library name (``funding``), by path to a ``.rq`` file, or inline SPARQL text."""
    if isinstance(query, NamedQuery):
        return query
    if isinstance(query, Path):
        return _load_file(query)
    text = str(query)
    if not text.strip():
        raise QueryError("empty query")
    d = Path(directory) if directory is not None else queries_dir()
    if _NAME_RE.match(text) and not text.endswith(".rq"):
        candidate = d / f"{text}.rq"
        if candidate.is_file():
            return _read(candidate, text)
    looks_like_sparql = bool(re.search(r"\s", text.strip())) or "{" in text
    if not looks_like_sparql:
        p = Path(text).expanduser()
        if p.is_file() or text.endswith(".rq") or "/" in text or "\\" in text:
            return _load_file(p)
        names = ", ".join(q.name for q in list_queries(d))
        raise QueryError(f"no query named {text!r} (named queries: {names}); give a name, a .rq file or SPARQL text")
    return parse_query(text, name="inline", path=None)


def _load_file(p: Path) -> NamedQuery:
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError("no such query file", p) from None
    except UnicodeDecodeError:
        raise QueryError("not UTF-8 text", p) from None
    except OSError as exc:
        raise QueryError(f"cannot read ({exc.strerror})", p) from None
    name = p.name[:-3] if p.name.endswith(".rq") else p.name
    return _with_variants(parse_query(text, name=name, path=p))


def _read(path: Path, name: str) -> NamedQuery:
    return _with_variants(parse_query(path.read_text(encoding="utf-8"), name=name, path=path))


def _with_variants(nq: NamedQuery) -> NamedQuery:
    """Attach the variants kept in ``variants/NAME/`` beside the query's file."""
    if nq.path is None or nq.when:
        return nq
    folder = nq.path.parent / "variants" / nq.name
    if not folder.is_dir():
        return nq
    variants = []
    for p in sorted(folder.glob("*.rq")):
        v = parse_query(p.read_text(encoding="utf-8"), name=f"{nq.name}/{p.stem}", path=p)
        if not v.when:
            raise QueryError(f"variant {v.name!r} of query {nq.name!r} has no '# use when ?PARAM is given' line", p)
        if v.params:
            raise QueryError(f"variant {v.name!r} declares parameters; it takes those of {nq.path.name}", p)
        unknown = [w for w in v.when if nq.param(w) is None]
        if unknown:
            raise QueryError(f"variant {v.name!r}: ?{unknown[0]} is not a parameter of query {nq.name!r}", p)
        variants.append(v)
    variants.sort(key=lambda v: (-len(v.when), v.name))
    return replace(nq, variants=tuple(variants))


def parse_query(text: str, name: str = "inline", path: Path | None = None) -> NamedQuery:
    """Read the header comment of a query: description, ``# param`` lines, explanation."""
    header: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            if header:
                header.append("")
            continue
        if not s.startswith("#"):
            break
        header.append(s[1:].strip())
    while header and not header[-1]:
        header.pop()
    description = ""
    params: list[Param] = []
    explanation: list[str] = []
    one_of: list[tuple[str, ...]] = []
    when: tuple[str, ...] = ()
    declared = False
    for i, line in enumerate(header):
        m = _PARAM_RE.match(line)
        if m:
            declared = True
            params.append(_param(m, name, path))
            continue
        mw = _WHEN_RE.match(line)
        if mw:
            when = tuple(_VAR_RE.findall(mw.group(1)))
            if not when:
                raise QueryError(f"query {name!r}: 'use when' names no parameter", path)
            continue
        m1 = _ONE_OF_RE.match(line)
        if m1:
            group = tuple(_VAR_RE.findall(m1.group(1)))
            if group:
                one_of.append(group)
            continue
        if i == 0:
            description = line
        elif line or explanation:
            explanation.append(line)
    names = {p.name for p in params}
    for p in params:
        if p.type == "label" and p.target not in names:
            raise QueryError(f"query {name!r}: ?{p.name} is a label of ?{p.target}, which is not a declared parameter", path)
    for group in one_of:
        missing = [g for g in group if g not in names]
        if missing:
            raise QueryError(f"query {name!r}: 'requires one of' names undeclared parameter ?{missing[0]}", path)
    if not declared and path is None and not description:
        description = "inline query"
    return NamedQuery(name=name, description=description, params=tuple(params), text=text, path=path,
                      explanation="\n".join(explanation).strip(), one_of=tuple(one_of), declared=declared,
                      when=when)


def _param(m: re.Match, qname: str, path: Path | None) -> Param:
    pname, spec, rest = m.group(1), (m.group(2) or "").strip(), m.group(3).strip()
    ptype, required_flag, target, of = "auto", None, None, ()
    for word in [w.strip().lower() for w in spec.split(",") if w.strip()]:
        lm = re.match(r"^(?:label|name)\s+of\s+[?$]([a-z_][a-z0-9_]*)$", word)
        km = re.match(r"^kind\s+of\s+(.+)$", word)
        if lm:
            ptype, target = "label", lm.group(1)
        elif km:
            types = {t.lower(): t for t in load_schema().entity_types}
            named = km.group(1).split()
            unknown = [t for t in named if t not in types]
            if unknown:
                raise QueryError(f"query {qname!r}: parameter ?{pname} is a kind of {unknown[0]!r}, which is not "
                                 f"an entity type of the schema ({', '.join(types.values())})", path)
            ptype, of = "kind", tuple(types[t] for t in named)
        elif word in PARAM_TYPES and word not in ("label", "kind"):
            ptype = word
        elif word in ("literal", "str", "text"):
            ptype = "string"
        elif word in ("integer", "number"):
            ptype = "int"
        elif word in ("optional", "required"):
            required_flag = word == "required"
        else:
            raise QueryError(f"query {qname!r}: parameter ?{pname} has unknown type {word!r} "
                             f"(types: {', '.join(PARAM_TYPES[1:])})", path)
    default: str | None = None
    required = True
    dm = _DEFAULT_RE.search(rest)
    if dm:
        rest = rest[:dm.start()].rstrip()
        raw = dm.group(1).strip()
        required = False
        if raw.lower() not in _OPTIONAL_DEFAULTS:
            default = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" else raw
    if required_flag is not None:
        required = required_flag and default is None
    return Param(name=pname, type=ptype, meaning=rest, default=default, required=required, target=target, of=of)


# -- values -> RDF terms --------------------------------------------------------------

_IRI_BAD = re.compile(r'[\s<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PNAME = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)?:([^\s<>\"{}|^`\\]*)$")
_SHORT_ID = re.compile(r"^(org|person|project|event|place|item|post|graph)/[^\s<>\"{}|^`\\]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _declared_prefixes(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"(?im)^\s*PREFIX\s+([A-Za-z][\w-]*|):\s*<([^>]*)>", text)}


def _checked_iri(value: str, where: str) -> URIRef:
    if _IRI_BAD.search(value) or not _SCHEME.match(value):
        raise QueryError(f"{where}: {value!r} is not a valid IRI")
    return URIRef(value)


def to_term(value: Any, ptype: str = "auto", *, prefixes: Mapping[str, str] | None = None,
            where: str = "parameter") -> Node:
    """A parameter value as an RDF term, never as query text.

    Strings become literals; ``<...>``, prefixed names (``id:org/iom``) and,
    for ``iri`` parameters, absolute IRIs, short ids (``org/iom``) and
    registry keys (``iom``) become IRIs. ``date`` -> xsd:date, ``int`` -> xsd:integer.
    rdflib terms are taken as they are.
    """
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    pfx = dict(PREFIXES)
    if prefixes:
        pfx.update(prefixes)
    if ptype == "int":
        if isinstance(value, bool):
            raise QueryError(f"{where}: expected an integer, got {value!r}")
        try:
            return Literal(int(str(value).strip()), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"{where}: expected an integer, got {value!r}") from None
    if ptype == "date":
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return Literal(value.isoformat(), datatype=XSD.date)
        s = str(value).strip()
        try:
            if not _DATE.match(s):
                raise ValueError
            _dt.date.fromisoformat(s)
        except ValueError:
            raise QueryError(f"{where}: expected a date YYYY-MM-DD, got {value!r}") from None
        return Literal(s, datatype=XSD.date)
    if ptype == "lang":
        s = str(value).strip()
        if not _LANG.match(s):
            raise QueryError(f"{where}: expected a language tag such as 'en' or 'ar', got {value!r}")
        return Literal(s.lower())
    if not isinstance(value, str):
        if ptype == "iri":
            raise QueryError(f"{where}: expected an IRI, got {value!r}")
        return Literal(value)
    s = value.strip() if ptype == "iri" else value
    if ptype in ("string", "label"):
        return Literal(value)
    if s.startswith("<") and s.endswith(">") and len(s) > 2:
        return _checked_iri(s[1:-1], where)
    m = _PNAME.match(s)
    if m and (m.group(1) or "") in pfx and not s.startswith(("http:", "https:", "urn:")):
        return _checked_iri(pfx[m.group(1) or ""] + m.group(2), where)
    if ptype != "iri":
        return Literal(value)
    if _SCHEME.match(s) and not _IRI_BAD.search(s) and ("://" in s or s.startswith(("urn:", "mailto:"))):
        return URIRef(s)
    if _SHORT_ID.match(s):
        return _checked_iri(PREFIXES["id"] + s, where)
    key_iri = _registry_key_iri(s)
    if key_iri is not None:
        return key_iri
    raise QueryError(f"{where}: {value!r} is not an IRI; write <https://...>, a prefixed name such as "
                     f"id:org/iom, a short id such as org/iom, or a registry key")


def _kind_classes(types: Iterable[str]) -> dict[str, URIRef]:
    """The names a ``kind of TYPE...`` parameter takes, each with its class: the types' kinds and the types."""
    schema = load_schema()
    out: dict[str, URIRef] = {}
    for t in types:
        et = schema.entity_types[t]
        out.update(et.kinds)
        out[t] = et.rdf_class
    return out


def _kind_term(value: Any, types: Sequence[str], prefixes: Mapping[str, str], where: str) -> URIRef:
    """The class a kind name (or the class's own IRI) names, or an error listing the names."""
    classes = _kind_classes(types)
    if isinstance(value, URIRef):
        term: Node = value
    else:
        s = str(value).strip()
        by_name = {k.lower(): c for k, c in classes.items()}
        if s.lower() in by_name:
            return by_name[s.lower()]
        term = to_term(s, "auto", prefixes=prefixes, where=where)
    if term in classes.values():
        return URIRef(term)
    raise QueryError(f"{where}: {value!r} is not a kind of {' or '.join(types)}; "
                     f"one of {', '.join(classes)}")


def _registry_key_iri(key: str) -> URIRef | None:
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", key):
        return None
    try:
        from kg.registry import default_registry
        reg = default_registry()
    except Exception:  # noqa: BLE001 - no registry: the key is just not resolvable
        return None
    # keys are written lower-case for organizations (iom-jo) and upper-case for places (JO);
    # either is accepted in any case
    for k in (key, key.lower(), key.upper()):
        if k in reg:
            return reg.iri(k)
    return None


# -- results --------------------------------------------------------------------------

def _python(term: Any) -> Any:
    """A plain Python value for a result cell (IRI -> str, typed literal -> its value)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.datatype is None:
            return str(term)
        try:
            v = term.toPython()
        except Exception:  # noqa: BLE001 - an ill-typed literal is shown as written
            return str(term)
        return str(term) if isinstance(v, Literal) else v
    return term


_COMPACT_PREFIXES: list[tuple[str, str]] | None = None


def compact(iri: str) -> str:
    """``https://w3id.org/levant-kg/id/org/iom`` -> ``id:org/iom`` (for tables)."""
    global _COMPACT_PREFIXES
    if _COMPACT_PREFIXES is None:
        _COMPACT_PREFIXES = sorted(((p, ns) for p, ns in PREFIXES.items() if p not in ("sh",)),
                                   key=lambda pn: -len(pn[1]))
    for p, ns in _COMPACT_PREFIXES:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


class QueryResult:
    """Rows of a SELECT query: ``vars`` (column names) and ``rows`` (tuples of rdflib terms or None).

    ``to_dicts()`` gives plain Python values (IRIs as strings, dates as
    ``datetime.date``, numbers as numbers); ``to_dataframe()`` a pandas
    DataFrame (pandas is optional). Iterating yields the dicts.
    """

    def __init__(self, vars: Sequence[str], rows: Iterable[Sequence[Any]], query: NamedQuery | None = None):
        self.vars = [str(v) for v in vars]
        self.rows = [tuple(r) for r in rows]
        self.query = query

    @classmethod
    def of(cls, result: Any, query: NamedQuery | None = None) -> "QueryResult":
        """Wrap what a store returned (anything with ``vars`` and ``rows``; a boolean for ASK)."""
        if isinstance(result, QueryResult):
            return result
        if isinstance(result, bool):
            return cls(["result"], [(Literal(result),)], query)
        vars_ = getattr(result, "vars", None)
        rows = getattr(result, "rows", None)
        if vars_ is None or rows is None:
            raise QueryError(f"the store returned no rows ({type(result).__name__}); only SELECT and ASK "
                             "queries give tables")
        return cls(list(vars_), list(rows), query)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.to_dicts())

    def __repr__(self) -> str:
        name = f" {self.query.name}" if self.query else ""
        return f"<QueryResult{name}: {len(self.rows)} rows x {len(self.vars)} columns {self.vars}>"

    def to_dicts(self) -> list[dict[str, Any]]:
        return [{v: _python(t) for v, t in zip(self.vars, row)} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        i = self.vars.index(name)
        return [_python(r[i]) for r in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame of :meth:`to_dicts` (needs pandas: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("QueryResult.to_dataframe() needs pandas (pip install pandas); "
                              "to_dicts() gives the same rows without it") from None
        return pd.DataFrame(self.to_dicts(), columns=self.vars)

    def _repr_html_(self) -> str:  # Jupyter
        from html import escape

        head = "".join(f"<th>{escape(v)}</th>" for v in self.vars)
        body = "".join("<tr>" + "".join(f"<td dir='auto'>{escape('' if c is None else str(c))}</td>"
                                        for c in d.values()) + "</tr>" for d in self.to_dicts()[:200])
        more = f"<p>{len(self.rows)} rows</p>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


# -- running ----------------------------------------------------------------------------

def with_prefixes(text: str) -> str:
    """The query with PREFIX declarations added for project prefixes it uses but does not declare."""
    declared = _declared_prefixes(text)
    body = re.sub(r"(?m)#.*$", "", text)  # not in comments (good enough: prefixes are only added)
    body = re.sub(r"<[^>\s]*>", "", body)
    body = re.sub(r'"(?:[^"\\]|\\.)*"' + r"|'(?:[^'\\]|\\.)*'", "", body)
    needed = [p for p in PREFIXES if p not in declared and re.search(rf"(?<![\w:?$<]){re.escape(p)}:", body)]
    if not needed:
        return text
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in needed) + text


def bind_params(query: NamedQuery, params: Mapping[str, Any] | None) -> dict[str, Node]:
    """Check the parameters against the query's header and turn them into RDF terms."""
    given: dict[str, Any] = {}
    for k, v in (params or {}).items():
        k = str(k).lstrip("?$")
        if k in given:
            raise QueryError(f"query {query.name!r}: parameter ?{k} given twice")
        given[k] = v
    pfx = _declared_prefixes(query.text)
    if not query.declared:
        variables = set(_VAR_RE.findall(re.sub(r"(?m)#.*$", "", query.text)))
        out = {}
        for k, v in given.items():
            if k not in variables:
                raise QueryError(f"query {query.name!r} has no variable ?{k} to bind")
            out[k] = to_term(v, "auto", prefixes=pfx, where=f"query {query.name!r}, parameter ?{k}")
        return out
    known = {p.name for p in query.params}
    for k in given:
        if k not in known:
            listing = ", ".join(f"?{n}" for n in sorted(known)) or "none"
            raise QueryError(f"query {query.name!r} has no parameter ?{k} (its parameters: {listing})")
    out = {}
    for p in query.params:
        where = f"query {query.name!r}, parameter ?{p.name}"
        value = given.get(p.name)
        if value is None or (isinstance(value, str) and value == "" and p.type != "string"):
            if p.default is None and p.required:
                raise QueryError(f"query {query.name!r} needs parameter ?{p.name}"
                                 f"{': ' + p.meaning if p.meaning else ''} (give --param {p.name}=VALUE)")
            value = p.default
            if value is None:
                continue
        out[p.name] = (_kind_term(value, p.of, pfx, where) if p.type == "kind"
                       else to_term(value, p.type, prefixes=pfx, where=where))
    for group in query.one_of:
        if not any(g in given and given[g] not in (None, "") for g in group):
            alts = " or ".join(f"?{g}" for g in group)
            raise QueryError(f"query {query.name!r} needs parameter {alts} "
                             f"(give --param {group[0]}=VALUE)")
    return out


def run_query(store: Any, query: "str | Path | NamedQuery", params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a named, file or inline query on ``store`` with ``params`` bound safely.

    ``params`` maps parameter names (with or without ``?``) to values:
    strings (converted by the declared type, see :func:`to_term`), Python
    dates and ints, or rdflib terms. Raises :class:`~kg.errors.QueryError`
    for an unknown query, a missing or unknown parameter, a bad value, or a
    query the store cannot parse.
    """
    nq = load_query(query)
    bindings = bind_params(nq, params)
    labels = [p for p in nq.params if p.type == "label" and p.name in bindings]
    if not labels:
        return _hide_params(_run(store, nq, bindings), nq, bindings)
    # A name stands for IRIs: resolve it, then run once per node found.
    base = {k: v for k, v in bindings.items() if k not in {p.name for p in labels}}
    choices: list[list[tuple[str, Node]]] = []
    for p in labels:
        nodes = resolve_label(store, str(bindings[p.name]))
        if p.target in base:
            nodes = [n for n in nodes if n == base[p.target]]
        choices.append([(p.target, n) for n in nodes])
    shown = {p.target for p in labels}
    combos = list(itertools.product(*choices))
    if not combos:  # nothing carries that name: the query's columns, no rows
        combos = [tuple((p.target, _NOTHING) for p in labels)]
    result: QueryResult | None = None
    for combo in combos:
        b = dict(base)
        b.update(dict(combo))
        r = _run(store, nq, b)
        # which node each row is about: a column per resolved name, unless the query selects it
        extra = [(name, node) for name, node in combo if name not in r.vars]
        vars_ = [name for name, _ in extra] + r.vars
        rows = [] if combo[0][1] is _NOTHING else [tuple(n for _, n in extra) + row for row in r.rows]
        result = QueryResult(vars_, rows if result is None else result.rows + rows, nq)
    assert result is not None
    return _hide_params(result, nq, {k: v for k, v in bindings.items() if k not in shown})


_NOTHING = URIRef("urn:levant-kg:no-such-node")

_LABEL_LOOKUP = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?node ?name WHERE {
  ?node skos:prefLabel|skos:altLabel|rdfs:label|schema:alternateName ?l .
  FILTER(LCASE(STR(?l)) = LCASE(STR(?name)))
}"""


def resolve_label(store: Any, name: str) -> list[URIRef]:
    """The IRIs of the nodes whose label, alternative label or acronym is ``name`` (case-insensitive)."""
    name = name.strip()
    if not name:
        return []
    try:
        raw = store.query(_LABEL_LOOKUP, bindings={"name": Literal(name)})
    except (SyntaxError, ValueError, RuntimeError) as exc:
        raise QueryError(f"cannot look up the name {name!r}: {_first_line(exc)}") from None
    nodes = sorted({r[0] for r in raw.rows if isinstance(r[0], URIRef)}, key=str)
    if len(nodes) > MAX_LABEL_MATCHES:
        raise QueryError(f"the name {name!r} matches {len(nodes)} nodes; give a more specific name or the IRI")
    return nodes


def _run(store: Any, nq: NamedQuery, bindings: Mapping[str, Node]) -> QueryResult:
    q = nq.variant_for(bindings)
    where = f"query {q.name!r}" + (f" ({q.path})" if q.path else "")
    # a declared query's answer is sorted here, not by the engine (kg.ordering: Oxigraph is
    # slow to sort strings); an ad hoc query is left as written
    order = client_order(q.text, frozenset(bindings)) if nq.declared else None
    try:
        raw = store.query(with_prefixes(order[0] if order else q.text), bindings=dict(bindings) or None)
    except QueryError as exc:
        raise QueryError(f"{where}: {exc}") from None
    except (SyntaxError, ValueError, RuntimeError) as exc:
        raise QueryError(f"{where}: {_first_line(exc)}") from None
    result = QueryResult.of(raw, nq)
    if order:
        result.rows = sort_rows(result.vars, result.rows, order[1])
    return result


def _first_line(exc: BaseException) -> str:
    msg = str(exc).strip() or type(exc).__name__
    return msg.splitlines()[0]


def _hide_params(result: QueryResult, nq: NamedQuery, bindings: Mapping[str, Node]) -> QueryResult:
    """Drop the columns of declared parameters that only echo the bound value or are empty."""
    if not nq.declared or not result.vars:
        return result
    drop = []
    for i, v in enumerate(result.vars):
        if nq.param(v) is None:
            continue
        values = {r[i] for r in result.rows}
        if values <= {None} or (v in bindings and values <= {None, bindings[v]}):
            drop.append(i)
        elif v in bindings and all(_python(x) == _python(bindings[v]) for x in values if x is not None):
            drop.append(i)
    if not drop:
        return result
    keep = [i for i in range(len(result.vars)) if i not in drop]
    return QueryResult([result.vars[i] for i in keep], [tuple(r[i] for i in keep) for r in result.rows], nq)
