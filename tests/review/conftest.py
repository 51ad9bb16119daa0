"""Fixtures of the review tests: a copy of the project with one dev-set article added by `kg add`,
and the review app served on 127.0.0.1 in a thread of the test process."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest

from ..conftest import ROOT, run_cli

ARTICLE = ROOT / "benchmarks" / "devset" / "us-iran" / "wire-muscat-first-round.txt"
SHOTS = ROOT / "test-output" / "review"


@pytest.fixture(scope="session")
def added(tmp_path_factory):
    """A copy of the project (ontology, queries, corpus) with ARTICLE added: its facts proposed."""
    root = tmp_path_factory.mktemp("review-project")
    for name in ("ontology", "queries", "corpus"):
        shutil.copytree(ROOT / name, root / name)
    result = run_cli("add", "-C", root, ARTICLE, "--date", "2025-04-12")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def reviewed(added, tmp_path):
    """A fresh copy of the added project for one test, and the slug of the new document."""
    root = tmp_path / "project"
    shutil.copytree(added, root)
    slug = next(p.name.removesuffix(".mentions.yaml") for p in (root / "corpus").glob("*.mentions.yaml"))
    return root, slug


class Served:
    """The review app of a project, listening on a free port of 127.0.0.1 until stopped."""

    def __init__(self, root: Path):
        import uvicorn

        from kg.review import Review
        from kg.review.app import create_app

        self.review = Review(root)
        self.app = create_app(self.review)
        self.token = self.app.state.token
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the review server did not start")
            threading.Event().wait(0.02)

    def url(self, path: str = "/") -> str:
        return f"{self.base}{path}?token={self.token}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def served(reviewed):
    server = Served(reviewed[0])
    yield server
    server.stop()
