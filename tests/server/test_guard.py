"""The endpoint never makes a request for a query: the guard reads the parsed query, and the
workers that run queries have no network at all (issue 14, item 1: SERVICE behind `ex:a\\#`)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx is what is installed
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from kg.server.app import create_app
from kg.server.protocol import ProtocolError, check_query
from kg.store import load_graph

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "PREFIX ex: <http://example.org/>\n"


@pytest.fixture
def listener():
    """A real listener on a free loopback port; the test asserts it was never connected to."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.setblocking(False)
        yield sock


def _connections(sock: socket.socket) -> int:
    """How many connections reached the listener (each accepted, so the kernel queue is read)."""
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def _bypasses(port: int) -> list[str]:
    target = f"<http://127.0.0.1:{port}/x>"
    return [
        # the reported bypass: `\#` in a prefixed name taken for a comment by a hand tokenizer
        PREFIX + f"SELECT * WHERE {{ BIND(ex:a\\# AS ?z) SERVICE {target} {{ ?s ?p ?o }} }}",
        PREFIX + f"SELECT * WHERE {{ BIND(ex:a\\' AS ?z) SERVICE {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE {target} {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ VALUES ?x {{ {target} }} SERVICE ?x {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
    ]


@pytest.fixture(scope="module")
def client():
    graph = load_graph(ROOT / "exports" / "impasse.ttl")
    with TestClient(create_app(graph, timeout=5, workers=1)) as client:
        yield client


def test_no_federated_query_reaches_the_listener(client, listener):
    port = listener.getsockname()[1]
    for query in _bypasses(port):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 400, (query, response.text)
        assert "SERVICE" in response.text or "syntax error" in response.text, response.text
    assert _connections(listener) == 0
    assert client.get("/sparql", params={"query": 'SELECT ("SERVICE {" AS ?x) WHERE {} # SERVICE <x>'}).status_code == 200


def test_the_workers_have_no_network(client):
    assert client.app.state.pool.isolation is None  # every worker was cut off the network


ISOLATED = textwrap.dedent("""
    import socket, sys
    import pyoxigraph as ox
    from kg.server.worker import isolate_network
    assert isolate_network() is None
    port = int(sys.argv[1])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5)
        print("connected")
    except OSError as exc:
        print("refused", exc.errno)
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"))
        print("answered")
    except OSError as exc:
        print("engine failed", type(exc).__name__)
""")


def test_an_isolated_process_cannot_reach_loopback_even_through_the_engine(listener):
    port = listener.getsockname()[1]
    done = subprocess.run([sys.executable, "-c", ISOLATED, str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("refused") and lines[1].startswith("engine failed"), done.stdout
    assert _connections(listener) == 0


# --- the guard and the engine agree on what a query holds ------------------------------------------

_TERMS = st.sampled_from([
    "ex:a", "ex:a\\#", "ex:a\\#b", "ex:a\\'", "ex:b\\.c", "ex:SERVICE", "ex:x\\-y", "ex:q\\?",
    '"plain"', '"a\\"b # SERVICE <http://127.0.0.1:1/> {"', "'it\\'s # {'", '"""three\nSERVICE { """',
    "'''a ' b SERVICE'''", '"\\\\"', "<http://example.org/#SERVICE>", "<http://example.org/a#b>", "42",
])
_COMMENTS = st.sampled_from(["# SERVICE <http://127.0.0.1:1/> { ?s ?p ?o }\n", "#\\\n", "# ' \" { \n", ""])


@st.composite
def _queries(draw, port: int):
    """A query of BINDs over tricky terms, comments between them, and maybe a real SERVICE."""
    pieces = [f"BIND({draw(_TERMS)} AS ?v{i}) {draw(_COMMENTS)}" for i in range(draw(st.integers(0, 4)))]
    service = draw(st.booleans())
    if service:
        pieces.insert(draw(st.integers(0, len(pieces))), f"SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} ")
    return PREFIX + "SELECT * WHERE { " + "".join(pieces) + "}", service


def _engine_calls(query: str) -> bool | None:
    """Whether Oxigraph tries to reach the SERVICE (a port where nothing listens refuses it);
    None when it cannot parse the query."""
    try:
        list(ox.Store().query(query))
    except SyntaxError:
        return None
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture(scope="module")
def closed_port():
    with socket.socket() as sock:  # bound, never listening: a connection is refused at once
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_guard_refuses_every_query_the_engine_would_send_out(data, closed_port):
    query, has_service = data.draw(_queries(closed_port))
    calls = _engine_calls(query)
    try:
        check_query(query)
        verdict = "accepted"
    except ProtocolError as exc:
        verdict = "service" if "SERVICE" in exc.message else "refused"
    if calls:
        assert verdict != "accepted", query  # the security property: no request ever made
    if verdict == "accepted":
        assert not calls and not has_service, query
    if verdict == "service":
        assert has_service and calls in (True, None), query  # and it names a real clause
    if calls is not None and verdict != "refused":
        assert (verdict == "service") == calls  # both read the query the same way
