"""The extraction components, one behaviour per test, on inline sentences (no corpus text)."""

from __future__ import annotations

import pytest

from kg.extraction import REGISTRY, PipelineError, ReferenceIndex, check_pipeline, load_pipeline, run_pipeline
from kg.extraction.pipeline import chunks
from kg.corpus.reference import load_reference

from ..conftest import ROOT


@pytest.fixture(scope="module")
def index():
    return ReferenceIndex(load_reference(ROOT / "ontology" / "reference"))


@pytest.fixture(scope="module")
def steps():
    return load_pipeline()


def extract(index, steps, text, published=None):
    return run_pipeline(text, index, steps, published=published)


def facts(result, kind):
    return [c.fields for c in result.candidates if c.kind == kind]


# --- the pipeline as data ------------------------------------------------------------

def test_default_pipeline_names_registered_components_in_a_sound_order(steps):
    names = [s.component.name for s in steps]
    assert names[0] == "gazetteer" and "positions" in names and set(names) <= set(REGISTRY)


def test_pipeline_refuses_a_component_before_what_it_requires():
    with pytest.raises(PipelineError, match="positions.*requires mentions"):
        check_pipeline(["clause_markers", "positions"], given=("doc", "lemmas"))


def test_pipeline_refuses_unknown_components_and_settings():
    with pytest.raises(PipelineError, match="unknown component 'nope'"):
        check_pipeline(["nope"])
    with pytest.raises(PipelineError, match="unknown setting"):
        check_pipeline([{"component": "gazetteer", "settings": {"colour": 1}}], given=("doc",))


def test_pipeline_settings_override_defaults():
    [step] = check_pipeline([{"component": "positions", "settings": {"max_gap": 2}}],
                            given=("doc", "lemmas", "mentions", "markers"))
    assert step.settings["max_gap"] == 2 and "hedge_factor" in step.settings


def test_chunks_keep_offsets_and_cut_long_lines():
    text = "first line\r\n\r\n" + "word " * 50 + "\nlast"
    pieces = list(chunks(text, limit=60))
    for piece, offset in pieces:
        assert text[offset:offset + len(piece)] == piece
    assert all(len(p) <= 60 for p, _ in pieces) and pieces[-1][0] == "last"


# --- gazetteer -----------------------------------------------------------------------

def test_gazetteer_finds_labels_aliases_and_demonyms_with_exact_spans(index, steps):
    text = "Washington and Tehran met in Geneva over the 2015 nuclear agreement; Iranian diplomats spoke."
    result = extract(index, steps, text)
    found = {(m.category, m.key, text[m.start:m.end]) for m in result.mentions}
    assert ("actor", "united-states", "Washington") in found
    assert ("actor", "iran", "Tehran") in found and ("actor", "iran", "Iranian") in found
    assert ("place", "geneva", "Geneva") in found
    assert ("agreement", "jcpoa", "2015 nuclear agreement") in found or \
        ("agreement", "jcpoa", "the 2015 nuclear agreement") in found


def test_gazetteer_does_not_read_the_pronoun_us_as_the_united_states(index, steps):
    result = extract(index, steps, "Let us hope for calm. The US disagreed.")
    assert [m.start for m in result.mentions if m.key == "united-states"] == [26]


# --- titled names ----------------------------------------------------------------------

def test_titled_known_person_gives_an_affiliation_with_role(index, steps):
    result = extract(index, steps, "Iranian Foreign Minister Abbas Araghchi arrived late.")
    assert {"member": "abbas-araghchi", "organization": "iran", "role": "Foreign Minister"} in facts(result, "affiliation")


def test_titled_unknown_person_is_reported_never_invented_as_a_key(index, steps):
    result = extract(index, steps, "U.S. Special Envoy Steve Witkoff flew to Oman.")
    [name] = result.unknown
    assert (name.name, name.role, name.affiliation) == ("Steve Witkoff", "Special Envoy", "united-states")
    assert not facts(result, "affiliation")


def test_abbreviated_military_title_is_expanded(index, steps):
    result = extract(index, steps, "Adm. Jane Roe inspected the fleet.")
    assert [(u.name, u.role) for u in result.unknown] == [("Jane Roe", "Admiral")]


# --- dates and quantities ------------------------------------------------------------

def _dates(text, published=None, index=None):
    from kg.extraction.model import Chunk, Context
    from kg.extraction.components.temporal import dates
    from kg.extraction.nlp import blank_english
    import datetime

    ctx = Context(text=text, index=index, published=datetime.date.fromisoformat(published) if published else None)
    chunk = Chunk(doc=blank_english()(text), offset=0)
    dates(chunk, ctx, {})
    return [(d.value, text[d.start:d.end]) for d in chunk.dates]


def test_dates_keep_the_precision_the_text_gives():
    found = _dates("In June 2025 the war began; on 12 June 2025 strikes hit; the deal of 2015 ended in 2018.")
    assert ("2025-06", "June 2025") in found and ("2025-06-12", "12 June 2025") in found
    assert ("2018", "2018") in found and not any(v == "2025" for v, _ in found)


def test_impossible_day_is_no_date():
    assert _dates("It was signed on February 30, 2025.") == [] or all(v != "2025-02-30" for v, _ in _dates("It was signed on February 30, 2025."))


def test_weekday_needs_a_publication_date():
    assert _dates("The talks took place on Saturday.") == []
    # 2025-04-14 is a Monday: "on Saturday" in a past report is 2025-04-12
    assert _dates("The talks took place on Saturday.", "2025-04-14") == [("2025-04-12", "Saturday")]
    assert _dates("The talks will resume on Saturday.", "2025-04-14") == [("2025-04-19", "Saturday")]


def test_percentages_with_qualifiers():
    from kg.extraction.model import Chunk, Context
    from kg.extraction.components.temporal import quantities
    from kg.extraction.nlp import blank_english

    text = "from a cap of 3.67% to levels exceeding 60 percent"
    chunk = Chunk(doc=blank_english()(text), offset=0)
    quantities(chunk, Context(text=text, index=None, published=None), {})
    assert [(q.value, q.unit, q.qualifier) for q in chunk.quantities] == [("3.67", "percent", None), ("60", "percent", "exceeding")]


# --- positions: cues, negation, attribution, hedges ----------------------------------

def test_refusal_to_negotiate_is_a_red_line(index, steps):
    result = extract(index, steps, "Iran refuses to negotiate its ballistic missile program.")
    assert facts(result, "position") == [{"type": "red-line", "holder": "iran", "issue": "ballistic-missiles"}]


def test_negated_rule_out_is_no_red_line(index, steps):
    result = extract(index, steps, "Iran did not rule out talks on its ballistic missile program.")
    assert facts(result, "position") == []


def test_contracted_negation_is_no_red_line(index, steps):
    assert facts(extract(index, steps, "Tehran didn't reject talks on enrichment."), "position") == []


def test_attribution_gives_the_stance_to_the_reported_actor(index, steps):
    result = extract(index, steps, "Israel said that Iran rejects any limits on uranium enrichment.")
    [fact] = [c for c in result.candidates if c.kind == "position"]
    assert fact.fields["holder"] == "iran" and fact.fields["issue"] == "uranium-enrichment"
    plain = extract(index, steps, "Iran rejects any limits on uranium enrichment.")
    assert fact.confidence < plain.candidates[0].confidence


def test_hedged_stance_is_marked_and_less_confident(index, steps):
    hedged = extract(index, steps, "Iran may reject talks on its ballistic missile program.")
    plain = extract(index, steps, "Iran rejects talks on its ballistic missile program.")
    [h], [p] = hedged.candidates, plain.candidates
    assert h.fields.get("hedged") is True and "hedged" not in p.fields and h.confidence < p.confidence


def test_conditional_and_question_propose_no_stance(index, steps):
    for text in ("If Iran refuses to negotiate on enrichment, sanctions will follow.",
                 "Will Iran reject talks on its ballistic missile program?"):
        assert facts(extract(index, steps, text), "position") == [], text


def test_rejecting_a_claim_is_no_stance(index, steps):
    assert facts(extract(index, steps, "Iran rejected claims about its nuclear program."), "position") == []


def test_demand_with_addressee(index, steps):
    result = extract(index, steps, "Washington demanded that Iran halt uranium enrichment.")
    assert facts(result, "position") == [{"type": "demand", "holder": "united-states",
                                          "issue": "uranium-enrichment", "addressed_to": "iran"}]


def test_demonym_holder_needs_a_people_noun(index, steps):
    assert facts(extract(index, steps, "Iranian officials insist on sanctions relief."), "position") == [
        {"type": "demand", "holder": "iran", "issue": "sanctions-relief"}]
    assert facts(extract(index, steps, "Iranian media insist on sanctions relief."), "position") == []


def test_bare_sanctions_is_no_demand_for_relief(index, steps):
    assert facts(extract(index, steps, "The US demanded new sanctions."), "position") == []


def test_an_article_without_stances_yields_no_position(index, steps):
    text = ("Oil prices rose on Monday as traders weighed supply risks in the Gulf.\n"
            "Analysts said markets remained calm. Iran's currency slipped against the dollar.\n")
    assert facts(extract(index, steps, text), "position") == []


# --- leverage, rounds, agreements, events, causal ------------------------------------

def test_possessive_leverage(index, steps):
    result = extract(index, steps, "Iran's missile arsenal worries its neighbours.")
    assert facts(result, "leverage") == [{"leverage_kind": "missile-arsenal", "holder": "iran"}]


def test_imposed_sanctions_are_leverage_with_a_target(index, steps):
    result = extract(index, steps, "The United States imposed economic sanctions on Iran.")
    assert {"leverage_kind": "economic-sanctions", "holder": "united-states", "targets": ["iran"]} in facts(result, "leverage")


def test_negated_threat_is_no_leverage(index, steps):
    assert facts(extract(index, steps, "Israel did not threaten to strike."), "leverage") == []


def test_round_at_a_known_place_with_format_mediator_and_date(index, steps):
    result = extract(index, steps, "US and Iranian negotiators held indirect talks in Muscat on Saturday, mediated by Oman.",
                     published="2025-04-14")
    [r] = facts(result, "round")
    assert r["venue"] == "muscat" and r["format"] == "indirect" and r["mediator"] == "oman"
    assert r["date"] == "2025-04-12"


def test_talks_without_a_known_place_are_no_round(index, steps):
    assert facts(extract(index, steps, "Talks resumed after a long pause."), "round") == []


def test_cancelled_round(index, steps):
    [r] = facts(extract(index, steps, "The second round of talks in Geneva was cancelled."), "round")
    assert r["outcome"] == "cancelled" and r["label"].startswith("Round 2")


def test_withdrawal_from_an_agreement_is_an_event_with_date(index, steps):
    result = extract(index, steps, "The United States withdrew from the JCPOA in 2018.")
    [e] = facts(result, "event")
    assert (e["class"], e["agent"], e["agreement"], e["date"]) == ("Withdrawal", ["united-states"], "jcpoa", "2018")


def test_agreement_cap_is_a_provision(index, steps):
    result = extract(index, steps, "The JCPOA set a cap of 3.67% on uranium enrichment.")
    [p] = facts(result, "provision")
    assert (p["agreement"], p["limit"], p["unit"], p["issue"]) == ("jcpoa", "3.67", "percent", "uranium-enrichment")


def test_strike_needs_an_agent_and_a_capability_is_no_event(index, steps):
    assert facts(extract(index, steps, "Israeli strikes on Iran in June 2025 hit nuclear sites."), "event")[0]["class"] == "MilitaryStrike"
    assert facts(extract(index, steps, "Its partners have the ability to strike US assets."), "event") == []


def test_causal_cue_links_two_events(index, steps):
    result = extract(index, steps, "The United States withdrew from the JCPOA in 2018, which led to Iran raising enrichment levels to 60%.")
    [link] = facts(result, "causal")
    assert link["cue"] == "led to"
    events = {c.identity(): c.fields for c in result.candidates if c.kind == "event"}
    assert events[link["cause"]]["class"] == "Withdrawal" and events[link["effect"]]["class"] == "Escalation"
