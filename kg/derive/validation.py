"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..corpus.reference import parse_turtle
from ..store import KnowledgeGraph, from_ox, merged_graph
from ..vocab import GRAPH_ONTOLOGY, GRAPH_REFERENCE

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
    reference data) with what the shapes read beyond it: every triple, in any graph, about the
    nodes typed in it (its focus nodes: a round that two documents describe is checked on
    both descriptions), the types of every node those triples name (for ``sh:class``), and
    the ontology's ``rdfs:subClassOf`` (for ``sh:targetClass``). Only its focus nodes are
    validated. A verdict that the unit conforms is cached under ``cache`` by the SHA-256 of
    the shapes and of the unit's sorted N-Triples; a unit that does not conform is checked
    again next time, and its report is returned.

    :param cache: the folder for cached verdicts (ROOT/.kg-cache); None: no cache.
    :returns: conforms when every unit does; the reports of the units that do not.
    """
    shapes_bytes = Path(shapes).read_bytes()
    shapes_graph = None
    subclass = "".join(sorted(_subclass_lines(graph))).encode("utf-8")
    reports, texts, conforms = Graph(), [], True
    for name, focus_graphs in _units(graph):
        content = _unit_content(graph, focus_graphs) + subclass
        key = hashlib.sha256(shapes_bytes + f"\n{UNIT_VERSION}\n".encode() + content).hexdigest()
        path = Path(cache) / "shacl" / f"{key}" if cache is not None else None
        if path is not None and path.is_file():
            continue
        shapes_graph = shapes_graph if shapes_graph is not None else parse_turtle(Path(shapes))
        report = _validate_unit(content, _focus(graph, focus_graphs), shapes_graph)
        if report.conforms:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"")  # the name is the verdict: this content conforms
        else:
            conforms = False
            reports += report.graph
            texts.append(f"In {name}:\n{report.text}")
    return ValidationReport(conforms=conforms, graph=reports, text="\n".join(texts) or "Conforms: True\n")


def _units(graph: KnowledgeGraph) -> list[tuple[str, tuple[str, ...]]]:
    """(name shown, named graphs whose typed nodes it checks), one per document graph and the derived graph."""
    names = sorted({row[0].value for row in graph.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False).rows})
    shared = (str(GRAPH_ONTOLOGY), str(GRAPH_REFERENCE))
    return [("the ontology and reference data", shared)] + [(f"<{g}>", (g,)) for g in names if g not in shared]


def _focus(graph: KnowledgeGraph, graphs: tuple[str, ...]) -> list[URIRef]:
    """The IRIs typed in the unit's graphs. Typed blank nodes are left out: pySHACL takes only
    IRIs as focus nodes, and the only ones are the ontology's class expressions (owl:Class,
    owl:Restriction, owl:AllDisjointClasses), which no shape targets."""
    return sorted({from_ox(quad.subject) for g in graphs
                   for quad in graph.quads_for_pattern(None, _RDF_TYPE, None, ox.NamedNode(g))
                   if isinstance(quad.subject, ox.NamedNode)})


def _unit_content(graph: KnowledgeGraph, graphs: tuple[str, ...]) -> bytes:
    """A unit as N-Triples: its graphs, its focus nodes' triples in other graphs, the types of
    every node those name. Each part comes from a lookup on bound terms (a query that joined
    them all in one pattern scanned the whole store per unit, so validation grew with N²)."""
    own = b"".join(_dump(graph, g) for g in graphs)
    values = " ".join(f"<{g}>" for g in graphs)
    focus = f"SELECT DISTINCT ?f WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?f a ?t }} }}"
    elsewhere = {f"{t.subject} {t.predicate} {t.object} .\n" for t in graph.query(
        f"CONSTRUCT {{ ?f ?p ?o }} WHERE {{ {{ {focus} }} GRAPH ?h {{ ?f ?p ?o }} "
        f"FILTER(?h NOT IN ({', '.join(f'<{g}>' for g in graphs)})) }}", union=False)}
    named = f"""SELECT DISTINCT ?n WHERE {{
        {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?x ?y ?n }} }} UNION {{ {{ {focus} }} GRAPH ?h {{ ?f ?y ?n }} }}
        FILTER(!isLiteral(?n)) }}"""
    types = {f"{t.subject} {t.predicate} {t.object} .\n" for t in graph.query(
        f"CONSTRUCT {{ ?n a ?t }} WHERE {{ {{ {named} }} GRAPH ?h {{ ?n a ?t }} }}", union=False)}
    return own + "".join(sorted(elsewhere | types)).encode("utf-8")


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
