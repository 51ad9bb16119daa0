"""Cue rules for negotiation rounds, agreements, events and causal links between events.

Rounds need a known venue (the shapes require one): "talks in Muscat", "the Vienna talks",
"officials met in Geneva"; the sentence may add the host ("hosted by"), the mediator
("mediated by"), the format ("indirect talks"), a round number and a cancellation. Events
need an agent or a date so that a generic word ("war", "strikes") proposes nothing.
Causal links join two events of one sentence through a causal cue ("led to", "triggered").
"""

from __future__ import annotations

import re

from ..model import Candidate, Chunk, Context, Mention
from ..registry import component
from ._clause import BOUNDARY, RELATIVE, actor_after, governed, mentions, subject_before
from .cues import find_cues
from .entities import is_region, mint, seat_of
from ..lexicon import load_lexicon
from ..lexicon import words as word_list
from ._parse import actor_of, mentions_at, pronoun_antecedent, subject_of
from ._parse import lemma as lemma_of
from ._parse import conditional as in_condition
from ._parse import negated as has_negation
from .markers import conditional, hedged, negated

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10}
TALK_NOUNS = {"talk", "negotiation", "round", "meeting", "summit", "dialogue", "consultation", "session"}
MEET_VERBS = {"meet", "met", "convene", "gather"}
_MAYBE = {"may", "might", "could", "possibly", "perhaps", "suggested", "proposed", "floated"}
#: Verbs that tell a round's status (imp:roundStatus) outright.
STATUS_VERBS = {"cancel": "cancelled", "postpone": "postponed", "delay": "postponed", "scrap": "cancelled",
                "call": "cancelled"}  # "call" only with "off" ("the talks were called off")
_SCHEDULED = {"will", "shall", "due", "expected", "scheduled", "set", "planned", "plan", "next", "upcoming"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _near_date(chunk: Chunk, token: int, window: int = 10, within: tuple[int, int] | None = None) -> str | None:
    """The one date near ``token`` in its sentence, not across a clause boundary, and not the
    date of the reporting ("… in the Istanbul talks, Zelensky said on Wednesday"), nor one within
    an agreement's name or ``within`` (the "2015" of "the 2015 deal" dates the deal, not the act)."""
    sent = chunk.doc[token].sent
    doc = chunk.doc
    barrier = BOUNDARY | RELATIVE | {"led", "triggered", "prompted", "after", "following"}
    # an agreement's name dates the agreement ("talks on the 2015 deal resumed in Vienna on Saturday")
    names = [(m.token_start, m.token_end) for m in chunk.mentions if m.category == "agreement"] + ([within] if within else [])
    near = {d.value for d in chunk.dates if sent.start <= d.token_start < sent.end and abs(d.token_start - token) <= window
            and not any(s <= d.token_start < e for s, e in names)
            and not any(t.lower_ in barrier for t in doc[min(token, d.token_end):max(token, d.token_start)])
            and not _date_of_reporting(doc[d.token_start], doc[token])}
    return next(iter(near)) if len(near) == 1 else None


def _clause_date(chunk: Chunk, token) -> str | None:
    """The one date on a verb, or on the verb a noun is the subject or object of, however far
    the words between push it ("The first round of talks between Iran and the United States
    took place on Saturday", "abandoned the 2015 nuclear deal between Iran and world powers in
    2018"), read from the parse."""
    if not token.doc.has_annotation("DEP"):
        return None
    if token.pos_ == "VERB":
        verb = token
    else:
        if token.dep_ == "pobj" and token.head.head.dep_ in {"nsubj", "nsubjpass", "dobj"}:
            token = token.head.head  # "round of talks": the round is what the verb takes
        if token.dep_ not in {"nsubj", "nsubjpass", "dobj"} or token.head.pos_ != "VERB":
            return None
        verb = token.head
    found = set()
    for d in chunk.dates:
        node = token.doc[d.token_start]
        while node.head.i != node.i and node.head.i != verb.i and node.dep_ in {"pobj", "prep", "npadvmod", "compound"}:
            node = node.head
        if node.head.i == verb.i and node.dep_ in {"prep", "npadvmod"}:
            found.add(d.value)
    return next(iter(found)) if len(found) == 1 else None


def _date_of_reporting(date, token) -> bool:
    """The date belongs to a reporting verb ("said on Wednesday") that is not the token's own."""
    if not date.doc.has_annotation("DEP"):
        return False
    verb = next((t for t in [date, *date.ancestors] if t.pos_ == "VERB"), None)
    own = next((t for t in [token, *token.ancestors] if t.pos_ == "VERB"), None)
    return (verb is not None and lemma_of(verb) in word_list("language", "reporting_verbs")
            and (own is None or verb.i != own.i))


def _actor_kind(ctx: Context, key: str) -> str:
    return ctx.kind(key)


@component(
    "rounds",
    requires=("doc", "lemmas", "mentions", "dates", "markers"),
    provides=("facts.round",),
    defaults={"confidence": 0.65, "max_gap": 8},
)
def rounds(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """A negotiation round at a known place, with host, mediator, format, date and number."""
    doc = chunk.doc
    _countries_as_places(chunk, ctx)
    places = mentions(chunk, "place")
    if not places:
        return
    place_tokens = {t for p in places for t in range(p.token_start, p.token_end)}
    seen: set[tuple[int, str]] = set()  # (sentence, venue): one round per venue a sentence names
    actor_tokens = {i for m in mentions(chunk, "actor") for i in range(m.token_start, m.token_end)}
    for i, lemma in enumerate(chunk.lemmas):
        token = doc[i]
        if lemma not in TALK_NOUNS and chunk.lowers[i] not in MEET_VERBS and lemma not in MEET_VERBS and not (
                _sat_down(token) or _ordinal_round(token) or _received(token, actor_tokens)):
            continue
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
            ) and _attached(doc[place.token_start - 1], token, actor_tokens):
                venues.append(place)
            elif place.token_end == i and lemma in TALK_NOUNS and not is_region(ctx, doc[place.token_start:place.token_end].text):
                venues.append(place)  # "the Vienna talks" (but "the Gaza talks" are about Gaza)
            elif (lemma in TALK_NOUNS or token.pos_ == "VERB" or _ordinal_round(token)) and \
                    place.token_start in _attached_places(token):
                # "a fourth round … that had been due to take place in Rome"; "is due to meet his
                # British, French and German counterparts and Mogherini in Brussels"; "a fifth
                # will take place in Rome"
                venues.append(place)
        if any(_preposition_before(doc, v.token_start) == "in" for v in venues):
            # "held in Istanbul …, at the Ciragan Palace": the site is within the city, one round
            venues = [v for v in venues if _preposition_before(doc, v.token_start) != "at"]
        # "in Istanbul's Dolmabahce Palace": the city that owns the site is the venue
        owners = {doc[v.token_end - 1].head.i for v in venues if doc[v.token_end - 1].dep_ == "poss"}
        venues = [v for v in venues if doc[v.token_end - 1].dep_ == "poss" or not any(
            v.token_start <= o < v.token_end or o == doc[v.token_end - 1].head.i for o in owners)]  # "Rome's Camilluccia district"
        if not venues or conditional(chunk, i) or negated(chunk, i, window=4) or _not_talks(token):
            continue
        if lemma in MEET_VERBS and not any(m.rule for m in mentions(chunk, "actor")
                                           if sent.start <= m.token_start < sent.end) and not _meeting_sides(token):
            continue
        fields: dict = {}
        window = doc[max(sent.start, i - 3):min(sent.end, i + 4)]
        for t in window:
            if t.lower_ in {"indirect", "indirectly"} and not negated(chunk, t.i, 2):
                fields["format"] = "indirect"
            elif t.lower_ in {"direct", "directly", "face-to-face"} and not negated(chunk, t.i, 2):
                fields.setdefault("format", "direct")
        for t in doc[sent.start:sent.end]:
            if lemma_of(t) == "host":
                by = actor_after(chunk, t.i, 2, {"by"})
                subject = subject_before(chunk, ctx, t.i, limit=4) if by is None else None
                found = by.key if by else (subject[0] if subject else None)
                if found and _actor_kind(ctx, found) != "Person":
                    fields["host"] = found
            if lemma_of(t) in {"mediate", "mediation", "mediator"}:
                by = actor_after(chunk, t.i, 3, {"by", "of"})
                if by is None and t.i > sent.start:  # "Omani mediation", "Qatari and Egyptian mediators"
                    actor_tokens = {i for a in mentions(chunk, "actor") for i in range(a.token_start, a.token_end)}
                    prev = [m for m in mentions(chunk, "actor") if m.token_end in (t.i, t.i - 1)
                            or (m.token_end < t.i and all(x.lower_ in {"and", ","} or x.i in actor_tokens
                                                          for x in doc[m.token_end:t.i]))]
                    by = prev[0] if prev else None
                if by is not None:
                    fields["mediator"] = by.key
            if t.lower_ == "through" and "mediator" not in fields:  # "held in Doha through Qatar"
                via = actor_after(chunk, t.i, 2, {"through"})
                if via is not None and _actor_kind(ctx, via.key) == "State":
                    fields["mediator"] = via.key
            if lemma_of(t) in STATUS_VERBS and (abs(t.i - i) <= 6 or t.i == token.head.i) and not negated(chunk, t.i) and (
                    lemma_of(t) != "call" or any(c.lower_ == "off" for c in t.children)):
                fields["round_status"] = STATUS_VERBS[lemma_of(t)]
        if "round_status" not in fields and doc.has_annotation("DEP"):
            status = _status(token)
            if status:
                fields["round_status"] = status
        participants = []
        # "talks between …", "a round of talks between …"
        between = next((j for j in range(i + 1, min(sent.end, i + 4)) if doc[j].lower_ == "between"
                        and all(t.lower_ == "of" or lemma_of(t) in TALK_NOUNS for t in doc[i + 1:j])), None)
        # "Iran and the United States held a fourth round": who holds the talks takes part
        holders = {t.i for c in token.head.children if token.dep_ == "dobj" and c.dep_ == "nsubj" for t in c.subtree}
        for m in mentions(chunk, "actor"):
            if not (sent.start <= m.token_start < sent.end) or _actor_kind(ctx, m.key) == "ArmedGroup":
                continue
            if doc[m.token_end - 1].dep_ == "appos" and doc[m.token_end - 1].head.i in place_tokens:
                continue  # "in Muscat, Oman,": the country of the place
            if any(v.token_start == m.token_start for v in venues):
                continue  # "talks … in Saudi Arabia": the state named as the venue is the place
            if (between is not None and between < m.token_start <= between + 7) or (i - 6 <= m.token_start < i) or m.token_start in holders:
                # "a meeting between Putin, Witkoff and Kushner": a person takes part for a party
                party = ctx.party_of(m.key) if _actor_kind(ctx, m.key) == "Person" else m.key
                if party is not None and party not in {fields.get("host"), fields.get("mediator")}:
                    participants.append(party)
        if participants:
            fields["participants"] = list(dict.fromkeys(participants))
        number = next((ORDINALS[doc[t.i - 1].lower_] for t in doc[sent.start + 1:sent.end]
                       if lemma_of(t) == "round" and doc[t.i - 1].lower_ in ORDINALS), None)
        venues = [v for v in venues if (sent.start, v.key) not in seen]
        seen.update((sent.start, v.key) for v in venues)
        date = _near_date(chunk, i) or _clause_date(chunk, token)
        if any(chunk.lowers[j] in _MAYBE and doc[j].pos_ != "PROPN"  # "on May 16" is no "may"
               for j in range(max(sent.start, i - 6), min(sent.end, i + 6))):
            continue  # "the next meeting could take place in Moscow": no round yet ("will", "would" are)
        confidence = settings["confidence"]
        listed = _listed_dates(chunk, venues[0]) if len(venues) == 1 else []
        pairs = [(venues[0], d) for d in listed] or [(v, date) for v in venues]
        later = _listed_rounds(chunk, ctx, places, venues[0], seen) if len(venues) == 1 and date else []
        for n, (venue, date) in enumerate(pairs + later):  # "… on 12 April in Muscat, then Rome on 19 April"
            name = ctx.label("place", venue.key)
            label = f"Talks in {name}"
            hint = f"{venue.key}-talks"
            if number and n < len(pairs):  # the number names the first round, not those listed after it
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


def _not_talks(talk) -> bool:
    """A body's own sitting ("a cabinet session") or a meeting only wished for ("hoped to bring
    the two leaders together for a meeting in Turkey"): no round."""
    if any(c.dep_ in {"compound", "amod"} and c.lower_ in word_list("language", "not_talks_modifiers")
           for c in talk.children):
        return True
    wished = word_list("language", "wished_meeting_verbs")
    return any(lemma_of(t) in wished for t in talk.ancestors if t.pos_ == "VERB")


def _status(talk) -> str | None:
    """ "held" or "scheduled" from the verb of the talk noun's clause: "held talks", "the talks
    began" (past) are held; "will resume", "are due to meet", "the next round" are scheduled."""
    verb = talk if talk.pos_ == "VERB" else next((t for t in list(talk.ancestors)[:4] if t.pos_ in {"VERB", "AUX"}),
                                                 None)  # "held a first round of talks"
    near = [c.lower_ for c in talk.children] + ([c.lower_ for c in verb.subtree if c.i < talk.i + 4] if verb else [])
    near += [c.lower_ for c in verb.children if c.dep_ == "aux"] if verb is not None else []  # "Talks between … will resume"
    if verb is not None and verb.dep_ in {"xcomp", "advcl"}:  # "will travel to Washington to meet Trump"
        near += [c.lower_ for c in verb.head.children if c.dep_ == "aux"]
    near += [t.lower_ for t in talk.doc[talk.i + 1:talk.i + 5]]  # "talks due to take place", "a round of talks expected to"
    if any(w in _SCHEDULED for w in near):
        return "scheduled"
    if verb is not None and verb.tag_ in {"VBD", "VBN"} and not any(c.lower_ in {"would", "could", "might"}
                                                                    for c in verb.children):
        return "held"
    return None


def _attached(prep, talk, actor_tokens: set[int]) -> bool:
    """The "in"/"at" before a place belongs to the talks or to the clause they are in ("held
    talks in Muscat"), not to an actor named after them ("follows the talks for the Anatolia
    Strategy Institute in Ankara"). Other nouns between are the parser's attachment, often
    wrong ("talks on Tehran's nuclear programme in Muscat")."""
    if not prep.doc.has_annotation("DEP"):
        return True  # the blank fallback: the surface window alone
    node = prep.head
    while node.i != talk.i and node.pos_ not in {"VERB", "AUX"}:
        if node.i in actor_tokens and not (node.dep_ == "dobj" and node.head.i == talk.i) and not (
                node.dep_ == "pobj" and node.head.lower_ == "with" and node.head.head.i == talk.i):
            return False  # (but "received Zelensky at the White House", "talks with Witkoff in Muscat" are where they met)
        if node.head.i == node.i:
            return False
        node = node.head
    return node.i == talk.i or node.i == talk.head.i or any(node.i == a.i for a in talk.ancestors) or _taking_place(node)


def _taking_place(verb) -> bool:
    """ "a fifth round of talks due to take place in Rome", "talks scheduled to be held in Doha":
    a verb of taking place, which the parser may hang far from the talks it says it of."""
    return (lemma_of(verb) == "take" and any(c.dep_ == "dobj" and c.lower_ == "place" for c in verb.children)) or (
        lemma_of(verb) == "hold" and any(c.dep_ == "auxpass" for c in verb.children))


def _preposition_before(doc, start: int) -> str:
    """The word before a name, past its determiners ("at the Ciragan Palace": "at")."""
    i = start - 1
    while i > 0 and doc[i].pos_ == "DET":
        i -= 1
    return doc[i].lower_ if i >= 0 else ""


def _meeting_sides(verb) -> bool:
    """ "The two sides met in Geneva", "negotiators convened in Vienna": the subject of a meeting
    verb is the parties, though none is named."""
    subject, _ = subject_of(verb)
    return subject is not None and lemma_of(subject) in {"side", "party", "delegation", "negotiator", "envoy",
                                                        "mediator", "team", "diplomat", "official"}


def _received(token, actor_tokens: set[int]) -> bool:
    """ "Trump received Zelensky at the White House", "Putin hosted Witkoff at the Kremlin": a
    party's leader or envoy received or hosted is a meeting (a letter received is none)."""
    return token.pos_ == "VERB" and token.lemma_.lower() in {"receive", "host", "welcome"} and any(
        c.dep_ == "dobj" and c.i in actor_tokens for c in token.children)


def _sat_down(token) -> bool:
    """ "by the time negotiators sit down in Muscat": a meeting."""
    return token.pos_ == "VERB" and token.lemma_.lower() == "sit" and any(
        c.dep_ == "prt" and c.lower_ == "down" for c in token.children)


def _ordinal_round(token) -> bool:
    """ "Oman says a fifth will take place in Rome on Friday": an ordinal standing for a round
    (not "a fifth of the stockpile")."""
    return token.lower_ in ORDINALS and token.dep_ in {"nsubj", "nsubjpass"} and not any(
        c.dep_ == "prep" for c in token.children)


#: Verbs of going somewhere "for talks": where they go is where the talks are.
_TRAVELLING = {"arrive", "travel", "fly", "head", "come", "go", "land", "return"}
#: Nouns of a polity before its name: "the sultanate of Oman" is Oman.
_POLITIES = {"sultanate", "emirate", "kingdom", "republic", "principality", "state"}
#: Verbs by which talks go to a place: their "to" names the venue.
_MOVING = {"return", "move", "shift", "relocate", "head", "come"}


def _attached_places(talk) -> set[int]:
    """Token indices of the places a talk noun's clause (or a meeting verb) is held at, read
    from the parse: "the talks began in Doha", "a round … that had been due to take place in
    Rome", "met … in Cairo"."""
    verbs = [talk]  # "negotiations over Tehran's programme Friday in Rome": its own "in"
    if talk.dep_ in {"nsubj", "nsubjpass", "dobj"}:  # "began a round … in Rome"
        verbs.append(talk.head)
        # "Iran and the United States on Sunday in Muscat, Oman, held a fourth round": the
        # parser hangs the place on the subject before the verb
        verbs += [c for c in talk.head.children if c.dep_ == "nsubj" and c.i < talk.head.i and talk.dep_ == "dobj"]
    verbs += [c for c in talk.children if c.dep_ in {"relcl", "acl"}]
    # "held talks with US envoy Steve Witkoff in Muscat": the parser hangs the place on the other side
    verbs += [p for c in talk.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"]
    travel = None
    if talk.dep_ == "pobj" and talk.head.lower_ == "for" and lemma_of(talk.head.head) in _TRAVELLING:
        travel = talk.head.head  # "arrived late Tuesday in Cairo for talks", "will travel to Oman for talks"
        verbs.append(travel)
    if talk.pos_ == "VERB":  # "met a Hamas delegation led by Khalil al-Hayya in Cairo": the parser
        # hangs the meeting's place on the participle that describes who was met
        verbs += [a for o in talk.children if o.dep_ == "dobj" for a in o.children if a.dep_ == "acl" and a.tag_ == "VBN"]
    for verb in verbs:  # grows as it goes: "had been due to take place in" (relcl → acomp → xcomp)
        verbs += [c for c in verb.children if c.dep_ in {"xcomp", "acomp"}]
        # "to take place this coming Saturday in Rome": the parser makes a clause of the date
        # and hangs the place on it; a date hosts no place, so the place is the verb's
        verbs += [c for c in verb.children if c.ent_type_ == "DATE" and c.pos_ == "VERB"]
    places = set()
    for verb in verbs:
        # "the talks will return Saturday to the sultanate of Oman", "talks moved to Geneva"
        towards = {"to"} if verb is not talk and (lemma_of(verb) in _MOVING and talk.dep_ in {"nsubj", "nsubjpass"}
                                                  or verb is travel) else set()
        # "the talks held on February 6 in Muscat": the parser hangs the place on the date
        dated = [d for prep in verb.children if prep.dep_ == "prep" for d in prep.children
                 if d.dep_ == "pobj" and d.ent_type_ == "DATE"]
        for prep in [*verb.children, *(c for d in dated for c in d.children)]:
            if prep.dep_ == "prep" and prep.lower_ in {"in", "at", *towards}:
                places.update(p.i for p in prep.children if p.dep_ == "pobj")
                places.update(c.i for p in prep.children if p.dep_ == "pobj" for c in p.subtree)
    return places


def _listed_dates(chunk: Chunk, venue) -> list[str]:
    """The dates listed after a venue, one round each: "in Istanbul on May 16 and June 2", "in
    Istanbul, on May 16, June 2 and July 23" (only a list joined by commas and "and")."""
    doc = chunk.doc
    sent = doc[venue.token_start].sent
    found, position = [], venue.token_end
    for d in sorted((d for d in chunk.dates if sent.start <= d.token_start < sent.end and d.token_start >= venue.token_end),
                    key=lambda d: d.token_start):
        gap = [t.lower_ for t in doc[position:d.token_start]]
        if any(w not in {",", "and", "on", "then"} for w in gap):
            break
        found.append(d.value)
        position = d.token_end
    return list(dict.fromkeys(found)) if len(found) > 1 else []


def _listed_rounds(chunk: Chunk, ctx: Context, places, first, seen) -> list:
    """Further rounds listed after a dated round as "<place> on <date>", joined by commas,
    "and" or "then", with no verb between ("then Rome on 19 April, Muscat again on 26 April");
    a capital read as its state ("Rome" for Italy) is the city there."""
    doc = chunk.doc
    sent = doc[first.token_start].sent
    dates = {d.token_start: d for d in chunk.dates if sent.start <= d.token_start < sent.end}
    capitals = [m for m in mentions(chunk, "actor") if m.rule == "lexicon.capital"]
    found, position = [], first.token_end
    for place in sorted((p for p in [*places, *capitals] if sent.start <= p.token_start < sent.end
                         and p.token_start > first.token_end), key=lambda p: p.token_start):
        if any(t.pos_ in {"VERB", "AUX"} for t in doc[position:place.token_start]):
            break
        after = [t for t in doc[place.token_end:place.token_end + 3]]
        date = next((dates[t.i] for t in after if t.i in dates), None)
        if date is None or any(t.lower_ not in {"on", "again", "in"} for t in doc[place.token_end:date.token_start]):
            continue
        if place.category == "actor":
            key = mint(ctx, chunk, "place", doc[place.token_start:place.token_end].text, "Place", place.token_start,
                       place.token_end, "rounds.listed-venue", 0.6)
            if not key:
                continue
            chunk.mentions.remove(place)  # the city, not its state: "Italy" is no actor of this sentence
            if Mention(place.start, place.end, place.category, place.key, place.rule) in ctx.mentions:
                ctx.mentions.remove(Mention(place.start, place.end, place.category, place.key, place.rule))
            place = Mention(place.start, place.end, "place", key, "rounds.listed-venue", place.token_start,
                            place.token_end)
            chunk.mentions.append(place)
            if not ctx.in_furniture(place.start, place.end):
                ctx.mentions.append(Mention(place.start, place.end, "place", key, "rounds.listed-venue"))
        found.append((place, date.value))
        position = date.token_end
    return [(p, d) for p, d in found if (sent.start, p.key, d) not in seen]


def _countries_as_places(chunk: Chunk, ctx: Context) -> None:
    """ "talks held in Oman": a state after "in" or "at" is also the place (its territory)."""
    doc = chunk.doc
    for m in list(mentions(chunk, "actor")):
        if ctx.kind(m.key) != "State" or m.token_start == 0:
            continue
        before = m.token_start - 1
        if before >= 2 and doc[before].lower_ == "of" and doc[before - 1].lower_ in _POLITIES:
            before -= 2  # "to the sultanate of Oman"
            before -= doc[before].pos_ == "DET"
        prep = doc[before]
        if not (prep.lower_ in {"in", "at"} or prep.lower_ == "to" and lemma_of(prep.head) in _MOVING | _TRAVELLING):
            continue
        if any(p.category == "place" and p.token_start == m.token_start for p in chunk.mentions):
            continue
        # "at the White House", "in Washington": the city, not the country
        label = seat_of(ctx, doc[m.token_start:m.token_end].text) or ctx.label("actor", m.key)
        key = mint(ctx, chunk, "place", label, "Place", m.token_start, m.token_end, "rounds.country", 0.6)
        if key:
            place = Mention(m.start, m.end, "place", key, "rounds.country", m.token_start, m.token_end)
            chunk.mentions.append(place)
            if not ctx.in_furniture(m.start, m.end):
                ctx.mentions.append(Mention(m.start, m.end, "place", key, "rounds.country"))


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
        lemmas = [(t.i, lemma_of(t)) for t in doc[sent.start:sent.end]]
        for i, lemma in lemmas:
            if abs(i - agreement.token_start) > 8 or negated(chunk, i):
                continue
            factor = 0.6 if hedged(chunk, i) else 1
            if lemma in {"withdraw", "withdrawal", "exit", "abandon", "quit"} or (
                lemma in {"pull", "walk", "opt", "back"} and (i + 1 < len(doc) and doc[i + 1].lower_ == "out" or any(
                    c.dep_ in {"prt", "prep"} and c.lower_ == "out" for c in doc[i].children))  # "pulled the US out of the deal"
            ):
                agent = subject_before(chunk, ctx, i, limit=6)
                if agent is None:
                    prev = [m for m in mentions(chunk, "actor") if m.token_end == i]
                    agent = (prev[0].key, prev[0], prev[0].token_start) if prev else None
                if agent is None:
                    continue
                key = agent[0]
                if ctx.kind(key) == "Person":  # "Trump withdrew": the state withdraws, as in events
                    key = ctx.party_of(key) or key
                name_span = (agreement.token_start, agreement.token_end)
                date = _near_date(chunk, i, within=name_span) or _clause_date(chunk, doc[i])
                name = ctx.label("actor", key)
                fields = {"class": "Withdrawal", "label": f"{name} withdrawal from the {ctx.label('agreement', agreement.key)}",
                          "agent": [key], "agreement": agreement.key}
                if date:
                    fields["date"] = date
                _event(chunk, ctx, fields, span, i, "agreements.withdrew-from", base * factor,
                       f"{key}-withdrawal-{agreement.key}")
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
                verified = any(lemma_of(t) in {"confirm", "verify", "certify"} for t in doc[sent.start:sent.end])
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


class _EventLexicon:
    """The event triggers of language.yaml by lemma, and the words that go with them."""

    def __init__(self):
        data = load_lexicon("language")
        self.triggers = {str(w).lower(): cls for cls, lemmas in data["event_triggers"].items() for w in lemmas}
        self.weapons = word_list("language", "weapon_nouns")
        self.people = word_list("language", "people_nouns")
        self.bodies = word_list("language", "government_bodies")
        self.conditionals = word_list("language", "conditionals")
        self.hedges = word_list("language", "hedges")
        # the stance words: an act they govern is asked for or refused, not reported
        self.stance = frozenset(str(e["lemma"]) for group in ("stance_verbs", "stance_nouns") for e in data[group])
        # what a plan or a phase holds is planned ("the second phase involves the withdrawal …")
        self.planning = word_list("language", "container_nouns") | {"phase", "stage", "step", "completion",
                                                                    "implementation", "transition", "timetable"}


#: Triggers that need a weapon or force as object or subject to be military ("fired missiles").
_NEED_WEAPON = {"fire", "launch", "hit", "target", "mass", "concentrate", "station", "dispatch", "move", "send"}
#: Event nouns that two sides are in, whose demonym or name says where or between whom, not who
#: acts ("the Ukrainian war", "the Gaza war", "the Iran-Iraq war").
_SHARED = {"war"}
#: Triggers that report an event only as verbs: "struck 130 targets" is the strike, the targets
#: what it struck; "a hit", "a station" report nothing.
_VERB_ONLY = {"target", "hit", "mass", "concentrate", "station"}
_NOUNS = {"MilitaryStrike": "strikes", "War": "war", "Sanction": "sanctions", "Threat": "threat",
          "Deployment": "deployment", "Escalation": "escalation", "Withdrawal": "withdrawal"}


def _agent(token, at, lex: _EventLexicon, kind):
    """The actor that acts: a verb's subject (or the agent of a passive), a noun's possessor,
    demonym or compound ("Israel's strikes", "Israeli strikes", "US B-2 bombers struck"); a
    pronoun there stands for the subject of the clause above ("Kyiv says Russia broke those
    assurances when it seized Crimea"). ``kind`` gives an actor key's type."""
    if token.pos_ == "VERB":
        subject, _ = subject_of(token)
        if subject is None:  # "sites struck by Israel": a participle with its agent
            by = next((c for c in token.children if c.dep_ == "agent"), None)
            subject = next((p for p in by.children if p.dep_ == "pobj"), None) if by is not None else None
        if subject is None and token.dep_ == "pcomp" and token.head.lower_ == "by" and token.head.head.pos_ == "VERB":
            subject, _ = subject_of(token.head.head)  # "militants responded by firing rockets"
        if subject is None:
            return None
        found = actor_of(subject, at, lex.people) or pronoun_antecedent(subject, at, lex.people, kind)
        if found is None:  # "US B-2 bombers struck", "its aircraft had struck": the actor modifies the subject
            found = next((m for t in subject.subtree if t.i < subject.i for m in at.get(t.i, [])
                          if m.category == "actor"), None) or next(
                (a for c in subject.children if c.dep_ == "poss"
                 for a in [pronoun_antecedent(c, at, lex.people, kind)] if a is not None), None)
        return found
    # "the Russian invasion" is Russia's, but "the Ukrainian war" is no war Ukraine wages: a war
    # is a party's only by its possessive ("Russia's war")
    modifiers = {"poss"} if lemma_of(token) in _SHARED else {"poss", "amod", "compound", "nmod"}
    for child in token.lefts:
        if child.dep_ in modifiers:
            found = [m for m in at.get(child.i, []) if m.category == "actor"]
            if found:
                return found[0]
    if lemma_of(token) in _SHARED and (sides := _between(token, at)):
        return sides[0]  # "the 12-day war between Israel and Iran": the first named
    verb = _verb_of_object(token)
    if verb is not None and verb.pos_ == "VERB":  # "Russia launched its invasion", "… one of its attacks"
        return _agent(verb, at, lex, kind)
    by = next((c for c in token.rights if c.dep_ == "prep" and c.lower_ == "by"), None)
    if by is not None:
        pobj = next((p for p in by.children if p.dep_ == "pobj"), None)
        if pobj is not None:
            return actor_of(pobj, at, lex.people)
    return None


def _between(token, at) -> list[Mention]:
    """The actors of "between A and B" after an event noun, in order."""
    for c in token.children:
        if c.dep_ == "prep" and c.lower_ == "between":
            first = next((p for p in c.children if p.dep_ == "pobj"), None)
            sides = [first, *first.conjuncts] if first is not None else []
            return [m for t in sides for m in at.get(t.i, [])[:1] if m.category == "actor"]
    return []


def _target(token, at):
    """The actor acted upon: the object, or the object of "on", "against", "at", "into", "from"."""
    for c in token.children:
        node = c if c.dep_ in {"dobj", "obj"} else None
        if c.dep_ == "prep" and c.lower_ in {"on", "against", "at", "into", "from", "of", "across"}:
            node = next((p for p in c.children if p.dep_ == "pobj"), None)
        if node is None:
            continue
        for t in node.subtree:
            found = [m for m in at.get(t.i, []) if m.category == "actor"]
            if found:
                return found[0]
    return None


#: Verbs under which "to strike" reports a decision that was acted on ("voted to suspend").
_DECIDING = {"vote", "decide", "order", "move", "begin", "start", "resume", "continue", "authorize", "authorise"}


def _place(token, at) -> str | None:
    """A place the event happens at or strikes: "struck Fordow", "strikes on Natanz", "in Gaza"."""
    for c in token.children:
        nodes = [c] if c.dep_ in {"dobj", "obj"} else []
        if c.dep_ == "prep" and c.lower_ in {"on", "against", "at", "in", "across", "into"}:
            nodes = [p for p in c.children if p.dep_ == "pobj"]
        for node in nodes:
            for t in node.subtree:
                found = [m for m in at.get(t.i, []) if m.category == "place"]
                if found:
                    return found[0].key
    return None


def _anywhere_after(token, at):
    """The first actor in the clause a threat governs ("warned they will strike if Iran …")."""
    for t in token.subtree:
        if t.i > token.i:
            found = [m for m in at.get(t.i, []) if m.category == "actor"]
            if found:
                return found[0]
    return None


def _reported_act(token) -> bool:
    """A verb in the past tense of a clause of its own ("Israel resumed large-scale strikes",
    "Iran fired missiles"): something that happened, even with no target, place or date given."""
    if token.pos_ == "NOUN" and token.dep_ in {"dobj", "obj", "nsubj"}:
        token = token.head  # "resumed large-scale strikes", "Russian shelling killed five people"
    auxiliaries = [c for c in token.children if c.dep_ == "aux"]
    # the present perfect reports it too ("the US has moved B-2 bombers"), unless a modal hedges it
    perfect = token.tag_ == "VBN" and any(lemma_of(a) == "have" for a in auxiliaries) and not any(
        a.tag_ == "MD" for a in auxiliaries)
    return token.pos_ == "VERB" and (token.tag_ == "VBD" or perfect) and token.dep_ in {
        "ROOT", "conj", "ccomp", "advcl", "relcl"}


def _subjunctive(verb) -> bool:
    """A base form without an auxiliary: an imperative, or a subjunctive whose singular subject
    shows it ("that Ukraine withdraw from four regions"), which asks for the act."""
    if verb.pos_ != "VERB" or any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
        return False
    if verb.tag_ == "VB":
        return True
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return verb.tag_ == "VBP" and subject is not None and subject.tag_ in {"NNP", "NN"}


def _nor(token) -> bool:
    """The token is a conjunct after "nor": denied as the first one is."""
    return token.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "nor" and c.i < token.i for c in token.head.children)


def _verb_of_object(noun):
    """The verb whose object the noun is, also as what "one of" or "a series of" counts
    ("launched one of its most ambitious attacks"); None for a noun that is no object."""
    if noun.dep_ in {"dobj", "obj"}:
        return noun.head
    counted = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    if counted is not None and counted.pos_ in {"NUM", "NOUN", "PRON"} and counted.dep_ in {"dobj", "obj"}:
        return counted.head
    return None


def _elaboration(noun, lex: _EventLexicon, cls: str):
    """The participle that says more of an event noun: "launched attacks …, targeting bombers in
    Siberia" (the object's verb has it as an adverbial clause of the same class); or None."""
    verb = _verb_of_object(noun) if noun.pos_ == "NOUN" else None
    if verb is None:
        return None
    return next((c for c in verb.children if c.dep_ in {"advcl", "xcomp", "conj"} and c.pos_ == "VERB"
                 and c.tag_ == "VBG" and lex.triggers.get(lemma_of(c)) == cls), None)


def _elaborated(verb, lex: _EventLexicon):
    """The event noun a participle trigger says more of (see :func:`_elaboration`), or None."""
    if verb.pos_ != "VERB" or verb.tag_ != "VBG" or verb.dep_ not in {"advcl", "xcomp", "conj"}:
        return None
    cls = lex.triggers.get(lemma_of(verb))
    return next((t for t in verb.head.subtree if t.pos_ == "NOUN" and _is(_verb_of_object(t), verb.head)
                 and lex.triggers.get(lemma_of(t)) == cls), None)


def _is(token, other) -> bool:
    """The same token of the doc (spaCy makes a new Token object on every access)."""
    return token is not None and token.i == other.i


def _asked_for(token, lex: _EventLexicon) -> bool:
    """An act named as what a stance asks for or refuses: "demanded the withdrawal of …",
    "rejected calls for a withdrawal", "Russia's demands include the withdrawal of Ukrainian
    troops" (a stance noun as the subject of the verb whose object it is)."""
    node = token
    for _ in range(6):
        if node.dep_ not in {"dobj", "obj", "pobj", "prep", "conj", "appos", "attr"} or node.head.i == node.i:
            return False
        node = node.head
        if lemma_of(node) in lex.stance or any(c.dep_ in {"nsubj", "nsubjpass"} and lemma_of(c) in lex.stance
                                               for c in node.children):
            return True
        if lemma_of(node) in lex.planning or node.pos_ == "VERB" and lemma_of(node) in _AGENDA_VERBS:
            return True  # "a plan that includes … Israel's withdrawal from Gaza", "will address the completion of …"
    return False


#: Verbs whose object is on an agenda, not something that happened: "the talks will address …".
_AGENDA_VERBS = {"discuss", "address", "include", "outline", "involve", "envisage", "envision", "propose",
                 "require", "plan", "cover", "foresee", "entail"}


def _required(token) -> bool:
    """An act that is asked for or supposed, not reported: "Ukraine must halt its mobilization …
    and withdraw its forces", "Israel would withdraw" (the modal may sit on a verb the act is
    coordinated with)."""
    verb = token
    while True:
        if any(c.dep_ == "aux" and c.lower_ in _REQUIRING for c in verb.children):
            return True
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            return False
        verb = verb.head


_REQUIRING = {"must", "should", "ought", "would", "need"}


def _weapon_near(token, lex: _EventLexicon) -> bool:
    near = [*token.children, *(t for c in token.children for t in c.subtree)]
    subject, _ = subject_of(token) if token.pos_ == "VERB" else (None, False)
    if subject is not None:
        near.append(subject)
    return any(t.lower_ in lex.weapons for t in near)


@component(
    "events",
    requires=("doc", "lemmas", "mentions", "dates", "quantities", "markers"),
    provides=("events",),
    defaults={"confidence": 0.6},
)
def events(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Strikes, wars, sanctions, threats, deployments, escalations and withdrawals from the
    parse: a trigger with its agent, and a target or a date."""
    if not chunk.doc.has_annotation("DEP"):
        return  # the blank fallback has no parse
    lex = ctx.index.setup.get("event-lexicon") or ctx.index.setup.setdefault("event-lexicon", _EventLexicon())
    doc = chunk.doc
    at = mentions_at(chunk)
    base = settings["confidence"]
    for token in doc:
        if _force_if(token, lex):
            _conditional_threat(chunk, ctx, token, at, lex, base)
            continue
        cls = lex.triggers.get(lemma_of(token))
        if cls is None or token.pos_ not in {"VERB", "NOUN"} or token.pos_ == "NOUN" and lemma_of(token) in _VERB_ONLY:
            continue
        if cls == "Withdrawal" and any(m.category == "agreement" for t in token.subtree for m in at.get(t.i, [])):
            continue  # withdrawal from an agreement: the agreements component
        if lemma_of(token) in _NEED_WEAPON and not _weapon_near(token, lex):
            continue
        if (token.i > 0 and doc[token.i - 1].lower_ == "to" and token.pos_ == "VERB"
                and lemma_of(token.head) not in _DECIDING):
            continue  # "the ability to strike", "threatened to strike": not an event (yet)
        if token.pos_ == "VERB" and any(_is(_verb_of_object(t), token) and lemma_of(t) in lex.triggers
                                        and lemma_of(t) not in _VERB_ONLY for t in token.subtree if t.pos_ == "NOUN"):
            continue  # "launched an invasion", "launched one of its attacks": the noun is the event
        if _elaborated(token, lex) is not None:
            continue  # "launched attacks, targeting bombers in Siberia": the attacks are the event
        if has_negation(token) or (cls != "Threat" and in_condition(token, lex.conditionals)):
            continue
        if _nor(token) or token.pos_ == "NOUN" and (verb := _verb_of_object(token)) is not None and (
                _nor(verb) or has_negation(verb) or _force_if(verb, lex)):
            continue  # "… would not withdraw from the agreement, nor reimpose sanctions"
        if any(c.dep_ == "aux" and c.lower_ in lex.hedges for c in token.children) or _required(token):
            continue
        if _subjunctive(token):
            continue  # "requirements, namely that Ukraine withdraw from four regions": asked, not done
        if token.pos_ == "NOUN" and _asked_for(token, lex):
            continue
        if token.pos_ == "VERB" and any(a.pos_ == "VERB" and lex.triggers.get(lemma_of(a)) == "Threat"
                                        for a in token.ancestors):
            continue  # "warned they will strike again", "threatened to retaliate by seizing …": threatened
        if lemma_of(token) == "warn" and not _menacing(token, lex):
            continue  # "warned that armed groups will not hand over their weapons": a statement
        agent = _agent(token, at, lex, ctx.kind)
        if agent is None:
            continue
        agent_key = agent.key
        if ctx.kind(agent_key) == "Person":
            agent_key = ctx.party_of(agent_key)  # "Trump authorized strikes": the state strikes
            if agent_key is None:
                continue
        # "the Russian Defence Ministry said its forces had carried out a strike": Russia strikes
        agent_key = ctx.state_of_body(agent_key, lex.bodies) or agent_key
        sent = token.sent
        date = _near_date(chunk, token.i, window=20)
        detail = _elaboration(token, lex, cls)
        sides = _between(token, at) if lemma_of(token) in _SHARED else []
        target = (sides[1] if len(sides) > 1 else None) or _target(token, at) or (
            _target(detail, at) if detail is not None else None) or (
            _anywhere_after(token, at) if cls == "Threat" else None)
        target_key = None
        if target is not None and target.key != agent_key:
            target_key = ctx.party_of(target.key) if ctx.kind(target.key) == "Person" else target.key
        place = _place(token, at) or (_place(detail, at) if detail is not None else None)
        if target_key is None and date is None and place is None and not _reported_act(token):
            continue
        name = ctx.label("actor", agent_key)
        fields = {"class": cls, "agent": [agent_key]}
        label = f"{name} {_NOUNS[cls]}"
        if target_key and target_key != agent_key:
            fields["target"] = [target_key]
            label += f" on {ctx.label('actor', target_key)}"
        if place is not None:
            fields["place"] = [place]
            if not target_key:
                label += f" on {ctx.label('place', place)}"
        if date:
            fields["date"] = date
        fields["label"] = label + (f" ({date})" if date else "")
        _event(chunk, ctx, fields, chunk.sentence_span(sent), token.i, f"events.{cls.lower()}", base,
               f"{agent_key}-{_NOUNS[cls]}")
    _levels(chunk, ctx, base)


#: Acts a warning can announce: "warned they would retaliate", "warned Iran would respond".
_RETALIATING = {"retaliate", "respond", "punish", "destroy", "crush", "hit", "use"}
#: The classes of act that, announced for when a condition is not met, threaten.
_FORCEFUL = {"MilitaryStrike", "War", "Sanction"}


def _menacing(warn, lex: _EventLexicon) -> bool:
    """A warning is a threat when it names harm: "of" something ("warned of very serious
    consequences"), a condition ("… if Iran tries to rebuild"), or an act of force as what it
    says will happen ("warned they will strike again")."""
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in warn.children):
        return True
    if any(t.lower_ in {"if", "unless"} for t in warn.subtree if t.i > warn.i):
        return True
    said = [c for c in warn.children if c.dep_ in {"ccomp", "xcomp"}]
    return any(lemma_of(c) in _RETALIATING or lex.triggers.get(lemma_of(c)) in _FORCEFUL for c in said)


def _force_if(verb, lex: _EventLexicon) -> bool:
    """ "Trump has said he will use military force if diplomacy fails", "Israel would strike
    Iran's sites if talks collapse": force or sanctions announced, in the future, for when a
    condition is (not) met; not negated, and not inside a threat already read as one."""
    if verb.pos_ != "VERB" or has_negation(verb):
        return False
    forceful = lex.triggers.get(lemma_of(verb)) in _FORCEFUL or any(  # "use force", "impose sanctions"
        c.dep_ == "dobj" and (lemma_of(c) == "force" or lex.triggers.get(lemma_of(c)) in _FORCEFUL) for c in verb.children)
    return (forceful and any(c.dep_ == "aux" and c.lower_ in {"will", "would", "'ll", "wo"} for c in verb.children)
            and any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in c.children)
                    for c in verb.children)
            and not any(a.pos_ == "VERB" and lex.triggers.get(lemma_of(a)) == "Threat" for a in verb.ancestors))


def _conditional_threat(chunk, ctx, verb, at, lex: _EventLexicon, base: float) -> None:
    """The threat :func:`_force_if` reads, by the act's agent, on the party acted on or named in
    the condition."""
    agent = _agent(verb, at, lex, ctx.kind)
    key = agent.key if agent is not None else None
    if key is not None and ctx.kind(key) == "Person":
        key = ctx.party_of(key)
    key = ctx.state_of_body(key, lex.bodies) or key if key is not None else None
    if key is None:
        return
    condition = next(c for c in verb.children if c.dep_ == "advcl")
    target = _target(verb, at) or next((m for t in condition.subtree for m in at.get(t.i, [])
                                        if m.category == "actor" and m.key != key), None)
    target_key = ctx.party_of(target.key) if target is not None and ctx.kind(target.key) == "Person" else (
        target.key if target is not None else None)
    name = ctx.label("actor", key)
    fields = {"class": "Threat", "agent": [key]}
    label = f"{name} threat"
    if target_key and target_key != key:
        fields["target"] = [target_key]
        label += f" on {ctx.label('actor', target_key)}"
    date = _near_date(chunk, verb.i, window=20)
    if date:
        fields["date"] = date
    fields["label"] = label + (f" ({date})" if date else "")
    _event(chunk, ctx, fields, chunk.sentence_span(verb.sent), verb.i, "events.conditional-threat", base,
           f"{key}-threat")


def _levels(chunk: Chunk, ctx: Context, base: float) -> None:
    """ "Iran raised enrichment to 60%": an escalation to a level, with the quantity."""
    if not chunk.quantities:
        return
    doc = chunk.doc
    for i, base_lemma in enumerate(chunk.lemmas):
        if base_lemma not in {"raise", "increase", "boost", "accelerate", "expand"}:
            continue
        sent = doc[i].sent
        if conditional(chunk, i) or negated(chunk, i):
            continue
        factor = 0.6 if hedged(chunk, i) else 1
        span = chunk.sentence_span(sent)
        date = _near_date(chunk, i, window=8)
        issue = governed(chunk, "issue", i + 1, 6)
        following = [q for q in chunk.quantities if i < q.token_start <= i + 20 and q.token_start < sent.end
                     and not {"cap", "limit", "ceiling"} & {lemma_of(t) for t in doc[max(i, q.token_start - 3):q.token_start]}]
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
        _event(chunk, ctx, fields, span, i, "events.enrichment-level", base * factor,
               f"{agent[0]}-{issue[0].key}-{quantity.value}")


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
