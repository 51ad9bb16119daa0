"""Helpers shared by the cue rules: who holds a stance, which entities a cue governs."""

from __future__ import annotations

from ..model import Chunk, Context, Mention
from ..lexicon import words

BOUNDARY = {";", ":", "—", "–", "(", ")", "but", "while", "whereas", "although", "though",
            "however", "because", "since", "as", "after", "before", "when"}
PREPOSITIONS = {"with", "on", "against", "to", "from", "for", "of", "in", "toward", "towards",
                "about", "at", "by", "into", "over", "between", "and", "or", "than", "like", "upon"}
POSSESSIVE = {"'s", "’s"}
RELATIVE = {"which", "who", "whom", "whose", "that"}
LIST_GLUE = {",", "and", "or", "its", "their", "the", "both", "also", "as", "well", "increasingly", "nor"}


def mentions(chunk: Chunk, category: str) -> list[Mention]:
    return [m for m in chunk.mentions if m.category == category]


def subject_before(chunk: Chunk, ctx: Context, cue: int, limit: int = 12) -> tuple[str, Mention | None, int] | None:
    """The actor that is the subject of the verb at ``cue``: the nearest actor to its left in
    the same clause, not the object of a preposition; a demonym counts only before a word
    such as "officials" ("Iranian officials insist …").

    :returns: (actor key, its mention or None for a demonym, its first token), or None.
    """
    doc = chunk.doc
    sent = doc[cue].sent
    actors = {}
    for m in mentions(chunk, "actor"):
        actors[m.token_end - 1] = m
    i = cue - 1
    low = max(sent.start, cue - limit)
    while i >= low:
        token = doc[i]
        if (token.lower_ in BOUNDARY and token.lower_ not in {"as", "since"}) or token.lower_ in RELATIVE:
            return None
        if i in actors:
            m = actors[i]
            prev = doc[m.token_start - 1].lower_ if m.token_start > sent.start else ""
            if m.rule.endswith(".demonym"):
                nxt = doc[m.token_end].lower_ if m.token_end < len(doc) else ""
                if nxt in words("language", "people_nouns"):
                    return m.key, m, m.token_start
            elif prev not in PREPOSITIONS or prev == "and" or (
                m.token_end == cue and doc[cue].lower_.endswith("ing")  # "led to Iran raising"
            ):
                nxt = doc[m.token_end].text if m.token_end < len(doc) else ""
                if nxt not in POSSESSIVE or (m.token_end + 1 < len(doc) and doc[m.token_end + 1].lower_ in words("language", "people_nouns")):
                    return m.key, m, m.token_start
            i = m.token_start - 1
            continue
        i -= 1
    return None


def governed(chunk: Chunk, category: str, start: int, gap: int, stop_at_boundary: bool = True) -> list[Mention]:
    """Mentions of ``category`` governed by a cue ending at ``start``: the first within
    ``gap`` tokens, and the list it heads ("missiles, regional alliances, and politics")."""
    doc = chunk.doc
    sent_end = doc[start - 1].sent.end if start > 0 else len(doc)
    found: list[Mention] = []
    pool = sorted((m for m in mentions(chunk, category) if m.token_start >= start and m.token_end <= sent_end),
                  key=lambda m: m.token_start)
    limit = start + gap
    for m in pool:
        if m.token_start > limit:
            break
        between = doc[(found[-1].token_end if found else start):m.token_start]
        if stop_at_boundary and any(t.lower_ in BOUNDARY for t in between):
            break
        if found and not all(t.lower_ in LIST_GLUE for t in between):
            break  # a list of issues continues only through commas and conjunctions
        if found and m.token_start < found[-1].token_end:
            continue
        found.append(m)
        limit = m.token_end + 4  # a list goes on within a few tokens
    return found


def actor_after(chunk: Chunk, start: int, gap: int, words: set[str]) -> Mention | None:
    """The actor right after one of ``words`` (e.g. "by", "on") within ``gap`` tokens of ``start``."""
    doc = chunk.doc
    actors = {m.token_start: m for m in mentions(chunk, "actor")}
    sent_end = doc[start].sent.end if start < len(doc) else len(doc)
    for i in range(start, min(start + gap, sent_end - 1)):
        if doc[i].lower_ in words:
            j = i + 1
            if j < len(doc) and doc[j].lower_ == "the":
                j += 1
            if j in actors:
                return actors[j]
    return None
