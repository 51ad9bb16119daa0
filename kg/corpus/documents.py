"""Corpus documents: a YAML metadata header, then the text, with page furniture marked out.

The text is everything after the header's closing ``---`` line, kept exactly as stored, so
that character offsets (Unicode code points, as Python indexes a ``str``) are stable.
See corpus/README.md for the file format.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .dates import parse_date
from ..errors import DocumentError

DOCUMENT_SUFFIX = ".txt"
KINDS = ("news", "analysis")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADER_FIELDS = {"title", "publisher", "kind", "source_file", "url", "date", "language", "furniture"}

# Site labels that stand alone on a line and are never article text.
_LABELS = {
    "categories", "category", "tags", "share", "share this article", "advertisement",
    "related", "related articles", "related posts", "comments", "most read", "trending",
}
_TEASER = re.compile(r"^(read more|read also|related|see also)\s*:", re.IGNORECASE)
# "Written and edited by …", or "By" and a capitalised name alone on its line; not an
# article sentence such as "By the early 2020s, the talks had frozen."
_BYLINE = re.compile(
    r"^(?:(?i:(?:written|edited|reported|compiled)(?:\s+and\s+(?:written|edited|reported))?\s+by)\s"
    r"|By(?:\s+[A-Z][\w.'’-]*){1,4}$)"
)


class AliasError(yaml.composer.ComposerError):
    """A YAML file of the project uses an alias."""


class NoAliasLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses aliases (``*name``), before anything expands.

    A dozen lines of nested aliases (a "billion laughs" file) expand to gigabytes: one in a
    facts file took 3 GB and 73 s to end in a MemoryError. Nothing in a project's files needs
    them; anchors alone are harmless and allowed (docs/engine-notes.md, "YAML aliases").
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise AliasError(None, None, f"found the alias *{event.anchor}: YAML aliases are not allowed in "
                                         "project files; write the value out", event.start_mark)
        return super().compose_node(parent, index)


def refuse_aliases(text: str) -> None:
    """Raise :class:`AliasError` when ``text`` (YAML) uses an alias; anything else is left to
    the loader that reads it (ruamel's round-trip loader, which has no such switch)."""
    try:
        yaml.compose(text, Loader=NoAliasLoader)  # noqa: S506 - a SafeLoader; builds nodes, expands nothing
    except AliasError:
        raise
    except yaml.YAMLError:
        return


class PlainLoader(NoAliasLoader):
    """A safe YAML loader that leaves dates as written: ``parse_date`` judges them, and
    PyYAML's own timestamp reading would crash on 2025-02-30 and drop the precision."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Furniture:
    """A span of page furniture: text on the page that is not part of the article."""

    start: int
    end: int
    kind: str  # title, publisher, label, teaser, byline or declared


@dataclass(frozen=True)
class Document:
    """One corpus document: metadata, text and the furniture spans within it."""

    slug: str
    path: Path
    title: str
    publisher: str
    kind: str
    text: str
    sha256: str
    header_lines: int
    source_file: str | None = None
    url: str | None = None  # where the article was published (an http or https IRI)
    date: str | None = None
    language: str = "en"
    furniture: tuple[Furniture, ...] = field(default=())

    def line_of(self, offset: int) -> int:
        """The 1-based line number in the document file of a character offset in the text."""
        return self.header_lines + self.text.count("\n", 0, offset) + 1

    def furniture_at(self, start: int, end: int) -> Furniture | None:
        """The furniture span that overlaps ``[start, end)``, if any."""
        for span in self.furniture:
            if span.start < end and start < span.end:
                return span
        return None


def load_document(path: str | Path) -> Document:
    """Read and check one document file.

    :param path: a ``<slug>.txt`` file with a metadata header.
    :returns: the document, furniture marked.
    :raises DocumentError: naming the file (and line) when it is empty, binary, not UTF-8,
        has no valid header or no text.
    """
    path = Path(path)
    slug = path.name.removesuffix(DOCUMENT_SUFFIX)
    if not _SLUG.match(slug):
        raise DocumentError(
            f"{path}: the file name must be a slug (lower-case letters, digits and '-') "
            f"followed by {DOCUMENT_SUFFIX}"
        )
    header, text, header_lines = _split_header(path, read_text_file(path))
    meta = _check_header(path, header)
    if not text.strip():
        raise DocumentError(f"{path}: the document has a header but no text")
    title = meta["title"]
    publisher = meta["publisher"]
    return Document(
        slug=slug,
        path=path,
        title=title,
        publisher=publisher,
        kind=meta["kind"],
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        header_lines=header_lines,
        source_file=meta.get("source_file"),
        url=meta.get("url"),
        date=meta.get("date"),
        language=meta.get("language", "en"),
        furniture=tuple(mark_furniture(path, text, title, publisher, meta.get("furniture", []))),
    )


def read_text_file(path: Path) -> str:
    """The text of a file that must be non-empty UTF-8 text.

    :raises DocumentError: naming the file (and line) when it cannot be read, is empty,
        binary (NUL bytes) or not valid UTF-8.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read: {exc.strerror}") from exc
    if not data.strip():
        raise DocumentError(f"{path}: the file is empty")
    if b"\x00" in data:
        raise DocumentError(f"{path}: the file is binary (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DocumentError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start})"
        ) from exc


def load_corpus(corpus_dir: str | Path) -> list[Document]:
    """Every document of a corpus folder, in slug order.

    :raises DocumentError: on the first bad document, or when the folder holds none.
    """
    corpus_dir = Path(corpus_dir)
    paths = sorted(corpus_dir.glob(f"*{DOCUMENT_SUFFIX}"))
    if not paths:
        raise DocumentError(f"{corpus_dir}: no documents (*{DOCUMENT_SUFFIX}) in the corpus folder yet "
                            f"(kg add ARTICLE stores one)")
    return [load_document(p) for p in paths]


def _split_header(path: Path, raw: str) -> tuple[str, str, int]:
    lines = raw.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise DocumentError(f"{path}:1: the document must start with a '---' metadata header")
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip("\r\n") == "---":
            header = "".join(lines[1 : number - 1])
            return header, "".join(lines[number:]), number
    raise DocumentError(f"{path}:1: the metadata header is not closed by a '---' line")


def _check_header(path: Path, header: str) -> dict:
    try:
        meta = yaml.load(header, Loader=PlainLoader) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 2}" if mark else str(path)
        raise DocumentError(f"{where}: the metadata header is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise DocumentError(f"{path}:2: the metadata header must be a mapping of fields")
    unknown = sorted(set(meta) - _HEADER_FIELDS)
    if unknown:
        raise DocumentError(
            f"{path}: unknown header field(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_HEADER_FIELDS))}"
        )
    for name in ("title", "publisher"):
        if not isinstance(meta.get(name), str) or not meta[name].strip():
            raise DocumentError(f"{path}: the header needs a non-empty '{name}'")
    if meta.get("kind") not in KINDS:
        raise DocumentError(f"{path}: header 'kind' must be one of {', '.join(KINDS)}, not {meta.get('kind')!r}")
    date = meta.get("date", "unknown")
    if date == "unknown" or date is None:
        meta.pop("date", None)
    else:
        try:
            parse_date(str(date))
        except ValueError as exc:
            raise DocumentError(f"{path}: header 'date': {exc} (write 'unknown' when the text gives none)") from exc
        meta["date"] = str(date)
    if "url" in meta:
        problem = url_problem(meta["url"])
        if problem:
            raise DocumentError(f"{path}: header 'url': {problem}")
    declared = meta.get("furniture", [])
    if not isinstance(declared, list) or not all(isinstance(x, str) for x in declared):
        raise DocumentError(f"{path}: header 'furniture' must be a list of lines")
    return meta


def url_problem(url: object) -> str | None:
    """Why ``url`` cannot be a document's source URL (None: it can): it must be an absolute
    http or https IRI, as the graph holds it (``dcterms:source``)."""
    import pyoxigraph as ox
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url.strip():
        return f"must be the article's web address, not {url!r}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{url!r} is not an http or https address"
    try:
        ox.NamedNode(url)
    except ValueError as exc:
        return f"{url!r} is not a valid IRI ({exc})"
    return None


def mark_furniture(path: Path, text: str, title: str, publisher: str, declared: list[str]) -> list[Furniture]:
    """Find the lines of ``text`` that are page furniture (rules in corpus/README.md)."""
    lines = []  # (start, end, stripped content) of each non-blank line
    offset = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        stripped = content.strip()
        if stripped:
            lead = len(content) - len(content.lstrip())
            lines.append((offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw)
    kinds: dict[int, str] = {}
    wanted = {line.strip() for line in declared}
    for i, (_, _, line) in enumerate(lines):
        if line == title.strip():
            kinds[i] = "title"
        elif line == publisher.strip():
            kinds[i] = "publisher"
        elif line.lower().rstrip(":") in _LABELS:
            kinds[i] = "label"
        elif _TEASER.match(line):
            kinds[i] = "teaser"
        elif _BYLINE.match(line):
            kinds[i] = "byline"
        elif line in wanted:
            kinds[i] = "declared"
        # A line standing twice in a row is a teaser's headline (a card repeats it as
        # image caption and link); an article does not repeat a paragraph verbatim.
        if i and line == lines[i - 1][2]:
            kinds.setdefault(i - 1, "teaser")
            kinds.setdefault(i, "teaser")
    missing = wanted - {line for _, _, line in lines}
    if missing:
        raise DocumentError(f"{path}: declared furniture not found as a line of the text: {sorted(missing)!r}")
    return [Furniture(lines[i][0], lines[i][1], kind) for i, kind in sorted(kinds.items())]
