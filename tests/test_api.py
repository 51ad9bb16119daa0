"""The library API: the short list in kg.__all__ works, whatever was imported before."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import RED_LINE, ROOT


def test_the_short_list_is_the_one_the_docs_promise():
    import kg

    assert kg.__all__ == ["Project", "init_project", "open_graph", "build", "run", "derive", "reason", "validate", "export",
                          "write_exports", "load_queries", "run_query", "KgError"]


def test_top_level_names_are_the_functions_even_after_importing_every_submodule():
    # Regression: a lazily re-exported `kg.build` was shadowed by a submodule `kg/build.py` (now the package kg/build/, which is callable)
    # as soon as anything imported that submodule.
    probe = (
        "import kg.build.builder, kg.derive.rules, kg.formats, kg.derive.validation, kg.derive.reasoning, kg.sparql.query, kg.cli, kg\n"
        "assert all(callable(getattr(kg, n)) for n in kg.__all__), kg.__all__\n"
        "result = kg.build('.')\n"
        "assert kg.export(result.graph, format='ntriples').count(b'\\n') > 1000\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "ok", run.stderr


def test_run_is_the_whole_pipeline_of_kg_build(project, tmp_path):
    import kg

    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    stages = []
    outcome = kg.run(project.root, exports=tmp_path / "out", progress=lambda stage, detail: stages.append(stage))
    assert stages == ["reading", "reasoning", "reasoned", "validating", "exporting", "publishing"]
    assert outcome.validation.conforms and outcome.reasoning.reasoner
    assert (tmp_path / "out" / "impasse.ttl").stat().st_size == outcome.sizes["impasse.ttl"]
    assert (tmp_path / "out" / "views" / "index.html").is_file() and "views/index.html" in outcome.sizes
    assert len(outcome.graph) > 100 and outcome.graph is outcome.build.graph


def test_run_writes_nothing_when_the_graph_does_not_conform(project, tmp_path):
    import kg

    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    shapes = project.root / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + """
<urn:test:shape> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <https://w3id.org/impasse/ontology#RedLine> ;
    <http://www.w3.org/ns/shacl#property> [ <http://www.w3.org/ns/shacl#path> <urn:test:never> ;
                                            <http://www.w3.org/ns/shacl#minCount> 1 ] .
""", encoding="utf-8")
    with pytest.raises(kg.KgError, match="does not conform") as caught:
        kg.run(project.root, exports=tmp_path / "out", reason=False)
    assert caught.value.exit_code == 1 and not (tmp_path / "out").exists()
