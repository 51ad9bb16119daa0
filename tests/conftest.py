"""Shared fixtures: the project's graph is built once per session (datasette's conftest idea)."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from kg.build.builder import build
from kg.formats import render_exports
from kg.derive.reasoning import classify

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built():
    """The graph of the real corpus, as `kg build` makes it: derived and reasoned."""
    result = build(ROOT)
    classify(result.graph)  # HermiT on the ontology, the entailment rules on the graph
    return result


@pytest.fixture(scope="session")
def exported(built):
    """The standard exports of the real corpus, rendered in memory."""
    return render_exports(built.graph)


@pytest.fixture(scope="session")
def index():
    """The extraction's index of the real reference data (its matchers are built once)."""
    from kg.corpus.reference import load_reference
    from kg.extraction import ReferenceIndex

    return ReferenceIndex(load_reference(ROOT / "ontology" / "reference"))


@pytest.fixture(scope="session")
def steps():
    """The shipped extraction pipeline, checked."""
    from kg.extraction import load_pipeline

    return load_pipeline()


RED_LINE = """\
document: doc
facts:
  - kind: position
    type: red-line
    holder: iran
    issue: ballistic-missiles
    quote: "Iran rejects talks on missiles."
"""  # the smallest document's facts, for a project with "Iran rejects talks on missiles."


def run_cli(*args):
    """``kg ARGS…`` in process (click's runner); arguments may be paths."""
    from click.testing import CliRunner

    from kg.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


HEADER = """---
title: A test article
publisher: Test Wire
kind: news
date: unknown
---
"""


@pytest.fixture
def project(tmp_path):
    """A project folder with the real ontology, reference data, queries and rules, and an empty corpus.

    Call ``project.add(slug, text, facts_yaml=None, header=HEADER)`` to add a document.
    """
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "queries", tmp_path / "queries", ignore=shutil.ignore_patterns("*.expected.tsv"))
    (tmp_path / "corpus").mkdir()

    class Project:
        root = tmp_path
        corpus = tmp_path / "corpus"

        @staticmethod
        def add(slug, text, facts_yaml=None, header=HEADER):
            path = tmp_path / "corpus" / f"{slug}.txt"
            path.write_text(header + text, encoding="utf-8")
            if facts_yaml is not None:
                (tmp_path / "corpus" / f"{slug}.facts.yaml").write_text(
                    textwrap.dedent(facts_yaml), encoding="utf-8"
                )
            return path

    return Project


CHROMIUM = "/usr/bin/chromium"  # Debian's, which .ci/run installs
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


def require_chromium() -> None:
    """Skip the calling test module where Chromium or Playwright is missing, with the reason;
    never in CI, where the browser tests must run."""
    if os.environ.get("CI"):
        return
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian: apt-get install chromium); in CI these tests must run",
                    allow_module_level=True)
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, for a module's browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()

