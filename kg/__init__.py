"""Impasse: a knowledge graph of actors, demands, red lines and leverage in a negotiation.

The library API (the CLI in :mod:`kg.cli` is a thin layer over it)::

    import kg
    kg.init_project("selva-talks", title="The Selva river talks")   # what `kg init` does
    outcome = kg.run(".")                # what `kg build` does: build, derive, reason, validate, write
    result = kg.build(".")               # only the graph: ontology + reference data + corpus, derived
    kg.reason(result.graph)
    report = kg.validate(result.graph, "ontology/shapes.ttl")
    kg.write_exports(result.graph, "exports")
    answer = kg.run_query(result.graph, "SELECT ...")

Names are imported on first use so that ``import kg`` (and ``kg --help``) stays fast.
"""

from importlib import import_module

__version__ = "0.1.0"
__all__ = ["Project", "init_project", "open_graph", "build", "run", "derive", "reason", "validate", "export", "write_exports",
           "load_queries", "run_query", "KgError"]

_HOMES = {
    "Project": "kg.project",
    "init_project": "kg.project",
    "open_graph": "kg.store",
    "build": "kg.build",  # the package is callable: see kg/build/__init__.py
    "run": "kg.pipeline",
    "derive": "kg.derive",  # callable too
    "reason": "kg.derive.reasoning",
    "validate": "kg.derive.validation",
    "export": "kg.formats",
    "write_exports": "kg.formats",
    "load_queries": "kg.sparql.query",
    "run_query": "kg.sparql.query",
    "KgError": "kg.errors",
    "check_consistency": "kg.derive.reasoning",  # kept for callers of earlier versions; not in __all__
}
_PACKAGES = ("build", "derive")  # callable packages: the name is the package itself


def __getattr__(name: str):
    if name in _HOMES:
        module = import_module(_HOMES[name])
        return module if name in _PACKAGES else getattr(module, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
