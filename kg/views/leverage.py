"""The leverage map: who holds which leverage asset, what it bears on and whom it targets.

Three columns: the holders, their assets (grouped by holder), the issues the assets bear on.
An asset's targets are drawn back to the actor column as dashed edges.
"""

from __future__ import annotations

from ..store import KnowledgeGraph
from .graphdata import GraphData, imp
from .network import View, spread, tooltip
from .style import BLUE, INK, RED, VERMILION

_GAP = 80


def leverage_map(graph: KnowledgeGraph, data: GraphData | None = None) -> View:
    """The leverage map of a built graph.

    :returns: a :class:`~kg.views.network.View` (a pyvis Network).
    """
    data = data or GraphData(graph)
    assets = [a for a in data.instances(imp("LeverageAsset")) if data.object(a, imp("heldBy"))]
    view = View("leverage-map", "Leverage map",
                "The capabilities each actor bargains with, as the sources describe them: who holds "
                "each asset (left), the asset (middle), the issues it bears on (right) and the "
                "actors it is aimed at (dashed, back to the left).")
    view.smooth_edges = True
    holders = sorted({data.object(a, imp("heldBy")) for a in assets}, key=lambda n: (data.label(n), n))
    targets = {t for a in assets for t in data.objects(a, imp("target"))}
    actors = holders + sorted(targets - set(holders), key=lambda n: (data.label(n), n))
    ordered = sorted(assets, key=lambda a: (actors.index(data.object(a, imp("heldBy"))), data.label(a), a))
    asset_y = dict(zip(ordered, spread(len(ordered), _GAP)))
    issues = sorted({i for a in assets for i in data.objects(a, imp("bearsOn"))},
                    key=lambda i: (min(asset_y[a] for a in assets if i in data.objects(a, imp("bearsOn"))), i))
    issue_y = dict(zip(issues, spread(len(issues), _GAP * 1.3)))
    actor_y: dict[str, int] = {}
    below = max(asset_y.values(), default=0) + 150  # actors that are only targets go below
    for actor in actors:
        own = [asset_y[a] for a in assets if data.object(a, imp("heldBy")) == actor]
        if own:
            actor_y[actor] = round(sum(own) / len(own))
        else:
            actor_y[actor], below = below, below + 90
    for actor in actors:
        label = data.label(actor)
        view.add_node(actor, label=label, shape="box", color={"background": INK, "border": INK},
                      font={"color": "#ffffff", "size": 18, "face": "sans-serif", "strokeWidth": 0}, margin=10,
                      x=-520, y=actor_y[actor], fixed=True, cls=data.main_type(actor),
                      tip=tooltip(label, data.type_label(actor)))
    for asset in assets:
        kind = data.object(asset, imp("leverageKind"))
        label = data.label(kind) if kind else data.label(asset)
        fields = [("Held by", data.label(data.object(asset, imp("heldBy"))))]
        for value in data.values(asset, imp("scale")):
            fields.append(("Scale", value.text))
        view.add_node(asset, label=label, shape="diamond", size=16, color=VERMILION,
                      font={"size": 14, "face": "sans-serif"}, x=0, y=asset_y[asset], fixed=True,
                      cls=data.main_type(asset),
                      tip=tooltip(data.label(asset), data.type_label(asset), fields, data.quotes(asset), data.comment(asset)))
    for issue in issues:
        label = data.label(issue)
        view.add_node(issue, label=label, shape="box", color={"background": "#E8EAEE", "border": "#9aa2b1"},
                      margin=8, x=520, y=issue_y[issue], fixed=True, cls=imp("Issue"),
                      tip=tooltip(label, "Issue", note=data.comment(issue)))
    for asset in assets:
        holder = data.object(asset, imp("heldBy"))
        view.add_edge(holder, asset, color={"color": INK}, width=2, smooth=False,
                      tip=tooltip(f"{data.label(holder)} holds {data.label(asset)}", "held by",
                                  quotes=data.quotes(asset, supporting=imp("heldBy"))))
        for issue in data.objects(asset, imp("bearsOn")):
            view.add_edge(asset, issue, color={"color": BLUE}, width=2, smooth=False,
                          tip=tooltip(f"{data.label(asset)} bears on {data.label(issue)}", "bears on",
                                      quotes=data.quotes(asset, supporting=imp("bearsOn"))))
        for target in data.objects(asset, imp("target")):
            view.add_edge(asset, target, color={"color": RED}, width=1.5, dashes=[6, 5],
                          smooth={"enabled": True, "type": "curvedCW", "roundness": 0.25},
                          tip=tooltip(f"{data.label(asset)} targets {data.label(target)}", "targets",
                                      quotes=data.quotes(asset, supporting=imp("target"))))
    view.legend_node("actor", INK, "box")
    view.legend_node("leverage asset (by kind)", VERMILION, "diamond")
    view.legend_node("issue it bears on", "#E8EAEE", "box")
    view.legend_line("holds", INK)
    view.legend_line("bears on", BLUE)
    view.legend_line("targets", RED, dashes=True)
    return view
