"""`kg` at a terminal: the table fits its width, -h is help, and the shell completes query names and parameters."""

from __future__ import annotations

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from kg.cli import cli

from ..conftest import ROOT


def _query(*args, env=None):
    result = CliRunner(env={"COLUMNS": None, **(env or {})}).invoke(
        cli, ["query", "agenda-mismatches", "-C", str(ROOT), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.mark.parametrize("args, env, width", [(["--width", "80"], {}, 80), ([], {"COLUMNS": "60"}, 60),
                                              (["--width", "120"], {"COLUMNS": "60"}, 120)])
def test_the_table_fits_the_terminal(args, env, width):
    lines = _query(*args, env=env)
    assert max(len(line) for line in lines) <= width
    assert max(len(line) for line in lines[:-1]) >= width - 8  # it uses the width it has
    headers = ["a", "b", "mismatch", "kind", "issue", "restsOn", "quote", "document"]
    shown = lines[0].split()
    assert len(shown) == len(headers)
    assert all(s == h or (s.endswith("…") and h.startswith(s[:-1])) for s, h in zip(shown, headers, strict=True))
    assert lines[-1] == "(80 rows)" and any("…" in line for line in lines)


def test_a_pipe_gets_cells_cut_at_80_characters_and_width_0_cuts_nothing():
    piped = _query()
    assert max(len(line) for line in piped) > 200 and "…" in "".join(piped)
    whole = _query("--width", "0")
    quotes = (ROOT / "queries" / "agenda-mismatches.expected.tsv").read_text(encoding="utf-8")
    longest = max((row.split("\t")[6].strip('"') for row in quotes.splitlines()[1:]), key=len)
    assert any(longest in line for line in whole) and "…" not in "".join(whole)


def test_a_table_of_many_narrow_columns_keeps_them_whole():
    from kg.sparql.results import _fit

    assert _fit([4, 4, 100, 30], 60) == [4, 4, 23, 23]  # 60 - 3 separators of 2 = 54 = 4 + 4 + 23 + 23
    assert _fit([4, 4, 10], 60) == [4, 4, 10]
    assert _fit([50] * 20, 40) == [6] * 20  # never narrower than MIN_COLUMN


@pytest.mark.parametrize("command", ["", "query", "build", "serve", "export"])
def test_dash_h_is_help_on_every_command(command):
    args = [command] if command else []
    short = CliRunner().invoke(cli, [*args, "-h"])
    assert short.exit_code == 0 and short.output.startswith("Usage: ")
    assert short.output == CliRunner().invoke(cli, [*args, "--help"]).output


def _complete(args: list[str], incomplete: str):
    return ShellComplete(cli, {}, "kg", "_KG_COMPLETE").get_completions(args, incomplete)


def test_completion_offers_the_named_queries_with_their_summaries():
    names = {item.value: item.help for item in _complete(["query", "-C", str(ROOT)], "")}
    assert set(names) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert names["agenda-mismatches"].startswith("Agenda mismatches between two actors")
    assert [i.value for i in _complete(["query", "-C", str(ROOT)], "agenda")] == ["agenda-mismatches"]
    path = _complete(["query"], "queries/agenda-mismatches.rq")
    assert [(i.value, i.type) for i in path] == [("queries/agenda-mismatches.rq", "file")]


def test_completion_offers_the_parameters_of_the_query_then_their_defaults():
    args = ["query", "-C", str(ROOT), "agenda-mismatches", "--param"]
    params = {item.value: item.help for item in _complete(args, "")}
    assert params == {"a=": "<actor> one side", "b=": "<actor> the other side"}
    assert [i.value for i in _complete(args, "b=")] == ["b=Iran"]
    assert _complete(args, "b=X") == [] and _complete(["query", "-C", str(ROOT), "no-such", "--param"], "") == []


def test_the_completion_scripts_are_those_docs_cli_md_gives():
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_KG_COMPLETE={shell}_source kg" in docs
        script = CliRunner().invoke(cli, [], prog_name="kg", env={"_KG_COMPLETE": f"{shell}_source"},
                                    complete_var="_KG_COMPLETE")
        assert "_KG_COMPLETE" in script.output, script.output
