"""OWL reasoning with HermiT (through owlready2): is the built graph consistent?

owlready2 does not read Turtle, and its RDF/XML reader drops a trailing "/" from object
IRIs (PITFALLS.md), so HermiT is handed N-Triples. xsd:gYear, xsd:gYearMonth, xsd:date and
xsd:duration are outside the OWL 2 datatype map, and HermiT refuses the whole graph over
them unless told to ignore such literals: dates carry no axioms here, so it is.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KgError
from .exports import export
from .store import KnowledgeGraph


@dataclass
class ConsistencyReport:
    """The outcome of a consistency check."""

    consistent: bool
    reasoner: str
    unsatisfiable: list[str] = field(default_factory=list)  # IRIs of classes that can have no member
    detail: str = ""


def java_runtime() -> str | None:
    """The path of the ``java`` executable HermiT would run on, if there is one."""
    return shutil.which("java")


def check_consistency(graph: KnowledgeGraph) -> ConsistencyReport:
    """Run HermiT over the whole graph (ontology, reference data and facts).

    :returns: whether the graph is consistent, and which classes are unsatisfiable.
    :raises KgError: when no Java runtime is installed.
    """
    java = java_runtime()
    if java is None:
        raise KgError("HermiT needs a Java runtime and none was found on PATH (Debian: apt-get install default-jre-headless)")
    import owlready2  # slow to import, and only needed here

    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="impasse-hermit-") as folder:
        path = Path(folder) / "graph.nt"
        export(graph, path, format="ntriples")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
            unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ConsistencyReport(consistent=False, reasoner="HermiT", detail=str(exc).strip())
        finally:
            world.close()
    return ConsistencyReport(consistent=not unsatisfiable, reasoner="HermiT", unsatisfiable=unsatisfiable)
