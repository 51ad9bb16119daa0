"""Commands over a built graph: kg reason, kg export, kg validate."""

from __future__ import annotations

from pathlib import Path

import click

from ..formats import DATASET, GRAPH, names
from .base import built_graph, cli, graph_option, output_options, project_option, read_store_option, reason_and_report


@cli.command(name="reason")
@project_option
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False),
              help="Reason over this graph file (TriG, N-Quads, Turtle …) instead of building the graph.")
@click.option("--store", default="memory", show_default=True,
              help="memory or rdflib: build the graph from ontology/ and corpus/ in that store (or load "
                   "--graph FILE into it); oxigraph:PATH or sparql:URL: reason over the graph `kg build "
                   "--store` wrote there, read-only (reported, nothing written back).")
@click.option("--reasoner", type=click.Choice(["hermit", "owlrl"]), default="hermit", show_default=True,
              help="HermiT (OWL 2 DL, needs Java) or the OWL 2 RL rules (owlrl).")
def reason_command(project, graph_file, store, reasoner):
    """Check consistency and classify: run the reasoner over the graph, list what it infers.

    By default the graph is built from ontology/ and corpus/ in memory (nothing is written).
    With --graph FILE or --store oxigraph:PATH|sparql:URL it reasons over that built graph
    instead and writes nothing anywhere: it reports the consistency verdict and the inferred
    types the graph does not hold yet. A graph that `kg build` reasoned holds its inferred
    types already (in its derived graph), so for it none is listed.

    Exit code 1 when HermiT finds the graph inconsistent. Without a Java runtime, HermiT
    is replaced by the OWL-RL rules (which classify but do not decide consistency).

    Example:

    \b
        kg reason
        kg reason --reasoner owlrl
        kg reason --store oxigraph:./kgdb
        kg reason --graph exports/impasse.trig
    """
    from ..derive.reasoning import HERMIT, OWL_RL
    from ..sparql.results import compact

    from ..store import parse_spec

    prefer = HERMIT if reasoner == "hermit" else OWL_RL
    if graph_file is None and not parse_spec(store).keeps_built_graph:
        from ..build.builder import build as build_graph

        report = reason_and_report(build_graph(project, store=store).graph, prefer=prefer)
    else:
        graph = built_graph(project, graph_file, store)
        if graph_file is None:  # a store (read-only, or an endpoint): reason in a copy
            from ..store import memory_copy

            graph = memory_copy(graph)
        report = reason_and_report(graph, prefer=prefer, written=False)
    for individual, cls in report.inferred:
        click.echo(f"  {compact(individual)} a {compact(cls)}")


#: The RDF formats of kg.formats.FORMATS (which imports no RDF library: `kg --help` stays fast).
EXPORT_FORMATS = names(DATASET, GRAPH)


@cli.command(name="export")
@project_option
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False),
              help="The built graph to read [default: PROJECT/exports/impasse.trig, named graphs kept].")
@read_store_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="The RDF format [default: from -o's suffix (.trig .nq .ttl .nt .jsonld .rdf .owl), "
                   "else trig].")
@output_options
def export_command(project, graph_file, store, fmt, output, force):
    """Export the built graph as RDF: TriG, N-Quads, Turtle, N-Triples, JSON-LD or RDF/XML.

    Reads the graph from --store oxigraph:PATH or sparql:URL, else from --graph FILE
    (default: PROJECT/exports/impasse.trig). Writes TriG to stdout unless told otherwise.
    TriG and N-Quads keep the named graphs; the other formats merge them into one graph.
    Output is sorted, the same bytes every time for the same graph. A failed export leaves
    an existing -o file as it was (exit 2, with a message naming what failed).

    Example:

    \b
        kg export --store oxigraph:./kgdb --format turtle -o out.ttl
        kg export --graph exports/impasse.trig --format nquads > impasse.nq
        kg export --store sparql:http://127.0.0.1:8890/sparql -o impasse.trig
    """
    from ..formats import export, format_for, write_file

    chosen = format_for(fmt, output) if fmt or output else format_for("trig")  # before anything is loaded
    data = export(built_graph(project, graph_file, store, default="impasse.trig"), format=chosen.name)
    if output:
        write_file(output, data, force=force)
        click.echo(f"Wrote {output} ({chosen.name}, {len(data):,} B).")
    else:
        click.echo(data, nl=False)


@cli.command()
@project_option
@graph_option
@read_store_option
@click.option("--shapes", type=click.Path(dir_okay=False),
              help="SHACL shapes [default: PROJECT/ontology/shapes.ttl, else the shapes that ship with Impasse].")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="The shapes compiled to SPARQL and run on the store, or pySHACL (the reference; slow).")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text", show_default=True,
              help="pySHACL's human-readable report, or the validation report graph in Turtle.")
def validate(project, graph_file, store, shapes, engine, fmt):
    """Validate the built graph against the SHACL shapes (exit 0 conforms, 1 does not, 2 error).

    Example:

    \b
        kg validate
        kg validate --format turtle > report.ttl
        kg validate --graph other-graph.trig
        kg validate --store oxigraph:./kgdb
        kg validate --engine pyshacl
    """
    from ..derive.validation import validate as shacl
    from ..project import Project

    graph = built_graph(project, graph_file, store)
    located = Project(Path(project)).locate_shapes()
    if not shapes and located.note:
        click.echo(f"Note: {located.note}.", err=True)
    report = shacl(graph, Path(shapes) if shapes else located.path, engine=engine)
    if fmt == "turtle":
        click.echo(report.graph.serialize(format="turtle"), nl=False)
    else:
        click.echo(report.text, nl=False)
    if not report.conforms:
        raise SystemExit(1)
