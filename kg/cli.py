"""The ``levant-kg`` command line: a thin layer over the Python API.

Each command calls the function of the same name (``build`` ->
:func:`kg.build.build`, ``query`` -> :func:`kg.queries.run_query`, ...), and
every command that prints data takes ``--format table|csv|json``. Errors in
the user's input print one line and exit with code 2.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from kg.errors import KGError

FORMATS = ("table", "csv", "json")


class UsageFailure(click.ClickException):
    """A KGError as a one-line ``Error: ...`` with exit code 2."""

    exit_code = 2


def format_option(fn: Callable) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(fn)


def user_errors(fn: Callable) -> Callable:
    """Turn KGError (and a missing file) into a one-line usage failure."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KGError as exc:
            raise UsageFailure(str(exc)) from None
        except FileNotFoundError as exc:
            raise UsageFailure(f"{exc.filename}: no such file") from None

    return wrapper


def _store(ctx: click.Context, read_only: bool = False):
    from kg.store import open_store

    return open_store(ctx.find_root().obj["store"], read_only=read_only)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="LEVANT_KG_STORE", default="kg-store", show_default=True, metavar="PATH|URL",
              help="Store folder (embedded Oxigraph), ':memory:', or a SPARQL endpoint URL.")
@click.version_option(package_name="levant-kg")
@click.pass_context
def cli(ctx: click.Context, store: str) -> None:
    """Build, validate, query and measure the knowledge graph of migration
    governance actors in the Levant, from Arabic and English news."""
    ctx.obj = {"store": store}


def _print_build(summary: Any, fmt: str) -> None:
    from kg.output import render_sections

    click.echo(summary.ingest.text(), err=True)
    render_sections(summary.sections(), fmt)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--curated", type=click.Path(exists=True), help="Folder of curated records (named by item id) that replace extraction.")
@click.option("--no-validate", is_flag=True, help="Store items without SHACL validation.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write the skipped items here (.jsonl or .csv).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes for extraction (0: one per CPU).")
@click.option("--force", is_flag=True, help="Redo every item, even those stored with the same content.")
@click.option("--progress/--no-progress", default=True, help="Progress bar with items/s on a terminal.")
@format_option
@click.pass_context
@user_errors
def build(ctx, paths, curated, no_validate, report, workers, force, progress, fmt):
    """Extract, map, validate and store news items and records (the main job).

    PATHS are files or folders of news items (.txt, .html, .xml/.rss/.atom,
    .jsonl) and annotation records (.json). Resumable: run it again after an
    interruption and it stores what is missing.
    """
    from kg.build import build as run

    with _store(ctx) as store:
        summary = run(paths, store, curated=curated, validate=not no_validate, report=report,
                      workers=workers, force=force, progress=progress)
    _print_build(summary, fmt)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--curated", type=click.Path(exists=True), help="Folder of curated records that replace extraction.")
@click.option("--no-validate", is_flag=True, help="Store items without SHACL validation.")
@format_option
@click.pass_context
@user_errors
def add(ctx, paths, curated, no_validate, fmt):
    """Add or replace a few items (an item already stored is replaced)."""
    from kg.build import add as run

    with _store(ctx) as store:
        summary = run(paths, store, curated=curated, validate=not no_validate)
    _print_build(summary, fmt)


@cli.command()
@click.argument("items", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Validate every item and the registry graph.")
@format_option
@click.pass_context
@user_errors
def validate(ctx, items, all_, fmt):
    """Validate item graphs with the SHACL shapes (exit code 1 on violations).

    ITEMS are item ids or IRIs; without them every item is validated.
    """
    from dataclasses import asdict

    from kg.output import render
    from kg.validate import validate_store

    with _store(ctx, read_only=True) as store:
        report = validate_store(store, items or None, check_registry=all_)
    if fmt == "table":
        click.echo(report.text())
    else:
        render([asdict(v) for v in report.violations], fmt,
               columns=["item_id", "item", "shape", "focus", "path", "value", "message", "severity"])
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a parameter of the query (repeatable). <...> is an IRI.")
@click.option("--list", "list_", is_flag=True, help="List the named queries with their descriptions.")
@format_option
@click.pass_context
@user_errors
def query(ctx, query, params, list_, fmt):
    """Run a named query, a .rq file or an inline SPARQL query."""
    from kg.output import render
    from kg.queries import list_queries, run_query

    if list_:
        render([{"name": q.name, "parameters": " ".join(q.param_names), "description": q.description}
                for q in list_queries()], fmt)
        return
    if not query:
        raise UsageFailure("give a query name, a .rq file or SPARQL text (or --list)")
    bound: dict[str, str] = {}
    for p in params:
        key, sep, value = p.partition("=")
        if not sep or not key.strip():
            raise UsageFailure(f"--param {p!r}: expected KEY=VALUE")
        bound[key.strip().lstrip("?$")] = value
    with _store(ctx, read_only=True) as store:
        result = run_query(store, query, bound)
    render(result, fmt)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads"]), default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
@click.pass_context
@user_errors
def export(ctx, fmt, output):
    """Export the whole graph (all named graphs) as TriG or N-Quads."""
    with _store(ctx, read_only=True) as store:
        if output:
            store.export(output, fmt)
        else:
            store.export(sys.stdout.buffer, fmt)
            sys.stdout.buffer.flush()


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads"]), default=None,
              help="Default: from the file extension.")
@click.pass_context
@user_errors
def import_(ctx, file, fmt):
    """Import a TriG or N-Quads export (each graph in it replaces the stored one)."""
    fmt = fmt or ("nquads" if file.endswith((".nq", ".nquads")) else "trig")
    with _store(ctx) as store:
        store.import_file(file, fmt)
        click.echo(f"imported {file}: the store holds {len(store)} quads in {len(store.items())} item graphs", err=True)


@cli.command()
@format_option
@click.pass_context
@user_errors
def stats(ctx, fmt):
    """Items, actors by kind and relations by type in the store."""
    from kg.build import stats as run
    from kg.output import render_sections

    with _store(ctx, read_only=True) as store:
        s = run(store)
    render_sections({"store": [{"items": s["items"]}], "actors by kind": s["actors_by_kind"],
                     "relations by type": s["relations_by_type"]}, fmt)


@cli.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--out", type=click.Path(file_okay=False), help="With a folder: write OUT/NAME.json for each item.")
@click.pass_context
@user_errors
def extract(ctx, path, out):
    """Extract the annotation record of a news item (JSON on standard output),
    or of every item in a folder (with --out)."""
    from kg.extract import extract as run
    from kg.readers import NewsItem, read_path

    p = Path(path)
    if p.is_dir() and not out:
        raise UsageFailure(f"{path}: a folder needs --out DIR")
    failures = 0
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
    for item in read_path(p):
        if not isinstance(item, NewsItem):
            click.echo(f"skipped {item.path}: {item.reason}", err=True)
            failures += 1
            continue
        meta = {k: getattr(item, k) for k in ("url", "title", "published", "source", "lang") if getattr(item, k, None)}
        record = run(item.text, item_id=item.name or item.id, meta=meta)
        if out:
            target = Path(out) / f"{item.name or item.id}.json"
            target.write_text(record.to_json() + "\n", encoding="utf-8")
        else:
            click.echo(record.to_json())
    if failures and not out:
        ctx.exit(1)


@cli.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every missed and spurious entity and relation.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@user_errors
def evaluate(gold_dir, verbose, fmt):
    """Score extraction against the gold records NAME.gold.json of GOLD_DIR."""
    from kg.evaluate import evaluate as run

    scores = run(gold_dir, verbose=verbose)
    if fmt == "json":
        click.echo(json.dumps(scores.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from kg.output import render

        rows = [{"category": c, "lang": lang, "gold": n.gold, "predicted": n.predicted, "tp": n.tp,
                 "precision": round(n.precision, 3), "recall": round(n.recall, 3), "f1": round(n.f1, 3)}
                for lang in scores.langs + ["all"] for c, n in scores.counts(lang).items()]
        render(rows, "csv")
    else:
        click.echo(scores.table(verbose=verbose))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=int)
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (read-only unless asked).")
@click.pass_context
@user_errors
def serve(ctx, host, port, writable):
    """Serve the embedded store as a SPARQL 1.1 endpoint (Oxigraph server)."""
    from kg.serve import serve as run

    ctx.exit(run(ctx.find_root().obj["store"], host=host, port=port, read_only=not writable) or 0)


def _register_networks() -> None:
    from kg.cli_networks import register

    register(cli)


_register_networks()


def main() -> None:
    cli(prog_name="levant-kg")
