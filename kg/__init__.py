"""Impasse: a knowledge graph of actors, demands, red lines and leverage in a negotiation.

The library API (the CLI in :mod:`kg.cli` is a thin layer over it)::

    import kg
    result = kg.build(".")               # ontology + reference data + corpus
    kg.write_exports(result.graph, "exports")
    report = kg.validate(result.graph, "ontology/shapes.ttl")

Names are imported on first use so that ``import kg`` (and ``kg --help``) stays fast.
"""

from importlib import import_module

__version__ = "0.1.0"
__all__ = ["build", "export", "write_exports", "validate", "check_consistency", "reason", "run_query", "KgError"]

_HOMES = {
    "build": "kg.build",  # the package is callable: see kg/build/__init__.py
    "export": "kg.formats",
    "write_exports": "kg.formats",
    "validate": "kg.derive.validation",
    "check_consistency": "kg.derive.reasoning",
    "reason": "kg.derive.reasoning",
    "run_query": "kg.sparql.query",
    "KgError": "kg.errors",
}
_PACKAGES = ("build", "derive")  # callable packages: the name is the package itself


def __getattr__(name: str):
    if name in _HOMES:
        module = import_module(_HOMES[name])
        return module if name in _PACKAGES else getattr(module, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
