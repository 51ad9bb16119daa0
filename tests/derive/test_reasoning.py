"""Reasoning: HermiT classification, the OWL-RL fallback without Java, and `kg reason`."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from kg.derive import reasoning
from kg.build.builder import build
from kg.cli import cli
from kg.vocab import GRAPH_DERIVED, ID, IMP

from ..conftest import ROOT

CONTESTED = [(str(ID[f"issue/{k}"]), str(IMP.ContestedIssue))
             for k in ("ballistic-missiles", "domestic-governance", "support-for-armed-groups")]
needs_java = pytest.mark.skipif(reasoning.java_runtime() is None and not os.environ.get("CI"),
                                reason="no Java runtime: HermiT cannot run")


@needs_java
def test_hermit_classifies_contested_issues():
    report = reasoning.reason(build(ROOT).graph, prefer=reasoning.HERMIT)
    assert report.reasoner == reasoning.HERMIT and report.consistency.consistent
    assert report.inferred == CONTESTED


def test_owlrl_rules_classify_the_same():
    graph = build(ROOT).graph
    report = reasoning.reason(graph, prefer=reasoning.OWL_RL)
    assert report.consistency is None and report.inferred == CONTESTED
    derived = graph.dataset.graph(GRAPH_DERIVED)
    assert set(derived.subjects(None, IMP.ContestedIssue)) == {ID[f"issue/{k}"] for k in
                                                               ("ballistic-missiles", "domestic-governance",
                                                                "support-for-armed-groups")}


def test_without_java_one_line_says_so_and_owlrl_takes_over(monkeypatch):
    monkeypatch.setattr(reasoning, "java_runtime", lambda: None)
    report = reasoning.reason(build(ROOT).graph)
    assert report.reasoner == reasoning.OWL_RL
    assert report.note == ("no Java runtime found: HermiT cannot run; classified with the OWL-RL rules "
                           "(owlrl) instead")
    with pytest.raises(reasoning.KgError, match="needs a Java runtime"):
        reasoning.check_consistency(build(ROOT).graph)


def test_reasoning_adds_nothing_the_asserted_types_imply(built):
    # Every inferred type is new information: no type of the derived graph is a class that an
    # individual's asserted types already are or are subclasses of (Issue, skos:Concept …).
    from rdflib import RDFS

    from kg.vocab import GRAPH_ONTOLOGY

    dataset = built.graph.dataset
    ontology = dataset.graph(GRAPH_ONTOLOGY)
    asserted: dict = {}
    for context in dataset.graphs():
        if context.identifier != GRAPH_DERIVED:
            for individual, cls in context.subject_objects(reasoning.RDF.type):
                asserted.setdefault(individual, set()).add(cls)
    checked = 0
    for individual, cls in dataset.graph(GRAPH_DERIVED).subject_objects(reasoning.RDF.type):
        if individual not in asserted:
            continue  # a node the rules minted (a mismatch): typed only where it is derived
        implied = {sup for own in asserted[individual] for sup in ontology.transitive_objects(own, RDFS.subClassOf)}
        assert cls not in implied, f"{individual} a {cls} follows from its asserted types"
        checked += 1
    assert checked == len(CONTESTED)  # the three contested issues, each typed once


def test_kg_reason_lists_what_it_infers(monkeypatch):
    monkeypatch.setattr(reasoning, "java_runtime", lambda: None)
    result = CliRunner().invoke(cli, ["reason", "-C", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "OWL-RL rules (owlrl): 3 inferred types added." in result.output
    assert "issue:ballistic-missiles a imp:ContestedIssue" in result.output
    assert "no Java runtime found" in result.output
