"""The OWL 2 DL variant of the whole graph: inside the profile, and HermiT reads it with default settings."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.formats import FORMATS, OWL2_DATATYPES, owl2_dl_quads
from kg.store import merged_graph

from .conftest import ROOT

JAVA_LIBS = Path("/usr/share/java")
#: Debian's OWL API (libowlapi-java) and what it needs at run time, for tests/tools/OwlProfile.java.
OWLAPI_JARS = ["owlapi-distribution", "guava", "caffeine", "slf4j-api", "atinject-jsr330-api", "commons-io",
               "commons-rdf-api", "xz", "jackson-core", "jackson-databind", "jackson-annotations", "commons-codec",
               "commons-logging", "hppcrt", "httpclient", "httpcore", "jsr305", "jaxb-api", "javax.activation"]


def test_the_dl_variant_is_the_graph_with_dates_and_durations_as_strings(built, exported):
    parsed = Graph().parse(data=exported["impasse-dl.owl"], format="xml")
    merged = merged_graph(built.graph)
    changed = {o for o in merged.objects() if isinstance(o, Literal) and o.datatype
               and str(o.datatype) not in OWL2_DATATYPES}
    assert {str(o.datatype).rsplit("#")[-1] for o in changed} >= {"gYear", "gYearMonth", "duration"}
    expected = Graph()
    for s, p, o in merged:
        expected.add((s, p, Literal(str(o)) if o in changed else o))
    assert isomorphic(parsed, expected)
    assert not [o for o in parsed.objects() if isinstance(o, Literal) and o.datatype
                and str(o.datatype) not in OWL2_DATATYPES]


def _owlapi_classpath() -> str:
    jars = [JAVA_LIBS / f"{name}.jar" for name in OWLAPI_JARS] + sorted(JAVA_LIBS.glob("rdf4j*.jar"))
    missing = [j.name for j in jars if not j.exists()]
    if missing or shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail(f"the OWL API profile check needs Java and Debian's libowlapi-java (missing: {missing})")
        pytest.skip(f"Java or Debian's libowlapi-java is missing ({', '.join(missing[:3])} …)")
    return os.pathsep.join(map(str, jars))


def _profile(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["java", "-cp", _owlapi_classpath(), str(ROOT / "tests" / "tools" / "OwlProfile.java"),
                           str(path)], capture_output=True, text=True, timeout=300)


def test_the_owl_api_finds_the_dl_variant_in_owl_2_dl_and_the_graph_outside(exported, tmp_path):
    (tmp_path / "impasse-dl.owl").write_bytes(exported["impasse-dl.owl"])
    (tmp_path / "impasse.ttl").write_bytes(exported["impasse.ttl"])
    dl = _profile(tmp_path / "impasse-dl.owl")
    assert dl.returncode == 0 and "violations: 0" in dl.stdout, dl.stdout + dl.stderr
    full = _profile(tmp_path / "impasse.ttl")
    assert full.returncode == 1 and "Use of undeclared datatype: xsd:gYear" in full.stdout, full.stdout + full.stderr


@pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("CI"), reason="HermiT needs Java")
def test_hermit_with_default_settings_reads_the_dl_variant_and_refuses_the_graph(built, tmp_path):
    import owlready2

    owlready2.JAVA_EXE = shutil.which("java")
    quads = list(built.graph.quads())
    # owlready2 reads N-Triples best (docs/engine-notes.md): the same triples as impasse-dl.owl
    dl, full = tmp_path / "dl.nt", tmp_path / "full.nt"
    dl.write_bytes(FORMATS["ntriples"].write(list(owl2_dl_quads(quads))))
    full.write_bytes(FORMATS["ntriples"].write(quads))
    outcomes = {}
    for path in (dl, full):
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)  # HermiT's defaults
            outcomes[path.name] = list(world.inconsistent_classes())
        except owlready2.OwlReadyJavaError as exc:
            outcomes[path.name] = str(exc)
        finally:
            world.close()
    assert outcomes["dl.nt"] == []
    assert "UnsupportedDatatypeException" in outcomes["full.nt"] and "XMLSchema#g" in outcomes["full.nt"]
