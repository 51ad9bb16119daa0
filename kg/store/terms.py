"""Terms between rdflib and pyoxigraph, and what every store's quads are read with."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..vocab import XSD_STRING

if TYPE_CHECKING:
    from .interface import KnowledgeGraph


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


def from_ox(term, exact: bool = False) -> URIRef | BNode | Literal:
    """Convert a pyoxigraph term to rdflib; xsd:string literals become plain literals.

    Oxigraph types every plain literal as xsd:string, which rdflib.compare treats as a
    different term from the plain literal (docs/engine-notes.md, "Plain literals"): normalise
    here, once. ``exact`` keeps a literal's lexical form as is (rdflib would write decimal
    "1" as "1.0").
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False if exact else None)


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
