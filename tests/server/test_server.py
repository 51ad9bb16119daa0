"""kg serve, in process: the SPARQL 1.1 Protocol details, limits and hostile inputs (Starlette TestClient)."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import warnings
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx is what is installed
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from kg.sparql.query import load_queries
from kg.server.app import create_app
from kg.server.protocol import ENDPOINT_FORMATS, SOLUTION_TYPES, negotiate, parse_accept
from kg.store import load_graph, open_store

from ..conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
SELECT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s LIMIT 5"
CONSTRUCT = ("CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
             "WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 20")
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def graph():
    return load_graph(ROOT / "exports" / "impasse.ttl")


@pytest.fixture(scope="module")
def queries():
    return load_queries(ROOT / "queries")


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    folder = tmp_path_factory.mktemp("views")
    (folder / "index.html").write_text("<!DOCTYPE html><title>views</title><p>the views</p>", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def client(graph, queries, views):
    app = create_app(graph, queries=queries, views_dir=views, timeout=5, max_results=2000, workers=2)
    with TestClient(app) as client:
        yield client


def select(client, query, accept="application/sparql-results+json", **kw):
    return client.get("/sparql", params={"query": query}, headers={"Accept": accept}, **kw)


# --- the three ways to send a query -----------------------------------------------------------


def test_get_query_answers_sparql_json(client):
    response = select(client, SELECT)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    data = response.json()
    assert data["head"]["vars"] == ["s", "label"]
    assert len(data["results"]["bindings"]) == 5


def test_post_form_is_decoded_once(client):
    # '+' and '%20' inside the query must survive: rdflib-endpoint decoded form bodies twice.
    query = 'SELECT ("a+b%20c%2B" AS ?x) WHERE {}'
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "a+b%20c%2B"


def test_post_direct_query(client):
    response = client.post("/sparql", content=SELECT.encode("utf-8"),
                           headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.splitlines()[0] == "s,label"


def test_post_with_an_unknown_content_type_is_415(client):
    response = client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


# --- content negotiation ---------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("*/*;q=0.1, text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("text/*", "text/csv; charset=utf-8"),
    ("application/sparql-results+json;q=0, */*;q=0.5", "application/sparql-results+xml"),
    ("", "application/sparql-results+json"),
    ("application/json", "application/json"),
])
def test_accept_with_q_values(client, accept, expected):
    response = select(client, SELECT, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == expected
    assert response.headers["vary"] == "Accept"


def test_the_most_specific_range_sets_the_q_value():
    # text/csv;q=0 beats text/*;q=1 for text/csv (RFC 9110 §12.5.1)
    chosen = negotiate("text/*, text/csv;q=0", SOLUTION_TYPES)
    assert chosen.match == "text/tab-separated-values"
    assert parse_accept("garbage, text/csv;q=abc")[0].q == 0.0


def test_nothing_acceptable_is_406(client):
    response = select(client, SELECT, accept="text/turtle")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    assert client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"}).status_code == 406


def test_results_in_every_format_parse_back(client):
    rows = select(client, SELECT).json()["results"]["bindings"]
    iris = [row["s"]["value"] for row in rows]
    labels = [row["label"]["value"] for row in rows]

    root = ET.fromstring(select(client, SELECT, accept="application/sparql-results+xml").content)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["s", "label"]
    assert [u.text for u in root.findall("r:results/r:result/r:binding[@name='s']/r:uri", ns)] == iris

    table = list(csv.reader(io.StringIO(select(client, SELECT, accept="text/csv").text)))
    assert table[0] == ["s", "label"]
    assert [r[0] for r in table[1:]] == iris and [r[1] for r in table[1:]] == labels

    # TSV per spec: ?-prefixed header, terms in Turtle/N-Triples syntax, tabs escaped.
    lines = select(client, SELECT, accept="text/tab-separated-values").text.rstrip("\n").split("\n")
    assert lines[0] == "?s\t?label"
    cells = [line.split("\t") for line in lines[1:]]
    assert [c[0] for c in cells] == [f"<{i}>" for i in iris]
    assert all(c[1].startswith('"') for c in cells)


def test_tsv_escapes_tabs_and_newlines(client):
    text = select(client, 'SELECT ("a\\tb\\nc" AS ?x) WHERE {}', accept="text/tab-separated-values").text
    assert text == '?x\n"a\\tb\\nc"\n'


def test_ask_in_json_and_xml(client):
    assert select(client, "ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}
    root = ET.fromstring(select(client, "ASK { ?s ?p ?o }", accept="application/sparql-results+xml").content)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_graphs_in_every_format_parse_back(client, accept, rdflib_format):
    reference = Graph().parse(data=select(client, CONSTRUCT, accept="application/n-triples").text, format="nt")
    assert len(reference) == 20
    response = select(client, CONSTRUCT, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    parsed = Graph().parse(data=response.content, format=rdflib_format)
    assert isomorphic(parsed, reference)


# --- service description ---------------------------------------------------------------------


def test_service_description_names_the_url_the_client_used(graph, queries):
    app = create_app(graph, queries=queries)
    with TestClient(app, base_url="http://kg.example:8123") as client:
        response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    sd = Graph().parse(data=response.text, format="turtle")
    endpoints = list(sd.objects(None, URIRef(SD + "endpoint")))
    assert endpoints == [URIRef("http://kg.example:8123/sparql")]
    assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in sd


def test_service_description_in_another_rdf_format(client):
    response = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"] == "application/n-triples"
    assert "<http://testserver/sparql>" in response.text


# --- read-only ---------------------------------------------------------------------------------


def test_updates_are_refused_with_403(client):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert client.get("/sparql", params={"update": update}).status_code == 403
    assert client.post("/sparql", data={"update": update}).status_code == 403
    response = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403 and "read-only" in response.text
    # an update sent as a query does not parse as a query
    assert select(client, update).status_code == 400
    assert select(client, "ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is False


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["SELECT ?s\nWHERE { ?s ?p }",  # refused by rdflib's parser (the guard)
                                   "SELECT *\nWHERE { ?s ?p ?o } GROUP BY ?s"])  # read by rdflib, refused by Oxigraph
def test_bad_query_is_400_with_the_clis_line_column_and_caret(client, query):
    response = select(client, query)
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    cli = run_cli("query", "-e", query, "-C", ROOT)
    assert cli.exit_code == 2
    head, *under = cli.output.removeprefix("Error: ").splitlines()
    line, column, reason = re.match(r"<inline>:(\d+):(\d+): SPARQL syntax error: (.*)", head).groups()
    assert response.text.splitlines() == [f"SPARQL syntax error at line {line}, column {column}: {reason}", *under]
    assert line == "2" and under[-1].strip() == "^" and "[_]" not in reason


def test_missing_or_repeated_query_parameter_is_400(client):
    assert client.post("/sparql", data={"nothing": "x"}).status_code == 400
    assert client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400


def test_a_huge_query_is_refused_quickly(client):
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 * 1024 * 1024)
    started = time.monotonic()
    assert client.post("/sparql", data={"query": huge}).status_code == 413
    assert client.post("/sparql", content=huge, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    # (a 2 MB URL is tested over real HTTP in test_server_http.py: httpx refuses to build one)
    assert time.monotonic() - started < 10


def test_deep_nesting_is_refused_without_reaching_the_engine(client):
    # pyoxigraph crashed (segmentation fault) on 5,000 nested groups: never let it see them.
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    started = time.monotonic()
    response = select(client, deep)
    assert response.status_code == 400 and "nested too deeply" in response.text
    assert time.monotonic() - started < 5
    fine = "SELECT * WHERE " + "{" * 127 + " ?s ?p ?o " + "}" * 127 + " LIMIT 1"  # 128 levels (docs/endpoint.md)
    assert select(client, fine).status_code == 200
    assert select(client, 'SELECT ("{{{{{{" AS ?x) WHERE {} # ((((((').status_code == 200


def test_federated_queries_are_refused(client):
    response = select(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 400 and "SERVICE" in response.text
    assert select(client, 'SELECT ("SERVICE" AS ?x) WHERE {}').status_code == 200


@pytest.mark.parametrize("query_string", ["query=%zz", "query=ASK%7B%7D%", "query=%ff%fe", "query=ASK%C3%28"])
def test_malformed_percent_encoding_and_invalid_utf8_are_400(client, query_string):
    assert client.get(f"/sparql?{query_string}").status_code == 400


def test_invalid_utf8_in_a_body_is_400(client):
    response = client.post("/sparql", content=b"ASK { ?s ?p \xff }", headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "UTF-8" in response.text
    response = client.post("/sparql", content=b"query=ASK%ff",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400


@pytest.mark.parametrize(("method", "path"), [("PUT", "/sparql"), ("DELETE", "/sparql"), ("PATCH", "/sparql"),
                                              ("POST", "/"), ("POST", "/queries"), ("DELETE", "/queries/x")])
def test_wrong_methods_are_405(client, method, path):
    response = client.request(method, path)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


# --- dataset parameters ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_graphs():
    kg = open_store()
    p = ox.NamedNode("urn:p")
    kg.load([ox.Quad(ox.NamedNode("urn:a"), p, ox.Literal("1"), ox.NamedNode("urn:g1")),
             ox.Quad(ox.NamedNode("urn:b"), p, ox.Literal("2"), ox.NamedNode("urn:g2"))])
    with TestClient(create_app(kg, workers=1)) as client:
        yield client


def _subjects(response) -> list:
    assert response.status_code == 200, response.text
    rows = [(b["s"]["value"], b.get("g", {}).get("value")) for b in response.json()["results"]["bindings"]]
    return sorted(rows, key=lambda row: (row[0], row[1] or ""))


def test_default_and_named_graph_uri_set_the_dataset(two_graphs):
    query = "SELECT ?s ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    # no protocol dataset: the default graph is the union of the named graphs
    assert [s for s, g in _subjects(select(two_graphs, query)) if g is None] == ["urn:a", "urn:b"]
    response = two_graphs.get("/sparql", params={"query": query, "default-graph-uri": "urn:g1"})
    assert _subjects(response) == [("urn:a", None)]
    response = two_graphs.get("/sparql", params={"query": query, "named-graph-uri": "urn:g2"})
    assert _subjects(response) == [("urn:b", "urn:g2")]
    response = two_graphs.post("/sparql?default-graph-uri=urn%3Ag2", content=query,
                               headers={"Content-Type": "application/sparql-query"})
    assert _subjects(response) == [("urn:b", None)]
    assert two_graphs.get("/sparql", params={"query": query, "default-graph-uri": "not an iri"}).status_code == 400


def test_service_description_lists_the_named_graphs(two_graphs):
    sd = Graph().parse(data=two_graphs.get("/sparql").text, format="turtle")
    assert set(sd.objects(None, URIRef(SD + "name"))) == {URIRef("urn:g1"), URIRef("urn:g2")}


# --- limits ----------------------------------------------------------------------------------------


def test_a_query_that_runs_too_long_is_stopped_and_the_server_goes_on(graph):
    with TestClient(create_app(graph, timeout=1, workers=1)) as client:
        started = time.monotonic()
        response = select(client, CROSS)
        elapsed = time.monotonic() - started
        assert response.status_code == 503 and "1 s" in response.text
        assert elapsed < 5
        assert client.app.state.pool.killed == 1
        # the only worker was killed; its replacement answers the next query
        assert select(client, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_result_size_limit(graph):
    with TestClient(create_app(graph, max_results=5, workers=1)) as client:
        response = select(client, "SELECT * WHERE { ?s ?p ?o }")
        assert response.status_code == 422
        assert "more than 5 rows" in response.text and response.headers["x-result-limit"] == "5"
        assert len(select(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 5").json()["results"]["bindings"]) == 5
        assert select(client, "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/turtle").status_code == 422
        assert select(client, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5", accept="text/turtle").status_code == 200


# --- CORS and hosts ---------------------------------------------------------------------------------


def test_cors_never_reflects_an_origin_nor_allows_credentials(client):
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"Origin": "https://evil.example", "Cookie": "session=1"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = client.options("/sparql", headers={"Origin": "https://evil.example",
                                                   "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_host_header_guard(graph):
    app = create_app(graph, allowed_hosts=["127.0.0.1", "localhost"], workers=1)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/sparql").status_code == 200
        assert client.get("/sparql", headers={"Host": "rebound.evil.example"}).status_code == 400


# --- the query page, the views, the named queries -------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.scripts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "script":
            self.scripts.append(attrs.get("src"))


def test_query_page_has_nothing_external(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    parser = _Links()
    parser.feed(response.text)
    assert parser.links and all(link.startswith("/") and not link.startswith("//") for link in parser.links)
    assert parser.scripts == ["/static/app.js"]  # no inline script
    for link in parser.links:
        if link.startswith("/static/"):
            asset = client.get(link)
            assert asset.status_code == 200
            assert "http://" not in asset.text and "https://" not in asset.text
    script = client.get("/static/app.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script
    assert "/views/" in response.text and "data-views hidden" not in response.text


def test_views_are_served(client):
    assert client.get("/views/index.html").text.endswith("<p>the views</p>")
    assert client.get("/views/").status_code == 200
    assert client.get("/views/../server.py").status_code == 404


def test_named_queries_are_listed(client, queries):
    listing = client.get("/queries").json()
    assert [q["name"] for q in listing] == list(queries)
    for item in listing:
        assert item["summary"] and "SELECT" in item["text"].upper() or "CONSTRUCT" in item["text"].upper()
    mismatches = next(q for q in listing if q["name"] == "agenda-mismatches")
    # the defaults name actors of this graph, so they are listed (tests/test_project_queries.py: when not)
    assert {p["name"]: p["default"] for p in mismatches["params"]} == {"a": "United States", "b": "Iran"}


def test_named_query_binds_parameters(client, queries):
    response = client.get("/queries/agenda-mismatches", params={"a": "United States", "b": "Iran"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert rows and all(r["a"]["value"].endswith("/actor/united-states") for r in rows)
    assert all(r["b"]["value"].endswith("/actor/iran") for r in rows)


def test_named_query_parameters_are_never_pasted_into_the_text(client, queries):
    hostile = 'Iran> } UNION { ?a ?b ?c } #'
    response = client.get("/queries/agenda-mismatches", params={"a": "United States", "b": hostile})
    assert response.status_code == 400
    assert "no actor called" in response.text and "(parameter b)" in response.text
    # Had the value been pasted, the UNION would have returned every triple of the graph.
    again = client.get("/queries/agenda-mismatches", params={"a": "United States", "b": "Iran"},
                       headers={"Accept": "text/tab-separated-values"})
    assert again.text.splitlines()[1:] == EXPECTED_MISMATCHES
    assert client.get("/queries/agenda-mismatches", params={"nope": "x"}).status_code == 400
    response = client.get("/queries/no-such-query")
    assert response.status_code == 404 and "agenda-mismatches" in response.text


EXPECTED_MISMATCHES = (ROOT / "queries" / "agenda-mismatches.expected.tsv").read_text(encoding="utf-8").splitlines()[1:]


def test_named_query_tsv_matches_the_expected_file(client, queries):
    # The endpoint and `kg query` agree: the same rows, in the same order, as the expected
    # results beside the query (which `kg query NAME --format tsv` writes).
    response = client.get("/queries/agenda-mismatches", headers={"Accept": "text/tab-separated-values"})
    assert response.status_code == 200
    assert response.text.splitlines()[1:] == EXPECTED_MISMATCHES
    cli = run_cli("query", "agenda-mismatches", "-C", ROOT, "--format", "tsv")
    assert cli.exit_code == 0 and cli.output == response.text


def test_json_results_are_valid_json_even_for_hostile_literals(client):
    hostile = 'SELECT ("</script><img src=x onerror=alert(1)>\\u0000" AS ?x) WHERE {}'
    data = json.loads(select(client, hostile).content)
    assert data["results"]["bindings"][0]["x"]["value"].startswith("</script>")
    root = ET.fromstring(select(client, hostile, accept="application/sparql-results+xml").content)
    literal = root.find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal.text == "</script><img src=x onerror=alert(1)>\ufffd"  # NUL cannot be in XML: replaced


def test_an_invalid_iri_parameter_is_400_not_500(client):
    # Regression: /queries/evidence?fact=<a bad IRI> answered 500.
    response = client.get("/queries/evidence", params={"fact": "https://x> }"})
    assert response.status_code == 400 and "is not a valid IRI" in response.text


def test_a_named_querys_text_has_its_parameters_bound_and_gives_the_same_rows(client):
    # Regression: the query page copied the text without its parameters: every mismatch of
    # every pair of actors instead of those between the two it was given.
    params = {"a": "United States", "b": "Iran"}
    text = client.get("/queries/agenda-mismatches.rq", params=params)
    assert text.status_code == 200 and text.headers["content-type"] == "application/sparql-query; charset=utf-8"
    assert "VALUES (?a ?b) { (<https://w3id.org/impasse/id/actor/united-states> " in text.text
    assert "#+" not in text.text
    tsv = {"Accept": "text/tab-separated-values"}
    named = client.get("/queries/agenda-mismatches", params=params, headers=tsv)
    copied = client.post("/sparql", data={"query": text.text}, headers=tsv)
    unbound = client.post("/sparql", data={"query": QUERIES_TEXT}, headers=tsv)
    assert copied.text == named.text and copied.text.splitlines()[1:] == EXPECTED_MISMATCHES
    assert len(unbound.text.splitlines()) > len(copied.text.splitlines())
    refused = client.get("/queries/agenda-mismatches.rq", params={"a": "Atlantis"})
    assert refused.status_code == 400 and "no actor called 'Atlantis'" in refused.text


QUERIES_TEXT = (ROOT / "queries" / "agenda-mismatches.rq").read_text(encoding="utf-8")


def test_labels_are_those_the_cli_shows(client):
    iris = ["https://w3id.org/impasse/id/actor/iran", "https://w3id.org/impasse/ontology#RedLine",
            "https://w3id.org/impasse/id/no-such-thing", "urn:x:y"]
    names = client.post("/labels", json=iris).json()
    assert names == {iris[0]: "Iran", iris[1]: "Red line", iris[2]: "id:no-such-thing", iris[3]: "<urn:x:y>"}
    assert client.post("/labels", content=b"[1]").status_code == 400
    assert client.post("/labels", content=b"not json").status_code == 400
    assert client.post("/labels", json=["not an iri"]).status_code == 400


@pytest.mark.parametrize("accept, rdflib_format", [("application/n-quads", "nquads"), ("application/trig", "trig")])
def test_construct_answers_as_n_quads_and_trig(client, accept, rdflib_format):
    response = select(client, CONSTRUCT, accept=accept)
    assert response.status_code == 200 and response.headers["content-type"] == accept
    from rdflib import Dataset

    parsed = Dataset()
    parsed.parse(data=response.text, format=rdflib_format)
    assert len(parsed) == 20
    assert f"<http://www.w3.org/ns/formats/{'N-Quads' if rdflib_format == 'nquads' else 'TriG'}>" in \
        client.get("/sparql", headers={"Accept": "application/n-triples"}).text
    assert select(client, CONSTRUCT, accept="application/*").headers["content-type"] == "application/n-triples"


def test_the_query_page_offers_every_endpoint_format(client):
    class Options(HTMLParser):
        def __init__(self):
            super().__init__()
            self.options = {}

        def handle_starttag(self, tag, attrs):
            if tag == "option":
                attrs = dict(attrs)
                self.options[attrs["value"]] = attrs["data-ext"]

    parser = Options()
    parser.feed(client.get("/").text)
    assert parser.options["application/n-quads"] == "nq" and parser.options["application/trig"] == "trig"
    assert set(parser.options) == {"table"} | {f.media_type for f in ENDPOINT_FORMATS}
