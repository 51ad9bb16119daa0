"""Incremental builds: each document's facts and quads reused from .kg-cache while its inputs are unchanged."""

from __future__ import annotations

import shutil

from kg.pipeline import run

from ..conftest import RED_LINE, ROOT

EVENTS = """\
document: one
facts:
  - kind: event
    key: war
    label: {label}
    class: War
    quote: "A war broke out."
  - kind: event
    key: talks-stalled
    label: The talks stalled
    class: Event
    quote: "The talks stalled."
"""

CAUSE = """\
document: two
facts:
  - kind: causal
    cause: war
    effect: talks-stalled
    quote: "Because of the war, the talks stalled."
"""


def _exports(root, folder) -> dict[str, bytes]:
    run(root, exports=folder, views=False)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _clean(root, folder) -> dict[str, bytes]:
    shutil.rmtree(root / ".kg-cache", ignore_errors=True)
    return _exports(root, folder)


def test_adding_an_article_rebuilds_it_alone_and_writes_what_a_clean_build_writes(project, tmp_path):
    for path in (ROOT / "corpus").glob("*.*"):
        if path.name.endswith((".txt", ".yaml")):
            shutil.copy(path, project.corpus / path.name)
    run(project.root, exports=tmp_path / "first", views=False, validate=False)
    project.add("iran-rejects", "Iran rejects talks on missiles.\n",
                RED_LINE.replace("document: doc", "document: iran-rejects"))
    incremental = run(project.root, exports=tmp_path / "incremental", views=False)
    assert sorted(incremental.build.reused) == sorted(p.stem for p in (ROOT / "corpus").glob("*.txt"))
    files = {p.name: p.read_bytes() for p in sorted((tmp_path / "incremental").iterdir()) if p.is_file()}
    assert files == _clean(project.root, tmp_path / "clean")
    assert b"iran-rejects" in files["impasse.trig"]


def test_a_label_changed_in_one_document_reaches_the_document_that_names_it(project, tmp_path):
    project.add("one", "A war broke out. The talks stalled.\n", EVENTS.format(label="The war"))
    project.add("two", "Because of the war, the talks stalled.\n", CAUSE)
    assert "The war → The talks stalled".encode() in _exports(project.root, tmp_path / "before")["impasse.ttl"]
    (project.corpus / "one.facts.yaml").write_text(EVENTS.format(label="The June war"), encoding="utf-8")
    incremental = run(project.root, exports=tmp_path / "after", views=False)
    assert incremental.build.reused == []  # "one" changed; "two" names its label
    after = {p.name: p.read_bytes() for p in sorted((tmp_path / "after").iterdir()) if p.is_file()}
    assert "The June war → The talks stalled".encode() in after["impasse.ttl"]
    assert after == _clean(project.root, tmp_path / "clean")
