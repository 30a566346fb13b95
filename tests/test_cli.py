"""End-to-end tests of the levant-kg command line on the bundled samples."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.resources import data_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = data_path("samples")
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def value(rows, what):
    """The value of row ``what`` in a what/value section of a summary."""
    return {r["what"].strip(): r["value"] for r in rows}[what]


def run(*args: str, store: Path | str | None = None):
    runner = CliRunner()
    argv = (["--store", str(store)] if store is not None else []) + list(args)
    return runner.invoke(cli, argv, catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = run("build", "--no-progress", str(SAMPLES), store=store)
    assert result.exit_code == 0, result.output
    return store


def test_every_command_has_help_and_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cli.commands, "no commands"
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and command.help.strip(), f"{name} has no help text"
        assert re.search(rf"levant-kg (?:--store \S+ )?{re.escape(name)}\b", readme), f"README does not show `levant-kg {name}`"


def test_build_summarizes_the_samples(built):
    result = run("stats", "--format", "json", store=built)
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert value(stats["store"], "items") == len(list(SAMPLES.glob("*.txt")))
    kinds = {r["kind"]: r["actors"] for r in stats["actors by kind"]}
    assert kinds.get("GovernmentBody", 0) > 10 and kinds.get("Person", 0) > 5
    types = {r["relation"] for r in stats["relations by type"]}
    assert {"funds", "organizes", "participates_in", "holds_post", "part_of"} <= types


def test_build_is_idempotent(built):
    result = run("build", "--no-progress", "--format", "json", str(SAMPLES), store=built)
    assert result.exit_code == 0
    summary = json.loads(result.output)["build"]
    assert value(summary, "stored") == 0
    assert value(summary, "unchanged (already stored)") == value(summary, "items met") == 14
    assert value(summary, "of which compacting the store") == "-"  # nothing written, nothing to compact
    forced = run("build", "--no-progress", "--compact", "--format", "json", str(SAMPLES), store=built)
    assert forced.exit_code == 0
    assert isinstance(value(json.loads(forced.output)["build"], "of which compacting the store"), float)


def test_query_list_and_named_query(built):
    listing = run("query", "--list", "--format", "json", store=built)
    names = {q["name"] for q in json.loads(listing.output)}
    assert len(names) >= 10 and {"funding", "posts", "events"} <= names
    result = run("query", "actors-by-kind", "--param", "country=JO", "--format", "json", store=built)
    assert result.exit_code == 0
    labels = {r["label"] for r in json.loads(result.output)}
    assert "IOM Jordan" in labels and "Ministry of Labour (Jordan)" in labels


def test_query_show_prints_the_sparql_and_names_its_variants():
    result = run("query", "quotes", "--show")
    assert result.exit_code == 0 and "SELECT ?quote" in result.output
    assert result.output.rstrip().endswith("variants/quotes/org.rq")
    assert "# variant, run when ?org is given:" in result.output


def test_query_arabic_labels_in_csv(built):
    result = run("query", "actors-by-kind", "-p", "country=LB", "--format", "csv", store=built)
    assert result.exit_code == 0
    assert "وزارة العمل" in result.output


def test_query_parameter_cannot_change_the_query(built):
    evil = '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #\'{'
    result = run("query", "posts", "-p", f"role={evil}", "--format", "json", store=built)
    assert result.exit_code == 0
    assert json.loads(result.output) == []
    # a country is an IRI: the value is refused before any query runs
    result = run("query", "actors-by-kind", "-p", f"country={evil}", "--format", "json", store=built)
    assert result.exit_code == 2 and "?country" in result.output and "is not an IRI" in result.output
    again = run("stats", "--format", "json", store=built)
    assert value(json.loads(again.output)["store"], "items") == len(list(SAMPLES.glob("*.txt")))


def test_inline_query_and_file(built, tmp_path):
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a <https://schema.org/NewsArticle> } }"
    inline = run("query", q, "--format", "json", store=built)
    assert json.loads(inline.output)[0]["n"] == len(list(SAMPLES.glob("*.txt")))
    f = tmp_path / "count.rq"
    f.write_text("# Count items\n" + q, encoding="utf-8")
    from_file = run("query", str(f), "--format", "json", store=built)
    assert json.loads(from_file.output) == json.loads(inline.output)


def test_missing_query_parameter_is_a_usage_error(built):
    result = run("query", "actor-profile", store=built)
    assert result.exit_code == 2
    assert "actor-profile" in result.output and "param" in result.output
    assert "Traceback" not in result.output


def test_validate_conforms(built):
    result = run("validate", store=built)
    assert result.exit_code == 0, result.output
    assert "all conform" in result.output


def test_export_import_round_trip(built, tmp_path):
    out = tmp_path / "kg.nq"
    assert run("export", "--format", "nquads", "-o", str(out), store=built).exit_code == 0
    other = tmp_path / "other"
    assert run("import", str(out), store=other).exit_code == 0
    out2 = tmp_path / "kg2.nq"
    assert run("export", "--format", "nquads", "-o", str(out2), store=other).exit_code == 0
    lines1 = set(out.read_text(encoding="utf-8").splitlines())
    lines2 = set(out2.read_text(encoding="utf-8").splitlines())
    assert lines1 == lines2 and len(lines1) > 1000


def test_store_path_that_is_a_file(tmp_path):
    f = tmp_path / "not-a-store"
    f.write_text("hello", encoding="utf-8")
    result = run("stats", store=f)
    assert result.exit_code == 2
    assert "not-a-store" in result.output and "Traceback" not in result.output


def test_malformed_record_is_reported_and_the_batch_goes_on(tmp_path):
    good = json.loads((SAMPLES / "nna-gs-iom-lb-border-training.gold.json").read_text(encoding="utf-8"))
    inputs = tmp_path / "records"
    inputs.mkdir()
    (inputs / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    bad = dict(good, relations=[{"type": "funds", "subject": "nobody", "object": "x"}])
    bad["item"] = dict(good["item"], id="bad-item")
    (inputs / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = run("build", "--no-progress", "--format", "json", str(inputs), store=tmp_path / "store")
    assert result.exit_code == 2  # the batch went on, and says an input could not be used
    summary = json.loads(result.stdout)
    assert value(summary["build"], "stored") == 1 and value(summary["build"], "skipped") == 1
    assert "bad.json" in result.output and "nobody" in result.output


def test_extract_prints_a_record_with_exact_offsets():
    path = SAMPLES / "nna-gs-iom-lb-border-training.txt"
    result = run("extract", str(path))
    assert result.exit_code == 0
    record = json.loads(result.output)
    text = path.read_text(encoding="utf-8")
    assert record["item"]["lang"] == "ar"
    names = {e["name"] for e in record["entities"]}
    assert "International Organization for Migration" in names
    for e in record["entities"]:
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_extract_folder_writes_records(tmp_path):
    result = run("extract", str(SAMPLES), "--out", str(tmp_path))
    assert result.exit_code == 0
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert len(written) == len(list(SAMPLES.glob("*.txt")))


def test_evaluate_samples():
    """The extractor on the bundled samples, scored against their gold records."""
    result = run("evaluate", str(SAMPLES), "--format", "json")
    assert result.exit_code == 0
    scores = json.loads(result.output)
    text = json.dumps(scores)
    assert "ACTORS" in text.upper()
    from kg.evaluate import evaluate

    s = evaluate(SAMPLES)
    assert s.f1("actors") >= 0.85, s.table()
    assert s.f1("relations") >= 0.65, s.table()


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared dev corpus is not beside the checkout")
def test_evaluate_dev_corpus_meets_the_targets():
    from kg.evaluate import evaluate

    s = evaluate(DEV)
    for lang in ("ar", "en"):
        assert s.f1("actors", lang) >= 0.85, s.table()
        assert s.f1("relations", lang) >= 0.65, s.table()


def test_python_m_kg_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "build" in out.stdout


@pytest.mark.parametrize("engine", ["pyshacl", "compiled"])
def test_validate_reports_violations_by_item_and_exits_1(tmp_path, engine):
    from rdflib import Graph, Literal, URIRef

    from kg.extract import extract
    from kg.iri import DCTERMS, item_iri
    from kg.mapping import record_to_graph
    from kg.registry import default_registry
    from kg.store import open_store

    text = next(SAMPLES.glob("*.txt")).read_text(encoding="utf-8")
    g = record_to_graph(extract(text, item_id="broken-item"), default_registry())
    assert isinstance(g, Graph)
    g.remove((item_iri("broken-item"), DCTERMS.identifier, None))  # every item needs one
    g.add((item_iri("broken-item"), URIRef("http://purl.org/dc/terms/language"), Literal("Arabic")))
    store = open_store(tmp_path / "store")
    store.put_item(item_iri("broken-item"), g)
    store.close()
    result = run("validate", "--engine", engine, store=tmp_path / "store")
    assert result.exit_code == 1, result.output
    out = result.output
    assert "item broken-item" in out or f"<{item_iri('broken-item')}>" in out
    assert "News item:" in out and "dcterms:identifier" in out and "dcterms:language" in out
    as_json = run("validate", "--engine", engine, "--format", "json", store=tmp_path / "store")
    assert as_json.exit_code == 1
    import json
    rows = json.loads(as_json.output)
    assert {r["path"] for r in rows} >= {"dcterms:identifier", "dcterms:language"}
