"""Run an extraction pipeline over a document, chunk by chunk, with bounded memory.

The pipeline is data (``pipeline.yaml`` beside this module, or any list of
``{"component": name, "settings": {...}}``), checked by :func:`check_pipeline` before the
text is read. The text is cut into chunks at line breaks (and a very long line at a
sentence or word boundary); each chunk is tokenized, split into sentences and lemmatized by
spaCy, then every component runs on it in order. Only what components keep in the
:class:`~kg.extraction.model.Context` (mentions, merged candidate facts) outlives a chunk.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml

from . import components as _components  # noqa: F401 - registers the components
from .model import Candidate, Chunk, Context, Entity, Mention, ReferenceIndex
from .nlp import load_nlp
from .registry import PipelineError, Step, check_pipeline

PIPELINE_FILE = Path(__file__).with_name("pipeline.yaml")
#: What every chunk carries before the first component runs.
BUILT_IN = ("doc", "sentences", "lemmas")
MAX_CHUNK = 20_000  # characters; longer lines are cut at a sentence or word boundary


def load_pipeline(source: str | Path | list | None = None) -> list[Step]:
    """The checked steps of a pipeline: a YAML file, a list of entries, or the default file.

    :raises PipelineError: on an unreadable file or a bad pipeline (see ``check_pipeline``).
    """
    where = "pipeline"
    if source is None or isinstance(source, (str, Path)):
        path = Path(source) if source is not None else PIPELINE_FILE
        where = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise PipelineError(f"{path}: cannot read the pipeline: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("pipeline"), list):
            raise PipelineError(f"{path}: expected a mapping with a list 'pipeline'")
        entries = data["pipeline"]
    else:
        entries = list(source)
    if not entries:
        raise PipelineError(f"{where}: the pipeline lists no component")
    return check_pipeline(entries, where=where, given=BUILT_IN)


@dataclass
class ExtractionResult:
    """What a run found: merged candidate facts, every mention, the entities it minted."""

    candidates: list[Candidate]
    mentions: list[Mention]
    entities: list[Entity]


def chunks(text: str, limit: int = MAX_CHUNK) -> Iterator[tuple[str, int]]:
    """Pieces of ``text`` with their offsets: its non-blank lines, long ones cut near ``limit``."""
    offset = 0
    for line in text.splitlines(keepends=True):
        start = offset
        offset += len(line)
        body = line.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        while len(body) > limit:
            cut = _cut(body, limit)
            if body[:cut].strip():
                yield body[:cut], start
            body, start = body[cut:], start + cut
        if body.strip():
            yield body, start


#: A typographic apostrophe inside or at the end of a word ("Iran’s", "don’t", "allies’").
_APOSTROPHE = re.compile(r"(?<=\w)’")


def _for_parser(piece: str) -> str:
    """The chunk as the model reads it best: the trained pipeline mistakes "’s" for a verb or a
    subject ("Iran’s right to enrichment is not …" parsed "Iran" as the subject of "’s"), where
    it reads "'s" right. One character for one, so every offset stays an offset into the text."""
    return _APOSTROPHE.sub("'", piece)


def _cut(body: str, limit: int) -> int:
    for mark in (". ", "? ", "! ", " "):
        at = body.rfind(mark, limit // 2, limit)
        if at != -1:
            return at + len(mark)
    return limit


def run_pipeline(
    text: str,
    index: ReferenceIndex,
    steps: list[Step],
    published: str | None = None,
    furniture: tuple = (),
    batch_size: int = 64,
    publisher: str | None = None,
) -> ExtractionResult:
    """Run the steps over ``text``.

    :param published: the publication date (``YYYY-MM-DD``), which anchors "on Saturday".
    :param furniture: spans of page furniture; no fact rests on them.
    :param publisher: the outlet, which the text may name without it being an actor.
    """
    day = None
    if published and len(published) == 10:
        day = datetime.date.fromisoformat(published)
    nlp = load_nlp().nlp
    ctx = Context(text=text, index=index, published=day, furniture=tuple(furniture), nlp=nlp,
                  publisher=publisher if publisher and publisher != "unknown" else None)
    pieces = ((_for_parser(piece), offset) for piece, offset in chunks(text))
    for doc, offset in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size):
        chunk = Chunk(doc=doc, offset=offset)
        for step in steps:
            step.component.func(chunk, ctx, step.settings)
    ctx.fold_underspecified()
    return ExtractionResult(
        candidates=sorted(ctx.candidates.values(), key=lambda c: (c.spans[0], c.kind)),
        mentions=sorted(set(ctx.mentions), key=lambda m: (m.start, m.end, m.category, m.key)),
        entities=sorted(ctx.entities.values(), key=lambda e: (e.start, e.category, e.key)),
    )
