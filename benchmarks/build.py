"""Time the stages of `kg build` on the corpus, and the rules on two engines.

Prints the median of several runs of each stage (wall time, this machine), and for the
derivation rules the ratio of rdflib's own SPARQL engine (the baseline) to Oxigraph, both
measured here in the same process on the same asserted graph.

    .venv/bin/python benchmarks/build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg.build.builder import build
from kg.derive.rules import derive, load_rules
from kg.formats import render_exports
from kg.derive.reasoning import HERMIT, OWL_RL, java_runtime, reason
from kg.store import merged_graph
from kg.derive.validation import validate

ROOT = Path(__file__).resolve().parent.parent


def timed(function, runs: int) -> float:
    """The median wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    rules = load_rules(ROOT / "queries" / "rules")
    rows = [("load and verify corpus, build graph (no rules)", timed(lambda: build(ROOT, rules=False), runs))]
    asserted = build(ROOT, rules=False)

    def oxigraph_rules():
        derive(build(ROOT, rules=False).graph, rules)

    rows.append(("… and derive with the rules on Oxigraph", timed(oxigraph_rules, runs)))
    graph = merged_graph(asserted.graph)
    engines = []
    for rule in rules:
        ox_time = timed(lambda r=rule: list(asserted.graph.oxigraph.query(r.text, use_default_graph_as_union=True)), runs)
        rdflib_time = timed(lambda r=rule: list(graph.query(r.text)), runs)
        engines.append((rule.name, ox_time, rdflib_time))
    full = build(ROOT)
    if java_runtime():
        rows.append(("build, derive and reason with HermiT (owlready2)", timed(lambda: reason(build(ROOT).graph, prefer=HERMIT), max(1, runs // 2))))
    rows.append(("build, derive and reason with OWL-RL (owlrl)", timed(lambda: reason(build(ROOT).graph, prefer=OWL_RL), max(1, runs // 2))))
    rows.append(("validate with pySHACL", timed(lambda: validate(full.graph, ROOT / "ontology" / "shapes.ttl"), runs)))
    rows.append(("render the RDF exports", timed(lambda: render_exports(full.graph), runs)))
    print(f"Build stages, median of {runs} runs ({len(full.graph):,} quads):")
    for name, seconds in rows:
        print(f"  {name:<50} {seconds:8.3f} s")
    print("\nDerivation rules, one pass over the asserted graph: Oxigraph against rdflib's engine (baseline)")
    print(f"  {'rule':<22} {'Oxigraph':>10} {'rdflib':>10} {'rdflib/Oxigraph':>16}")
    for name, ox_time, rdflib_time in engines:
        print(f"  {name:<22} {ox_time * 1000:8.1f}ms {rdflib_time * 1000:8.1f}ms {rdflib_time / ox_time:15.0f}x")


if __name__ == "__main__":
    main()
