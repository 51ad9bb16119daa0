"""Named queries: documented, parameterised safely, and the same answer from two engines.

Each queries/<name>.rq has its expected result on the corpus beside it
(<name>.expected.tsv, SPARQL TSV). Every query runs over exports/impasse.ttl through
pyoxigraph (kg's engine) and through rdflib's own engine; both must give exactly the
expected rows.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner
from rdflib import Graph, Variable

from kg.cli import cli
from kg.sparql.query import QueryError, bind_params, find_query, load_queries, run_query
from kg.sparql.syntax import QuerySyntaxError
from kg.store import load_graph, to_ox

from ..conftest import ROOT

QUERIES = load_queries(ROOT / "queries")
EXPORT = ROOT / "exports" / "impasse.ttl"


@pytest.fixture(scope="module")
def oxigraph():
    return load_graph(EXPORT)


@pytest.fixture(scope="module")
def rdflib_graph():
    return Graph().parse(EXPORT, format="turtle")


def rows_of_tsv(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    lines = text.rstrip("\n").split("\n")
    header = [v.lstrip("?") for v in lines[0].split("\t")]
    return header, [tuple(_cell(c) for c in line.split("\t")) for line in lines[1:]]


def _cell(value: str) -> str:
    # GROUP_CONCAT joins in no fixed order (SPARQL 1.1, section 18.5.1.7): compare the
    # parts, sorted, inside the literal's quotes.
    if not value.startswith('"') or "; " not in value:
        return value
    end = value.rindex('"')
    return '"' + "; ".join(sorted(value[1:end].split("; "))) + value[end:]


def test_at_least_the_queries_the_issue_asks_for():
    assert {"agenda-mismatches", "actor-agenda", "leverage", "negotiation-rounds", "agreements",
            "causal-chain", "source-comparison", "evidence", "issue-hierarchy", "bargaining-space"} <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_is_documented(name):
    query = QUERIES[name]
    assert query.summary and query.description
    assert all(p.description for p in query.params)
    assert "PREFIX imp:" in query.text or "imp:" not in query.text


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_both_engines_give_the_expected_result(name, oxigraph, rdflib_graph):
    query = QUERIES[name]
    expected_header, expected = rows_of_tsv((ROOT / "queries" / f"{name}.expected.tsv").read_text(encoding="utf-8"))
    assert expected, f"{name}: the expected result is empty; a query that finds nothing proves nothing"
    notes = []
    bindings = bind_params(oxigraph, query, {}, notes)
    # every default names something in this repository's graph: none is left unbound
    assert notes == [] and len(bindings) == sum(p.default is not None for p in query.params)
    ours = run_query(oxigraph, query.text, bindings)
    assert ours.variables == expected_header
    ours_rows = sorted(tuple(_cell("" if t is None else str(t)) for t in row) for row in ours.rows)
    assert ours_rows == sorted(expected), name
    theirs = rdflib_graph.query(query.text, initBindings={Variable(k): _rdflib(v) for k, v in bindings.items()})
    theirs_rows = sorted(tuple(_cell("" if row[v] is None else str(to_ox(row[v]))) for v in theirs.vars) for row in theirs)
    assert theirs_rows == sorted(expected), name


def _rdflib(term):
    from kg.store import from_ox

    return from_ox(term)


def test_parameters_are_bound_not_pasted(oxigraph):
    query = QUERIES["actor-agenda"]
    hostile = 'Iran" } ; DROP ALL ; SELECT * { "'
    with pytest.raises(QueryError, match="no actor called"):
        bind_params(oxigraph, query, {"actor": hostile})
    bound = bind_params(oxigraph, query, {"actor": "Tehran"})
    assert str(bound["actor"]) == "<https://w3id.org/impasse/id/actor/iran>"
    # A value is bound as one RDF term: text that would break out of a pasted query stays a literal.
    answer = run_query(oxigraph, "SELECT ?x WHERE { BIND(?v AS ?x) }", {"v": ox.Literal(hostile)})
    assert [[term.value for term in row] for row in answer.rows] == [[hostile]]


@pytest.mark.parametrize("given", ["Iran", "Tehran", "tehran", "iran", "actor:iran",
                                   "<https://w3id.org/impasse/id/actor/iran>"])
def test_an_entity_may_be_named_by_label_alias_key_or_iri(oxigraph, given):
    bound = bind_params(oxigraph, QUERIES["actor-agenda"], {"actor": given})
    assert bound["actor"].value == "https://w3id.org/impasse/id/actor/iran"


def test_unknown_query_parameter_and_entity_errors_list_what_exists(oxigraph):
    with pytest.raises(QueryError, match="Did you mean agenda-mismatches.*Named queries: actor-agenda"):
        find_query(QUERIES, "agenda-mismatch")
    with pytest.raises(QueryError, match="has no parameter 'c'; its parameters: a, b"):
        bind_params(oxigraph, QUERIES["agenda-mismatches"], {"c": "Iran"})
    with pytest.raises(QueryError, match="no actor called 'Irann'.*Did you mean Iran"):
        bind_params(oxigraph, QUERIES["agenda-mismatches"], {"a": "Irann"})


def test_syntax_errors_name_line_and_column(oxigraph):
    with pytest.raises(QuerySyntaxError, match=r"<inline>:2:\d+: SPARQL syntax error"):
        run_query(oxigraph, "SELECT ?s\nWHERE { ?s ?p }")


def test_a_parameter_outside_the_projection_is_refused_at_load(tmp_path):
    from kg.sparql.query import load_query

    path = tmp_path / "q.rq"
    path.write_text("#+ summary: s\n#+ params:\n#+   - name: x\n#+     type: actor\nSELECT ?s WHERE { ?s ?p ?x }\n")
    with pytest.raises(QueryError, match="must be in the SELECT projection"):
        load_query(path)


def invoke(*args):
    return CliRunner().invoke(cli, ["query", *args, "-C", str(ROOT)], catch_exceptions=False)


def test_kg_query_agenda_mismatches_lists_mismatches_with_quotes():
    result = invoke("agenda-mismatches", "--param", "a=United States", "--param", "b=Iran")
    assert result.exit_code == 0, result.output
    assert "Inclusion mismatch on Ballistic missile program" in result.output
    assert "its missile arsenal and its regional network of allied armed groups" in result.output
    assert "https://" not in result.output  # labels, not IRIs, in the table


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda out: out.startswith("a,b,mismatch,") and "\r\n" in out),
    ("tsv", lambda out: out.startswith("?a\t?b\t?mismatch")),
    ("json", lambda out: json.loads(out)["head"]["vars"][:3] == ["a", "b", "mismatch"]),
    ("markdown", lambda out: out.startswith("| a | b | mismatch |")),
])
def test_kg_query_formats(fmt, check):
    result = invoke("agenda-mismatches", "--format", fmt)
    assert result.exit_code == 0 and check(result.stdout_bytes.decode("utf-8")), result.output[:300]


def test_kg_query_inline_construct_file_and_output(tmp_path):
    construct = invoke("-e", "PREFIX imp: <https://w3id.org/impasse/ontology#> "
                       "CONSTRUCT { ?a imp:demands ?i } WHERE { ?a imp:demands ?i }")
    assert construct.exit_code == 0
    assert len(Graph().parse(data=construct.output, format="turtle")) > 5
    ask = invoke("-e", "ASK { ?s a <https://w3id.org/impasse/ontology#ContestedIssue> }", "--format", "json")
    assert json.loads(ask.output) == {"head": {}, "boolean": True}
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    out = tmp_path / "out.csv"
    assert invoke(str(path), "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"n\r\n")


def test_kg_query_errors_exit_2():
    assert invoke("no-such-query").exit_code == 2
    result = invoke("-e", "SELECT ?s WHERE { ?s ?p }")
    assert result.exit_code == 2 and "<inline>:1:" in result.output
    assert invoke("actor-agenda", "--param", "actor=Nobody").exit_code == 2
    assert invoke().exit_code == 2  # neither a query nor -e


def test_kg_queries_lists_every_query_with_its_summary():
    result = CliRunner().invoke(cli, ["queries", "-C", str(ROOT)])
    assert result.exit_code == 0
    for name, query in QUERIES.items():
        assert f"{name}: {query.summary}" in result.output


@pytest.fixture(scope="module")
def named():
    return load_queries(ROOT / "queries")


@pytest.mark.parametrize("value", ["https://x> }", "<https://x y>", "imp:a>b", "urn:x\u0000", "<http://e/{x}>"])
def test_an_invalid_iri_parameter_is_a_clear_error(oxigraph, named, value):
    # Regression: `--param 'fact=https://x> }'` ended in a ValueError traceback (exit 1).
    for name, param in (("evidence", "fact"), ("actor-agenda", "actor")):
        with pytest.raises(QueryError, match=f"parameter {param}"):
            bind_params(oxigraph, named[name], {param: value})


def test_kg_query_with_an_invalid_iri_parameter_exits_2():
    result = CliRunner().invoke(cli, ["query", "evidence", "-C", str(ROOT), "--param", "fact=https://x> }"])
    assert result.exit_code == 2 and "is not a valid IRI" in result.output and "Traceback" not in result.output


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(st.characters(codec="utf-8"), max_size=40).map(lambda t: _iri_like(t)))
def test_any_iri_parameter_is_bound_or_refused_clearly(oxigraph, named, value):
    try:
        bound = bind_params(oxigraph, named["evidence"], {"fact": value})
    except QueryError:
        return
    assert isinstance(bound["fact"], ox.NamedNode)


def _iri_like(text: str) -> str:
    """Most generated values look like IRIs, so that the IRI checks are reached."""
    return ("https://" if len(text) % 3 else "<urn:") + text + (">" if len(text) % 3 == 0 else "")
