"""`kg add` as real processes: concurrent adds of one title, and signals in the middle of one
(issue 14, items 2 and 8). Synchronised by FIFOs, never by sleeping: a process that opens a FIFO
blocks until the test opens the other end, so the test knows where it is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = """Iran and US hold fresh talks in Oman
US and Iranian negotiators held indirect talks in Muscat on Saturday, mediated by Oman.
Tehran has ruled out any negotiation on its ballistic missile program, officials said.
"""


def _kg_add(project, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "add", "-C", str(project.root), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _staging(project) -> list[Path]:
    return sorted(project.corpus.glob(".kg-add-*"))


def test_concurrent_adds_of_one_title_give_one_document_each(project, tmp_path):
    # Regression: three adds with the same title all printed "Added"; one document survived.
    fifos = []
    for i in range(3):
        fifo = tmp_path / f"article-{i}.txt"
        os.mkfifo(fifo)
        fifos.append(fifo)
    procs = [_kg_add(project, fifo, "--title", "Fresh talks in Oman") for fifo in fifos]
    try:
        # the barrier: each open returns once its process is reading its article; then all go at once
        writers = [open(fifo, "w", encoding="utf-8") for fifo in fifos]
        for i, writer in enumerate(writers):
            writer.write(ARTICLE + f"Round {i} of the talks ended without a date for the next one.\n")
        for writer in writers:
            writer.close()
        outputs = [proc.communicate(timeout=300) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert [proc.returncode for proc in procs] == [0, 0, 0], outputs
    documents = sorted(p.name for p in project.corpus.glob("*.txt"))
    assert documents == ["fresh-talks-in-oman-2.txt", "fresh-talks-in-oman-3.txt", "fresh-talks-in-oman.txt"]
    bodies = {p.read_text(encoding="utf-8").split("Round ")[1][0] for p in project.corpus.glob("*.txt")}
    assert bodies == {"0", "1", "2"}  # each article kept, none overwritten
    assert len(list(project.corpus.glob("*.facts.yaml"))) == 3 and not _staging(project)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_during_kg_add_leaves_no_staging_and_no_document(project, tmp_path, signum):
    # Regression: SIGTERM during `kg add` left corpus/.kg-add-*/ with the staged article.
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    reference = project.root / "ontology" / "reference" / "places.ttl"
    content = reference.read_bytes()
    reference.unlink()
    os.mkfifo(reference)  # read by the extraction, once the article is staged
    proc = _kg_add(project, article)
    try:
        with open(reference, "wb"):  # returns when kg add is reading it: mid-add
            assert [p.name for p in _staging(project)] and len(list(_staging(project)[0].iterdir())) == 1
            proc.send_signal(signum)
            _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum, err
    assert f"Stopped by {signal.Signals(signum).name}" in err
    assert not _staging(project) and not list(project.corpus.iterdir())
    reference.unlink()
    reference.write_bytes(content)


def test_a_later_add_removes_staging_a_killed_add_left(project, tmp_path):
    stale = project.corpus / ".kg-add-abc123"
    stale.mkdir()
    (stale / "big.txt").write_bytes(b"x" * 1024)  # as after SIGKILL, which nothing can catch
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    from ..conftest import run_cli

    result = run_cli("add", "-C", project.root, article)
    assert result.exit_code == 0, result.output
    assert not stale.exists() and (project.corpus / "iran-and-us-hold-fresh-talks-in-oman.txt").is_file()
