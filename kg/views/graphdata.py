"""Read a built graph once into plain Python lookups that the views draw from.

The views need every triple of every named graph (the default graph of the Oxigraph-backed
Dataset is not their union: docs/engine-notes.md, "The default graph is not the union"), and
they walk it node by node: one pass over the quads into dictionaries is simpler and faster
than a SPARQL query per node. The pass is the views' largest cost as the corpus grows, so it
does as little per quad as it can: the selectors' offsets and context (``oa:start``,
``oa:end``, ``oa:prefix``, ``oa:suffix``), which no view draws, are only counted, and every
lookup the views repeat (labels, instances of a class, the quotes of a fact) is computed once.
"""

from __future__ import annotations

from typing import NamedTuple

import pyoxigraph as ox

from ..store import KnowledgeGraph
from ..vocab import DCTERMS, GRAPH_ONTOLOGY, IMP, OA, PROV, RDF, RDFS, SKOS
from ..vocab import XSD as _XSD

# The views compare IRIs as strings (the quads are read once into dictionaries keyed by them).
RDF_TYPE = str(RDF.type)
RDFS_LABEL = str(RDFS.label)
RDFS_COMMENT = str(RDFS.comment)
RDFS_SUBCLASS = str(RDFS.subClassOf)
SKOS_BROADER = str(SKOS.broader)
DCTERMS_PUBLISHER = str(DCTERMS.publisher)
DCTERMS_DATE = str(DCTERMS.date)
XSD = str(_XSD)
_IMP = str(IMP)
_XSD_STRING = f"{XSD}string"

#: Predicates no view reads: counted among the triples, kept out of the lookups.
UNREAD = frozenset({str(OA.start), str(OA.end), str(OA.prefix), str(OA.suffix)})

#: How many quotes a tooltip shows before it says "and N more".
MAX_QUOTES = 4


def imp(name: str) -> str:
    """The IRI of a term of the Impasse ontology, as a string."""
    return _IMP + name


class Quote(NamedTuple):
    """A verbatim quote that supports a fact, and the document it comes from."""

    document: str  # the document's title
    text: str
    provenance: str = ""  # for facts a rule extracted: the rule and confidence; curated: empty


class Value(NamedTuple):
    """A literal: its lexical form and datatype IRI (empty for plain strings)."""

    text: str
    datatype: str = ""
    language: str = ""


class GraphData:
    """Every triple of a built graph, indexed by subject, predicate and type.

    The lookups are read-only once made, so what they answer is kept: the graph must not be
    changed after it was read.

    :param graph: the built knowledge graph (all named graphs are read).
    """

    def __init__(self, graph: KnowledgeGraph):
        out: dict[str, dict[str, set]] = {}
        types: dict[str, set[str]] = {}
        literals: dict[ox.Literal, Value] = {}
        unread: set[tuple] = set()  # the distinct triples of the unread predicates, to count them
        named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
        quad_count = 0
        for quad in graph.quads():
            quad_count += 1
            s = quad.subject
            kind = type(s)
            if kind is named:
                subject = s.value
            elif kind is blank:
                subject = "_:" + s.value
            else:  # RDF-star is not used by Impasse
                continue
            p = quad.predicate.value
            o = quad.object
            if p in UNREAD:
                unread.add((subject, p, o))
                continue
            kind = type(o)
            if kind is named:
                obj: str | Value = o.value
            elif kind is literal:
                obj = literals.get(o)
                if obj is None:
                    language = o.language
                    datatype = "" if language else o.datatype.value
                    obj = literals[o] = Value(o.value, "" if datatype == _XSD_STRING else datatype, language or "")
            elif kind is blank:
                obj = "_:" + o.value
            else:
                continue
            predicates = out.get(subject)
            if predicates is None:
                predicates = out[subject] = {}
            objects = predicates.get(p)
            if objects is None:
                objects = predicates[p] = set()
            objects.add(obj)
            if p == RDF_TYPE and kind is named:
                found = types.get(subject)
                if found is None:
                    types[subject] = {obj}
                else:
                    found.add(obj)
        self.out = out
        self.types = types
        self.quad_count = quad_count
        self.triple_count = len(unread) + sum(len(objects) for predicates in out.values()
                                              for objects in predicates.values())
        self.ontology_subjects: set[str] = set()
        for quad in graph.quads_for_pattern(None, None, None, ox.NamedNode(str(GRAPH_ONTOLOGY))):
            s = quad.subject
            if type(s) is named:
                self.ontology_subjects.add(s.value)
            elif type(s) is blank:
                self.ontology_subjects.add("_:" + s.value)
        self._superclasses: dict[str, set[str]] = {}
        self._instances: dict[str, list[str]] = {}
        self._by_type: dict[str, list[str]] | None = None
        self._labels: dict[str, str] = {}
        self._main_types: dict[str, str | None] = {}
        self._evidence: dict[str, tuple[frozenset, frozenset]] = {}
        self._quotes: dict[tuple, tuple[Quote, ...]] = {}

    # -- basic lookups --------------------------------------------------------------------
    def objects(self, subject: str, predicate: str) -> list[str]:
        """The IRI objects of ``subject predicate ?o``, sorted."""
        return sorted(o for o in self.out.get(subject, {}).get(predicate, ()) if type(o) is str)

    def object(self, subject: str, predicate: str) -> str | None:
        """The first (sorted) IRI object, or None."""
        return min((o for o in self.out.get(subject, {}).get(predicate, ()) if type(o) is str), default=None)

    def values(self, subject: str, predicate: str) -> list[Value]:
        """The literal objects of ``subject predicate ?o``, sorted."""
        return sorted(o for o in self.out.get(subject, {}).get(predicate, ()) if type(o) is Value)

    def label(self, node: str) -> str:
        """The node's rdfs:label (English or untagged first), else the end of its IRI."""
        found = self._labels.get(node)
        if found is None:
            found = self._labels[node] = self._label(node)
        return found

    def _label(self, node: str) -> str:
        labels = self.values(node, RDFS_LABEL)
        for wanted in ("en", ""):
            for value in labels:
                if value.language == wanted:
                    return value.text
        if labels:
            return labels[0].text
        return local_name(node)

    def comment(self, node: str) -> str | None:
        """The node's first rdfs:comment (sorted), if any."""
        found = self.values(node, RDFS_COMMENT)
        return found[0].text if found else None

    # -- classes --------------------------------------------------------------------------
    def superclasses(self, cls: str) -> set[str]:
        """``cls`` and every class above it (rdfs:subClassOf, transitively)."""
        if cls not in self._superclasses:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), RDFS_SUBCLASS):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._superclasses[cls] = found
        return self._superclasses[cls]

    def is_a(self, node: str, cls: str) -> bool:
        """Whether the node has an asserted type that is ``cls`` or below it."""
        return any(cls in self.superclasses(t) for t in self.types.get(node, ()))

    def instances(self, cls: str) -> list[str]:
        """Every node typed ``cls`` or a subclass (outside the ontology's own graph), sorted."""
        if cls not in self._instances:
            if self._by_type is None:  # the nodes of each asserted type, in one pass
                by_type: dict[str, list[str]] = {}
                for node, found in self.types.items():
                    if node not in self.ontology_subjects:
                        for t in found:
                            by_type.setdefault(t, []).append(node)
                self._by_type = by_type
            members: set[str] = set()
            for t, nodes in self._by_type.items():
                if cls in self.superclasses(t):
                    members.update(nodes)
            self._instances[cls] = sorted(members)
        return list(self._instances[cls])

    def main_type(self, node: str) -> str | None:
        """The most specific Impasse class of the node (ties broken by IRI)."""
        if node not in self._main_types:
            self._main_types[node] = self._main_type(node)
        return self._main_types[node]

    def _main_type(self, node: str) -> str | None:
        candidates = sorted(t for t in self.types.get(node, ()) if t.startswith(_IMP))
        if not candidates:
            candidates = sorted(self.types.get(node, ()))
        if not candidates:
            return None
        # The most specific: the class with the most superclasses.
        return max(candidates, key=lambda t: (len(self.superclasses(t)), t))

    def type_label(self, node: str) -> str:
        """The label of the node's most specific class ("Red line", "Negotiation round" …)."""
        cls = self.main_type(node)
        return self.label(cls) if cls else "Resource"

    # -- provenance -----------------------------------------------------------------------
    def quotes(self, fact: str, supporting: str | None = None) -> list[Quote]:
        """The verbatim quotes a fact rests on, with their document's title.

        A fact that N articles report has N evidence nodes, and a view asks for its quotes once
        per edge it draws from it: each evidence node is read once, each answer kept.

        :param supporting: only evidence whose ``imp:supports`` names this property; when no
            evidence names it, every quote of the fact.
        """
        key = (fact, supporting)
        found = self._quotes.get(key)
        if found is None:
            evidence = [self._evidence_of(e) for e in self.out.get(fact, {}).get(_DERIVED_FROM, ()) if type(e) is str]
            if supporting is not None:
                evidence = [e for e in evidence if supporting in e[0]] or evidence
            found = self._quotes[key] = tuple(sorted({q for _, quotes in evidence for q in quotes}))
        return list(found)

    def _evidence_of(self, evidence: str) -> tuple[frozenset, frozenset]:
        """(the properties it supports, its quotes) of one evidence node."""
        found = self._evidence.get(evidence)
        if found is not None:
            return found
        source = self.object(evidence, _HAS_SOURCE)
        title = self.label(source) if source else "unknown document"
        provenance = ""
        if self.object(evidence, imp("method")) == imp("Extracted"):
            # Issue 5: facts a rule proposed are visibly marked wherever their quote shows.
            rule = " ".join(v.text for v in self.values(evidence, imp("rule"))) or "a rule"
            confidence = " ".join(v.text for v in self.values(evidence, imp("confidence")))
            reviewed = self.object(evidence, imp("reviewStatus")) == imp("ReviewerAccepted")
            provenance = f"extracted by {rule}, confidence {confidence}, {'accepted by a reviewer' if reviewed else 'not reviewed'}"
        quotes = frozenset(Quote(title, exact.text, provenance)
                           for selector in self.objects(evidence, _HAS_SELECTOR)
                           for exact in self.values(selector, _EXACT))
        found = self._evidence[evidence] = (frozenset(self.objects(evidence, imp("supports"))), quotes)
        return found


_DERIVED_FROM, _HAS_SOURCE = str(PROV.wasDerivedFrom), str(OA.hasSource)
_HAS_SELECTOR, _EXACT = str(OA.hasSelector), str(OA.exact)


def local_name(iri: str) -> str:
    """The last segment of an IRI (after the last '#' or '/')."""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
