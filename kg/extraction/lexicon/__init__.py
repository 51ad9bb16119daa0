"""The extraction lexicons: world knowledge and the language of negotiation reporting, as data.

``world.yaml`` (states with their aliases, demonyms, capitals and seats of government;
international organisations; armed groups), ``issues.yaml`` (generic agenda items and the
phrases that name them), ``leverage.yaml`` (kinds of leverage) and ``language.yaml`` (stance
cues, titles, reporting verbs, hedges). None names a party of one negotiation in particular:
a project's own reference data (ontology/reference/) always comes first, and a lexicon entry
that shares a name with a reference entity is that entity.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ...errors import InputError

LEXICON_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def load_lexicon(name: str, folder: Path | None = None):
    """The parsed lexicon ``<name>.yaml`` of ``folder`` (default: this package; read once).

    :raises InputError: naming the file when it is missing or not valid YAML.
    """
    path = Path(folder or LEXICON_DIR) / f"{name}.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the lexicon: {exc}") from exc


@lru_cache(maxsize=None)
def words(name: str, entry: str) -> frozenset[str]:
    """One word list of ``language.yaml`` (``titles``, ``hedges`` …) as a set (built once:
    components ask for it per token)."""
    return frozenset(str(w).lower() for w in load_lexicon(name)[entry])
