"""`kg add`, in-process with CliRunner, on a temporary project (never the real corpus)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from kg.cli import cli
from kg.vocab import ID

from ..conftest import ROOT, run_cli

ARTICLE = """Iran and US hold fresh talks in Oman
US and Iranian negotiators held indirect talks in Muscat on Saturday, mediated by Oman.
Tehran has ruled out any negotiation on its ballistic missile program, officials said.
Iran did not rule out talks on sanctions relief.
U.S. Special Envoy Jane Roe said Washington demanded that Iran halt uranium enrichment.
"""


def add(project, *args):
    return run_cli("add", "-C", str(project.root), *map(str, args))


def test_add_writes_document_and_proposed_facts_the_loaders_accept(project, tmp_path):
    from kg.build.builder import build

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = add(project, article, "--publisher", "Test Wire", "--date", "2025-04-14")
    assert result.exit_code == 0, result.output
    slug = "iran-and-us-hold-fresh-talks-in-oman"
    doc = project.corpus / f"{slug}.txt"
    assert doc.read_text(encoding="utf-8").endswith(ARTICLE)
    data = yaml.safe_load((project.corpus / f"{slug}.facts.yaml").read_text(encoding="utf-8"))
    assert data["document"] == slug and data["facts"]
    for fact in data["facts"]:
        assert fact["status"] == "proposed" and fact["method"] == "extracted"
        assert fact["rule"] and 0 < fact["confidence"] <= 1
    kinds = {(f["kind"], f.get("type")) for f in data["facts"]}
    assert ("position", "red-line") in kinds and ("round", None) in kinds
    # no red line on sanctions relief: "did not rule out"
    assert not any(f.get("issue") == "sanctions-relief" for f in data["facts"])
    assert "position" in result.output and "New entities: Jane Roe (Person)" in result.output
    mentions = yaml.safe_load((project.corpus / f"{slug}.mentions.yaml").read_text(encoding="utf-8"))
    [roe] = [e for e in mentions["entities"] if e["key"] == "jane-roe"]
    assert (roe["category"], roe["class"], roe["label"], roe["status"]) == ("actor", "Person", "Jane Roe", "proposed")
    text = doc.read_text(encoding="utf-8")
    body = text[text.index("---\n", 4) + 4:]
    assert all(body[start:start + len(name)] == name for start, name, *_ in mentions["mentions"])
    assert [name for _, name, _, key, _ in mentions["mentions"] if key == "jane-roe"] == ["Jane Roe"]
    built = build(project.root)  # accepted facts only: none, and no minted entity
    assert built.facts == [] and len(built.not_built) == len(data["facts"])
    people = {str(q.subject.value) for q in built.graph.quads_for_pattern(None, None, None, None)
              if q.object.value == "https://w3id.org/impasse/ontology#Person"}
    assert "https://w3id.org/impasse/id/actor/jane-roe" not in people


def test_build_with_include_proposed_marks_extracted_evidence(project, tmp_path):
    from decimal import Decimal

    from rdflib import Literal

    from kg.build.builder import build
    from kg.vocab import IMP

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert add(project, article).exit_code == 0
    result = build(project.root, include_proposed=Decimal("0.5"))
    assert result.facts and all(f.method == "extracted" for f in result.facts)
    rows = list(result.graph.dataset.query(f"""
        SELECT ?evidence ?method ?rule ?confidence WHERE {{ GRAPH ?g {{
            ?fact <http://www.w3.org/ns/prov#wasDerivedFrom> ?evidence .
            ?evidence <{IMP.method}> ?method .
            OPTIONAL {{ ?evidence <{IMP.rule}> ?rule }} OPTIONAL {{ ?evidence <{IMP.confidence}> ?confidence }}
        }} }}"""))
    assert rows and all(row.method == IMP.Extracted for row in rows)
    assert all(row.rule is not None and isinstance(row.confidence, Literal) for row in rows)
    assert {str(row.rule) for row in rows} & {"stances.verb", "rounds.talks-at-place"}


def test_add_strips_html_with_lxml(project, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head><title>Talks in Geneva</title>"
        "<meta property='og:site_name' content='Example News'>"
        "<script>var x = 'Iran rejects talks on missiles';</script></head>"
        "<body><nav>Home | World</nav><h1>Talks in Geneva</h1>"
        "<p>Iran refuses to negotiate its ballistic&nbsp;missile program.</p>"
        "<p>More <b>text</b> here.</p><footer>© Example</footer></body></html>",
        encoding="utf-8",
    )
    result = add(project, page)
    assert result.exit_code == 0, result.output
    text = (project.corpus / "talks-in-geneva.txt").read_text(encoding="utf-8")
    assert "publisher: Example News" in text and "var x" not in text and "Home | World" not in text
    assert "Iran refuses to negotiate its ballistic\u00a0missile program.\nMore text here." in text


def test_duplicate_content_is_refused_even_with_other_whitespace(project, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(ARTICLE.replace("\n", "\r\n").replace(" talks", "  talks"), encoding="utf-8")
    assert add(project, first).exit_code == 0
    before = sorted(p.name for p in project.corpus.iterdir())
    result = add(project, second, "--title", "Another title")
    assert result.exit_code == 2 and "already in the corpus as iran-and-us-hold-fresh-talks-in-oman.txt" in result.output
    assert sorted(p.name for p in project.corpus.iterdir()) == before


def test_bad_files_are_refused_naming_the_file_and_others_still_added(project, tmp_path):
    empty, binary, latin, good = (tmp_path / n for n in ("empty.txt", "bin.txt", "latin.txt", "good.txt"))
    empty.write_text("  \n", encoding="utf-8")
    binary.write_bytes(b"abc\x00def")
    latin.write_bytes("Caf\xe9 talks".encode("latin-1"))
    good.write_text(ARTICLE, encoding="utf-8")
    result = add(project, empty, binary, latin, good)
    assert result.exit_code == 2
    assert f"{empty}: the file is empty" in result.output
    assert f"{binary}: the file is binary" in result.output
    assert f"{latin}:1: not valid UTF-8" in result.output
    assert "3 of 4 article(s) not added" in result.output
    assert (project.corpus / "iran-and-us-hold-fresh-talks-in-oman.txt").is_file()
    assert not [p for p in project.corpus.iterdir() if p.name.startswith(".kg-add-")]


def test_same_title_gets_a_new_slug(project, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Same headline\nIran rejects talks on missiles.\n", encoding="utf-8")
    b.write_text("Same headline\nThe United States imposed economic sanctions on Iran.\n", encoding="utf-8")
    result = add(project, a, b)
    assert result.exit_code == 0, result.output
    assert (project.corpus / "same-headline.txt").is_file() and (project.corpus / "same-headline-2.txt").is_file()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_writes_the_same_files_as_one_at_a_time_and_reports_a_bad_file(project, tmp_path, jobs):
    import shutil

    articles = []
    for name in ["wire-muscat-first-round", "analysis-after-june-strikes"]:
        articles.append(ROOT / "benchmarks" / "devset" / "us-iran" / f"{name}.txt")
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    other = tmp_path / "other"
    shutil.copytree(project.root, other)
    for article in articles:  # one at a time: each add makes its own reference index
        assert add(project, article).exit_code == 0
    result = run_cli("add", "-C", str(other), "--jobs", jobs, articles[0], bad, articles[1])
    assert result.exit_code == 2 and f"{bad}: the file is empty" in result.output
    assert "1 of 3 article(s) not added" in result.output
    ours = sorted(p.name for p in project.corpus.iterdir())
    assert ours == sorted(p.name for p in (other / "corpus").iterdir()) and len(ours) == 6
    for name in ours:
        assert (project.corpus / name).read_bytes() == (other / "corpus" / name).read_bytes(), name


def test_minted_keys_never_collide_with_existing_ones(project, tmp_path):
    from kg.build.builder import build

    project.add("old", "Talks were held in Muscat in April 2025.\n", """\
document: old
facts:
  - kind: round
    key: muscat-talks-2025-04
    label: Old talks
    venue: muscat
    quote: "Talks were held in Muscat in April 2025."
""")
    article = tmp_path / "new.txt"
    article.write_text("New round\nIran and the US held talks in Muscat in April 2025.\n", encoding="utf-8")
    assert add(project, article).exit_code == 0
    data = yaml.safe_load((project.corpus / "new-round.facts.yaml").read_text(encoding="utf-8"))
    keys = [f["key"] for f in data["facts"] if f["kind"] == "round"]
    assert keys and "muscat-talks-2025-04" not in keys
    build(project.root)  # the corpus still loads: no key declared twice with two labels


def test_a_second_report_of_a_round_on_the_same_day_at_the_same_venue_is_that_round(project, tmp_path):
    from kg.build.builder import build

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("Talks open in Muscat\nIran and the US held talks in Muscat on April 12, 2025.\n", encoding="utf-8")
    second.write_text("Oman hosts a round\nNegotiators from both sides met for talks in Muscat on 12 April 2025, "
                      "officials said.\n", encoding="utf-8")
    assert add(project, first).exit_code == 0 and add(project, second).exit_code == 0
    rounds = [[f for f in yaml.safe_load((project.corpus / f"{slug}.facts.yaml").read_text(encoding="utf-8"))["facts"]
               if f["kind"] == "round"] for slug in ("talks-open-in-muscat", "oman-hosts-a-round")]
    assert [len(r) for r in rounds] == [1, 1]
    assert rounds[0][0]["key"] == rounds[1][0]["key"] and rounds[0][0]["label"] == rounds[1][0]["label"]
    graph = build(project.root, include_proposed=0).graph
    node = ID["round/" + rounds[0][0]["key"]]
    rows = graph.query("PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> "
                       f"SELECT DISTINCT ?doc WHERE {{ <{node}> prov:wasDerivedFrom/oa:hasSource ?doc }}")
    assert len(list(rows)) == 2  # one round node, with evidence in both documents


def test_title_with_several_files_is_a_usage_error(project, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    result = add(project, a, a, "--title", "X")
    assert result.exit_code == 2 and "--title names one article" in result.output
    result = add(project, a, a, "--url", "https://example.org/a")
    assert result.exit_code == 2 and "--url names one article" in result.output


def test_url_is_recorded_and_the_publisher_is_the_reference_actor(project, tmp_path):
    """`kg add --url` keeps where the article came from; a publisher the reference data has is that actor."""
    from kg.build.builder import build

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    url = "https://example.org/news/talks?id=1&lang=en"
    result = add(project, article, "--publisher", "shafaq news", "--url", url)
    assert result.exit_code == 0, result.output
    doc = project.corpus / "iran-and-us-hold-fresh-talks-in-oman.txt"
    assert yaml.safe_load(doc.read_text(encoding="utf-8").split("---\n")[1])["url"] == url
    graph = build(project.root).graph
    node = str(ID["document/iran-and-us-hold-fresh-talks-in-oman"])
    found = {(q.predicate.value, q.object.value) for q in graph.quads() if q.subject.value == node}
    assert ("http://purl.org/dc/terms/source", url) in found
    assert ("http://purl.org/dc/terms/publisher", str(ID["actor/shafaq-news"])) in found


def test_a_publisher_the_reference_data_lacks_stays_a_name(project):
    from kg.build.builder import build

    project.add("doc", "Iran rejects talks on missiles.\n")
    graph = build(project.root).graph
    [publisher] = [q.object for q in graph.quads() if q.predicate.value == "http://purl.org/dc/terms/publisher"]
    assert publisher.value == "Test Wire" and publisher.datatype.value.endswith("#string")


def test_the_html_pages_own_url_is_read(project, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><head><title>Talks in Geneva</title>"
                    "<link rel='canonical' href='https://example.org/geneva'></head>"
                    "<body><p>Iran refuses to negotiate its ballistic missile program.</p></body></html>",
                    encoding="utf-8")
    assert add(project, page).exit_code == 0
    assert "url: https://example.org/geneva" in (project.corpus / "talks-in-geneva.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["ftp://example.org/a", "example.org/a", "https://exa mple.org/"])
def test_a_bad_url_is_refused_naming_the_file(project, tmp_path, url):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = add(project, article, "--url", url)
    assert result.exit_code == 2 and f"{article}: url: " in result.output
    assert not list(project.corpus.glob("*.txt"))


def test_a_bad_url_in_a_document_header_names_the_file(project):
    from kg.corpus.documents import load_document
    from kg.errors import DocumentError

    path = project.add("doc", "Text.\n", header="---\ntitle: T\npublisher: P\nkind: news\nurl: mailto:a@b\n---\n")
    with pytest.raises(DocumentError, match=rf"{path}: header 'url': 'mailto:a@b' is not an http or https address"):
        load_document(path)


def test_help_does_not_import_spacy_or_lxml():
    probe = ("import sys, kg.cli; heavy = ('spacy', 'lxml', 'thinc');"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]"
    assert "Example:" in cli.commands["add"].help


def test_minted_entities_and_mentions_enter_the_graph_with_include_proposed(project, tmp_path):
    from decimal import Decimal

    from kg.build.builder import build

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert add(project, article, "--date", "2025-04-14").exit_code == 0
    graph = build(project.root, include_proposed=Decimal("0")).graph.dataset
    rows = set(graph.query("""
        PREFIX imp: <https://w3id.org/impasse/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?type ?exact ?first WHERE { GRAPH ?g {
            <https://w3id.org/impasse/id/actor/jane-roe> a ?type ; imp:denotedBy ?m ; prov:wasDerivedFrom ?first .
            ?m a imp:Mention ; oa:hasSource ?doc ; oa:hasSelector ?s . ?s oa:exact ?exact } }"""))
    assert {(str(t).rsplit("#", 1)[-1], str(e)) for t, e, _ in rows} == {("Person", "Jane Roe")}
    # a reference entity's mentions are built as well, each with its exact text
    iran = set(graph.query("""
        PREFIX imp: <https://w3id.org/impasse/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact WHERE { GRAPH ?g { <https://w3id.org/impasse/id/actor/iran> imp:denotedBy ?m .
            ?m oa:hasSelector ?s . ?s oa:exact ?exact } }"""))
    assert {str(e) for (e,) in iran} >= {"Iran", "Tehran"}


def test_add_again_replaces_proposals_and_keeps_reviewed_facts_and_comments(project, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert add(project, article, "--date", "2025-04-14").exit_code == 0
    slug = "iran-and-us-hold-fresh-talks-in-oman"
    facts = project.corpus / f"{slug}.facts.yaml"
    text = facts.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    proposals = len(data["facts"])
    # a reviewer accepts the first fact (drops `status: proposed`) and comments it
    first = text.index("- kind:")  # the first fact written in block style
    line_end = text.index("\n", first)
    rest = text[line_end:].replace("status: proposed", "status: accepted", 1)
    reviewed = text[:line_end] + "  # checked by hand" + rest
    facts.write_text(reviewed, encoding="utf-8")
    result = add(project, "--again", slug)
    assert result.exit_code == 0, result.output
    after = facts.read_text(encoding="utf-8")
    assert "# checked by hand" in after
    again = yaml.safe_load(after)["facts"]
    assert sum(f["status"] == "accepted" for f in again) == 1
    assert len(again) == proposals  # the accepted one kept, the others proposed anew, none twice


def test_a_mention_whose_text_is_not_at_its_offset_names_the_file(project):
    from kg.build.builder import build
    from kg.errors import FactsError

    project.add("doc", "Iran rejects talks on missiles.\n")
    (project.corpus / "doc.mentions.yaml").write_text(
        "document: doc\nentities: []\nmentions:\n  - [0, Iraq, actor, iran]\n", encoding="utf-8")
    with pytest.raises(FactsError, match=r"doc\.mentions\.yaml: mention 1: doc\.txt has 'Iran' at 0, not 'Iraq'"):
        build(project.root)


def test_a_model_with_other_weights_is_refused(tmp_path):
    from kg.extraction.nlp import ModelError, check_weights

    (tmp_path / "tok2vec").mkdir()
    (tmp_path / "tok2vec" / "model").write_bytes(b"not the official weights")
    with pytest.raises(ModelError, match="is not the official en_core_web_sm 3.8.0"):
        check_weights(tmp_path)


def test_the_installed_model_is_the_trained_one():
    from kg.extraction.nlp import load_nlp

    reader = load_nlp()
    assert not reader.fallback and {"parser", "ner"} <= set(reader.nlp.pipe_names)


def test_extracting_again_refuses_a_facts_file_with_aliases_before_ruamel_expands_them(project):
    from kg.corpus.ingest import extract_again
    from kg.errors import InputError

    from .test_facts import BOMB

    project.add("doc", "Iran rejects talks on missiles.\n", BOMB)
    with pytest.raises(InputError, match=r"doc\.facts\.yaml:4: found the alias \*a"):
        extract_again(project.root, "doc")


def test_a_failed_publish_puts_back_the_files_it_had_replaced(tmp_path):
    # kg add --again replaces a facts file: undoing must restore it, not delete it
    from kg.corpus.ingest import _publish
    from kg.errors import InputError

    corpus, staging = tmp_path / "corpus", tmp_path / "staging"
    corpus.mkdir()
    staging.mkdir()
    (corpus / "doc.facts.yaml").write_text("old facts\n", encoding="utf-8")
    (staging / "doc.facts.yaml").write_text("new facts\n", encoding="utf-8")
    (staging / "doc.new.yaml").write_text("new file\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write doc.mentions.yaml"):
        _publish(staging, corpus, [staging / "doc.new.yaml", staging / "doc.facts.yaml",
                                   staging / "doc.mentions.yaml"])  # the last is missing: the rename fails
    assert sorted(p.name for p in corpus.iterdir()) == ["doc.facts.yaml"]
    assert (corpus / "doc.facts.yaml").read_text(encoding="utf-8") == "old facts\n"
