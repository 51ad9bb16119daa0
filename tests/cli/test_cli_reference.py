"""docs/cli.md keeps the output of every `kg … --help`, and a synopsis line per command.

After changing a command's options or help, regenerate the reference with
``.venv/bin/python -m tests.cli.test_cli_reference`` (it rewrites the generated part of docs/cli.md).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
MARK = "<!-- Generated from `kg --help` by tests/cli/test_cli_reference.py: do not edit below. -->"


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="kg", terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output.rstrip() + "\n"


def reference() -> str:
    """The generated part of docs/cli.md: `kg --help`, then each command's help."""
    parts = [MARK, "", "## kg", "", "```", _help().rstrip(), "```"]
    for name in sorted(cli.commands):
        parts += ["", f"## kg {name}", "", "```", _help(name).rstrip(), "```"]
    return "\n".join(parts) + "\n"


def test_the_cli_reference_is_the_help_of_every_command():
    text = DOC.read_text(encoding="utf-8")
    assert MARK in text, f"{DOC} has lost its generated part"
    assert text[text.index(MARK):] == reference(), "docs/cli.md is stale: python -m tests.cli.test_cli_reference"


def test_the_synopsis_names_every_command():
    block = DOC.read_text(encoding="utf-8").split("## Synopsis", 1)[1].split("```")[1]
    assert {line.split()[1] for line in block.splitlines() if line.startswith("kg ")} == set(cli.commands)


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(text[: text.index(MARK)] + reference() if MARK in text else text.rstrip() + "\n\n" + reference(),
                   encoding="utf-8")
