"""Facts a rule extracted are visibly marked in the views (issue 5): rule, confidence, not reviewed."""

from __future__ import annotations

from decimal import Decimal

from kg.build.builder import build
from kg.views.site import render_views

FACTS = """\
document: doc
facts:
  - kind: position
    type: red-line
    holder: iran
    issue: ballistic-missiles
    status: proposed
    method: extracted
    rule: positions.reject
    confidence: 0.7
    quote: "Iran rejects talks on missiles."
  - kind: position
    type: demand
    holder: united-states
    issue: ballistic-missiles
    quote: "Washington demands talks on missiles."
"""


def test_extracted_quotes_carry_their_rule_and_confidence(project):
    project.add("doc", "Iran rejects talks on missiles. Washington demands talks on missiles.\n", FACTS)
    pages = render_views(build(project.root, include_proposed=Decimal("0.5")).graph)
    page = pages["mismatch-map.html"]
    assert "extracted by positions.reject, confidence 0.7, not reviewed" in page
    # the curated demand's quote is shown without such a mark
    assert page.count("not reviewed") == page.count("positions.reject")
    assert "Washington demands talks on missiles." in page


def test_a_merged_graph_reads_but_the_ontology_page_says_what_it_needs():
    """Regression: graph names were read as `.value`, which a default-graph quad (a graph
    loaded from Turtle) lacks; the ontology page then failed inside pyLODE."""
    import pytest

    from kg.errors import KgError
    from kg.store import load_graph
    from kg.views.graphdata import GraphData
    from kg.views.site import ontology_page

    from ..conftest import ROOT

    merged = load_graph(ROOT / "exports" / "impasse.ttl")
    assert GraphData(merged).triple_count > 6000
    with pytest.raises(KgError, match="no named graph <https://w3id.org/impasse/id/graph/ontology>"):
        ontology_page(merged)
