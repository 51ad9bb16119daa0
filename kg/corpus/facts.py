"""Curated facts: read ``corpus/<slug>.facts.yaml``, check every field, locate every quote.

A fact is accepted only when each of its quotes occurs exactly once in its document's text,
outside page furniture; the loader computes the offsets itself. Errors name the facts file
and line (and, for a missing quote, the closest passage in the document).
See corpus/README.md for the format and kg/factkinds.py for its definition.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .dates import parse_date
from .documents import Document, PlainLoader, refuse_aliases
from ..errors import FactsError, QuoteError, UnknownKeyError
from .factkinds import (
    BOOL, COMMON_FIELDS, DATE, DURATION, ENUMS, KINDS, METHODS, NUMBER, STATUSES, TEXT,
    Field, Kind,
)
from ..vocab import ID
from .reference import Reference

FACTS_SUFFIX = ".facts.yaml"
CONTEXT_CHARS = 32  # length of oa:prefix and oa:suffix
# xsd:duration: PnYnMnDTnHnMnS, at least one part, no weeks (not in XSD).
_DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Evidence:
    """One verified quote: where it stands in its document and which fields it supports."""

    quote: str
    start: int
    end: int
    prefix: str
    suffix: str
    supports: tuple[str, ...]
    line: int  # line of the quote in the facts file


@dataclass(frozen=True)
class EventRef:
    """A reference to a round or event key, resolved once every facts file is read."""

    key: str
    any_category: bool = False  # a `key:any` field: may also name reference data


@dataclass(frozen=True)
class Fact:
    """A checked fact with resolved values (rdflib terms) and located evidence."""

    document: str
    kind: str
    values: dict[str, Any]  # field name -> term, or tuple of terms for `many` fields
    evidence: tuple[Evidence, ...]
    source: Path
    line: int
    comment: str | None = None
    status: str = "accepted"
    method: str = "curated"
    rule: str | None = None
    confidence: Decimal = Decimal("1.0")

    @property
    def spec(self) -> Kind:
        """The definition of this fact's kind."""
        return KINDS[self.kind]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe YAML loader that records the line of every mapping key and refuses duplicates.

    It parses with libyaml where PyYAML has it: the pure-Python scanner took 90% of the time
    to load a corpus (docs/stores.md, "Growth"). Dates stay as written, as in ``PlainLoader``.
    libyaml composes in C, where aliases cannot be refused: :func:`read_facts_file` checks a
    text with a ``*`` in it with :func:`kg.corpus.documents.refuse_aliases` first.
    """

    yaml_implicit_resolvers = PlainLoader.yaml_implicit_resolvers

    def construct_mapping(self, node, deep=False):
        lines = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in lines:
                raise FactsError(
                    f"{key_node.start_mark.line + 1}: duplicate field {_shown(key)} "
                    f"(first at line {lines[key]})"
                )
            lines[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = lines
        return mapping


def load_facts(corpus_dir: str | Path, documents: list[Document], reference: Reference,
               read: Callable[[Path, Document, Reference], list[Fact]] | None = None) -> list[Fact]:
    """Read and verify the facts files of every document in the corpus.

    :param corpus_dir: the corpus folder; facts of ``<slug>.txt`` are in ``<slug>.facts.yaml``.
    :param documents: the loaded documents (a document without a facts file has no facts).
    :param reference: the reference data that keys resolve against.
    :param read: reads one facts file [default: :func:`read_facts_file`]; the build passes one
        that reuses what an earlier build read (:mod:`kg.build.cache`).
    :returns: every fact, accepted or proposed, in file order.
    :raises FactsError: naming file and line for the first problem found.
    """
    read = read or read_facts_file
    corpus_dir = Path(corpus_dir)
    by_slug = {doc.slug: doc for doc in documents}
    facts: list[Fact] = []
    for path in sorted(corpus_dir.glob(f"*{FACTS_SUFFIX}")):
        slug = path.name.removesuffix(FACTS_SUFFIX)
        if slug not in by_slug:
            raise FactsError(f"{path}: there is no document {slug}.txt for these facts")
        facts.extend(read(path, by_slug[slug], reference))
    return resolve_event_keys(facts, reference)


def read_facts_file(path: Path, document: Document, reference: Reference) -> list[Fact]:
    """Read one facts file; round and event keys stay unresolved (see `resolve_event_keys`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FactsError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from exc
    try:
        if "*" in text:  # libyaml's composer cannot refuse aliases: the pure one checks, only here
            refuse_aliases(text)
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader
    except FactsError as exc:
        raise FactsError(f"{path}:{exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context_mark", None)
        if context is not None and getattr(exc, "context", None):
            problem += f" ({exc.context} at line {context.line + 1})"
        raise FactsError(f"{where}: not valid YAML: {problem}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        raise FactsError(f"{path}:1: expected a mapping with 'document' and a list 'facts'")
    if data.get("document") != document.slug:
        raise FactsError(
            f"{path}:{data['__lines__'].get('document', 1)}: 'document' must be "
            f"{document.slug!r}, the slug of its document, not {_shown(data.get('document'))}"
        )
    facts = []
    keys_seen: dict[str, int] = {}
    for item in data["facts"]:
        if not isinstance(item, dict):
            raise FactsError(f"{path}: every entry under 'facts' must be a mapping, found {_shown(item)}")
        fact = _read_fact(path, document, reference, item)
        key = fact.values.get("key")
        if key is not None:
            if str(key) in keys_seen:
                raise FactsError(
                    f"{path}:{fact.line}: key {key} is already declared at line "
                    f"{keys_seen[str(key)]}; add this evidence to that fact instead"
                )
            keys_seen[str(key)] = fact.line
        facts.append(fact)
    return facts


def _read_fact(path: Path, document: Document, reference: Reference, item: dict) -> Fact:
    line = item["__line__"]
    lines = item["__lines__"]
    where = f"{path}:{line}"
    kind_name = item.get("kind")
    if kind_name not in KINDS:
        raise FactsError(f"{where}: unknown kind {_shown(kind_name)}; kinds: {', '.join(KINDS)}")
    spec = KINDS[kind_name]
    fields = {k: v for k, v in item.items() if not k.startswith("__")}
    allowed = set(COMMON_FIELDS) | {f.name for f in spec.fields}
    for name in sorted(set(fields) - allowed):
        raise FactsError(
            f"{path}:{lines[name]}: unknown field {_shown(name)} for kind {kind_name}; "
            f"allowed: {', '.join(sorted(allowed - {'kind'}))}"
        )
    values: dict[str, Any] = {}
    for field in spec.fields:
        if field.name not in fields or fields[field.name] is None:
            if field.required:
                raise FactsError(f"{where}: a {kind_name} needs '{field.name}'")
            continue
        at = f"{path}:{lines[field.name]}"
        values[field.name] = _value(at, field, fields[field.name], reference)
    status = fields.get("status", "accepted")
    if status not in STATUSES:
        raise FactsError(f"{path}:{lines['status']}: status must be one of {', '.join(STATUSES)}")
    method = fields.get("method", "curated")
    if method not in METHODS:
        raise FactsError(f"{path}:{lines['method']}: method must be one of {', '.join(METHODS)}")
    confidence = Decimal("1.0")
    if "confidence" in fields:
        confidence = _number(f"{path}:{lines['confidence']}", fields["confidence"])
        if not 0 <= confidence <= 1:
            raise FactsError(f"{path}:{lines['confidence']}: confidence must lie between 0 and 1")
    for name in ("comment", "rule"):
        if name in fields and not _is_text(fields[name]):
            raise FactsError(f"{path}:{lines[name]}: '{name}' must be non-empty text")
    evidence = _evidence(path, document, spec, fields, lines, line)
    return Fact(
        document=document.slug,
        kind=kind_name,
        values=values,
        evidence=evidence,
        source=path,
        line=line,
        comment=fields.get("comment"),
        status=status,
        method=method,
        rule=fields.get("rule"),
        confidence=confidence,
    )


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _number(at: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FactsError(f"{at}: expected a number, found {_shown(value)}")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise FactsError(f"{at}: expected a number, found {_shown(value)}") from exc
    if not number.is_finite():
        raise FactsError(f"{at}: expected a finite number, found {_shown(value)}")
    return number


def _value(at: str, field: Field, raw: Any, reference: Reference) -> Any:
    if field.many:
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            raise FactsError(f"{at}: '{field.name}' is an empty list")
        values = [_single(at, field, item, reference) for item in items]
        return tuple(dict.fromkeys(values))  # drop repeats, keep the order written
    if isinstance(raw, list):
        raise FactsError(f"{at}: '{field.name}' takes one value, not a list")
    return _single(at, field, raw, reference)


def _single(at: str, field: Field, raw: Any, reference: Reference) -> Any:
    kind = field.type
    if field.name == "key":
        if not isinstance(raw, str) or not _KEY.match(raw):
            raise FactsError(f"{at}: key must be lower-case letters, digits and '-', found {_shown(raw)}")
        return Literal(raw)
    if kind == TEXT:
        if not _is_text(raw):
            raise FactsError(f"{at}: '{field.name}' must be non-empty text, found {_shown(raw)}")
        return Literal(raw.strip())
    if kind == NUMBER:
        return Literal(_number(at, raw), datatype=XSD.decimal)
    if kind == BOOL:
        if not isinstance(raw, bool):
            raise FactsError(f"{at}: '{field.name}' must be true or false, found {_shown(raw)}")
        return Literal(raw)
    if kind == DATE:
        try:
            return parse_date(str(raw))  # YAML reads a bare 2018 as an int
        except ValueError as exc:
            raise FactsError(f"{at}: '{field.name}': {exc}") from exc
    if kind == DURATION:
        if not isinstance(raw, str) or not _DURATION.match(raw):
            raise FactsError(f"{at}: '{field.name}' must be an ISO 8601 duration such as P3Y or P12D")
        return Literal(raw, datatype=XSD.duration)
    if kind.startswith("enum:"):
        choices = ENUMS[kind[5:]]
        if raw not in choices:
            raise FactsError(f"{at}: '{field.name}' must be one of {', '.join(choices)}, found {_shown(raw)}")
        return choices[raw]
    category = kind[4:]  # "key:<category>"
    if not isinstance(raw, str):
        raise FactsError(f"{at}: '{field.name}' must name a key, found {_shown(raw)}")
    if category == "event":
        return EventRef(raw)
    if category == "any":
        return EventRef(raw, any_category=True)
    known = reference.keys[category]
    if raw not in known:
        raise UnknownKeyError(f"{at}: unknown {category} {_shown(raw)}{_suggest(raw, known)}")
    return known[raw]


def _suggest(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=5, cutoff=0.5)
    listing = close or sorted(known)[:12]
    return f"; did you mean: {', '.join(listing)}" if close else f"; known: {', '.join(listing)}"


def _evidence(path, document, spec, fields, lines, line) -> tuple[Evidence, ...]:
    if ("quote" in fields) == ("evidence" in fields):
        raise FactsError(f"{path}:{line}: give either 'quote' or a list 'evidence', not both or neither")
    if "quote" in fields:
        items = [{"quote": fields["quote"], "__line__": lines["quote"], "__lines__": {"quote": lines["quote"]}}]
    else:
        items = fields["evidence"]
        if not isinstance(items, list) or not items:
            raise FactsError(f"{path}:{lines['evidence']}: 'evidence' must be a non-empty list")
    field_names = {f.name for f in spec.fields}
    found = []
    for item in items:
        if not isinstance(item, dict) or not _is_text(item.get("quote")):
            raise FactsError(f"{path}:{lines.get('evidence', line)}: every evidence entry needs a 'quote'")
        at = item["__lines__"].get("quote", item["__line__"])
        extra = set(item) - {"quote", "supports", "__line__", "__lines__"}
        if extra:
            raise FactsError(f"{path}:{at}: unknown evidence field(s) {', '.join(sorted(extra))}")
        supports = item.get("supports", [])
        if not isinstance(supports, list) or not set(supports) <= field_names:
            raise FactsError(
                f"{path}:{at}: 'supports' must list fields of a {spec.name}: {', '.join(sorted(field_names))}"
            )
        found.append(locate_quote(path, at, document, item["quote"], tuple(supports)))
    return tuple(found)


def locate_quote(path: Path, line: int, document: Document, quote: str, supports=()) -> Evidence:
    """Find the one place of ``quote`` in the document text.

    :raises QuoteError: when the quote is absent (naming the closest passage), occurs more
        than once (naming each place), or lies in page furniture.
    """
    text = document.text
    starts = []
    at = text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    where = f"{path}:{line}"
    if not starts:
        near = _closest(text, quote)
        raise QuoteError(
            f"{where}: quote not found in {document.path.name}: {_short(quote)!r}; "
            f"closest passage ({document.path.name}:{document.line_of(near)}): "
            f"{_short(text[near:near + len(quote)])!r}"
        )
    if len(starts) > 1:
        places = ", ".join(f"line {document.line_of(s)} offset {s}" for s in starts)
        raise QuoteError(
            f"{where}: quote is ambiguous, it occurs {len(starts)} times in "
            f"{document.path.name} ({places}); lengthen it: {_short(quote)!r}"
        )
    start, end = starts[0], starts[0] + len(quote)
    span = document.furniture_at(start, end)
    if span is not None:
        raise QuoteError(
            f"{where}: quote lies in page furniture ({span.kind}, {document.path.name}:"
            f"{document.line_of(span.start)}), not article text: {_short(quote)!r}"
        )
    return Evidence(
        quote=quote,
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        supports=supports,
        line=line,
    )


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: object, limit: int = 80) -> str:
    """A value from a facts file as a message shows it: its repr, cut at ``limit`` characters
    (a value may be megabytes long; the message only has to point at it)."""
    return _short(repr(value), limit)


def _closest(text: str, quote: str) -> int:
    """Start of the passage that shares the longest run of characters with the quote."""
    match = difflib.SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(
        0, len(text), 0, len(quote)
    )
    return max(0, min(match.a - match.b, len(text) - 1))


def resolve_event_keys(facts: list[Fact], reference: Reference) -> list[Fact]:
    """Resolve references to round and event keys declared anywhere in the corpus.

    :raises FactsError: when a key is declared both as a round and as an event, when two
        documents give one key different labels, or when a referenced key is not declared.
    """
    declared: dict[str, URIRef] = {}
    labels: dict[str, tuple[str, Fact]] = {}
    for fact in facts:
        if not fact.spec.keyed:
            continue
        key = str(fact.values["key"])
        iri = ID[f"{fact.spec.iri_segment}/{key}"]
        if declared.setdefault(key, iri) != iri:
            raise FactsError(f"{fact.source}:{fact.line}: key {key} is declared both as a round and as an event")
        if "label" in fact.values:
            label = str(fact.values["label"])
            first = labels.setdefault(key, (label, fact))
            if first[0] != label:
                raise FactsError(
                    f"{fact.source}:{fact.line}: {key} is labelled {label!r} here but "
                    f"{first[0]!r} in {first[1].source}:{first[1].line}; use one label"
                )
    for fact in facts:
        if fact.spec.keyed and str(fact.values["key"]) not in labels:
            raise FactsError(f"{fact.source}:{fact.line}: no document gives {fact.values['key']} a label")

    def resolve(fact: Fact, value):
        if not isinstance(value, EventRef):
            return value
        if value.key in declared:
            return declared[value.key]
        if value.any_category:
            hits = [known[value.key] for known in reference.keys.values() if value.key in known]
            if len(hits) > 1:  # a place "iran" minted from a new article must not unsettle a curated fact
                hits = [iri for iri in hits if iri not in reference.minted]
            if len(hits) == 1:
                return hits[0]
        raise UnknownKeyError(
            f"{fact.source}:{fact.line}: unknown round or event {_shown(value.key)}"
            f"{_suggest(value.key, declared)}"
        )

    resolved = []
    for fact in facts:
        values = {
            name: tuple(resolve(fact, v) for v in value) if isinstance(value, tuple) else resolve(fact, value)
            for name, value in fact.values.items()
        }
        resolved.append(dataclasses.replace(fact, values=values))
    return resolved
