"""How `kg build` grows with the corpus: every stage timed at N documents, and one new article.

For each N, a project of N documents is generated (benchmarks/generate.py: copies of the
curated articles with new slugs and keys, the generator the store benchmark uses) and built
in a child process, stage by stage, as `kg build` runs them (kg.pipeline.run): load and
verify the corpus into the store, the derivation rules, reasoning (HermiT on the ontology,
the entailment rules on the graph), SHACL validation (the shapes compiled to SPARQL), the RDF exports, the
views. The build starts from an empty cache (from scratch); then one more article is added
and the whole pipeline runs again over the N + 1 documents with the cache the first build
left (the one-new-article rebuild). Each child reports its peak memory (max RSS). The growth
exponent of a stage between two sizes is log(t2 / t1) / log(N2 / N1): 1 is linear.

    .venv/bin/python benchmarks/growth.py --sizes 2,20,100 --runs 3
    .venv/bin/python benchmarks/growth.py --sizes 400 --runs 1
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "rules", "reason", "validate", "exports", "views")


def _stages(root: Path, cache: Path) -> dict[str, float]:
    """Run the pipeline's stages once over the project at ``root``; seconds per stage."""
    from kg.build.builder import Project, build
    from kg.derive.reasoning import classify
    from kg.derive.rules import derive, distinct_triples, load_rules
    from kg.derive.validation import validate
    from kg.formats import write_exports
    from kg.views import write_views
    from kg.views.graphdata import GraphData

    project = Project(root)
    times: dict[str, float] = {}
    start = time.perf_counter()
    built = build(root, rules=False, cache=cache)
    times["load"] = time.perf_counter() - start
    start = time.perf_counter()
    distinct = distinct_triples(built.graph)  # one copy for the rules, reasoning and validation, as build() makes
    derive(built.graph, load_rules(project.rules), distinct)
    times["rules"] = time.perf_counter() - start
    start = time.perf_counter()
    classify(built.graph, cache=cache, distinct=distinct)
    times["reason"] = time.perf_counter() - start
    start = time.perf_counter()
    if not validate(built.graph, project.shapes, distinct=distinct).conforms:
        raise SystemExit(f"{root}: the generated corpus does not conform")
    times["validate"] = time.perf_counter() - start
    start = time.perf_counter()
    data = GraphData(built.graph)  # read once for the network exports and the views, as kg.pipeline.publish does
    write_exports(built.graph, project.exports, data=data, cache=cache)  # blocks kept, as `kg build` does
    times["exports"] = time.perf_counter() - start
    start = time.perf_counter()
    write_views(built.graph, project.exports / "views", cache=cache, data=data)  # layouts cached, as `kg build` does
    times["views"] = time.perf_counter() - start
    times["quads"] = len(built.graph)
    print(f"{root.name}: " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()), file=sys.stderr, flush=True)
    return times


def child(documents: int, work: Path) -> dict:
    """One size, in its own process: a build from scratch, then one new article."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_corpus

    newest = generate_corpus(documents + 1, work)[-1]
    corpus = work / "corpus"
    held = Path(tempfile.mkdtemp(prefix="kg-growth-new-"))
    for path in corpus.glob(f"{newest}.*"):
        shutil.move(str(path), held / path.name)
    cache = work / ".kg-cache"
    out = {"scratch": _stages(work, cache)}
    for path in held.iterdir():
        shutil.move(str(path), corpus / path.name)
    held.rmdir()
    start = time.perf_counter()
    out["added"] = _stages(work, cache)
    out["added"]["total"] = time.perf_counter() - start
    out["scratch"]["total"] = sum(out["scratch"][s] for s in STAGES)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _run(documents: int, timeout: float) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"kg-growth-{documents}-"))
    try:
        done = subprocess.run([sys.executable, __file__, "--child", str(documents), "--work", str(work)],
                              stdout=subprocess.PIPE, text=True, timeout=timeout, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _median(results: list[dict], part: str, stage: str) -> float:
    return statistics.median(r[part][stage] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,20,100")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.work)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    table = {}
    for n in sizes:
        table[n] = [_run(n, args.timeout) for _ in range(args.runs)]
        print(f"N={n}: " + json.dumps(table[n]), file=sys.stderr, flush=True)
    print(f"`kg build` stages from scratch, medians of {args.runs} runs (seconds):\n")
    print("| documents | quads | " + " | ".join(STAGES) + " | total | peak memory | one new article: total |")
    print("| ---: | ---: | " + " | ".join("---:" for _ in STAGES) + " | ---: | ---: | ---: |")
    for n, results in table.items():
        cells = [f"{_median(results, 'scratch', s):.2f}" for s in STAGES + ("total",)]
        print(f"| {n:,} | {int(_median(results, 'scratch', 'quads')):,} | " + " | ".join(cells)
              + f" | {statistics.median(r['peak_mb'] for r in results):,.0f} MB"
              + f" | {_median(results, 'added', 'total'):.2f} |")
    print("\nOne new article (N + 1 documents, cache of the N-document build), per stage (seconds):\n")
    print("| documents | " + " | ".join(STAGES) + " |")
    print("| ---: | " + " | ".join("---:" for _ in STAGES) + " |")
    for n, results in table.items():
        print(f"| {n:,} + 1 | " + " | ".join(f"{_median(results, 'added', s):.2f}" for s in STAGES) + " |")
    if len(sizes) > 1:
        print("\nGrowth exponent per stage, from scratch (1 = linear):\n")
        print("| from → to | " + " | ".join(STAGES) + " | total |")
        print("| --- | " + " | ".join("---:" for _ in STAGES) + " | ---: |")
        for a, b in zip(sizes, sizes[1:]):
            exps = []
            for s in STAGES + ("total",):
                t1, t2 = _median(table[a], "scratch", s), _median(table[b], "scratch", s)
                exps.append(f"{math.log(t2 / t1) / math.log(b / a):.2f}" if t1 > 0 and t2 > 0 else "–")
            print(f"| {a:,} → {b:,} | " + " | ".join(exps) + " |")


if __name__ == "__main__":
    main()
