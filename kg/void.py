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
from collections import Counter, defaultdict

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
        their distinct triples and the size of each graph are known already, and are counted
        off their sorted lines (:meth:`_Statistics.of_lines`).
    :returns: the triples, sorted.
    """
    stats = _Statistics.of_lines(quads) if quads is not None else _Statistics.of_quads(graph)
    out, classes, properties, subclasses, sizes = (stats.out, stats.classes, stats.properties, stats.subclasses,
                                                   stats.sizes)
    declared = sorted((s for s in classes.get(_iri(VOID + "Dataset"), ())), key=lambda s: s.value)
    dataset = declared[0] if declared else ox.NamedNode(f"{ID}dataset")
    triples = [ox.Triple(dataset, p, o) for p, objects in out.get(dataset, {}).items() for o in objects]
    add = lambda s, p, o: triples.append(ox.Triple(s, _iri(p) if isinstance(p, str) else p, o))  # noqa: E731
    add(dataset, OX_RDF_TYPE, _iri(VOID + "Dataset"))
    add(dataset, OX_RDF_TYPE, _iri(DCAT + "Dataset"))

    # counts: https://www.w3.org/TR/void/#statistics
    add(dataset, VOID + "triples", _count(stats.triples))
    add(dataset, VOID + "entities", _count(stats.entities))
    add(dataset, VOID + "distinctSubjects", _count(stats.subjects))
    add(dataset, VOID + "distinctObjects", _count(stats.objects))
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


class _Statistics:
    """What the description counts and reads of the graph's distinct triples (their union over the
    named graphs): by subject (``out``: subject -> predicate -> objects, read where needed),
    the members of each class, the triples of each property, the subclasses of each class, the
    counts, and the distinct triples of each named graph."""

    out: object  # subject -> predicate -> set of objects (a dict, or read on demand: _LinesBySubject)
    classes: dict
    properties: dict
    subclasses: dict
    sizes: dict
    triples: int
    entities: int
    subjects: int
    objects: int

    @classmethod
    def of_quads(cls, graph: KnowledgeGraph) -> _Statistics:
        """From the bag of quads, term by term."""
        stats = cls()
        out: dict = defaultdict(lambda: defaultdict(set))
        per_graph: dict[str | None, set] = defaultdict(set)
        for quad in graph.quads():
            out[quad.subject][quad.predicate].add(quad.object)
            per_graph[graph_name(quad)].add((quad.subject, quad.predicate, quad.object))
        stats.sizes = {name: len(members) for name, members in per_graph.items()}
        distinct = [(s, p, o) for s, predicates in out.items() for p, objects in predicates.items() for o in objects]
        stats.classes, stats.properties, stats.subclasses = defaultdict(set), defaultdict(int), defaultdict(set)
        for s, p, o in distinct:
            stats.properties[p] += 1
            if p == OX_RDF_TYPE and isinstance(o, ox.NamedNode):
                stats.classes[o].add(s)
            elif p == OX_RDFS_SUBCLASS_OF:
                stats.subclasses[o].add(s)
        stats.out, stats.triples, stats.subjects = out, len(distinct), len(out)
        stats.entities = sum(isinstance(s, ox.NamedNode) for s in out)
        stats.objects = len({o for _, _, o in distinct})
        return stats

    @classmethod
    def of_lines(cls, quads: EngineQuads) -> _Statistics:
        """From the sorted N-Triples lines the exports read, off the text (:data:`_PREDICATE`, :data:`_OBJECT`,
        :data:`_TYPED`): converting every line into terms took most of the description's 3.5 s at
        100 documents. The subjects a description reads in full (the dataset, the documents,
        their publishers) are parsed alone."""
        stats = cls()
        text, groups = quads.triple_text(), quads.subject_groups()
        stats.sizes = quads.graph_sizes()
        stats.properties = {_iri(p[1:-1].decode("utf-8")): n for p, n in Counter(_PREDICATE.findall(text)).items()}
        stats.triples, stats.subjects = len(quads.triple_lines()), len(groups)
        stats.entities = sum(group[:1] == b"<" for group in groups)
        stats.objects = len(set(_OBJECT.findall(text)))
        stats.classes, stats.subclasses = defaultdict(set), defaultdict(set)
        for subject, predicate, obj in _TYPED.findall(text):
            if predicate == _RDF_TYPE and obj[:1] == b"<":
                stats.classes[_term(obj)].add(_term(subject))
            elif predicate == _SUBCLASS_OF:
                stats.subclasses[_term(obj)].add(_term(subject))
        stats.out = _LinesBySubject(groups)
        return stats


class _LinesBySubject:
    """subject -> predicate -> objects, each subject's lines parsed when it is first asked for."""

    def __init__(self, groups: list[bytes]):
        self._groups = {group[:group.index(b" ")]: group for group in groups}
        self._read: dict = {}

    def get(self, subject, default=None):
        token = f"<{subject.value}>" if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        group = self._groups.get(token.encode("utf-8"))
        if group is None:
            return default
        if token not in self._read:
            found: dict = defaultdict(set)
            for triple in ox.parse(group, format=ox.RdfFormat.N_TRIPLES):
                found[triple.predicate].add(triple.object)
            self._read[token] = found
        return self._read[token]

    def __getitem__(self, subject):
        found = self.get(subject)
        if found is None:
            raise KeyError(subject)
        return found


def _term(token: bytes) -> ox.NamedNode | ox.BlankNode:
    """The IRI (``<…>``, as Oxigraph writes it: unescaped) or blank node (``_:…``) of an N-Triples token."""
    return ox.NamedNode(token[1:-1].decode("utf-8")) if token[:1] == b"<" else ox.BlankNode(token[2:].decode("utf-8"))


_RDF_TYPE, _SUBCLASS_OF = (f"<{term.value}>".encode() for term in (OX_RDF_TYPE, OX_RDFS_SUBCLASS_OF))
#: The predicate of each N-Triples line (a subject holds no space).
_PREDICATE = re.compile(rb"^[^ \n]+ ([^ \n]+) ", re.M)
#: The object of each line: everything between the predicate and the final " ." (literals escape newlines).
_OBJECT = re.compile(rb"^[^ \n]+ [^ \n]+ ([^\n]*) \.$", re.M)
#: (subject, predicate, object) of the rdf:type and rdfs:subClassOf lines whose object is an IRI or a blank node.
_TYPED = re.compile(rb"^([^ \n]+) (" + re.escape(_RDF_TYPE) + b"|" + re.escape(_SUBCLASS_OF)
                    + rb") ([<_][^ \n]*) \.$", re.M)


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
