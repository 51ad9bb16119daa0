"""OWL reasoning: consistency and classification with HermiT (owlready2), else OWL-RL rules.

owlready2 does not read Turtle, and its RDF/XML reader drops a trailing "/" from object
IRIs (docs/engine-notes.md, "OWL reasoning with owlready2 and HermiT"), so HermiT is handed N-Triples. xsd:gYear, xsd:gYearMonth, xsd:date and
xsd:duration are outside the OWL 2 datatype map, and HermiT refuses the whole graph over
them unless told to ignore such literals: dates carry no axioms here, so it is.

Where no Java runtime is installed, the OWL 2 RL rules (owlrl) classify instead; they find
no inconsistency that HermiT would, but they do classify individuals into defined classes
such as imp:ContestedIssue. Both write the same thing into the derived graph: each
individual's inferred imp: types that its asserted types do not already imply.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from ..errors import KgError
from ..formats import export
from ..vocab import GRAPH_DERIVED, GRAPH_ONTOLOGY, GRAPH_REFERENCE, ID, IMP
from ..store import KnowledgeGraph, merged_graph
from .entailment import entail, superclasses as _superclasses

HERMIT = "HermiT"
OWL_RL = "OWL-RL rules (owlrl)"
#: What `kg build` runs: HermiT on the ontology (cached), the entailment rules on the graph.
ONTOLOGY_AND_RULES = "HermiT on the ontology, entailment rules on the graph"
#: Bump when what the ontology check hands HermiT, or how it reads the answer, changes.
CHECK_VERSION = 1


@dataclass
class ConsistencyReport:
    """The outcome of a consistency check."""

    consistent: bool
    reasoner: str
    unsatisfiable: list[str] = field(default_factory=list)  # IRIs of classes that can have no member
    detail: str = ""


@dataclass
class ReasoningReport:
    """What reasoning found and added."""

    reasoner: str
    consistency: ConsistencyReport | None  # None: the OWL-RL fallback does not decide consistency
    inferred: list[tuple[str, str]] = field(default_factory=list)  # (individual, class) added
    note: str = ""
    cached: bool = False  # the consistency verdict came from the cache (the ontology is unchanged)


def java_runtime() -> str | None:
    """The path of the ``java`` executable HermiT would run on, if there is one."""
    return shutil.which("java")


def check_consistency(graph: KnowledgeGraph) -> ConsistencyReport:
    """Run HermiT over the whole graph (ontology, reference data, facts, derived triples).

    :returns: whether the graph is consistent, and which classes are unsatisfiable.
    :raises KgError: when no Java runtime is installed.
    """
    report, _ = _hermit(graph)
    return report


def reason(graph: KnowledgeGraph, prefer: str = HERMIT) -> ReasoningReport:
    """Classify the graph's individuals and write their new inferred types to the derived graph.

    :param prefer: ``HermiT`` (the default; falls back to OWL-RL without Java) or ``OWL-RL``.
    :returns: the reasoner used, its consistency verdict, and the types it added.
    :raises NotConformingError: when HermiT finds the graph inconsistent.
    """
    from ..errors import NotConformingError

    note = ""
    if prefer == HERMIT and java_runtime() is not None:
        consistency, types = _hermit(graph)
        if not consistency.consistent:
            unsat = ", ".join(consistency.unsatisfiable) or consistency.detail
            raise NotConformingError(f"HermiT: the graph is inconsistent ({unsat})")
        reasoner = HERMIT
    else:
        if prefer == HERMIT:
            note = "no Java runtime found: HermiT cannot run; classified with the OWL-RL rules (owlrl) instead"
        consistency, types, reasoner = None, _owlrl_types(graph), OWL_RL
    inferred = _new_types(graph, types)
    derived = ox.NamedNode(str(GRAPH_DERIVED))
    graph.extend(
        ox.Quad(ox.NamedNode(s), ox.NamedNode(str(RDF.type)), ox.NamedNode(c), derived) for s, c in inferred
    )
    return ReasoningReport(reasoner=reasoner, consistency=consistency, inferred=inferred, note=note)


def classify(graph: KnowledgeGraph, cache: str | Path | None = None, distinct: ox.Store | None = None) -> ReasoningReport:
    """What `kg build` runs: HermiT on the ontology only, the entailment rules on the whole graph.

    HermiT proves the ontology and the reference data consistent and every class
    satisfiable; its verdict is cached under ``cache`` by the content hash of what it read, so
    it runs again only when they change. The types the ontology entails for the documents'
    individuals come from the rules of :mod:`.entailment` (the same types HermiT infers;
    ``kg reason`` runs the full HermiT pass).

    :param cache: the folder for cached verdicts (ROOT/.kg-cache); None: no cache.
    :param distinct: the graph's distinct triples, for the entailment rules (:func:`.entailment.entail`).
    :raises NotConformingError: when the ontology is inconsistent or has an unsatisfiable
        class, or an individual falls into two disjoint classes.
    """
    from ..errors import NotConformingError

    note, consistency, cached = "", None, False
    if java_runtime() is None:
        note = "no Java runtime found: HermiT cannot check the ontology; the entailment rules classify alone"
    else:
        consistency, cached = check_ontology(graph, cache)
        if not consistency.consistent:
            unsat = ", ".join(consistency.unsatisfiable) or consistency.detail
            raise NotConformingError(f"HermiT: the ontology is inconsistent ({unsat})")
    inferred = entail(graph, distinct).inferred
    return ReasoningReport(reasoner=ONTOLOGY_AND_RULES, consistency=consistency, inferred=inferred, note=note,
                           cached=cached)


def _tbox(graph: KnowledgeGraph) -> bytes:
    """The ontology and reference graphs as sorted N-Triples: what HermiT checks, and its cache key."""
    lines = set()
    for name in (GRAPH_ONTOLOGY, GRAPH_REFERENCE):
        for q in graph.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            lines.add(f"{q.subject} {q.predicate} {q.object} .\n")
    return "".join(sorted(lines)).encode("utf-8")


def check_ontology(graph: KnowledgeGraph, cache: str | Path | None = None) -> tuple[ConsistencyReport, bool]:
    """HermiT's verdict on the ontology and the reference data, from the cache when they are unchanged.

    :returns: the verdict, and whether it came from the cache.
    :raises KgError: when no Java runtime is installed.
    """
    from importlib.metadata import version

    tbox = _tbox(graph)
    key = hashlib.sha256(tbox + f"\n{CHECK_VERSION} owlready2 {version('owlready2')}".encode()).hexdigest()
    path = Path(cache) / "hermit" / f"{key}.json" if cache is not None else None
    if path is not None and path.is_file():
        try:
            return ConsistencyReport(**json.loads(path.read_text(encoding="utf-8"))), True
        except (ValueError, TypeError):
            pass  # a damaged cache entry: check again and write it anew
    with tempfile.TemporaryDirectory(prefix="impasse-hermit-") as folder:
        source = Path(folder) / "ontology.nt"
        source.write_bytes(tbox)
        report, _ = _run_hermit(source)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(asdict(report), sort_keys=True), encoding="utf-8")
        temporary.replace(path)  # a reader never sees half a verdict
    return report, False


def _hermit(graph: KnowledgeGraph) -> tuple[ConsistencyReport, set[tuple[str, str]]]:
    with tempfile.TemporaryDirectory(prefix="impasse-hermit-") as folder:
        path = Path(folder) / "graph.nt"
        export(graph, path, format="ntriples")
        return _run_hermit(path)


def _run_hermit(path: Path) -> tuple[ConsistencyReport, set[tuple[str, str]]]:
    """Load an N-Triples file into owlready2 and run HermiT: the verdict and every imp: type."""
    java = java_runtime()
    if java is None:
        raise KgError("HermiT needs a Java runtime and none was found on PATH (Debian: apt-get install default-jre-headless)")
    import owlready2  # slow to import, and only needed here

    owlready2.JAVA_EXE = java
    world = owlready2.World()
    try:
        world.get_ontology(path.as_uri()).load()
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
        # Per class: world.individuals() yields only those declared owl:NamedIndividual.
        types = {
            (individual.iri, cls.iri)
            for cls in world.classes()
            if cls.iri.startswith(str(IMP))
            for individual in cls.instances()
        }
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        return ConsistencyReport(consistent=False, reasoner=HERMIT, detail=str(exc).strip()), set()
    finally:
        world.close()
    report = ConsistencyReport(consistent=not unsatisfiable, reasoner=HERMIT, unsatisfiable=unsatisfiable)
    return report, types


def _owlrl_types(graph: KnowledgeGraph) -> set[tuple[str, str]]:
    import owlrl  # only needed without Java

    closure = merged_graph(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return {(str(s), str(c)) for s, c in closure.subject_objects(RDF.type)
            if isinstance(s, URIRef) and isinstance(c, URIRef) and c.startswith(str(IMP))}


def _new_types(graph: KnowledgeGraph, inferred: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The inferred (individual, class) pairs that the asserted types do not imply, keeping
    only the most specific ones, for individuals of the project (IRIs under id:)."""
    merged = merged_graph(graph)
    supers = _superclasses(merged)
    implied: dict[str, set[str]] = {}
    for s, c in merged.subject_objects(RDF.type):
        implied.setdefault(str(s), set()).update(supers.get(str(c), {str(c)}))
    new: dict[str, set[str]] = {}
    for individual, cls in inferred:
        if individual.startswith(str(ID)) and cls not in implied.get(individual, set()) and cls != str(OWL.Thing):
            new.setdefault(individual, set()).add(cls)
    result = []
    for individual, classes in new.items():
        for cls in classes:
            # keep C unless another new class of the same individual is a proper subclass of C
            if not any(other != cls and cls in supers.get(other, ()) for other in classes):
                result.append((individual, cls))
    return sorted(result)
