"""What every command shares: the group, the error mapping, the options several commands take, reading a built graph.

Each option that several commands take is defined once here; a library module never names a
flag (it raises :class:`kg.errors.KgError` with a message about files and values, and the
group turns it into one message and the error's exit code).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click


class Failure(click.ClickException):
    """A library error shown as one message, with the library's exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class _Group(click.Group):
    def invoke(self, ctx):
        from ..errors import KgError  # light module

        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise Failure(str(exc), exc.exit_code) from exc


class _Signalled(BaseException):
    """A termination signal, raised where the process is so that ``finally`` blocks run."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def clean_exit_on_signals():
    """While the block runs, SIGTERM, SIGINT and SIGHUP unwind it (its ``finally`` blocks clean
    up what they staged) and end the command with exit code 128 + the signal's number.

    By default SIGTERM and SIGHUP end the process at once, leaving temporary files behind.
    """
    import signal

    def unwind(signum, _frame):
        raise _Signalled(signum)

    caught = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {signum: signal.signal(signum, unwind) for signum in caught}
    try:
        yield
    except _Signalled as exc:
        click.echo(f"Stopped by {signal.Signals(exc.signum).name}; what was in progress was undone.", err=True)
        raise SystemExit(128 + exc.signum) from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def echo_progress(message: str) -> None:
    click.echo(message, err=True)


def _project_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The project folder of a command: its own -C, else the -C given before the command, else '.'."""
    before = ctx.find_root().params.get("project")
    if value is not None and before is not None and Path(value) != Path(before):
        raise click.BadParameter(f"given twice, {before!r} before the command and {value!r} after it; give it once",
                                 ctx=ctx, param=param)
    chosen = value if value is not None else before if before is not None else "."
    return click.Path(file_okay=False, exists=True).convert(chosen, param, ctx)


project_option = click.option(
    "-C", "--project", default=None, callback=_project_folder, metavar="DIRECTORY",
    help="The project folder, holding ontology/ and corpus/ (also accepted before the command: kg -C DIR …) "
         "[default: .].",
)
store_option = click.option(
    "--store", default="memory", show_default=True,
    help="Where the graph lives: memory (Oxigraph in memory), oxigraph:PATH (Oxigraph on disk, "
         "replaced only once the build succeeds), rdflib (rdflib's own store: the slow baseline) or "
         "sparql:URL (a SPARQL 1.1 endpoint; its named graphs replaced once the build succeeds).",
)
read_store_option = click.option(
    "--store", default="memory", show_default=True,
    help="Where the built graph is: memory (load --graph FILE into Oxigraph in memory), rdflib (load it "
         "into rdflib's own store and engine) or oxigraph:PATH (read the on-disk store "
         "`kg build --store oxigraph:PATH` wrote; no file is loaded) or sparql:URL (query a SPARQL 1.1 "
         "endpoint holding the graph).",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--project", type=click.Path(file_okay=False), default=None,
              help="The project folder for the command that follows (as `git -C`) [default: .].")
@click.version_option(package_name="impasse-kg", prog_name="kg")
def cli(project):
    """Impasse: a knowledge graph of a negotiation, every fact traceable to its quote.

    Start a project with `kg init DIR`, add articles with `kg add`, build with `kg build`.
    """


def reason_and_report(graph, prefer: str | None = None, written: bool = True):
    from ..derive.reasoning import HERMIT, reason

    echo_progress("Reasoning …")
    report = reason(graph, prefer=prefer or HERMIT)
    report_reasoning(report, written)
    return report


def report_reasoning(report, written: bool = True) -> None:
    if report.note:
        click.echo(f"Note: {report.note}.", err=True)
    verdict = ("consistent (unchanged, verdict cached); " if report.cached else "consistent; ") if report.consistency else ""
    outcome = "added" if written else "not yet in the graph (reported, not written)"
    click.echo(f"{report.reasoner}: {verdict}{len(report.inferred)} inferred types {outcome}.")


def output_options(command):
    """``-o/--output FILE`` and ``--force``, for the commands that write one file."""
    command = click.option("--force", is_flag=True,
                           help="Let -o replace what is not a regular file (a symbolic link, a device, a FIFO).")(command)
    return click.option("-o", "--output", type=click.Path(dir_okay=False),
                        help="Write to this file (atomically: a temporary file, then a rename) instead of stdout; "
                             "a symbolic link, device or FIFO there is refused without --force.")(command)


graph_option = click.option(
    "--graph", "graph_file", type=click.Path(dir_okay=False),
    help="The built graph to read [default: PROJECT/exports/impasse.ttl, written by kg build].",
)


def built_graph(project: str, graph_file: str | None, store: str = "memory", default: str = "impasse.ttl"):
    """The built graph a reading command works on: the graph in ``store`` (oxigraph:PATH,
    sparql:URL), else ``graph_file`` (default: PROJECT/exports/``default``) loaded into ``store``."""
    from ..project import Project
    from ..store import load_graph, open_graph, parse_spec

    spec = parse_spec(store)
    if spec.keeps_built_graph:
        if graph_file:
            raise click.UsageError(f"give --graph FILE or --store {store}, not both")
        return open_graph(spec)
    return load_graph(Path(graph_file) if graph_file else Project(Path(project)).built(default), spec)
