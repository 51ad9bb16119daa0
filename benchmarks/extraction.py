"""Score the extraction pipeline against the curated facts of the corpus.

Run from the project folder:  .venv/bin/python benchmarks/extraction.py [PROJECT]

For every document of the corpus the pipeline (kg/extraction/pipeline.yaml) runs on the
text alone; its candidates are compared with the curated (accepted) facts of that document.
Matching rule, per kind (a prediction matches at most one curated fact and vice versa):

- mentions:   the same entity key (actor, place, issue, agreement) in the same document:
              gazetteer mentions against every key the curated facts of the document name;
- actors:     affiliation facts with the same member and organization keys;
- rounds:     round facts with the same venue key;
- positions:  the same type, holder and issue keys, and quote spans that overlap;
- leverage:   the same leverage kind and holder keys;
- agreements: agreement facts about the same agreement, provisions of the same agreement
              with the same limit;
- events:     event facts of the same class whose quote spans overlap.

Precision = matched predictions / predictions; recall = matched curated facts / curated
facts; F1 their harmonic mean. The curated facts are interpretive (a red line quoted from
a sentence that never says "refuse"), so recall is low by design: the rules prefer
precision.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.corpus.documents import load_corpus
from kg.extraction import ReferenceIndex, load_pipeline, run_pipeline
from kg.corpus.facts import load_facts
from kg.corpus.reference import load_reference

KINDS = ("mentions", "actors", "rounds", "positions", "leverage", "agreements", "events")
MENTION_CATEGORIES = ("actor", "place", "issue", "agreement")


def _key(term) -> str:
    return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _overlap(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _gold(facts, doc_slug):
    """Curated items per benchmark kind: (identity, spans)."""
    items = {k: [] for k in KINDS}
    keys = set()
    for fact in facts:
        if fact.document != doc_slug or fact.status != "accepted":
            continue
        spans = [(e.start, e.end) for e in fact.evidence]
        v = {name: value for name, value in fact.values.items()}
        for value in v.values():
            for term in value if isinstance(value, tuple) else (value,):
                text = str(term)
                for category in MENTION_CATEGORIES:
                    if f"/id/{category}/" in text:
                        keys.add((category, _key(text)))
        if fact.kind == "affiliation":
            items["actors"].append(((_key(v["member"]), _key(v["organization"])), spans))
        elif fact.kind == "round" and "venue" in v:
            items["rounds"].append((_key(v["venue"]), spans))
        elif fact.kind == "position":
            items["positions"].append(((_key(v["type"]).lower().replace("-", ""), _key(v["holder"]), _key(v["issue"])), spans))
        elif fact.kind == "leverage":
            items["leverage"].append(((_key(v["leverage_kind"]), _key(v["holder"])), spans))
        elif fact.kind == "agreement":
            items["agreements"].append((("agreement", _key(v["agreement"])), spans))
        elif fact.kind == "provision":
            limit = str(float(v["limit"])) if "limit" in v else None
            items["agreements"].append((("provision", _key(v["agreement"]), limit), spans))
        elif fact.kind == "event":
            items["events"].append((_key(v["class"]), spans))
    items["mentions"] = [(k, []) for k in sorted(keys)]
    return items


_TYPE = {"demand": "demand", "red-line": "redline", "objective": "objective", "precondition": "precondition"}
# the curated type is the class name (imp:RedLine); compare both in lower case without '-'



def _predicted(result, furniture_check):
    items = {k: [] for k in KINDS}
    seen = set()
    for m in result.mentions:
        if m.category in MENTION_CATEGORIES and (m.category, m.key) not in seen:
            seen.add((m.category, m.key))
            items["mentions"].append(((m.category, m.key), []))
    for c in result.candidates:
        f, spans = c.fields, c.spans
        if c.kind == "affiliation":
            items["actors"].append(((f["member"], f["organization"]), spans))
        elif c.kind == "round":
            items["rounds"].append((f["venue"], spans))
        elif c.kind == "position":
            items["positions"].append(((_TYPE[f["type"]], f["holder"], f["issue"]), spans))
        elif c.kind == "leverage":
            items["leverage"].append(((f["leverage_kind"], f["holder"]), spans))
        elif c.kind == "agreement":
            items["agreements"].append((("agreement", f["agreement"]), spans))
        elif c.kind == "provision":
            limit = str(float(f["limit"])) if "limit" in f else None
            items["agreements"].append((("provision", f["agreement"], limit), spans))
        elif c.kind == "event":
            items["events"].append((f["class"], spans))
    return items


def _match(kind, predicted, gold) -> int:
    used = set()
    matched = 0
    needs_overlap = kind in {"positions", "events"}
    for identity, spans in predicted:
        for n, (g_identity, g_spans) in enumerate(gold):
            if n in used or identity != g_identity:
                continue
            if needs_overlap and not _overlap(spans, g_spans):
                continue
            used.add(n)
            matched += 1
            break
    return matched


def score(root: Path) -> dict[str, tuple[int, int, int]]:
    """Per kind: (predictions, curated, matched), summed over the documents of the corpus."""
    reference = load_reference(root / "ontology" / "reference")
    documents = load_corpus(root / "corpus")
    facts = load_facts(root / "corpus", documents, reference)
    index, steps = ReferenceIndex(reference), load_pipeline()
    totals = {k: [0, 0, 0] for k in KINDS}
    for doc in documents:
        result = run_pipeline(doc.text, index, steps, published=doc.date, furniture=doc.furniture)
        gold, predicted = _gold(facts, doc.slug), _predicted(result, doc.furniture_at)
        for kind in KINDS:
            totals[kind][0] += len(predicted[kind])
            totals[kind][1] += len(gold[kind])
            totals[kind][2] += _match(kind, predicted[kind], gold[kind])
    return {k: tuple(v) for k, v in totals.items()}


def table(scores) -> str:
    lines = ["| kind | predicted | curated | matched | precision | recall | F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, (p, g, m) in scores.items():
        precision = m / p if p else 0.0
        recall = m / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        pr = f"{precision:.2f}" if p else "–"
        lines.append(f"| {kind} | {p} | {g} | {m} | {pr} | {recall:.2f} | {f1:.2f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(".")
    rules = __doc__.split("Matching rule, per kind")[1].split("Precision =")[0]
    print("Matching rule, per kind" + rules.rstrip())
    print()
    print(table(score(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
