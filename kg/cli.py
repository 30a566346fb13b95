"""The ``levant-kg`` command line: a thin layer over the Python API.

Each command calls the Python function of the same name (``build`` ->
:func:`kg.build.build`, ``query`` -> :func:`kg.queries.run_query`, ``stats``
-> :func:`kg.build.stats`, ...), so whatever the CLI does a notebook can do
too. Every command that prints data takes ``--format table|csv|json``
(:func:`kg.output.render`).

Errors in the user's input (a malformed record, a missing parameter, a path
that is not a store, a bad option) print one ``Error: ...`` line on standard
error and exit with code 2, without a traceback; ``validate`` exits with 1
when the graph breaks the shapes. Nothing is half-written: items are stored
one atomic write each, and ``export -o FILE`` writes a temporary file that
replaces FILE only when complete.

The commands of the actor networks (``centrality``, ``network``, ``plot``)
live in :mod:`kg.cli_networks`, which adds them to the group.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import click

from kg.cli_options import FORMATS, format_option, is_path, open_store_of, store_spec
from kg.errors import KGError

__all__ = ["cli", "main", "FORMATS", "format_option"]


# -- errors: one line, exit code 2 ------------------------------------------------------

def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """The main group: every usage error and KGError becomes one ``Error:`` line."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name or "levant-kg", complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _fail(exc.format_message() + hint, 2)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except KGError as exc:
            _fail(str(exc), 2)
        except (click.Abort, KeyboardInterrupt):
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except BrokenPipeError:  # `levant-kg query ... | head`
            try:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            finally:
                sys.exit(0)
        sys.exit(rv if isinstance(rv, int) else 0)


# -- helpers (the shared options are in kg/cli_options.py) ---------------------------------------

def _version() -> str:
    try:
        from importlib.metadata import version

        return version("levant-kg")
    except Exception:  # noqa: BLE001 - a source checkout without installed metadata
        return "unknown (not installed)"


def _print_version(ctx: click.Context, param: Any, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"levant-kg {_version()}")
        ctx.exit(0)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        key, sep, value = p.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not key:
            raise click.BadParameter(f"{p!r}: expected NAME=VALUE", param_hint="'--param'")
        if key in out:
            raise click.BadParameter(f"{key!r} given twice", param_hint="'--param'")
        out[key] = value
    return out


def _load_registry(path: str | None):
    if path is None:
        return None
    from kg.registry import load_registry

    return load_registry(path)


# -- the group --------------------------------------------------------------------------------

@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="LEVANT_KG_STORE", default="kg-store", show_default=True, metavar="PATH|URL",
              help="The store: a folder (embedded Oxigraph, created by build), ':memory:', or a SPARQL "
                   "endpoint URL. Also from $LEVANT_KG_STORE.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.pass_context
def cli(ctx: click.Context, store: str) -> None:
    """Build, validate, query and measure the knowledge graph of the actors of
    migration governance in the Levant, from Arabic and English news.

    \b
      levant-kg build data/samples            # the main job
      levant-kg stats
      levant-kg query --list
      levant-kg query funding --param funder=eu --format csv
    """
    ctx.obj = {"store": store}


# -- build and add ---------------------------------------------------------------------------

def _ingest_options(fn: Callable) -> Callable:
    options = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True)),
        click.option("--curated", type=click.Path(exists=True), metavar="DIR",
                     help="Curated records (NAME.json, matched by item id or NAME) that replace extraction."),
        click.option("--no-validate", is_flag=True, help="Store items without SHACL validation."),
        click.option("--keep-invalid", is_flag=True, help="Store items with SHACL violations too (they are reported)."),
        click.option("--registry", "registry_dir", type=click.Path(exists=True, file_okay=False), metavar="DIR",
                     help="Use this registry folder instead of the bundled one."),
        click.option("--report", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Write the skipped items to FILE (.jsonl, or .csv)."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def _show_summary(summary: Any, fmt: str) -> None:
    from kg.output import render_sections

    render_sections(summary.sections(), fmt, sys.stdout)
    for p in summary.problems:
        tag = "Invalid" if p.stage == "validate" else "Skipped" if p.stage == "skipped" else "Error"
        click.echo(f"{tag}: {p.line()}", err=True)


@cli.command()
@_ingest_options
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes for reading, extraction and validation (0: one per CPU).")
@click.option("--force", is_flag=True, help="Redo every item, even those stored with the same content.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="A progress bar with items per second (on a terminal).")
@click.option("--compact/--no-compact", default=None,
              help="Compact the store's tables at the end, or not. Default: when the items written are at "
                   "least a quarter of the store's (a build, not a few added items).")
@format_option
@click.pass_context
def build(ctx, paths, curated, no_validate, keep_invalid, registry_dir, report, workers, force, progress, compact,
          fmt):
    """Build the graph from news items and records (the main job).

    PATHS are files or folders of news items (.txt, .html, .rss/.atom/.xml,
    .jsonl), which are extracted, and annotation records (NAME.json), which
    are taken as they are; a NAME.gold.json beside NAME.txt is evaluation
    gold, not input (give it with --curated to use it). Each item is mapped,
    validated and stored in one atomic write; items already stored with the
    same content are skipped, so an interrupted build resumes. Prints what
    was done and what the store holds: items, actors by kind, relations by
    type. Exit code 0, 1 when items broke the SHACL shapes, 2 when inputs
    could not be used (each reported on standard error with its file).
    """
    from kg.build import build as run

    registry = _load_registry(registry_dir)
    with open_store_of(ctx, write=True) as store:
        summary = run(paths, store, curated=curated, validate=not no_validate, keep_invalid=keep_invalid,
                      registry=registry, report=report, workers=workers, force=force, progress=progress,
                      compact=compact)
    _show_summary(summary, fmt)
    ctx.exit(summary.exit_code)


@cli.command()
@_ingest_options
@format_option
@click.pass_context
def add(ctx, paths, curated, no_validate, keep_invalid, registry_dir, report, fmt):
    """Add or replace a few items in an existing graph.

    The same as build for a handful of files: only the new items are
    validated, and the registry graph is written only when the store has
    none. An item already stored (same item id) is replaced.
    """
    from kg.build import add as run

    registry = _load_registry(registry_dir)
    with open_store_of(ctx, write=True) as store:
        summary = run(paths, store, curated=curated, validate=not no_validate, keep_invalid=keep_invalid,
                      registry=registry, report=report, progress=False)
    _show_summary(summary, fmt)
    ctx.exit(summary.exit_code)


# -- validate ---------------------------------------------------------------------------------

@cli.command()
@click.argument("items", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every item, and the registry graph on its own.")
@click.option("--engine", type=click.Choice(["pyshacl", "compiled", "auto"]), default="pyshacl", show_default=True,
              help="pyshacl (the reference) or the same shapes compiled to Python checks, about 10 times "
                   "faster, which build and add use (auto: compiled when the shapes allow it).")
@format_option
@click.pass_context
def validate(ctx, items, all_, engine, fmt):
    """Check item graphs against the SHACL shapes (exit code 1 on violations).

    ITEMS are item ids (or item IRIs); without them every item is checked.
    The report is grouped by item and by shape.
    """
    from dataclasses import asdict

    from kg.iri import item_iri
    from kg.output import render
    from kg.validate import validate_store

    with open_store_of(ctx, write=False) as store:
        if items:
            stored = {str(i) for i in store.items()}
            for it in items:
                iri = it if it.startswith(("http://", "https://", "urn:")) else str(item_iri(it))
                if iri not in stored:
                    raise KGError(f"no item {it!r} in the store {store_spec(ctx)}")
        report = validate_store(store, list(items) if items and not all_ else None, check_registry=all_,
                                engine=engine)
    if fmt == "table":
        click.echo(report.text())
    else:
        render([asdict(v) for v in report.violations], fmt, sys.stdout,
               columns=["item_id", "item", "shape", "focus", "path", "value", "message", "severity"])
    ctx.exit(0 if report.conforms else 1)


# -- query --------------------------------------------------------------------------------------

@cli.command()
@click.argument("query", required=False, metavar="NAME|FILE|SPARQL")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable). Values are strings; <...>, prefixed names (id:org/iom) "
                   "and, for IRI parameters, short ids (org/iom) and registry keys (iom) are IRIs.")
@click.option("--list", "list_", is_flag=True, help="List the named queries with what they answer.")
@click.option("--show", is_flag=True, help="Print the query (its header and SPARQL) and its variants' files "
                                           "instead of running it.")
@format_option
@click.pass_context
def query(ctx, query, params, list_, show, fmt):
    """Run a named query of the library, a .rq file, or inline SPARQL.

    \b
      levant-kg query --list
      levant-kg query actor-profile --param label=UNHCR
      levant-kg query funding -p from=2024-01-01 --format csv
      levant-kg query 'SELECT ?o WHERE { ?o a lmg:Embassy } LIMIT 5'
    """
    from kg.output import render
    from kg.queries import list_queries, load_query, run_query

    if list_:
        def sig(p: Any) -> str:
            return f"?{p.name}" + ("*" if p.required else f"={p.default}" if p.default is not None else "")

        render([{"name": q.name, "parameters": " ".join(sig(p) for p in q.params), "description": q.description}
                for q in list_queries()], fmt, sys.stdout)
        return
    if not query:
        raise click.UsageError("give a query: a name (see --list), a .rq file or SPARQL text", ctx)
    nq = load_query(query)
    if show:
        click.echo(nq.text.rstrip("\n"))
        for v in nq.variants:
            click.echo(f"# variant, run when {' and '.join('?' + w for w in v.when)} "
                       f"{'is' if len(v.when) == 1 else 'are'} given: {v.path}")
        return
    bound = _parse_params(params)
    with open_store_of(ctx, write=False) as store:
        result = run_query(store, nq, bound)
    render(result, fmt, sys.stdout)


# -- stats, export, import -----------------------------------------------------------------------

@cli.command()
@format_option
@click.pass_context
def stats(ctx, fmt):
    """What the store holds: items, actors by kind, entities by type, relations by type."""
    from kg.build import stats as run
    from kg.output import render_sections

    with open_store_of(ctx, write=False) as store:
        result = run(store)
    render_sections(result.sections(), fmt, sys.stdout)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads"]), default=None,
              help="RDF format (default: from the -o file name, else trig).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write to FILE (replaced only when complete) instead of standard output.")
@click.pass_context
def export(ctx, fmt, output):
    """Export the whole graph (every named graph) as TriG or N-Quads."""
    if fmt is None:
        fmt = "nquads" if output and output.endswith((".nq", ".nquads")) else "trig"
    with open_store_of(ctx, write=False) as store:
        if output:
            target = Path(output)
            if not target.parent.is_dir():
                raise KGError("cannot write here: the folder does not exist", target.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=str(target.parent or "."))
            os.close(fd)
            try:
                store.export(tmp, fmt)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        else:
            out = click.get_binary_stream("stdout")
            with tempfile.TemporaryDirectory(prefix="levant-kg-export-") as d:
                tmp = Path(d) / f"export.{fmt}"
                store.export(str(tmp), fmt)
                with open(tmp, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        out.write(chunk)
            out.flush()


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads"]), default=None,
              help="RDF format (default: from the file name).")
@click.pass_context
def import_(ctx, file, fmt):
    """Import a TriG or N-Quads file (an export): each graph in it replaces the stored one."""
    if fmt is None:
        fmt = "nquads" if file.endswith((".nq", ".nquads")) else "trig"
    with open_store_of(ctx, write=True) as store:
        n = store.import_file(file, fmt)
        click.echo(f"imported {n} quads from {file}; the store holds {len(store.items())} items, "
                   f"{len(store)} quads", err=True)


# -- extraction and evaluation (kg.extract, kg.evaluate) ------------------------------------------

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", type=click.Path(file_okay=False), metavar="DIR",
              help="Write DIR/NAME.json for each item (needed for folders and several items).")
@click.pass_context
def extract(ctx, paths, out):
    """Extract the annotation record of news items.

    One item: its record as JSON on standard output. Folders or several
    items: one NAME.json per item in --out DIR. Items that cannot be read
    are reported on standard error (exit code 2).
    """
    from kg.extract import extract as extract_text
    from kg.readers import NewsItem, read_path

    items, failures = [], []
    for path in paths:
        for x in read_path(Path(path)):
            (items if isinstance(x, NewsItem) else failures).append(x)
    if not out and len(items) > 1:
        raise KGError(f"{len(items)} items: give --out DIR to write one record per item")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
    for item in items:
        meta = {k: getattr(item, k) for k in ("url", "title", "published", "source", "lang") if getattr(item, k, None)}
        name = item.name or item.id
        record = extract_text(item.text, item_id=name, meta=meta)
        if out:
            target = Path(out) / f"{name}.json"
            tmp = target.with_name(f".{target.name}.part")
            tmp.write_text(record.to_json() + "\n", encoding="utf-8")
            os.replace(tmp, target)
        else:
            click.echo(record.to_json())
    for f in failures:
        click.echo(f"Error: {f.path}: {f.reason}", err=True)
    if out:
        click.echo(f"{len(items)} record(s) written to {out}", err=True)
    ctx.exit(2 if failures else 0)


@cli.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every missed and spurious entity and relation.")
@format_option
def evaluate(gold_dir, verbose, fmt):
    """Score extraction against the gold records (NAME.gold.json beside NAME.txt) of GOLD_DIR:
    precision, recall and F1 per entity type and relation type."""
    from kg.evaluate import evaluate as score

    scores = score(gold_dir, verbose=verbose)
    if fmt == "json":
        click.echo(json.dumps(scores.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from kg.output import render

        rows = [{"category": c, "lang": lang, "gold": n.gold, "predicted": n.predicted, "tp": n.tp,
                 "precision": round(n.precision, 3), "recall": round(n.recall, 3), "f1": round(n.f1, 3)}
                for lang in list(scores.langs) + ["all"] for c, n in scores.counts(lang).items()]
        render(rows, "csv", sys.stdout)
    else:
        click.echo(scores.table(verbose=verbose))


# -- serve ------------------------------------------------------------------------------------------

@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option("--writable", is_flag=True, help="Accept SPARQL updates and Graph Store writes (read-only unless asked).")
@click.pass_context
def serve(ctx, host, port, writable):
    """Serve the store folder as a SPARQL 1.1 endpoint with the Oxigraph server, until Ctrl-C."""
    from kg.serve import serve as serve_store

    spec = store_spec(ctx)
    if not is_path(spec):
        raise KGError("serve needs a store folder (--store PATH), not a URL or :memory:", spec)
    ctx.exit(serve_store(spec, host=host, port=port, read_only=not writable) or 0)


# -- the actor networks: centrality, network, plot (kg/cli_networks.py) ------------------------

from kg.cli_networks import register as _register_networks  # noqa: E402 - needs the group above

_register_networks(cli)


def main() -> None:
    """The console script ``levant-kg`` (and ``python -m kg``)."""
    cli(prog_name="levant-kg")


if __name__ == "__main__":
    main()
