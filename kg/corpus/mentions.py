"""Mentions and new entities: read ``corpus/<slug>.mentions.yaml``, check every offset.

``kg add`` writes one such file per document (the format is in corpus/README.md):

- ``entities``: the actors, places, issues and leverage kinds the document names that the
  reference data lacks, each with its class, label, aliases seen, the rule and confidence
  that minted it and the offset of its first mention; ``status: proposed`` until reviewed;
- ``mentions``: ``[start, text, category, key]`` for every named mention, ``text`` being
  exactly ``document.text[start:start + len(text)]``.

An entity minted in several documents (the same name gives the same key) is one entity: its
first declaration in corpus order gives its class and label, and every document adds aliases.
Errors name the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from rdflib import URIRef

from .documents import Document, NoAliasLoader
from ..errors import FactsError
from .factkinds import STATUSES
from ..vocab import ID
from .reference import Reference

MENTIONS_SUFFIX = ".mentions.yaml"
#: The classes an entity of each category may have.
CLASSES = {
    "actor": ("Person", "State", "Organization", "ArmedGroup"),
    "place": ("Place",),
    "issue": ("Issue",),
    "leverage-kind": ("LeverageKind",),
    "agreement": ("Agreement",),
}


@dataclass
class EntityDecl:
    """An entity minted from the text of a document."""

    category: str
    key: str
    cls: str
    label: str
    document: str
    start: int  # where its first mention starts
    rule: str
    confidence: Decimal
    status: str = "proposed"
    aliases: set[str] = field(default_factory=set)
    broader: str | None = None
    line: int = 0

    @property
    def iri(self) -> URIRef:
        return ID[f"{self.category}/{self.key}"]


@dataclass(frozen=True)
class MentionRecord:
    """A checked mention: the document span that names an entity."""

    document: str
    start: int
    end: int
    category: str
    key: str
    rule: str


@dataclass
class Mentions:
    """Every document's mentions and the entities minted across the corpus."""

    entities: dict[tuple[str, str], EntityDecl] = field(default_factory=dict)
    mentions: list[MentionRecord] = field(default_factory=list)
    _by_start: tuple = field(default=(-1, {}), repr=False, compare=False)

    def first_mention(self, entity: EntityDecl) -> MentionRecord | None:
        """The mention an entity was minted from (in the document that declares it)."""
        indexed, by_start = self._by_start
        if indexed != len(self.mentions):  # indexed once, not scanned per entity
            by_start = {}
            for m in self.mentions:
                by_start.setdefault((m.document, m.category, m.key, m.start), m)
            self._by_start = (len(self.mentions), by_start)
        return by_start.get((entity.document, entity.category, entity.key, entity.start))


def _shown(value: object, limit: int = 80) -> str:
    """A value from a mentions file as a message shows it: its repr, cut at ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Loader(NoAliasLoader):
    """Safe YAML, without aliases, that records the line of each mapping and sequence (for messages)."""


def _line_of(loader, node, deep=False):
    value = loader.construct_mapping(node, deep=True)
    value["__line__"] = node.start_mark.line + 1
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _line_of)


def load_mentions(corpus_dir: str | Path, documents: list[Document], reference: Reference) -> Mentions:
    """Read and check the mentions files of the corpus.

    :raises FactsError: naming file and line, for a file without its document, a malformed
        entry, an offset whose text is not the text given, or a key no entity has.
    """
    by_slug = {doc.slug: doc for doc in documents}
    result = Mentions()
    files = sorted(Path(corpus_dir).glob(f"*{MENTIONS_SUFFIX}"))
    raw_files = []
    for path in files:
        slug = path.name.removesuffix(MENTIONS_SUFFIX)
        if slug not in by_slug:
            raise FactsError(f"{path}: there is no document {slug}.txt for these mentions")
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}  # noqa: S506 - safe subclass
        except (OSError, yaml.YAMLError) as exc:
            raise FactsError(f"{path}: cannot read: {exc}") from exc
        if not isinstance(data, dict):
            raise FactsError(f"{path}: expected a mapping with 'entities' and 'mentions'")
        raw_files.append((path, by_slug[slug], data))
    for path, doc, data in raw_files:
        for entry in data.get("entities") or []:
            decl = _entity(path, doc, entry, reference)
            same = result.entities.get((decl.category, decl.key))
            if same is None:
                result.entities[(decl.category, decl.key)] = decl
            else:
                same.aliases |= decl.aliases | ({decl.label} - {same.label})
                if decl.status == "accepted":
                    same.status = "accepted"
    for path, doc, data in raw_files:
        for number, entry in enumerate(data.get("mentions") or [], start=1):
            result.mentions.append(_mention(path, doc, number, entry, reference, result.entities))
    for entity in result.entities.values():
        if result.first_mention(entity) is None:
            raise FactsError(f"{Path(corpus_dir) / (entity.document + MENTIONS_SUFFIX)}:{entity.line}: entity "
                             f"{entity.key!r} has no mention at {entity.start} to be derived from")
    return result


def _entity(path: Path, doc: Document, entry, reference: Reference) -> EntityDecl:
    line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
    where = f"{path}:{line}"
    if not isinstance(entry, dict):
        raise FactsError(f"{where}: an entity must be a mapping")
    missing = [k for k in ("key", "category", "class", "label", "start") if k not in entry]
    if missing:
        raise FactsError(f"{where}: entity lacks {', '.join(missing)}")
    category, cls, key = str(entry["category"]), str(entry["class"]), str(entry["key"])
    if category not in CLASSES:
        raise FactsError(f"{where}: unknown category {_shown(category)}; one of {', '.join(CLASSES)}")
    if cls not in CLASSES[category]:
        raise FactsError(f"{where}: a {category} is one of {', '.join(CLASSES[category])}, not {_shown(cls)}")
    status = str(entry.get("status", "proposed"))
    if status not in STATUSES:
        raise FactsError(f"{where}: status must be one of {', '.join(STATUSES)}")
    label = str(entry["label"])
    start = entry["start"]
    if not isinstance(start, int) or not 0 <= start < len(doc.text):
        raise FactsError(f"{where}: start {_shown(start)} is not an offset into {doc.path.name}")
    try:
        confidence = Decimal(str(entry.get("confidence", "0.5")))
    except InvalidOperation as exc:
        raise FactsError(f"{where}: confidence must be a number") from exc
    broader = entry.get("broader")
    if broader is not None and category != "issue":
        raise FactsError(f"{where}: only an issue has a broader concept")
    return EntityDecl(category, key, cls, label, doc.slug, start, str(entry.get("rule", "extracted")),
                      confidence, status, {str(a) for a in entry.get("aliases") or []} - {label},
                      str(broader) if broader else None, line)


def _mention(path: Path, doc: Document, number: int, entry, reference: Reference, entities) -> MentionRecord:
    where = f"{path}: mention {number}"
    if not (isinstance(entry, list) and len(entry) in (4, 5) and isinstance(entry[0], int) and isinstance(entry[1], str)):
        raise FactsError(f"{where}: expected [start, text, category, key] or [start, text, category, key, rule]")
    start, text, category, key = entry[:4]
    rule = str(entry[4]) if len(entry) == 5 else "extracted"
    end = start + len(text)
    if doc.text[start:end] != text:
        found = doc.text[start:end] if 0 <= start < len(doc.text) else ""
        raise FactsError(f"{where}: {doc.path.name} has {_shown(found)} at {start}, not {_shown(text)}")
    category, key = str(category), str(key)
    if key not in reference.keys.get(category, {}) and (category, key) not in entities:
        raise FactsError(f"{where}: no {category} {_shown(key)} in the reference data or the minted entities")
    return MentionRecord(doc.slug, start, end, category, key, rule)
