"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from ..corpus.reference import parse_turtle
from ..store import KnowledgeGraph, merged_graph
from ..vocab import GRAPH_DERIVED, GRAPH_ONTOLOGY, GRAPH_REFERENCE

_RDF_TYPE = ox.NamedNode(str(RDF.type))


@dataclass
class ValidationReport:
    """The outcome of a SHACL validation."""

    conforms: bool
    graph: Graph  # the sh:ValidationReport graph
    text: str  # pySHACL's human-readable report


def validate(graph: KnowledgeGraph, shapes: str | Path) -> ValidationReport:
    """Validate every named graph, merged, against the shapes.

    The data graph includes the ontology, so ``sh:targetClass`` reaches instances of
    subclasses through ``rdfs:subClassOf`` (SHACL 1.0, section 2.1.3.3); no other
    inference is run, so the shapes see exactly what the graph asserts.

    :param graph: the built graph.
    :param shapes: the SHACL shapes file (Turtle).
    :raises ReferenceDataError: when the shapes file does not parse.
    """
    from pyshacl import validate as shacl_validate  # slow to import; only when validating

    conforms, report, text = shacl_validate(
        merged_graph(graph), shacl_graph=parse_turtle(Path(shapes)), inference="none", advanced=True
    )
    return ValidationReport(conforms=bool(conforms), graph=report, text=text)


#: Bump when what a unit of validation holds, or how its verdict is read, changes.
UNIT_VERSION = 1


def validate_by_graph(graph: KnowledgeGraph, shapes: str | Path, cache: str | Path | None = None) -> ValidationReport:
    """Validate graph by graph, reusing the verdict of every unit whose content is unchanged.

    A unit is one named graph (each document's; the derived graph; the ontology with the
    reference data) with what the shapes read beyond it: the triples about its focus nodes
    (the nodes typed in it) in the shared graphs (ontology, reference, derived), the types of
    every node those name (for ``sh:class``), and the ontology's ``rdfs:subClassOf`` (for
    ``sh:targetClass``). A node that several documents describe (a position two articles
    report, minted from the same content) is checked in each on that document's description,
    and its ``sh:maxCount`` constraints once more on the union (:func:`_check_across_documents`).
    Only a unit's focus nodes are validated. A verdict
    that a unit conforms is cached under ``cache`` by the SHA-256 of the shapes and of the
    unit's N-Triples; a unit that does not conform is checked again next time, and its report
    is returned.

    :param cache: the folder for cached verdicts (ROOT/.kg-cache); None: no cache.
    :returns: conforms when every unit does; the reports of the units that do not.
    """
    shapes_bytes = Path(shapes).read_bytes()
    shapes_graph = None
    subclass = "".join(sorted(_subclass_lines(graph))).encode("utf-8")
    reports, texts, conforms = Graph(), [], True
    units, shared = _units(graph)
    for name, content, focus in units:
        if not focus:
            continue  # nothing typed here to check (pySHACL would take an empty list for "every node")
        content += subclass
        key = hashlib.sha256(shapes_bytes + f"\n{UNIT_VERSION}\n".encode() + content).hexdigest()
        path = Path(cache) / "shacl" / f"{key}" if cache is not None else None
        if path is not None and path.is_file():
            continue
        shapes_graph = shapes_graph if shapes_graph is not None else parse_turtle(Path(shapes))
        report = _validate_unit(content, focus, shapes_graph)
        if report.conforms:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"")  # the name is the verdict: this content conforms
        else:
            conforms = False
            reports += report.graph
            texts.append(f"In {name}:\n{report.text}")
    if shared:
        shapes_graph = shapes_graph if shapes_graph is not None else parse_turtle(Path(shapes))
        across = _check_across_documents(graph, shared, shapes_graph)
        if not across.conforms:
            conforms = False
            reports += across.graph
            texts.append(f"In the nodes several documents describe, on all their descriptions:\n{across.text}")
    return ValidationReport(conforms=conforms, graph=reports, text="\n".join(texts) or "Conforms: True\n")


_SHARED = (str(GRAPH_ONTOLOGY), str(GRAPH_REFERENCE), str(GRAPH_DERIVED))


def _units(graph: KnowledgeGraph) -> tuple[list, list[str]]:
    """(name shown, N-Triples, focus nodes) of every unit, and the nodes several documents describe."""
    names = sorted({row[0].value for row in graph.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False).rows})
    documents = [g for g in names if g not in _SHARED]
    typed_in: dict[str, int] = {}
    for g in documents:
        for node in _focus(graph, (g,)):
            typed_in[node] = typed_in.get(node, 0) + 1
    types = _type_lines(graph)
    units = [(name, _unit_content(graph, graphs, types), [URIRef(n) for n in _focus(graph, graphs)])
             for name, graphs in [("the ontology and reference data", _SHARED[:2]), (f"<{GRAPH_DERIVED}>", _SHARED[2:])]
             + [(f"<{g}>", (g,)) for g in documents]]
    return units, sorted(n for n, count in typed_in.items() if count > 1)


def _focus(graph: KnowledgeGraph, graphs: tuple[str, ...]) -> list[str]:
    """The IRIs typed in the unit's graphs. Typed blank nodes are left out: pySHACL takes only
    IRIs as focus nodes, and the only ones are the ontology's class expressions (owl:Class,
    owl:Restriction, owl:AllDisjointClasses), which no shape targets."""
    return sorted({quad.subject.value for g in graphs
                   for quad in graph.quads_for_pattern(None, _RDF_TYPE, None, ox.NamedNode(g))
                   if isinstance(quad.subject, ox.NamedNode)})


def _lines(triples) -> set[str]:
    return {f"{t.subject} {t.predicate} {t.object} .\n" for t in triples}


def _type_lines(graph: KnowledgeGraph) -> dict[str, set[str]]:
    """Every node's distinct ``rdf:type`` triples as N-Triples lines, read once for all units
    (looked up per unit on the engine, a node typed in N graphs came back N times per unit)."""
    types: dict[str, set[str]] = {}
    for row in graph.query("SELECT DISTINCT ?n ?t WHERE { ?n a ?t }").rows:
        node = str(row[0])
        types.setdefault(node, set()).add(f"{node} <{RDF.type}> {row[1]} .\n")
    return types


def _unit_content(graph: KnowledgeGraph, graphs: tuple[str, ...], types: dict[str, set[str]]) -> bytes:
    """A unit as N-Triples: its graphs, its focus nodes' triples in the shared graphs, the types
    of every node those name. Each part is a lookup on bound terms (one query that joined them
    all scanned the whole store for each unit)."""
    own = b"".join(_dump(graph, g) for g in graphs)
    values = " ".join(f"<{g}>" for g in graphs)
    shared = " ".join(f"<{g}>" for g in _SHARED if g not in graphs)
    focus = f"SELECT DISTINCT ?f WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?f a ?t }} }}"
    elsewhere = _lines(graph.query(
        f"CONSTRUCT {{ ?f ?p ?o }} WHERE {{ {{ {focus} }} VALUES ?h {{ {shared} }} GRAPH ?h {{ ?f ?p ?o }} }}",
        union=False)) if shared else set()
    named = f"""SELECT DISTINCT ?n WHERE {{
        {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?x ?y ?n }} }} UNION {{ {{ {focus} }} VALUES ?h {{ {shared} }} GRAPH ?h {{ ?f ?y ?n }} }}
        FILTER(!isLiteral(?n)) }}""" if shared else \
        f"SELECT DISTINCT ?n WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?x ?y ?n }} FILTER(!isLiteral(?n)) }}"
    for row in graph.query(named, union=False).rows:
        elsewhere |= types.get(str(row[0]), set())
    return own + "".join(sorted(elsewhere)).encode("utf-8")


def _max_counts(shapes_graph: Graph) -> list[tuple[list[str], str, int, str]]:
    """(target classes, property, maximum, message) of every sh:maxCount on a plain property path."""
    SH = Namespace("http://www.w3.org/ns/shacl#")
    found = []
    for shape in set(shapes_graph.subjects(SH.targetClass, None)):
        targets = sorted(str(c) for c in shapes_graph.objects(shape, SH.targetClass))
        for prop_shape in shapes_graph.objects(shape, SH.property):
            path, most = shapes_graph.value(prop_shape, SH.path), shapes_graph.value(prop_shape, SH.maxCount)
            if isinstance(path, URIRef) and most is not None:
                message = shapes_graph.value(prop_shape, SH.message)
                found.append((targets, str(path), int(most), str(message or f"at most {most} values of <{path}>")))
    return sorted(found)


def _check_across_documents(graph: KnowledgeGraph, nodes: list[str], shapes_graph: Graph) -> ValidationReport:
    """The sh:maxCount constraints on the union of the descriptions of nodes several documents describe.

    Every other constraint holds on the union when it holds on each description: a value
    that conforms in one document conforms anywhere, and a minimum met once is met. And two
    documents share a node only when the fields its IRI is hashed from agree, so the
    constraints that compare values (sh:xone, sh:disjoint …) read the same values in each.
    Only a maximum can be exceeded by values that different documents give (two venues for
    one round): counted here on the engine, with the shapes' own messages.
    """
    SH = Namespace("http://www.w3.org/ns/shacl#")
    report, lines = Graph(), []
    values = " ".join(f"<{n}>" for n in nodes)
    for targets, prop, most, message in _max_counts(shapes_graph):
        classes = " ".join(f"<{c}>" for c in targets)
        rows = graph.query(f"""SELECT ?f (COUNT(DISTINCT ?o) AS ?n) WHERE {{
            VALUES ?f {{ {values} }} VALUES ?c {{ {classes} }}
            ?f <{prop}> ?o . FILTER EXISTS {{ ?f <{RDF.type}>/<{RDFS.subClassOf}>* ?c }}
        }} GROUP BY ?f HAVING (COUNT(DISTINCT ?o) > {most})""").rows
        for row in rows:
            result = BNode()
            for p, o in ((RDF.type, SH.ValidationResult), (SH.focusNode, URIRef(row[0].value)),
                         (SH.resultPath, URIRef(prop)), (SH.resultSeverity, SH.Violation),
                         (SH.sourceConstraintComponent, SH.MaxCountConstraintComponent),
                         (SH.resultMessage, Literal(message))):
                report.add((result, p, o))
            lines.append(f"Constraint Violation in MaxCountConstraintComponent: <{row[0].value}> has "
                         f"{row[1].value} values of <{prop}> across the documents that describe it\n"
                         f"\tMessage: {message}")
    return ValidationReport(conforms=not lines, graph=report, text="\n".join(lines))


def _dump(graph: KnowledgeGraph, name: str) -> bytes:
    """One named graph as N-Triples, written by Oxigraph itself where it is the engine."""
    if graph.oxigraph is not None:
        return graph.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    return "".join(sorted(f"{q.subject} {q.predicate} {q.object} .\n"
                          for q in graph.quads_for_pattern(None, None, None, ox.NamedNode(name)))).encode("utf-8")


def _subclass_lines(graph: KnowledgeGraph) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object} .\n"
            for q in graph.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, ox.NamedNode(str(GRAPH_ONTOLOGY)))}


def _validate_unit(ntriples: bytes, focus: list, shapes_graph: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate  # slow to import; only when a unit is checked

    data = Graph()
    data.parse(data=ntriples, format="nt")
    conforms, report, text = shacl_validate(data, shacl_graph=shapes_graph, inference="none", advanced=True,
                                            focus_nodes=focus)
    return ValidationReport(conforms=bool(conforms), graph=report, text=text)
