"""kg staging: the staging graphs interrupted endpoint builds left behind."""

from __future__ import annotations

import click

from .base import cli


@cli.command()
@click.option("--store", required=True, metavar="sparql:URL",
              help="The endpoint builds write to (write URLs and credentials from KG_SPARQL_*, as for kg build).")
@click.option("--drop", is_flag=True, help="Drop the staging graphs of the runs older than --older-than.")
@click.option("--older-than", "older_than", type=click.FloatRange(min=0), default=60.0, show_default=True,
              metavar="MINUTES",
              help="With --drop: leave younger runs alone, since a build still running stages its graphs too.")
def staging(store, drop, older_than):
    """List the staging graphs that interrupted builds left on a SPARQL endpoint, or drop them.

    `kg build --store sparql:URL` writes every graph under id:staging/RUN/ before it swaps
    them in, and drops them itself when it fails. A build that is killed cannot: its graphs
    stay, read by no query of Impasse but taking the endpoint's space. RUN starts with the
    time the build started (UTC). Runs under names this version does not write count as old.

    Example:

    \b
        kg staging --store sparql:http://127.0.0.1:8890/sparql
        kg staging --store sparql:http://127.0.0.1:8890/sparql --drop --older-than 0
    """
    from datetime import UTC, datetime, timedelta

    from ..store import open_graph, parse_spec

    if store.partition(":")[0] != "sparql":
        raise click.BadParameter(f"staging graphs are kept only on a SPARQL endpoint (sparql:URL), not {store!r}",
                                 param_hint="--store")
    endpoint = open_graph(parse_spec(store)).store  # checks the URL as every --store sparql:URL does
    runs = endpoint.staging_runs()
    if not runs:
        click.echo(f"No staging graphs on {endpoint.url}.")
        return
    now, limit = datetime.now(UTC), timedelta(minutes=older_than)
    dropped = kept = 0
    click.echo(f"Staging runs on {endpoint.url}:")
    for run in runs:
        age = None if run.started is None else now - run.started
        when = ("started at an unknown time" if age is None
                else f"started {run.started:%Y-%m-%d %H:%M:%S} UTC, {_ago(age)}")
        action = ""
        if drop and run.is_stale(limit, now):
            endpoint.drop_staging(run.graphs)
            action, dropped = " - dropped", dropped + 1
        elif drop:
            action, kept = " - kept (younger than --older-than)", kept + 1
        click.echo(f"  {run.name}: {when}; {len(run.graphs)} graphs, {run.triples:,} triples{action}")
    if drop:
        click.echo(f"Dropped {dropped} runs, kept {kept}.")
    else:
        click.echo(f"Drop them with: kg staging --store {store} --drop [--older-than MINUTES]")


def _ago(age) -> str:
    """A timedelta as 'N s/min/h/d ago', to the largest whole unit."""
    seconds = max(0, int(age.total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"
