"""The derivation rules written for scale derive what their direct formulations derive.

queries/rules/ finds each rule's (A, B, issue) keys first and attaches the evidence after,
because the direct pairwise joins (tests/rules_reference/) grow with the square of the
articles. On the one-copy corpus the two forms could agree by accident; on a synthetic
corpus of three copies of every document, with the actors and issues shared (so that every
actor holds positions in several articles), they must still give the same triples.
"""

from __future__ import annotations

import importlib.util

import pyoxigraph as ox
import pytest

from kg.derive.rules import load_rules

from ..conftest import ROOT

REFERENCE = ROOT / "tests" / "rules_reference"


@pytest.fixture(scope="module")
def synthetic():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)  # a script beside the tests, not a package: loaded by path
    generate, template = generator.generate, generator.template

    shared, documents, _ = template()
    store = ox.Store()
    store.bulk_extend(generate(len(shared) + 3 * len(documents)))
    return store


@pytest.mark.parametrize("rule", [r for r in load_rules(ROOT / "queries" / "rules")
                                  if (REFERENCE / f"{r.name}.rq").is_file()], ids=lambda r: r.name)
def test_a_rewritten_rule_derives_what_its_reference_derives(rule, synthetic):
    reference = (REFERENCE / f"{rule.name}.rq").read_text(encoding="utf-8")
    ours = set(synthetic.query(rule.text, use_default_graph_as_union=True))
    theirs = set(synthetic.query(reference, use_default_graph_as_union=True))
    assert ours, f"{rule.name} derives nothing on the synthetic corpus: the comparison proves nothing"
    assert ours == theirs


def test_every_pairwise_rule_has_a_reference():
    assert {p.stem for p in REFERENCE.glob("*.rq")} == {
        "scope-mismatch", "bargaining-space", "inclusion-mismatch", "sequencing-mismatch"}
