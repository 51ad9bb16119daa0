"""The named queries in a project on another negotiation: a default that names nothing in its
graph (the packaged defaults name US–Iran actors) leaves the parameter unbound, with a note,
in kg query and on the endpoint's query list (kg/sparql/query.py, resolve_default)."""

from __future__ import annotations

import csv
import io
import shutil
import warnings
from pathlib import Path

import pytest

from kg.project import init_project
from kg.server.app import create_app
from kg.sparql.query import load_queries
from kg.store import load_graph

from .conftest import HEADER, run_cli

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx is what is installed
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SELVA = Path(__file__).parent / "selva"
TEXT = ("Ostravia insists on guaranteed minimum flows during the dry season. "
        "Belmora rejects any talks on minimum flows.\n")
FACTS = """\
document: talks
facts:
  - kind: position
    type: demand
    holder: ostravia
    issue: minimum-flows
    quote: "Ostravia insists on guaranteed minimum flows during the dry season."
  - kind: position
    type: red-line
    holder: belmora
    issue: minimum-flows
    quote: "Belmora rejects any talks on minimum flows."
"""


@pytest.fixture(scope="module")
def selva(tmp_path_factory):
    """A project made by kg init on the made-up Selva river talks, with one curated document, built."""
    made = init_project(tmp_path_factory.mktemp("projects") / "selva", title="The Selva river talks")
    for name in ("actors.ttl", "issues.ttl"):
        shutil.copyfile(SELVA / name, made.root / "ontology" / "reference" / name)
    (made.root / "corpus" / "talks.txt").write_text(HEADER + TEXT, encoding="utf-8")
    (made.root / "corpus" / "talks.facts.yaml").write_text(FACTS, encoding="utf-8")
    built = run_cli("-C", made.root, "build", "--no-reason")
    assert built.exit_code == 0, built.output
    assert "inclusion-mismatch +" in built.stdout and "inclusion-mismatch +0" not in built.stdout
    return made.root


def _csv(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_a_default_that_names_no_actor_leaves_the_parameter_unbound_and_says_so(selva):
    result = run_cli("-C", selva, "query", "agenda-mismatches", "--format", "csv")
    assert result.exit_code == 0, result.output
    for name, default in (("a", "United States"), ("b", "Iran")):
        assert (f"Note: agenda-mismatches: the default of {name}, {default!r}, names no actor in this graph, so "
                f"{name} is left unbound (every actor); give {name}=… to choose one (actors here: Belmora, "
                f"Ostravia).") in result.stderr
    rows = _csv(result.stdout)
    # every pair of sides, in both orders, never a side with itself
    assert {(row["a"], row["b"]) for row in rows} == {
        ("https://w3id.org/impasse/id/actor/ostravia", "https://w3id.org/impasse/id/actor/belmora"),
        ("https://w3id.org/impasse/id/actor/belmora", "https://w3id.org/impasse/id/actor/ostravia")}


def test_given_values_bind_as_before_and_give_no_note(selva):
    result = run_cli("-C", selva, "query", "agenda-mismatches", "--param", "a=Ostravia", "--param", "b=Belmora",
                     "--format", "csv")
    assert result.exit_code == 0 and "Note:" not in result.stderr, result.output
    rows = _csv(result.stdout)
    assert rows and {(row["a"], row["b"]) for row in rows} == {
        ("https://w3id.org/impasse/id/actor/ostravia", "https://w3id.org/impasse/id/actor/belmora")}


def test_a_given_value_that_names_no_actor_is_still_refused(selva):
    result = run_cli("-C", selva, "query", "agenda-mismatches", "--param", "a=Iran")
    assert result.exit_code == 2
    assert "no actor called 'Iran' (parameter a). Known: Belmora, Ostravia" in result.stderr


def test_a_default_that_names_the_projects_entity_is_bound(selva):
    own = selva / "queries" / "own-agenda.rq"
    text = (selva / "queries" / "actor-agenda.rq").read_text(encoding="utf-8")
    own.write_text(text.replace("#+     default: Iran\n", "#+     default: Belmora\n"), encoding="utf-8")
    try:
        result = run_cli("-C", selva, "query", "own-agenda", "--format", "csv")
    finally:
        own.unlink()
    assert result.exit_code == 0 and "Note:" not in result.stderr, result.output
    assert {row["actor"] for row in _csv(result.stdout)} == {"https://w3id.org/impasse/id/actor/belmora"}


@pytest.mark.parametrize(("query", "note"), [
    ("actor-agenda", "the default of actor, 'Iran', names no actor in this graph"),
    ("bargaining-space", "the default of b, 'Iran', names no actor in this graph"),
    ("causal-chain", "the default of event, 'Hardening of Iranian distrust', names no event in this graph"),
    ("evidence", "the default of fact, 'round:muscat-talks', is in no triple of this graph, so fact is left "
                 "unbound (every fact)"),
])
def test_every_packaged_query_with_defaults_runs_in_the_new_project(selva, query, note):
    result = run_cli("-C", selva, "query", query, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert f"Note: {query}: {note}" in result.stderr


def test_the_evidence_query_unbound_lists_the_projects_facts(selva):
    rows = _csv(run_cli("-C", selva, "query", "evidence", "--format", "csv").stdout)
    assert {row["quote"] for row in rows} >= {"Ostravia insists on guaranteed minimum flows during the dry season.",
                                                "Belmora rejects any talks on minimum flows."}


def test_the_endpoint_lists_a_default_that_names_nothing_as_none(selva):
    app = create_app(load_graph(selva / "exports" / "impasse.ttl"), queries=load_queries(selva / "queries"))
    client = TestClient(app)  # no lifespan: listing the queries starts no worker
    listed = {q["name"]: {p["name"]: p["default"] for p in q["params"]} for q in client.get("/queries").json()}
    assert listed["agenda-mismatches"] == {"a": None, "b": None}
    assert listed["evidence"] == {"fact": None} and listed["leverage"] == {"holder": None}
