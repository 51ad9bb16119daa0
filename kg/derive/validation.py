"""SHACL validation of a built graph against ontology/shapes.ttl.

Two engines give the same results (``tests/derive/test_shacl.py``): the shapes compiled into
SPARQL and run on Oxigraph over the whole graph at once (:mod:`.shacl`, the default), and
pySHACL, the reference, which checks node by node in Python (about 0.9 s per document here)
and takes over when the shapes use a feature the compiler does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..corpus.reference import parse_turtle
from ..store import KnowledgeGraph, from_ox, merged_graph
from ..vocab import SH

#: The engines :func:`validate` runs: the shapes compiled to SPARQL, or pySHACL.
SPARQL, PYSHACL = "sparql", "pyshacl"


@dataclass
class ValidationReport:
    """The outcome of a SHACL validation."""

    conforms: bool
    graph: Graph  # the sh:ValidationReport graph
    text: str  # the human-readable report, in pySHACL's layout
    engine: str = SPARQL


def validate(graph: KnowledgeGraph, shapes: str | Path, engine: str = SPARQL,
             distinct: ox.Store | None = None) -> ValidationReport:
    """Validate the union of every named graph against the shapes.

    The data graph includes the ontology, so ``sh:targetClass`` reaches instances of
    subclasses through ``rdfs:subClassOf`` (SHACL 1.0, section 2.1.3.3); no other
    inference is run, so the shapes see exactly what the graph asserts.

    :param graph: the built graph.
    :param shapes: the SHACL shapes file (Turtle).
    :param engine: :data:`SPARQL` (falls back to pySHACL for shapes it does not compile) or
        :data:`PYSHACL`.
    :param distinct: the graph's distinct triples (:func:`kg.derive.rules.distinct_triples`, kept
        in step with the graph by the rules and the entailment rules); by default a copy made here.
    :raises ReferenceDataError: when the shapes file does not parse.
    """
    from .shacl import UnsupportedShapes, compile_shapes, run

    shapes_graph = parse_turtle(Path(shapes))
    if engine == SPARQL:
        try:
            compiled = compile_shapes(shapes_graph)
        except UnsupportedShapes:
            engine = PYSHACL
    if engine == PYSHACL:
        from pyshacl import validate as shacl_validate  # slow to import; only when validating with it

        conforms, report, text = shacl_validate(merged_graph(graph), shacl_graph=shapes_graph, inference="none",
                                                advanced=True)
        return ValidationReport(conforms=bool(conforms), graph=report, text=text, engine=PYSHACL)
    from .rules import distinct_triples

    # Over the union, a bag, a node described by N documents would be counted N times; each
    # triple once here. The focus nodes are written into the store the queries run on and
    # taken out again (`run`), so a copy shared with the rules is left as it was.
    store = distinct if distinct is not None else distinct_triples(graph)
    if store is not None:  # a graph read from a file of triples sits in the default graph
        store.extend(graph.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    else:
        store = ox.Store()
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in graph.quads())
    results = run(compiled, store)
    return ValidationReport(conforms=not results, graph=_report_graph(results, shapes_graph),
                            text=_report_text(results, shapes_graph), engine=SPARQL)


def _report_graph(results, shapes: Graph) -> Graph:
    """The sh:ValidationReport (SHACL 1.0 section 3.6), as pySHACL writes it."""
    report, root = Graph(), BNode()
    report.bind("sh", SH)
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not results)))
    for result in results:
        node = BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.sourceConstraintComponent, SH[result.component]))
        report.add((node, SH.sourceShape, result.shape))
        report.add((node, SH.resultSeverity, result.severity))
        report.add((node, SH.focusNode, from_ox(result.focus)))
        if result.value is not None:
            report.add((node, SH.value, from_ox(result.value)))
        if result.path is not None:
            report.add((node, SH.resultPath, result.path))
            if isinstance(result.path, BNode):  # an inverse path: its description comes along
                for p, o in shapes.predicate_objects(result.path):
                    report.add((result.path, p, o))
        if result.constraint is not None:
            report.add((node, SH.sourceConstraint, result.constraint))
        for message in result.messages:
            report.add((node, SH.resultMessage, message))
    return report


def _shown(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _report_text(results, shapes: Graph) -> str:
    lines = ["Validation Report", f"Conforms: {not results}"]
    if results:
        lines.append(f"Results ({len(results)}):")
    for result in results:
        lines.append(f"Constraint Violation in {result.component} ({SH[result.component]}):")
        lines.append("\tSeverity: sh:Violation")
        lines.append(f"\tSource Shape: {_shown(result.shape)}")
        lines.append(f"\tFocus Node: {result.focus}")
        if result.value is not None:
            lines.append(f"\tValue Node: {result.value}")
        if result.path is not None:
            inverse = shapes.value(result.path, SH.inversePath)
            lines.append(f"\tResult Path: {'^' + _shown(inverse) if inverse is not None else _shown(result.path)}")
        for message in result.messages:
            lines.append(f"\tMessage: {message}")
    return "\n".join(lines) + "\n"
