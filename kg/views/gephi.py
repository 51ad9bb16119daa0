"""The actor/issue network as a networkx graph, and its GEXF, GraphML and CSV writers (Gephi).

The network holds the nodes and edges of two views, made by the functions those views are
made by (nothing is queried again): the mismatch map (actors, the issues they take a stance
on, the derived mismatches and bargaining space) and the actor network (actors, rounds,
venues and agreements, edges by role). Each node and edge carries attributes a Gephi user
filters and sizes by (docs/exports.md, "The network for Gephi").

Gephi's formats are written through networkx, with what makes them exact and byte-stable
(docs/engine-notes.md, "GEXF and GraphML through networkx"): every attribute has one type and
no None; the GEXF writer's ``lastmodifieddate`` (today's date) is dropped; characters XML 1.0
cannot carry become U+FFFD; edges get ids of their own, in sorted order.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from ..store import KnowledgeGraph
from ..vocab import OWL, WD
from .actors import drawn_edges
from .graphdata import GraphData, Quote, imp, local_name
from .mismatch import bands, columns, marked_issues, positions, sides, stance_groups
from .style import STANCES

#: Node attributes with their type (one type per key: GraphML and GEXF declare it once).
NODE_ATTRIBUTES = {"label": str, "iri": str, "type": str, "type_label": str, "side": str, "band": str,
                   "wikidata": str, "positions": int, "quotes": int, "in_mismatch_map": bool,
                   "in_actor_network": bool}
#: Edge attributes with their type.
EDGE_ATTRIBUTES = {"label": str, "kind": str, "stance": str, "property": str, "positions": int, "quotes": int,
                   "documents": int, "weight": float}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text XML 1.0 can hold: a control character from a document would make the file unreadable."""
    return _NOT_XML.sub("\ufffd", value)


def actor_issue_network(graph: KnowledgeGraph, data: GraphData | None = None):
    """The nodes and edges of the mismatch map and the actor network, as one networkx graph.

    :param data: the graph already read (to share one read with the views).
    :returns: a ``networkx.MultiDiGraph``: nodes keyed by IRI, edges keyed by an id (``e0``, ``e1`` …
        in sorted order), every attribute of :data:`NODE_ATTRIBUTES` and :data:`EDGE_ATTRIBUTES` set.
    """
    import networkx as nx

    data = data or GraphData(graph)
    held = positions(data)
    mismatches, spaces = data.instances(imp("AgendaMismatch")), data.instances(imp("BargainingSpace"))
    band = bands(data, held, mismatches, spaces)
    side = columns(data, held, mismatches + spaces, sides(data, mismatches, held))
    held_by: dict[str, int] = {}
    on_issue: dict[str, int] = {}
    for p in held:
        held_by[data.object(p, imp("heldBy"))] = held_by.get(data.object(p, imp("heldBy")), 0) + 1
        on_issue[data.object(p, imp("onIssue"))] = on_issue.get(data.object(p, imp("onIssue")), 0) + 1

    edges: list[tuple[str, str, dict]] = []  # (source, target, attributes)
    for (holder, issue, cls), group in stance_groups(data, held).items():
        quotes = {q for p in group for q in data.quotes(p)}
        edges.append((holder, issue, _edge(STANCES[cls][0].split(" (")[0], "stance", quotes, stance=local_name(cls),
                                           prop=imp("onIssue"), positions=len(group))))
    derived = [(m, "mismatch") for m in mismatches] + [(s, "bargaining-space") for s in spaces]
    for node, kind in derived:
        for issue in marked_issues(data.objects(node, imp("onIssue")), band):
            edges.append((node, issue, _edge("on issue", kind, set(), prop=imp("onIssue"))))
    role_nodes = set()
    for subject, obj, roles in drawn_edges(data):  # one per pair, as the actor network draws them
        role_nodes.update((subject, obj))
        quotes, props = set(), []
        for prop, _label, _colour in roles:
            if prop.startswith(imp("")):
                quotes.update(data.quotes(subject, supporting=prop))
                props.append(prop)
            else:  # an affiliation: the edge stands for the affiliation node
                quotes.update(data.quotes(prop))
                props.append(imp("member"))
        kind = "role" if any(prop.startswith(imp("")) for prop, _, _ in roles) else "affiliation"
        edges.append((subject, obj, _edge(", ".join(label for _, label, _ in roles), kind, quotes,
                                          prop=" ".join(dict.fromkeys(props)))))

    map_nodes = set(side) | set(band) | {n for n, _ in derived if marked_issues(data.objects(n, imp("onIssue")), band)}
    network = nx.MultiDiGraph()
    for node in sorted(map_nodes | role_nodes):
        cls = data.main_type(node)
        same = [o for o in data.objects(node, str(OWL.sameAs)) if o.startswith(str(WD))]
        network.add_node(node, **{
            "label": _text(data.label(node)), "iri": node, "type": local_name(cls) if cls else "Resource",
            "type_label": _text(data.type_label(node)),
            "side": {-1: "left", 1: "right"}.get(side.get(node), ""), "band": band.get(node, ""),
            "wikidata": same[0] if same else "", "positions": held_by.get(node, 0) + on_issue.get(node, 0),
            "quotes": len(data.quotes(node)), "in_mismatch_map": node in map_nodes,
            "in_actor_network": node in role_nodes})
    ordered = sorted(edges, key=lambda e: (e[0], e[1], e[2]["kind"], e[2]["stance"], e[2]["property"], e[2]["label"]))
    for n, (source, target, attributes) in enumerate(ordered):
        network.add_edge(source, target, key=f"e{n}", id=f"e{n}", **attributes)
    return network


def _edge(label: str, kind: str, quotes: set[Quote], *, stance: str = "", prop: str = "", positions: int = 0) -> dict:
    return {"label": _text(label), "kind": kind, "stance": stance, "property": prop, "positions": positions,
            "quotes": len(quotes), "documents": len({q.document for q in quotes}), "weight": float(max(positions, 1))}


def write_gexf(fmt, network) -> bytes:
    """GEXF 1.2 of a network from :func:`actor_issue_network`, without the writer's date."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(network)  # a multigraph: each edge's key (its id) is also written as an attribute
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)  # today's date: the file would change every day
    meta.find("creator").text = "Impasse"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + b"\n"


def write_graphml(fmt, network) -> bytes:
    """GraphML of a network from :func:`actor_issue_network`; keys named after the attributes."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml_xml(network, buffer, named_key_ids=True, edge_id_from_attribute="id")
    return buffer.getvalue() + b"\n"


def write_nodes_csv(fmt, network) -> bytes:
    """The nodes as Gephi's spreadsheet import reads them: ``Id``, ``Label``, then the attributes."""
    rows = ([node, attrs["label"], *(_cell(attrs[k]) for k in NODE_ATTRIBUTES if k != "label")]
            for node, attrs in network.nodes(data=True))
    return _csv(["Id", "Label", *(k for k in NODE_ATTRIBUTES if k != "label")], rows)


def write_edges_csv(fmt, network) -> bytes:
    """The edges as Gephi's spreadsheet import reads them: ``Source``, ``Target``, ``Type``, ``Id``,
    ``Label``, ``Weight``, then the attributes."""
    rest = [k for k in EDGE_ATTRIBUTES if k not in ("label", "weight")]
    rows = ([u, v, "Directed", attrs["id"], attrs["label"], _cell(attrs["weight"]), *(_cell(attrs[k]) for k in rest)]
            for u, v, attrs in network.edges(data=True))
    return _csv(["Source", "Target", "Type", "Id", "Label", "Weight", *rest], rows)


def _cell(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _csv(header: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    out.writerow(header)
    out.writerows(rows)
    return buffer.getvalue().encode("utf-8")
