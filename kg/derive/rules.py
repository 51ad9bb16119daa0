"""Derivation: run the CONSTRUCT rules of queries/rules/ to a fixed point.

The rules read the union of all graphs and write into the derived graph. They are plain
SPARQL 1.1 files, so any engine can re-derive the same triples (queries/rules/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgError
from ..vocab import GRAPH_DERIVED
from ..sparql.syntax import check_syntax
from ..store import KnowledgeGraph

MAX_ROUNDS = 20  # the rules here settle in two rounds; more means a rule keeps minting nodes


@dataclass(frozen=True)
class Rule:
    """One CONSTRUCT rule read from a file."""

    name: str
    path: Path
    text: str


def load_rules(folder: str | Path) -> list[Rule]:
    """Read and syntax-check every ``*.rq`` rule of a folder, in name order.

    :raises QuerySyntaxError: naming the file, line and column of a rule that does not parse.
    :raises KgError: when a rule is not a CONSTRUCT query.
    """
    rules = []
    for path in sorted(Path(folder).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        check_syntax(text, str(path))
        if "CONSTRUCT" not in text.upper():
            raise KgError(f"{path}: a derivation rule must be a CONSTRUCT query")
        rules.append(Rule(name=path.stem, path=path, text=text))
    return rules


def derive(graph: KnowledgeGraph, rules: list[Rule], distinct: ox.Store | None = None) -> dict[str, int]:
    """Apply the rules until a round adds nothing; new triples go to the derived graph.

    :param distinct: the graph's distinct triples (:func:`distinct_triples`), kept in step here
        with what the rules add, so that reasoning and validation can read them after; by
        default a copy made for the rules alone.
    :returns: how many triples each rule added in all.
    :raises KgError: when the rules have not settled after ``MAX_ROUNDS`` rounds.
    """
    derived = ox.NamedNode(str(GRAPH_DERIVED))
    added = {rule.name: 0 for rule in rules}
    if distinct is None:
        distinct = distinct_triples(graph)
    for _ in range(MAX_ROUNDS):
        new_in_round = 0
        for rule in rules:
            results = distinct.query(rule.text) if distinct is not None else graph.query(rule.text)
            new = {ox.Quad(t.subject, t.predicate, t.object, derived) for t in results}
            new = [quad for quad in new if quad not in graph]
            graph.extend(new)
            if distinct is not None:
                distinct.extend(ox.Quad(q.subject, q.predicate, q.object) for q in new)
            added[rule.name] += len(new)
            new_in_round += len(new)
        if not new_in_round:
            return added
    raise KgError(f"the derivation rules did not settle after {MAX_ROUNDS} rounds")


def distinct_triples(graph: KnowledgeGraph) -> ox.Store | None:
    """Every distinct triple of the graph's named graphs, in the default graph of a new Oxigraph
    store; None where the engine is not Oxigraph.

    The rules read the union of the named graphs, and Oxigraph's union is a bag
    (docs/engine-notes.md, "The default graph is not the union"): a position that N articles
    report sits in N graphs, so a rule that matches three of its triples ran through N³ rows,
    and the rules grew with the cube of the corpus. Here each triple is once. Every graph is
    copied as N-Triples from store to store inside Oxigraph, no term passing through Python.

    One copy serves a whole build (about a second at 100 documents): :func:`kg.build.builder.build`
    keeps it in :attr:`~kg.build.builder.BuildResult.distinct`, the rules and the entailment
    rules add to it what they add to the graph, and validation reads it.
    """
    store = graph.oxigraph
    if store is None:
        return None
    distinct = ox.Store()
    dumps = b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) for name in store.named_graphs())
    distinct.bulk_load(dumps, format=ox.RdfFormat.N_TRIPLES)
    return distinct
