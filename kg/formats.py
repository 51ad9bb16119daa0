"""Exports: one registry of RDF formats, deterministic output, atomic writes.

Output is byte-identical for the same graph: quads are sorted by their N-Quads form before
pyoxigraph serializes them (its writers keep input order; rdflib's N-Triples, JSON-LD and
RDF/XML writers do not: docs/engine-notes.md, "Deterministic serialization"). Files are
written to a temporary file in the same folder and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import ExportError
from .vocab import GRAPH_ONTOLOGY, PREFIXES
from .store import KnowledgeGraph, graph_name

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class ExportFormat:
    """An RDF serialization: its name, file extensions and media type."""

    name: str
    extensions: tuple[str, ...]
    media_type: str
    keeps_graphs: bool  # named graphs survive (TriG, N-Quads); else the graphs are merged
    write: Callable[[list], bytes]


def _sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    unique = {}
    for quad in quads:
        triple = quad.triple
        unique[(str(triple.subject), str(triple.predicate), str(triple.object))] = triple
    return [unique[key] for key in sorted(unique)]


def _sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def _ox_writer(fmt: ox.RdfFormat, keeps_graphs: bool) -> Callable[[list], bytes]:
    def write(quads: list) -> bytes:
        items = _sorted_quads(quads) if keeps_graphs else _sorted_triples(quads)
        try:
            return ox.serialize(items, format=fmt, prefixes=PREFIXES)
        except (ValueError, OSError) as exc:
            raise ExportError(f"cannot serialize as {fmt}: {exc}") from exc

    return write


def jsonld_context() -> dict:
    """The JSON-LD context of every export: the fixed prefixes, nothing remote."""
    return {"@context": dict(PREFIXES)}


def _compact(iri: str) -> str:
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _jsonld_value(term) -> object:
    if isinstance(term, ox.NamedNode):
        return {"@id": _compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == _XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": _compact(term.datatype.value)}


def _write_jsonld(quads: list) -> bytes:
    """Compact JSON-LD with the context inline, so that no processor ever fetches one."""
    nodes: dict[str, dict] = {}
    for triple in _sorted_triples(quads):
        subject = triple.subject
        key = f"_:{subject.value}" if isinstance(subject, ox.BlankNode) else _compact(subject.value)
        node = nodes.setdefault(key, {"@id": key})
        if triple.predicate.value == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(triple.object.value))
        else:
            node.setdefault(_compact(triple.predicate.value), []).append(_jsonld_value(triple.object))
    graph = [
        {k: node[k] for k in ["@id", "@type"] + sorted(k for k in node if not k.startswith("@")) if k in node}
        for _, node in sorted(nodes.items())
    ]
    document = {**jsonld_context(), "@graph": graph}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("turtle", (".ttl",), "text/turtle", False, _ox_writer(ox.RdfFormat.TURTLE, False)),
        ExportFormat("trig", (".trig",), "application/trig", True, _ox_writer(ox.RdfFormat.TRIG, True)),
        ExportFormat("ntriples", (".nt",), "application/n-triples", False, _ox_writer(ox.RdfFormat.N_TRIPLES, False)),
        ExportFormat("nquads", (".nq",), "application/n-quads", True, _ox_writer(ox.RdfFormat.N_QUADS, True)),
        ExportFormat("jsonld", (".jsonld",), "application/ld+json", False, _write_jsonld),
        ExportFormat("rdfxml", (".owl", ".rdf"), "application/rdf+xml", False, _ox_writer(ox.RdfFormat.RDF_XML, False)),
    )
}


def format_for(name: str | None = None, path: str | Path | None = None) -> ExportFormat:
    """Find a format by name, else by the suffix of ``path``.

    :raises ExportError: when neither names a known format.
    """
    if name is not None:
        if name in FORMATS:
            return FORMATS[name]
        raise ExportError(f"unknown format {name!r}; formats: {', '.join(FORMATS)}")
    suffix = Path(path).suffix if path is not None else ""
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(ext for f in FORMATS.values() for ext in f.extensions)
    raise ExportError(f"cannot tell the format of {str(path)!r} from its suffix; known suffixes: {known}")


def export(graph: KnowledgeGraph, output: str | Path | None = None, format: str | None = None,
           graphs: Iterable[str] | None = None) -> bytes | None:
    """Serialize a knowledge graph.

    :param graph: the built graph.
    :param output: a file to write (atomically); when None the bytes are returned.
    :param format: a name from :data:`FORMATS`; by default inferred from ``output``'s suffix.
    :param graphs: only these named graphs (IRIs); by default all of them.
    :returns: the serialized bytes when ``output`` is None, else None.
    :raises ExportError: for an unknown format or a term that cannot be written.
    """
    fmt = format_for(format, output)
    quads = list(graph.quads())
    if graphs is not None:
        wanted = set(graphs)
        quads = [q for q in quads if graph_name(q) in wanted]
    data = fmt.write(quads)
    if output is None:
        return data
    write_atomic(Path(output), data)
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_file(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (:func:`write_atomic`), for a user-named output file.

    A failure leaves whatever ``path`` held as it was, and no temporary file behind.

    :raises ExportError: naming ``path`` when it cannot be written (a folder that cannot be
        created, a read-only folder, a full disk).
    """
    path = Path(path)
    try:
        write_atomic(path, data)
    except OSError as exc:
        blocker = next((parent for parent in path.parents if parent.exists() and not parent.is_dir()), None)
        detail = f"{blocker} is not a folder" if blocker else exc.strerror or str(exc)
        raise ExportError(f"{path}: cannot be written: {detail}") from exc


#: The files `kg build` writes under exports/: name -> (format, graphs or None for all).
STANDARD_EXPORTS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "impasse.ttl": ("turtle", None),
    "impasse.trig": ("trig", None),
    "impasse.nt": ("ntriples", None),
    "impasse.jsonld": ("jsonld", None),
    "ontology.ttl": ("turtle", (str(GRAPH_ONTOLOGY),)),
    "ontology.nt": ("ntriples", (str(GRAPH_ONTOLOGY),)),
    "ontology.owl": ("rdfxml", (str(GRAPH_ONTOLOGY),)),
}


def render_exports(graph: KnowledgeGraph) -> dict[str, bytes]:
    """Serialize the standard set of exports, plus the JSON-LD context file, in memory."""
    files = {name: export(graph, format=fmt, graphs=graphs) for name, (fmt, graphs) in STANDARD_EXPORTS.items()}
    files["context.jsonld"] = (json.dumps(jsonld_context(), indent=1) + "\n").encode("utf-8")
    return files


def write_exports(graph: KnowledgeGraph, folder: str | Path) -> dict[str, int]:
    """Write the standard exports into ``folder``; every file is rendered before any is written.

    :returns: the size in bytes of each file written.
    """
    files = render_exports(graph)
    for name, data in files.items():
        write_atomic(Path(folder) / name, data)
    return {name: len(data) for name, data in files.items()}
