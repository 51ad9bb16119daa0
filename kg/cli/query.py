"""kg queries and kg query: the named queries, and running a query."""

from __future__ import annotations

from pathlib import Path

import click

from ..formats import GRAPH, RESULTS, names
from .base import built_graph, cli, graph_option, output_options, project_option, read_store_option


@cli.command()
@project_option
def queries(project):
    """List the named queries (queries/*.rq) with their summaries and parameters.

    A folder without queries/ lists the named queries that ship with Impasse (and says so).

    Example:

    \b
        kg queries
    """
    from ..project import Project
    from ..sparql.query import load_queries

    located = Project(Path(project)).locate_queries()
    if located.note:
        click.echo(f"Note: {located.note}.", err=True)
    for query in load_queries(located.path).values():
        click.echo(f"{query.name}: {query.summary}")
        for param in query.params:
            default = f" (default: {param.default})" if param.default is not None else ""
            click.echo(f"    --param {param.name}=<{param.type}>{default}  {param.description}")


@cli.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="Run this SPARQL text instead of a named query or file.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; an entity may be named by label, alias, key or IRI. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(names(RESULTS) + names(GRAPH)),
              default="table", show_default=True, help="Output format (graphs from CONSTRUCT: turtle …).")
@click.option("--iris", is_flag=True, help="Show IRIs instead of labels in table and markdown output.")
@output_options
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Stop the query after this long (exit 2); loading the graph is not counted.")
@project_option
@graph_option
@read_store_option
def query(query, expression, params, fmt, iris, output, force, timeout, project, graph_file, store):
    """Run a named query, a query file, or inline SPARQL over the built graph.

    QUERY is a name from `kg queries` or the path of a .rq file. Exit code 2 for a syntax
    error (with line and column), an unknown query, parameter or entity, or a query stopped
    at --timeout. The query runs in a child process, so that Ctrl-C or the time limit stop it
    at once.

    Example:

    \b
        kg query agenda-mismatches --param a="United States" --param b=Iran
        kg query actor-agenda --param actor=Tehran --format csv -o iran.csv
        kg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --timeout 30
        kg query agenda-mismatches --store oxigraph:./kgdb
    """
    from ..project import Project
    from ..sparql.killable import run_killable
    from .base import clean_exit_on_signals

    if (query is None) == (expression is None):
        raise click.UsageError("give a query name or file, or -e SPARQL (one of them)")
    given = {}
    for item in params:
        name, eq, value = item.partition("=")
        if not eq or not name:
            raise click.UsageError(f"--param takes NAME=VALUE, not {item!r}")
        given[name.strip()] = value
    if expression is not None and given:
        raise click.UsageError("--param needs a named query or a query file with a '#+ params:' header")
    located = Project(Path(project)).locate_queries()
    if located.note and expression is None and not (query.endswith(".rq") or Path(query).is_file()):
        click.echo(f"Note: {located.note}.", err=True)
    with clean_exit_on_signals():
        try:
            rendered = run_killable(_run, project, graph_file, store, located.path, query, expression, given, fmt,
                                    iris, timeout=timeout)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    if output:
        from ..formats import write_file

        write_file(output, rendered.encode("utf-8"), force=force)
    else:
        click.echo(rendered, nl=False)


def _run(started, project, graph_file, store, queries_dir, query, expression, given, fmt, iris) -> str:
    """Load the graph, bind, run and render one query (in the child process of run_killable)."""
    from ..sparql.query import bind_params, resolve_query, run_query
    from ..sparql.results import format_result, labels_for

    try:
        graph = built_graph(project, graph_file, store)
    except click.UsageError as exc:
        raise ValueError(exc.message) from exc
    if expression is not None:
        text, where, bindings = expression, "<inline>", {}
    else:
        text, where, named = resolve_query(query, queries_dir, with_params=bool(given))
        bindings = bind_params(graph, named, given) if named is not None else {}
    started()
    result = run_query(graph, text, bindings, where=where)
    labels = None if iris or fmt not in ("table", "markdown") else labels_for(graph, result)
    return format_result(result, fmt, labels)
