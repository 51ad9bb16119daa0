"""The ontology, the SHACL shapes and the reference data: documented, public IRIs kept."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.vocab import ID, IMP, VANN, WD
from kg.corpus.reference import load_reference

from ..conftest import ROOT

ONTOLOGY = Graph().parse(ROOT / "ontology" / "impasse.ttl")
REFERENCE = load_reference(ROOT / "ontology" / "reference")
ONTOLOGY_IRI = URIRef("https://w3id.org/impasse/ontology")

# The public vocabulary of DESIGN.md: a contract with outside tools.
PUBLIC_CLASSES = """Actor State Person Organization ArmedGroup Issue Position Demand RedLine Objective
    Precondition LeverageAsset Agreement Provision Event NegotiationRound Place AgendaMismatch
    CausalLink Document""".split()
PUBLIC_PROPERTIES = """heldBy onIssue addressedTo party provision limitValue unit participant venue
    mediator format date between evidence cause effect""".split()
SUBCLASSES = [
    ("Actor", "http://www.w3.org/ns/prov#Agent"), ("State", IMP.Actor), ("Person", IMP.Actor),
    ("Organization", IMP.Actor), ("ArmedGroup", IMP.Organization), ("Issue", SKOS.Concept),
    ("Demand", IMP.Position), ("RedLine", IMP.Position), ("Objective", IMP.Position),
    ("Precondition", IMP.Position), ("Event", "http://semanticweb.cs.vu.nl/2009/11/sem/Event"),
    ("NegotiationRound", IMP.Event), ("Document", "http://www.w3.org/ns/prov#Entity"),
]
# Wikidata ids confirmed for this project (issue 2), and three more confirmed against public
# Wikidata usage: Turkey Q43, Egypt Q79, Yemen Q805. A new owl:sameAs must be added here deliberately.
CONFIRMED_WIKIDATA = {f"Q{n}" for n in (794, 30, 842, 801, 41984, 3826, 1741, 71, 3861, 1530, 22686,
                                        796, 846, 851, 858, 822, 43, 79, 805)}


def test_ontology_header():
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license,
                 VANN.preferredNamespacePrefix, VANN.preferredNamespaceUri):
        assert ONTOLOGY.value(ONTOLOGY_IRI, prop) is not None, prop
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ONTOLOGY
    assert str(ONTOLOGY.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri)) == str(IMP)


def test_every_imp_term_has_label_comment_and_is_defined_by():
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
    terms = {s for kind in kinds for s in ONTOLOGY.subjects(RDF.type, kind) if str(s).startswith(str(IMP))}
    assert len(terms) > 100
    for term in terms:
        assert ONTOLOGY.value(term, RDFS.label) is not None, term
        assert ONTOLOGY.value(term, RDFS.comment) is not None, term
        assert ONTOLOGY.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, term


@pytest.mark.parametrize("name", PUBLIC_CLASSES)
def test_public_classes_exist(name):
    assert (IMP[name], RDF.type, OWL.Class) in ONTOLOGY


@pytest.mark.parametrize("name", PUBLIC_PROPERTIES)
def test_public_properties_exist(name):
    kinds = {ONTOLOGY.value(IMP[name], RDF.type)}
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name


@pytest.mark.parametrize("name, parent", SUBCLASSES)
def test_public_class_hierarchy(name, parent):
    assert (IMP[name], RDFS.subClassOf, URIRef(parent)) in ONTOLOGY


def test_shapes_are_valid_shacl():
    from pyshacl import validate

    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, _, text = validate(shapes, shacl_graph=None, meta_shacl=True, inference="none")
    assert conforms, text


def test_same_as_only_to_confirmed_wikidata_items():
    targets = {str(o) for o in REFERENCE.graph.objects(None, OWL.sameAs)}
    assert targets, "no Wikidata links at all"
    assert {t.removeprefix(str(WD)) for t in targets} <= CONFIRMED_WIKIDATA
    assert (ID["actor/iran"], OWL.sameAs, WD.Q794) in REFERENCE.graph


@pytest.mark.parametrize("alias, key", [
    ("Washington", "actor/united-states"), ("Tehran", "actor/iran"), ("U.S.", "actor/united-states"),
    ("the 2015 nuclear agreement", "agreement/jcpoa"), ("allied armed groups", "actor/iran-aligned-armed-groups"),
    ("regional partners", "actor/iran-aligned-armed-groups"), ("proxy networks", "actor/iran-aligned-armed-groups"),
    ("Adm. Brad Cooper", "actor/brad-cooper"), ("nuclear file", "issue/nuclear-program"),
])
def test_aliases_the_text_uses(alias, key):
    assert (ID[key], SKOS.altLabel, Literal(alias, lang="en")) in REFERENCE.graph


def test_issue_scheme_has_a_hierarchy_without_cycles():
    issues = REFERENCE.keys["issue"]
    broader = {ID[f"issue/{k}"]: set(REFERENCE.graph.objects(iri, SKOS.broader)) for k, iri in issues.items()}
    assert ID["issue/nuclear-program"] in broader[ID["issue/uranium-enrichment"]]
    assert ID["issue/nuclear-program"] in broader[ID["issue/inspection-access"]]
    for start in broader:
        seen, frontier = set(), set(broader[start])
        while frontier:
            node = frontier.pop()
            assert node != start, f"cycle through {start}"
            seen.add(node)
            frontier |= broader.get(node, set()) - seen
    for iri in issues.values():
        assert (iri, SKOS.inScheme, ID["scheme/issues"]) in REFERENCE.graph


def test_reference_entities_are_typed_with_ontology_classes():
    classes = set(ONTOLOGY.subjects(RDF.type, OWL.Class))
    for category in REFERENCE.keys.values():
        for iri in category.values():
            types = set(REFERENCE.graph.objects(iri, RDF.type))
            assert types and types <= classes, iri
