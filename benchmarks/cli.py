"""Wall time of the `kg` command's start-up: `kg --help` against the interpreter's own start.

Each command runs in a fresh process (subprocess, output discarded), --runs times after one
warm-up, the commands interleaved run by run so that a slow moment of the machine falls on
all of them alike. The baseline is measured in the same run: `python -c pass` with the same
interpreter. The table gives the median, the p95, the ratio of each median to the
baseline's, and the time above the baseline (what the command itself costs). The target of
the issue is `kg --help` under 0.3 s, which lazy imports in kg/cli.py keep (no RDF library
is loaded until a command runs).

Run:  .venv/bin/python benchmarks/cli.py [--runs 20] [--no-work]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.3  # seconds, for `kg --help`


def commands(with_work: bool) -> dict[str, list[str]]:
    """Label -> argv; the first is the baseline."""
    python = sys.executable
    kg = Path(python).with_name("kg")
    entry = [str(kg)] if kg.is_file() else [python, "-m", "kg"]
    chosen = {
        "python -c pass (baseline)": [python, "-c", "pass"],
        "python -c 'import click'": [python, "-c", "import click"],
        "python -c 'import kg.cli'": [python, "-c", "import kg.cli"],
        "kg --help": [*entry, "--help"],
        "python -m kg --help": [python, "-m", "kg", "--help"],
        "kg export --help": [*entry, "export", "--help"],
    }
    if with_work:  # commands that do something: the libraries load, the queries are parsed
        chosen["kg queries"] = [*entry, "queries"]
        trig = str(ROOT / "exports" / "impasse.trig")
        chosen["kg export (impasse.trig as N-Quads)"] = [*entry, "export", "--graph", trig, "--format", "nquads"]
    return chosen


def time_once(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each command (after one warm-up)")
    parser.add_argument("--no-work", action="store_true", help="only the start-up commands (no kg queries, kg export)")
    args = parser.parse_args()
    chosen = commands(with_work=not args.no_work)
    for argv in chosen.values():
        time_once(argv)  # warm-up: bytecode written, files in the page cache
    times: dict[str, list[float]] = {label: [] for label in chosen}
    for _ in range(args.runs):
        for label, argv in chosen.items():
            times[label].append(time_once(argv))
    base_label = next(iter(chosen))
    base = statistics.median(times[base_label])
    print(f"{args.runs} runs each, {sys.executable} (Python {sys.version.split()[0]})\n")
    print("| command | median | p95 | × baseline | above baseline |")
    print("| --- | --- | --- | --- | --- |")
    for label, measured in times.items():
        median = statistics.median(measured)
        above = "" if label == base_label else f"+{_ms(median - base)}"
        print(f"| {label} | {_ms(median)} | {_ms(_p95(measured))} | {median / base:.1f}× | {above} |")
    helped = statistics.median(times["kg --help"])
    verdict = "met" if helped < TARGET else "NOT met"
    print(f"\nkg --help: median {_ms(helped)}, p95 {_ms(_p95(times['kg --help']))}; "
          f"target under {TARGET * 1000:.0f} ms: {verdict}.")


if __name__ == "__main__":
    main()
