"""Cue rules for leverage ("Iran's missile arsenal", "the US imposed sanctions"), and the cue finder.

Each rule names a cue in general language (lemmas, so "imposed", "imposes" and "imposing" all
match), finds the holder (the subject: nearest actor to the left in the same clause) and the
leverage kind the cue governs. A negated, conditional or questioned cue ("if Europe imposes
sanctions …") proposes nothing; a hedged one proposes with lower confidence. Stances are read
from the parse (stances.py).
"""

from __future__ import annotations

from ..model import Candidate, Chunk, Context
from ..registry import component
from ._clause import POSSESSIVE, actor_after, governed, mentions, subject_before
from .markers import conditional, hedged, negated

_BY_FIRST: dict[int, dict[str, list]] = {}


def find_cues(chunk: Chunk, table):
    """Yield (first token, end token, entry) for each cue of ``table`` in the chunk, longest first."""
    by_first = _BY_FIRST.get(id(table))
    if by_first is None:
        by_first = {}
        for entry in table:
            by_first.setdefault(entry[0][0], []).append(entry)
        _BY_FIRST[id(table)] = by_first
    lemmas, lowers, sentence = chunk.lemmas, chunk.lowers, chunk.sentence
    n = len(lemmas)
    i = 0
    while i < n:
        entries = by_first.get(lemmas[i], []) + (by_first.get(lowers[i], []) if lowers[i] != lemmas[i] else [])
        for entry in entries:
            words = entry[0]
            end = i + len(words)
            if end <= n and sentence[end - 1] == sentence[i] and all(
                lemmas[i + k] == w or lowers[i + k] == w for k, w in enumerate(words)
            ):
                yield i, end, entry
                i = end - 1
                break
        i += 1


# (cue as lemmas, leverage kind or None for "the kind the sentence names", rule, confidence)
LEVERAGE_VERBS = (
    (("impose",), None, "leverage.impose", 0.6),
    (("tighten",), None, "leverage.impose", 0.55),
    (("threaten",), "threats-of-force", "leverage.threaten", 0.55),
    (("deploy",), "military-deployments", "leverage.deploy", 0.55),
    (("possess",), None, "leverage.possess", 0.6),
    (("wield",), None, "leverage.possess", 0.6),
    (("rely", "on"), None, "leverage.rely-on", 0.55),
    (("sanctioned",), "economic-sanctions", "leverage.sanction", 0.5),
)
MILITARY_NOUNS = {"troops", "forces", "carrier", "carriers", "bombers", "warships", "destroyers",
                  "jets", "aircraft", "submarine", "submarines", "missiles", "battery", "batteries"}


@component(
    "leverage",
    requires=("doc", "lemmas", "mentions", "markers"),
    provides=("facts.leverage",),
    defaults={"max_gap": 6},
)
def leverage(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Leverage held by an actor: "Iran's missile arsenal", "the US imposed sanctions"."""
    doc = chunk.doc
    kinds = mentions(chunk, "leverage-kind")
    # possessive: "Iran's missile arsenal", "Tehran’s allied armed groups"
    for actor in mentions(chunk, "actor"):
        nxt = actor.token_end
        if nxt >= len(doc) or doc[nxt].text not in POSSESSIVE or actor.rule.endswith(".demonym"):
            continue
        if negated(chunk, actor.token_start) or conditional(chunk, actor.token_start):
            continue
        for kind in kinds:
            if nxt < kind.token_start <= nxt + 4 and doc[kind.token_start].sent.start == doc[nxt].sent.start:
                _propose_leverage(chunk, ctx, kind.key, actor.key, kind.token_start, "leverage.possessive", 0.6)
                break
    for start, end, (words, fixed, rule, base) in find_cues(chunk, LEVERAGE_VERBS):
        if negated(chunk, start) or conditional(chunk, start):
            continue
        holder = subject_before(chunk, ctx, start)
        if holder is None:
            continue
        named = governed(chunk, "leverage-kind", end, settings["max_gap"])
        kind = named[0].key if named else fixed
        if kind is None:
            continue
        if fixed == "military-deployments" and not named and not any(
            t.lower_ in MILITARY_NOUNS for t in doc[end:min(end + settings["max_gap"], doc[start].sent.end)]
        ):
            continue
        if fixed == "threats-of-force" and not named and not (end < len(doc) and doc[end].lower_ in {"to", "military", "force"}):
            continue
        confidence = base * (0.6 if hedged(chunk, start) else 1)
        _propose_leverage(chunk, ctx, kind, holder[0], start, rule, confidence)


def _propose_leverage(chunk, ctx, kind, holder, cue, rule, confidence) -> None:
    doc = chunk.doc
    if ctx.kind(holder) == "Person":
        return  # leverage is held by states and organisations
    fields = {"leverage_kind": kind, "holder": holder}
    target = actor_after(chunk, cue, 8, {"on", "against"})
    if target is not None and target.key != holder:
        fields["targets"] = [target.key]
    ctx.propose(Candidate("leverage", fields, [chunk.sentence_span(doc[cue].sent)], rule, round(confidence, 2)))
