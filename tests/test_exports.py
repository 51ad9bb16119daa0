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
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import formats as export_module
from kg.errors import ExportError
from kg.formats import FORMATS, STANDARD_EXPORTS, export, format_for, write_exports
from kg.vocab import GRAPH_ONTOLOGY
from kg.store import merged_graph

from .conftest import ROOT

EXPORTS = ROOT / "exports"
PROV_DERIVED, OA_SELECTOR = export_module.NESTED


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
    ("impasse.ttl", "turtle"), ("impasse.nt", "nt"), ("impasse.jsonld", "json-ld"), ("impasse-framed.jsonld", "json-ld"),
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


@pytest.mark.parametrize("name, rdflib_format", [("impasse.trig", "trig"), ("impasse.nq", "nquads")])
def test_datasets_keep_every_named_graph(built, exported, name, rdflib_format):
    parsed = Dataset()
    parsed.parse(data=exported[name], format=rdflib_format)
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
    iris = [v if isinstance(v, str) else v["@id"] for v in document["@context"].values()]
    assert all(iri.startswith("http") or iri.split(":")[0] in document["@context"] for iri in iris)


def test_jsonld_keys_are_terms(exported):
    context = json.loads(exported["context.jsonld"])["@context"]
    assert context["heldBy"] == {"@id": "imp:heldBy", "@type": "@id"}
    assert context["label"] == {"@id": "rdfs:label"}
    assert context["start"]["@type"].startswith("xsd:")
    assert context["date"] == {"@id": "imp:date"}  # imp:date wins the name over dcterms:date
    keys = {k for node in json.loads(exported["impasse.jsonld"])["@graph"] for k in node}
    assert {"heldBy", "onIssue", "addressedTo", "label", "wasDerivedFrom"} <= keys
    assert "imp:heldBy" not in keys
    assert all(k.startswith("@") or k in context or k.split(":")[0] in context for k in keys)


def test_framed_jsonld_nests_evidence_under_its_fact(exported):
    flat = json.loads(exported["impasse.jsonld"])["@graph"]
    framed = json.loads(exported["impasse-framed.jsonld"])["@graph"]
    red_lines = [n for n in framed if "imp:RedLine" in n.get("@type", ())]
    assert red_lines
    evidence = red_lines[0]["wasDerivedFrom"][0]
    assert "imp:Evidence" in evidence["@type"] and evidence["hasSelector"][0]["@type"]
    assert {n["@id"] for n in framed} < {n["@id"] for n in flat}
    evidence_at_top = [sum("imp:Evidence" in n.get("@type", ()) for n in nodes) for nodes in (flat, framed)]
    assert evidence_at_top[1] < evidence_at_top[0] / 2


def test_framed_jsonld_keeps_shared_evidence_at_the_top():
    """Evidence two facts rest on is referred to by id from both, not copied under one."""
    from kg.formats import write_jsonld_framed

    nt = """<http://x/a> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://x/e> .
<http://x/b> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://x/e> .
<http://x/c> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://x/f> .
<http://x/e> <http://www.w3.org/ns/oa#exact> "shared" .
<http://x/f> <http://www.w3.org/ns/oa#exact> "own" .
<http://x/f> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://x/c> .
<http://x/g> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://x/h> .
<http://x/h> <http://www.w3.org/ns/oa#exact> "nested" .
"""
    quads = list(ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES))
    data = write_jsonld_framed(FORMATS["jsonld-framed"], [ox.Quad(t.subject, t.predicate, t.object) for t in quads])
    top = {node["@id"]: node for node in json.loads(data)["@graph"]}
    assert set(top) == {"http://x/a", "http://x/b", "http://x/c", "http://x/e", "http://x/f", "http://x/g"}
    assert top["http://x/g"]["wasDerivedFrom"] == [{"@id": "http://x/h", "exact": ["nested"]}]
    assert isomorphic(Graph().parse(data=data, format="json-ld"), Graph().parse(data=nt, format="nt"))


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
        ["impasse.ttl", "impasse.trig", "impasse.nq", "impasse.nt", "impasse.jsonld", "impasse-framed.jsonld",
         "ontology.ttl", "ontology.nt", "ontology.owl", "context.jsonld", "network.gexf", "network.graphml",
         "network-nodes.csv", "network-edges.csv", "void.ttl", "impasse-dl.owl"])


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



_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                     max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_the_jsonld_writer_writes_what_json_dumps_writes(document):
    """Quotes, control characters, non-ASCII text, empty lists and objects, nesting."""
    assert export_module._jsonld_bytes(document) == (json.dumps(document, ensure_ascii=False, indent=1)
                                                     + "\n").encode("utf-8")


def test_writers_on_the_engine_lines_write_what_the_term_by_term_writers_write():
    """N-Triples and N-Quads from the sorted lines, the OWL 2 DL variant rewritten on them, the
    JSON-LD exports from shared node objects: each byte for byte what the writers give a plain
    list of quads. Literals hold the text a line is cut at (a quote, "^^<", "> ."), dates
    sit beside strings of the same lexical form, two graphs repeat a triple."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    store = ox.Store()
    graphs = [ox.NamedNode("http://example.org/graph/doc"), ox.NamedNode("http://example.org/graph/doc-c1")]
    s, p = ox.NamedNode("https://w3id.org/impasse/id/s"), ox.NamedNode("https://w3id.org/impasse/ontology#p")
    objects = [ox.Literal('say "^^<http://x> ." ok'), ox.Literal("2025", datatype=ox.NamedNode(xsd + "gYear")),
               ox.Literal("2025"), ox.Literal("2025-06-01", datatype=ox.NamedNode(xsd + "date")),
               ox.Literal("P1D", datatype=ox.NamedNode(xsd + "duration")), ox.Literal("é\n", language="fr"),
               ox.Literal("1.5", datatype=ox.NamedNode(xsd + "decimal")), ox.NamedNode("http://example.org/o"),
               ox.BlankNode("b1")]
    store.extend(ox.Quad(s, p, o, g) for o in objects for g in graphs)
    store.add(ox.Quad(ox.BlankNode("b1"), p, ox.Literal('tail"^^<'), graphs[0]))
    quads = list(store.quads_for_pattern(None, None, None, None))
    for name in ("ntriples", "nquads", "owl-dl", "jsonld", "jsonld-framed", "turtle", "trig", "rdfxml"):
        engine = export_module.EngineQuads(store)
        assert FORMATS[name].write(engine) == FORMATS[name].write(list(quads)), name


def test_void_from_the_engine_lines_is_the_void_from_the_quads(built):
    from kg.void import describe

    assert describe(built.graph, quads=export_module.EngineQuads(built.graph.oxigraph)) == describe(built.graph)

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"


def test_void_describes_the_dataset_and_every_export(built, exported):
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, XSD

    void = Graph().parse(data=exported["void.ttl"], format="turtle")
    [dataset] = void.subjects(RDF.type, URIRef(DCAT + "Dataset"))
    assert (dataset, RDF.type, URIRef(VOID + "Dataset")) in void
    assert (dataset, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in void
    assert void.value(dataset, URIRef(VOID + "triples")) == Literal(len(merged_graph(built.graph)), datatype=XSD.integer)
    vocabularies = set(void.objects(dataset, URIRef(VOID + "vocabulary")))
    assert {URIRef("https://w3id.org/impasse/ontology#"), URIRef("http://www.w3.org/ns/prov#"),
            URIRef("http://www.w3.org/ns/oa#")} <= vocabularies
    assert len(list(void.objects(dataset, URIRef(VOID + "exampleResource")))) >= 3
    sources = set(void.objects(dataset, DCTERMS.source))
    assert len(sources) == len(built.documents) and all(void.value(s, DCTERMS.title) for s in sources)
    distributions = {str(void.value(d, DCTERMS.title)): d for d in void.objects(dataset, URIRef(DCAT + "distribution"))}
    assert set(distributions) == set(exported) - {"void.ttl"}
    for name, node in distributions.items():
        assert void.value(node, URIRef(DCAT + "byteSize")) == Literal(len(exported[name]), datatype=XSD.integer)
    media = void.value(distributions["impasse.ttl"], URIRef(DCAT + "mediaType"))
    assert media == URIRef("https://www.iana.org/assignments/media-types/text/turtle")
    assert str(void.value(distributions["network.gexf"], DCTERMS["format"])) == "application/gexf+xml"
    assert void.value(distributions["network.gexf"], URIRef(DCAT + "mediaType")) is None  # not registered
    subsets = set(void.objects(dataset, URIRef(VOID + "subset")))
    assert URIRef(str(GRAPH_ONTOLOGY)) in subsets and len(subsets) == len(set(built.graph.dataset.graphs())) - 1


def test_void_names_each_sources_url_date_and_publisher(project):
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDFS, XSD

    from kg.build.builder import build
    from kg.void import describe, write_description

    header = ("---\ntitle: A test article\npublisher: Shafaq News\nkind: news\n"
              "url: https://example.org/a?b=1&c=2\ndate: 2025-04\n---\n")
    project.add("doc", "Iran rejects talks on missiles.\n", header=header)
    void = Graph().parse(data=write_description(describe(build(project.root).graph)), format="turtle")
    document = URIRef("https://w3id.org/impasse/id/document/doc")
    assert void.value(document, DCTERMS.source) == URIRef("https://example.org/a?b=1&c=2")
    assert void.value(document, DCTERMS.date) == Literal("2025-04", datatype=XSD.gYearMonth)
    publisher = void.value(document, DCTERMS.publisher)
    assert str(publisher).endswith("/actor/shafaq-news") and str(void.value(publisher, RDFS.label)) == "Shafaq News"


def test_blocks_kept_from_the_last_build_give_what_a_clean_build_writes(tmp_path):
    """The block-by-block exports (kg.blocks) with the cache an earlier build left, after a
    subject gained a triple, a subject and a graph were added and another graph removed: byte
    for byte what the writers give a plain list of quads. A cut-short cache file reads as empty."""
    def store_of(extra: bool) -> ox.Store:
        store = ox.Store()
        imp = "https://w3id.org/impasse/"
        for n in range(3 if extra else 2):
            if extra and n == 0:
                continue
            g = ox.NamedNode(f"{imp}id/graph/doc-c{n}")
            for k in range(4):
                s = ox.NamedNode(f"{imp}id/s{k}-c{n}")
                store.add(ox.Quad(s, ox.NamedNode(f"{imp}ontology#heldBy"), ox.NamedNode(f"{imp}id/actor"), g))
                store.add(ox.Quad(s, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                                  ox.Literal(f"line\n{k} <b> \"q\"", language="en"), g))
                store.add(ox.Quad(ox.BlankNode(f"b{k}c{n}"), ox.NamedNode(f"{imp}ontology#date"),
                                  ox.Literal("2025", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")), g))
                evidence, selector = ox.NamedNode(f"{imp}id/evidence/e{k}-c{n}"), ox.BlankNode(f"sel{k}c{n}")
                store.add(ox.Quad(s, ox.NamedNode(PROV_DERIVED), evidence, g))
                store.add(ox.Quad(evidence, ox.NamedNode(OA_SELECTOR), selector, g))
                store.add(ox.Quad(selector, ox.NamedNode("http://www.w3.org/ns/oa#exact"), ox.Literal(f"q{k}"), g))
            store.add(ox.Quad(ox.NamedNode(f"{imp}id/actor"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              ox.NamedNode(f"{imp}ontology#State"), g))
        if extra:  # a subject gains a triple; an evidence node becomes shared, so no longer nested
            g = ox.NamedNode(f"{imp}id/graph/doc-c1")
            store.add(ox.Quad(ox.NamedNode(f"{imp}id/s1-c1"), ox.NamedNode(f"{imp}ontology#onIssue"),
                              ox.NamedNode(f"{imp}id/issue"), g))
            store.add(ox.Quad(ox.NamedNode(f"{imp}id/s0-c1"), ox.NamedNode(PROV_DERIVED),
                              ox.NamedNode(f"{imp}id/evidence/e1-c1"), g))
        return store

    names = ("turtle", "trig", "owl-dl", "jsonld", "jsonld-framed")
    for name in names:  # the cache an earlier build leaves
        engine = export_module.EngineQuads(store_of(False))
        engine.cache = tmp_path
        FORMATS[name].write(engine)
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == [
        "jsonld-framed.blocks", "jsonld.blocks", "owl-dl.blocks", "trig.blocks", "turtle.blocks"]
    (tmp_path / "exports" / "trig.blocks").write_bytes((tmp_path / "exports" / "trig.blocks").read_bytes()[:40])
    store = store_of(True)
    quads = list(store.quads_for_pattern(None, None, None, None))
    for name in names:
        engine = export_module.EngineQuads(store)
        engine.cache = tmp_path
        assert FORMATS[name].write(engine) == FORMATS[name].write(list(quads)), name


def test_framed_jsonld_of_nested_nodes_in_a_cycle_is_what_the_term_by_term_writer_writes():
    store = ox.Store()
    g, a, b = ox.NamedNode("http://example.org/g"), ox.BlankNode("a"), ox.BlankNode("b")
    store.add(ox.Quad(a, ox.NamedNode(PROV_DERIVED), b, g))
    store.add(ox.Quad(b, ox.NamedNode(PROV_DERIVED), a, g))
    store.add(ox.Quad(ox.NamedNode("http://example.org/top"), ox.NamedNode(OA_SELECTOR), ox.BlankNode("c"), g))
    store.add(ox.Quad(ox.BlankNode("c"), ox.NamedNode("http://www.w3.org/ns/oa#exact"), ox.Literal("x"), g))
    quads = list(store.quads_for_pattern(None, None, None, None))
    assert FORMATS["jsonld-framed"].write(export_module.EngineQuads(store)) == FORMATS["jsonld-framed"].write(quads)
