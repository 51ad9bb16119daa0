"""Parameters are bound by a VALUES block in the outer WHERE group, never by pasting text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.sparql.syntax import QuerySyntaxError, bind_values, query_form
from kg.store.oxigraph import OxigraphQuads

A = ox.NamedNode("http://example.org/a")
BLOCK = "VALUES (?x) { (<http://example.org/a>) }"


@pytest.mark.parametrize("query, before", [
    ("SELECT ?y WHERE { ?x ?p ?y }", "SELECT ?y WHERE {"),
    ("select ?y where{?x ?p ?y}", "select ?y where{"),
    ("SELECT ?y { ?x ?p ?y }", "SELECT ?y {"),
    ("ASK { ?x ?p ?y }", "ASK {"),
    ("CONSTRUCT { ?x ?p ?y } WHERE { ?x ?p ?y }", "CONSTRUCT { ?x ?p ?y } WHERE {"),
    ("SELECT ?y WHERE { { SELECT ?y WHERE { ?x ?p ?y } } }", "SELECT ?y WHERE {"),
    ("SELECT ?where { ?x ?p ?where }", "SELECT ?where {"),
])
def test_the_block_opens_the_outer_where_group(query, before):
    bound = bind_values(query, {"x": A})
    assert bound.startswith(before + " " + BLOCK)
    assert bound.replace(" " + BLOCK, "", 1).replace(" ", "") == query.replace(" ", "")


def test_braces_and_where_in_comments_strings_and_iris_are_not_syntax():
    query = ('PREFIX ex: <http://example.org/x#WHERE>\n# WHERE { a comment\n'
             'SELECT ?y { ?x ex:p "WHERE {", \'}\', """{ WHERE""" FILTER (?x < ?y) }')
    bound = bind_values(query, {"x": A})
    assert bound.index(BLOCK) == query.index("SELECT ?y {") + len("SELECT ?y {") + 1


def test_a_query_without_a_group_of_its_own_is_refused():
    with pytest.raises(QuerySyntaxError, match="no WHERE group"):
        bind_values("CONSTRUCT WHERE { ?x ?p ?y }", {"x": A})
    assert bind_values("CONSTRUCT WHERE { ?x ?p ?y }", {}) == "CONSTRUCT WHERE { ?x ?p ?y }"


def test_a_hostile_value_stays_one_literal():
    store = ox.Store()
    store.add(ox.Quad(A, A, ox.Literal("safe"), ox.NamedNode("http://example.org/g")))
    graph = OxigraphQuads(store)
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    assert graph.query("SELECT ?x WHERE { ?s ?p ?x }", {"x": hostile}).rows == []
    assert graph.query("SELECT ?x WHERE { ?s ?p ?x }", {"x": ox.Literal("safe")}).rows == [[ox.Literal("safe")]]
    assert len(store) == 1


def test_oxigraph_binds_by_values_or_late_for_construct_where():
    store = ox.Store()
    store.add(ox.Quad(A, A, A, ox.NamedNode("http://example.org/g")))
    store.add(ox.Quad(A, A, ox.Literal("other"), ox.NamedNode("http://example.org/g")))
    graph = OxigraphQuads(store)
    assert len(graph.query("CONSTRUCT WHERE { ?s ?p ?x }", {"x": A})) == 1
    assert len(graph.query("CONSTRUCT { ?s ?p ?x } WHERE { ?s ?p ?x }", {"x": A})) == 1


@pytest.mark.parametrize("query, form", [
    ("PREFIX imp: <https://w3id.org/impasse/ontology#>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("# a comment\nBASE <http://example.org/#>\nPREFIX a: <x:>\nselect * { ?s ?p ?o }", "SELECT"),
    ("ASK { ?s ?p ?o }", "ASK"),
    ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
])
def test_the_query_form_is_read_past_the_prologue(query, form):
    # The endpoint store asks for N-Triples or SPARQL JSON by it: an IRI ending in # once
    # made a prefixed CONSTRUCT look like a query of form PREFIX.
    assert query_form(query) == form


WRAPPED = "SELECT ?x ?y WHERE { { SELECT DISTINCT ?x ?y WHERE { ?x ?p ?y } } } ORDER BY ?y"


@pytest.mark.parametrize("query, before", [
    (WRAPPED, "SELECT ?x ?y WHERE { { SELECT DISTINCT ?x ?y WHERE {"),
    ("SELECT * { # a comment\n { SELECT * { ?x ?p ?y } ORDER BY ?y } }", "SELECT * { # a comment\n { SELECT * {"),
    ("SELECT ?y { { SELECT ?x ?y { { SELECT ?x ?y { ?x ?p ?y } } } } }", "SELECT ?y { { SELECT ?x ?y { { SELECT ?x ?y {"),
])
def test_the_block_goes_into_a_subquery_that_passes_the_variable_through(query, before):
    bound = bind_values(query, {"x": A})
    assert bound.startswith(before + " " + BLOCK)
    assert bound.replace(" " + BLOCK + " ", "", 1) == query


@pytest.mark.parametrize("query", [
    "SELECT ?y WHERE { { SELECT ?y WHERE { ?x ?p ?y } } }",  # ?x not projected
    "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?y } LIMIT 1 } }",  # cut before the binding
    "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?y } ORDER BY ?y OFFSET 2 } }",
    "SELECT ?x WHERE { { SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?y } GROUP BY ?x } }",  # counts before
    "SELECT ?x WHERE { { SELECT (?z AS ?x) WHERE { ?z ?p ?y } } }",  # renamed
    "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?y } } ?x ?q ?w }",  # the group holds more
    "SELECT ?x WHERE { ?x ?q ?w { SELECT ?x WHERE { ?x ?p ?y } } }",
    "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?y } } UNION { ?x ?q ?w } }",
    "SELECT ?x WHERE { { ?x ?p ?y } }",  # a group, not a subquery
])
def test_the_block_stays_outside_a_subquery_it_could_change(query):
    bound = bind_values(query, {"x": A})
    where = query.index("{") + 1
    assert bound == query[:where] + " " + BLOCK + " " + query[where:]


def test_bound_inside_or_outside_the_answer_is_the_same():
    store = ox.Store()
    b, g = ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/g")
    for s, o in ((A, "1"), (A, "2"), (b, "3")):
        store.add(ox.Quad(s, A, ox.Literal(o), g))
        store.add(ox.Quad(s, A, ox.Literal(o), ox.NamedNode("http://example.org/h")))  # a copy: DISTINCT matters
    graph = OxigraphQuads(store)
    inside = graph.query(WRAPPED, {"x": A})
    outside = graph.query(WRAPPED.replace("SELECT ?x ?y WHERE {", "SELECT ?x ?y WHERE { " + BLOCK, 1))
    assert inside.rows == outside.rows == [[A, ox.Literal("1")], [A, ox.Literal("2")]]


def test_one_tokenizer_and_one_binder_serve_the_stores_and_the_endpoint():
    """bind_values reads SPARQL with the one TOKENS; every store, the endpoint's worker and the
    text of a named query the endpoint hands out (/queries/NAME.rq) bind parameters with the same bind()."""
    import ast

    from kg.sparql.syntax import TOKENS, bind

    from ..conftest import ROOT

    compiled = [path for path in (ROOT / "kg").rglob("*.py")
                if "TOKENS = re.compile" in path.read_text(encoding="utf-8")]
    assert [p.relative_to(ROOT).as_posix() for p in compiled] == ["kg/sparql/syntax.py"]
    callers = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*.py")
                     if any(isinstance(n, ast.Call) and getattr(n.func, "id", None) == "bind"
                            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert callers == ["kg/server/app.py", "kg/server/worker.py", "kg/store/oxigraph.py"]
    iri = ox.NamedNode("urn:x")
    text, late = bind("SELECT ?s WHERE { ?s ?p ?o }", {"s": iri})
    assert late == {} and "VALUES (?s) { (<urn:x>) }" in text
    text, late = bind("CONSTRUCT WHERE { ?s ?p ?o }", {"s": iri})
    assert late == {"s": iri} and "VALUES" not in text  # no group of its own: left to the engine
    assert [t.lastgroup for t in TOKENS.finditer("{ ( [ ] ) }")] == ["open", "bracket", "bracket", "unbracket",
                                                                    "unbracket", "close"]


def test_an_escaped_hash_in_a_prefixed_name_is_part_of_the_name_when_binding():
    # `ex:a\#` is a prefixed name (PN_LOCAL_ESC), not a comment that would hide the rest of the line
    bound = bind_values("SELECT * WHERE { ?s ex:a\\# ?o }", {"s": ox.NamedNode("urn:x")})
    assert bound == "SELECT * WHERE { VALUES (?s) { (<urn:x>) }  ?s ex:a\\# ?o }"
