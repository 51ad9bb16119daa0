"""Reading the dependency parse: subjects, negation, conditions, the actor a phrase names.

Shared by the parse-based components (stances, events); each takes the lexicon it consults.
"""

from __future__ import annotations

from functools import lru_cache

from ..model import Chunk, Mention


def lemma(token) -> str:
    """The token's lemma in lower case, "n't" read as "not", with the lemmatizer's known misreadings
    of a word as written corrected (``lemma_corrections`` in language.yaml: "hoped" is not "hop")."""
    value = token.lemma_.lower()
    if value == "n't":
        return "not"
    return _corrections().get(token.lower_, value)


@lru_cache(maxsize=1)
def _corrections() -> dict[str, str]:
    from ..lexicon import load_lexicon

    return {str(k): str(v) for k, v in load_lexicon("language")["lemma_corrections"].items()}


@lru_cache(maxsize=1)
def anaphors() -> dict[str, frozenset[str]]:
    """The nouns that refer back to an actor ("the group") and the kinds of actor each can stand
    for (``anaphors`` in language.yaml)."""
    from ..lexicon import load_lexicon

    return {str(k): frozenset(v) for k, v in load_lexicon("language")["anaphors"].items()}


def negated(token) -> bool:
    """A ``neg`` child of the token or of its auxiliaries ("did not", "will never")."""
    return any(c.dep_ == "neg" or c.lower_ in {"never", "no"} and c.dep_ in {"neg", "advmod", "det"}
               for c in token.children)


def clause_chain(token):
    """The token and the heads above it, up to the sentence root."""
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def conditional(token, conditionals: frozenset[str]) -> bool:
    """The token stands in a clause that one of ``conditionals`` ("if", "unless") introduces."""
    for t in clause_chain(token):
        if any(c.dep_ == "mark" and c.lower_ in conditionals for c in t.children):
            return True
        if t.dep_ in {"advcl", "csubj"} and t.i != token.i and any(c.lower_ in conditionals for c in t.children):
            return True
    return False


def subject_of(token):
    """The subject of the token's clause, inherited through xcomp, conj and auxiliaries."""
    current = token
    for _ in range(5):
        for c in current.children:
            if c.dep_ in {"nsubj", "csubj"}:
                return _after_dateline(c), False
            if c.dep_ == "nsubjpass":
                agent = next((a for a in current.children if a.dep_ == "agent"), None)
                if agent is not None:
                    pobj = next((p for p in agent.children if p.dep_ == "pobj"), None)
                    if pobj is not None:
                        return pobj, True
                return None, True
        if current.pos_ == "VERB":
            # "Hamas rejects disarmament.": the small model makes the name a compound of the verb,
            # a parse no verb can have; the name before it is the subject
            named = next((c for c in current.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
            if named is not None:
                return named, False
        if current.dep_ in {"xcomp", "conj", "acl", "advcl", "pcomp", "acomp"} and current.head.i != current.i:
            current = current.head
            continue
        break
    return None, False


def _after_dateline(subject):
    """ "ISTANBUL, June 2 (Agency) - Russia demanded …": the parser makes the dateline's city a
    subject; the real one is the verb's other subject or, where the parser hung it there, the
    city's apposition after the dash (not the agency in brackets before it)."""
    if subject.i != subject.sent.start or not subject.is_upper or len(subject.text) < 3:
        return subject
    other = next((c for c in subject.head.children if c.dep_ in {"nsubj", "csubj"} and c.i > subject.i), None)
    if other is not None:
        return other
    dash = next((c.i for c in subject.children if c.text in _DASHES), None)
    if dash is None:
        return subject
    return next((c for c in subject.children if c.dep_ == "appos" and c.i > dash), subject)


_DASHES = {"-", "–", "—", "--"}


def mentions_at(chunk: Chunk) -> dict[int, list[Mention]]:
    """The chunk's mentions by the token indices they cover."""
    at: dict[int, list[Mention]] = {}
    for m in chunk.mentions:
        for i in range(m.token_start, m.token_end):
            at.setdefault(i, []).append(m)
    return at


def actor_of(token, at: dict[int, list[Mention]], people: frozenset[str]) -> Mention | None:
    """The actor a subject token names: the mention it heads, its possessor ("Iran's
    delegation"), or a demonym or name before one of ``people`` ("Iranian officials")."""
    own = [m for m in at.get(token.i, []) if m.category == "actor"]
    if own:
        return own[0]
    for c in token.children:
        if c.dep_ == "poss" or (c.dep_ in {"compound", "amod", "nmod"} and token.lemma_.lower() in people):
            found = [m for m in at.get(c.i, []) if m.category == "actor"]
            if found:
                return found[0]
    if token.lemma_.lower() in people:
        for c in token.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    found = [m for m in at.get(pobj.i, []) if m.category == "actor"]
                    if found:
                        return found[0]
    if token.pos_ == "NOUN":  # "Gulf states, notably Qatar and Saudi Arabia, have pressed for …"
        for c in token.children:
            found = [m for m in at.get(c.i, []) if m.category == "actor"] if c.dep_ == "appos" else []
            if found:
                return found[0]
    return None


#: Third-person pronouns, with what they can stand for: "it"/"its" a state or a body, never a
#: person; "he"/"she" a person; "they" anything ("the Israeli military said it had struck …";
#: "Putin declared them void when he recognised …").
PRONOUNS_THIRD = {"he": "person", "she": "person", "him": "person", "his": "person", "her": "person",
                  "it": "body", "its": "body", "they": None, "them": None, "their": None}


def pronoun_antecedent(token, at: dict[int, list[Mention]], people: frozenset[str], kind) -> Mention | None:
    """The actor a third-person pronoun stands for in its own sentence: the subject of the
    clause above it ("Russia broke those assurances when it seized Crimea": Russia), read from
    the parse; a possessive looks above the noun it modifies ("The Israeli military said its
    aircraft had struck …": the military). ``kind`` gives an actor key's type, which must agree
    with the pronoun's; None when no subject above agrees."""
    wanted = PRONOUNS_THIRD.get(token.lower_, "none")
    if wanted == "none":
        return None
    for above in clause_chain(token.head)[1:]:
        subject = next((c for c in above.children if c.dep_ == "nsubj" and c.i != token.i), None)
        actor = actor_of(subject, at, people) if subject is not None else None
        if actor is None:
            continue
        if wanted is None or (kind(actor.key) == "Person") == (wanted == "person"):
            return actor
    return None

