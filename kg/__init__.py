"""levant-kg: a knowledge graph of the actors of migration governance in the Levant.

The public Python API, the same as the ``levant-kg`` commands::

    import kg
    store = kg.open_store("kg-store")            # or ":memory:"
    summary = kg.build(["data/samples"], store)   # levant-kg build (kg.build.build)
    kg.stats(store)                               # levant-kg stats
    kg.list_queries()                             # levant-kg query --list
    rows = kg.run_query(store, "funding", {"from": "2024-01-01"})
    rows.to_dataframe()                           # with pandas installed
    kg.validate_store(store).text()               # levant-kg validate

Names are imported lazily, so ``import kg`` stays fast and a part that an
installation lacks fails only when it is used. ``kg.build`` is the module
:mod:`kg.build`, which can be called as its function ``build``; extraction,
evaluation and batch ingest live in their modules: ``kg.extract.extract``,
``kg.evaluate.evaluate``, ``kg.ingest.ingest``.
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "__version__",
    # errors
    "KGError", "RecordError", "RegistryError", "StoreError", "QueryError",
    # records and mapping
    "Record", "load_record", "dump_record", "record_to_graph", "record_to_triples",
    # registry, ontology, validation
    "Registry", "load_registry", "default_registry", "ontology_graph", "load_shapes",
    "validate_graph", "validate_triples", "validate_store",
    # store
    "open_store", "Store",
    # build
    "build", "add", "stats", "BuildSummary",
    # queries and output
    "list_queries", "load_query", "run_query", "NamedQuery", "QueryResult", "render",
    # extraction (kg.extract.extract, kg.evaluate.evaluate, kg.ingest.ingest: see their modules)
    "extract_file",
]

_SUBMODULES = frozenset({"build", "cli", "errors", "evaluate", "extract", "ingest", "iri", "mapping", "networks",
                         "normalize", "ontology", "output", "queries", "readers", "record", "registry", "resources",
                         "schema", "serve", "shacl_core", "sparql_store", "store", "validate"})

_WHERE = {
    "KGError": "kg.errors", "RecordError": "kg.errors", "RegistryError": "kg.errors",
    "StoreError": "kg.errors", "QueryError": "kg.errors",
    "Record": "kg.record", "load_record": "kg.record", "dump_record": "kg.record",
    "record_to_graph": "kg.mapping", "record_to_triples": "kg.mapping",
    "Registry": "kg.registry", "load_registry": "kg.registry", "default_registry": "kg.registry",
    "ontology_graph": ("kg.ontology", "load_ontology"), "load_shapes": "kg.ontology",
    "validate_graph": "kg.validate", "validate_triples": "kg.validate", "validate_store": "kg.validate",
    "open_store": "kg.store", "Store": "kg.store",
    "add": "kg.build", "stats": "kg.build", "BuildSummary": "kg.build",
    "list_queries": "kg.queries", "load_query": "kg.queries", "run_query": "kg.queries",
    "NamedQuery": "kg.queries", "QueryResult": "kg.queries", "render": "kg.output",
    "extract_file": "kg.extract",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        try:
            from importlib.metadata import version

            return version("levant-kg")
        except Exception:  # noqa: BLE001 - a source checkout without installed metadata
            return "0+unknown"
    if name in _SUBMODULES:  # kg.store, kg.build (callable), kg.extract ...: import on first use
        return importlib.import_module(f"kg.{name}")
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module, attr = (where, name) if isinstance(where, str) else where
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
