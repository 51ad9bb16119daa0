"""The explorer: the whole graph, with a filter by class and a search by name.

Every typed node of the reference data, the documents' facts and the derived graph, except
the provenance plumbing (evidence nodes, selectors, page furniture), whose quotes appear in
the tooltips instead; an edge for every triple between two such nodes.
"""

from __future__ import annotations

from collections import Counter

from ..vocab import OA, PROV
from ..store import KnowledgeGraph
from .graphdata import RDF_TYPE, GraphData, imp
from .network import View, force_layout, tooltip
from .style import kind_style

#: Classes left out of the explorer: provenance details shown in tooltips instead.
HIDDEN_CLASSES = (imp("Evidence"), imp("Furniture"), imp("Document"),
                  str(OA.TextQuoteSelector), str(OA.TextPositionSelector))
_SKIPPED_PREDICATES = {RDF_TYPE, str(PROV.wasDerivedFrom)}
#: The most nodes the explorer draws: beyond, the most connected are drawn and the page says
#: how many are left out. A browser drew 1,000 nodes in 0.8 s, and the layout of 5,000 took 17 s
#: (docs/views.md); at hundreds of articles the whole graph is tens of thousands of nodes.
DRAWN_LIMIT = 1500


def explorer_nodes(data: GraphData) -> list[str]:
    """The nodes of the explorer (sorted IRIs)."""
    hidden = set().union(*(data.instances(c) for c in HIDDEN_CLASSES))
    return sorted(n for n in data.types
                  if n not in hidden and n not in data.ontology_subjects and not n.startswith("_:"))


def explorer_edges(data: GraphData, nodes: list[str]) -> list[tuple[str, str, str]]:
    """(subject, predicate, object) for every triple between two explorer nodes (sorted)."""
    inside = set(nodes)
    edges = set()
    for subject in nodes:
        for predicate, objects in data.out[subject].items():
            if predicate in _SKIPPED_PREDICATES:
                continue
            for obj in objects:
                if isinstance(obj, str) and obj in inside and obj != subject:
                    edges.add((subject, predicate, obj))
    return sorted(edges)


def _most_connected(nodes: list[str], edges: list[tuple[str, str, str]], limit: int):
    """The ``limit`` nodes with the most edges (ties by IRI) and the edges between them."""
    degree: Counter = Counter()
    for subject, _, obj in edges:
        degree[subject] += 1
        degree[obj] += 1
    kept = set(sorted(nodes, key=lambda n: (-degree[n], n))[:limit])
    return sorted(kept), [e for e in edges if e[0] in kept and e[2] in kept]


def explorer(graph: KnowledgeGraph, data: GraphData | None = None) -> View:
    """The whole graph, filterable by class and searchable by name.

    :returns: a :class:`~kg.views.network.View` (a pyvis Network).
    """
    data = data or GraphData(graph)
    nodes = explorer_nodes(data)
    edges = explorer_edges(data, nodes)
    total = len(nodes)
    if total > DRAWN_LIMIT:
        nodes, edges = _most_connected(nodes, edges, DRAWN_LIMIT)
    positions = force_layout(nodes, [(s, o) for s, _, o in edges])
    view = View("explorer", "Explorer",
                "The whole graph: every actor, issue, position, event, agreement and derived node, "
                "and every relation between them. Filter by class, search by name, hover for quotes.")
    view.search = True
    view.physics = True
    view.smooth_edges = False
    classes: Counter = Counter()
    for node in nodes:
        cls = data.main_type(node) or ""
        classes[cls] += 1
        colour, shape = kind_style(data, node)
        label = data.label(node)
        x, y = positions.get(node, (0, 0))
        view.add_node(node, label=label if len(label) <= 48 else label[:46] + "…", shape=shape if shape != "box" else "dot",
                      color=colour, size=12, x=x, y=y, cls=cls, font={"size": 12},
                      tip=tooltip(label, data.type_label(node), quotes=data.quotes(node), note=data.comment(node)))
    for subject, predicate, obj in edges:
        name = data.label(predicate)
        view.add_edge(subject, obj, color={"color": "#9aa2b1", "highlight": "#1d2433"}, width=1,
                      tip=tooltip(f"{data.label(subject)} — {name} → {data.label(obj)}", name,
                                  quotes=data.quotes(subject, supporting=predicate)))
    if total > len(nodes):
        view.notes.append(f"Showing the {len(nodes):,} most connected of {total:,} nodes (the class filter "
                          "and the search cover those shown); the named queries and the exports hold them all.")
    view.classes = [{"id": cls, "label": data.label(cls) if cls else "(untyped)", "count": count}
                    for cls, count in sorted(classes.items(), key=lambda kv: (data.label(kv[0]), kv[0]))]
    return view
