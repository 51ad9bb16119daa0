"""kg serve: the SPARQL endpoint, the views and the query page over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from .base import built_graph, cli, graph_option, project_option, read_store_option


@cli.command()
@project_option
@graph_option
@read_store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (loopback only by default; 0.0.0.0 exposes the server).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run; then it is stopped and answered 503.")
@click.option("--max-results", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Most rows (SELECT) or triples (CONSTRUCT) in an answer; more is an error (422).")
@click.option("--workers", default=3, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes (queries that can run at once); one is kept for short queries.")
@click.option("--query-memory", default=1024, show_default=True, type=click.IntRange(min=64), metavar="MIB",
              help="Memory a query may add to its worker, in MiB; a query that needs more is stopped (503).")
def serve(project, graph_file, store, host, port, timeout, max_results, workers, query_memory):
    """Serve the built graph over HTTP: a SPARQL 1.1 endpoint, the HTML views and a query page.

    The endpoint is at /sparql (GET, POST form, POST application/sparql-query; read-only);
    the query page at /, the named queries at /queries, the views under /views/.

    Example:

    \b
        kg serve
        kg serve --port 8080 --timeout 30 --max-results 50000
        kg serve --store oxigraph:./kgdb
        curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=ASK%20%7B%3Fs%20%3Fp%20%3Fo%7D'
    """
    from ..project import Project
    from ..sparql.query import load_queries
    from ..server.app import LOOPBACK_HOSTS, create_app, serve as run_server

    paths = Project(Path(project))
    graph = built_graph(project, graph_file, store)
    queries = paths.locate_queries()
    if queries.note:
        click.echo(f"Note: {queries.note}.", err=True)
    loopback = host in LOOPBACK_HOSTS  # then the Host header must name loopback (DNS rebinding guard)
    app = create_app(graph, views_dir=paths.exports / "views", queries=load_queries(queries.path),
                     timeout=timeout, max_results=max_results, workers=workers,
                     allowed_hosts=LOOPBACK_HOSTS if loopback else None, query_memory=query_memory * 1024 * 1024)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {len(graph):,} quads at http://{shown}:{port}/ (SPARQL endpoint: "
               f"http://{shown}:{port}/sparql). Ctrl+C stops.")
    run_server(app, host=host, port=port)
