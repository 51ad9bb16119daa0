"""The library API: the short list in kg.__all__ works, whatever was imported before."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_top_level_names_are_the_functions_even_after_importing_every_submodule():
    # Regression: a lazily re-exported `kg.build` was shadowed by a submodule `kg/build.py` (now the package kg/build/, which is callable)
    # as soon as anything imported that submodule.
    probe = (
        "import kg.build.builder, kg.formats, kg.derive.validation, kg.derive.reasoning, kg.sparql.query, kg.cli, kg\n"
        "assert all(callable(getattr(kg, n)) for n in kg.__all__), kg.__all__\n"
        "result = kg.build('.')\n"
        "assert kg.export(result.graph, format='ntriples').count(b'\\n') > 1000\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "ok", run.stderr
