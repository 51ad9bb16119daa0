"""Cue rules for negotiation rounds, agreements, events and causal links between events.

Rounds need a known venue (the shapes require one): "talks in Muscat", "the Vienna talks",
"officials met in Geneva"; the sentence may add the host ("hosted by"), the mediator
("mediated by"), the format ("indirect talks"), a round number and a cancellation. Events
need an agent or a date so that a generic word ("war", "strikes") proposes nothing.
Causal links join two events of one sentence through a causal cue ("led to", "triggered").
"""

from __future__ import annotations

import re

from ..model import Candidate, Chunk, Context
from ..registry import component
from ._clause import BOUNDARY, RELATIVE, actor_after, governed, mentions, subject_before
from .cues import _lemma, find_cues
from .markers import conditional, hedged, negated

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10}
TALK_NOUNS = {"talk", "negotiation", "round", "meeting", "summit", "dialogue", "consultation"}
MEET_VERBS = {"meet", "met", "convene", "gather"}
OUTCOMES = {"cancel": "cancelled", "postpone": "postponed", "suspend": "suspended", "delay": "postponed"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _near_date(chunk: Chunk, token: int, window: int = 10) -> str | None:
    sent = chunk.doc[token].sent
    doc = chunk.doc
    barrier = BOUNDARY | RELATIVE | {"led", "triggered", "prompted", "after", "following"}
    near = {d.value for d in chunk.dates if sent.start <= d.token_start < sent.end and abs(d.token_start - token) <= window
            and not any(t.lower_ in barrier for t in doc[min(token, d.token_end):max(token, d.token_start)])}
    return next(iter(near)) if len(near) == 1 else None


def _actor_kind(ctx: Context, key: str) -> str:
    return ctx.kind(key)


@component(
    "rounds",
    requires=("doc", "lemmas", "mentions", "dates", "markers"),
    provides=("facts.round",),
    defaults={"confidence": 0.65, "max_gap": 6},
)
def rounds(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """A negotiation round at a known place, with host, mediator, format, date and number."""
    doc = chunk.doc
    places = mentions(chunk, "place")
    if not places:
        return
    seen: set[tuple[int, str]] = set()  # (sentence, venue): one round per venue a sentence names
    for i, lemma in enumerate(chunk.lemmas):
        if lemma not in TALK_NOUNS and chunk.lowers[i] not in MEET_VERBS and lemma not in MEET_VERBS:
            continue
        token = doc[i]
        if lemma == "round" and not (i + 1 < len(doc) and doc[i + 1].lower_ == "of"):
            pass  # "a round in Muscat" is fine; "round of talks" handled by the noun after
        sent = token.sent
        venues = []
        for place in places:
            if not (sent.start <= place.token_start < sent.end):
                continue
            before = doc[place.token_start - 1].lower_ if place.token_start > sent.start else ""
            gap = doc[i + 1:place.token_start]
            if i < place.token_start <= i + settings["max_gap"] and before in {"in", "at"} and not any(
                t.lower_ in BOUNDARY for t in gap
            ):
                venues.append(place)
            elif place.token_end == i and lemma in TALK_NOUNS:  # "the Vienna talks"
                venues.append(place)
        if not venues or conditional(chunk, i) or negated(chunk, i, window=4):
            continue
        if lemma in MEET_VERBS and not any(m.rule for m in mentions(chunk, "actor")
                                           if sent.start <= m.token_start < sent.end):
            continue
        fields: dict = {}
        window = doc[max(sent.start, i - 3):min(sent.end, i + 4)]
        for t in window:
            if t.lower_ in {"indirect", "indirectly"} and not negated(chunk, t.i, 2):
                fields["format"] = "indirect"
            elif t.lower_ in {"direct", "directly", "face-to-face"} and not negated(chunk, t.i, 2):
                fields.setdefault("format", "direct")
        for t in doc[sent.start:sent.end]:
            if _lemma(t) == "host":
                by = actor_after(chunk, t.i, 2, {"by"})
                subject = subject_before(chunk, ctx, t.i, limit=4) if by is None else None
                found = by.key if by else (subject[0] if subject else None)
                if found and _actor_kind(ctx, found) != "Person":
                    fields["host"] = found
            if _lemma(t) in {"mediate", "mediation", "mediator"}:
                by = actor_after(chunk, t.i, 3, {"by", "of"})
                if by is None and t.i > sent.start:
                    prev = [m for m in mentions(chunk, "actor") if m.token_end in (t.i, t.i - 1)]
                    by = prev[0] if prev else None
                if by is not None and by.rule != "gazetteer.demonym":
                    fields["mediator"] = by.key
            if _lemma(t) in OUTCOMES and abs(t.i - i) <= 6 and not negated(chunk, t.i):
                fields["outcome"] = OUTCOMES[_lemma(t)]
        participants = []
        between = i + 1 < len(doc) and doc[i + 1].lower_ == "between"
        for m in mentions(chunk, "actor"):
            if not (sent.start <= m.token_start < sent.end) or _actor_kind(ctx, m.key) == "ArmedGroup":
                continue
            if (between and i + 1 < m.token_start <= i + 8) or (i - 6 <= m.token_start < i):
                if m.key not in {fields.get("host"), fields.get("mediator")}:
                    participants.append(m.key)
        if participants:
            fields["participants"] = list(dict.fromkeys(participants))
        number = next((ORDINALS[doc[t.i - 1].lower_] for t in doc[sent.start + 1:sent.end]
                       if _lemma(t) == "round" and doc[t.i - 1].lower_ in ORDINALS), None)
        venues = [v for v in venues if (sent.start, v.key) not in seen]
        seen.update((sent.start, v.key) for v in venues)
        date = _near_date(chunk, i)
        confidence = settings["confidence"] * (0.6 if hedged(chunk, i) else 1)
        for venue in venues:
            name = ctx.label("place", venue.key)
            label = f"Talks in {name}"
            hint = f"{venue.key}-talks"
            if number:
                label = f"Round {number} of talks in {name}"
                hint += f"-round-{number}"
            if date:
                label += f" ({date})"
                hint += f"-{date}"
            round_fields = {"label": label, "venue": venue.key, **fields}
            if date:
                round_fields["date"] = date
            ctx.propose(Candidate(
                "round", round_fields, [chunk.sentence_span(sent)], "rounds.talks-at-place",
                round(confidence, 2), key_hint=hint, merge_on=("venue", "date", "label"),
            ))


@component(
    "agreements",
    requires=("doc", "lemmas", "mentions", "dates", "quantities", "markers"),
    provides=("facts.agreement", "facts.provision", "events"),
    defaults={"confidence": 0.6},
)
def agreements(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Signed, withdrew from, complied with, violated, capped: what became of an agreement."""
    doc = chunk.doc
    base = settings["confidence"]
    for agreement in mentions(chunk, "agreement"):
        sent = doc[agreement.token_start].sent
        span = chunk.sentence_span(sent)
        if conditional(chunk, agreement.token_start):
            continue
        lemmas = [(t.i, _lemma(t)) for t in doc[sent.start:sent.end]]
        for i, lemma in lemmas:
            if abs(i - agreement.token_start) > 8 or negated(chunk, i):
                continue
            factor = 0.6 if hedged(chunk, i) else 1
            if lemma in {"withdraw", "withdrawal", "exit", "abandon", "quit"} or (
                lemma == "pull" and i + 1 < len(doc) and doc[i + 1].lower_ == "out"
            ):
                agent = subject_before(chunk, ctx, i, limit=6)
                if agent is None:
                    prev = [m for m in mentions(chunk, "actor") if m.token_end == i]
                    agent = (prev[0].key, prev[0], prev[0].token_start) if prev else None
                if agent is None:
                    continue
                date = _near_date(chunk, i)
                name = ctx.label("actor", agent[0])
                fields = {"class": "Withdrawal", "label": f"{name} withdrawal from the {ctx.label('agreement', agreement.key)}",
                          "agent": [agent[0]], "agreement": agreement.key}
                if date:
                    fields["date"] = date
                _event(chunk, ctx, fields, span, i, "agreements.withdrew-from", base * factor,
                       f"{agent[0]}-withdrawal-{agreement.key}")
            elif lemma in {"sign", "conclude"} and i < agreement.token_start:
                fields = {"agreement": agreement.key}
                agent = subject_before(chunk, ctx, i, limit=6)
                if agent and _actor_kind(ctx, agent[0]) == "State":
                    fields["parties"] = [agent[0]]
                date = _near_date(chunk, i)
                if date:
                    fields["date"] = date
                ctx.propose(Candidate("agreement", fields, [span], "agreements.signed", round(base * factor, 2)))
            elif lemma in {"collapse", "unravel", "expire", "terminate"} and i > agreement.token_start:
                ctx.propose(Candidate("agreement", {"agreement": agreement.key, "fate": {
                    "collapse": "collapsed", "unravel": "unravelled", "expire": "expired",
                    "terminate": "terminated"}[lemma]}, [span], "agreements.fate", round(base * factor, 2)))
            elif lemma in {"comply", "compliance", "violate", "violation", "breach"}:
                verified = any(_lemma(t) in {"confirm", "verify", "certify"} for t in doc[sent.start:sent.end])
                agent = subject_before(chunk, ctx, i, limit=6)
                fields = {"class": "ComplianceVerification" if verified and lemma in {"comply", "compliance"} else "Event",
                          "agreement": agreement.key}
                what = "Verified compliance with" if fields["class"] == "ComplianceVerification" else (
                    "Compliance with" if lemma in {"comply", "compliance"} else "Violation of")
                who = ctx.label("actor", agent[0]) + ": " if agent else ""
                fields["label"] = f"{who}{what} the {ctx.label('agreement', agreement.key)}"
                if agent:
                    fields["agent"] = [agent[0]]
                about = _issue_near(chunk, sent, i)
                if about:
                    fields["issue"] = [about]
                _event(chunk, ctx, fields, span, i, f"agreements.{'comply' if 'ompl' in lemma else 'violate'}",
                       base * factor * 0.9, f"{_slug(fields['label'])}")
            elif lemma in {"cap", "limit", "ceiling"}:
                for q in chunk.quantities:
                    if sent.start <= q.token_start < sent.end and abs(q.token_start - i) <= 4:
                        fields = {"agreement": agreement.key, "label": f"{q.value}% cap", "limit": q.value, "unit": q.unit}
                        about = _issue_near(chunk, sent, q.token_start)
                        if about:
                            fields["issue"] = about
                            fields["label"] = f"{q.value}% cap on {ctx.label('issue', about).lower()}"
                        ctx.propose(Candidate("provision", fields, [span], "agreements.cap", round(base * factor, 2)))
                        break


def _issue_near(chunk: Chunk, sent, token: int, window: int = 8) -> str | None:
    """The issue named closest to ``token`` in its sentence, within ``window`` tokens."""
    near = [m for m in mentions(chunk, "issue") if sent.start <= m.token_start < sent.end
            and abs(m.token_start - token) <= window]
    return min(near, key=lambda m: abs(m.token_start - token)).key if near else None


def _event(chunk, ctx, fields, span, cue, rule, confidence, hint) -> None:
    if "date" in fields:
        hint = f"{hint}-{fields['date']}"
    merge = tuple(k for k in ("class", "agent", "target", "agreement", "date", "participants") if k in fields)
    identity = ctx.propose(Candidate("event", fields, [span], rule, round(confidence, 2),
                                     key_hint=_slug(hint), merge_on=merge))
    if identity is not None:
        chunk.events.append((cue, cue + 1, identity))


STRIKE_LEMMAS = {"strike", "airstrike", "bomb", "bombing", "attack"}


@component(
    "events",
    requires=("doc", "lemmas", "mentions", "dates", "quantities", "markers"),
    provides=("events",),
    defaults={"confidence": 0.6},
)
def events(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Strikes, wars, sanctions, threats, deployments and enrichment steps with agent or date."""
    doc = chunk.doc
    base = settings["confidence"]
    actors = mentions(chunk, "actor")
    triggers = STRIKE_LEMMAS | {"war", "impose", "tighten", "raise", "increase", "boost", "accelerate", "expand"}
    for i, lemma in enumerate(chunk.lemmas):
        if lemma not in triggers:
            continue
        token = doc[i]
        sent = token.sent
        if conditional(chunk, i) or negated(chunk, i):
            continue
        if i > 0 and doc[i - 1].lower_ == "to" and lemma in STRIKE_LEMMAS:
            continue  # "the ability to strike": a capability, not an event
        factor = 0.6 if hedged(chunk, i) else 1
        span = chunk.sentence_span(sent)
        date = _near_date(chunk, i, window=8)
        if lemma in STRIKE_LEMMAS:
            agent = next((m for m in actors if m.token_end in (i, i - 1) and sent.start <= m.token_start), None)
            agent_key = agent.key if agent else None
            if agent_key is None:
                found = subject_before(chunk, ctx, i, limit=6)
                agent_key = found[0] if found else None
            target = actor_after(chunk, i, 4, {"on", "against"})
            if target is None and i + 1 < len(doc):
                target = next((m for m in actors if m.token_start == i + 1 and m.rule != "gazetteer.demonym"), None)
            if agent_key is None or (target is None and date is None):
                continue
            if _actor_kind(ctx, agent_key) == "Person":
                continue  # "Trump authorized strikes": the person authorises, the state strikes
            name = ctx.label("actor", agent_key)
            fields = {"class": "MilitaryStrike", "agent": [agent_key]}
            label = f"{name} strikes"
            if target is not None and target.key != agent_key:
                fields["target"] = [target.key]
                label += f" on {ctx.label('actor', target.key)}"
            if date:
                fields["date"] = date
            fields["label"] = label + (f" ({date})" if date else "")
            _event(chunk, ctx, fields, span, i, "events.strike", base * factor, f"{agent_key}-strikes")
        elif lemma == "war" and date is not None:
            participants = []
            if i + 1 < len(doc) and doc[i + 1].lower_ == "between":
                participants = [m.key for m in actors if i + 1 < m.token_start <= i + 6 and m.rule != "gazetteer.demonym"]
            if not participants:
                participants = [m.key for m in actors if i - 4 <= m.token_start < i]
            participants = [p for p in dict.fromkeys(participants) if _actor_kind(ctx, p) == "State"]
            fields = {"class": "War", "date": date}
            if participants:
                fields["participants"] = participants
            duration = None
            if i >= 3 and doc[i - 2].text in {"-", "‑"} and doc[i - 1].lower_ == "day" and doc[i - 3].like_num:
                duration = f"P{doc[i - 3].text}D"
            if duration and re.match(r"^P\d+D$", duration):
                fields["duration"] = duration
            who = " and ".join(ctx.label("actor", p) for p in participants)
            fields["label"] = f"War of {date}" + (f" between {who}" if who else "")
            identity_fields = {k: v for k, v in fields.items()}
            _event(chunk, ctx, identity_fields, span, i, "events.war", base * factor, f"war-{date}")
        elif lemma in {"impose", "tighten"} and any(_lemma(t) == "sanction" for t in doc[i + 1:min(i + 4, sent.end)]):
            agent = subject_before(chunk, ctx, i)
            if agent is None or date is None:
                continue
            fields = {"class": "Sanction", "agent": [agent[0]], "date": date,
                      "label": f"{ctx.label('actor', agent[0])} sanctions ({date})"}
            target = actor_after(chunk, i, 6, {"on", "against"})
            if target is not None and target.key != agent[0]:
                fields["target"] = [target.key]
            _event(chunk, ctx, fields, span, i, "events.sanctions", base * factor, f"{agent[0]}-sanctions")
        elif lemma in {"raise", "increase", "boost", "accelerate", "expand"} and chunk.quantities:
            issue = governed(chunk, "issue", i + 1, 6)
            following = [q for q in chunk.quantities if i < q.token_start <= i + 20 and q.token_start < sent.end
                         and not {"cap", "limit", "ceiling"} & {_lemma(t) for t in doc[max(i, q.token_start - 3):q.token_start]}]
            # "from the cap of 3.67% to levels exceeding 60%": the level reached follows "to"
            reached = [q for q in following if "to" in {t.lower_ for t in doc[max(i, q.token_start - 3):q.token_start]}]
            quantity = reached[0] if reached else (following[0] if len(following) == 1 else None)
            agent = subject_before(chunk, ctx, i)
            if not issue or quantity is None or agent is None:
                continue
            unit = "%" if quantity.unit == "percent" else f" {quantity.unit}"
            fields = {"class": "Escalation", "agent": [agent[0]], "issue": [issue[0].key],
                      "value": quantity.value, "unit": quantity.unit,
                      "label": f"{ctx.label('actor', agent[0])} raises {ctx.label('issue', issue[0].key).lower()} "
                               f"to {quantity.value}{unit}"}
            if quantity.qualifier:
                fields["qualifier"] = quantity.qualifier
            if date:
                fields["date"] = date
            _event(chunk, ctx, fields, span, i, "events.enrichment-level", base * factor, f"{agent[0]}-enrichment-{quantity.value}")


CAUSAL_CUES = (
    (("lead", "to"), "led to", False), (("led", "to"), "led to", False), (("trigger",), "triggered", False),
    (("prompt",), "prompted", False), (("reinforce",), "reinforced", False),
    (("result", "in"), "resulted in", False), (("cause",), "caused", False),
    (("provoke",), "provoked", False), (("spark",), "sparked", False),
    (("in", "response", "to"), "in response to", True), (("because", "of"), "because of", True),
)


@component(
    "causal",
    requires=("doc", "lemmas", "events", "markers"),
    provides=("facts.causal",),
    defaults={"confidence": 0.5},
)
def causal(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """A causal cue between two events of one sentence: the earlier one caused the later one."""
    if len(chunk.events) < 2:
        return
    doc = chunk.doc
    for start, end, (words, cue, reverse) in find_cues(chunk, CAUSAL_CUES):
        sent = doc[start].sent
        if negated(chunk, start) or conditional(chunk, start):
            continue
        before = [e for e in chunk.events if sent.start <= e[0] < start]
        after = [e for e in chunk.events if end <= e[0] < sent.end]
        if not before or not after:
            continue
        left, right = before[-1][2], after[0][2]
        cause, effect = (right, left) if reverse else (left, right)
        if cause == effect:
            continue
        confidence = settings["confidence"] * (0.6 if hedged(chunk, start) else 1)
        ctx.propose(Candidate("causal", {"cause": cause, "effect": effect, "cue": cue},
                              [chunk.sentence_span(sent)], "causal.cue", round(confidence, 2)))
