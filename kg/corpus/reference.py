"""Reference data: the actors, places, issues, agreements and kinds the facts refer to by key.

An entity's key is the last segment of its IRI, ``id:<category>/<key>``
(for example ``id:actor/iran``); see ontology/reference/*.ttl.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from ..errors import ReferenceDataError
from .factkinds import REFERENCE_CATEGORIES
from ..vocab import ID


@dataclass
class Reference:
    """The reference graph with an index from (category, key) to IRI and from IRI to label."""

    graph: Graph
    keys: dict[str, dict[str, URIRef]]
    labels: dict[URIRef, str]
    minted: frozenset[URIRef] = frozenset()  # the entities minted from documents (with_entities)

    def with_entities(self, entities) -> Reference:
        """This reference data and the entities minted from documents (``.category``, ``.key``,
        ``.iri``, ``.label``), so that facts can name them by key; reference entities win."""
        keys = {category: dict(known) for category, known in self.keys.items()}
        labels = dict(self.labels)
        minted = set(self.minted)
        for entity in entities:
            if entity.key not in keys[entity.category]:
                keys[entity.category][entity.key] = entity.iri
                labels[entity.iri] = entity.label
                minted.add(entity.iri)
        return Reference(graph=self.graph, keys=keys, labels=labels, minted=frozenset(minted))

    def aliases(self, iri: URIRef) -> list[str]:
        """The label and every alias of an entity, in a stable order."""
        names = {str(o) for o in self.graph.objects(iri, RDFS.label)}
        names |= {str(o) for o in self.graph.objects(iri, SKOS.altLabel)}
        return sorted(names)


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file, turning a syntax error into a message naming the file."""
    graph = Graph()
    if not Path(path).exists():  # else rdflib reports a missing file as bad syntax, at a URL it made up
        raise ReferenceDataError(f"{path}: no such file")
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise ReferenceDataError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


def load_reference(reference_dir: str | Path) -> Reference:
    """Read every ``*.ttl`` file of the reference folder and index its keys.

    :raises ReferenceDataError: on a file that does not parse, or an entity without a label.
    """
    reference_dir = Path(reference_dir)
    paths = sorted(reference_dir.glob("*.ttl"))
    if not paths:
        raise ReferenceDataError(f"{reference_dir}: no reference data (*.ttl)")
    graph = Graph()
    for path in paths:
        graph += parse_turtle(path)
    keys: dict[str, dict[str, URIRef]] = {category: {} for category in REFERENCE_CATEGORIES}
    labels: dict[URIRef, str] = {}
    for subject in sorted(set(graph.subjects())):
        if not isinstance(subject, URIRef) or not subject.startswith(str(ID)):
            continue
        category, _, key = subject[len(ID) :].partition("/")
        if category not in keys or not key:
            continue
        names = sorted(str(o) for o in graph.objects(subject, RDFS.label))
        if not names:
            raise ReferenceDataError(f"{reference_dir}: {subject} has no rdfs:label")
        keys[category][key] = subject
        labels[subject] = names[0]
    return Reference(graph=graph, keys=keys, labels=labels)
