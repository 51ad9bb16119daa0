"""The spaCy pipeline used for tokens and sentences: a blank English model, no download needed.

``spacy.blank("en")`` with the rule-based sentencizer and the lookup lemmatizer (tables from
spacy-lookups-data) runs offline. One extra infix rule splits ``U.S.-Iran`` into
``U.S.``, ``-``, ``Iran`` so that both names are found.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def blank_english():
    """A shared ``spacy.blank("en")`` with sentencizer and lookup lemmatizer (built once)."""
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    infixes = list(nlp.Defaults.infixes) + [r"(?<=\.)[-\u2013\u2014](?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp
