"""The curated-facts loader: verified quotes with offsets, resolved keys, and clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kg.build.builder import build
from kg.corpus.documents import load_corpus, load_document
from kg.errors import FactsError, QuoteError, UnknownKeyError
from kg.corpus.facts import load_facts, locate_quote
from kg.vocab import ID, IMP
from kg.corpus.reference import load_reference

from ..conftest import ROOT

TEXT = (
    "Iran rejects talks on missiles. The United States demands talks on missiles.\n"
    "Read more: Iran rejects talks on missiles\n"
    "Officials met in Muscat in June 2025.\n"
)


def load(project):
    docs = load_corpus(project.corpus)
    return load_facts(project.corpus, docs, load_reference(project.root / "ontology" / "reference"))


def one_fact(project, body: str):
    project.add("doc", TEXT, "document: doc\nfacts:\n" + body)
    return load(project)


RED_LINE = """\
  - kind: position
    type: red-line
    holder: iran
    issue: ballistic-missiles
    quote: "Iran rejects talks on missiles."
"""


def test_a_valid_fact_gets_its_offsets_and_resolved_keys(project):
    (fact,) = one_fact(project, RED_LINE)
    (ev,) = fact.evidence
    assert TEXT[ev.start : ev.end] == ev.quote == "Iran rejects talks on missiles."
    assert ev.prefix == "" and ev.suffix == TEXT[ev.end : ev.end + 32]
    assert fact.values["holder"] == ID["actor/iran"]
    assert fact.values["type"] == IMP.RedLine
    assert fact.line == 3


def test_a_curated_key_stays_unambiguous_when_an_article_mints_the_same_key(project):
    # "talks in Iran" in a new article minted a place "iran"; a curated assessment about [iran]
    # (key:any) then failed the whole build as an unknown event
    from types import SimpleNamespace

    project.add("doc", TEXT, "document: doc\nfacts:\n  - kind: assessment\n    label: Iran is firm.\n"
                "    about: [iran]\n    quote: \"Iran rejects talks on missiles.\"\n")
    minted = SimpleNamespace(category="place", key="iran", iri=ID["place/iran"], label="Iran")
    reference = load_reference(project.root / "ontology" / "reference").with_entities([minted])
    (fact,) = load_facts(project.corpus, load_corpus(project.corpus), reference)
    assert fact.values["about"] == (ID["actor/iran"],)


def test_quote_in_furniture_is_refused(project):
    # The same words stand once in the article and once in a "Read more:" teaser; the
    # teaser's copy (without the final period) is unique but is furniture.
    with pytest.raises(QuoteError, match=r"doc.facts.yaml:7: quote lies in page furniture \(teaser"):
        one_fact(project, RED_LINE.replace('"Iran rejects talks on missiles."', '"Read more: Iran rejects"'))


def test_absent_quote_names_file_line_and_closest_passage(project):
    with pytest.raises(QuoteError) as info:
        one_fact(project, RED_LINE.replace("Iran rejects talks on missiles.", "Iran refuses talks on missiles."))
    message = str(info.value)
    assert "doc.facts.yaml:7: quote not found in doc.txt" in message
    assert "closest passage (doc.txt:" in message
    assert "talks on missiles" in message.split("closest passage")[1]


def test_ambiguous_quote_lists_its_places(project):
    with pytest.raises(QuoteError, match=r"occurs 3 times .*line 7 offset 5.*lengthen it"):
        one_fact(project, RED_LINE.replace('"Iran rejects talks on missiles."', '"talks on missiles"'))


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("holder", "irann", "unknown actor 'irann'; did you mean: iran"),
        ("issue", "missiles", "unknown issue 'missiles'"),
    ],
)
def test_unknown_keys_are_refused_with_suggestions(project, field, value, message):
    body = RED_LINE.replace(f"{field}: {'iran' if field == 'holder' else 'ballistic-missiles'}", f"{field}: {value}")
    with pytest.raises(UnknownKeyError, match=message):
        one_fact(project, body)


def test_malformed_yaml_names_line_and_column(project):
    with pytest.raises(FactsError, match=r"doc.facts.yaml:5:11: not valid YAML: .*flow sequence at line 4"):
        one_fact(project, '  - kind: position\n    type: [red-line\n    holder: iran\n')


@pytest.mark.parametrize(
    "body, message",
    [
        (RED_LINE.replace("kind: position", "kind: stance"), "unknown kind 'stance'"),
        (RED_LINE + "    colour: red\n", "doc.facts.yaml:8: unknown field 'colour' for kind position"),
        (RED_LINE.replace("    issue: ballistic-missiles\n", ""), "a position needs 'issue'"),
        (RED_LINE.replace("red-line", "veto"), "'type' must be one of demand, red-line"),
        (RED_LINE + "    holder: israel\n", "doc.facts.yaml:8: duplicate field 'holder'"),
        (RED_LINE + "    date: 2025-02-30\n", "'date'"),
        (RED_LINE + "    date: June 2025\n", "not a date of the form"),
        (RED_LINE + "    confidence: 3\n", "confidence must lie between 0 and 1"),
        (RED_LINE + "    status: maybe\n", "status must be one of"),
        (RED_LINE.replace('    quote: "Iran rejects talks on missiles."\n', ""), "either 'quote' or a list 'evidence'"),
        (RED_LINE + "    evidence:\n      - quote: x\n", "not both or neither"),
        (
            RED_LINE.replace('    quote: "Iran rejects talks on missiles."\n',
                             '    evidence:\n      - quote: "Iran rejects talks on missiles."\n        supports: [colour]\n'),
            "'supports' must list fields",
        ),
    ],
)
def test_malformed_facts_are_refused(project, body, message):
    with pytest.raises(FactsError, match=message):
        one_fact(project, body)


def test_facts_must_name_their_document(project):
    project.add("doc", TEXT, "document: other\nfacts: []\n")
    with pytest.raises(FactsError, match="'document' must be 'doc'"):
        load(project)


def test_facts_without_a_document_are_refused(project):
    project.add("doc", TEXT)
    (project.corpus / "ghost.facts.yaml").write_text("document: ghost\nfacts: []\n")
    with pytest.raises(FactsError, match="no document ghost.txt"):
        load(project)


EVENT = """\
  - kind: event
    key: muscat-meeting
    class: Event
    label: {label}
    date: 2025-06
    quote: "{quote}"
"""


def test_event_keys_resolve_across_documents_and_labels_must_agree(project):
    project.add("a", TEXT, "document: a\nfacts:\n" + EVENT.format(label="Meeting", quote="Officials met in Muscat"))
    project.add(
        "b",
        TEXT,
        "document: b\nfacts:\n"
        "  - kind: causal\n    cause: muscat-meeting\n    effect: muscat-meeting\n"
        '    quote: "in June 2025"\n',
    )
    facts = load(project)
    causal = next(f for f in facts if f.kind == "causal")
    assert causal.values["cause"] == ID["event/muscat-meeting"]
    (project.corpus / "b.facts.yaml").write_text(
        "document: b\nfacts:\n" + EVENT.format(label="Another name", quote="Officials met")
    )
    with pytest.raises(FactsError, match="labelled 'Another name' here but 'Meeting' in"):
        load(project)


def test_undeclared_event_key_is_refused(project):
    with pytest.raises(UnknownKeyError, match="unknown round or event 'nowhere'"):
        one_fact(project, '  - kind: causal\n    cause: nowhere\n    effect: nowhere\n    quote: "in June 2025"\n')


def test_dates_keep_their_precision(project):
    (fact,) = one_fact(project, EVENT.format(label="Meeting", quote="Officials met in Muscat"))
    assert str(fact.values["date"]) == "2025-06"
    assert fact.values["date"].datatype.endswith("#gYearMonth")


def test_proposed_facts_are_built_only_on_request(project):
    project.add("doc", TEXT, "document: doc\nfacts:\n" + RED_LINE + "    status: proposed\n    method: extracted\n"
                "    rule: test-rule\n    confidence: 0.6\n")
    assert build(project.root).facts == []
    assert len(build(project.root, include_proposed=0.5).facts) == 1
    assert build(project.root, include_proposed=0.7).facts == []


def test_every_fact_of_the_real_corpus_loads():
    docs = load_corpus(ROOT / "corpus")
    facts = load_facts(ROOT / "corpus", docs, load_reference(ROOT / "ontology" / "reference"))
    assert {f.document for f in facts} == {d.slug for d in docs}
    assert all(f.status == "accepted" and f.evidence for f in facts)


SHAFAQ = load_document(ROOT / "corpus" / "shafaq-why-us-iran-talks-keep-failing.txt")


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_unique_passage_is_located_exactly(data):
    start = data.draw(st.integers(0, len(SHAFAQ.text) - 2))
    end = data.draw(st.integers(start + 1, min(len(SHAFAQ.text), start + 80)))
    quote = SHAFAQ.text[start:end]
    places = [i for i in range(len(SHAFAQ.text)) if SHAFAQ.text.startswith(quote, i)]
    assume(places == [start] and SHAFAQ.furniture_at(start, end) is None)
    ev = locate_quote(SHAFAQ.path, 1, SHAFAQ, quote)
    assert (ev.start, ev.end) == (start, end)
    assert SHAFAQ.text[ev.start - len(ev.prefix) : ev.end + len(ev.suffix)] == ev.prefix + quote + ev.suffix


# A "billion laughs" file: nine levels of nine aliases each would expand to 9**9 strings.
BOMB = "document: doc\nbomb:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"  {chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)) + "facts: []\n"


def test_a_yaml_alias_bomb_is_refused_before_anything_expands(project):
    # Regression: it took 3 GB and 73 s to end in a MemoryError whose message repr()'d the value.
    project.add("doc", TEXT, BOMB)
    with pytest.raises(FactsError) as caught:
        load(project)
    message = str(caught.value)
    assert "doc.facts.yaml:4:" in message and "aliases are not allowed" in message and "*a" in message
    assert len(message) < 400


def test_aliases_are_refused_in_mentions_files_and_document_headers(project):
    from kg.corpus.mentions import load_mentions
    from kg.errors import DocumentError

    doc = project.add("doc", TEXT)
    (project.corpus / "doc.mentions.yaml").write_text(BOMB.replace("facts: []", "mentions: []"), encoding="utf-8")
    with pytest.raises(FactsError, match="aliases are not allowed"):
        load_mentions(project.corpus, load_corpus(project.corpus), load_reference(project.root / "ontology" / "reference"))
    doc.write_text("---\ntitle: &t A title\npublisher: *t\nkind: news\ndate: unknown\n---\n" + TEXT, encoding="utf-8")
    with pytest.raises(DocumentError, match="aliases are not allowed"):
        load_document(doc)


def test_a_huge_value_is_cut_short_in_the_message(project):
    with pytest.raises(FactsError) as caught:
        one_fact(project, RED_LINE.replace("holder: iran", "holder: " + "x" * 1_000_000))
    assert len(str(caught.value)) < 500 and "xxxx…" in str(caught.value)
