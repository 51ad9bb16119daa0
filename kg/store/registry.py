"""The backends by name, and the store spec (``memory``, ``oxigraph:PATH``, ``rdflib``, ``sparql:URL``) parsed once.

As rdflib registers its stores in ``rdflib/plugin.py``, each backend is one
:func:`register` call naming the module that implements it; that module is imported only
when the backend is used, and :mod:`.interface` never imports one. An implementation module
offers ``create(location) -> QuadStore`` (an empty store to build into; its
:meth:`~.interface.QuadStore.commit` makes the build final) and, for a backend that keeps a
built graph between runs, ``open_built(location) -> QuadStore`` (that graph, read-only).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import KgError
from .interface import Backend, KnowledgeGraph, StoreSpec


#: Every backend, by name, in the order they are listed to users.
BACKENDS: dict[str, Backend] = {}


def register(backend: Backend) -> None:
    """Add a backend (or replace the one of that name)."""
    BACKENDS[backend.name] = backend


register(Backend("memory", None, "kg.store.oxigraph", create="create_in_memory",
                 summary="Oxigraph in memory (the default)"))
register(Backend("oxigraph", "PATH", "kg.store.oxigraph", open="open_built", example="oxigraph:./kgdb",
                 shown="in {location}/ (Oxigraph on disk)",
                 summary="Oxigraph on disk: built in memory, written to PATH when the build is committed"))
register(Backend("rdflib", None, "kg.store.rdflib_store",
                 summary="rdflib's own memory store and SPARQL engine: the reference baseline (slow on joins)"))
register(Backend("sparql", "URL", "kg.store.sparql", open="open_built", example="sparql:http://127.0.0.1:8890/sparql",
                 shown="at {location} (SPARQL endpoint)",
                 summary="a SPARQL 1.1 endpoint: built in memory, its named graphs replaced when the build is committed"))

#: The spec forms, as shown to users.
STORES = tuple(backend.usage for backend in sorted(BACKENDS.values(), key=lambda b: b.name))


def parse_spec(spec: str | StoreSpec) -> StoreSpec:
    """Parse ``memory``, ``rdflib``, ``oxigraph:PATH`` or ``sparql:URL`` (a StoreSpec is returned as is).

    :raises KgError: for an unknown backend, a location missing or given where none is
        taken, or a URL that is not http(s).
    """
    if isinstance(spec, StoreSpec):
        return spec
    name, colon, location = spec.partition(":")
    backend = BACKENDS.get(name)
    if backend is None or (backend.location is None and colon):
        raise KgError(f"unknown store {spec!r}; stores: {', '.join(STORES)}")
    if backend.name == "sparql" and not location.startswith(("http://", "https://")):
        raise KgError(f"store sparql:URL needs an http(s) URL, e.g. {backend.example}, not {spec!r}")
    if backend.location is not None and not location:
        raise KgError(f"store {backend.usage} needs a folder, e.g. {backend.example}")
    return StoreSpec(backend, location or None)


def open_store(spec: str | StoreSpec = "memory") -> KnowledgeGraph:
    """Open an empty knowledge graph on the store named by ``spec``, to build into.

    :param spec: ``memory`` (Oxigraph in memory, the default), ``oxigraph:PATH`` (Oxigraph
        on disk: the graph is built in memory and written to PATH by :meth:`KnowledgeGraph.commit`),
        ``rdflib`` (rdflib's own memory store and SPARQL engine, the reference baseline) or
        ``sparql:URL`` (built in memory, pushed to the endpoint by :meth:`KnowledgeGraph.commit`).
    :raises KgError: for a store name that is not known, or a PATH that is not an Oxigraph
        store (nothing there is ever replaced but an Oxigraph store).
    """
    parsed = parse_spec(spec)
    create = parsed.backend.implementation(parsed.backend.create)
    return KnowledgeGraph(store=create(parsed.location), spec=parsed)


def open_graph(spec: str | StoreSpec) -> KnowledgeGraph:
    """Open a built graph where it stays between runs: ``oxigraph:PATH`` (read-only) or ``sparql:URL``.

    :raises KgError: for a store that keeps no built graph (``memory``, ``rdflib``), or naming
        PATH when it is missing, not an Oxigraph store, or cannot be opened.
    """
    parsed = parse_spec(spec)
    if not parsed.keeps_built_graph:
        raise KgError(f"store {str(parsed)!r} keeps no built graph between runs; load a graph file, or open oxigraph:PATH "
                      "or sparql:URL")
    return KnowledgeGraph(store=parsed.backend.implementation(parsed.backend.open)(parsed.location), spec=parsed)


def load_graph(path: str | Path, store: str | StoreSpec = "memory") -> KnowledgeGraph:
    """Load a built graph from an RDF file (TriG or N-Quads keep their named graphs).

    :param store: ``memory`` (Oxigraph) or ``rdflib``; the file is parsed by Oxigraph either way.

    :raises KgError: naming the file when it is missing or does not parse.
    """
    path = Path(path)
    if not path.is_file():
        raise KgError(f"{path}: no such file (build the graph first, or name another graph file)")
    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError as exc:
        raise KgError(f"{path}: unknown RDF file suffix {path.suffix!r}") from exc
    graph = open_store("rdflib" if parse_spec(store).name == "rdflib" else "memory")
    try:  # Store.bulk_extend, not bulk_load, which renames blank nodes at random: an export would differ run to run
        graph.load(ox.parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        raise KgError(f"{path}: cannot be loaded: {exc}") from exc
    return graph


def memory_copy(graph: KnowledgeGraph) -> KnowledgeGraph:
    """The graph copied into a fresh Oxigraph in memory: to derive or reason over a graph
    opened read-only (``oxigraph:PATH``) or held by an endpoint, without writing to it."""
    copy = open_store("memory")
    copy.load(graph.quads())
    return copy
