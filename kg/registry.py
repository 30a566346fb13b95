"""The curated registry of actors and places (``data/registry``), loaded and checked.

The registry is what makes IRIs stable and the extractor's gazetteer rich:
every organization has a key (its IRI is minted from it), a kind from
``ontology/schema.yaml``, English and Arabic names, aliases and acronyms, a
parent and a country; ``places.yaml`` holds countries (with nationality
adjectives), cities and regions. It is hand-written, so loading checks it
thoroughly and reports *all* problems at once, each naming the file, the line
and the entry, instead of stopping at the first.

Files::

    organizations/*.yaml   a list of {key, kind, name: {en, ar, fr?}, acronyms?,
                           aliases?: {lang: [..]}, parent?, country?}
    places.yaml            {countries: [{code, name, aliases?, adjectives?: {en, ar},
                           cities?: [{key, name, aliases?}]}],
                           regions: [{key, name, aliases?, country?}]}

Countries are keyed by their ISO 3166-1 alpha-2 code (``JO`` -> ``id:place/JO``).

Name matching uses :func:`kg.normalize.name_key` (folded, clitic-free
content words), except acronyms, which match case-sensitively on their
written form (dots and spaces ignored) so that "IOM" is the organization and
"iom" is not. Two entries may share a name only when both belong to
different countries ("وزارة العمل" of Jordan and of Lebanon); ``resolve``
then needs the country to choose.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.errors import RegistryError
from kg.iri import ID, LMG, ORG, REGISTRY_GRAPH, SDO, SKOS, registry_iri
from kg.normalize import fold, is_arabic
from kg.normalize import name_key as _name_key
from kg.resources import data_path
from kg.schema import load_schema

try:  # libyaml's C parser: several times faster on the ~300-entry registry
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

__all__ = ["OrgEntry", "PlaceEntry", "Registry", "load_registry", "default_registry", "MAX_REPORTED"]

MAX_REPORTED = 30
"""How many problems a RegistryError lists (the total count is always given)."""

_SCHEMA = load_schema()
ORG_KINDS = tuple(_SCHEMA.entity_types["Organization"].kinds)
PLACE_KINDS = ("Country", "City", "Region")
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_CODE_RE = re.compile(r"^[A-Z]{2}$")
_ORG_FIELDS = {"key", "kind", "name", "acronyms", "aliases", "parent", "country"}
# Informative fields a curator may add; loaded as nothing, but not typos.
_INFO_FIELDS = {"note", "notes", "comment", "wikidata", "url", "website", "source", "sources", "description"}
_COUNTRY_FIELDS = {"code", "name", "aliases", "adjectives", "cities"}
_CITY_FIELDS = {"key", "name", "aliases"}
_REGION_FIELDS = {"key", "name", "aliases", "country"}
_ORG_IRI = str(ID) + _SCHEMA.entity_types["Organization"].iri_prefix + "/"
_PLACE_IRI = str(ID) + _SCHEMA.entity_types["Place"].iri_prefix + "/"


@dataclass
class OrgEntry:
    """One organization of the registry."""

    key: str
    kind: str
    names: dict[str, str]
    acronyms: list[str] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    parent: str | None = None
    country: str | None = None
    source: str = ""  # file it came from, relative to the registry folder

    type = "Organization"

    @property
    def name(self) -> str:
        """The canonical (English) name."""
        return self.names["en"]


@dataclass
class PlaceEntry:
    """A country (key = ISO code), city or region."""

    key: str
    kind: str  # Country | City | Region
    names: dict[str, str]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    country: str | None = None  # a country's own code for a country
    adjectives: dict[str, list[str]] = field(default_factory=dict)
    source: str = ""

    type = "Place"
    acronyms = ()
    parent = None

    @property
    def name(self) -> str:
        return self.names["en"]


Entry = OrgEntry | PlaceEntry


# Loading checks collisions and then indexes the same forms: keying each form
# once halves the load time (name_key is the bulk of it).
name_key = lru_cache(maxsize=1 << 16)(_name_key)


def _acronym_form(text: str) -> str:
    """An acronym as compared: NFC, dots and spaces dropped, case kept ("U.N." = "UN")."""
    return re.sub(r"[\s.]+", "", unicodedata.normalize("NFC", text))


def _definite(adjective: str) -> str:
    """The Arabic definite form of a bare adjective: أردنية -> الأردنية."""
    return adjective if adjective.startswith("ال") else "ال" + adjective


def _script_lang(text: str) -> str:
    return "ar" if is_arabic(text) else "en"


class Registry:
    """The loaded registry: lookup tables for resolution and the RDF of its graph.

    Build it with :func:`load_registry`; it is not meant to be mutated.
    """

    def __init__(self, orgs: dict[str, OrgEntry], places: dict[str, PlaceEntry], path: Path | None = None):
        self.orgs = orgs
        self.places = places
        self.path = path
        self._by_name: dict[str, dict[str, list[str]]] = {"Organization": {}, "Place": {}}
        self._by_acronym: dict[str, list[str]] = {}
        self._children: dict[str, list[str]] = {}
        self._adjectives: dict[str, str] = {}      # folded form (bare or definite) -> code
        self._adjective_keys: dict[str, str] = {}  # name_key of a bare form -> code
        self._iri_to_key: dict[str, str] = {}
        self._triples: dict[URIRef, list[tuple]] | None = None
        for type_, table in (("Organization", orgs), ("Place", places)):
            index = self._by_name[type_]
            for e in table.values():
                self._iri_to_key[str(self.iri(e.key))] = e.key
                for form in _name_forms(e):
                    k = name_key(form)
                    if k:
                        keys = index.setdefault(k, [])
                        if e.key not in keys:
                            keys.append(e.key)
        for e in orgs.values():
            for a in e.acronyms:
                keys = self._by_acronym.setdefault(_acronym_form(a), [])
                if e.key not in keys:
                    keys.append(e.key)
            if e.parent:
                self._children.setdefault(e.parent, []).append(e.key)
        for p in places.values():
            for lang, forms in p.adjectives.items():
                for form in forms:
                    self._adjectives.setdefault(fold(form), p.key)
                    self._adjective_keys.setdefault(name_key(form), p.key)
                    if lang == "ar":
                        self._adjectives.setdefault(fold(_definite(form)), p.key)

    def __repr__(self) -> str:
        return f"<Registry {len(self.orgs)} organizations, {len(self.places)} places from {self.path}>"

    def __contains__(self, key: object) -> bool:
        return key in self.orgs or key in self.places

    def get(self, key: str) -> Entry | None:
        """The organization or place with this key, or None."""
        return self.orgs.get(key) or self.places.get(key)

    # -- IRIs ----------------------------------------------------------------
    def iri(self, key: str) -> URIRef:
        """The IRI of a registry key (``id:org/{key}`` or ``id:place/{key}``); KeyError if unknown."""
        if key in self.orgs:
            return registry_iri("Organization", key)
        if key in self.places:
            return registry_iri("Place", key)
        raise KeyError(f"{key!r} is not a registry key")

    def key_of(self, iri: str) -> str | None:
        """The registry key of an IRI, or None when it is not a registry node."""
        return self._iri_to_key.get(str(iri))

    # -- resolution ----------------------------------------------------------
    def resolve(self, name: str, type: str | None = "Organization", kind: str | None = None,
                country: str | None = None) -> str | None:
        """The key of the entry named ``name`` (a name, alias or acronym), or None.

        ``type`` ("Organization", "Place" or None for both) restricts the
        tables searched. ``country`` excludes entries of another country and
        breaks ties in favour of entries of that country; ``kind`` only breaks
        ties (the registry's kind is curated, a record's kind may be a guess).
        An ambiguous name (several entries left) resolves to None.
        """
        if not name or not name.strip():
            return None
        types = ("Organization", "Place") if type is None else (type,)
        if any(t not in self._by_name for t in types):
            return None
        k = name_key(name)
        candidates: list[str] = []
        for t in types:
            candidates += self._by_name[t].get(k, []) if k else []
        if "Organization" in types:
            for key in self._by_acronym.get(_acronym_form(name.strip()), []):
                if key not in candidates:
                    candidates.append(key)
        if not candidates:
            return None
        entries = [self.get(c) for c in candidates]
        if country:
            cc = country.upper()
            entries = [e for e in entries if e.country is None or e.country == cc]
            same = [e for e in entries if e.country == cc]
            if len(entries) > 1 and same:
                entries = same
        if kind and len(entries) > 1:
            entries = [e for e in entries if e.kind == kind] or entries
        return entries[0].key if len(entries) == 1 else None

    def surface_forms(self) -> Iterator[tuple[str, str, str, bool]]:
        """(form, lang, key, is_acronym) for every name, alias and acronym: the gazetteer.

        Organizations first, then places, each in file order; no duplicates.
        Acronyms carry the language of their script and must be matched
        case-sensitively.
        """
        seen: set[tuple[str, str, str, bool]] = set()
        for table in (self.orgs, self.places):
            for e in table.values():
                forms = [(n, lang, False) for lang, n in e.names.items()]
                forms += [(a, lang, False) for lang, al in e.aliases.items() for a in al]
                forms += [(a, _script_lang(a), True) for a in e.acronyms]
                for form, lang, acro in forms:
                    item = (form, lang, e.key, acro)
                    if item not in seen:
                        seen.add(item)
                        yield item

    def adjective_forms(self) -> Iterator[tuple[str, str, str]]:
        """(form, lang, country code) for nationality adjectives, with the Arabic
        definite forms derived (أردنية -> الأردنية): for the extractor's gazetteer."""
        for p in self.places.values():
            for lang, forms in p.adjectives.items():
                for form in forms:
                    yield form, lang, p.key
                    if lang == "ar" and _definite(form) != form:
                        yield _definite(form), lang, p.key

    def country_by_adjective(self, word: str) -> str | None:
        """The country code of a nationality adjective ("Jordanian", "الأردنية",
        "والأردني"), or None."""
        code = self._adjectives.get(fold(word))
        if code is None:
            k = name_key(word)
            code = self._adjective_keys.get(k) if k else None
        return code

    # -- hierarchy -----------------------------------------------------------
    def parents(self, key: str) -> list[str]:
        """The ancestors of an organization, nearest first (loading rejects cycles)."""
        out: list[str] = []
        e = self.orgs.get(key)
        while e is not None and e.parent:
            out.append(e.parent)
            e = self.orgs.get(e.parent)
        return out

    def units_of(self, key: str, transitive: bool = False) -> list[str]:
        """The units whose parent is ``key``, in file order; with ``transitive``
        also their units, breadth first."""
        out = list(self._children.get(key, []))
        if transitive:
            i = 0
            while i < len(out):
                out += self._children.get(out[i], [])
                i += 1
        return out

    # -- RDF -----------------------------------------------------------------
    def _index(self) -> dict[URIRef, list[tuple]]:
        """Subject -> its triples, built once (to_graph and describe read it)."""
        if self._triples is None:
            self._triples = {}
            for e in self.orgs.values():
                self._triples[self.iri(e.key)] = list(_org_triples(self, e))
            for p in self.places.values():
                self._triples[self.iri(p.key)] = list(_place_triples(self, p))
        return self._triples

    def to_graph(self) -> Graph:
        """The registry graph (identifier ``id:graph/registry``), per docs/model.md."""
        g = _bound(Graph(identifier=REGISTRY_GRAPH))
        for triples in self._index().values():
            for t in triples:
                g.add(t)
        return g

    def describe(self, iris: Iterable[Any]) -> Graph:
        """The registry triples about ``iris`` and, transitively, their parents,
        countries and containing places: what per-item SHACL validation needs
        besides the item graph. IRIs that are not registry nodes are ignored."""
        g = Graph()
        for t in self.describe_triples(iris):
            g.add(t)
        return g

    def describe_triples(self, iris: Iterable[Any]) -> list[tuple]:
        """What :meth:`describe` holds, as a list (no rdflib graph to build)."""
        index = self._index()
        todo = [URIRef(str(i)) for i in iris]
        done: set[URIRef] = set()
        out: list[tuple] = []
        while todo:
            node = todo.pop()
            if node in done or node not in index:
                continue
            done.add(node)
            for t in index[node]:
                out.append(t)
                if t[1] in _FOLLOW:
                    todo.append(t[2])
        return out


_FOLLOW = frozenset({ORG.subOrganizationOf, LMG.country, SDO.containedInPlace})


def _bound(g: Graph) -> Graph:
    for prefix, ns in _SCHEMA.prefixes.items():
        if prefix != "sh":
            g.bind(prefix, ns, override=True, replace=True)
    g.bind("id", str(ID))
    return g


def _name_forms(e: Entry) -> list[str]:
    """Names and aliases (not acronyms) of an entry."""
    return list(e.names.values()) + [a for al in e.aliases.values() for a in al]


def _label_triples(s: URIRef, e: Entry) -> Iterator[tuple]:
    for lang, n in e.names.items():
        lit = Literal(n, lang=lang)
        yield s, SKOS.prefLabel, lit
        yield s, RDFS.label, lit
    for lang, al in e.aliases.items():
        for a in al:
            yield s, SKOS.altLabel, Literal(a, lang=lang)
    for a in e.acronyms:
        yield s, SKOS.altLabel, Literal(a, lang=_script_lang(a))
        yield s, SDO.alternateName, Literal(a)
    yield s, LMG.registryKey, Literal(e.key)


def _org_triples(reg: Registry, e: OrgEntry) -> Iterator[tuple]:
    s = reg.iri(e.key)
    yield s, RDF.type, _SCHEMA.class_of("Organization", e.kind)
    yield s, RDF.type, _SCHEMA.entity_types["Organization"].rdf_class
    yield from _label_triples(s, e)
    if e.parent:
        yield s, ORG.subOrganizationOf, reg.iri(e.parent)
    if e.country:
        yield s, LMG.country, reg.iri(e.country)


def _place_triples(reg: Registry, p: PlaceEntry) -> Iterator[tuple]:
    s = reg.iri(p.key)
    yield s, RDF.type, _SCHEMA.class_of("Place", p.kind)
    yield s, RDF.type, _SCHEMA.entity_types["Place"].rdf_class
    yield from _label_triples(s, p)
    if p.kind == "Country":
        yield s, LMG.isoCode, Literal(p.key)
        for lang, forms in p.adjectives.items():
            for form in forms:
                yield s, LMG.demonym, Literal(form, lang=lang)
    elif p.country:
        yield s, SDO.containedInPlace, reg.iri(p.country)
        yield s, LMG.country, reg.iri(p.country)


# -- loading --------------------------------------------------------------------

@dataclass
class _Problem:
    file: Path
    message: str
    index: int | None = None  # position of the entry in its YAML list (for the line number)
    section: str | None = None  # places.yaml: "countries" / "regions" / "countries.N.cities"
    line: int | None = None


class _Load:
    """One load: parses the files, builds entries and collects problems."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[_Problem] = []
        self.orgs: dict[str, OrgEntry] = {}
        self.places: dict[str, PlaceEntry] = {}
        self.where: dict[str, tuple[Path, int | None, str | None]] = {}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def problem(self, file: Path, message: str, index: int | None = None, section: str | None = None) -> None:
        self.problems.append(_Problem(file, message, index, section))

    def parse(self, path: Path) -> Any:
        try:
            with path.open("rb") as fh:
                return yaml.load(fh, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            self.problems.append(_Problem(path, f"YAML syntax error: {where}{exc.problem or exc}",
                                          line=mark.line + 1 if mark else None))
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            self.problems.append(_Problem(path, f"cannot read: {exc}"))
        return None

    # -- field readers (each reports and returns a cleaned value) ------------
    def names(self, raw: Any, file: Path, idx: int, label: str, section: str | None = None) -> dict[str, str]:
        if not isinstance(raw, dict):
            self.problem(file, f"{label}: 'name' must be a mapping {{en: ..., ar: ...}}", idx, section)
            return {}
        out: dict[str, str] = {}
        for lang, value in raw.items():
            if not isinstance(lang, str) or not _LANG_RE.match(lang):
                self.problem(file, f"{label}: name language {lang!r} is not a language code", idx, section)
            elif not isinstance(value, str) or not value.strip():
                if lang not in ("en", "ar"):  # a missing en/ar is reported below
                    self.problem(file, f"{label}: name.{lang} must be a non-empty string", idx, section)
            else:
                out[lang] = value.strip()
        missing = [lang for lang in ("en", "ar") if lang not in out]
        if missing:
            self.problem(file, f"{label}: missing {' and '.join(missing)} name", idx, section)
        return out

    def aliases(self, raw: Any, file: Path, idx: int, label: str, section: str | None = None,
                what: str = "aliases") -> dict[str, list[str]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(file, f"{label}: '{what}' must be a mapping of language to list", idx, section)
            return {}
        out: dict[str, list[str]] = {}
        for lang, values in raw.items():
            if not isinstance(lang, str) or not _LANG_RE.match(lang):
                self.problem(file, f"{label}: {what} language {lang!r} is not a language code", idx, section)
                continue
            if values is None:
                continue
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                self.problem(file, f"{label}: {what}.{lang} must be a list of non-empty strings", idx, section)
                continue
            out[lang] = list(dict.fromkeys(v.strip() for v in values))
        return out

    def key(self, raw: Any, file: Path, idx: int, section: str | None = None) -> str | None:
        if not isinstance(raw, str) or not _KEY_RE.match(raw):
            what = "missing key" if raw is None else f"bad key {raw!r} (letters, digits, '.', '_', '-')"
            self.problem(file, f"entry #{idx + 1}: {what}", idx, section)
            return None
        return raw

    def claim(self, key: str, file: Path, idx: int, section: str | None = None, label: str = "entry") -> bool:
        """Register a key; a key already taken (in any file) is a problem."""
        if key in self.where:
            other, oidx, osection = self.where[key]
            line = _entry_line(other, oidx, osection) if oidx is not None else None
            self.problem(file, f"{label} {key!r}: duplicate key (already defined in "
                               f"{self.rel(other)}{':' + str(line) if line else ''})", idx, section)
            return False
        self.where[key] = (file, idx, section)
        return True

    def unknown_fields(self, raw: dict, allowed: set[str], file: Path, idx: int, label: str,
                       section: str | None = None) -> None:
        extra = [k for k in raw if k not in allowed and k not in _INFO_FIELDS]
        if extra:
            self.problem(file, f"{label}: unknown field {', '.join(map(repr, extra))} "
                               f"(known: {', '.join(sorted(allowed))})", idx, section)

    # -- places ----------------------------------------------------------------
    def load_places(self, path: Path) -> None:
        if not path.is_file():
            self.problem(path, "places file missing (countries are checked against it)")
            return
        raw = self.parse(path)
        if raw is None:
            return
        if not isinstance(raw, dict):
            self.problem(path, "expected a mapping with 'countries' and 'regions'")
            return
        for k in raw:
            if k not in ("countries", "regions"):
                self.problem(path, f"unknown section {k!r} (known: countries, regions)")
        countries = raw.get("countries") or []
        if not isinstance(countries, list):
            self.problem(path, "'countries' must be a list")
            countries = []
        pending_cities: list[tuple[dict, int, str, str]] = []
        for i, c in enumerate(countries):
            if not isinstance(c, dict):
                self.problem(path, f"country #{i + 1}: expected a mapping", i, "countries")
                continue
            code = c.get("code")
            if not isinstance(code, str) or not _CODE_RE.match(code):
                self.problem(path, f"country #{i + 1}: bad code {code!r} (ISO 3166-1 alpha-2, upper case)",
                             i, "countries")
                continue
            label = f"country {code!r}"
            self.unknown_fields(c, _COUNTRY_FIELDS, path, i, label, "countries")
            names = self.names(c.get("name"), path, i, label, "countries")
            aliases = self.aliases(c.get("aliases"), path, i, label, "countries")
            adjectives = self.aliases(c.get("adjectives"), path, i, label, "countries", what="adjectives")
            if self.claim(code, path, i, "countries", "country") and names.keys() >= {"en", "ar"}:
                self.places[code] = PlaceEntry(code, "Country", names, aliases, code, adjectives, self.rel(path))
            cities = c.get("cities") or []
            if not isinstance(cities, list):
                self.problem(path, f"{label}: 'cities' must be a list", i, "countries")
                continue
            for j, city in enumerate(cities):
                pending_cities.append((city, j, f"countries.{i}.cities", code))
        for city, j, section, code in pending_cities:
            self.place_entry(path, city, j, section, "City", _CITY_FIELDS, code)
        regions = raw.get("regions") or []
        if not isinstance(regions, list):
            self.problem(path, "'regions' must be a list")
            regions = []
        for j, r in enumerate(regions):
            country = r.get("country") if isinstance(r, dict) else None
            self.place_entry(path, r, j, "regions", "Region", _REGION_FIELDS, country)

    def place_entry(self, path: Path, raw: Any, idx: int, section: str, kind: str, allowed: set[str],
                    country: Any) -> None:
        what = kind.lower()
        if not isinstance(raw, dict):
            self.problem(path, f"{what} #{idx + 1}: expected a mapping", idx, section)
            return
        key = self.key(raw.get("key"), path, idx, section)
        if key is None:
            return
        label = f"{what} {key!r}"
        self.unknown_fields(raw, allowed, path, idx, label, section)
        names = self.names(raw.get("name"), path, idx, label, section)
        aliases = self.aliases(raw.get("aliases"), path, idx, label, section)
        if country is not None:
            if not isinstance(country, str) or country.upper() not in self.places \
                    or self.places[country.upper()].kind != "Country":
                self.problem(path, f"{label}: unknown country {country!r} (not a country of places.yaml)",
                             idx, section)
                country = None
            else:
                country = country.upper()
        if self.claim(key, path, idx, section, what) and names.keys() >= {"en", "ar"}:
            self.places[key] = PlaceEntry(key, kind, names, aliases, country, {}, self.rel(path))

    # -- organizations ---------------------------------------------------------
    def load_orgs(self, path: Path) -> list[tuple[OrgEntry, int]]:
        raw = self.parse(path)
        if raw is None:
            return []
        if isinstance(raw, dict) and set(raw) == {"organizations"}:
            raw = raw["organizations"] or []
        if not isinstance(raw, list):
            self.problem(path, "expected a YAML list of organization entries")
            return []
        out = []
        for i, r in enumerate(raw):
            if not isinstance(r, dict):
                self.problem(path, f"entry #{i + 1}: expected a mapping", i)
                continue
            key = self.key(r.get("key"), path, i)
            if key is None:
                continue
            label = f"entry {key!r}"
            self.unknown_fields(r, _ORG_FIELDS, path, i, label)
            ok = True
            kind = r.get("kind")
            if kind not in ORG_KINDS:
                self.problem(path, f"{label}: unknown kind {kind!r} (one of {', '.join(ORG_KINDS)})", i)
                ok = False
            names = self.names(r.get("name"), path, i, label)
            ok = ok and names.keys() >= {"en", "ar"}
            acronyms = r.get("acronyms") or []
            if isinstance(acronyms, str):
                acronyms = [acronyms]
            if not isinstance(acronyms, list) or not all(isinstance(a, str) and a.strip() for a in acronyms):
                self.problem(path, f"{label}: 'acronyms' must be a list of non-empty strings", i)
                acronyms = []
            aliases = self.aliases(r.get("aliases"), path, i, label)
            parent = r.get("parent")
            if parent is not None and not isinstance(parent, str):
                self.problem(path, f"{label}: 'parent' must be a registry key", i)
                parent = None
            country = r.get("country")
            if country is not None:
                if not isinstance(country, str) or country.upper() not in self.places \
                        or self.places[country.upper()].kind != "Country":
                    self.problem(path, f"{label}: unknown country {country!r} (not a country of places.yaml)", i)
                    country = None
                else:
                    country = country.upper()
            if self.claim(key, path, i) and ok:
                e = OrgEntry(key, kind, names, list(dict.fromkeys(a.strip() for a in acronyms)), aliases,
                             parent, country, self.rel(path))
                self.orgs[key] = e
                out.append((e, i))
        return out

    def check_parents(self, located: dict[str, tuple[Path, int]]) -> None:
        for key, e in self.orgs.items():
            if e.parent is None:
                continue
            file, idx = located[key]
            if e.parent == key:
                self.problem(file, f"entry {key!r}: is its own parent", idx)
            elif e.parent not in self.orgs:
                where = "a place, not an organization" if e.parent in self.places else \
                        "an entry with problems" if e.parent in self.where else "not in the registry"
                self.problem(file, f"entry {key!r}: parent {e.parent!r} is {where}", idx)
        reported: set[str] = set()
        for key in self.orgs:
            chain = [key]
            e = self.orgs[key]
            while e.parent in self.orgs and e.parent != e.key:
                if e.parent in chain:
                    cycle = chain[chain.index(e.parent):]
                    if not reported & set(cycle):
                        reported |= set(cycle)
                        file, idx = located[cycle[0]]
                        self.problem(file, f"entry {cycle[0]!r}: parent cycle "
                                           f"{' -> '.join(cycle + [cycle[0]])}", idx)
                    break
                chain.append(e.parent)
                e = self.orgs[e.parent]

    def check_collisions(self, located: dict[str, tuple[Path, int | None, str | None]]) -> None:
        """Two entries of one table with one name key are ambiguous, unless both
        belong to different countries (the country tells them apart)."""
        for table in (self.orgs, self.places):
            seen: dict[str, list[tuple[Entry, str, str]]] = {}
            for e in table.values():
                forms = [(n, "name") for n in e.names.values()]
                forms += [(a, "alias") for al in e.aliases.values() for a in al]
                forms += [(a, "acronym") for a in e.acronyms]
                reported: set[str] = set()
                for form, what in forms:
                    k = name_key(form)
                    if not k:
                        file, idx, section = located[e.key]
                        self.problem(file, f"entry {e.key!r}: {what} {form!r} has no content words", idx, section)
                        continue
                    others = seen.setdefault(k, [])
                    for o, oform, owhat in others:
                        if o.key == e.key or o.key in reported or (o.country and e.country and o.country != e.country):
                            continue
                        reported.add(o.key)
                        file, idx, section = located[e.key]
                        self.problem(file, f"entry {e.key!r}: {what} {form!r} collides with {owhat} {oform!r} of "
                                           f"{o.key!r} ({o.source}): same name key {k!r}", idx, section)
                    others.append((e, form, what))
        adjectives: dict[str, str] = {}
        for p in self.places.values():
            for forms in p.adjectives.values():
                for form in forms:
                    k = name_key(form)
                    if k in adjectives and adjectives[k] != p.key:
                        file, idx, section = located[p.key]
                        self.problem(file, f"country {p.key!r}: adjective {form!r} is also an adjective of "
                                           f"{adjectives[k]!r}", idx, section)
                    adjectives.setdefault(k, p.key)

    def error(self) -> RegistryError:
        for p in self.problems:
            if p.line is None and p.index is not None:
                p.line = _entry_line(p.file, p.index, p.section)
        lines = [f"{self.rel(p.file)}{':' + str(p.line) if p.line else ''}: {p.message}"
                 for p in self.problems[:MAX_REPORTED]]
        more = len(self.problems) - MAX_REPORTED
        if more > 0:
            lines.append(f"... and {more} more")
        n = len(self.problems)
        err = RegistryError(f"{n} problem{'s' if n != 1 else ''} in the registry:\n  " + "\n  ".join(lines),
                            self.root)
        err.problems = [(str(p.file), p.line, p.message) for p in self.problems]  # type: ignore[attr-defined]
        return err


_LINE_CACHE: dict[Path, Any] = {}


def _entry_line(file: Path, index: int, section: str | None) -> int | None:
    """The line of the ``index``-th entry of a list in a YAML file (only computed on errors)."""
    try:
        if file not in _LINE_CACHE:
            with file.open("rb") as fh:
                _LINE_CACHE[file] = yaml.compose(fh, Loader=_Loader)
        node = _LINE_CACHE[file]
        for part in (section.split(".") if section else []):
            if isinstance(node, yaml.MappingNode):
                node = next(v for k, v in node.value if k.value == part)
            else:
                node = node.value[int(part)]
        if isinstance(node, yaml.MappingNode) and not section:
            node = next(v for k, v in node.value if k.value == "organizations")
        return node.value[index].start_mark.line + 1
    except Exception:  # noqa: BLE001 - a line number is a courtesy, never a failure
        return None


def load_registry(path: str | Path | None = None) -> Registry:
    """Load and check the registry folder (default: the bundled ``data/registry``).

    Raises RegistryError listing every problem found (up to MAX_REPORTED),
    each with its file, line and entry.
    """
    root = Path(path) if path is not None else data_path("registry")
    if not root.is_dir():
        raise RegistryError("registry folder not found", root)
    ld = _Load(root)
    _LINE_CACHE.clear()
    ld.load_places(root / "places.yaml")
    org_dir = root / "organizations"
    files = sorted(org_dir.glob("*.yaml")) + sorted(org_dir.glob("*.yml")) if org_dir.is_dir() else []
    located: dict[str, tuple[Path, int]] = {}
    for f in files:
        for e, i in ld.load_orgs(f):
            located[e.key] = (f, i)
    ld.check_parents(located)
    ld.check_collisions({k: v for k, v in ld.where.items()})
    if ld.problems:
        raise ld.error()
    return Registry(ld.orgs, ld.places, root)


@cache
def default_registry() -> Registry:
    """The bundled registry, loaded once per process."""
    return load_registry()
