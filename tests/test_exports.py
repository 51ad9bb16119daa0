"""Exports: current, byte-stable, parse back to the same graph, and written atomically."""

from __future__ import annotations

import dataclasses

import json
import os
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import formats as export_module
from kg.errors import ExportError
from kg.formats import FORMATS, STANDARD_EXPORTS, export, format_for, write_exports
from kg.vocab import GRAPH_ONTOLOGY
from kg.store import merged_graph

from .conftest import ROOT

EXPORTS = ROOT / "exports"


def test_committed_exports_are_current(exported):
    stale = [name for name, data in exported.items() if not (EXPORTS / name).is_file()
             or (EXPORTS / name).read_bytes() != data]
    assert not stale, f"exports/ is out of date ({', '.join(stale)}): run `make run` and commit exports/"


def test_two_builds_in_fresh_processes_write_identical_bytes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "build", "-C", str(ROOT), "--exports", str(out), "--no-validate"],
                       check=True, env=env, capture_output=True)
        outputs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys() and set(STANDARD_EXPORTS) <= set(outputs[0])
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("name, rdflib_format", [
    ("impasse.ttl", "turtle"), ("impasse.nt", "nt"), ("impasse.jsonld", "json-ld"),
])
def test_merged_exports_parse_back_isomorphic(built, exported, name, rdflib_format):
    parsed = Graph().parse(data=exported[name], format=rdflib_format)
    assert isomorphic(parsed, merged_graph(built.graph))


@pytest.mark.parametrize("name, rdflib_format", [
    ("ontology.ttl", "turtle"), ("ontology.nt", "nt"), ("ontology.owl", "xml"),
])
def test_ontology_exports_parse_back_isomorphic(built, exported, name, rdflib_format):
    parsed = Graph().parse(data=exported[name], format=rdflib_format)
    expected = merged_graph(built.graph, exclude=tuple(
        str(c.identifier) for c in built.graph.dataset.graphs() if c.identifier != GRAPH_ONTOLOGY))
    assert len(parsed) > 500
    assert isomorphic(parsed, expected)


def test_trig_keeps_every_named_graph(built, exported):
    parsed = Dataset()
    parsed.parse(data=exported["impasse.trig"], format="trig")
    for context in built.graph.dataset.graphs():
        if str(context.identifier) == "urn:x-rdflib:default":
            continue
        expected = Graph()
        for triple in merged_graph(built.graph, exclude=tuple(
                str(c.identifier) for c in built.graph.dataset.graphs() if c.identifier != context.identifier)):
            expected.add(triple)
        assert isomorphic(parsed.graph(context.identifier), expected), context.identifier


def test_impasse_ttl_loads_in_pyoxigraph():
    store = ox.Store()
    store.load(path=str(EXPORTS / "impasse.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == sum(1 for line in (EXPORTS / "impasse.nt").read_text().splitlines() if line)


@pytest.mark.skipif(shutil.which("rapper") is None and not os.environ.get("CI"),
                    reason="rapper (Debian raptor2-utils) is not installed")
@pytest.mark.parametrize("name", ["impasse.ttl", "ontology.ttl"])
def test_rapper_accepts_the_turtle(name):
    run = subprocess.run(["rapper", "-i", "turtle", "-c", str(EXPORTS / name)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Parsing returned" in run.stderr and "Error" not in run.stderr


def test_jsonld_context_is_inline_and_local(exported):
    document = json.loads(exported["impasse.jsonld"])
    assert isinstance(document["@context"], dict)
    assert document["@context"] == json.loads(exported["context.jsonld"])["@context"]
    assert all(isinstance(v, str) and v.startswith("http") for v in document["@context"].values())


def test_export_returns_bytes_and_infers_the_format_from_the_suffix(built, tmp_path):
    data = export(built.graph, format="ntriples")
    assert data.startswith(b"<") and data.endswith(b"\n")
    assert format_for(path="x.owl").name == "rdfxml"
    export(built.graph, tmp_path / "out.trig")
    assert (tmp_path / "out.trig").read_bytes() == export(built.graph, format="trig")


def test_unknown_format_is_a_clear_error(built, tmp_path):
    with pytest.raises(ExportError, match=r"cannot tell the format of .*out.xyz.*known suffixes: .ttl"):
        export(built.graph, tmp_path / "out.xyz")
    with pytest.raises(ExportError, match="unknown format 'yaml'; formats: turtle"):
        export(built.graph, format="yaml")
    assert not list(tmp_path.iterdir())


def test_a_failing_export_leaves_no_file_behind(built, tmp_path, monkeypatch):
    """Every file is rendered before any is written: one failure, nothing written."""
    (tmp_path / "impasse.ttl").write_bytes(b"previous build")

    def broken(fmt, quads):
        raise ExportError("simulated failure")

    monkeypatch.setitem(FORMATS, "rdfxml", dataclasses.replace(FORMATS["rdfxml"], writer=broken))
    with pytest.raises(ExportError, match="simulated"):
        write_exports(built.graph, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["impasse.ttl"]
    assert (tmp_path / "impasse.ttl").read_bytes() == b"previous build"


def test_write_atomic_replaces_whole_files(tmp_path):
    path = tmp_path / "a.nt"
    export_module.write_atomic(path, b"one\n")
    export_module.write_atomic(path, b"two\n")
    assert path.read_bytes() == b"two\n" and [p.name for p in tmp_path.iterdir()] == ["a.nt"]


def test_render_exports_names(exported):
    assert sorted(exported) == sorted(
        ["impasse.ttl", "impasse.trig", "impasse.nt", "impasse.jsonld", "ontology.ttl", "ontology.nt",
         "ontology.owl", "context.jsonld"])


def test_one_format_registry_serves_exports_results_endpoint_and_cli():
    from kg.cli import EXPORT_FORMATS
    from kg.formats import DATASET, GRAPH, RESULTS, _ONTOLOGY_GRAPH
    from kg.server.protocol import GRAPH_TYPES, SOLUTION_TYPES
    from kg.sparql.results import GRAPH_FORMATS, TABLE_FORMATS
    from kg.vocab import GRAPH_ONTOLOGY

    assert _ONTOLOGY_GRAPH == str(GRAPH_ONTOLOGY)
    assert set(EXPORT_FORMATS) == set(GRAPH_FORMATS) == {n for n, f in FORMATS.items() if f.kind in (GRAPH, DATASET)}
    assert set(TABLE_FORMATS) == {n for n, f in FORMATS.items() if f.kind == RESULTS}
    assert {t.writer for t in SOLUTION_TYPES} == {"json", "xml", "csv", "tsv"}
    assert {t.match for t in GRAPH_TYPES} >= {FORMATS[n].media_type for n in ("turtle", "ntriples", "jsonld", "rdfxml")}
    for f in FORMATS.values():
        assert f.extensions and f.media_types and all(e.startswith(".") for e in f.extensions), f.name


def test_the_jsonld_export_is_laid_out_as_json_dumps_would(exported):
    """The JSON-LD writer indents nodes itself (json's indenting encoder is pure Python)."""
    text = exported["impasse.jsonld"].decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"
    assert json.loads(export_module.write_jsonld(FORMATS["jsonld"], [])) == {**export_module.jsonld_context(),
                                                                            "@graph": []}


def test_sorting_on_the_engine_gives_the_order_sorting_terms_gives(built):
    """Graph names that are prefixes of others ("…/doc" and "…/doc-c1"), literals with and without tags."""
    store = ox.Store()
    a, b = ox.NamedNode("http://example.org/graph/doc"), ox.NamedNode("http://example.org/graph/doc-c1")
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    objects = [ox.Literal("x"), ox.Literal("x", language="en"), ox.Literal("x y"), ox.NamedNode("http://example.org/o"),
               ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ox.BlankNode("b1")]
    store.extend(ox.Quad(s, p, o, g) for o in objects for g in (a, b))
    engine = export_module.EngineQuads(store)
    quads = list(store.quads_for_pattern(None, None, None, None))
    assert engine.sorted_quads() == export_module._sorted_quads(quads)
    assert [q.triple for q in engine.sorted_triples()] == export_module._sorted_triples(quads)
