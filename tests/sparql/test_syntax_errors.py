"""Syntax errors: one description (line, column, reason, a caret under the column) for rdflib's
parser and for Oxigraph, the one `kg query`, the rules and the endpoint show."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.sparql.syntax import QuerySyntaxError, SyntaxProblem, check_syntax, engine_error_problem


def _caret_column(message: str) -> int:
    """The 1-based column the caret of a rendered problem points at."""
    shown, caret = message.splitlines()[-2:]
    assert caret.strip() == "^", message
    return len(caret) - 2  # both lines are indented by two spaces


def test_an_rdflib_error_names_line_and_column_with_a_caret_under_it():
    with pytest.raises(QuerySyntaxError) as caught:
        check_syntax("SELECT ?s\nWHERE { ?s ?p ?o } LIMIT x", "<inline>")
    message = str(caught.value)
    assert message.splitlines()[0] == "<inline>:2:20: SPARQL syntax error: Expected end of text"
    assert message.splitlines()[1] == "  WHERE { ?s ?p ?o } LIMIT x"
    assert _caret_column(message) == 20 and "WHERE { ?s ?p ?o } LIMIT x"[19] == "L"


@pytest.mark.parametrize("query, reason", [
    ("SELECT * WHERE { ?s ?p ?o } GROUP BY ?s", "SELECT * is not authorized with GROUP BY"),
    ("SELECT (1 AS ?x) (2 AS ?x) {}", "Duplicated variable name in SELECT"),
    ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", "The SELECT contains a variable that is unbound"),
    ("SELECT * { BIND(1 AS ?x) BIND(2 AS ?x) }", "not valid SPARQL 1.1 here"),  # Oxigraph says only "[_]"
])
def test_oxigraph_errors_keep_the_reason_not_the_list_of_character_classes(query, reason):
    check_syntax(query, "<inline>")  # rdflib's parser reads them: only Oxigraph refuses them
    with pytest.raises(SyntaxError) as caught:
        ox.Store().query(query)
    problem = engine_error_problem(str(caught.value), query)
    assert problem.reason.startswith(reason)
    assert "[" not in problem.reason and "\\u{" not in problem.reason  # the raw message had both
    assert problem.line == 1 and problem.source == query


def test_a_long_line_is_cut_around_the_column_and_the_caret_still_points_at_it():
    line = "SELECT ?s WHERE { ?s ?p ?o } " + " " * 200 + "LIMIT x"
    problem = SyntaxProblem(1, line.index("x") + 1, "expected a number", line)
    shown, caret = problem.render("<inline>").splitlines()[1:]
    assert len(shown) < 90 and shown.startswith("  …")
    assert shown[len(caret) - 1] == "x"


def test_tabs_before_the_column_keep_the_caret_aligned():
    shown, caret = SyntaxProblem(1, 4, "r", "\t\tab").render().splitlines()[1:]
    assert caret == "  \t\t ^"


def test_oxigraph_keywords_are_kept_and_character_classes_dropped():
    message = "error at 3:7: expected one of HAVING, OFFSET, VALUES, ['0'..='9'], [_]"
    problem = engine_error_problem(message, "SELECT *\nWHERE {}\nLIMIT x")
    assert (problem.line, problem.column, problem.source) == (3, 7, "LIMIT x")
    assert problem.reason == "expected HAVING or OFFSET or VALUES"
