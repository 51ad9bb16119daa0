"""Entities into ``ontology/reference/``: a new entity, or an alias of an existing one, as Turtle appended to a file.

Appending keeps every comment and the order of the hand-written files; Turtle allows a subject
to be described in several statements, so an alias added at the end of ``actors.ttl`` is read
with the rest of that actor. The entity's IRI is the one it had as a minted entity
(``id:<category>/<key>``), so every fact and mention naming it keeps resolving.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from ..build.builder import ENTITY_CLASSES, concept_scheme
from ..corpus.reference import Reference
from ..vocab import ID

_PREFIX = re.compile(r"^@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>\s*\.", re.MULTILINE)


def reference_file(folder: Path, files: list[Path], reference: Reference, category: str) -> Path:
    """Of the reference ``files``, the one that describes most entities of ``category`` (else
    ``<category>s.ttl`` in ``folder``)."""
    counts: Counter[Path] = Counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        counts[path] = sum(1 for iri in reference.keys.get(category, {}).values() if names_entity(text, iri))
    best = [p for p, n in counts.most_common() if n]
    return best[0] if best else folder / f"{category}s.ttl"


def names_entity(text: str, iri: URIRef) -> bool:
    """Whether the Turtle ``text`` describes ``iri`` (as ``category:key`` or ``<iri>``)."""
    category, _, key = str(iri)[len(ID):].partition("/")
    return f"{category}:{key} " in text or f"<{iri}>" in text


def _term(iri: str, prefixes: dict[str, str]) -> str:
    """``iri`` as a prefixed name when the file declares a prefix for it, else in angle brackets."""
    for name, base in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        local = iri[len(base):]
        if iri.startswith(base) and re.fullmatch(r"[A-Za-z0-9][\w-]*", local or "-"):
            return f"{name}:{local}"
    return f"<{iri}>"


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@en'


def _prefixes(text: str) -> dict[str, str]:
    return {name or "": base for name, base in _PREFIX.findall(text)}


def entity_block(text: str, reference: Reference, *, category: str, key: str, cls: str, label: str,
                 aliases: list[str], broader: str | None = None) -> str:
    """The Turtle statement describing a new entity, in the prefixes of the file ``text``."""
    p = _prefixes(text)
    subject = _term(str(ID[f"{category}/{key}"]), p)
    lines = [f"{subject} a {_term(str(ENTITY_CLASSES[cls]), p)}", f"    {_term(str(RDFS.label), p)} {_literal(label)}"]
    names = sorted(set(aliases) - {label})
    if names:
        lines.append(f"    {_term(str(SKOS.altLabel), p)} {', '.join(_literal(a) for a in names)}")
    scheme, declared = concept_scheme(reference, category) if category in ("issue", "leverage-kind") else (None, False)
    if declared:
        lines.append(f"    {_term(str(SKOS.inScheme), p)} {_term(str(scheme), p)}")
    if broader:
        lines.append(f"    {_term(str(SKOS.broader), p)} {_term(str(ID[f'{category}/{broader}']), p)}")
    return "\n" + " ;\n".join(lines) + " .\n"


def alias_block(text: str, iri: URIRef, aliases: list[str]) -> str:
    """The Turtle statement giving an existing entity more aliases."""
    p = _prefixes(text)
    return f"\n{_term(str(iri), p)} {_term(str(SKOS.altLabel), p)} {', '.join(_literal(a) for a in aliases)} .\n"


def preamble(category: str) -> str:
    """The head of a reference file made for a category that had none."""
    return (f"# Reference data: {category} entities accepted in kg review.\n"
            f"@prefix {category}: <{ID}{category}/> .\n"
            f"@prefix rdfs: <{RDFS}> .\n@prefix skos: <{SKOS}> .\n"
            "@prefix imp: <https://w3id.org/impasse/ontology#> .\n")
