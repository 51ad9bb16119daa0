"""`--store oxigraph:PATH`: build once into an on-disk Oxigraph store, then query, validate,
draw and serve it without loading exports/impasse.ttl. Run in-process with CliRunner."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from kg.errors import KgError
from kg.store import open_graph
from kg.store.oxigraph import write_oxigraph

from ..conftest import RED_LINE, run_cli

ENRICHMENT = """\
document: doc2
facts:
  - kind: position
    type: demand
    holder: united-states
    issue: ballistic-missiles
    quote: "Washington wants limits on missiles."
"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

#: What a project keeps between builds beside its store: the lock file and the build cache.
_PROJECT_STATE = {".kg.lock", ".kg-cache"}


def count(project, db) -> int:
    result = run_cli("query", "-C", project.root, "--store", f"oxigraph:{db}", "-e", COUNT, "--format", "csv")
    assert result.exit_code == 0, result.output
    return int(result.output.split()[-1])


@pytest.fixture
def stored(project, tmp_path):
    """A project with one document, built into tmp/kgdb; returns (project, store folder, exports)."""
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    db, out = tmp_path / "kgdb", tmp_path / "out"
    result = run_cli("build", "-C", project.root, "--exports", out, "--store", f"oxigraph:{db}")
    assert result.exit_code == 0, result.output
    assert f"in {db}/ (Oxigraph on disk)" in result.output
    return project, db, out


def test_build_then_query_the_on_disk_store_gives_what_the_exports_give(stored):
    project, db, out = stored
    assert (db / "CURRENT").is_file()
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".kgdb")) == []  # no leftovers
    for args in (["agenda-mismatches"], ["actor-agenda", "--param", "actor=Iran"], ["-e", COUNT]):
        on_disk = run_cli("query", "-C", project.root, "--store", f"oxigraph:{db}", *args, "--format", "csv")
        from_file = run_cli("query", "-C", project.root, "--graph", out / "impasse.ttl", *args, "--format", "csv")
        assert on_disk.exit_code == 0, on_disk.output
        assert on_disk.output == from_file.output
    assert count(project, db) > 1000
    assert "Red line" in run_cli("query", "actor-agenda", "--param", "actor=Iran", "-C", project.root,
                             "--store", f"oxigraph:{db}").output


def test_validate_views_and_serve_read_the_store(stored, tmp_path, monkeypatch):
    project, db, _ = stored
    result = run_cli("validate", "-C", project.root, "--store", f"oxigraph:{db}")
    assert result.exit_code == 0 and "Conforms: True" in result.output
    pages = tmp_path / "pages"
    result = run_cli("views", "-C", project.root, "--store", f"oxigraph:{db}", "--output", pages)
    assert result.exit_code == 0, result.output
    assert (pages / "mismatch-map.html").is_file() and "Reading" not in result.output  # nothing rebuilt
    import kg.server.app

    served = []
    monkeypatch.setattr(kg.server.app, "serve", lambda app, host, port: served.append(app))
    result = run_cli("serve", "-C", project.root, "--store", f"oxigraph:{db}", "--port", 8765)
    assert result.exit_code == 0, result.output
    assert served and f"Serving {count(project, db):,} quads" in result.output


def test_rebuild_replaces_the_content(stored):
    project, db, out = stored
    before = count(project, db)
    project.add("doc2", "Washington wants limits on missiles.\n", ENRICHMENT)
    result = run_cli("build", "-C", project.root, "--exports", out, "--store", f"oxigraph:{db}", "--no-reason")
    assert result.exit_code == 0, result.output
    assert count(project, db) > before
    # nothing staged is left beside the store (the project's lock file and build cache stay)
    assert [p.name for p in db.parent.iterdir() if p.name.startswith(".") and p.name not in _PROJECT_STATE] == []


def test_a_failed_build_leaves_the_previous_store(stored):
    project, db, out = stored
    before = count(project, db)
    project.add("bad", "Talks were held.\n", """\
document: bad
facts:
  - kind: round
    key: some-talks
    label: Some talks
    quote: "Talks were held."
""")  # conforms to the facts format, not to the shapes (no venue)
    result = run_cli("build", "-C", project.root, "--exports", out, "--store", f"oxigraph:{db}")
    assert result.exit_code == 1 and "does not conform" in result.output
    assert count(project, db) == before


def test_write_failure_keeps_the_previous_store(tmp_path):
    db = tmp_path / "db"
    quad = ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"), ox.NamedNode("http://g"))
    write_oxigraph([quad], db)

    def broken():
        yield quad
        raise OSError("disk full")

    with pytest.raises(KgError, match="disk full"):
        write_oxigraph(broken(), db)
    assert len(open_graph(f"oxigraph:{db}")) == 1
    assert sorted(os.listdir(tmp_path)) == ["db"]


def test_missing_invalid_and_foreign_paths_are_clear_errors(project, tmp_path):
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    result = run_cli("query", "agenda-mismatches", "-C", project.root, "--store", f"oxigraph:{tmp_path / 'nope'}")
    assert result.exit_code == 2 and "no such store (build into oxigraph:" in result.output
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine")
    result = run_cli("query", "agenda-mismatches", "-C", project.root, "--store", f"oxigraph:{tmp_path / 'notes'}")
    assert result.exit_code == 2 and "not an Oxigraph store" in result.output
    result = run_cli("build", "-C", project.root, "--exports", tmp_path / "out", "--store", f"oxigraph:{tmp_path / 'notes'}")
    assert result.exit_code == 2 and "refusing to replace it" in result.output
    assert (tmp_path / "notes" / "todo.txt").read_text() == "mine"  # never deleted
    (tmp_path / "afile").write_text("x")
    result = run_cli("build", "-C", project.root, "--exports", tmp_path / "out", "--store", f"oxigraph:{tmp_path / 'afile'}")
    assert result.exit_code == 2 and "not a folder" in result.output
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "CURRENT").write_text("garbage")
    result = run_cli("query", "agenda-mismatches", "-C", project.root, "--store", f"oxigraph:{tmp_path / 'junk'}")
    assert result.exit_code == 2 and "cannot open the Oxigraph store" in result.output
    for bad in ("oxigraph:", "postgres:x"):
        result = run_cli("query", "agenda-mismatches", "-C", project.root, "--store", bad)
        assert result.exit_code == 2 and ("needs a folder" in result.output or "unknown store" in result.output)
    result = run_cli("query", "agenda-mismatches", "-C", project.root, "--store", f"oxigraph:{tmp_path}", "--graph", "x.ttl")
    assert result.exit_code == 2 and "not both" in result.output


def test_a_locked_store_is_not_replaced(stored):
    project, db, out = stored
    writer = ox.Store(str(db))  # holds RocksDB's lock, as another writer would
    try:
        result = run_cli("build", "-C", project.root, "--exports", out, "--store", f"oxigraph:{db}", "--no-reason")
        assert result.exit_code == 2 and "locked" in result.output
    finally:
        del writer
    # nothing staged is left beside the store (the project's lock file and build cache stay)
    assert [p.name for p in db.parent.iterdir() if p.name.startswith(".") and p.name not in _PROJECT_STATE] == []
    assert count(project, db) > 1000


def test_the_benchmark_generator_copies_the_documents_with_fresh_names():
    """benchmarks/generate.py (the benchmark itself is not a test; its generator is kept honest)."""
    import importlib.util

    from ..conftest import ROOT

    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    quads = generate.generate(10_000)
    assert len(quads) >= 10_000 and len(set(quads)) == len(quads)
    # The reference data (actors, issues …) is kept once; the documents' facts are copied.
    labels = [q.object.value for q in quads if q.predicate.value.endswith("#label") and "/actor/iran" in q.subject.value]
    assert labels.count("Iran") == 1 and "Iran #1" not in labels
    rounds = {q.object.value for q in quads if q.predicate.value.endswith("#label") and "/round/muscat-talks" in q.subject.value}
    assert {label.split(" #")[0] for label in rounds} == {next(iter(rounds)).split(" #")[0]} and len(rounds) > 1
    graphs = {q.graph_name.value for q in quads}
    assert generate.DERIVED not in graphs and any(g.endswith("-c1") for g in graphs)
    held_by = {q.object.value for q in quads if q.predicate.value.endswith("#heldBy")}
    assert not any("-c" in actor.rsplit("/", 1)[-1] for actor in held_by)  # copies' positions: the shared actors'
    assert sum(q.graph_name.value == generate.ID + "graph/reference" for q in quads) == sum(
        q.graph_name.value == generate.ID + "graph/reference" for q in generate.template()[0])


def test_the_store_spec_is_parsed_once_into_a_registered_backend():
    from kg.store import BACKENDS, STORES, Backend, open_store, parse_spec, register

    spec = parse_spec("oxigraph:./kgdb")
    assert (spec.name, spec.location, str(spec), spec.keeps_built_graph) == ("oxigraph", "./kgdb", "oxigraph:./kgdb", True)
    assert parse_spec(spec) is spec and str(parse_spec("memory")) == "memory"
    assert STORES == ("memory", "oxigraph:PATH", "rdflib", "sparql:URL")
    for bad, message in (("postgres:x", "unknown store"), ("memory:x", "unknown store"),
                         ("oxigraph:", "needs a folder"), ("sparql:ftp://x", r"http\(s\) URL")):
        with pytest.raises(KgError, match=message):
            parse_spec(bad)
    register(Backend("scratch", None, "kg.store.oxigraph", create="create_in_memory"))  # a new backend: one call
    try:
        graph = open_store("scratch")
        assert graph.spec.name == "scratch" and len(graph) == 0 and graph.oxigraph is not None
    finally:
        del BACKENDS["scratch"]


def test_the_interface_imports_no_backend_and_commit_belongs_to_the_backend(tmp_path):
    import ast

    from kg.store import open_store
    from kg.store.interface import KnowledgeGraph, QuadStore

    from ..conftest import ROOT

    tree = ast.parse((ROOT / "kg" / "store" / "interface.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"oxigraph", "rdflib_store", "sparql", "registry"}, imported
    committed = []

    class Recording(QuadStore):
        def commit(self):
            committed.append(True)

    KnowledgeGraph(Recording()).commit()
    assert committed == [True]
    graph = open_store(f"oxigraph:{tmp_path / 'db'}")
    graph.load([ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"), ox.NamedNode("urn:g"))])
    assert not (tmp_path / "db").exists()  # built in memory until committed
    graph.commit()
    assert (tmp_path / "db" / "CURRENT").is_file()


def test_a_graph_on_an_endpoint_has_no_stray_local_dataset():
    from kg.store import open_graph

    graph = open_graph("sparql:http://127.0.0.1:9/sparql")  # nothing is requested until it is queried
    with pytest.raises(KgError, match="no local rdflib Dataset"):
        graph.dataset
