"""The HTML views, read as HTML: offline, escaped, deterministic, every item with a tooltip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.views.network import script_json
from kg.views.site import ONTOLOGY_PAGE, VIEWS, render_views

ROOT = Path(__file__).resolve().parents[2]

#: A document whose quotes and labels carry script payloads (also used by the browser tests).
XSS_TEXT = (
    "Officials said the United States demands <script>alert(1)</script> curbs on ballistic missiles.\n"
    "Iran holds <img src=x onerror=alert(1)> its missile arsenal close.\n"
    'Analysts pointed to <a href="javascript:alert(3)">the strikes</a> of that summer.\n'
)
XSS_FACTS = """\
document: xss
facts:
  - kind: position
    type: demand
    holder: united-states
    issue: ballistic-missiles
    addressed_to: iran
    comment: "A comment with <b>markup</b> & an </script> end tag."
    quote: "demands <script>alert(1)</script> curbs on ballistic missiles"
  - kind: leverage
    leverage_kind: missile-arsenal
    holder: iran
    bears_on: [ballistic-missiles]
    quote: "Iran holds <img src=x onerror=alert(1)> its missile arsenal"
  - kind: event
    key: xss-strikes
    class: MilitaryStrike
    label: "<img src=x onerror=alert(2)> strikes"
    quote: '<a href="javascript:alert(3)">the strikes</a>'
"""
PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(3)">')


def xss_project(project):
    """Add the payload document to a temporary project and build it."""
    from kg.build.builder import build

    project.add("xss", XSS_TEXT, XSS_FACTS)
    return build(project.root)


class _Links(HTMLParser):
    """Every URL-carrying attribute and every <link>/<script src> of a page."""

    ATTRIBUTES = {"src", "href", "action", "formaction", "data", "poster", "srcset", "background", "cite"}

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in self.ATTRIBUTES and value is not None:
                self.urls.append((tag, name, value))


def _external(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:")) or "://" in lowered


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser


def payload_of(html: str) -> dict:
    """The JSON data block of a view page."""
    start = html.index('<script type="application/json" id="view-data">') + len('<script type="application/json" id="view-data">')
    return json.loads(html[start:html.index("</script>", start)])


@pytest.fixture(scope="session")
def pages(built):
    return render_views(built.graph)


def test_every_page_is_rendered(pages):
    assert set(pages) == set(VIEWS) | {"index.html", ONTOLOGY_PAGE}
    for name, html in pages.items():
        assert html.startswith("<!DOCTYPE html>"), name


@pytest.mark.parametrize("name", VIEWS + ("index.html",))
def test_no_external_link_of_any_kind(pages, name):
    html = pages[name]
    parsed = _links(html)
    assert not [u for u in parsed.urls if _external(u[2])]
    assert not [u for u in parsed.urls if u[1] == "src"], "everything is inline"
    assert "link" not in parsed.tags, "no stylesheet, icon or font is linked"
    assert "@import" not in html and "url(http" not in html.replace(" ", "")
    assert "sourceMappingURL" not in html


def test_ontology_page_loads_nothing(pages):
    """pyLODE's page links the IRIs it documents (<a href>), but fetches nothing."""
    parsed = _links(pages[ONTOLOGY_PAGE])
    fetched = [u for u in parsed.urls if u[0] != "a"]
    assert all(value.startswith("data:") for _, _, value in fetched), fetched
    assert "Agenda mismatch" in pages[ONTOLOGY_PAGE]


def test_index_links_every_view_and_the_ontology(pages):
    hrefs = {value for tag, name, value in _links(pages["index.html"]).urls if tag == "a"}
    assert set(VIEWS) | {ONTOLOGY_PAGE} <= hrefs
    for view in VIEWS:
        assert 'href="index.html"' in pages[view]
    assert "Shafaq News" in pages["index.html"]  # the corpus summary


@pytest.mark.parametrize("name", VIEWS)
def test_every_node_and_edge_has_a_tooltip(pages, name):
    data = payload_of(pages[name])
    assert data["nodes"], name
    for item in data["nodes"] + data["edges"]:
        assert item["tip"]["title"] and item["tip"]["type"], item
        assert "title" not in item, "tooltips are built in the browser, never given as HTML"


def test_facts_carry_their_quotes(pages, built):
    data = payload_of(pages["mismatch-map.html"])
    quoted = [e for e in data["edges"] if e["tip"].get("quotes")]
    assert quoted, "every position edge shows its quotes"
    quote = quoted[0]["tip"]["quotes"][0]
    assert quote["text"] and quote["source"]


def test_large_views_have_physics_off():
    from kg.views.network import PHYSICS_LIMIT, View, force_layout, payload

    view = View("big", "Big", "A big graph.")
    view.physics = True
    ids = [f"n{i}" for i in range(PHYSICS_LIMIT + 1)]
    positions = force_layout(ids, list(zip(ids, ids[1:])))
    for node in ids:
        view.add_node(node, label=node, x=positions[node][0], y=positions[node][1], tip={"title": node, "type": "t"})
    data = payload(view)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])


def test_script_json_cannot_close_its_element():
    text = script_json({"q": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"q": "</script><script>alert(1)</script> & <!--"}


def test_payloads_in_quotes_stay_text(project):
    result = xss_project(project)
    rendered = render_views(result.graph)
    for name, html in rendered.items():
        if name == ONTOLOGY_PAGE:
            continue
        for payload in PAYLOADS + ("<b>markup</b>", "onerror=alert(2)>"):
            assert payload not in html, (name, payload)
        parsed = _links(html)
        assert not [u for u in parsed.urls if "javascript:" in u[2]], name
    edges = payload_of(rendered["mismatch-map.html"])["edges"]
    quotes = [q["text"] for e in edges for q in e["tip"].get("quotes", [])]
    assert any("<script>alert(1)</script>" in q for q in quotes), "the quote is kept, as text"


def test_same_graph_same_bytes(pages, built):
    again = render_views(built.graph)
    assert again == pages


def _digest_in_fresh_process(seed: str) -> str:
    code = ("import hashlib, sys; from kg.build.builder import build; from kg.views.site import render_views; "
            "pages = render_views(build(sys.argv[1]).graph); "
            "print(hashlib.sha256(repr(sorted(pages.items())).encode()).hexdigest())")
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_byte_identical_across_processes():
    """Different hash seeds (set and dict order) in fresh processes: the same bytes."""
    assert _digest_in_fresh_process("1") == _digest_in_fresh_process("2")


def test_views_command_writes_the_pages(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    out = tmp_path / "views"
    result = CliRunner().invoke(cli, ["views", "-C", str(ROOT), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == set(VIEWS) | {"index.html", ONTOLOGY_PAGE}
    assert all((out / name).read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
               for name in set(VIEWS) | {"index.html"})


def test_committed_views_are_current(pages):
    """exports/views/ is what `kg build` writes for the current code and corpus."""
    folder = ROOT / "exports" / "views"
    stale = [name for name, html in pages.items()
             if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != html]
    assert not stale, f"regenerate exports/ with kg build: {stale}"


def test_timeline_keeps_undated_items_off_the_time_axis(pages):
    """No undated item sits where the axis names a year; they are apart, captioned, in causal order."""
    from kg.views.timeline import UNDATED_CAPTION

    data = payload_of(pages["timeline.html"])
    backdrop = data["backdrop"]
    axis = next(b for b in backdrop if b.get("role") == "axis")
    years = [b for b in backdrop if b["kind"] == "text" and b["text"].isdigit()]
    ticks = [b["x1"] for b in backdrop if b["kind"] == "line" and b["x1"] == b["x2"] and not b.get("dash")]
    lo = min([axis["x1"], *ticks, *(b["x"] for b in years)])
    hi = max([axis["x2"], *ticks, *(b["x"] for b in years)])
    undated = [n for n in data["nodes"] if ["Date", "not given by the sources"] in n["tip"]["fields"]]
    dated = [n for n in data["nodes"] if n not in undated]
    assert undated and dated, "the corpus has both"
    for node in undated:
        half = node["widthConstraint"]["maximum"] / 2
        assert node["x"] - half > hi or node["x"] + half < lo, node["tip"]["title"]
        assert node["shapeProperties"]["borderDashes"], "undated: dashed border"
    assert all(lo <= n["x"] <= hi for n in dated)
    assert " ".join(b["text"] for b in backdrop if b.get("role") == "caption") == UNDATED_CAPTION
    # Among undated items, a cause (or what an item follows) sits left of its effect.
    where = {n["id"]: n["x"] for n in undated}
    linked = [e for e in data["edges"] if e["from"] in where and e["to"] in where and e.get("label") != "concerns"]
    assert linked and all(where[e["from"]] < where[e["to"]] for e in linked)
    # The page opens fitted to a frame holding every node and every caption.
    frame = next(b for b in backdrop if b["kind"] == "frame")
    for x, y in [(n["x"], n["y"]) for n in data["nodes"]] + [(b["x"], b["y"]) for b in backdrop if b["kind"] == "text"]:
        assert frame["x"] <= x <= frame["x"] + frame["w"] and frame["y"] <= y <= frame["y"] + frame["h"]
