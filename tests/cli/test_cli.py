"""The `kg` command, run in-process with click's CliRunner."""

from __future__ import annotations

import subprocess
import sys

from kg.cli import cli

from ..conftest import RED_LINE, ROOT, run_cli


def test_every_command_has_help_with_an_example():
    result = run_cli("--help")
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert command.help and "Example:" in command.help, name
        assert run_cli(name, "--help").exit_code == 0


def test_build_writes_exports_and_prints_a_summary(project, tmp_path):
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    out = tmp_path / "out"
    result = run_cli("build", "-C", str(project.root), "--exports", str(out))
    assert result.exit_code == 0, result.output
    assert "from 1 documents (1 facts)" in result.output
    assert "doc: 1 (position 1)" in result.output
    assert "imp:RedLine 1" in result.output
    assert "SHACL: conforms." in result.output
    assert (out / "impasse.ttl").is_file() and (out / "ontology.owl").is_file()


def test_bad_input_exits_2_naming_file_and_line_and_writes_nothing(project):
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE.replace("rejects", "refuses"))
    result = run_cli("build", "-C", str(project.root))
    assert result.exit_code == 2
    assert "doc.facts.yaml:7: quote not found in doc.txt" in result.output
    assert not (project.root / "exports").exists()


def test_non_conforming_graph_exits_1_and_writes_nothing(project):
    # The facts format lets a round omit its venue; the shapes require one.
    project.add("doc", "Talks were held.\n", """\
document: doc
facts:
  - kind: round
    key: some-talks
    label: Some talks
    quote: "Talks were held."
""")
    result = run_cli("build", "-C", str(project.root))
    assert result.exit_code == 1
    assert "does not conform" in result.output and "venue" in result.output
    assert not (project.root / "exports").exists()


def test_missing_project_folder_is_a_usage_error(tmp_path):
    result = run_cli("build", "-C", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_python_dash_m_kg_and_lazy_imports():
    """`python -m kg` works, and the CLI module pulls in no RDF library until a command runs."""
    help_run = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert help_run.returncode == 0 and "build" in help_run.stdout
    probe = ("import sys, kg.cli; heavy = ('rdflib', 'pyoxigraph', 'oxrdflib', 'owlready2', 'pyshacl', 'yaml');"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]"


def test_kg_validate_conforms_and_reports_as_turtle():
    result = run_cli("validate", "-C", str(ROOT))
    assert result.exit_code == 0 and "Conforms: True" in result.output
    report = run_cli("validate", "-C", str(ROOT), "--format", "turtle")
    from rdflib import Graph, Literal
    from rdflib.namespace import SH

    graph = Graph().parse(data=report.output, format="turtle")
    assert (None, SH.conforms, Literal(True)) in graph


def test_kg_validate_exit_codes_for_bad_data_and_missing_graph(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text((ROOT / "exports" / "impasse.ttl").read_text(encoding="utf-8")
                   + "\n<https://w3id.org/impasse/id/position/x> a <https://w3id.org/impasse/ontology#RedLine> .\n")
    result = run_cli("validate", "-C", str(ROOT), "--graph", str(bad))
    assert result.exit_code == 1 and "Conforms: False" in result.output
    assert run_cli("validate", "-C", str(ROOT), "--graph", str(tmp_path / "none.ttl")).exit_code == 2
