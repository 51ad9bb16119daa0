"""kg add: articles into the corpus, their facts and mentions proposed for review."""

from __future__ import annotations

import click

from .base import Failure, clean_exit_on_signals, cli, project_option


@cli.command()
@project_option
@click.argument("articles", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--title", help="The article's title [default: from the HTML, else its first line]. One article only.")
@click.option("--publisher", help="Who published it [default: from the HTML, else 'unknown'].")
@click.option("--kind", "kind", type=click.Choice(["news", "analysis"]), default="news", show_default=True)
@click.option("--date", help="Publication date, YYYY, YYYY-MM or YYYY-MM-DD (anchors 'on Saturday').")
@click.option("--url", help="Where the article was published (http or https) [default: the HTML's og:url or "
                            "canonical link]. One article only.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes that read articles ahead (each loads the language model: about "
                   "400 MB). The files written are the same as with 1.")
@click.option("--again", is_flag=True,
              help="Run extraction again on documents already in corpus/ (names or files): their unreviewed "
                   "proposals and mentions are replaced, accepted and curated facts kept.")
def add(project, articles, title, publisher, kind, date, url, jobs, again):
    """Add articles (text or HTML) to corpus/ and propose their facts for review.

    Each article is stored as corpus/<slug>.txt with its header; the extraction pipeline
    writes corpus/<slug>.facts.yaml with every fact `status: proposed`, and
    corpus/<slug>.mentions.yaml with every named actor, place and issue and the entities the
    reference data lacks. Review them, then `kg build` (or `kg build --include-proposed`).

    Example:

    \b
        kg add article.txt --title "Talks resume in Muscat" --publisher Reuters --date 2025-04-12 \\
               --url https://example.org/news/talks-resume
        kg add -C path/to/project saved-pages/*.html --jobs 2
        kg add --again iran-and-us-hold-fresh-talks-in-oman
    """
    import sys

    from ..errors import InputError, KgError
    from ..corpus.ingest import add_articles, extract_again

    for name, given in (("--title", title), ("--url", url)):
        if given and len(articles) > 1:
            raise click.UsageError(f"{name} names one article; give one file with it")
    if again and (title or publisher or date or url):
        raise click.UsageError("--again keeps each document's header; --title, --publisher, --date and --url do not "
                               "apply")

    def again_each():
        for article in articles:
            try:
                yield article, extract_again(project, article)
            except KgError as exc:
                yield article, exc

    outcomes = again_each() if again else add_articles(project, articles, title=title, publisher=publisher,
                                                       kind=kind, date=date, url=url, jobs=jobs)
    results, failed = [], []
    with clean_exit_on_signals(), click.progressbar(outcomes, length=len(articles), label="Extracting" if again
                                                    else "Adding", file=sys.stderr, show_pos=True) as bar:
        for article, outcome in bar:
            if isinstance(outcome, KgError):
                failed.append((article, outcome))
            else:
                results.append(outcome)
    for result in results:
        listing = ", ".join(f"{k} {n}" for k, n in result.counts.items()) or "no facts"
        mentions = ", ".join(f"{k} {n}" for k, n in sorted(result.mentions.items())) or "none"
        click.echo(f"{'Extracted' if again else 'Added'} {result.document} ({listing}); mentions: {mentions}.")
        click.echo(f"  Proposed facts: {result.facts_file} (status: proposed, review them).")
        if result.entities:
            names = ", ".join(f"{e.label} ({e.cls})" for e in result.entities[:12])
            more = f" and {len(result.entities) - 12} more" if len(result.entities) > 12 else ""
            click.echo(f"  New entities: {names}{more}; proposed in {result.mentions_file}.")
    if failed:
        for _, exc in failed:
            click.echo(f"Error: {exc}", err=True)
        worst = max(exc.exit_code for _, exc in failed)
        raise Failure(f"{len(failed)} of {len(articles)} article(s) not {'extracted' if again else 'added'}: "
                       + ", ".join(str(a) for a, _ in failed), worst if worst else InputError.exit_code)
