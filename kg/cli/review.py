"""kg review: the review page for what extraction proposed, on 127.0.0.1 behind a token."""

from __future__ import annotations

import click

from .base import cli, project_option


@cli.command()
@project_option
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="The port on 127.0.0.1 to listen on (0: any free port).")
def review(project, port):
    """Review proposed facts and entities in the browser: accept, edit or reject, with the quote lit up.

    Serves a page on 127.0.0.1 only; the URL it prints carries a random token (open it in a
    browser on this machine). Every decision is written at once to corpus/<slug>.facts.yaml
    (or ontology/reference/ for entities); "Rebuild" runs kg build and links the views.
    Keys: a accept, x reject, e edit, m merge, j/k next/previous, n next open, u undo, b rebuild, ? help.

    Example:

    \b
        kg review
        kg review -C path/to/project --port 0
    """
    from ..review import Review
    from ..review.app import create_app, serve

    app = create_app(Review(project))

    def ready(bound: int) -> None:
        click.echo(f"Reviewing {project}: open http://127.0.0.1:{bound}/?token={app.state.token} (Ctrl+C stops).")

    serve(app, port, ready=ready)
