"""Projects: kg init, the files the package ships, -C before the command, and the refusals in a
folder that is no project (kg/project.py, kg/cli/init.py)."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from rdflib import Graph

import kg
from kg.corpus.reference import load_reference
from kg.errors import ProjectError
from kg.project import ASSETS, SHIPPED, TEMPLATE, init_project, shipped_files

from .conftest import RED_LINE, ROOT, run_cli

EXAMPLE = re.compile(r"^# (?=(?:[a-z-]+:[a-z0-9-]+ a |    |$))")  # the commented-out Turtle of a template


def test_the_shipped_files_are_the_repositorys_through_links():
    # one source: kg/assets/ontology and kg/assets/queries are links, so the copies cannot drift
    for name in ("ontology", "queries"):
        link = ASSETS / name
        assert link.is_symlink() and link.resolve() == (ROOT / name).resolve(), link
    expected = {p.relative_to(ROOT).as_posix() for pattern in SHIPPED for p in ROOT.glob(pattern)}
    assert set(shipped_files()) == expected
    assert {"ontology/impasse.ttl", "ontology/shapes.ttl", "queries/evidence.rq", "queries/rules/shortcuts.rq"} <= expected
    assert not [name for name in expected if name.endswith(".expected.tsv") or "/reference/" in name]


def test_kg_init_makes_the_layout_with_the_shipped_files(tmp_path):
    target = tmp_path / "selva"
    result = run_cli("init", target, "--title", "The Selva river talks")
    assert result.exit_code == 0, result.output
    assert f"Made an Impasse project in {target}" in result.output
    for folder in ("ontology/reference", "corpus", "queries/rules", "exports"):
        assert (target / folder).is_dir(), folder
    for relative, source in shipped_files().items():
        assert (target / relative).read_bytes() == source.read_bytes(), relative
    assert sorted(p.name for p in (target / "ontology" / "reference").iterdir()) == [
        "actors.ttl", "agreements.ttl", "issues.ttl", "kinds.ttl", "places.ttl"]
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# The Selva river talks\n") and "$" not in readme
    assert ".kg-cache/" in (target / ".gitignore").read_text(encoding="utf-8")
    assert list((target / "corpus").iterdir()) == [] and list(tmp_path.iterdir()) == [target]  # no staging left


def test_the_title_defaults_to_the_folders_name(tmp_path):
    made = init_project(tmp_path / "nile-basin")
    assert (made.root / "README.md").read_text(encoding="utf-8").startswith("# nile-basin\n")
    assert "README.md" in made.files and "ontology/reference/actors.ttl" in made.files


def test_the_reference_templates_are_empty_and_their_examples_are_valid_turtle(tmp_path):
    made = init_project(tmp_path / "p")
    reference = load_reference(made.root / "ontology" / "reference")
    assert len(reference.graph) == 0 and not any(reference.keys.values())
    for path in sorted((TEMPLATE / "ontology" / "reference").glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i)iran|united states|tehran|washington", text), path
        uncommented = "\n".join(EXAMPLE.sub("", line) for line in text.splitlines())
        graph = Graph().parse(data=uncommented, format="turtle")
        assert len(graph) >= 3, path  # every template shows at least one entity with its label and class
    actors = "\n".join(EXAMPLE.sub("", line)
                       for line in (TEMPLATE / "ontology" / "reference" / "actors.ttl").read_text().splitlines())
    (made.root / "ontology" / "reference" / "actors.ttl").write_text(actors, encoding="utf-8")
    keys = load_reference(made.root / "ontology" / "reference").keys["actor"]
    assert sorted(keys) == ["delta-front", "jane-doe", "northland", "river-basin-commission"]


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("init", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path} is not empty (it holds notes.txt)" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    (tmp_path / "afile").write_text("x")
    assert run_cli("init", tmp_path / "afile").exit_code == 2  # click's own check of the argument
    with pytest.raises(ProjectError, match="afile is a file, not a folder"):
        init_project(tmp_path / "afile")
    missing = run_cli("init", tmp_path / "no" / "such")
    assert missing.exit_code == 2 and f"{tmp_path / 'no'}, does not exist" in missing.output


def test_an_empty_folder_is_used(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    assert run_cli("init", target).exit_code == 0
    assert (target / "ontology" / "impasse.ttl").is_file()


def test_a_failure_half_way_leaves_nothing(tmp_path, monkeypatch):
    copied, copy = [], shutil.copyfile

    def failing_copy(source, target):
        if len(copied) == 3:
            raise OSError(28, "No space left on device")
        copied.append(copy(source, target))

    monkeypatch.setattr("kg.project.shutil.copyfile", failing_copy)
    with pytest.raises(ProjectError, match="No space left on device; nothing was written"):
        init_project(tmp_path / "p")
    assert len(copied) == 3 and list(tmp_path.iterdir()) == []


def test_init_takes_its_folder_before_the_command_too(tmp_path):
    assert run_cli("-C", tmp_path / "p", "init").exit_code == 0
    assert (tmp_path / "p" / "queries" / "agenda-mismatches.rq").is_file()
    both = run_cli("-C", tmp_path / "q", "init", tmp_path / "r")
    assert both.exit_code == 2 and "give the folder once" in both.output
    assert run_cli("init").exit_code == 2


def test_dash_c_before_the_command_is_the_same_as_after_it(tmp_path):
    after, before = run_cli("queries", "-C", ROOT), run_cli("-C", ROOT, "queries")
    assert after.exit_code == before.exit_code == 0 and after.output == before.output
    assert "agenda-mismatches: " in before.output
    twice = run_cli("-C", ROOT, "queries", "-C", tmp_path)
    assert twice.exit_code == 2 and "given twice" in twice.output
    assert run_cli("-C", ROOT, "queries", "-C", ROOT).exit_code == 0  # the same folder twice is no conflict
    missing = run_cli("-C", tmp_path / "nowhere", "build")
    assert missing.exit_code == 2 and "does not exist" in missing.output


@pytest.mark.parametrize("command", [["build"], ["views"], ["add", "article.txt"], ["add", "--again", "doc"],
                                     ["review"], ["query", "contested-issues"], ["validate"], ["export"],
                                     ["serve"], ["reason"]])
def test_every_command_in_a_folder_that_is_no_project_says_what_is_missing(tmp_path, command):
    folder = tmp_path / "empty"
    folder.mkdir()
    (tmp_path / "article.txt").write_text("Talks resumed.\n")
    args = [tmp_path / "article.txt" if a == "article.txt" else a for a in command]
    result = run_cli("-C", folder, *args)
    assert result.exit_code == 2, result.output
    assert f"no Impasse project in {folder}: ontology/impasse.ttl is missing (run kg init {folder})" in result.output
    assert list(folder.iterdir()) == []


def test_a_folder_with_other_files_is_told_to_init_elsewhere(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("build", "-C", tmp_path)
    assert result.exit_code == 2 and "ontology/impasse.ttl is missing (kg init NEW-FOLDER starts one)" in result.output


def test_a_project_without_its_corpus_folder_is_told_so(tmp_path):
    made = init_project(tmp_path / "p")
    (made.root / "corpus").rmdir()
    result = run_cli("build", "-C", made.root)
    assert result.exit_code == 2 and f"{made.root}: the project has no corpus/ folder" in result.output


def test_a_new_project_without_articles_is_told_to_add_one(tmp_path):
    made = init_project(tmp_path / "p")
    result = run_cli("build", "-C", made.root)
    assert result.exit_code == 2 and "no documents (*.txt) in the corpus folder yet (kg add ARTICLE" in result.output


def test_a_missing_ontology_file_is_named_as_missing_not_as_bad_turtle(tmp_path):
    from kg.corpus.reference import parse_turtle

    with pytest.raises(kg.KgError, match=r"nothing\.ttl: no such file$"):
        parse_turtle(tmp_path / "nothing.ttl")


def test_without_shapes_the_build_uses_the_shipped_ones_and_says_so(project):
    project.add("doc", "Iran rejects talks on missiles.\n", RED_LINE)
    (project.root / "ontology" / "shapes.ttl").unlink()
    result = run_cli("build", "-C", project.root, "--no-reason")
    assert result.exit_code == 0, result.output
    assert (f"Note: {project.root} has no ontology/shapes.ttl; using the SHACL shapes that ship with Impasse "
            f"({ASSETS / 'ontology' / 'shapes.ttl'}).") in result.stderr
    assert "SHACL: conforms." in result.stdout


def test_without_queries_the_shipped_named_queries_are_listed_and_run(tmp_path):
    listed = run_cli("queries", "-C", tmp_path)
    assert listed.exit_code == 0 and "has no queries/; using the named queries that ship with Impasse" in listed.stderr
    assert set(re.findall(r"(?m)^([a-z-]+): ", listed.stdout)) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    ran = run_cli("query", "contested-issues", "-C", tmp_path, "--graph", ROOT / "exports" / "impasse.ttl")
    assert ran.exit_code == 0 and "has no queries/" in ran.stderr and "(" in ran.stdout
    own = run_cli("query", "contested-issues", "-C", ROOT)
    assert own.exit_code == 0 and "Note:" not in own.stderr and own.stdout == ran.stdout


def test_the_citation_file_is_cff_1_2_0_with_the_packages_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= citation.keys() and citation["authors"][0]["name"]
    assert citation["version"] == kg.__version__ and citation["license"] == "Apache-2.0"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
