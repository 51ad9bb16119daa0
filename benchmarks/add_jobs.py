"""How much `kg add --jobs N` saves when many articles are added at once.

Run from the project folder:  .venv/bin/python benchmarks/add_jobs.py [--jobs 1 2] [--runs 3]

Each run adds every dev-set article (benchmarks/devset/*/*.txt) with one ``kg add`` command
into a fresh project (the repository's ontology/ and queries/, an empty corpus/). Printed, per
``--jobs`` value: the median wall time of ``--runs`` runs, articles per second, and the ratio
to the first value given (the baseline, measured in the same session). The corpora written
with each value are compared file by file: they must be byte-identical.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_all(articles: list[Path], jobs: int, folder: Path) -> float:
    """Seconds one ``kg add --jobs`` of every article takes into a fresh project in ``folder``."""
    shutil.copytree(ROOT / "ontology", folder / "ontology")
    shutil.copytree(ROOT / "queries", folder / "queries")
    (folder / "corpus").mkdir()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "add", "-C", str(folder), "--jobs", str(jobs), *map(str, articles)],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def snapshot(corpus: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(corpus.iterdir())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="values to compare [default: 1 2]")
    parser.add_argument("--runs", type=int, default=3, help="runs per value [default: 3]")
    args = parser.parse_args()
    articles = sorted((ROOT / "benchmarks" / "devset").glob("*/*.txt"))
    if not articles:
        raise SystemExit("benchmarks/devset has no articles")
    medians, corpora = {}, {}
    with tempfile.TemporaryDirectory(prefix="kg-add-jobs-") as tmp:
        for jobs in args.jobs:
            times = []
            for run in range(args.runs):
                folder = Path(tmp) / f"j{jobs}-{run}"
                times.append(add_all(articles, jobs, folder))
                corpora.setdefault(jobs, snapshot(folder / "corpus"))
            medians[jobs] = statistics.median(times)
    base = args.jobs[0]
    print(f"{len(articles)} articles, medians of {args.runs} runs")
    print("| --jobs | seconds | articles/s | time vs --jobs " f"{base} |")
    print("| ---: | ---: | ---: | ---: |")
    for jobs in args.jobs:
        print(f"| {jobs} | {medians[jobs]:.1f} | {len(articles) / medians[jobs]:.2f} | {medians[jobs] / medians[base]:.2f} |")
    same = all(corpora[jobs] == corpora[base] for jobs in args.jobs)
    print(f"corpora byte-identical across --jobs values: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
