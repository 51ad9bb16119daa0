"""The timeline: events, rounds and agreements in time order, and the causal links the sources claim.

Two regions side by side, separated by a rule:

* **The time axis** holds only the items the sources date. Time runs left to right; a dated
  item sits in the middle of the period its date names, and a bar behind it spans that
  period: a year-wide bar for ``xsd:gYear``, a month for ``xsd:gYearMonth``, a tick for
  ``xsd:date`` (the precision the source gives; nothing is invented).
* **The undated region**, right of the axis and outside it (no year tick or label reaches
  it), holds every item the sources give no date for, with a dashed border. It makes no
  claim about time: items linked by the causal or "follows" links the sources claim form a
  group laid out left to right in that order (ties broken by label); groups, and items linked
  to no other undated item, sit side by side in no time order.

The page opens fitted to the whole drawing, axis and captions included.
"""

from __future__ import annotations

import calendar

from ..store import KnowledgeGraph
from .graphdata import XSD, GraphData, imp
from .network import View, tooltip
from .style import GREEN, GREY, INK, ORANGE, SKY, VERMILION

_YEAR_PX, _EMPTY_YEAR_PX, _LANE, _MIN_GAP = 200, 36, 72, 200
#: The undated region: column width, gap between groups, gap from the axis to the region.
_COLUMN, _GROUP_GAP, _REGION_GAP = 200, 50, 120
#: The canvas the layout of the undated region is balanced for (a laptop screen, side panel off).
_CANVAS = (1200, 820)
UNDATED_CAPTION = "Undated in the sources — ordered by the causal links they claim (left → right)"
_PRECISION = {f"{XSD}gYear": "year", f"{XSD}gYearMonth": "month", f"{XSD}date": "day"}


def period(value) -> tuple[float, float, str] | None:
    """The period a date names, as (start, end) in fractional years, and its precision."""
    precision = _PRECISION.get(value.datatype)
    try:
        if precision == "year":
            year = int(value.text[:4])
            return float(year), float(year + 1), precision
        if precision == "month":
            year, month = int(value.text[:4]), int(value.text[5:7])
            return year + (month - 1) / 12, year + month / 12, precision
        if precision == "day":
            year, month, day = int(value.text[:4]), int(value.text[5:7]), int(value.text[8:10])
            days = 366 if calendar.isleap(year) else 365
            offset = (sum(calendar.monthrange(year, m)[1] for m in range(1, month)) + day - 1) / days
            return year + offset, year + offset + 1 / days, precision
    except ValueError:
        return None
    return None


def timeline_items(data: GraphData) -> list[str]:
    """The nodes of the timeline: every event (rounds included) and every agreement."""
    return sorted(set(data.instances(imp("Event"))) | set(data.instances(imp("Agreement"))))


def timeline_edges(data: GraphData, items: list[str]) -> list[tuple[str, str, str, str]]:
    """(source, target, kind, fact): causal links, rounds following events, events on agreements."""
    inside = set(items)
    edges = []
    for link in data.instances(imp("CausalLink")):
        for cause in data.objects(link, imp("cause")):
            for effect in data.objects(link, imp("effect")):
                if cause in inside and effect in inside:
                    edges.append((cause, effect, "causal", link))
    for item in items:
        for earlier in data.objects(item, imp("follows")):
            if earlier in inside:
                edges.append((earlier, item, "follows", item))
        for agreement in data.objects(item, imp("concernsAgreement")):
            if agreement in inside:
                edges.append((item, agreement, "concerns", item))
    return sorted(set(edges))


def causal_groups(data: GraphData, nodes: list[str], edges) -> list[list[list[str]]]:
    """The undated items grouped by the causal and "follows" links among them, in that order.

    Each group is a weakly connected part of those links, given as columns (left to right):
    an item's column is one more than its latest cause's (longest path; a cycle is broken at
    its first item by label). Within a column items follow their causes' rows, then labels.
    Groups of several items come first (widest first), then lone items, by label.
    """
    key = lambda n: (data.label(n), n)  # noqa: E731
    inside = set(nodes)
    causes: dict[str, set[str]] = {n: set() for n in nodes}
    effects: dict[str, set[str]] = {n: set() for n in nodes}
    for source, target, kind, _ in edges:
        if kind != "concerns" and source in inside and target in inside and source != target:
            causes[target].add(source)
            effects[source].add(target)
    seen: set[str] = set()
    groups = []
    for start in sorted(nodes, key=key):
        if start in seen:
            continue
        members, todo = [], [start]
        seen.add(start)
        while todo:
            node = todo.pop()
            members.append(node)
            for other in sorted(causes[node] | effects[node], key=key):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        column: dict[str, int] = {}
        remaining = set(members)
        while remaining:
            ready = sorted((n for n in remaining if causes[n] <= column.keys()), key=key) or [min(remaining, key=key)]
            for node in ready:
                column[node] = max((column[c] + 1 for c in causes[node] if c in column), default=0)
            remaining -= set(ready)
        columns: list[list[str]] = [[] for _ in range(max(column.values()) + 1)]
        row: dict[str, int] = {}
        for index in range(len(columns)):
            placed = [n for n in members if column[n] == index]

            def order(n: str) -> tuple:
                rows = [row[c] for c in causes[n] if c in row]
                return (sum(rows) / len(rows) if rows else -1.0, *key(n))

            for position, node in enumerate(sorted(placed, key=order)):
                row[node] = position
                columns[index].append(node)
        groups.append(columns)
    multi = sorted((g for g in groups if len(g) > 1),
                   key=lambda g: (-len(g), -sum(map(len, g)), key(g[0][0])))
    single = sorted((g for g in groups if len(g) == 1 and len(g[0]) == 1), key=lambda g: key(g[0][0]))
    return multi + single


def _pack(groups: list[list[list[str]]], width: int) -> tuple[list[tuple[int, int]], int, int]:
    """Shelf-pack groups (``_COLUMN`` per column, ``_LANE`` per row) into ``width`` pixels.

    :returns: the (x, y) of each group's top left corner, the width used, and the height.
    """
    corners, cursor, top, shelf, used = [], 0, 0, 0, 0
    for group in groups:
        w, h = len(group) * _COLUMN, max(map(len, group)) * _LANE
        if cursor and cursor + w > width:
            cursor, top, shelf = 0, top + shelf + 24, 0
        corners.append((cursor, top))
        used = max(used, cursor + w)
        cursor += w + _GROUP_GAP
        shelf = max(shelf, h)
    return corners, used, top + shelf


def timeline(graph: KnowledgeGraph, data: GraphData | None = None) -> View:
    """The timeline of a built graph: a time axis for dated items, a separate region for undated ones.

    :returns: a :class:`~kg.views.network.View` (a pyvis Network).
    """
    data = data or GraphData(graph)
    items = timeline_items(data)
    edges = timeline_edges(data, items)
    dated: dict[str, tuple[float, float, str, str]] = {}
    for item in items:
        for value in data.values(item, imp("date")):
            found = period(value)
            if found:
                dated[item] = (*found, value.text)
                break
    undated = [i for i in items if i not in dated]
    view = View("timeline", "Timeline of events and causal claims",
                "Events, negotiation rounds and agreements the sources date, on a time axis at the "
                "precision they give (the bar behind an item spans its year or month); those they "
                "do not date, apart on the right, in the order of the causal links the sources "
                "claim (arrows, labelled with the causal words), not in time.")
    view.smooth_edges = True
    x: dict[str, int] = {}
    y: dict[str, int] = {}
    axis = -26
    bottom = 0
    right = 0

    # -- the time axis: dated items only ---------------------------------------------------
    if dated:
        first = int(min(d[0] for d in dated.values()))
        last = int(max(d[1] for d in dated.values()) + 0.999)
        # Years with a dated item get full width, empty years a narrow one (the axis is compressed).
        busy = {year for start, end, *_ in dated.values() for year in range(int(start), int(end - 1e-9) + 1)}
        widths = {year: _YEAR_PX if year in busy else _EMPTY_YEAR_PX for year in range(first, last)}

        def x_of(year: float) -> int:
            whole = int(year)
            offset = sum(widths.get(y, _YEAR_PX) for y in range(first, whole))
            return round(offset + (year - whole) * widths.get(whole, _YEAR_PX))

        for item, d in dated.items():
            x[item] = x_of((d[0] + d[1]) / 2)
        start_x, end_x = x_of(first), x_of(last)
        lo, hi = start_x - 20, end_x + 20
        rounds = [i for i in dated if data.is_a(i, imp("Agreement")) or data.is_a(i, imp("NegotiationRound"))]
        groups = (("Agreements and rounds", rounds), ("Dated events", [i for i in dated if i not in rounds]))
        top = 0
        for caption, members in groups:
            if not members:
                continue
            ends: list[int] = []
            for item in sorted(members, key=lambda n: (x[n], data.label(n), n)):
                lane = next((k for k, end in enumerate(ends) if end + _MIN_GAP <= x[item]), len(ends))
                if lane == len(ends):
                    ends.append(x[item])
                ends[lane] = x[item]
                y[item] = top + 52 + lane * _LANE
            height = 52 + len(ends) * _LANE + 4
            view.backdrop.append({"kind": "rect", "x": lo, "y": top, "w": hi - lo, "h": height, "fill": "#F4F5F7"})
            view.backdrop.append({"kind": "text", "x": lo + 10, "y": top + 14, "text": caption,
                                  "color": "#5B6475", "size": 16, "bold": True})
            top += height + 16
        bottom = top - 16
        view.backdrop.append({"kind": "line", "role": "axis", "x1": start_x, "y1": axis, "x2": end_x, "y2": axis,
                              "color": INK, "width": 2})
        for year in range(first, last + 1):
            view.backdrop.append({"kind": "line", "x1": x_of(year), "y1": axis - 6, "x2": x_of(year), "y2": bottom,
                                  "color": "#D5D9E0", "width": 1})
            if year < last:
                view.backdrop.append({"kind": "text", "x": x_of(year + 0.5), "y": axis - 14, "text": str(year),
                                      "color": INK, "size": 16 if year in busy else 12, "bold": year in busy,
                                      "align": "center"})
        for item, (start, end, precision, text) in sorted(dated.items()):
            view.backdrop.append({"kind": "rect", "x": x_of(start), "y": y[item] - 22,
                                  "w": max(3, x_of(end) - x_of(start)), "h": 44, "fill": "rgba(0,114,178,0.16)"})
        right = hi

    # -- the undated region: beside the axis, ordered by the causal links, not by time -------
    if undated:
        groups = causal_groups(data, undated, edges)
        multi = [g for g in groups if len(g) > 1]
        single = [g for g in groups if len(g) == 1]
        dated_h = bottom - axis + 40

        def layout(columns: int):
            corners, w1, h1 = _pack(multi, columns * _COLUMN + (columns - 1) * _GROUP_GAP)
            rows = -(-len(single) // columns) if single else 0
            w = max(w1, min(len(single), columns) * _COLUMN, 560)
            h = h1 + (50 + rows * _LANE if single else 0) + 60 - axis + 86  # with the caption rows
            total_w = (right + _REGION_GAP if dated else 0) + w + 100
            scale = min(_CANVAS[0] / max(total_w, 1), _CANVAS[1] / max(h, dated_h, 1))
            return scale, corners, h1, w

        widest = max(max((len(g) for g in multi), default=1), 3)
        best = max(range(widest, widest + 8), key=lambda c: (round(layout(c)[0], 6), -c))
        _, corners, multi_h, region_w = layout(best)
        left = right + _REGION_GAP if dated else 0
        top = 40
        on_top = []
        for (gx, gy), group in zip(corners, multi):
            rows = max(map(len, group))
            on_top.append({"kind": "rect", "x": left + gx - 8, "y": top + gy - 4,
                           "w": len(group) * _COLUMN - 4, "h": rows * _LANE - 2, "fill": "#F2E6C9"})
            for c, column in enumerate(group):
                for r, node in enumerate(column):
                    x[node] = left + gx + c * _COLUMN + (_COLUMN - 20) // 2
                    y[node] = top + gy + r * _LANE + (_LANE - 10) // 2
        lone_top = top + multi_h + (24 if multi else 0)
        if single:
            on_top.append({"kind": "text", "x": left, "y": lone_top + 10,
                           "text": "Linked to no other undated item (alphabetical, no order in time)",
                           "color": "#5B6475", "size": 14})
            for index, group in enumerate(single):
                node = group[0][0]
                x[node] = left + (index % best) * _COLUMN + (_COLUMN - 20) // 2
                y[node] = lone_top + 30 + (index // best) * _LANE + (_LANE - 10) // 2
        region_h = max(y[n] for n in undated) + _LANE // 2 + 10
        region_l, region_r = left - 30, left + region_w + 10
        view.backdrop.append({"kind": "rect", "role": "undated", "x": region_l, "y": 0, "w": region_r - region_l,
                              "h": region_h, "fill": "#FBF7EE", "stroke": "#C9B27C"})
        view.backdrop.extend(on_top)
        view.backdrop.append({"kind": "text", "x": region_l + 10, "y": 16,
                              "text": "Shaded: items the sources link; no order between groups",
                              "color": "#5B6475", "size": 14})
        # The caption, in the axis' row where the years would be: two lines, so it fits.
        head, _, tail = UNDATED_CAPTION.partition(" — ")
        view.backdrop.append({"kind": "text", "role": "caption", "x": region_l, "y": axis - 36,
                              "text": head, "color": "#8A5A00", "size": 20, "bold": True})
        view.backdrop.append({"kind": "text", "role": "caption", "x": region_l, "y": axis - 12,
                              "text": "— " + tail, "color": "#8A5A00", "size": 15, "bold": True})
        if dated:
            rule = right + (region_l - right) // 2
            view.backdrop.append({"kind": "line", "x1": rule, "y1": axis - 30, "x2": rule,
                                  "y2": max(region_h, bottom), "color": "#8A5A00", "width": 3, "dash": [10, 6]})
        bottom = max(bottom, region_h)
        right = region_r

    # The whole drawing, axis labels and captions included: the page opens fitted to it.
    left_edge = min((b["x"] for b in view.backdrop if b["kind"] in ("rect", "text")), default=0) - 30
    view.backdrop.append({"kind": "frame", "x": left_edge, "y": axis - 56, "w": right + 30 - left_edge,
                          "h": bottom + 30 - (axis - 56)})

    for item in items:
        label = data.label(item)
        if data.is_a(item, imp("Agreement")):
            colour = GREEN
        elif data.is_a(item, imp("NegotiationRound")):
            colour = ORANGE
        elif data.is_a(item, imp("CausalLink")):
            colour = GREY
        else:
            colour = SKY if not data.is_a(item, imp("War")) and not data.is_a(item, imp("MilitaryStrike")) else VERMILION
        fields = []
        if item in dated:
            fields.append(("Date", f"{dated[item][3]} (precision: {dated[item][2]})"))
            shown = f"{dated[item][3]} · {label}"
        else:
            fields.append(("Date", "not given by the sources"))
            shown = label
        view.add_node(item, label=shown, shape="box", color={"background": colour, "border": INK},
                      shapeProperties={"borderDashes": False if item in dated else [5, 4]},
                      borderWidth=1.5 if item in dated else 2,
                      widthConstraint={"maximum": 176}, font={"size": 14, "face": "sans-serif"},
                      x=x[item], y=y[item], fixed=True, cls=data.main_type(item),
                      tip=tooltip(label, data.type_label(item), fields, data.quotes(item), data.comment(item)))
    for source, target, kind, fact in edges:
        if kind == "causal":
            cue = ", ".join(v.text for v in data.values(fact, imp("cue")))
            view.add_edge(source, target, label=cue or None, color={"color": VERMILION}, width=2,
                          font={"size": 11, "color": VERMILION},
                          smooth={"enabled": True, "type": "curvedCW", "roundness": 0.2},
                          tip=tooltip(data.label(fact), data.type_label(fact), [("Cue", cue)] if cue else [],
                                      data.quotes(fact), data.comment(fact)))
        else:
            prop = imp("follows") if kind == "follows" else imp("concernsAgreement")
            view.add_edge(source, target, label=kind, color={"color": GREY}, dashes=[3, 4], width=1.5,
                          font={"size": 10, "color": "#5b6475"},
                          tip=tooltip(f"{data.label(source)} {kind} {data.label(target)}", kind,
                                      quotes=data.quotes(fact, supporting=prop)))
    view.legend_node("agreement", GREEN, "box")
    view.legend_node("negotiation round", ORANGE, "box")
    view.legend_node("war or military strike", VERMILION, "box")
    view.legend_node("other event", SKY, "box")
    view.legend_node("period the date names (year, month)", "rgba(0,114,178,0.3)", "box")
    view.legend_node("undated in the sources (dashed border; right of the axis, not in time)", "#FBF7EE", "box")
    view.legend_line("causal link claimed by a source (label: its words)", VERMILION)
    view.legend_line("follows / concerns", GREY, dashes=True)
    return view
