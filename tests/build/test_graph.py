"""The built graph: provenance for every fact, SHACL conformance, OWL consistency."""

from __future__ import annotations

import os

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from kg.build.builder import build
from kg.corpus.documents import load_corpus
from kg.vocab import GRAPH_DERIVED, GRAPH_ONTOLOGY, GRAPH_REFERENCE, ID, IMP, OA, document_iri
from kg.derive.reasoning import check_consistency, java_runtime, reason
from kg.store import to_ox_quad
from kg.derive.validation import validate

from ..conftest import ROOT

SHAPES = ROOT / "ontology" / "shapes.ttl"
PREFIXES = "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX prov: <http://www.w3.org/ns/prov#> "


def test_every_quote_is_the_document_text_at_its_offsets(built):
    texts = {str(document_iri(d.slug)): d.text for d in load_corpus(ROOT / "corpus")}
    rows = list(built.graph.dataset.query(PREFIXES + """
        SELECT ?ev ?doc ?exact ?prefix ?suffix ?start ?end WHERE { GRAPH ?g {
            ?ev oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
            ?q a oa:TextQuoteSelector ; oa:exact ?exact .
            OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix }
            ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        } }"""))
    assert len(rows) == len({ev for ev, *_ in rows}) > 250
    for ev, doc, exact, prefix, suffix, start, end in rows:
        text = texts[str(doc)]
        start, end = int(start), int(end)
        assert text[start:end] == str(exact), ev
        assert text[:start].endswith(str(prefix or "")) and text[end:].startswith(str(suffix or "")), ev


def test_every_node_in_a_document_graph_rests_on_evidence(built):
    """A fact without a quote does not enter the graph: every subject of a document graph is
    the document, its furniture, an evidence node or selector, or has prov:wasDerivedFrom."""
    ds = built.graph.dataset
    for doc in built.documents:
        graph = ds.graph(ID[f"graph/{doc.slug}"])
        derived = set(graph.subjects(PROV.wasDerivedFrom, None))
        support = set(graph.subjects(RDF.type, IMP.Evidence)) | set(graph.objects(None, OA.hasSelector))
        support |= {document_iri(doc.slug)} | set(graph.objects(document_iri(doc.slug), IMP.furniture))
        subjects = set(graph.subjects())
        assert subjects, doc.slug
        assert subjects - support <= derived, sorted(subjects - support - derived)[:5]
        # ... and every evidence node of this graph quotes this graph's document.
        for ev in graph.subjects(RDF.type, IMP.Evidence):
            assert graph.value(ev, OA.hasSource) == document_iri(doc.slug)


def test_named_graphs(built):
    names = {str(c.identifier) for c in built.graph.dataset.graphs()} - {"urn:x-rdflib:default"}
    expected = {str(GRAPH_ONTOLOGY), str(GRAPH_REFERENCE), str(GRAPH_DERIVED)}
    assert names == expected | {str(ID[f"graph/{d.slug}"]) for d in built.documents}


def test_the_same_position_from_two_documents_is_one_node_with_evidence_from_each(built):
    rows = list(built.graph.dataset.query(PREFIXES + """
        SELECT ?fact (COUNT(DISTINCT ?doc) AS ?docs) WHERE {
            GRAPH ?g { ?fact prov:wasDerivedFrom ?ev . ?ev oa:hasSource ?doc } }
        GROUP BY ?fact HAVING (COUNT(DISTINCT ?doc) > 1)"""))
    corroborated = {str(fact) for fact, _ in rows}
    assert str(ID["event/june-2025-war"]) in corroborated
    assert str(ID["round/muscat-talks"]) in corroborated


def test_rebuild_mints_the_same_iris(built):
    again = build(ROOT)
    reason(again.graph)
    assert {q for q in again.graph.quads()} == {q for q in built.graph.quads()}


def test_the_built_graph_conforms_to_the_shapes(built):
    report = validate(built.graph, SHAPES)
    assert report.conforms, report.text


def _broken(built, *quads):
    graph = build(ROOT)
    graph.graph.load(to_ox_quad(*q) for q in quads)
    return graph.graph


def test_shapes_catch_a_position_without_evidence_and_a_quote_off_its_offsets(built):
    g = ID["graph/shafaq-why-us-iran-talks-keep-failing"]
    position = ID["position/test-without-evidence"]
    evidence = next(iter(built.graph.dataset.graph(g).subjects(RDF.type, IMP.Evidence)))
    selector = next(s for s in built.graph.dataset.graph(g).objects(evidence, OA.hasSelector)
                    if (s, RDF.type, OA.TextPositionSelector) in built.graph.dataset.graph(g))
    graph = _broken(
        built,
        (position, RDF.type, IMP.RedLine, g),
        (position, IMP.heldBy, ID["actor/iran"], g),
        (position, IMP.onIssue, ID["issue/ballistic-missiles"], g),
        (selector, OA.end, Literal(999_999), g),
    )
    report = validate(graph, SHAPES)
    assert not report.conforms
    focus = {str(o) for o in report.graph.objects(None, URIRef("http://www.w3.org/ns/shacl#focusNode"))}
    assert str(position) in focus
    assert "run past the end of its document" in report.text


needs_java = pytest.mark.skipif(
    java_runtime() is None and not os.environ.get("CI"), reason="no Java runtime: HermiT cannot run"
)


@needs_java
def test_hermit_finds_the_graph_consistent(built):
    report = check_consistency(built.graph)
    assert report.consistent, report
    assert report.unsatisfiable == []


@needs_java
def test_hermit_detects_an_inconsistency(built):
    """A State is not a Person (the ontology says so): asserting both must be caught."""
    graph = _broken(built, (ID["actor/iran"], RDF.type, IMP.Person, GRAPH_REFERENCE))
    assert not check_consistency(graph).consistent
