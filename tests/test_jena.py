"""The TriG export in Apache Jena (Debian's libapache-jena-java), run as docs/other-tools.md says.

The docs' shell block is run as it is: its class path (the trimmed one, with the Xerces
message files copied out of jena-core), then ``tdb2.tdbloader`` into a TDB2 database; its
``tdb2.tdbquery`` line, with ``--set tdb:unionDefaultGraph=true``, runs every named query,
and the rows must be the ones Impasse's own engine gives over the same file. Without the
setting Jena answers nothing (the trap the docs warn of), and the ``COUNT(*)`` figures the
docs quote are measured again and compared with the distinct triples of the file.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.sparql.query import bind_params, load_queries, run_query
from kg.sparql.syntax import bind
from kg.store import load_graph

from .conftest import ROOT
from .sparql.test_queries import _cell

DOC = ROOT / "docs" / "other-tools.md"
TRIG = ROOT / "exports" / "impasse.trig"
QUERIES = load_queries(ROOT / "queries")
#: A file of Debian's libapache-jena-java: the one .ci/run looks for.
JENA_JAR = Path("/usr/share/java/jena-arq.jar")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Only the JVM's quick compiler: each of these short runs starts about a second sooner (half
# of a query's time here), and what Jena answers does not depend on it.
JAVA_ENV = {**os.environ, "JAVA_TOOL_OPTIONS": "-XX:TieredStopAtLevel=1"}


def _jena_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Apache Jena (ARQ, TDB2)")
    return text[start:text.index("\n## ", start)]


def _documented_commands() -> tuple[str, str, str]:
    """The docs' shell block as (set-up of the class path, the loader line, the query line)."""
    block = re.search(r"```bash\n(.*?)```", _jena_section(), re.DOTALL).group(1).splitlines()
    first_java = next(i for i, line in enumerate(block) if line.startswith("java "))
    setup, commands = block[:first_java], block[first_java:]
    assert [shlex.split(c)[3] for c in commands] == ["tdb2.tdbloader", "tdb2.tdbquery"], commands
    return "\n".join(setup), commands[0], commands[1]


def _term(value: dict) -> ox.NamedNode | ox.Literal:
    """A term of Jena's SPARQL JSON results as a pyoxigraph term (N-Triples as ``str``, as Impasse's rows)."""
    if value["type"] == "uri":
        return ox.NamedNode(value["value"])
    # the named queries return no blank nodes (their labels would differ from engine to engine)
    assert value["type"] == "literal", value
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])


@dataclass
class Jena:
    """The documented commands, in ``work``: a TDB2 database ``DB`` loaded from the TriG."""

    work: Path
    classpath: str
    query_command: list[str]  # the docs' tdb2.tdbquery line, split as the shell splits it
    files: itertools.count = field(default_factory=itertools.count)

    @property
    def setting(self) -> str:
        """The value of the docs' ``--set``: the union default graph switched on."""
        return self.query_command[self.query_command.index("--set") + 1]

    def run(self, argv: list[str]) -> tuple[list[str], list[tuple[str, ...]]]:
        """Run a Jena command with ``--results=JSON``: (variables, rows as N-Triples, "" when unbound)."""
        argv = [self.classpath if a == "$CP" else a for a in argv] + ["--results=JSON"]
        done = subprocess.run(argv, cwd=self.work, env=JAVA_ENV, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{shlex.join(argv[3:])}: {done.stderr}"
        answer = json.loads(done.stdout)
        variables = answer["head"]["vars"]
        return variables, [tuple(_cell(str(_term(b[v])) if v in b else "") for v in variables)
                           for b in answer["results"]["bindings"]]

    def query_file(self, text: str) -> str:
        path = self.work / f"query-{next(self.files)}.rq"
        path.write_text(text, encoding="utf-8")
        return path.name

    def tdbquery(self, text: str, setting: str | None) -> tuple[list[str], list[tuple[str, ...]]]:
        """The docs' query line over ``text``, with ``--set setting``, or without ``--set`` (None)."""
        argv = list(self.query_command)
        argv[argv.index("--query") + 1] = self.query_file(text)
        at = argv.index("--set")
        argv[at:at + 2] = ["--set", setting] if setting else []
        return self.run(argv)

    def arq(self, text: str, *options: str) -> tuple[list[str], list[tuple[str, ...]]]:
        """``arq.sparql --data`` the TriG: Jena in memory, on the same class path."""
        return self.run(["java", "-cp", "$CP", "arq.sparql", "--data", str(TRIG.relative_to(ROOT)), *options,
                         "--query", self.query_file(text)])


@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> Jena:
    missing = [str(JENA_JAR)] * (not JENA_JAR.exists()) + [c for c in ("java", "unzip") if shutil.which(c) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the Jena test needs Debian's libapache-jena-java, Java and unzip (missing: {missing})")
        pytest.skip(f"Debian's libapache-jena-java, Java or unzip is missing ({', '.join(missing)})")
    work = tmp_path_factory.mktemp("jena")
    for folder in ("exports", "queries"):  # the paths the docs' commands name, from the repository
        (work / folder).symlink_to(ROOT / folder)
    setup, load, query = _documented_commands()
    # pipefail: a jar the docs list that Debian does not ship fails `ls`, and so the set-up
    script = f'{setup}\n{load}\nprintf %s "$CP" > classpath\n'
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=JAVA_ENV,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return Jena(work, (work / "classpath").read_text(), shlex.split(query))


@pytest.fixture(scope="module")
def impasse():
    """Impasse's engine over the same file."""
    return load_graph(TRIG)


def _rows(result) -> list[tuple[str, ...]]:
    return [tuple(_cell("" if t is None else str(t)) for t in row) for row in result.rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_jena_with_the_documented_setting_gives_impasses_rows(name, jena, impasse):
    named = QUERIES[name]
    bindings = bind_params(impasse, named, {})
    ours = run_query(impasse, named.text, bindings, str(named.path))
    assert ours.rows, f"{name} finds nothing over the TriG: comparing no rows proves nothing"
    # the defaults bound in a VALUES block: the text the query page gives to copy into another tool
    text, late = bind(named.body, bindings)
    assert late == {}
    variables, rows = jena.tdbquery(text, jena.setting)
    assert variables == ours.variables
    assert Counter(rows) == Counter(_rows(ours))


def test_the_documented_query_answers_with_the_setting_and_nothing_without_it(jena, impasse):
    named = QUERIES["agenda-mismatches"]
    assert named.path.name in jena.query_command[-1]  # the query the docs' line runs
    documented = jena.run(jena.query_command)[1]  # the docs' line as it is: its parameters left unbound
    assert documented and Counter(documented) == Counter(_rows(run_query(impasse, named.text)))
    assert jena.tdbquery(named.text, None)[1] == []


def test_the_counts_the_docs_quote_are_jenas_and_the_distinct_triples_of_the_file(jena):
    quads = list(ox.parse(path=str(TRIG), format=ox.RdfFormat.TRIG))
    distinct = len({q.triple for q in quads})
    assert distinct < len(quads)  # documents share triples: a union that were a bag would count more
    section = _jena_section()
    quoted = {how: int(figure.replace(",", "")) for how, figure in
              re.findall(r"^\| (.+?) \| ([\d,]+) \|$", section, re.MULTILINE)}
    in_tdb = {setting: _count(jena.tdbquery(COUNT, setting))
              for setting in (None, jena.setting, jena.setting.replace("tdb:", "tdb2:"))}
    measured = {
        "`arq.sparql --data impasse.trig` (in memory)": {_count(jena.arq(COUNT))},
        "the same, with `--set tdb:unionDefaultGraph=true` (a TDB setting: ignored in memory)":
            {_count(jena.arq(COUNT, "--set", jena.setting))},
        "in memory, `GRAPH <urn:x-arq:UnionGraph> { ?s ?p ?o }`":
            {_count(jena.arq("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x-arq:UnionGraph> { ?s ?p ?o } }"))},
        "in memory, `FROM <urn:x-arq:UnionGraph>`":
            {_count(jena.arq("SELECT (COUNT(*) AS ?n) FROM <urn:x-arq:UnionGraph> WHERE { ?s ?p ?o }"))},
        "`tdb2.tdbloader --loc DB impasse.trig`, then `tdb2.tdbquery --loc DB`": {in_tdb[None]},
        "the same with `--set tdb:unionDefaultGraph=true` (or `tdb2:unionDefaultGraph=true`)":
            {n for setting, n in in_tdb.items() if setting},
    }
    assert {how: {n} for how, n in quoted.items()} == measured
    # every union Jena offers is the RDF merge, a set: the distinct triples, and nothing else
    assert set().union(*measured.values()) == {0, distinct}
    # and the figures the docs' introduction gives for a store's COUNT and for the file
    figures = re.search(r"\(([\d,]+) for this corpus;\s+the\s+TriG\s+holds\s+([\d,]+)\s+quads\)",
                        DOC.read_text(encoding="utf-8"))
    assert [int(f.replace(",", "")) for f in figures.groups()] == [distinct, len(quads)]


def _count(answer: tuple[list[str], list[tuple[str, ...]]]) -> int:
    """The one value of a ``COUNT`` query's one row."""
    (row,) = answer[1]
    return int(re.fullmatch(r'"(\d+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer>', row[0]).group(1))
