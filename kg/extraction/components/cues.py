"""Leverage ("Iran's missile arsenal", "the hostages are the group's main bargaining chip",
"officials described the sanctions as leverage"), and the cue finder other components share.

A leverage asset is what the text presents as bargaining power: a kind of leverage its holder
owns ("Iran's missile arsenal"), or anything the text calls a lever, card, bargaining chip or
leverage, with the holder its possessor or whoever describes it so. An act such as "imposed
sanctions" or "threatened strikes" is an event (events.py), not by itself a leverage asset: on
the dev set those verb cues proposed 9 leverage assets and none was one. A negated or
conditional cue proposes nothing.
"""

from __future__ import annotations

from functools import lru_cache

from ..lexicon import load_lexicon, words
from ..model import Candidate, Chunk, Context
from ..registry import component
from ._clause import POSSESSIVE, actor_after, mentions
from ._parse import actor_of, anaphors, lemma, mentions_at, negated as clause_negated, subject_of
from .entities import mint, record_mention
from .markers import conditional, negated

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


@component(
    "leverage",
    requires=("doc", "lemmas", "mentions", "markers"),
    provides=("facts.leverage",),
)
def leverage(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Leverage held by an actor: "Iran's missile arsenal", "X is the group's bargaining chip"."""
    doc = chunk.doc
    kinds = mentions(chunk, "leverage-kind")
    # possessive: "Iran's missile arsenal", "Tehran’s allied armed groups". A pronoun's ("its
    # stockpile") is not read: on the dev set "its" owned limits ("a ceiling on its stockpile"),
    # acts and another party's plants more often than assets (4 proposed, none right)
    acts = _acts()
    for actor in mentions(chunk, "actor"):
        nxt = actor.token_end
        if nxt >= len(doc) or doc[nxt].text not in POSSESSIVE or actor.rule.endswith(".demonym"):
            continue
        if negated(chunk, actor.token_start) or conditional(chunk, actor.token_start):
            continue
        # what is possessed must be the kind itself: "Iran's missile arsenal", not "Iran's right to
        # enrich uranium" or "Iran's missile programme" (a right, a programme: no asset)
        possessed = doc[actor.token_end - 1].head if doc.has_annotation("DEP") else None
        if possessed is not None and (lemma(possessed) in acts or any(
                c.dep_ in {"compound", "amod"} and lemma(c) in acts for c in possessed.children)):
            continue  # "when Israel's offensive resumed", "Israel's bombing campaign": an act (events.py), no asset
        for kind in kinds:
            if possessed is not None and not kind.token_start <= possessed.i < kind.token_end:
                continue
            if nxt < kind.token_start <= nxt + 4 and doc[kind.token_start].sent.start == doc[nxt].sent.start:
                _propose_leverage(chunk, ctx, kind.key, actor.key, kind.token_start, "leverage.possessive", 0.6)
                break
    if doc.has_annotation("DEP"):
        at = mentions_at(chunk)
        _called_leverage(chunk, ctx, at)
        _used_to_press(chunk, ctx, kinds, at)


@lru_cache(maxsize=1)
def _acts() -> frozenset[str]:
    """The lemmas of the event triggers that name an act of force (language.yaml)."""
    triggers = load_lexicon("language")["event_triggers"]
    return frozenset(str(w).lower() for cls in ("MilitaryStrike", "War") for w in triggers[cls])


def _called_leverage(chunk: Chunk, ctx: Context, at) -> None:
    """What the text calls leverage: "X is the group's main bargaining chip", "Europe's strongest
    card", "officials described the presence as leverage", "X gives Washington the leverage"."""
    nouns, describing = words("language", "leverage_nouns"), words("language", "describing_verbs")
    people = words("language", "people_nouns")
    for token in chunk.doc:
        if token.pos_ != "NOUN" or lemma(token) not in nouns:
            continue
        noun, head = token, token.head
        asset, holder_token = None, None
        if noun.dep_ in {"attr", "acomp"} and head.lemma_ in {"be", "remain", "become"}:
            asset = subject_of(head)[0]  # "the hostages remain the group's main bargaining chip"
        elif noun.dep_ == "nsubj" and head.lemma_ in {"be", "remain"}:
            # "Washington's main leverage is the threat of secondary sanctions"
            asset = next((c for c in head.children if c.dep_ in {"attr", "acomp"} and c.pos_ == "NOUN"), None)
        elif noun.dep_ == "pobj" and head.lower_ == "among" and head.head.lemma_ in {"be", "remain"}:
            asset = subject_of(head.head)[0]  # "Those remains are among the last bargaining chips Hamas holds"
        elif noun.dep_ == "pobj" and head.lower_ == "as":
            verb, asset = head.head, None  # "described the sanctions as leverage", "pointed to X as"
            if verb.pos_ in {"NOUN", "PROPN"}:
                verb, asset = verb.head, verb
            if verb.pos_ != "VERB" or lemma(verb) not in describing:
                continue
            asset = asset or next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None) or next(
                (p for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children
                 if p.dep_ == "pobj"), None)
            if asset is None and verb.dep_ == "relcl":
                asset = verb.head  # "a foothold Israeli officials describe as leverage"
            holder_token = subject_of(verb)[0]
        elif noun.dep_ == "appos" and head.pos_ == "NOUN":
            asset = head  # "The crossing, Israel's main lever over Gaza,"
        elif noun.dep_ == "dobj" and lemma(head) == "give":
            asset = subject_of(head)[0]  # "X gives Washington the leverage"
            holder_token = next((c for c in head.children if c.dep_ in {"dative", "iobj"}), None)
        elif noun.dep_ == "nsubj" and any(c.dep_ == "prep" and c.lower_ == "in" for c in head.children):
            prep = next(c for c in head.children if c.dep_ == "prep" and c.lower_ == "in")  # "leverage sits in"
            asset = next((p for p in prep.children if p.dep_ == "pobj"), None)
        if asset is not None and asset.pos_ == "PRON":
            asset = _earlier_noun(asset)  # "Hamas holds 20 hostages, and they remain its main chip"
        if asset is None or clause_negated(head) or clause_negated(noun):
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        relative = next((c for c in noun.children if c.dep_ == "relcl"), None)
        if owner is not None:
            holder_token = owner  # "the group's", "Europe's", "their"
        elif relative is not None and subject_of(relative)[0] is not None:
            holder_token = subject_of(relative)[0]  # "the last bargaining chips Hamas holds"
        holder = _holder(holder_token, asset, at, ctx, people)
        kind = _asset_kind(chunk, ctx, asset, at) if holder is not None else None
        if kind is None:
            continue
        _propose_leverage(chunk, ctx, kind, holder, asset.i, "leverage.called", 0.6)


#: Verbs of pressing another party: what is done "to pressure Iran" is used as leverage.
_PRESSING = {"pressure", "press", "coerce", "deter", "squeeze", "force", "compel"}


def _used_to_press(chunk: Chunk, ctx: Context, kinds, at) -> None:
    """ "The US has moved two aircraft carriers to the region to pressure Iran": a kind of
    leverage its holder (the subject) acts with in order to press another party, named after
    the purpose verb."""
    people = words("language", "people_nouns")
    for kind in kinds:
        noun = chunk.doc[kind.token_end - 1]
        verb = noun.head if noun.dep_ in {"dobj", "nsubjpass"} else None
        if verb is None or verb.pos_ != "VERB" or clause_negated(verb):
            continue
        purpose = next((c for c in verb.children if c.dep_ in {"advcl", "xcomp"} and lemma(c) in _PRESSING
                        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
        pressed = next((o for o in purpose.children if o.dep_ == "dobj"), None) if purpose is not None else None
        if pressed is None or not any(m.category == "actor" for m in at.get(pressed.i, [])):
            continue
        subject = subject_of(verb)[0]
        holder = actor_of(subject, at, people) if subject is not None else None
        key = ctx.party_of(holder.key) if holder is not None and ctx.kind(holder.key) == "Person" else (
            holder.key if holder is not None else None)
        if key is not None:
            _propose_leverage(chunk, ctx, kind.key, key, kind.token_start, "leverage.used-to-press", 0.55)


def _earlier_noun(pronoun):
    """The noun a pronoun stands for: the last object or subject before it in its sentence, or None."""
    return next((t for t in reversed(pronoun.doc[pronoun.sent.start:pronoun.i])
                 if t.pos_ == "NOUN" and t.dep_ in {"dobj", "nsubj", "nsubjpass"}), None)


def _holder(token, asset, at, ctx: Context, people) -> str | None:
    """The party that holds the asset: the actor the holder phrase names (a person's party),
    else the asset's possessor ("Iran's missiles are leverage")."""
    for candidate in (token, next((c for c in asset.children if c.dep_ == "poss"), None)):
        if candidate is None:
            continue
        actor = actor_of(candidate, at, people)
        definite = candidate.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "the" for c in candidate.children)
        if actor is None and (candidate.lower_ in {"their", "its", "they", "it"} or definite):
            # "their", or "the group's" of a sentence whose subject is the party
            actor = actor_of(subject_of(candidate.sent.root)[0] or candidate, at, people)
        if actor is None and definite:
            # "the last thing Hamas has, and they remain the group's main bargaining chip": the
            # last actor named before it in the sentence that the noun can stand for
            kinds = anaphors().get(candidate.lemma_.lower(), frozenset())
            actor = next((m for m in sorted(_mentions_before(candidate, at), key=lambda m: -m.token_start)
                          if ctx.kind(m.key) in kinds), None)
        if actor is None:
            continue
        key = actor.key
        if ctx.kind(key) == "Person":
            key = ctx.party_of(key)
        if key:
            return key
    return None


def _mentions_before(token, at) -> list:
    """The actor mentions of the token's sentence that end before it."""
    return list({id(m): m for i in range(token.sent.start, token.i) for m in at.get(i, [])
                 if m.category == "actor" and m.token_end <= token.i}.values())


def _asset_kind(chunk: Chunk, ctx: Context, asset, at) -> str | None:
    """The leverage kind the asset phrase names (the lexicon's), else one minted from its words."""
    for t in asset.subtree:
        found = [m for m in at.get(t.i, []) if m.category == "leverage-kind"]
        if found:
            return found[0].key
    if asset.pos_ != "NOUN":
        return None
    parts = [c for c in asset.lefts if c.dep_ in {"compound", "amod"} and c.is_alpha and not at.get(c.i)] + [asset]
    of = next((c for c in asset.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((p for p in of.children if p.dep_ == "pobj"), None) if of is not None else None
    if pobj is not None and pobj.pos_ == "NOUN":
        parts += [of, pobj]
    if len(parts) > 4:
        return None
    parts = sorted(parts, key=lambda t: t.i)
    text = " ".join(t.lower_ for t in parts)
    key = mint(ctx, chunk, "leverage-kind", text[0].upper() + text[1:], "LeverageKind", parts[0].i,
               parts[-1].i + 1, "leverage.called", 0.5)
    if not key:
        return None
    # without a mention the minted kind is never written, nor the asset that names it
    record_mention(chunk, ctx, "leverage-kind", key, parts[0].i, parts[-1].i + 1, "leverage.called")
    return key


def _propose_leverage(chunk, ctx, kind, holder, cue, rule, confidence) -> None:
    doc = chunk.doc
    if ctx.kind(holder) == "Person":
        return  # leverage is held by states and organisations
    fields = {"leverage_kind": kind, "holder": holder}
    target = actor_after(chunk, cue, 8, {"on", "against"})
    if target is not None and target.key != holder:
        fields["targets"] = [target.key]
    ctx.propose(Candidate("leverage", fields, [chunk.sentence_span(doc[cue].sent)], rule, round(confidence, 2)))
