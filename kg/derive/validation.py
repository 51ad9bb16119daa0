"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
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
    and once more on the union of them all, in a unit of its own: only there can a
    ``sh:maxCount`` across documents fail. Only a unit's focus nodes are validated. A verdict
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
    for name, content, focus in _units(graph):
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
    return ValidationReport(conforms=conforms, graph=reports, text="\n".join(texts) or "Conforms: True\n")


_SHARED = (str(GRAPH_ONTOLOGY), str(GRAPH_REFERENCE), str(GRAPH_DERIVED))


def _units(graph: KnowledgeGraph):
    """(name shown, N-Triples, focus nodes) of every unit, one at a time."""
    names = sorted({row[0].value for row in graph.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False).rows})
    documents = [g for g in names if g not in _SHARED]
    typed_in: dict[str, int] = {}
    for g in documents:
        for node in _focus(graph, (g,)):
            typed_in[node] = typed_in.get(node, 0) + 1
    for name, graphs in [("the ontology and reference data", _SHARED[:2]), (f"<{GRAPH_DERIVED}>", _SHARED[2:])] \
            + [(f"<{g}>", (g,)) for g in documents]:
        yield name, _unit_content(graph, graphs), [URIRef(n) for n in _focus(graph, graphs)]
    shared = sorted(n for n, count in typed_in.items() if count > 1)
    if shared:
        yield "the nodes several documents describe, on all their descriptions", _nodes_content(graph, shared), \
            [URIRef(n) for n in shared]


def _focus(graph: KnowledgeGraph, graphs: tuple[str, ...]) -> list[str]:
    """The IRIs typed in the unit's graphs. Typed blank nodes are left out: pySHACL takes only
    IRIs as focus nodes, and the only ones are the ontology's class expressions (owl:Class,
    owl:Restriction, owl:AllDisjointClasses), which no shape targets."""
    return sorted({quad.subject.value for g in graphs
                   for quad in graph.quads_for_pattern(None, _RDF_TYPE, None, ox.NamedNode(g))
                   if isinstance(quad.subject, ox.NamedNode)})


def _lines(triples) -> set[str]:
    return {f"{t.subject} {t.predicate} {t.object} .\n" for t in triples}


def _unit_content(graph: KnowledgeGraph, graphs: tuple[str, ...]) -> bytes:
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
        FILTER(!isLiteral(?n)) }}"""
    types = _lines(graph.query(f"CONSTRUCT {{ ?n a ?t }} WHERE {{ {{ {named} }} GRAPH ?h {{ ?n a ?t }} }}", union=False))
    return own + "".join(sorted(elsewhere | types)).encode("utf-8")


def _nodes_content(graph: KnowledgeGraph, nodes: list[str]) -> bytes:
    """Every triple about these nodes (either way round) in any graph, and the types of the nodes those name."""
    values = " ".join(f"<{n}>" for n in nodes)
    around = (f"{{ VALUES ?f {{ {values} }} GRAPH ?h {{ ?f ?p ?n }} }} UNION "
              f"{{ VALUES ?f {{ {values} }} GRAPH ?h {{ ?n ?p ?f }} }}")
    about = _lines(graph.query(
        f"CONSTRUCT {{ ?f ?p ?o }} WHERE {{ VALUES ?f {{ {values} }} GRAPH ?h {{ ?f ?p ?o }} }}", union=False))
    about |= _lines(graph.query(
        f"CONSTRUCT {{ ?s ?p ?f }} WHERE {{ VALUES ?f {{ {values} }} GRAPH ?h {{ ?s ?p ?f }} }}", union=False))
    types = _lines(graph.query(
        f"CONSTRUCT {{ ?n a ?t }} WHERE {{ {{ SELECT DISTINCT ?n WHERE {{ {around} FILTER(!isLiteral(?n)) }} }} "
        f"GRAPH ?k {{ ?n a ?t }} }}", union=False))
    return "".join(sorted(about | types)).encode("utf-8")


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
