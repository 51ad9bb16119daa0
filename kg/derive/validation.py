"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..corpus.reference import parse_turtle
from ..store import KnowledgeGraph, merged_graph


@dataclass
class ValidationReport:
    """The outcome of a SHACL validation."""

    conforms: bool
    graph: Graph  # the sh:ValidationReport graph
    text: str  # pySHACL's human-readable report


def validate(graph: KnowledgeGraph, shapes: str | Path) -> ValidationReport:
    """Validate every named graph, merged, against the shapes.

    The data graph includes the ontology, so ``sh:targetClass`` reaches instances of
    subclasses through ``rdfs:subClassOf`` (SHACL 1.0, section 2.1.3.3); no other
    inference is run, so the shapes see exactly what the graph asserts.

    :param graph: the built graph.
    :param shapes: the SHACL shapes file (Turtle).
    :raises ReferenceDataError: when the shapes file does not parse.
    """
    from pyshacl import validate as shacl_validate  # slow to import; only when validating

    conforms, report, text = shacl_validate(
        merged_graph(graph), shacl_graph=parse_turtle(Path(shapes)), inference="none", advanced=True
    )
    return ValidationReport(conforms=bool(conforms), graph=report, text=text)
