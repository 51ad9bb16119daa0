"""Read a built graph once into plain Python lookups that the views draw from.

The views need every triple of every named graph (the default graph of the Oxigraph-backed
Dataset is not their union: docs/engine-notes.md, "The default graph is not the union"), and
they walk it node by node: one pass over the quads into dictionaries is simpler and faster
than a SPARQL query per node.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ..store import KnowledgeGraph, graph_name
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

#: How many quotes a tooltip shows before it says "and N more".
MAX_QUOTES = 4


def imp(name: str) -> str:
    """The IRI of a term of the Impasse ontology, as a string."""
    return str(IMP[name])


@dataclass(frozen=True, order=True)
class Quote:
    """A verbatim quote that supports a fact, and the document it comes from."""

    document: str  # the document's title
    text: str
    provenance: str = ""  # for facts a rule extracted: the rule and confidence; curated: empty


@dataclass(frozen=True, order=True)
class Value:
    """A literal: its lexical form and datatype IRI (empty for plain strings)."""

    text: str
    datatype: str = ""
    language: str = ""


class GraphData:
    """Every triple of a built graph, indexed by subject, predicate and type.

    :param graph: the built knowledge graph (all named graphs are read).
    """

    def __init__(self, graph: KnowledgeGraph):
        self.out: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.types: dict[str, set[str]] = defaultdict(set)
        self.ontology_subjects: set[str] = set()
        self.triple_count = 0
        self.quad_count = 0
        ontology = str(GRAPH_ONTOLOGY)
        seen: set[tuple] = set()
        for quad in graph.quads():
            self.quad_count += 1
            s, p, o = quad.subject, quad.predicate.value, quad.object
            if isinstance(s, ox.Triple):  # RDF-star is not used by Impasse
                continue
            subject = s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}"
            if isinstance(o, ox.NamedNode):
                obj: str | Value = o.value
            elif isinstance(o, ox.BlankNode):
                obj = f"_:{o.value}"
            elif isinstance(o, ox.Literal):
                datatype = o.datatype.value if not o.language else ""
                obj = Value(o.value, "" if datatype == f"{XSD}string" else datatype, o.language or "")
            else:
                continue
            key = (subject, p, obj)
            if key not in seen:
                seen.add(key)
                self.triple_count += 1
            self.out[subject][p].add(obj)
            if p == RDF_TYPE and isinstance(obj, str):
                self.types[subject].add(obj)
            if graph_name(quad) == ontology:
                self.ontology_subjects.add(subject)
        self._superclasses: dict[str, set[str]] = {}

    # -- basic lookups --------------------------------------------------------------------
    def objects(self, subject: str, predicate: str) -> list[str]:
        """The IRI objects of ``subject predicate ?o``, sorted."""
        return sorted(o for o in self.out.get(subject, {}).get(predicate, ()) if isinstance(o, str))

    def object(self, subject: str, predicate: str) -> str | None:
        """The first (sorted) IRI object, or None."""
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def values(self, subject: str, predicate: str) -> list[Value]:
        """The literal objects of ``subject predicate ?o``, sorted."""
        return sorted(o for o in self.out.get(subject, {}).get(predicate, ()) if isinstance(o, Value))

    def label(self, node: str) -> str:
        """The node's rdfs:label (English or untagged first), else the end of its IRI."""
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
        return sorted(n for n in self.types if n not in self.ontology_subjects and self.is_a(n, cls))

    def main_type(self, node: str) -> str | None:
        """The most specific Impasse class of the node (ties broken by IRI)."""
        candidates = sorted(t for t in self.types.get(node, ()) if t.startswith(str(IMP)))
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

        :param supporting: only evidence whose ``imp:supports`` names this property; when no
            evidence names it, every quote of the fact.
        """
        evidence = self.objects(fact, str(PROV.wasDerivedFrom))
        if supporting is not None:
            narrowed = [e for e in evidence if supporting in self.objects(e, imp("supports"))]
            evidence = narrowed or evidence
        found = set()
        for ev in evidence:
            source = self.object(ev, str(OA.hasSource))
            title = self.label(source) if source else "unknown document"
            provenance = ""
            if self.object(ev, imp("method")) == imp("Extracted"):
                # Issue 5: facts a rule proposed are visibly marked wherever their quote shows.
                rule = " ".join(v.text for v in self.values(ev, imp("rule"))) or "a rule"
                confidence = " ".join(v.text for v in self.values(ev, imp("confidence")))
                reviewed = self.object(ev, imp("reviewStatus")) == imp("ReviewerAccepted")
                provenance = f"extracted by {rule}, confidence {confidence}, {'accepted by a reviewer' if reviewed else 'not reviewed'}"
            for selector in self.objects(ev, str(OA.hasSelector)):
                for exact in self.values(selector, str(OA.exact)):
                    found.add(Quote(title, exact.text, provenance))
        return sorted(found)


def local_name(iri: str) -> str:
    """The last segment of an IRI (after the last '#' or '/')."""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
