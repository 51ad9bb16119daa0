"""The ``kg`` command: a thin layer that parses arguments and calls the library.

Library modules are imported inside each command, so ``kg --help`` answers fast.
Exit codes: 0 success, 1 the graph does not conform (SHACL) or is inconsistent (OWL),
2 an input or runtime error.
"""

from __future__ import annotations

from decimal import Decimal

import click


class _Failure(click.ClickException):
    """A library error shown as one message, with the library's exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class _Group(click.Group):
    def invoke(self, ctx):
        from .errors import KgError  # light module

        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise _Failure(str(exc), exc.exit_code) from exc


def _progress(message: str) -> None:
    click.echo(message, err=True)


project_option = click.option(
    "-C", "--project", default=".", show_default=True,
    type=click.Path(file_okay=False, exists=True),
    help="The project folder, holding ontology/ and corpus/.",
)
store_option = click.option(
    "--store", default="memory", show_default=True, help="Where the graph lives: memory (Oxigraph in memory)."
)


@click.group(cls=_Group)
@click.version_option(package_name="impasse", prog_name="kg")
def cli():
    """Impasse: a knowledge graph of the US–Iran nuclear talks, every fact traceable to its quote."""


@cli.command()
@project_option
@store_option
@click.option("--exports", "exports_dir", type=click.Path(file_okay=False),
              help="Where to write the exports [default: PROJECT/exports].")
@click.option("--include-proposed", "include_proposed", type=click.FloatRange(0, 1), default=None,
              is_flag=False, flag_value=0.0,
              help="Also build proposed (extracted) facts with at least this confidence [flag alone: all].")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the graph against ontology/shapes.ttl before writing anything.")
def build(project, store, exports_dir, include_proposed, validate):
    """Build the graph from ontology/ and corpus/, check it, and write exports/.

    Nothing is written unless every document, fact and quote checks out and the graph
    conforms to the SHACL shapes.

    Example:

        kg build
        kg build -C path/to/project --exports /tmp/out
    """
    from pathlib import Path

    from .builder import Project, build as build_graph
    from .errors import NotConformingError
    from .exports import write_exports

    paths = Project(Path(project))
    _progress(f"Reading {paths.ontology}, {paths.reference}/ and {paths.corpus}/ …")
    threshold = None if include_proposed is None else Decimal(str(include_proposed))
    result = build_graph(project, store=store, include_proposed=threshold)
    if validate:
        from .validation import validate as shacl

        _progress(f"Validating against {paths.shapes} …")
        report = shacl(result.graph, paths.shapes)
        if not report.conforms:
            raise NotConformingError(f"the graph does not conform to {paths.shapes}; nothing written\n{report.text}")
    folder = Path(exports_dir) if exports_dir else paths.exports
    sizes = write_exports(result.graph, folder)
    _print_summary(result, folder, sizes, validated=validate)


def _print_summary(result, folder, sizes, validated: bool) -> None:
    facts = len(result.facts)
    click.echo(f"Built {len(result.graph):,} quads from {len(result.documents)} documents ({facts} facts).")
    if result.not_built:
        click.echo(f"Left out {len(result.not_built)} proposed facts (see --include-proposed).")
    click.echo("Facts per document:")
    for slug, kinds in result.facts_per_document().items():
        listing = ", ".join(f"{k} {n}" for k, n in kinds.items()) or "none"
        click.echo(f"  {slug}: {sum(kinds.values())} ({listing})")
    click.echo("Instances per class:")
    for name, count in result.class_counts().items():
        click.echo(f"  imp:{name} {count}")
    if validated:
        click.echo("SHACL: conforms.")
    click.echo(f"Wrote {folder}/: " + ", ".join(f"{n} ({s:,} B)" for n, s in sizes.items()))
