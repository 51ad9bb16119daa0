"""kg.review as a library: racing decisions, undo in the file, entities into the reference data, comments kept."""

from __future__ import annotations

import multiprocessing

import pytest
import yaml

from kg.errors import ReviewError
from kg.review import Review


def _facts(root, slug) -> list[dict]:
    return yaml.safe_load((root / "corpus" / f"{slug}.facts.yaml").read_text(encoding="utf-8"))["facts"]


def _decide(root, slug, action, ids, barrier, done):
    """One reviewer in its own process: waits for the other, then decides every fact of ``ids``."""
    review = Review(root)
    barrier.wait()
    for fact_id in ids:
        getattr(review, action)(slug, fact_id)
    done.put(len(ids))


def test_two_processes_racing_on_one_file_lose_nothing(reviewed):
    """One process rejects the first half of the facts while another accepts the second half."""
    root, slug = reviewed
    items = [i for i in Review(root).state(slug)["items"] if i["type"] == "fact"]
    half = len(items) // 2
    context = multiprocessing.get_context("spawn")
    barrier, done = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_decide, args=(root, slug, "reject", [i["id"] for i in items[:half]], barrier, done)),
               context.Process(target=_decide, args=(root, slug, "accept", [i["id"] for i in items[half:]], barrier, done))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    assert sorted(done.get() for _ in workers) == sorted([half, len(items) - half])
    expected = [{**i["fact"], "status": "accepted"} for i in items[half:]]
    assert _facts(root, slug) == expected


def test_undo_reverts_each_decision_in_the_file(reviewed):
    root, slug = reviewed
    path = root / "corpus" / f"{slug}.facts.yaml"
    original = path.read_text(encoding="utf-8")
    review = Review(root)
    items = [i for i in review.state(slug)["items"] if i["type"] == "fact"]
    review.accept(slug, items[0]["id"])
    review.reject(slug, items[2]["id"])
    review.edit(slug, items[3]["id"], {"role": "Minister of Foreign Affairs"})
    assert _facts(root, slug)[2]["role"] == "Minister of Foreign Affairs"
    for _ in range(3):
        review.undo(slug)
    assert path.read_text(encoding="utf-8") == original, "three undos give the file back byte for byte"
    with pytest.raises(ReviewError, match="nothing to undo"):
        review.undo(slug)


def test_comments_and_order_survive_a_decision(reviewed):
    root, slug = reviewed
    path = root / "corpus" / f"{slug}.facts.yaml"
    text = path.read_text(encoding="utf-8")
    marked = text.replace("- kind: event\n", "# reviewer's note: check the date\n- kind: event\n", 1)
    path.write_text(marked, encoding="utf-8")
    review = Review(root)
    first = review.state(slug)["items"][0]
    review.accept(slug, first["id"])
    after = path.read_text(encoding="utf-8")
    assert "# reviewer's note: check the date\n- kind: event\n" in after
    head, _, body = marked.partition("facts:\n")
    assert after == head + "facts:\n" + body.replace("status: proposed", "status: accepted", 1), "only that fact changed"


def test_an_entity_is_accepted_into_the_reference_data(reviewed):
    root, slug = reviewed
    review = Review(root)
    review.accept_entity(slug, "actor", "khalid-al-rawahi")
    actors = (root / "ontology" / "reference" / "actors.ttl").read_text(encoding="utf-8")
    assert 'actor:khalid-al-rawahi a imp:Person ;\n    rdfs:label "Khalid al-Rawahi"@en ;\n    skos:altLabel "al-Rawahi"@en .' in actors
    reference = review.reference()
    assert "khalid-al-rawahi" in reference.keys["actor"]
    mentions = yaml.safe_load((root / "corpus" / f"{slug}.mentions.yaml").read_text(encoding="utf-8"))
    assert "khalid-al-rawahi" not in [e["key"] for e in mentions["entities"]]
    assert any(m[3] == "khalid-al-rawahi" for m in mentions["mentions"]), "its mentions stay, now of a reference entity"
    review.undo(slug)
    assert "khalid-al-rawahi" not in (root / "ontology" / "reference" / "actors.ttl").read_text(encoding="utf-8")


def test_an_entity_merged_into_an_existing_one_becomes_its_alias(reviewed):
    root, slug = reviewed
    review = Review(root)
    named = [i for i in review.state(slug)["items"] if i["type"] == "fact" and "steve-witkoff" in str(i["fact"])]
    assert named
    review.merge_entity(slug, "actor", "steve-witkoff", "united-states")
    reference = review.reference()
    assert "Steve Witkoff" in reference.aliases(reference.keys["actor"]["united-states"])
    text = (root / "corpus" / f"{slug}.facts.yaml").read_text(encoding="utf-8")
    assert "steve-witkoff" not in text, "facts name the entity it was merged into"
    mentions = (root / "corpus" / f"{slug}.mentions.yaml").read_text(encoding="utf-8")
    assert "steve-witkoff" not in mentions


def test_an_entity_facts_still_name_is_not_rejected(reviewed):
    root, slug = reviewed
    review = Review(root)
    with pytest.raises(ReviewError, match="name Esmaeil Baghaei"):
        review.reject_entity(slug, "actor", "esmaeil-baghaei")


ROUND = """\
document: doc
facts:
  - kind: round
    key: harbour-talks
    label: Talks at the harbour
    status: proposed
    method: extracted
    rule: rounds.talks-at-place
    confidence: 0.6
    quote: "The two sides met at the harbour."
"""


def test_a_new_entity_of_a_category_without_a_file_gets_one_and_undo_removes_it(project):
    """A project whose reference data has no places: naming a new venue makes places.ttl, undo takes it away."""
    (project.root / "ontology" / "reference" / "places.ttl").unlink()
    project.add("doc", "The two sides met at the harbour.\n", ROUND)
    review = Review(project.root)
    fact = review.state("doc")["items"][0]
    review.edit("doc", fact["id"], {"venue": {"new": "Muscat Harbour"}})
    places = project.root / "ontology" / "reference" / "places.ttl"
    assert "place:muscat-harbour a imp:Place ;" in places.read_text(encoding="utf-8")
    assert review.reference().keys["place"] == {"muscat-harbour": review.reference().keys["place"]["muscat-harbour"]}
    assert _facts(project.root, "doc")[0]["venue"] == "muscat-harbour"
    review.undo("doc")
    assert not places.exists()
    assert _facts(project.root, "doc") == yaml.safe_load(ROUND)["facts"]
