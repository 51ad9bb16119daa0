"""Every named query gives the same answer on every store: Oxigraph in memory, Oxigraph on
disk (oxigraph:PATH) and rdflib's own store and engine (the baseline). Compared as
test_queries.py does: sorted rows of N-Triples cells, GROUP_CONCAT parts sorted."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build.builder import build
from kg.cli import cli
from kg.formats import render_exports
from kg.sparql.query import bind_params, load_queries, run_query
from kg.store import load_graph, open_graph
from kg.store.oxigraph import write_oxigraph

from ..conftest import RED_LINE, ROOT
from ..sparql.test_queries import _cell

QUERIES = load_queries(ROOT / "queries")
EXPORT = ROOT / "exports" / "impasse.ttl"
STORES = ("memory", "oxigraph", "rdflib")


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    memory = load_graph(EXPORT)
    folder = tmp_path_factory.mktemp("stores") / "kgdb"
    write_oxigraph(memory.quads(), folder)
    return {"memory": memory, "oxigraph": open_graph(f"oxigraph:{folder}"), "rdflib": load_graph(EXPORT, "rdflib")}


def answer(graph, name):
    query = QUERIES[name]
    result = run_query(graph, query.text, bind_params(graph, query, {}))
    rows = sorted(tuple(_cell("" if t is None else str(t)) for t in row) for row in result.rows)
    return result.variables, rows


def test_the_stores_hold_the_same_quads(graphs):
    counts = {name: len(graph) for name, graph in graphs.items()}
    assert len(set(counts.values())) == 1, counts
    # blank node labels are fresh on each load: compare the rest
    as_set = {name: {str(q) for q in graph.quads() if "_:" not in str(q)} for name, graph in graphs.items()}
    assert as_set["memory"] == as_set["oxigraph"] == as_set["rdflib"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_gives_the_same_answer_on_every_store(name, graphs):
    answers = {store: answer(graphs[store], name) for store in STORES}
    assert answers["memory"][1], f"{name}: empty answer proves nothing"
    assert answers["oxigraph"] == answers["memory"], name
    assert answers["rdflib"] == answers["memory"], name


@pytest.mark.parametrize("name, param, value", [("leverage", "holder", "Iran"),
                                                ("actor-agenda", "actor", "United States")])
def test_a_parameter_bound_inside_the_deduplicating_subquery_filters_the_full_answer(name, param, value, graphs):
    # kg.sparql.bind_values puts the VALUES block inside these queries' subquery.
    query = QUERIES[name]
    for store in STORES:
        graph = graphs[store]
        bound = bind_params(graph, query, {param: value})
        some = run_query(graph, query.text, bound)
        every = run_query(graph, query.text, {k: v for k, v in bound.items() if k != param})
        column = every.variables.index(param)
        wanted = sorted(map(str, (row for row in every.rows if row[column] == bound[param])))
        assert some.rows and len(some.rows) < len(every.rows), store
        assert sorted(map(str, some.rows)) == wanted, store


def test_a_build_on_the_rdflib_store_equals_the_oxigraph_build(project):
    """The derivation rules run on rdflib's engine too and derive the same quads.

    Oxigraph stores numbers in canonical form (decimal "1.0" becomes "1"); rdflib keeps the
    lexical form it was given. Passing rdflib's quads through an Oxigraph store makes them equal.
    """
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    ours, baseline = build(project.root), build(project.root, store="rdflib")
    assert baseline.graph.oxigraph is None and len(baseline.graph) == len(ours.graph)
    assert baseline.class_counts() == ours.class_counts() and baseline.derived == ours.derived
    canonical = ox.Store()
    canonical.extend(baseline.graph.quads())
    assert {str(q) for q in canonical} == {str(q) for q in ours.graph.quads()}
    exports = render_exports(baseline.graph)
    assert exports.keys() == render_exports(ours.graph).keys()


def test_the_cli_reads_and_builds_with_the_rdflib_store(project, tmp_path):
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "-C", str(project.root), "--exports", str(out), "--store", "rdflib",
                                 "--no-reason"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    graph = str(out / "impasse.ttl")
    answers = [runner.invoke(cli, ["query", "actor-agenda", "--param", "actor=Iran", "-C", str(project.root),
                                   "--graph", graph, "--store", store, "--format", "csv"]).output
               for store in ("memory", "rdflib")]
    assert answers[0] == answers[1] and "Iran rejects talks on missiles." in answers[0]


def test_ask_and_construct_are_neutral(graphs):
    for graph in graphs.values():
        assert run_query(graph, "ASK { ?s ?p ?o }").boolean is True
        triples = run_query(graph, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3").triples
        assert len(triples) == 3 and all(isinstance(t, ox.Triple) for t in triples)


def test_the_server_describes_every_store_alike(graphs):
    from kg.server.app import _dataset_description

    descriptions = {name: _dataset_description(graph) for name, graph in graphs.items()}
    assert descriptions["memory"] == descriptions["oxigraph"] == descriptions["rdflib"]
    assert all(graph.store.dump_nquads().count(b"\n") == len(graph) for graph in graphs.values())
