"""How fast extraction reads, and how much memory it holds on a large file.

Run from the project folder:  .venv/bin/python benchmarks/extraction_speed.py [--mb 10] [--runs 3]

The text is the dev set's articles (benchmarks/devset/*/*.txt) repeated until it reaches the
size asked for. Printed, as medians of ``--runs``:

- the spaCy model alone (``nlp.pipe`` over the same chunks): the baseline;
- the whole pipeline (``run_pipeline``: model + every component), sentences per second and
  its ratio to the baseline;
- peak resident memory of the process after the run (``ru_maxrss``), and the output size
  (candidates, mentions, entities), which grows with what the text says, not its length.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus_text(megabytes: float) -> str:
    """The dev-set articles, repeated to ``megabytes`` of text."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "benchmarks" / "devset").glob("*/*.txt"))]
    if not texts:
        raise SystemExit("benchmarks/devset has no articles")
    pieces, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        text = texts[n % len(texts)]
        pieces.append(text)
        size += len(text)
        n += 1
    return "\n".join(pieces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the text in MB [default: 1]")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement [default: 3]")
    args = parser.parse_args()

    from kg.extraction import ReferenceIndex, load_pipeline, run_pipeline
    from kg.extraction.nlp import load_nlp
    from kg.extraction.pipeline import chunks
    from kg.corpus.reference import load_reference

    text = corpus_text(args.mb)
    reader = load_nlp()
    index = ReferenceIndex(load_reference(ROOT / "ontology" / "reference"))
    steps = load_pipeline()
    sentences = sum(1 for doc in reader.nlp.pipe(piece for piece, _ in chunks(text)) for _ in doc.sents)
    print(f"text: {len(text):,} characters, {sentences:,} sentences; model: {reader.name}")
    model_times, pipeline_times = [], []
    result = None
    for _ in range(args.runs):
        start = time.perf_counter()
        for _doc in reader.nlp.pipe((piece for piece, _ in chunks(text)), batch_size=64):
            pass
        model_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = run_pipeline(text, index, steps, published="2025-06-01")
        pipeline_times.append(time.perf_counter() - start)
    model, pipeline = statistics.median(model_times), statistics.median(pipeline_times)
    print(f"model alone:   {model:7.2f} s  {sentences / model:7.0f} sentences/s")
    print(f"pipeline:      {pipeline:7.2f} s  {sentences / pipeline:7.0f} sentences/s  "
          f"({pipeline / model:.2f}x the model alone)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory:   {peak:7.0f} MB (whole process)")
    print(f"output:        {len(result.candidates):,} candidates, {len(result.mentions):,} mentions, "
          f"{len(result.entities):,} entities")


if __name__ == "__main__":
    main()
