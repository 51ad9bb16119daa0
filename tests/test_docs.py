"""The README and docs/ hold together: links resolve, the code's citations of the engine notes
name sections that exist, and the README stays short."""

from __future__ import annotations

import re

from .conftest import ROOT

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
