"""Add an article to the corpus: read it (text or HTML), store it with its header, propose facts.

``add_article`` is what ``kg add`` runs for each file:

1. read the file, refusing one that is empty, binary or not UTF-8 (a message naming it);
   HTML is reduced to its text with lxml (scripts, styles, navigation, headers, footers
   dropped; one line per block element);
2. refuse it when its text is already in the corpus (a hash of the exact text, and of the
   text with whitespace and case folded, against every document);
3. write ``corpus/<slug>.txt`` (slug from the title) and check it with the corpus loader;
4. run the extraction pipeline (kg/extraction/pipeline.yaml) and write
   ``corpus/<slug>.facts.yaml`` with every candidate ``status: proposed`` and
   ``corpus/<slug>.mentions.yaml`` with every named mention and the entities minted for
   names the reference data lacks, each checked by its loader against the whole corpus.

``extract_again`` (``kg add --again``) runs step 4 on a stored document: its unreviewed
proposals are replaced, its reviewed and curated facts kept.

``add_articles`` adds several, and with ``jobs`` > 1 runs the pipeline (the slow part, step 4's
reading) for the next articles in worker processes while it writes one after another under
the lock: the files are the same as one at a time (the pipeline reads only the article and
the reference data, and the accepted affiliations, which adding proposals does not change).

Files are written to a temporary folder (``corpus/.kg-add-*``) and renamed into the corpus
only when all of them check out, so an error never leaves half an article. Both hold the
project lock (:func:`kg.corpus.lock.project_lock`) from the duplicate check to the last
rename, so concurrent adds each get their own slug (or a clear refusal), never an overwrite;
and since every staging folder is made under the lock, one found while holding it was left
by a run that was killed, and is removed.
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

from .documents import DOCUMENT_SUFFIX, KINDS, load_document, read_text_file, url_problem
from ..errors import DocumentError, InputError
from .facts import FACTS_SUFFIX, load_facts, read_facts_file, resolve_event_keys
from .lock import project_lock
from .mentions import MENTIONS_SUFFIX
from ..project import Project

#: The prefix of the staging folders in corpus/ (git-ignored).
STAGING_PREFIX = ".kg-add-"

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
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
    url: str | None = None


@dataclass
class AddResult:
    """What adding (or extracting again from) one article wrote and found."""

    slug: str
    document: Path
    facts_file: Path
    mentions_file: Path
    counts: dict[str, int]  # proposed facts per kind
    mentions: dict[str, int]  # mentions per category
    entities: list = field(default_factory=list)  # kg.extraction.Entity: minted, proposed


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
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    url = meta("og:url") or (canonical[0].strip() if canonical else None)
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
    return Article(path, text + "\n", title=title, publisher=publisher, date=date,
                   url=url if url and url_problem(url) is None else None)


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


def header_text(title: str, publisher: str, kind: str, date: str | None, source_file: str,
                url: str | None = None) -> str:
    """The metadata header of a corpus document (corpus/README.md)."""
    meta = {"title": title, "publisher": publisher, "kind": kind, "source_file": source_file,
            **({"url": url} if url else {}), "date": date or "unknown", "language": "en"}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


def add_article(
    root: str | Path,
    path: str | Path,
    *,
    title: str | None = None,
    publisher: str | None = None,
    kind: str = "news",
    date: str | None = None,
    url: str | None = None,
    pipeline=None,
    known_hashes: dict[str, str] | None = None,
    extracted=None,
) -> AddResult:
    """Add one article to the project at ``root`` and propose its facts.

    :param url: where the article was published [default: the HTML's ``og:url`` or canonical link].
    :param pipeline: steps from :func:`kg.extraction.load_pipeline` (default: the shipped one).
    :param known_hashes: content hashes already in the corpus (computed when not given; a
        caller adding several files passes one dict so that it also catches repeats among them).
    :param extracted: ``(text, ExtractionResult)`` the pipeline already gave for this article's
        text (:func:`add_articles`); run again when the stored text differs.
    :returns: what was written and found.
    :raises InputError: naming the file, when it cannot be read, is a duplicate, or a
        written file does not pass the corpus loaders; nothing is left in the corpus then.
    :raises LockError: when another writer holds the project for longer than 30 s.
    """
    root = Path(root)
    corpus = Project(root).require().corpus
    article, title, header = _prepare(path, title, publisher, kind, date, url)
    path = article.source
    with project_lock(root):
        remove_stale_staging(corpus)
        known = corpus_hashes(corpus)
        if known_hashes is not None:
            known = {**known_hashes, **known}
        for digest in content_hashes(article.text):
            if digest in known:
                raise InputError(f"{path}: this text is already in the corpus as {known[digest]}")
        base = slugify(title) or "article-" + content_hashes(article.text)[0][:8]
        slug, n = base, 2
        while any((corpus / f"{slug}{suffix}").exists() for suffix in (DOCUMENT_SUFFIX, FACTS_SUFFIX, MENTIONS_SUFFIX)):
            slug, n = f"{base}-{n}", n + 1
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=corpus))
        try:
            document = _stored(path, staging / f"{slug}{DOCUMENT_SUFFIX}", header + article.text)
            result = _extract(root, staging, document, kept=[], pipeline=pipeline, where=path, extracted=extracted)
            written = _publish(staging, corpus, [document.path, result.facts_file, result.mentions_file])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if known_hashes is not None:
        for digest in content_hashes(article.text):
            known_hashes[digest] = f"{slug}{DOCUMENT_SUFFIX}"
    result.document, result.facts_file, result.mentions_file = written
    return result


def _prepare(path, title, publisher, kind, date, url=None):
    """The article read, its title, and the header it will be stored with.

    :raises InputError: naming the file, for a bad kind, a missing title, a bad date or URL.
    """
    from .dates import parse_date

    article = read_article(path)
    path = article.source
    if kind not in KINDS:
        raise InputError(f"the kind of a document is one of {', '.join(KINDS)}, not {kind!r}")
    title = (title or article.title or _title_from_text(article.text) or "").strip()
    if not title:
        raise InputError(f"{path}: no title found in the file; give the article's title")
    date = date or article.date
    if date:
        try:
            parse_date(date)
        except ValueError as exc:
            raise InputError(f"{path}: date: {exc}") from exc
    url = url or article.url
    if url and url_problem(url):
        raise InputError(f"{path}: url: {url_problem(url)}")
    return article, title, header_text(title, publisher or article.publisher or "unknown", kind, date, path.name, url)


def _stored(source: Path, doc_path: Path, content: str):
    """Write a document file and load it as the corpus will (errors name the article)."""
    doc_path.write_bytes(content.encode("utf-8"))
    try:
        return load_document(doc_path)
    except DocumentError as exc:
        raise InputError(f"{source}: {str(exc).replace(str(doc_path), doc_path.name)}") from exc


def add_articles(root: str | Path, paths, *, title: str | None = None, publisher: str | None = None,
                 kind: str = "news", date: str | None = None, url: str | None = None, jobs: int = 1,
                 pipeline=None):
    """Add several articles; yield ``(path, AddResult)`` or ``(path, KgError)`` for each, in order.

    The reference index the pipeline reads is made once for all of them (making it and its
    matchers costs seconds; adding proposals never changes it).

    :param jobs: worker processes that run the pipeline ahead of the writing (1: none).
    """
    from ..errors import KgError

    Project(Path(root)).require()  # once, before any article is read
    known: dict[str, str] = {}  # the texts added so far (the corpus's own are checked under the lock)
    paths = list(paths)
    work = [(str(path), title, publisher, kind, date, url) for path in paths]
    pool = None
    if jobs <= 1 or len(paths) < 2:
        state = _reader(root, pipeline) if len(paths) > 1 else None
        readings = (_read(job, state) if state else None for job in work)
    else:
        import multiprocessing

        # spawn: a worker starts clean (no copy of this process's signal handlers or open files)
        pool = multiprocessing.get_context("spawn").Pool(min(jobs, len(paths)), initializer=_start_worker,
                                                         initargs=(str(root), pipeline))
        readings = pool.imap(_read_in_worker, work)
    try:
        for path, extracted in zip(paths, readings):
            try:
                if isinstance(extracted, KgError):
                    raise extracted
                yield path, add_article(root, path, title=title, publisher=publisher, kind=kind, date=date, url=url,
                                        pipeline=pipeline, known_hashes=known, extracted=extracted)
            except KgError as exc:
                yield path, exc
    finally:
        if pool is not None:
            pool.terminate()  # an error or a signal here: the workers stop with it
            pool.join()


_WORKER: dict = {}  # in a worker process of add_articles: what _reader made


def _reader(root, pipeline) -> dict:
    """What reading articles needs: the project's reference index and the pipeline."""
    from ..extraction import load_pipeline

    return {"index": _index(Path(root), exclude=None)[0], "steps": pipeline if pipeline is not None else load_pipeline()}


def _start_worker(root: str, pipeline) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    _WORKER.update(_reader(root, pipeline))


def _read_in_worker(job):
    return _read(job, _WORKER)


def _read(job, state: dict):
    """The pipeline's result for one article, as add_article would get it, or the KgError."""
    from ..errors import KgError
    from ..extraction import run_pipeline

    path, title, publisher, kind, date, url = job
    try:
        article, title, header = _prepare(path, title, publisher, kind, date, url)
        with tempfile.TemporaryDirectory(prefix="kg-add-") as folder:
            document = _stored(article.source, Path(folder) / f"article{DOCUMENT_SUFFIX}", header + article.text)
        return document.text, run_pipeline(document.text, state["index"], state["steps"], published=document.date,
                                           furniture=document.furniture, publisher=document.publisher)
    except KgError as exc:
        return exc


def remove_stale_staging(corpus: Path) -> list[Path]:
    """Remove the staging folders that interrupted adds left in ``corpus``.

    Call it holding the project lock: then no add is running, and every staging folder is stale.

    :returns: the folders removed.
    """
    stale = sorted(p for p in corpus.glob(f"{STAGING_PREFIX}*") if p.is_dir())
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def extract_again(root: str | Path, name: str, *, pipeline=None) -> AddResult:
    """Run extraction again on a document of the corpus (``<slug>`` or its file name).

    The document's unreviewed proposals (``status: proposed``, ``method: extracted``) are
    replaced by what the pipeline proposes now and its mentions file is rewritten; accepted
    and curated facts stay as they are, comments and order included.

    :raises InputError: when there is no such document or a rewritten file does not load.
    """
    root = Path(root)
    corpus = Project(root).require().corpus
    slug = Path(name).name.removesuffix(DOCUMENT_SUFFIX).removesuffix(FACTS_SUFFIX)
    doc_path = corpus / f"{slug}{DOCUMENT_SUFFIX}"
    if not doc_path.is_file():
        raise InputError(f"{doc_path}: no such document in the corpus")
    with project_lock(root):
        remove_stale_staging(corpus)
        document = load_document(doc_path)
        facts_path = corpus / f"{slug}{FACTS_SUFFIX}"
        kept_text, kept = _kept_facts(facts_path)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=corpus))
        try:
            result = _extract(root, staging, document, kept=kept, kept_text=kept_text, pipeline=pipeline,
                              where=doc_path)
            written = _publish(staging, corpus, [result.facts_file, result.mentions_file])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    result.document = doc_path
    result.facts_file, result.mentions_file = written
    return result


def _is_proposal(fact) -> bool:
    return isinstance(fact, dict) and fact.get("status") == "proposed" and fact.get("method") == "extracted"


def _kept_facts(path: Path):
    """The facts file as a round-trip document (comments kept) without its unreviewed
    proposals, and the kept facts as plain mappings; (None, []) when there is no file."""
    if not path.is_file():
        return None, []
    from ruamel.yaml import YAML, YAMLError

    from .documents import AliasError, refuse_aliases

    yaml_rt = YAML()
    try:
        text = path.read_text(encoding="utf-8")
        refuse_aliases(text)  # ruamel would expand them
        data = yaml_rt.load(text)
    except AliasError as exc:
        raise InputError(f"{path}:{exc.problem_mark.line + 1}: {exc.problem}") from exc
    except (OSError, YAMLError) as exc:
        raise InputError(f"{path}: cannot read the facts file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        raise InputError(f"{path}: expected a mapping with a list 'facts'")
    facts = data["facts"]
    for index in reversed(range(len(facts))):
        if _is_proposal(facts[index]):
            del facts[index]
    return data, [dict(f) for f in facts]


_NOT_CONTENT = {"status", "method", "rule", "confidence", "quote", "evidence", "comment", "key", "label"}


def _content(fact: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in fact.items() if k not in _NOT_CONTENT))


def _index(root: Path, exclude: str | None):
    """The reference index extraction reads (the reference data and the corpus's accepted
    affiliations), with what it was made from: (index, reference, corpus mentions, the corpus's
    facts but those of document ``exclude``)."""
    from ..extraction import ReferenceIndex
    from .mentions import load_mentions
    from .reference import load_reference

    corpus = root / "corpus"
    reference = load_reference(root / "ontology" / "reference")
    documents = _documents(corpus)
    corpus_mentions = load_mentions(corpus, documents, reference)
    known_reference = reference.with_entities(corpus_mentions.entities.values())
    existing = [f for f in load_facts(corpus, documents, known_reference) if f.document != exclude]
    affiliations = {str(f.values["member"]).rsplit("/", 1)[-1]: str(f.values["organization"]).rsplit("/", 1)[-1]
                    for f in existing if f.kind == "affiliation" and f.status == "accepted"}
    return ReferenceIndex(reference, affiliations), reference, corpus_mentions, existing


def _extract(root: Path, staging: Path, document, *, kept: list[dict], pipeline, where: Path,
             kept_text=None, extracted=None) -> AddResult:
    """Run the pipeline on a document (unless ``extracted`` holds its result for this text) and
    write its facts and mentions files into ``staging``, each checked by its loader against the
    whole corpus."""
    from ..extraction import load_pipeline, run_pipeline
    from ..extraction.writer import dump_facts, dump_mentions, mentioned_entities, to_facts
    from .mentions import load_mentions

    # the corpus as it is, but for this document's own files when extraction runs again
    index, reference, corpus_mentions, existing = _index(root, exclude=document.slug)
    known_reference = reference.with_entities(corpus_mentions.entities.values())
    if extracted is not None and extracted[0] == document.text:
        result = extracted[1]
    else:
        steps = pipeline if pipeline is not None else load_pipeline()
        result = run_pipeline(document.text, index, steps, published=document.date, furniture=document.furniture,
                              publisher=document.publisher)
    entities = mentioned_entities(result.entities, result.mentions)
    minted = {(e.category, e.key) for e in entities}

    def resolves(category: str, key: str) -> bool:
        return key in reference.keys.get(category, {}) or (category, key) in minted

    taken = set(index.all_keys) | {str(f.values["key"]) for f in existing if "key" in f.values} \
        | {str(f["key"]) for f in kept if "key" in f}
    seen = {_content(f) for f in kept}
    rounds = {(str(f.values["venue"]).rsplit("/", 1)[-1], str(f.values["date"])): (str(f.values["key"]),
                                                                                str(f.values.get("label") or ""))
              for f in existing if f.kind == "round" and "venue" in f.values and "date" in f.values}
    facts = [f for f in to_facts(result.candidates, document.text, document.slug, taken, resolves, rounds)
             if _content(f) not in seen]
    mentions_path = staging / f"{document.slug}{MENTIONS_SUFFIX}"
    mentions_path.write_text(dump_mentions(document.slug, document.title, document.text, entities,
                                           [m for m in result.mentions if resolves(m.category, m.key)]),
                             encoding="utf-8")
    facts_path = staging / f"{document.slug}{FACTS_SUFFIX}"
    if kept_text is None:
        facts_path.write_text(dump_facts(document.slug, document.title, facts), encoding="utf-8")
    else:
        _append_facts(facts_path, kept_text, facts)
    # the loaders must accept what was written, against the whole corpus
    staged_doc = staging / f"{document.slug}{DOCUMENT_SUFFIX}"
    if not staged_doc.exists():
        shutil.copyfile(document.path, staged_doc)
    try:
        own = load_mentions(staging, [load_document(staged_doc)], reference)
        checked = read_facts_file(facts_path, load_document(staged_doc),
                                  reference.with_entities([*corpus_mentions.entities.values(), *own.entities.values()]))
        resolve_event_keys(existing + checked, known_reference.with_entities(own.entities.values()))
    except InputError as exc:
        raise InputError(f"{where}: extraction wrote a file its loader refuses (a bug, please report it): {exc}") from exc
    mentions = Counter(m.category for m in result.mentions)
    return AddResult(
        slug=document.slug, document=document.path, facts_file=facts_path, mentions_file=mentions_path,
        counts=dict(sorted(Counter(f["kind"] for f in facts).items())),
        mentions=dict(mentions), entities=entities,
    )


def _append_facts(path: Path, data, facts: list[dict]) -> None:
    """Write the kept facts file (round-trip: comments and order kept) with new proposals after them."""
    import io

    from ruamel.yaml import YAML

    yaml_rt = YAML()
    yaml_rt.width = 10_000
    data["facts"].extend(facts)
    out = io.StringIO()
    yaml_rt.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def _documents(corpus: Path):
    """The corpus's documents; none yet in a new project (where load_corpus refuses to build)."""
    from .documents import load_corpus

    return load_corpus(corpus) if any(corpus.glob(f"*{DOCUMENT_SUFFIX}")) else []


def _publish(staging: Path, corpus: Path, files: list[Path]) -> list[Path]:
    """Rename staged files into the corpus, the document first; undo on failure (an error, or
    a signal turned into an exception, between two renames): a file that was new is removed,
    a file that was replaced gets its old content back (kept as a hard link in ``staging``)."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for staged in files:
            target = corpus / staged.name
            kept = None
            if target.exists():
                kept = staging / f".previous-{staged.name}"
                os.link(target, kept)
            os.replace(staged, target)
            done.append((target, kept))
    except BaseException as exc:
        for target, kept in reversed(done):
            if kept is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(kept, target)
        if isinstance(exc, OSError):
            raise InputError(f"{corpus}: cannot write {staged.name}: {exc.strerror}") from exc
        raise
    return [target for target, _ in done]
