"""Turn candidate facts into a facts file in the curated format, every quote checked.

Each fact is written with ``status: proposed``, ``method: extracted``, its ``rule`` and
``confidence``; its quote is the sentence it came from, kept only when that sentence occurs
exactly once in the document text (the loader's rule). Rounds and events get keys minted
from what they say (``muscat-talks-2025-04``), never one already used in the corpus or the
reference data; a round at the venue and on the day of a round the corpus already has is
that round (its key and label), so two reports of one meeting give one node.
"""

from __future__ import annotations

import re
from collections import Counter

import yaml

from ..corpus.factkinds import KINDS
from .model import Candidate, Entity, Mention

FIELD_ORDER = (
    "kind", "key", "label", "class", "type", "member", "organization", "role", "holder", "issue",
    "addressed_to", "first_mover", "hedged", "leverage_kind", "bears_on", "targets", "agreement",
    "parties", "fate", "venue", "host", "mediator", "format", "participants", "agent", "target",
    "place", "date", "duration", "value", "limit", "unit", "qualifier", "round_status", "outcome", "cause", "effect",
    "cue",
)


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def unique_quote(text: str, start: int, end: int) -> str | None:
    """The text at ``[start, end)`` if it occurs nowhere else in ``text``, else None."""
    quote = text[start:end]
    if not quote.strip() or quote != quote.strip():
        return None
    if text.find(quote) != start or text.find(quote, start + 1) != -1:
        return None
    return quote


def _names_only(cand: Candidate, known) -> bool:
    """Every entity the candidate names by key is one ``known(category, key)`` accepts."""
    spec = KINDS[cand.kind]
    for f in spec.fields:
        if not f.type.startswith("key:") or f.type in {"key:event", "key:any"} or f.name not in cand.fields:
            continue
        values = cand.fields[f.name]
        if not all(known(f.type[4:], v) for v in (values if isinstance(values, list) else [values])):
            return False
    return True


def to_facts(candidates: list[Candidate], text: str, slug: str, taken_keys: set[str], known=None,
             rounds: dict[tuple[str, str], tuple[str, str]] | None = None) -> list[dict]:
    """Facts (mappings in the curated format) from candidates; those without a unique quote drop out.

    :param taken_keys: every key the corpus and the reference data already use.
    :param known: ``known(category, key)``: whether an entity key will resolve; candidates naming
        another are left out (an entity whose only mention is page furniture).
    :param rounds: the corpus's rounds by (venue key, day): (key, label); a candidate round at
        the same venue on the same day takes them.
    """
    taken = set(taken_keys)
    keys: dict[tuple, str] = {}
    facts: list[tuple[Candidate, dict]] = []
    for cand in candidates:
        if known is not None and not _names_only(cand, known):
            continue
        quotes = [q for q in (unique_quote(text, s, e) for s, e in cand.spans) if q]
        if not quotes:
            continue
        fields = dict(cand.fields)
        same = (rounds or {}).get((fields.get("venue"), fields.get("date"))) if cand.kind == "round" else None
        if same is not None and len(str(fields["date"])) == 10:
            keys[cand.identity()] = fields["key"] = same[0]
            fields.pop("label", None)
            if same[1]:
                fields["label"] = same[1]  # a key has one label across the corpus
        elif cand.kind in {"round", "event"}:
            base = _slug(cand.key_hint or fields.get("label", cand.kind)) or cand.kind
            key = base
            if key in taken:
                key = f"{base}-{slug}"[:90].strip("-")
            n = 2
            while key in taken:
                key, n = f"{base}-{slug}-{n}", n + 1
            taken.add(key)
            keys[cand.identity()] = key
            fields["key"] = key
        fact: dict = {"kind": cand.kind}
        fact.update(fields)
        facts.append((cand, {**fact, "__quotes__": quotes}))
    out = []
    for cand, fact in facts:
        if cand.kind == "causal":
            if fact["cause"] not in keys or fact["effect"] not in keys:
                continue
            fact["cause"], fact["effect"] = keys[fact["cause"]], keys[fact["effect"]]
        quotes = fact.pop("__quotes__")
        ordered = {name: fact[name] for name in FIELD_ORDER if name in fact}
        ordered.update({k: v for k, v in fact.items() if k not in ordered})
        for name in ("value", "limit"):
            if name in ordered:
                ordered[name] = float(ordered[name]) if "." in str(ordered[name]) else int(ordered[name])
        ordered.update(status="proposed", method="extracted", rule=cand.rule, confidence=round(float(cand.confidence), 2))
        if len(quotes) == 1:
            ordered["quote"] = quotes[0]
        else:
            ordered["evidence"] = [{"quote": q} for q in quotes]
        out.append(ordered)
    return out


def dump_facts(slug: str, title: str, facts: list[dict]) -> str:
    """The text of a facts file for these facts, with a header saying how to review them."""
    counts = Counter(f["kind"] for f in facts)
    summary = ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "none"
    header = (
        f"# Facts proposed by `kg add` for {title!r} ({summary}).\n"
        "# Review each: accept (delete `status: proposed`, or set it to accepted), edit, or delete it.\n"
        "# `kg build --include-proposed[=MIN]` also builds proposed facts at or above a confidence.\n"
    )
    body = yaml.safe_dump({"document": slug, "facts": facts}, allow_unicode=True, sort_keys=False,
                          width=10_000, default_flow_style=None)
    return header + body


def mentioned_entities(entities: list[Entity], mentions: list[Mention]) -> list[Entity]:
    """The minted entities that keep a mention (none rests on page furniture), each starting
    at its first one: an entity is derived from a mention, or it is not written."""
    first: dict[tuple[str, str], int] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        first.setdefault((m.category, m.key), m.start)
    kept = []
    for e in entities:
        if (e.category, e.key) in first:
            e.start = first[(e.category, e.key)]
            kept.append(e)
    return kept


def dump_mentions(slug: str, title: str, text: str, entities: list[Entity], mentions: list[Mention]) -> str:
    """The text of a mentions file: the entities minted from the document and every mention.

    :param entities: as :func:`mentioned_entities` leaves them.
    """
    header = (
        f"# Mentions and new entities found by `kg add` in {title!r}.\n"
        "# Machine-written: `kg add --again` rewrites it. An entity here is proposed: `kg build\n"
        "# --include-proposed` builds it; accept it by moving it into ontology/reference/.\n"
    )
    rows = [{
        "key": e.key, "category": e.category, "class": e.cls, "label": e.label,
        **({"aliases": sorted(e.aliases - {e.label})} if e.aliases - {e.label} else {}),
        **({"broader": e.broader} if e.broader else {}),
        "start": e.start, "rule": e.rule, "confidence": round(float(e.confidence), 2), "status": "proposed",
    } for e in entities]
    spans = [[m.start, text[m.start:m.end], m.category, m.key, m.rule] for m in mentions]
    return header + yaml.safe_dump({"document": slug, "entities": rows, "mentions": spans}, allow_unicode=True,
                                   sort_keys=False, width=10_000, default_flow_style=None)
