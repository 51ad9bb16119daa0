"""Offsets stay exact on odd Unicode (property-based), and a long article completes with bounded output."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extraction import run_pipeline
from kg.extraction.writer import to_facts





SENTENCES = [
    "Iran refuses to negotiate its ballistic missile program.",
    "Washington demanded that Iran halt uranium enrichment.",
    "US and Iranian negotiators held indirect talks in Muscat, mediated by Oman.",
    "The United States withdrew from the JCPOA in 2018.",
    "Iranian Foreign Minister Abbas Araghchi spoke.",
]
ODD = ["\u00a0", "\u201c", "\u201d", "\u2019", "\u200f", "\u202b", "\u202c", "\r\n", "\u2028", "\t",
       "\u0639\u0628\u0627\u0633 \u0639\u0631\u0627\u0642\u0686\u06cc", "\U0001f600", "e\u0301", "\ufeff"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(SENTENCES), st.sampled_from(ODD), st.text(max_size=12)), min_size=1, max_size=12))
def test_offsets_stay_exact_on_odd_unicode(index, steps, parts):
    text = " ".join(parts)
    result = run_pipeline(text, index, steps)
    for m in result.mentions:
        assert text[m.start:m.end].strip() and m.end <= len(text)
    for cand in result.candidates:
        for start, end in cand.spans:
            assert 0 <= start < end <= len(text)
            assert text[start:end] == text[start:end].strip()
    for fact in to_facts(result.candidates, text, "doc", set(index.all_keys)):
        quotes = [fact["quote"]] if "quote" in fact else [e["quote"] for e in fact["evidence"]]
        for quote in quotes:
            assert text.count(quote) == 1  # verbatim and unique, as the loader requires


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SENTENCES), st.sampled_from(ODD), st.sampled_from(ODD))
def test_written_facts_pass_the_loader_with_odd_unicode(project, index, steps, sentence, left, right):
    from kg.corpus.documents import load_document
    from kg.extraction.writer import dump_facts, mentioned_entities
    from kg.corpus.facts import read_facts_file
    from kg.corpus.reference import load_reference

    text = f"Headline{left}here\n{left}{sentence}{right} More text.\r\nAnd {right} after.\n"
    path = project.add("doc", text)
    document = load_document(path)
    result = run_pipeline(document.text, index, steps, furniture=document.furniture)
    entities = mentioned_entities(result.entities, result.mentions)
    reference = load_reference(project.root / "ontology" / "reference")
    minted = {(e.category, e.key) for e in entities}
    facts = to_facts(result.candidates, document.text, "doc", set(index.all_keys),
                     lambda category, key: key in reference.keys[category] or (category, key) in minted)
    facts_path = project.corpus / "doc.facts.yaml"
    facts_path.write_text(dump_facts("doc", "A test article", facts), encoding="utf-8")
    checked = read_facts_file(facts_path, document, reference.with_entities(entities))
    assert len(checked) == len(facts)
    for fact in checked:
        for ev in fact.evidence:
            assert document.text[ev.start:ev.end] == ev.quote


def test_a_long_article_completes_with_bounded_output(index, steps):
    # 100 kB here; a 10 MB file's speed and memory are measured by benchmarks/extraction_speed.py
    rng = random.Random(5)
    filler = ["Markets were quiet.", "Officials met again.", "The weather was mild in the capital."]
    lines, size, n = [], 0, 0
    while size < 100_000:
        n += 1
        line = f"Report {n}: {rng.choice(SENTENCES)} {rng.choice(filler)} Note {n}."
        lines.append(line)
        size += len(line) + 1
    text = "\n".join(lines) + "\n"
    result = run_pipeline(text, index, steps)
    kinds = {c.kind for c in result.candidates}
    assert {"position", "round", "affiliation", "event"} <= kinds
    # identical facts merge: output grows with distinct facts, not with the text
    assert len(result.candidates) < 50
    assert all(len(c.spans) <= 3 for c in result.candidates)
    for cand in result.candidates:
        start, end = cand.spans[0]
        assert text[start:end].startswith(("Iran", "Washington", "US", "The", "Report"))
