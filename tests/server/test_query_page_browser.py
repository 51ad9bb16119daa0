"""The query page in headless Chromium, over real HTTP: what only a browser shows.

Labels with their IRIs, a named query copied with its parameters, results that belong to the
editor's query, long cells opened by a click, no sideways overflow at 400 px and at desktop
width, syntax errors with the CLI's caret, N-Quads for CONSTRUCT, document text kept as text.
Screenshots go to $KG_SCREENSHOTS (else the test's temporary folder), to be looked at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kg.server.app import create_app
from kg.sparql.query import load_queries
from kg.store import load_graph

from ..conftest import ROOT, require_chromium, run_cli
from .conftest import serving

require_chromium()

from playwright.sync_api import expect  # noqa: E402 - once require_chromium() has skipped where it is missing

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

WIDTHS = {"narrow": 400, "desktop": 1366}
#: agenda-mismatches between its two default actors (United States, Iran): the expected file's rows.
BOUND_ROWS = len((ROOT / "queries" / "agenda-mismatches.expected.tsv").read_text(encoding="utf-8").splitlines()) - 1


@pytest.fixture(scope="module")
def base_url():
    app = create_app(load_graph(ROOT / "exports" / "impasse.ttl"), queries=load_queries(ROOT / "queries"),
                     timeout=10, workers=1, allowed_hosts=["127.0.0.1"])
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = Path(os.environ.get("KG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(params=list(WIDTHS))
def page(request, browser, base_url):
    """The query page at one width; fails the test on any console error or request elsewhere."""
    context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 900})
    page = context.new_page()
    page.width_name = request.param
    errors, elsewhere = [], []
    page.on("console", lambda m: errors.append(m.text)  # Chromium's own /favicon.ico request aside
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith((base_url, "blob:")) else None)
    page.console_errors = errors
    page.goto(base_url + "/")
    page.wait_for_selector("#query-list button")
    yield page
    context.close()
    assert errors == [] and elsewhere == []


def _run_named(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=False).first.click()
    page.locator("#named-form button[type=submit]").click()
    expect(page.locator("#status")).to_contain_text("result(s)")


def _rows(page) -> int:
    return page.locator("#results tbody tr").count()


def _no_sideways_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_named_query_shows_labels_with_iris_and_its_own_text_in_the_editor(page, shots):
    _run_named(page, "agenda-mismatches")
    assert _rows(page) == BOUND_ROWS
    editor = page.locator("#query").input_value()
    assert "VALUES (?a ?b)" in editor and "<https://w3id.org/impasse/id/actor/iran>" in editor
    assert page.locator("#stale").is_hidden()
    first = page.locator("#results tbody tr").first.locator("td").first
    assert first.inner_text().startswith("United States") or first.inner_text().startswith("a: United States")
    assert first.get_attribute("title") == "https://w3id.org/impasse/id/actor/united-states"
    _no_sideways_overflow(page)
    page.screenshot(path=shots / f"agenda-mismatches-{page.width_name}.png", full_page=False)


def test_copy_to_editor_keeps_the_parameters_and_gives_the_same_rows(page):
    _run_named(page, "agenda-mismatches")
    named = page.locator("#results tbody").inner_text()
    page.locator("#query").fill("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    page.get_by_role("button", name="Copy to the editor, parameters bound").click()
    expect(page.locator("#query")).to_have_value(re.compile("VALUES"))
    page.locator("#run").click()
    expect(page.locator("#results tbody tr")).to_have_count(BOUND_ROWS)
    assert page.locator("#results tbody").inner_text() == named


def test_results_under_an_edited_editor_are_marked_stale(page):
    page.locator("#run").click()
    expect(page.locator("#status")).to_contain_text("result(s)")
    assert page.locator("#stale").is_hidden()
    page.locator("#query").press("End")
    page.locator("#query").type(" # another query")
    assert page.locator("#stale").is_visible()
    assert "stale" in page.locator("#results").get_attribute("class")
    page.locator("#query").press("Control+Enter")
    expect(page.locator("#stale")).to_be_hidden()


LONG = "the parties " * 40  # 480 characters, with spaces: it wraps, and is cut at 160


def test_a_long_cell_is_cut_and_opens_on_a_click(page, shots):
    page.locator("#query").fill(f'SELECT ?quote ?who WHERE {{ VALUES (?quote ?who) {{ ("{LONG}" '
                                '<https://w3id.org/impasse/id/actor/iran>) } }')
    page.locator("#run").click()
    expect(page.locator("#status")).to_contain_text("1 result(s)")
    cut = page.locator("#results td.cut[data-var=quote]")
    shown = cut.inner_text()
    assert shown.endswith("…") and len(shown.removeprefix("quote: ")) == 160
    cut.click()
    assert cut.get_attribute("aria-expanded") == "true" and cut.inner_text().removeprefix("quote: ") == LONG.strip()
    who = page.locator("#results td[data-var=who]")
    assert who.inner_text().removeprefix("who: ") == "Iran"
    who.click()  # a touch screen has no hover: a click shows the IRI under the label
    assert who.locator(".iri").inner_text() == "https://w3id.org/impasse/id/actor/iran"
    _no_sideways_overflow(page)
    page.screenshot(path=shots / f"open-cell-{page.width_name}.png")


def test_a_syntax_error_has_the_clis_line_column_and_caret(page, shots):
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?s\nWHERE { ?s rdfs:label }"
    page.locator("#query").fill(query)
    page.locator("#run").click()
    page.wait_for_selector("#error:not([hidden])")
    shown = page.locator("#error p").inner_text() + "\n" + page.locator("#error pre").inner_text()
    cli = run_cli("query", "-e", query, "-C", ROOT)
    assert cli.exit_code == 2
    # The same problem, rendered by the same code: only the head's naming of the place differs.
    cli_lines = cli.output.removeprefix("Error: ").rstrip("\n").splitlines()
    line, column = cli_lines[0].split(":")[1:3]
    assert shown.splitlines()[0].startswith(f"SPARQL syntax error at line {line}, column {column}: ")
    assert shown.splitlines()[1:] == cli_lines[1:] and shown.splitlines()[-1].strip() == "^"
    assert [e.split(": ", 1)[1] for e in page.console_errors] == ["the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()  # the one the test asked for
    cursor = page.evaluate("document.querySelector('#query').selectionStart")
    assert cursor == len("\n".join(query.splitlines()[: int(line) - 1])) + int(column)
    page.screenshot(path=shots / f"syntax-error-{page.width_name}.png")


def test_a_construct_result_as_n_quads(page):
    page.locator("#format").select_option("application/n-quads")
    page.locator("#query").fill("CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 3")
    page.locator("#run").click()
    expect(page.locator("#status")).to_contain_text("application/n-quads")
    lines = page.locator("#results pre").inner_text().strip().splitlines()
    assert len(lines) == 3 and all(line.endswith(" .") and line.startswith("<") for line in lines)
    assert page.locator("#download").get_attribute("download") == "result.nq"


def test_document_text_is_shown_as_text(page):
    page.locator("#query").fill('SELECT ("<img src=x onerror=document.title=1>" AS ?x) WHERE {}')
    page.locator("#run").click()
    expect(page.locator("#status")).to_contain_text("result(s)")
    assert page.locator("#results img").count() == 0
    assert page.locator("#results td").inner_text().endswith("<img src=x onerror=document.title=1>")
