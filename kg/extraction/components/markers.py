"""Clause markers: negation, hedges, conditionals, questions, reported speech.

Cue rules consult these so that "Iran did not rule out talks on missiles" yields no red line,
"Iran may reject" yields a hedged, less confident position, and "if Iran refuses" none.
"""

from __future__ import annotations

from ..model import Chunk, Context
from ..registry import component

NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without", "hardly", "denied", "deny",
            "denies", "cannot", "nothing"}
HEDGES = {"may", "might", "could", "reportedly", "apparently", "appear", "appears", "appeared",
          "seem", "seems", "seemed", "likely", "possibly", "perhaps", "allegedly", "suggest",
          "suggests", "suggested", "signal", "signals", "signaled", "signalled", "would",
          "unclear", "rumored", "rumoured", "purportedly", "speculation"}
CONDITIONALS = {"if", "unless", "whether", "should", "lest"}
REPORTING = {"say", "said", "says", "told", "tell", "according", "claim", "claimed", "claims",
             "argue", "argued", "argues", "allege", "alleged", "accuse", "accused", "believe",
             "believes", "expect", "expects", "predict", "predicted", "report", "reported"}
ACCUSING = {"accuse", "accused", "accuses", "allege", "alleged", "alleges", "claim", "claimed", "claims"}


@component("clause_markers", requires=("doc", "lemmas"), provides=("markers",), defaults={})
def clause_markers(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Mark tokens that negate, hedge, make conditional, or report someone else's words."""
    marks: dict[str, set[int]] = {"negation": set(), "hedge": set(), "conditional": set(),
                                  "reporting": set(), "accusing": set(), "question": set()}
    for i, lower in enumerate(chunk.lowers):
        if lower in NEGATORS or chunk.lemmas[i] == "deny":
            marks["negation"].add(i)
        if lower in HEDGES and not _month(chunk.doc, i):
            marks["hedge"].add(i)
        if lower in CONDITIONALS:
            marks["conditional"].add(i)
        if lower in REPORTING:
            marks["reporting"].add(i)
        if lower in ACCUSING:
            marks["accusing"].add(i)
    for sent in chunk.doc.sents:
        if sent.text.rstrip().rstrip("\"”’'»)").endswith("?"):
            marks["question"].update(range(sent.start, sent.end))
    chunk.markers = marks


def _month(doc, i: int) -> bool:
    """ "In May 2018", "on May 16": the month, not the modal (a capital inside the sentence, or
    a number beside it)."""
    token = doc[i]
    if token.text != "May":
        return False
    beside = [doc[j] for j in (i - 1, i + 1) if 0 <= j < len(doc)]
    return token.i != token.sent.start or any(t.like_num for t in beside)


def negated(chunk: Chunk, cue: int, window: int = 3, start: int | None = None) -> bool:
    """A negator among the ``window`` tokens before the cue (not before ``start``)."""
    low = max(cue - window, start if start is not None else 0, chunk.doc[cue].sent.start)
    return any(i in chunk.markers["negation"] for i in range(low, cue))


def hedged(chunk: Chunk, cue: int, window: int = 5) -> bool:
    """A hedge among the tokens shortly before the cue, or a sentence-wide hedging adverb."""
    sent = chunk.doc[cue].sent
    low = max(cue - window, sent.start)
    if any(i in chunk.markers["hedge"] for i in range(low, cue)):
        return True
    adverbs = {"reportedly", "apparently", "allegedly", "purportedly"}
    return any(t.lower_ in adverbs for t in sent) or any(i in chunk.markers["accusing"] for i in range(sent.start, cue))


def conditional(chunk: Chunk, cue: int) -> bool:
    """The cue stands in a conditional clause ("if Iran refuses …") or in a question."""
    sent = chunk.doc[cue].sent
    if cue in chunk.markers["question"]:
        return True
    return any(i in chunk.markers["conditional"] for i in range(sent.start, cue))
