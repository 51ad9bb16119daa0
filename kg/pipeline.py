"""The whole pipeline, as ``kg build`` runs it: build → derive → reason → validate → exports → views → commit.

A library user runs what the command runs with one call::

    import kg
    outcome = kg.run(".")                       # exports/ and exports/views/ written
    outcome = kg.run(".", store="oxigraph:./kgdb", reason=False)

Nothing is written unless every document, fact and quote checks out and the graph conforms
to the shapes; the store named by ``store`` is replaced only once everything is written
(:meth:`kg.store.interface.KnowledgeGraph.commit`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .build.builder import BuildResult, build
from .derive.reasoning import ReasoningReport, classify
from .derive.validation import ValidationReport, validate as validate_graph
from .errors import NotConformingError
from .corpus.lock import project_lock
from .formats import staged_folder, write_exports
from .project import Project
from .store import StoreSpec

#: What :func:`run` reports as it goes: (stage, detail). Stages: ``reading`` (the
#: :class:`Project`), ``reasoning`` (None), ``reasoned`` (the :class:`ReasoningReport`),
#: ``note`` (a message: the project lacks its shapes, the shipped ones are used),
#: ``validating`` (the shapes file), ``exporting`` (the staging folder the exports and views
#: are written into), ``publishing`` (the exports folder, about to be replaced by the staging).
Progress = Callable[[str, object], None]


@dataclass
class RunResult:
    """What a run built and wrote."""

    build: BuildResult
    exports: Path  # the folder written
    sizes: dict[str, int] = field(default_factory=dict)  # bytes per file written (views under views/)
    reasoning: ReasoningReport | None = None
    validation: ValidationReport | None = None

    @property
    def graph(self):
        """The built graph (committed to its store)."""
        return self.build.graph


def run(root: str | Path = ".", *, store: str | StoreSpec = "memory", exports: str | Path | None = None,
        include_proposed: Decimal | float | None = None, reason: bool = True, validate: bool = True,
        views: bool = True, progress: Progress | None = None) -> RunResult:
    """Build a project's graph, derive, reason, validate, write the exports and views, and commit.

    :param root: the project folder (with ontology/ and corpus/).
    :param store: where the graph lives (see :func:`kg.store.open_store`).
    :param exports: the folder to write [default: ROOT/exports]; the views go to its views/.
    :param include_proposed: also build proposed (extracted) facts with at least this confidence.
    :param reason: check the ontology with HermiT (cached in ROOT/.kg-cache) and add the types the
        entailment rules infer (:func:`kg.derive.reasoning.classify`).
    :param validate: check the graph against the project's SHACL shapes before writing anything.
    :param views: write the HTML views too.
    :param progress: called at each stage, as ``progress(stage, detail)`` (see :data:`Progress`).
    :returns: the build, the reasoning and validation reports, and the sizes of the files written.
    :raises NotConformingError: when the graph does not conform to the shapes (nothing written).
    :raises KgError: on any bad input, naming file and place (nothing written).
    """
    say = progress or (lambda stage, detail: None)
    project = Project(Path(root))
    say("reading", project)
    threshold = None if include_proposed is None else Decimal(str(include_proposed))
    built = build(root, store=store, include_proposed=threshold, cache=project.cache)
    outcome = RunResult(build=built, exports=Path(exports) if exports else project.exports)
    if reason:
        say("reasoning", None)
        outcome.reasoning = classify(built.graph, cache=project.cache, distinct=built.distinct)
        say("reasoned", outcome.reasoning)
    if validate:
        shapes = project.locate_shapes()
        if shapes.note:
            say("note", shapes.note)
        say("validating", shapes.path)
        outcome.validation = validate_graph(built.graph, shapes.path, distinct=built.distinct)
        if not outcome.validation.conforms:
            raise NotConformingError(f"the graph does not conform to {shapes.path}; nothing written\n"
                                     f"{outcome.validation.text}")
    outcome.sizes = publish(built.graph, outcome.exports, views=views, project=project.root, say=say,
                            cache=project.cache)
    built.graph.commit()  # oxigraph:PATH, sparql:URL: written only now, once everything checked out
    return outcome


def publish(graph, folder: Path, *, views: bool = True, project: Path | None = None,
            say: Progress | None = None, cache: Path | None = None) -> dict[str, int]:
    """Write the exports and the views as one set: into a staging copy of ``folder``, swapped
    in only when every file is written (:func:`kg.formats.staged_folder`), under the project
    lock. A failure or a kill anywhere leaves the previous exports whole.

    :param project: the project whose lock is held (default: ``folder``'s parent).
    :param cache: where the exports keep their serialized blocks (:func:`kg.formats.render_exports`) and the
        views their layouts (:func:`kg.views.write_views`) between builds.
    :returns: the size in bytes of each file written (views under ``views/``).
    """
    from .views.graphdata import GraphData

    say = say or (lambda stage, detail: None)
    with project_lock(project if project is not None else folder.parent), staged_folder(folder) as staging:
        say("exporting", staging)
        data = GraphData(graph)  # read once for the network exports and the views (4 s at 100 documents)
        sizes = write_exports(graph, staging, data=data, cache=cache)
        if views:
            from .views import write_views  # pyvis, networkx and pyLODE load only here

            written = write_views(graph, staging / "views", cache=cache, data=data)
            sizes.update({f"views/{name}": size for name, size in written.items()})
        say("publishing", folder)
    return sizes
