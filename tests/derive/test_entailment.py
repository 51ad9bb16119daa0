"""The entailment rules give the types HermiT gives; HermiT's verdict on the ontology is cached."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from kg.build.builder import build
from kg.derive import reasoning
from kg.derive.entailment import entail
from kg.errors import NotConformingError
from kg.vocab import GRAPH_ONTOLOGY, ID, IMP, document_graph

from ..conftest import ROOT

needs_java = pytest.mark.skipif(reasoning.java_runtime() is None and not os.environ.get("CI"),
                                reason="no Java runtime: HermiT cannot run")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _node(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _with_a_venue_on_a_plain_event(graph):
    """An event typed only imp:Event with a venue: imp:venue's domain makes it a negotiation round."""
    event, g = _node(ID["event/talk-of-a-meeting"]), _node(document_graph("faf-why-diplomacy-still-fails"))
    graph.extend([ox.Quad(event, RDF_TYPE, _node(IMP.Event), g),
                  ox.Quad(event, _node(IMP.venue), _node(ID["place/muscat"]), g)])
    return graph


@needs_java
def test_rule_types_equal_hermits_on_the_corpus():
    by_hermit = reasoning.reason(build(ROOT).graph, prefer=reasoning.HERMIT).inferred
    by_rules = entail(build(ROOT).graph).inferred
    assert by_rules == by_hermit
    assert {cls for _, cls in by_rules} == {str(IMP.ContestedIssue)}


@needs_java
def test_a_type_from_a_domain_is_the_one_hermit_infers():
    by_hermit = reasoning.reason(_with_a_venue_on_a_plain_event(build(ROOT).graph), prefer=reasoning.HERMIT).inferred
    by_rules = entail(_with_a_venue_on_a_plain_event(build(ROOT).graph)).inferred
    assert (str(ID["event/talk-of-a-meeting"]), str(IMP.NegotiationRound)) in by_rules
    assert by_rules == by_hermit


def test_an_individual_in_two_disjoint_classes_is_refused():
    graph = build(ROOT).graph
    iran, g = _node(ID["actor/iran"]), _node(document_graph("faf-why-diplomacy-still-fails"))
    graph.extend([ox.Quad(iran, RDF_TYPE, _node(IMP.Issue), g)])
    with pytest.raises(NotConformingError, match=r"actor/iran> is a .* and the ontology declares .* disjoint"):
        entail(graph)


@needs_java
def test_hermit_checks_the_ontology_again_only_when_it_changes(tmp_path):
    graph = build(ROOT, rules=False).graph
    first, cached = reasoning.check_ontology(graph, tmp_path)
    assert first.consistent and not cached
    again, cached = reasoning.check_ontology(graph, tmp_path)
    assert again == first and cached
    graph.extend([ox.Quad(_node(IMP.Extra), RDF_TYPE, ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
                          _node(GRAPH_ONTOLOGY))])
    assert reasoning.check_ontology(graph, tmp_path)[1] is False
