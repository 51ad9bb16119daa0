"""A remote SPARQL 1.1 Query/Update endpoint as a store (``--store sparql:URL``).

Queries go to URL (SPARQL 1.1 Protocol, results as SPARQL JSON or N-Triples); the dataset
of every query is named explicitly (``default-graph-uri`` and ``named-graph-uri`` = the
graphs of Impasse), so an endpoint's own system graphs (Virtuoso has several) never leak
in, and the default graph is the union of Impasse's named graphs, as on the other stores.
Writes go by the Graph Store Protocol when its URL is given (one ``PUT`` of N-Triples per
named graph: the graph replaced whole, blank nodes kept together), else by SPARQL Update
(``INSERT DATA`` in batches, with the named graphs kept) to the update URL; with HTTP
digest or basic credentials when given. Virtuoso takes them at ``/sparql-graph-crud-auth``
and ``/sparql-auth`` as ``dba`` (see PITFALLS.md). Only the standard library is used.

Environment: ``KG_SPARQL_UPDATE_URL`` (default: URL), ``KG_SPARQL_GRAPH_STORE_URL`` (no
default), ``KG_SPARQL_USER``, ``KG_SPARQL_PASSWORD``.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .errors import KgError
from .namespaces import ID
from .store import QuadStore, Solutions, graph_name

#: Quads per INSERT DATA request. Blank nodes are scoped to one request, so the quads of a
#: graph that holds blank nodes are sent in one request whatever its size.
BATCH = 500  # Virtuoso refuses an INSERT DATA whose SQL exceeds 10,000 lines (about 1,000 triples)
TIMEOUT = 120
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


class SparqlQuads(QuadStore):
    """A SPARQL 1.1 endpoint holding Impasse's named graphs (IRIs under ``id:graph/``)."""

    def __init__(self, url: str, update_url: str | None = None, user: str | None = None,
                 password: str | None = None):
        if not url.startswith(("http://", "https://")):
            raise KgError(f"--store sparql:URL needs an http(s) URL, not {url!r}")
        self.url = url
        self.update_url = update_url or os.environ.get("KG_SPARQL_UPDATE_URL") or url
        self.graph_store_url = os.environ.get("KG_SPARQL_GRAPH_STORE_URL")
        user = user or os.environ.get("KG_SPARQL_USER")
        password = password or os.environ.get("KG_SPARQL_PASSWORD")
        handlers = []
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for target in (self.update_url, self.graph_store_url):
                if target:
                    passwords.add_password(None, target, user, password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                         urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self._graphs: list[str] | None = None

    # -- HTTP ---------------------------------------------------------------------------
    def _post(self, url: str, fields: list[tuple[str, str]] | None, accept: str, body: bytes | None = None,
              method: str = "POST", content_type: str = "application/x-www-form-urlencoded") -> bytes:
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode("utf-8")
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Content-Type": content_type, "Accept": accept})
        try:
            with self._opener.open(request, timeout=TIMEOUT) as answer:
                return answer.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            raise KgError(f"{url}: the endpoint answered {exc.code} {exc.reason}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise KgError(f"{url}: cannot reach the SPARQL endpoint: {exc}") from exc

    def update(self, text: str) -> None:
        self._post(self.update_url, [("update", text)], "*/*")
        self._graphs = None

    def graphs(self) -> list[str]:
        """Impasse's named graphs on the endpoint."""
        if self._graphs is None:
            raw = self._post(self.url, [("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")],
                             "application/sparql-results+json")
            prefix = str(ID) + "graph/"
            self._graphs = sorted(b["g"]["value"] for b in json.loads(raw)["results"]["bindings"]
                                  if b["g"]["value"].startswith(prefix))
        return self._graphs

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
            fields = [("query", text), ("default-graph-uri", str(ID) + "graph/none"),
                      ("named-graph-uri", str(ID) + "graph/none")]
        else:
            fields = self._select(text, union)
        form = _query_form(text)
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
        pattern = " ".join("?" + n if t is None else str(t) for n, t in zip("spo", (s, p, o)))
        graph = "?g" if g is None else str(g)
        answer = self.query(f"SELECT * WHERE {{ GRAPH {graph} {{ {pattern} }} }}", union=False)
        for row in answer:
            yield ox.Quad(s or row["s"], p or row["p"], o or row["o"], g or row["g"])

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        by_graph: dict[str, list[ox.Quad]] = {}
        for quad in quads:
            by_graph.setdefault(str(quad.graph_name), []).append(quad)
        for graph, members in by_graph.items():
            if self.graph_store_url:  # one request per graph (Graph Store Protocol, POST: add)
                body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in members).encode("utf-8")
                target = self.graph_store_url + "?" + urllib.parse.urlencode({"graph-uri": graph[1:-1]})
                self._post(target, None, "*/*", body=body, content_type="text/turtle")
                self._graphs = None
                continue
            has_blank = any(isinstance(t, ox.BlankNode) for q in members for t in (q.subject, q.object))
            size = len(members) if has_blank else BATCH
            for start in range(0, len(members), size):
                lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in members[start:start + size])
                self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{lines}\n}} }}")

    def __contains__(self, quad):
        return bool(self.query(f"ASK {{ GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }} }}",
                               union=False))

    def __len__(self):
        if not self.graphs():
            return 0
        answer = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return int(answer.rows[0][0].value)

    def replace(self, quads: Iterable[ox.Quad]) -> None:
        """Drop Impasse's graphs on the endpoint, then insert ``quads``."""
        quads = list(quads)
        named = {name for name in map(graph_name, quads) if name is not None}
        for graph in sorted(set(self.graphs()) | named):
            self.update(f"DROP SILENT GRAPH <{graph}>")
        self.extend(quads)


def _query_form(text: str) -> str:
    body = re.sub(r"(?m)#.*$", "", text)
    body = re.sub(r"(?is)^\s*((PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", body)
    return body.split(None, 1)[0].upper() if body.strip() else ""


def bind_values(text: str, substitutions: dict[str, object]) -> str:
    """Bind variables by a VALUES block at the start of the first WHERE group (no text pasting
    of user input: the terms are pyoxigraph terms written in N-Triples form)."""
    names = list(substitutions)
    block = "VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(
        str(substitutions[n]) for n in names) + ") } "
    match = re.search(r"(?i)\bWHERE\s*\{", text) or re.search(r"\{", text)
    if match is None:
        raise KgError("cannot bind parameters: the query has no WHERE group")
    return text[:match.end()] + " " + block + text[match.end():]


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
        if binding["datatype"] == _BOOLEAN and value in ("0", "1"):  # Virtuoso writes booleans as 0/1
            value = "true" if value == "1" else "false"
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)
