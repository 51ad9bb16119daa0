"""The store behind the rdflib API: Oxigraph in memory (through oxrdflib) by default.

rdflib is the API users see (a ``Dataset``); Oxigraph is the engine. The build loads and
the exports read quads through pyoxigraph directly, because converting every triple
through rdflib's parser and serializer loses Oxigraph's speed (see PITFALLS.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from .errors import KgError

STORES = ("memory",)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class KnowledgeGraph:
    """A built graph: the rdflib ``Dataset`` and the Oxigraph store underneath it."""

    dataset: Dataset
    oxigraph: ox.Store

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of every named graph, as pyoxigraph terms (unordered)."""
        return iter(self.oxigraph.quads_for_pattern(None, None, None, None))

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one bulk operation."""
        self.oxigraph.bulk_extend(quads)

    def __len__(self) -> int:
        return len(self.oxigraph)


def open_store(spec: str = "memory") -> KnowledgeGraph:
    """Open an empty knowledge graph on the store named by ``spec``.

    :param spec: ``memory`` (Oxigraph in memory, the default).
    :raises KgError: for a store name that is not known.
    """
    if spec != "memory":
        raise KgError(f"unknown store {spec!r}; stores: {', '.join(STORES)}")
    inner = ox.Store()
    return KnowledgeGraph(dataset=Dataset(store=OxigraphStore(store=inner)), oxigraph=inner)


def load_graph(path: str | Path) -> KnowledgeGraph:
    """Load a built graph from an RDF file (TriG or N-Quads keep their named graphs).

    :raises KgError: naming the file when it is missing or does not parse.
    """
    path = Path(path)
    if not path.is_file():
        raise KgError(f"{path}: no such file (run `kg build` first, or name a graph file with --graph)")
    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError as exc:
        raise KgError(f"{path}: unknown RDF file suffix {path.suffix!r}") from exc
    graph = open_store("memory")
    try:
        graph.oxigraph.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise KgError(f"{path}: cannot be loaded: {exc}") from exc
    return graph


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the pyoxigraph term it denotes."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_ox_quad(s, p, o, g) -> ox.Quad:
    """Convert an rdflib (subject, predicate, object, graph name) to a pyoxigraph quad."""
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))


def from_ox(term) -> URIRef | BNode | Literal:
    """Convert a pyoxigraph term to rdflib; xsd:string literals become plain literals.

    Oxigraph types every plain literal as xsd:string, which rdflib.compare treats as a
    different term from the plain literal (PITFALLS.md): normalise here, once.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def graph_name(quad: ox.Quad) -> str | None:
    """The IRI of a quad's named graph; None for the default graph (a loaded Turtle file)."""
    return None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value


def merged_graph(graph: KnowledgeGraph, exclude: tuple[str, ...] = ()) -> Graph:
    """All named graphs (but those in ``exclude``) merged into one in-memory rdflib Graph."""
    merged = Graph()
    for quad in graph.quads():
        if graph_name(quad) not in exclude:
            merged.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return merged
