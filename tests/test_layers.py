"""The imports of kg/ run one way, from kg/cli/ down to kg/vocab.py, and never in a circle.

Read from the source with ``ast`` (imports inside functions count too: a lazy import is still
a dependency; those under ``if TYPE_CHECKING:`` do not). Each module sits in a layer of the data
flow of DESIGN.md; a module may import its own layer or those below it, never above.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"

#: Lowest first. A module is placed by the longest prefix of its name listed here.
LAYERS = [
    ("kg.vocab", "kg.errors"),
    ("kg.project",),                # the layout of a project and the files the package ships for it
    ("kg.sparql.syntax",),          # the SPARQL tokenizer and binder every store uses
    ("kg.store",),
    ("kg.blocks",),                 # the exports' blocks kept between builds
    ("kg.formats",),
    ("kg.void",),                   # the dataset description: the graph's counts and the export files
    ("kg.corpus",),
    ("kg.extraction",),
    ("kg.corpus.ingest",),          # runs the extraction over a new article
    ("kg.derive",),
    ("kg.build",),
    ("kg.sparql",),                 # named queries and their results, over a built graph
    ("kg.views",),
    ("kg.server",),
    ("kg.pipeline",),
    ("kg.review",),                 # the review page: decisions on corpus files, then a build
    ("kg.cli",),
    ("kg", "kg.__main__"),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in KG.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` names a module; `from module import name` the module
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def _layer(name: str) -> int:
    best, rank = -1, None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    assert rank is not None, f"{name} is in no layer of tests/test_layers.py"
    return rank


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_every_import_points_down_the_data_flow():
    upward = sorted(f"{a} -> {b}" for a, targets in _graph().items() for b in targets if _layer(b) > _layer(a))
    assert upward == []


def test_no_module_imports_itself_through_others():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_store_interface_and_the_cli_import_what_they_should():
    graph = _graph()
    assert not {m for m in graph["kg.store.interface"] if m.startswith("kg.store.")}
    assert all(not target.startswith("kg.cli") for name, targets in graph.items() if not name.startswith("kg.cli")
               for target in targets if name not in ("kg", "kg.__main__"))
