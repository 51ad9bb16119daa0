"""The pure parts of the SPARQL 1.1 Protocol server: request parameters, guards, negotiation, writers.

No I/O here: :mod:`kg.server.app` (the HTTP app) and :mod:`kg.server.worker` (the processes that
run queries) both import it. Specs implemented:

- SPARQL 1.1 Protocol, https://www.w3.org/TR/sparql11-protocol/#query-operation
- RFC 9110 §12.5.1 (Accept, q-values) for content negotiation
- SPARQL 1.1 Query Results JSON, XML, CSV/TSV (written by :mod:`kg.sparql.results`)
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from ..formats import DATASET, FORMATS, GRAPH, RESULTS, Format

#: Largest query (or form body) accepted, in bytes; larger requests get 413.
MAX_QUERY_BYTES = 256 * 1024


class ProtocolError(Exception):
    """A request the server answers with an HTTP error status and a plain-text message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --- request parameters --------------------------------------------------------------------

_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def parse_params(raw: bytes) -> dict[str, list[str]]:
    """Decode an ``application/x-www-form-urlencoded`` string (a URL query or a form body) once.

    Percent-escapes are decoded exactly once and the bytes must be UTF-8 (rdflib-endpoint
    decoded form bodies twice, so ``%2B`` became a space; docs/engine-notes.md, "The form body
    of a SPARQL request").

    :raises ProtocolError: 400 for a malformed percent-escape or bytes that are not UTF-8.
    """
    params: dict[str, list[str]] = {}
    for part in raw.split(b"&"):
        if not part:
            continue
        if _BAD_PERCENT.search(part):
            raise ProtocolError(400, "malformed percent-encoding in the request parameters")
        name, _, value = part.partition(b"=")
        try:
            key = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8")
            text = unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, f"request parameters are not UTF-8 ({exc.reason} at byte {exc.start})") from exc
        params.setdefault(key, []).append(text)
    return params


def one(params: dict[str, list[str]], name: str) -> str | None:
    """The single value of parameter ``name`` (None when absent).

    :raises ProtocolError: 400 when it is given more than once.
    """
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ProtocolError(400, f"the parameter {name!r} is given {len(values)} times; give it once")
    return values[0]


# --- the guard on the parsed query, before the engine sees it ---------------------------------

#: Python frames rdflib's recursive parser may use in a query worker: about 250 levels of
#: ``{ ( [`` (128 need about 3,000 frames). Deeper queries are refused before Oxigraph sees
#: them: its own recursive parser crashed the process (segmentation fault) on 5,000 nested
#: groups, measured with pyoxigraph 0.5.
PARSER_RECURSION_LIMIT = 6000


def check_query(text: str) -> None:
    """Refuse what must never reach the engine: a federated query, or one nested too deeply.

    The query is parsed by rdflib's SPARQL 1.1 parser and translated to its algebra, and the
    algebra is searched for ``SERVICE``: what is read is what a SPARQL parser reads, so no
    escape, comment or string can hide a clause (docs/engine-notes.md, "SERVICE and the query
    guard"). A query rdflib cannot parse is refused, even if Oxigraph would have read it.
    Call it where :data:`PARSER_RECURSION_LIMIT` applies (a query worker).

    :raises ProtocolError: 400 naming the line and column of a syntax error, or the SERVICE IRI.
    """
    problem = _guard(text)
    if problem is not None:
        raise ProtocolError(400, problem)


@lru_cache(maxsize=1024)
def _guard(text: str) -> str | None:
    # Cached: the parse takes 5-90 ms, and clients send the same text again and again.
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from ..sparql.syntax import parse_error_problem

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except RecursionError:
        return "query nested too deeply: more levels of { ( [ than the parser reads"
    except ParseBaseException as exc:  # described as `kg query` describes it, caret and all
        return parse_error_problem(exc).render()
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain exceptions (an undefined prefix …)
        return f"SPARQL error: {exc}"
    services = _services(algebra)
    if services:
        return (f"SERVICE (federated query) is not allowed on this endpoint: SERVICE {services[0]}; "
                "this server never sends requests for a query")
    return None


def _services(node) -> list[str]:
    """The targets of every ``SERVICE`` in an rdflib algebra tree (IRIs, or ``?var``)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found, stack = [], [node]
    while stack:  # iterative: the tree may be as deep as the parser allows
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                term = item.get("term")
                found.append(term.n3() if hasattr(term, "n3") else str(term))
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
    return found


# --- content negotiation -----------------------------------------------------------------------


@dataclass(frozen=True)
class MediaType:
    """A representation the server can send: the type it matches in Accept and its writer's name."""

    match: str          # the type/subtype matched against Accept
    content_type: str   # the Content-Type sent (with charset where the type takes one)
    writer: str         # the name of its format in kg.formats.FORMATS


def _offered(fmt: Format, media: str) -> MediaType:
    return MediaType(media, f"{media}; charset=utf-8" if media.startswith("text/") else media, fmt.name)


def _types(formats: list[Format]) -> tuple[MediaType, ...]:
    """Each format's own media type first, in registry order, then the aliases."""
    return (tuple(_offered(f, f.media_type) for f in formats)
            + tuple(_offered(f, media) for f in formats for media in f.media_types[1:]))


#: The formats of kg.formats the endpoint answers with: those with a W3C format IRI (the
#: service description names them); so no terminal table nor Markdown. A graph result is
#: also offered as TriG and N-Quads (its triples in the default graph), for tools that read only those.
ENDPOINT_FORMATS = tuple(f for f in FORMATS.values() if f.w3c and f.kind in (RESULTS, GRAPH, DATASET))
#: What each query form can be answered with, in the server's order of preference.
SOLUTION_TYPES = _types([f for f in ENDPOINT_FORMATS if f.kind == RESULTS])
BOOLEAN_TYPES = _types([f for f in ENDPOINT_FORMATS if f.kind == RESULTS and f.boolean])
GRAPH_TYPES = _types([f for f in ENDPOINT_FORMATS if f.kind == GRAPH]  # the datasets last: asked for by name
                     + [f for f in ENDPOINT_FORMATS if f.kind == DATASET])
ALL_TYPES = tuple({t.match: t for t in (*SOLUTION_TYPES, *GRAPH_TYPES)}.values())


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    params: dict = field(default_factory=dict)


def parse_accept(header: str | None) -> list[_Range]:
    """The media ranges of an Accept header with their q-values (malformed ranges are skipped)."""
    if not header or not header.strip():
        return [_Range("*", "*", 1.0)]
    ranges = []
    for item in header.split(","):
        pieces = [p.strip() for p in item.split(";")]
        kind, slash, sub = pieces[0].lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q, params = 1.0, {}
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
            elif name:
                params[name] = value
        ranges.append(_Range(kind, sub, q, params))
    return ranges


def _quality(ranges: list[_Range], media: str) -> float:
    """The q-value of ``media``: from the most specific matching range (RFC 9110 §12.5.1)."""
    kind, _, sub = media.partition("/")
    best, best_rank = 0.0, -1
    for r in ranges:
        if r.type == kind and r.subtype == sub:
            rank = 2
        elif r.type == kind and r.subtype == "*":
            rank = 1
        elif r.type == "*" and r.subtype == "*":
            rank = 0
        else:
            continue
        if rank > best_rank:
            best, best_rank = r.q, rank
    return best


def negotiate(accept: str | None, offered: tuple[MediaType, ...]) -> MediaType | None:
    """The offered type the client prefers (highest q; ties go to the server's order); None for 406."""
    ranges = parse_accept(accept)
    if not ranges:
        ranges = [_Range("*", "*", 1.0)]
    best, best_q = None, 0.0
    for media in offered:
        q = _quality(ranges, media.match)
        if q > best_q:
            best, best_q = media, q
    return best


def not_acceptable(offered: tuple[MediaType, ...], what: str) -> ProtocolError:
    """The 406 answer, listing what could have been sent."""
    names = ", ".join(dict.fromkeys(m.match for m in offered))
    return ProtocolError(406, f"no acceptable representation of {what}; this endpoint offers: {names}")


# --- terms across the process boundary ----------------------------------------------------------


def term_to_wire(term) -> tuple:
    """A pyoxigraph term as a picklable tuple."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    return ("literal", term.value, term.datatype.value if not term.language else None, term.language)


def term_from_wire(item: tuple):
    """The pyoxigraph term of :func:`term_to_wire`'s tuple."""
    import pyoxigraph as ox

    if item[0] == "iri":
        return ox.NamedNode(item[1])
    if item[0] == "bnode":
        return ox.BlankNode(item[1])
    _, value, datatype, language = item
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))
