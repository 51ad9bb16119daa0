"""Add an article to the corpus: read it (text or HTML), store it with its header, propose facts.

``add_article`` is what ``kg add`` runs for each file:

1. read the file, refusing one that is empty, binary or not UTF-8 (a message naming it);
   HTML is reduced to its text with lxml (scripts, styles, navigation, headers, footers
   dropped; one line per block element);
2. refuse it when its text is already in the corpus (a hash of the exact text, and of the
   text with whitespace and case folded, against every document);
3. write ``corpus/<slug>.txt`` (slug from the title) and check it with the corpus loader;
4. run the extraction pipeline (kg/extraction/pipeline.yaml) and write
   ``corpus/<slug>.facts.yaml`` with every candidate ``status: proposed``, checked by the
   facts loader against the whole corpus; titled names the reference data does not know are
   listed, and proposed as reference entities in ``corpus/<slug>.proposed-reference.ttl``.

Files are written to a temporary folder and renamed into the corpus only when all of them
check out, so an error never leaves half an article.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .documents import DOCUMENT_SUFFIX, KINDS, load_document, read_text_file
from ..errors import DocumentError, InputError
from .facts import FACTS_SUFFIX, load_facts, read_facts_file, resolve_event_keys

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PROPOSED_REFERENCE_SUFFIX = ".proposed-reference.ttl"
_DROP = ("script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form",
         "iframe", "svg", "button", "select", "figure")
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section", "article",
           "main", "tr", "td", "th", "pre", "dd", "dt", "figcaption", "br", "hr", "ul", "ol", "table"}


@dataclass
class Article:
    """An article as read from a file, before it enters the corpus."""

    source: Path
    text: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None


@dataclass
class AddResult:
    """What adding one article wrote and found."""

    slug: str
    document: Path
    facts_file: Path
    counts: dict[str, int]
    mentions: dict[str, int]
    unknown: list = field(default_factory=list)
    proposed_reference: Path | None = None


def read_article(path: str | Path) -> Article:
    """Read a plain-text or HTML article.

    :raises DocumentError: naming the file when it is missing, empty, binary or not UTF-8,
        or when HTML holds no text.
    """
    path = Path(path)
    raw = read_text_file(path).removeprefix("\ufeff")
    head = raw.lstrip()[:200].lower()
    if path.suffix.lower() in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        return _read_html(path, raw)
    return Article(path, raw)


def _read_html(path: Path, raw: str) -> Article:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(raw.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"{path}: not readable as HTML: {exc}") from exc

    def meta(*names: str) -> str | None:
        for name in names:
            for el in tree.xpath("//meta[@property=$n or @name=$n]", n=name):
                content = (el.get("content") or "").strip()
                if content:
                    return content
        return None

    title = meta("og:title") or " ".join((tree.findtext(".//title") or "").split()) or None
    publisher = meta("og:site_name", "application-name")
    published = meta("article:published_time", "date", "pubdate")
    date = published[:10] if published and re.match(r"^\d{4}-\d{2}-\d{2}", published) else None
    for el in tree.xpath("|".join(f"//{tag}" for tag in _DROP)):
        el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    body = tree.find("body")
    content = (body if body is not None else tree).text_content()
    # HTML collapses ASCII whitespace only: a non-breaking space is text and stays
    lines = [re.sub(r"[ \t\r\f]+", " ", line).strip(" \t\r\f") for line in content.split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise DocumentError(f"{path}: the HTML page holds no text")
    return Article(path, text + "\n", title=title, publisher=publisher, date=date)


def slugify(title: str, limit: int = 60) -> str:
    """A corpus slug from a title: ASCII lower case, digits and '-', cut at a word boundary."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def content_hashes(text: str) -> tuple[str, str]:
    """The SHA-256 of the exact text and of the text with whitespace and case folded."""
    exact = hashlib.sha256(text.encode("utf-8")).hexdigest()
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return exact, hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _title_from_text(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 200 else None
    return None


def corpus_hashes(corpus: Path) -> dict[str, str]:
    """Content hashes of every readable document of the corpus → its file name."""
    known: dict[str, str] = {}
    for path in sorted(corpus.glob(f"*{DOCUMENT_SUFFIX}")):
        try:
            doc = load_document(path)
        except DocumentError:
            continue  # `kg build` reports a broken document; it cannot be a duplicate here
        for digest in content_hashes(doc.text):
            known.setdefault(digest, path.name)
    return known


def header_text(title: str, publisher: str, kind: str, date: str | None, source_file: str) -> str:
    """The metadata header of a corpus document (corpus/README.md)."""
    meta = {"title": title, "publisher": publisher, "kind": kind, "source_file": source_file,
            "date": date or "unknown", "language": "en"}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


def add_article(
    root: str | Path,
    path: str | Path,
    *,
    title: str | None = None,
    publisher: str | None = None,
    kind: str = "news",
    date: str | None = None,
    pipeline=None,
    known_hashes: dict[str, str] | None = None,
) -> AddResult:
    """Add one article to the project at ``root`` and propose its facts.

    :param pipeline: steps from :func:`kg.extraction.load_pipeline` (default: the shipped one).
    :param known_hashes: content hashes already in the corpus (computed when not given; a
        caller adding several files passes one dict so that it also catches repeats among them).
    :returns: what was written and found.
    :raises InputError: naming the file, when it cannot be read, is a duplicate, or a
        written file does not pass the corpus loaders; nothing is left in the corpus then.
    """
    from .dates import parse_date
    from ..extraction import ReferenceIndex, load_pipeline, run_pipeline
    from ..extraction.writer import dump_facts, to_facts
    from .reference import load_reference

    root = Path(root)
    corpus, reference_dir = root / "corpus", root / "ontology" / "reference"
    if not corpus.is_dir():
        raise InputError(f"{corpus}: no corpus folder in the project")
    article = read_article(path)
    path = article.source
    if kind not in KINDS:
        raise InputError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    title = (title or article.title or _title_from_text(article.text) or "").strip()
    if not title:
        raise InputError(f"{path}: no title found; give one with --title")
    date = date or article.date
    if date:
        try:
            parse_date(date)
        except ValueError as exc:
            raise InputError(f"{path}: date: {exc}") from exc
    known = corpus_hashes(corpus) if known_hashes is None else known_hashes
    for digest in content_hashes(article.text):
        if digest in known:
            raise InputError(f"{path}: this text is already in the corpus as {known[digest]}")
    base = slugify(title) or "article-" + content_hashes(article.text)[0][:8]
    slug, n = base, 2
    while (corpus / f"{slug}{DOCUMENT_SUFFIX}").exists() or (corpus / f"{slug}{FACTS_SUFFIX}").exists():
        slug, n = f"{base}-{n}", n + 1

    reference = load_reference(reference_dir)
    steps = pipeline if pipeline is not None else load_pipeline()
    staging = Path(tempfile.mkdtemp(prefix=".kg-add-", dir=corpus))
    try:
        doc_path = staging / f"{slug}{DOCUMENT_SUFFIX}"
        header = header_text(title, publisher or article.publisher or "unknown", kind, date, path.name)
        doc_path.write_bytes((header + article.text).encode("utf-8"))
        try:
            document = load_document(doc_path)
        except DocumentError as exc:
            raise InputError(f"{path}: {str(exc).replace(str(doc_path), doc_path.name)}") from exc
        index = ReferenceIndex(reference)
        result = run_pipeline(document.text, index, steps, published=document.date, furniture=document.furniture)
        existing = load_facts(corpus, _documents(corpus), reference) if list(corpus.glob(f"*{FACTS_SUFFIX}")) else []
        taken = set(index.all_keys) | {str(f.values["key"]) for f in existing if "key" in f.values}
        facts = to_facts(result.candidates, document.text, slug, taken)
        facts_path = staging / f"{slug}{FACTS_SUFFIX}"
        facts_path.write_text(dump_facts(slug, title, facts), encoding="utf-8")
        checked = read_facts_file(facts_path, document, reference)  # the loader must accept it
        resolve_event_keys(existing + checked, reference)
        proposed = None
        if result.unknown:
            proposed = staging / f"{slug}{PROPOSED_REFERENCE_SUFFIX}"
            proposed.write_text(proposed_reference(result.unknown, index, document), encoding="utf-8")
        for digest in content_hashes(article.text):
            known[digest] = f"{slug}{DOCUMENT_SUFFIX}"
        written = _publish(staging, corpus, [doc_path, facts_path] + ([proposed] if proposed else []))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    mentions = Counter(m.category for m in result.mentions)
    return AddResult(
        slug=slug, document=written[0], facts_file=written[1],
        counts=dict(sorted(Counter(f["kind"] for f in facts).items())),
        mentions=dict(mentions), unknown=result.unknown,
        proposed_reference=written[2] if proposed else None,
    )


def _documents(corpus: Path):
    from .documents import load_corpus

    return load_corpus(corpus)


def _publish(staging: Path, corpus: Path, files: list[Path]) -> list[Path]:
    """Rename staged files into the corpus, the document first; undo on failure."""
    done: list[Path] = []
    try:
        for staged in files:
            target = corpus / staged.name
            os.replace(staged, target)
            done.append(target)
    except OSError as exc:
        for target in done:
            target.unlink(missing_ok=True)
        raise InputError(f"{corpus}: cannot write {staged.name}: {exc.strerror}") from exc
    return done


def proposed_reference(unknown, index, document) -> str:
    """Turtle proposing a reference entity (imp:Person) for each name the reference data lacks."""
    from rdflib import Graph, Literal, Namespace
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    from ..vocab import IMP

    actor = Namespace("https://w3id.org/impasse/id/actor/")
    graph = Graph()
    graph.bind("imp", IMP)
    graph.bind("actor", actor)
    graph.bind("skos", SKOS)
    graph.bind("owl", OWL)
    taken = set(index.names["actor"])
    for name in unknown:
        key = slugify(name.name) or "person"
        n = 2
        while key in taken:
            key, n = f"{slugify(name.name)}-{n}", n + 1
        taken.add(key)
        iri = actor[key]
        graph.add((iri, RDF.type, IMP.Person))
        graph.add((iri, RDFS.label, Literal(name.name, lang="en")))
        graph.add((iri, SKOS.altLabel, Literal(f"{name.role} {name.name}", lang="en")))
        where = f"{document.path.name}:{document.line_of(name.start)}"
        about = f"'{name.role}'" + (f" of {name.affiliation}" if name.affiliation else "")
        graph.add((iri, RDFS.comment, Literal(
            f"Proposed by kg add: {about}, seen {name.count} time(s), first at {where}. "
            "Review, then move to ontology/reference/actors.ttl.", lang="en")))
    head = ("# Reference entities proposed by `kg add` for names the reference data does not know.\n"
            "# Not read by `kg build`: review each, then move it to ontology/reference/actors.ttl.\n")
    return head + graph.serialize(format="turtle")
