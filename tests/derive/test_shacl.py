"""The shapes compiled to SPARQL give exactly pySHACL's results: on the corpus, and on a graph broken every way the shapes check."""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDF, XSD

from kg.corpus.reference import parse_turtle
from kg.derive.shacl import UnsupportedShapes, compile_shapes
from kg.derive.validation import PYSHACL, SPARQL, validate
from kg.store import memory_copy
from kg.vocab import SH

from ..conftest import ROOT

SHAPES = ROOT / "ontology" / "shapes.ttl"
DOC = "https://w3id.org/impasse/id/graph/faf-why-diplomacy-still-fails"

#: One breakage per kind of constraint the shapes use, written into one document's graph.
#: (what is broken, the constraint component pySHACL reports for it, the SPARQL update.)
BREAKAGES = [
    ("a position with two holders", "MaxCountConstraintComponent",
     "INSERT { GRAPH <D> { ?p imp:heldBy id:actor/oman } } WHERE { SELECT ?p { GRAPH <D> { ?p a imp:Demand } } ORDER BY ?p LIMIT 1 }"),
    ("a position without an issue", "MinCountConstraintComponent",
     "DELETE { GRAPH ?g { ?p imp:onIssue ?i } } WHERE { { SELECT ?p { GRAPH <D> { ?p a imp:RedLine } } ORDER BY ?p LIMIT 1 } GRAPH ?g { ?p imp:onIssue ?i } }"),
    ("a holder that is not an actor", "ClassConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:position/broken a imp:Objective ; rdfs:label 'x' ; imp:heldBy id:issue/sanctions-relief ; imp:onIssue 'sanctions' } }"),
    ("a label that is a number", "OrConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:actor/iran rdfs:label 42 } }"),
    ("hedged as a string", "DatatypeConstraintComponent",
     "INSERT { GRAPH <D> { ?p imp:hedged 'yes' } } WHERE { SELECT ?p { GRAPH <D> { ?p a imp:Objective } } ORDER BY ?p LIMIT 1 }"),
    ("an ill-typed boolean", "DatatypeConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:position/broken imp:hedged 'maybe'^^xsd:boolean } }"),
    ("evidence without selectors or source", "MinCountConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:evidence/broken a imp:Evidence ; imp:method imp:Curated } }"),
    ("a method outside the list", "InConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:evidence/broken imp:method imp:Guessed } }"),
    ("evidence without selectors or source", "QualifiedMinCountConstraintComponent", ""),
    ("a confidence above 1", "MaxInclusiveConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:evidence/broken2 a imp:Evidence ; imp:method imp:Curated ; imp:confidence 1.5 ; "
     "oa:hasSelector id:evidence/broken2/q1 , id:evidence/broken2/q2 . id:evidence/broken2/q1 a oa:TextQuoteSelector ; oa:exact '' . "
     "id:evidence/broken2/q2 a oa:TextQuoteSelector ; oa:exact 'b' } }"),
    ("two quote selectors", "QualifiedMaxCountConstraintComponent", ""),
    ("an empty quote", "MinLengthConstraintComponent", ""),
    ("a digest that is not hexadecimal", "PatternConstraintComponent",
     "INSERT { GRAPH <D> { ?d imp:contentSha256 'XYZ' } } WHERE { GRAPH <D> { ?d a imp:Document } }"),
    ("a start after its end", "LessThanOrEqualsConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:sel/broken a oa:TextPositionSelector ; oa:start 9 ; oa:end 3 } }"),
    ("a negative end", "MinInclusiveConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:sel/broken2 a oa:TextPositionSelector ; oa:start -4 ; oa:end -1 } }"),
    ("a cause that is its own effect", "DisjointConstraintComponent",
     "INSERT { GRAPH <D> { ?c imp:effect ?e } } WHERE { SELECT ?c ?e { GRAPH <D> { ?c a imp:CausalLink ; imp:cause ?e } } ORDER BY ?c LIMIT 1 }"),
    ("a mention that names nothing and is malformed", "NodeConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:mention/broken a imp:Mention ; imp:method imp:Extracted } }"),
    ("a quote past the end of its document", "SPARQLConstraintComponent",
     "INSERT { GRAPH <D> { ?d imp:textLength 10 } } WHERE { GRAPH <D> { ?d a imp:Document } }"),
    ("a position of two stances", "XoneConstraintComponent",
     "INSERT { GRAPH <D> { ?p a imp:RedLine } } WHERE { SELECT ?p { GRAPH <D> { ?p a imp:Demand } } ORDER BY DESC(?p) LIMIT 1 }"),
    ("a document that is a blank node", "NodeKindConstraintComponent",
     "INSERT DATA { GRAPH <D> { _:doc a imp:Document ; dcterms:title 'A' ; imp:documentKind imp:NewsReport ; "
     "imp:contentSha256 '0000000000000000000000000000000000000000000000000000000000000000' ; imp:textLength 0 } }"),
    ("furniture of no document", "MinCountConstraintComponent",
     "INSERT DATA { GRAPH <D> { id:furniture/broken a imp:Furniture ; imp:furnitureKind 'teaser' ; oa:start 0 ; oa:end 1 } }"),
]

PREFIXES = """PREFIX imp: <https://w3id.org/impasse/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def results(report) -> set[tuple]:
    """Each result as (focus, path, value, component, shape, messages); blank nodes by what they say."""
    graph = report.graph
    found = set()
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        path = graph.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = ("inverse", graph.value(path, SH.inversePath))
        shape = graph.value(result, SH.sourceShape)
        focus, value = graph.value(result, SH.focusNode), graph.value(result, SH.value)
        found.add((None if isinstance(focus, BNode) else focus, path, None if isinstance(value, BNode) else value,
                   graph.value(result, SH.sourceConstraintComponent), None if isinstance(shape, BNode) else shape,
                   frozenset(graph.objects(result, SH.resultMessage))))
    return found


@pytest.fixture(scope="module")
def broken(built):
    graph = memory_copy(built.graph)
    for _, _, update in BREAKAGES:
        if update:
            update = re.sub(r"\bid:([\w/-]+)", r"<https://w3id.org/impasse/id/\1>", update.replace("<D>", f"<{DOC}>"))
            graph.oxigraph.update(PREFIXES + update)
    return graph


def test_the_corpus_conforms_on_both_engines(built):
    fast, reference = validate(built.graph, SHAPES), validate(built.graph, SHAPES, engine=PYSHACL)
    assert fast.engine == SPARQL and reference.engine == PYSHACL
    assert fast.conforms and reference.conforms and results(fast) == results(reference) == set()


def test_a_broken_graph_gives_pyshacls_results_exactly(broken):
    fast, reference = validate(broken, SHAPES), validate(broken, SHAPES, engine=PYSHACL)
    assert not fast.conforms and not reference.conforms
    assert results(fast) == results(reference)
    components = {str(r[3]).rsplit("#", 1)[1] for r in results(fast)}
    assert {component for _, component, _ in BREAKAGES} <= components  # every breakage was caught
    # the text names focus node, path and message as pySHACL's does
    assert fast.text.count("Constraint Violation in ") == len(results(fast))
    assert any(getattr(r[2], "datatype", None) == XSD.boolean for r in results(fast))  # ill-typed, caught by a cast
    position = "\tResult Path: <https://w3id.org/impasse/ontology#heldBy>\n\tMessage: A position must be held by exactly one actor"
    assert "Constraint Violation in MaxCountConstraintComponent" in fast.text and position in fast.text


def test_shapes_the_compiler_does_not_know_go_to_pyshacl(built, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.read_text(encoding="utf-8") + """
ish:ClosedDocument a sh:NodeShape ; sh:targetClass imp:Document ; sh:closed false .
""", encoding="utf-8")
    with pytest.raises(UnsupportedShapes, match="closed"):
        compile_shapes(parse_turtle(shapes))
    report = validate(built.graph, shapes)
    assert report.engine == PYSHACL and report.conforms


def test_an_empty_shapes_graph_compiles_to_nothing():
    assert compile_shapes(Graph()).checks == []
