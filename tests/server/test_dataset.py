"""The dataset the endpoint serves: the union default graph is a set, and it describes itself (VoID)."""

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
