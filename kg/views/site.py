"""The set of pages ``kg views`` writes: the views, an index with the build summary, the ontology docs."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import KgError
from ..vocab import GRAPH_ONTOLOGY, IMP, OA, PROV
from ..store import KnowledgeGraph, from_ox
from .graphdata import DCTERMS_DATE, DCTERMS_PUBLISHER, GraphData, imp
from .network import View, environment


@dataclass(frozen=True)
class ViewSpec:
    """A view the index links: its file, title, and the function that builds it."""

    file: str
    title: str
    build: Callable[[KnowledgeGraph, GraphData], View]


def _registry() -> tuple[ViewSpec, ...]:
    from .actors import actor_network
    from .explorer import explorer
    from .leverage import leverage_map
    from .mismatch import mismatch_map
    from .timeline import timeline

    return (
        ViewSpec("mismatch-map.html", "Agenda mismatch map", mismatch_map),
        ViewSpec("actor-network.html", "Actor network", actor_network),
        ViewSpec("leverage-map.html", "Leverage map", leverage_map),
        ViewSpec("timeline.html", "Timeline of events and causal claims", timeline),
        ViewSpec("explorer.html", "Explorer", explorer),
    )


#: The file names of the views, in the order the index lists them.
VIEWS = ("mismatch-map.html", "actor-network.html", "leverage-map.html", "timeline.html", "explorer.html")
ONTOLOGY_PAGE = "ontology.html"


def summary(data: GraphData) -> dict:
    """The corpus and build figures the index shows."""
    facts: dict[str, set] = {}
    for subject, predicates in data.out.items():
        for evidence in predicates.get(str(PROV.wasDerivedFrom), ()):
            for source in data.objects(evidence, str(OA.hasSource)):
                facts.setdefault(source, set()).add(subject)
    documents = []
    for doc in data.instances(imp("Document")):
        dates = data.values(doc, DCTERMS_DATE)
        # the publisher is an actor when the reference data has it, else a name
        publishers = [data.label(a) for a in data.objects(doc, DCTERMS_PUBLISHER)]
        publishers += [v.text for v in data.values(doc, DCTERMS_PUBLISHER)]
        documents.append({
            "title": data.label(doc),
            "publisher": publishers[0] if publishers else "",
            "date": dates[0].text if dates else "not stated",
            "facts": len(facts.get(doc, ())),
        })
    classes: Counter = Counter()
    for node, types in data.types.items():
        if node in data.ontology_subjects:
            continue
        for cls in types:
            if cls.startswith(str(IMP)):
                classes[cls] += 1
    return {
        "quads": data.quad_count,
        "triples": data.triple_count,
        "documents": sorted(documents, key=lambda d: d["title"]),
        "facts": len(set().union(*facts.values())) if facts else 0,
        "classes": [{"label": data.label(c), "name": "imp:" + c[len(str(IMP)):], "count": n}
                    for c, n in sorted(classes.items(), key=lambda kv: kv[0])],
        "mismatches": len(data.instances(imp("AgendaMismatch"))),
        "spaces": len(data.instances(imp("BargainingSpace"))),
    }


def index_page(data: GraphData, views: list[tuple[str, View]]) -> str:
    """The index: links to every view and to the ontology page, with the corpus and build summary.

    :param data: the graph, read.
    :param views: (file name, view) pairs, in the order to list them.
    """
    entries = [{"file": f, "title": v.view_title, "description": v.description,
                "nodes": len(v.nodes), "edges": len(v.edges)} for f, v in views]
    return environment().get_template("index.html").render(
        views=entries, summary=summary(data), ontology=ONTOLOGY_PAGE)


def ontology_page(graph: KnowledgeGraph) -> str:
    """The ontology's documentation as one self-contained HTML page (pyLODE 3.3.4).

    pyLODE joins the members of an ``owl:unionOf`` in set order, which changes from run to
    run; they are sorted here so that the page is byte-stable.
    """
    from rdflib import Graph

    ontology = Graph()
    for quad in _ontology_quads(graph):
        ontology.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    if not len(ontology):
        raise KgError(f"the graph has no named graph <{GRAPH_ONTOLOGY}>: the views need a graph as "
                      "kg build makes it (a store, or TriG), not a merged file such as impasse.ttl")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import pylode.utils as pylode_utils
        from pylode import OntPub
    finally:  # pyLODE configures the root logger at import (DEBUG, to stderr): undo that
        root.handlers[:] = handlers
        root.setLevel(level)
    original = pylode_utils.intersperse

    def sorted_intersperse(items, separator):
        return original(sorted(items, key=str) if isinstance(items, set) else items, separator)

    pylode_utils.intersperse = sorted_intersperse
    previous = logging.getLogger().level
    logging.getLogger().setLevel(logging.WARNING)
    try:
        html = OntPub(ontology, sort_subjects=True).make_html()
    finally:
        pylode_utils.intersperse = original
        logging.getLogger().setLevel(previous)
    return html if html.endswith("\n") else html + "\n"


def render_views(graph: KnowledgeGraph, cache: str | Path | None = None,
                 data: GraphData | None = None) -> dict[str, str]:
    """Every page ``kg views`` writes, rendered in memory: file name -> HTML.

    :param graph: the built graph (with its derived graph, for the mismatch map).
    :param cache: keep the layouts and the ontology page here (ROOT/.kg-cache), each under the
        digest of what it was made from, and reuse them while that is unchanged; None: no cache.
    :param data: the graph already read (shared with the exports' network files, as
        :func:`kg.pipeline.publish` does); by default it is read here.
    """
    from .network import LAYOUT_CACHE

    folder = Path(cache) if cache is not None else None
    token = LAYOUT_CACHE.set(folder)
    try:
        data = data if data is not None else GraphData(graph)
        built = [(spec.file, spec.build(graph, data)) for spec in _registry()]
    finally:
        LAYOUT_CACHE.reset(token)
    pages = {name: view.generate_html() for name, view in built}
    pages["index.html"] = index_page(data, built)
    pages[ONTOLOGY_PAGE] = _cached_ontology_page(graph, folder)
    return pages


def _ontology_quads(graph: KnowledgeGraph):
    """The quads of the ontology's graph, looked up by its name (not by reading every quad)."""
    import pyoxigraph as ox

    return graph.quads_for_pattern(None, None, None, ox.NamedNode(str(GRAPH_ONTOLOGY)))


def _cached_ontology_page(graph: KnowledgeGraph, folder: Path | None) -> str:
    """The ontology page, from the cache while the ontology graph is unchanged (pyLODE takes seconds)."""
    if folder is None:
        return ontology_page(graph)
    import hashlib
    from importlib.metadata import version

    lines = sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in _ontology_quads(graph))
    key = hashlib.sha256(("".join(lines) + f"pylode {version('pylode')}").encode("utf-8")).hexdigest()
    path = folder / "views" / f"ontology-{key}.html"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    html = ontology_page(graph)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(path)
    return html


def write_views(graph: KnowledgeGraph, folder: str | Path, cache: str | Path | None = None,
                data: GraphData | None = None) -> dict[str, int]:
    """Render every page, then write each atomically into ``folder``.

    :param cache: see :func:`render_views`.
    :param data: see :func:`render_views`.
    :returns: the size in bytes of each file written.
    """
    from ..formats import write_atomic

    pages = {name: html.encode("utf-8") for name, html in render_views(graph, cache, data).items()}
    for name, data in pages.items():
        write_atomic(Path(folder) / name, data)
    return {name: len(data) for name, data in pages.items()}
