"""The state an extraction run builds: mentions, dates, candidate facts, names it did not know."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import RDF

from ..vocab import ID, IMP
from ..corpus.reference import Reference

#: The reference categories the gazetteer looks for, in the order they are reported.
GAZETTEER_CATEGORIES = ("actor", "place", "issue", "agreement", "leverage-kind")


@dataclass(frozen=True)
class Mention:
    """A span of the document text naming a known entity (character offsets into the text)."""

    start: int
    end: int
    category: str
    key: str
    rule: str
    token_start: int = -1  # token span in the chunk it was found in (not kept after the chunk)
    token_end: int = -1


@dataclass(frozen=True)
class DateMention:
    """A date in the text at the precision it gives (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""

    start: int
    end: int
    value: str
    rule: str
    token_start: int = -1
    token_end: int = -1


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as written (``60%`` → 60, ``percent``) and any qualifier."""

    start: int
    end: int
    value: str
    unit: str
    qualifier: str | None
    token_start: int = -1
    token_end: int = -1


@dataclass
class Candidate:
    """A proposed fact: its fields (keys as text), the spans it rests on, the rule and confidence."""

    kind: str
    fields: dict[str, Any]
    spans: list[tuple[int, int]]
    rule: str
    confidence: float
    comment: str | None = None
    key_hint: str | None = None  # rounds and events: the descriptive base of the key to mint
    merge_on: tuple[str, ...] | None = None  # fields that identify it (default: all but a few)

    def identity(self) -> tuple:
        """What makes two candidates the same fact (they are merged, their evidence pooled)."""
        def freeze(value):
            return tuple(value) if isinstance(value, list) else value

        skip = {"hedged", "participants", "outcome", "scale", "label"}
        names = self.merge_on if self.merge_on is not None else [k for k in self.fields if k not in skip]
        return (self.kind, tuple(sorted((k, freeze(self.fields.get(k))) for k in names)))


@dataclass
class Entity:
    """An entity the reference data lacks, minted from the text (proposed until reviewed).

    ``key`` is the last segment of its IRI (``id:<category>/<key>``): the same name gives the
    same key in every document, so two articles naming one new person make one node.
    """

    category: str  # actor, place, issue, leverage-kind
    key: str
    cls: str  # Person, State, Organization, ArmedGroup, Place, Issue, LeverageKind
    label: str
    start: int  # its first mention (document offsets)
    end: int
    rule: str
    confidence: float
    aliases: set[str] = field(default_factory=set)
    broader: str | None = None  # issues: the key of a broader issue
    member_of: str | None = None  # actors: the state (key) it belongs to, from the lexicon

    @property
    def iri(self):
        """``id:<category>/<key>``, as the build names it."""
        return ID[f"{self.category}/{self.key}"]


class ReferenceIndex:
    """Labels and aliases of the reference data by category, and the demonyms of actors.

    :param affiliations: person key -> actor key, from the corpus's accepted affiliation
        facts, so that "Araghchi said" is heard as Iran speaking.
    """

    def __init__(self, reference: Reference, affiliations: dict[str, str] | None = None):
        self.reference = reference
        self.affiliations = dict(affiliations or {})
        # what components build once from the reference data and lexicons (matchers), kept
        # across documents: building it per document cost seconds each
        self.setup: dict[str, Any] = {}
        self.names: dict[str, dict[str, list[str]]] = {}  # category -> key -> names
        for category in GAZETTEER_CATEGORIES:
            self.names[category] = {
                key: reference.aliases(iri) for key, iri in sorted(reference.keys[category].items())
            }
        self.demonyms: dict[str, str] = {}
        for key, iri in sorted(reference.keys["actor"].items()):
            for demonym in reference.graph.objects(iri, IMP.demonym):
                self.demonyms[str(demonym)] = key
        self.kinds: dict[str, str] = {}  # actor key -> State, Person, Organization, ArmedGroup
        for key, iri in reference.keys["actor"].items():
            types = {str(t).rsplit("#", 1)[-1] for t in reference.graph.objects(iri, RDF.type)}
            self.kinds[key] = next(iter(sorted(types & {"State", "Person", "Organization", "ArmedGroup"})), "Actor")
        self.all_keys = {key for keys in reference.keys.values() for key in keys}

    def label(self, category: str, key: str) -> str:
        """The rdfs:label of an entity."""
        return self.reference.labels[self.reference.keys[category][key]]


@dataclass
class Context:
    """What a run shares across chunks: the text, the reference index, and what was found."""

    text: str
    index: ReferenceIndex
    published: datetime.date | None
    furniture: tuple = ()
    mentions: list[Mention] = field(default_factory=list)
    candidates: dict[tuple, Candidate] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # per-document state of components (names seen)
    max_evidence: int = 3
    nlp: Any = None  # the spaCy Language the chunks come from (patterns are made with it)
    publisher: str | None = None  # the outlet: named in a dateline or byline, it is no actor
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)  # minted, by (category, key)
    affiliations: dict[str, str] = field(default_factory=dict)  # person key -> actor key, this document
    roles: dict[str, str] = field(default_factory=dict)  # person key -> role title seen in this document

    def label(self, category: str, key: str) -> str:
        """The label of a reference or minted entity."""
        minted = self.entities.get((category, key))
        return minted.label if minted is not None else self.index.label(category, key)

    def kind(self, key: str) -> str:
        """An actor's class: State, Person, Organization, ArmedGroup (Actor when unknown)."""
        minted = self.entities.get(("actor", key))
        return minted.cls if minted is not None else self.index.kinds.get(key, "Actor")

    def known(self, category: str, key: str) -> bool:
        """Whether ``key`` names a reference or minted entity of ``category``."""
        return (category, key) in self.entities or key in self.index.names.get(category, {})

    def party_of(self, key: str) -> str | None:
        """The party a person speaks for: the state of their office (through a ministry, a
        command …) or the organisation they belong to; None when the text and corpus do not say."""
        org = self.affiliations.get(key) or self.index.affiliations.get(key)
        if org is None or org == key:
            return None
        if self.kind(org) == "Person":
            return None
        minted = self.entities.get(("actor", org))
        member_of = (minted.member_of if minted is not None else None) or self.index.affiliations.get(org)
        return member_of if member_of and self.kind(member_of) == "State" else org

    def state_of_body(self, key: str, bodies: frozenset[str]) -> str | None:
        """The state a government body acts for ("the Russian Defence Ministry": Russia), from
        the lexicon's ``member_of``; None for any other organisation (a state company, a fund)
        and for an actor that is no organisation. ``bodies``: the names of government bodies
        (``government_bodies`` in language.yaml), one of which must end the organisation's label."""
        minted = self.entities.get(("actor", key))
        member_of = minted.member_of if minted is not None else None
        if member_of is None or self.kind(key) != "Organization" or self.kind(member_of) != "State":
            return None
        label = " ".join(minted.label.lower().replace(".", "").split())
        return member_of if any(label == b or label.endswith(" " + b) for b in bodies) else None

    def in_furniture(self, start: int, end: int) -> bool:
        return any(f.start < end and start < f.end for f in self.furniture)

    def propose(self, candidate: Candidate) -> tuple | None:
        """Add a candidate fact, merging it with an identical one found earlier.

        :returns: the identity it is kept under, or None when it rests on page furniture.
        """
        if not candidate.spans or any(self.in_furniture(s, e) for s, e in candidate.spans):
            return None
        identity = candidate.identity()
        same = self.candidates.get(identity)
        if same is None:
            self.candidates[identity] = candidate
            return identity
        if candidate.confidence > same.confidence:
            same.confidence, same.rule = candidate.confidence, candidate.rule
        if not candidate.fields.get("hedged"):
            same.fields.pop("hedged", None)
        if candidate.merge_on is not None:  # keyed facts: what a later sentence adds
            for name, value in candidate.fields.items():
                same.fields.setdefault(name, value)
        self._pool(same, candidate)
        return identity

    def _pool(self, same: Candidate, candidate: Candidate) -> None:
        """``candidate``'s evidence and participants join ``same``'s."""
        for span in candidate.spans:
            if span not in same.spans and len(same.spans) < self.max_evidence:
                same.spans.append(span)
        for name in ("participants",):
            if name in candidate.fields:
                merged = list(dict.fromkeys([*same.fields.get(name, []), *candidate.fields[name]]))
                same.fields[name] = merged

    def fold_underspecified(self) -> None:
        """Facts a document names twice, once with less said, are one: see
        :meth:`_fold_undated_rounds` and :meth:`_fold_unaddressed_positions`."""
        self._fold_undated_rounds()
        self._fold_unaddressed_positions()

    def _fold_unaddressed_positions(self) -> None:
        """A stance named without whom it is addressed to (or who must move first) is the
        document's one stance of that kind, holder and issue that names one ("Tehran wants
        sanctions relief" after "Tehran wants Washington to lift sanctions"), where there is
        exactly one and no other speaker voices it: its evidence joins that one's."""
        def same(c):
            return c.fields.get("type"), c.fields.get("holder"), c.fields.get("issue")

        positions = [(i, c) for i, c in self.candidates.items() if c.kind == "position"]
        for identity, bare in positions:
            if "addressed_to" in bare.fields or "first_mover" in bare.fields:
                continue
            # (voiced by another speaker, it is another report: "Rouhani said …", "Khamenei said …")
            addressed = [c for _, c in positions if same(c) == same(bare)
                         and ("addressed_to" in c.fields or "first_mover" in c.fields)
                         and bare.fields.get("speaker") in {None, c.fields.get("speaker")}]
            if len(addressed) == 1:
                self._fold(identity, addressed[0])

    def _fold_undated_rounds(self) -> None:
        """A round named without a date ("three days of negotiations in Sharm el-Sheikh") is the
        document's one dated round at that venue ("talks were held in Sharm el-Sheikh from
        Monday"), where there is exactly one: its evidence joins that round's. A round with a
        number the dated one lacks or does not share ("Round 4 of talks in Rome" beside "Talks in
        Rome (2025-04-19)") may be another round, and stays one. (Events are not folded so: an
        article often reports several strikes by one party, one of them dated; on the dev set
        folding them lost two.)"""
        def number(c):
            label = c.fields.get("label", "")
            return label.split(" of ")[0] if label.startswith("Round ") else None

        rounds = [(i, c) for i, c in self.candidates.items() if c.kind == "round"]
        for identity, undated in rounds:
            if "date" in undated.fields:
                continue
            dated = [c for _, c in rounds if "date" in c.fields and c.fields.get("venue") == undated.fields.get("venue")]
            if len(dated) == 1 and number(undated) in {None, number(dated[0])}:
                self._fold(identity, dated[0])

    def _fold(self, identity: tuple, into: Candidate) -> None:
        """The candidate kept under ``identity`` becomes part of ``into``: its evidence and the
        fields ``into`` lacks (its own label stays)."""
        folded = self.candidates.pop(identity)
        self._pool(into, folded)
        for name, value in folded.fields.items():
            if name != "label":
                into.fields.setdefault(name, value)


@dataclass
class Chunk:
    """One piece of the text (a line, or part of a very long one) while components run on it."""

    doc: Any  # a spaCy Doc
    offset: int  # where the chunk starts in the document text
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    markers: dict[str, set[int]] = field(default_factory=dict)  # marker name -> token indices
    events: list[tuple[int, int, tuple]] = field(default_factory=list)  # token span, identity
    lemmas: list[str] = field(default_factory=list)  # per token: lower-case lemma ("n't" -> "not")
    lowers: list[str] = field(default_factory=list)  # per token: lower-case text
    sentence: list[int] = field(default_factory=list)  # per token: start token of its sentence

    def __post_init__(self):
        if self.doc is not None and not self.lemmas:
            from spacy.attrs import LEMMA, LOWER, SENT_START

            strings = self.doc.vocab.strings
            # one array read instead of a Python Token object per token (measured: 3x faster)
            rows = self.doc.to_array([LOWER, LEMMA, SENT_START]).tolist()
            self.lowers = [strings[row[0]] for row in rows]
            self.lemmas = [strings[row[1]].lower() for row in rows]
            self.lemmas = ["not" if lemma == "n't" else lemma for lemma in self.lemmas]
            start, self.sentence = 0, []
            for i, row in enumerate(rows):
                if row[2] == 1 or i == 0:
                    start = i
                self.sentence.append(start)

    def char_span(self, token_start: int, token_end: int) -> tuple[int, int]:
        """Document offsets of a token span of this chunk."""
        doc = self.doc
        start = doc[token_start].idx
        last = doc[token_end - 1]
        return self.offset + start, self.offset + last.idx + len(last.text)

    def sentence_span(self, sent) -> tuple[int, int]:
        """Document offsets of a sentence, leading and trailing blanks left out."""
        text = sent.text
        lead = len(text) - len(text.lstrip())
        start = self.offset + sent.start_char + lead
        return start, start + len(text.strip())
