"""Derivation rules: agenda mismatches, bargaining space and shortcut edges, to a fixed point."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV, RDF

from kg.build.builder import build
from kg.derive.rules import derive, load_rules
from kg.errors import KgError
from kg.vocab import GRAPH_DERIVED, ID, IMP
from kg.sparql.syntax import QuerySyntaxError

from ..conftest import ROOT

US, IRAN = ID["actor/united-states"], ID["actor/iran"]


def derived(built, cls):
    graph = built.graph.dataset.graph(GRAPH_DERIVED)
    return {
        (frozenset(graph.objects(m, IMP.between)), frozenset(graph.objects(m, IMP.onIssue)))
        for m in graph.subjects(RDF.type, cls)
    }


def issues(*keys):
    return frozenset(ID[f"issue/{k}"] for k in keys)


def test_inclusion_mismatches_of_the_corpus(built):
    pair = frozenset({US, IRAN})
    assert derived(built, IMP.InclusionMismatch) == {
        (pair, issues("ballistic-missiles")),
        (pair, issues("support-for-armed-groups")),
        # the US demands human rights (narrower) and internal governance; Iran refuses the latter
        (pair, issues("domestic-governance")),
    }


def test_scope_mismatches_run_both_ways(built):
    found = {next(iter(i)) for _, i in derived(built, IMP.ScopeMismatch)}
    us_agenda = issues("ballistic-missiles", "support-for-armed-groups", "domestic-governance", "human-rights")
    iran_agenda = issues("sanctions-relief", "financial-restrictions")
    assert found == us_agenda | iran_agenda


def test_sequencing_mismatch_and_bargaining_space(built):
    pair = frozenset({US, IRAN})
    assert derived(built, IMP.SequencingMismatch) == {(pair, issues("nuclear-compliance", "sanctions-relief"))}
    assert derived(built, IMP.BargainingSpace) == {(pair, issues("nuclear-program"))}


def test_every_mismatch_leads_to_quotes(built):
    dataset = built.graph.dataset
    derived_graph = dataset.graph(GRAPH_DERIVED)
    mismatches = set(derived_graph.subjects(IMP.between, None))
    assert len(mismatches) == 11
    for mismatch in mismatches:
        positions = set(derived_graph.objects(mismatch, IMP.evidence))
        assert positions
        for position in positions:
            assert any(True for c in dataset.graphs() for _ in c.objects(position, PROV.wasDerivedFrom)), position


def test_shortcut_edges(built):
    graph = built.graph.dataset.graph(GRAPH_DERIVED)
    assert (US, IMP.demands, ID["issue/ballistic-missiles"]) in graph
    assert (IRAN, IMP.refusesToNegotiate, ID["issue/ballistic-missiles"]) in graph
    assert (US, IMP.requiresFirst, ID["issue/nuclear-compliance"]) in graph


def test_mismatch_iris_are_stable_and_content_derived(built):
    again = build(ROOT)
    graph = again.graph.dataset.graph(GRAPH_DERIVED)
    first = set(built.graph.dataset.graph(GRAPH_DERIVED).subjects(IMP.between, None))
    assert set(graph.subjects(IMP.between, None)) == first
    assert all(str(m).startswith(str(ID)) for m in first)


NARROWER = """\
document: doc
facts:
  - kind: position
    type: demand
    holder: united-states
    issue: uranium-enrichment
    quote: "Washington wants limits on enrichment."
  - kind: position
    type: red-line
    holder: iran
    issue: nuclear-program
    quote: "Tehran will not discuss its nuclear program."
"""


def test_a_demand_on_a_narrower_issue_meets_a_red_line_on_the_broader_one(project):
    project.add("doc", "Washington wants limits on enrichment. Tehran will not discuss its nuclear program.\n",
                NARROWER)
    result = build(project.root)
    assert derived(result, IMP.InclusionMismatch) == {(frozenset({US, IRAN}), issues("nuclear-program"))}
    assert result.derived["inclusion-mismatch"] > 0


def test_without_positions_no_mismatch_is_invented(project):
    project.add("doc", "Nothing is said here.\n")
    result = build(project.root)
    assert derived(result, IMP.InclusionMismatch) == set()
    assert set(result.graph.dataset.graph(GRAPH_DERIVED)) == set()


def test_rules_that_never_settle_are_stopped(tmp_path, built):
    (tmp_path / "grow.rq").write_text(
        "PREFIX imp: <https://w3id.org/impasse/ontology#>\n"
        "CONSTRUCT { ?next a imp:Issue } WHERE { ?i a imp:Issue BIND (IRI(CONCAT(STR(?i), 'x')) AS ?next) }\n"
    )
    with pytest.raises(KgError, match="did not settle after 20 rounds"):
        derive(build(ROOT, rules=False).graph, load_rules(tmp_path))


def test_a_rule_with_a_syntax_error_names_file_line_and_column(tmp_path):
    (tmp_path / "bad.rq").write_text("CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p }\n")
    with pytest.raises(QuerySyntaxError, match=r"bad.rq:\d+:\d+: SPARQL syntax error"):
        load_rules(tmp_path)


def test_rules_are_plain_sparql_any_engine_rederives(built):
    """Run the rules with rdflib's own engine over the asserted graph: same mismatches."""
    from kg.store import merged_graph

    asserted = merged_graph(build(ROOT, rules=False).graph)
    for _ in range(3):  # two rounds reach the fixed point; a third adds nothing
        for rule in load_rules(ROOT / "queries" / "rules"):
            for triple in asserted.query(rule.text):
                asserted.add(triple)
    ours = merged_graph(built.graph)
    for cls in (IMP.InclusionMismatch, IMP.ScopeMismatch, IMP.SequencingMismatch, IMP.BargainingSpace):
        assert set(asserted.subjects(RDF.type, cls)) == set(ours.subjects(RDF.type, cls)), cls
    assert isinstance(next(iter(asserted.subjects(RDF.type, IMP.InclusionMismatch))), URIRef)
