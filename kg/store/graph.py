"""The store behind the rdflib API: Oxigraph in memory (through oxrdflib) by default.

rdflib is the API users see (a ``Dataset``); Oxigraph is the engine. The build loads and
the exports read quads through pyoxigraph directly, because converting every triple
through rdflib's parser and serializer loses Oxigraph's speed (see PITFALLS.md).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..errors import KgError
from ..sparql.syntax import QuerySyntaxError, bind_values

STORES = ("memory", "oxigraph:PATH", "rdflib", "sparql:URL")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class Solutions:
    """A SELECT answer in store-neutral form: variable names, rows of pyoxigraph terms (None: unbound)."""

    variables: list[str]
    rows: list[list]

    def __iter__(self):
        return (dict(zip(self.variables, row)) for row in self.rows)


class QuadStore:
    """What Impasse needs of a store; terms are pyoxigraph's, whatever the engine.

    Queries run over the union of the named graphs unless ``union=False``. ``query``
    answers a bool (ASK), :class:`Solutions` (SELECT) or a list of ``ox.Triple``
    (CONSTRUCT, DESCRIBE). ``substitutions`` maps variable names to pyoxigraph terms.
    """

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> Iterator[ox.Quad]:
        raise NotImplementedError

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        raise NotImplementedError

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        self.extend(quads)

    def __contains__(self, quad: ox.Quad) -> bool:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def query(self, text: str, substitutions: dict[str, object] | None = None, union: bool = True):
        raise NotImplementedError

    def dump_nquads(self) -> bytes:
        return ox.serialize(self.quads_for_pattern(), format=ox.RdfFormat.N_QUADS)


class OxigraphQuads(QuadStore):
    """A pyoxigraph store (in memory or on disk)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def quads_for_pattern(self, s=None, p=None, o=None, g=None):
        return iter(self.store.quads_for_pattern(s, p, o, g))

    def extend(self, quads):
        self.store.extend(quads)

    def bulk_extend(self, quads):
        self.store.bulk_extend(quads)

    def __contains__(self, quad):
        return quad in self.store

    def __len__(self):
        return len(self.store)

    def query(self, text, substitutions=None, union=True):
        subs = {}
        try:
            text = bind_values(text, substitutions or {})
        except QuerySyntaxError:  # no group of its own to bind in (CONSTRUCT WHERE): bind late
            subs = {ox.Variable(name): term for name, term in substitutions.items()}
        answer = self.store.query(text, substitutions=subs, use_default_graph_as_union=union)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            return Solutions(variables, [list(solution) for solution in answer])  # in variable order, None unbound
        return list(answer)

    def dump_nquads(self):
        return self.store.dump(format=ox.RdfFormat.N_QUADS)


class RdflibQuads(QuadStore):
    """rdflib's own in-memory store and SPARQL engine: the reference baseline (slow on joins)."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def quads_for_pattern(self, s=None, p=None, o=None, g=None):
        pattern = tuple(None if t is None else from_ox(t, exact=True) for t in (s, p, o))
        context = None if g is None else self.dataset.graph(from_ox(g))
        for s_, p_, o_, g_ in self.dataset.quads((*pattern, context)):
            name = getattr(g_, "identifier", g_)
            graph = ox.DefaultGraph() if name is None or name == DATASET_DEFAULT_GRAPH_ID else to_ox(name)
            yield ox.Quad(to_ox(s_), to_ox(p_), to_ox(o_), graph)

    def extend(self, quads):
        self.dataset.addN((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object, exact=True), self._context(q))
                          for q in quads)

    def _context(self, quad):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else from_ox(quad.graph_name)
        return self.dataset.graph(name or DATASET_DEFAULT_GRAPH_ID)

    def __contains__(self, quad):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else from_ox(quad.graph_name)
        return (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object, exact=True),
                name or DATASET_DEFAULT_GRAPH_ID) in self.dataset

    def __len__(self):
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    def query(self, text, substitutions=None, union=True):
        bindings = {name: from_ox(term, exact=True) for name, term in (substitutions or {}).items()}
        self.dataset.default_union = union
        answer = self.dataset.query(text, initBindings=bindings)
        if answer.type == "ASK":
            return bool(answer.askAnswer)
        if answer.type == "SELECT":
            variables = [str(v) for v in answer.vars]
            return Solutions(variables, [[None if t is None else to_ox(t) for t in row] for row in answer])
        return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in answer.graph]


@dataclass
class KnowledgeGraph:
    """A built graph: the rdflib ``Dataset`` and the store underneath it.

    ``store`` is the engine-neutral :class:`QuadStore` every module goes through;
    ``oxigraph`` is the pyoxigraph store itself (None on the rdflib store).
    """

    dataset: Dataset
    oxigraph: ox.Store | None
    #: For a build into ``oxigraph:PATH``: the folder :meth:`commit` writes the graph to.
    target: Path | None = None
    store: QuadStore | None = None
    #: For a build into ``sparql:URL``: the endpoint :meth:`commit` pushes the graph to.
    remote: str | None = None

    def __post_init__(self):
        if self.store is None:
            self.store = OxigraphQuads(self.oxigraph) if self.oxigraph is not None else RdflibQuads(self.dataset)

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of every named graph, as pyoxigraph terms (unordered)."""
        return self.store.quads_for_pattern()

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> Iterator[ox.Quad]:
        """The quads matching a pattern of pyoxigraph terms (None: any)."""
        return self.store.quads_for_pattern(s, p, o, g)

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one bulk operation."""
        self.store.bulk_extend(quads)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (transactionally where the store can)."""
        self.store.extend(quads)

    def query(self, text: str, substitutions: dict[str, object] | None = None, union: bool = True):
        """Run SPARQL; see :class:`QuadStore` for the answer's form."""
        return self.store.query(text, substitutions, union)

    def __contains__(self, quad: ox.Quad) -> bool:
        return quad in self.store

    def __len__(self) -> int:
        return len(self.store)

    def commit(self) -> None:
        """Write a graph built for ``oxigraph:PATH`` to PATH, replacing what it held.

        The graph is written to a fresh sibling folder which then takes PATH's place, so a
        build that fails (or is never committed) leaves PATH as it was. No-op for other stores.
        """
        if self.target is not None:
            write_oxigraph(self.oxigraph.quads_for_pattern(None, None, None, None), self.target)
        if self.remote is not None:
            from .sparql import SparqlQuads

            SparqlQuads(self.remote).replace(self.quads())


def _store_path(spec: str) -> Path | None:
    """PATH of an ``oxigraph:PATH`` spec; None for ``memory`` and ``rdflib``; KgError for anything else."""
    if spec in ("memory", "rdflib"):
        return None
    kind, colon, path = spec.partition(":")
    if kind == "oxigraph" and colon and path:
        return Path(path)
    if kind == "oxigraph":
        raise KgError("--store oxigraph:PATH needs a folder, e.g. oxigraph:./kgdb")
    raise KgError(f"unknown store {spec!r}; stores: {', '.join(STORES)}")


def open_store(spec: str = "memory") -> KnowledgeGraph:
    """Open an empty knowledge graph on the store named by ``spec``, to build into.

    :param spec: ``memory`` (Oxigraph in memory, the default), ``oxigraph:PATH`` (Oxigraph
        on disk: the graph is built in memory and written to PATH by :meth:`KnowledgeGraph.commit`)
        or ``rdflib`` (rdflib's own memory store and SPARQL engine, the reference baseline).
    :raises KgError: for a store name that is not known, or a PATH that is not an Oxigraph
        store (nothing there is ever replaced but an Oxigraph store).
    """
    if spec == "rdflib":
        return KnowledgeGraph(dataset=Dataset(default_union=True), oxigraph=None)
    if spec.startswith("sparql:"):  # built in memory, pushed by commit()
        inner = ox.Store()
        return KnowledgeGraph(dataset=Dataset(store=OxigraphStore(store=inner)), oxigraph=inner,
                              remote=_sparql_url(spec))
    target = _store_path(spec)
    if target is not None:
        _check_replaceable(target)
    inner = ox.Store()
    return KnowledgeGraph(dataset=Dataset(store=OxigraphStore(store=inner)), oxigraph=inner, target=target)


def open_graph(spec: str) -> KnowledgeGraph:
    """Open a built graph read-only: ``oxigraph:PATH``, as ``kg build --store oxigraph:PATH`` wrote it.

    :raises KgError: naming PATH when it is missing, not an Oxigraph store, or cannot be opened.
    """
    if spec.startswith("sparql:"):
        from .sparql import SparqlQuads

        return KnowledgeGraph(dataset=Dataset(), oxigraph=None, store=SparqlQuads(_sparql_url(spec)))
    path = _store_path(spec)
    if path is None:
        raise KgError(f"store {spec!r} holds no built graph; name a graph file (--graph) or oxigraph:PATH")
    if not path.exists():
        raise KgError(f"{path}: no such store (run `kg build --store oxigraph:{path}` first)")
    if not (path / "CURRENT").is_file():
        raise KgError(f"{path}: not an Oxigraph store (no CURRENT file; written by `kg build --store oxigraph:PATH`)")
    try:
        inner = ox.Store.read_only(str(path))
    except (OSError, RuntimeError, ValueError) as exc:
        raise KgError(f"{path}: cannot open the Oxigraph store: {exc}") from exc
    return KnowledgeGraph(dataset=Dataset(store=OxigraphStore(store=inner)), oxigraph=inner)


def _sparql_url(spec: str) -> str:
    url = spec.partition(":")[2]
    if not url.startswith(("http://", "https://")):
        raise KgError(f"--store sparql:URL needs an http(s) URL, e.g. sparql:http://127.0.0.1:8890/sparql, not {spec!r}")
    return url


def _check_replaceable(path: Path) -> None:
    """Refuse a PATH that holds anything but an Oxigraph store (or nothing)."""
    if path.exists() and not path.is_dir():
        raise KgError(f"{path}: exists and is not a folder; --store oxigraph:PATH needs a folder")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise KgError(f"{path}: not an Oxigraph store and not empty; refusing to replace it")


def memory_copy(graph: KnowledgeGraph) -> KnowledgeGraph:
    """The graph copied into a fresh Oxigraph in memory: to derive or reason over a graph
    opened read-only (``oxigraph:PATH``) or held by an endpoint, without writing to it."""
    copy = open_store("memory")
    copy.load(graph.quads())
    return copy


def write_oxigraph(quads: Iterable[ox.Quad], path: str | Path) -> None:
    """Write ``quads`` as the Oxigraph store at ``path``, replacing the store there (if any).

    They go into a fresh sibling folder first, which is renamed into place only once
    complete: a failure leaves the previous store untouched.

    :raises KgError: when ``path`` holds something else, is locked by a writer, or cannot be written.
    """
    path = Path(path)
    _check_replaceable(path)
    fresh = path.with_name(f".{path.name}.new-{os.getpid()}")
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        disk = ox.Store(str(fresh))
        disk.bulk_extend(quads)
        disk.flush()
        del disk  # the last reference: RocksDB closes the folder here
        if path.exists() and any(path.iterdir()):
            try:
                probe = ox.Store(str(path))  # takes RocksDB's lock: fails while a writer holds it
                del probe
            except (OSError, RuntimeError) as exc:
                raise KgError(f"{path}: cannot be replaced, it is locked or unreadable: {exc}") from exc
            os.rename(path, old)
        elif path.exists():
            path.rmdir()
        try:
            os.rename(fresh, path)
        except OSError:
            if old.exists():
                os.rename(old, path)
            raise
    except OSError as exc:
        raise KgError(f"{path}: cannot write the Oxigraph store: {exc}") from exc
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def load_graph(path: str | Path, store: str = "memory") -> KnowledgeGraph:
    """Load a built graph from an RDF file (TriG or N-Quads keep their named graphs).

    :param store: ``memory`` (Oxigraph) or ``rdflib``; the file is parsed by Oxigraph either way.

    :raises KgError: naming the file when it is missing or does not parse.
    """
    path = Path(path)
    if not path.is_file():
        raise KgError(f"{path}: no such file (run `kg build` first, or name a graph file with --graph)")
    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError as exc:
        raise KgError(f"{path}: unknown RDF file suffix {path.suffix!r}") from exc
    graph = open_store("rdflib" if store == "rdflib" else "memory")
    try:
        if graph.oxigraph is None:
            graph.load(ox.parse(path=str(path), format=fmt))
        else:  # not bulk_load, which renames blank nodes at random: an export would differ run to run
            graph.oxigraph.bulk_extend(ox.parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        raise KgError(f"{path}: cannot be loaded: {exc}") from exc
    return graph


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the pyoxigraph term it denotes."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_ox_quad(s, p, o, g) -> ox.Quad:
    """Convert an rdflib (subject, predicate, object, graph name) to a pyoxigraph quad."""
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))


def from_ox(term, exact: bool = False) -> URIRef | BNode | Literal:
    """Convert a pyoxigraph term to rdflib; xsd:string literals become plain literals.

    Oxigraph types every plain literal as xsd:string, which rdflib.compare treats as a
    different term from the plain literal (PITFALLS.md): normalise here, once.
    ``exact`` keeps a literal's lexical form as is (rdflib would write decimal "1" as "1.0").
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False if exact else None)


def graph_name(quad: ox.Quad) -> str | None:
    """The IRI of a quad's named graph; None for the default graph (a loaded Turtle file)."""
    return None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value


def merged_graph(graph: KnowledgeGraph, exclude: tuple[str, ...] = ()) -> Graph:
    """All named graphs (but those in ``exclude``) merged into one in-memory rdflib Graph."""
    merged = Graph()
    for quad in graph.quads():
        if graph_name(quad) not in exclude:
            merged.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return merged
