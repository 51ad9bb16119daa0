"""A fact kind is defined once, in kg/corpus/factkinds.py; the ontology and the shapes must agree with it.

Adding a kind means editing factkinds.py (fields, class, label), ontology/impasse.ttl (its class
and properties) and ontology/shapes.ttl (a shape for its class): these tests fail until the
three agree.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Namespace

from kg.corpus.factkinds import ENUMS, KINDS

from ..conftest import ROOT

SH = Namespace("http://www.w3.org/ns/shacl#")
ONTOLOGY = Graph().parse(ROOT / "ontology" / "impasse.ttl")
SHAPES = Graph().parse(ROOT / "ontology" / "shapes.ttl")
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}


def _classes(kind) -> set:
    if kind.rdf_class is not None:
        return {kind.rdf_class}
    if kind.class_field:
        enum = kind.field(kind.class_field).type.partition(":")[2]
        return set(ENUMS[enum].values())
    return set()


def _targeted(cls) -> bool:
    """Whether a shape targets the class or one of its superclasses (SHACL reaches subclasses)."""
    targets = set(SHAPES.objects(None, SH.targetClass))
    return any(sup in targets for sup in ONTOLOGY.transitive_objects(cls, RDFS.subClassOf))


def test_every_class_of_a_fact_kind_is_in_the_ontology_and_has_a_shape():
    for kind in KINDS.values():
        for cls in _classes(kind):
            assert (cls, RDF.type, OWL.Class) in ONTOLOGY, f"{kind.name}: {cls} is not an owl:Class of the ontology"
            assert _targeted(cls), f"{kind.name}: no shape targets {cls} (or a superclass)"


def test_every_field_predicate_is_a_property_of_the_ontology():
    for kind in KINDS.values():
        for field in kind.fields:
            if field.predicate is not None:
                declared = set(ONTOLOGY.objects(field.predicate, RDF.type)) & PROPERTY_TYPES
                assert declared, f"{kind.name}.{field.name}: {field.predicate} is not declared in the ontology"


def test_every_kind_says_how_its_label_is_made():
    for kind in KINDS.values():
        assert kind.label == "given" or callable(kind.label), kind.name
        if kind.label == "given" and kind.subject_field is None:
            assert kind.field("label") is not None, f"{kind.name}: a given label needs a label field"
