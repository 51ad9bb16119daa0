"""The ABox consequences of the ontology, as SPARQL rules run on the engine.

HermiT (:mod:`.reasoning`) decides whether the ontology is consistent and classifies it, but
re-classifying every individual of every document on every build grew with the corpus far
faster than the corpus (docs/rules.md, "Reasoning at scale"). The types the graph needs are
few and of a few kinds, and each kind is a query here, compiled from the ontology itself:

* a defined class ``C ≡ A ⊓ ∃p.F ⊓ …`` (named classes and existential restrictions with a
  named filler, ``p`` followed through its ``owl:inverseOf`` too): ``imp:ContestedIssue``;
* an enumerated class ``C ≡ {a, b …}``: its members are of type C;
* ``rdfs:domain`` and ``rdfs:range`` that name a class, through ``rdfs:subPropertyOf`` and
  ``owl:inverseOf``.

What is written to the derived graph is what :func:`kg.derive.reasoning.reason` writes from
HermiT's answer: for individuals of the project (IRIs under ``id:``), their ``imp:`` types that
the asserted ones do not imply, most specific only. ``tests/derive/test_entailment.py`` checks
that the two agree on the corpus. Disjoint classes are checked too: an individual that falls
into two of them makes the graph inconsistent, as HermiT would find.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ..errors import KgError, NotConformingError
from ..store import KnowledgeGraph, from_ox
from ..vocab import GRAPH_DERIVED, GRAPH_ONTOLOGY, ID, IMP

_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

#: The new types a query proposes keep to individuals of the project and classes of the
#: ontology, and leave out what the individual's types already imply.
_KEEP = (f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{ID}") && STRSTARTS(STR(?c), "{IMP}"))\n'
         "  FILTER NOT EXISTS { ?x rdf:type/rdfs:subClassOf* ?c }")


MAX_ROUNDS = 10  # two rounds settle the ontology here (a domain, then a defined class)


@dataclass(frozen=True)
class EntailmentReport:
    """What the rules added to the derived graph: (individual, class) pairs, sorted."""

    inferred: list[tuple[str, str]]


def ontology_graph(graph: KnowledgeGraph) -> Graph:
    """The ontology's named graph as an rdflib Graph (small: the TBox only)."""
    ontology = Graph()
    for quad in graph.quads_for_pattern(None, None, None, ox.NamedNode(str(GRAPH_ONTOLOGY))):
        ontology.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return ontology


def _property_path(ontology: Graph, prop: URIRef) -> str:
    """A SPARQL path for ``prop`` that also follows the properties declared its inverse."""
    inverses = sorted(set(ontology.objects(prop, OWL.inverseOf)) | set(ontology.subjects(OWL.inverseOf, prop)))
    return "|".join([f"<{prop}>"] + [f"^<{q}>" for q in inverses if isinstance(q, URIRef)])


def domain_range_rules(ontology: Graph) -> list[str]:
    """Two SELECTs of (?x, ?c): the named domains and ranges of the properties each node is used with.

    A subproperty carries its parent's domain and range (``rdfs:subPropertyOf``, transitively),
    and a property declared the inverse of another carries them swapped. The (property, class)
    pairs are listed as VALUES, so the engine reads only the quads of those properties.
    """
    subjects, objects = set(), set()
    for declared, side in ((RDFS.domain, subjects), (RDFS.range, objects)):
        other = objects if side is subjects else subjects
        for prop, cls in ontology.subject_objects(declared):
            if not isinstance(prop, URIRef) or not isinstance(cls, URIRef):
                continue
            for sub in ontology.transitive_subjects(RDFS.subPropertyOf, prop):
                side.add((sub, cls))
            for inverse in set(ontology.objects(prop, OWL.inverseOf)) | set(ontology.subjects(OWL.inverseOf, prop)):
                other.add((inverse, cls))
    rules = []
    for pairs, pattern in ((subjects, "?x ?q ?o ."), (objects, "?o ?q ?x .")):
        if pairs:
            values = " ".join(f"(<{q}> <{c}>)" for q, c in sorted(pairs))
            rules.append(_PREFIXES + f"SELECT DISTINCT ?x ?c WHERE {{\n  VALUES (?q ?c) {{ {values} }}\n"
                                     f"  {pattern}\n  {_KEEP}\n}}")
    return rules


def defined_class_rules(ontology: Graph) -> list[str]:
    """One SELECT of (?x, ?c) per defined class of the ontology that these rules can decide.

    Supported: ``owl:equivalentClass`` to an ``owl:intersectionOf`` of named classes and
    ``owl:someValuesFrom`` restrictions with a named filler, and to an ``owl:oneOf``.
    """
    rules = []
    for cls, definition in sorted(ontology.subject_objects(OWL.equivalentClass)):
        if not isinstance(cls, URIRef) or not isinstance(definition, BNode):
            continue
        members = ontology.value(definition, OWL.oneOf)
        if members is not None:
            values = " ".join(f"<{m}>" for m in Collection(ontology, members) if isinstance(m, URIRef))
            rules.append(_PREFIXES + f"SELECT ?x ?c WHERE {{ VALUES ?x {{ {values} }} BIND(<{cls}> AS ?c)\n  {_KEEP}\n}}")
            continue
        parts = ontology.value(definition, OWL.intersectionOf)
        if parts is None:
            continue
        patterns = []
        for index, part in enumerate(Collection(ontology, parts)):
            if isinstance(part, URIRef):
                patterns.append(f"?x rdf:type/rdfs:subClassOf* <{part}> .")
                continue
            prop, filler = ontology.value(part, OWL.onProperty), ontology.value(part, OWL.someValuesFrom)
            if not isinstance(prop, URIRef) or not isinstance(filler, URIRef):
                break  # a part these rules cannot decide: leave the class to HermiT (`kg reason`)
            patterns.append(f"?x {_property_path(ontology, prop)} ?y{index} . "
                            f"?y{index} rdf:type/rdfs:subClassOf* <{filler}> .")
        else:
            body = "\n  ".join(patterns)
            rules.append(_PREFIXES + f"SELECT DISTINCT ?x ?c WHERE {{\n  {body}\n  BIND(<{cls}> AS ?c) {_KEEP}\n}}")
    return rules


def superclasses(ontology: Graph) -> dict[str, set[str]]:
    """Each named class with every named class it is a subclass of (itself included)."""
    direct: dict[str, set[str]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(str(sub), set()).add(str(sup))
    closure: dict[str, set[str]] = {}

    def up(cls: str) -> set[str]:
        if cls not in closure:
            closure[cls] = {cls}
            for parent in direct.get(cls, ()):
                closure[cls] |= up(parent)
        return closure[cls]

    for cls in set(direct) | {s for sups in direct.values() for s in sups}:
        up(cls)
    return closure


def _disjoint_pairs(ontology: Graph) -> set[tuple[str, str]]:
    """Every ordered pair of classes the ontology declares disjoint (both orders)."""
    pairs = {(str(a), str(b)) for a, b in ontology.subject_objects(OWL.disjointWith)
             if isinstance(a, URIRef) and isinstance(b, URIRef)}
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [str(m) for m in Collection(ontology, ontology.value(group, OWL.members)) if isinstance(m, URIRef)]
        pairs |= {(a, b) for a in members for b in members if a != b}
    return pairs | {(b, a) for a, b in pairs}


#: Pairs of types that one node holds (the only way an individual can fall into two disjoint
#: classes, once HermiT has found every class of the ontology satisfiable).
TYPE_PAIRS = """SELECT DISTINCT ?a ?b WHERE { ?x a ?a , ?b FILTER(isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b)) }"""


def entail(graph: KnowledgeGraph, distinct: ox.Store | None = None) -> EntailmentReport:
    """Add to the derived graph the types the ontology entails and the asserted ones do not imply.

    The rules run to a fixed point (a type found from a domain or range can complete a
    defined class); then no individual may fall into two disjoint classes.

    :param distinct: the graph's distinct triples (:func:`kg.derive.rules.distinct_triples`),
        kept in step with what is written here; by default a copy made for these rules alone.
    :returns: the (individual, class) pairs written, most specific only, sorted.
    :raises NotConformingError: naming an individual and the two disjoint classes it falls into.
    """
    from .rules import distinct_triples

    ontology = ontology_graph(graph)
    supers = superclasses(ontology)
    queries = domain_range_rules(ontology) + defined_class_rules(ontology)
    derived, rdf_type = ox.NamedNode(str(GRAPH_DERIVED)), ox.NamedNode(str(RDF.type))
    # Over the union, a bag, a node typed in N graphs met its N type triples in every row: the
    # NOT EXISTS of each rule, and the pairs of types, grew with N² and N³ (122 s at 400 documents).
    if distinct is None:
        distinct = distinct_triples(graph)

    def rows(query: str) -> list:
        return [tuple(row) for row in distinct.query(query)] if distinct is not None else graph.query(query).rows

    written: set[tuple[str, str]] = set()
    for _ in range(MAX_ROUNDS):
        new = {(row[0].value, row[1].value) for query in queries for row in rows(query)}
        new -= written
        if not new:
            break
        graph.extend(ox.Quad(ox.NamedNode(s), rdf_type, ox.NamedNode(c), derived) for s, c in new)
        if distinct is not None:
            distinct.extend(ox.Quad(ox.NamedNode(s), rdf_type, ox.NamedNode(c)) for s, c in new)
        written |= new
    else:
        raise KgError(f"the entailment rules did not settle after {MAX_ROUNDS} rounds")
    # Most specific only, as HermiT's answer is reported (reasoning._new_types).
    by_individual: dict[str, set[str]] = {}
    for individual, cls in written:
        by_individual.setdefault(individual, set()).add(cls)
    implied = {(s, c) for s, classes in by_individual.items() for c in classes
               if any(o != c and c in supers.get(o, ()) for o in classes)}
    _remove(graph, [ox.Quad(ox.NamedNode(s), rdf_type, ox.NamedNode(c), derived) for s, c in implied])
    if distinct is not None:  # no other graph holds them: each was new when a rule found it
        for s, c in implied:
            distinct.remove(ox.Quad(ox.NamedNode(s), rdf_type, ox.NamedNode(c)))
    _check_disjoint(rows, _disjoint_pairs(ontology), supers)
    return EntailmentReport(inferred=sorted(written - implied))


def _remove(graph: KnowledgeGraph, quads: list[ox.Quad]) -> None:
    """Take quads out of the graph being built (in memory: Oxigraph, or rdflib's store)."""
    for quad in quads:
        if graph.oxigraph is not None:
            graph.oxigraph.remove(quad)
        else:
            graph.dataset.remove((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object),
                                  from_ox(quad.graph_name)))


def _check_disjoint(rows, pairs: set[tuple[str, str]], supers: dict[str, set[str]]) -> None:
    for row in rows(TYPE_PAIRS):
        a, b = row[0].value, row[1].value
        clash = sorted((x, y) for x in supers.get(a, {a}) for y in supers.get(b, {b}) if (x, y) in pairs)
        if clash:
            found = rows(f"SELECT ?x WHERE {{ ?x a <{a}> , <{b}> }} LIMIT 1")
            raise NotConformingError(
                f"the graph is inconsistent: <{found[0][0].value}> is a <{a}> and a <{b}>, and the ontology "
                f"declares <{clash[0][0]}> and <{clash[0][1]}> disjoint")
