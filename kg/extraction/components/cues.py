"""Cue rules for positions (demand, red line, objective, precondition) and leverage.

Each rule names a cue in general diplomatic language (lemmas, so "refused", "refuses" and
"refusing" all match), finds the holder (the subject: nearest actor to the left in the same
clause, or the agent of a passive "by X"), and the issue or leverage kind the cue governs.
A negated cue ("did not rule out") proposes nothing; a hedged one ("may have rejected")
proposes a fact marked ``hedged: true`` with lower confidence; a conditional or a question
("if Iran refuses …", "will Iran reject …?") proposes nothing. Precision over recall: no
holder or no governed issue, no fact.
"""

from __future__ import annotations

from ..model import Candidate, Chunk, Context
from ..registry import component
from ._clause import POSSESSIVE, actor_after, governed, governed_before, mentions, subject_before
from .markers import conditional, hedged, negated

# (cue as lemmas, position type, rule name, base confidence, where the issue is)
POSITION_CUES = (
    (("refuse", "to", "negotiate"), "red-line", "positions.refuse-to-negotiate", 0.8, "after"),
    (("refuse", "to", "discuss"), "red-line", "positions.refuse-to-negotiate", 0.8, "after"),
    (("refuse", "to", "include"), "red-line", "positions.refuse-to-negotiate", 0.75, "after"),
    (("will", "not", "negotiate"), "red-line", "positions.will-not-negotiate", 0.75, "after"),
    (("would", "not", "negotiate"), "red-line", "positions.will-not-negotiate", 0.7, "after"),
    (("wo", "not", "negotiate"), "red-line", "positions.will-not-negotiate", 0.75, "after"),
    (("refuse",), "red-line", "positions.refuse", 0.7, "after"),
    (("reject",), "red-line", "positions.reject", 0.7, "after"),
    (("rule", "out"), "red-line", "positions.rule-out", 0.75, "after"),
    (("exclude",), "red-line", "positions.exclude", 0.6, "after"),
    (("non", "-", "negotiable"), "red-line", "positions.non-negotiable", 0.8, "before"),
    (("not", "negotiable"), "red-line", "positions.non-negotiable", 0.8, "before"),
    (("red", "line"), "red-line", "positions.red-line", 0.75, "before"),
    (("off", "the", "table"), "red-line", "positions.off-the-table", 0.65, "before"),
    (("demand",), "demand", "positions.demand", 0.7, "after"),
    (("insist", "on"), "demand", "positions.insist", 0.7, "after"),
    (("insist", "that"), "demand", "positions.insist", 0.65, "after"),
    (("call", "for"), "demand", "positions.call-for", 0.65, "after"),
    (("press", "for"), "demand", "positions.call-for", 0.65, "after"),
    (("push", "for"), "demand", "positions.call-for", 0.6, "after"),
    (("focus", "solely", "on"), "demand", "positions.focus-solely-on", 0.6, "after"),
    (("focus", "only", "on"), "demand", "positions.focus-solely-on", 0.6, "after"),
    (("focus", "exclusively", "on"), "demand", "positions.focus-solely-on", 0.6, "after"),
    (("seek",), "objective", "positions.seek", 0.55, "after"),
    (("precondition",), "precondition", "positions.precondition", 0.6, "after"),
    (("prerequisite",), "precondition", "positions.precondition", 0.6, "after"),
    (("must", "first"), "precondition", "positions.must-first", 0.6, "after"),
)
# The cue already carries its negation; do not read it as a negated cue.
_NEGATIVE_CUES = {"positions.will-not-negotiate", "positions.non-negotiable"}
# What a rejection can be about that is no stance on an issue.
NOT_STANCES = {"claim", "claims", "accusation", "accusations", "allegation", "allegations",
               "report", "reports", "charge", "charges", "criticism", "speculation", "rumours",
               "rumors", "suggestion", "suggestions", "assertion", "assertions"}
# A bare "sanctions" is an issue of a position only as relief from them.
RELIEF_WORDS = {"relief", "lift", "lifting", "lifted", "removal", "remove", "easing", "ease", "eased",
                "end", "ending", "suspension", "suspend", "waiver", "waivers"}


def _lemma(token) -> str:
    lemma = token.lemma_.lower()
    return "not" if lemma == "n't" else lemma


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


def _issue_ok(chunk: Chunk, mention) -> bool:
    if mention.key != "sanctions-relief" or "relief" in chunk.doc[mention.token_start:mention.token_end].text.lower():
        return True
    sent = chunk.doc[mention.token_start].sent
    window = chunk.doc[max(sent.start, mention.token_start - 3):min(sent.end, mention.token_end + 2)]
    return any(t.lower_ in RELIEF_WORDS or _lemma(t) in RELIEF_WORDS for t in window)


@component(
    "positions",
    requires=("doc", "lemmas", "mentions", "markers"),
    provides=("facts.position",),
    defaults={"max_gap": 8, "hedge_factor": 0.6},
)
def positions(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Demands, red lines, objectives and preconditions from cue words, holder and issue."""
    doc = chunk.doc
    for start, end, (words, kind, rule, base, where) in find_cues(chunk, POSITION_CUES):
        sent = doc[start].sent
        if conditional(chunk, start):
            continue
        if rule not in _NEGATIVE_CUES and negated(chunk, start):
            continue
        if where == "after":
            after = end
            while after < sent.end and doc[after].lower_ in {"the", "a", "an", "any", "all", "its", "their"}:
                after += 1
            if after < sent.end and doc[after].lower_ in NOT_STANCES:
                continue
            issues = governed(chunk, "issue", end, settings["max_gap"])
        else:
            issues = governed_before(chunk, "issue", start, settings["max_gap"])
        issues = [m for m in issues if _issue_ok(chunk, m)]
        if not issues:
            continue
        anchor = start if where == "after" else issues[0].token_start
        holder = subject_before(chunk, ctx, anchor)
        passive = actor_after(chunk, end, 3, {"by"})
        if passive is not None:
            holder = (passive.key, passive, passive.token_start)
        if holder is None:
            continue
        holder_key, holder_mention, holder_start = holder
        confidence = base
        if holder_mention is not None and holder_mention.rule == "gazetteer.demonym":
            confidence -= 0.05
        if any(i in chunk.markers["reporting"] for i in range(sent.start, holder_start)):
            confidence -= 0.05  # "X said that Y refuses": Y's stance, reported by X
        is_hedged = hedged(chunk, start)
        if is_hedged:
            confidence *= settings["hedge_factor"]
        addressed = None
        if kind in {"demand", "precondition"}:
            target = actor_after(chunk, start, len(words) + 3, {*words, "that", "from"}) or \
                next((m for m in mentions(chunk, "actor") if m.token_start == end), None)
            if target is not None and target.key != holder_key and target.rule != "gazetteer.demonym":
                addressed = target.key
        span = chunk.sentence_span(sent)
        last = issues[-1].token_end
        if kind == "demand" and any(t.lower_ == "first" for t in doc[last:min(last + 2, sent.end)]):
            kind, rule = "precondition", "positions.demand-first"  # "demanded compliance first"
        for n, issue in enumerate(issues):
            if issue.key in ctx.index.names["actor"]:
                continue
            fields = {"type": kind, "holder": holder_key, "issue": issue.key}
            if addressed:
                fields["addressed_to" if kind == "demand" else "first_mover"] = addressed
            if is_hedged:
                fields["hedged"] = True
            ctx.propose(Candidate("position", fields, [span], rule, round(confidence - 0.05 * min(n, 2), 2)))


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
        if nxt >= len(doc) or doc[nxt].text not in POSSESSIVE or actor.rule == "gazetteer.demonym":
            continue
        if negated(chunk, actor.token_start) or conditional(chunk, actor.token_start):
            continue
        for kind in kinds:
            if nxt < kind.token_start <= nxt + 4 and doc[kind.token_start].sent.start == doc[nxt].sent.start:
                _propose_leverage(chunk, ctx, kind.key, actor.key, kind.token_start, "leverage.possessive", 0.6)
                break
    for start, end, (words, fixed, rule, base) in find_cues(chunk, LEVERAGE_VERBS):
        if negated(chunk, start) or start in chunk.markers["question"]:
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
    if ctx.index.kinds.get(holder) == "Person":
        return  # leverage is held by states and organisations
    fields = {"leverage_kind": kind, "holder": holder}
    target = actor_after(chunk, cue, 8, {"on", "against"})
    if target is not None and target.key != holder:
        fields["targets"] = [target.key]
    ctx.propose(Candidate("leverage", fields, [chunk.sentence_span(doc[cue].sent)], rule, round(confidence, 2)))
