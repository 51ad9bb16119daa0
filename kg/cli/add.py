"""kg add: articles into the corpus, their facts proposed for review."""

from __future__ import annotations

from pathlib import Path

import click

from ..formats import names
from .base import Failure, cli, project_option


@cli.command()
@project_option
@click.argument("articles", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--title", help="The article's title [default: from the HTML, else its first line]. One article only.")
@click.option("--publisher", help="Who published it [default: from the HTML, else 'unknown'].")
@click.option("--kind", "kind", type=click.Choice(["news", "analysis"]), default="news", show_default=True)
@click.option("--date", help="Publication date, YYYY, YYYY-MM or YYYY-MM-DD (anchors 'on Saturday').")
def add(project, articles, title, publisher, kind, date):
    """Add articles (text or HTML) to corpus/ and propose their facts for review.

    Each article is stored as corpus/<slug>.txt with its header; the extraction pipeline
    writes corpus/<slug>.facts.yaml with every fact `status: proposed`. Review them, then
    `kg build` (or `kg build --include-proposed 0.6`).

    Example:

    \b
        kg add article.txt --title "Talks resume in Muscat" --publisher Reuters --date 2025-04-12
        kg add -C path/to/project saved-pages/*.html
    """
    from pathlib import Path

    from ..errors import InputError, KgError
    from ..corpus.ingest import add_article, corpus_hashes

    if title and len(articles) > 1:
        raise click.UsageError("--title names one article; give one file with it")
    known = corpus_hashes(Path(project) / "corpus")
    failed = []
    import sys

    with click.progressbar(articles, label="Adding", file=sys.stderr, show_pos=True) as bar:
        results = []
        for article in bar:
            try:
                results.append(add_article(project, article, title=title, publisher=publisher,
                                           kind=kind, date=date, known_hashes=known))
            except KgError as exc:
                failed.append((article, exc))
    for result in results:
        listing = ", ".join(f"{k} {n}" for k, n in result.counts.items()) or "no facts"
        mentions = ", ".join(f"{k} {n}" for k, n in sorted(result.mentions.items())) or "none"
        click.echo(f"Added {result.document} ({listing}); mentions: {mentions}.")
        click.echo(f"  Proposed facts: {result.facts_file} (status: proposed, review them).")
        if result.unknown:
            names = ", ".join(f"{u.role} {u.name}" + (f" ({u.affiliation})" if u.affiliation else "")
                              for u in result.unknown)
            click.echo(f"  Names not known: {names}; proposed in {result.proposed_reference}.")
    if failed:
        for _, exc in failed:
            click.echo(f"Error: {exc}", err=True)
        worst = max(exc.exit_code for _, exc in failed)
        raise Failure(f"{len(failed)} of {len(articles)} article(s) not added: "
                       + ", ".join(str(a) for a, _ in failed), worst if worst else InputError.exit_code)
