"""Validation of the whole graph: a violation named with its focus node and path, wherever the documents put it."""

from __future__ import annotations

import pyoxigraph as ox

from kg.build.builder import build
from kg.derive.reasoning import classify
from kg.derive.validation import PYSHACL, SPARQL, validate
from kg.vocab import ID, IMP, document_graph

from ..conftest import ROOT

SHAPES = ROOT / "ontology" / "shapes.ttl"
DOCUMENT = "faf-why-diplomacy-still-fails"


def _built():
    result = build(ROOT)
    classify(result.graph)
    return result.graph


def _holder_of(graph, position: str, holder: str):
    """A second holder for a position: imp:heldBy is functional (sh:maxCount 1)."""
    graph.extend([ox.Quad(ox.NamedNode(str(ID[position])), ox.NamedNode(str(IMP.heldBy)),
                          ox.NamedNode(str(ID[holder])), ox.NamedNode(str(document_graph(DOCUMENT))))])


def _a_position(graph) -> str:
    """A position only this document describes (one that another reports too is checked twice)."""
    row = graph.query(f"SELECT ?p WHERE {{ GRAPH <{document_graph(DOCUMENT)}> {{ ?p <{IMP.heldBy}> ?a }} "
                      f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?p a ?t }} FILTER(?other != <{document_graph(DOCUMENT)}>) }} }} "
                      "ORDER BY ?p LIMIT 1", union=False).rows[0]
    return row[0].value[len(str(ID)):]


def test_a_violation_in_one_document_is_found_with_its_focus_node_path_and_message():
    graph = _built()
    assert validate(graph, SHAPES).conforms
    position = _a_position(graph)
    _holder_of(graph, position, "actor/oman")
    report = validate(graph, SHAPES)
    assert not report.conforms and report.engine == SPARQL
    assert "Constraint Violation in MaxCountConstraintComponent" in report.text
    assert f"Focus Node: <{ID[position]}>" in report.text and f"Result Path: <{IMP.heldBy}>" in report.text


ROUND = """\
document: {slug}
facts:
  - kind: round
    key: talks
    label: The talks
    venue: muscat
    host: {host}
    quote: "{quote}"
"""


def test_two_documents_giving_one_round_two_hosts_are_caught_on_the_union(project):
    project.add("one", "The talks were held in Muscat.\n", ROUND.format(slug="one", host="oman",
                                                                      quote="The talks were held in Muscat."))
    project.add("two", "The talks were held in Geneva.\n", ROUND.format(slug="two", host="qatar",
                                                                      quote="The talks were held in Geneva."))
    graph = build(project.root).graph
    classify(graph)
    report = validate(graph, SHAPES)
    assert not report.conforms and not validate(graph, SHAPES, engine=PYSHACL).conforms
    assert f"Focus Node: <{ID['round/talks']}>" in report.text and f"Result Path: <{IMP.host}>" in report.text


def test_a_graph_that_derives_nothing_conforms(project):
    """A single red line derives no mismatch: the derived graph types nothing."""
    from ..conftest import RED_LINE

    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    graph = build(project.root).graph
    classify(graph)
    assert validate(graph, SHAPES).conforms


def test_the_distinct_copy_a_build_shares_stays_the_distinct_triples_of_the_graph():
    """The rules, the entailment rules and validation read one copy of the distinct triples: what
    they add or take from the graph they add or take from it, and validation leaves nothing in it."""
    from kg.derive.rules import distinct_triples

    result = build(ROOT)
    assert result.distinct is not None
    report = classify(result.graph, distinct=result.distinct)
    assert report.inferred  # the entailment rules wrote types, to the graph and to the copy
    assert validate(result.graph, SHAPES, distinct=result.distinct).conforms
    def ground(store):  # each copy labels the ontology's blank nodes anew
        return {q for q in store if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}

    fresh = distinct_triples(result.graph)
    assert len(result.distinct) == len(fresh) and ground(result.distinct) == ground(fresh)
