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
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many quads")
    parser.add_argument("--out", type=Path, required=True, help="the N-Quads file to write")
    args = parser.parse_args()
    quads = generate(args.triples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(quads, output=str(args.out), format=ox.RdfFormat.N_QUADS)
    print(f"{args.out}: {len(quads):,} quads")


if __name__ == "__main__":
    main()
