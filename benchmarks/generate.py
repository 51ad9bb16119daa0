"""Generate a synthetic Impasse graph of a given size, shaped like the real one.

The corpus graph (exports/impasse.trig: ontology, reference data and one named graph per
document, with actors, positions, rounds, leverage, evidence with quotes and text offsets)
is the template. The ontology and the reference data (actors, places, issues, the JCPOA,
the kinds) are kept once, as in a larger real corpus: more articles about the same
negotiation, the same actors and issues. The document graphs are copied as many times as
needed to reach the size asked for; each copy gets its own IRIs (documents, facts,
evidence, selectors, rounds …, suffixed ``-c<N>``, their labels `` #<N>``; copy 0 is the
corpus as is) and blank nodes. So the named queries' default parameters (United States,
Iran …) read every copy, as an analyst's question over many articles would. The derived
graph (the rules' output and inferred types) is left out: building the synthetic graph
runs the derivation rules for real.

Output is N-Quads (named graphs kept), a file ready for `kg.store` or `benchmarks/stores.py`.

    .venv/bin/python benchmarks/generate.py --triples 100000 --out /tmp/kg-bench/100k.nq

The same copies, one level up, as a project (``--documents N``, for `benchmarks/growth.py`):
the curated documents of corpus/ and their facts files, copy ``n`` with slugs, round and
event keys suffixed ``-c<n>`` and labels `` #<n>`` (references to those keys follow), beside
the project's ontology/ and queries/. Titles and texts are kept, so each copy's quotes are
verified against the same words.

    .venv/bin/python benchmarks/generate.py --documents 100 --out /tmp/kg-growth/100
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pyoxigraph as ox
import yaml

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/impasse/id/"
SHARED_GRAPHS = (ID + "graph/ontology", ID + "graph/reference")
DERIVED = ID + "graph/derived"


def template(source: Path = ROOT / "exports" / "impasse.trig") -> tuple[list[ox.Quad], list[ox.Quad], set[str]]:
    """(shared quads, document quads, IRIs to keep) of the real graph."""
    shared, documents = [], []
    for quad in ox.parse(path=str(source), format=ox.RdfFormat.TRIG):
        name = quad.graph_name.value
        if name in SHARED_GRAPHS:
            shared.append(quad)
        elif name != DERIVED:
            documents.append(quad)
    keep = {q.subject.value for q in shared if isinstance(q.subject, ox.NamedNode)}
    return shared, documents, keep


LABELS = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel"}


def _copy(term, n: int, keep: set[str]):
    if n == 0:
        return term
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(ID) and term.value not in keep:
            return ox.NamedNode(f"{term.value}-c{n}")
        return term
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(f"{term.value}c{n}")
    return term


def _label(quad: ox.Quad, n: int, keep: set[str]):
    """The object of a copied quad; a copied entity's labels say which copy it is (names stay unique)."""
    term = quad.object
    if (n and quad.predicate.value in LABELS and isinstance(term, ox.Literal)
            and _copy(quad.subject, n, keep) != quad.subject):
        return ox.Literal(f"{term.value} #{n}", language=term.language) if term.language \
            else ox.Literal(f"{term.value} #{n}", datatype=term.datatype)
    return _copy(term, n, keep)


def generate(triples: int) -> list[ox.Quad]:
    """At least ``triples`` quads (whole copies of the documents; one copy at the least)."""
    shared, documents, keep = template()
    copies = max(1, -(-(triples - len(shared)) // len(documents)))
    quads = list(shared)
    for n in range(copies):
        quads.extend(ox.Quad(_copy(q.subject, n, keep), q.predicate, _label(q, n, keep),
                             _copy(q.graph_name, n, keep)) for q in documents)
    return quads


#: Fields of a fact that hold text, never a key to rename.
_TEXT_FIELDS = {"kind", "type", "class", "label", "comment", "quote", "evidence", "status", "role",
                "outcome", "period", "date", "scale", "sector", "qualifier", "unit", "value"}


def _sources(root: Path = ROOT) -> list[tuple[str, str, dict]]:
    """(slug, document text, facts data) of every curated document of the project."""
    corpus = root / "corpus"
    return [(path.stem, path.read_text(encoding="utf-8"),
             yaml.safe_load((corpus / f"{path.stem}.facts.yaml").read_text(encoding="utf-8")))
            for path in sorted(corpus.glob("*.txt"))]


def copy_document(slug: str, text: str, facts: dict, n: int, keys: set[str]) -> tuple[str, str, str]:
    """Copy ``n`` of one document: (slug, text file, facts file); copy 0 is the document as is."""
    if n == 0:
        return slug, text, yaml.safe_dump(facts, allow_unicode=True, sort_keys=False, width=1000)

    def rename(value):
        if isinstance(value, str) and value in keys:
            return f"{value}-c{n}"
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    copied = []
    for fact in facts["facts"]:
        fact = {name: (value if name in _TEXT_FIELDS else rename(value)) for name, value in fact.items()}
        if "key" in fact and "label" in fact:
            fact["label"] = f"{fact['label']} #{n}"
        copied.append(fact)
    new = f"{slug}-c{n}"
    dumped = yaml.safe_dump({"document": new, "facts": copied}, allow_unicode=True, sort_keys=False, width=1000)
    return new, text, dumped


def generate_corpus(documents: int, out: Path, root: Path = ROOT) -> list[str]:
    """A project of ``documents`` documents in ``out`` (replaced): ontology/, queries/, corpus/.

    :returns: the slugs written, in the order they were made.
    """
    sources = _sources(root)
    keys = {str(f["key"]) for _, _, data in sources for f in data["facts"] if "key" in f}
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(root / "ontology", out / "ontology")
    shutil.copytree(root / "queries", out / "queries")
    (out / "corpus").mkdir(parents=True)
    slugs = []
    for index in range(documents):
        slug, text, facts = sources[index % len(sources)]
        new, text, dumped = copy_document(slug, text, facts, index // len(sources), keys)
        (out / "corpus" / f"{new}.txt").write_text(text, encoding="utf-8")
        (out / "corpus" / f"{new}.facts.yaml").write_text(dumped, encoding="utf-8")
        slugs.append(new)
    return slugs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, help="about how many quads (an N-Quads file)")
    parser.add_argument("--documents", type=int, help="how many documents (a project folder)")
    parser.add_argument("--out", type=Path, required=True, help="the N-Quads file or project folder to write")
    args = parser.parse_args()
    if (args.triples is None) == (args.documents is None):
        parser.error("give one of --triples and --documents")
    if args.documents is not None:
        print(f"{args.out}: {len(generate_corpus(args.documents, args.out))} documents")
        return
    quads = generate(args.triples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(quads, output=str(args.out), format=ox.RdfFormat.N_QUADS)
    print(f"{args.out}: {len(quads):,} quads")


if __name__ == "__main__":
    main()
