"""kg queries and kg query: the named queries, and running a query."""

from __future__ import annotations

from pathlib import Path

import click

from ..formats import DATASET, GRAPH, RESULTS, names
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


def _project_of(ctx: click.Context) -> str:
    """The project folder given so far on the command line (for completion: nothing is run yet)."""
    while ctx is not None:
        if ctx.params.get("project"):
            return ctx.params["project"]
        ctx = ctx.parent
    return "."


def _complete_query(ctx: click.Context, _param, incomplete: str):
    """Shell completion of QUERY: the project's named queries, with their summaries; a path
    (with a / or ending in .rq) is left to the shell's own file completion."""
    from click.shell_completion import CompletionItem

    if "/" in incomplete or incomplete.endswith(".rq"):
        return [CompletionItem(incomplete, type="file")]
    from ..build.builder import Project
    from ..sparql.query import QueryError, parse_header

    items = []
    for path in sorted(Project(Path(_project_of(ctx))).queries.glob(f"{incomplete}*.rq")):
        try:
            summary = parse_header(path.read_text(encoding="utf-8"), str(path))["summary"]
        except (QueryError, OSError, UnicodeDecodeError):
            summary = None
        items.append(CompletionItem(path.stem, help=summary))
    return items


def _complete_param(ctx: click.Context, _param, incomplete: str):
    """Shell completion of --param: NAME= for each parameter of the query given before it, then its default."""
    from click.shell_completion import CompletionItem

    from ..build.builder import Project
    from ..sparql.query import QueryError, header_params, parse_header

    # While completing an option's value, click leaves QUERY unparsed, among ctx.args (click 8.5).
    query = ctx.params.get("query") or next((a for a in ctx.args if not a.startswith("-")), None)
    if not query:
        return []
    path = Path(query) if query.endswith(".rq") else Project(Path(_project_of(ctx))).queries / f"{query}.rq"
    try:
        params = header_params(parse_header(path.read_text(encoding="utf-8"), str(path)), str(path))
    except (QueryError, OSError, UnicodeDecodeError):
        return []
    name, eq, value = incomplete.partition("=")
    if not eq:
        return [CompletionItem(f"{p.name}=", help=f"<{p.type}> {p.description}".strip())
                for p in params if p.name.startswith(name)]
    return [CompletionItem(f"{p.name}={p.default}", help=p.description) for p in params
            if p.name == name and p.default is not None and p.default.startswith(value)]


@cli.command()
@click.argument("query", required=False, shell_complete=_complete_query)
@click.option("-e", "--expression", help="Run this SPARQL text instead of a named query or file.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", shell_complete=_complete_param,
              help="A query parameter; an entity may be named by label, alias, key or IRI. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(names(RESULTS) + names(GRAPH, DATASET)),
              default="table", show_default=True, help="Output format (graphs from CONSTRUCT: turtle …).")
@click.option("--iris", is_flag=True, help="Show IRIs instead of labels in table and markdown output.")
@click.option("--width", type=click.IntRange(min=0), metavar="COLUMNS",
              help="Fit the table to this many columns, cutting the widest cells (0: no limit, nothing cut) "
                   "[default: the terminal's width ($COLUMNS); written to a pipe or a file, cells are cut at "
                   "80 characters].")
@output_options
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Stop the query after this long (exit 2); loading the graph is not counted.")
@project_option
@graph_option
@read_store_option
def query(query, expression, params, fmt, iris, width, output, force, timeout, project, graph_file, store):
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
    if width is None and not output:
        width = _terminal_width()
    located = Project(Path(project)).locate_queries()
    if located.note and expression is None and not (query.endswith(".rq") or Path(query).is_file()):
        click.echo(f"Note: {located.note}.", err=True)
    with clean_exit_on_signals():
        try:
            rendered, notes = run_killable(_run, project, graph_file, store, located.path, query, expression, given,
                                           fmt, iris, width, timeout=timeout)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    for note in notes:
        click.echo(f"Note: {note}.", err=True)
    if output:
        from ..formats import write_file

        write_file(output, rendered.encode("utf-8"), force=force)
    else:
        click.echo(rendered, nl=False)


def _terminal_width() -> int | None:
    """The width of the terminal the table is shown on: $COLUMNS, else the terminal's own; None
    when standard output is not a terminal (a pipe, a file)."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _run(started, project, graph_file, store, queries_dir, query, expression, given, fmt, iris,
         width) -> tuple[str, list[str]]:
    """Load the graph, bind, run and render one query (in the child process of run_killable); the
    rendered result and the notes on defaults left unbound, for the parent to show."""
    from ..sparql.query import bind_params, resolve_query, run_query
    from ..sparql.results import format_result, labels_for

    try:
        graph = built_graph(project, graph_file, store)
    except click.UsageError as exc:
        raise ValueError(exc.message) from exc
    notes: list[str] = []
    if expression is not None:
        text, where, bindings = expression, "<inline>", {}
    else:
        text, where, named = resolve_query(query, queries_dir, with_params=bool(given))
        bindings = bind_params(graph, named, given, notes) if named is not None else {}
    started()
    result = run_query(graph, text, bindings, where=where)
    labels = None if iris or fmt not in ("table", "markdown") else labels_for(graph, result)
    return format_result(result, fmt, labels, width if fmt == "table" else None), notes
