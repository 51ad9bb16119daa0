"""The kinds of curated fact: their fields, value types and the RDF each becomes.

This table is the single definition of the facts format (documented for users in
corpus/README.md); the loader checks files against it and the build emits triples from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import URIRef

from ..vocab import IMP

# Value types. "key:<category>" names an entity: a reference category (the path segment of
# its IRI under id:), "event" (an event or round key declared in the corpus) or "any".
TEXT, NUMBER, DATE, BOOL, DURATION = "text", "number", "date", "bool", "duration"
REFERENCE_CATEGORIES = ("actor", "place", "issue", "agreement", "leverage-kind", "barrier-kind")


@dataclass(frozen=True)
class Field:
    """One field of a fact kind."""

    name: str
    type: str  # TEXT, NUMBER, DATE, BOOL, DURATION, "key:<category>" or "enum:<name>"
    predicate: URIRef | None  # None: the field does not become a triple of its own
    many: bool = False
    required: bool = False
    identity: bool = False  # part of the content hash that mints the fact's IRI
    inverse: bool = False  # the triple points from the value to the fact


ENUMS: dict[str, dict[str, URIRef]] = {
    "format": {"direct": IMP.Direct, "indirect": IMP.Indirect},
    "round-status": {"held": IMP.Held, "scheduled": IMP.Scheduled, "postponed": IMP.Postponed,
                     "cancelled": IMP.Cancelled},
    "likelihood": {
        "expected": IMP.Expected,
        "likely": IMP.Likely,
        "possible": IMP.Possible,
        "unlikely": IMP.Unlikely,
    },
    "position-type": {
        "demand": IMP.Demand,
        "red-line": IMP.RedLine,
        "objective": IMP.Objective,
        "precondition": IMP.Precondition,
    },
    "event-class": {
        name: IMP[name]
        for name in (
            "Event", "War", "MilitaryStrike", "Withdrawal", "Escalation", "Threat",
            "Deployment", "Sanction", "ComplianceVerification", "Development",
        )
    },
}


@dataclass(frozen=True)
class Kind:
    """A kind of fact: how its node is named and typed, and which fields it has."""

    name: str
    fields: tuple[Field, ...]
    rdf_class: URIRef | None = None  # fixed class; else the class comes from `class_field`
    class_field: str | None = None
    keyed: bool = False  # IRI id:<iri_segment>/<key>, shared across documents
    iri_segment: str = ""
    subject_field: str | None = None  # the fact speaks of this existing entity; no new node
    #: "given" (the fact's label field), or the function that writes the label of a kind
    #: identified by its fields: ``label(values, name)``, ``name`` giving an entity's label.
    label: str | Callable[[dict, Callable], str] = "given"

    def field(self, name: str) -> Field | None:
        """The field called ``name``, or None."""
        return next((f for f in self.fields if f.name == name), None)


def _f(name, type_, predicate=None, **kw) -> Field:
    return Field(name, type_, predicate, **kw)


_DATES = (_f("date", DATE, IMP.date), _f("period", TEXT, IMP.period))

# The labels of kinds identified by their fields (a fact kind is defined here, label and all).
_POSITION_WORDS = {IMP.Demand: "demand", IMP.RedLine: "red line", IMP.Objective: "objective",
                   IMP.Precondition: "precondition"}


def _position_label(v: dict, name: Callable) -> str:
    text = f"{name(v['holder'])}: {_POSITION_WORDS[v['type']]} on {name(v['issue'])}"
    if "first_mover" in v:
        text += f", {name(v['first_mover'])} to move first"
    if "addressed_to" in v:
        text += f" (towards {name(v['addressed_to'])})"
    return text


def _leverage_label(v: dict, name: Callable) -> str:
    return f"{name(v['holder'])}: {name(v['leverage_kind']).lower()}"


def _affiliation_label(v: dict, name: Callable) -> str:
    role = str(v["role"]) if "role" in v else "member"
    return f"{name(v['member'])}, {role} of {name(v['organization'])}"


def _causal_label(v: dict, name: Callable) -> str:
    return f"{name(v['cause'])} → {name(v['effect'])}"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "affiliation",
            (
                _f("member", "key:actor", IMP.member, required=True, identity=True),
                _f("organization", "key:actor", IMP.organization, required=True, identity=True),
                _f("role", TEXT, IMP.roleTitle, identity=True),
            ),
            rdf_class=IMP.Affiliation,
            iri_segment="affiliation",
            label=_affiliation_label,
        ),
        Kind(
            "round",
            (
                _f("key", TEXT, required=True),
                _f("label", TEXT),
                _f("venue", "key:place", IMP.venue),
                _f("host", "key:actor", IMP.host),
                _f("mediator", "key:actor", IMP.mediator),
                _f("format", "enum:format", IMP["format"]),
                _f("reported_format", "enum:format", IMP.reportedFormat),
                _f("round_status", "enum:round-status", IMP.roundStatus),
                _f("participants", "key:actor", IMP.participant, many=True),
                *_DATES,
                _f("outcome", TEXT, IMP.outcome),
                _f("relocated_from", "key:actor", IMP.relocatedFrom),
                _f("excluded", "key:actor", IMP.excluded, many=True),
                _f("follows", "key:event", IMP.follows),
            ),
            rdf_class=IMP.NegotiationRound,
            keyed=True,
            iri_segment="round",
        ),
        Kind(
            "event",
            (
                _f("key", TEXT, required=True),
                _f("label", TEXT),
                _f("class", "enum:event-class", None, required=True),
                *_DATES,
                _f("agent", "key:actor", IMP.agent, many=True),
                _f("participants", "key:actor", IMP.participant, many=True),
                _f("target", "key:actor", IMP.target, many=True),
                _f("place", "key:place", IMP.place, many=True),
                _f("agreement", "key:agreement", IMP.concernsAgreement),
                _f("issue", "key:issue", IMP.onIssue, many=True),
                _f("duration", DURATION, IMP.duration),
                _f("value", NUMBER, IMP.quantityValue),
                _f("unit", TEXT, IMP.unit),
                _f("qualifier", TEXT, IMP.qualifier),
                _f("follows", "key:event", IMP.follows),
            ),
            class_field="class",
            keyed=True,
            iri_segment="event",
        ),
        Kind(
            "position",
            (
                _f("type", "enum:position-type", None, required=True, identity=True),
                _f("holder", "key:actor", IMP.heldBy, required=True, identity=True),
                _f("issue", "key:issue", IMP.onIssue, required=True, identity=True),
                _f("addressed_to", "key:actor", IMP.addressedTo, identity=True),
                _f("first_mover", "key:actor", IMP.firstMover, identity=True),
                _f("speaker", "key:actor", IMP.speaker),
                _f("hedged", BOOL, IMP.hedged),
                *_DATES,
            ),
            class_field="type",
            iri_segment="position",
            label=_position_label,
        ),
        Kind(
            "leverage",
            (
                _f("leverage_kind", "key:leverage-kind", IMP.leverageKind, required=True, identity=True),
                _f("holder", "key:actor", IMP.heldBy, required=True, identity=True),
                _f("bears_on", "key:issue", IMP.bearsOn, many=True),
                _f("targets", "key:actor", IMP.target, many=True),
                _f("scale", TEXT, IMP.scale),
                _f("sectors", TEXT, IMP.sector, many=True),
            ),
            rdf_class=IMP.LeverageAsset,
            iri_segment="leverage",
            label=_leverage_label,
        ),
        Kind(
            "agreement",
            (
                _f("agreement", "key:agreement", None, required=True),
                _f("parties", "key:actor", IMP.party, many=True),
                _f("date", DATE, IMP.date),
                _f("fate", TEXT, IMP.fate),
            ),
            subject_field="agreement",
        ),
        Kind(
            "provision",
            (
                _f("agreement", "key:agreement", IMP.provision, required=True, identity=True, inverse=True),
                _f("label", TEXT, required=True, identity=True),
                _f("issue", "key:issue", IMP.onIssue),
                _f("limit", NUMBER, IMP.limitValue),
                _f("unit", TEXT, IMP.unit),
                _f("obligated", "key:actor", IMP.obligatedParty),
            ),
            rdf_class=IMP.Provision,
            iri_segment="provision",
        ),
        Kind(
            "causal",
            (
                _f("cause", "key:event", IMP.cause, required=True, identity=True),
                _f("effect", "key:event", IMP.effect, required=True, identity=True),
                _f("cue", TEXT, IMP.cue),
            ),
            rdf_class=IMP.CausalLink,
            iri_segment="causal-link",
            label=_causal_label,
        ),
        Kind(
            "frame",
            (
                _f("holder", "key:actor", IMP.heldBy, required=True, identity=True),
                _f("label", TEXT, required=True, identity=True),
                _f("issues", "key:issue", IMP.includesIssue, many=True, required=True),
            ),
            rdf_class=IMP.AgendaFrame,
            iri_segment="frame",
        ),
        Kind(
            "barrier",
            (
                _f("barrier_kind", "key:barrier-kind", IMP.barrierKind, required=True, identity=True),
                _f("label", TEXT, required=True, identity=True),
                _f("affects", "key:actor", IMP.affects, many=True),
                _f("issue", "key:issue", IMP.onIssue, many=True),
            ),
            rdf_class=IMP.Barrier,
            iri_segment="barrier",
        ),
        Kind(
            "prospect",
            (
                _f("label", TEXT, required=True, identity=True),
                _f("likelihood", "enum:likelihood", IMP.likelihood, required=True),
                _f("actors", "key:actor", IMP.involves, many=True),
                _f("issue", "key:issue", IMP.onIssue, many=True),
                _f("condition", TEXT, IMP.condition),
            ),
            rdf_class=IMP.Prospect,
            iri_segment="prospect",
        ),
        Kind(
            "assessment",
            (
                _f("label", TEXT, required=True, identity=True),
                _f("about", "key:any", IMP.about, many=True),
            ),
            rdf_class=IMP.Assessment,
            iri_segment="assessment",
        ),
    )
}

#: Fields every kind accepts (corpus/README.md, "Fields every fact may have").
COMMON_FIELDS = ("kind", "quote", "evidence", "comment", "status", "method", "rule", "confidence")
STATUSES = ("accepted", "proposed")
METHODS = {"curated": IMP.Curated, "extracted": IMP.Extracted}
