"""`kg export` (a built graph out of any store, as RDF) and `kg reason --store/--graph`.

One small project is built once for the module into an on-disk Oxigraph store, without
reasoning, so that `kg reason --store` has a type to infer (and must not write it back).
Run in-process with CliRunner.
"""

from __future__ import annotations

import os
import shutil

import pyoxigraph as ox
import pytest

from kg.cli import EXPORT_FORMATS
from kg.formats import FORMATS
from kg.derive.reasoning import java_runtime
from kg.store import open_graph

from ..conftest import HEADER, RED_LINE, ROOT, run_cli
from ..store.test_stores_sparql import VIRTUOSO, free_port, virtuoso  # noqa: F401 (a fixture)

TEXT = "Iran rejects talks on missiles. Washington wants limits on missiles.\n"
FACTS = RED_LINE + """\
  - kind: position
    type: demand
    holder: united-states
    issue: ballistic-missiles
    quote: "Washington wants limits on missiles."
"""
CONTESTED = "issue:ballistic-missiles a imp:ContestedIssue"


def canonical(quads) -> set[str]:
    """Quads in canonical form (blank nodes relabelled by RDFC-1.0), as N-Quads lines."""
    parsed = ox.Dataset(quads)
    parsed.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in parsed}


def dataset(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    return canonical(ox.parse(data, format=fmt))


def merged(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    """The quads of an RDF document with their graph names dropped (what Turtle, N-Triples … keep)."""
    return canonical(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt))


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """(project folder, store folder, exports folder): one document, built without reasoning."""
    base = tmp_path_factory.mktemp("export")
    root = base / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries", ignore=shutil.ignore_patterns("*.expected.tsv"))
    (root / "corpus").mkdir()
    (root / "corpus" / "doc.txt").write_text(HEADER + TEXT, encoding="utf-8")
    (root / "corpus" / "doc.facts.yaml").write_text(FACTS, encoding="utf-8")
    db, out = base / "kgdb", base / "out"
    result = run_cli("build", "-C", root, "--exports", out, "--store", f"oxigraph:{db}", "--no-reason")
    assert result.exit_code == 0, result.output
    return root, db, out


def test_the_cli_lists_every_export_format():
    assert set(EXPORT_FORMATS) == {name for name, f in FORMATS.items() if f.is_rdf}


@pytest.mark.parametrize("args, name", [
    ((), "impasse.trig"),                           # the default: TriG on stdout
    (("--format", "turtle"), "impasse.ttl"),
    (("--format", "ntriples"), "impasse.nt"),
    (("--format", "jsonld"), "impasse.jsonld"),
])
def test_exporting_the_store_gives_the_bytes_the_build_wrote(stored, args, name):
    root, db, out = stored
    result = run_cli("export", "-C", root, "--store", f"oxigraph:{db}", *args)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (out / name).read_bytes()


@pytest.mark.parametrize("suffix, fmt, keeps_graphs", [
    (".trig", ox.RdfFormat.TRIG, True), (".nq", ox.RdfFormat.N_QUADS, True),
    (".ttl", ox.RdfFormat.TURTLE, False), (".nt", ox.RdfFormat.N_TRIPLES, False),
])
def test_export_to_a_file_round_trips_the_stored_quads(stored, tmp_path, suffix, fmt, keeps_graphs):
    root, db, out = stored
    target = tmp_path / f"graph{suffix}"  # the format comes from the suffix
    result = run_cli("export", "-C", root, "--store", f"oxigraph:{db}", "-o", target)
    assert result.exit_code == 0, result.output
    assert f"Wrote {target} (" in result.output
    dump = open_graph(f"oxigraph:{db}").store.dump_nquads()
    stored_quads = dataset(dump, ox.RdfFormat.N_QUADS)
    assert len(stored_quads) > 1000
    expected = stored_quads if keeps_graphs else merged(dump, ox.RdfFormat.N_QUADS)
    assert dataset(target.read_bytes(), fmt) == expected
    assert dataset((out / "impasse.trig").read_bytes(), ox.RdfFormat.TRIG) == stored_quads


def test_exports_of_a_store_are_byte_identical_and_agree_with_the_file(stored, tmp_path):
    root, db, out = stored
    first = run_cli("export", "-C", root, "--store", f"oxigraph:{db}", "--format", "nquads")
    second = run_cli("export", "-C", root, "--store", f"oxigraph:{db}", "--format", "nquads", "-o", tmp_path / "x.nq")
    from_file = run_cli("export", "-C", root, "--graph", out / "impasse.trig", "--format", "nquads")
    on_rdflib = run_cli("export", "-C", root, "--graph", out / "impasse.trig", "--store", "rdflib", "--format", "nquads")
    assert first.exit_code == second.exit_code == from_file.exit_code == on_rdflib.exit_code == 0
    assert first.stdout_bytes == (tmp_path / "x.nq").read_bytes()
    expected = dataset(first.stdout_bytes, ox.RdfFormat.N_QUADS)
    assert dataset(from_file.stdout_bytes, ox.RdfFormat.N_QUADS) == expected
    assert dataset(on_rdflib.stdout_bytes, ox.RdfFormat.N_QUADS) == expected


def test_exporting_a_graph_file_twice_gives_the_same_bytes(stored):
    root, _, out = stored
    runs = [run_cli("export", "-C", root, "--graph", out / "impasse.trig", "--format", "nquads") for _ in range(2)]
    assert runs[0].stdout_bytes == runs[1].stdout_bytes


def test_exporting_the_trig_export_as_trig_gives_it_back_byte_for_byte():
    # load_graph keeps the file's blank node labels (Store.bulk_load would rename them).
    result = run_cli("export", "-C", ROOT, "--format", "trig")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (ROOT / "exports" / "impasse.trig").read_bytes()


def test_the_default_graph_is_the_projects_trig_export():
    result = run_cli("export", "-C", ROOT, "--format", "nquads")
    assert result.exit_code == 0, result.output
    expected = dataset((ROOT / "exports" / "impasse.trig").read_bytes(), ox.RdfFormat.TRIG)
    assert dataset(result.stdout_bytes, ox.RdfFormat.N_QUADS) == expected
    assert any("/id/graph/" in q for q in expected)  # named graphs kept


def test_bad_input_exits_2_naming_the_thing(stored, tmp_path):
    root, db, _ = stored
    cases = [
        (["--store", f"oxigraph:{db}", "-o", tmp_path / "graph.xyz"], "cannot tell the format of"),
        (["--store", f"oxigraph:{db}", "--format", "xml"], "'xml' is not one of"),
        (["--store", f"oxigraph:{tmp_path / 'none'}"], f"{tmp_path / 'none'}: no such store"),
        (["--store", "postgres:db"], "unknown store 'postgres:db'"),
        (["--graph", tmp_path / "none.trig"], f"{tmp_path / 'none.trig'}: no such file"),
        (["-C", tmp_path], f"no Impasse project in {tmp_path}: ontology/impasse.ttl is missing"),
        (["--store", f"oxigraph:{db}", "--graph", tmp_path / "x.trig"], "not both"),
        (["--store", f"sparql:http://127.0.0.1:{free_port()}/sparql"], "cannot reach the SPARQL endpoint"),
    ]
    for args, message in cases:
        result = run_cli("export", *(["-C", root] if "-C" not in args else []), *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    (tmp_path / "afile").write_text("x")
    result = run_cli("export", "-C", root, "--store", f"oxigraph:{db}", "-o", tmp_path / "afile" / "out.ttl")
    assert result.exit_code == 2
    assert f"{tmp_path / 'afile' / 'out.ttl'}: cannot be written: {tmp_path / 'afile'} is not a folder" in result.output


def test_a_failed_export_leaves_the_existing_file_as_it_was(stored, tmp_path):
    root, db, out = stored
    target = tmp_path / "graph.ttl"
    target.write_text("previous\n")
    broken = tmp_path / "broken.trig"
    data = (out / "impasse.trig").read_bytes()
    broken.write_bytes(data[: len(data) // 2])  # cut mid-statement: a syntax error far into the file
    for args in (["--graph", broken], ["--store", f"oxigraph:{tmp_path / 'none'}"]):
        result = run_cli("export", "-C", root, *args, "-o", target)
        assert result.exit_code == 2, result.output
        assert target.read_text() == "previous\n"
    assert "broken.trig: cannot be loaded" in run_cli("export", "-C", root, "--graph", broken, "-o", target).output
    result = run_cli("export", "-C", root, "--store", f"oxigraph:{db}", "-o", target)
    assert result.exit_code == 0 and target.read_bytes() == (out / "impasse.ttl").read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["broken.trig", "graph.ttl"]  # no temporary file left


@pytest.mark.skipif(java_runtime() is None and not os.environ.get("CI"), reason="HermiT needs a Java runtime")
def test_reason_over_the_store_reports_and_writes_nothing(stored):
    root, db, out = stored
    before = len(open_graph(f"oxigraph:{db}"))
    result = run_cli("reason", "-C", root, "--store", f"oxigraph:{db}")
    assert result.exit_code == 0, result.output
    assert "HermiT: consistent; 1 inferred types not yet in the graph (reported, not written)." in result.output
    assert CONTESTED in result.output
    assert len(open_graph(f"oxigraph:{db}")) == before
    from_file = run_cli("reason", "-C", root, "--graph", out / "impasse.trig", "--reasoner", "owlrl")
    assert from_file.exit_code == 0 and CONTESTED in from_file.output
    assert (out / "impasse.trig").read_bytes() == run_cli("export", "-C", root, "--store", f"oxigraph:{db}").stdout_bytes


def test_reason_by_default_still_builds_from_the_project(stored):
    root, _, _ = stored
    result = run_cli("reason", "-C", root, "--reasoner", "owlrl")
    assert result.exit_code == 0, result.output
    assert "1 inferred types added." in result.output and CONTESTED in result.output


def test_reason_on_a_missing_store_or_both_sources_exits_2(stored, tmp_path):
    root, db, _ = stored
    result = run_cli("reason", "-C", root, "--store", f"oxigraph:{tmp_path / 'none'}")
    assert result.exit_code == 2 and "no such store" in result.output
    result = run_cli("reason", "-C", root, "--store", f"oxigraph:{db}", "--graph", tmp_path / "x.trig")
    assert result.exit_code == 2 and "not both" in result.output


@pytest.mark.skipif(VIRTUOSO is None and not os.environ.get("CI"),
                    reason="virtuoso-t not installed (apt-get install virtuoso-opensource)")
def test_export_and_reason_over_a_sparql_endpoint(stored, virtuoso):  # noqa: F811 (the fixture)
    from kg.store.sparql import SparqlQuads

    root, db, out = stored
    endpoint = SparqlQuads(virtuoso)
    endpoint.replace(open_graph(f"oxigraph:{db}").quads())
    before = len(endpoint)
    result = run_cli("export", "-C", root, "--store", f"sparql:{virtuoso}", "--format", "nquads")
    assert result.exit_code == 0, result.output

    def plain(data, fmt):  # blank node labels are the endpoint's own; it rewrites durations (docs/engine-notes.md, "Virtuoso")
        return {str(q) for q in ox.parse(data, format=fmt)
                if "_:" not in str(q) and "XMLSchema#duration" not in str(q.object)}

    assert plain(result.stdout_bytes, ox.RdfFormat.N_QUADS) == plain((out / "impasse.trig").read_bytes(),
                                                                     ox.RdfFormat.TRIG)
    reasoned = run_cli("reason", "-C", root, "--store", f"sparql:{virtuoso}", "--reasoner", "owlrl")
    assert reasoned.exit_code == 0 and "(reported, not written)" in reasoned.output and CONTESTED in reasoned.output
    assert len(SparqlQuads(virtuoso)) == before


@pytest.mark.parametrize("command", [["export", "--format", "turtle"], ["query", "-e", "ASK { ?s ?p ?o }"]])
def test_output_refuses_a_symlink_a_fifo_and_a_folder_without_force(tmp_path, command):
    # Regression: -o replaced a symbolic link (and, as root, /dev/full) with a regular file.
    target = tmp_path / "target.txt"
    target.write_text("kept\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    base = [*command, "-C", str(ROOT)]
    for path, kind in ((link, "a symbolic link"), (fifo, "a FIFO")):
        result = run_cli(*base, "-o", path)
        assert result.exit_code == 2 and f"is {kind}, not a regular file" in result.output, result.output
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "kept\n" and fifo.is_fifo()
    result = run_cli(*base, "-o", tmp_path)
    assert result.exit_code == 2
    result = run_cli(*base, "-o", link, "--force")  # told to: the link is replaced, its target untouched
    assert result.exit_code == 0, result.output
    assert not link.is_symlink() and link.is_file() and target.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "link.txt", "target.txt"]  # no temporary file


def test_output_refuses_a_device_node(tmp_path):
    result = run_cli("query", "-C", str(ROOT), "-e", "ASK { ?s ?p ?o }", "-o", "/dev/null")
    assert result.exit_code == 2 and "is a device, not a regular file" in result.output
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")
