"""kg.registry: loading, checking, resolution, gazetteer forms and the registry graph.

Most tests run on small registries written into tmp_path, so they do not
depend on the bundled data; ``test_bundled_registry`` checks the real one.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from kg.errors import RegistryError
from kg.iri import ID, LMG, ORG, REGISTRY_GRAPH, SDO, SKOS
from kg.registry import Registry, default_registry, load_registry

PLACES = """\
countries:
  - code: JO
    name: {en: Jordan, ar: الأردن}
    aliases: {en: [Hashemite Kingdom of Jordan], ar: [المملكة الأردنية الهاشمية]}
    adjectives: {en: [Jordanian], ar: [أردني, أردنية]}
    cities:
      - key: amman
        name: {en: Amman, ar: عمّان}
        aliases: {en: [Amman city]}
  - code: LB
    name: {en: Lebanon, ar: لبنان}
    adjectives: {en: [Lebanese], ar: [لبناني, لبنانية]}
    cities:
      - key: beirut
        name: {en: Beirut, ar: بيروت}
  - code: OM
    name: {en: Oman, ar: عُمان}
    adjectives: {en: [Omani], ar: [عماني, عمانية]}
  - code: US
    name: {en: United States, ar: الولايات المتحدة}
    aliases: {en: [USA, United States of America]}
    adjectives: {en: [American], ar: [أمريكي, أمريكية]}
regions:
  - key: kurdistan-region
    name: {en: Kurdistan Region, ar: إقليم كردستان}
    country: JO
"""

UN = """\
- key: iom
  kind: IntergovernmentalOrganization
  name: {en: International Organization for Migration, ar: المنظمة الدولية للهجرة, fr: Organisation internationale pour les migrations}
  acronyms: [IOM, OIM]
  aliases: {ar: [منظمة الهجرة الدولية]}
- key: iom-jo
  kind: OrganizationalUnit
  name: {en: IOM Jordan, ar: المنظمة الدولية للهجرة في الأردن}
  aliases: {en: [IOM Jordan office], ar: [مكتب المنظمة الدولية للهجرة في الأردن]}
  parent: iom
  country: JO
- key: iom-jo-amman
  kind: OrganizationalUnit
  name: {en: IOM Amman sub-office, ar: مكتب المنظمة الدولية للهجرة في عمان}
  parent: iom-jo
  country: JO
- key: iom-lb
  kind: OrganizationalUnit
  name: {en: IOM Lebanon, ar: المنظمة الدولية للهجرة في لبنان}
  parent: iom
  country: LB
"""

GOV = """\
- key: mol-jo
  kind: GovernmentBody
  name: {en: Ministry of Labour (Jordan), ar: وزارة العمل الأردنية}
  aliases: {en: [Ministry of Labour], ar: [وزارة العمل]}
  acronyms: [MoL]
  country: JO
- key: mol-lb
  kind: GovernmentBody
  name: {en: Ministry of Labour (Lebanon), ar: وزارة العمل اللبنانية}
  aliases: {en: [Ministry of Labour], ar: [وزارة العمل]}
  country: LB
- key: state-us
  kind: GovernmentBody
  name: {en: United States Department of State, ar: وزارة الخارجية الأمريكية}
  aliases: {en: [State Department, U.S. Department of State]}
  country: US
- key: jtip
  kind: OrganizationalUnit
  name: {en: Office to Monitor and Combat Trafficking in Persons, ar: مكتب مراقبة ومكافحة الاتجار بالأشخاص}
  acronyms: [J/TIP]
  parent: state-us
  country: US
"""


def write(root: Path, places: str = PLACES, **orgs: str) -> Path:
    (root / "organizations").mkdir(parents=True, exist_ok=True)
    if places is not None:
        (root / "places.yaml").write_text(places, encoding="utf-8")
    for name, text in orgs.items():
        (root / "organizations" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def reg(tmp_path: Path) -> Registry:
    return load_registry(write(tmp_path, un=UN, gov=GOV))


def errors_of(root: Path) -> str:
    with pytest.raises(RegistryError) as exc:
        load_registry(root)
    return str(exc.value)


# -- loading ---------------------------------------------------------------------

def test_loads_entries(reg: Registry) -> None:
    assert len(reg.orgs) == 8 and "iom" in reg and "JO" in reg and "amman" in reg
    iom = reg.orgs["iom"]
    assert iom.kind == "IntergovernmentalOrganization"
    assert iom.names["fr"].startswith("Organisation")
    assert iom.acronyms == ["IOM", "OIM"] and iom.source == "organizations/un.yaml"
    assert reg.places["JO"].kind == "Country" and reg.places["JO"].country == "JO"
    assert reg.places["amman"].country == "JO" and reg.places["amman"].kind == "City"
    assert reg.places["kurdistan-region"].kind == "Region"


def test_iri_and_key_of(reg: Registry) -> None:
    assert reg.iri("iom-jo") == URIRef(f"{ID}org/iom-jo")
    assert reg.iri("JO") == URIRef(f"{ID}place/JO")
    assert reg.key_of(f"{ID}org/iom-jo") == "iom-jo"
    assert reg.key_of(URIRef(f"{ID}place/amman")) == "amman"
    assert reg.key_of(f"{ID}org/unknown") is None
    with pytest.raises(KeyError):
        reg.iri("nope")


def test_hierarchy(reg: Registry) -> None:
    assert reg.parents("iom-jo-amman") == ["iom-jo", "iom"]
    assert reg.parents("iom") == []
    assert reg.units_of("iom") == ["iom-jo", "iom-lb"]
    assert reg.units_of("iom", transitive=True) == ["iom-jo", "iom-lb", "iom-jo-amman"]


# -- resolution ------------------------------------------------------------------

@pytest.mark.parametrize("name, kw, key", [
    ("International Organization for Migration", {}, "iom"),
    ("المنظمة الدولية للهجرة", {}, "iom"),
    ("والمنظمة الدولية للهجرة", {}, "iom"),          # leading clitic
    ("المنظمه الدوليه للهجره", {}, "iom"),            # ta marbuta spelled ha
    ("IOM", {}, "iom"),
    ("Iom", {}, None),                                 # acronyms are case-sensitive
    ("iom", {}, None),
    ("OIM", {}, "iom"),
    ("J/TIP", {}, "jtip"),
    ("the U.S. Department of State", {}, "state-us"),
    ("Organisation internationale pour les migrations", {}, "iom"),
    ("IOM Jordan office", {}, "iom-jo"),
    ("وزارة العمل", {}, None),                        # shared by two countries: ambiguous
    ("وزارة العمل", {"country": "JO"}, "mol-jo"),
    ("Ministry of Labour", {"country": "lb"}, "mol-lb"),
    ("Ministry of Labour", {"country": "EG"}, None),   # neither: not the other countries' ministries
    ("MoL", {"country": "LB"}, None),
    ("IOM", {"country": "LB"}, "iom"),                 # no country: fits every country
    ("Jordan", {"type": "Place"}, "JO"),
    ("الأردن", {"type": "Place"}, "JO"),
    ("Jordan", {}, None),                              # not an organization
    ("Amman", {"type": "Place"}, "amman"),
    ("عمان", {"type": "Place"}, None),                 # Amman or Oman
    ("عمان", {"type": "Place", "kind": "City"}, "amman"),
    ("عمان", {"type": "Place", "country": "OM"}, "OM"),
    ("Beirut", {"type": None}, "beirut"),
    ("", {}, None),
    ("the", {}, None),
])
def test_resolve(reg: Registry, name: str, kw: dict, key: str | None) -> None:
    assert reg.resolve(name, **kw) == key


def test_surface_forms(reg: Registry) -> None:
    forms = list(reg.surface_forms())
    assert ("IOM", "en", "iom", True) in forms
    assert ("المنظمة الدولية للهجرة", "ar", "iom", False) in forms
    assert ("Organisation internationale pour les migrations", "fr", "iom", False) in forms
    assert ("منظمة الهجرة الدولية", "ar", "iom", False) in forms
    assert ("Amman city", "en", "amman", False) in forms
    assert ("الأردن", "ar", "JO", False) in forms
    assert len(forms) == len(set(forms))
    assert not any(f == "أردنية" for f, *_ in forms)  # adjectives are not names of the country


def test_country_by_adjective(reg: Registry) -> None:
    for word in ("Jordanian", "jordanian", "أردني", "أردنية", "الأردنية", "الاردنيه", "والأردني"):
        assert reg.country_by_adjective(word) == "JO", word
    assert reg.country_by_adjective("اللبنانية") == "LB"
    assert reg.country_by_adjective("لبناني") == "LB"
    assert reg.country_by_adjective("Syrian") is None
    forms = set(reg.adjective_forms())
    assert {("أردنية", "ar", "JO"), ("الأردنية", "ar", "JO"), ("Jordanian", "en", "JO")} <= forms
    assert ("الJordanian", "en", "JO") not in forms


# -- RDF -------------------------------------------------------------------------

def test_to_graph(reg: Registry) -> None:
    g = reg.to_graph()
    assert g.identifier == REGISTRY_GRAPH
    iom, jo, amman = reg.iri("iom"), reg.iri("JO"), reg.iri("amman")
    unit = reg.iri("iom-jo")
    assert (unit, RDF.type, ORG.OrganizationalUnit) in g and (unit, RDF.type, ORG.Organization) in g
    assert (iom, RDF.type, LMG.IntergovernmentalOrganization) in g
    assert (iom, SKOS.prefLabel, Literal("International Organization for Migration", lang="en")) in g
    assert (iom, RDFS.label, Literal("المنظمة الدولية للهجرة", lang="ar")) in g
    assert (iom, SKOS.prefLabel, Literal("Organisation internationale pour les migrations", lang="fr")) in g
    assert (iom, SKOS.altLabel, Literal("منظمة الهجرة الدولية", lang="ar")) in g
    assert (iom, SDO.alternateName, Literal("IOM")) in g
    assert (iom, LMG.registryKey, Literal("iom")) in g
    assert (unit, ORG.subOrganizationOf, iom) in g and (unit, LMG.country, jo) in g
    assert (jo, RDF.type, SDO.Country) in g and (jo, LMG.isoCode, Literal("JO")) in g
    assert (jo, LMG.demonym, Literal("أردنية", lang="ar")) in g
    assert (jo, LMG.demonym, Literal("Jordanian", lang="en")) in g
    assert (amman, RDF.type, SDO.City) in g and (amman, SDO.containedInPlace, jo) in g
    assert (reg.iri("kurdistan-region"), RDF.type, SDO.AdministrativeArea) in g
    # every node has prefLabels in English and Arabic
    for s in set(g.subjects(RDF.type, None)):
        langs = {o.language for o in g.objects(s, SKOS.prefLabel)}
        assert {"en", "ar"} <= langs, s


def test_describe_follows_parents_and_countries(reg: Registry) -> None:
    d = reg.describe([reg.iri("iom-jo-amman"), URIRef(f"{ID}org/not-registry")])
    subjects = set(d.subjects())
    assert subjects == {reg.iri("iom-jo-amman"), reg.iri("iom-jo"), reg.iri("iom"), reg.iri("JO")}
    full = reg.to_graph()
    for s in subjects:
        assert set(d.triples((s, None, None))) == set(full.triples((s, None, None)))
    assert set(reg.describe([reg.iri("amman")]).subjects()) == {reg.iri("amman"), reg.iri("JO")}
    assert len(reg.describe([])) == 0


def test_registry_graph_conforms_to_shapes(reg: Registry) -> None:
    import pyshacl
    from kg.ontology import load_ontology, load_shapes

    ok, _, text = pyshacl.validate(reg.to_graph(), shacl_graph=load_shapes(), ont_graph=load_ontology(),
                                   inference="none")
    assert ok, text


# -- errors ----------------------------------------------------------------------

def test_errors_are_collected_with_file_line_and_entry(tmp_path: Path) -> None:
    bad = """\
    - key: a
      kind: Office
      name: {en: A, ar: أ}
    - key: b
      kind: GovernmentBody
      name: {en: B}
      country: XX
    - key: c
      kind: GovernmentBody
      name: {en: C org, ar: ج}
      parent: nowhere
    """
    msg = errors_of(write(tmp_path, bad=bad))
    assert msg.startswith(f"{tmp_path}: 4 problems in the registry")
    assert "organizations/bad.yaml:1: entry 'a': unknown kind 'Office'" in msg
    assert "organizations/bad.yaml:4: entry 'b': missing ar name" in msg
    assert "organizations/bad.yaml:4: entry 'b': unknown country 'XX'" in msg
    assert "organizations/bad.yaml:8: entry 'c': parent 'nowhere' is not in the registry" in msg


def test_duplicate_key_across_files(tmp_path: Path) -> None:
    msg = errors_of(write(tmp_path, a="- {key: x, kind: Media, name: {en: X one, ar: س}}\n",
                          b="- {key: x, kind: Media, name: {en: X two, ar: ص}}\n"))
    assert "organizations/b.yaml:1: entry 'x': duplicate key (already defined in organizations/a.yaml:1)" in msg


def test_org_key_may_not_shadow_a_place(tmp_path: Path) -> None:
    msg = errors_of(write(tmp_path, a="- {key: amman, kind: Media, name: {en: Amman Net, ar: عمان نت}}\n"))
    assert "entry 'amman': duplicate key (already defined in places.yaml:7)" in msg


def test_parent_cycle(tmp_path: Path) -> None:
    text = """\
    - {key: p, kind: Media, name: {en: P, ar: ب}, parent: q}
    - {key: q, kind: Media, name: {en: Q, ar: ق}, parent: r}
    - {key: r, kind: Media, name: {en: R, ar: ر}, parent: p}
    - {key: s, kind: Media, name: {en: S, ar: س}, parent: s}
    """
    msg = errors_of(write(tmp_path, c=text))
    assert "parent cycle p -> q -> r -> p" in msg
    assert "entry 's': is its own parent" in msg
    assert msg.count("parent cycle") == 1


def test_name_collisions_name_both_entries(tmp_path: Path) -> None:
    text = """\
    - {key: unhcr, kind: IntergovernmentalOrganization, name: {en: UNHCR agency, ar: المفوضية}, acronyms: [UNHCR]}
    - key: unhcr-jo
      kind: OrganizationalUnit
      name: {en: UNHCR Jordan, ar: المفوضية في الأردن}
      aliases: {en: [unhcr], ar: [والمفوضية]}
      country: JO
    """
    msg = errors_of(write(tmp_path, u=text))
    assert "entry 'unhcr-jo': alias 'unhcr' collides with acronym 'UNHCR' of 'unhcr' " \
           "(organizations/u.yaml): same name key 'unhcr'" in msg
    assert "entry 'unhcr-jo': alias 'والمفوضية' collides with name 'المفوضية' of 'unhcr'" not in msg  # once per pair
    assert "1 problem in the registry" in msg


def test_same_name_in_two_countries_is_allowed_but_not_in_one(tmp_path: Path) -> None:
    text = GOV + """\
- key: mol-jo-2
  kind: GovernmentBody
  name: {en: Labour Ministry, ar: وزارة العمل والتشغيل}
  aliases: {ar: [وزارة العمل]}
  country: JO
"""
    msg = errors_of(write(tmp_path, gov=text))
    assert "entry 'mol-jo-2': alias 'وزارة العمل' collides with alias 'وزارة العمل' of 'mol-jo'" in msg
    assert "mol-lb" not in msg


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    write(tmp_path, good=UN, broken="- key: x\n  kind: Media\n  name: {en: X, ar: [unclosed\n")
    msg = errors_of(tmp_path)
    assert "organizations/broken.yaml:" in msg and "YAML syntax error: line 4" in msg


def test_missing_places_and_bad_fields(tmp_path: Path) -> None:
    write(tmp_path, places=None, a="- {key: x, kind: Media, name: {en: X, ar: س}, country: JO, contry: JO}\n")
    msg = errors_of(tmp_path)
    assert "places.yaml: places file missing" in msg
    assert "unknown field 'contry'" in msg
    assert "unknown country 'JO'" in msg


def test_places_errors(tmp_path: Path) -> None:
    places = PLACES + """\
  - key: amman
    name: {en: Amman again, ar: عمان}
  - key: nowhere-land
    name: {en: Nowhere, ar: لا مكان}
    country: ZZ
"""
    places = places.replace("  - code: OM\n", "  - code: om\n")
    msg = errors_of(write(tmp_path, places=places))
    assert "places.yaml:27: region 'amman': duplicate key (already defined in places.yaml:7)" in msg
    assert "region 'nowhere-land': unknown country 'ZZ'" in msg
    assert "country #3: bad code 'om'" in msg


def test_many_errors_are_truncated(tmp_path: Path) -> None:
    text = "".join(f"- {{key: k{i}, kind: Nope, name: {{en: N{i}, ar: ن}}}}\n" for i in range(50))
    msg = errors_of(write(tmp_path, many=text))
    assert "50 problems" in msg and "... and 20 more" in msg


def test_error_carries_problem_list(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as exc:
        load_registry(write(tmp_path, a="- {key: x, kind: Nope, name: {en: X, ar: س}}\n"))
    assert exc.value.problems == [(str(tmp_path / "organizations" / "a.yaml"), 1,
                                   "entry 'x': unknown kind 'Nope' (one of " + exc.value.problems[0][2].split("(one of ")[1])]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="registry folder not found"):
        load_registry(tmp_path / "nope")


# -- the bundled registry --------------------------------------------------------

def test_bundled_registry() -> None:
    """The real registry loads without problems and is big enough (how fast it
    loads is not asserted: timings belong to bench/)."""
    reg = load_registry()
    assert len(reg.orgs) >= 250, f"the bundled registry has only {len(reg.orgs)} organizations"
    assert default_registry() is default_registry()
    for code in ("JO", "LB", "SY", "IQ", "TR", "EG", "PS"):
        assert code in reg.places, code
