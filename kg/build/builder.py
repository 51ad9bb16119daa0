"""Build: ontology + reference data + corpus into one dataset, every fact with its provenance.

Named graphs: the ontology, the reference data, and one graph per document holding the
document's description and its facts. IRIs are minted from content, so a rebuild mints the
same ones. Provenance follows DESIGN.md: ``prov:wasDerivedFrom`` an ``imp:Evidence`` node
with ``oa:hasSource`` and two selectors (Web Annotation, sections 4.2.4 and 4.2.1).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..corpus.dates import parse_date
from ..derive.rules import derive, distinct_triples, load_rules
from ..corpus.documents import Document, load_corpus
from ..corpus.facts import CONTEXT_CHARS, Evidence, Fact, load_facts, read_facts_file
from ..corpus.factkinds import METHODS
from ..corpus.mentions import EntityDecl, MentionRecord, Mentions, load_mentions
from ..vocab import GRAPH_ONTOLOGY, GRAPH_REFERENCE, ID, IMP, OA, document_graph, document_iri
from ..corpus.reference import Reference, load_reference, parse_turtle
from ..project import Project
from ..store import KnowledgeGraph, graph_name, open_store, to_ox, to_ox_quad
from .cache import BuildCache

_DOCUMENT_KINDS = {"news": IMP.NewsReport, "analysis": IMP.Analysis}


@dataclass
class BuildResult:
    """What a build produced: the graph, its inputs, and figures for the summary."""

    graph: KnowledgeGraph
    documents: list[Document]
    facts: list[Fact]
    not_built: list[Fact] = field(default_factory=list)  # proposed facts left out
    derived: dict[str, int] = field(default_factory=dict)  # triples each rule added
    reused: list[str] = field(default_factory=list)  # documents whose quads came from the cache
    #: The graph's distinct triples in one store (:func:`kg.derive.rules.distinct_triples`), made
    #: for the rules and kept in step with the graph, for reasoning and validation to read after
    #: (None: no rules ran, or the engine is not Oxigraph).
    distinct: ox.Store | None = None

    def class_counts(self) -> dict[str, int]:
        """Instances per imp: class over reference data and documents (asserted types)."""
        typed = set()  # a node typed in several graphs counts once
        ontology = str(GRAPH_ONTOLOGY)
        for quad in self.graph.quads_for_pattern(None, to_ox(RDF.type), None, None):
            if graph_name(quad) != ontology and quad.object.value.startswith(str(IMP)):
                typed.add((quad.object.value[len(IMP):], quad.subject.value))
        return dict(sorted(Counter(name for name, _ in typed).items()))

    def facts_per_document(self) -> dict[str, dict[str, int]]:
        """Built facts per document slug, per kind."""
        table: dict[str, Counter[str]] = {doc.slug: Counter() for doc in self.documents}
        for fact in self.facts:
            table[fact.document][fact.kind] += 1
        return {slug: dict(sorted(kinds.items())) for slug, kinds in table.items()}


def load_ontology(path: Path) -> Graph:
    """Parse the ontology; blank nodes get canonical labels so that exports are byte-stable."""
    return to_canonical_graph(parse_turtle(path))


def build(root: str | Path = ".", store: str = "memory", include_proposed: Decimal | None = None,
          rules: bool = True, cache: str | Path | None = None) -> BuildResult:
    """Build the knowledge graph of a project.

    :param root: the project folder (with ontology/ and corpus/).
    :param store: where the graph lives (see :func:`kg.store.graph.open_store`).
    :param include_proposed: also build facts with status ``proposed`` whose confidence is
        at least this value; by default only accepted facts are built.
    :param rules: run the derivation rules of ``queries/rules/`` (when the folder exists).
    :param cache: reuse each document's checked facts and quads from this folder (ROOT/.kg-cache,
        :mod:`kg.build.cache`) where its inputs are unchanged, and keep them there; None: no cache.
    :returns: the built graph with its documents and facts.
    :raises KgError: on any bad input, naming file and place; nothing is built then.
    """
    # The load makes millions of short-lived objects and no cycles; the cyclic collector's full
    # passes, each over the whole heap, made it grow faster than the corpus (20% at 100 documents).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(Path(root), store, include_proposed, rules, cache)
    finally:
        if collecting:
            gc.enable()


def _build(root: Path, store: str, include_proposed: Decimal | None, rules: bool,
           cache: str | Path | None) -> BuildResult:
    project = Project(root).require()
    store_cache = BuildCache(cache) if cache is not None else None
    ontology = _ontology_quads(project.ontology, store_cache)
    reference = load_reference(project.reference)
    documents = load_corpus(project.corpus)
    mentions = load_mentions(project.corpus, documents, reference)
    reference = reference.with_entities(mentions.entities.values())
    read = _cached_reader(store_cache, reference) if store_cache is not None else None
    facts = load_facts(project.corpus, documents, reference, read=read)
    built = [f for f in facts if f.status == "accepted"
             or (include_proposed is not None and f.confidence >= include_proposed)]
    chosen = {id(f) for f in built}  # by identity: comparing Fact dataclasses pairwise was quadratic
    left_out = [f for f in facts if id(f) not in chosen]
    entities = _built_entities(mentions, built, include_proposed)
    graph = open_store(store)
    shared = chain(ontology, (to_ox_quad(*triple, GRAPH_REFERENCE) for triple in reference.graph))
    parts = _document_parts(reference, documents, built, mentions, entities, store_cache)
    graph.load(chain(shared, *parts))
    derived, distinct = {}, None
    if rules and project.rules.is_dir():
        distinct = distinct_triples(graph)
        derived = derive(graph, load_rules(project.rules), distinct)
    return BuildResult(graph=graph, documents=documents, facts=built, not_built=left_out, derived=derived,
                       reused=store_cache.reused if store_cache is not None else [], distinct=distinct)


def _document_key(doc: Document) -> str:
    """Everything about a document the build reads, its text by digest."""
    return repr(dataclasses.replace(doc, text=hashlib.sha256(doc.text.encode("utf-8")).hexdigest()))


def _cached_reader(cache: BuildCache, reference: Reference):
    """A facts-file reader that reuses the facts an earlier build checked, for the same file,
    document and reference keys (reading YAML and locating quotes is most of the loading)."""
    keys = cache.key(repr(sorted((category, sorted(known.items())) for category, known in reference.keys.items())))

    def read(path: Path, doc: Document, ref: Reference) -> list[Fact]:
        key = cache.key(keys, str(path), _document_key(doc), path.read_bytes())
        entry = cache.get("facts", key)
        if entry is not None:
            return pickle.loads(entry)  # noqa: S301 - written by this package (kg.build.cache)
        facts = read_facts_file(path, doc, ref)
        cache.put("facts", key, pickle.dumps(facts))
        return facts

    return read


def _built_entities(mentions: Mentions, facts: list[Fact], include_proposed: Decimal | None) -> list[EntityDecl]:
    """Minted entities that enter the graph: accepted, proposed at or above the threshold,
    or named by a fact that is built (and the broader concepts of those)."""
    named = {value for fact in facts for values in fact.values.values()
             for value in (values if isinstance(values, tuple) else (values,)) if isinstance(value, URIRef)}
    chosen = {k: e for k, e in mentions.entities.items() if e.status == "accepted" or e.iri in named
              or (include_proposed is not None and e.confidence >= include_proposed)}
    pending = list(chosen.values())
    while pending:
        entity = pending.pop()
        broader = mentions.entities.get((entity.category, entity.broader or ""))
        if broader is not None and (broader.category, broader.key) not in chosen:
            chosen[(broader.category, broader.key)] = broader
            pending.append(broader)
    return sorted(chosen.values(), key=lambda e: (e.category, e.key))


def _ontology_quads(path: Path, cache: BuildCache | None) -> list[ox.Quad]:
    """The ontology's graph (:func:`load_ontology`), from the cache when the file is unchanged:
    labelling its blank nodes canonically took about a second on every build. The entry is
    N-Quads, which pyoxigraph parses with the blank node labels as written."""
    if cache is None:
        return [to_ox_quad(*triple, GRAPH_ONTOLOGY) for triple in load_ontology(path)]
    key = cache.key("ontology", path.read_bytes())
    entry = cache.get("ontology", key)
    if entry is not None:
        return list(ox.parse(entry, format=ox.RdfFormat.N_QUADS))
    quads = [to_ox_quad(*triple, GRAPH_ONTOLOGY) for triple in load_ontology(path)]
    cache.put("ontology", key, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return quads


def _document_parts(reference: Reference, documents: list[Document], facts: list[Fact], mentions: Mentions,
                    entities: list[EntityDecl], cache: BuildCache | None) -> list[Iterator[ox.Quad]]:
    """The quads of each document's graph, from the cache where its inputs are unchanged.

    A document's graph holds its description, the entities first minted in it, its mentions
    and its facts; what it takes from the rest of the corpus (the labels its facts name, the
    concept scheme of its entities, whether the entity a mention names is built) is part of
    its key.
    """
    publishers = publisher_actors(reference)
    labels = dict(reference.labels)
    for fact in facts:
        if fact.spec.keyed and "label" in fact.values:
            labels[fact_iri(fact)] = str(fact.values["label"])
    texts = {doc.slug: doc.text for doc in documents}
    schemes: dict[str, tuple[URIRef, str | None]] = {}  # category -> (scheme, document declaring it)
    for entity in entities:
        if entity.category in _SCHEMED and entity.category not in schemes:
            scheme, declared = concept_scheme(reference, entity.category)
            schemes[entity.category] = (scheme, None if declared else entity.document)
    built = {(entity.category, entity.key) for entity in entities}
    firsts = {mentions.first_mention(entity) for entity in entities}
    by_doc: dict[str, tuple[list, list, list]] = {doc.slug: ([], [], []) for doc in documents}
    for entity in entities:
        by_doc[entity.document][0].append(entity)
    for mention in mentions.mentions:
        named = (mention.category, mention.key)
        if mention not in firsts and (named in built or named not in mentions.entities):
            by_doc[mention.document][1].append(mention)
    for fact in facts:
        by_doc[fact.document][2].append(fact)
    parts = []
    convert = _ToOx()
    for doc in documents:
        own_entities, own_mentions, own_facts = by_doc[doc.slug]
        publisher = publishers.get(doc.publisher.strip().casefold())
        inputs = (doc, publisher, own_entities, own_mentions, own_facts, labels, schemes, mentions, texts)
        if cache is None:
            parts.append(convert.quad(*quad) for quad in _document_part(*inputs))
            continue
        named = sorted({value for fact in own_facts for values in fact.values.values()
                        for value in (values if isinstance(values, tuple) else (values,)) if isinstance(value, URIRef)}
                       | {fact_iri(fact) for fact in own_facts})
        key = cache.key("quads", _document_key(doc), str(publisher), repr(own_facts), repr([(n, labels.get(n)) for n in named]),
                        repr([(e, mentions.first_mention(e)) for e in own_entities]), repr(own_mentions),
                        repr(sorted((c, s, d == doc.slug) for c, (s, d) in schemes.items())))
        entry = cache.get("quads", key)
        if entry is not None:
            cache.reused.append(doc.slug)
            parts.append(ox.parse(entry, format=ox.RdfFormat.N_QUADS))
            continue
        quads = [convert.quad(*quad) for quad in _document_part(*inputs)]
        cache.put("quads", key, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        parts.append(iter(quads))
    return parts


def _document_part(doc: Document, publisher: URIRef | None, entities: list[EntityDecl],
                   mentions_here: list[MentionRecord], facts: list[Fact], labels: dict, schemes: dict,
                   mentions: Mentions, texts: dict[str, str]) -> Iterator[tuple]:
    """The quads of one document's graph."""
    yield from _document_quads(doc, publisher)
    declared = set()
    for entity in entities:
        scheme, declaring = schemes.get(entity.category, (None, None))
        if declaring == doc.slug and scheme not in declared:  # reference data without such a scheme yet
            declared.add(scheme)
            yield scheme, RDF.type, SKOS.ConceptScheme, document_graph(doc.slug)
            yield scheme, RDFS.label, Literal(_SCHEMED[entity.category], lang="en"), document_graph(doc.slug)
        yield from _entity_quads(entity, mentions.first_mention(entity), texts, scheme)
    for mention in mentions_here:
        yield from _mention_quads(mention, texts[mention.document], None)
    for fact in facts:
        yield from _fact_quads(fact, labels)


def publisher_actors(reference: Reference) -> dict[str, URIRef]:
    """The actors of the reference data by every name of theirs (label or alias, case folded),
    for a document's publisher; a name two actors share names neither."""
    found: dict[str, set[URIRef]] = {}
    for actor in reference.keys["actor"].values():
        if actor in reference.minted:
            continue
        for name in reference.aliases(actor):
            found.setdefault(name.strip().casefold(), set()).add(actor)
    return {name: next(iter(actors)) for name, actors in found.items() if len(actors) == 1}


def _document_quads(doc: Document, publisher: URIRef | None) -> Iterator[tuple]:
    """A document's description. Its publisher is the actor of the reference data with that
    name when there is one, else the name as the header gives it (docs/exports.md, "Documents")."""
    node, g = document_iri(doc.slug), document_graph(doc.slug)
    yield node, RDF.type, IMP.Document, g
    yield node, RDFS.label, Literal(doc.title), g
    yield node, DCTERMS.title, Literal(doc.title), g
    yield node, DCTERMS.publisher, publisher if publisher is not None else Literal(doc.publisher), g
    if doc.url:
        yield node, DCTERMS.source, URIRef(doc.url), g
    yield node, DCTERMS.language, Literal(doc.language), g
    yield node, IMP.documentKind, _DOCUMENT_KINDS[doc.kind], g
    yield node, IMP.contentSha256, Literal(doc.sha256), g
    yield node, IMP.textLength, Literal(len(doc.text), datatype=XSD.integer), g
    if doc.source_file:
        yield node, IMP.sourceFileName, Literal(doc.source_file), g
    if doc.date:
        yield node, DCTERMS.date, parse_date(doc.date), g
    for span in doc.furniture:
        part = URIRef(f"{node}/furniture/{span.start}-{span.end}")
        yield node, IMP.furniture, part, g
        yield part, RDF.type, IMP.Furniture, g
        yield part, OA.start, Literal(span.start, datatype=XSD.integer), g
        yield part, OA.end, Literal(span.end, datatype=XSD.integer), g
        yield part, IMP.furnitureKind, Literal(span.kind), g


ENTITY_CLASSES = {"Person": IMP.Person, "State": IMP.State, "Organization": IMP.Organization,
                 "ArmedGroup": IMP.ArmedGroup, "Place": IMP.Place, "Issue": IMP.Issue,
                 "LeverageKind": IMP.LeverageKind, "Agreement": IMP.Agreement}


#: Categories whose entities are concepts of a SKOS scheme, with the label of a scheme made for them.
_SCHEMED = {"issue": "Issues", "leverage-kind": "Kinds of leverage"}


def concept_scheme(reference: Reference, category: str) -> tuple[URIRef, bool]:
    """The concept scheme most of the reference data's concepts of ``category`` are in, and
    True; else the IRI of a scheme to declare for them, and False."""
    counts = Counter(scheme for iri in reference.keys[category].values()
                     for scheme in reference.graph.objects(iri, SKOS.inScheme))
    if counts:
        return min(counts, key=lambda scheme: (-counts[scheme], str(scheme))), True
    return ID[f"scheme/{category}s"], False


def _entity_quads(entity: EntityDecl, first: MentionRecord | None, texts: dict[str, str],
                  scheme: URIRef | None) -> Iterator[tuple]:
    """A minted entity in the graph of the document that first names it, derived from that mention."""
    node, g = entity.iri, document_graph(entity.document)
    yield node, RDF.type, ENTITY_CLASSES[entity.cls], g
    if scheme is not None:
        yield node, SKOS.inScheme, scheme, g
    yield node, RDFS.label, Literal(entity.label, lang="en"), g
    for alias in sorted(entity.aliases):
        yield node, SKOS.altLabel, Literal(alias, lang="en"), g
    if entity.broader:  # a reference concept, or a minted one that is built with it (_built_entities)
        yield node, SKOS.broader, ID[f"{entity.category}/{entity.broader}"], g
    if first is not None:
        yield node, PROV.wasDerivedFrom, mention_iri(first), g
        yield from _mention_quads(first, texts[first.document], entity.confidence)


def mention_iri(mention: MentionRecord) -> URIRef:
    """The IRI of a mention node, from the document, the span and the entity it names."""
    return ID[f"mention/{_content_hash(mention.document, mention.start, mention.end, mention.category, mention.key)}"]


def _mention_quads(mention: MentionRecord, text: str, confidence: Decimal | None) -> Iterator[tuple]:
    iri, g = mention_iri(mention), document_graph(mention.document)
    yield ID[f"{mention.category}/{mention.key}"], _OX.denotedBy, iri, g
    yield iri, _OX.type, _OX.Mention, g
    yield iri, _OX.type, _OX.Evidence, g
    yield iri, _OX.method, _OX.Extracted, g
    yield iri, _OX.rule, ox.Literal(mention.rule), g
    if confidence is not None:
        yield iri, IMP.confidence, Literal(confidence, datatype=XSD.decimal), g
    start, end = mention.start, mention.end
    yield from _selector_quads(iri, document_iri(mention.document), text[start:end],
                               text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS], start, end, g)


def _selector_quads(iri: URIRef, doc: URIRef, exact: str, prefix: str, suffix: str, start: int, end: int,
                    g: URIRef) -> Iterator[tuple]:
    """``oa:hasSource`` and the two selectors (Web Annotation 4.2.4, 4.2.1) of an evidence node."""
    quote, position = ox.NamedNode(f"{iri}/text-quote"), ox.NamedNode(f"{iri}/text-position")
    yield iri, _OX.hasSource, doc, g
    yield iri, _OX.hasSelector, quote, g
    yield iri, _OX.hasSelector, position, g
    yield quote, _OX.type, _OX.TextQuoteSelector, g
    yield quote, _OX.exact, ox.Literal(exact), g
    if prefix:
        yield quote, _OX.prefix, ox.Literal(prefix), g
    if suffix:
        yield quote, _OX.suffix, ox.Literal(suffix), g
    yield position, _OX.type, _OX.TextPositionSelector, g
    yield position, _OX.start, ox.Literal(str(start), datatype=_OX.integer), g
    yield position, _OX.end, ox.Literal(str(end), datatype=_OX.integer), g


class _Terms:
    """The pyoxigraph terms the provenance of every fact and mention names, made on first use.

    An attribute of an rdflib ``Namespace`` makes a new ``URIRef`` each time (about 2 µs), and
    each conversion to pyoxigraph checks the IRI again; the selectors and evidence nodes name
    the same dozen terms a hundred thousand times at 100 documents.
    """

    _NAMES = {"type": RDF.type, "wasDerivedFrom": PROV.wasDerivedFrom, "integer": XSD.integer,
              **{name: IMP[name] for name in ("denotedBy", "Mention", "Evidence", "method", "Extracted", "rule",
                                              "reviewStatus", "ReviewerAccepted", "Unreviewed", "confidence",
                                              "supports")},
              **{name: OA[name] for name in ("hasSource", "hasSelector", "TextQuoteSelector", "exact", "prefix",
                                             "suffix", "TextPositionSelector", "start", "end")}}

    def __getattr__(self, name: str) -> ox.NamedNode:
        term = ox.NamedNode(str(self._NAMES[name]))
        setattr(self, name, term)  # found as an attribute from now on: __getattr__ is not called again
        return term


_OX = _Terms()


class _ToOx:
    """rdflib quads to pyoxigraph quads for one build, each IRI converted once (graph names,
    predicates, classes and documents repeat in every quad); pyoxigraph terms pass as they are."""

    def __init__(self):
        self._iris: dict[URIRef, ox.NamedNode] = {}

    def term(self, term):
        if type(term) is URIRef:
            found = self._iris.get(term)
            if found is None:
                found = self._iris[term] = ox.NamedNode(str(term))
            return found
        if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            return term
        return to_ox(term)

    def quad(self, s, p, o, g) -> ox.Quad:
        term = self.term
        return ox.Quad(term(s), term(p), term(o), term(g))


def _content_hash(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def fact_iri(fact: Fact) -> URIRef:
    """The IRI of a fact's node: by key, by the entity it speaks of, or by content hash."""
    spec = fact.spec
    if spec.keyed:
        return ID[f"{spec.iri_segment}/{fact.values['key']}"]
    if spec.subject_field:
        return fact.values[spec.subject_field]
    identity = {}
    for f in spec.fields:
        if f.identity and f.name in fact.values:
            value = fact.values[f.name]
            identity[f.name] = [str(v) for v in value] if isinstance(value, tuple) else str(value)
    return ID[f"{spec.iri_segment}/{_content_hash(spec.name, identity)}"]


def _label(fact: Fact, labels: dict[URIRef, str]) -> str | None:
    """The label written for the fact node; generated by its kind for kinds identified by their fields."""
    v = fact.values
    if fact.spec.label == "given":
        return str(v["label"]) if "label" in v else None
    return fact.spec.label(v, labels.get)


def _fact_quads(fact: Fact, labels: dict[URIRef, str]) -> Iterator[tuple]:
    spec = fact.spec
    node = fact_iri(fact)
    g = document_graph(fact.document)
    if spec.rdf_class is not None:
        yield node, RDF.type, spec.rdf_class, g
    if spec.class_field:
        yield node, RDF.type, fact.values[spec.class_field], g
    label = _label(fact, labels)
    if label:
        yield node, RDFS.label, Literal(label), g
    if fact.comment:
        yield node, RDFS.comment, Literal(fact.comment.strip()), g
    for f in spec.fields:
        if f.predicate is None or f.name not in fact.values:
            continue
        values = fact.values[f.name]
        for value in values if isinstance(values, tuple) else (values,):
            yield ((value, f.predicate, node) if f.inverse else (node, f.predicate, value)) + (g,)
    for evidence in fact.evidence:
        yield from _evidence_quads(fact, node, evidence, g)


def _supported_property(fact: Fact, name: str) -> URIRef | None:
    spec = fact.spec
    if name == spec.class_field:
        return RDF.type
    if name == "label":
        return RDFS.label
    f = spec.field(name)
    return f.predicate if f else None


def _evidence_quads(fact: Fact, node: URIRef, ev: Evidence, g: URIRef) -> Iterator[tuple]:
    iri = ID[f"evidence/{_content_hash(str(node), fact.document, ev.start, ev.end)}"]
    yield node, _OX.wasDerivedFrom, iri, g
    yield iri, _OX.type, _OX.Evidence, g
    yield iri, _OX.method, METHODS[fact.method], g
    if fact.method == "extracted":  # DESIGN.md, "Provenance": unreviewed or accepted by a reviewer
        yield iri, _OX.reviewStatus, _OX.ReviewerAccepted if fact.status == "accepted" else _OX.Unreviewed, g
    yield iri, _OX.confidence, Literal(fact.confidence, datatype=XSD.decimal), g
    if fact.rule:
        yield iri, _OX.rule, ox.Literal(fact.rule), g
    for name in ev.supports:
        prop = _supported_property(fact, name)
        if prop is not None:
            yield iri, _OX.supports, prop, g
    yield from _selector_quads(iri, document_iri(fact.document), ev.quote, ev.prefix, ev.suffix, ev.start, ev.end, g)
