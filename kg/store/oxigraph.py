"""Oxigraph (pyoxigraph) as the store, in memory (``memory``) or on disk (``oxigraph:PATH``).

rdflib is the API users see (a ``Dataset`` through the oxrdflib plugin); Oxigraph is the
engine. The build loads and the exports read quads through pyoxigraph directly, because
converting every triple through rdflib's parser and serializer loses Oxigraph's speed
(docs/engine-notes.md, "Oxigraph behind rdflib").
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from ..errors import KgError
from ..sparql.syntax import bind
from .interface import QuadStore, Solutions


class OxigraphQuads(QuadStore):
    """A pyoxigraph store (in memory or on disk), with the rdflib ``Dataset`` over it."""

    def __init__(self, store: ox.Store):
        self.oxigraph = store
        self.dataset = Dataset(store=OxigraphStore(store=store))

    def quads_for_pattern(self, s=None, p=None, o=None, g=None):
        return iter(self.oxigraph.quads_for_pattern(s, p, o, g))

    def extend(self, quads):
        self.oxigraph.extend(quads)

    def bulk_extend(self, quads):
        self.oxigraph.bulk_extend(quads)

    def __contains__(self, quad):
        return quad in self.oxigraph

    def __len__(self):
        return len(self.oxigraph)

    def query(self, text, substitutions=None, union=True):
        text, late = bind(text, substitutions)
        subs = {ox.Variable(name): term for name, term in late.items()}
        answer = self.oxigraph.query(text, substitutions=subs, use_default_graph_as_union=union)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            return Solutions(variables, [list(solution) for solution in answer])  # in variable order, None unbound
        return list(answer)

    def dump_nquads(self):
        return self.oxigraph.dump(format=ox.RdfFormat.N_QUADS)


class OnDiskBuild(OxigraphQuads):
    """A build for ``oxigraph:PATH``: made in memory, written to PATH by :meth:`commit`."""

    def __init__(self, target: Path):
        check_replaceable(target)
        super().__init__(ox.Store())
        self.target = target

    def commit(self) -> None:
        """Write the graph to PATH, replacing what it held.

        The graph is written to a fresh sibling folder which then takes PATH's place, so a
        build that fails (or is never committed) leaves PATH as it was.
        """
        write_oxigraph(self.oxigraph.quads_for_pattern(None, None, None, None), self.target)


def create_in_memory(location: None = None) -> OxigraphQuads:
    """An empty Oxigraph store in memory (the ``memory`` backend)."""
    return OxigraphQuads(ox.Store())


def create(location: str) -> OnDiskBuild:
    """An empty build for ``oxigraph:PATH``.

    :raises KgError: when PATH holds anything but an Oxigraph store (or nothing).
    """
    return OnDiskBuild(Path(location))


def open_built(location: str) -> OxigraphQuads:
    """The Oxigraph store at PATH, read-only, as ``kg build --store oxigraph:PATH`` wrote it.

    :raises KgError: naming PATH when it is missing, not an Oxigraph store, or cannot be opened.
    """
    path = Path(location)
    if not path.exists():
        raise KgError(f"{path}: no such store (build into oxigraph:{path} first)")
    if not (path / "CURRENT").is_file():
        raise KgError(f"{path}: not an Oxigraph store (no CURRENT file, which a build into oxigraph:PATH writes)")
    try:
        inner = ox.Store.read_only(str(path))
    except (OSError, RuntimeError, ValueError) as exc:
        raise KgError(f"{path}: cannot open the Oxigraph store: {exc}") from exc
    return OxigraphQuads(inner)


def check_replaceable(path: Path) -> None:
    """Refuse a PATH that holds anything but an Oxigraph store (or nothing)."""
    if path.exists() and not path.is_dir():
        raise KgError(f"{path}: exists and is not a folder; a store oxigraph:PATH is a folder")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise KgError(f"{path}: not an Oxigraph store and not empty; refusing to replace it")


def write_oxigraph(quads: Iterable[ox.Quad], path: str | Path) -> None:
    """Write ``quads`` as the Oxigraph store at ``path``, replacing the store there (if any).

    They go into a fresh sibling folder first, which is renamed into place only once
    complete: a failure leaves the previous store untouched.

    :raises KgError: when ``path`` holds something else, is locked by a writer, or cannot be written.
    """
    path = Path(path)
    check_replaceable(path)
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
