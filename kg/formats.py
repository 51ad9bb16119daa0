"""Formats: one registry of every format Impasse writes, and the exports written with it.

Each :class:`Format` has a name, file extensions, media types (the first is its own; the
others are aliases a client may ask for), a kind (an RDF graph, an RDF dataset that keeps
named graphs, or query results) and a writer. Exports, query results, the endpoint's
content negotiation and the CLI's choices all read this one table. Nothing heavy is imported
here at module level, so the CLI can list the names without loading an RDF library.

Output is byte-identical for the same graph: quads are sorted by their N-Quads form before
pyoxigraph serializes them (its writers keep input order; rdflib's N-Triples, JSON-LD and
RDF/XML writers do not: docs/engine-notes.md, "Deterministic serialization"). Files are
written to a temporary file in the same folder and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from json.encoder import encode_basestring  # the C string encoder json.dumps uses with ensure_ascii=False
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ExportError

if TYPE_CHECKING:
    from .store import KnowledgeGraph

#: Kinds of format: RDF triples, RDF quads (named graphs kept), query results (SELECT, ASK), and
#: the actor/issue network (a networkx graph, :func:`kg.views.gephi.actor_issue_network`).
GRAPH, DATASET, RESULTS, NETWORK = "graph", "dataset", "results", "network"
#: The W3C's IRIs for formats (https://www.w3.org/ns/formats/), named in the service description.
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """A format: name, file extensions, media types, kind and writer.

    ``writer`` is a callable or the ``module:function`` that holds it (imported on first
    use). RDF writers take the format and a list of quads and return bytes; results writers
    take the format, a :class:`kg.sparql.query.Result` and labels, and return text; network
    writers take the format and a networkx graph and return bytes.
    """

    name: str
    kind: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    writer: str | Callable
    #: The local name of its IRI under :data:`W3C_FORMATS` (None: it has none).
    w3c: str | None = None
    #: For results: whether it writes an ASK answer (a boolean) too.
    boolean: bool = True
    #: Whether its media type is in IANA's registry (DCAT then names it by its IRI there).
    iana: bool = True

    @property
    def media_type(self) -> str:
        """Its own media type (the first of :attr:`media_types`)."""
        return self.media_types[0]

    @property
    def keeps_graphs(self) -> bool:
        """Whether named graphs survive (TriG, N-Quads); else the graphs are merged."""
        return self.kind == DATASET

    @property
    def is_rdf(self) -> bool:
        return self.kind in (GRAPH, DATASET)

    def write(self, *args, **kwargs):
        """Write with this format's writer (see the class)."""
        writer = _resolve(self.writer) if isinstance(self.writer, str) else self.writer
        return writer(self, *args, **kwargs)


class EngineQuads:
    """The quads of named graphs of an Oxigraph store, sorted for the exports on the engine's own text.

    Sorting in Python by the N-Quads form of each term took most of the exports' time, the
    same work again for every file. Here Oxigraph writes each graph as N-Triples, the lines
    are sorted as bytes once, and parsed back in that order by Oxigraph. The order is the
    one :func:`_sorted_triples` and :func:`_sorted_quads` give: a line is its terms joined
    by spaces, no term contains a space outside a literal's quotes, and UTF-8 sorts as code
    points do. Iterating gives the quads, for writers that take any quads.

    Everything is computed once and kept: one ``kg build`` writes ten files from the same
    quads, and the sorted lines, the parsed terms and the JSON-LD node objects are the same
    for each (at 100 documents the second and third sort of the quads took 3 s).
    """

    def __init__(self, store, graphs: Iterable[str] | None = None):
        import pyoxigraph as ox

        names = {g.value for g in store.named_graphs()} if graphs is None else set(graphs)
        names = sorted(names, key=lambda name: f"<{name}>")  # as N-Quads writes them: "-c1>" before ">"
        self._lines = {name: sorted(set(store.dump(format=ox.RdfFormat.N_TRIPLES,
                                                   from_graph=ox.NamedNode(name)).splitlines()))
                       for name in names}
        self._memo: dict[str, object] = {}
        #: ROOT/.kg-cache, where the writers keep their blocks between builds (:mod:`kg.blocks`); None: not kept.
        self.cache: Path | None = None

    def _once(self, name: str, make: Callable[[], object]):
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]

    def graph_sizes(self) -> dict[str, int]:
        """The number of distinct triples in each named graph."""
        return {name: len(lines) for name, lines in self._lines.items()}

    def triple_lines(self) -> list[bytes]:
        """The distinct triples of the graphs as N-Triples lines (no newline), sorted."""
        return self._once("triple_lines", lambda: sorted(set().union(*self._lines.values())))

    def quad_lines(self) -> list[bytes]:
        """The quads as N-Quads lines (no newline), sorted by graph name, then as triples."""
        return self._once("quad_lines", lambda: [line[:-1] + b"<" + name.encode("utf-8") + b"> ."
                                                 for name, own in self._lines.items() for line in own])

    def graph_groups(self) -> list[bytes]:
        """Each named graph as ``<name>``, a newline and its N-Triples lines, each with its newline."""
        return self._once("graph_groups", lambda: [b"<" + name.encode("utf-8") + b">\n" + b"".join(
            line + b"\n" for line in own) for name, own in self._lines.items()])

    def subject_groups(self) -> list[bytes]:
        """:meth:`triple_lines` as text, cut where the subject changes: the lines of each subject,
        each with its newline (a line starts with its subject and a space; literals escape newlines)."""
        return self._once("subject_groups", lambda: [m.group(0) for m in _SAME_SUBJECT.finditer(self.triple_text())])

    def triple_text(self) -> bytes:
        """:meth:`triple_lines` as N-Triples text, each line with its newline."""
        return self._once("triple_text", lambda: b"".join(line + b"\n" for line in self.triple_lines()))

    def sorted_triples(self) -> list:
        """The distinct triples of the graphs, sorted."""
        import pyoxigraph as ox

        return self._once("triples", lambda: list(ox.parse(b"\n".join(self.triple_lines()),
                                                           format=ox.RdfFormat.N_TRIPLES)))

    def sorted_quads(self) -> list:
        """The quads, sorted by graph name, then as triples."""
        import pyoxigraph as ox

        return self._once("quads", lambda: list(ox.parse(b"\n".join(self.quad_lines()), format=ox.RdfFormat.N_QUADS)))

    def __iter__(self):
        return iter(self.sorted_quads())


#: A run of lines that start with the same subject (a subject holds no space nor newline).
_SAME_SUBJECT = re.compile(rb"([^ \n]+) [^\n]*\n(?:\1 [^\n]*\n)*")


def _resolve(name: str) -> Callable:
    """The function a ``module:function`` string names, imported now (not when this module loads)."""
    module, _, function = name.partition(":")
    return getattr(import_module(module), function)


def _sorted_triples(quads: Iterable) -> list:
    if isinstance(quads, EngineQuads):
        return quads.sorted_triples()
    unique = {}
    for quad in quads:
        triple = quad.triple
        unique[(str(triple.subject), str(triple.predicate), str(triple.object))] = triple
    return [unique[key] for key in sorted(unique)]


def _sorted_quads(quads: Iterable) -> list:
    if isinstance(quads, EngineQuads):
        return quads.sorted_quads()
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def write_rdf(fmt: Format, quads: list) -> bytes:
    """Serialize quads with pyoxigraph's writer for ``fmt``, sorted, with the fixed prefixes."""
    import pyoxigraph as ox

    from .vocab import PREFIXES

    target = ox.RdfFormat.from_media_type(fmt.media_type)
    if isinstance(quads, EngineQuads) and target in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        # the sorted lines are already what Oxigraph's writer would write, line for line
        lines = quads.quad_lines() if target == ox.RdfFormat.N_QUADS else quads.triple_lines()
        return b"\n".join(lines) + b"\n" if lines else b""
    if isinstance(quads, EngineQuads) and target.media_type in _FRAMES:
        groups = quads.graph_groups() if fmt.keeps_graphs else quads.subject_groups()
        if groups:
            return _write_blocks(fmt.name, target, groups, quads.cache)
    items = _sorted_quads(quads) if fmt.keeps_graphs else _sorted_triples(quads)
    try:
        return ox.serialize(items, format=target, prefixes=PREFIXES)
    except (ValueError, OSError) as exc:
        raise ExportError(f"cannot serialize as {target}: {exc}") from exc


#: For each format written block by block (:mod:`kg.blocks`), by media type: what starts a
#: block in the writer's output. A Turtle block is a subject's
#: triples, from a line that is not indented (the writer escapes newlines in literals); a TriG
#: block a named graph, from a line that is neither indented nor the ``}`` that closes one; an
#: RDF/XML block a subject's element, from a line indented once that opens one (text in XML
#: never holds a raw ``<``).
_FRAMES = {"text/turtle": re.compile(rb"\n(?=[^\t])"), "application/trig": re.compile(rb"\n(?=[^\t}])"),
           "application/rdf+xml": re.compile(rb"(?=\n\t<[^/])")}


@lru_cache(maxsize=None)
def _frame(media_type: str) -> tuple[bytes, bytes]:
    """(header, footer) of the writer's output for ``media_type``: what it writes around the blocks."""
    import pyoxigraph as ox

    from .vocab import PREFIXES

    target = ox.RdfFormat.from_media_type(media_type)
    label = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("x"))
    if target == ox.RdfFormat.TRIG:
        label = ox.Quad(label.subject, label.predicate, label.object, ox.NamedNode("urn:x:g"))
    text = ox.serialize([label], format=target, prefixes=PREFIXES)
    cuts = [m.end() for m in _FRAMES[media_type].finditer(text)]
    start = text.index(b"<urn:x:") if target != ox.RdfFormat.RDF_XML else cuts[-1]
    end = text.rindex(b"\n</rdf:RDF>") if target == ox.RdfFormat.RDF_XML else len(text)
    return text[:start], text[end:]


def _write_blocks(name: str, target, groups: list[bytes], cache: Path | None) -> bytes:
    """The export of ``groups`` (a subject's or a graph's sorted lines each) in ``target``, block by block,
    each block kept from the last build when its lines are unchanged (:class:`kg.blocks.BlockCache`)."""
    from .blocks import BlockCache

    header, footer = _frame(target.media_type)
    kept = BlockCache(cache, name)
    blocks = kept.blocks(groups, lambda missing: _serialize_blocks(target, missing, header, footer))
    kept.save()
    return b"".join([header, *blocks, footer])


def _serialize_blocks(target, groups: list[bytes], header: bytes, footer: bytes) -> list[bytes]:
    """One block per group: the groups serialized at once and the text cut where blocks start; each
    group alone where the cuts do not match the groups one to one (then a block is what the
    writer writes for the group, its frame taken off)."""
    import pyoxigraph as ox

    from .vocab import PREFIXES

    def serialize(groups: list[bytes]) -> bytes:
        if target == ox.RdfFormat.TRIG:  # a graph's name, then its triples: made quads of that graph
            groups = [_END.sub(b" " + group[:group.index(b"\n")] + b" .\n", group[group.index(b"\n") + 1:])
                      for group in groups]
        source = ox.RdfFormat.N_QUADS if target == ox.RdfFormat.TRIG else ox.RdfFormat.N_TRIPLES
        try:
            text = ox.serialize(ox.parse(b"".join(groups), format=source), format=target, prefixes=PREFIXES)
        except (ValueError, OSError, SyntaxError) as exc:
            raise ExportError(f"cannot serialize as {target}: {exc}") from exc
        if not (text.startswith(header) and text.endswith(footer)):
            raise ExportError(f"the {target} writer wrote an unexpected frame; pyoxigraph {ox.__version__}?")
        return text[len(header):len(text) - len(footer)]

    body = serialize(groups)
    cuts = sorted({0, len(body), *(m.end() for m in _FRAMES[target.media_type].finditer(body))})
    if len(cuts) == len(groups) + 1:
        return [body[a:b] for a, b in zip(cuts, cuts[1:])]
    return [serialize([group]) for group in groups]


#: The end of an N-Triples line (literals escape newlines, so " .\n" ends lines only).
_END = re.compile(rb" \.\n")


def jsonld_context(quads: Iterable | None = None) -> dict:
    """The JSON-LD context of the exports: the fixed prefixes, then a term per property.

    Each property the quads use gets its local name as a term (``heldBy``, ``label``,
    ``wasDerivedFrom``), unless that name is a prefix or another property's term: then it is
    written ``prefix:name`` (a property of the Impasse ontology wins a tie, then the order of
    :data:`kg.vocab.PREFIXES`). A property whose objects are all IRIs or blank nodes is coerced
    to ``@id``; one whose objects are all literals of one datatype (not a plain string) to that
    datatype. Nothing remote: processors never fetch a context (docs/exports.md, "JSON-LD").

    :param quads: the quads the context is for (none: the prefixes alone).
    """
    from .vocab import PREFIXES

    return {"@context": {**PREFIXES, **{term: definition for term, (_, definition) in _terms_of(quads or ()).items()}}}


def _terms_of(quads: Iterable) -> dict[str, tuple[str, object]]:
    """:func:`_terms`, once per :class:`EngineQuads` (the context file and both JSON-LD exports read it),
    from its lines (:func:`_line_kinds`: parsing every line into terms took 2.6 s at 100 documents)."""
    if isinstance(quads, EngineQuads):
        return quads._once("terms", lambda: _terms(_line_kinds(quads.triple_text())))
    return _terms(_kinds(quads))


def _kinds(quads: Iterable) -> dict[str, set]:
    """property -> the kinds of its objects: ``{"@id"}``, datatype IRIs, ``{"@language"}`` (rdf:type left out)."""
    import pyoxigraph as ox

    from .vocab import OX_RDF_TYPE

    kinds: dict[str, set] = {}
    for quad in quads:
        if quad.predicate == OX_RDF_TYPE:
            continue
        obj = quad.object
        kind = ("@id" if isinstance(obj, (ox.NamedNode, ox.BlankNode)) else "@language" if obj.language
                else obj.datatype.value)
        kinds.setdefault(quad.predicate.value, set()).add(kind)
    return kinds


def _line_kinds(text: bytes) -> dict[str, set]:
    """:func:`_kinds` of N-Triples text as Oxigraph writes it, read off the text (:data:`_OBJECT_KIND`)."""
    from .vocab import OX_RDF_TYPE, XSD_STRING

    rdf_type = f"<{OX_RDF_TYPE.value}>".encode()
    kinds: dict[str, set] = {}
    for predicate, node, tail in set(_OBJECT_KIND.findall(text)):
        if predicate != rdf_type:
            kind = ("@id" if node else XSD_STRING.value if not tail else "@language" if tail[:1] == b"@"
                    else tail[3:-1].decode("utf-8"))
            kinds.setdefault(predicate[1:-1].decode("utf-8"), set()).add(kind)
    return kinds


#: A line's predicate and the kind of its object: ``<`` or ``_`` for an IRI or a blank node,
#: else what follows a literal's closing quote (nothing for an ``xsd:string``, ``@lang``,
#: ``^^<datatype>``); a literal's own quotes, backslashes and newlines are escaped.
_OBJECT_KIND = re.compile(rb'^[^ \n]+ ([^ \n]+) (?:([<_])[^\n]*|"(?:[^"\\\n]|\\.)*"([^ \n]*)) \.$', re.M)


def _terms(kinds: dict[str, set]) -> dict[str, tuple[str, object]]:
    """term -> (property IRI, its definition) for the properties of ``kinds`` (:func:`_kinds`), sorted by term."""
    from .vocab import IMP, PREFIXES, XSD_STRING

    order = list(PREFIXES)
    candidates: dict[str, list[tuple[tuple, str]]] = {}
    for iri in kinds:
        name = iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        prefix = (compact(iri) or ":").split(":")[0]
        if name.isidentifier() and name not in PREFIXES and not name.startswith("_"):
            rank = (not iri.startswith(str(IMP)), order.index(prefix) if prefix in order else len(order), iri)
            candidates.setdefault(name, []).append((rank, iri))
    terms = {}
    for name in sorted(candidates):
        iri = min(candidates[name])[1]
        found = kinds[iri]
        definition: dict = {"@id": compact(iri) or iri}
        if found == {"@id"}:
            definition["@type"] = "@id"
        elif len(found) == 1 and next(iter(found)) not in ("@language", XSD_STRING.value):
            datatype = next(iter(found))
            definition["@type"] = compact(datatype) or datatype
        terms[name] = (iri, definition)
    return terms


@lru_cache(maxsize=1 << 16)  # called per term of the JSON-LD export: 3.8 of its 6.8 s at 20 documents
def compact(iri: str) -> str | None:
    """An IRI as ``prefix:name`` with the fixed prefixes (the longest namespace that fits); None when none fits."""
    from .vocab import PREFIXES

    best = max((p for p, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda p: len(PREFIXES[p]), default=None)
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else None


def _node_id(term) -> str:
    import pyoxigraph as ox

    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value) or term.value


def _jsonld_value(term, coerced: str | None) -> object:
    """One object as JSON-LD, as the term's coercion (``@id``, a datatype or None) reads it back."""
    import pyoxigraph as ox

    from .vocab import XSD_STRING

    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return _node_id(term) if coerced == "@id" else {"@id": _node_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if coerced is not None and coerced != "@id":
        return term.value
    if term.datatype == XSD_STRING:
        return term.value if coerced is None else {"@value": term.value}
    return {"@value": term.value, "@type": compact(term.datatype.value) or term.datatype.value}


def _jsonld_nodes(quads: Iterable) -> tuple[dict, dict[str, dict]]:
    """(the context, every subject as a JSON-LD node object keyed by its id), keys and values sorted;
    once per :class:`EngineQuads` (the flat and the framed export share them; neither changes them)."""
    if isinstance(quads, EngineQuads):
        return quads._once("jsonld", lambda: _make_jsonld_nodes(quads.sorted_triples(), _terms_of(quads)))
    triples = _sorted_triples(quads)
    return _make_jsonld_nodes(triples, _terms(_kinds(triples)))


def _make_jsonld_nodes(triples: list, terms: dict) -> tuple[dict, dict[str, dict]]:
    from .vocab import PREFIXES

    context = {"@context": {**PREFIXES, **{term: definition for term, (_, definition) in terms.items()}}}
    nodes = _node_objects(triples, _term_keys(terms))
    return context, {key: _ordered(node) for key, node in sorted(nodes.items())}


def _term_keys(terms: dict) -> dict[str, tuple[str, str | None]]:
    """property IRI -> (its key in a node object, its coercion) for the terms of :func:`_terms`."""
    return {iri: (term, definition.get("@type")) for term, (iri, definition) in terms.items()}


def _node_objects(triples: Iterable, keys: dict) -> dict[str, dict]:
    """The subjects of ``triples`` as JSON-LD node objects by id, values in the order of the triples."""
    import pyoxigraph as ox

    from .vocab import OX_RDF_TYPE

    nodes: dict[str, dict] = {}
    for triple in triples:
        key = _node_id(triple.subject)
        node = nodes.setdefault(key, {"@id": key})
        if triple.predicate == OX_RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(_node_id(triple.object))
            continue
        predicate = triple.predicate.value
        name, coerced = keys.get(predicate, (compact(predicate) or predicate, None))
        node.setdefault(name, []).append(_jsonld_value(triple.object, coerced))
    return nodes


def _ordered(node: dict) -> dict:
    """A node object with ``@id`` and ``@type`` first, then its properties sorted."""
    return {k: node[k] for k in ["@id", "@type"] + sorted(k for k in node if not k.startswith("@")) if k in node}


def _jsonld_blocks(quads: EngineQuads) -> list[str] | None:
    """The node objects of the flat JSON-LD as written text, sorted by id: one block per subject
    (:mod:`kg.blocks`), kept from the last build while its lines and the context are unchanged.
    None when two subjects would share a node id (an IRI that is another's compact form): their
    triples make one node, which blocks by subject cannot give."""
    from .blocks import BlockCache

    terms = _terms_of(quads)
    keys = _term_keys(terms)

    def make(groups: list[bytes]) -> list[tuple[str, str]]:
        made = []
        for key, node in _node_objects_of(quads, groups, keys):
            text: list[str] = []
            _dump_json(node, 2, text)  # as a member of "@graph" (level 1) writes it
            made.append((key, "".join(text)))
        return made

    kept = BlockCache(quads.cache, "jsonld", identity=json.dumps(terms))
    blocks = kept.blocks(quads.subject_groups(), make)
    if len({key for key, _ in blocks}) != len(blocks):
        return None
    kept.save()
    return [_Raw(text) for _, text in sorted(blocks)]


def _node_objects_of(quads: EngineQuads, groups: list[bytes], keys: dict) -> list[tuple[str, dict]]:
    """(node id, ordered node object) of the subject of each group (:meth:`EngineQuads.subject_groups`),
    the groups parsed at once; kept on ``quads`` so that the framed JSON-LD uses the node objects
    the flat one made (a build from scratch makes every one of them: parsing them twice took 3 s
    at 100 documents)."""
    import pyoxigraph as ox

    known: dict[bytes, tuple[str, dict]] = quads._once("jsonld_node_objects", dict)
    unknown = [group for group in groups if group[:group.index(b" ")] not in known]
    triples = iter(ox.parse(b"".join(unknown), format=ox.RdfFormat.N_TRIPLES))
    for group in unknown:
        ((key, node),) = _node_objects(itertools.islice(triples, group.count(b"\n")), keys).items()
        known[group[:group.index(b" ")]] = (key, _ordered(node))
    return [known[group[:group.index(b" ")]] for group in groups]


def _jsonld_bytes(document: dict) -> bytes:
    """``json.dumps(document, ensure_ascii=False, indent=1)`` and a newline, byte for byte.

    With an indent the standard library encodes in pure Python, through a generator per
    nesting level: 5.6 s of the two JSON-LD exports at 100 documents. The documents here are
    dicts, lists and strings (anything else goes to :func:`json.dumps`), written by one
    recursive function with the C string encoder.
    """
    out: list[str] = []
    _dump_json(document, 0, out)
    out.append("\n")
    return "".join(out).encode("utf-8")


_INDENTS = ["\n" + " " * level for level in range(64)]


class _Raw(str):
    """JSON already written, at the level it is placed at (a node object of :func:`_jsonld_blocks`)."""


def _dump_json(value, level: int, out: list[str]) -> None:
    if value.__class__ is _Raw:
        out.append(value)
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, dict) and value:
        inner = _INDENTS[level + 1] if level + 1 < len(_INDENTS) else "\n" + " " * (level + 1)
        separator = "{"
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON-LD keys are strings, not {key!r}")
            out.append(separator + inner)
            out.append(encode_basestring(key) + ": ")
            _dump_json(item, level + 1, out)
            separator = ","
        out.append(inner[:-1] + "}")
    elif isinstance(value, list) and value:
        inner = _INDENTS[level + 1] if level + 1 < len(_INDENTS) else "\n" + " " * (level + 1)
        separator = "["
        for item in value:
            out.append(separator + inner)
            _dump_json(item, level + 1, out)
            separator = ","
        out.append(inner[:-1] + "]")
    else:  # an empty dict or list, a number, a boolean, None
        out.append(json.dumps(value, ensure_ascii=False))


def write_jsonld(fmt: Format, quads: list) -> bytes:
    """Compact JSON-LD with the term context inline (:func:`jsonld_context`), so no processor fetches one."""
    blocks = _jsonld_blocks(quads) if isinstance(quads, EngineQuads) else None
    if blocks:
        return _jsonld_bytes({**jsonld_context(quads), "@graph": blocks})
    context, nodes = _jsonld_nodes(quads)
    return _jsonld_bytes({**context, "@graph": list(nodes.values())})


#: The properties whose object :func:`write_jsonld_framed` nests under the subject: a fact's
#: evidence (PROV-O), and an evidence's selectors (Web Annotation).
NESTED = ("http://www.w3.org/ns/prov#wasDerivedFrom", "http://www.w3.org/ns/oa#hasSelector")


def write_jsonld_framed(fmt: Format, quads: list) -> bytes:
    """JSON-LD as :func:`write_jsonld` writes it, but with each fact's evidence nested under it,
    and each evidence's selectors under the evidence.

    A node is nested where it is the object of a :data:`NESTED` property of exactly one triple
    (evidence two facts share stays at the top, referred to by its id), so the document holds
    the same triples as the flat one: it parses back to the same graph.
    """
    import pyoxigraph as ox

    blocks = _framed_blocks(quads) if isinstance(quads, EngineQuads) else None
    if blocks:
        return _jsonld_bytes({**jsonld_context(quads), "@graph": blocks})
    triples = _sorted_triples(quads)
    context, nodes = _jsonld_nodes(quads)
    keys = {iri: term for term, (iri, _) in _terms_of(quads if isinstance(quads, EngineQuads) else triples).items()}
    nesting = {keys.get(iri, compact(iri) or iri) for iri in NESTED}  # their keys in the node objects
    references: dict[str, int] = {}
    parent: dict[str, str] = {}
    for triple in triples:
        if not isinstance(triple.object, ox.Literal):
            target = _node_id(triple.object)
            references[target] = references.get(target, 0) + 1
            if triple.predicate.value in NESTED:
                parent[target] = _node_id(triple.subject)
    nested = {node for node, owner in parent.items() if references[node] == 1 and node in nodes}
    for node in sorted(nested):  # a cycle of nested nodes would leave them nowhere: keep its members at the top
        seen, at = set(), node
        while at in nested and at not in seen:
            seen.add(at)
            at = parent[at]
        if at in seen:
            nested -= seen

    def render(key: str) -> dict:
        node = nodes[key]
        out = {}
        for name, values in node.items():
            if name.startswith("@"):
                out[name] = values
                continue
            out[name] = [render(_value_id(v)) if name in nesting and _value_id(v) in nested
                         and parent[_value_id(v)] == key else v for v in values]
        return out

    return _jsonld_bytes({**context, "@graph": [render(key) for key in nodes if key not in nested]})


def _framed_blocks(quads: EngineQuads) -> list[str] | None:
    """The top-level node objects of the framed JSON-LD as written text, sorted by id.

    Each node object, with the nodes nested under it, is a block (:mod:`kg.blocks`) at its
    level of indentation, kept from the last build while its lines, those of the nodes nested
    under it, which nodes nest where and the context are unchanged. A node that changed is
    written again around the kept text of the nodes nested under it: a node every article
    supports (an agreement they all name) nests the evidence of each, and one new article must
    not write all of it again.

    What nests where is read off the lines (:data:`_NODE_OBJECT`, :data:`_NESTED_LINE`), as
    :func:`write_jsonld_framed` decides it from the terms. None where blocks cannot give what
    that function writes: two subjects that share a node id, or nested nodes in a cycle (which
    it keeps at the top).
    """
    from .blocks import BlockCache, digest

    text = quads.triple_text()
    group_of = {group[:group.index(b" ")]: group for group in quads.subject_groups()}
    references = Counter(_NODE_OBJECT.findall(text))
    children: dict[bytes, list[bytes]] = {}
    for subject, obj in _NESTED_LINE.findall(text):  # in sorted order, as the lines are
        if references[obj] == 1 and obj in group_of:
            children.setdefault(subject, []).append(obj)
    nested = {obj for kids in children.values() for obj in kids}
    keys_of_nodes: dict[bytes, bytes] = {}  # subject -> the digest of its block
    order: list[tuple[bytes, int]] = []  # (subject, level), the nodes nested under one before it

    def visit(subject: bytes, level: int) -> None:
        kids = children.get(subject, ())
        for kid in kids:
            visit(kid, level + 2)  # a nested node sits in a list (level + 1) of its parent's
        keys_of_nodes[subject] = digest(b"%d\n" % level + group_of[subject] + b"".join(keys_of_nodes[k] for k in kids))
        order.append((subject, level))

    roots = [subject for subject in group_of if subject not in nested]
    for root in roots:
        visit(root, 2)  # a member of "@graph" (level 1)
    if len(order) != len(group_of):  # some nested node is under no top-level node: a cycle
        return None
    terms = _terms_of(quads)
    keys = _term_keys(terms)
    nesting = {keys.get(iri, (compact(iri) or iri, None))[0] for iri in NESTED}
    kept = BlockCache(quads.cache, "jsonld-framed", identity=json.dumps(terms))
    written = {subject: kept.get(keys_of_nodes[subject]) for subject, _ in order}  # subject -> (node id, text)
    missing = [subject for subject, _ in order if written[subject] is None]
    made = dict(zip(missing, _node_objects_of(quads, [group_of[subject] for subject in missing], keys)))
    for subject, level in order:
        if written[subject] is None:
            key, node = made[subject]
            by_id = {written[kid][0]: kid for kid in children.get(subject, ())}
            shell = {name: values if name.startswith("@") else
                     [_Raw(written[by_id[_value_id(v)]][1]) if name in nesting and _value_id(v) in by_id else v
                      for v in values]
                     for name, values in node.items()}
            out: list[str] = []
            _dump_json(shell, level, out)
            written[subject] = (key, "".join(out))
        kept.keep(keys_of_nodes[subject], written[subject])
    if len({key for key, _ in written.values()}) != len(written):
        return None
    kept.save()
    return [_Raw(text) for _, text in sorted(written[root] for root in roots)]


#: An object that is an IRI or a blank node, on an N-Triples line (neither holds a space).
_NODE_OBJECT = re.compile(rb"^[^ \n]+ [^ \n]+ ([<_][^ \n]*) \.$", re.M)
#: A line of a :data:`NESTED` property whose object is an IRI or a blank node: (subject, object).
_NESTED_LINE = re.compile(rb"^([^ \n]+) <(?:" + b"|".join(re.escape(iri.encode()) for iri in NESTED)
                          + rb")> ([<_][^ \n]*) \.$", re.M)


def _value_id(value) -> str | None:
    """The node id a JSON-LD value refers to (a coerced string or ``{"@id": …}``), else None."""
    if isinstance(value, dict):
        return value.get("@id") if len(value) == 1 else None
    return value


#: The datatypes of the OWL 2 datatype map (OWL 2 Structural Specification §4,
#: https://www.w3.org/TR/owl2-syntax/#Datatype_Maps), with RDF 1.1's rdf:langString.
OWL2_DATATYPES = frozenset(
    [f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "double", "float", "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
        "boolean", "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp")]
    + [f"http://www.w3.org/1999/02/22-rdf-syntax-ns#{name}" for name in ("PlainLiteral", "XMLLiteral", "langString")]
    + ["http://www.w3.org/2000/01/rdf-schema#Literal", "http://www.w3.org/2002/07/owl#real",
       "http://www.w3.org/2002/07/owl#rational"])


def owl2_dl_quads(quads: Iterable) -> Iterator:
    """The quads with every literal whose datatype OWL 2 DL lacks (``xsd:date``, ``xsd:gYear``,
    ``xsd:gYearMonth``, ``xsd:duration`` …) as an ``xsd:string`` of the same lexical form.

    HermiT and the OWL API refuse such literals (they are outside the OWL 2 datatype map); the
    lexical form keeps the precision the source gave ("2025-06" is still a year and a month),
    and no day is invented (docs/exports.md, "The OWL 2 DL variant").
    """
    import pyoxigraph as ox

    for quad in quads:
        obj = quad.object
        if isinstance(obj, ox.Literal) and not obj.language and obj.datatype.value not in OWL2_DATATYPES:
            quad = ox.Quad(quad.subject, quad.predicate, ox.Literal(obj.value), quad.graph_name)
        yield quad


def write_owl_dl(fmt: Format, quads: list) -> bytes:
    """RDF/XML of :func:`owl2_dl_quads`: the graph as OWL 2 DL tools (Protégé with HermiT) read it."""
    if isinstance(quads, EngineQuads):
        return write_rdf(fmt, _OwlDlLines(quads))
    return write_rdf(fmt, list(owl2_dl_quads(quads)))


class _OwlDlLines(EngineQuads):
    """:func:`owl2_dl_quads` on the sorted N-Triples lines of an :class:`EngineQuads`: only the
    lines whose literal changes are rewritten, and the lines sorted again as bytes (nearly
    sorted already), instead of every term converted and sorted in Python (3.3 s at 100 documents)."""

    def __init__(self, quads: EngineQuads):  # noqa: super().__init__ reads a store; here the lines are given
        lines = []
        for line in quads.triple_lines():
            cut = line.rfind(b'"^^<')  # a typed literal's datatype: no IRI holds a quote, a literal escapes it
            if cut != -1 and line.endswith(b"> .") and line[cut + 4:-3].decode("utf-8") not in OWL2_DATATYPES:
                line = line[:cut + 1] + b" ."
            lines.append(line)
        self._lines = {"": sorted(set(lines))}
        self._memo = {"triple_lines": self._lines[""]}
        self.cache = quads.cache


_RDF, _JSONLD, _RESULTS = "kg.formats:write_rdf", "kg.formats:write_jsonld", "kg.sparql.results:write_results"

#: Every format, by name. Within a kind, the order is the endpoint's order of preference.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", GRAPH, (".ttl",), ("text/turtle", "application/x-turtle"), _RDF, "Turtle"),
        Format("trig", DATASET, (".trig",), ("application/trig",), _RDF, "TriG"),
        Format("ntriples", GRAPH, (".nt",), ("application/n-triples", "text/plain"), _RDF, "N-Triples"),
        Format("nquads", DATASET, (".nq",), ("application/n-quads",), _RDF, "N-Quads"),
        Format("jsonld", GRAPH, (".jsonld",), ("application/ld+json",), _JSONLD, "JSON-LD"),
        Format("jsonld-framed", GRAPH, (".jsonld",), ("application/ld+json",), "kg.formats:write_jsonld_framed"),
        Format("rdfxml", GRAPH, (".owl", ".rdf"), ("application/rdf+xml",), _RDF, "RDF_XML"),
        Format("owl-dl", GRAPH, (".owl",), ("application/rdf+xml",), "kg.formats:write_owl_dl"),
        Format("json", RESULTS, (".srj",), ("application/sparql-results+json", "application/json"), _RESULTS,
               "SPARQL_Results_JSON"),
        Format("xml", RESULTS, (".srx",), ("application/sparql-results+xml", "application/xml"), _RESULTS,
               "SPARQL_Results_XML"),
        Format("csv", RESULTS, (".csv",), ("text/csv",), _RESULTS, "SPARQL_Results_CSV", boolean=False),
        Format("tsv", RESULTS, (".tsv",), ("text/tab-separated-values",), _RESULTS, "SPARQL_Results_TSV",
               boolean=False),
        Format("table", RESULTS, (".txt",), ("text/plain",), _RESULTS),
        Format("markdown", RESULTS, (".md",), ("text/markdown",), _RESULTS),
        Format("gexf", NETWORK, (".gexf",), ("application/gexf+xml",), "kg.views.gephi:write_gexf", iana=False),
        Format("graphml", NETWORK, (".graphml",), ("application/graphml+xml",), "kg.views.gephi:write_graphml",
               iana=False),
        Format("nodes-csv", NETWORK, (".csv",), ("text/csv",), "kg.views.gephi:write_nodes_csv"),
        Format("edges-csv", NETWORK, (".csv",), ("text/csv",), "kg.views.gephi:write_edges_csv"),
    )
}


def names(*kinds: str) -> tuple[str, ...]:
    """The names of the formats of these kinds, in registry order."""
    return tuple(name for name, f in FORMATS.items() if f.kind in kinds)


def format_for(name: str | None = None, path: str | Path | None = None) -> Format:
    """Find an RDF format by name, else by the suffix of ``path``.

    :raises ExportError: when neither names a known RDF format.
    """
    rdf = {n: f for n, f in FORMATS.items() if f.is_rdf}
    if name is not None:
        if name in rdf:
            return rdf[name]
        raise ExportError(f"unknown format {name!r}; formats: {', '.join(rdf)}")
    suffix = Path(path).suffix if path is not None else ""
    for fmt in rdf.values():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(ext for f in rdf.values() for ext in f.extensions)
    raise ExportError(f"cannot tell the format of {str(path)!r} from its suffix; known suffixes: {known}")


def export(graph: KnowledgeGraph, output: str | Path | None = None, format: str | None = None,
           graphs: Iterable[str] | None = None, quads: Iterable | None = None) -> bytes | None:
    """Serialize a knowledge graph.

    :param graph: the built graph.
    :param output: a file to write (atomically); when None the bytes are returned.
    :param format: the name of an RDF format in :data:`FORMATS`; by default inferred from ``output``'s suffix.
    :param graphs: only these named graphs (IRIs); by default all of them.
    :param quads: the graph's quads already read (:class:`EngineQuads`), to share between exports.
    :returns: the serialized bytes when ``output`` is None, else None.
    :raises ExportError: for an unknown format or a term that cannot be written.
    """
    from .store import graph_name

    fmt = format_for(format, output)
    if quads is None and graph.oxigraph is not None:
        quads = EngineQuads(graph.oxigraph, graphs)
    elif quads is None:
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


def write_file(path: str | Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (:func:`write_atomic`), for a user-named output file.

    A failure leaves whatever ``path`` held as it was, and no temporary file behind. The rename
    would replace a symbolic link, a device node or a FIFO with a regular file (as root,
    ``/dev/full`` was replaced so): anything at ``path`` that is not a regular file is refused
    unless ``force`` is given.

    :raises ExportError: naming ``path`` when it is not a regular file (without ``force``), or
        cannot be written (a folder that cannot be created, a read-only folder, a full disk).
    """
    import stat

    path = Path(path)
    try:
        mode = path.lstat().st_mode
    except OSError:  # nothing there, or a parent is missing or not a folder: the write says which
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError(f"{path}: is a folder; name a file to write")
    if mode is not None and not stat.S_ISREG(mode) and not force:
        kind = ("a symbolic link" if stat.S_ISLNK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise ExportError(f"{path}: is {kind}, not a regular file; it would be replaced by a regular file "
                          "(refused unless forced; or write to standard output)")
    try:
        write_atomic(path, data)
    except OSError as exc:
        blocker = next((parent for parent in path.parents if parent.exists() and not parent.is_dir()), None)
        detail = f"{blocker} is not a folder" if blocker else exc.strerror or str(exc)
        raise ExportError(f"{path}: cannot be written: {detail}") from exc


_ONTOLOGY_GRAPH = "https://w3id.org/impasse/id/graph/ontology"  # kg.vocab.GRAPH_ONTOLOGY (tests check they agree)

#: The files `kg build` writes under exports/: name -> (format, graphs or None for all).
STANDARD_EXPORTS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "impasse.ttl": ("turtle", None),
    "impasse.trig": ("trig", None),
    "impasse.nq": ("nquads", None),
    "impasse.nt": ("ntriples", None),
    "impasse.jsonld": ("jsonld", None),
    "impasse-framed.jsonld": ("jsonld-framed", None),
    "impasse-dl.owl": ("owl-dl", None),
    "ontology.ttl": ("turtle", (_ONTOLOGY_GRAPH,)),
    "ontology.nt": ("ntriples", (_ONTOLOGY_GRAPH,)),
    "ontology.owl": ("rdfxml", (_ONTOLOGY_GRAPH,)),
}


#: What describes the dataset (VoID, DCAT) in exports/void.ttl, one layer up.
_DESCRIPTION = "kg.void:describe", "kg.void:write_description"
#: What makes the network the network formats write: the views' own data, one layer up (the
#: same ``module:function`` late binding as the writers, so this module imports no view).
_NETWORK = "kg.views.gephi:actor_issue_network"
#: The actor/issue network files `kg build` writes under exports/: name -> format.
NETWORK_EXPORTS: dict[str, str] = {
    "network.gexf": "gexf",
    "network.graphml": "graphml",
    "network-nodes.csv": "nodes-csv",
    "network-edges.csv": "edges-csv",
}


def render_exports(graph: KnowledgeGraph, *, data=None, cache: str | Path | None = None) -> dict[str, bytes]:
    """Serialize the standard set of exports, plus the JSON-LD context file, in memory.

    :param data: the graph already read for the views (:class:`kg.views.graphdata.GraphData`),
        for the network files: reading every quad again took 4 s at 100 documents.
    :param cache: ROOT/.kg-cache: the serialized blocks of the large exports are kept there and
        reused while their lines are unchanged (:mod:`kg.blocks`); None: made anew, not kept.
    """
    every = EngineQuads(graph.oxigraph) if graph.oxigraph is not None else None  # read and sorted once
    if every is not None:
        every.cache = Path(cache) if cache is not None else None
    files = {name: export(graph, format=fmt, graphs=graphs, quads=every if graphs is None else None)
             for name, (fmt, graphs) in STANDARD_EXPORTS.items()}
    files["context.jsonld"] = (json.dumps(jsonld_context(every if every is not None else graph.quads()), indent=1)
                               + "\n").encode("utf-8")
    network = _resolve(_NETWORK)(graph, data)
    files.update({name: FORMATS[fmt].write(network) for name, fmt in NETWORK_EXPORTS.items()})
    formats = {**{name: fmt for name, (fmt, _) in STANDARD_EXPORTS.items()}, "context.jsonld": "jsonld",
               **NETWORK_EXPORTS}
    describe, write = map(_resolve, _DESCRIPTION)
    files["void.ttl"] = write(describe(graph, files={name: (formats[name], len(data)) for name, data in files.items()},
                                       quads=every))
    return files


def write_exports(graph: KnowledgeGraph, folder: str | Path, *, data=None,
                  cache: str | Path | None = None) -> dict[str, int]:
    """Write the standard exports into ``folder``; every file is rendered before any is written.

    Each file is replaced atomically; to replace the set of them (and the views) at once, write
    into the folder :func:`staged_folder` gives, as :func:`kg.pipeline.run` does.

    :param data: see :func:`render_exports`.
    :param cache: see :func:`render_exports`.
    :returns: the size in bytes of each file written.
    """
    files = render_exports(graph, data=data, cache=cache)
    for name, data in files.items():
        write_atomic(Path(folder) / name, data)
    return {name: len(data) for name, data in files.items()}


#: The prefix of a staging copy of a folder, beside it: ``.exports.staging-XXXX``.
_STAGING = ".{name}.staging-"


@contextmanager
def staged_folder(folder: str | Path) -> Iterator[Path]:
    """Publish a folder as a whole: yield a staging copy to write into, then swap it in.

    The staging copy sits beside ``folder`` and starts with what ``folder`` holds (hard links,
    so nothing is copied; a file written into it replaces its link, never the file readers
    see), but for the temporary files a killed write left (``.NAME.*.tmp``). When the block
    ends normally the two folders are exchanged in one ``renameat2(RENAME_EXCHANGE)`` (Linux
    3.15+; elsewhere two renames; docs/engine-notes.md, "Renaming a folder over another") and the
    old one removed: a reader sees the whole old set or
    the whole new one. When the block raises, or the process is killed, ``folder`` stays as it
    was; the staging a killed run left is removed by the next run.

    Call it holding a lock every writer of ``folder`` takes (:func:`kg.pipeline.run` holds the
    project lock): it removes any staging it finds as stale.

    :raises ExportError: naming the folder when it cannot be staged or swapped.
    """
    folder = Path(folder).resolve()  # a symbolic link to the folder: the folder it names is swapped
    parent, prefix = folder.parent, _STAGING.format(name=folder.name)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        if not folder.exists():  # killed between the two renames of the fallback: the old set is back
            for old in parent.glob(prefix + "*-old"):
                os.rename(old, folder)
                break
        for stale in parent.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        os.chmod(staging, 0o755)
        if folder.is_dir():
            shutil.copytree(folder, staging, symlinks=True, dirs_exist_ok=True, copy_function=os.link,
                            ignore=lambda _dir, names: [n for n in names if n.startswith(".") and n.endswith(".tmp")])
    except OSError as exc:
        raise ExportError(f"{folder}: cannot stage the new files beside it: {exc.strerror or exc}") from exc
    try:
        yield staging
        _swap(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the old files after a swap, the new ones after a failure


def _swap(staging: Path, folder: Path) -> None:
    """Put ``staging`` at ``folder``'s path and the old folder at ``staging``'s."""
    if not folder.exists():
        os.rename(staging, folder)
        staging.mkdir()
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    rename_exchange, at_fdcwd = 2, -100  # linux/fs.h, fcntl.h
    exchange = getattr(libc, "renameat2", None)
    if exchange is not None and exchange(at_fdcwd, os.fsencode(staging), at_fdcwd, os.fsencode(folder),
                                         rename_exchange) == 0:
        return
    # no atomic exchange here: two renames, the window between them as short as it can be
    old = staging.with_name(staging.name + "-old")
    try:
        os.rename(folder, old)
        os.rename(staging, folder)
        os.rename(old, staging)
    except OSError as exc:
        if old.exists() and not folder.exists():
            os.rename(old, folder)
        raise ExportError(f"{folder}: cannot put the new files in place: {exc.strerror or exc}") from exc
