"""The pyvis ``Network`` every view returns, and the one template that renders it offline.

pyvis's own template links Bootstrap from a CDN and, as soon as one tooltip contains the
text ``href``, inserts every tooltip as raw HTML (docs/engine-notes.md, "pyvis templates"). So a view owns its page:
``templates/view.html`` inlines vis-network from the copy bundled with pyvis, carries the
nodes and edges as JSON in a ``<script type="application/json">`` block (with ``<``, ``>``
and ``&`` escaped, so no quote can close it), and builds each tooltip in the browser from
DOM text nodes. Nothing from a document is ever parsed as HTML.

Output is deterministic: nodes and edges are sorted, positions are rounded integers from
seeded layouts, JSON keys are sorted, and nothing depends on the clock.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyvis
from pyvis.network import Network
from pyvis.edge import Edge

from .graphdata import MAX_QUOTES, Quote

#: Beyond this many nodes physics is off and positions come from networkx alone.
PHYSICS_LIMIT = 300

_VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


def tooltip(title: str, kind: str, fields: list[tuple[str, str]] = (), quotes: list[Quote] = (),
            note: str | None = None) -> dict:
    """The data of one tooltip: rendered in the browser as text, never as HTML.

    :param title: the node's or edge's label.
    :param kind: its type ("Red line", "venue" …).
    :param fields: further (name, value) lines.
    :param quotes: the verbatim quotes it rests on, with their documents.
    :param note: one more line (a comment or an explanation).
    """
    tip: dict = {"title": title, "type": kind}
    if fields:
        tip["fields"] = [[name, value] for name, value in fields]
    if note:
        tip["note"] = note
    if quotes:
        tip["quotes"] = [{"text": q.text, "source": f"{q.document} · {q.provenance}" if q.provenance else q.document}
                         for q in quotes[:MAX_QUOTES]]
        if len(quotes) > MAX_QUOTES:
            tip["more"] = len(quotes) - MAX_QUOTES
    return tip


class View(Network):
    """A pyvis Network with what an Impasse page needs: title, legend, backdrop, controls.

    ``generate_html()`` renders it with the package's own offline template; use it (or
    :func:`render`) and write the string yourself.

    :param name: the file stem the CLI writes it under (``mismatch-map``).
    :param title: the page title.
    :param description: one paragraph under the title.
    """

    def __init__(self, name: str, title: str, description: str, directed: bool = True):
        super().__init__(height="100%", width="100%", directed=directed, cdn_resources="in_line")
        self.name = name
        self.view_title = title
        self.description = description
        self.legend: list[dict] = []  # {"label", "color", "kind": "node"|"line", "dashes", "shape", "width"}
        self.notes: list[str] = []  # extra lines in the side panel (e.g. the centrality measure)
        self.backdrop: list[dict] = []  # shapes drawn behind the network, in network coordinates
        self.classes: list[dict] = []  # the class filter: {"id", "label", "count"}
        self.search = False
        self.physics = False
        self.smooth_edges = True
        #: After fitting, zoom in to at least this scale around ``focus`` (wide views stay legible).
        self.min_scale: float | None = None
        self.focus: tuple[int, int] | None = None
        self._ids: set = set()

    # pyvis checks each edge's ends against a list of ids (quadratic); keep a set instead.
    def add_node(self, n_id, label=None, shape="dot", color="#97c2fc", **options):
        """Add a node (see pyvis); ``tip`` should hold the :func:`tooltip` data."""
        if n_id not in self._ids:
            self._ids.add(n_id)
            super().add_node(n_id, label=label, shape=shape, color=color, **options)

    def add_edge(self, source, to, **options):
        """Add an edge between two existing nodes (see pyvis)."""
        if source not in self._ids or to not in self._ids:
            raise ValueError(f"edge {source!r} → {to!r}: both ends must be nodes of the view")
        self.edges.append(Edge(source, to, self.directed, **options).options)

    def legend_node(self, label: str, color: str, shape: str = "dot") -> None:
        """Add a node swatch to the legend."""
        self.legend.append({"kind": "node", "label": label, "color": color, "shape": shape})

    def legend_line(self, label: str, color: str, dashes: bool = False, width: int = 2) -> None:
        """Add an edge swatch to the legend."""
        self.legend.append({"kind": "line", "label": label, "color": color, "dashes": dashes, "width": width})

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        """The page, self-contained and offline (pyvis's signature; its arguments are ignored)."""
        self.html = render(self)
        return self.html


def spread(count: int, gap: float, centre: float = 0.0) -> list[int]:
    """``count`` evenly spaced coordinates ``gap`` apart around ``centre`` (integers)."""
    start = centre - gap * (count - 1) / 2
    return [round(start + gap * i) for i in range(count)]


#: Where :func:`force_layout` keeps the layouts it computed (set by :func:`kg.views.site.render_views`).
LAYOUT_CACHE: ContextVar[Path | None] = ContextVar("LAYOUT_CACHE", default=None)


def force_layout(nodes: list, edges: list[tuple], seed: int = 7, scale: float | None = None) -> dict:
    """Positions from networkx's spring layout, seeded and rounded: the same graph, the same picture.

    The layout of a graph is kept in the folder :data:`LAYOUT_CACHE` names (when set), under
    the digest of the graph drawn (nodes, edges, seed, scale, networkx's version): a view whose
    graph did not change is not laid out again.

    :param nodes: node ids (any order; sorted here).
    :param edges: (source, target) pairs.
    :returns: id -> (x, y) in pixels.
    """
    import networkx as nx

    drawn = (sorted(nodes), sorted({(a, b) for a, b in edges if a != b}))
    if not drawn[0]:
        return {}
    folder = LAYOUT_CACHE.get()
    path = None
    if folder is not None:
        key = hashlib.sha256(json.dumps([drawn, seed, scale, nx.__version__]).encode("utf-8")).hexdigest()
        path = folder / "layout" / f"{key}.json"
        if path.is_file():
            return {node: tuple(xy) for node, xy in json.loads(path.read_text(encoding="utf-8"))}
    graph = nx.Graph()
    graph.add_nodes_from(drawn[0])
    graph.add_edges_from(drawn[1])
    n = graph.number_of_nodes()
    # networkx's spring layout costs about a second per iteration at 5,000 nodes here.
    iterations = 50 if n <= 1000 else 12
    positions = nx.spring_layout(graph, seed=seed, iterations=iterations)
    scale = scale or max(300.0, 55.0 * math.sqrt(n))
    laid = {node: (round(float(x) * scale), round(float(y) * scale)) for node, (x, y) in positions.items()}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(sorted(laid.items())), encoding="utf-8")
        temporary.replace(path)
    return laid


def _sort_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _options(view: View) -> dict:
    big = len(view.nodes) > PHYSICS_LIMIT
    physics = view.physics and not big
    return {
        "autoResize": True,
        "edges": {
            "arrows": {"to": {"enabled": view.directed, "scaleFactor": 0.6}},
            "color": {"inherit": False},
            "font": {"size": 11, "face": "sans-serif", "strokeWidth": 3, "align": "middle"},
            "smooth": {"enabled": view.smooth_edges and not big, "type": "continuous", "roundness": 0.3},
            "width": 1.5,
        },
        "interaction": {
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "hover": True,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": True,
            "navigationButtons": False,
            "tooltipDelay": 100,
        },
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "nodes": {"font": {"face": "sans-serif", "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1.5},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 250, "fit": True},
        },
    }


def payload(view: View) -> dict:
    """Everything the page's script needs, sorted so that the same view gives the same bytes."""
    nodes = sorted(view.nodes, key=lambda n: str(n["id"]))
    edges = sorted(view.edges, key=lambda e: (str(e["from"]), str(e["to"]), _sort_key(e)))
    numbered = []
    for index, edge in enumerate(edges):
        edge = dict(edge)
        edge.setdefault("id", f"e{index}")
        numbered.append(edge)
    return {
        "nodes": nodes,
        "edges": numbered,
        "options": _options(view),
        "backdrop": view.backdrop,
        "physics": bool(view.physics and len(nodes) <= PHYSICS_LIMIT),
        "minScale": view.min_scale,
        "focus": {"x": view.focus[0], "y": view.focus[1]} if view.focus else None,
    }


def script_json(data) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left raw."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, from the copy bundled with pyvis.

    The source-map comment is dropped: a browser's developer tools would try to fetch it.
    """
    script = (_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    style = (_VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S*", "", script)
    style = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", style)
    if "</script" in script.lower() or "</style" in style.lower():
        raise RuntimeError("the bundled vis-network cannot be inlined safely")
    return script, style


@lru_cache(maxsize=1)
def environment():
    """The Jinja environment of the package's templates, autoescaping everything."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    def load(name: str) -> str:
        return resources.files("kg.views").joinpath("templates", name).read_text(encoding="utf-8")

    return Environment(loader=FunctionLoader(load), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


def render(view: View) -> str:
    """The view as one self-contained HTML page (vis-network inline, no external link)."""
    from markupsafe import Markup

    script, style = vis_assets()
    return environment().get_template("view.html").render(
        view=view,
        vis_script=Markup(script),
        vis_style=Markup(style),
        data=Markup(script_json(payload(view))),
        node_count=len(view.nodes),
        edge_count=len(view.edges),
    )
