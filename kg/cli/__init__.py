"""The ``kg`` command: a thin layer that parses arguments and calls the library.

Library modules are imported inside each command, so ``kg --help`` answers fast.
Exit codes: 0 success, 1 the graph does not conform (SHACL) or is inconsistent (OWL),
2 an input or runtime error.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from ..formats import DATASET, GRAPH, RESULTS, names


class _Failure(click.ClickException):
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
            raise _Failure(str(exc), exc.exit_code) from exc


def _progress(message: str) -> None:
    click.echo(message, err=True)


project_option = click.option(
    "-C", "--project", default=".", show_default=True,
    type=click.Path(file_okay=False, exists=True),
    help="The project folder, holding ontology/ and corpus/.",
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
@click.option("--reason/--no-reason", default=True, show_default=True,
              help="Classify with HermiT (OWL-RL rules without Java) and add the inferred types.")
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
            _progress(f"Reading {detail.ontology}, {detail.reference}/ and {detail.corpus}/ …")
        elif stage == "reasoning":
            _progress("Reasoning …")
        elif stage == "reasoned":
            _say_reasoned(detail)
        elif stage == "validating":
            _progress(f"Validating against {detail} …")

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


def _reason(graph, prefer: str | None = None, written: bool = True):
    from ..derive.reasoning import HERMIT, reason

    _progress("Reasoning …")
    report = reason(graph, prefer=prefer or HERMIT)
    _say_reasoned(report, written)
    return report


def _say_reasoned(report, written: bool = True) -> None:
    if report.note:
        click.echo(f"Note: {report.note}.", err=True)
    verdict = "consistent; " if report.consistency else ""
    outcome = "added" if written else "not yet in the graph (reported, not written)"
    click.echo(f"{report.reasoner}: {verdict}{len(report.inferred)} inferred types {outcome}.")


graph_option = click.option(
    "--graph", "graph_file", type=click.Path(dir_okay=False),
    help="The built graph to read [default: PROJECT/exports/impasse.ttl, written by kg build].",
)


def _built_graph(project: str, graph_file: str | None, store: str = "memory", default: str = "impasse.ttl"):
    """The built graph a reading command works on: the graph in ``store`` (oxigraph:PATH,
    sparql:URL), else ``graph_file`` (default: PROJECT/exports/``default``) loaded into ``store``."""
    from ..build.builder import Project
    from ..store import load_graph, open_graph, parse_spec

    spec = parse_spec(store)
    if spec.keeps_built_graph:
        if graph_file:
            raise click.UsageError(f"give --graph FILE or --store {store}, not both")
        return open_graph(spec)
    return load_graph(Path(graph_file) if graph_file else Project(Path(project)).exports / default, spec)


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

        report = _reason(build_graph(project, store=store).graph, prefer=prefer)
    else:
        graph = _built_graph(project, graph_file, store)
        if graph_file is None:  # a store (read-only, or an endpoint): reason in a copy
            from ..store import memory_copy

            graph = memory_copy(graph)
        report = _reason(graph, prefer=prefer, written=False)
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
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (atomically: a temporary file, then a rename) instead of stdout.")
def export_command(project, graph_file, store, fmt, output):
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
    data = export(_built_graph(project, graph_file, store, default="impasse.trig"), format=chosen.name)
    if output:
        write_file(output, data)
        click.echo(f"Wrote {output} ({chosen.name}, {len(data):,} B).")
    else:
        click.echo(data, nl=False)


@cli.command()
@project_option
@graph_option
@read_store_option
@click.option("--shapes", type=click.Path(dir_okay=False), help="SHACL shapes [default: PROJECT/ontology/shapes.ttl].")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text", show_default=True,
              help="pySHACL's human-readable report, or the validation report graph in Turtle.")
def validate(project, graph_file, store, shapes, fmt):
    """Validate the built graph against the SHACL shapes (exit 0 conforms, 1 does not, 2 error).

    Example:

    \b
        kg validate
        kg validate --format turtle > report.ttl
        kg validate --graph other-graph.trig
        kg validate --store oxigraph:./kgdb
    """
    from ..build.builder import Project
    from ..derive.validation import validate as shacl

    report = shacl(_built_graph(project, graph_file, store), Path(shapes) if shapes else Project(Path(project)).shapes)
    if fmt == "turtle":
        click.echo(report.graph.serialize(format="turtle"), nl=False)
    else:
        click.echo(report.text, nl=False)
    if not report.conforms:
        raise SystemExit(1)


@cli.command()
@project_option
def queries(project):
    """List the named queries (queries/*.rq) with their summaries and parameters.

    Example:

    \b
        kg queries
    """
    from ..build.builder import Project
    from ..sparql.query import load_queries

    for query in load_queries(Project(Path(project)).queries).values():
        click.echo(f"{query.name}: {query.summary}")
        for param in query.params:
            default = f" (default: {param.default})" if param.default is not None else ""
            click.echo(f"    --param {param.name}=<{param.type}>{default}  {param.description}")


@cli.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="Run this SPARQL text instead of a named query or file.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; an entity may be named by label, alias, key or IRI. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(names(RESULTS) + names(GRAPH)),
              default="table", show_default=True, help="Output format (graphs from CONSTRUCT: turtle …).")
@click.option("--iris", is_flag=True, help="Show IRIs instead of labels in table and markdown output.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@project_option
@graph_option
@read_store_option
def query(query, expression, params, fmt, iris, output, project, graph_file, store):
    """Run a named query, a query file, or inline SPARQL over the built graph.

    QUERY is a name from `kg queries` or the path of a .rq file. Exit code 2 for a syntax
    error (with line and column) or an unknown query, parameter or entity.

    Example:

    \b
        kg query agenda-mismatches --param a="United States" --param b=Iran
        kg query actor-agenda --param actor=Tehran --format csv -o iran.csv
        kg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
        kg query agenda-mismatches --store oxigraph:./kgdb
    """
    from ..build.builder import Project
    from ..sparql.query import bind_params, resolve_query, run_query
    from ..sparql.results import format_result, labels_for

    if (query is None) == (expression is None):
        raise click.UsageError("give a query name or file, or -e SPARQL (one of them)")
    given = {}
    for item in params:
        name, eq, value = item.partition("=")
        if not eq or not name:
            raise click.UsageError(f"--param takes NAME=VALUE, not {item!r}")
        given[name.strip()] = value
    graph = _built_graph(project, graph_file, store)
    if expression is not None:
        if given:
            raise click.UsageError("--param needs a named query or a query file with a '#+ params:' header")
        text, where, bindings = expression, "<inline>", {}
    else:
        text, where, named = resolve_query(query, Project(Path(project)).queries, with_params=bool(given))
        bindings = bind_params(graph, named, given) if named is not None else {}
    result = run_query(graph, text, bindings, where=where)
    labels = None if iris or fmt not in ("table", "markdown") else labels_for(graph, result)
    try:
        rendered = format_result(result, fmt, labels)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if output:
        from ..formats import write_file

        write_file(output, rendered.encode("utf-8"))
    else:
        click.echo(rendered, nl=False)


@cli.command()
@project_option
@click.argument("articles", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--title", help="The article's title [default: from the HTML, else its first line]. One article only.")
@click.option("--publisher", help="Who published it [default: from the HTML, else 'unknown'].")
@click.option("--kind", "kind", type=click.Choice(["news", "analysis"]), default="news", show_default=True)
@click.option("--date", help="Publication date, YYYY, YYYY-MM or YYYY-MM-DD (anchors 'on Saturday').")
@click.option("--again", is_flag=True,
              help="Run extraction again on documents already in corpus/ (names or files): their unreviewed "
                   "proposals and mentions are replaced, accepted and curated facts kept.")
def add(project, articles, title, publisher, kind, date, again):
    """Add articles (text or HTML) to corpus/ and propose their facts for review.

    Each article is stored as corpus/<slug>.txt with its header; the extraction pipeline
    writes corpus/<slug>.facts.yaml with every fact `status: proposed`, and
    corpus/<slug>.mentions.yaml with every named actor, place and issue and the entities the
    reference data lacks. Review them, then `kg build` (or `kg build --include-proposed`).

    Example:

    \b
        kg add article.txt --title "Talks resume in Muscat" --publisher Reuters --date 2025-04-12
        kg add -C path/to/project saved-pages/*.html
        kg add --again iran-and-us-hold-fresh-talks-in-oman
    """
    import sys
    from pathlib import Path

    from ..errors import InputError, KgError
    from ..corpus.ingest import add_article, corpus_hashes, extract_again

    if title and len(articles) > 1:
        raise click.UsageError("--title names one article; give one file with it")
    if again and (title or publisher or date):
        raise click.UsageError("--again keeps each document's header; --title, --publisher and --date do not apply")
    known = None if again else corpus_hashes(Path(project) / "corpus")
    failed = []
    with click.progressbar(articles, label="Extracting" if again else "Adding", file=sys.stderr,
                           show_pos=True) as bar:
        results = []
        for article in bar:
            try:
                if again:
                    results.append(extract_again(project, article))
                else:
                    results.append(add_article(project, article, title=title, publisher=publisher,
                                               kind=kind, date=date, known_hashes=known))
            except KgError as exc:
                failed.append((article, exc))
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
        raise _Failure(f"{len(failed)} of {len(articles)} article(s) not {'extracted' if again else 'added'}: "
                       + ", ".join(str(a) for a, _ in failed), worst if worst else InputError.exit_code)


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
    from ..build.builder import Project, build as build_graph
    from ..views import write_views

    from ..store import parse_spec

    paths = Project(Path(project))
    folder = Path(output_dir) if output_dir else paths.exports / "views"
    if store is not None and parse_spec(store).name != "memory":
        graph = _built_graph(project, None, store)  # already reasoned when it was built
    else:
        _progress(f"Reading {paths.ontology}, {paths.reference}/ and {paths.corpus}/ …")
        graph = build_graph(project).graph
        if reason:
            _reason(graph)
    sizes = write_views(graph, folder)
    click.echo(f"Wrote {folder}/: " + ", ".join(f"{n} ({s:,} B)" for n, s in sizes.items()))


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
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes (queries that can run at once).")
def serve(project, graph_file, store, host, port, timeout, max_results, workers):
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
    from ..build.builder import Project
    from ..sparql.query import load_queries
    from ..server.app import LOOPBACK_HOSTS, create_app, serve as run_server

    paths = Project(Path(project))
    graph = _built_graph(project, graph_file, store)
    loopback = host in LOOPBACK_HOSTS  # then the Host header must name loopback (DNS rebinding guard)
    app = create_app(graph, views_dir=paths.exports / "views", queries=load_queries(paths.queries),
                     timeout=timeout, max_results=max_results, workers=workers,
                     allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {len(graph):,} quads at http://{shown}:{port}/ (SPARQL endpoint: "
               f"http://{shown}:{port}/sparql). Ctrl+C stops.")
    run_server(app, host=host, port=port)


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
        if drop and (age is None or age >= limit):
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
