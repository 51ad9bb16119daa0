"""The wheel works outside the repository: built, installed into a fresh virtual environment,
and used from a folder elsewhere to start a project on another negotiation (the made-up Selva
river talks of tests/selva/), add an article, build and query. The sdist holds what the wheel
does, as files (not the links of kg/assets/), and a wheel built from it starts a project too.

Run it alone with ``pytest -m wheel`` (or ``pytest tests/test_wheel.py``). It builds with this
environment's setuptools (the sdist through its PEP 517 hook, as ``python -m build --sdist
--no-isolation`` does) and installs with ``--no-index`` (nothing is downloaded); the fresh
environment reads the dependencies from this one's site-packages through a ``.pth`` file, so
that only the wheel itself is new. These are the only tests that run ``kg`` as a subprocess:
the point is the installed command, not the code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from kg.project import SHIPPED, TEMPLATE

from .conftest import ROOT

pytestmark = pytest.mark.wheel

SELVA = Path(__file__).parent / "selva"
#: What the build reads, copied out of the checkout so that the build leaves nothing in it.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "DATA-LICENSE.md", "kg", "ontology", "queries")


class Installed:
    """A fresh virtual environment holding the wheel; :meth:`kg` runs its ``kg`` in a folder outside the repository.

    :param via_sdist: build the sdist first (:attr:`sdist`) and the wheel from it, as pip does
        when it installs from an sdist, rather than the wheel from the checkout.
    """

    def __init__(self, work: Path, via_sdist: bool = False):
        self.work = work
        self.timings: dict[str, float] = {}
        source, dist, venv = work / "src", work / "dist", work / "venv"
        source.mkdir()
        for name in SOURCES:
            if (ROOT / name).is_dir():  # kg/assets/ontology and kg/assets/queries stay links
                shutil.copytree(ROOT / name, source / name, symlinks=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.expected.tsv"))
            else:
                shutil.copy2(ROOT / name, source / name)
        built_from = source
        if via_sdist:
            self._timed("sdist", [sys.executable, "-c", "import sys; from setuptools import build_meta; "
                                  "build_meta.build_sdist(sys.argv[1])", str(dist)], cwd=source)
            (self.sdist,) = dist.glob("impasse_kg-*.tar.gz")
            built_from = self.sdist
        self._timed("wheel", [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                              "--quiet", "--wheel-dir", str(dist), str(built_from)], cwd=work)
        (self.wheel,) = dist.glob("impasse_kg-*.whl")
        self._timed("venv", [sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=work)
        self.python = venv / "bin" / "python"
        self._timed("install", [sys.executable, "-m", "pip", "--python", str(self.python), "install", "--no-deps",
                                "--no-index", "--quiet", str(self.wheel)], cwd=work)
        # the dependencies, from this environment; a plain path in a .pth file is added to sys.path
        # without its own .pth files being run, so this checkout's editable install stays out
        purelib = subprocess.run([str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        Path(purelib, "outer-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
        self.bin = venv / "bin" / "kg"

    def _timed(self, step: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
        started = time.perf_counter()
        run = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=self.env())
        self.timings[step] = time.perf_counter() - started
        assert run.returncode == 0, f"{step}: {run.stdout}\n{run.stderr}"
        return run

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return {**env, "PYTHONHASHSEED": "0"}

    def kg(self, *args, cwd: Path | None = None, step: str | None = None) -> subprocess.CompletedProcess:
        """``kg ARGS`` from the fresh environment (``bin/kg``, not on PATH), in ``cwd`` (default: the work folder)."""
        started = time.perf_counter()
        run = subprocess.run([str(self.bin), *map(str, args)], capture_output=True, text=True,
                             cwd=cwd or self.work, env=self.env())
        self.timings[step or next(str(a) for a in args if str(a).isalpha() or str(a).startswith("--v"))] = \
            time.perf_counter() - started
        return run


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    assert ROOT not in work.parents
    yield Installed(work)


@pytest.fixture(scope="module")
def from_sdist(tmp_path_factory):
    work = tmp_path_factory.mktemp("sdist")
    assert ROOT not in work.parents
    yield Installed(work, via_sdist=True)


def _shipped_in_the_repository() -> dict[str, bytes]:
    return {path.relative_to(ROOT).as_posix(): path.read_bytes() for pattern in SHIPPED
            for path in sorted(ROOT.glob(pattern))}


def test_the_wheel_ships_the_repositorys_ontology_shapes_rules_and_queries(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        shipped = {name.removeprefix("kg/assets/"): wheel.read(name) for name in wheel.namelist()
                   if name.startswith("kg/assets/") and not name.startswith("kg/assets/new-project/")}
        templates = {name.removeprefix("kg/assets/new-project/") for name in wheel.namelist()
                     if name.startswith("kg/assets/new-project/")}
        licences = {Path(name).name for name in wheel.namelist() if "/licenses/" in name}
    expected = _shipped_in_the_repository()
    assert "queries/agenda-mismatches.rq" in expected and "ontology/shapes.ttl" in expected
    assert shipped.keys() == expected.keys()
    assert [name for name in expected if shipped[name] != expected[name]] == []
    assert templates == {p.relative_to(TEMPLATE).as_posix() for p in TEMPLATE.rglob("*") if p.is_file()}
    assert licences == {"LICENSE", "DATA-LICENSE.md"}


def test_the_sdist_holds_the_repositorys_ontology_shapes_rules_and_queries_as_files(from_sdist):
    with tarfile.open(from_sdist.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]  # impasse_kg-VERSION
        members = {m.name.removeprefix(f"{top}/kg/assets/"): m for m in sdist.getmembers()
                   if m.name.startswith(f"{top}/kg/assets/") and not m.name.startswith(f"{top}/kg/assets/new-project/")
                   and not m.isdir()}
        # a link to ../../queries would point outside an unpacked sdist: the files themselves are needed
        assert [name for name, member in members.items() if not member.isfile()] == []
        shipped = {name: sdist.extractfile(member).read() for name, member in members.items()}
        templates = {m.name.removeprefix(f"{top}/kg/assets/new-project/") for m in sdist.getmembers()
                     if m.name.startswith(f"{top}/kg/assets/new-project/") and m.isfile()}
    expected = _shipped_in_the_repository()
    assert shipped.keys() == expected.keys()
    assert [name for name in expected if shipped[name] != expected[name]] == []
    assert templates == {p.relative_to(TEMPLATE).as_posix() for p in TEMPLATE.rglob("*") if p.is_file()}


def test_a_wheel_built_from_the_sdist_starts_a_project_with_the_named_queries(from_sdist):
    with zipfile.ZipFile(from_sdist.wheel) as wheel:
        assert {n.removeprefix("kg/assets/") for n in wheel.namelist()
                if n.startswith("kg/assets/") and not n.startswith("kg/assets/new-project/")} == \
            _shipped_in_the_repository().keys()
    project = from_sdist.work / "selva"
    made = from_sdist.kg("init", project, "--title", "The Selva river talks")
    assert made.returncode == 0, made.stdout + made.stderr
    listed = from_sdist.kg("-C", project, "queries")
    assert listed.returncode == 0 and "Note:" not in listed.stderr, listed.stdout + listed.stderr
    assert set(re.findall(r"(?m)^([a-z-]+): ", listed.stdout)) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert (project / "queries" / "rules" / "inclusion-mismatch.rq").read_bytes() == \
        (ROOT / "queries" / "rules" / "inclusion-mismatch.rq").read_bytes()


def test_the_installed_kg_is_the_wheels(installed):
    where = subprocess.run([str(installed.python), "-c", "import kg; print(kg.__file__)"], capture_output=True,
                           text=True, cwd=installed.work, env=installed.env())
    assert Path(where.stdout.strip()).is_relative_to(installed.work / "venv"), where.stdout + where.stderr
    version = installed.kg("--version")
    assert version.returncode == 0 and "kg, version 0.1.0" in version.stdout, version.stderr


def test_outside_a_project_kg_queries_and_kg_validate_use_what_ships(installed, built_selva):
    empty = installed.work / "elsewhere"
    empty.mkdir()
    listed = installed.kg("queries", cwd=empty)
    assert listed.returncode == 0, listed.stderr
    assert "agenda-mismatches: " in listed.stdout and "contested-issues: " in listed.stdout
    assert "has no queries/; using the named queries that ship with Impasse" in listed.stderr
    graph = built_selva / "exports" / "impasse.ttl"
    checked = installed.kg("validate", "--graph", graph, cwd=empty)
    assert checked.returncode == 0 and "Conforms: True" in checked.stdout, checked.stdout + checked.stderr
    assert "has no ontology/shapes.ttl; using the SHACL shapes that ship with Impasse" in checked.stderr
    refused = installed.kg("build", cwd=empty, step="build outside a project")
    assert refused.returncode == 2
    assert f"no Impasse project in {empty}: ontology/impasse.ttl is missing (run kg init {empty})" in refused.stderr


@pytest.fixture(scope="module")
def built_selva(installed):
    """kg init, the reference data a user writes, kg add, kg build: the Selva project, built."""
    project = installed.work / "selva"
    made = installed.kg("init", project, "--title", "The Selva river talks")
    assert made.returncode == 0, made.stdout + made.stderr
    assert (project / "README.md").read_text(encoding="utf-8").startswith("# The Selva river talks\n")
    for name in ("actors.ttl", "issues.ttl"):
        shutil.copyfile(SELVA / name, project / "ontology" / "reference" / name)
    added = installed.kg("-C", project, "add", SELVA / "article.txt", "--title", "Ostravia and Belmora resume talks",
                         "--publisher", "Example Wire", "--date", "2026-03-10")
    assert added.returncode == 0, added.stdout + added.stderr
    assert "Added " in added.stdout and "position " in added.stdout, added.stdout
    built = installed.kg("-C", project, "build", "--include-proposed")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "from 1 documents" in built.stdout and "SHACL: conforms." in built.stdout, built.stdout
    assert (project / "exports" / "views" / "mismatch-map.html").is_file()
    return project


def test_a_project_on_another_negotiation_answers_a_named_query(installed, built_selva):
    answer = installed.kg("query", "agenda-mismatches", "--param", "a=Ostravia", "--param", "b=Belmora",
                          cwd=built_selva)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "Ostravia" in answer.stdout and "Belmora" in answer.stdout and "Minimum flows" in answer.stdout
    assert "Note:" not in answer.stderr  # the project's own queries, copied by kg init
    issues = installed.kg("-C", built_selva, "query", "contested-issues", step="query contested-issues")
    assert issues.returncode == 0 and "Minimum flows" in issues.stdout, issues.stdout + issues.stderr


def test_the_whole_round_stays_fast(installed, built_selva):
    """Recorded in the test report (pytest -rA shows it); the CI budget is 30 minutes for every test."""
    total = sum(installed.timings.values())
    print("wheel test timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in installed.timings.items())
          + f"; total {total:.1f}")
    assert total < 300
