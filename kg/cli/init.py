"""kg init: a new project for any negotiation."""

from __future__ import annotations

import click

from .base import cli, clean_exit_on_signals


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--title", help="The negotiation the project is about, for its README [default: the folder's name].")
@click.pass_context
def init(ctx, folder, title):
    """Start a project in a new or empty folder: ontology, shapes, rules, queries, empty reference data.

    Makes FOLDER (or the folder of `kg -C FOLDER init`) with ontology/impasse.ttl and
    ontology/shapes.ttl, queries/ (the named queries and the derivation rules), empty
    reference data in ontology/reference/ with commented templates to fill in, an empty
    corpus/ and exports/, and a README.md. The files come with the installed package. A folder
    that is not empty is refused (exit 2); nothing is written unless all of it is.

    Example:

    \b
        kg init selva-talks --title "The Selva river talks"
        kg add -C selva-talks article.txt --publisher "Example Wire" --date 2026-03-10
        kg build -C selva-talks --include-proposed
    """
    import shlex

    from ..project import init_project

    before = ctx.find_root().params.get("project")
    if folder is not None and before is not None:
        raise click.UsageError("give the folder once: kg init FOLDER, or kg -C FOLDER init")
    if folder is None and before is None:
        raise click.UsageError("give the folder to make the project in: kg init FOLDER")
    with clean_exit_on_signals():
        made = init_project(folder or before, title=title)
    shown = shlex.quote(str(made.root))
    click.echo(f"Made an Impasse project in {made.root} ({len(made.files)} files). Next: fill in "
               f"{made.root}/ontology/reference/ (see {made.root}/README.md), then `kg add -C {shown} ARTICLE`.")
