"""Facts a rule extracted are visibly marked in the views (issue 5): rule, confidence, not reviewed."""

from __future__ import annotations

from decimal import Decimal

from kg.builder import build
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
