"""Score extraction end to end, through the graph, against the gold dev set.

Run from the repository:

    .venv/bin/python benchmarks/extraction.py                      # every negotiation
    .venv/bin/python benchmarks/extraction.py --negotiation us-iran --json /tmp/x.json
    .venv/bin/python benchmarks/extraction.py --own-reference --keep /tmp/projects

The dev set is ``benchmarks/devset/<negotiation>/<name>.txt`` with ``<name>.gold.yaml``
beside it (headline on the first line of the text; the gold format and annotation rules are
those of the dev-set guide). For each negotiation the script does what a user would do, through
the CLI only (``python -m kg``, no kg module is imported): a fresh project in a temporary
folder (the repository's ``ontology/`` and ``queries/``, an empty ``corpus/``; with
``--own-reference`` the folder's ``reference/`` replaces ``ontology/reference/`` where it
exists), one ``kg add`` per article with the title, publisher and date of its gold file, then
one ``kg build --include-proposed 0 --no-reason --no-validate``. Predictions are read back
from ``exports/impasse.trig`` with SPARQL (pyoxigraph, default graph = union of the named
graphs); a corpus document is mapped to its dev article by ``imp:sourceFileName`` (else
``dcterms:title``). What counts as a prediction of a document:

- stances:  nodes typed imp:Demand / imp:RedLine / imp:Objective / imp:Precondition with
            imp:heldBy and imp:onIssue, having evidence (``prov:wasDerivedFrom ?ev . ?ev
            oa:hasSource ?doc``) in the document;
- actors:   nodes typed imp:Person / imp:State / imp:Organization / imp:ArmedGroup (in any
            graph) with a mention in the document (``?actor imp:denotedBy ?m . ?m
            oa:hasSource ?doc``) or that are the value of a fact with evidence in it; an
            ArmedGroup also typed Organization counts as ArmedGroup;
- rounds:   imp:NegotiationRound nodes with evidence in the document (venue: imp:venue);
- events:   instances of imp:Event or its subclasses (from the ontology) other than rounds,
            with evidence in the document (agent: imp:agent);
- leverage: imp:LeverageAsset nodes with imp:heldBy and imp:leverageKind and evidence in
            the document.
The names of a node are its rdfs:label and skos:altLabel values; its quotes are the
``oa:exact`` of its evidence in the document, placed by ``oa:start``/``oa:end`` (when those
do not select the quote in the article text, by the quote's first occurrence).

Matching rule (per article; one-to-one and greedy: predictions are taken in document
order, each matches the first gold item, in gold order, that is still free and matches it):

- names:    normalised (Unicode NFKC, casefold, possessive 's/’s dropped, dashes and slashes
            made spaces, other punctuation dropped, spaces collapsed, a leading "the "
            dropped); two entities match when any name of one equals any name of the other.
            A gold holder, agent or participant is a gold actor's ``name``: it stands for
            that actor's name and ``aliases``;
- issues:   some alternative of the gold ``issue`` and some name of the predicted issue are
            equal after normalisation, or the content words of one (stop words dropped,
            crude plural stripping: -ies -> -y, a final -s dropped except after s/u/i) are a
            non-empty subset of the other's;
- stances:  the same kind, the holder matches, the issue matches;
- actors:   the name matches and the type is equal; the lenient figure ("actors (lenient)")
            also lets ArmedGroup match Organization;
- rounds:   the venue matches (names of the imp:venue node against the gold ``venue``); a
            gold round without a venue matches a predicted round whose quote overlaps it;
- events:   the same class, and the quotes overlap (character spans in the article text) or
            the agent matches;
- leverage: the holder matches and the leverage kind's names match the gold ``kind`` as
            issues do.
Gold agreements and numbers are not scored.

Figures, per kind, micro-averaged over the articles (counts summed, then divided), for the
dev and the test split separately, over all negotiations and per negotiation: precision =
matched / predicted, recall = matched / gold, F1 = 2 * matched / (predicted + gold) (the
harmonic mean of P and R; 0 when nothing matched; undefined, shown "–", without predictions
or gold). "all" sums the kinds (actors counted strictly). "Invented stances" are the stances
predicted in articles whose gold has none.

Output: one markdown table per split and per negotiation on stdout; ``--json FILE`` writes
the figures and, per article, the false positives and the misses with their quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
KINDS = ("stances", "actors", "rounds", "events", "leverage")
LENIENT_ACTORS = "actors (lenient)"
SPLITS = ("dev", "test")
STANCE_KINDS = ("Demand", "RedLine", "Objective", "Precondition")
ACTOR_TYPES = ("Person", "State", "Organization", "ArmedGroup")
EVENT_CLASSES = ("War", "MilitaryStrike", "Withdrawal", "Escalation", "Threat", "Deployment",
                 "Sanction", "Development")
#: Styles of the gold format that are analysis pieces rather than news (``kg add --kind``).
ANALYSIS_STYLES = {"analysis", "explainer", "opinion"}
GOLD_SUFFIX = ".gold.yaml"
IMP = "https://w3id.org/impasse/ontology#"


class BenchmarkError(Exception):
    """A problem that stops the benchmark: a bad dev file, a failed pipeline step."""


# --------------------------------------------------------------------------- names, matching

_POSSESSIVE = re.compile(r"['’]s\b")
_SEPARATORS = re.compile(r"[\-‐‑‒–—―/_]+")
STOP_WORDS = frozenset(
    "a an the of on in to for and or with by from at as about over into its their his her "
    "any all be is are".split()
)


def normalise(name: str) -> str:
    """A name in the form names are compared in (see the module docstring)."""
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", name).casefold())
    text = _SEPARATORS.sub(" ", text)
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    text = " ".join(text.split())
    return text.removeprefix("the ")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and word[-2] not in "sui":
        return word[:-1]
    return word


def content_words(name: str) -> frozenset[str]:
    """The content words of a name: normalised, stop words dropped, crude plurals stripped."""
    return frozenset(_singular(w) for w in normalise(name).split() if w not in STOP_WORDS)


def names_match(names: Iterable[str], other: Iterable[str]) -> bool:
    """Whether any name of one equals any name of the other after normalisation."""
    mine = {normalise(n) for n in names} - {""}
    return bool(mine & {normalise(n) for n in other})


def issues_match(names: Iterable[str], other: Iterable[str]) -> bool:
    """Whether two issues (or leverage kinds) match: equal names, or nested content words."""
    if names_match(names, other):
        return True
    mine = [w for w in map(content_words, names) if w]
    theirs = [w for w in map(content_words, other) if w]
    return any(a <= b or b <= a for a in mine for b in theirs)


def spans_overlap(spans: Iterable[tuple[int, int]], other: Iterable[tuple[int, int]]) -> bool:
    """Whether any character span of one overlaps any span of the other."""
    other = list(other)
    return any(s1 < e2 and s2 < e1 for s1, e1 in spans for s2, e2 in other)


@dataclass(frozen=True)
class Item:
    """A stance, actor, round, event or leverage asset, gold or predicted, as matching sees it.

    ``types``: the stance kind, actor type or event class (local names, e.g. "RedLine");
    ``names``: per role (holder, issue, name, venue, agent, kind) the names it goes by;
    ``spans``: where its quotes are in the article text; ``detail``: what the JSON report shows.
    """

    types: frozenset[str] = frozenset()
    names: dict[str, frozenset[str]] = field(default_factory=dict)
    spans: tuple[tuple[int, int], ...] = ()
    detail: dict = field(default_factory=dict, compare=False)

    def role(self, name: str) -> frozenset[str]:
        """The names of one role (empty when the item has none)."""
        return self.names.get(name, frozenset())


def _lenient(types: frozenset[str]) -> frozenset[str]:
    return frozenset("Organization" if t == "ArmedGroup" else t for t in types)


def stance_matches(pred: Item, gold: Item) -> bool:
    """Same kind, holder matches, issue matches."""
    return (bool(pred.types & gold.types) and names_match(pred.role("holder"), gold.role("holder"))
            and issues_match(pred.role("issue"), gold.role("issue")))


def actor_matches(pred: Item, gold: Item) -> bool:
    """The name matches and the type is equal."""
    return bool(pred.types & gold.types) and names_match(pred.role("name"), gold.role("name"))


def actor_matches_leniently(pred: Item, gold: Item) -> bool:
    """The name matches and the type is equal, ArmedGroup counting as Organization."""
    return (bool(_lenient(pred.types) & _lenient(gold.types))
            and names_match(pred.role("name"), gold.role("name")))


def round_matches(pred: Item, gold: Item) -> bool:
    """The venue matches; without a gold venue, the quotes overlap."""
    if gold.role("venue"):
        return names_match(pred.role("venue"), gold.role("venue"))
    return spans_overlap(pred.spans, gold.spans)


def event_matches(pred: Item, gold: Item) -> bool:
    """The same class, and the quotes overlap or the agent matches."""
    return bool(pred.types & gold.types) and (
        spans_overlap(pred.spans, gold.spans) or names_match(pred.role("agent"), gold.role("agent")))


def leverage_matches(pred: Item, gold: Item) -> bool:
    """The holder matches and the leverage kinds match as issues do."""
    return (names_match(pred.role("holder"), gold.role("holder"))
            and issues_match(pred.role("kind"), gold.role("kind")))


MATCHERS: dict[str, Callable[[Item, Item], bool]] = {
    "stances": stance_matches,
    "actors": actor_matches,
    LENIENT_ACTORS: actor_matches_leniently,
    "rounds": round_matches,
    "events": event_matches,
    "leverage": leverage_matches,
}
#: The kind whose items each scored kind reads (the lenient actors figure reads the actors).
SOURCE_KIND = {kind: kind for kind in KINDS} | {LENIENT_ACTORS: "actors"}


def match_one_to_one(predicted: list, gold: list, matches: Callable) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: (prediction index, gold index) pairs.

    Predictions are taken in order; each takes the first gold item, in order, that no earlier
    prediction took and that ``matches(prediction, gold_item)``.
    """
    taken: set[int] = set()
    pairs = []
    for p, pred in enumerate(predicted):
        for g, item in enumerate(gold):
            if g not in taken and matches(pred, item):
                taken.add(g)
                pairs.append((p, g))
                break
    return pairs


@dataclass
class Counts:
    """Predicted, gold and matched items of one kind, summed over articles."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0

    def add(self, other: Counts) -> None:
        """Add another count to this one."""
        self.predicted += other.predicted
        self.gold += other.gold
        self.matched += other.matched

    @property
    def precision(self) -> float | None:
        """matched / predicted; None without predictions."""
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """matched / gold; None without gold items."""
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """2 * matched / (predicted + gold): the harmonic mean of P and R; None if both are 0."""
        total = self.predicted + self.gold
        return 2 * self.matched / total if total else None

    def to_json(self) -> dict:
        """The counts and the three figures."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "predicted": self.predicted, "gold": self.gold, "matched": self.matched}


# --------------------------------------------------------------------------- the dev set

@dataclass
class Article:
    """A dev-set article: its text and its gold annotation."""

    negotiation: str
    name: str  # the file name without .txt
    path: Path  # the .txt
    text: str
    gold: dict

    @property
    def split(self) -> str:
        """dev or test."""
        return self.gold["split"]

    @property
    def key(self) -> str:
        """negotiation/name, how the reports name the article."""
        return f"{self.negotiation}/{self.name}"


def read_article_text(path: Path) -> str:
    """The text of an article as ``kg add`` stores it (UTF-8, byte for byte, no BOM)."""
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def load_article(path: Path) -> Article:
    """Read ``<name>.txt`` and its ``<name>.gold.yaml``.

    :raises BenchmarkError: naming the file when the gold file is missing, is not YAML, or
        lacks the title, publisher, date or a split of dev/test.
    """
    gold_path = path.with_name(path.name.removesuffix(".txt") + GOLD_SUFFIX)
    try:
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        text = read_article_text(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BenchmarkError(f"{gold_path}: cannot be read: {exc}") from exc
    if not isinstance(gold, dict):
        raise BenchmarkError(f"{gold_path}: not a mapping")
    missing = [k for k in ("title", "publisher", "date", "split") if not gold.get(k)]
    if missing:
        raise BenchmarkError(f"{gold_path}: missing {', '.join(missing)}")
    if gold["split"] not in SPLITS:
        raise BenchmarkError(f"{gold_path}: split must be dev or test, not {gold['split']!r}")
    for key in ("actors", "stances", "rounds", "events", "leverage", "agreements", "numbers"):
        entries = gold.get(key) or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise BenchmarkError(f"{gold_path}: {key} must be a list of mappings")
        gold[key] = entries
    if not all(actor.get("name") for actor in gold["actors"]):
        raise BenchmarkError(f"{gold_path}: an actor without a name")
    return Article(path.parent.name, path.name.removesuffix(".txt"), path, text, gold)


def gold_problems(article: Article) -> list[str]:
    """What is inconsistent in a gold file: quotes not in the text, unknown kinds, types,
    classes or holders (the benchmark warns; the dev-set test fails)."""
    gold, problems = article.gold, []
    actor_names = set()
    for actor in gold["actors"]:
        if actor.get("type") not in ACTOR_TYPES:
            problems.append(f"actor {actor.get('name')!r}: type {actor.get('type')!r}")
        actor_names |= {normalise(n) for n in [actor.get("name", ""), *actor.get("aliases", [])]}
    for section in ("stances", "rounds", "events", "leverage", "agreements", "numbers"):
        for n, entry in enumerate(gold[section], 1):
            quote = entry.get("quote")
            if not quote or quote not in article.text:
                problems.append(f"{section} #{n}: quote not in the text: {quote!r}")
    for n, stance in enumerate(gold["stances"], 1):
        if stance.get("kind") not in STANCE_KINDS:
            problems.append(f"stances #{n}: kind {stance.get('kind')!r}")
        if not stance.get("issue"):
            problems.append(f"stances #{n}: no issue")
    for n, event in enumerate(gold["events"], 1):
        if event.get("class") not in EVENT_CLASSES:
            problems.append(f"events #{n}: class {event.get('class')!r}")
    for section, role in (("stances", "holder"), ("events", "agent"), ("leverage", "holder")):
        for n, entry in enumerate(gold[section], 1):
            if entry.get(role) and normalise(str(entry[role])) not in actor_names:
                problems.append(f"{section} #{n}: {role} {entry[role]!r} is not among the actors")
    if gold.get("negotiation") != article.negotiation:
        problems.append(f"negotiation {gold.get('negotiation')!r}, but the folder is {article.negotiation}")
    return problems


def find_articles(devset: Path, negotiations: list[str] | None, names: list[str] | None,
                  warn: Callable[[str], None]) -> dict[str, list[Article]]:
    """The dev articles per negotiation folder, in file order (optionally only some).

    A ``.txt`` without its gold file (still being written) is skipped with a warning.
    :raises BenchmarkError: when a named negotiation or article does not exist.
    """
    if not devset.is_dir():
        raise BenchmarkError(f"{devset}: no dev-set folder")
    folders = sorted(p for p in devset.iterdir() if p.is_dir())
    if negotiations:
        unknown = set(negotiations) - {p.name for p in folders}
        if unknown:
            raise BenchmarkError(f"{devset}: no negotiation folder {', '.join(sorted(unknown))}")
        folders = [p for p in folders if p.name in negotiations]
    found: dict[str, list[Article]] = {}
    for folder in folders:
        articles = []
        for path in sorted(folder.glob("*.txt")):
            if names and path.stem not in names:
                continue
            if not path.with_name(path.stem + GOLD_SUFFIX).exists():
                warn(f"{path}: no {path.stem}{GOLD_SUFFIX} yet; skipped")
                continue
            articles.append(load_article(path))
        if articles:
            found[folder.name] = articles
    if names:
        unknown = set(names) - {a.name for arts in found.values() for a in arts}
        if unknown:
            raise BenchmarkError(f"{devset}: no article {', '.join(sorted(unknown))}")
    return found


def _find_all(text: str, quote: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], text.find(quote) if quote else -1
    while start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return tuple(spans)


def gold_items(article: Article) -> dict[str, list[Item]]:
    """The gold items of an article per kind (holders and agents stand for their actor's names)."""
    gold = article.gold
    actor_names: dict[str, frozenset[str]] = {}
    for actor in gold["actors"]:
        names = frozenset([str(actor["name"]), *map(str, actor.get("aliases") or [])])
        for name in names:
            actor_names.setdefault(normalise(name), names)

    def actor(name) -> frozenset[str]:
        if not name:
            return frozenset()
        return actor_names.get(normalise(str(name)), frozenset([str(name)]))

    def alternatives(value) -> frozenset[str]:
        return frozenset(map(str, value if isinstance(value, list) else [value] if value else []))

    def item(entry: dict, types=(), **names) -> Item:
        return Item(frozenset(types), {k: v for k, v in names.items() if v},
                    _find_all(article.text, entry.get("quote") or ""), entry)

    return {
        "stances": [item(s, [s.get("kind")], holder=actor(s.get("holder")), issue=alternatives(s.get("issue")))
                    for s in gold["stances"]],
        "actors": [Item(frozenset([a.get("type")]), {"name": frozenset([str(a["name"]), *map(str, a.get("aliases") or [])])},
                        (), a) for a in gold["actors"]],
        "rounds": [item(r, venue=alternatives(r.get("venue"))) for r in gold["rounds"]],
        "events": [item(e, [e.get("class")], agent=actor(e.get("agent"))) for e in gold["events"]],
        "leverage": [item(v, holder=actor(v.get("holder")), kind=alternatives(v.get("kind")))
                     for v in gold["leverage"]],
    }


# --------------------------------------------------------------------------- the pipeline

def run_kg(args: list[str], step: str) -> None:
    """Run ``python -m kg ARGS`` from the repository.

    :raises BenchmarkError: naming the step and showing its output when it fails.
    """
    done = subprocess.run([sys.executable, "-m", "kg", *args], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkError(f"{step} failed (exit {done.returncode}): "
                             f"{shlex.join([sys.executable, '-m', 'kg', *args])}\n{done.stderr}{done.stdout}")


def make_project(root: Path, negotiation_dir: Path, own_reference: bool) -> None:
    """A fresh project in ``root``: the repository's ontology/ and queries/, an empty corpus/;
    with ``own_reference``, the negotiation's reference/ folder (where it has one) replaces
    ontology/reference/."""
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "corpus").mkdir()
    reference = negotiation_dir / "reference"
    if own_reference and reference.is_dir():
        shutil.rmtree(root / "ontology" / "reference")
        shutil.copytree(reference, root / "ontology" / "reference")


def build_negotiation(project: Path, articles: list[Article], own_reference: bool,
                      log: Callable[[str], None]) -> Path:
    """Make the project, add every article, build once; the path of the exported TriG."""
    negotiation_dir = articles[0].path.parent
    make_project(project, negotiation_dir, own_reference)
    reference = negotiation_dir / "reference"
    if own_reference:
        log(f"reference data: {reference}/" if reference.is_dir()
            else f"reference data: the repository's ({reference}/ does not exist)")
    for n, article in enumerate(articles, 1):
        log(f"kg add {n}/{len(articles)}: {article.path.name}")
        gold = article.gold
        kind = "analysis" if gold.get("style") in ANALYSIS_STYLES else "news"
        run_kg(["add", "-C", str(project), str(article.path), "--title", str(gold["title"]),
                "--publisher", str(gold["publisher"]), "--date", str(gold["date"]), "--kind", kind],
               f"kg add {article.path}")
    log("kg build")
    run_kg(["build", "-C", str(project), "--include-proposed", "0", "--no-reason", "--no-validate"],
           f"kg build of {project}")
    return project / "exports" / "impasse.trig"


# --------------------------------------------------------------------------- reading the graph

PREFIXES = f"""
PREFIX imp: <{IMP}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
Q_DOCUMENTS = """SELECT ?doc ?file ?title WHERE { ?doc a imp:Document .
  OPTIONAL { ?doc imp:sourceFileName ?file } OPTIONAL { ?doc dcterms:title ?title } }"""
Q_NAMES = """SELECT ?node ?name WHERE { { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name } }"""
Q_EVIDENCE = """SELECT ?ev ?doc ?exact ?start ?end WHERE { ?ev oa:hasSource ?doc .
  OPTIONAL { ?ev oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact }
  OPTIONAL { ?ev oa:hasSelector ?p . ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end } }"""
#: Per kind: rows of (?doc ?node ?ev ?type and role variables), one per value.
Q_KINDS = {
    "stances": """SELECT ?doc ?node ?ev ?type ?holder ?issue WHERE {
  VALUES ?type { imp:Demand imp:RedLine imp:Objective imp:Precondition }
  ?node a ?type ; imp:heldBy ?holder ; imp:onIssue ?issue ; prov:wasDerivedFrom ?ev .
  ?ev oa:hasSource ?doc . }""",
    "actors": """SELECT DISTINCT ?doc ?node ?ev ?type WHERE {
  VALUES ?type { imp:Person imp:State imp:Organization imp:ArmedGroup }
  ?node a ?type .
  { ?node imp:denotedBy ?ev . ?ev oa:hasSource ?doc }
  UNION { ?fact ?p ?node ; prov:wasDerivedFrom ?ev . ?ev oa:hasSource ?doc } }""",
    "rounds": """SELECT ?doc ?node ?ev ?venue WHERE {
  ?node a imp:NegotiationRound ; prov:wasDerivedFrom ?ev . ?ev oa:hasSource ?doc .
  OPTIONAL { ?node imp:venue ?venue } }""",
    "events": """SELECT ?doc ?node ?ev ?type ?agent WHERE {
  ?type rdfs:subClassOf* imp:Event . FILTER (?type != imp:NegotiationRound)
  ?node a ?type ; prov:wasDerivedFrom ?ev . ?ev oa:hasSource ?doc .
  FILTER NOT EXISTS { ?node a imp:NegotiationRound }
  OPTIONAL { ?node imp:agent ?agent } }""",
    "leverage": """SELECT ?doc ?node ?ev ?holder ?kind WHERE {
  ?node a imp:LeverageAsset ; imp:heldBy ?holder ; imp:leverageKind ?kind ; prov:wasDerivedFrom ?ev .
  ?ev oa:hasSource ?doc . }""",
}
#: The query variable that holds each role's node (its names are the role's names).
ROLES = {"stances": ("holder", "issue"), "actors": (), "rounds": ("venue",), "events": ("agent",),
         "leverage": ("holder", "kind")}


class ExportedGraph:
    """The exported TriG in an in-memory Oxigraph store, queried over the union of its graphs."""

    def __init__(self, trig: Path):
        from pyoxigraph import RdfFormat, Store

        self.store = Store()
        try:
            self.store.load(path=str(trig), format=RdfFormat.TRIG)
        except (OSError, SyntaxError, ValueError) as exc:
            raise BenchmarkError(f"{trig}: cannot be read: {exc}") from exc

    def select(self, query: str) -> list[dict[str, str]]:
        """The rows of a SELECT query: variable -> lexical value (unbound ones left out)."""
        solutions = self.store.query(PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def _local(iri: str) -> str:
    return iri.removeprefix(IMP)


def _place(text: str, exact: str | None, start: str | None, end: str | None) -> tuple[int, int] | None:
    """The span of a quote in the article: its offsets if they select it, else its first occurrence."""
    if start is not None and end is not None and (exact is None or text[int(start):int(end)] == exact):
        return int(start), int(end)
    found = text.find(exact) if exact else -1
    return (found, found + len(exact)) if found >= 0 else None


def _most_specific(kind: str, types: set[str]) -> frozenset[str]:
    if kind == "actors" and "ArmedGroup" in types:
        types = types - {"Organization"}
    if kind == "events" and len(types) > 1:
        types = types - {"Event"}
    return frozenset(types)


def predicted_items(trig: Path, articles: list[Article], warn: Callable[[str], None]) -> dict[str, dict]:
    """The predictions per article key: its document IRI and, per kind, its items in document order.

    :raises BenchmarkError: when an article has no document in the graph.
    """
    graph = ExportedGraph(trig)
    by_file = {a.path.name: a for a in articles}
    by_title = {normalise(str(a.gold["title"])): a for a in articles}
    documents: dict[str, Article] = {}
    for row in graph.select(Q_DOCUMENTS):
        article = by_file.get(row.get("file", "")) or by_title.get(normalise(row.get("title", "")))
        if article is None:
            warn(f"{trig}: document {row['doc']} is no dev article")
        else:
            documents[row["doc"]] = article
    missing = [a.key for a in articles if a not in documents.values()]
    if missing:
        raise BenchmarkError(f"{trig}: no document for {', '.join(missing)}")
    names: dict[str, set[str]] = defaultdict(set)
    for row in graph.select(Q_NAMES):
        names[row["node"]].add(row["name"])
    evidence = {}
    for row in graph.select(Q_EVIDENCE):
        article = documents.get(row["doc"])
        if article is not None:
            exact = row.get("exact")
            evidence[row["ev"]] = (exact, _place(article.text, exact, row.get("start"), row.get("end")))
    result = {a.key: {"document": doc, **{k: [] for k in KINDS}} for doc, a in documents.items()}
    for kind, query in Q_KINDS.items():
        grouped: dict[tuple[str, str], dict] = {}
        for row in graph.select(query):
            if row["doc"] not in documents:
                continue
            entry = grouped.setdefault((row["doc"], row["node"]), {"types": set(), "evidence": set(),
                                                                    **{r: set() for r in ROLES[kind]}})
            entry["evidence"].add(row["ev"])
            if "type" in row:
                entry["types"].add(_local(row["type"]))
            for role in ROLES[kind]:
                if role in row:
                    entry[role].add(row[role])
        for (doc, node), entry in grouped.items():
            quotes = sorted({evidence[ev] for ev in entry["evidence"] if ev in evidence},
                            key=lambda q: (q[1] or (len(documents[doc].text), 0), q[0] or ""))
            role_names = {r: frozenset(n for v in entry[r] for n in names.get(v, {v})) for r in ROLES[kind]}
            if kind == "actors":
                role_names["name"] = frozenset(names.get(node, ()))
            types = _most_specific(kind, entry["types"])
            detail = {"node": node, **({"types": sorted(types)} if types else {}),
                      **{r: sorted(v) for r, v in role_names.items()},
                      "quotes": [{"exact": exact, "start": span[0] if span else None,
                                  "end": span[1] if span else None} for exact, span in quotes]}
            spans = tuple(span for _, span in quotes if span)
            result[documents[doc].key][kind].append(Item(types, role_names, spans, detail))
    for predicted in result.values():
        for kind in KINDS:
            predicted[kind].sort(key=lambda i: (i.spans[0] if i.spans else (sys.maxsize, 0), i.detail["node"]))
    return result


# --------------------------------------------------------------------------- scoring, reports

def score_article(article: Article, predicted: dict) -> dict:
    """Per scored kind: the counts, the false positives and the misses of one article."""
    gold = gold_items(article)
    report = {}
    for kind, matches in MATCHERS.items():
        preds, golds = predicted[SOURCE_KIND[kind]], gold[SOURCE_KIND[kind]]
        pairs = match_one_to_one(preds, golds, matches)
        matched_p, matched_g = {p for p, _ in pairs}, {g for _, g in pairs}
        report[kind] = {
            "counts": Counts(len(preds), len(golds), len(pairs)),
            "false_positives": [p.detail for n, p in enumerate(preds) if n not in matched_p],
            "misses": [g.detail for n, g in enumerate(golds) if n not in matched_g],
        }
    return report


def summarise(scored: list[tuple[Article, dict]]) -> dict:
    """Counts per split, per scope ("all" and each negotiation), per kind (and "all")."""
    totals: dict = {}
    for article, report in scored:
        for scope in ("all", article.negotiation):
            table = totals.setdefault(article.split, {}).setdefault(scope, {})
            for kind in (*MATCHERS, "all"):
                table.setdefault(kind, Counts())
            for kind, entry in report.items():
                table[kind].add(entry["counts"])
                if kind in KINDS:
                    table["all"].add(entry["counts"])
    return totals


def invented_stances(scored: list[tuple[Article, dict]]) -> dict[str, dict[str, int]]:
    """Per split: article key -> stances predicted in an article whose gold has no stance."""
    found: dict[str, dict[str, int]] = {split: {} for split in SPLITS}
    for article, report in scored:
        counts = report["stances"]["counts"]
        if counts.gold == 0 and counts.predicted:
            found[article.split][article.key] = counts.predicted
    return found


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _articles(n: int) -> str:
    return f"{n} article" + ("" if n == 1 else "s")


def markdown_table(table: dict[str, Counts]) -> str:
    """A markdown table: kind | P | R | F1 | predicted | gold | matched."""
    lines = ["| kind | P | R | F1 | predicted | gold | matched |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, c in table.items():
        lines.append(f"| {kind} | {_figure(c.precision)} | {_figure(c.recall)} | {_figure(c.f1)} "
                     f"| {c.predicted} | {c.gold} | {c.matched} |")
    return "\n".join(lines)


def markdown_report(totals: dict, scored: list[tuple[Article, dict]]) -> str:
    """The stdout report: per split, the table over all negotiations, then one per negotiation,
    then the invented stances."""
    invented = invented_stances(scored)
    parts = []
    for split in SPLITS:
        if split not in totals:
            continue
        articles = [a for a, _ in scored if a.split == split]
        parts.append(f"## {split}: all negotiations ({_articles(len(articles))})\n\n"
                     + markdown_table(totals[split]["all"]))
        for scope, table in totals[split].items():
            if scope != "all":
                n = sum(a.negotiation == scope for a in articles)
                parts.append(f"### {split}: {scope} ({_articles(n)})\n\n" + markdown_table(table))
        listing = invented[split]
        parts.append(f"Invented stances ({split}): {sum(listing.values())}"
                     + "".join(f"\n- {key}: {n}" for key, n in listing.items()))
    return "\n\n".join(parts) + "\n"


def json_report(totals: dict, scored: list[tuple[Article, dict]], predicted: dict, settings: dict) -> dict:
    """The full figures, the invented stances and, per article, false positives and misses."""
    return {
        "settings": settings,
        "scores": {split: {scope: {k: c.to_json() for k, c in table.items()} for scope, table in scopes.items()}
                   for split, scopes in totals.items()},
        "invented_stances": invented_stances(scored),
        "articles": [
            {"article": article.key, "split": article.split, "document": predicted[article.key]["document"],
             "kinds": {kind: {"counts": entry["counts"].to_json(), "false_positives": entry["false_positives"],
                              "misses": entry["misses"]} for kind, entry in report.items()}}
            for article, report in scored
        ],
    }


# --------------------------------------------------------------------------- command line

def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def evaluate_negotiation(negotiation: str, articles: list[Article], own_reference: bool,
                         keep: Path | None) -> dict[str, dict]:
    """Build one negotiation's project (kept under ``keep`` when given) and read its predictions."""
    def log(message: str) -> None:
        _stderr(f"[{negotiation}] {message}")

    for article in articles:
        for problem in gold_problems(article):
            log(f"warning: {article.path.name.removesuffix('.txt')}{GOLD_SUFFIX}: {problem}")
    if keep is not None:
        project = keep / negotiation
        if project.exists():
            raise BenchmarkError(f"{project}: already exists; give --keep a new folder")
        project.mkdir(parents=True)
        return predicted_items(build_negotiation(project, articles, own_reference, log), articles, log)
    with tempfile.TemporaryDirectory(prefix=f"impasse-bench-{negotiation}-") as tmp:
        return predicted_items(build_negotiation(Path(tmp), articles, own_reference, log), articles, log)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, metavar="DIR", default=REPO / "benchmarks" / "devset",
                        help="the dev-set folder, one sub-folder per negotiation [default: benchmarks/devset]")
    parser.add_argument("--negotiation", action="append", metavar="NAME", help="only this negotiation folder (repeatable)")
    parser.add_argument("--article", action="append", metavar="NAME", help="only this article, by file name without .txt (repeatable)")
    parser.add_argument("--own-reference", action="store_true",
                        help="use the negotiation's reference/ folder as ontology/reference/ where it has one")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the full figures and per-article errors here")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the projects in DIR/<negotiation>/ and keep them")
    parser.add_argument("--jobs", type=int, metavar="N", default=os.cpu_count() or 1,
                        help="negotiations built at the same time [default: the number of CPUs]")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run the benchmark; 0 on success, 2 when a dev file or a pipeline step fails."""
    args = parse_args(argv)
    started = time.monotonic()
    try:
        found = find_articles(args.devset, args.negotiation, args.article, _stderr)
        if not found:
            raise BenchmarkError(f"{args.devset}: no article with a gold file")
        with ThreadPoolExecutor(max_workers=max(1, min(args.jobs, len(found)))) as pool:
            futures = {n: pool.submit(evaluate_negotiation, n, arts, args.own_reference, args.keep)
                       for n, arts in found.items()}
            predicted = {key: items for future in futures.values() for key, items in future.result().items()}
    except BenchmarkError as exc:
        _stderr(f"Error: {exc}")
        return 2
    scored = [(a, score_article(a, predicted[a.key])) for arts in found.values() for a in arts]
    totals = summarise(scored)
    print(markdown_report(totals, scored), end="")
    if args.json:
        settings = {"devset": str(args.devset), "negotiations": sorted(found), "own_reference": args.own_reference,
                    "articles": len(scored)}
        report = json_report(totals, scored, predicted, settings)  # default=str: YAML dates in gold entries
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    _stderr(f"{_articles(len(scored))} in {len(found)} negotiation(s), {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
