"""Known entities by every label and alias of the project's reference data (gazetteer)."""

from __future__ import annotations

import re

from ..lexicon import words
from ..model import GAZETTEER_CATEGORIES, Chunk, Context, Mention
from ..registry import component

# Short or all-capital names ("US", "IAEA") match case-sensitively, so the pronoun "us" is no
# mention of the United States; longer names match in any case.
_CASE_SENSITIVE = re.compile(r"^[^a-z]*$|^.{1,3}$")


def _matchers(ctx: Context):
    if "gazetteer" not in ctx.index.setup:
        from spacy.matcher import PhraseMatcher

        nlp = ctx.nlp
        exact, folded = PhraseMatcher(nlp.vocab, attr="ORTH"), PhraseMatcher(nlp.vocab, attr="LOWER")
        for category in GAZETTEER_CATEGORIES:
            for key, names in ctx.index.names[category].items():
                label = f"{category}|{key}"
                if category == "agreement":
                    names = _head_variants(names)
                for name in names:
                    matcher = exact if _CASE_SENSITIVE.match(name) else folded
                    matcher.add(label, [nlp.make_doc(name)])
        demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        for demonym, key in ctx.index.demonyms.items():
            demonyms.add(f"actor|{key}", [nlp.make_doc(demonym)])
        ctx.index.setup["gazetteer"] = (exact, folded, demonyms)
    return ctx.index.setup["gazetteer"]


def _head_variants(names: list[str]) -> list[str]:
    """An agreement's names with each synonym of their head noun: news calls "the 2015 nuclear
    agreement" "the 2015 nuclear deal" as often (``agreement_nouns`` in language.yaml)."""
    heads = words("language", "agreement_nouns")
    out = list(names)
    for name in names:
        first, _, last = name.rpartition(" ")
        if first and last.lower() in heads:
            out += [f"{first} {head}" for head in sorted(heads) if head != last.lower()]
    return list(dict.fromkeys(out))


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
    # a common-noun alias ("armed groups") after another party's name or demonym names that
    # party's own ("Palestinian armed groups"), not the entity the alias stands for
    # (the world lexicon, which knows "Palestinian", runs later: the recognizer's reading tells)
    ends = {end: key for start, end, key, _ in found.get("actor", [])}
    found = {category: [m for m in matches if not (
        category == "actor" and doc[m[0]:m[1]].text.islower() and m[0] > 0
        and (ends.get(m[0], m[2]) != m[2] or doc[m[0] - 1].ent_type_ in {"NORP", "GPE"}))]
        for category, matches in found.items()}
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
