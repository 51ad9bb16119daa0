"""The dataset the endpoint serves: the union default graph is a set, so is the merge of the graphs a request's
default-graph-uri names, and it describes itself (VoID)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx is what is installed
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from kg.server.app import create_app
from kg.store import load_graph, merged_graph

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def trig():
    return load_graph(ROOT / "exports" / "impasse.trig")


@pytest.fixture(scope="module")
def client(trig):
    with TestClient(create_app(trig, workers=1), base_url="http://kg.example:8123") as client:
        yield client


def _count(client, query=COUNT, **params) -> int:
    response = client.get("/sparql", params={"query": query, **params},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_the_union_default_graph_over_a_trig_is_a_set(client, trig):
    distinct = len(merged_graph(trig))
    assert len(trig) > distinct  # the TriG holds some triples in several graphs
    assert _count(client) == distinct
    assert _count(client, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == len(trig)
    # an actor two documents both type is counted once
    state = URIRef("https://w3id.org/impasse/ontology#State")
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{state}> }}"
    assert _count(client, query) == len(set(merged_graph(trig).subjects(RDF.type, state)))


def test_the_service_description_counts_distinct_triples_and_links_the_void(client, trig):
    sd = Graph().parse(data=client.get("/sparql").text, format="turtle")
    [count] = sd.objects(None, URIRef(VOID + "triples"))
    assert count == Literal(len(merged_graph(trig)), datatype=XSD.integer)
    assert (None, RDFS.seeAlso, URIRef("http://kg.example:8123/.well-known/void")) in sd


def test_well_known_void_describes_the_served_graph(client, trig):
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.headers["content-type"] == "text/turtle; charset=utf-8"
    void = Graph().parse(data=response.text, format="turtle")
    [dataset] = void.subjects(URIRef(VOID + "sparqlEndpoint"), URIRef("http://kg.example:8123/sparql"))
    assert (dataset, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in void
    assert void.value(dataset, URIRef(VOID + "triples")) == Literal(len(merged_graph(trig)), datatype=XSD.integer)
    assert len(list(void.objects(dataset, DCTERMS.source))) == 2
    as_nt = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert as_nt.headers["content-type"] == "application/n-triples"
    assert isomorphic(Graph().parse(data=as_nt.text, format="nt"), void)
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


@pytest.fixture(scope="module")
def sharing():
    """Two named graphs that share a triple (and a blank node), and a third of its own."""
    import pyoxigraph as ox

    from kg.store import open_store

    p, shared_node = ox.NamedNode("urn:p"), ox.BlankNode("shared")
    g1, g2, g3 = (ox.NamedNode(f"urn:g{i}") for i in (1, 2, 3))
    both = [ox.Triple(ox.NamedNode("urn:x"), p, ox.Literal("both")), ox.Triple(shared_node, p, ox.Literal("node"))]
    graph = open_store()
    graph.load([ox.Quad(t.subject, t.predicate, t.object, g) for t in both for g in (g1, g2)]
               + [ox.Quad(ox.NamedNode("urn:a"), p, ox.Literal("1"), g1),
                  ox.Quad(ox.NamedNode("urn:b"), p, ox.Literal("2"), g2),
                  ox.Quad(ox.NamedNode("urn:c"), p, ox.Literal("3"), g3)])
    with TestClient(create_app(graph, workers=1)) as client:
        yield client


def test_default_graph_uris_naming_several_graphs_give_their_merge_a_set(sharing):
    two = {"default-graph-uri": ["urn:g1", "urn:g2"]}
    assert _count(sharing, **two) == 4  # urn:a, urn:b, and each shared triple once (a bag would give 6)
    assert _count(sharing, "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> \"both\" }", **two) == 1
    assert _count(sharing, "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> \"node\" }", **two) == 1
    assert _count(sharing, **{"default-graph-uri": ["urn:g1", "urn:g2", "urn:g3"]}) == 5
    assert _count(sharing, **{"default-graph-uri": ["urn:g1", "urn:g1"]}) == 3  # a graph named twice is one graph
    assert _count(sharing, **{"default-graph-uri": ["urn:g1", "urn:none"]}) == 3
    # the merge is no named graph of the request's dataset, nor left behind in the worker's store
    assert _count(sharing, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                  **two, **{"named-graph-uri": "urn:g3"}) == 1
    assert _count(sharing, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 7
    assert _count(sharing) == 5


def test_several_document_graphs_of_the_trig_give_their_merge(client, trig):
    graphs = [row["g"].value for row in trig.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)]
    documents = sorted(g for g in graphs if g.rsplit("/", 1)[-1] not in ("ontology", "reference", "derived"))
    assert len(documents) == 2
    merge = merged_graph(trig, exclude=tuple(g for g in graphs if g not in documents))
    [held] = trig.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { %s } }"
                        % " ".join(f"<{g}>" for g in documents), union=False)
    assert int(held["n"].value) > len(merge)  # the two documents share triples
    assert _count(client, **{"default-graph-uri": documents}) == len(merge)
