"""Stances from the dependency parse: demands, red lines, objectives and preconditions.

A cue (``lexicon/language.yaml``) is a stance verb ("demand", "insist on", "rule out"), a
conceding verb under negation ("will not accept", "will never give up"), a red-line predicate
("is non-negotiable", "is not up for negotiation") or one refusing what another has ("is
unacceptable to us"), "is opposed to" and "is against", a stance noun with its holder ("Iran's
demand for", "a demand by Putin") or stated by a verb ("Russia set conditions for a truce:
…"), a condition ("only after", "is only possible if", "no deal unless"), or a modal of
obligation in reported speech ("Iran must stop enrichment …, the envoy said": a demand by the
envoy's side addressed to Iran).

- The holder is the cue's subject (inherited through ``xcomp`` and ``conj``), the agent of a
  passive, or the possessor of a stance noun; a pronoun in reported speech or in a quotation is
  the speaker. A person speaking for a party is kept as ``speaker`` with the party as holder;
  a commentator's view (an analyst, a think tank) is no stance.
- The issue is an issue mention inside the cue's object, complement or prepositional object;
  where the reference data and the lexicon name none, a new issue is minted from the object's
  noun phrase unless it is a word that names no agenda item ("rejected the report").
- No stance from a negated cue ("did not rule out"), a hedged one ("could accept"), a
  conditional or hypothetical clause, a question, or a clause under a verb that reports
  somebody else's claim about the holder ("accused Iran of seeking").
"""

from __future__ import annotations

from ...errors import InputError
from ..lexicon import LEXICON_DIR, load_lexicon, words
from ..model import Candidate, Chunk, Context, Mention
from ..registry import component
from ._parse import actor_of, anaphors, clause_chain, conditional, lemma, mentions_at, negated, pronoun_antecedent, subject_of
from .agenda import concept_for
from .entities import mint, normal, record_mention

_PRONOUNS_SPEAKER = {"i", "we", "me", "us", "our", "my"}
_PRONOUNS_OTHER = {"he", "she", "it", "they", "him", "her", "them", "its", "their", "his"}  # "its demand for …" too
_OBJECT_DEPS = {"dobj", "xcomp", "ccomp", "attr", "oprd", "acomp", "pcomp", "obj"}
_ISSUE_PREPS = {"for", "on", "to", "over", "about", "against", "of", "in"}
_OBLIGATION = {"must", "should", "ought"}
_OBLIGING_HEADS = {"have", "need"}  # "has to remove", "needs to withdraw"
_REFERRING = {"such", "this", "that", "these", "those"}  # determiners of a noun that refers back
_QUOTES_OPEN = {"“", '"', "‘"}
_QUOTES_CLOSE = {"”", '"', "’", "'"}  # "'" too: the parser reads "’" after a word as "'" (pipeline._for_parser)


class _Lexicon:
    """The stance cues of language.yaml, indexed for lookup by lemma."""

    def __init__(self):
        data = load_lexicon("language")
        self.verbs: dict[str, list[tuple[str, str]]] = {}
        for entry in data["stance_verbs"]:
            particle = entry.get("particle") or ""
            if not isinstance(particle, str):  # docs/engine-notes.md, "YAML reads some words as booleans"
                raise InputError(f"{LEXICON_DIR / 'language.yaml'}: the particle of {entry['lemma']!r} must be quoted")
            self.verbs.setdefault(entry["lemma"], []).append((particle, entry["kind"]))
        self.nouns = {e["lemma"]: e["kind"] for e in data["stance_nouns"]}
        self.stated_nouns = {str(k): str(v) for k, v in data["stated_stance_nouns"].items()}
        self.concessions = words("language", "concession_verbs")
        self.particles = {str(k): frozenset(map(str, v)) for k, v in data["concession_particles"].items()}
        self.predicates = sorted([(p.replace("-", " ").split(), how) for key, how in (
            ("red_line_predicates", "predicate"), ("refusal_predicates", "refusal")) for p in data[key]],
            key=lambda entry: len(entry[0]), reverse=True)
        self.reporting = words("language", "reporting_verbs")
        self.not_own = words("language", "not_own_voice")
        self.relaying = words("language", "relaying_verbs")
        self.bodies = words("language", "government_bodies")
        self.hedges = words("language", "hedges")
        self.conditionals = words("language", "conditionals")
        self.not_issues = words("language", "not_issues")
        self.partitives = words("language", "partitive_nouns")
        self.sequence = words("language", "sequence_verbs")
        self.possible = words("language", "possibility_adjectives")
        self.stating = words("language", "stating_verbs")
        self.quantity_nouns = words("language", "quantity_nouns")
        self.stative = words("language", "stative_participles")
        self.opposed = words("language", "opposition_adjectives")
        self.stating_copulas = words("language", "stating_copulas")
        self.vague_places = words("language", "vague_places")
        self.not_stance_objects = words("language", "not_stance_objects")
        self.precondition = words("language", "precondition_words")
        self.commentators = words("language", "commentators")
        self.commentary_orgs = words("language", "commentary_organizations")
        self.party_orgs = frozenset(normal(n) for n in data["party_organizations"])
        self.people = words("language", "people_nouns")
        self.nominalizations = {str(k): str(v) for k, v in data["nominalizations"].items()}
        self.act_prepositions = {str(k): str(v) for k, v in data["act_prepositions"].items()}
        self.addressee_verbs = words("language", "addressee_verbs")
        self.abstract = tuple(str(x) for x in data["abstract_suffixes"])
        self.agenda_nouns = words("language", "agenda_nouns")
        self.participation = words("language", "participation_nouns")
        self.degree = words("language", "degree_adjectives")
        self.anaphors = anaphors()
        self.containers = words("language", "container_nouns")
        self.obtaining = words("language", "obtaining_verbs")
        self.making = words("language", "making_verbs")
        self.inclusion = words("language", "inclusion_words")
        self.seeing = words("language", "seeing_verbs")
        self.knowing = words("language", "knowing_verbs")
        self.documents = words("language", "document_nouns")
        self.generic_documents = words("language", "generic_document_nouns")
        self.authoring = words("language", "authoring_verbs")
        self.describing = words("language", "describing_verbs")


def _lexicon(ctx: Context) -> _Lexicon:
    if "stance-lexicon" not in ctx.index.setup:
        ctx.index.setup["stance-lexicon"] = _Lexicon()
    return ctx.index.setup["stance-lexicon"]


def _hedged(token, lex: _Lexicon) -> bool:
    """A hedge ("could demand", "reportedly demanded") or a hypothetical "would" ("Iran would
    demand …"); but not the "would" of a past report, the future seen from then ("Zelensky said
    Ukraine would demand an immediate ceasefire")."""
    if any(c.dep_ in {"aux", "advmod"} and c.lower_ in lex.hedges for c in token.children):
        return True
    if token.dep_ == "xcomp" and token.head.lower_ in lex.hedges | {"unlikely"}:
        return True  # "Tehran is likely to reject a proposal …"
    if not any(c.dep_ == "aux" and c.lower_ == "would" for c in token.children):
        return False
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.conditionals for m in c.children)
           for c in token.children):
        return True  # "… would demand a ceasefire if Russia attacked": a hypothetical, reported or not
    report = _reporting_head(token, lex)
    return report is None or report.tag_ not in {"VBD", "VBN"}


def _under_other_voice(token, lex: _Lexicon) -> bool:
    """A governor reports somebody else's claim or a wish ("accused Iran of seeking"). An
    outlet relaying a named speaker's words is no such governor: in "Axios reports that Trump
    has reiterated that Iran must …", Trump speaks."""
    chain = clause_chain(token)
    # a governor's adverbial clause is not its claim: "Zelensky dismissed the suggestion,
    # declaring that there will be no withdrawal" is his own word, "denied saying that …" is not;
    # nor is a relative clause with its own subject ("dismissed a statement from Witkoff, who had
    # insisted that Tehran must cease all enrichment": Witkoff insisted)
    cut = next((n for n, t in enumerate(chain) if t.dep_ == "relcl" and subject_of(t)[0] is not None), None)
    chain = chain if cut is None else chain[:cut + 1]
    return any(lemma(t) in lex.not_own and below.dep_ != "advcl"
               and not (lemma(t) in lex.relaying and lemma(below) in lex.reporting and subject_of(below)[0] is not None)
               for below, t in zip(chain, chain[1:]))


def _reporting_head(token, lex: _Lexicon):
    """The reporting verb whose complement holds the token ("…, Peskov said"), if any."""
    for t in clause_chain(token)[1:]:
        if lemma(t) in lex.reporting and t.pos_ in {"VERB", "AUX"}:
            return t
        if t.dep_ not in {"ccomp", "conj", "xcomp", "advcl", "ROOT", "parataxis"} and t.head.i != t.i:
            continue
    return None


class _Speakers:
    """Who speaks where in a chunk: quotations with their attribution, reporting verbs."""

    def __init__(self, chunk: Chunk, ctx: Context, lex: _Lexicon, at):
        self.chunk, self.ctx, self.lex = chunk, ctx, lex
        self.quoted: dict[int, object] = {}  # token index in a quotation -> reporting verb
        self.voice, self.interviewer = _paragraph_voice(chunk, ctx, at)
        doc = chunk.doc
        opened = None
        regions = []
        for t in doc:
            if t.text in _QUOTES_OPEN and opened is None and (t.text != '"' or t.whitespace_ == ""):
                opened = t.i
            elif t.text in _QUOTES_CLOSE and opened is not None and t.i > opened + 1:
                regions.append((opened, t.i))
                opened = None
        for start, end in regions:
            verb = self._attribution(start, end)
            if verb is not None:
                for i in range(start, end + 1):
                    self.quoted[i] = verb

    def _attribution(self, start: int, end: int):
        doc = self.chunk.doc
        outside = [t for t in doc if (t.i < start or t.i > end) and lemma(t) in self.lex.reporting and t.pos_ == "VERB"]
        after = [t for t in outside if t.i > end and t.i - end <= 8]
        before = [t for t in outside if t.i < start and start - t.i <= 8]
        for verb in after[:1] + before[-1:]:
            subject, _ = subject_of(verb)
            if subject is not None:
                return verb
        return None

    def own_voice(self, at):
        """(holder, speaker, penalty) of the paragraph's speaker in an interview ("Grossi: We must
        have access …"), for words no reporting verb attributes; (None, None, 0.0) elsewhere."""
        if self.voice is None:
            return None, None, 0.0
        return (*_party(self.ctx, self.voice, self.lex), 0.05)

    def reporter(self, verb):
        """The subject of a reporting verb: its own, or for a participle that the parser hung on
        a verb inside a quotation ("He tweeted, “A deal … will only be completed …,” stressing
        that …"), the subject of the verb the quotation is attributed to."""
        subject, _ = subject_of(verb)
        if subject is None and verb.tag_ == "VBG" and verb.i not in self.quoted and verb.head.i in self.quoted:
            subject, _ = subject_of(self.quoted[verb.head.i])
        elif subject is None and verb.tag_ == "VBG" and verb.dep_ == "advcl":
            # "Zelensky dismissed the suggestion, declaring that …": the participle's subject is the clause's
            subject, _ = subject_of(verb.head)
        return subject

    def speaker_of(self, token):
        """The reporting verb whose speaker says the token's clause, or None."""
        verb = _reporting_head(token, self.lex)
        if verb is None:
            verb = self.quoted.get(token.i)
        if verb is None:  # "…, he said, banning enrichment was not negotiable": a parenthetical
            verb = next((c for t in clause_chain(token) for c in t.children if c.dep_ == "parataxis"
                         and lemma(c) in self.lex.reporting and subject_of(c)[0] is not None), None)
        if verb is None:
            verb = _inverted_reporting(token.sent.root, self.lex) if token.sent.root in clause_chain(token) else None
        return verb


#: How many tokens a speaker's label before the colon of an interview paragraph may have
#: ("Takht-Ravanchi:" is three).
_LABEL_TOKENS = 5
_INTERVIEWER_LABELS = {"q", "question", "interviewer"}
_ANSWER_LABELS = {"a", "answer"}


def _paragraph_voice(chunk: Chunk, ctx: Context, at) -> tuple[str | None, bool]:
    """(speaker, interviewer) of an interview paragraph, which opens with a label and a colon:
    a person's name ("Grossi: …", who then speaks every unattributed "we" and "our" of it),
    "A:" (the last person who answered), or the interviewer ("Q:", the outlet's name), whose
    questions state nobody's stance. (None, False) for a paragraph without such a label."""
    doc = chunk.doc
    colon = next((t.i for t in doc[:_LABEL_TOKENS + 1] if t.text == ":"), None)
    if not colon or not all(t.is_title or t.is_upper or t.text == "-" for t in doc[:colon]):
        return None, False
    label = doc[:colon].text
    asks = ctx.cache.setdefault("interviewer-labels", set(_INTERVIEWER_LABELS))
    if normal(label) in asks or (ctx.publisher and normal(label) == normal(ctx.publisher)):
        return None, True
    if label.lower() in _ANSWER_LABELS:
        return ctx.cache.get("interviewee"), False
    named = {m.key for i in range(colon) for m in at.get(i, []) if m.category == "actor"}
    covered = all(at.get(i) for i in range(colon) if doc[i].text != "-")
    key = named.pop() if len(named) == 1 and covered else None
    if key is None or ctx.kind(key) != "Person":
        if "?" in doc.text:  # "Horizon Weekly: Is Iran ready …?": who asks, in this paragraph and the next
            asks.add(normal(label))
            return None, True
        return None, False
    ctx.cache["interviewee"] = key
    return key, False


def _inverted_reporting(root, lex: _Lexicon):
    """A reporting verb that the parser hung below what it reports: "Putin has stated that for a
    ceasefire to be achieved, Ukraine must halt …" parses "halt" as the root and "stated" as its
    ``ccomp``. Only a verb before the root with a subject of its own counts."""
    if lemma(root) in lex.reporting:
        return None
    return next((c for c in root.children if c.dep_ in {"ccomp", "parataxis"} and c.i < root.i and c.pos_ == "VERB"
                 and lemma(c) in lex.reporting and subject_of(c)[0] is not None), None)


def _commentator(ctx: Context, key: str, lex: _Lexicon) -> bool:
    """A person or organisation whose words are commentary (analysts, think tanks, media)."""
    role = ctx.roles.get(key, "")
    if any(w in lex.commentators for w in role.lower().split()):
        return True
    org = ctx.affiliations.get(key) or ctx.index.affiliations.get(key)
    for k in (key, org):
        if k and ctx.kind(k) in {"Organization"}:
            label = normal(ctx.label("actor", k))
            if label in lex.party_orgs:
                continue
            if any(w in lex.commentary_orgs for w in label.split()):
                return True
    return False


def _party(ctx: Context, key: str, lex: _Lexicon) -> tuple[str | None, str | None]:
    """(holder, speaker) for an actor that states a stance; holder None when it is no party."""
    if _commentator(ctx, key, lex):
        return None, None
    if ctx.kind(key) == "Person":
        party = ctx.party_of(key)
        if party is not None:
            return (None, None) if _commentator(ctx, party, lex) else (party, key)
        known = key in ctx.index.names["actor"] or key in ctx.roles
        return (key, None) if known else (None, None)
    state = ctx.state_of_body(key, lex.bodies)
    if state is not None:  # "the Russian Foreign Ministry said …": Russia holds it, the ministry voices it
        return state, key
    return key, None


def _resolve(token, at, ctx: Context, lex: _Lexicon, speakers: _Speakers):
    """(holder, speaker, confidence penalty) for the subject token of a stance clause."""
    if token is None:
        return None, None, 0.0
    if token.lower_ in {"who", "which", "that"} and token.head.dep_ == "relcl" and token.head.head.i != token.head.i:
        token = token.head.head  # "Trump, who demanded Iran's surrender": the noun the clause is about
    actor = actor_of(token, at, lex.people)
    if actor is not None:
        return (*_party(ctx, actor.key, lex), 0.0)
    antecedent = _antecedent(token, at, ctx, lex) or _document_author(token, at, ctx, lex)
    if antecedent is not None:
        return (*_party(ctx, antecedent, lex), 0.1)
    if token.lower_ in _PRONOUNS_OTHER and token.i in speakers.quoted:
        return None, None, 0.0  # "they" in somebody's quotation is somebody else
    if token.lower_ in _PRONOUNS_SPEAKER | _PRONOUNS_OTHER:
        verb = speakers.speaker_of(token)
        if verb is not None and getattr(speakers.reporter(verb), "i", None) == token.i and verb.i != verb.head.i:
            # ""We insist on …," Netanyahu said": the pronoun's own verb reports too; who speaks
            # is the speaker of the verb above
            above = verb.head
            verb = (above if lemma(above) in lex.reporting else speakers.speaker_of(above)) if verb.dep_ in {
                "ccomp", "parataxis"} else verb
        if verb is not None and (token.lower_ in _PRONOUNS_SPEAKER or verb.i != token.head.i):
            subject = speakers.reporter(verb)
            if subject is not None and subject.i != token.i:
                holder, speaker, penalty = _resolve(subject, at, ctx, lex, speakers)
                return holder, speaker, penalty + 0.05
        if token.lower_ in _PRONOUNS_SPEAKER and verb is None and token.i not in speakers.quoted:
            return speakers.own_voice(at)
        if token.lower_ in _PRONOUNS_OTHER:
            # "Israel has made clear it will not accept …": the subject of the clause above it
            actor = pronoun_antecedent(token, at, lex.people, ctx.kind)
            if actor is not None:
                return (*_party(ctx, actor.key, lex), 0.05)
            # "he" and "she" are the last person who was a subject, "it" and "they" the last party
            last = ctx.cache.get("last-person" if token.lower_ in {"he", "she", "him", "her", "his"} else "last-subject")
            if last is not None:
                return last[0], last[1], 0.15
    return None, None, 0.0


def _antecedent(token, at, ctx: Context, lex: _Lexicon) -> str | None:
    """The actor a definite noun phrase refers back to ("the group" after "Hamas"): the last one
    of a kind the noun can stand for, named earlier in the sentence or in the last sentences
    (:data:`_ANAPHOR_REACH`); None when two such actors were named there (ambiguous)."""
    kinds = lex.anaphors.get(lemma(token))
    if not kinds or not any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in token.children):
        return None
    before = [m.key for i in range(token.sent.start, token.i) for m in at.get(i, []) if m.category == "actor"
              and m.token_start == i]
    recent = [k for keys in ctx.cache.get("recent-actors", [])[-_ANAPHOR_REACH:] for k in keys] + before
    found = list(dict.fromkeys(k for k in reversed(recent) if ctx.kind(k) in kinds))
    return found[0] if len(found) == 1 else None


def _document_author(token, at, ctx: Context, lex: _Lexicon) -> str | None:
    """The party whose document speaks ("the Russian document", "a proposal from Washington",
    "the memorandum" after "Russia handed Ukraine a memorandum"): what it demands, that party
    demands. A party named with it is remembered for the next "the memorandum" or "the text"."""
    noun = lemma(token)
    if noun not in lex.documents:
        return None
    named = [c for c in token.children if c.dep_ in {"poss", "compound", "amod", "nmod"}]
    named += [p for c in token.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}
              for p in c.children if p.dep_ == "pobj"]
    author = next((m.key for t in named for m in at.get(t.i, []) if m.category == "actor"), None)
    authors = ctx.cache.setdefault("document-authors", {})
    if author is None:
        if not any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in token.children):
            return None
        return authors.get(noun) or (authors.get(None) if noun in lex.generic_documents else None)
    authors[noun] = authors[None] = author
    return author


def _remember_documents(sent, at, ctx: Context, lex: _Lexicon) -> None:
    """ "Russia on Monday handed Ukraine a memorandum": the memorandum is Russia's."""
    for t in sent:
        if lemma(t) in lex.documents and t.dep_ in {"dobj", "obj"} and lemma(t.head) in lex.authoring:
            subject, _ = subject_of(t.head)
            actor = actor_of(subject, at, lex.people) if subject is not None else None
            if actor is not None and _document_author(t, at, ctx, lex) is None:
                authors = ctx.cache.setdefault("document-authors", {})
                authors[lemma(t)] = authors[None] = actor.key


def _under_document(token, at, ctx: Context, lex: _Lexicon) -> str | None:
    """ "Under the Russian document, a ceasefire could begin only after …": the author of the
    document the clause is said to be in, else None."""
    for t in clause_chain(token):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in {"under", "in"}:
                pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                author = _document_author(pobj, at, ctx, lex) if pobj is not None else None
                if author is not None:
                    return author
        if t.dep_ in {"ccomp", "parataxis"}:
            return None  # above it is somebody's report, not the document
    return None


def _document_subject(cue, at, ctx: Context, lex: _Lexicon) -> str | None:
    """The author of a document that states the cue's clause: its subject ("the memorandum
    demands …", "an option in the text would require …") or an "under" phrase."""
    subject, _ = subject_of(cue)
    if subject is not None:
        inner = [subject] + [p for c in subject.children if c.dep_ == "prep" and c.lower_ == "in"
                             for p in c.children if p.dep_ == "pobj"]
        author = next((a for a in (_document_author(t, at, ctx, lex) for t in inner) if a), None)
        if author is not None:
            return author
    return _under_document(cue, at, ctx, lex)


#: How many sentences back a definite noun phrase looks for the actor it refers to.
_ANAPHOR_REACH = 3


def _region(token, lex: _Lexicon, skip=()) -> list:
    """Tokens of the cue's object, complement and prepositional objects."""
    tokens = []
    skipped = {t.i for t in skip}
    # "In exchange, Iran is seeking …", "For its part, Russia wants …": a phrase fronted before
    # the subject frames the sentence; it is not what is sought
    subject = next((c.i for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    for c in token.children:
        if c.i in skipped or (_purpose(c) and c.i < token.i) or (
                subject is not None and c.dep_ == "prep" and c.i < subject):
            continue
        if (c.dep_ in _OBJECT_DEPS or c.dep_ == "prt" or (c.dep_ in {"prep", "agent", "dative"} and c.lower_ in _ISSUE_PREPS)
                or (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
                # "rejects concessions on X, limits on Y, and …": the parser reads the list's
                # second noun as a clause of the verb
                or (c.dep_ == "advcl" and c.pos_ == "NOUN" and c.i > token.i)
                or _gerund_object(token, c)):
            tokens.extend(c.subtree)
    # "… in exchange for a ceasefire", "… as part of any ceasefire deal": what the act is traded
    # for or belongs to is not what is asked or refused
    tokens = [t for t in tokens if not _framing(t, lex.containers)]
    if not tokens and token.pos_ == "VERB":
        # "must stop and eliminate its enrichment": coordinated verbs share the object the last one has
        shared = next((c for c in token.children if c.dep_ == "conj" and c.pos_ == "VERB"
                       and not any(s.dep_ in {"nsubj", "nsubjpass"} for s in c.children)), None)
        if shared is not None:
            return _region(shared, lex, skip)
    return sorted(tokens, key=lambda t: t.i)


def _gerund_object(verb, clause) -> bool:
    """ "has ruled out ceding Ukraine's land": a gerund right after the verb (and its particle),
    which the parser may make an adverbial clause, is its object."""
    return clause.dep_ == "advcl" and clause.tag_ == "VBG" and clause.i > verb.i and not any(
        c.dep_ == "mark" for c in clause.children) and all(
        t.dep_ in {"prt", "advmod", "neg"} for t in verb.doc[verb.i + 1:clause.i])


#: Phrases that say what an act is traded for or part of ("in exchange for", "as part of").
_FRAMES = (("in", "exchange", "for"), ("in", "return", "for"), ("as", "part", "of"))


def _framing(token, containers: frozenset[str]) -> bool:
    """The token is inside an "in exchange for …" or "in return for …" phrase, or an "as part of"
    a deal ("as part of any ceasefire deal"; not "recognition of Crimea as part of Russia")."""
    for t in [token, *token.ancestors]:
        if t.dep_ == "prep" and t.lower_ in {"in", "as"}:
            words = tuple(w.lower_ for w in t.doc[t.i:t.i + 3])
            if words in _FRAMES and (words[1] != "part" or any(
                    lemma(p) in containers for c in t.doc[t.i + 1].children if c.lower_ == "of"
                    for p in c.children if p.dep_ == "pobj")):
                return True
    return False


def _purpose(clause) -> bool:
    """ "for a full ceasefire to be achieved, Ukraine must halt …": a clause before the verb that
    says what the act is for; what is asked is the act, the purpose is what it comes before."""
    if clause.dep_ == "prep" and clause.lower_ == "for":  # parsed as "for [a truce [to be reached]]"
        return any(c.dep_ in {"acl", "relcl"} and any(a.lower_ == "to" for a in c.children)
                   for p in clause.children if p.dep_ == "pobj" for c in p.children)
    return clause.dep_ in {"ccomp", "advcl", "xcomp"} and any(
        m.dep_ == "mark" and m.lower_ == "for" for m in clause.children)


def _issues(region, at, chunk: Chunk, ctx: Context, lex: _Lexicon, settings, cue) -> list[tuple[str, float]]:
    """Issue keys named in the cue's region (the first and those coordinated or listed with it), else one minted."""
    found: list[Mention] = []
    for t in region:
        if _in_relative_clause(t, cue, lex.containers):
            continue  # "the positions they held before the ceasefire collapsed": not what is demanded
        for m in at.get(t.i, []):
            if m.category == "issue" and m not in found:
                found.append(m)
    if found:
        first = found[0]
        keep = [first]
        head = chunk.doc[first.token_end - 1]
        found += [m for m in _list_tail(region, at) if m not in found]
        left: list[Mention] = []  # the mentions not kept
        for m in found[1:]:
            other = chunk.doc[m.token_end - 1]
            noun = other.head if other.dep_ == "compound" else other
            if noun.dep_ == "conj" and any(noun.head.i in range(k.token_start, k.token_end) or noun.head.i == k.token_end
                                           for k in left):
                left.append(m)  # "sanctions on its oil exports and banking sector": what qualifies an item, as its first does
                continue
            if other.dep_ == "conj" and (other.head.i in range(first.token_start, first.token_end) or
                                         any(other.head.i in range(k.token_start, k.token_end) for k in keep)):
                keep.append(m)
            elif head.dep_ == "conj" and head.head.i in range(m.token_start, m.token_end):
                keep.append(m)
            elif _listed(chunk.doc[keep[-1].token_end:m.token_start], other):
                keep.append(m)  # "recognition of Crimea, Ukraine's neutrality, … and the lifting of sanctions"
            elif _conjoined_acts(chunk.doc[first.token_start:first.token_end], chunk.doc[m.token_start:m.token_end], cue):
                keep.append(m)  # "urged all sides to exercise restraint and return to dialogue": each act
            else:
                left.append(m)
        return [(m.key, 0.0) for m in keep]
    return (_meeting_between(region, at, chunk, ctx, settings) or _act_on_party(cue, at, chunk, ctx, lex, settings)
            or _issue_of_act(region, chunk, ctx, lex, settings)
            or _minted_issue([t for t in region if not _in_relative_clause(t, cue, lex.containers)], at, chunk, ctx, lex, settings))


def _conjoined_acts(first, other, cue) -> bool:
    """Two issue phrases, each within its own verb's phrase, the second verb a conjunct of the first
    ("urged all sides to exercise restraint and return to dialogue"); not when the first verb is
    the cue itself ("rejected talks on missiles and insisted on relief": two stances)."""
    def act(span):
        return next((t for t in [span.root, *span.root.ancestors] if t.pos_ == "VERB"), None)

    one, two = act(first), act(other)
    # a conjunct with a subject of its own is a clause of its own ("… and that Tehran will not
    # discuss its missiles": a red line, not a second thing insisted on)
    return (one is not None and two is not None and one.i != cue.i and two.dep_ == "conj"
            and two.head.i == one.i and not negated(two)
            and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in two.children))


def _act_on_party(verb, at, chunk: Chunk, ctx: Context, lex: _Lexicon, settings) -> list[tuple[str, float]]:
    """ "must compensate Iran for the damage": an act done to a state or organization is named by
    the act alone (Compensation); the party is whom it is for, what follows no agenda item."""
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None) if verb.pos_ == "VERB" else None
    if any(c.dep_ in {"xcomp", "ccomp"} for c in verb.children):
        return []  # "allow Iran to enrich": the complement is what the act is about
    noun = lex.nominalizations.get(lemma(verb))
    if obj is None or noun is None or not any(m.category == "actor" and ctx.kind(m.key) != "Person"
                                              for m in at.get(obj.i, [])):
        return []  # "release Marwan Barghouti": the person is what the act is about
    key = concept_for(ctx, chunk, (noun,), verb.i, verb.i + 1, settings["minted_issue_confidence"]) or mint(
        ctx, chunk, "issue", noun[0].upper() + noun[1:], "Issue", verb.i, verb.i + 1, "stances.minted-issue",
        settings["minted_issue_confidence"])
    if not key:
        return []
    _issue_mention(chunk, ctx, key, verb.i, verb.i + 1, "stances.act")
    return [(key, settings["minted_issue_penalty"])]


def _list_tail(region, at) -> list[Mention]:
    """Issues named after the region up to the next verb: where the parser cut a listed demand
    short ("demands recognition of Crimea as part of Russia, Ukraine's neutrality, … and the
    lifting of sanctions" parses its later items as modifiers of the verb)."""
    last = max(region, key=lambda t: t.i)
    tail = []
    for t in last.doc[last.i + 1:last.sent.end]:
        if t.pos_ in {"VERB", "AUX"}:
            break
        tail += [m for m in at.get(t.i, []) if m.category == "issue" and m.token_start == t.i]
    return tail


def _listed(gap, item) -> bool:
    """The words between two issues make the second the next item of a list: a comma or "and"
    just before the noun phrase it heads or ends ("…, and the lifting of Western sanctions"), no
    verb in between ("demands X, Y and Z"; not "demands X to end Y"), and not too far."""
    if len(gap) > _LIST_GAP or any(t.pos_ in {"VERB", "AUX"} for t in gap):
        return False
    phrase = item
    while phrase.dep_ == "pobj" and phrase.head.dep_ == "prep" and phrase.head.head.pos_ == "NOUN":
        phrase = phrase.head.head  # "sanctions" → "the lifting of Western sanctions"
    before = item.doc[max(phrase.left_edge.i - 2, 0):phrase.left_edge.i]
    return any(t.text == "," or t.lower_ in {"and", "or"} for t in before)


#: How many words may separate two items of a listed demand ("and its renunciation of NATO
#: membership, caps on the size of its armed forces and the").
_LIST_GAP = 24


def _issue_mention(chunk: Chunk, ctx: Context, key: str, start: int, end: int, rule: str) -> None:
    """Record where a verb phrase or noun phrase named an issue (the mention layer)."""
    record_mention(chunk, ctx, "issue", key, start, end, rule)


def _meeting_between(region, at, chunk: Chunk, ctx: Context, settings) -> list[tuple[str, float]]:
    """ "asked for a meeting between President Zelensky and President Putin": a meeting of two
    named actors is the agenda item, minted with their names."""
    for noun in region:
        if noun.pos_ != "NOUN" or lemma(noun) not in _MEETINGS:
            continue
        between = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"), None)
        if between is None:
            continue
        actors = list(dict.fromkeys(m.key for t in between.subtree for m in at.get(t.i, [])
                                    if m.category == "actor" and m.token_start == t.i))
        people = [k for k in actors if ctx.kind(k) == "Person"]
        actors = people if len(people) == 2 else actors  # "… and Russian President Vladimir Putin"
        if len(actors) != 2:
            continue
        label = f"{lemma(noun).capitalize()} between {ctx.label('actor', actors[0])} and {ctx.label('actor', actors[1])}"
        end = between.right_edge.i + 1
        key = mint(ctx, chunk, "issue", label, "Issue", noun.i, end, "stances.minted-issue",
                   settings["minted_issue_confidence"])
        if key:
            _issue_mention(chunk, ctx, key, noun.i, end, "stances.minted-issue")
            return [(key, settings["minted_issue_penalty"])]
    return []


_MEETINGS = {"meeting", "summit", "talk"}


def _issue_of_act(region, chunk: Chunk, ctx: Context, lex: _Lexicon, settings) -> list[tuple[str, float]]:
    """ "that Ukraine withdraw its troops": a lexicon issue named by a verb and its object,
    else one minted from the act ("Withdrawal of troops")."""
    for verb in region:
        if verb.pos_ != "VERB":
            continue
        obj = _object(verb)
        if obj is None:
            return _act_without_object(verb, chunk, ctx, lex, settings)
        found = _act_concept(verb, obj, chunk, ctx, settings)
        if found:
            return found
        span = (min(verb.i, obj.i), max(verb.i, obj.i) + 1)
        noun = lex.nominalizations.get(lemma(verb))
        if noun and obj.lemma_.lower() in lex.not_issues:
            # "involved in verifying any new agreement": the act names the issue (verification)
            key = concept_for(ctx, chunk, (noun,), verb.i, verb.i + 1, settings["minted_issue_confidence"])
            if key:
                _issue_mention(chunk, ctx, key, verb.i, verb.i + 1, "stances.act")
                return [(key, 0.05)]
        elif noun:
            relation = lex.act_prepositions.get(lemma(verb), "of")  # "leave Donbas": withdrawal from it
            # "cede the entire Donbas region": the name on the object stays ("Cession of Donbas region");
            # "cede its entire eastern industrial area of Donbas": a share of a place is the place
            of = next((p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj" and p.pos_ == "PROPN"), None)
            if of is not None and lemma(obj) in lex.partitives:
                obj = of
            named = [c.text for c in obj.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
            label = f"{noun[0].upper()}{noun[1:]} {relation} {' '.join([*named, obj.text if obj.pos_ == 'PROPN' else obj.lower_])}"
            key = mint(ctx, chunk, "issue", label, "Issue", *span, "stances.minted-issue",
                       settings["minted_issue_confidence"])
            if key:
                _issue_mention(chunk, ctx, key, *span, "stances.minted-issue")
                return [(key, settings["minted_issue_penalty"])]
        return []
    return []


def _object(verb):
    return next((c for c in verb.children if c.dep_ in {"dobj", "obj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}),
                None)


def _act_concept(verb, obj, chunk: Chunk, ctx: Context, settings) -> list[tuple[str, float]]:
    """The lexicon issue a verb and its object name together ("lay down its weapons"), or []."""
    span = (min(verb.i, obj.i), max(verb.i, obj.i) + 1)
    key = concept_for(ctx, chunk, (lemma(verb), lemma(obj)), *span, settings["minted_issue_confidence"])
    if not key:
        return []
    _issue_mention(chunk, ctx, key, *span, "stances.act")
    return [(key, 0.05)]


def _act_without_object(verb, chunk: Chunk, ctx: Context, lex: _Lexicon, settings) -> list[tuple[str, float]]:
    """ "would not withdraw from the Morag corridor" → "Withdrawal from Morag corridor";
    "would never surrender" → "Surrender"."""
    noun = lex.nominalizations.get(lemma(verb))
    if not noun:
        return []
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"from", "to", "into", "out"}), None)
    pobj = next((p for p in prep.children if p.dep_ == "pobj"), None) if prep is not None else None
    if pobj is not None and (lemma(pobj) in lex.partitives or pobj.text == "%" or pobj.like_num):
        # "withdraw from the parts of the Donetsk region it still controls", "from the remaining
        # 30% of Donetsk region": the region
        pobj = next((p for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"
                     for p in c.children if p.dep_ == "pobj"), None)
    if pobj is not None and lemma(pobj) in lex.vague_places:
        prep = None  # "withdraw to the positions they held": the act is the agenda item
    if prep is None and not any(c.dep_ == "prep" and c.lower_ not in {"to", "from"} for c in verb.children):
        # "not be allowed to enrich": enrichment
        key = concept_for(ctx, chunk, (noun,), verb.i, verb.i + 1, settings["minted_issue_confidence"])
        if key:
            _issue_mention(chunk, ctx, key, verb.i, verb.i + 1, "stances.act")
            return [(key, 0.05)]
    words_ = [noun[0].upper() + noun[1:]]
    end = verb.i + 1
    if prep is not None:
        if pobj is None:
            return []
        phrase = [t for t in pobj.lefts if t.dep_ in {"compound", "amod"}] + [pobj]
        if len(phrase) > 3 or not all(t.is_alpha for t in phrase):
            return []
        words_ += [prep.lower_] + [t.text if t.pos_ == "PROPN" else t.lower_ for t in phrase]
        end = pobj.i + 1
    elif any(c.dep_ in {"ccomp", "xcomp", "advcl"} or c.dep_ == "prep" and c.lower_ not in {"to", "from"}
             for c in verb.children):
        return []  # the act has a complement this cannot name
    key = mint(ctx, chunk, "issue", " ".join(words_), "Issue", verb.i, end, "stances.minted-issue",
               settings["minted_issue_confidence"])
    if not key:
        return []
    _issue_mention(chunk, ctx, key, verb.i, end, "stances.minted-issue")
    return [(key, settings["minted_issue_penalty"])]


def _minted_issue(region, at, chunk: Chunk, ctx: Context, lex: _Lexicon, settings) -> list[tuple[str, float]]:
    """An issue minted from the first noun phrase of the region that can name an agenda item."""
    # not "the delegations" of "once the delegations had prepared …": who acts is no agenda item
    nouns = [t for t in region if t.pos_ == "NOUN" and t.dep_ in {"dobj", "pobj", "attr", "nsubjpass", "oprd", "obj", "nsubj"}
             and (t.lemma_.lower() not in lex.not_issues or _party_of_part(t, at, lex) is not None) and not _named(t, at)
             and not ((t.dep_ == "nsubj" or any(c.dep_ == "poss" and any(m.category == "actor" for m in at.get(c.i, []))
                                               for c in t.children))
                      and (lemma(t) in lex.people or t.lower_ in lex.people))]  # nor "Iran's leadership"
    if not nouns:
        return []
    head = nouns[0]
    # a demonym stays ("a Palestinian state", "Turkish troops"); a party's name does not ("Iran's")
    # (a noun compound stays though it names no item alone: "security control")
    left = [c for c in head.lefts if c.dep_ in {"compound", "amod"} and not c.like_num and c.pos_ in {"NOUN", "ADJ", "PROPN"}
            and (not _named(c, at) or c.dep_ == "amod" and c.pos_ == "ADJ" or _force_of(c, head, lex))
            and (c.lower_ not in lex.not_issues or c.dep_ == "compound" and c.pos_ == "NOUN") and c.lower_ not in lex.degree]
    parts = left + [head]
    # "release of prisoners", "access to the affected sites": the noun and what it is of or to
    # (not "access to every place where …": a place is no agenda item)
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ in {"of", "to"}), None)
    party = _party_of_part(head, at, lex)
    if party is not None:
        # "ruled out any role for the Palestinian Authority": a party's part in the process is
        # the item, with the party's name in it
        parts += [party.head] + [t for t in party.subtree if t.i == party.i or t.pos_ == "PROPN" and t.head.i == party.i]
        of = None
    if of is not None:
        pobj = next((p for p in of.children if p.dep_ == "pobj"), None)
        if pobj is not None and pobj.pos_ == "NOUN" and not _named(pobj, at) and lemma(pobj) not in lex.vague_places:
            parts += [of] + [c for c in pobj.lefts if c.dep_ in {"compound", "amod"}
                             and (not _named(c, at) or _force_of(c, pobj, lex)) and c.lower_ not in lex.degree] + [pobj]
    elif party is None:
        # "no withdrawal from Donbas": where an act is from is part of it ("Withdrawal from Donbas")
        source = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "from"), None)
        place = next((p for p in source.children if p.dep_ == "pobj" and p.pos_ == "PROPN"
                      and any(m.category == "place" for m in at.get(p.i, []))), None) if source is not None else None
        if place is not None:
            parts += [source] + [c for c in place.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [place]
    parts = sorted(parts, key=lambda t: t.i)
    if len(parts) > settings["max_issue_tokens"] or any(not t.is_alpha for t in parts):
        return []
    if len(parts) == 1 and not head.lemma_.lower().endswith(lex.abstract) and lemma(head) not in lex.agenda_nouns:
        return []  # "weapons", "troops": no agenda item without the act or a modifier
    if len(parts) == 1 and any(c.dep_ in {"det", "predet", "amod"} and c.lower_ in _REFERRING for c in head.children):
        return []  # "such a deployment", "this demand": it names what the text said before
    text = " ".join(t.text if t.pos_ == "PROPN" else t.lower_ for t in parts)
    label = text[0].upper() + text[1:]
    start, end = parts[0].i, parts[-1].i + 1
    key = mint(ctx, chunk, "issue", label, "Issue", start, end, "stances.minted-issue", settings["minted_issue_confidence"])
    if not key:
        return []
    _issue_mention(chunk, ctx, key, start, end, "stances.minted-issue")
    return [(key, settings["minted_issue_penalty"])]


def _party_of_part(noun, at, lex: _Lexicon):
    """The party named after a noun of participation ("any role for the Palestinian Authority",
    "a seat for Europe"), or None."""
    if lemma(noun) not in lex.participation:
        return None
    return next((p for c in noun.rights if c.dep_ == "prep" and c.lower_ in {"for", "of"}
                 for p in c.children if p.dep_ == "pobj" and _named(p, at)), None)


def _force_of(modifier, noun, lex: _Lexicon) -> bool:
    """ "NATO troops", "Turkish forces": a party's name on its people stays in the issue's name."""
    return modifier.dep_ in {"compound", "amod"} and (lemma(noun) in lex.people or noun.lower_ in lex.people)


def _named(token, at) -> bool:
    """The token is part of a name of an actor, place, issue or agreement (a leverage kind's
    word, "deployment", may still name an agenda item: "any deployment of NATO troops")."""
    return any(m.category != "leverage-kind" for m in at.get(token.i, []))


def _condition_clause(token, lex: _Lexicon, only: bool = False):
    """An "until …" or "before …" clause of the cue (with ``only``, also "only after/if …"):
    what must happen first."""
    heads = [token, *(c for c in token.children if c.dep_ == "xcomp")]
    marks = {"until", "before", "till", "unless"} | ({"after", "if", "once", "when"} if only else set())
    for c in (child for head in heads for child in head.children):
        # ("when" is the clause's adverb, not its mark: "only when Ukrainian forces withdraw")
        if c.dep_ in {"advcl", "prep"} and any(m.lower_ in marks for m in [c, *c.children]
                                               if m.dep_ in {"mark", "prep"} or m.i == c.i
                                               or m.dep_ == "advmod" and m.lower_ == "when"):
            if c.dep_ == "prep":
                return next((p for p in c.children if p.dep_ in {"pobj", "pcomp"}), None)
            return c
    return None


def _cleft_complement(cue) -> list | None:
    """ "What Iran seeks is the lifting of all sanctions": the copula's complement is what the
    cue's "what" stands for (also where a parenthetical "he told …" splits the two); None for a
    cue without such a "what"."""
    if not any(c.dep_ in {"dobj", "obj"} and c.lower_ == "what" and c.i < cue.i for c in cue.children):
        return None
    be = cue.head if lemma(cue.head) == "be" else next(
        (c for c in cue.head.children if c.dep_ in {"conj", "ccomp"} and lemma(c) == "be"), None)
    if be is None or be.i < cue.i:
        return None
    return [t for c in be.children if c.dep_ in {"attr", "acomp", "xcomp", "ccomp"} for t in c.subtree] or None


def _before(condition) -> bool:
    """The condition clause of :func:`_condition_clause` is introduced by "before" (so what the
    cue asks comes first), not "until" or "after" (the condition comes first)."""
    marker = condition.head if condition.dep_ in {"pobj", "pcomp"} else next(
        (m for m in condition.children if m.dep_ in {"mark", "prep"}), condition)
    return marker.lower_ == "before"


def _without_later(region) -> list:
    """The region without its "before …" phrases: "to halt mobilisation … before any truce took
    effect" asks for the halt; the truce is what it comes before."""
    later = [t.head if t.dep_ == "mark" else t for t in region if t.lower_ == "before" and t.dep_ in {"mark", "prep"}]
    spans = [(h.left_edge.i, h.right_edge.i) for h in later]
    kept = [t for t in region if not any(a <= t.i <= b for a, b in spans)]
    return kept or region


def _precondition(token, region, lex: _Lexicon) -> bool:
    """ "… as a precondition", "… before any talks", "must first …", "… as a condition for any
    ceasefire" (a condition only after "as" or "on": not "humanitarian conditions")."""
    near = list(token.children) + [t for t in region if not _in_relative_clause(t, token)]
    return any(t.lower_ in lex.precondition or lemma(t) in lex.precondition for t in near) or any(
        lemma(t) == "condition" and t.head.lower_ in {"as", "on"} for t in token.subtree)


def _in_relative_clause(token, cue, containers: frozenset[str] = frozenset()) -> bool:
    """The token is in a relative clause of the object ("the positions they held before"), which
    describes what is demanded without being it ("a demand to halt enrichment" is no such
    clause); unless the clause says what one of ``containers`` holds ("an agreement that lifts
    the sanctions": what is sought is the lifting)."""
    for t in clause_chain(token):
        if t.i == cue.i:
            return False
        if t.dep_ == "relcl" and lemma(t.head) not in containers and not _infinitival(t):
            return True
    return False


def _infinitival(clause) -> bool:
    """ "calls to end uranium enrichment": an infinitive without a subject of its own, which the
    parser may label a relative clause, says what the noun asks for."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children) and not any(
        c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children)


def _addressee(token, at, holder: str | None, kind: str):
    """Whom a demand is addressed to: "urged Russia to", "called on Iran to", "demanded that Ukraine …"."""
    if kind not in {"Demand", "Precondition"}:
        return None
    for c in token.children:
        target = None
        if c.dep_ in {"dobj", "dative"}:
            target = c
        elif c.dep_ == "prep" and c.lower_ in {"on", "from", "of"}:
            target = next((p for p in c.children if p.dep_ == "pobj"), None)
        elif c.dep_ in {"ccomp", "xcomp"}:
            target = next((s for s in c.children if s.dep_ in {"nsubj", "nsubjpass"}), None)
        if target is not None:
            found = [m for m in at.get(target.i, []) if m.category == "actor"]
            if found and found[0].key != holder:
                return found[0].key
    return None


def _noun_holder(noun):
    """Whose stance a stance noun states: its possessor ("Putin's demand"), or who it is "by"
    ("a demand by Putin that Ukraine cede Crimea"); None for neither."""
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor
    return next((p for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"
                 for p in c.children if p.dep_ == "pobj" and p.pos_ == "PROPN"), None)


def _noun_region(cue, kind: str, lex: _Lexicon) -> list:
    """What a stance noun states: its object and complements, a relative clause, what follows a
    colon ("conditions for a truce: the cessation of arms supplies and …"), and where the noun is
    the subject, the verb's complement ("Our goal is to bring them back", "Russia's demands
    include the withdrawal of …", with a "before …" clause that makes it a precondition). A
    condition's "for …" is what it is a condition for ("Russia's condition for a ceasefire is the
    halt of mobilisation"), not the condition: without anything else, the region is empty."""
    purpose = [c for c in cue.children if kind == "Precondition" and c.dep_ == "prep" and c.lower_ == "for"]
    region = _region(cue, lex, purpose)
    said = _as_stance(cue, lex)
    if said is not None:  # "emphasized X as a condition for …": X is the condition
        region += [t for t in said[1].subtree if not cue.head.left_edge.i <= t.i <= cue.head.right_edge.i]
    # "Israel has made the return of all hostages a condition for ending the war": the noun's
    # subject in the small clause is what the condition is
    region += [t for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i and cue.dep_ == "dobj" for t in c.subtree]
    region += [t for c in cue.children if c.dep_ in {"acl", "relcl", "appos"} and not _describes(c) for t in c.subtree]
    if cue.dep_ == "attr" and lemma(cue.head) in lex.stating_copulas:  # "the release of all hostages is Israel's main demand"
        region += [t for c in cue.head.children if c.dep_ in {"nsubj", "csubj"} for t in c.subtree]
    if cue.dep_ == "nsubj" and lemma(cue.head) in lex.stating_copulas:
        region += [t for c in cue.head.children if c.dep_ in {"xcomp", "attr", "ccomp", "acomp", "dobj"}
                   or c.dep_ == "advcl" and any(m.lower_ == "before" for m in c.children) for t in c.subtree]
    outer = cue.head.head if _in_partitive(cue, lex) else cue  # "a number of demands, including …"
    # "its conditions for any agreement, including a permanent ceasefire": the parser hangs the
    # list on what the conditions are for
    listing = [outer, *(o for p in purpose for o in p.children if o.dep_ == "pobj")]
    region += [t for o in listing for c in o.children if c.dep_ == "prep" and c.lower_ in {"including", "like"}
               for t in c.subtree]
    if outer.dep_ == "dobj":  # the parser may hang the colon's list, or the rest of a list, on the verb
        region += [t for c in outer.head.children if c.dep_ == "appos" or c.dep_ == "dobj" and c.i > outer.i
                   for t in c.subtree]
        # and the noun's own "to": "expressed objections both to ending enrichment and to …" (not
        # "for": "set conditions for a truce" says what they are for, and "repeated his demand for
        # the next phase" on the dev set named no item)
        region += [t for c in outer.head.children if c.dep_ == "prep" and c.i > outer.i
                   and c.lower_ in {"to", "against"} for t in c.subtree]
    return sorted((t for t in set(region) if not _framing(t, lex.containers)), key=lambda t: t.i)


def _in_partitive(noun, lex: _Lexicon) -> bool:
    """ "a number of demands", "a list of conditions": the noun is what the partitive counts."""
    return noun.dep_ == "pobj" and noun.head.lower_ == "of" and lemma(noun.head.head) in lex.quantity_nouns


def _stating_verb(noun, lex: _Lexicon):
    """The verb that states a stance noun as its object ("set conditions", "contains a number
    of demands"), or None."""
    obj = noun.head.head if _in_partitive(noun, lex) else noun
    if obj.dep_ == "dobj" and lemma(obj.head) in lex.stating and obj.head.pos_ in {"VERB", "AUX"}:
        return obj.head
    said = _as_stance(noun, lex)  # "emphasized Israel's security control as a condition for ending the war"
    return said[0] if said is not None else None


def _as_stance(noun, lex: _Lexicon):
    """(verb, object) when the noun says what a verb's object is: "emphasized X as a condition",
    "sees X as a prerequisite" (the parser may hang "as" on the object); else None."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "as":
        return None
    verb = noun.head.head
    obj = verb if verb.dep_ == "dobj" and verb.pos_ == "NOUN" else next(
        (c for c in verb.children if c.dep_ == "dobj"), None)
    verb = obj.head if obj is not None else verb
    if obj is None or verb.pos_ != "VERB" or lemma(verb) not in lex.stating | lex.describing:
        return None
    return verb, obj


def _experiencer(cue, verb, at):
    """Whom a red-line predicate holds for: "… is unacceptable to us", "… is a red line for
    Israel", "… is considered an unacceptable threat by Moscow"; None where none is named."""
    near = [cue, cue.head, verb]
    for c in (c for t in near for c in t.children):
        if c.dep_ in {"prep", "agent"} and c.lower_ in {"to", "for", "by"}:
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is not None and (pobj.lower_ in _PRONOUNS_SPEAKER or any(
                    m.category == "actor" for m in at.get(pobj.i, []))):
                return pobj
    return None


def _describes(clause) -> bool:
    """A relative clause whose subject is its relative pronoun describes the noun ("demands that
    were detached from reality") rather than saying what it asks ("the demand that Israel withdraw")."""
    return clause.dep_ == "relcl" and any(c.dep_ in {"nsubj", "nsubjpass"} and c.tag_ in {"WDT", "WP"}
                                          for c in clause.children)


def _nothing_unless(verb) -> bool:
    """ "There will be no deal unless …", "no talks could occur unless …", "will not sign
    unless …": nothing happens unless the condition is met first."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in verb.children) and (negated(verb) or any(
        c.dep_ in {"nsubj", "nsubjpass", "attr", "dobj"} and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        for c in verb.children))


def _possible_only(verb, lex: _Lexicon) -> bool:
    """ "is only possible", "will only be possible": a copula whose complement, a word of
    possibility, "only" restricts (the condition that follows is what must come first)."""
    return lemma(verb) == "be" and any(
        c.dep_ == "acomp" and lemma(c) in lex.possible and any(o.dep_ == "advmod" and o.lower_ == "only"
                                                                for o in [*c.children, *verb.children])
        for c in verb.children)


def _cues(sent, lex: _Lexicon):
    """Yield (cue token, kind, how) for each stance cue of a sentence."""
    for t in sent:
        base = lemma(t)
        if t.pos_ in {"VERB", "AUX"} and base in lex.verbs:
            for particle, kind in lex.verbs[base]:
                # the particle right after the verb: "called for a ceasefire", not "called the
                # demand for zero enrichment a big mistake" (where the parser may hang "for" on it)
                # ("insist not only on disarming Hamas …": adverbs may come between)
                if not particle or any(c.lower_ == particle and 0 < c.i - t.i and (c.i - t.i <= 2 or all(
                        b.pos_ in {"ADV", "PART"} for b in t.doc[t.i + 1:c.i])) for c in t.subtree):
                    yield t, kind, "verb"
                    break
        elif t.pos_ == "VERB" and base in lex.concessions and negated(t) and _obliging_head(t) is None and (
                base not in lex.particles or any(c.lower_ in lex.particles[base] and 0 < c.i - t.i <= 3 for c in t.children)):
            # (a negated obligation, "Ukraine must never join NATO", is asked of its subject: _obligations)
            yield t, "RedLine", "negated"
        elif t.pos_ == "NOUN" and base in lex.nouns and _noun_holder(t) is not None:
            yield t, lex.nouns[base], "noun"
        elif t.pos_ in {"VERB", "AUX"} and _nothing_unless(t):
            yield t, "Precondition", "only-after"  # "no talks could occur unless Russia agreed to …"
        elif (t.pos_ == "ADJ" and t.dep_ == "acomp" and t.lower_ in lex.opposed
              and any(c.dep_ == "prep" and c.lower_ == "to" for c in t.children)):
            yield t, "RedLine", "verb"  # "Iran is firmly opposed to any talks on its missiles"
        elif base == "be" and any(c.dep_ == "prep" and c.lower_ == "against" for c in t.children):
            yield t, "RedLine", "verb"  # "Russia is against any deployment of NATO troops"
        elif t.pos_ == "NOUN" and base in lex.nouns | lex.stated_nouns.keys() and _stating_verb(t, lex) is not None:
            # "Moscow has set conditions for a truce: …", "underscored the necessity for a ceasefire"
            yield t, lex.nouns.get(base) or lex.stated_nouns[base], "stated"
        elif t.pos_ == "NOUN" and base in lex.nouns and t.dep_ == "attr" and lemma(t.head) == "be":
            yield t, lex.nouns[base], "copula"  # "refraining from threats is a prerequisite for dialogue"
        elif (t.pos_ == "NOUN" and t.dep_ in {"attr", "nsubj"} and lemma(t.head) == "be"
              and any(c.dep_ == "expl" for c in t.head.children)
              and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children)):
            yield t, "RedLine", "existential"  # "there will be no withdrawal from Donbas", Zelensky declared
        elif ((possible := _possible_only(t, lex)) or t.pos_ == "VERB") and any(
                c.dep_ in {"advcl", "prep"} and any(m.lower_ in {"after", "if", "once", "when"} for m in [c, *c.children])
                and (possible or any(o.dep_ == "advmod" and o.lower_ == "only" for o in [
                    *t.children, *c.children, *(g for m in c.children for g in m.children)]))  # "only when"
                for c in t.children):
            # "would resume talks only after …"; "could begin only after Ukraine withdrew", where
            # the parser hangs "only" on the clause; "peace is only possible if Russia agrees to …"
            yield t, "Precondition", "only-after"
    # Words with the hyphens of compounds dropped, each with its token: the tokenizer keeps
    # "non-negotiable" whole in some contexts and splits it into "non", "-", "negotiable" in
    # others (inside quotation marks).
    tokens, lowers = [], []
    for t in sent:
        for part in t.lower_.split("-"):
            if part:
                tokens.append(t)
                lowers.append(part)
    for phrase, how in lex.predicates:
        n = len(phrase)
        for i in range(len(lowers) - n + 1):
            if lowers[i:i + n] == phrase:
                yield tokens[i], "RedLine", how
                break


@component(
    "stances",
    requires=("doc", "lemmas", "mentions"),
    provides=("facts.position",),
    defaults={"confidence": 0.7, "minted_issue_confidence": 0.5, "minted_issue_penalty": 0.15,
              "max_issue_tokens": 5},
)
def stances(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Demands, red lines, objectives and preconditions read from the dependency parse."""
    lex = _lexicon(ctx)
    doc = chunk.doc
    if not doc.has_annotation("DEP"):
        return  # the blank fallback has no parse
    at = mentions_at(chunk)
    speakers = _Speakers(chunk, ctx, lex, at)
    for sent in doc.sents:
        if speakers.interviewer or sent.text.rstrip().rstrip("\"”’'»)").endswith("?"):
            _remember_subject(sent, at, ctx, lex)
            continue
        cues = list(_cues(sent, lex))
        # "Kiev insisted that no talks could occur unless Russia agreed to a pause in fighting": the
        # condition the clause sets is the stance; the demand that frames it says no more
        firsts = {cue.i for cue, kind, _ in cues if kind == "Precondition"}
        # "Iran insists that its right to enrich is non-negotiable": the red line the clause
        # states is the stance, not a demand for enrichment
        refused = [cue.i for cue, _, how in cues if how in {"predicate", "refusal"}]
        cues = [(cue, kind, how) for cue, kind, how in cues
                if not (kind == "Demand" and any(c.dep_ == "ccomp" and (c.i in firsts or any(
                    c.left_edge.i <= r <= c.right_edge.i for r in refused)) for c in cue.children))]
        for cue, kind, how in cues:
            _stance(chunk, ctx, lex, settings, at, speakers, cue, kind, how)
        _obligations(chunk, ctx, lex, settings, at, speakers, sent, {cue.i for cue, _, _ in cues})
        _prohibitions(chunk, ctx, lex, settings, at, speakers, sent, {cue.i for cue, _, _ in cues})
        _exchanges(chunk, ctx, lex, settings, at, speakers, sent)
        _remember_subject(sent, at, ctx, lex)
        _remember_documents(sent, at, ctx, lex)


def _stance(chunk, ctx, lex, settings, at, speakers, cue, kind, how) -> None:
    also: list[tuple[str, str | None]] = []  # the other parties of a coordinated subject
    if conditional(cue, lex.conditionals) or _under_other_voice(cue, lex):
        return
    document = _document_subject(cue, at, ctx, lex)
    # "the text would require Kyiv to halt mobilisation": a document's "would" says what it holds
    if how == "verb" and (negated(cue) or _hedged(cue, lex) and document is None):
        return
    if how == "verb" and any((_obliging_head(c) or c).i == cue.i for c in cue.children if c.dep_ == "xcomp"):
        subject, _ = subject_of(cue)
        if speakers.speaker_of(cue) is not None and (subject is None or subject.lower_ not in _PRONOUNS_SPEAKER):
            return  # "Iran needs to stop enrichment, Witkoff said": the speaker's demand (_obligations)
    if how == "negated" and any(c.dep_ == "aux" and c.lower_ in lex.hedges - {"can", "could"} for c in cue.children):
        return
    if how in {"predicate", "refusal"}:
        verb = cue.head if cue.dep_ != "ROOT" else cue
        while verb.dep_ not in {"ROOT", "ccomp", "conj", "advcl", "xcomp"} and verb.head.i != verb.i:
            verb = verb.head
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}), None)
        region = list(subject.subtree) if subject is not None else []
        copula = cue.head
        if subject is None and lemma(copula) == "be":
            # "stressing its right to enrichment is non-negotiable": the parser makes the subject
            # of the reported clause the reporting verb's object, and the copula its modifier or
            # a complement without a subject
            if copula.dep_ == "acl" and copula.head.dep_ == "dobj" and lemma(copula.head.head) in lex.reporting:
                subject = copula.head
            elif copula.dep_ == "ccomp" and lemma(copula.head) in lex.reporting:
                subject = next((c for c in copula.head.children if c.dep_ == "dobj" and c.i < copula.i), None)
            if subject is not None:
                verb = copula
                region = [t for t in subject.subtree if t.i < copula.i]
        if subject is not None and subject.lower_ == "it":
            # "it was out of the question to withdraw all Russian troops": what "it" stands
            # ahead of is the infinitive after the predicate
            late = next((t for t in verb.subtree if t.i > cue.i and t.pos_ == "VERB" and t.dep_ in {"acl", "xcomp", "ccomp"}
                         and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)), None)
            region = list(late.subtree) if late is not None else region
        if subject is None:
            return
        speaker_verb = speakers.speaker_of(verb)
        holder_token = None
        if speaker_verb is not None:
            holder_token = speakers.reporter(speaker_verb)
        possessor = next((c for c in subject.children if c.dep_ == "poss"), None)
        if possessor is not None and any(m.category == "actor" for m in at.get(possessor.i, [])) and (
                how == "predicate" or possessor.lower_ not in _PRONOUNS_SPEAKER):
            # the party named is no part of the issue; and for a red line it keeps, its holder,
            # unless somebody else says so ("Russia insists that Ukraine's neutrality is
            # non-negotiable": Russia's red line)
            region = [t for t in region if t not in possessor.subtree]
            holder_token = possessor if how == "predicate" and holder_token is None else holder_token
        holder_token = _experiencer(cue, verb, at) or holder_token
        holder, speaker, penalty = (_resolve(holder_token, at, ctx, lex, speakers) if holder_token is not None
                                    else speakers.own_voice(at))  # "Grossi: Access is not negotiable."
    elif how == "existential":
        # only a party's words refuse so ("there will be no withdrawal", the president declared);
        # "there can be no deal without …" sets a condition, said elsewhere (_nothing_unless)
        verb = speakers.speaker_of(cue.head)
        if verb is None or lemma(cue) in lex.containers or any(
                c.dep_ == "prep" and c.lower_ in {"without", "until"} for c in [*cue.head.children, *cue.children]) or any(
                c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"until", "unless", "before", "if"} for m in c.children)
                for c in cue.head.children):
            return  # "no sanctions relief until Iran stops enrichment": a condition
        region = list(cue.subtree)
        holder, speaker, penalty = _resolve(speakers.reporter(verb), at, ctx, lex, speakers)
    elif how in {"noun", "stated"}:
        region = _noun_region(cue, kind, lex)
        if not region:
            return
        if how == "noun":
            holder, speaker, penalty = _resolve(_noun_holder(cue), at, ctx, lex, speakers)
        elif negated(verb := _stating_verb(cue, lex)) or conditional(verb, lex.conditionals) or _hedged(verb, lex):
            return
        else:  # "Russia set conditions for a truce: …": whoever states them holds them
            holder, speaker, penalty = _resolve(subject_of(verb)[0], at, ctx, lex, speakers)
    elif how == "copula":
        subject = next((c for c in cue.head.children if c.dep_ in {"nsubj", "csubj"}), None)
        verb = speakers.speaker_of(cue.head)
        # "the binding involvement of American forces is a key Ukrainian demand": the party the
        # noun names holds it, whoever reports it
        owner = next((m for c in cue.children if c.dep_ in {"amod", "poss", "compound"}
                      for m in at.get(c.i, []) if m.category == "actor"), None)
        if subject is None or (verb is None and speakers.voice is None and owner is None):
            return
        region = list(subject.subtree)
        if owner is not None:
            holder, speaker, penalty = (*_party(ctx, owner.key, lex), 0.0)
        else:
            holder, speaker, penalty = (_resolve(speakers.reporter(verb), at, ctx, lex, speakers) if verb is not None
                                        else speakers.own_voice(at))
    else:
        subject, passive = subject_of(cue)
        if passive and subject is None and lemma(cue) in lex.stative and any(
                c.dep_ == "prep" and c.lower_ == "to" for c in cue.children):
            # "Russia is opposed to sanctions relief": a state of the subject, not a passive
            subject, passive = next(c for c in cue.children if c.dep_ == "nsubjpass"), False
        skip = [c for c in cue.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}]
        region = _cleft_complement(cue) or _region(cue, lex, skip)
        if passive and how == "negated" and subject is None:
            # "Iran will not be allowed to enrich, Trump said": the speaker's side refuses it
            verb = speakers.speaker_of(cue)
            reporter = speakers.reporter(verb) if verb is not None else None
            holder, speaker, penalty = _resolve(reporter, at, ctx, lex, speakers)
        else:
            if passive:
                region += [t for c in cue.children if c.dep_ == "nsubjpass" for t in c.subtree]
            holder, speaker, penalty = _resolve(subject, at, ctx, lex, speakers)
            also = _co_holders(subject, holder, at, ctx, lex, speakers)
            verb = speakers.speaker_of(cue) if how == "negated" and holder is not None else None
            voice = _resolve(speakers.reporter(verb), at, ctx, lex, speakers) if verb is not None else (None,)
            # (not where the speaker says "we" or "our" in the clause: "Israel will not accept the
            # return of our fallen," he said, is an Israeli speaking)
            clause = {x.i for x in cue.subtree}
            own = any(t.lower_ in {"we", "our", "us"} and (t.i in speakers.quoted or t.i in clause) for t in cue.sent)
            if voice[0] is not None and voice[0] != holder and not also and not own:
                # "Ukraine will never join NATO, Putin said": what another party will not do, as a
                # side says it, is that side's red line (Russia's), not the subject's
                holder, speaker, penalty = voice
            if holder is None and (subject is not None and lemma(subject) in lex.containers or how == "only-after" and (
                    subject is None or subject.lower_ not in _PRONOUNS_OTHER and actor_of(subject, at, lex.people) is None)):
                # "…, Leavitt said, any agreement must require Iran to end enrichment": the speaker's
                # side asks it; "Any such talks, they insist, can only begin after a ceasefire": and
                # sets that condition
                verb = speakers.speaker_of(cue)
                if verb is not None:
                    holder, speaker, penalty = _resolve(speakers.reporter(verb), at, ctx, lex, speakers)
    if holder is None and document is not None:
        holder, speaker, penalty = (*_party(ctx, document, lex), 0.1)
    if holder is None:
        return
    if any(c.dep_ in {"dobj", "obj", "pobj"} and lemma(c) in lex.not_stance_objects for c in cue.children):
        return  # "rejected claims about its nuclear program": no stance on the program
    if speaker is None:
        speaker = _reporter_for(cue, holder, at, ctx, lex, speakers)
    if how == "verb" and any(c.dep_ == "xcomp" and lemma(c) in lex.knowing for c in cue.children):
        return  # "we need to know where that material is"
    if how == "verb" and lemma(cue) == "need" and any(
            c.dep_ in {"xcomp", "ccomp"} and any(s.dep_ == "nsubj" for s in c.children) for c in cue.children):
        kind = "Demand"  # "we need the ICRC to have access": asked of the ICRC, as "want … to" is
    if how == "verb" and kind == "Demand" and lemma(cue) == "want":
        # "X wants to …" is what X seeks; "X wants a ceasefire", "X wants Y to …" ask it of others
        # ("wants to see a ceasefire" is "wants a ceasefire")
        if any(c.dep_ == "xcomp" and not any(s.dep_ == "nsubj" for s in c.children) and lemma(c) not in lex.seeing
               for c in cue.children) and not any(c.dep_ == "dobj" for c in cue.children):
            kind = "Objective"
    if how == "verb" and lemma(cue) in lex.addressee_verbs:  # "urged Russia to …": Russia is asked
        asked = [c for c in cue.children if c.dep_ in {"dobj", "dative"}]
        region = [t for t in region if not any(c.left_edge.i <= t.i <= c.right_edge.i for c in asked)]
    condition = _condition_clause(cue, lex, only=how == "only-after")
    if condition is not None and _before(condition) and kind == "RedLine":
        # "has rejected a ceasefire before a settlement is agreed": the ceasefire is refused
        region = [t for t in region if t not in condition.subtree]
    elif condition is not None and _before(condition) and how != "negated" and not negated(cue):
        # "would require Kyiv to halt mobilisation before any truce": the act asked comes first
        kind, region = "Precondition", [t for t in region if t not in condition.subtree]
    elif condition is not None:  # "will not end the war until Hamas is disarmed": that comes first
        kind, region = "Precondition", list(condition.subtree)
    elif kind in {"Demand", "Objective"} and _precondition(cue, region, lex):
        kind, region = "Precondition", _without_later(region)
    addressee = _addressee(cue, at, holder, kind)
    region = [t for t in region if not (addressee and any(m.key == addressee for m in at.get(t.i, [])
                                                          if m.category == "actor"))]
    issues = []
    if how == "negated" and _object(cue) is not None and not any(
            m.category == "issue" for t in region for m in at.get(t.i, [])):
        issues = _act_concept(cue, _object(cue), chunk, ctx, settings)  # "will not lay down its weapons"
    if how == "negated" and not issues and any(c.dep_ == "dobj" and c.lower_ in {"it", "them"} for c in cue.children):
        # "Iran is open to limits on enrichment but will not give it up": what "it" stands for is
        # the last item named before it in the sentence
        before = [m for t in cue.doc[cue.sent.start:cue.i] for m in at.get(t.i, []) if m.category == "issue"]
        issues = [(before[-1].key, 0.05)] if before else []
        if not issues:
            return
    issues = issues or _issues(region, at, chunk, ctx, lex, settings, cue)
    if how == "verb":  # "insists that Kiev must abandon its plans to join NATO and recognize Crimea"
        for clause in (c for c in cue.children if c.dep_ in {"ccomp", "xcomp"} and c.pos_ == "VERB"):
            issues += _later_acts(clause, issues, at, chunk, ctx, lex, settings) if issues else []
    if not issues and how == "negated":  # "will not withdraw from X": the refused act is the issue
        acts = [c for c in cue.children if c.dep_ == "xcomp" and c.pos_ == "VERB"] or [cue]
        issues = _issue_of_act(acts[:1], chunk, ctx, lex, settings)  # "Handover of land", not "Handover"
    if not issues and how == "predicate" and lemma(region[-1]) in lex.containers and region[-1].dep_ == "nsubj":
        # "The agreement is not up for renegotiation": what is refused is reopening the agreement
        # (an agreement "unacceptable" to the other side is refused whole, which is no item)
        issues = _reopening(cue, chunk, ctx, settings)
    span = chunk.sentence_span(cue.sent)
    for n, (issue, issue_penalty) in enumerate(issues):
        for party, voice in [(holder, speaker), *also]:
            fields = {"type": _TYPES[kind], "holder": party, "issue": issue}
            if addressee and addressee != party:
                fields["addressed_to" if kind == "Demand" else "first_mover"] = addressee
            if voice and voice != party:
                fields["speaker"] = voice
            confidence = settings["confidence"] - penalty - issue_penalty - 0.05 * min(n, 2)
            ctx.propose(Candidate("position", fields, [span], f"stances.{how}", round(max(confidence, 0.1), 2),
                                  merge_on=("type", "holder", "issue", "addressed_to", "first_mover")))


def _co_holders(subject, holder, at, ctx: Context, lex: _Lexicon, speakers: _Speakers) -> list[tuple[str, str | None]]:
    """The other parties of a coordinated subject ("France, Germany and Britain demanded …";
    "Both Iran and the United States have said they want …"): (holder, speaker) each."""
    if subject is not None and subject.lower_ in _PRONOUNS_OTHER and subject.i not in speakers.quoted:
        verb = speakers.speaker_of(subject)
        subject = speakers.reporter(verb) if verb is not None else None
    if subject is None or holder is None:
        return []
    found = []
    named = next((c for c in subject.children if c.dep_ == "appos"), None) if subject.pos_ == "NOUN" else None
    for other in [*subject.conjuncts, *(named.conjuncts if named is not None else ())]:
        actor = actor_of(other, at, lex.people)
        party = _party(ctx, actor.key, lex) if actor is not None else (None, None)
        if party[0] is not None and party[0] != holder and party not in found:
            found.append(party)
    return found


def _reporter_for(cue, holder: str, at, ctx: Context, lex: _Lexicon, speakers: _Speakers) -> str | None:
    """The person who voices the holder's stance ("Araghchi said Tehran will not accept …")."""
    verb = speakers.speaker_of(cue)
    if verb is None:
        return None
    subject = speakers.reporter(verb)
    actor = actor_of(subject, at, lex.people) if subject is not None else None
    if actor is not None and ctx.kind(actor.key) == "Person" and ctx.party_of(actor.key) == holder:
        return actor.key
    return None


_TYPES = {"Demand": "demand", "RedLine": "red-line", "Objective": "objective", "Precondition": "precondition"}


def _obliging_head(verb):
    """The word that makes the verb an obligation: its modal ("must stop", "should end", "ought
    to"; the verb itself is returned) or the verb it completes ("has to remove", "needs to
    withdraw"), or the copula ("must be among the guarantors"); None for any other verb, the
    perfect "has launched" among them."""
    if verb.pos_ == "AUX" and lemma(verb) == "be" and verb.dep_ not in {"aux", "auxpass"}:
        return verb if any(c.dep_ == "aux" and c.lower_ in _OBLIGATION for c in verb.children) else None
    if verb.pos_ != "VERB":
        return None
    if any(c.dep_ == "aux" and c.lower_ in _OBLIGATION for c in verb.children):
        return verb
    if verb.dep_ == "xcomp" and lemma(verb.head) in _OBLIGING_HEADS and verb.head.pos_ in {"VERB", "AUX"} and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return verb.head
    return None


def _inclusion(verb, passive: bool, lex: _Lexicon) -> bool:
    """The obligation asks for a party's place in the process: a passive verb of inclusion ("must
    be involved", "must be consulted") or a copula whose complement is one ("must be part of",
    "must be among the guarantors", "must be at the table", "must be able to verify")."""
    if passive:
        return lemma(verb) in lex.inclusion
    if lemma(verb) != "be":
        return False
    return any(lemma(c) in lex.inclusion or c.lower_ in lex.inclusion
               for c in verb.children if c.dep_ in {"acomp", "attr", "prep", "oprd"})


def _obligations(chunk, ctx, lex, settings, at, speakers, sent, cues: set[int]) -> None:
    """ "Iran must stop enrichment …, Witkoff said": the speaker's side demands it of Iran.
    ``cues``: the token indices of the sentence's stance cues, which state their own stance."""
    for t in sent:
        head = _obliging_head(t)
        if head is None:
            continue
        # "Iran should not enrich its own uranium, the US said": Iran is asked to refrain from
        # the act; "we must not give up enrichment": the speaker's side will not concede it
        denied = negated(t) or negated(head)
        if lemma(t) in lex.verbs or conditional(t, lex.conditionals) or denied and (
                t.pos_ != "VERB" or lemma(t) in lex.not_own | lex.knowing):
            continue
        if lemma(t) in lex.knowing and any(c.dep_ == "ccomp" for c in t.children):
            continue  # "Russia must feel that refusing a ceasefire has a price": a lesson, not an act asked for
        if any(a.i in cues for a in clause_chain(head)[1:3]):
            # "He insisted that the facilities must be dismantled": the stance verb says it (but
            # "insists the assets must be returned", without "that", is no cue: a reporting verb)
            continue
        verb = speakers.speaker_of(t)
        if verb is not None and _under_other_voice(verb, lex):
            continue
        if verb is not None:
            holder, speaker, penalty = _resolve(speakers.reporter(verb), at, ctx, lex, speakers)
        elif (document := _under_document(head, at, ctx, lex)) is not None:
            # "Under the document, Ukraine would have to withdraw …": what the document holds
            holder, speaker, penalty = (*_party(ctx, document, lex), 0.1)
        else:  # "Takht-Ravanchi: The United States must compensate Iran …"
            holder, speaker, penalty = speakers.own_voice(at)
        subject, passive = subject_of(t)
        if subject is None and passive:  # "Hamas must be disarmed, he said"
            subject = next(c for c in t.children if c.dep_ == "nsubjpass")
        target = actor_of(subject, at, lex.people) if subject is not None else None
        # "the agency must be involved": the one agency named just before
        target = target.key if target is not None else _antecedent(subject, at, ctx, lex) if subject is not None else None
        if holder is None:
            continue
        if denied:
            _refrain(chunk, ctx, lex, settings, at, sent, t, verb, subject, passive, target,
                     (holder, speaker, penalty))
            continue
        inclusion = _inclusion(t, passive, lex)
        if inclusion and target is not None:
            # "Moscow must be among the guarantor states", "the IAEA must be involved": a party's
            # place in the process, asked of nobody named
            addressee = None
        elif target is None and subject is not None and lemma(subject) in lex.containers:
            addressee = None  # "any settlement must remove the root causes of the conflict, he said": asked of no one
        elif target is None and subject is not None and subject.lower_ in _PRONOUNS_SPEAKER and lemma(t) in lex.obtaining:
            addressee = None  # "we must have access to all the affected sites": what the speaker's side asks to get
        elif target is None and passive and subject is not None and subject.pos_ == "NOUN":
            addressee = None  # "sanctions must be lifted, Araghchi said": asked of nobody named
        elif target is None and subject is not None and subject.pos_ == "NOUN" and _comes_first(t, lex):
            # "A ceasefire has to come before any conversation about lines on a map, he said": the
            # speaker's side makes the ceasefire a precondition
            issues = _issues(list(subject.subtree), at, chunk, ctx, lex, settings, t)
            _propose(chunk, ctx, settings, sent, "Precondition", holder, None, speaker, penalty, issues)
            continue
        elif target is None:
            continue
        else:
            addressee = ctx.party_of(target) if ctx.kind(target) == "Person" else target
            if addressee is None or addressee == holder:
                continue
        # the reporting verb itself when the parser hung it below the act (_inverted_reporting)
        skip = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"} or verb is not None and c.i == verb.i]
        region = _region(t, lex, skip)
        if inclusion and lemma(t) == "be":  # "must be among the guarantor states": the place asked for
            region = sorted((x for c in t.children if c.dep_ in {"acomp", "attr", "prep", "oprd"} for x in c.subtree),
                            key=lambda x: x.i)
        purposes = [c for c in [*t.children, *(verb.children if verb is not None else ())] if _purpose(c) and c.i < t.i]
        condition = _condition_clause(t, lex)
        # "Europe must provide guarantees before Iran commits …": the act asked comes first
        first = condition is not None and _before(condition)
        kind = "Precondition" if _precondition(t, region, lex) or purposes or first else "Demand"
        issues = _issues(region, at, chunk, ctx, lex, settings, t) if region else []
        if not issues and passive and subject is not None and target is None:
            # "the anti-Russian sanctions must be lifted, Putin said": the item is what is acted on
            issues = [(m.key, 0.0) for x in subject.subtree for m in at.get(x.i, []) if m.category == "issue"][:1]
        if not issues and passive:  # the act done to the addressee is the issue: "the assets must be returned in full"
            issues = _act_without_object(t, chunk, ctx, lex, settings) or _issue_of_act([t], chunk, ctx, lex, settings)
        elif not issues and not region:  # the act alone: "Hamas must disarm"
            issues = [(m.key, 0.0) for m in at.get(t.i, []) if m.category == "issue"][:1] or _act_without_object(
                t, chunk, ctx, lex, settings)
        elif not issues:  # "must withdraw to the positions they held", "must decommission its weapons": the act
            issues = _issue_of_act([t], chunk, ctx, lex, settings)
        issues += _later_acts(t, issues, at, chunk, ctx, lex, settings)
        _propose(chunk, ctx, settings, sent, kind, holder, addressee, speaker, penalty, issues)


def _later_acts(verb, issues, at, chunk: Chunk, ctx: Context, lex: _Lexicon, settings) -> list[tuple[str, float]]:
    """The issues of the acts conjoined after the verb asked for, not yet in ``issues``: "must
    halt its mobilization, stop receiving weapons and withdraw …" asks each act."""
    found = []
    # "abandon its plans to join NATO and recognize Crimea": the parser may join the act to an
    # infinitive within the verb's clause
    heads = [verb, *(t for t in verb.subtree if t.pos_ == "VERB" and t.dep_ in {"xcomp", "acl"}
                     and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children))]
    for act in dict.fromkeys(a for h in heads for a in h.conjuncts):
        if act.i > verb.i and act.pos_ == "VERB" and not any(s.dep_ in {"nsubj", "nsubjpass"} for s in act.children):
            named = _issues(_region(act, lex), at, chunk, ctx, lex, settings, act) or _issue_of_act(
                [act], chunk, ctx, lex, settings)
            found += [i for i in named if i not in issues and i not in found]
    return found


def _refrain(chunk, ctx, lex, settings, at, sent, t, verb, subject, passive, target, voice) -> None:
    """A negated obligation: of another party ("Iran should not enrich uranium, the US said") a
    demand that it refrain from the act; of the speaker's own side and a conceding act ("we
    must never give up enrichment") a red line. A passive one ("must not be delayed") asks
    nothing of anybody named."""
    holder, speaker, penalty = voice
    if passive or subject is None:
        return
    own = subject.lower_ in _PRONOUNS_SPEAKER or target == holder
    if own:
        particles = lex.particles.get(lemma(t))
        if lemma(t) not in lex.concessions or particles and not any(
                c.dep_ == "prt" and c.lower_ in particles for c in t.children):
            return
        kind, addressee = "RedLine", None
    else:
        addressee = ctx.party_of(target) if target is not None and ctx.kind(target) == "Person" else target
        if addressee is None or addressee == holder:
            return
        kind = "Demand"
    region = _region(t, lex, [c for c in t.children if c.dep_ == "nsubj" or verb is not None and c.i == verb.i])
    issues = (_issues(region, at, chunk, ctx, lex, settings, t) if region else []) or _issue_of_act(
        [t], chunk, ctx, lex, settings)
    _propose(chunk, ctx, settings, sent, kind, holder, addressee, speaker, penalty, issues, "stances.refrain")


#: Modals that with a negation deny another party a thing: "Iran can never have a nuclear weapon".
_DENYING = {"can", "could", "must", "will", "shall", "ca", "wo"}


def _prohibitions(chunk, ctx, lex, settings, at, speakers, sent, cues: set[int]) -> None:
    """ "Iran can never have a nuclear weapon, Trump said": the speaker's side will not accept
    that the party named gets it, a red line addressed to that party. Only a verb of getting or
    making (``obtaining_verbs``, ``making_verbs``) with a denying modal, in words a speaker of
    another side says."""
    for t in sent:
        if t.pos_ != "VERB" or t.i in cues or lemma(t) not in lex.obtaining | lex.making or not negated(t):
            continue
        if not any(c.dep_ == "aux" and c.lower_ in _DENYING for c in t.children) or conditional(t, lex.conditionals):
            continue
        verb = speakers.speaker_of(t)
        if verb is None or _under_other_voice(verb, lex):
            continue
        subject, passive = subject_of(t)
        target = actor_of(subject, at, lex.people) if subject is not None and not passive else None
        if target is None:
            continue
        holder, speaker, penalty = _resolve(speakers.reporter(verb), at, ctx, lex, speakers)
        addressee = ctx.party_of(target.key) if ctx.kind(target.key) == "Person" else target.key
        if holder is None or addressee is None or addressee == holder:
            continue
        region = _region(t, lex, [c for c in t.children if c.dep_ == "nsubj" or c.i == verb.i])
        issues = _issues(region, at, chunk, ctx, lex, settings, t) if region else []
        _propose(chunk, ctx, settings, sent, "RedLine", holder, addressee, speaker, penalty, issues,
                 "stances.prohibition")


def _exchanges(chunk, ctx, lex, settings, at, speakers, sent) -> None:
    """ "Hamas is willing to release all hostages in exchange for an end to the war", "Tehran is
    prepared to accept limits on enrichment in return for sanctions relief": what a party offers
    something for is what it asks. Only a plain offer: not negated, hedged, conditional or dated
    years back, and made by a party named as its subject (or the subject of the clause above it)."""
    for t in sent:
        if t.lower_ not in {"exchange", "return"} or t.dep_ != "pobj" or t.head.lower_ != "in":
            continue
        verb = t.head.head
        price = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "for"), None) or next(
            (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "for" and c.i > t.i), None)
        if price is None or verb.pos_ != "VERB" or negated(verb) or conditional(verb, lex.conditionals) or _hedged(
                verb, lex) or _under_other_voice(verb, lex) or _obliging_head(verb) is not None:
            continue  # ("Iran must stop enrichment in exchange for relief, Witkoff said": what Iran is asked)
        if verb.tag_ in {"VBD", "VBN"} and ctx.published is not None and any(
                len(t.text) == 4 and t.text.isdigit() and 1900 < int(t.text) < ctx.published.year for t in sent):
            continue  # "under the 1994 Budapest Memorandum, Ukraine gave up …in return for …": a past bargain
        chain = clause_chain(verb)
        subject = next((s for v in chain[:3] for s in [subject_of(v)[0]] if s is not None), None)
        if subject is None or any(negated(v) or _hedged(v, lex) for v in chain[1:3]):
            continue
        holder, speaker, penalty = _resolve(subject, at, ctx, lex, speakers)
        if holder is None:
            continue
        issues = _issues(list(price.subtree)[1:], at, chunk, ctx, lex, settings, verb)
        _propose(chunk, ctx, settings, sent, "Demand", holder, None, speaker, penalty, issues, "stances.exchange")


def _propose(chunk, ctx, settings, sent, kind, holder, addressee, speaker, penalty, issues,
             rule: str = "stances.obligation") -> None:
    """An obligation's (or a prohibition's) stance on each of its issues, the sentence its
    evidence; the addressee is who must move first in a precondition."""
    span = chunk.sentence_span(sent)
    for issue, issue_penalty in issues:
        fields = {"type": _TYPES[kind], "holder": holder, "issue": issue}
        if addressee is not None:
            fields["first_mover" if kind == "Precondition" else "addressed_to"] = addressee
        if speaker and speaker != holder:
            fields["speaker"] = speaker
        ctx.propose(Candidate("position", fields, [span], rule,
                              round(max(settings["confidence"] - 0.05 - penalty - issue_penalty, 0.1), 2),
                              merge_on=("type", "holder", "issue", "addressed_to", "first_mover")))


def _comes_first(act, lex: _Lexicon) -> bool:
    """ "has to come before any talks", "must come first", "must precede a settlement"."""
    return lemma(act) == "precede" or (lemma(act) in lex.sequence and any(
        c.dep_ in {"prep", "advmod", "mark"} and c.lower_ in {"before", "first"} for c in act.children))


def _reopening(cue, chunk: Chunk, ctx: Context, settings) -> list[tuple[str, float]]:
    """The issue of a red line on an agreement itself: its renegotiation."""
    key = concept_for(ctx, chunk, ("renegotiation",), cue.i, cue.i + 1, settings["minted_issue_confidence"]) or mint(
        ctx, chunk, "issue", "Renegotiation", "Issue", cue.i, cue.i + 1, "stances.minted-issue",
        settings["minted_issue_confidence"])
    if not key:
        return []
    _issue_mention(chunk, ctx, key, cue.i, cue.i + 1, "stances.act")
    return [(key, settings["minted_issue_penalty"])]


def _remember_subject(sent, at, ctx: Context, lex: _Lexicon) -> None:
    """The last party that was a sentence's subject: what a later "it" or "they" refers to; and
    the actors the sentence named, for a later "the group" (:func:`_antecedent`)."""
    named = [m.key for i in range(sent.start, sent.end) for m in at.get(i, []) if m.category == "actor"
             and m.token_start == i]
    ctx.cache.setdefault("recent-actors", []).append(named)
    root = sent.root
    subject, _ = subject_of(_inverted_reporting(root, lex) or root)
    if subject is None:
        return
    actor = actor_of(subject, at, lex.people)
    if actor is not None:
        holder, speaker = _party(ctx, actor.key, lex)
        if holder is not None:
            ctx.cache["last-subject"] = (holder, speaker)
        if holder is not None and ctx.kind(actor.key) == "Person":
            ctx.cache["last-person"] = (holder, speaker)  # what a later "he" or "she" refers to
