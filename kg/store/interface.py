"""What Impasse needs of a store, whatever the engine: :class:`QuadStore`, and the built graph on it.

Terms are pyoxigraph's everywhere. This module imports no backend: the backends
(:mod:`.oxigraph`, :mod:`.rdflib_store`, :mod:`.sparql`) implement :class:`QuadStore`, a
:class:`Backend` names the module of each, and :mod:`.registry` finds them by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import KgError

if TYPE_CHECKING:
    from rdflib import Dataset


@dataclass(frozen=True)
class Backend:
    """A kind of store: its name, what follows ``name:`` in a spec, and where it is implemented."""

    name: str
    #: What the spec gives after ``name:`` (``PATH``, ``URL``); None: nothing.
    location: str | None
    #: The module implementing it, imported on first use.
    module: str
    #: The names of its functions there: ``create`` always; ``open_built`` where a built graph stays.
    create: str = "create"
    open: str | None = None
    summary: str = ""
    #: An example of a valid location, for error messages.
    example: str = ""
    #: Where a committed build went, said to the user ("in ./kgdb/ (Oxigraph on disk)").
    shown: str = ""

    @property
    def usage(self) -> str:
        """The spec's form: ``memory``, ``oxigraph:PATH`` …"""
        return f"{self.name}:{self.location}" if self.location else self.name

    @property
    def keeps_built_graph(self) -> bool:
        """Whether a built graph stays there between runs (so it can be opened, not loaded)."""
        return self.open is not None

    def implementation(self, function: str):
        return getattr(import_module(self.module), function)


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec: the backend and its location (a folder, a URL; None for memory stores)."""

    backend: Backend
    location: str | None = None

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def keeps_built_graph(self) -> bool:
        return self.backend.keeps_built_graph

    @property
    def shown(self) -> str:
        """Where a committed build went, for a message ("" for the stores in memory)."""
        return self.backend.shown.format(location=self.location)

    def __str__(self) -> str:
        return f"{self.backend.name}:{self.location}" if self.location is not None else self.backend.name


@dataclass
class Solutions:
    """A SELECT answer in store-neutral form: variable names, rows of pyoxigraph terms (None: unbound)."""

    variables: list[str]
    rows: list[list]

    def __iter__(self):
        return (dict(zip(self.variables, row)) for row in self.rows)


class QuadStore:
    """The interface of a backend; terms are pyoxigraph's, whatever the engine.

    Queries run over the union of the named graphs unless ``union=False``. ``query``
    answers a bool (ASK), :class:`Solutions` (SELECT) or a list of ``ox.Triple``
    (CONSTRUCT, DESCRIBE). ``substitutions`` maps variable names to pyoxigraph terms.
    """

    #: The rdflib ``Dataset`` over this store, where there is one (None: a remote endpoint).
    dataset: Dataset | None = None
    #: The pyoxigraph store itself, where the engine is Oxigraph.
    oxigraph: ox.Store | None = None

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

    def commit(self) -> None:
        """Make a build final where the graph was built for somewhere else (a folder, an
        endpoint); a no-op for a store that holds the graph where it was built."""


@dataclass
class KnowledgeGraph:
    """A built graph: the :class:`QuadStore` every module goes through, and the spec it was opened with."""

    store: QuadStore
    spec: StoreSpec | None = None

    @property
    def dataset(self) -> Dataset:
        """The rdflib ``Dataset`` over the store (the rdflib API on the same quads).

        :raises KgError: for a graph held by a SPARQL endpoint, which has no local Dataset.
        """
        if self.store.dataset is None:
            raise KgError(f"the graph in {self.spec} has no local rdflib Dataset; query it with graph.query()")
        return self.store.dataset

    @property
    def oxigraph(self) -> ox.Store | None:
        """The pyoxigraph store itself (None on the rdflib store and on an endpoint)."""
        return self.store.oxigraph

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
        """Make the build final: for ``oxigraph:PATH`` the graph replaces what PATH held, for
        ``sparql:URL`` the endpoint's graphs; nothing for the stores in memory.

        The backend owns how (:meth:`QuadStore.commit`); a build that fails, or is never
        committed, leaves the target as it was.
        """
        self.store.commit()
