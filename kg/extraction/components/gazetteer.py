"""Known entities by every label and alias (gazetteer), and titled names ("Foreign Minister X")."""

from __future__ import annotations

import re

from ..model import GAZETTEER_CATEGORIES, Candidate, Chunk, Context, Mention, UnknownName
from ..registry import component

# Short or all-capital names ("US", "IAEA") match case-sensitively, so the pronoun "us" is no
# mention of the United States; longer names match in any case.
_CASE_SENSITIVE = re.compile(r"^[^a-z]*$|^.{1,3}$")
PEOPLE_NOUNS = {
    "official", "officials", "negotiator", "negotiators", "leader", "leaders", "leadership",
    "government", "diplomat", "diplomats", "delegation", "authorities", "side", "administration",
    "envoy", "envoys", "lawmakers", "parliament", "team", "regime", "ministry", "military",
}


def _matchers(ctx: Context):
    if "gazetteer" not in ctx.cache:
        from spacy.matcher import PhraseMatcher

        nlp = ctx.nlp
        exact, folded = PhraseMatcher(nlp.vocab, attr="ORTH"), PhraseMatcher(nlp.vocab, attr="LOWER")
        for category in GAZETTEER_CATEGORIES:
            for key, names in ctx.index.names[category].items():
                label = f"{category}|{key}"
                for name in names:
                    matcher = exact if _CASE_SENSITIVE.match(name) else folded
                    matcher.add(label, [nlp.make_doc(name)])
        demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        for demonym, key in ctx.index.demonyms.items():
            demonyms.add(f"actor|{key}", [nlp.make_doc(demonym)])
        ctx.cache["gazetteer"] = (exact, folded, demonyms)
    return ctx.cache["gazetteer"]


@component("gazetteer", requires=("doc",), provides=("mentions",), defaults={"demonyms": True})
def gazetteer(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Find every label and alias of the reference data; the longest match wins per category."""
    exact, folded, demonyms = _matchers(ctx)
    doc = chunk.doc
    found: dict[str, list[tuple[int, int, str, str]]] = {}
    vocab = doc.vocab.strings
    for matcher, rule in ((exact, "gazetteer.alias"), (folded, "gazetteer.alias")) + (
        ((demonyms, "gazetteer.demonym"),) if settings["demonyms"] else ()
    ):
        for match_id, start, end in matcher(doc):
            category, key = vocab[match_id].split("|", 1)
            found.setdefault(category, []).append((start, end, key, rule))
    for category, matches in found.items():
        # longest first, then leftmost: keep non-overlapping spans; one span may name several
        # entities of one category only if the reference data gives them the same alias
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[2]))
        taken: list[tuple[int, int]] = []
        for start, end, key, rule in matches:
            if any(s < end and start < e and (s, e) != (start, end) for s, e in taken):
                continue
            taken.append((start, end))
            s, e = chunk.char_span(start, end)
            mention = Mention(s, e, category, key, rule, start, end)
            if mention not in chunk.mentions:
                chunk.mentions.append(mention)
    chunk.mentions.sort(key=lambda m: (m.start, m.category, m.key))
    ctx.mentions.extend(
        Mention(m.start, m.end, m.category, m.key, m.rule) for m in chunk.mentions if not ctx.in_furniture(m.start, m.end)
    )


# Titles as news write them; a title is followed by a capitalised name of one to three words.
TITLES = (
    "President", "Vice President", "Prime Minister", "Foreign Minister", "Deputy Foreign Minister",
    "Defense Minister", "Defence Minister", "Minister", "Secretary of State", "Defense Secretary",
    "Secretary", "Special Envoy", "Envoy", "Ambassador", "Supreme Leader", "Ayatollah",
    "Adm.", "Admiral", "Gen.", "General", "Lt. Gen.", "Maj. Gen.", "Brig. Gen.", "Col.",
    "Director General", "Director-General", "Spokesman", "Spokeswoman", "Spokesperson",
    "Chief Negotiator", "Senator", "Sen.", "Rep.", "Chancellor", "Sultan", "Sheikh", "Emir",
    "King", "Crown Prince", "Speaker", "chief", "commander", "Commander",
)
_NAME = re.compile(r"^[A-Z][A-Za-z'’\-]+$|^[A-Z]\.$")
_NOT_NAMES = {
    "The", "This", "That", "On", "In", "And", "But", "Said", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Of", "For",
}


def _title_matcher(ctx: Context):
    if "titles" not in ctx.cache:
        from spacy.matcher import PhraseMatcher

        nlp = ctx.nlp
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for title in TITLES:
            matcher.add(title.lower(), [nlp.make_doc(title)])
        ctx.cache["titles"] = matcher
    return ctx.cache["titles"]


@component(
    "titled_names",
    requires=("doc", "mentions"),
    provides=("persons", "facts.affiliation", "unknown_names"),
    defaults={"confidence": 0.8, "max_name_tokens": 3},
)
def titled_names(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """A title then a capitalised name: affiliation of a known person, or a name not known."""
    doc = chunk.doc
    matcher = _title_matcher(ctx)
    matches = sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
    actor_at = {}
    for m in chunk.mentions:
        if m.category == "actor":
            for i in range(m.token_start, m.token_end):
                actor_at[i] = m
    title_ends = {end - 1: start for _, start, end in matches}
    last_end = -1
    for match_id, start, end in matches:
        if start < last_end:
            continue
        # lower-case "chief"/"commander" only after an organisation ("Central Command chief")
        title = doc[start:end].text
        if title.islower() and title in {"chief", "commander"} and (start - 1) not in actor_at:
            continue
        name_end = end
        while (name_end < len(doc) and name_end - end < settings["max_name_tokens"]
               and _NAME.match(doc[name_end].text) and doc[name_end].text not in _NOT_NAMES):
            name_end += 1
        if name_end == end or (name_end - end == 1 and doc[end].text.endswith(".")):
            continue
        last_end = name_end
        # Who the person belongs to: an actor or demonym right before the title ("Iranian
        # Foreign Minister", "Iran's Foreign Minister", "U.S. Central Command chief").
        org, role = None, title
        before = start - 1
        if before in title_ends:  # "Central Command chief Adm. Brad Cooper": the first title
            role = doc[title_ends[before]:before + 1].text
            before = title_ends[before] - 1
        if before >= 0 and doc[before].text in {"'s", "’s"}:
            before -= 1
        org_start = start
        if before >= 0 and doc[before].text in ctx.index.demonyms:
            org, org_start = ctx.index.demonyms[doc[before].text], before
        elif before in actor_at and ctx.index.kinds.get(actor_at[before].key) != "Person":
            org, org_start = actor_at[before].key, actor_at[before].token_start
        person_mentions = {actor_at[i].key for i in range(end, name_end) if i in actor_at}
        s, e = chunk.char_span(org_start, name_end)
        sent = doc[start].sent
        if len(person_mentions) == 1:
            person = next(iter(person_mentions))
            if org and org != person and ctx.index.kinds.get(person) == "Person":
                ctx.propose(Candidate(
                    "affiliation", {"member": person, "organization": org, "role": _role(role)},
                    [chunk.sentence_span(sent)], "titled_names.known", settings["confidence"],
                ))
            continue
        if person_mentions:
            continue  # the "name" is partly a known entity: not a new person
        name = doc[end:name_end].text
        if name in ctx.unknown:
            ctx.unknown[name].count += 1
            if ctx.unknown[name].affiliation is None and org:
                ctx.unknown[name].affiliation = org
        else:
            ctx.unknown[name] = UnknownName(name, _role(role), org, s, e)


def _role(title: str) -> str:
    expanded = {"Adm.": "Admiral", "Gen.": "General", "Sen.": "Senator", "Rep.": "Representative",
                "Col.": "Colonel", "Lt. Gen.": "Lieutenant General", "Maj. Gen.": "Major General",
                "Brig. Gen.": "Brigadier General"}
    return expanded.get(title, title)
