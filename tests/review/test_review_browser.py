"""The review page in a real headless Chromium (Debian's, driven by Playwright), as a reviewer uses it.

One article of the dev set is added with `kg add` to a copy of the project; the page then
accepts a fact by key, edits one's issue to a new issue, rejects one, rejects and undoes
another, rebuilds, and the facts file, the reference data and the built graph are compared
with what those decisions must give. A screenshot of each step is saved under
test-output/review/ for a person to look at (the path is printed).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..conftest import require_chromium, run_cli
from .conftest import SHOTS, Served


require_chromium()

PREFIXES = """PREFIX imp: <https://w3id.org/impasse/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


class Tab:
    """A page of the review app: console errors, dialogs and requests leaving 127.0.0.1 recorded."""

    def __init__(self, browser, served: Served, shots: str):
        self.context = browser.new_context(viewport={"width": 1500, "height": 950})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.shots = SHOTS / shots
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.served = served

    def settle(self):
        self.page.wait_for_selector("html[data-busy='0']", state="attached", timeout=60_000)

    def key(self, key: str):
        self.page.keyboard.press(key)
        self.settle()

    def state(self) -> dict:
        return self.page.evaluate("() => state")

    def cursor(self) -> int:
        return self.page.evaluate("() => cursor")

    def go_to(self, predicate) -> dict:
        """Press j until the current item satisfies ``predicate``; returns that item."""
        for _ in range(len(self.state()["items"])):
            item = self.state()["items"][self.cursor()]
            if predicate(item):
                return item
            self.key("j")
        raise AssertionError("no such item")

    def shot(self, name: str):
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        print(f"screenshot: {path}")

    def close(self):
        self.context.close()


def _facts(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]


def _position(issue: str):
    return lambda item: item["type"] == "fact" and item["fact"]["kind"] == "position" and item["fact"]["issue"] == issue


def test_review_by_keyboard_then_rebuild(browser, served, reviewed):
    root, slug = reviewed
    facts_path = root / "corpus" / f"{slug}.facts.yaml"
    original_text = facts_path.read_text(encoding="utf-8")
    original = _facts(facts_path)
    tab = Tab(browser, served, "keyboard")
    page = tab.page
    try:
        page.goto(served.url("/"))
        assert page.url == f"{served.base}/", "the token is traded for a cookie and leaves the URL"
        row = page.locator("tbody tr").filter(has_text="first round of indirect nuclear talks")
        assert row.locator("td").nth(1).inner_text() == str(len(original) + len(tab_entities(root, slug)))
        tab.shot("01-documents")
        row.locator("a").click()
        tab.settle()
        assert page.locator("#text .q").count() > 0 and page.locator("#text .m").count() > 0
        assert page.locator("#text .q.cur").count() > 0, "the current fact's quote is lit up"
        tab.shot("02-document")

        # accept the first proposal (the round) by key
        assert tab.state()["items"][tab.cursor()]["fact"]["kind"] == "round"
        tab.key("a")
        assert "accept round" in page.inner_text("#status")
        tab.shot("03-accepted-by-key")

        # edit the sanctions-relief objective: its issue becomes a new issue, typed and created on the spot
        tab.go_to(_position("sanctions-relief"))
        tab.key("e")
        issue = page.locator("form.edit input[data-category='issue']")
        assert issue.evaluate("el => el === document.activeElement")
        issue.fill("")
        page.keyboard.type("Zero enrichment")
        page.wait_for_selector(".combo li:has-text('+ new issue')")
        tab.shot("04-editing-new-issue")
        page.keyboard.press("End")
        options = page.locator(".combo li")
        for _ in range(options.count() - 1):  # the offer to create comes last
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")  # takes the offer
        page.keyboard.press("Enter")  # saves and accepts
        tab.settle()
        assert "edit position" in page.inner_text("#status"), page.inner_text("#status")
        tab.shot("05-edited")

        # reject the ballistic-missiles red line
        tab.go_to(_position("ballistic-missiles"))
        tab.key("x")
        assert "reject position" in page.inner_text("#status")
        tab.shot("06-rejected")

        # reject the enrichment demand, then undo that
        tab.go_to(_position("uranium-enrichment"))
        tab.key("x")
        assert not any(_position("uranium-enrichment")(i) for i in tab.state()["items"])
        tab.key("u")
        assert "undid reject position" in page.inner_text("#status")
        assert _position("uranium-enrichment")(tab.state()["items"][tab.cursor()]), "undo shows the fact it restored"
        tab.shot("07-undone")

        # the facts file holds exactly those changes, comments kept
        expected = [dict(f) for f in original]
        expected[0]["status"] = "accepted"
        objective = next(i for i, f in enumerate(expected) if f.get("issue") == "sanctions-relief")
        expected[objective].update(issue="zero-enrichment", status="accepted")
        del expected[next(i for i, f in enumerate(expected) if f.get("issue") == "ballistic-missiles")]
        assert _facts(facts_path) == expected
        now = facts_path.read_text(encoding="utf-8")
        header = [line for line in original_text.splitlines() if line.startswith("#")]
        assert [line for line in now.splitlines() if line.startswith("#")] == header
        assert "issue:zero-enrichment a imp:Issue" in (root / "ontology" / "reference" / "issues.ttl").read_text()

        # rebuild: the build's views are linked; the graph has the reviewed facts with their quotes
        tab.key("b")
        page.wait_for_selector("#build a", timeout=120_000)
        tab.shot("08-rebuilt")
        assert page.locator("#build a").count() >= 5
        with tab.context.expect_page() as opened:
            page.locator("#build a", has_text="mismatch-map.html").click()
        view = opened.value
        view.wait_for_selector("html[data-ready='1']", state="attached", timeout=30_000)
        assert "accepted by a reviewer" in view.content(), "the views mark the reviewed facts"
        view.screenshot(path=str(tab.shots / "09-view.png"))
        assert tab.errors == [] and tab.dialogs == []
    finally:
        tab.close()
    graph = _exported(root)
    reviewed_quotes = _reviewed(graph)
    assert (original[0]["quote"], "https://w3id.org/impasse/id/round/" + original[0]["key"]) in reviewed_quotes
    objective_quote = original[objective]["quote"]
    assert any(q == objective_quote for q, _ in reviewed_quotes)
    on_issue = list(graph.query(PREFIXES + """SELECT ?p WHERE { ?p imp:onIssue <https://w3id.org/impasse/id/issue/zero-enrichment> ;
        prov:wasDerivedFrom/imp:reviewStatus imp:ReviewerAccepted }""", use_default_graph_as_union=True))
    assert len(on_issue) == 1
    quotes = {str(row["q"].value) for row in graph.query(PREFIXES + "SELECT ?q WHERE { ?s oa:exact ?q }",
                                                         use_default_graph_as_union=True)}
    rejected = next(f for f in original if f.get("issue") == "ballistic-missiles")["quote"]
    undone = next(f for f in original if f.get("issue") == "uranium-enrichment")["quote"]
    assert rejected not in quotes and undone not in quotes, "rejected and unreviewed facts are not built"
    curated = graph.query(PREFIXES + "ASK { ?e imp:method imp:Curated ; imp:reviewStatus ?s }", use_default_graph_as_union=True)
    assert not bool(curated), "curated evidence carries no review status"
    agenda = run_cli("query", "actor-agenda", "-C", root, "--param", "actor=Iran", "--format", "csv")
    assert agenda.exit_code == 0 and objective_quote in agenda.output, "the named queries answer with the reviewed facts"


def tab_entities(root: Path, slug: str) -> list:
    return yaml.safe_load((root / "corpus" / f"{slug}.mentions.yaml").read_text(encoding="utf-8"))["entities"]


def _exported(root: Path):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(root / "exports" / "impasse.trig"), format=ox.RdfFormat.TRIG)
    return store


def _reviewed(graph) -> set[tuple[str, str]]:
    """(quote, fact) for every evidence node of an extracted fact that a reviewer accepted."""
    rows = graph.query(PREFIXES + """SELECT ?quote ?fact WHERE {
        ?fact prov:wasDerivedFrom ?e . ?e imp:method imp:Extracted ; imp:reviewStatus imp:ReviewerAccepted ;
           oa:hasSelector/oa:exact ?quote }""", use_default_graph_as_union=True)
    return {(str(r["quote"].value), str(r["fact"].value)) for r in rows}


PAYLOAD = '<script>alert("script")</script><img src=x onerror=alert("onerror")>'
XSS_TEXT = f"Iran rejects talks on missiles {PAYLOAD} today. Washington calls for talks.\n"
XSS_FACTS = f"""\
document: doc
facts:
  - kind: position
    type: red-line
    holder: iran
    issue: ballistic-missiles
    status: proposed
    method: extracted
    rule: stances.verb
    confidence: 0.7
    quote: 'Iran rejects talks on missiles {PAYLOAD} today.'
  - kind: event
    key: payload-event
    label: '<img src=x onerror=alert("label")>'
    class: Threat
    status: proposed
    method: extracted
    rule: events.threat
    confidence: 0.6
    quote: "Washington calls for talks."
"""


def test_script_payloads_in_a_document_run_nothing(browser, project):
    from ..conftest import HEADER

    project.add("doc", XSS_TEXT, XSS_FACTS, header=HEADER.replace("A test article", "<img src=x onerror=alert('title')>"))
    served = Served(project.root)
    tab = Tab(browser, served, "payloads")
    try:
        tab.page.goto(served.url("/"))
        assert "<img src=x onerror=alert('title')>" in tab.page.inner_text("tbody")
        tab.page.goto(served.url("/doc/doc"))
        tab.settle()
        tab.page.wait_for_timeout(300)  # an onerror handler would have fired by now
        tab.shot("01-payload-document")
        assert PAYLOAD in tab.page.inner_text("#text"), "shown as text"
        assert '<img src=x onerror=alert("label")>' in tab.page.inner_text("#items")
        tab.key("j")
        assert '<img src=x onerror=alert("label")>' in tab.page.inner_text("#current")
        tab.shot("02-payload-label")
        assert tab.page.locator("body img, #text script, #current script").count() == 0
        assert tab.dialogs == [] and tab.errors == []
    finally:
        tab.close()
        served.stop()


def test_another_origin_cannot_post(browser, served, reviewed):
    """A page elsewhere, in the browser that holds the review cookie, tries a form POST and a fetch."""
    root, slug = reviewed
    facts_path = root / "corpus" / f"{slug}.facts.yaml"
    before = facts_path.read_bytes()
    tab = Tab(browser, served, "cross-origin")
    attacker = f"""<!doctype html><form id=f method=post enctype=text/plain action="{served.base}/api/decide">
        <input name='{{"action":"accept","slug":"{slug}","x":"' value='"}}'></form>
        <script>
        fetch("{served.base}/api/undo", {{method: "POST", credentials: "include", mode: "cors",
              headers: {{"Content-Type": "application/json"}}, body: JSON.stringify({{slug: "{slug}"}})}})
          .then(r => document.title = "fetch " + r.status, e => document.title = "fetch blocked");
        </script>"""
    try:
        tab.page.goto(served.url(f"/doc/{slug}"))  # the cookie is set
        tab.settle()
        tab.page.route("http://attacker.test/**", lambda route: route.fulfill(body=attacker, content_type="text/html"))
        tab.page.goto("http://attacker.test/")
        tab.page.wait_for_function("document.title.startsWith('fetch')")
        assert tab.page.title() == "fetch blocked"
        with tab.page.expect_navigation():
            tab.page.evaluate("document.getElementById('f').submit()")
        assert tab.page.url == f"{served.base}/api/decide"
        assert "not authorised" in tab.page.content() or "refused" in tab.page.content()
        tab.shot("01-form-post-refused")
        assert facts_path.read_bytes() == before
    finally:
        tab.close()


def test_a_build_error_shows_its_message(browser, served, reviewed):
    root, slug = reviewed
    ontology = root / "ontology" / "impasse.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\nthis is not turtle\n", encoding="utf-8")
    tab = Tab(browser, served, "build-error")
    try:
        tab.page.goto(served.url(f"/doc/{slug}"))
        tab.settle()
        tab.key("b")
        tab.page.wait_for_selector("#build pre", timeout=60_000)
        message = tab.page.inner_text("#build pre")
        assert message.startswith("The build failed:") and "impasse.ttl: not valid Turtle" in message
        tab.shot("01-build-error")
    finally:
        tab.close()


def test_an_entity_is_merged_by_keys(browser, served, reviewed):
    """m, a search typed, Enter: a new issue becomes an alias of a known one, in the reference data."""
    root, slug = reviewed
    tab = Tab(browser, served, "merge")
    page = tab.page
    try:
        page.goto(served.url(f"/doc/{slug}"))
        tab.settle()
        tab.go_to(lambda item: item["type"] == "entity" and item["entity"]["key"] == "nuclear-facilities")
        assert page.locator("#text .m.cur-m").count() >= 1, "the entity's mentions are lit up"
        tab.shot("01-entity")
        tab.key("m")
        page.keyboard.type("nuclear prog")
        page.wait_for_selector(".combo li.sel:has-text('nuclear-program')")
        tab.shot("02-merge-search")
        page.keyboard.press("Enter")
        tab.settle()
        assert "merge Nuclear facilities into Iran's nuclear program" in page.inner_text("#status")
        tab.shot("03-merged")
        assert tab.errors == [] and tab.dialogs == []
    finally:
        tab.close()
    assert 'issue:nuclear-program skos:altLabel "Nuclear facilities"@en .' in \
        (root / "ontology" / "reference" / "issues.ttl").read_text(encoding="utf-8")
    mentions = yaml.safe_load((root / "corpus" / f"{slug}.mentions.yaml").read_text(encoding="utf-8"))
    assert "nuclear-facilities" not in {e["key"] for e in mentions["entities"]} | {m[3] for m in mentions["mentions"]}
    assert [m for m in mentions["mentions"] if m[1] == "nuclear facilities"][0][3] == "nuclear-program"
