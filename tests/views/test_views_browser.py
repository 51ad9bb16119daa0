"""The views in a real headless Chromium (Debian's, driven by Playwright): offline, drawn, escaped.

Every page is opened from a file:// URL with every other request aborted and counted. A
PNG screenshot of each view is saved under test-output/screenshots/ for a person to look at.
Skipped, with the reason, only where /usr/bin/chromium is missing and CI is not set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.views.site import ONTOLOGY_PAGE, VIEWS, write_views

from ..conftest import require_chromium
from .test_views import xss_project

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"

require_chromium()

PREFIXES = """
PREFIX imp: <https://w3id.org/impasse/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
#: What the graph says each view must hold, asked in SPARQL over the union of the named graphs.
EXPECTED = {
    "mismatch-map.html": (
        """SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {
            { ?p a/rdfs:subClassOf* imp:Position ; imp:heldBy ?h ; imp:onIssue ?i . VALUES ?k { 1 2 }
              BIND(IF(?k = 1, ?h, ?i) AS ?n) }
            UNION { ?n a/rdfs:subClassOf* imp:AgendaMismatch }
            UNION { ?n a imp:BargainingSpace }
            UNION { ?m a/rdfs:subClassOf* imp:AgendaMismatch ; imp:between|imp:onIssue ?n }
            UNION { ?m a imp:BargainingSpace ; imp:between|imp:onIssue ?n } }""",
        """SELECT (COUNT(*) AS ?c) WHERE {
            { SELECT DISTINCT ?p WHERE { ?p a/rdfs:subClassOf* imp:Position ; imp:heldBy ?h ; imp:onIssue ?i } }
            UNION { SELECT DISTINCT ?m ?i WHERE { { ?m a/rdfs:subClassOf* imp:AgendaMismatch } UNION
                                                  { ?m a imp:BargainingSpace } ?m imp:onIssue ?i } } }""",
    ),
    "leverage-map.html": (
        """SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {
            { ?n a imp:LeverageAsset ; imp:heldBy ?h } UNION { ?a a imp:LeverageAsset ; imp:heldBy ?n }
            UNION { ?a a imp:LeverageAsset ; imp:heldBy ?h ; imp:bearsOn|imp:target ?n } }""",
        """SELECT (COUNT(*) AS ?c) WHERE { { SELECT DISTINCT ?a ?p ?o WHERE {
            ?a a imp:LeverageAsset ; imp:heldBy ?h ; ?p ?o . VALUES ?p { imp:heldBy imp:bearsOn imp:target } } } }""",
    ),
    "timeline.html": (
        """SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { { ?n a/rdfs:subClassOf* imp:Event } UNION { ?n a imp:Agreement } }""",
        None,  # causal links, "follows" and "concerns": counted below
    ),
    "actor-network.html": (None, None),
    "explorer.html": (None, None),
}


def _count(graph, query: str) -> int:
    rows = list(graph.oxigraph.query(PREFIXES + query, use_default_graph_as_union=True))
    return int(rows[0]["c"].value)


def expected_counts(graph, name: str) -> tuple[int, int]:
    """The number of nodes and edges the view must show, from the graph."""
    from kg.views import actors, explorer, timeline
    from kg.views.graphdata import GraphData

    nodes_query, edges_query = EXPECTED[name]
    data = GraphData(graph)
    if name == "timeline.html":
        items = timeline.timeline_items(data)
        return _count(graph, nodes_query), len(timeline.timeline_edges(data, items))
    if name == "actor-network.html":
        edges = actors.drawn_edges(data)  # one per pair of nodes, whatever the roles between them
        return len({e[0] for e in edges} | {e[1] for e in edges}), len(edges)
    if name == "explorer.html":
        nodes = explorer.explorer_nodes(data)
        return len(nodes), len(explorer.explorer_edges(data, nodes))
    return _count(graph, nodes_query), _count(graph, edges_query)


class Visit:
    """One page opened offline: requests that tried to leave, console errors, dialogs."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1500, "height": 950})
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def wait_drawn(self):
        self.page.wait_for_selector("html[data-ready='1']", state="attached", timeout=30_000)

    def hover(self, node_id: str) -> str:
        """Move the mouse onto a node and return the tooltip's text."""
        point = self.page.evaluate(
            """(id) => { const v = window.impasseView; v.network.focus(id, {scale: 1.2});
                         const p = v.network.canvasToDOM(v.network.getPosition(id));
                         const box = document.getElementById('network').getBoundingClientRect();
                         return {x: box.left + p.x, y: box.top + p.y}; }""", node_id)
        self.page.mouse.move(point["x"] - 40, point["y"] - 40)
        self.page.mouse.move(point["x"], point["y"], steps=5)
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        return tooltip.inner_text()

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def site(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("views")
    write_views(built.graph, folder)
    return folder


@pytest.mark.parametrize("name", VIEWS)
def test_view_draws_offline(browser, site, built, name):
    visit = Visit(browser, site / name)
    try:
        visit.wait_drawn()
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / name.replace(".html", ".png")))
        shown = visit.page.evaluate("() => [window.impasseView.nodes.length, window.impasseView.edges.length]")
        assert tuple(shown) == expected_counts(built.graph, name)
        assert visit.blocked == [], "no request may leave the page"
        assert visit.errors == []
        assert visit.dialogs == []
    finally:
        visit.close()


@pytest.mark.parametrize("name", ["index.html", ONTOLOGY_PAGE])
def test_pages_open_offline(browser, site, name):
    visit = Visit(browser, site / name)
    try:
        visit.page.wait_for_load_state("load")
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / name.replace(".html", ".png")))
        assert visit.blocked == [] and visit.errors == [] and visit.dialogs == []
    finally:
        visit.close()


def test_mismatch_map_shows_us_iran_mismatches(browser, site):
    """The derived mismatches between the United States and Iran are drawn, and hovering one shows its quotes."""
    visit = Visit(browser, site / "mismatch-map.html")
    try:
        visit.wait_drawn()
        nodes = visit.page.evaluate("() => window.impasseView.data.nodes")
        mismatches = [n for n in nodes if n["shape"] == "diamond" and "mismatch" in n["tip"]["type"].lower()]
        assert mismatches, "no agenda mismatch is drawn (is graph:derived built?)"
        us_iran = [n for n in mismatches
                   if any(f[0] == "Between" and "Iran" in f[1] and "United States" in f[1] for f in n["tip"]["fields"])]
        assert us_iran
        target = next(n for n in us_iran if n["tip"].get("quotes"))
        text = visit.hover(target["id"])
        assert target["tip"]["quotes"][0]["text"] in text
    finally:
        visit.close()


@pytest.mark.parametrize("name", ["leverage-map.html", "timeline.html"])
def test_hovering_a_fact_shows_its_quote(browser, site, name):
    visit = Visit(browser, site / name)
    try:
        visit.wait_drawn()
        nodes = visit.page.evaluate("() => window.impasseView.data.nodes")
        fact = next(n for n in nodes if n["tip"].get("quotes"))
        text = visit.hover(fact["id"])
        assert fact["tip"]["quotes"][0]["text"] in text
        assert fact["tip"]["quotes"][0]["source"] in text
    finally:
        visit.close()


def test_timeline_opens_on_the_whole_timeline(browser, site):
    """Every node, year label and caption is on screen when the page opens (no zoom into one year)."""
    visit = Visit(browser, site / "timeline.html")
    try:
        visit.wait_drawn()
        outside = visit.page.evaluate(
            """() => { const v = window.impasseView, box = document.getElementById('network');
                       const points = v.data.nodes.map(n => v.network.getPosition(n.id))
                         .concat(v.data.backdrop.filter(b => b.kind === 'text').map(b => ({x: b.x, y: b.y})));
                       return points.map(p => v.network.canvasToDOM(p))
                         .filter(p => p.x < 0 || p.y < 0 || p.x > box.clientWidth || p.y > box.clientHeight).length; }""")
        assert outside == 0
    finally:
        visit.close()


def test_explorer_filters_by_class_and_searches_by_name(browser, site):
    visit = Visit(browser, site / "explorer.html")
    try:
        visit.wait_drawn()
        page = visit.page
        page.fill("#search", "Muscat")
        assert "match" in page.inner_text("#search-status")
        selected = page.evaluate("() => window.impasseView.network.getSelectedNodes().length")
        assert selected >= 1
        box = page.locator(".class-filter").first
        cls = box.get_attribute("value")
        box.uncheck()
        hidden = page.evaluate("(c) => window.impasseView.nodes.get({filter: n => n.cls === c && n.hidden}).length", cls)
        total = page.evaluate("(c) => window.impasseView.data.nodes.filter(n => n.cls === c).length", cls)
        assert hidden == total > 0
        assert visit.errors == []
    finally:
        visit.close()


def test_script_payloads_in_quotes_run_nothing(browser, project, tmp_path):
    result = xss_project(project)
    folder = tmp_path / "views"
    write_views(result.graph, folder)
    for name in VIEWS + ("index.html",):
        visit = Visit(browser, folder / name)
        try:
            if name != "index.html":
                visit.wait_drawn()
                nodes = visit.page.evaluate("() => window.impasseView.data.nodes")
                for node in [n for n in nodes if n["tip"].get("quotes")][:3]:
                    text = visit.hover(node["id"])
                    assert "<" in text or node["tip"]["quotes"][0]["text"] in text
                if name == "leverage-map.html":
                    asset = next(n for n in nodes if n["shape"] == "diamond")
                    assert "<img src=x onerror=alert(1)>" in visit.hover(asset["id"]), "shown as text"
            else:
                visit.page.wait_for_load_state("load")
            visit.page.wait_for_timeout(200)
            assert visit.dialogs == [], f"{name}: a payload ran"
            assert visit.page.locator("#network img, .vis-tooltip img, .vis-tooltip script, .vis-tooltip a").count() == 0
            assert visit.blocked == [] and visit.errors == []
        finally:
            visit.close()
