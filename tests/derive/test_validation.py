"""Validation graph by graph: the same verdict as the whole graph, a verdict reused while a unit is unchanged."""

from __future__ import annotations

import pyoxigraph as ox

from kg.build.builder import build
from kg.derive.reasoning import classify
from kg.derive.validation import validate, validate_by_graph
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


def test_the_corpus_conforms_graph_by_graph_and_the_verdicts_are_reused(tmp_path):
    graph = _built()
    assert validate_by_graph(graph, SHAPES, cache=tmp_path).conforms
    entries = sorted((tmp_path / "shacl").iterdir())
    assert len(entries) == 4  # the ontology and reference data, the derived graph, two documents
    again = validate_by_graph(graph, SHAPES, cache=tmp_path)
    assert again.conforms and sorted((tmp_path / "shacl").iterdir()) == entries


def test_a_violation_in_one_document_is_found_there_as_the_whole_graph_finds_it(tmp_path):
    graph = _built()
    assert validate_by_graph(graph, SHAPES, cache=tmp_path).conforms
    _holder_of(graph, _a_position(graph), "actor/oman")
    by_graph, whole = validate_by_graph(graph, SHAPES, cache=tmp_path), validate(graph, SHAPES)
    assert not by_graph.conforms and not whole.conforms
    assert f"In <{document_graph(DOCUMENT)}>:" in by_graph.text and "MaxCountConstraintComponent" in by_graph.text
    assert len(by_graph.graph) == len(whole.graph)  # the same report: one result, the same triples
    # an unchanged unit was not re-checked, and the failing one left no verdict behind
    assert len(list((tmp_path / "shacl").iterdir())) == 4


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


def test_two_documents_giving_one_round_two_hosts_are_caught_on_the_union(project, tmp_path):
    project.add("one", "The talks were held in Muscat.\n", ROUND.format(slug="one", host="oman",
                                                                      quote="The talks were held in Muscat."))
    project.add("two", "The talks were held in Geneva.\n", ROUND.format(slug="two", host="qatar",
                                                                      quote="The talks were held in Geneva."))
    graph = build(project.root).graph
    classify(graph)
    report = validate_by_graph(graph, SHAPES, cache=tmp_path / "cache")
    assert not report.conforms and not validate(graph, SHAPES).conforms
    assert "on all their descriptions" in report.text and f"<{ID['round/talks']}> has 2 values of <{IMP.host}>" \
        in report.text
    assert "<https://w3id.org/impasse/id/graph/one>" not in report.text  # each document alone conforms


def test_a_unit_with_nothing_typed_in_it_is_not_checked_node_by_node(project):
    """A single red line derives no mismatch: the derived graph types nothing. pySHACL takes an
    empty focus list for "every node", which once checked the issues the unit only names."""
    from ..conftest import RED_LINE

    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    graph = build(project.root).graph
    classify(graph)
    assert validate_by_graph(graph, SHAPES).conforms
