"""The agenda mismatch map: the two sides at either edge, the issues between them.

Every stance is an edge from its holder to its issue, styled by stance: one edge per actor,
issue and stance, with the quotes of every position behind it, however many articles report it. The issues sit in
three bands: those an agenda mismatch is derived on (red), the bargaining space (green), and
the rest (grey). Mismatch and bargaining-space nodes come from the derived graph
(``graph:derived``, DESIGN.md "Agenda mismatch"); this module never derives them itself.
"""

from __future__ import annotations

from collections import Counter

from ..store import KnowledgeGraph
from .graphdata import GraphData, imp
from .network import View, spread, tooltip
from .style import GREEN, INK, RED, STANCES

_ROW, _SIDE_X, _BAND_PAD = 64, 560, 26
_MISMATCH_KINDS = {
    imp("InclusionMismatch"): "inclusion",
    imp("ScopeMismatch"): "scope",
    imp("SequencingMismatch"): "sequencing",
}
_BANDS = (
    ("mismatch", "AGENDA MISMATCH: the sides clash over putting these on the table", "#FDECEC", RED),
    ("space", "BARGAINING SPACE: both sides put it on the table", "#E8F6EF", "#00704F"),
    ("other", "OTHER ISSUES WITH A POSITION", "#F2F3F5", "#5B6475"),
)


def positions(data: GraphData) -> list[str]:
    """Every position (demand, red line, objective, precondition) that has a holder and an issue."""
    return [p for p in data.instances(imp("Position"))
            if data.object(p, imp("heldBy")) and data.object(p, imp("onIssue"))]


def stance(data: GraphData, position: str) -> str:
    """The stance class of a position (imp:Demand, imp:RedLine …)."""
    for cls in STANCES:
        if data.is_a(position, cls):
            return cls
    return imp("Demand")


def sides(data: GraphData, mismatches: list[str], held: list[str]) -> tuple[str, str] | None:
    """The two actors the map sets against each other.

    The pair most mismatches are between; failing that, the pair of holder and addressee of
    most positions. The actor with more demands goes on the left.
    """
    pairs: Counter = Counter()
    for m in mismatches:
        between = data.objects(m, imp("between"))
        if len(between) == 2:
            pairs[tuple(between)] += 1
    if not pairs:
        for p in held:
            holder, other = data.object(p, imp("heldBy")), data.object(p, imp("addressedTo"))
            if other and other != holder:
                pairs[tuple(sorted((holder, other)))] += 1
    if not pairs:
        return None
    pair = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    demands = Counter(data.object(p, imp("heldBy")) for p in held if data.is_a(p, imp("Demand")))
    a, b = sorted(pair, key=lambda actor: (-demands[actor], data.label(actor), actor))
    return a, b


def bands(data: GraphData, held: list[str], mismatches: list[str], spaces: list[str]) -> dict[str, str]:
    """The band of each issue a position is on or a mismatch names: ``mismatch``, ``space`` or ``other``."""
    band: dict[str, str] = {}
    for p in held:
        band[data.object(p, imp("onIssue"))] = "other"
    for key, nodes in (("space", spaces), ("mismatch", mismatches)):  # a mismatch outranks bargaining space
        for node in nodes:
            for issue in data.objects(node, imp("onIssue")):
                band[issue] = key
    return band


def columns(data: GraphData, held: list[str], derived: list[str], pair: tuple[str, str] | None) -> dict[str, int]:
    """The side of every actor the map draws: -1 (left, with ``pair[0]``) or 1 (right).

    An actor other than the two sides stands with the side it does not address.
    """
    actors = sorted({data.object(p, imp("heldBy")) for p in held}
                    | {a for m in derived for a in data.objects(m, imp("between"))})
    column: dict[str, int] = {}
    if pair:
        column[pair[0]], column[pair[1]] = -1, 1
    for actor in actors:
        if actor not in column:
            addressed = {data.object(p, imp("addressedTo")) for p in held if data.object(p, imp("heldBy")) == actor}
            column[actor] = 1 if pair and pair[0] in addressed else -1
    return column


def stance_groups(data: GraphData, held: list[str]) -> dict[tuple[str, str, str], list[str]]:
    """The map's stance edges: (holder, issue, stance class) -> the positions behind it, sorted."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for p in held:
        key = (data.object(p, imp("heldBy")), data.object(p, imp("onIssue")), stance(data, p))
        groups.setdefault(key, []).append(p)
    return dict(sorted(groups.items()))


def marked_issues(issues: list[str], drawn) -> list[str]:
    """The issues of a derived mismatch or bargaining space that the map draws (its edges' ends)."""
    return [i for i in issues if i in drawn]


def mismatch_map(graph: KnowledgeGraph, data: GraphData | None = None) -> View:
    """The agenda mismatch map of a built graph.

    :param graph: the built graph (its derived graph supplies the mismatches).
    :param data: the graph already read (to share one read between views).
    :returns: a :class:`~kg.views.network.View` (a pyvis Network).
    """
    data = data or GraphData(graph)
    held = positions(data)
    mismatches = data.instances(imp("AgendaMismatch"))
    spaces = data.instances(imp("BargainingSpace"))
    view = View("mismatch-map", "Agenda mismatch map",
                "What each side insists on putting on the table and what the other refuses to "
                "negotiate. Red issues carry a derived agenda mismatch, green ones are the "
                "bargaining space; every edge is a position held by an actor, with its quotes.")
    view.smooth_edges = False

    issues_of = {m: data.objects(m, imp("onIssue")) for m in mismatches + spaces}
    band = bands(data, held, mismatches, spaces)

    # Rows: one per issue, grouped into bands, alphabetical within a band.
    rows: dict[str, int] = {}
    y = 0
    for key, caption, fill, ink in _BANDS:
        members = sorted((i for i, b in band.items() if b == key), key=lambda i: (data.label(i), i))
        if not members:
            continue
        top = y
        y += _BAND_PAD + 38  # room for the caption above the first issue
        for issue in members:
            rows[issue] = y
            y += _ROW
        bottom = y - _ROW + _BAND_PAD + 8
        view.backdrop.append({"kind": "rect", "x": -_SIDE_X + 110, "y": top, "w": 2 * _SIDE_X - 220,
                              "h": bottom - top, "fill": fill, "stroke": ink if key == "mismatch" else None})
        view.backdrop.append({"kind": "text", "x": -_SIDE_X + 122, "y": top + 16, "text": caption,
                              "color": ink, "size": 14, "bold": True})
        y = bottom + 18

    # Actors: the two sides at the edges; anyone else below the side they stand with.
    pair = sides(data, mismatches, held)
    column = columns(data, held, mismatches + spaces, pair)
    actors = sorted(column)
    middle = (max(rows.values()) / 2) if rows else 0
    for side in (-1, 1):
        members = [a for a in actors if column[a] == side]
        members.sort(key=lambda a: (a not in (pair or ()), data.label(a), a))
        for actor, ay in zip(members, spread(len(members), 140, middle)):
            label = data.label(actor)
            view.add_node(actor, label=label, shape="box", color={"background": INK, "border": INK},
                          font={"color": "#ffffff", "size": 22, "face": "sans-serif", "strokeWidth": 0},
                          margin=14, x=side * _SIDE_X, y=ay, fixed=True, cls=data.main_type(actor),
                          tip=tooltip(label, data.type_label(actor), [("Side", "left" if side < 0 else "right")]))

    for issue, iy in rows.items():
        label = data.label(issue)
        status = band[issue]
        colour = {"mismatch": {"background": RED, "border": "#7f0000"},
                  "space": {"background": GREEN, "border": "#00573d"},
                  "other": {"background": "#ffffff", "border": "#9aa2b1"}}[status]
        font = {"color": "#ffffff" if status != "other" else INK, "size": 15, "face": "sans-serif",
                "strokeWidth": 0, "bold": status == "mismatch"}
        shown = ("⚠ " + label) if status == "mismatch" else label
        note = {"mismatch": "An agenda mismatch is derived on this issue.",
                "space": "Both sides put this issue on the table: bargaining space.",
                "other": None}[status]
        view.add_node(issue, label=shown, shape="box", color=colour, font=font, margin=8,
                      borderWidth=2 if status == "mismatch" else 1, widthConstraint={"minimum": 230, "maximum": 230},
                      x=0, y=iy, fixed=True, cls=imp("Issue"),
                      tip=tooltip(label, "Issue", note=note or data.comment(issue)))

    # One edge per actor, issue and stance, whatever the number of positions (and articles) behind it.
    for (holder, issue, cls), group in stance_groups(data, held).items():
        word, colour, dashes, width, arrow = STANCES[cls]
        fields = [("Held by", data.label(holder))]
        for name, prop in (("Addressed to", "addressedTo"), ("First mover", "firstMover")):
            others = sorted({data.label(o) for p in group for o in data.objects(p, imp(prop))})
            if others:
                fields.append((name, ", ".join(others)))
        if len(group) == 1:
            title, kind, note = data.label(group[0]), data.type_label(group[0]), data.comment(group[0])
        else:
            title, kind = f"{data.label(holder)}: {word} on {data.label(issue)}", data.type_label(group[0])
            note = f"{len(group)} positions of this stance, from the sources' different wordings and addressees."
        quotes = sorted({q for p in group for q in data.quotes(p)})
        view.add_edge(holder, issue, color={"color": colour, "highlight": colour, "hover": colour},
                      width=width, dashes=dashes, arrows={"to": {"enabled": True, "type": arrow}},
                      tip=tooltip(title, kind, fields, quotes, note))

    _mark(view, data, mismatches, issues_of, rows, RED)
    _mark(view, data, spaces, issues_of, rows, GREEN)

    view.legend_node("actor (one side of the table)", INK, "box")
    view.legend_node("issue with an agenda mismatch", RED, "box")
    view.legend_node("issue in the bargaining space", GREEN, "box")
    view.legend_node("derived mismatch (hover: its evidence)", RED, "diamond")
    view.legend_node("derived bargaining space", GREEN, "diamond")
    for word, colour, dashes, width, _ in STANCES.values():
        view.legend_line(word, colour, bool(dashes), width)
    if not mismatches and not spaces:
        view.notes.append("No agenda mismatch or bargaining space has been derived in this graph yet "
                          "(the named graph graph:derived is empty).")
    else:
        view.notes.append(f"{len(mismatches)} agenda mismatches and {len(spaces)} bargaining-space "
                          "nodes derived from the positions.")
    return view


def _mark(view: View, data: GraphData, nodes: list[str], issues_of: dict, rows: dict, colour: str) -> None:
    """Diamonds for derived mismatches or bargaining spaces, beside the issue they are on."""
    per_row: Counter = Counter()
    for node in nodes:
        issues = marked_issues(issues_of[node], rows)
        if not issues:
            continue
        anchor = min(issues, key=lambda i: rows[i])
        per_row[anchor] += 1
        kind = _MISMATCH_KINDS.get(data.main_type(node) or "", "bargaining space" if colour == GREEN else "mismatch")
        between = data.objects(node, imp("between"))
        evidence = data.objects(node, imp("evidence"))
        quotes = sorted({q for e in evidence for q in data.quotes(e)})
        fields = [("Between", " and ".join(data.label(a) for a in between))]
        fields += [("Rests on", data.label(e)) for e in evidence]
        view.add_node(node, label=kind, shape="diamond", size=13, color={"background": colour, "border": "#333333"},
                      font={"size": 12, "color": colour, "face": "sans-serif", "bold": True},
                      x=150 + 58 * (per_row[anchor] - 1), y=rows[anchor], fixed=True, cls=data.main_type(node),
                      tip=tooltip(data.label(node), data.type_label(node), fields, quotes))
        for issue in issues:
            # A second issue (sequencing) sits on another row: curve that edge clear of the boxes.
            smooth = {"enabled": True, "type": "curvedCW", "roundness": 0.35} if issue != anchor else False
            view.add_edge(node, issue, color={"color": colour}, width=2, arrows={"to": {"enabled": False}},
                          smooth=smooth,
                          tip=tooltip(f"{data.label(node)}", "on issue", [("Issue", data.label(issue))]))
