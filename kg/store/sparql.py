"""A remote SPARQL 1.1 Query/Update endpoint as a store (``--store sparql:URL``).

Queries go to URL (SPARQL 1.1 Protocol, results as SPARQL JSON or N-Triples); the dataset
of every query is named explicitly (``default-graph-uri`` and ``named-graph-uri`` = the
graphs of Impasse), so an endpoint's own system graphs (Virtuoso has several) never leak
in, and the default graph is the union of Impasse's named graphs, as on the other stores.

Writes go by the Graph Store Protocol when its URL is given (one ``PUT`` of N-Triples per
named graph, blank nodes kept together), else by SPARQL Update (``INSERT DATA`` in
batches) to the update URL; with HTTP digest or basic credentials when given. Virtuoso
takes them at ``/sparql-graph-crud-auth`` and ``/sparql-auth`` as ``dba`` (docs/engine-notes.md, "Virtuoso").
:meth:`SparqlQuads.replace` (what ``kg build --store sparql:URL`` runs) stages every graph
under ``id:staging/RUN/``, checks the endpoint holds what was sent, and only then swaps the
staged graphs in with one SPARQL Update request of ``MOVE`` operations. On Virtuoso 7.2, use
its Graph Store URL: its SPARQL Update refuses every xsd:duration literal (SR553), which
Impasse's graphs hold. Only the standard library is used.

Environment: ``KG_SPARQL_UPDATE_URL`` (default: URL), ``KG_SPARQL_GRAPH_STORE_URL`` (no
default), ``KG_SPARQL_USER``, ``KG_SPARQL_PASSWORD``.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyoxigraph as ox

from ..errors import KgError
from ..vocab import ID, XSD_BOOLEAN
from ..sparql.syntax import bind_values, query_form
from .interface import QuadStore, Solutions
from .oxigraph import OxigraphQuads

#: Quads per INSERT DATA request. Blank nodes are scoped to one request, so the quads of a
#: graph that holds blank nodes are sent in one request whatever its size.
BATCH = 500  # Virtuoso refuses an INSERT DATA whose SQL exceeds 10,000 lines (about 1,000 triples)
TIMEOUT = 120
#: Virtuoso echoes every default-graph-uri and named-graph-uri as a response header of its
#: own (X-SPARQL-default-graph, X-SPARQL-named-graph); http.client refuses a response with
#: more than 100 headers, so a query over some 50 graphs failed. This many are accepted.
MAX_HEADERS = 100_000
#: The swap copies every triple inside the endpoint (Virtuoso's MOVE is a copy and a delete:
#: ~20,000 triples/s alone, several times slower while queries run), so its request may take
#: far longer than the others: TIMEOUT plus one second per 1,000 quads.
SWAP_SECONDS_PER_QUAD = 0.001
GRAPHS = str(ID) + "graph/"
#: Where :meth:`SparqlQuads.replace` writes before the swap: outside ``id:graph/``, so no
#: query of Impasse ever reads a staging graph.
STAGING = str(ID) + "staging/"
#: A run's name under STAGING: when it started (UTC, to the second), then a random tail, so
#: that staging graphs a killed build left behind say how old they are.
RUN_NAME = re.compile(r"(\d{8}T\d{6}Z)-[0-9a-f]+")


class _PreemptiveDigest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that answers the last challenge up front on later requests.

    urllib sends each request once without credentials and again after the 401; Virtuoso
    answers that 401 before reading a large body and closes the connection, so a PUT or
    INSERT DATA of some 500 kB failed about half the time with "Broken pipe" (measured on
    Virtuoso 7.2). Reusing the nonce with a counted ``nc`` (RFC 7616 §3.4) avoids the 401.
    """

    challenge: dict | None = None

    def retry_http_digest_auth(self, req, auth):
        parts = urllib.request.parse_http_list(auth.split(" ", 1)[1])
        self.challenge = urllib.request.parse_keqv_list(filter(None, parts))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req):
        if self.challenge and not req.has_header(self.auth_header):
            answer = self.get_authorization(req, self.challenge)  # None for a URL without credentials
            if answer:
                req.add_unredirected_header(self.auth_header, "Digest " + answer)
        return req

    https_request = http_request


class SparqlQuads(QuadStore):
    """A SPARQL 1.1 endpoint holding Impasse's named graphs (IRIs under ``id:graph/``)."""

    def __init__(self, url: str, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, graph_store_url: str | None = None):
        """Arguments left None come from the environment (see the module); ``graph_store_url=""``
        means none, so writes go by SPARQL Update whatever the environment says."""
        if not url.startswith(("http://", "https://")):
            raise KgError(f"a SPARQL endpoint needs an http(s) URL, not {url!r}")
        self.url = url
        self.update_url = update_url or os.environ.get("KG_SPARQL_UPDATE_URL") or url
        if graph_store_url is None:
            graph_store_url = os.environ.get("KG_SPARQL_GRAPH_STORE_URL")
        self.graph_store_url = graph_store_url or None
        user = user or os.environ.get("KG_SPARQL_USER")
        password = password or os.environ.get("KG_SPARQL_PASSWORD")
        handlers = []
        self._digest = None
        #: The URLs that take credentials, until a request without a body has been made to each.
        self._unintroduced: set[str] = set()
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for target in (self.update_url, self.graph_store_url):
                if target:
                    passwords.add_password(None, target, user, password or "")
                    self._unintroduced.add(target.split("?", 1)[0])
            self._digest = _PreemptiveDigest(passwords)
            handlers += [self._digest, urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self._graphs: list[str] | None = None
        # http.client has no per-connection setting for this: the module's own limit is raised.
        http.client._MAXHEADERS = max(getattr(http.client, "_MAXHEADERS", 100), MAX_HEADERS)

    # -- HTTP ---------------------------------------------------------------------------
    def _post(self, url: str, fields: list[tuple[str, str]] | None, accept: str, body: bytes | None = None,
              method: str = "POST", content_type: str = "application/x-www-form-urlencoded",
              timeout: float = TIMEOUT) -> bytes:
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode("utf-8")
        base = url.split("?", 1)[0]
        if body and base in self._unintroduced and self._digest is not None and self._digest.challenge is None:
            self._unintroduced.discard(base)
            self._handshake(url)
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Content-Type": content_type, "Accept": accept})
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                return answer.read()
        except urllib.error.HTTPError as exc:
            raise KgError(f"{url}: the endpoint answered {exc.code} {exc.reason}: {_detail(exc.read())}") from exc
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise KgError(f"{url}: cannot reach the SPARQL endpoint: {exc}") from exc

    def _handshake(self, url: str) -> None:
        """A request without a body (HEAD: nothing is read or written), to learn the digest
        challenge before sending one (see :class:`_PreemptiveDigest`)."""
        try:
            with self._opener.open(urllib.request.Request(url, method="HEAD"), timeout=TIMEOUT) as answer:
                answer.read()
        except urllib.error.HTTPError:
            pass  # its status does not matter; the write that follows reports its own
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise KgError(f"{url}: cannot reach the SPARQL endpoint: {exc}") from exc

    def update(self, text: str, timeout: float = TIMEOUT) -> None:
        """Run a SPARQL Update request on the update URL.

        :raises KgError: naming the URL and giving the endpoint's message.
        """
        self._graphs = None
        self._post(self.update_url, [("update", text)], "*/*", timeout=timeout)

    def graphs(self) -> list[str]:
        """Impasse's named graphs on the endpoint."""
        if self._graphs is None:
            self._graphs = self._graph_names(GRAPHS)
        return self._graphs

    def staging_graphs(self) -> list[str]:
        """Graphs under ``id:staging/``: none, unless a :meth:`replace` is running or was
        stopped before it could drop its own (killed, or the endpoint unreachable)."""
        return self._graph_names(STAGING)

    def staging_runs(self) -> list[StagingRun]:
        """The staging graphs on the endpoint, by the :meth:`replace` run that wrote them."""
        graphs = self.staging_graphs()
        counts = self._counts(graphs)
        runs: dict[str, dict[str, int]] = {}
        for graph in graphs:
            runs.setdefault(graph[len(STAGING):].split("/", 1)[0], {})[graph] = counts.get(graph, 0)
        return [StagingRun(name, held, _started(name)) for name, held in sorted(runs.items())]

    def drop_staging(self, graphs: Iterable[str]) -> None:
        """Drop those of ``graphs`` that hold triples: in one request, else one by one.

        :raises KgError: naming the endpoint and giving its message.
        """
        left = sorted(self._counts(graphs))
        if not left:
            return
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{stage}>" for stage in left))
        except KgError:
            for stage in left:
                self.update(f"DROP SILENT GRAPH <{stage}>")

    def _graph_names(self, prefix: str) -> list[str]:
        # GROUP BY, not DISTINCT: Virtuoso 7.2 took 24 s for SELECT DISTINCT ?g over 1M quads
        # (0.05 s this way), and over two minutes right after a Graph Store PUT of 40k triples.
        raw = self._post(self.url, [("query", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")],
                         "application/sparql-results+json")
        return sorted(b["g"]["value"] for b in json.loads(raw)["results"]["bindings"]
                      if b["g"]["value"].startswith(prefix))

    def _counts(self, graphs: Iterable[str]) -> dict[str, int]:
        """The number of triples in each of ``graphs`` that holds any (named to the endpoint, so
        nothing else it holds is scanned)."""
        graphs = list(graphs)
        if not graphs:
            return {}
        fields = [("query", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")]
        fields += [("named-graph-uri", graph) for graph in graphs]
        raw = self._post(self.url, fields, "application/sparql-results+json")
        counts = {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(raw)["results"]["bindings"]}
        return {graph: n for graph, n in counts.items() if graph in graphs}

    def _select(self, text: str, union: bool = True):
        fields = [("query", text)]
        if union:
            fields += [("default-graph-uri", g) for g in self.graphs()]
        fields += [("named-graph-uri", g) for g in self.graphs()]
        return fields

    # -- QuadStore --------------------------------------------------------------------
    def query(self, text, substitutions=None, union=True):
        if substitutions:
            text = bind_values(text, substitutions)
        if not self.graphs():  # an empty dataset: nothing to name (an empty list would mean "the endpoint's")
            fields = [("query", text), ("default-graph-uri", GRAPHS + "none"),
                      ("named-graph-uri", GRAPHS + "none")]
        else:
            fields = self._select(text, union)
        form = query_form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            raw = self._post(self.url, fields, "application/n-triples")
            return list(ox.parse(raw, format=ox.RdfFormat.N_TRIPLES))
        answer = json.loads(self._post(self.url, fields, "application/sparql-results+json"))
        if "boolean" in answer:
            return bool(answer["boolean"])
        variables = answer["head"].get("vars", [])
        rows = [[_term(b.get(v)) for v in variables] for b in answer["results"]["bindings"]]
        return Solutions(variables, rows)

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> Iterator[ox.Quad]:
        pattern = " ".join("?" + n if t is None else str(t) for n, t in zip("spo", (s, p, o), strict=True))
        graph = "?g" if g is None else str(g)
        answer = self.query(f"SELECT * WHERE {{ GRAPH {graph} {{ {pattern} }} }}", union=False)
        for row in answer:
            yield ox.Quad(s or row["s"], p or row["p"], o or row["o"], g or row["g"])

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add ``quads`` to their named graphs on the endpoint, graph by graph (not atomic:
        a failure leaves the graphs sent so far; :meth:`replace` is the safe way to rebuild)."""
        for graph, triples in _by_graph(quads).items():
            self._send(graph, triples, replace=False)

    def _send(self, graph: str, triples: list[ox.Triple], replace: bool) -> None:
        """Write ``triples`` into ``graph``: by the Graph Store Protocol (``PUT`` to replace,
        ``POST`` to add; SPARQL 1.1 Graph Store HTTP Protocol §5.3, §5.5) or INSERT DATA."""
        self._graphs = None
        if self.graph_store_url:
            body = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples).encode("utf-8")
            target = self.graph_store_url + "?" + urllib.parse.urlencode({"graph": graph})
            self._post(target, None, "*/*", body=body, method="PUT" if replace else "POST",
                       content_type="text/turtle")  # N-Triples is Turtle; Virtuoso 7.2 takes both types
            return
        if replace:
            self.update(f"DROP SILENT GRAPH <{graph}>")
        if any(isinstance(term, ox.BlankNode) for t in triples for term in (t.subject, t.object)):
            # One request, so each blank node stays one node; as a template, because Virtuoso 7.2
            # refuses blank nodes in INSERT DATA (SP031). The empty WHERE has one solution, so
            # each label makes one fresh node (SPARQL 1.1 Update §3.1.3).
            lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
            self.update(f"INSERT {{ GRAPH <{graph}> {{\n{lines}\n}} }} WHERE {{}}")
            return
        for start in range(0, len(triples), BATCH):
            lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples[start:start + BATCH])
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}\n}} }}")

    def __contains__(self, quad):
        return bool(self.query(f"ASK {{ GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }} }}",
                               union=False))

    def __len__(self):
        if not self.graphs():
            return 0
        answer = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return int(answer.rows[0][0].value)

    def replace(self, quads: Iterable[ox.Quad]) -> None:
        """Make Impasse's graphs on the endpoint exactly the named graphs of ``quads``.

        *Stage*: every graph is written to a graph of its own under ``id:staging/RUN/`` (RUN
        fresh for each call), which no query of Impasse reads. *Check*: one query counts the
        triples of each staging graph against those sent. *Swap*: one SPARQL Update request
        moves each staging graph onto its target (``MOVE``, SPARQL 1.1 Update §3.2.5) and
        drops the graphs of Impasse that ``quads`` no longer has.

        What that guarantees: nothing under ``id:graph/`` is written before every graph is
        staged and checked; a failure until then (a request refused, the connection lost, a
        count that differs, Ctrl-C) drops the staging graphs (best effort) and leaves the
        endpoint's graphs exactly as they were. The swap itself is all-or-nothing only as far
        as the endpoint makes one request so. Virtuoso 7.2 runs it as one transaction, which
        it rolls back whole when it aborts it (a transaction too large, a deadlock) but not
        when one operation fails: what ran before stays. A query running during the swap may
        see part of it. When the one request fails, the graphs still staged are moved again
        in smaller requests (see :meth:`_swap`); if that fails too, the error says which
        graphs were swapped in.

        :raises KgError: naming the endpoint, the graph and the endpoint's message; for a
            failed swap, which graphs were swapped in and which not.
        """
        by_graph = _by_graph(quads)
        run = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
        staging = {graph: _staging_name(run, graph) for graph in sorted(by_graph)}
        try:
            for graph, stage in staging.items():
                try:
                    self._send(stage, by_graph[graph], replace=True)
                except KgError as exc:
                    raise KgError(f"writing graph <{graph}> to the endpoint failed, its graphs are "
                                  f"unchanged: {exc}") from exc
            held = self._counts(staging.values())
            for graph, stage in staging.items():
                if held.get(stage, 0) != len(by_graph[graph]):
                    raise KgError(
                        f"{self.url}: graph <{graph}> was sent with {len(by_graph[graph])} triples but the "
                        f"endpoint holds {held.get(stage, 0)} (it may merge literals it takes as equal, such "
                        "as 1 and 01 as integers); the endpoint's graphs are unchanged")
            gone = [graph for graph in self.graphs() if graph not in by_graph]
        except BaseException as exc:
            left = self._drop_staging(run, staging)
            if left and isinstance(exc, KgError):
                raise KgError(f"{exc} ({left})") from exc.__cause__
            raise
        self._swap(run, staging, {graph: len(triples) for graph, triples in by_graph.items()}, gone)

    def _swap(self, run: str, staging: dict[str, str], sent: dict[str, int], gone: list[str]) -> None:
        """Move each staging graph onto its target and drop the graphs that are gone.

        In one request when the endpoint takes it. Virtuoso runs a request as one transaction
        and refuses one too large for its transaction log (SR325, measured at 1M quads) with
        nothing applied; then the graphs that are still staged go in requests of half as many
        graphs, and so on down to one graph per request. Moving a graph that is still staged
        again is safe: MOVE makes the target a copy of it, whatever the target held.
        """
        pending, size = list(staging), len(staging)
        while pending or gone:
            chunk = pending[:size]
            last = len(chunk) == len(pending)
            operations = [f"MOVE GRAPH <{staging[graph]}> TO GRAPH <{graph}>" for graph in chunk]
            operations += [f"DROP SILENT GRAPH <{graph}>" for graph in gone] if last else []
            timeout = TIMEOUT + SWAP_SECONDS_PER_QUAD * sum(sent[graph] for graph in chunk)
            try:
                self.update(" ;\n".join(operations), timeout=timeout)
            except KgError as exc:
                if _timed_out(exc):  # the endpoint may still be applying it: touch nothing
                    raise KgError(f"{self.update_url}: no answer to the swap within {timeout:.0f} s; the "
                                  "endpoint may still be applying it, so its graphs may be part old, part new. "
                                  f"Run the build again (staging graphs are under <{STAGING}{run}/>)") from exc
                try:
                    held = self._counts(staging[graph] for graph in pending)
                except KgError:
                    held = None
                if (len(chunk) <= 1 or held is None
                        or any(held.get(staging[graph], sent[graph]) != sent[graph] for graph in pending)):
                    raise KgError(f"{self.update_url}: the swap failed: {self._swap_state(run, staging)}. "
                                  f"Run the build again. {exc}") from exc
                whole = [graph for graph in pending if staging[graph] in held]  # the rest were moved
                pending, size = whole, max(1, len(chunk) // 2)
                continue
            pending = pending[len(chunk):]
            gone = [] if last else gone
        try:
            held, left = self._counts([*sent, *self.graphs()]), self._counts(staging.values())
        except KgError as exc:
            raise KgError(f"the endpoint took the swap, but its graphs could not be checked: {exc}") from exc
        if left or held != sent:
            raise KgError(f"{self.update_url}: the swap did not complete: {self._swap_state(run, staging)}. "
                          "Run the build again")

    def _swap_state(self, run: str, staging: dict[str, str]) -> str:
        """Which graphs a failed swap replaced; drops what is left of the staging graphs."""
        try:
            left = self._counts(staging.values())
        except KgError as exc:
            return f"its state could not be read ({exc}); staging graphs may remain under <{STAGING}{run}/>"
        new = [graph for graph, stage in staging.items() if stage not in left]
        old = [graph for graph, stage in staging.items() if stage in left]
        dropped = self._drop_staging(run, staging) or "the staging graphs were dropped"
        return (f"{len(new)} of {len(staging)} graphs were swapped in ({_some(new)}), the others were not "
                f"({_some(old)}); {dropped}")

    def _drop_staging(self, run: str, staging: dict[str, str]) -> str:
        """Drop the staging graphs of ``run`` (best effort); '' or what went wrong."""
        try:
            self.drop_staging(staging.values())
        except KgError as exc:
            return f"staging graphs may remain under <{STAGING}{run}/>: {exc}"
        return ""


@dataclass(frozen=True)
class StagingRun:
    """The staging graphs of one :meth:`SparqlQuads.replace` run."""

    name: str
    #: Each staging graph and the triples it holds.
    graphs: dict[str, int]
    #: When the run started; None for a name this version does not write.
    started: datetime | None

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def is_stale(self, older_than: timedelta, now: datetime | None = None) -> bool:
        """Whether the run may be dropped: it started at least ``older_than`` ago (a build still
        running stages its graphs too), or under a name this version does not write (age unknown)."""
        if self.started is None:
            return True
        return (now or datetime.now(UTC)) - self.started >= older_than


def _started(run: str) -> datetime | None:
    match = RUN_NAME.fullmatch(run)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Triple]]:
    """The triples of each named graph (IRI without brackets), each once, in a stable order."""
    by_graph: dict[str, dict[ox.Triple, None]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise KgError(f"only named graphs can be written to an endpoint, not {quad.graph_name}: {quad}")
        by_graph.setdefault(quad.graph_name.value, {})[ox.Triple(quad.subject, quad.predicate, quad.object)] = None
    return {graph: list(triples) for graph, triples in by_graph.items()}


def _some(graphs: list[str], shown: int = 5) -> str:
    """Graph IRIs for a message: the first few, then how many more."""
    text = ", ".join(f"<{graph}>" for graph in graphs[:shown]) or "none"
    return text + (f" and {len(graphs) - shown} more" if len(graphs) > shown else "")


def _staging_name(run: str, graph: str) -> str:
    tail = graph[len(GRAPHS):] if graph.startswith(GRAPHS) else urllib.parse.quote(graph, safe="")
    return f"{STAGING}{run}/{tail}"


def _timed_out(exc: KgError) -> bool:
    cause = exc.__cause__
    return isinstance(cause, TimeoutError) or isinstance(getattr(cause, "reason", None), TimeoutError)


def _detail(raw: bytes) -> str:
    """The endpoint's message, as text (Virtuoso answers Graph Store errors in HTML)."""
    text = raw.decode("utf-8", "replace")
    if "<html" in text.lower():
        text = re.sub(r"(?is)<(head|title)>.*?</\1>|<[^>]+>", " ", text)
    return " ".join(text.split())[:500]


def _term(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9]", "", value) or "b")
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        if binding["datatype"] == XSD_BOOLEAN.value and value in ("0", "1"):  # Virtuoso writes booleans as 0/1
            value = "true" if value == "1" else "false"
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


class EndpointBuild(OxigraphQuads):
    """A build for ``sparql:URL``: made in Oxigraph in memory, pushed to the endpoint by :meth:`commit`."""

    def __init__(self, url: str):
        super().__init__(ox.Store())
        self.url = url

    def commit(self) -> None:
        """Replace Impasse's graphs on the endpoint with this build (:meth:`SparqlQuads.replace`)."""
        SparqlQuads(self.url).replace(self.quads_for_pattern())


def create(location: str) -> EndpointBuild:
    """An empty build for ``sparql:URL`` (the endpoint is written only by :meth:`EndpointBuild.commit`)."""
    return EndpointBuild(location)


def open_built(location: str) -> SparqlQuads:
    """The graphs of Impasse on the endpoint at URL (write URLs and credentials from the environment)."""
    return SparqlQuads(location)
