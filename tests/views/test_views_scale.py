"""Views that stay readable as the corpus grows: one edge per stance, a bounded explorer."""

from __future__ import annotations

from kg.build.builder import build
from kg.views import explorer as explorer_module
from kg.views.explorer import explorer, explorer_nodes
from kg.views.graphdata import GraphData
from kg.views.mismatch import mismatch_map
from kg.vocab import ID

TWO_RED_LINES = """\
document: doc
facts:
  - kind: position
    type: red-line
    holder: iran
    issue: ballistic-missiles
    addressed_to: united-states
    quote: "Iran rejects talks on missiles with Washington."
  - kind: position
    type: red-line
    holder: iran
    issue: ballistic-missiles
    addressed_to: israel
    quote: "Nor will it discuss them with Israel."
"""


def test_positions_of_one_stance_are_one_edge_with_all_their_quotes(project):
    project.add("doc", "Iran rejects talks on missiles with Washington. Nor will it discuss them with Israel.\n",
                TWO_RED_LINES)
    view = mismatch_map(build(project.root).graph)
    edges = [e for e in view.edges if e["from"] == str(ID["actor/iran"]) and e["to"] == str(ID["issue/ballistic-missiles"])]
    assert len(edges) == 1
    tip = edges[0]["tip"]
    assert sorted(q["text"] for q in tip["quotes"]) == ["Iran rejects talks on missiles with Washington.",
                                                         "Nor will it discuss them with Israel."]
    assert ["Addressed to", "Israel, United States"] in tip["fields"] and tip["note"].startswith("2 positions")


def test_the_explorer_draws_the_most_connected_nodes_and_says_how_many_it_left_out(built, monkeypatch):
    data = GraphData(built.graph)
    total = len(explorer_nodes(data))
    monkeypatch.setattr(explorer_module, "DRAWN_LIMIT", 40)
    view = explorer(built.graph, data)
    assert len(view.nodes) == 40
    assert str(ID["actor/iran"]) in {n["id"] for n in view.nodes}  # the hub of the corpus is kept
    assert any(f"Showing the 40 most connected of {total:,} nodes" in note for note in view.notes)
    drawn = {n["id"] for n in view.nodes}
    assert all(e["from"] in drawn and e["to"] in drawn for e in view.edges)


def test_layouts_and_the_ontology_page_are_reused_while_their_graph_is_unchanged(built, tmp_path, monkeypatch):
    import networkx

    from kg.views import site
    from kg.views.site import render_views

    first = render_views(built.graph, cache=tmp_path)
    assert sorted(p.parent.name for p in tmp_path.glob("*/*")) == ["layout", "layout", "views"]

    def refuse(*args, **kwargs):
        raise AssertionError("laid out or documented again")

    monkeypatch.setattr(networkx, "spring_layout", refuse)
    monkeypatch.setattr(site, "ontology_page", refuse)
    assert render_views(built.graph, cache=tmp_path) == first


HOST_AND_MEDIATOR = """\
document: doc
facts:
  - kind: round
    key: muscat-round
    label: Muscat round
    host: oman
    mediator: oman
    participants: [iran]
    evidence:
      - quote: "Oman hosted the round"
        supports: [host]
      - quote: "and carried the messages between the delegations."
        supports: [mediator]
      - quote: "Iran sent its foreign minister."
        supports: [participants]
"""


def test_the_actor_network_draws_one_edge_per_pair_with_every_role_and_its_quotes(project):
    from kg.views.actors import actor_network

    project.add("doc", "Oman hosted the round and carried the messages between the delegations. "
                       "Iran sent its foreign minister.\n", HOST_AND_MEDIATOR)
    view = actor_network(build(project.root).graph)
    round_, oman = str(ID["round/muscat-round"]), str(ID["actor/oman"])
    [edge] = [e for e in view.edges if (e["from"], e["to"]) == (round_, oman)]
    assert edge["label"] == "host, mediator"
    assert sorted(q["text"] for q in edge["tip"]["quotes"]) == [
        "Oman hosted the round", "and carried the messages between the delegations."]
    assert [["Role", "host"], ["Role", "mediator"]] == edge["tip"]["fields"]
    [single] = [e for e in view.edges if e["to"] == str(ID["actor/iran"])]
    assert single["label"] == "participant" and [q["text"] for q in single["tip"]["quotes"]] == [
        "Iran sent its foreign minister."]


def test_betweenness_of_a_large_network_is_estimated_the_same_way_every_time(built, monkeypatch):
    from kg.views import actors
    from kg.views.actors import actor_network

    exact = {n["id"]: n["size"] for n in actor_network(built.graph).nodes}
    monkeypatch.setattr(actors, "EXACT_LIMIT", 8)
    first, second = actor_network(built.graph), actor_network(built.graph)
    assert [n["size"] for n in first.nodes] == [n["size"] for n in second.nodes]
    assert any(f"Estimated from the shortest paths of 8 of the {len(first.nodes)} nodes" in note for note in first.notes)
    assert {n["id"] for n in first.nodes} == set(exact)
