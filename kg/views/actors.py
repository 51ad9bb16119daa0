"""The actor network: actors and their roles in rounds and agreements, sized by centrality.

Nodes are actors, negotiation rounds, venues and agreements; edges are the roles the sources
give (party, mediator, host, participant, venue) and affiliations between actors, one edge
per pair of nodes with every role between them and the quotes of each. Node size
is betweenness centrality (networkx), computed on the undirected graph of these edges: who
sits on the paths between the others, the brokers of the talks.
"""

from __future__ import annotations

from ..store import KnowledgeGraph
from .graphdata import GraphData, imp
from .network import View, force_layout, tooltip
from .style import GREEN, GREY, INK, KINDS, ORANGE, PURPLE, kind_style

#: (subject class, property, edge label, colour): the role edges drawn.
ROLES = (
    ("NegotiationRound", "participant", "participant", GREY),
    ("NegotiationRound", "mediator", "mediator", PURPLE),
    ("NegotiationRound", "host", "host", ORANGE),
    ("NegotiationRound", "venue", "venue", "#B8A100"),
    ("Agreement", "party", "party", GREEN),
)
MEASURE = "betweenness centrality"
#: Beyond this many nodes, betweenness is estimated from this many source nodes (seeded, so the
#: same graph gives the same sizes): exact betweenness grows with nodes × edges, 5 s at 1,000
#: nodes (400 documents of the benchmark corpus) here, against 0.6 s estimated from 100.
EXACT_LIMIT = 100


def role_edges(data: GraphData) -> list[tuple[str, str, str, str, str]]:
    """Every (subject, object, property, label, colour) role edge, plus affiliations."""
    edges = []
    for cls, prop, label, colour in ROLES:
        for subject in data.instances(imp(cls)):
            for obj in data.objects(subject, imp(prop)):
                edges.append((subject, obj, imp(prop), label, colour))
    for affiliation in data.instances(imp("Affiliation")):
        member, organization = data.object(affiliation, imp("member")), data.object(affiliation, imp("organization"))
        if member and organization:
            edges.append((member, organization, affiliation, "member of", INK))
    return sorted(set(edges))


def drawn_edges(data: GraphData) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The edges the network draws: one per (subject, object), with every role between them.

    A mediator that also hosts a round is one edge, "host, mediator", not two drawn over each other.

    :returns: (subject, object, [(property or affiliation, label, colour) …]), sorted.
    """
    grouped: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for subject, obj, prop, label, colour in role_edges(data):
        grouped.setdefault((subject, obj), []).append((prop, label, colour))
    return [(subject, obj, roles) for (subject, obj), roles in sorted(grouped.items())]


def _role_tip(data: GraphData, subject: str, obj: str, roles: list[tuple[str, str, str]]) -> dict:
    """The tooltip of one drawn edge: its roles and the quotes of each."""
    if len(roles) == 1:
        prop, label, _ = roles[0]
        if prop.startswith(imp("")):
            return tooltip(f"{data.label(subject)} — {label} — {data.label(obj)}", label,
                           quotes=data.quotes(subject, supporting=prop))
        return tooltip(data.label(prop), "Affiliation", quotes=data.quotes(prop), note=data.comment(prop))
    labels = ", ".join(label for _, label, _ in roles)
    fields, quotes = [], set()
    for prop, label, _ in roles:
        if prop.startswith(imp("")):
            quotes.update(data.quotes(subject, supporting=prop))
            fields.append(("Role", label))
        else:  # an affiliation node
            quotes.update(data.quotes(prop))
            fields.append(("Affiliation", data.label(prop)))
    return tooltip(f"{data.label(subject)} — {labels} — {data.label(obj)}", labels, fields, sorted(quotes),
                   f"{len(roles)} roles between the two, one edge.")


def actor_network(graph: KnowledgeGraph, data: GraphData | None = None) -> View:
    """The actor network of a built graph, node size by betweenness centrality.

    :returns: a :class:`~kg.views.network.View` (a pyvis Network).
    """
    import networkx as nx

    data = data or GraphData(graph)
    edges = role_edges(data)
    nodes = sorted({e[0] for e in edges} | {e[1] for e in edges})
    undirected = nx.Graph()
    undirected.add_nodes_from(nodes)
    undirected.add_edges_from((a, b) for a, b, *_ in edges)
    estimated = len(nodes) > EXACT_LIMIT
    centrality = nx.betweenness_centrality(undirected, k=EXACT_LIMIT if estimated else None, normalized=True,
                                           seed=7 if estimated else None)
    top = max(centrality.values(), default=0) or 1
    positions = force_layout(nodes, [(a, b) for a, b, *_ in edges], scale=420)

    view = View("actor-network", "Actor network",
                "Who takes part in the talks and in what role: the parties, mediators and hosts of "
                "each round, its venue, and the parties to agreements. Node size is betweenness "
                "centrality: how often an actor lies on the shortest paths between the others.")
    view.physics = True
    view.notes.append(f"Node size: {MEASURE} (networkx, normalised; largest = {top:.2f})."
                      + (f" Estimated from the shortest paths of {EXACT_LIMIT:,} of the {len(nodes):,} nodes."
                         if estimated else ""))
    for node in nodes:
        colour, shape = kind_style(data, node)
        score = centrality.get(node, 0.0)
        label = data.label(node)
        x, y = positions.get(node, (0, 0))
        fields = [(MEASURE.capitalize(), f"{score:.3f}")]
        view.add_node(node, label=label, shape=shape if shape != "box" else "square", color=colour,
                      size=round(10 + 30 * score / top, 1), x=x, y=y, cls=data.main_type(node),
                      tip=tooltip(label, data.type_label(node), fields, data.quotes(node), data.comment(node)))
    for subject, obj, roles in drawn_edges(data):
        view.add_edge(subject, obj, label=", ".join(label for _, label, _ in roles), color={"color": roles[0][2]},
                      tip=_role_tip(data, subject, obj, roles),
                      font={"size": 10, "color": "#4a5263", "strokeWidth": 3})
    for cls in ("State", "Person", "Organization", "ArmedGroup", "NegotiationRound", "Agreement", "Place"):
        colour, shape = KINDS[imp(cls)]
        view.legend_node(data.label(imp(cls)), colour, "square" if shape == "box" else shape)
    for _, _, label, colour in ROLES:
        view.legend_line(label, colour)
    view.legend_line("member of (affiliation)", INK)
    return view
