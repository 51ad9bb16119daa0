"""The actor/issue network for Gephi: GEXF, GraphML and CSV hold the views' nodes and edges."""

from __future__ import annotations

import csv
import io
from collections import Counter

import networkx as nx
import pytest

from kg.formats import NETWORK_EXPORTS
from kg.views.actors import actor_network
from kg.views.gephi import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, actor_issue_network
from kg.views.graphdata import GraphData
from kg.views.mismatch import mismatch_map


@pytest.fixture(scope="module")
def views(built):
    data = GraphData(built.graph)
    return [mismatch_map(built.graph, data), actor_network(built.graph, data)]


def _view_nodes(views) -> set[str]:
    return {node["id"] for view in views for node in view.nodes}


def _view_edges(views) -> Counter:
    return Counter((edge["from"], edge["to"]) for view in views for edge in view.edges)


def _read(exported, name, reader):
    path = io.BytesIO(exported[name])
    return reader(path)


@pytest.mark.parametrize("name, reader", [("network.gexf", nx.read_gexf), ("network.graphml", nx.read_graphml)])
def test_networkx_reads_back_the_views_nodes_and_edges(exported, views, name, reader):
    network = _read(exported, name, reader)
    assert set(network.nodes) == _view_nodes(views)
    assert Counter((u, v) for u, v in network.edges()) == _view_edges(views)
    assert len(network) > 20 and network.number_of_edges() > 30


@pytest.mark.parametrize("name, reader", [("network.gexf", nx.read_gexf), ("network.graphml", nx.read_graphml)])
def test_every_attribute_reads_back_with_its_type(built, exported, name, reader):
    network = _read(exported, name, reader)
    expected = actor_issue_network(built.graph)
    for node, attrs in expected.nodes(data=True):
        read = network.nodes[node]
        for key, kind in NODE_ATTRIBUTES.items():
            assert isinstance(read[key], kind) and read[key] == attrs[key], (node, key, read.get(key))
    read_edges = {attrs["id"]: attrs for _, _, attrs in network.edges(data=True)}
    for u, v, attrs in expected.edges(data=True):
        for key, kind in EDGE_ATTRIBUTES.items():
            assert read_edges[attrs["id"]][key] == attrs[key], (u, v, key)


def test_attributes_say_what_gephi_filters_on(built):
    network = actor_issue_network(built.graph)
    kinds = Counter(attrs["kind"] for _, _, attrs in network.edges(data=True))
    assert kinds["stance"] > 10 and kinds["role"] > 5 and kinds["mismatch"] > 0
    stances = {attrs["stance"] for _, _, attrs in network.edges(data=True) if attrs["kind"] == "stance"}
    assert {"Demand", "RedLine"} <= stances
    sides = Counter(attrs["side"] for _, attrs in network.nodes(data=True) if attrs["side"])
    assert sides["left"] >= 1 and sides["right"] >= 1
    assert {attrs["band"] for _, attrs in network.nodes(data=True)} >= {"mismatch", "other", ""}
    iran = network.nodes["https://w3id.org/impasse/id/actor/iran"]
    assert iran["type"] == "State" and iran["wikidata"] == "http://www.wikidata.org/entity/Q794"
    assert iran["positions"] > 0 and iran["in_mismatch_map"] and iran["in_actor_network"]


def test_gexf_carries_no_date(exported):
    assert b"lastmodifieddate" not in exported["network.gexf"]
    assert b"<creator>Impasse</creator>" in exported["network.gexf"]


def test_csv_has_gephis_spreadsheet_columns(exported, views):
    nodes = list(csv.DictReader(io.StringIO(exported["network-nodes.csv"].decode("utf-8"))))
    edges = list(csv.DictReader(io.StringIO(exported["network-edges.csv"].decode("utf-8"))))
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:6] == ["Source", "Target", "Type", "Id", "Label", "Weight"]
    assert {row["Id"] for row in nodes} == _view_nodes(views)
    assert Counter((row["Source"], row["Target"]) for row in edges) == _view_edges(views)
    assert {row["Type"] for row in edges} == {"Directed"}
    assert exported["network-nodes.csv"].endswith(b"\r\n")


def test_network_exports_are_registered_formats():
    from kg.formats import FORMATS, NETWORK

    assert {FORMATS[fmt].kind for fmt in NETWORK_EXPORTS.values()} == {NETWORK}
    for name, fmt in NETWORK_EXPORTS.items():
        assert name.endswith(FORMATS[fmt].extensions)


def test_text_xml_cannot_hold_is_replaced(tmp_path):
    """A label with a control character (from a document) still makes a readable file."""
    from kg.formats import FORMATS

    network = nx.MultiDiGraph()
    attrs = {key: kind() for key, kind in NODE_ATTRIBUTES.items()}
    from kg.views.gephi import _text

    network.add_node("a", **{**attrs, "label": _text("bad\x0bname <&>")})
    data = FORMATS["gexf"].write(network)
    assert nx.read_gexf(io.BytesIO(data)).nodes["a"]["label"] == "bad\ufffdname <&>"
