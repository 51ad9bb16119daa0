"""Agenda items and kinds of leverage named by the generic lexicons (by lemma).

``lexicon/issues.yaml`` and ``lexicon/leverage.yaml`` list what negotiations bargain over and
with, and the phrases that name each. An entry that shares a name with the project's own
reference data is that reference concept; any other is minted as a new issue (or leverage
kind) with its broader concept, and proposed for review. Reference mentions found by the
gazetteer win where both match.
"""

from __future__ import annotations

from ...errors import InputError
from ..lexicon import LEXICON_DIR, load_lexicon, words
from ..model import Chunk, Context, Mention
from ..registry import component
from .entities import mint, normal, slug

_FILES = (("issues", "issue", "Issue"), ("leverage", "leverage-kind", "LeverageKind"))


def _matcher(ctx: Context):
    """One lemma matcher over both lexicons; labels are ``category|key``."""
    if "agenda" in ctx.index.setup:
        return ctx.index.setup["agenda"]
    from spacy.matcher import PhraseMatcher

    nlp = ctx.nlp
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    concepts: dict[tuple[str, str], tuple[str, str, str | None]] = {}  # -> (label, class, broader key)
    lemmas: dict[str, tuple[str, str]] = {}  # "withdraw troop" -> (category, key)
    for name, category, cls in _FILES:
        reference = {normal(n): key for key, names in ctx.index.names.get(category, {}).items() for n in names}
        entries = load_lexicon(name) or []
        keys: dict[str, str] = {}
        for entry in entries:
            names = [entry["label"], *(entry.get("cues") or [])]
            keys[entry["label"]] = next((reference[normal(n)] for n in names if normal(n) in reference),
                                        slug(entry["label"]))
        for entry in entries:
            key = keys[entry["label"]]
            if entry.get("broader") and category != "issue":  # the graph gives only issues a broader concept
                raise InputError(f"{LEXICON_DIR / (name + '.yaml')}: {entry['label']!r}: only an issue has a broader concept")
            broader = keys.get(entry.get("broader") or "")
            if key not in ctx.index.names.get(category, {}):
                concepts[(category, key)] = (entry["label"], cls, broader)
            cues = sorted({c.lower() for c in [entry["label"], *(entry.get("cues") or [])]})
            docs = [_any_possessive(variant) for cue in nlp.pipe(cues) for variant in _as_written(cue)]
            matcher.add(f"{category}|{key}", docs)
            for cue in docs:
                content = [t.lemma_.lower() for t in cue if not t.is_stop and t.is_alpha]
                if len(content) in (1, 2):  # "withdraw troops": found again as a verb and its object
                    lemmas.setdefault(" ".join(content), (category, key))
    ctx.index.setup["agenda"] = (matcher, concepts, lemmas)
    return ctx.index.setup["agenda"]


def _as_written(cue):
    """The cue as the tagger read it, and, where it lemmatized the first word or a word in -ing
    otherwise, also with those words as written: out of context "lay down their weapons" is read
    "lie down …" and the noun of "pause in fighting" a verb ("fight"), so that a text's "lay down
    its weapons" and "a pause in fighting" would never match."""
    as_written = [t.i for t in cue if t.is_alpha and t.lemma_.lower() != t.lower_
                  and (t.i == 0 or t.lower_.endswith("ing"))]
    if not as_written:
        return [cue]
    from spacy.tokens import Doc

    variant = Doc(cue.vocab, words=[t.text for t in cue], spaces=[bool(t.whitespace_) for t in cue])
    for mine, theirs in zip(variant, cue):
        mine.lemma_ = theirs.lower_ if theirs.i in as_written else theirs.lemma_
    return [cue, variant]


def concept_for(ctx: Context, chunk: Chunk, lemmas: tuple[str, ...], start: int, end: int,
                confidence: float) -> str | None:
    """The issue a verb and its object name ("withdraw its troops" → "Withdrawal of troops"), or
    one word ("enrichment"), linked or minted as :func:`agenda` would; None when no cue says so."""
    _, concepts, index = _matcher(ctx)
    found = index.get(" ".join(lemmas))
    if found is None or found[0] != "issue":
        return None
    return _concept(ctx, chunk, concepts, *found, start, end, confidence)


def _concept(ctx: Context, chunk: Chunk, concepts, category: str, key: str, start: int, end: int,
             confidence: float) -> str:
    """The key of a lexicon concept: the reference one, or minted with its broader concept."""
    if (category, key) not in concepts:
        return key
    label, cls, broader = concepts[(category, key)]
    key = mint(ctx, chunk, category, label, cls, start, end, f"lexicon.{category}", confidence)
    # a broader concept only where it is known: the reference data, or named in this document
    if broader and (category, key) in ctx.entities and ctx.known(category, broader):
        ctx.entities[(category, key)].broader = broader
    return key


def _alias_seen(ctx: Context, chunk: Chunk, category: str, key: str, start: int, end: int) -> None:
    """A minted concept gains the words the text named it with ("disarmament" for "Disarmament of
    armed groups"): the altLabel of an alias seen in text (DESIGN.md, "Names")."""
    entity = ctx.entities.get((category, key))
    span = chunk.doc[start:end]
    while len(span) > 1 and span[0].pos_ in {"DET", "PRON"}:  # "the enrichment", "its missiles"
        span = span[1:]
    if entity is not None and normal(span.text) != normal(entity.label):
        entity.aliases.add(span.text if span[0].pos_ == "PROPN" else span.text.lower())


def _lowered(doc):
    """The doc with lower-case lemmas: the cues are lower case, and the lemmatizer keeps a proper
    noun's case ("join NATO" has the lemmas "join NATO", the cue "join nato")."""
    from spacy.tokens import Doc

    lowered = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    for mine, theirs in zip(lowered, doc):
        mine.lemma_ = theirs.lemma_.lower()
    return _any_possessive(lowered, tags=doc)


#: Possessive determiners, one lemma for all in cues and texts: the cue "hand over their weapons"
#: also names "Hamas must hand over its weapons".
_POSSESSIVES = frozenset({"its", "their", "his", "her", "our", "my", "your"})
_POSSESSIVE = "their"


def _any_possessive(doc, tags=None):
    """The doc with every possessive determiner lemmatized as "their" (``tags``: the parsed doc
    whose tags tell "her" as a possessive from "her" as an object; a cue is its own)."""
    tagged = tags if tags is not None else doc
    for mine, theirs in zip(doc, tagged):
        if mine.lower_ in _POSSESSIVES and (mine.lower_ != "her" or theirs.tag_ == "PRP$"):
            mine.lemma_ = _POSSESSIVE
    return doc


@component("agenda", requires=("doc", "mentions"), provides=("issues",), defaults={"confidence": 0.6})
def agenda(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Issues and leverage kinds the lexicons name, linked to the reference data or minted."""
    matcher, concepts, lemmas = _matcher(ctx)
    doc = chunk.doc
    strings = doc.vocab.strings
    added = []
    lowered = _lowered(doc)
    for match_id, start, end in sorted(matcher(lowered), key=lambda m: (-(m[2] - m[1]), m[1])):
        category, key = strings[match_id].split("|", 1)
        if any(m.category == category and m.token_start < end and start < m.token_end for m in chunk.mentions):
            continue
        key = _concept(ctx, chunk, concepts, category, key, start, end, settings["confidence"])
        _alias_seen(ctx, chunk, category, key, start, end)
        s, e = chunk.char_span(start, end)
        mention = Mention(s, e, category, key, f"lexicon.{category}", start, end)
        chunk.mentions.append(mention)
        added.append(mention)
    # "a complete withdrawal of Israeli troops" names what "withdrawal of troops" does: the
    # lexicon's phrases again with a party's and a degree word's modifiers left out
    compact, positions = _without_modifiers(doc, lowered, chunk)
    for match_id, start, end in (sorted(matcher(compact), key=lambda m: (-(m[2] - m[1]), m[1]))
                                 if compact is not None else ()):
        category, key = strings[match_id].split("|", 1)
        start, end = positions[start], positions[end - 1] + 1
        if any(m.category == category and m.token_start < end and start < m.token_end for m in chunk.mentions):
            continue
        key = _concept(ctx, chunk, concepts, category, key, start, end, settings["confidence"])
        s, e = chunk.char_span(start, end)
        mention = Mention(s, e, category, key, f"lexicon.{category}-modified", start, end)
        chunk.mentions.append(mention)
        added.append(mention)
    for noun, adjective in _predicative(doc):
        found = lemmas.get(f"{adjective.lemma_.lower()} {noun.lemma_.lower()}")
        start, end = min(noun.i, adjective.i), max(noun.i, adjective.i) + 1
        if found is None or any(m.category == found[0] and m.token_start < end and start < m.token_end
                                for m in chunk.mentions):
            continue
        key = _concept(ctx, chunk, concepts, *found, start, end, settings["confidence"])
        s, e = chunk.char_span(start, end)
        mention = Mention(s, e, found[0], key, f"lexicon.{found[0]}-predicative", start, end)
        chunk.mentions.append(mention)
        added.append(mention)
    chunk.mentions.sort(key=lambda m: (m.start, m.category, m.key))
    ctx.mentions.extend(Mention(m.start, m.end, m.category, m.key, m.rule) for m in added
                        if not ctx.in_furniture(m.start, m.end))


def _without_modifiers(doc, lowered, chunk: Chunk):
    """The lowered doc without the words that modify a noun by its party ("Israeli troops",
    "Russia's forces", "its land") or by degree ("a complete withdrawal", ``degree_adjectives``),
    and the position in ``doc`` of each token kept; (None, None) when no word is left out."""
    if not doc.has_annotation("DEP"):
        return None, None
    degree = words("language", "degree_adjectives")
    party = {i for m in chunk.mentions if m.category == "actor" for i in range(m.token_start, m.token_end)}
    dropped = set()
    for t in doc:
        if t.dep_ in {"amod", "compound", "poss", "nmod"} and t.head.pos_ == "NOUN" and t.i < t.head.i and (
                t.i in party or t.lower_ in degree and t.dep_ == "amod" or t.tag_ == "PRP$"):
            dropped |= {t.i, *(c.i for c in t.children if c.dep_ == "case")}
    if not dropped:
        return None, None
    from spacy.tokens import Doc

    kept = [t for t in lowered if t.i not in dropped]
    compact = Doc(doc.vocab, words=[t.text for t in kept], spaces=[True] * len(kept))
    for mine, theirs in zip(compact, kept):
        mine.lemma_ = theirs.lemma_
    return compact, [t.i for t in kept]


#: Verbs that link a subject to what is said of it: "the talks remain indirect".
_COPULAS = frozenset({"be", "remain", "stay", "become", "keep"})


def _predicative(doc):
    """(noun, adjective) pairs where the adjective is said of the noun through a copula: "the
    talks remain indirect" names what "indirect talks" does, which the phrase lexicon alone
    cannot see (the words are apart and in the other order)."""
    if not doc.has_annotation("DEP"):
        return []
    pairs = []
    for adjective in doc:
        verb = adjective.head
        if adjective.dep_ != "acomp" or adjective.pos_ != "ADJ" or verb.lemma_.lower() not in _COPULAS:
            continue
        noun = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ == "NOUN"), None)
        if noun is not None:
            pairs.append((noun, adjective))
    return pairs
