"""Every named actor and place of a document as a mention, linked to an entity or minted.

Runs after the reference gazetteer, whose mentions win. In order:

1. the world lexicon (``lexicon/world.yaml``): states by name, alias, demonym, capital and
   seat of government ("the Kremlin"), international organisations, armed groups. An entry
   sharing a name with a reference entity is that entity; otherwise it is minted under the
   slug of its name. A capital after "in", "at", "to" … is the city (a place), elsewhere the
   government ("Moscow rejected …");
2. named entities of the statistical recognizer not covered yet: PERSON, ORG, GPE, NORP,
   FAC, LOC. A surname alone after the full name is the same person; "Name (ACRONYM)" gives
   the organisation its acronym; a PERSON span that starts with a title loses the title;
3. titles and appositions around a person ("U.S. special envoy Steve Witkoff", "Rustem
   Umerov, Ukraine's defence minister,") give a role and an affiliation: a proposed
   ``affiliation`` fact, and the party the person speaks for.

Minted entities are typed from the recognizer's label and cues (an organisation whose name
says militia or brigade is an armed group) and proposed for review; the same name makes the
same key in every document.
"""

from __future__ import annotations

import re
import unicodedata

from ..lexicon import load_lexicon, words
from ..model import Candidate, Chunk, Context, Entity, Mention
from ..registry import component

_CITY_NOUNS = {"capital", "city", "town", "port"}  # "the city of Rome"
_PLACE_PREPOSITIONS = {"in", "at", "to", "from", "near", "outside", "around", "via", "into", "across", "inside"}
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.\-]*$|^(?:al|bin|ibn|de|van|von|der|la|el|da|di)$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,9}$")
_POSSESSIVE = {"'s", "’s", "'", "’"}


def slug(text: str, limit: int = 60) -> str:
    """The key minted for a name: ASCII lower case words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return key[:limit].rsplit("-", 1)[0] if len(key) > limit else key


def normal(name: str) -> str:
    """A name folded for linking: case, a leading "the", a possessive, spacing."""
    name = unicodedata.normalize("NFKC", name).replace("’", "'").strip(" .,;:\"'")
    name = re.sub(r"'s?$", "", name)
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    return " ".join(name.casefold().split())


class _World:
    """The world lexicon indexed for one run: names -> (category, key, class, rule), with
    reference entities taking the place of the lexicon entries that share a name with them."""

    def __init__(self, ctx: Context):
        data = load_lexicon("world")
        self.names: dict[str, tuple[str, str, str, str]] = {}
        self.capitals: dict[str, tuple[str, str]] = {}  # name -> (state key, capital label)
        self.seats: dict[str, str] = {}  # normal(capital or metonym) -> capital label
        self.minted: dict[str, tuple[str, str, str | None]] = {}  # key -> (label, class, member_of)
        reference = {normal(n): key for key, names in ctx.index.names["actor"].items() for n in names}
        reference.update({normal(d): key for d, key in ctx.index.demonyms.items()})
        states: dict[str, str] = {}
        for group, cls in (("states", "State"), ("organizations", "Organization"), ("armed_groups", "ArmedGroup")):
            for entry in data.get(group) or []:
                names = [entry["name"], *(entry.get("aliases") or []), *(entry.get("metonyms") or [])]
                key = next((reference[normal(n)] for n in names if normal(n) in reference), None)
                if key is None:
                    key = slug(entry["name"])
                    self.minted[key] = (entry["name"], cls, entry.get("member_of"))
                if cls == "State":
                    states[entry["name"]] = key
                for name in names:
                    self.names.setdefault(name, ("actor", key, cls, f"lexicon.{group}"))
                for demonym in entry.get("demonyms") or []:
                    self.names.setdefault(demonym, ("actor", key, cls, "lexicon.demonym"))
                for place in [entry.get("capital"), *(entry.get("place_metonyms") or [])]:
                    if place:  # "Moscow rejected …", "Europe's strongest card": the government, the union
                        self.capitals[place] = (key, place)
                if cls == "State" and entry.get("capital"):
                    # where "the White House", "the Kremlin" or "Washington" is: the capital city
                    for name in [entry["capital"], *(entry.get("metonyms") or [])]:
                        self.seats[normal(name)] = entry["capital"]
        for key, (label, cls, member_of) in list(self.minted.items()):
            if member_of:
                self.minted[key] = (label, cls, states.get(member_of))
        # people of world politics, and the side each speaks for
        parties = {entry_name: self.names[entry_name][1] for entry_name in self.names
                   if self.names[entry_name][3] in {"lexicon.states", "lexicon.organizations", "lexicon.armed_groups"}}
        self.affiliations: dict[str, str] = {}
        self.surnames: dict[str, str | None] = {}  # a surname alone names its person if unique
        self.spellings: dict[str, str | None] = {}  # the same, by spelling(): "Zelenskyi", "Umierov"
        for entry in data.get("persons") or []:
            names = [entry["name"], *(entry.get("aliases") or [])]
            key = next((reference[normal(n)] for n in names if normal(n) in reference), None)
            if key is None:
                key = slug(entry["name"])
                self.minted[key] = (entry["name"], "Person", None)
            for name in names:
                self.names.setdefault(name, ("actor", key, "Person", "lexicon.persons"))
                # "Araqchi" alone: the surname of an alias ("Abbas Araqchi") names the person too
                _unique(self.surnames, name.split()[-1], key)
                _unique(self.spellings, spelling(name.split()[-1]), key)
                _unique(self.spellings, spelling(name), key)
            if entry.get("affiliation") in parties:
                self.affiliations[key] = parties[entry["affiliation"]]
        # places the recognizer often calls persons or organisations ("Zaporizhzhia", "Crimea")
        self.places: dict[str, str] = {}  # name -> label
        self.regions: set[str] = set()  # normal(name) of the territories fought over
        for entry in data.get("places") or []:
            for name in [entry["name"], *(entry.get("aliases") or [])]:
                if name not in self.names and name not in self.capitals:
                    self.places[name] = entry["name"]
                if entry.get("region"):
                    self.regions.add(normal(name))

    def matcher(self, nlp):
        from spacy.matcher import PhraseMatcher

        exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for name in sorted(set(self.names) | set(self.capitals) | set(self.places)):
            exact.add(name, [nlp.make_doc(name)])
            if name.startswith("the "):
                exact.add(name, [nlp.make_doc("The " + name[4:])])
        return exact


def _unique(index: dict[str, str | None], name: str, key: str) -> None:
    """Index ``name`` to ``key``; a name two entities share indexes None (it names neither)."""
    index[name] = key if index.get(name, key) == key else None


#: Spellings that transliterations of one name alternate between (Persian ق and غ: "Araqchi",
#: "Araghchi"; Ukrainian и, ий: "Zelenskyy", "Zelenskiy", "Zelensky"; "Umierov", "Umerov"),
#: folded to one form, in this order, after a double letter is made single.
_SPELLING_FOLDS = ((r"kh", "h"), (r"gh", "g"), (r"q", "g"), (r"ck", "k"), (r"w", "v"), (r"ou", "u"),
                   (r"(?<=[a-z])ie", "e"), (r"(?:iy|yy|yi|ii|ij|y)\b", "i"), (r"j", "y"))

#: A word the tagger calls a noun is read as a surname from this length on (shorter ones such as
#: "Price" or "Rice" are words).
_NOUN_NAME_MIN = 7

#: Words shorter than this are not compared by spelling (too many names fold together).
_SPELLING_MIN = 5


def spelling(name: str) -> str:
    """A name folded over the spellings transliterations alternate between, for linking a
    variant the lexicon does not list to the person it names; "" for a word too short."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"([a-z])\1", r"\1", folded)
    for pattern, replacement in _SPELLING_FOLDS:
        folded = re.sub(pattern, replacement, folded)
    return folded if len(folded.replace(" ", "")) >= _SPELLING_MIN else ""


def seat_of(ctx: Context, name: str) -> str | None:
    """The capital a state's name stands for as a place, when the name is its capital or a seat
    of its government ("Washington", "the White House" → "Washington"); None for the state's
    own name ("Oman")."""
    return _world(ctx)[0].seats.get(normal(name))


def is_region(ctx: Context, name: str) -> bool:
    """The name is a territory fought over (world.yaml, ``region: true``): "the Gaza talks" are
    about it, not held there."""
    return normal(name) in _world(ctx)[0].regions


def _world(ctx: Context) -> tuple[_World, object]:
    if "world" not in ctx.index.setup:
        world = _World(ctx)
        ctx.index.setup["world"] = (world, world.matcher(ctx.nlp))
        for person, party in world.affiliations.items():  # the corpus's own affiliations come first
            ctx.index.affiliations.setdefault(person, party)
    return ctx.index.setup["world"]


def _covered(chunk: Chunk, start: int, end: int, categories=("actor", "place"), exclude=()) -> bool:
    return any(m.token_start < end and start < m.token_end for m in chunk.mentions
               if m.category in categories and m not in exclude)


def _add(chunk: Chunk, ctx: Context, start: int, end: int, category: str, key: str, rule: str) -> Mention:
    s, e = chunk.char_span(start, end)
    mention = Mention(s, e, category, key, rule, start, end)
    chunk.mentions.append(mention)
    return mention


def record_mention(chunk: Chunk, ctx: Context, category: str, key: str, start: int, end: int, rule: str) -> None:
    """Record where a phrase a component read named an entity (the mention layer): a minted
    entity is written only with a mention (ingest's ``mentioned_entities``)."""
    mention = _add(chunk, ctx, start, end, category, key, rule)
    if not ctx.in_furniture(mention.start, mention.end):
        ctx.mentions.append(Mention(mention.start, mention.end, category, key, rule))


def mint(ctx: Context, chunk: Chunk, category: str, label: str, cls: str, start: int, end: int, rule: str,
          confidence: float, member_of: str | None = None) -> str:
    """The key of the entity named ``label``: a known one, or a new one minted from it."""
    names = ctx.cache.setdefault("names", {})
    found = names.get((category, normal(label)))
    if found:
        return found
    key = slug(label)
    if not key:
        return ""
    if key in ctx.index.names.get(category, {}):
        names[(category, normal(label))] = key
        return key
    if (category, key) not in ctx.entities:
        s, e = chunk.char_span(start, end)
        ctx.entities[(category, key)] = Entity(category, key, cls, label, s, e, rule, confidence,
                                               member_of=member_of)
    names[(category, normal(label))] = key
    return key


def _reference_person_by_surname(ctx: Context, surname: str) -> str | None:
    hits = {key for key, names in ctx.index.names["actor"].items() if ctx.index.kinds.get(key) == "Person"
            and any(n.split()[-1] == surname for n in names if len(n.split()) > 1)}
    return next(iter(hits)) if len(hits) == 1 else None


def _strip_title(doc, start: int, end: int, titles: frozenset[str]) -> int:
    while start < end - 1 and doc[start].lower_ in titles:
        start += 1
    return start


def _is_name(span) -> bool:
    return all(_NAME_TOKEN.match(t.text) or t.text in {"-", "'", "’"} for t in span) and span[0].text[:1].isupper()


@component(
    "entities",
    requires=("doc", "mentions"),
    provides=("entities", "facts.affiliation"),
    defaults={"confidence": 0.7, "affiliation_confidence": 0.75, "max_name_tokens": 5},
)
def entities(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Actors and places named in the text: the world lexicon, then the recognizer's entities."""
    doc = chunk.doc
    world, matcher = _world(ctx)
    titles = words("language", "titles")
    before = set(chunk.mentions)
    strings = doc.vocab.strings
    # 1. the world lexicon, longest match first
    matches = sorted(matcher(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
    for match_id, start, end in matches:
        name = strings[match_id]
        if world.names.get(name, ("",) * 4)[2] == "Person" and end - start > 1:
            # "Israel Katz": a person's full name wins over the shorter names inside it
            inside = [m for m in chunk.mentions if start <= m.token_start and m.token_end <= end
                      and (m.token_start, m.token_end) != (start, end)]
            if inside and not _covered(chunk, start, end, exclude=inside):
                for m in inside:
                    chunk.mentions.remove(m)
                    ctx.mentions.remove(Mention(m.start, m.end, m.category, m.key, m.rule))
        if _covered(chunk, start, end):
            continue
        prev = doc[start - 1].lower_ if start > 0 else ""
        if prev == "of" and start > 1 and doc[start - 2].lower_ in _CITY_NOUNS:
            prev = "in"  # "in the Italian capital of Rome": the city
        if name in world.capitals and (name not in world.names or prev in _PLACE_PREPOSITIONS):
            state, label = world.capitals[name]
            if prev in _PLACE_PREPOSITIONS:
                key = mint(ctx, chunk, "place", label, "Place", start, end, "lexicon.capital", settings["confidence"])
                _add(chunk, ctx, start, end, "place", key, "lexicon.capital")
            else:
                _register_world(ctx, chunk, world, state, start, end)
                _add(chunk, ctx, start, end, "actor", state, "lexicon.capital")
            continue
        if name in world.places and name not in world.names:
            key = mint(ctx, chunk, "place", world.places[name], "Place", start, end, "lexicon.places",
                       settings["confidence"])
            if key:
                _add(chunk, ctx, start, end, "place", key, "lexicon.places")
            continue
        category, key, cls, rule = world.names[name]
        _register_world(ctx, chunk, world, key, start, end)
        _add(chunk, ctx, start, end, category, key, rule)
        if cls == "Person" and " " in name:
            ctx.cache.setdefault("surnames", {}).setdefault(name.split()[-1], key)
    # 2. the recognizer's entities
    for ent in doc.ents:
        label = ent.label_
        if label not in {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}:
            continue
        start, end = ent.start, ent.end
        while end > start and doc[end - 1].text in _POSSESSIVE | {".", ",", "-"}:
            end -= 1
        if label == "PERSON":
            start = _strip_title(doc, start, end, titles)
        while start < end and doc[start].lower_ == "the":
            start += 1
        if label == "ORG" and _covered(chunk, start, end):
            _yield_to_organisation(chunk, ctx, start, end)
        if start >= end or end - start > settings["max_name_tokens"] or _covered(chunk, start, end):
            continue
        span = doc[start:end]
        if start == 0 and end < len(doc) and doc[end].text in {",", ":", "-", "—", "–"} and span.text.isupper():
            # a dateline ("ISTANBUL, June 2 (Agency) -", "CAIRO:"): the city the report is filed from
            label = span.text.title()
            key = mint(ctx, chunk, "place", label, "Place", start, end, "ner.dateline", settings["confidence"])
            if key:
                _add(chunk, ctx, start, end, "place", key, "ner.dateline")
            continue
        if not _is_name(span) or any(t.like_num for t in span) or all(t.lower_ in titles for t in span):
            continue  # "Defence", "Foreign Minister": a title is no name
        text = span.text
        if ctx.publisher and normal(text) == normal(ctx.publisher):
            continue  # the outlet that published the article reports; it is no actor of it
        if label == "NORP" and not _person_by_surname(ctx, text):
            continue  # a demonym the lexicon does not know ("Shiite", "Republicans") names no actor
        if label in {"PERSON", "ORG"} and not _person_by_surname(ctx, text) and _site(chunk, start, end, label):
            label = "FAC"  # "sites at Natanz, Fordow and Isfahan": the recognizer's person is a place
        # a known surname the recognizer took for an organisation, a state or a demonym ("Rouhani wrote")
        if label == "PERSON" or (label in {"ORG", "GPE", "NORP"} and _person_by_surname(ctx, text)):
            key = _person(ctx, chunk, text, start, end, settings)
            if key:
                _add(chunk, ctx, start, end, "actor", key, "ner.person")
        elif label == "ORG":
            if normal(text) in words("language", "government_bodies"):
                owner = _owner(chunk, ctx, start)
                if owner:  # "Oman's Foreign Ministry": the state speaks
                    _add(chunk, ctx, start, end, "actor", owner, "ner.government-body")
                continue
            if _ACRONYM.match(text) and _acronym_of(ctx, text):
                key = _acronym_of(ctx, text)
            else:
                cls = "ArmedGroup" if _armed(text) else "Organization"
                key = mint(ctx, chunk, "actor", text, cls, start, end, "ner.org", settings["confidence"])
            if key:
                _add(chunk, ctx, start, end, "actor", key, "ner.org")
                _acronym_after(ctx, doc, end, key)
        else:  # GPE, FAC, LOC not in the lexicon: a city, region, site
            key = mint(ctx, chunk, "place", text, "Place", start, end, f"ner.{label.lower()}", settings["confidence"])
            if key:
                _add(chunk, ctx, start, end, "place", key, f"ner.{label.lower()}")
    # 3. a surname alone that the recognizer missed: after the full name ("Roe met …"), or a
    # proper noun that is the surname of a person of the world lexicon ("Araqchi rejected …")
    surnames = ctx.cache.get("surnames", {})
    for token in doc:
        if not token.is_title or _covered(chunk, token.i, token.i + 1):
            continue
        key = surnames.get(token.text)
        # (the tagger makes some unknown names nouns: "Zelenskyy rebuffed …"; a long one is a name)
        if key is None and (token.pos_ == "PROPN" or token.pos_ == "NOUN" and len(token) >= _NOUN_NAME_MIN) and not token.ent_type_:
            key = _person_by_surname(ctx, token.text)
            if key:
                _register_world(ctx, chunk, world, key, token.i, token.i + 1)
        if key:
            _add(chunk, ctx, token.i, token.i + 1, "actor", key, "ner.surname")
    added = [m for m in chunk.mentions if m not in before]
    chunk.mentions.sort(key=lambda m: (m.start, m.category, m.key))
    ctx.mentions.extend(Mention(m.start, m.end, m.category, m.key, m.rule) for m in added
                        if not ctx.in_furniture(m.start, m.end))
    _roles(chunk, ctx, settings, titles)


def _yield_to_organisation(chunk: Chunk, ctx: Context, start: int, end: int) -> None:
    """ "the British Council", "the Russian Direct Investment Fund", "Israel Prison Service": an
    organisation the recognizer names, whose name begins with a state or its demonym, is the
    organisation, not the state; the state's mention inside it goes. Not a government body
    ("the Russian Foreign Ministry" speaks for Russia) and not a longer lexicon name."""
    doc = chunk.doc
    inside = [m for m in chunk.mentions if m.category in {"actor", "place"} and m.token_start < end and start < m.token_end]
    if not inside or any(m.token_start < start or m.token_end > end or m.token_start != start
                         or m.rule not in {"lexicon.states", "lexicon.demonym"} for m in inside):
        return
    rest = doc[max(m.token_end for m in inside):end]
    if not rest or normal(rest.text) in words("language", "government_bodies") or not _is_name(rest):
        return
    for m in inside:
        chunk.mentions.remove(m)
        recorded = Mention(m.start, m.end, m.category, m.key, m.rule)
        if recorded in ctx.mentions:  # the gazetteer's are recorded already, this component's at its end
            ctx.mentions.remove(recorded)


def _site(chunk: Chunk, start: int, end: int, label: str) -> bool:
    """The name at ``[start, end)`` stands where places stand: a "person" after "at" or "near",
    before or under a site noun, or in a list with a place ("the Fordow facility", "sites at
    Natanz"); an organisation after "at" is where somebody works ("analysts at Kestrel Capital")."""
    doc, sites = chunk.doc, words("language", "site_nouns")
    if label == "PERSON" and start > 0 and doc[start - 1].lower_ in {"at", "near", "outside"}:
        return True
    if end < len(doc) and (doc[end].lower_ in sites or doc[end].lemma_.lower() in sites):  # "Kherson regions"
        return True
    head = doc[end - 1]
    related = [head.head, *head.conjuncts]
    places = {i for m in chunk.mentions if m.category == "place" for i in range(m.token_start, m.token_end)}
    return any(t.i != head.i and (t.lower_ in sites or t.i in places) for t in related)


def _owner(chunk: Chunk, ctx: Context, start: int) -> str | None:
    """The state named just before a government body ("Oman's", "the Iranian", "U.S.")."""
    doc = chunk.doc
    i = start - 1
    while i >= 0 and doc[i].text in _POSSESSIVE | {"the"}:
        i -= 1
    for m in chunk.mentions:
        if m.category == "actor" and m.token_end - 1 == i and ctx.kind(m.key) == "State":
            return m.key
    return None


def _register_world(ctx: Context, chunk: Chunk, world: _World, key: str, start: int, end: int) -> None:
    if key in world.minted and ("actor", key) not in ctx.entities:
        label, cls, member_of = world.minted[key]
        s, e = chunk.char_span(start, end)
        ctx.entities[("actor", key)] = Entity("actor", key, cls, label, s, e, "lexicon.world", 0.9,
                                              member_of=member_of)
        ctx.cache.setdefault("names", {})[("actor", normal(label))] = key
        if member_of is not None:
            # the state a body belongs to is known from the body's name on: what "the Russian
            # Defence Ministry" does, Russia does (Context.state_of_body), even before "Russia"
            # itself is named
            _register_world(ctx, chunk, world, member_of, start, end)


def _armed(name: str) -> bool:
    lowered = name.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words("language", "armed_group_words"))


def _person_by_surname(ctx: Context, text: str) -> str | None:
    """The person a surname alone names: one this document named in full, one of the reference
    data, else one of the world lexicon whose surname no other shares."""
    if " " in text:
        return None
    world, _ = _world(ctx)
    return (ctx.cache.get("surnames", {}).get(text) or _reference_person_by_surname(ctx, text)
            or world.surnames.get(text) or (world.spellings.get(spelling(text)) if spelling(text) else None))


def _person(ctx: Context, chunk: Chunk, text: str, start: int, end: int, settings: dict) -> str:
    surnames = ctx.cache.setdefault("surnames", {})
    if " " not in text:
        known = _person_by_surname(ctx, text)
        if known:
            world, _ = _world(ctx)
            _register_world(ctx, chunk, world, known, start, end)  # a world person: minted once named
            return known
    names = ctx.cache.setdefault("names", {})
    key = names.get(("actor", normal(text)))
    if key is None:
        key = _reference_person_by_surname(ctx, text.split()[-1]) if " " in text else None
        if key is not None and not any(normal(n) == normal(text) for n in ctx.index.names["actor"][key]):
            key = None  # another person with the same surname
    if key is None and " " in text and spelling(text):  # "Volodymyr Zelenskyi"
        world, _ = _world(ctx)
        key = world.spellings.get(spelling(text))
        if key:
            _register_world(ctx, chunk, world, key, start, end)
    if key is None:
        key = mint(ctx, chunk, "actor", text, "Person", start, end, "ner.person", settings["confidence"])
    if key and " " in text:
        surnames.setdefault(text.split()[-1], key)
        if ("actor", key) in ctx.entities:
            ctx.entities[("actor", key)].aliases.add(text.split()[-1])
    return key


def _acronym_of(ctx: Context, acronym: str) -> str | None:
    return ctx.cache.get("acronyms", {}).get(acronym)


def _acronym_after(ctx: Context, doc, end: int, key: str) -> None:
    """ "International Atomic Energy Agency (IAEA)": the acronym names the organisation."""
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and _ACRONYM.match(doc[end + 1].text):
        ctx.cache.setdefault("acronyms", {})[doc[end + 1].text] = key
        if ("actor", key) in ctx.entities:
            ctx.entities[("actor", key)].aliases.add(doc[end + 1].text)


def _modifiers(token, stop: int) -> list:
    """The tokens left of ``stop`` that modify ``token`` in its noun phrase (compound, amod,
    nmod, poss, recursively): "U.S. Middle East envoy" before "Steve Witkoff"."""
    found = []
    for child in token.lefts:
        if child.i < stop and child.dep_ in {"compound", "amod", "nmod", "poss", "case", "punct"}:
            found.extend(t for t in child.subtree if t.i < stop)
    return sorted(found, key=lambda t: t.i)


def _roles(chunk: Chunk, ctx: Context, settings: dict, titles: frozenset[str]) -> None:
    """Titles before a person's name and appositions after it: role and affiliation."""
    doc = chunk.doc
    actors = {i: m for m in chunk.mentions if m.category == "actor" for i in range(m.token_start, m.token_end)}
    roles = titles - {"the", "of", "and", "for"}

    def org_among(tokens):
        found = [actors[t.i] for t in tokens if t.i in actors and ctx.kind(actors[t.i].key) != "Person"]
        return found[0] if found else None

    seen: set[int] = set()
    for m in chunk.mentions:
        if m.category != "actor" or ctx.kind(m.key) != "Person" or m.token_start in seen:
            continue
        seen.add(m.token_start)
        sent = doc[m.token_start].sent
        head = doc[m.token_end - 1]
        # "U.S. special envoy Steve Witkoff", "Iran's Foreign Minister Abbas Araghchi"
        before = [t for t in _modifiers(head, m.token_start) if t.i >= sent.start]
        role_tokens = [t for t in before if t.lower_ in roles and t.i not in actors]
        org = org_among(before)
        if not role_tokens and org is None:  # a reference alias with the title inside it
            inside = [t for t in doc[m.token_start:m.token_end]]
            role_tokens = [t for t in inside if t.lower_ in roles]
            demonym = next((t.text for t in inside if t.text in ctx.index.demonyms), None)
            if role_tokens and demonym:
                _affiliate_key(chunk, ctx, m, ctx.index.demonyms[demonym], _role_text(role_tokens), sent, settings)
                continue
        if role_tokens or org is not None:
            _affiliate(chunk, ctx, m, org, _role_text(role_tokens), sent, settings)
            continue
        # "Rustem Umerov, Ukraine's defence minister," (apposition) or "the head of ..., Name"
        described = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            described.append(head.head)
        for d in described:
            sub = [t for t in d.subtree if not (m.token_start <= t.i < m.token_end)]
            if len(sub) > _APPOSITION_TOKENS:
                continue
            role = [t for t in d.lefts if t.lower_ in roles] + [d]
            if d.lower_ not in roles and d.lemma_.lower() not in words("language", "commentators"):
                continue
            _affiliate(chunk, ctx, m, org_among(sub), _role_text(role), sent, settings)
            break


#: The longest apposition read as a person's role: "deputy head of the secretariat of Ukraine's
#: Coordination Headquarters for the Treatment of Prisoners of War" is 17 tokens.
_APPOSITION_TOKENS = 24


def _role_text(tokens) -> str:
    """A role title as written, its first word capitalised only if the text did."""
    return " ".join(t.text for t in tokens)


def _affiliate(chunk: Chunk, ctx: Context, person: Mention, org: Mention | None, role: str, sent, settings) -> None:
    _affiliate_key(chunk, ctx, person, org.key if org is not None else None, role, sent, settings)


def _affiliate_key(chunk: Chunk, ctx: Context, person: Mention, org: str | None, role: str, sent, settings) -> None:
    """Record a person's role and the party they belong to; propose the affiliation fact."""
    role = role.strip()
    if role:
        ctx.roles.setdefault(person.key, role)
    if org is None or org == person.key:
        return
    ctx.affiliations.setdefault(person.key, org)
    fields = {"member": person.key, "organization": org}
    if role:
        fields["role"] = role
    ctx.propose(Candidate("affiliation", fields, [chunk.sentence_span(sent)], "entities.title",
                          settings["affiliation_confidence"], merge_on=("member", "organization")))
