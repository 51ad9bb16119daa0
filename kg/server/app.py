"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint, the HTML views and an offline query page.

An ASGI app (Starlette), run by uvicorn. Routes:

- ``/sparql`` — the SPARQL 1.1 Protocol query operation: GET ``?query=``, POST form, POST
  ``application/sparql-query``; content negotiation on Accept with q-values; the service
  description (Turtle by default) when no query is given; updates refused with 403.
- ``/queries`` (JSON list) and ``/queries/{name}?param=…`` — the named queries, parameters
  bound as RDF terms by :func:`kg.sparql.query.bind_params`, never pasted into the text (a
  default that names nothing in the served graph is listed as none and left unbound);
  ``/queries/{name}.rq?param=…`` — its text (without the ``#+`` header) with those terms in a
  ``VALUES`` block, bound as the workers bind them: what the query page puts in its editor.
- ``/labels`` — POST a JSON list of IRIs: what a table shows for each (label, else
  ``prefix:name``), as ``kg query`` shows them.
- ``/`` — the query page (own HTML and JavaScript, nothing from a CDN); ``/static/…`` its files.
- ``/views/…`` — the HTML views (exports/views/), when the folder exists.
- ``/.well-known/void`` — the VoID and DCAT description of the served graph (RFC 8615's
  well-known ``void``, https://www.w3.org/TR/void/#well-known), linked from the service description.

Queries never run in the server process: a pool of killable worker processes
(:mod:`kg.server.worker`) runs them under a timeout and a result-size limit.
"""

from __future__ import annotations

import contextlib
import json
from html import escape
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..formats import RESULTS, W3C_FORMATS
from ..vocab import OX_RDF_TYPE as _RDF_TYPE
from ..vocab import RDFS, XSD, XSD_INTEGER
from ..sparql.query import NamedQuery, QueryError, Result, bind_params, resolve_default
from ..sparql.results import format_result, shown_names
from ..sparql.syntax import bind
from .protocol import (ENDPOINT_FORMATS, GRAPH_TYPES, MAX_QUERY_BYTES, ProtocolError, negotiate,
                              not_acceptable, one, parse_params, term_to_wire)
from .worker import DEFAULT_QUERY_MEMORY, Job, QueryPool
from ..store import KnowledgeGraph

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_WORKERS = 3
DEFAULT_LONG_AFTER = 1.0
#: Hosts accepted in the Host header when the server listens on loopback (DNS rebinding guard).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")

_SD = "http://www.w3.org/ns/sparql-service-description#"
_VOID = "http://rdfs.org/ns/void#"
_CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Result-Limit"}
_PREFLIGHT = {**_CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
              "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "600"}
#: The query page runs only its own files: no inline script, nothing from elsewhere.
_PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
             "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(graph: KnowledgeGraph, *, views_dir: str | Path | None = None,
               queries: dict[str, NamedQuery] | None = None, timeout: float = DEFAULT_TIMEOUT,
               max_results: int = DEFAULT_MAX_RESULTS, workers: int = DEFAULT_WORKERS,
               allowed_hosts: list[str] | tuple[str, ...] | None = None, long_after: float = DEFAULT_LONG_AFTER,
               query_memory: int | None = DEFAULT_QUERY_MEMORY) -> Starlette:
    """Build the ASGI app serving ``graph``.

    :param views_dir: a folder of HTML views to serve under /views/ (skipped when missing).
    :param queries: the named queries (from :func:`kg.sparql.query.load_queries`), served under /queries.
    :param timeout: seconds a query may run; then its worker process is killed and 503 answered.
    :param max_results: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) sent; more is a 422.
    :param workers: query worker processes (queries that can run at once).
    :param allowed_hosts: accepted Host header names (None: any).
    :param long_after: seconds after which a query counts as long; at most ``workers - 1`` long
        queries run at once, so one worker stays free for short ones.
    :param query_memory: bytes a query may add to its worker's memory; more is a 503 (None: no cap).
    :returns: a Starlette app; its lifespan starts and stops the workers (they also start on
        the first query).
    """
    queries = dict(queries or {})
    pool = QueryPool(graph.store.dump_nquads(), size=workers, timeout=timeout, long_after=long_after,
                     query_memory=query_memory)
    description = _dataset_description(graph)
    void: list = []  # the graph's VoID description, made on the first request for it
    listing: list = []  # the named queries as /queries lists them, made on the first request for it
    views = Path(views_dir) if views_dir is not None and Path(views_dir).is_dir() else None
    page = (STATIC / "index.html").read_text(encoding="utf-8").replace("<!-- formats -->", _format_options())
    if views is not None:
        page = page.replace(" data-views hidden", " data-views")

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=_PREFLIGHT)
        try:
            job = await _sparql_job(request, max_results)
            if job is None:
                return _service_description(request, description)
            return _answer(await pool.run(job))
        except ProtocolError as exc:
            return _error(exc)

    async def well_known_void(request: Request) -> Response:
        from ..void import describe, with_endpoint, write_description

        media = negotiate(request.headers.get("accept"), GRAPH_TYPES)
        if media is None:
            return _error(not_acceptable(GRAPH_TYPES, "the dataset description"))
        if not void:
            void.extend(describe(graph))
        try:
            triples = with_endpoint(void, str(request.url.replace(path="/sparql", query="", fragment="")))
        except ValueError:
            return _error(ProtocolError(400, "the Host header does not make a valid URL"))
        body = (write_description(triples) if media.writer == "turtle"
                else format_result(Result(triples=triples), media.writer).encode("utf-8"))
        return Response(body, media_type=media.content_type, headers={**_CORS, "Vary": "Accept"})

    def listed_default(named: NamedQuery, param) -> str | None:
        """A parameter's default as /queries lists it: none where it names nothing in this graph,
        since the page would send it back as a given value, refused, where left out it runs unbound."""
        try:
            term, _ = resolve_default(graph, named, param)
        except QueryError:
            return param.default  # a default the header gets wrong: running the query names the problem
        return None if term is None else param.default

    async def query_list(request: Request) -> Response:
        if not listing:
            listing.extend({"name": q.name, "summary": q.summary, "description": q.description, "text": q.text,
                            "url": f"/queries/{q.name}",
                            "params": [{"name": p.name, "type": p.type, "default": listed_default(q, p),
                                        "description": p.description} for p in q.params]}
                           for q in queries.values())
        return JSONResponse(listing, headers=_CORS)

    def bound_query(request: Request) -> tuple[NamedQuery, dict[str, object]]:
        """The named query of the path and its parameters (URL values, else defaults) as terms."""
        name = request.path_params["name"]
        if name not in queries:
            raise ProtocolError(404, f"no named query {name!r}; named queries: {', '.join(queries) or 'none'}")
        named = queries[name]
        params = _url_params(request)
        given = {key: one(params, key) for key in params}
        try:
            return named, bind_params(graph, named, given)
        except QueryError as exc:
            raise ProtocolError(400, str(exc)) from exc

    async def named_query(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=_PREFLIGHT)
        try:
            named, bound = bound_query(request)
            job = Job(query=named.text, accept=request.headers.get("accept"), max_results=max_results,
                      bindings={k: term_to_wire(v) for k, v in bound.items()})
            return _answer(await pool.run(job))
        except ProtocolError as exc:
            return _error(exc)

    async def named_query_text(request: Request) -> Response:
        try:
            named, bound = bound_query(request)
            text, late = bind(named.body, bound)  # as the workers bind it: the same rows
            if late:
                raise ProtocolError(422, f"{named.name} has no WHERE group to write its parameters into; "
                                         f"run it as /queries/{named.name}")
            return Response(text, media_type="application/sparql-query; charset=utf-8", headers=_CORS)
        except ProtocolError as exc:
            return _error(exc)

    async def labels(request: Request) -> Response:
        try:
            try:
                iris = json.loads(await _read_body(request))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ProtocolError(400, f"POST a JSON list of IRIs ({exc})") from exc
            if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
                raise ProtocolError(400, "POST a JSON list of IRIs (strings)")
            try:
                return JSONResponse(shown_names(graph, iris), headers=_CORS)
            except ValueError as exc:  # pyoxigraph's reason for a string that is not an IRI
                raise ProtocolError(400, f"not an IRI: {exc}") from exc
        except ProtocolError as exc:
            return _error(exc)

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": _PAGE_CSP, "X-Content-Type-Options": "nosniff"})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        if pool.isolation is not None:
            import logging

            logging.getLogger("uvicorn.error").warning(
                "the query workers could not be cut off the network (%s); SERVICE is still refused by the "
                "query guard", pool.isolation)
        try:
            yield
        finally:
            pool.close()

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/queries", query_list, methods=["GET"]),
        Route("/queries/{name}.rq", named_query_text, methods=["GET"]),  # before /queries/{name}, which would match it
        Route("/.well-known/void", well_known_void, methods=["GET"]),
        Route("/queries/{name}", named_query, methods=["GET", "OPTIONS"]),
        Route("/labels", labels, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    if views is not None:
        routes.append(Mount("/views", app=StaticFiles(directory=views, html=True), name="views"))
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))] if allowed_hosts else []
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app


def _format_options() -> str:
    """The query page's choice of formats: every format the endpoint answers with (one list,
    :data:`ENDPOINT_FORMATS`), results and graphs apart, each with the file extension of its download."""
    groups = []
    for kind, title in ((True, "SELECT and ASK results"), (False, "CONSTRUCT and DESCRIBE graphs")):
        options = "".join(
            f'<option value="{escape(f.media_type)}" data-ext="{escape(f.extensions[0][1:])}">'
            f'{escape(f.w3c.replace("RDF_XML", "RDF/XML").replace("_", " "))}</option>'
            for f in ENDPOINT_FORMATS if (f.kind == RESULTS) == kind)
        groups.append(f'<optgroup label="{title}">{options}</optgroup>')
    return "".join(groups)


def _url_params(request: Request) -> dict[str, list[str]]:
    raw = request.scope.get("query_string", b"")
    if len(raw) > 3 * MAX_QUERY_BYTES:  # a percent-encoded byte takes three
        raise ProtocolError(414, f"the URL is too long (queries over {MAX_QUERY_BYTES // 1024} KiB are refused)")
    return parse_params(raw)


async def _read_body(request: Request) -> bytes:
    """The request body, refused with 413 past :data:`MAX_QUERY_BYTES` (read no further)."""
    length = request.headers.get("content-length")
    too_big = ProtocolError(413, f"the request body is larger than {MAX_QUERY_BYTES // 1024} KiB")
    if length is not None:
        if not length.strip().isdigit():
            raise ProtocolError(400, "invalid Content-Length")
        if int(length) > MAX_QUERY_BYTES:
            raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_QUERY_BYTES:
            raise too_big
    return bytes(body)


def _refuse_update() -> ProtocolError:
    return ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")


async def _sparql_job(request: Request, max_results: int) -> Job | None:
    """The query a /sparql request asks for (None: it asks for the service description).

    https://www.w3.org/TR/sparql11-protocol/#query-operation
    """
    url_params = _url_params(request)
    if "update" in url_params:
        raise _refuse_update()
    if request.method in ("GET", "HEAD"):
        params = url_params
        query = one(params, "query")
        if query is None:
            if "default-graph-uri" in params or "named-graph-uri" in params:
                raise ProtocolError(400, "missing the 'query' parameter")
            return None
    else:
        content_type = request.headers.get("content-type", "")
        mime, _, rest = content_type.partition(";")
        mime = mime.strip().lower()
        if mime == "application/sparql-update":
            raise _refuse_update()
        if mime == "application/x-www-form-urlencoded":
            params = parse_params(await _read_body(request))
            if "update" in params:
                raise _refuse_update()
            query = one(params, "query")
            if query is None:
                raise ProtocolError(400, "missing the 'query' parameter in the form body")
        elif mime == "application/sparql-query":
            charset = rest.lower().replace(" ", "").partition("charset=")[2].strip('"')
            if charset and charset not in ("utf-8", "utf8"):
                raise ProtocolError(415, f"queries are read as UTF-8, not {charset}")
            params = url_params
            try:
                query = (await _read_body(request)).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, f"the query is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
        else:
            raise ProtocolError(415, "POST a query as application/x-www-form-urlencoded (query=…) or "
                                     f"application/sparql-query, not {mime or 'no Content-Type'}")
    if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
        if request.method in ("GET", "HEAD"):
            raise ProtocolError(414, f"the URL is too long (queries over {MAX_QUERY_BYTES // 1024} KiB are refused)")
        raise ProtocolError(413, f"the query is larger than {MAX_QUERY_BYTES // 1024} KiB")
    default, named = params.get("default-graph-uri"), params.get("named-graph-uri")
    for iri in (default or []) + (named or []):
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ProtocolError(400, f"not an IRI: {iri!r}") from exc
    dataset = default is not None or named is not None
    return Job(query=query, accept=request.headers.get("accept"), max_results=max_results,
               default_graphs=(default or []) if dataset else None,
               named_graphs=(named or []) if dataset else None)


def _answer(reply: tuple) -> Response:
    if reply[0] == "ok":
        _, content_type, body, headers = reply
        return Response(body, media_type=content_type, headers={**_CORS, **headers, "Vary": "Accept"})
    _, status, message, headers = reply
    return _error(ProtocolError(status, message, headers))


def _error(exc: ProtocolError) -> Response:
    return PlainTextResponse(exc.message + "\n", status_code=exc.status,
                             headers={**_CORS, **exc.headers, "X-Content-Type-Options": "nosniff"})


#: The distinct triples of the default graph the endpoint answers from: the merge of every graph.
_DISTINCT_TRIPLES = ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION "
                     "{ GRAPH ?g { ?s ?p ?o } } } }")


def _dataset_description(graph: KnowledgeGraph) -> tuple[int, list[tuple[str, int]]]:
    """(distinct triples in the default graph, [(named graph, triples)]) for the service description.

    The default graph is the RDF merge of all graphs, a set (:func:`kg.server.worker.load_merged`),
    so a triple several graphs hold counts once.
    """
    counts = graph.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False)
    named = sorted((row["g"].value, int(row["n"].value)) for row in counts)
    [total] = graph.query(_DISTINCT_TRIPLES, union=False)
    return int(total["n"].value), named


def sd(name: str) -> ox.NamedNode:
    """A term of the SPARQL Service Description vocabulary."""
    return ox.NamedNode(_SD + name)


def _service_description(request: Request, description: tuple[int, list[tuple[str, int]]]) -> Response:
    """SPARQL 1.1 Service Description of this endpoint, at the URL the client used.

    https://www.w3.org/TR/sparql11-service-description/
    """
    media = negotiate(request.headers.get("accept"), GRAPH_TYPES)
    if media is None:
        raise not_acceptable(GRAPH_TYPES, "the service description")
    try:
        endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    except ValueError as exc:
        raise ProtocolError(400, "the Host header does not make a valid URL") from exc
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    void = ox.NamedNode(str(request.url.replace(path="/.well-known/void", query="", fragment="")))  # its VoID
    total, named = description
    triples = [
        ox.Triple(service, _RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(str(RDFS.seeAlso)), void),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, _RDF_TYPE, sd("Graph")),
        ox.Triple(default, ox.NamedNode(_VOID + "triples"), ox.Literal(str(total), datatype=XSD_INTEGER)),
    ]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(W3C_FORMATS + f.w3c)) for f in ENDPOINT_FORMATS]
    for i, (name, _count) in enumerate(named):
        node = ox.BlankNode(f"named{i}")
        triples += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, _RDF_TYPE, sd("NamedGraph")),
                    ox.Triple(node, sd("name"), ox.NamedNode(name))]
    if media.writer == "turtle":  # the SD vocabulary's own prefixes, not the data's
        body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={
            "sd": _SD, "formats": W3C_FORMATS, "void": _VOID, "xsd": str(XSD), "rdfs": str(RDFS)})
    else:
        body = format_result(Result(triples=triples), media.writer).encode("utf-8")
    return Response(body, media_type=media.content_type, headers={**_CORS, "Vary": "Accept"})


def serve(app: Starlette, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run ``app`` with uvicorn until interrupted, with the limits of :mod:`kg.server.http`."""
    import uvicorn

    from .http import server_config

    uvicorn.Server(server_config(app, host, port)).run()
