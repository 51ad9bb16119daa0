"""The README and docs/ hold together: links resolve, the code's citations of the engine notes
name sections that exist, the README stays short, and the projects guide's reference data and
commands are real ones."""

from __future__ import annotations

import re
import shlex

import pytest

from .conftest import ROOT

GUIDE = ROOT / "docs" / "projects.md"

def test_the_readme_is_short_and_links_the_guide():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    assert "docs/index.md" in text and ". .venv/bin/activate" in text and ".venv/bin/kg" in text


def test_every_local_link_of_the_readme_and_the_guide_resolves():
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            path = (page.parent / target).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_the_engine_notes_the_code_cites_exist():
    sections = set(re.findall(r"(?m)^## (.+)$", (ROOT / "docs" / "engine-notes.md").read_text(encoding="utf-8")))
    cited = set()
    for path in [*ROOT.glob("kg/**/*.py"), *ROOT.glob("tests/**/*.py"), ROOT / "pyproject.toml"]:
        text = re.sub(r"\s*\n\s*(?:#\s*)?", " ", path.read_text(encoding="utf-8"))  # citations may wrap
        cited.update(re.findall(r'docs/engine-notes\.md, "([^"]+)"', text))
    assert cited and cited <= sections, cited - sections
    assert not [p for p in ROOT.glob("kg/**/*.py") if "PITFALLS" in p.read_text(encoding="utf-8")]


def test_the_projects_guides_reference_data_is_reference_data(tmp_path):
    from kg.corpus.reference import load_reference

    blocks = re.findall(r"```turtle\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    for number, block in enumerate(blocks):
        (tmp_path / f"{number}.ttl").write_text(block, encoding="utf-8")
    reference = load_reference(tmp_path)
    assert set(reference.keys["actor"]) == {"ostravia", "belmora"}
    assert set(reference.keys["issue"]) == {"water-allocation", "minimum-flows"}


def _commands(page):
    """Each ``kg …`` line of the page's ``sh`` blocks, as arguments (comments dropped)."""
    for block in re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL):
        for line in block.splitlines():
            args = shlex.split(line, comments=True)
            if args[:1] == ["kg"]:
                yield args[1:]


@pytest.mark.parametrize("args", list(_commands(GUIDE)), ids=" ".join)
def test_the_projects_guide_names_only_commands_and_options_that_exist(args):
    from kg.cli import cli

    command = cli.commands.get(args[0])
    assert command is not None, f"no command kg {args[0]}"
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    assert [a for a in args[1:] if a.startswith("-") and a.partition("=")[0] not in known] == []
