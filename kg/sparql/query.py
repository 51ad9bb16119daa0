"""Named SPARQL queries (queries/*.rq) and running SPARQL over a built graph.

A named query is a file whose first lines are a YAML header behind ``#+`` (grlc's
convention)::

    #+ summary: Agenda mismatches between two actors, with the quotes they rest on
    #+ description: …
    #+ params:
    #+   - name: a
    #+     type: actor
    #+     default: United States
    #+     description: one side

Parameters are bound as RDF terms (SEP-0007 substitutions in Oxigraph, ``initBindings``
in rdflib), never pasted into the query text. An entity parameter may be given by label,
alias, key or IRI. A default that names nothing in the graph at hand (a project on another
negotiation, run with the packaged queries' US–Iran defaults) leaves its parameter unbound, as a
parameter without a default is, with a note saying so (:func:`resolve_default`). Queries read
the union of all graphs.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..corpus.documents import NoAliasLoader
from ..errors import InputError
from ..vocab import IMP, PREFIXES, XSD_INTEGER
from .syntax import QuerySyntaxError, check_syntax, engine_error_problem
from ..store import KnowledgeGraph, Solutions

#: Entity parameter types and the class their values must belong to.
ENTITY_TYPES = {
    "actor": IMP.Actor, "issue": IMP.Issue, "event": IMP.Event, "round": IMP.NegotiationRound,
    "agreement": IMP.Agreement, "place": IMP.Place, "document": IMP.Document,
}
VALUE_TYPES = ("iri", "string", "integer")
#: How many of the graph's entities a note on a default left unbound names.
_NAMES_SHOWN = 10


class QueryError(InputError):
    """An unknown query, parameter or entity; the message lists what exists."""


class UnknownEntityError(QueryError):
    """A parameter's value names no entity of its type in the graph."""


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    params: tuple[Param, ...] = field(default=())

    @property
    def body(self) -> str:
        """The query without its ``#+`` header lines (comments: it gives the same rows)."""
        return "".join(line for line in self.text.splitlines(keepends=True) if not line.startswith("#+"))

    def param(self, name: str) -> Param:
        """The parameter called ``name``.

        :raises QueryError: listing the declared parameters.
        """
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name} has no parameter {name!r}; its parameters: {known}")


@dataclass
class Result:
    """What a query returned: rows of a SELECT, triples of a CONSTRUCT/DESCRIBE, or a boolean."""

    variables: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # pyoxigraph terms, None where unbound
    triples: list[ox.Triple] | None = None
    boolean: bool | None = None


def parse_header(text: str, where: str) -> dict:
    """The YAML behind the leading ``#+`` lines of a query.

    :raises QueryError: naming the file when the header is missing or malformed.
    """
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.load("\n".join(lines), Loader=NoAliasLoader) if lines else None  # noqa: S506 - safe
    except yaml.YAMLError as exc:
        raise QueryError(f"{where}: the '#+' header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict) or not isinstance(header.get("summary"), str):
        raise QueryError(f"{where}: a named query starts with a '#+ summary: …' header")
    return header


def load_query(path: Path) -> NamedQuery:
    """Read, check and describe one named query file."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, str(path))
    check_syntax(text, str(path))
    params = header_params(header, str(path))
    projected = _projection(text)
    for param in params:
        if f"?{param.name}" not in text:
            raise QueryError(f"{path}: parameter {param.name} is not a variable of the query")
        if projected is not None and param.name not in projected:
            # Oxigraph binds only projected variables (SEP-0007 substitutions; docs/engine-notes.md, "Binding parameters").
            raise QueryError(f"{path}: parameter {param.name} must be in the SELECT projection to be bound")
    return NamedQuery(name=path.stem, path=path, text=text, summary=header["summary"].strip(),
                      description=str(header.get("description", "")).strip(), params=params)


def header_params(header: dict, where: str) -> tuple[Param, ...]:
    """The parameters a query's header declares (see :func:`parse_header`), without reading the query.

    :raises QueryError: naming ``where`` for a parameter without a name, or of an unknown type.
    """
    params = []
    for item in header.get("params") or []:
        if not isinstance(item, dict) or "name" not in item or "type" not in item:
            raise QueryError(f"{where}: every parameter needs a name and a type")
        if item["type"] not in ENTITY_TYPES and item["type"] not in VALUE_TYPES:
            raise QueryError(f"{where}: parameter {item['name']} has unknown type {item['type']!r}; "
                             f"types: {', '.join([*ENTITY_TYPES, *VALUE_TYPES])}")
        default = item.get("default")
        params.append(Param(str(item["name"]), item["type"], None if default is None else str(default),
                            str(item.get("description", ""))))
    return tuple(params)


def _projection(text: str) -> set[str] | None:
    """The variables a SELECT query projects (None for other query forms)."""
    from rdflib.plugins.sparql import prepareQuery

    algebra = prepareQuery(text).algebra
    return {str(v) for v in algebra.get("PV", [])} if algebra.name == "SelectQuery" else None


def load_queries(folder: str | Path) -> dict[str, NamedQuery]:
    """Every named query of a folder (``*.rq``, not the rules below it), by name."""
    return {path.stem: load_query(path) for path in sorted(Path(folder).glob("*.rq"))}


def find_query(queries: dict[str, NamedQuery], name: str) -> NamedQuery:
    """The named query ``name``.

    :raises QueryError: listing the named queries (and the closest names).
    """
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise QueryError(f"no named query {name!r}.{hint} Named queries: {', '.join(queries)}")


def resolve_query(query: str, folder: str | Path, with_params: bool = False) -> tuple[str, str, NamedQuery | None]:
    """A query given by the name of one of a project's named queries, or by the path of a ``.rq`` file.

    :param folder: the project's named queries (``queries/``).
    :param with_params: parameters will be bound, so a file is read as a named query (header and all).
    :returns: ``(text, where, named)``: the SPARQL text, the file to name in messages, and the
        :class:`NamedQuery` (None for a file without a ``#+`` header, read as plain SPARQL).
    :raises QueryError: for an unknown name (listing the known ones) or a missing file.
    """
    path = Path(query)
    if query.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        named = load_query(path) if with_params or "#+" in path.read_text(encoding="utf-8") else None
    else:
        named = find_query(load_queries(folder), query)
    if named is None:
        return path.read_text(encoding="utf-8"), str(path), None
    return named.text, str(named.path), named


def bind_params(graph: KnowledgeGraph, query: NamedQuery, given: dict[str, str],
                notes: list[str] | None = None) -> dict[str, object]:
    """Resolve given values (and defaults) of a query's parameters to RDF terms.

    :param notes: where to add a note for each default left unbound because it names nothing
        in ``graph`` (see :func:`resolve_default`).
    :returns: parameter name -> pyoxigraph term, for every parameter that has a value.
    :raises QueryError: for an unknown parameter or a given value that names no entity.
    """
    for name in given:
        query.param(name)
    bound = {}
    for param in query.params:
        if param.name in given:
            bound[param.name] = resolve_value(graph, param, given[param.name])
            continue
        term, note = resolve_default(graph, query, param)
        if term is not None:
            bound[param.name] = term
        elif note is not None and notes is not None:
            notes.append(note)
    return bound


def resolve_default(graph: KnowledgeGraph, query: NamedQuery, param: Param) -> tuple[object | None, str | None]:
    """The term a parameter's default names in ``graph``; else None, and a note when there is a default.

    A default names an entity of one negotiation (the packaged queries' defaults name actors of
    the US–Iran talks, and ``kg init`` copies them into every project): in a graph without it, the
    parameter is left unbound, the query's every-entity form, rather than refused, so that a
    named query runs in any project as it is. An IRI default counts as absent when no triple of
    the graph holds it.

    :raises QueryError: for a default the query's own header gets wrong (not an integer, not an
        IRI, or a name several entities share).
    """
    if param.default is None:
        return None, None
    if param.type == "iri":
        term = resolve_value(graph, param, param.default)
        if graph.query("ASK { { ?term ?p ?o } UNION { ?s ?p ?term } }", substitutions={"term": term}):
            return term, None
        return None, (f"{query.name}: the default of {param.name}, {param.default!r}, is in no triple of this "
                      f"graph, so {param.name} is left unbound (every {param.name}); give {param.name}=… to "
                      f"choose one")
    try:
        return resolve_value(graph, param, param.default), None
    except UnknownEntityError:
        pass
    names = sorted({name for _, name in entity_names(graph, ENTITY_TYPES[param.type])}, key=str.casefold)
    more = f" and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
    known = f" ({param.type}s here: {', '.join(names[:_NAMES_SHOWN])}{more})" if names else ""
    return None, (f"{query.name}: the default of {param.name}, {param.default!r}, names no {param.type} in this "
                  f"graph, so {param.name} is left unbound (every {param.type}); give {param.name}=… to choose "
                  f"one{known}")


def resolve_value(graph: KnowledgeGraph, param: Param, raw: str):
    """Turn a parameter's text into a term: an entity by label, alias, key or IRI; else a literal."""
    if param.type == "string":
        return ox.Literal(raw)
    if param.type == "integer":
        try:
            return ox.Literal(str(int(raw)), datatype=XSD_INTEGER)
        except ValueError as exc:
            raise QueryError(f"parameter {param.name} takes an integer, not {raw!r}") from exc
    iri = _expand(raw)
    if iri is not None:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:  # Oxigraph's reason: "Invalid IRI code point '>'" and the like
            raise QueryError(f"parameter {param.name}: {_cut(raw)} is not a valid IRI ({exc})") from exc
    if param.type == "iri":
        if iri is None:
            raise QueryError(f"parameter {param.name} takes an IRI (<…> or prefix:name), not {_cut(raw)}")
        return ox.NamedNode(iri)
    names = entity_names(graph, ENTITY_TYPES[param.type])
    if iri is not None and iri in {e for e, _ in names}:
        return ox.NamedNode(iri)
    wanted = raw.strip().casefold()
    matches = sorted({e for e, name in names if name.casefold() == wanted or e.rsplit("/", 1)[-1] == raw.strip()})
    if len(matches) == 1:
        return ox.NamedNode(matches[0])
    labels = sorted({name for _, name in names})
    if len(matches) > 1:
        raise QueryError(f"{raw!r} names several {param.type}s: {', '.join(matches)}; give one by IRI")
    close = difflib.get_close_matches(raw, labels, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownEntityError(f"no {param.type} called {raw!r} (parameter {param.name}).{hint} "
                             f"Known: {', '.join(labels)}")


def entity_names(graph: KnowledgeGraph, cls) -> list[tuple[str, str]]:
    """(IRI, name) for every label and alias of every instance of ``cls`` (or a subclass)."""
    rows = graph.query(
        """SELECT DISTINCT ?class ?entity ?name WHERE {
               ?entity a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class .
               { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?name }
               UNION { ?entity <http://www.w3.org/2004/02/skos/core#altLabel> ?name }
               FILTER (isIRI(?entity)) }""",
        substitutions={"class": ox.NamedNode(str(cls))},
    )
    return [(row["entity"].value, row["name"].value) for row in rows]


def _cut(raw: str, limit: int = 80) -> str:
    """A parameter's value as a message quotes it, cut at ``limit`` characters."""
    text = repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expand(raw: str) -> str | None:
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and local and " " not in local:
        return PREFIXES[prefix] + local
    return None


def run_query(graph: KnowledgeGraph, text: str, bindings: dict[str, object] | None = None, where: str = "<inline>") -> Result:
    """Run a SPARQL query over the union of the graph's named graphs.

    :raises QuerySyntaxError: naming ``where``, line and column, when the query does not parse.
    """
    check_syntax(text, where)
    try:
        answer = graph.query(text, substitutions=dict(bindings or {}))
    except SyntaxError as exc:  # Oxigraph refuses some queries rdflib's parser reads (SELECT * with GROUP BY)
        problem = engine_error_problem(str(exc), text)
        raise QuerySyntaxError(problem.render(where) if problem else f"{where}: SPARQL syntax error: {exc}") from exc
    if isinstance(answer, bool):
        return Result(boolean=answer)
    if isinstance(answer, Solutions):
        return Result(variables=answer.variables, rows=answer.rows)
    return Result(triples=answer)
