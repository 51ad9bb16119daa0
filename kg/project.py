"""A project: its folder layout, the files the package ships for it, and starting a new one (``kg init``).

The package ships what every project shares (``kg/assets/``): the base ontology and the SHACL
shapes (``ontology/impasse.ttl``, ``ontology/shapes.ttl``), the named queries and the derivation
rules (``queries/``), and the templates of a new project (``new-project/``). In the repository
``kg/assets/ontology`` and ``kg/assets/queries`` are links to the repository's own ``ontology/``
and ``queries/``, which stay the one source: building the wheel copies the files they hold.

A project's own files always come first. Where a project lacks its shapes or its named
queries, the commands that read them use the shipped ones and say so (:meth:`Project.locate_shapes`,
:meth:`Project.locate_queries`); the ontology, the reference data and the rules are the project's
own, since they decide what its graph holds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .errors import ProjectError

#: What the package ships, as installed.
ASSETS = Path(__file__).parent / "assets"
#: The templates of a new project: its README, empty reference data, .gitignore.
TEMPLATE = ASSETS / "new-project"
#: The project files the package ships, by pattern relative to a project folder (and to ASSETS).
SHIPPED = ("ontology/impasse.ttl", "ontology/shapes.ttl", "queries/*.rq", "queries/rules/*.rq",
           "queries/rules/README.md")
#: The folders of a project; kg init makes every one.
FOLDERS = ("ontology", "ontology/reference", "corpus", "queries", "queries/rules", "exports")


@dataclass(frozen=True)
class Located:
    """A file or folder a command reads: the project's own, or the shipped one with a note saying so."""

    path: Path
    note: str | None = None  # set when the project lacks its own and the shipped copy is used


@dataclass(frozen=True)
class Project:
    """Where a project keeps its inputs and outputs (the layout of DESIGN.md, made by :func:`init_project`)."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "impasse.ttl"

    @property
    def shapes(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def reference(self) -> Path:
        return self.root / "ontology" / "reference"

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def rules(self) -> Path:
        return self.root / "queries" / "rules"

    @property
    def cache(self) -> Path:
        """Where builds keep what they can reuse (HermiT's verdicts, document quads); never committed."""
        return self.root / ".kg-cache"

    def require(self) -> Project:
        """This project, once it is checked to hold what a build and ``kg add`` read.

        :raises ProjectError: naming the folder and the first part it lacks (the ontology, the
            reference data folder, the corpus folder), and how to start a project.
        """
        shown = _shown(self.root)
        if not self.ontology.is_file():
            start = (f"run kg init {shown}" if not self.root.exists() or not any(self.root.iterdir())
                     else "kg init NEW-FOLDER starts one")
            raise ProjectError(f"no Impasse project in {shown}: ontology/impasse.ttl is missing ({start})")
        for folder, part in ((self.reference, "ontology/reference/"), (self.corpus, "corpus/")):
            if not folder.is_dir():
                raise ProjectError(f"{shown}: the project has no {part} folder (a project holds "
                                   f"ontology/impasse.ttl, ontology/reference/ and corpus/; kg init makes them)")
        return self

    def built(self, name: str) -> Path:
        """The export ``name`` of this project (``impasse.ttl`` …), the graph reading commands load.

        :raises ProjectError: when the export is missing because the folder is no project at all
            (a project that is not built yet is left to the loader, which says to build it).
        """
        path = self.exports / name
        if not path.exists() and not self.ontology.is_file():
            self.require()
        return path

    def locate_shapes(self) -> Located:
        """The project's SHACL shapes, else the shipped ones (with a note)."""
        return self._locate(self.shapes, "ontology/shapes.ttl", "the SHACL shapes")

    def locate_queries(self) -> Located:
        """The project's named queries folder, else the shipped one (with a note)."""
        return self._locate(self.queries, "queries/", "the named queries")

    def _locate(self, own: Path, relative: str, what: str) -> Located:
        if own.exists():
            return Located(own)
        shipped = ASSETS / relative.rstrip("/")
        return Located(shipped, f"{_shown(self.root)} has no {relative}; using {what} that ship with Impasse ({shipped})")


def shipped_files() -> dict[str, Path]:
    """Every project file the package ships, by its path in a project (``queries/evidence.rq`` …)."""
    return {path.relative_to(ASSETS).as_posix(): path for pattern in SHIPPED for path in sorted(ASSETS.glob(pattern))}


@dataclass(frozen=True)
class NewProject:
    """What :func:`init_project` made."""

    root: Path
    files: list[str]  # relative paths, sorted


def init_project(folder: str | Path, title: str | None = None) -> NewProject:
    """Start a project in ``folder``: the layout, the shipped ontology, shapes, rules and named
    queries, empty reference data with commented templates, a README.

    Everything is written into a staging folder beside ``folder`` and renamed into place at the
    end, so a failure (or Ctrl-C) leaves no half-made project.

    :param folder: a folder that does not exist yet, or an empty one; its parent must exist.
    :param title: the negotiation's name, for the README [default: the folder's name].
    :returns: the project folder and the files written.
    :raises ProjectError: when ``folder`` is a file or a folder that is not empty, when its parent
        is missing, or when the files cannot be written.
    """
    target = Path(folder)
    shown = _shown(target)
    if target.is_dir():
        held = sorted(p.name + ("/" if p.is_dir() else "") for p in target.iterdir())
        if held:
            more = f" and {len(held) - 3} more" if len(held) > 3 else ""
            raise ProjectError(f"{shown} is not empty (it holds {', '.join(held[:3])}{more}): kg init makes a "
                               f"project in a new or empty folder only, so that it never mixes with other files")
    elif target.exists():
        raise ProjectError(f"{shown} is a file, not a folder")
    elif not target.absolute().parent.is_dir():
        raise ProjectError(f"{shown}: the folder it would be made in, {_shown(target.absolute().parent)}, does not exist")
    name = target.absolute().name
    values = {"title": title or name}
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.staging-init-", dir=target.absolute().parent))
    except OSError as exc:
        raise ProjectError(f"{shown}: cannot write beside it: {exc.strerror or exc}") from exc
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a project folder is an ordinary one
        for sub in FOLDERS:
            (staging / sub).mkdir(parents=True, exist_ok=True)
        for relative, source in shipped_files().items():
            shutil.copyfile(source, staging / relative)
        for source in sorted(p for p in TEMPLATE.rglob("*") if p.is_file()):
            relative = source.relative_to(TEMPLATE)
            text = source.read_text(encoding="utf-8")
            # only the README names the project; the templates hold $-free Turtle and YAML
            if relative.as_posix() == "README.md":
                text = Template(text).substitute(values)
            (staging / relative).write_text(text, encoding="utf-8")
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        os.rename(staging, target)  # replaces an empty folder; fails if one appeared meanwhile
    except OSError as exc:
        raise ProjectError(f"{shown}: cannot make the project: {exc.strerror or exc}; nothing was written") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone after the rename; what was staged after a failure
    return NewProject(root=target, files=files)


def _shown(path: Path) -> str:
    """A folder as messages name it: absolute, so that a message is clear wherever the command ran."""
    return str(Path(path).absolute())
