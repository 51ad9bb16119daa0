"""`kg add`, in-process with CliRunner, on a temporary project (never the real corpus)."""

from __future__ import annotations

import subprocess
import sys

import yaml

from kg.cli import cli

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
    assert "position" in result.output and "Names not known: Special Envoy Jane Roe" in result.output
    proposed = (project.corpus / f"{slug}.proposed-reference.ttl").read_text(encoding="utf-8")
    assert "actor:jane-roe" in proposed
    built = build(project.root)  # accepted facts only: none
    assert built.facts == [] and len(built.not_built) == len(data["facts"])


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
    assert {str(row.rule) for row in rows} & {"positions.rule-out", "rounds.talks-at-place"}


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


def test_title_with_several_files_is_a_usage_error(project, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    result = add(project, a, a, "--title", "X")
    assert result.exit_code == 2 and "--title names one article" in result.output


def test_help_does_not_import_spacy_or_lxml():
    probe = ("import sys, kg.cli; heavy = ('spacy', 'lxml', 'thinc');"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]"
    assert "Example:" in cli.commands["add"].help
