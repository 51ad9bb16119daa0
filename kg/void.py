"""The dataset description: VoID and DCAT for catalogues, written to exports/void.ttl and served.

What the project says about its dataset (title, description, licence, keywords) is data: the
``void:Dataset`` of the reference data (``ontology/reference/dataset.ttl``). To it this module
adds what the graph itself tells: its counts (distinct triples, entities, subjects, objects,
classes, properties, with a partition per class and per property), the vocabularies it uses,
example resources, its sources (every document, with its URL, date and publisher), a subset
per named graph, and, for `kg build`, a distribution per export file with its media type and
size; for `kg serve`, the SPARQL endpoint. Specs: VoID (https://www.w3.org/TR/void/), DCAT 3
(https://www.w3.org/TR/vocab-dcat-3/).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from .formats import FORMATS, W3C_FORMATS, EngineQuads, compact
from .store import KnowledgeGraph, graph_name
from .vocab import DCTERMS, ID, IMP, OX_RDF_TYPE, OX_RDFS_LABEL, OX_RDFS_SUBCLASS_OF, PREFIXES, XSD_INTEGER

VOID, DCAT = PREFIXES["void"], PREFIXES["dcat"]
#: IANA's registry of media types: DCAT names a distribution's media type by its IRI there.
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: The kinds of node that make good examples, one each (the first by IRI): void:exampleResource.
EXAMPLE_CLASSES = ("AgendaMismatch", "RedLine", "Demand", "State", "Document")
#: What a source document's description carries over from the graph.
_SOURCE_PROPERTIES = tuple(str(DCTERMS[name]) for name in ("title", "source", "date", "publisher", "language"))


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def _namespace(iri: str) -> str:
    """The vocabulary an IRI belongs to: everything up to its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def _node(*parts: str) -> ox.BlankNode:
    """A named blank node for a partition or distribution: ``_:class-imp-State``, stable across builds."""
    return ox.BlankNode(re.sub(r"[^A-Za-z0-9]+", "-", "-".join(parts)).strip("-"))


def describe(graph: KnowledgeGraph, *, files: dict[str, tuple[str, int]] | None = None,
             endpoint: str | None = None, quads: EngineQuads | None = None) -> list[ox.Triple]:
    """The VoID and DCAT description of a built graph.

    :param files: export file name -> (its format's name in :data:`kg.formats.FORMATS`, size in
        bytes): a ``dcat:Distribution`` each.
    :param endpoint: the URL of a SPARQL endpoint serving the graph (``void:sparqlEndpoint``).
    :param quads: the graph's quads as the exports read them (:class:`kg.formats.EngineQuads`):
        their distinct triples and the size of each graph are known already, and reading the
        bag of quads again took a second at 100 documents.
    :returns: the triples, sorted.
    """
    out: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # distinct triples, by subject
    if quads is not None:
        for triple in quads.sorted_triples():
            out[triple.subject][triple.predicate].add(triple.object)
        sizes = quads.graph_sizes()
    else:
        per_graph: dict[str | None, set] = defaultdict(set)
        for quad in graph.quads():
            out[quad.subject][quad.predicate].add(quad.object)
            per_graph[graph_name(quad)].add((quad.subject, quad.predicate, quad.object))
        sizes = {name: len(members) for name, members in per_graph.items()}
    declared = sorted((s for s, p in out.items() if _iri(VOID + "Dataset") in p.get(OX_RDF_TYPE, ())),
                      key=lambda s: s.value)
    dataset = declared[0] if declared else ox.NamedNode(f"{ID}dataset")
    triples = [ox.Triple(dataset, p, o) for p, objects in out.get(dataset, {}).items() for o in objects]
    add = lambda s, p, o: triples.append(ox.Triple(s, _iri(p) if isinstance(p, str) else p, o))  # noqa: E731
    add(dataset, OX_RDF_TYPE, _iri(VOID + "Dataset"))
    add(dataset, OX_RDF_TYPE, _iri(DCAT + "Dataset"))

    # counts: https://www.w3.org/TR/void/#statistics
    distinct = [(s, p, o) for s, predicates in out.items() for p, objects in predicates.items() for o in objects]
    classes: dict[ox.NamedNode, set] = defaultdict(set)
    properties: dict[ox.NamedNode, int] = defaultdict(int)
    for s, p, o in distinct:
        properties[p] += 1
        if p == OX_RDF_TYPE and isinstance(o, ox.NamedNode):
            classes[o].add(s)
    entities = {s for s in out if isinstance(s, ox.NamedNode)}
    add(dataset, VOID + "triples", _count(len(distinct)))
    add(dataset, VOID + "entities", _count(len(entities)))
    add(dataset, VOID + "distinctSubjects", _count(len(out)))
    add(dataset, VOID + "distinctObjects", _count(len({o for _, _, o in distinct})))
    add(dataset, VOID + "classes", _count(len(classes)))
    add(dataset, VOID + "properties", _count(len(properties)))
    add(dataset, VOID + "uriSpace", ox.Literal(str(ID)))
    for vocabulary in sorted({_namespace(p.value) for p in properties} | {_namespace(c.value) for c in classes}):
        add(dataset, VOID + "vocabulary", _iri(vocabulary))
    for cls, members in classes.items():
        part = _node("class", compact(cls.value) or cls.value)
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", cls)
        add(part, VOID + "entities", _count(len(members)))
    for prop, count in properties.items():
        part = _node("property", compact(prop.value) or prop.value)
        add(dataset, VOID + "propertyPartition", part)
        add(part, VOID + "property", prop)
        add(part, VOID + "triples", _count(count))
    subclasses: dict[ox.NamedNode, set] = defaultdict(set)
    for s, p, o in distinct:
        if p == OX_RDFS_SUBCLASS_OF:
            subclasses[o].add(s)
    for name in EXAMPLE_CLASSES:
        below, todo = set(), [ox.NamedNode(str(IMP[name]))]
        while todo:  # the class and every class under it
            cls = todo.pop()
            if cls not in below:
                below.add(cls)
                todo.extend(subclasses.get(cls, ()))
        members = sorted({m for cls in below for m in classes.get(cls, ())}, key=lambda s: s.value)
        if members:
            add(dataset, VOID + "exampleResource", members[0])

    # sources: each document, with where and when it was published
    for document in sorted(classes.get(ox.NamedNode(str(IMP.Document)), ()), key=lambda s: s.value):
        add(dataset, str(DCTERMS.source), document)
        add(document, OX_RDF_TYPE, ox.NamedNode(str(IMP.Document)))
        for prop in _SOURCE_PROPERTIES:
            for value in out[document].get(ox.NamedNode(prop), ()):
                add(document, prop, value)
                if isinstance(value, ox.NamedNode):  # a publisher that is an actor: its name too
                    for label in out.get(value, {}).get(OX_RDFS_LABEL, ()):
                        add(value, OX_RDFS_LABEL, label)
    # a subset per named graph (one per document, the ontology, the reference data, the derived graph)
    for name, size in sizes.items():
        if name is None:
            continue
        subset = ox.NamedNode(name)
        add(dataset, VOID + "subset", subset)
        add(subset, OX_RDF_TYPE, _iri(VOID + "Dataset"))
        add(subset, VOID + "triples", _count(size))
    for file, (fmt_name, size) in sorted((files or {}).items()):
        fmt = FORMATS[fmt_name]
        distribution = _node("distribution", file)
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, OX_RDF_TYPE, _iri(DCAT + "Distribution"))
        add(distribution, str(DCTERMS.title), ox.Literal(file))
        add(distribution, str(DCTERMS["format"]), ox.Literal(fmt.media_type))
        if fmt.iana:
            add(distribution, DCAT + "mediaType", _iri(IANA_MEDIA_TYPES + fmt.media_type))
        if fmt.w3c:
            add(distribution, str(DCTERMS.conformsTo), _iri(W3C_FORMATS + fmt.w3c))
        add(distribution, DCAT + "byteSize", _count(size))
        for licence in out.get(dataset, {}).get(ox.NamedNode(str(DCTERMS.license)), ()):
            add(distribution, str(DCTERMS.license), licence)
    return with_endpoint(triples, endpoint) if endpoint else _sorted(triples)


def with_endpoint(triples: list[ox.Triple], endpoint: str) -> list[ox.Triple]:
    """A description from :func:`describe` with ``void:sparqlEndpoint`` added: a server makes
    the description once, and names itself by the URL each client used."""
    dataset = next(t.subject for t in triples if t.predicate.value == VOID + "uriSpace")
    return _sorted([*triples, ox.Triple(dataset, _iri(VOID + "sparqlEndpoint"), _iri(endpoint))])


def _sorted(triples: list[ox.Triple]) -> list[ox.Triple]:
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def write_description(triples: list[ox.Triple]) -> bytes:
    """The description as Turtle, sorted, with the exports' prefixes."""
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
