"""kg serve over real HTTP on 127.0.0.1: uvicorn in a background thread, and `kg serve` itself.

Clients: SPARQLWrapper (a real SPARQL client), httpx, and a raw socket for requests that
well-behaved clients refuse to send. Nothing leaves 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from kg.sparql.query import load_queries
from kg.server.app import create_app
from kg.store import load_graph

from .conftest import free_port, serving

ROOT = Path(__file__).resolve().parents[2]
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def base_url():
    graph = load_graph(ROOT / "exports" / "impasse.ttl")
    app = create_app(graph, queries=load_queries(ROOT / "queries"), timeout=1.5, max_results=1000,
                     workers=2, allowed_hosts=["127.0.0.1", "localhost"])
    with serving(app, request_timeout=2) as url:
        yield url


def _raw(base_url: str, request: bytes) -> bytes:
    """Send bytes as they are and read the answer (bounded by a socket timeout)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_sparqlwrapper_select_get_and_post(base_url):
    for method in ("GET", POST):
        client = SPARQLWrapper(f"{base_url}/sparql")
        client.setMethod(method)
        client.setReturnFormat(JSON)
        client.setQuery("SELECT ?issue WHERE { ?issue a <https://w3id.org/impasse/ontology#Issue> } LIMIT 3")
        result = client.query()
        assert result.response.headers["Content-Type"] == "application/sparql-results+json"
        assert len(result.convert()["results"]["bindings"]) == 3


def test_sparqlwrapper_construct_as_turtle(base_url):
    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setReturnFormat(TURTLE)
    client.setQuery("CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 10")
    result = client.query()
    assert result.response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=result.convert(), format="turtle")) == 10


def test_service_description_over_http(base_url):
    response = httpx.get(f"{base_url}/sparql", timeout=10)
    sd = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")
    assert list(sd.objects(None, endpoint)) == [URIRef(f"{base_url}/sparql")]


def test_csv_tsv_and_406_over_http(base_url):
    query = {"query": "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s LIMIT 2"}
    csv = httpx.get(f"{base_url}/sparql", params=query, headers={"Accept": "text/csv"}, timeout=10)
    assert csv.headers["content-type"] == "text/csv; charset=utf-8" and csv.text.startswith("s\r\n")
    tsv = httpx.get(f"{base_url}/sparql", params=query, headers={"Accept": "text/tab-separated-values"}, timeout=10)
    assert tsv.text.startswith("?s\n<")
    assert httpx.get(f"{base_url}/sparql", params=query, headers={"Accept": "image/png"}, timeout=10).status_code == 406


def test_refusals_over_http(base_url):
    update = {"update": "DELETE WHERE { ?s ?p ?o }"}
    assert httpx.post(f"{base_url}/sparql", data=update, timeout=10).status_code == 403
    assert httpx.put(f"{base_url}/sparql", content=b"x", timeout=10).status_code == 405
    bad = httpx.get(f"{base_url}/sparql", params={"query": "SELECT * WHERE {"}, timeout=10)
    assert bad.status_code == 400 and "line 1, column" in bad.text
    assert httpx.get(f"{base_url}/sparql", headers={"Host": "evil.example"}, timeout=10).status_code == 400


def test_hostile_requests_over_http(base_url):
    started = time.monotonic()
    huge = b"query=" + b"x" * (2 * 1024 * 1024)
    response = httpx.post(f"{base_url}/sparql", content=huge, timeout=30,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    for target in (b"/sparql?query=%zz", b"/sparql?query=%ff%fe", b"/sparql?query=ASK%7B%7D%"):
        answer = _raw(base_url, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
    deep = "SELECT * WHERE " + "{" * 20000 + "}" * 20000
    response = httpx.post(f"{base_url}/sparql", data={"query": deep}, timeout=30)
    assert response.status_code == 400 and "nested too deeply" in response.text
    assert time.monotonic() - started < 30
    # still serving
    assert httpx.get(f"{base_url}/sparql", params={"query": "ASK {}"}, timeout=10).json()["boolean"] is True


def test_timeout_over_http_and_the_server_stays_responsive(base_url):
    results = {}

    def slow():
        results["slow"] = httpx.get(f"{base_url}/sparql", params={"query": CROSS}, timeout=30)

    thread = threading.Thread(target=slow)
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    # while the expensive query runs in one worker, another query is answered at once
    quick = httpx.get(f"{base_url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert quick.status_code == 200 and time.monotonic() - started < 1.5
    thread.join(30)
    assert results["slow"].status_code == 503 and "stopped" in results["slow"].text
    assert time.monotonic() - started < 10
    assert httpx.get(f"{base_url}/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200


def test_query_page_and_named_queries_over_http(base_url):
    page = httpx.get(f"{base_url}/", timeout=10)
    assert page.status_code == 200 and "/static/app.js" in page.text
    listing = httpx.get(f"{base_url}/queries", timeout=10).json()
    assert listing
    response = httpx.get(f"{base_url}/queries/actor-agenda", params={"actor": "Tehran"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert response.status_code == 200, response.text


def test_kg_serve_command(tmp_path):
    """`kg serve` starts, prints its URL, answers, and stops when asked (its own PID only)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "-C", str(ROOT), "--port", str(port),
                             "--timeout", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "kg serve did not answer within 90 s"
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {?s ?p ?o}"}, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response.json()["boolean"] is True
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/sparql" in output


@pytest.mark.parametrize(("size", "status"), [(17 * 1024, b"400"), (128 * 1024, b"400"), (300 * 1024, b"414"),
                                              (800 * 1024, b"414"), (2 * 1024 * 1024, b"414")])
def test_a_long_url_is_answered_not_reset(base_url, size, status):
    # Regression: from 128 KiB on the client got a TCP reset (h11's 16 KiB buffer, then a close
    # while the client was still sending). A query up to 256 KiB is read (here: a syntax error),
    # a longer one is 414: from the app up to 768 KiB of URL, from the HTTP layer past it.
    answer = _raw(base_url, b"GET /sparql?query=" + b"a" * size + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Connection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 " + status + b" "), answer[:200]
    assert (b"too long" in answer.lower()) == (status == b"414")
    assert (b"SPARQL syntax error" in answer) == (status == b"400")  # the app read it, not h11
    assert httpx.get(f"{base_url}/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


def test_a_huge_header_block_is_431(base_url):
    answer = _raw(base_url, b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"p" * (900 * 1024)
                  + b"\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]


def test_idle_half_open_connections_do_not_starve_other_clients(base_url):
    # Regression: 100 connections that sent half a request made every other client get 503.
    host, port = base_url.removeprefix("http://").split(":")
    idle = []
    try:
        for _ in range(100):
            sock = socket.create_connection((host, int(port)), timeout=30)
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            idle.append(sock)
        response = httpx.get(f"{base_url}/sparql", params={"query": "ASK {}"}, timeout=10)
        assert response.status_code == 200, response.text
        # and the server drops them once the request timeout (2 s here) has passed
        assert idle[0].recv(1024) == b""
        assert idle[-1].recv(1024) == b""
    finally:
        for sock in idle:
            sock.close()
