"""kg build and kg views: the whole pipeline, or the views alone."""

from __future__ import annotations

from pathlib import Path

import click

from .base import built_graph, cli, echo_progress, project_option, report_reasoning, store_option


@cli.command()
@project_option
@store_option
@click.option("--exports", "exports_dir", type=click.Path(file_okay=False),
              help="Where to write the exports [default: PROJECT/exports].")
@click.option("--include-proposed", "include_proposed", type=click.FloatRange(0, 1), default=None,
              is_flag=False, flag_value=0.0,
              help="Also build proposed (extracted) facts with at least this confidence [flag alone: all].")
@click.option("--reason/--no-reason", default=True, show_default=True,
              help="Check the ontology with HermiT (when it changed) and add the types the entailment rules infer.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the graph against ontology/shapes.ttl before writing anything.")
def build(project, store, exports_dir, include_proposed, reason, validate):
    """Build the graph from ontology/ and corpus/, derive, reason, check, and write exports/.

    Runs the rules of queries/rules/ to a fixed point, classifies with HermiT, validates
    with SHACL. Nothing is written unless every document, fact and quote checks out, the
    graph is consistent and it conforms to the shapes.

    Example:

    \b
        kg build
        kg build -C path/to/project --exports /tmp/out
        kg build --store oxigraph:./kgdb
    """
    from ..pipeline import run

    def progress(stage, detail):
        if stage == "reading":
            echo_progress(f"Reading {detail.ontology}, {detail.reference}/ and {detail.corpus}/ …")
        elif stage == "reasoning":
            echo_progress("Reasoning …")
        elif stage == "reasoned":
            report_reasoning(detail)
        elif stage == "note":
            click.echo(f"Note: {detail}.", err=True)
        elif stage == "validating":
            echo_progress(f"Validating against {detail} …")

    outcome = run(project, store=store, exports=exports_dir, include_proposed=include_proposed,
                  reason=reason, validate=validate, progress=progress)
    result, folder, sizes = outcome.build, outcome.exports, outcome.sizes
    _print_summary(result, folder, sizes, validated=validate)
    spec = result.graph.spec
    if spec.shown:
        click.echo(f"Stored {len(result.graph):,} quads {spec.shown}.")
    if spec.name == "sparql":
        _note_staging(spec.location)


def _note_staging(url: str) -> None:
    """Point at staging graphs that other, interrupted builds left on the endpoint."""
    from ..errors import KgError
    from ..store import open_graph

    try:
        runs = open_graph(f"sparql:{url}").store.staging_runs()
    except KgError as exc:  # the build itself succeeded: say so by the exit code, and warn
        click.echo(f"Note: could not look for staging graphs left by other builds: {exc}", err=True)
        return
    if runs:
        click.echo(f"Note: {url} holds the staging graphs of {len(runs)} interrupted builds; "
                   f"see `kg staging --store sparql:{url}`.", err=True)


def _print_summary(result, folder, sizes, validated: bool) -> None:
    facts = len(result.facts)
    click.echo(f"Built {len(result.graph):,} quads from {len(result.documents)} documents ({facts} facts).")
    if result.reused:
        click.echo(f"Reused the quads of {len(result.reused)} unchanged documents from .kg-cache/.")
    if result.not_built:
        click.echo(f"Left out {len(result.not_built)} proposed facts (see --include-proposed).")
    click.echo("Facts per document:")
    for slug, kinds in result.facts_per_document().items():
        listing = ", ".join(f"{k} {n}" for k, n in kinds.items()) or "none"
        click.echo(f"  {slug}: {sum(kinds.values())} ({listing})")
    click.echo("Instances per class:")
    for name, count in result.class_counts().items():
        click.echo(f"  imp:{name} {count}")
    if result.derived:
        click.echo("Derived (queries/rules/): " + ", ".join(f"{k} +{n}" for k, n in result.derived.items()))
    if validated:
        click.echo("SHACL: conforms.")
    click.echo(f"Wrote {folder}/: " + ", ".join(f"{n} ({s:,} B)" for n, s in sizes.items()))


@cli.command()
@project_option
@click.option("--output", "output_dir", type=click.Path(file_okay=False),
              help="Where to write the pages [default: PROJECT/exports/views].")
@click.option("--reason/--no-reason", default=True, show_default=True,
              help="Reason first, as kg build does (the index counts inferred types).")
@click.option("--store", default=None,
              help="Draw the graph stored in oxigraph:PATH or sparql:URL (built and reasoned by `kg build --store`) "
                   "instead of building it from ontology/ and corpus/.")
def views(project, output_dir, reason, store):
    """Write the interactive HTML views (offline, self-contained) and their index page.

    Builds the graph from ontology/ and corpus/, then writes mismatch-map.html,
    actor-network.html, leverage-map.html, timeline.html, explorer.html, ontology.html and
    index.html. Each page opens from disk with no network.

    Example:

    \b
        kg views
        kg views -C path/to/project --output /tmp/views
        kg views --store oxigraph:./kgdb --output /tmp/views
    """
    from ..build.builder import build as build_graph
    from ..project import Project
    from ..views import write_views

    from ..store import parse_spec

    paths = Project(Path(project))
    folder = Path(output_dir) if output_dir else paths.exports / "views"
    if store is not None and parse_spec(store).name != "memory":
        graph = built_graph(project, None, store)  # already reasoned when it was built
    else:
        echo_progress(f"Reading {paths.ontology}, {paths.reference}/ and {paths.corpus}/ …")
        graph = build_graph(project, cache=paths.cache).graph
        if reason:
            from ..derive.reasoning import classify

            echo_progress("Reasoning …")
            report_reasoning(classify(graph, cache=paths.cache))
    sizes = write_views(graph, folder, cache=paths.cache)
    click.echo(f"Wrote {folder}/: " + ", ".join(f"{n} ({s:,} B)" for n, s in sizes.items()))
