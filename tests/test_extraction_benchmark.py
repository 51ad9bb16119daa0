"""The matching rules of benchmarks/extraction.py, and the dev set it scores against."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "devset"


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("extraction_benchmark", ROOT / "benchmarks" / "extraction.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their annotations through sys.modules
    spec.loader.exec_module(module)
    return module


bench = _load_benchmark()
Item = bench.Item


def names(*values: str) -> frozenset[str]:
    return frozenset(values)


@pytest.mark.parametrize("raw, normal", [
    ("The Kremlin", "kremlin"),
    ("the United States", "united states"),
    ("U.S.", "us"),
    ("Iran’s nuclear program", "iran nuclear program"),
    ("Iran's  nuclear   program", "iran nuclear program"),
    ("Khalid al-Rawahi", "khalid al rawahi"),
    ("ＩＡＥＡ", "iaea"),  # full-width letters: NFKC
    ("STRASSE", "strasse"),
    ("Theodore", "theodore"),  # only the word "the" is dropped
])
def test_normalise(raw, normal):
    assert bench.normalise(raw) == normal


def test_names_match_any_name_against_any_name():
    assert bench.names_match(names("Russia", "the Kremlin", "Moscow"), names("Kremlin"))
    assert bench.names_match(names("US"), names("United States", "U.S."))
    assert not bench.names_match(names("Iran"), names("Iraq"))
    assert not bench.names_match(names(""), names(""))
    assert not bench.names_match(names(), names("Iran"))


def test_content_words_drop_stop_words_and_plurals():
    assert bench.content_words("the lifting of sanctions") == {"lifting", "sanction"}
    assert bench.content_words("security guarantees") == {"security", "guarantee"}
    assert bench.content_words("territories") == {"territory"}
    assert bench.content_words("crisis") == {"crisis"}  # -is, -us, -ss keep their s
    assert bench.content_words("the status of arms") == {"status", "arm"}


def test_issues_match_by_equality_or_content_word_subset():
    assert bench.issues_match(names("Uranium enrichment"), names("uranium enrichment"))
    # gold "nuclear program" ⊂ predicted "Iran's nuclear program" (after the possessive goes)
    assert bench.issues_match(names("Iran's nuclear program"), names("nuclear program"))
    # predicted ⊂ gold: "the dismantling of the nuclear programs" holds "nuclear program"
    assert bench.issues_match(names("nuclear program"), names("dismantling of the nuclear programs"))
    assert bench.issues_match(names("Sanctions relief", "lifting of sanctions"), names("sanctions"))
    assert not bench.issues_match(names("ballistic missiles"), names("uranium enrichment"))
    assert not bench.issues_match(names("nuclear program"), names("nuclear weapons"))
    assert not bench.issues_match(names("the"), names("sanctions"))  # no content word: no match


def test_spans_overlap():
    assert bench.spans_overlap([(10, 20)], [(19, 30)])
    assert not bench.spans_overlap([(10, 20)], [(20, 30)])  # end is exclusive
    assert bench.spans_overlap([(0, 1), (50, 60)], [(55, 56)])
    assert not bench.spans_overlap([], [(0, 100)])


def stance(kind, holder, issue, spans=()):
    return Item(names(kind), {"holder": holder, "issue": issue}, tuple(spans))


IRAN = names("Iran", "Tehran")
US = names("United States", "U.S.", "Washington")


def test_stance_needs_kind_holder_and_issue():
    gold = stance("RedLine", IRAN, names("uranium enrichment", "enrichment"))
    assert bench.stance_matches(stance("RedLine", names("Tehran"), names("Enrichment")), gold)
    assert not bench.stance_matches(stance("Demand", IRAN, names("enrichment")), gold)
    assert not bench.stance_matches(stance("RedLine", US, names("enrichment")), gold)
    assert not bench.stance_matches(stance("RedLine", IRAN, names("ballistic missiles")), gold)


def test_actor_types_strict_and_lenient():
    pred = Item(names("Organization"), {"name": names("Houthis", "Ansar Allah")})
    gold = Item(names("ArmedGroup"), {"name": names("Houthis")})
    assert not bench.actor_matches(pred, gold)
    assert bench.actor_matches_leniently(pred, gold)
    assert not bench.actor_matches_leniently(Item(names("Person"), {"name": names("Houthis")}), gold)


def test_rounds_by_venue_else_by_quote():
    pred = Item(names(), {"venue": names("Muscat", "Masqat")}, ((100, 180),))
    assert bench.round_matches(pred, Item(names(), {"venue": names("Muscat")}, ((0, 10),)))
    assert not bench.round_matches(pred, Item(names(), {"venue": names("Rome")}, ((100, 180),)))
    assert bench.round_matches(pred, Item(names(), {}, ((150, 200),)))  # gold without a venue
    assert not bench.round_matches(pred, Item(names(), {}, ((0, 10),)))


def test_events_by_class_and_quote_or_agent():
    gold = Item(names("MilitaryStrike"), {"agent": names("Israel")}, ((10, 40),))
    assert bench.event_matches(Item(names("MilitaryStrike"), {}, ((0, 20),)), gold)
    assert bench.event_matches(Item(names("MilitaryStrike"), {"agent": names("Israel")}, ((90, 99),)), gold)
    assert not bench.event_matches(Item(names("Threat"), {"agent": names("Israel")}, ((10, 40),)), gold)
    assert not bench.event_matches(Item(names("MilitaryStrike"), {"agent": names("Iran")}, ((90, 99),)), gold)


def test_leverage_by_holder_and_kind():
    gold = Item(names(), {"holder": US, "kind": names("sanctions")})
    pred = Item(names(), {"holder": names("US"), "kind": names("Economic sanctions", "financial restrictions")})
    assert bench.leverage_matches(pred, gold)
    assert not bench.leverage_matches(Item(names(), {"holder": IRAN, "kind": names("sanctions")}), gold)


def test_matching_is_one_to_one_and_greedy_in_order():
    same = lambda p, g: p[0] == g[0]  # noqa: E731 - items are (key, id) pairs here
    predicted = [("a", 1), ("a", 2), ("b", 3), ("c", 4)]
    gold = [("a", 10), ("b", 20), ("b", 21)]
    assert bench.match_one_to_one(predicted, gold, same) == [(0, 0), (2, 1)]
    # greedy: the first prediction takes the first gold item it matches, even when a later
    # prediction could only have matched that one
    loose = lambda p, g: p == "x" or g == p  # noqa: E731
    assert bench.match_one_to_one(["x", "g1"], ["g1", "g2"], loose) == [(0, 0)]
    assert bench.match_one_to_one([], gold, same) == []


def test_counts_arithmetic():
    c = bench.Counts(predicted=4, gold=8, matched=2)
    assert c.precision == 0.5 and c.recall == 0.25
    assert c.f1 == pytest.approx(2 * 0.5 * 0.25 / (0.5 + 0.25))
    total = bench.Counts()
    total.add(c)
    total.add(bench.Counts(predicted=0, gold=2, matched=0))
    assert (total.predicted, total.gold, total.matched) == (4, 10, 2)  # micro: counts summed
    assert total.recall == 0.2
    nothing_predicted = bench.Counts(predicted=0, gold=3, matched=0)
    assert nothing_predicted.precision is None and nothing_predicted.recall == 0 and nothing_predicted.f1 == 0
    assert bench.Counts().f1 is None
    assert "| – | – | – | 0 | 0 | 0 |" in bench.markdown_table({"stances": bench.Counts()})


ARTICLE = "Talks in Muscat\n\nIran will never give up enrichment, Araghchi said in Muscat.\n"
GOLD = {
    "title": "Talks in Muscat", "publisher": "Gulf Wire", "date": "2025-04-12", "split": "dev",
    "negotiation": "us-iran",
    "actors": [{"name": "Iran", "type": "State", "aliases": ["Tehran"]},
               {"name": "Abbas Araghchi", "type": "Person", "aliases": ["Araghchi"]}],
    "stances": [{"kind": "RedLine", "holder": "Iran", "issue": ["uranium enrichment", "enrichment"],
                 "quote": "Iran will never give up enrichment"}],
}
TRIG = """
@prefix imp: <https://w3id.org/impasse/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/impasse/id/> .
id:reference { id:iran a imp:State ; rdfs:label "Iran"@en ; skos:altLabel "Tehran"@en .
  id:enrichment a imp:Issue ; rdfs:label "Uranium enrichment"@en ; skos:altLabel "enrichment"@en . }
id:doc-graph {
  id:doc a imp:Document ; dcterms:title "Talks in Muscat" ; imp:sourceFileName "muscat.txt" .
  id:araghchi a imp:Person ; rdfs:label "Abbas Araghchi" ; imp:denotedBy id:m1 .
  id:m1 a imp:Mention ; oa:hasSource id:doc ; oa:hasSelector id:m1q, id:m1p .
  id:m1q a oa:TextQuoteSelector ; oa:exact "Araghchi" .
  id:m1p a oa:TextPositionSelector ; oa:start 53 ; oa:end 61 .
  id:p1 a imp:Demand ; imp:heldBy id:iran ; imp:onIssue id:enrichment ; prov:wasDerivedFrom id:ev1 .
  id:ev1 oa:hasSource id:doc ; oa:hasSelector id:ev1q, id:ev1p .
  id:ev1q a oa:TextQuoteSelector ; oa:exact "Iran will never give up enrichment" .
  id:ev1p a oa:TextPositionSelector ; oa:start 0 ; oa:end 34 .
}
"""


def write_article(folder: Path, gold: dict):
    """A dev article muscat.txt with its gold file in folder/us-iran/, loaded."""
    folder = folder / "us-iran"
    folder.mkdir()
    (folder / "muscat.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "muscat.gold.yaml").write_text(bench.yaml.safe_dump(gold), encoding="utf-8")
    return bench.load_article(folder / "muscat.txt")


def test_predictions_read_from_the_graph_and_scored(tmp_path):
    """Through the TriG: a mentioned person and a fact's value are the document's actors;
    offsets that do not select the quote are replaced by where the quote is."""
    article = write_article(tmp_path, GOLD)
    assert bench.gold_problems(article) == []
    (tmp_path / "impasse.trig").write_text(TRIG, encoding="utf-8")
    predicted = bench.predicted_items(tmp_path / "impasse.trig", [article], print)["us-iran/muscat"]
    assert predicted["document"] == "https://w3id.org/impasse/id/doc"
    [demand] = predicted["stances"]
    assert demand.types == {"Demand"} and demand.role("holder") == {"Iran", "Tehran"}
    assert demand.spans == ((ARTICLE.index("Iran will"), ARTICLE.index("Iran will") + 34),)
    assert sorted(sorted(a.role("name")) for a in predicted["actors"]) == [["Abbas Araghchi"], ["Iran", "Tehran"]]
    report = bench.score_article(article, predicted)
    assert report["actors"]["counts"].matched == 2
    assert report["stances"]["counts"].matched == 0  # Demand is not the gold RedLine
    assert report["stances"]["false_positives"][0]["node"] == "https://w3id.org/impasse/id/p1"
    assert report["stances"]["misses"][0]["kind"] == "RedLine"


def test_invented_stances_and_the_report(tmp_path):
    article = write_article(tmp_path, dict(GOLD, stances=[]))
    predicted = {kind: [] for kind in bench.KINDS}
    predicted["stances"] = [stance("Demand", IRAN, names("enrichment"), [(17, 51)])]
    scored = [(article, bench.score_article(article, predicted))]
    assert bench.invented_stances(scored) == {"dev": {"us-iran/muscat": 1}, "test": {}}
    totals = bench.summarise(scored)
    assert totals["dev"]["us-iran"]["stances"].predicted == 1
    assert totals["dev"]["all"]["all"].gold == 2  # the two actors
    text = bench.markdown_report(totals, scored)
    assert "## dev: all negotiations (1 article)" in text and "- us-iran/muscat: 1" in text
    assert "| actors | – | 0.00 | 0.00 | 0 | 2 | 0 |" in text


def test_gold_problems_are_reported(tmp_path):
    gold = dict(GOLD, stances=[{"kind": "Refusal", "holder": "Iraq", "issue": ["x"], "quote": "not there"}])
    article = write_article(tmp_path, gold)
    problems = " | ".join(bench.gold_problems(article))
    assert "quote not in the text" in problems and "kind 'Refusal'" in problems
    assert "holder 'Iraq' is not among the actors" in problems


def test_a_gold_file_without_a_split_is_refused(tmp_path):
    with pytest.raises(bench.BenchmarkError, match="missing split"):
        write_article(tmp_path, {k: v for k, v in GOLD.items() if k != "split"})


GOLD_FILES = sorted(DEVSET.glob(f"*/*{bench.GOLD_SUFFIX}"))


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=[f"{p.parent.name}/{p.name}" for p in GOLD_FILES])
def test_devset_gold_file_parses_and_quotes_are_in_the_article(gold_file):
    text_file = gold_file.with_name(gold_file.name.removesuffix(bench.GOLD_SUFFIX) + ".txt")
    assert text_file.exists(), f"{gold_file}: no {text_file.name} beside it"
    article = bench.load_article(text_file)
    assert bench.gold_problems(article) == []
    assert article.text.splitlines()[0].strip() == str(article.gold["title"]).strip(), "line 1 is the headline"
